//! A period's payout batch: made from what shoppers are owed (skipped shoppers with reasons), approved by a
//! second person (four eyes) and posted to the ledger, or cancelled while a draft.

use crate::audit::audit;
use crate::auth::Actor;
use crate::db::{is_unique_violation, new_id, Tx};
use crate::domain::{ledger, plan_batch, BatchMove, BatchPlan, BatchState, BoundedText, LineMove, LineState, Owed};
use crate::error::{AppError, AppResult};
use crate::idempotency::{check_idempotency_key, fingerprint, remember, replayed};
use crate::ledger::{post, Refs};
use crate::time::{kyiv_start_ms, parse_date};

use super::{batch_in, BatchRecord, LineRecord, Payouts, Skipped, LINE_COLUMNS};

impl Payouts {
    /// Closes a period into a draft batch: every shopper whose balance at the end of the period (and now) is at
    /// least the minimum payout, who is in no other open batch, and whose IBAN is valid, gets one line.
    pub async fn create_batch(
        &self,
        actor: &Actor,
        period_from: &str,
        period_to: &str,
        idempotency_key: Option<&str>,
    ) -> AppResult<(BatchRecord, Vec<Skipped>)> {
        check_idempotency_key(idempotency_key)?;
        let from = parse_date("periodFrom", period_from)?;
        let to = parse_date("periodTo", period_to)?;
        if to < from {
            return Err(AppError::bad_input("periodTo", crate::msg!("period-to-before-from")));
        }
        let request = fingerprint(&[&actor.user_id, &from.to_string(), &to.to_string()]);
        if let Some(id) = replayed(&self.db, "payout_batch", idempotency_key, &request).await? {
            return Ok((self.batch(&id).await?, Vec::new()));
        }
        let now = self.db.now_ms();
        // Money earned by the end of the period (Kyiv), and not taken back since.
        let cutoff = kyiv_start_ms(to + chrono::Duration::days(1)).min(now + 1);
        let currency = self.settings.currency.clone();
        let min_payout = self.settings.min_payout_kopiykas.max(1);
        let mut tx = self.db.begin_write().await?;
        let owed = owed_balances(&mut tx, cutoff, &currency, min_payout).await?;
        let plan = plan_batch(owed, min_payout, &self.settings.withholding());
        if plan.lines.is_empty() {
            return Err(AppError::conflict(crate::msg!(
                "payout-nobody-owed",
                min = ledger::decimal(self.settings.min_payout_kopiykas),
                currency = &currency
            )));
        }
        let id = new_id();
        let batch = NewBatch {
            id: &id,
            from: &from.to_string(),
            to: &to.to_string(),
            currency: &currency,
            created_by: &actor.user_id,
            at: now,
        };
        insert_batch(&mut tx, &batch, &plan).await?;
        remember(&mut tx, "payout_batch", idempotency_key, &request, &id).await?;
        let detail = format!("{from}..{to}: {} lines, gross {}", plan.lines.len(), plan.gross());
        audit(
            &mut tx,
            Some(&actor.user_id),
            "payout.batch.create",
            Some(&id),
            Some(&detail),
        )
        .await?;
        tx.commit().await?;
        let skipped = plan
            .left_out
            .into_iter()
            .map(|l| Skipped {
                shopper_id: l.shopper_id,
                account_holder: l.account_holder,
                available: l.available,
                reason: l.reason,
            })
            .collect();
        Ok((self.batch(&id).await?, skipped))
    }

    /// Four eyes: someone other than the creator approves. The ledger then posts every line (gross off the
    /// shopper's account; net to bank clearing, tax withheld), and the batch can no longer change.
    pub async fn approve_batch(&self, actor: &Actor, id: &str) -> AppResult<BatchRecord> {
        let mut tx = self.db.begin_write().await?;
        let batch = batch_in(&mut tx, id).await?;
        match batch.state {
            BatchState::Approved => return Ok(batch),
            BatchState::Cancelled => return Err(AppError::conflict(crate::msg!("payout-batch-cancelled"))),
            BatchState::Draft => {}
        }
        if batch.created_by == actor.user_id {
            return Err(AppError::Forbidden(crate::msg!("payout-four-eyes")));
        }
        let now = self.db.now_ms();
        if !move_batch(&mut tx, id, BatchMove::Approve, &actor.user_id, now).await? {
            return Err(AppError::conflict(crate::msg!("payout-batch-decided-meanwhile")));
        }
        let period = format!("{}..{}", batch.period_from, batch.period_to);
        let mut after = 0i64;
        loop {
            let lines: Vec<LineRecord> = sqlx::query_as(&format!(
                "SELECT {LINE_COLUMNS} FROM payout_lines WHERE batch_id = $1 AND seq > $2 ORDER BY seq LIMIT 500"
            ))
            .bind(id)
            .bind(after)
            .fetch_all(&mut *tx)
            .await?;
            let Some(last) = lines.last() else { break };
            after = last.seq;
            for line in &lines {
                ledger::check_payout(
                    &format!("lines[{}].gross", line.seq),
                    line.gross,
                    &line.currency,
                    &batch.currency,
                )?;
                let owed: Option<i64> = sqlx::query_scalar("SELECT -balance FROM ledger_accounts WHERE id = $1")
                    .bind(ledger::Account::ShopperPayable(line.shopper_id.clone()).id())
                    .fetch_optional(&mut *tx)
                    .await?;
                if owed.unwrap_or(0) < line.gross {
                    return Err(AppError::conflict(crate::msg!(
                        "payout-line-owed-less",
                        seq = line.seq,
                        owed = ledger::decimal(owed.unwrap_or(0))
                    )));
                }
                let split = ledger::Split {
                    gross: line.gross,
                    income_tax: line.income_tax,
                    military_levy: line.military_levy,
                    net: line.net,
                };
                let posting = ledger::payout(&line.id, &line.shopper_id, split, &period, &line.currency)
                    .map_err(|e| AppError::Internal(e.into()))?;
                post(
                    &mut tx,
                    &posting,
                    Refs {
                        shopper_id: Some(&line.shopper_id),
                        payout_line_id: Some(&line.id),
                        actor_id: Some(&actor.user_id),
                        ..Refs::default()
                    },
                )
                .await?;
            }
        }
        move_lines(&mut tx, id, LineMove::Send).await?;
        audit(&mut tx, Some(&actor.user_id), "payout.batch.approve", Some(id), None).await?;
        tx.commit().await?;
        self.batch(id).await
    }

    /// Cancels a draft batch: its shoppers' money is available again.
    pub async fn cancel_batch(&self, actor: &Actor, id: &str, reason: &str) -> AppResult<BatchRecord> {
        let reason = BoundedText::parse("reason", reason, 3, 500)?.into_inner();
        let mut tx = self.db.begin_write().await?;
        let state: Option<String> = sqlx::query_scalar("SELECT state FROM payout_batches WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
        match state.as_deref().map(BatchState::parse).transpose()? {
            None => return Err(AppError::NotFound("payout-batch")),
            Some(BatchState::Cancelled) => {
                drop(tx);
                return self.batch(id).await;
            }
            Some(BatchState::Approved) => return Err(AppError::conflict(crate::msg!("payout-approved-immutable"))),
            _ => {}
        }
        let now = self.db.now_ms();
        if !move_batch(&mut tx, id, BatchMove::Cancel, &actor.user_id, now).await? {
            return Err(AppError::conflict(crate::msg!("payout-batch-decided-meanwhile")));
        }
        sqlx::query("UPDATE payout_batches SET cancel_reason = $1 WHERE id = $2")
            .bind(&reason)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        move_lines(&mut tx, id, LineMove::Withdraw).await?;
        audit(
            &mut tx,
            Some(&actor.user_id),
            "payout.batch.cancel",
            Some(id),
            Some(&reason),
        )
        .await?;
        tx.commit().await?;
        self.batch(id).await
    }
}

/// Decides a batch by a named move, in the caller's transaction (a conditional UPDATE from the move's starting
/// states); false when someone else decided first.
async fn move_batch(
    tx: &mut crate::db::Tx,
    id: &str,
    mv: BatchMove,
    actor_id: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(&format!(
        "UPDATE payout_batches SET state = '{}', decided_by = $1, decided_at = $2 WHERE id = $3 AND state IN ({})",
        mv.to().as_str(),
        mv.from_sql()
    ))
    .bind(actor_id)
    .bind(now)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Moves every line of a batch that the move applies to (a line leaving the batch's open money also leaves
/// `open_shopper`, the one-open-line-per-shopper key, when it no longer counts as open).
async fn move_lines(tx: &mut crate::db::Tx, batch_id: &str, mv: LineMove) -> Result<u64, sqlx::Error> {
    let open = if mv.to() == LineState::Cancelled {
        ", open_shopper = NULL"
    } else {
        ""
    };
    let done = sqlx::query(&format!(
        "UPDATE payout_lines SET state = '{}'{open} WHERE batch_id = $1 AND state IN ({})",
        mv.to().as_str(),
        mv.from_sql()
    ))
    .bind(batch_id)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected())
}

/// What every shopper with at least `min_payout` on their account is owed, now and at `cutoff`, with the payment
/// details on file; shoppers already in an open batch are not asked.
async fn owed_balances(tx: &mut Tx, cutoff: i64, currency: &str, min_payout: i64) -> AppResult<Vec<Owed>> {
    let rows: Vec<(String, i64, i64, String, String, String)> = sqlx::query_as(
        "SELECT a.shopper_id, -a.balance AS owed_now, \
         CAST(-COALESCE((SELECT SUM(e.amount) FROM ledger_entries e WHERE e.account_id = a.id AND e.created_at < $1), 0) AS BIGINT) AS owed_then, \
         p.iban, p.account_holder, p.tax_id \
         FROM ledger_accounts a JOIN shopper_profiles p ON p.user_id = a.shopper_id \
         WHERE a.kind = 'SHOPPER_PAYABLE' AND a.currency = $2 AND a.balance <= -$3 \
         AND NOT EXISTS (SELECT 1 FROM payout_lines l WHERE l.open_shopper = a.shopper_id) \
         ORDER BY a.shopper_id",
    )
    .bind(cutoff)
    .bind(currency)
    .bind(min_payout)
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(shopper_id, now, at_period_end, iban, account_holder, tax_id)| Owed {
            shopper_id,
            now,
            at_period_end,
            iban,
            account_holder,
            tax_id,
        })
        .collect())
}

/// A batch's own facts.
struct NewBatch<'a> {
    id: &'a str,
    from: &'a str,
    to: &'a str,
    currency: &'a str,
    created_by: &'a str,
    at: i64,
}

/// Writes a planned batch as a draft with its lines (each shopper in one open line at most: a batch made at the
/// same moment that took one of them is a conflict, and nothing is written).
async fn insert_batch(tx: &mut Tx, b: &NewBatch<'_>, plan: &BatchPlan) -> AppResult<()> {
    sqlx::query(&format!(
        "INSERT INTO payout_batches (id, period_from, period_to, currency, state, line_count, gross_total, \
         withheld_total, net_total, created_by, created_at) VALUES ($1, $2, $3, $4, '{}', $5, $6, $7, $8, $9, $10)",
        BatchState::Draft.as_str()
    ))
    .bind(b.id)
    .bind(b.from)
    .bind(b.to)
    .bind(b.currency)
    .bind(plan.lines.len() as i64)
    .bind(plan.gross())
    .bind(plan.withheld())
    .bind(plan.net())
    .bind(b.created_by)
    .bind(b.at)
    .execute(&mut **tx)
    .await?;
    for (seq, line) in plan.lines.iter().enumerate() {
        let split = &line.split;
        sqlx::query(&format!(
            "INSERT INTO payout_lines (id, batch_id, seq, shopper_id, account_holder, iban, tax_id, currency, gross, \
             income_tax, military_levy, net, state, open_shopper, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, '{}', $4, $13)",
            LineState::Pending.as_str()
        ))
        .bind(new_id())
        .bind(b.id)
        .bind(seq as i64 + 1)
        .bind(&line.shopper_id)
        .bind(&line.account_holder)
        .bind(&line.iban)
        .bind(&line.tax_id)
        .bind(b.currency)
        .bind(split.gross)
        .bind(split.income_tax)
        .bind(split.military_levy)
        .bind(split.net)
        .bind(b.at)
        .execute(&mut **tx)
        .await
        .map_err(|e| {
            if is_unique_violation(&e) {
                AppError::conflict(crate::msg!("payout-shoppers-taken-meanwhile"))
            } else {
                e.into()
            }
        })?;
    }
    Ok(())
}
