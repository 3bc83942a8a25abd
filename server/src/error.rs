//! One error type for the use-case layer, mapped once to GraphQL error codes.
//!
//! Use [`AppError`] for everything a client should learn about (bad input, missing rights, conflicts) and
//! `anyhow`/`sqlx` errors for the rest: those become [`AppError::Internal`], are logged with the request id and
//! reach the client only as "internal error" with that id.

use async_graphql::ErrorExtensions as _;

use crate::domain::ValidationError;

/// Deliberately not `Display`: async-graphql converts any `Display` type into an error with just its message,
/// which would drop the code and leak internal causes. The only way out is [`AppError::into_graphql`]
/// (used by the `From` impl in `graphql`).
#[derive(Debug)]
pub enum AppError {
    /// Input that breaks a rule; names the field.
    BadInput {
        field: String,
        message: String,
    },
    /// Several fields broke rules at once (a form shows them all).
    InvalidFields(Vec<ValidationError>),
    /// No valid login token.
    Unauthenticated(String),
    /// Logged in, but this role or this user may not do it.
    Forbidden(String),
    NotFound(String),
    /// The state of things does not allow it (duplicate, already done by someone else, wrong state).
    Conflict {
        message: String,
        field: Option<String>,
    },
    /// A business rule refuses it (e.g. an eligibility rule); `rule` is a stable code for clients.
    Rule {
        rule: &'static str,
        message: String,
    },
    /// Too many attempts; try again later.
    RateLimited {
        message: String,
        retry_after_secs: u64,
    },
    Internal(anyhow::Error),
}

pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    pub fn bad_input(field: impl Into<String>, message: impl Into<String>) -> Self {
        AppError::BadInput {
            field: field.into(),
            message: message.into(),
        }
    }

    pub fn conflict(message: impl Into<String>) -> Self {
        AppError::Conflict {
            message: message.into(),
            field: None,
        }
    }

    pub fn conflict_on(field: impl Into<String>, message: impl Into<String>) -> Self {
        AppError::Conflict {
            message: message.into(),
            field: Some(field.into()),
        }
    }

    pub fn forbidden() -> Self {
        AppError::Forbidden("you are not allowed to do this".into())
    }

    /// What the client is told (for internal errors, only that something failed).
    pub fn message(&self) -> String {
        match self {
            AppError::BadInput { field, message } => format!("{field}: {message}"),
            AppError::InvalidFields(errors) => errors.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "),
            AppError::Unauthenticated(m) | AppError::Forbidden(m) => m.clone(),
            AppError::NotFound(what) => format!("{what} not found"),
            AppError::Conflict { message, .. }
            | AppError::RateLimited { message, .. }
            | AppError::Rule { message, .. } => message.clone(),
            AppError::Internal(_) => "internal error".into(),
        }
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

    /// The GraphQL error a client sees. Internal causes are logged here and replaced by a generic message.
    pub fn into_graphql(self, request_id: &str) -> async_graphql::Error {
        let code = self.code();
        match self {
            AppError::Internal(cause) => {
                tracing::error!(request_id, error = ?cause, "internal error");
                async_graphql::Error::new(format!("internal error (request id {request_id})")).extend_with(|_, e| {
                    e.set("code", code);
                    e.set("requestId", request_id);
                })
            }
            AppError::BadInput { field, message } => async_graphql::Error::new(format!("{field}: {message}"))
                .extend_with(|_, e| {
                    e.set("code", code);
                    e.set("field", field.as_str());
                }),
            AppError::InvalidFields(ref errors) => {
                let message = self.message();
                async_graphql::Error::new(message).extend_with(|_, e| {
                    e.set("code", code);
                    e.set("field", errors[0].field.as_str());
                    let list: Vec<async_graphql::Value> = errors
                        .iter()
                        .map(|err| {
                            let mut item = async_graphql::indexmap::IndexMap::new();
                            item.insert(
                                async_graphql::Name::new("field"),
                                async_graphql::Value::from(err.field.as_str()),
                            );
                            item.insert(
                                async_graphql::Name::new("message"),
                                async_graphql::Value::from(err.message.as_str()),
                            );
                            async_graphql::Value::Object(item)
                        })
                        .collect();
                    e.set("fieldErrors", async_graphql::Value::List(list));
                })
            }
            AppError::Conflict { message, field } => async_graphql::Error::new(message).extend_with(|_, e| {
                e.set("code", code);
                if let Some(field) = &field {
                    e.set("field", field.as_str());
                }
            }),
            AppError::Rule { rule, message } => async_graphql::Error::new(message).extend_with(|_, e| {
                e.set("code", code);
                e.set("rule", rule);
            }),
            AppError::RateLimited {
                message,
                retry_after_secs,
            } => async_graphql::Error::new(message).extend_with(|_, e| {
                e.set("code", code);
                e.set("retryAfterSeconds", retry_after_secs);
            }),
            other => async_graphql::Error::new(other.message()).extend_with(|_, e| e.set("code", code)),
        }
    }
}

impl AppError {
    /// Several field errors at once: the first names `field`; all are listed under `fieldErrors`.
    pub fn from_validation_errors(mut errors: Vec<ValidationError>) -> Self {
        if errors.len() == 1 {
            return errors.remove(0).into();
        }
        AppError::InvalidFields(errors)
    }
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
                AppError::RateLimited {
                    message: "the service is busy; please try again in a moment".into(),
                    retry_after_secs: 1,
                }
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
        let err = AppError::Internal(anyhow::anyhow!("password column missing")).into_graphql("req-1");
        assert_eq!(err.message, "internal error (request id req-1)");
        let ext = serde_json::to_value(err.extensions.unwrap()).unwrap();
        assert_eq!(ext["code"], "INTERNAL");
    }

    #[test]
    fn bad_input_names_the_field() {
        let err = AppError::from(ValidationError::new("phone", "must be E.164")).into_graphql("r");
        let ext = serde_json::to_value(err.extensions.unwrap()).unwrap();
        assert_eq!(ext["code"], "BAD_USER_INPUT");
        assert_eq!(ext["field"], "phone");
        assert_eq!(err.message, "phone: must be E.164");
    }
}
