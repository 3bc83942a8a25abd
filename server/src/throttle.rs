//! Counting events against a limit in a sliding window, in the database (so every server behind the load
//! balancer counts together), exactly under parallel requests: the count and the new event are one write
//! transaction that first locks the subject's row (`rate_subjects`; on SQLite the write transaction itself is
//! the lock), so of any number of simultaneous requests exactly `limit` are admitted per window.

use crate::db::{new_id, Db};
use crate::error::{AppError, AppResult};

/// Admits one event of `bucket` for `subject` when fewer than `limit` were admitted within `window_ms`, and
/// records it; otherwise `RATE_LIMITED`, with the seconds until the oldest counted event leaves the window.
/// Refused attempts are not recorded, so waiting it out is always enough.
pub async fn admit(db: &Db, bucket: &str, subject: &str, limit: u32, window_ms: i64, what: &str) -> AppResult<()> {
    let now = db.now_ms();
    let since = now - window_ms;
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "INSERT INTO rate_subjects (bucket, subject, touched_at) VALUES ($1, $2, $3) \
         ON CONFLICT (bucket, subject) DO UPDATE SET touched_at = excluded.touched_at",
    )
    .bind(bucket)
    .bind(subject)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    sqlx::query("DELETE FROM rate_events WHERE bucket = $1 AND subject = $2 AND at <= $3")
        .bind(bucket)
        .bind(subject)
        .bind(since)
        .execute(&mut *tx)
        .await?;
    let (count, oldest): (i64, Option<i64>) =
        sqlx::query_as("SELECT COUNT(*), MIN(at) FROM rate_events WHERE bucket = $1 AND subject = $2")
            .bind(bucket)
            .bind(subject)
            .fetch_one(&mut *tx)
            .await?;
    if count >= i64::from(limit) {
        drop(tx);
        let retry_after_ms = oldest.unwrap_or(now) + window_ms - now;
        let retry_after_secs = (retry_after_ms.max(1_000) as u64).div_ceil(1_000);
        return Err(AppError::RateLimited {
            message: crate::msg!(
                "too-many-from-network",
                what = what,
                minutes = retry_after_secs.div_ceil(60)
            ),
            retry_after_secs,
        });
    }
    sqlx::query("INSERT INTO rate_events (id, bucket, subject, at) VALUES ($1, $2, $3, $4)")
        .bind(new_id())
        .bind(bucket)
        .bind(subject)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}
