//! One error type for the use-case layer, mapped once to GraphQL error codes.
//!
//! Use [`AppError`] for everything a client should learn about (bad input, missing rights, conflicts) and
//! `anyhow`/`sqlx` errors for the rest: those become [`AppError::Internal`], are logged with the request id and
//! reach the client only as "internal error" with that id.

use async_graphql::ErrorExtensions as _;

use crate::domain::{Arg, Language, Msg, ValidationError};
use crate::i18n;
use crate::msg;

/// Deliberately not `Display`: async-graphql converts any `Display` type into an error with just its message,
/// which would drop the code and leak internal causes. The only way out is [`AppError::into_graphql`]
/// (used by the `From` impl in `graphql`).
#[derive(Debug)]
pub enum AppError {
    /// Input that breaks a rule; names the field.
    BadInput {
        field: String,
        message: Msg,
    },
    /// Several fields broke rules at once (a form shows them all).
    InvalidFields(Vec<ValidationError>),
    /// No valid login token.
    Unauthenticated(Msg),
    /// Logged in, but this role or this user may not do it.
    Forbidden(Msg),
    /// What was asked for is not there (or not for this caller): a key of the catalogue's `not-found` message
    /// (`wave`, `visit`, `payout-batch`, …).
    NotFound(&'static str),
    /// The state of things does not allow it (duplicate, already done by someone else, wrong state).
    Conflict {
        message: Msg,
        field: Option<String>,
    },
    /// A business rule refuses it (e.g. an eligibility rule); `rule` is a stable code for clients.
    Rule {
        rule: &'static str,
        message: Msg,
    },
    /// Too many attempts; try again later.
    RateLimited {
        message: Msg,
        retry_after_secs: u64,
    },
    Internal(anyhow::Error),
}

pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    pub fn bad_input(field: impl Into<String>, message: Msg) -> Self {
        AppError::BadInput {
            field: field.into(),
            message,
        }
    }

    pub fn conflict(message: Msg) -> Self {
        AppError::Conflict { message, field: None }
    }

    pub fn conflict_on(field: impl Into<String>, message: Msg) -> Self {
        AppError::Conflict {
            message,
            field: Some(field.into()),
        }
    }

    pub fn forbidden() -> Self {
        AppError::Forbidden(msg!("forbidden"))
    }

    pub fn rate_limited(message: Msg, retry_after_secs: u64) -> Self {
        AppError::RateLimited {
            message,
            retry_after_secs,
        }
    }

    /// What the client is told, as a message of the catalogue (for internal errors, only that something
    /// failed).
    pub fn msg(&self) -> Msg {
        match self {
            AppError::BadInput { message, .. } => message.clone(),
            AppError::InvalidFields(errors) => msg!("invalid-fields", count = errors.len()),
            AppError::Unauthenticated(m) | AppError::Forbidden(m) => m.clone(),
            AppError::NotFound(what) => msg!("not-found", what = *what),
            AppError::Conflict { message, .. }
            | AppError::RateLimited { message, .. }
            | AppError::Rule { message, .. } => message.clone(),
            AppError::Internal(_) => msg!("internal-error"),
        }
    }

    /// The message in one language (the reader's, where it is shown).
    pub fn render(&self, lang: Language) -> String {
        match self {
            AppError::BadInput { field, message } => i18n::render_field_error(lang, field, message),
            AppError::InvalidFields(errors) => errors
                .iter()
                .map(|e| i18n::render_field_error(lang, &e.field, &e.message))
                .collect::<Vec<_>>()
                .join("; "),
            other => i18n::render(lang, &other.msg()),
        }
    }

    /// The message in English (logs, the command line).
    pub fn message(&self) -> String {
        self.render(Language::En)
    }

    pub fn code(&self) -> &'static str {
        match self {
            AppError::BadInput { .. } | AppError::InvalidFields(_) => "BAD_USER_INPUT",
            AppError::Unauthenticated(_) => "UNAUTHENTICATED",
            AppError::Forbidden(_) => "FORBIDDEN",
            AppError::NotFound(_) => "NOT_FOUND",
            AppError::Conflict { .. } | AppError::Rule { .. } => "CONFLICT",
            AppError::RateLimited { .. } => "RATE_LIMITED",
            AppError::Internal(_) => "INTERNAL",
        }
    }

    /// The GraphQL error a client sees, its message in `lang`: `extensions.code` (the kind), `field` where one
    /// field is to blame, and `messageCode` with `params` (the catalogue's message, for clients that render it
    /// themselves). Internal causes are logged here and replaced by a generic message.
    pub fn into_graphql(self, request_id: &str, lang: Language) -> async_graphql::Error {
        let code = self.code();
        let text = self.render(lang);
        let message = self.msg();
        let base = |text: String| {
            let message = message.clone();
            async_graphql::Error::new(text).extend_with(move |_, e| {
                e.set("code", code);
                e.set("messageCode", message.code.as_ref());
                e.set("params", params(&message));
            })
        };
        match self {
            AppError::Internal(cause) => {
                tracing::error!(request_id, error = ?cause, "internal error");
                let text = i18n::render(lang, &msg!("internal-error-with-id", request_id = request_id));
                base(text).extend_with(|_, e| e.set("requestId", request_id))
            }
            AppError::BadInput { field, .. } => base(text).extend_with(|_, e| e.set("field", field.as_str())),
            AppError::InvalidFields(errors) => base(text).extend_with(|_, e| {
                e.set("field", errors[0].field.as_str());
                let list: Vec<async_graphql::Value> = errors
                    .iter()
                    .map(|err| {
                        let mut item = async_graphql::indexmap::IndexMap::new();
                        let mut put = |k: &str, v: async_graphql::Value| {
                            item.insert(async_graphql::Name::new(k), v);
                        };
                        put("field", err.field.as_str().into());
                        put("message", i18n::render(lang, &err.message).into());
                        put("messageCode", err.message.code.as_ref().into());
                        put("params", params(&err.message));
                        async_graphql::Value::Object(item)
                    })
                    .collect();
                e.set("fieldErrors", async_graphql::Value::List(list));
            }),
            AppError::Conflict { field, .. } => base(text).extend_with(|_, e| {
                if let Some(field) = &field {
                    e.set("field", field.as_str());
                }
            }),
            AppError::Rule { rule, .. } => base(text).extend_with(|_, e| e.set("rule", rule)),
            AppError::RateLimited { retry_after_secs, .. } => {
                base(text).extend_with(|_, e| e.set("retryAfterSeconds", retry_after_secs))
            }
            _ => base(text),
        }
    }

    /// Several field errors at once: the first names `field`; all are listed under `fieldErrors`.
    pub fn from_validation_errors(mut errors: Vec<ValidationError>) -> Self {
        if errors.len() == 1 {
            return errors.remove(0).into();
        }
        AppError::InvalidFields(errors)
    }
}

/// A message's parameters as a GraphQL object (a message inside one as `{ code, params }`).
pub fn params(message: &Msg) -> async_graphql::Value {
    let mut map = async_graphql::indexmap::IndexMap::new();
    for (k, v) in &message.args {
        let value = match v {
            Arg::Number(n) if n.fract() == 0.0 && n.abs() < 9.0e15 => async_graphql::Value::from(*n as i64),
            Arg::Number(n) => async_graphql::Value::from(*n),
            Arg::Text(t) => async_graphql::Value::from(t.as_str()),
            Arg::Message(inner) => {
                let mut nested = async_graphql::indexmap::IndexMap::new();
                nested.insert(
                    async_graphql::Name::new("code"),
                    async_graphql::Value::from(inner.code.as_ref()),
                );
                nested.insert(async_graphql::Name::new("params"), params(inner));
                async_graphql::Value::Object(nested)
            }
        };
        map.insert(async_graphql::Name::new(k), value);
    }
    async_graphql::Value::Object(map)
}

impl From<std::convert::Infallible> for AppError {
    fn from(never: std::convert::Infallible) -> Self {
        match never {}
    }
}

impl From<ValidationError> for AppError {
    fn from(err: ValidationError) -> Self {
        AppError::BadInput {
            field: err.field,
            message: err.message,
        }
    }
}

impl From<crate::domain::UnknownValue> for AppError {
    fn from(err: crate::domain::UnknownValue) -> Self {
        AppError::Internal(err.into())
    }
}

impl From<anyhow::Error> for AppError {
    fn from(err: anyhow::Error) -> Self {
        AppError::Internal(err)
    }
}

impl std::fmt::Display for AppErrorDisplay<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            AppError::Internal(cause) => write!(f, "{cause:#}"),
            other => write!(f, "{} ({})", other.message(), other.code()),
        }
    }
}

/// For the CLI and logs: shows internal causes too.
pub struct AppErrorDisplay<'a>(pub &'a AppError);

/// Requests that found no free database connection in time (a metric).
pub static POOL_TIMEOUTS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

impl From<sqlx::Error> for AppError {
    fn from(err: sqlx::Error) -> Self {
        match err {
            // Every connection is busy: a clear "try again", never an internal error for a bystander.
            sqlx::Error::PoolTimedOut => {
                POOL_TIMEOUTS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                AppError::rate_limited(msg!("service-busy"), 1)
            }
            err => AppError::Internal(anyhow::Error::new(err)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_causes_are_not_shown() {
        let err = AppError::Internal(anyhow::anyhow!("password column missing")).into_graphql("req-1", Language::En);
        assert_eq!(err.message, "internal error (request id req-1)");
        let ext = serde_json::to_value(err.extensions.unwrap()).unwrap();
        assert_eq!(ext["code"], "INTERNAL");
        assert_eq!(ext["messageCode"], "internal-error");
    }

    #[test]
    fn bad_input_names_the_field_in_the_readers_language() {
        let bad = || AppError::from(ValidationError::new("phone", msg!("phone-invalid")));
        let err = bad().into_graphql("r", Language::En);
        let ext = serde_json::to_value(err.extensions.unwrap()).unwrap();
        assert_eq!(ext["code"], "BAD_USER_INPUT");
        assert_eq!(ext["field"], "phone");
        assert_eq!(ext["messageCode"], "phone-invalid");
        assert!(err.message.starts_with("Phone: "), "{}", err.message);
        let err = bad().into_graphql("r", Language::Uk);
        assert!(err.message.starts_with("Телефон: "), "{}", err.message);
    }
}
