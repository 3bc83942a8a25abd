//! Account use cases: shopper sign-up, email verification, login and sessions, password reset, profiles,
//! staff accounts and suspension. This is the only code that writes account data; GraphQL resolvers, the
//! pages behind email links and the CLI all call it.

mod records;
mod sessions;
mod shoppers;
mod staff;
mod tokens;

use std::sync::Arc;

use sha2::{Digest as _, Sha256};
use tokio::sync::Notify;

pub use crate::db::Page;
pub use records::{ShopperRecord, UserRecord};
pub use sessions::{ClientInfo, LoginResult};
pub use shoppers::{ProfileChanges, SignUp};
pub use tokens::Verified;

use crate::auth::password::Hasher;
use crate::config::Settings;
use crate::db::{new_id, now_ms, Db, Tx};
use crate::error::{AppError, AppResult};

/// The account service: a database handle, the settings, and a way to wake the mail worker.
#[derive(Clone)]
pub struct Accounts {
    pub(crate) db: Db,
    pub(crate) settings: Arc<Settings>,
    mail_wake: Arc<Notify>,
    pub(crate) hasher: Hasher,
}

impl Accounts {
    pub fn new(db: Db, settings: Arc<Settings>, mail_wake: Arc<Notify>) -> Self {
        let hasher = Hasher::new(
            settings.auth.hash_concurrency,
            std::time::Duration::from_millis(settings.auth.hash_wait_ms),
        );
        Self {
            db,
            settings,
            mail_wake,
            hasher,
        }
    }

    /// The password hashing queue (for metrics).
    pub fn hasher(&self) -> &Hasher {
        &self.hasher
    }

    pub fn db(&self) -> &Db {
        &self.db
    }

    /// Tell the outbox worker that mail is waiting (call after the transaction that enqueued it commits).
    fn wake_mailer(&self) {
        self.mail_wake.notify_one();
    }
}

/// Records who did what to whom, in the caller's transaction.
pub async fn audit(
    tx: &mut Tx,
    actor_id: Option<&str>,
    action: &str,
    subject_id: Option<&str>,
    detail: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO audit_log (id, actor_id, action, subject_id, detail, at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(new_id())
        .bind(actor_id)
        .bind(action)
        .bind(subject_id)
        .bind(detail)
        .bind(now_ms())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// A stable fingerprint of a request, for idempotency keys.
pub(crate) fn fingerprint(parts: &[&str]) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update((part.len() as u64).to_le_bytes());
        hasher.update(part.as_bytes());
    }
    hasher.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Idempotency: what an earlier request with this key produced, if any. A key reused for a different request
/// is a conflict.
pub(crate) async fn replayed(db: &Db, scope: &str, key: Option<&str>, request_hash: &str) -> AppResult<Option<String>> {
    let Some(key) = key else { return Ok(None) };
    let row: Option<(String, String)> =
        sqlx::query_as("SELECT request_hash, result_id FROM idempotency_keys WHERE scope = $1 AND key = $2")
            .bind(scope)
            .bind(key)
            .fetch_optional(db.pool())
            .await?;
    match row {
        None => Ok(None),
        Some((hash, result)) if hash == request_hash => Ok(Some(result)),
        Some(_) => Err(AppError::conflict_on(
            "idempotencyKey",
            "this idempotency key was already used for a different request",
        )),
    }
}

pub(crate) async fn remember(
    tx: &mut Tx,
    scope: &str,
    key: Option<&str>,
    request_hash: &str,
    result_id: &str,
) -> Result<(), sqlx::Error> {
    let Some(key) = key else { return Ok(()) };
    sqlx::query(
        "INSERT INTO idempotency_keys (scope, key, request_hash, result_id, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(scope)
    .bind(key)
    .bind(request_hash)
    .bind(result_id)
    .bind(now_ms())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Checks an idempotency key's shape.
pub(crate) fn check_idempotency_key(key: Option<&str>) -> AppResult<()> {
    if let Some(key) = key {
        if key.is_empty() || key.len() > 100 || !key.chars().all(|c| c.is_ascii_graphic()) {
            return Err(AppError::bad_input(
                "idempotencyKey",
                "must be 1 to 100 printable ASCII characters",
            ));
        }
    }
    Ok(())
}
