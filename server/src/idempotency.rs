//! Idempotency keys for mutations a phone may resend: the first request's result is remembered (in the same
//! transaction as the change), a resend with the same key and the same input gets it back, and the same key with
//! different input is a `CONFLICT`.

use sha2::{Digest as _, Sha256};

use crate::db::{Db, Tx};
use crate::error::{AppError, AppResult};

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
            crate::msg!("idempotency-key-other-request"),
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
    .bind(tx.now_ms())
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
                crate::msg!("idempotency-key-format"),
            ));
        }
    }
    Ok(())
}
