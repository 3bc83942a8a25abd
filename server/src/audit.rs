//! The audit log: who did what to whom, written in the caller's transaction so it exists exactly when the change
//! does.

use crate::db::{new_id, Tx};

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
        .bind(tx.now_ms())
        .execute(&mut **tx)
        .await?;
    Ok(())
}
