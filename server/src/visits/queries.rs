//! What reviewers and shoppers read: flags, history, a shopper's visits, the review queue.

use super::*;

impl Visits {
    pub async fn flags(&self, visit_id: &str) -> AppResult<Vec<FlagRecord>> {
        let mut flags: Vec<FlagRecord> = sqlx::query_as(
            "SELECT code, severity, message, other_visit_id FROM visit_flags WHERE visit_id = $1 ORDER BY code, message",
        )
        .bind(visit_id)
        .fetch_all(self.db.pool())
        .await?;
        let rank = |s: &str| match s {
            "CRITICAL" => 0,
            "WARNING" => 1,
            _ => 2,
        };
        flags.sort_by_key(|f| rank(&f.severity));
        Ok(flags)
    }

    pub async fn events(&self, visit_id: &str) -> AppResult<Vec<VisitEvent>> {
        Ok(sqlx::query_as(
            "SELECT action, actor_id, reason, comments, at FROM visit_events WHERE visit_id = $1 ORDER BY at, id",
        )
        .bind(visit_id)
        .fetch_all(self.db.pool())
        .await?)
    }

    /// The shopper's own visits, newest first.
    pub async fn my_visits(&self, actor: &Actor, limit: usize, offset: usize) -> AppResult<Page<VisitRecord>> {
        self.by_shopper(&actor.user_id, limit, offset).await
    }

    /// A shopper's visits, newest first (their own list, and reviewers' view of a shopper).
    pub async fn by_shopper(&self, shopper_id: &str, limit: usize, offset: usize) -> AppResult<Page<VisitRecord>> {
        let rows: Vec<VisitRecord> = sqlx::query_as(&format!(
            "{VISIT_SELECT} WHERE v.shopper_id = $1 ORDER BY v.created_at DESC, v.id DESC LIMIT $2 OFFSET $3"
        ))
        .bind(shopper_id)
        .bind((limit + 1) as i64)
        .bind(offset as i64)
        .fetch_all(self.db.pool())
        .await?;
        let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM visits WHERE shopper_id = $1")
            .bind(shopper_id)
            .fetch_one(self.db.pool())
            .await?;
        Ok(Page::from_rows(rows, limit, total))
    }

    /// Visits waiting for review (or in another state), oldest submission first.
    pub async fn queue(&self, filter: &QueueFilter, limit: usize, offset: usize) -> AppResult<Page<VisitRecord>> {
        let min_age = filter.min_age_hours.unwrap_or(0).max(0);
        let cutoff = self.db.now_ms() - min_age * 3_600_000;
        let conditions = "v.state = $1 AND ($2 = '' OR t.wave_id = $2) AND ($3 = '' OR ve.oblast = $3) \
             AND ($4 = '' OR EXISTS (SELECT 1 FROM visit_flags f WHERE f.visit_id = v.id AND f.code = $4)) \
             AND COALESCE(v.submitted_at, v.created_at) <= $5";
        let state = filter.state.clone().unwrap_or_else(|| "SUBMITTED".into());
        let text = |o: &Option<String>| o.clone().unwrap_or_default();
        let rows: Vec<VisitRecord> = sqlx::query_as(&format!(
            "{VISIT_SELECT} WHERE {conditions} ORDER BY COALESCE(v.submitted_at, v.created_at), v.id LIMIT $6 OFFSET $7"
        ))
        .bind(&state)
        .bind(text(&filter.wave_id))
        .bind(text(&filter.oblast))
        .bind(text(&filter.flag))
        .bind(cutoff)
        .bind((limit + 1) as i64)
        .bind(offset as i64)
        .fetch_all(self.db.pool())
        .await?;
        let total: i64 = sqlx::query_scalar(&format!(
            "SELECT COUNT(*) FROM visits v JOIN tasks t ON t.id = v.task_id JOIN venues ve ON ve.id = t.venue_id \
             WHERE {conditions}"
        ))
        .bind(&state)
        .bind(text(&filter.wave_id))
        .bind(text(&filter.oblast))
        .bind(text(&filter.flag))
        .bind(cutoff)
        .fetch_one(self.db.pool())
        .await?;
        Ok(Page::from_rows(rows, limit, total))
    }
}

impl Visits {
    /// A wave's approved visits in id order (the results page's list; the caller has checked the wave is the
    /// actor's to read).
    pub async fn approved_in_wave(
        &self,
        wave_id: &str,
        after: Option<&str>,
        limit: usize,
    ) -> AppResult<Page<VisitRecord>> {
        let rows: Vec<VisitRecord> = sqlx::query_as(&format!(
            "{VISIT_SELECT} WHERE t.wave_id = $1 AND v.state = 'APPROVED' AND ($2 IS NULL OR v.id > $2) \
             ORDER BY v.id LIMIT $3"
        ))
        .bind(wave_id)
        .bind(after)
        .bind((limit + 1) as i64)
        .fetch_all(self.db.pool())
        .await?;
        let total: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM visits v JOIN tasks t ON t.id = v.task_id WHERE t.wave_id = $1 AND v.state = 'APPROVED'",
        )
        .bind(wave_id)
        .fetch_one(self.db.pool())
        .await?;
        Ok(Page::from_rows(rows, limit, total))
    }
}
