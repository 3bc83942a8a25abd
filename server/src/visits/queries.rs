//! What reviewers and shoppers read: flags, history, a shopper's visits, the review queue.

use crate::auth::Actor;
use crate::db::Page;
use crate::db::{Listing, Paging};
use crate::error::AppResult;

use super::{FlagRecord, QueueFilter, VisitEvent, VisitRecord, Visits, VISIT_COLUMNS, VISIT_FROM};

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

    /// The shopper's own visit on a task (the latest, if a task ever had more), whatever its state: what a phone
    /// rebuilds its screen from after a refusal, or when the visit continues on another phone.
    pub async fn my_visit_of_task(&self, actor: &Actor, task_id: &str) -> AppResult<Option<VisitRecord>> {
        Ok(sqlx::query_as(&format!(
            "SELECT {VISIT_COLUMNS} FROM {VISIT_FROM} WHERE v.shopper_id = $1 AND v.task_id = $2 \
             ORDER BY v.created_at DESC, v.id DESC LIMIT 1"
        ))
        .bind(&actor.user_id)
        .bind(task_id)
        .fetch_optional(self.db.pool())
        .await?)
    }

    /// A shopper's visits, newest first (their own list, and reviewers' view of a shopper).
    pub async fn by_shopper(&self, shopper_id: &str, limit: usize, offset: usize) -> AppResult<Page<VisitRecord>> {
        let listing = Listing {
            select: VISIT_COLUMNS,
            from: VISIT_FROM,
            filter: "v.shopper_id = $1",
            args: vec![shopper_id.into()],
        };
        let newest_first = Paging::Offset {
            order: "v.created_at DESC, v.id DESC",
            skip: offset,
        };
        self.db.page::<VisitRecord, _>(listing, newest_first, limit).await
    }

    /// Visits waiting for review (or in another state), oldest submission first.
    pub async fn queue(&self, filter: &QueueFilter, limit: usize, offset: usize) -> AppResult<Page<VisitRecord>> {
        let min_age = filter.min_age_hours.unwrap_or(0).max(0);
        let cutoff = self.db.now_ms() - min_age * 3_600_000;
        let text = |o: &Option<String>| o.clone().unwrap_or_default();
        let listing = Listing {
            select: VISIT_COLUMNS,
            from: VISIT_FROM,
            filter: "v.state = $1 AND ($2 = '' OR t.wave_id = $2) AND ($3 = '' OR ve.oblast = $3) \
                AND ($4 = '' OR EXISTS (SELECT 1 FROM visit_flags f WHERE f.visit_id = v.id AND f.code = $4)) \
                AND COALESCE(v.submitted_at, v.created_at) <= $5",
            args: vec![
                filter.state.clone().unwrap_or_else(|| "SUBMITTED".into()).into(),
                text(&filter.wave_id).into(),
                text(&filter.oblast).into(),
                text(&filter.flag).into(),
                cutoff.into(),
            ],
        };
        let oldest_first = Paging::Offset {
            order: "COALESCE(v.submitted_at, v.created_at), v.id",
            skip: offset,
        };
        self.db.page::<VisitRecord, _>(listing, oldest_first, limit).await
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
        let listing = Listing {
            select: VISIT_COLUMNS,
            from: VISIT_FROM,
            filter: "t.wave_id = $1 AND v.state = 'APPROVED'",
            args: vec![wave_id.into()],
        };
        let in_order = Paging::After {
            column: "v.id",
            after: after.into(),
            descending: false,
        };
        self.db.page::<VisitRecord, _>(listing, in_order, limit).await
    }
}
