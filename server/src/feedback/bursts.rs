//! Bursts against a center, for staff: stretches of time in which one center got far more responses than it
//! usually does (`domain::feedback::bursts`: 10-minute windows with five times its usual pace, at least 5). Each
//! response in a burst already carries the reason in its risk; this is the same seen per center, newest first.

use sqlx::FromRow;

use crate::auth::{Actor, Permission};
use crate::domain::feedback::{bursts, BURST_BUCKET_MS};
use crate::error::{AppError, AppResult};

use super::Feedback;

/// One burst as staff see it.
#[derive(Debug, Clone)]
pub struct BurstRecord {
    pub venue_id: String,
    pub venue_name: String,
    /// Start of the first and end of the last 5-minute bucket, ms.
    pub from_ms: i64,
    pub to_ms: i64,
    pub responses: i64,
    /// Responses in it kept out of the index (risk 50 or more).
    pub suspicious: i64,
    /// The center's usual responses per 10 minutes (its mean over the 30 days before now).
    pub usual_per_10_minutes: f64,
}

#[derive(FromRow)]
struct BucketRow {
    venue_id: String,
    venue_name: String,
    bucket: i64,
    n: i64,
}

/// The longest look back, hours (30 days).
pub const MAX_BURST_HOURS: i64 = 720;

impl Feedback {
    /// Bursts of the last `hours` (1 to 720), newest first.
    pub async fn bursts(&self, actor: &Actor, hours: i64) -> AppResult<Vec<BurstRecord>> {
        if !actor.can(Permission::ModerateFeedback) {
            return Err(AppError::forbidden());
        }
        if !(1..=MAX_BURST_HOURS).contains(&hours) {
            return Err(crate::domain::ValidationError::new("hours", crate::msg!("whole-number-1-720")).into());
        }
        let now = self.db.now_ms();
        // One bucket earlier, so a window straddling the start is whole.
        let since = (now - hours * 3_600_000) / BURST_BUCKET_MS * BURST_BUCKET_MS - BURST_BUCKET_MS;
        let rows: Vec<BucketRow> = sqlx::query_as(&format!(
            "SELECT r.venue_id, v.name AS venue_name, r.created_at / {BURST_BUCKET_MS} AS bucket, COUNT(*) AS n \
             FROM feedback_responses r JOIN venues v ON v.id = r.venue_id WHERE r.created_at >= $1 \
             GROUP BY r.venue_id, v.name, r.created_at / {BURST_BUCKET_MS} ORDER BY r.venue_id, bucket"
        ))
        .bind(since)
        .fetch_all(self.db.pool())
        .await?;
        let mut found = Vec::new();
        for venue in rows.chunk_by(|a, b| a.venue_id == b.venue_id) {
            let buckets: Vec<(i64, i64)> = venue.iter().map(|r| (r.bucket, r.n)).collect();
            // The floor is at least 5 whatever the usual pace, so a center with no burst at a pace of 0 has none:
            // its usual pace is asked only for centers that might.
            if bursts(&buckets, 0.0).is_empty() {
                continue;
            }
            let month: i64 =
                sqlx::query_scalar("SELECT COUNT(*) FROM feedback_responses WHERE venue_id = $1 AND created_at >= $2")
                    .bind(&venue[0].venue_id)
                    .bind(now - 30 * 86_400_000)
                    .fetch_one(self.db.pool())
                    .await?;
            let usual = month as f64 / (30.0 * 144.0);
            for burst in bursts(&buckets, usual) {
                let (from_ms, to_ms) = (
                    burst.first_bucket * BURST_BUCKET_MS,
                    (burst.last_bucket + 1) * BURST_BUCKET_MS,
                );
                let suspicious: i64 = sqlx::query_scalar(
                    "SELECT COUNT(*) FROM feedback_responses \
                     WHERE venue_id = $1 AND created_at >= $2 AND created_at < $3 AND counted = 0",
                )
                .bind(&venue[0].venue_id)
                .bind(from_ms)
                .bind(to_ms)
                .fetch_one(self.db.pool())
                .await?;
                found.push(BurstRecord {
                    venue_id: venue[0].venue_id.clone(),
                    venue_name: venue[0].venue_name.clone(),
                    from_ms,
                    to_ms,
                    responses: burst.responses,
                    suspicious,
                    usual_per_10_minutes: usual,
                });
            }
        }
        found.sort_by(|a, b| b.from_ms.cmp(&a.from_ms).then_with(|| a.venue_id.cmp(&b.venue_id)));
        Ok(found)
    }
}
