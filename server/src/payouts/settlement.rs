//! The bank's answer per payment: one line at a time, or the whole status file (all or nothing, once per file).

use std::collections::HashSet;

use sha2::Digest as _;

use crate::audit::audit;
use crate::auth::Actor;
use crate::db::is_unique_violation;
use crate::domain::ledger::Kind;
use crate::domain::{ledger, BatchState, LineMove, LineState};
use crate::error::{AppError, AppResult};
use crate::ledger::{reverse, Refs};
use crate::mail::{outbox, templates};

use super::{line_in, LineRecord, Payouts, Settlement, StatusImport, LINE_COLUMNS};

impl Payouts {
    async fn settle_in(
        &self,
        tx: &mut crate::db::Tx,
        actor: &Actor,
        line: &LineRecord,
        outcome: Settlement,
        reason: Option<&str>,
    ) -> AppResult<()> {
        let now = self.db.now_ms();
        let (mv, failure) = match outcome {
            Settlement::Paid => (LineMove::Pay, None),
            Settlement::Failed => (LineMove::Fail, reason),
        };
        let done = sqlx::query(&format!(
            "UPDATE payout_lines SET state = '{}', failure_reason = $1, settled_by = $2, settled_at = $3, \
             open_shopper = NULL WHERE id = $4 AND state IN ({})",
            mv.to().as_str(),
            mv.from_sql()
        ))
        .bind(failure)
        .bind(&actor.user_id)
        .bind(now)
        .bind(&line.id)
        .execute(&mut **tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(AppError::conflict(crate::msg!(
                "payout-line-already-marked",
                seq = line.seq,
                state = line.state.as_str()
            )));
        }
        if outcome == Settlement::Failed {
            let reason = reason.unwrap_or("the bank refused the payment");
            reverse(
                tx,
                &ledger::payout_key(&line.id),
                &ledger::payout_failed_key(&line.id),
                Kind::PayoutFailed,
                &crate::msg!("memo-payment-failed", reason = reason).to_json(),
                Refs {
                    shopper_id: Some(&line.shopper_id),
                    payout_line_id: Some(&line.id),
                    actor_id: Some(&actor.user_id),
                    ..Refs::default()
                },
            )
            .await?;
            if let Some((email, language)) = crate::accounts::shopper_contact(tx, &line.shopper_id).await? {
                let mail = templates::payout_failed(language, &ledger::decimal(line.net), &line.currency, reason);
                outbox::enqueue(tx, "payout_failed", &email, &mail.subject, &mail.body).await?;
            }
        }
        audit(
            tx,
            Some(&actor.user_id),
            &format!("payout.line.{}", mv.to().as_str().to_lowercase()),
            Some(&line.id),
            reason,
        )
        .await?;
        Ok(())
    }

    /// Marks one line paid or failed (a failure needs the bank's reason and returns the money to the shopper).
    pub async fn settle_line(
        &self,
        actor: &Actor,
        line_id: &str,
        outcome: Settlement,
        reason: Option<&str>,
    ) -> AppResult<LineRecord> {
        let reason = reason.map(str::trim).filter(|r| !r.is_empty());
        if outcome == Settlement::Failed && reason.is_none() {
            return Err(AppError::bad_input(
                "reason",
                crate::msg!("payout-failure-reason-needed"),
            ));
        }
        let mut tx = self.db.begin_write().await?;
        let line = line_in(&mut tx, line_id).await?;
        if !matches!(line.state, LineState::Sent | LineState::Paid | LineState::Failed) {
            return Err(AppError::conflict(crate::msg!("payout-line-batch-not-approved")));
        }
        self.settle_in(&mut tx, actor, &line, outcome, reason).await?;
        tx.commit().await?;
        self.mail_wake.notify_one();
        line_in(&mut *self.db.pool().acquire().await?, line_id).await
    }

    /// The bank's status file (CSV with a header: `end_to_end_id,status,reason`; status `PAID` or `FAILED`),
    /// all or nothing: any bad row changes nothing and the error names the row.
    pub async fn import_status(&self, actor: &Actor, batch_id: &str, file: &[u8]) -> AppResult<StatusImport> {
        // The same file sent again (a resend, or a second click) returns what it did the first time.
        let digest = hex::encode(sha2::Sha256::digest(file));
        if let Some(done) = self.status_import(batch_id, &digest).await? {
            return Ok(done);
        }
        let batch = self.batch(batch_id).await?;
        if batch.state != BatchState::Approved {
            return Err(AppError::conflict(crate::msg!("payout-batch-not-approved")));
        }
        let mut reader = csv::ReaderBuilder::new().trim(csv::Trim::All).from_reader(file);
        let headers = reader
            .headers()
            .map_err(|e| AppError::bad_input("file", crate::msg!("status-not-csv", detail = e.to_string())))?
            .clone();
        let column = |name: &str| headers.iter().position(|h| h.eq_ignore_ascii_case(name));
        let (Some(id_col), Some(status_col)) = (column("end_to_end_id"), column("status")) else {
            return Err(AppError::bad_input("file", crate::msg!("status-header")));
        };
        let reason_col = column("reason");
        let mut rows = Vec::new();
        let mut seen = HashSet::new();
        for (i, record) in reader.records().enumerate() {
            let row = i + 2;
            let record = record.map_err(|e| {
                AppError::bad_input(
                    format!("file.row[{row}]"),
                    crate::msg!("import-row-unreadable", row = row, detail = e.to_string()),
                )
            })?;
            let e2e = record.get(id_col).unwrap_or_default().to_string();
            let outcome = match record.get(status_col).unwrap_or_default().to_ascii_uppercase().as_str() {
                "PAID" | "ACCP" | "ACSC" => Settlement::Paid,
                "FAILED" | "RJCT" => Settlement::Failed,
                other => {
                    return Err(AppError::bad_input(
                        format!("file.row[{row}].status"),
                        crate::msg!("status-value", value = other),
                    ))
                }
            };
            let reason = reason_col
                .and_then(|c| record.get(c))
                .map(str::to_string)
                .filter(|r| !r.is_empty());
            if outcome == Settlement::Failed && reason.is_none() {
                return Err(AppError::bad_input(
                    format!("file.row[{row}].reason"),
                    crate::msg!("status-reason-needed"),
                ));
            }
            if !seen.insert(e2e.clone()) {
                return Err(AppError::bad_input(
                    format!("file.row[{row}].end_to_end_id"),
                    crate::msg!("status-twice"),
                ));
            }
            rows.push((row, e2e, outcome, reason));
        }
        if rows.is_empty() {
            return Err(AppError::bad_input("file", crate::msg!("status-no-rows")));
        }
        let mut tx = self.db.begin_write().await?;
        // Claim the file first: a parallel import of the same file waits here and then finds it applied.
        let claimed = sqlx::query(
            "INSERT INTO payout_status_imports (batch_id, sha256, paid, failed, created_by, created_at) \
             VALUES ($1, $2, 0, 0, $3, $4)",
        )
        .bind(batch_id)
        .bind(&digest)
        .bind(&actor.user_id)
        .bind(self.db.now_ms())
        .execute(&mut *tx)
        .await;
        match claimed {
            Ok(_) => {}
            Err(err) if is_unique_violation(&err) => {
                drop(tx);
                return self
                    .status_import(batch_id, &digest)
                    .await?
                    .ok_or_else(|| AppError::Internal(anyhow::anyhow!("status import vanished")));
            }
            Err(err) => return Err(err.into()),
        }
        let mut result = StatusImport::default();
        for (row, e2e, outcome, reason) in rows {
            let line: Option<LineRecord> = sqlx::query_as(&format!(
                "SELECT {LINE_COLUMNS} FROM payout_lines WHERE batch_id = $1 AND REPLACE(id, '-', '') = $2"
            ))
            .bind(batch_id)
            .bind(e2e.to_ascii_lowercase())
            .fetch_optional(&mut *tx)
            .await?;
            let Some(line) = line else {
                return Err(AppError::bad_input(
                    format!("file.row[{row}].end_to_end_id"),
                    crate::msg!("status-not-in-batch"),
                ));
            };
            self.settle_in(&mut tx, actor, &line, outcome, reason.as_deref())
                .await
                .map_err(|e| match e {
                    AppError::Conflict { message, .. } => AppError::conflict_on(format!("file.row[{row}]"), message),
                    other => other,
                })?;
            match outcome {
                Settlement::Paid => result.paid += 1,
                Settlement::Failed => result.failed += 1,
            }
        }
        sqlx::query("UPDATE payout_status_imports SET paid = $1, failed = $2 WHERE batch_id = $3 AND sha256 = $4")
            .bind(result.paid)
            .bind(result.failed)
            .bind(batch_id)
            .bind(&digest)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        self.mail_wake.notify_one();
        Ok(result)
    }

    /// The result of a status file already applied to the batch, by the file's SHA-256.
    async fn status_import(&self, batch_id: &str, digest: &str) -> AppResult<Option<StatusImport>> {
        let row: Option<(i64, i64)> =
            sqlx::query_as("SELECT paid, failed FROM payout_status_imports WHERE batch_id = $1 AND sha256 = $2")
                .bind(batch_id)
                .bind(digest)
                .fetch_optional(self.db.pool())
                .await?;
        Ok(row.map(|(paid, failed)| StatusImport { paid, failed }))
    }
}
