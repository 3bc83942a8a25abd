//! The few server-rendered pages: email verification and the password-reset form, with their error page.

use super::*;

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
    match state.accounts.verify_email(&token).await {
        Ok(Verified::Now { email }) => page(
            StatusCode::OK,
            "Адресу підтверджено / Email verified",
            &format!(
                "{email} is verified. You can return to the app. / Адресу підтверджено, поверніться до застосунку."
            ),
        ),
        Ok(Verified::Already { email }) => page(
            StatusCode::OK,
            "Адресу вже підтверджено / Email already verified",
            &format!("{email} was already verified. / Адресу вже було підтверджено."),
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
    let form = format!(
        "<form method=\"post\" action=\"/reset-password\">\
         <input type=\"hidden\" name=\"token\" value=\"{}\">\
         <label>Новий пароль / New password <input type=\"password\" name=\"password\" minlength=\"10\" \
         maxlength=\"128\" required autocomplete=\"new-password\"></label> \
         <button type=\"submit\">Зберегти / Save</button></form>",
        html_escape(&token)
    );
    Html(shell("Новий пароль / Choose a new password", &form)).into_response()
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
            "Something went wrong; please try again.",
        );
    }
    page(http_status(&err), "Не вдалося / That did not work", &err.message())
}

fn page(status: StatusCode, title: &str, message: &str) -> Response {
    (status, Html(shell(title, &format!("<p>{}</p>", html_escape(message))))).into_response()
}

fn shell(title: &str, body: &str) -> String {
    format!(
        "<!doctype html><html lang=\"uk\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" \
         content=\"width=device-width\"><title>{t}</title><style>body{{font-family:sans-serif;max-width:36em;\
         margin:3em auto;padding:0 1em}}</style></head><body><h1>{t}</h1>{body}</body></html>",
        t = html_escape(title)
    )
}

fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
