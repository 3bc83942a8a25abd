//! Coordinators give tasks: assign or offer (rules checked, or overridden with a reason), unassign.

use crate::auth::Actor;
use crate::domain::task::{TaskMove, TaskState};
use crate::domain::{eligibility, BoundedText};
use crate::error::{AppError, AppResult};
use crate::ids::{TaskId, UserId};
use crate::waves::TaskRecord;

use super::{give_back, record, refusal_error, Assignment, TaskEventRow};

impl Assignment {
    /// A coordinator gives a task to a shopper (taking it from whoever held it). The rules apply unless
    /// `override_reason` says why not; the overridden rule is recorded.
    pub async fn assign(
        &self,
        actor: &Actor,
        task_id: &TaskId,
        shopper_id: &UserId,
        reason: &str,
        override_reason: Option<&str>,
    ) -> AppResult<TaskRecord> {
        self.give(actor, task_id, shopper_id, reason, override_reason, None)
            .await
    }

    /// A coordinator offers a task to a shopper, who has `accept_within_hours` to accept it (then it is
    /// assigned) or decline it; an offer left unanswered frees the task.
    pub async fn offer(
        &self,
        actor: &Actor,
        task_id: &TaskId,
        shopper_id: &UserId,
        reason: &str,
        accept_within_hours: i64,
    ) -> AppResult<TaskRecord> {
        let hours = crate::domain::wave::bounded("acceptWithinHours", accept_within_hours, 1, 168)?;
        self.give(actor, task_id, shopper_id, reason, None, Some(hours)).await
    }

    /// Assignment (`offer_hours` None) or offer, under the same rules.
    async fn give(
        &self,
        actor: &Actor,
        task_id: &TaskId,
        shopper_id: &UserId,
        reason: &str,
        override_reason: Option<&str>,
        offer_hours: Option<i64>,
    ) -> AppResult<TaskRecord> {
        let (task_id, shopper_id) = (task_id.as_str(), shopper_id.as_str());
        let (mv, action) = if offer_hours.is_some() {
            (TaskMove::Offer, "OFFER")
        } else {
            (TaskMove::Assign, "ASSIGN")
        };
        let reason = BoundedText::parse("reason", reason, 3, 1_000)?.into_inner();
        let override_reason = override_reason
            .map(|r| BoundedText::parse("overrideReason", r, 10, 1_000).map(BoundedText::into_inner))
            .transpose()?;
        let now = self.db.now_ms();
        let mut tx = self.db.begin_write().await?;
        sqlx::query("UPDATE users SET updated_at = updated_at WHERE id = $1")
            .bind(shopper_id)
            .execute(&mut *tx)
            .await?;
        let ctx = self.task_context(&mut tx, task_id).await?;
        // Giving a shopper what they already hold (a retry) changes nothing; a claimed task assigned to its
        // claimer stays as it is.
        let already = match mv {
            TaskMove::Offer => ctx.state.is(TaskState::Offered),
            _ => matches!(ctx.state, TaskState::Claimed | TaskState::Assigned),
        };
        if ctx.shopper_id.as_deref() == Some(shopper_id) && already {
            drop(tx);
            return self.task(task_id).await;
        }
        if !mv.applies_to(ctx.state) {
            return Err(AppError::conflict(crate::msg!(
                "assign-task-state",
                state = ctx.state.as_str()
            )));
        }
        ctx.check_wave_open(self.db.clock().kyiv_today())?;
        let shopper = self.shopper_facts(&mut tx, shopper_id).await?;
        let overridden = match eligibility::check(&shopper, &ctx.facts(), self.limits(), now) {
            Ok(()) => None,
            Err(refusal) if override_reason.is_some() => Some(refusal.rule()),
            Err(refusal) => return Err(refusal_error(&refusal)),
        };
        if let Some(previous) = ctx.shopper_id.as_deref() {
            record(
                &mut tx,
                TaskEventRow {
                    task_id,
                    action: "UNASSIGN",
                    shopper_id: Some(previous),
                    actor_id: Some(&actor.user_id),
                    reason: Some(&reason),
                    ..TaskEventRow::default()
                },
            )
            .await?;
        }
        let deadline = match offer_hours {
            Some(hours) => (now + hours * 3_600_000).min(ctx.end_of_last_day()),
            None => self.deadline(&ctx, now),
        };
        sqlx::query(&format!(
            "UPDATE tasks SET state = $1, shopper_id = $2, held_since = $3, deadline_at = $4, updated_at = $3 \
             WHERE id = $5 AND state IN ({})",
            mv.from_sql()
        ))
        .bind(mv.to().as_str())
        .bind(shopper_id)
        .bind(now)
        .bind(deadline)
        .bind(task_id)
        .execute(&mut *tx)
        .await?;
        let why = match &override_reason {
            Some(o) if overridden.is_some() => format!("{reason} (override: {o})"),
            _ => reason.clone(),
        };
        self.commit_with_event(
            tx,
            TaskEventRow {
                task_id,
                action,
                shopper_id: Some(shopper_id),
                actor_id: Some(&actor.user_id),
                reason: Some(&why),
                overridden,
                ..TaskEventRow::default()
            },
        )
        .await
    }

    /// A coordinator takes a task back from its shopper.
    pub async fn unassign(&self, actor: &Actor, task_id: &TaskId, reason: &str) -> AppResult<TaskRecord> {
        let task_id = task_id.as_str();
        let reason = BoundedText::parse("reason", reason, 3, 1_000)?.into_inner();
        let mut tx = self.db.begin_write().await?;
        let ctx = self.task_context(&mut tx, task_id).await?;
        let Some(holder) = ctx
            .shopper_id
            .clone()
            .filter(|_| TaskMove::GiveBack.applies_to(ctx.state))
        else {
            return Err(AppError::conflict(crate::msg!("task-not-held")));
        };
        give_back(&mut tx, task_id, self.db.now_ms()).await?;
        self.commit_with_event(
            tx,
            TaskEventRow {
                task_id,
                action: "UNASSIGN",
                shopper_id: Some(&holder),
                actor_id: Some(&actor.user_id),
                reason: Some(&reason),
                ..TaskEventRow::default()
            },
        )
        .await
    }
}
