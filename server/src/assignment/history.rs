//! A task's history and a shopper's reliability.

use crate::error::AppResult;

use super::{Assignment, Reliability, TaskEvent};

impl Assignment {
    pub async fn history(&self, task_id: &str) -> AppResult<Vec<TaskEvent>> {
        Ok(sqlx::query_as(
            "SELECT id, task_id, action, shopper_id, actor_id, reason, overridden, late, at FROM task_events \
             WHERE task_id = $1 ORDER BY at, id",
        )
        .bind(task_id)
        .fetch_all(self.db.pool())
        .await?)
    }

    pub async fn reliability(&self, shopper_id: &str) -> AppResult<Reliability> {
        let (taken, late, expired): (Option<i64>, Option<i64>, Option<i64>) = sqlx::query_as(
            "SELECT SUM(CASE WHEN action IN ('CLAIM', 'ASSIGN', 'ACCEPT') THEN 1 ELSE 0 END), \
                    SUM(CASE WHEN action = 'RELEASE' AND late = 1 THEN 1 ELSE 0 END), \
                    SUM(CASE WHEN action = 'EXPIRE' THEN 1 ELSE 0 END) \
             FROM task_events WHERE shopper_id = $1 AND action IN ('CLAIM', 'ASSIGN', 'ACCEPT', 'RELEASE', 'EXPIRE')",
        )
        .bind(shopper_id)
        .fetch_one(self.db.pool())
        .await?;
        Ok(Reliability {
            taken: taken.unwrap_or(0),
            late_releases: late.unwrap_or(0),
            expired: expired.unwrap_or(0),
        })
    }

    // ---- declared conflicts ----
}
