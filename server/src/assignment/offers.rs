//! The shopper answers an offer: accept (assigned to them) or decline (back on the job board).

use crate::auth::Actor;
use crate::domain::task::{TaskMove, TaskState};
use crate::domain::BoundedText;
use crate::error::{AppError, AppResult};
use crate::ids::TaskId;
use crate::waves::TaskRecord;

use super::{give_back, Assignment, TaskEventRow};

impl Assignment {
    /// The shopper accepts an offer: the task becomes assigned to them. Accepting twice is harmless.
    pub async fn accept_offer(&self, actor: &Actor, task_id: &TaskId) -> AppResult<TaskRecord> {
        let task_id = task_id.as_str();
        let now = self.db.now_ms();
        let mut tx = self.db.begin_write().await?;
        let ctx = self.task_context(&mut tx, task_id).await?;
        let mine = ctx.shopper_id.as_deref() == Some(actor.user_id.as_str());
        if mine && ctx.state.is(TaskState::Assigned) {
            drop(tx);
            return self.task(task_id).await;
        }
        if !mine || !TaskMove::AcceptOffer.applies_to(ctx.state) {
            return Err(AppError::conflict(crate::msg!("offer-not-yours")));
        }
        if ctx.deadline_at.is_some_and(|d| d < now) {
            return Err(AppError::conflict(crate::msg!("offer-lapsed")));
        }
        ctx.check_wave_open(self.db.clock().kyiv_today())?;
        let mv = TaskMove::AcceptOffer;
        sqlx::query(&format!(
            "UPDATE tasks SET state = '{}', held_since = $1, deadline_at = $2, updated_at = $1 WHERE id = $3 AND state IN ({})",
            mv.to().as_str(),
            mv.from_sql()
        ))
        .bind(now)
        .bind(self.deadline(&ctx, now))
        .bind(task_id)
        .execute(&mut *tx)
        .await?;
        self.commit_with_event(
            tx,
            TaskEventRow {
                task_id,
                action: "ACCEPT",
                shopper_id: Some(&actor.user_id),
                actor_id: Some(&actor.user_id),
                ..TaskEventRow::default()
            },
        )
        .await
    }

    /// The shopper declines an offer; the task returns to the job board. Declining twice is harmless.
    pub async fn decline_offer(&self, actor: &Actor, task_id: &TaskId, reason: &str) -> AppResult<TaskRecord> {
        let task_id = task_id.as_str();
        let reason = BoundedText::parse("reason", reason, 3, 1_000)?.into_inner();
        let mut tx = self.db.begin_write().await?;
        let ctx = self.task_context(&mut tx, task_id).await?;
        if ctx.shopper_id.as_deref() != Some(actor.user_id.as_str()) || !ctx.state.is(TaskState::Offered) {
            if ctx.state.is(TaskState::Open) {
                drop(tx);
                return self.task(task_id).await;
            }
            return Err(AppError::conflict(crate::msg!("offer-not-yours")));
        }
        give_back(&mut tx, task_id, self.db.now_ms()).await?;
        self.commit_with_event(
            tx,
            TaskEventRow {
                task_id,
                action: "DECLINE",
                shopper_id: Some(&actor.user_id),
                actor_id: Some(&actor.user_id),
                reason: Some(&reason),
                ..TaskEventRow::default()
            },
        )
        .await
    }
}
