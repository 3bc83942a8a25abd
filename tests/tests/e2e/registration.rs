//! Shopper sign-up, email verification over real SMTP, idempotent retries, bad input, and an SMTP outage.

use std::time::Duration;

use fieldwork_e2e::{error_code, error_field, sign_up_input, sign_up_json, Options, TestApp, PASSWORD};
use serde_json::{json, Value};

const SIGN_UP: &str = "mutation($input: SignUpInput!) { signUp(input: $input) { user { id email } } }";

#[tokio::test]
async fn a_shopper_signs_up_verifies_by_email_and_sees_their_profile() {
    let app = TestApp::spawn().await;
    let mut phone = app.phone();
    let user = phone.sign_up(sign_up_input("olena@example.com")).await.unwrap();
    assert_eq!(user.email, "olena@example.com");
    assert!(!user.email_verified);

    // The real SMTP server received the verification mail, in the shopper's language.
    let mail = app.mailbox.wait_for("olena@example.com", Duration::from_secs(10)).await;
    assert_eq!(mail.subject, "Підтвердіть свою електронну адресу");
    assert!(mail.body.contains("Олена Петренко"), "{}", mail.body);
    assert!(mail.message_id.ends_with("@fieldwork>"), "{}", mail.message_id);

    // An unverified shopper can log in.
    phone.login("olena@example.com", PASSWORD).await.unwrap();
    assert!(!phone.me().await.unwrap().email_verified);

    // Following the link (as a browser would) verifies the address.
    let link = mail.link("/verify-email").expect("a verification link");
    assert!(link.starts_with(&app.base_url), "{link} should point at this server");
    let page = reqwest::get(&link).await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("olena@example.com is verified"));

    let me = phone.me().await.unwrap();
    assert!(me.email_verified);
    let profile = me.shopper.expect("a shopper profile");
    assert_eq!(profile.full_name, "Олена Петренко");
    assert_eq!(profile.phone, "+380501234567");
    assert_eq!(
        (profile.home_location.lat, profile.home_location.lon),
        (49.8397, 24.0297)
    );
    assert_eq!(profile.travel_radius_km, 25.0);
    assert_eq!(profile.payout_details.iban, "UA213223130000026007233566001");
    assert_eq!(
        profile.payout_details.iban_display,
        "UA21 3223 1300 0002 6007 2335 6600 1"
    );
    assert_eq!(
        profile.payout_details.tax_id,
        fieldwork_e2e::tax_id_for("olena@example.com")
    );
    assert_eq!(
        profile.code_of_conduct_version,
        app.settings.auth.code_of_conduct_version
    );
    assert!(profile.conflict_declaration.contains("ЦНАП"));

    // Following the link again changes nothing and says so.
    let again = phone
        .verify_email(&mail.link_token("/verify-email").unwrap())
        .await
        .unwrap();
    assert!(again.already_verified);
    assert_eq!(app.mailbox.to("olena@example.com").len(), 1);
}

#[tokio::test]
async fn a_retried_sign_up_with_the_same_key_creates_one_account_and_one_mail() {
    let app = TestApp::spawn().await;
    let phone = app.phone();
    let mut input = sign_up_input("retry@example.com");
    input.idempotency_key = Some("signup-7f3a".into());
    let first = phone.sign_up(input.clone()).await.unwrap();
    let second = phone.sign_up(input.clone()).await.unwrap();
    assert_eq!(first.id, second.id);

    // Concurrent retries too.
    let retries = (0..5).map(|_| {
        let phone = phone.clone();
        let input = input.clone();
        tokio::spawn(async move { phone.sign_up(input).await })
    });
    for retry in retries {
        assert_eq!(retry.await.unwrap().unwrap().id, first.id);
    }
    app.mailbox.wait_for("retry@example.com", Duration::from_secs(10)).await;
    // One message was ever queued (the outbox sends each once), so no second one can arrive.
    let queued: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox_emails WHERE to_address = 'retry@example.com'")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(queued, 1);
    assert_eq!(app.mailbox.to("retry@example.com").len(), 1);
    assert_eq!(app.count("users").await, 1);

    // The same key with different data is refused.
    input.full_name = "Інше Ім'я".into();
    let err = phone.sign_up(input).await.unwrap_err();
    assert_eq!(err.code(), Some("CONFLICT"));
    assert_eq!(err.field(), Some("idempotencyKey"));
}

#[tokio::test]
async fn a_second_account_with_the_same_email_is_a_conflict() {
    let app = TestApp::spawn().await;
    app.phone().sign_up(sign_up_input("dup@example.com")).await.unwrap();
    let err = app
        .phone()
        .sign_up(sign_up_input("DUP@Example.com "))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("CONFLICT"));
    assert_eq!(err.field(), Some("email"));
    assert_eq!(app.count("users").await, 1);
    assert_eq!(app.count("outbox_emails").await, 1);
}

#[tokio::test]
async fn bad_input_names_the_field_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let long = "я".repeat(201);
    let cases: Vec<(&str, Value, &str)> = vec![
        ("email", json!("not-an-email"), "email"),
        ("phone", json!("0501234567"), "phone"),
        ("phone", json!("+38050123456"), "phone"),
        ("iban", json!("UA213223130000026007233566002"), "iban"),
        ("iban", json!("UA2132231300000260072335660"), "iban"),
        ("taxId", json!("3000000007"), "taxId"),
        ("taxId", json!("12345"), "taxId"),
        ("homeLocation", json!({ "lat": 91.0, "lon": 24.0 }), "homeLocation.lat"),
        (
            "homeLocation",
            json!({ "lat": 49.0, "lon": -181.0 }),
            "homeLocation.lon",
        ),
        ("travelRadiusKm", json!(0), "travelRadiusKm"),
        ("travelRadiusKm", json!(-5), "travelRadiusKm"),
        ("password", json!("short"), "password"),
        ("password", json!("x".repeat(129)), "password"),
        ("password", json!("password123"), "password"),
        ("fullName", json!(long), "fullName"),
        ("fullName", json!(" "), "fullName"),
        ("accountHolder", json!(""), "accountHolder"),
        ("conflictDeclaration", json!("x".repeat(4001)), "conflictDeclaration"),
        ("acceptCodeOfConduct", json!(false), "acceptCodeOfConduct"),
        ("idempotencyKey", json!(""), "idempotencyKey"),
    ];
    for (key, value, field) in cases {
        let mut input = sign_up_json("bad@example.com");
        input[key] = value.clone();
        let body = app.gql(None, SIGN_UP, json!({ "input": input })).await;
        assert_eq!(error_code(&body), Some("BAD_USER_INPUT"), "{key}={value}: {body}");
        assert_eq!(error_field(&body), Some(field), "{key}={value}: {body}");
        // The message names the field in words ("Телефон: …"), and carries the catalogue's code.
        let message = body["errors"][0]["message"].as_str().unwrap();
        assert!(message.contains(": ") && !message.starts_with(field), "{body}");
        assert!(body["errors"][0]["extensions"]["messageCode"].is_string(), "{body}");
    }
    // A wrong type is refused by the GraphQL layer, with the same code.
    let mut input = sign_up_json("bad@example.com");
    input["travelRadiusKm"] = json!("far");
    let body = app.gql(None, SIGN_UP, json!({ "input": input })).await;
    assert_eq!(error_code(&body), Some("BAD_USER_INPUT"), "{body}");

    assert_eq!(app.count("users").await, 0);
    assert_eq!(app.count("shopper_profiles").await, 0);
    // Nothing was queued, so nothing can be sent.
    assert_eq!(app.count("outbox_emails").await, 0);
    assert!(app.mailbox.all().is_empty());
}

#[tokio::test]
async fn several_bad_fields_are_reported_together() {
    let app = TestApp::spawn().await;
    let mut input = sign_up_json("several@example.com");
    input["phone"] = json!("12");
    input["taxId"] = json!("1");
    let body = app.gql(None, SIGN_UP, json!({ "input": input })).await;
    assert_eq!(error_code(&body), Some("BAD_USER_INPUT"));
    let fields: Vec<&str> = body["errors"][0]["extensions"]["fieldErrors"]
        .as_array()
        .expect("fieldErrors")
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["phone", "taxId"]);
}

#[tokio::test]
async fn invalid_verification_tokens_are_refused() {
    let app = TestApp::spawn().await;
    let err = app.phone().verify_email("fwe_not-a-real-token").await.unwrap_err();
    assert_eq!(err.code(), Some("BAD_USER_INPUT"));
    assert_eq!(err.field(), Some("token"));
    let page = reqwest::get(format!("{}/verify-email?token=nope", app.base_url))
        .await
        .unwrap();
    assert_eq!(page.status(), 400);
}

#[tokio::test]
async fn an_smtp_outage_delays_mail_and_delivers_it_exactly_once_when_smtp_returns() {
    let app = TestApp::spawn_with(Options {
        smtp_up: false,
        ..Options::default()
    })
    .await;
    let user = app
        .phone()
        .sign_up(sign_up_input("outage@example.com"))
        .await
        .expect("sign-up works without SMTP");
    assert!(!user.id.is_empty());

    // The worker tries, fails, and keeps the message with the reason.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let (attempts, error): (i64, Option<String>) = sqlx::query_as("SELECT attempts, last_error FROM outbox_emails")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
        if attempts >= 2 {
            assert!(error.is_some_and(|e| e.contains("SMTP")));
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "the worker never retried");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    app.mailbox.start();
    let mail = app
        .mailbox
        .wait_for("outage@example.com", Duration::from_secs(10))
        .await;
    assert!(mail.link("/verify-email").is_some());
    // Several more retry periods pass (the clock moves; a later mail arriving proves the worker ran since):
    // still exactly one message.
    app.clock.advance(Duration::from_secs(3_600));
    app.phone().sign_up(sign_up_input("later@example.com")).await.unwrap();
    app.mailbox.wait_for("later@example.com", Duration::from_secs(10)).await;
    assert_eq!(app.mailbox.to("outage@example.com").len(), 1);
    let sent: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox_emails WHERE sent_at IS NOT NULL")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(sent, 2);
}

#[tokio::test]
async fn without_smtp_mail_is_written_as_eml_files() {
    let app = TestApp::spawn_with(Options {
        tweak: Box::new(|s| s.smtp = None),
        ..Options::default()
    })
    .await;
    app.phone().sign_up(sign_up_input("offline@example.com")).await.unwrap();
    let dir = app.settings.mail_dir();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    let file = loop {
        if let Some(entry) = std::fs::read_dir(&dir).ok().and_then(|mut d| d.next()) {
            break entry.unwrap().path();
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "no .eml file in {}",
            dir.display()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(file.extension().unwrap(), "eml");
    let raw = std::fs::read(&file).unwrap();
    let parsed = mailparse::parse_mail(&raw).unwrap();
    assert!(parsed.get_body().unwrap().contains("/verify-email?token=fwe_"));
}
