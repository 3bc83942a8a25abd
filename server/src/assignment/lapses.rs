//! Holds that ran out return to the job board, each once, with a mail to the shopper.

use crate::domain::task::{TaskMove, TaskState};
use crate::error::AppResult;
use crate::mail::{outbox, templates};

use super::{record, Assignment, TaskEventRow};

impl Assignment {
    /// Returns lapsed claims and assignments to the job board and tells their shoppers. Safe to run on every
    /// server at once: each task changes once.
    pub async fn expire_due(&self) -> AppResult<usize> {
        let now = self.db.now_ms();
        let due: Vec<String> = sqlx::query_scalar(&format!(
            "SELECT id FROM tasks WHERE state IN ({}) AND deadline_at < $1 ORDER BY deadline_at LIMIT 500",
            TaskMove::GiveBack.from_sql()
        ))
        .bind(now)
        .fetch_all(self.db.pool())
        .await?;
        let mut expired = 0;
        let offer_lapsed = crate::msg!("task-offer-lapsed").to_json();
        let hold_lapsed = crate::msg!("task-hold-lapsed").to_json();
        for task_id in due {
            let mut tx = self.db.begin_write().await?;
            let ctx = self.task_context(&mut tx, &task_id).await?;
            let Some(holder) = ctx.shopper_id.clone() else { continue };
            let mv = TaskMove::GiveBack;
            let done = sqlx::query(&format!(
                "UPDATE tasks SET state = '{}', shopper_id = NULL, held_since = NULL, deadline_at = NULL, updated_at = $1 \
                 WHERE id = $2 AND state IN ({}) AND deadline_at < $1",
                mv.to().as_str(),
                mv.from_sql()
            ))
            .bind(now)
            .bind(&task_id)
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() != 1 {
                continue;
            }
            if ctx.state.is(TaskState::Offered) {
                // An unanswered offer frees the task; it does not count against the shopper.
                record(
                    &mut tx,
                    TaskEventRow {
                        task_id: &task_id,
                        action: "OFFER_EXPIRED",
                        shopper_id: Some(&holder),
                        reason: Some(&offer_lapsed),
                        ..TaskEventRow::default()
                    },
                )
                .await?;
                tx.commit().await?;
                expired += 1;
                continue;
            }
            record(
                &mut tx,
                TaskEventRow {
                    task_id: &task_id,
                    action: "EXPIRE",
                    shopper_id: Some(&holder),
                    reason: Some(&hold_lapsed),
                    ..TaskEventRow::default()
                },
            )
            .await?;
            if let Some((email, language)) = crate::accounts::shopper_contact(&mut tx, &holder).await? {
                let mail = templates::claim_expired(language, &ctx.venue_name, &ctx.wave_name);
                outbox::enqueue(&mut tx, "claim_expired", &email, &mail.subject, &mail.body).await?;
            }
            tx.commit().await?;
            expired += 1;
        }
        if expired > 0 {
            self.mail_wake.notify_one();
            tracing::info!(expired, "lapsed task holds returned to the job board");
        }
        Ok(expired)
    }
}
