//! The pages behind email links: email verification and the password-reset form, with their error page, in the
//! public pages' frame (`http::public`; maud escapes every value). They speak both languages at once, since a
//! link in a mail carries none.

use axum::extract::rejection::FormRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::Form;
use maud::{html, Markup};
use serde::Deserialize;

use crate::accounts::Verified;
use crate::error::AppError;

use super::public::{public_page, Lang};
use super::{http_status, AppState};

#[derive(Deserialize)]
pub(super) struct TokenQuery {
    token: Option<String>,
}

/// The page behind a verification link. Following it twice is harmless.
pub(super) async fn verify_email_page(State(state): State<AppState>, Query(query): Query<TokenQuery>) -> Response {
    let Some(token) = query.token else {
        return page(
            StatusCode::BAD_REQUEST,
            "Посилання неповне / Incomplete link",
            "The link has no token.",
        );
    };
    let verified = |title: &str, text: String| {
        framed(
            StatusCode::OK,
            title,
            html! {
                p role="status" { (text) }
                p { a href="/app/" { "Повернутися до застосунку / Back to the app" } }
            },
        )
    };
    match state.accounts.verify_email(&token).await {
        Ok(Verified::Now { email }) => verified(
            "Адресу підтверджено / Email verified",
            format!("Адресу {email} підтверджено. / {email} is verified."),
        ),
        Ok(Verified::Already { email }) => verified(
            "Адресу вже підтверджено / Email already verified",
            format!("Адресу {email} уже було підтверджено. / {email} was already verified."),
        ),
        Err(err) => error_page(err),
    }
}

pub(super) async fn reset_password_form(Query(query): Query<TokenQuery>) -> Response {
    let Some(token) = query.token else {
        return page(
            StatusCode::BAD_REQUEST,
            "Посилання неповне / Incomplete link",
            "The link has no token.",
        );
    };
    framed(
        StatusCode::OK,
        "Новий пароль / Choose a new password",
        html! {
            form method="post" action="/reset-password" {
                input type="hidden" name="token" value=(token);
                label.block for="password" { "Новий пароль / New password" }
                input type="password" id="password" name="password" minlength="10" maxlength="128" required
                    autocomplete="new-password";
                button type="submit" { "Зберегти / Save" }
            }
        },
    )
}

#[derive(Deserialize)]
pub(super) struct ResetForm {
    token: String,
    password: String,
}

pub(super) async fn reset_password_submit(
    State(state): State<AppState>,
    form: Result<Form<ResetForm>, FormRejection>,
) -> Response {
    let Ok(Form(form)) = form else {
        return page(StatusCode::BAD_REQUEST, "Помилка / Error", "The form was incomplete.");
    };
    match state.accounts.reset_password(&form.token, &form.password).await {
        Ok(()) => page(
            StatusCode::OK,
            "Пароль змінено / Password changed",
            "Log in with your new password. / Увійдіть з новим паролем.",
        ),
        Err(err) => error_page(err),
    }
}

fn error_page(err: AppError) -> Response {
    if let AppError::Internal(cause) = &err {
        tracing::error!(error = ?cause, "internal error on a link page");
        return page(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Помилка / Error",
            "Щось пішло не так; спробуйте ще раз. / Something went wrong; please try again.",
        );
    }
    // These pages speak both languages (the link in a mail carries no choice of one).
    let both = format!(
        "{} / {}",
        err.render(crate::domain::Language::Uk),
        err.render(crate::domain::Language::En)
    );
    page(http_status(&err), "Не вдалося / That did not work", &both)
}

/// A message page; every page a mailed link opens leads back to the app (a shopper reads the mail on the phone
/// that has the app, and would otherwise be left on a dead end).
fn page(status: StatusCode, title: &str, message: &str) -> Response {
    framed(
        status,
        title,
        html! {
            p role="status" { (message) }
            p { a href="/app/" { "Повернутися до застосунку / Back to the app" } }
        },
    )
}

/// A page of its own title and body, in the public frame.
fn framed(status: StatusCode, title: &str, body: Markup) -> Response {
    let page = public_page(Lang::Uk, title, "", None, html! { h1 { (title) } (body) });
    (status, Html(page.into_string())).into_response()
}
