//! Login, brute-force throttling, logout, password reset by email, password change, suspension, staff invites.

use std::time::Duration;

use fieldwork::domain::Role;
use fieldwork_e2e::{error_code, sign_up_input, TestApp, PASSWORD};
use fieldwork_mobile_api::{change_password, logout_everywhere, request_password_reset, reset_password};
use fieldwork_mobile_api::{ChangePassword, LogoutEverywhere, RequestPasswordReset, ResetPassword};
use serde_json::json;

#[tokio::test]
async fn repeated_failed_logins_are_refused_for_a_while() {
    let app = TestApp::spawn().await;
    app.phone().sign_up(sign_up_input("brute@example.com")).await.unwrap();
    let mut phone = app.phone();
    for _ in 0..app.settings.auth.max_failures_per_account {
        let err = phone.login("brute@example.com", "wrong password!").await.unwrap_err();
        assert_eq!(err.code(), Some("UNAUTHENTICATED"));
    }
    // Now even the right password is refused, with a clear reason and when to retry.
    let body = app
        .gql(
            None,
            "mutation { login(email: \"brute@example.com\", password: \"correct horse battery\") { token } }",
            json!({}),
        )
        .await;
    assert_eq!(error_code(&body), Some("RATE_LIMITED"), "{body}");
    let retry = body["errors"][0]["extensions"]["retryAfterSeconds"].as_u64().unwrap();
    assert!(retry > 0 && retry <= 15 * 60, "{retry}");
    assert_eq!(
        body["errors"][0]["extensions"]["messageCode"], "login-too-many",
        "{body}"
    );
    assert!(body["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("Забагато невдалих входів"));
    // Unknown accounts fail the same way as wrong passwords.
    let err = phone.login("nobody@example.com", PASSWORD).await.unwrap_err();
    assert_eq!(err.code(), Some("UNAUTHENTICATED"));
}

#[tokio::test]
async fn logout_revokes_the_token_and_logout_everywhere_revokes_all() {
    let app = TestApp::spawn().await;
    app.phone().sign_up(sign_up_input("tokens@example.com")).await.unwrap();
    let mut first = app.phone();
    first.login("tokens@example.com", PASSWORD).await.unwrap();
    let old_token = first.token().unwrap().to_string();
    first.logout().await.unwrap();
    first.set_token(Some(old_token));
    let err = first.me().await.unwrap_err();
    assert_eq!(err.code(), Some("UNAUTHENTICATED"));

    let mut a = app.phone();
    let mut b = app.phone();
    a.login("tokens@example.com", PASSWORD).await.unwrap();
    b.login("tokens@example.com", PASSWORD).await.unwrap();
    let revoked = a
        .execute::<LogoutEverywhere>(logout_everywhere::Variables)
        .await
        .unwrap();
    assert_eq!(revoked.logout_everywhere, 2);
    assert_eq!(a.me().await.unwrap_err().code(), Some("UNAUTHENTICATED"));
    assert_eq!(b.me().await.unwrap_err().code(), Some("UNAUTHENTICATED"));
}

#[tokio::test]
async fn a_forgotten_password_is_reset_through_the_emailed_link() {
    let app = TestApp::spawn().await;
    app.phone().sign_up(sign_up_input("forgot@example.com")).await.unwrap();
    app.mailbox
        .wait_for("forgot@example.com", Duration::from_secs(10))
        .await; // verification mail
    let mut logged_in = app.phone();
    logged_in.login("forgot@example.com", PASSWORD).await.unwrap();

    let phone = app.phone();
    phone
        .execute::<RequestPasswordReset>(request_password_reset::Variables {
            email: "Forgot@example.com".into(),
        })
        .await
        .unwrap();
    // Unknown addresses get the same answer and no mail.
    phone
        .execute::<RequestPasswordReset>(request_password_reset::Variables {
            email: "ghost@example.com".into(),
        })
        .await
        .unwrap();
    let mails = app
        .mailbox
        .wait_for_count("forgot@example.com", 2, Duration::from_secs(10))
        .await;
    let reset = mails
        .iter()
        .find(|m| m.link("/reset-password").is_some())
        .expect("a reset mail");
    assert_eq!(reset.subject, "Зміна пароля");
    let token = reset.link_token("/reset-password").unwrap();

    // The link opens a form.
    let form = reqwest::get(reset.link("/reset-password").unwrap()).await.unwrap();
    assert_eq!(form.status(), 200);
    assert!(form.text().await.unwrap().contains("name=\"password\""));

    // A weak new password is refused and the link stays usable.
    let err = phone
        .execute::<ResetPassword>(reset_password::Variables {
            token: token.clone(),
            new_password: "weak".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(err.field(), Some("newPassword"));
    phone
        .execute::<ResetPassword>(reset_password::Variables {
            token: token.clone(),
            new_password: "a much better passphrase".into(),
        })
        .await
        .unwrap();

    // Every session was logged out; the old password no longer works; the new one does.
    assert_eq!(logged_in.me().await.unwrap_err().code(), Some("UNAUTHENTICATED"));
    let mut again = app.phone();
    assert!(again.login("forgot@example.com", PASSWORD).await.is_err());
    again
        .login("forgot@example.com", "a much better passphrase")
        .await
        .unwrap();
    // The link was single-use.
    let err = phone
        .execute::<ResetPassword>(reset_password::Variables {
            token,
            new_password: "yet another passphrase".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(err.field(), Some("token"));
    assert!(app.mailbox.to("ghost@example.com").is_empty());
}

#[tokio::test]
async fn the_reset_form_page_sets_the_password() {
    let app = TestApp::spawn().await;
    let staff = app.staff(Role::Coordinator).await;
    app.phone()
        .execute::<RequestPasswordReset>(request_password_reset::Variables {
            email: staff.email.clone(),
        })
        .await
        .unwrap();
    let mail = app.mailbox.wait_for(&staff.email, Duration::from_secs(10)).await;
    let token = mail.link_token("/reset-password").unwrap();
    let response = reqwest::Client::new()
        .post(format!("{}/reset-password", app.base_url))
        .form(&[("token", token.as_str()), ("password", "typed into the browser")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.text().await.unwrap().contains("Password changed"));
    app.phone().login(&staff.email, "typed into the browser").await.unwrap();
}

#[tokio::test]
async fn changing_the_password_keeps_this_session_and_ends_the_others() {
    let app = TestApp::spawn().await;
    app.phone().sign_up(sign_up_input("change@example.com")).await.unwrap();
    let mut this = app.phone();
    let mut other = app.phone();
    this.login("change@example.com", PASSWORD).await.unwrap();
    other.login("change@example.com", PASSWORD).await.unwrap();
    let err = this
        .execute::<ChangePassword>(change_password::Variables {
            current_password: "not the password".into(),
            new_password: "brand new passphrase".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(err.field(), Some("currentPassword"));
    this.execute::<ChangePassword>(change_password::Variables {
        current_password: PASSWORD.into(),
        new_password: "brand new passphrase".into(),
    })
    .await
    .unwrap();
    assert!(this.me().await.is_ok());
    assert_eq!(other.me().await.unwrap_err().code(), Some("UNAUTHENTICATED"));
}

#[tokio::test]
async fn a_suspended_shopper_is_logged_out_and_cannot_log_in_until_reactivated() {
    let app = TestApp::spawn().await;
    let coordinator = app.staff(Role::Coordinator).await;
    let (shopper, shopper_id) = app.verified_shopper("suspend@example.com").await;
    let set_status = "mutation($id: ID!, $status: UserStatus!, $reason: String) { \
        setShopperStatus(shopperId: $id, status: $status, reason: $reason) { status statusReason } }";

    // A reason is required to suspend.
    let body = app
        .gql(
            Some(&coordinator.token),
            set_status,
            json!({ "id": shopper_id, "status": "SUSPENDED" }),
        )
        .await;
    assert_eq!(error_code(&body), Some("BAD_USER_INPUT"));
    let body = app
        .gql(
            Some(&coordinator.token),
            set_status,
            json!({ "id": shopper_id, "status": "SUSPENDED", "reason": "photos reused from another visit" }),
        )
        .await;
    assert_eq!(body["data"]["setShopperStatus"]["status"], "SUSPENDED", "{body}");

    assert_eq!(shopper.me().await.unwrap_err().code(), Some("UNAUTHENTICATED"));
    let err = app.phone().login("suspend@example.com", PASSWORD).await.unwrap_err();
    assert_eq!(err.code(), Some("FORBIDDEN"));

    let body = app
        .gql(
            Some(&coordinator.token),
            set_status,
            json!({ "id": shopper_id, "status": "ACTIVE" }),
        )
        .await;
    assert_eq!(body["data"]["setShopperStatus"]["status"], "ACTIVE", "{body}");
    app.phone().login("suspend@example.com", PASSWORD).await.unwrap();

    // The audit log has both decisions, with who made them.
    let actors: Vec<(String, Option<String>)> = sqlx::query_as(
        "SELECT action, actor_id FROM audit_log WHERE subject_id = $1 AND action LIKE 'user.%' ORDER BY at, id",
    )
    .bind(&shopper_id)
    .fetch_all(app.db.pool())
    .await
    .unwrap();
    let decisions: Vec<_> = actors
        .iter()
        .filter(|(a, _)| a == "user.suspend" || a == "user.activate")
        .collect();
    assert_eq!(decisions.len(), 2);
    assert!(decisions
        .iter()
        .all(|(_, by)| by.as_deref() == Some(coordinator.id.as_str())));
}

#[tokio::test]
async fn an_admin_invites_staff_who_choose_their_password_by_email() {
    let app = TestApp::spawn().await;
    let admin = app.staff(Role::Admin).await;
    let invite =
        "mutation($email: String!, $role: Role!) { inviteStaff(email: $email, role: $role) { id role emailVerified } }";
    let body = app
        .gql(
            Some(&admin.token),
            invite,
            json!({ "email": "coord@fieldwork.example", "role": "COORDINATOR" }),
        )
        .await;
    assert_eq!(body["data"]["inviteStaff"]["role"], "COORDINATOR", "{body}");
    let body = app
        .gql(
            Some(&admin.token),
            invite,
            json!({ "email": "s@fieldwork.example", "role": "SHOPPER" }),
        )
        .await;
    assert_eq!(error_code(&body), Some("BAD_USER_INPUT"));
    let body = app
        .gql(
            Some(&admin.token),
            invite,
            json!({ "email": "coord@fieldwork.example", "role": "PAYMENTS" }),
        )
        .await;
    assert_eq!(error_code(&body), Some("CONFLICT"));

    let mail = app
        .mailbox
        .wait_for("coord@fieldwork.example", Duration::from_secs(10))
        .await;
    let token = mail.link_token("/reset-password").unwrap();
    app.phone()
        .execute::<ResetPassword>(reset_password::Variables {
            token,
            new_password: "coordinator passphrase".into(),
        })
        .await
        .unwrap();
    let mut coordinator = app.phone();
    let login = coordinator
        .login("coord@fieldwork.example", "coordinator passphrase")
        .await
        .unwrap();
    assert!(login.user.email_verified);
}
