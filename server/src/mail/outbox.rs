//! The transactional outbox for email and its delivery worker.
//!
//! Delivery is at-least-once: a row is claimed with a lease (`locked_until`), so several application servers can
//! run workers against one database without sending a message twice; a message is marked sent right after the
//! SMTP server accepts it. Only a crash between those two steps can repeat a message (the `Message-ID` header is
//! the outbox id, so receivers can drop such a repeat).

use std::sync::Arc;
use std::time::Duration;

use sqlx::Row as _;
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;

use super::{Mailer, OutgoingEmail};
use crate::db::{new_id, Db, Tx};

/// Writes a message to the outbox inside the caller's transaction. Wake the worker after commit.
pub async fn enqueue(tx: &mut Tx, kind: &str, to: &str, subject: &str, body: &str) -> Result<String, sqlx::Error> {
    let id = new_id();
    let now = tx.now_ms();
    sqlx::query(
        "INSERT INTO outbox_emails (id, kind, to_address, subject, body_text, created_at, attempts, next_attempt_at) \
         VALUES ($1, $2, $3, $4, $5, $6, 0, $6)",
    )
    .bind(&id)
    .bind(kind)
    .bind(to)
    .bind(subject)
    .bind(body)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(id)
}

/// Retry schedule: `base · 2^(attempts−1)`, capped.
pub fn backoff(attempts: i64, base_ms: u64, max_ms: u64) -> u64 {
    let exponent = attempts.clamp(1, 30) as u32 - 1;
    base_ms.saturating_mul(1u64 << exponent).min(max_ms)
}

/// Delivers due messages until cancelled.
pub struct Worker {
    pub db: Db,
    pub mailer: Mailer,
    pub wake: Arc<Notify>,
    pub poll_interval: Duration,
    pub retry_base_ms: u64,
    pub retry_max_ms: u64,
    pub lease_ms: i64,
}

impl Worker {
    pub async fn run(self, cancel: CancellationToken) {
        tracing::info!(transport = %self.mailer.describe(), "mail outbox worker started");
        loop {
            match self.deliver_due().await {
                Ok(n) if n > 0 => continue,
                Ok(_) => {}
                Err(err) => {
                    tracing::error!(error = ?err, "mail outbox: claiming due messages failed")
                }
            }
            tokio::select! {
                _ = cancel.cancelled() => break,
                _ = self.wake.notified() => {}
                _ = tokio::time::sleep(self.next_wait().await) => {}
            }
        }
        tracing::info!("mail outbox worker stopped");
    }

    /// How long until the next retry is due (or the poll interval, whichever comes first).
    async fn next_wait(&self) -> Duration {
        let next: Option<i64> =
            sqlx::query_scalar("SELECT MIN(next_attempt_at) FROM outbox_emails WHERE sent_at IS NULL")
                .fetch_one(self.db.pool())
                .await
                .ok()
                .flatten();
        match next {
            Some(at) => {
                let wait = (at - self.db.now_ms()).clamp(10, self.poll_interval.as_millis() as i64);
                Duration::from_millis(wait as u64)
            }
            None => self.poll_interval,
        }
    }

    /// Claims and sends one batch; returns how many were attempted.
    pub async fn deliver_due(&self) -> anyhow::Result<usize> {
        let now = self.db.now_ms();
        let rows = sqlx::query(
            "UPDATE outbox_emails SET locked_until = $1, attempts = attempts + 1 \
             WHERE id IN (SELECT id FROM outbox_emails WHERE sent_at IS NULL AND next_attempt_at <= $2 \
                          AND (locked_until IS NULL OR locked_until < $2) ORDER BY next_attempt_at LIMIT 20) \
               AND sent_at IS NULL AND (locked_until IS NULL OR locked_until < $2) \
             RETURNING id, to_address, subject, body_text, attempts",
        )
        .bind(now + self.lease_ms)
        .bind(now)
        .fetch_all(self.db.pool())
        .await?;
        for row in &rows {
            let email = OutgoingEmail {
                id: row.try_get("id")?,
                to: row.try_get("to_address")?,
                subject: row.try_get("subject")?,
                body_text: row.try_get("body_text")?,
            };
            let attempts: i64 = row.try_get("attempts")?;
            match self.mailer.send(&email).await {
                Ok(destination) => {
                    sqlx::query(
                        "UPDATE outbox_emails SET sent_at = $1, locked_until = NULL, last_error = NULL WHERE id = $2",
                    )
                    .bind(self.db.now_ms())
                    .bind(&email.id)
                    .execute(self.db.pool())
                    .await?;
                    tracing::info!(email_id = %email.id, to = %email.to, %destination, attempts, "mail delivered");
                }
                Err(err) => {
                    let delay = backoff(attempts, self.retry_base_ms, self.retry_max_ms);
                    sqlx::query(
                        "UPDATE outbox_emails SET next_attempt_at = $1, locked_until = NULL, last_error = $2 WHERE id = $3",
                    )
                    .bind(self.db.now_ms() + delay as i64)
                    .bind(format!("{err:#}"))
                    .bind(&email.id)
                    .execute(self.db.pool())
                    .await?;
                    tracing::warn!(email_id = %email.id, attempts, retry_in_ms = delay, error = %format!("{err:#}"), "mail delivery failed; will retry");
                }
            }
        }
        Ok(rows.len())
    }
}

#[cfg(test)]
mod tests {
    use super::backoff;

    #[test]
    fn backoff_doubles_and_is_capped() {
        assert_eq!(backoff(1, 1000, 60_000), 1000);
        assert_eq!(backoff(2, 1000, 60_000), 2000);
        assert_eq!(backoff(5, 1000, 60_000), 16_000);
        assert_eq!(backoff(10, 1000, 60_000), 60_000);
        assert_eq!(backoff(1000, 1000, 60_000), 60_000);
    }
}
