//! Review: approve (the ledger posts once), reject, return with comments; revoking an approval.

use crate::auth::Actor;
use crate::domain::visit::VisitMove;
use crate::domain::BoundedText;
use crate::error::{AppError, AppResult};

use super::{event, lock_visit, Decision, ReviewComment, VisitRecord, Visits};

impl Visits {
    /// A coordinator's decision on a submitted visit. Approving records the `APPROVE` event the payout ledger
    /// consumes, exactly once: a repeated identical decision returns the visit; a different one is a CONFLICT.
    pub async fn review(
        &self,
        actor: &Actor,
        visit_id: &str,
        decision: Decision,
        reason: Option<String>,
        comments: Vec<ReviewComment>,
    ) -> AppResult<VisitRecord> {
        let now = self.db.now_ms();
        let reason = match reason.as_deref().map(str::trim).filter(|r| !r.is_empty()) {
            Some(r) => Some(BoundedText::parse("reason", r, 3, 2_000)?.into_inner()),
            None => None,
        };
        if decision == Decision::Reject && reason.is_none() {
            return Err(AppError::bad_input("reason", crate::msg!("review-reject-reason")));
        }
        if decision == Decision::Return && reason.is_none() && comments.is_empty() {
            return Err(AppError::bad_input("comments", crate::msg!("review-return-what")));
        }
        let mut tx = self.db.begin_write().await?;
        lock_visit(&mut tx, visit_id).await?;
        let visit = self.load(&mut tx, visit_id).await?;
        let mv = decision.visit_move();
        if visit.state == mv.to() && decision != Decision::Return {
            return Ok(visit);
        }
        if !mv.applies_to(visit.state) {
            return Err(AppError::conflict(crate::msg!(
                "review-not-submitted",
                state = visit.state.as_str()
            )));
        }
        let definition = self.definition(&mut tx, &visit.checklist_version_id).await?;
        for (i, c) in comments.iter().enumerate() {
            if definition.question(&c.question_code).is_none() {
                return Err(AppError::bad_input(
                    format!("comments[{i}].questionCode"),
                    crate::msg!("question-unknown"),
                ));
            }
            BoundedText::parse(&format!("comments[{i}].comment"), &c.comment, 1, 2_000)?;
        }
        let done = sqlx::query(&format!(
            "UPDATE visits SET state = $1, decided_at = $2, updated_at = $2 WHERE id = $3 AND state IN ({})",
            mv.from_sql()
        ))
        .bind(mv.to().as_str())
        .bind(now)
        .bind(visit_id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            // A concurrent twin of this request (a double click, a retry) got there first: same answer.
            let now_state: Option<String> = sqlx::query_scalar("SELECT state FROM visits WHERE id = $1")
                .bind(visit_id)
                .fetch_optional(&mut *tx)
                .await?;
            if decision != Decision::Return && now_state.as_deref() == Some(mv.to().as_str()) {
                drop(tx);
                return self.load_pool(visit_id).await;
            }
            return Err(AppError::conflict(crate::msg!("review-decided-meanwhile")));
        }
        crate::assignment::move_task(&mut tx, &visit.task_id, mv.task_move(), now).await?;
        if decision == Decision::Approve {
            self.post_approval(&mut tx, &visit, &actor.user_id).await?;
            crate::quality::tally_visit(&mut tx, visit_id, 1).await?;
        }
        let comments = (!comments.is_empty())
            .then(|| serde_json::to_string(&comments))
            .transpose()
            .map_err(|e| AppError::Internal(e.into()))?;
        event(
            &mut tx,
            visit_id,
            decision.action(),
            &actor.user_id,
            reason.as_deref(),
            comments.as_deref(),
            now,
        )
        .await?;
        crate::audit::audit(
            &mut tx,
            Some(&actor.user_id),
            &format!("visit.{}", decision.action().to_lowercase()),
            Some(visit_id),
            reason.as_deref(),
        )
        .await?;
        let visit = self.load(&mut tx, visit_id).await?;
        tx.commit().await?;
        Ok(visit)
    }

    /// Posts what an approved visit earns (fee, bonus as offered, receipt up to the wave's cap), once: the
    /// source key is the visit's, and this runs in the approval's own transaction.
    async fn post_approval(&self, tx: &mut crate::db::Tx, visit: &VisitRecord, actor_id: &str) -> AppResult<()> {
        let (fee, bonus, cap, wave_id): (i64, i64, i64, String) = sqlx::query_as(
            "SELECT t.fee_kopiykas, t.bonus_kopiykas, w.reimbursement_cap_kopiykas, w.id FROM tasks t \
             JOIN waves w ON w.id = t.wave_id WHERE t.id = $1",
        )
        .bind(&visit.task_id)
        .fetch_one(&mut **tx)
        .await?;
        let receipts: i64 = sqlx::query_scalar(
            "SELECT CAST(COALESCE(SUM(receipt_kopiykas), 0) AS BIGINT) FROM photos WHERE visit_id = $1 AND kind = 'RECEIPT'",
        )
        .bind(&visit.id)
        .fetch_one(&mut **tx)
        .await?;
        let earnings = crate::domain::ledger::VisitEarnings {
            fee,
            bonus,
            receipts,
            reimbursement_cap: cap,
        };
        let posting = crate::domain::ledger::visit_approval(
            &visit.id,
            (&visit.venue_name, &visit.wave_name),
            &visit.shopper_id,
            earnings,
            &self.currency,
        )
        .map_err(|e| AppError::Internal(e.into()))?;
        if let Some(posting) = posting {
            crate::ledger::post(
                tx,
                &posting,
                crate::ledger::Refs {
                    shopper_id: Some(&visit.shopper_id),
                    visit_id: Some(&visit.id),
                    wave_id: Some(&wave_id),
                    actor_id: Some(actor_id),
                    ..Default::default()
                },
            )
            .await?;
        }
        Ok(())
    }

    /// Revokes an approval (e.g. fraud found later): the visit becomes rejected and its earnings are clawed
    /// back by a reversing transaction, once. Already paid money then shows as a negative balance that later
    /// earnings make up.
    pub async fn revoke_approval(&self, actor: &Actor, visit_id: &str, reason: &str) -> AppResult<VisitRecord> {
        let reason = BoundedText::parse("reason", reason, 3, 2_000)?.into_inner();
        let now = self.db.now_ms();
        let mut tx = self.db.begin_write().await?;
        lock_visit(&mut tx, visit_id).await?;
        let visit = self.load(&mut tx, visit_id).await?;
        let revoked: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM visit_events WHERE visit_id = $1 AND action = 'REVOKE'")
                .bind(visit_id)
                .fetch_one(&mut *tx)
                .await?;
        if revoked > 0 {
            return Ok(visit);
        }
        let mv = VisitMove::Revoke;
        if !mv.applies_to(visit.state) {
            return Err(AppError::conflict(crate::msg!("review-revoke-not-approved")));
        }
        let done = sqlx::query(&format!(
            "UPDATE visits SET state = '{}', decided_at = $1, updated_at = $1 WHERE id = $2 AND state IN ({})",
            mv.to().as_str(),
            mv.from_sql()
        ))
        .bind(now)
        .bind(visit_id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(AppError::conflict(crate::msg!("review-decided-meanwhile")));
        }
        crate::assignment::move_task(&mut tx, &visit.task_id, mv.task_move(), now).await?;
        crate::ledger::reverse(
            &mut tx,
            &crate::domain::ledger::approval_key(visit_id),
            &crate::domain::ledger::revocation_key(visit_id),
            crate::domain::ledger::Kind::ApprovalRevoked,
            &crate::msg!("memo-approval-revoked", visit = visit_id, reason = reason.as_str()).to_json(),
            crate::ledger::Refs {
                shopper_id: Some(&visit.shopper_id),
                visit_id: Some(visit_id),
                actor_id: Some(&actor.user_id),
                ..Default::default()
            },
        )
        .await?;
        crate::quality::tally_visit(&mut tx, visit_id, -1).await?;
        event(&mut tx, visit_id, "REVOKE", &actor.user_id, Some(&reason), None, now).await?;
        crate::audit::audit(
            &mut tx,
            Some(&actor.user_id),
            "visit.revoke",
            Some(visit_id),
            Some(&reason),
        )
        .await?;
        let visit = self.load(&mut tx, visit_id).await?;
        tx.commit().await?;
        Ok(visit)
    }
}
