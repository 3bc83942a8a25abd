//! Payout batches: the payments team closes a period into a batch (one line per shopper with an available
//! balance ≥ the minimum and a valid IBAN), a second person approves it (the ledger then moves each line's money
//! off the shopper's account: net to bank clearing, tax withheld), it is exported for the bank (CSV, pain.001)
//! with bounded memory, and the bank's answer marks lines paid or failed (failed lines are reversed, and the
//! shopper is told by email). Also the yearly statement per shopper.

pub mod export;

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use chrono::{Datelike, NaiveDate};
use sha2::Digest as _;
use sqlx::FromRow;
use tokio::sync::Notify;

use crate::audit::audit;
use crate::auth::{Actor, Permission};
use crate::config::PayoutSettings;
use crate::db::{from_ms, is_unique_violation, new_id, now_ms, Db, Page};
use crate::domain::ledger::{self, Kind};
use crate::domain::{BoundedText, Iban};
use crate::error::{AppError, AppResult};
use crate::idempotency::{check_idempotency_key, fingerprint, remember, replayed};
use crate::ledger::{post, reverse, Refs};
use crate::mail::{outbox, templates};
use crate::time::{kyiv_start_ms, parse_date};
use export::{ExportFormat, Header, Line};

/// The payouts service.
#[derive(Clone)]
pub struct Payouts {
    db: Db,
    settings: Arc<PayoutSettings>,
    mail_wake: Arc<Notify>,
}

#[derive(Debug, Clone, FromRow)]
pub struct BatchRecord {
    pub id: String,
    pub period_from: String,
    pub period_to: String,
    pub currency: String,
    pub state: String,
    pub line_count: i64,
    pub gross_total: i64,
    pub withheld_total: i64,
    pub net_total: i64,
    pub created_by: String,
    pub created_at: i64,
    pub decided_by: Option<String>,
    pub decided_at: Option<i64>,
    pub cancel_reason: Option<String>,
}

const BATCH_COLUMNS: &str = "id, period_from, period_to, currency, state, line_count, gross_total, withheld_total, \
     net_total, created_by, created_at, decided_by, decided_at, cancel_reason";

#[derive(Debug, Clone, FromRow)]
pub struct LineRecord {
    pub id: String,
    pub batch_id: String,
    pub seq: i64,
    pub shopper_id: String,
    pub account_holder: String,
    pub iban: String,
    pub currency: String,
    pub gross: i64,
    pub income_tax: i64,
    pub military_levy: i64,
    pub net: i64,
    pub state: String,
    pub failure_reason: Option<String>,
    pub settled_at: Option<i64>,
    pub created_at: i64,
}

const LINE_COLUMNS: &str = "id, batch_id, seq, shopper_id, account_holder, iban, currency, gross, income_tax, \
     military_levy, net, state, failure_reason, settled_at, created_at";

/// A shopper left out of a new batch, and why.
#[derive(Debug, Clone)]
pub struct Skipped {
    pub shopper_id: String,
    pub available: i64,
    pub reason: String,
}

/// What the bank said about a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, async_graphql::Enum)]
pub enum Settlement {
    Paid,
    Failed,
}

/// One month of a yearly statement.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StatementMonth {
    pub month: u32,
    pub gross: i64,
    pub income_tax: i64,
    pub military_levy: i64,
    pub net: i64,
}

/// The result of a bank status file.
#[derive(Debug, Clone, Default)]
pub struct StatusImport {
    pub paid: i64,
    pub failed: i64,
}

impl Payouts {
    pub fn new(db: Db, settings: Arc<PayoutSettings>, mail_wake: Arc<Notify>) -> Self {
        Self {
            db,
            settings,
            mail_wake,
        }
    }

    pub fn settings(&self) -> &PayoutSettings {
        &self.settings
    }

    pub async fn batch(&self, id: &str) -> AppResult<BatchRecord> {
        batch_in(&mut *self.db.pool().acquire().await?, id).await
    }

    pub async fn batches(&self, limit: usize, before: Option<&str>) -> AppResult<Page<BatchRecord>> {
        let rows: Vec<BatchRecord> = sqlx::query_as(&format!(
            "SELECT {BATCH_COLUMNS} FROM payout_batches WHERE ($1 IS NULL OR id < $1) ORDER BY id DESC LIMIT $2"
        ))
        .bind(before)
        .bind(limit as i64 + 1)
        .fetch_all(self.db.pool())
        .await?;
        let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM payout_batches")
            .fetch_one(self.db.pool())
            .await?;
        Ok(Page::from_rows(rows, limit, total))
    }

    /// A batch's lines in order, or one shopper's lines (newest first) when `shopper` is given.
    pub async fn lines(
        &self,
        batch: Option<&str>,
        shopper: Option<&str>,
        limit: usize,
        after_seq: i64,
    ) -> AppResult<Page<LineRecord>> {
        let (rows, total): (Vec<LineRecord>, i64) = if let Some(batch) = batch {
            let rows = sqlx::query_as(&format!(
                "SELECT {LINE_COLUMNS} FROM payout_lines WHERE batch_id = $1 AND seq > $2 \
                 AND ($3 IS NULL OR shopper_id = $3) ORDER BY seq LIMIT $4"
            ))
            .bind(batch)
            .bind(after_seq)
            .bind(shopper)
            .bind(limit as i64 + 1)
            .fetch_all(self.db.pool())
            .await?;
            let total = sqlx::query_scalar(
                "SELECT COUNT(*) FROM payout_lines WHERE batch_id = $1 AND ($2 IS NULL OR shopper_id = $2)",
            )
            .bind(batch)
            .bind(shopper)
            .fetch_one(self.db.pool())
            .await?;
            (rows, total)
        } else {
            let shopper = shopper.unwrap_or_default();
            let rows = sqlx::query_as(&format!(
                "SELECT {LINE_COLUMNS} FROM payout_lines WHERE shopper_id = $1 ORDER BY created_at DESC, id DESC \
                 LIMIT $2 OFFSET $3"
            ))
            .bind(shopper)
            .bind(limit as i64 + 1)
            .bind(after_seq)
            .fetch_all(self.db.pool())
            .await?;
            let total = sqlx::query_scalar("SELECT COUNT(*) FROM payout_lines WHERE shopper_id = $1")
                .bind(shopper)
                .fetch_one(self.db.pool())
                .await?;
            (rows, total)
        };
        Ok(Page::from_rows(rows, limit, total))
    }

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
            return Err(AppError::bad_input("periodTo", "must not be before periodFrom"));
        }
        let request = fingerprint(&[&actor.user_id, &from.to_string(), &to.to_string()]);
        if let Some(id) = replayed(&self.db, "payout_batch", idempotency_key, &request).await? {
            return Ok((self.batch(&id).await?, Vec::new()));
        }
        let now = now_ms();
        let cutoff = kyiv_start_ms(to + chrono::Duration::days(1)).min(now + 1);
        let withholding = self.settings.withholding();
        let currency = self.settings.currency.clone();
        let mut tx = self.db.begin_write().await?;
        let candidates: Vec<(String, i64, i64, String, String, String)> = sqlx::query_as(
            "SELECT a.shopper_id, -a.balance AS owed_now, \
             CAST(-COALESCE((SELECT SUM(e.amount) FROM ledger_entries e WHERE e.account_id = a.id AND e.created_at < $1), 0) AS BIGINT) AS owed_then, \
             p.iban, p.account_holder, p.tax_id \
             FROM ledger_accounts a JOIN shopper_profiles p ON p.user_id = a.shopper_id \
             WHERE a.kind = 'SHOPPER_PAYABLE' AND a.currency = $2 AND a.balance <= -$3 \
             AND NOT EXISTS (SELECT 1 FROM payout_lines l WHERE l.open_shopper = a.shopper_id) \
             ORDER BY a.shopper_id",
        )
        .bind(cutoff)
        .bind(&currency)
        .bind(self.settings.min_payout_kopiykas.max(1))
        .fetch_all(&mut *tx)
        .await?;
        let mut lines = Vec::new();
        let mut skipped = Vec::new();
        for (shopper, owed_now, owed_then, iban, holder, tax_id) in candidates {
            let gross = owed_now.min(owed_then);
            if gross < self.settings.min_payout_kopiykas.max(1) {
                continue;
            }
            let iban = match Iban::parse("iban", &iban) {
                Ok(iban) => iban,
                Err(e) => {
                    skipped.push(Skipped {
                        shopper_id: shopper,
                        available: gross,
                        reason: format!("the IBAN on file {}", e.message),
                    });
                    continue;
                }
            };
            let split = withholding.split(gross);
            if split.net <= 0 {
                continue;
            }
            lines.push((shopper, iban.as_str().to_string(), holder, tax_id, split));
        }
        if lines.is_empty() {
            return Err(AppError::conflict(format!(
                "nobody has an available balance of at least {} {currency} with a valid IBAN for this period",
                ledger::decimal(self.settings.min_payout_kopiykas)
            )));
        }
        let id = new_id();
        let gross_total: i64 = lines.iter().map(|l| l.4.gross).sum();
        let withheld_total: i64 = lines.iter().map(|l| l.4.withheld()).sum();
        let net_total: i64 = lines.iter().map(|l| l.4.net).sum();
        sqlx::query(
            "INSERT INTO payout_batches (id, period_from, period_to, currency, state, line_count, gross_total, \
             withheld_total, net_total, created_by, created_at) VALUES ($1, $2, $3, $4, 'DRAFT', $5, $6, $7, $8, $9, $10)",
        )
        .bind(&id)
        .bind(from.to_string())
        .bind(to.to_string())
        .bind(&currency)
        .bind(lines.len() as i64)
        .bind(gross_total)
        .bind(withheld_total)
        .bind(net_total)
        .bind(&actor.user_id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        for (seq, (shopper, iban, holder, tax_id, split)) in lines.iter().enumerate() {
            sqlx::query(
                "INSERT INTO payout_lines (id, batch_id, seq, shopper_id, account_holder, iban, tax_id, currency, gross, \
                 income_tax, military_levy, net, state, open_shopper, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'PENDING', $4, $13)",
            )
            .bind(new_id())
            .bind(&id)
            .bind(seq as i64 + 1)
            .bind(shopper)
            .bind(holder)
            .bind(iban)
            .bind(tax_id)
            .bind(&currency)
            .bind(split.gross)
            .bind(split.income_tax)
            .bind(split.military_levy)
            .bind(split.net)
            .bind(now)
            .execute(&mut *tx)
            .await
            .map_err(|e| {
                if is_unique_violation(&e) {
                    AppError::conflict("another batch took some of these shoppers meanwhile; try again")
                } else {
                    e.into()
                }
            })?;
        }
        remember(&mut tx, "payout_batch", idempotency_key, &request, &id).await?;
        audit(
            &mut tx,
            Some(&actor.user_id),
            "payout.batch.create",
            Some(&id),
            Some(&format!("{from}..{to}: {} lines, gross {gross_total}", lines.len())),
        )
        .await?;
        tx.commit().await?;
        Ok((self.batch(&id).await?, skipped))
    }

    /// Four eyes: someone other than the creator approves. The ledger then posts every line (gross off the
    /// shopper's account; net to bank clearing, tax withheld), and the batch can no longer change.
    pub async fn approve_batch(&self, actor: &Actor, id: &str) -> AppResult<BatchRecord> {
        let mut tx = self.db.begin_write().await?;
        let batch = batch_in(&mut tx, id).await?;
        match batch.state.as_str() {
            "APPROVED" => return Ok(batch),
            "CANCELLED" => return Err(AppError::conflict("the batch was cancelled")),
            _ => {}
        }
        if batch.created_by == actor.user_id {
            return Err(AppError::Forbidden(
                "a batch is approved by someone other than the person who created it (four eyes)".into(),
            ));
        }
        let now = now_ms();
        let done = sqlx::query(
            "UPDATE payout_batches SET state = 'APPROVED', decided_by = $1, decided_at = $2 WHERE id = $3 AND state = 'DRAFT'",
        )
        .bind(&actor.user_id)
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(AppError::conflict("someone else decided on this batch meanwhile"));
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
                    return Err(AppError::conflict(format!(
                        "line {}: the shopper is now owed only {} (a clawback or adjustment since the batch was made); \
                         cancel this batch and create a new one",
                        line.seq,
                        ledger::decimal(owed.unwrap_or(0))
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
        sqlx::query("UPDATE payout_lines SET state = 'SENT' WHERE batch_id = $1 AND state = 'PENDING'")
            .bind(id)
            .execute(&mut *tx)
            .await?;
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
        match state.as_deref() {
            None => return Err(AppError::NotFound("payout batch".into())),
            Some("CANCELLED") => {
                drop(tx);
                return self.batch(id).await;
            }
            Some("APPROVED") => {
                return Err(AppError::conflict(
                    "an approved batch cannot change; mark its lines paid or failed",
                ))
            }
            _ => {}
        }
        let now = now_ms();
        sqlx::query(
            "UPDATE payout_batches SET state = 'CANCELLED', decided_by = $1, decided_at = $2, cancel_reason = $3 \
             WHERE id = $4 AND state = 'DRAFT'",
        )
        .bind(&actor.user_id)
        .bind(now)
        .bind(&reason)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        sqlx::query("UPDATE payout_lines SET state = 'CANCELLED', open_shopper = NULL WHERE batch_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
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

    async fn settle_in(
        &self,
        tx: &mut crate::db::Tx,
        actor: &Actor,
        line: &LineRecord,
        outcome: Settlement,
        reason: Option<&str>,
    ) -> AppResult<()> {
        let now = now_ms();
        let (state, failure) = match outcome {
            Settlement::Paid => ("PAID", None),
            Settlement::Failed => ("FAILED", reason),
        };
        let done = sqlx::query(
            "UPDATE payout_lines SET state = $1, failure_reason = $2, settled_by = $3, settled_at = $4, open_shopper = NULL \
             WHERE id = $5 AND state = 'SENT'",
        )
        .bind(state)
        .bind(failure)
        .bind(&actor.user_id)
        .bind(now)
        .bind(&line.id)
        .execute(&mut **tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(AppError::conflict(format!(
                "line {} was already marked {}",
                line.seq,
                line.state.to_lowercase()
            )));
        }
        if outcome == Settlement::Failed {
            let reason = reason.unwrap_or("the bank refused the payment");
            reverse(
                tx,
                &ledger::payout_key(&line.id),
                &ledger::payout_failed_key(&line.id),
                Kind::PayoutFailed,
                &format!("payment failed: {reason}"),
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
            &format!("payout.line.{}", state.to_lowercase()),
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
            return Err(AppError::bad_input("reason", "say why the bank refused the payment"));
        }
        let mut tx = self.db.begin_write().await?;
        let line = line_in(&mut tx, line_id).await?;
        if line.state == "PENDING" || line.state == "CANCELLED" {
            return Err(AppError::conflict("the line's batch is not approved"));
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
        if batch.state != "APPROVED" {
            return Err(AppError::conflict("only an approved batch has payments to settle"));
        }
        let mut reader = csv::ReaderBuilder::new().trim(csv::Trim::All).from_reader(file);
        let headers = reader
            .headers()
            .map_err(|e| AppError::bad_input("file", format!("is not a CSV file ({e})")))?
            .clone();
        let column = |name: &str| headers.iter().position(|h| h.eq_ignore_ascii_case(name));
        let (Some(id_col), Some(status_col)) = (column("end_to_end_id"), column("status")) else {
            return Err(AppError::bad_input(
                "file",
                "needs a header row with the columns end_to_end_id, status and (for failures) reason",
            ));
        };
        let reason_col = column("reason");
        let mut rows = Vec::new();
        let mut seen = HashSet::new();
        for (i, record) in reader.records().enumerate() {
            let row = i + 2;
            let record = record.map_err(|e| AppError::bad_input(format!("file.row[{row}]"), e.to_string()))?;
            let e2e = record.get(id_col).unwrap_or_default().to_string();
            let outcome = match record.get(status_col).unwrap_or_default().to_ascii_uppercase().as_str() {
                "PAID" | "ACCP" | "ACSC" => Settlement::Paid,
                "FAILED" | "RJCT" => Settlement::Failed,
                other => {
                    return Err(AppError::bad_input(
                        format!("file.row[{row}].status"),
                        format!("must be PAID or FAILED, not {other:?}"),
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
                    "a failed payment needs the bank's reason",
                ));
            }
            if !seen.insert(e2e.clone()) {
                return Err(AppError::bad_input(
                    format!("file.row[{row}].end_to_end_id"),
                    "appears twice in the file",
                ));
            }
            rows.push((row, e2e, outcome, reason));
        }
        if rows.is_empty() {
            return Err(AppError::bad_input("file", "has no rows"));
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
        .bind(now_ms())
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
                    "is not a payment of this batch",
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

    /// Starts an export: the batch must be approved and the debtor account configured. Records the export
    /// with a new message id and returns the file's header facts.
    pub async fn start_export(&self, actor: &Actor, batch_id: &str, format: ExportFormat) -> AppResult<Header> {
        if !actor.can(Permission::ManagePayouts) {
            return Err(AppError::forbidden());
        }
        let batch = self.batch(batch_id).await?;
        if batch.state != "APPROVED" {
            return Err(AppError::conflict("only an approved batch is exported"));
        }
        let debtor_iban = self
            .settings
            .debtor_iban
            .as_deref()
            .ok_or_else(|| AppError::conflict("the paying account is not configured (payouts.debtor_iban)"))?;
        let debtor_iban = Iban::parse("payouts.debtor_iban", debtor_iban)?;
        let export_id = new_id();
        let message_id = format!("FW{}", export::end_to_end_id(&export_id));
        let now = now_ms();
        let mut tx = self.db.begin_write().await?;
        sqlx::query(
            "INSERT INTO payout_exports (id, batch_id, format, message_id, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&export_id)
        .bind(batch_id)
        .bind(format.as_str())
        .bind(&message_id)
        .bind(&actor.user_id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        audit(
            &mut tx,
            Some(&actor.user_id),
            "payout.batch.export",
            Some(batch_id),
            Some(format.as_str()),
        )
        .await?;
        tx.commit().await?;
        Ok(Header {
            message_id,
            created_at: from_ms(now),
            execution_date: crate::time::kyiv_today(),
            batch_id: batch.id,
            line_count: batch.line_count,
            net_total: batch.net_total,
            currency: batch.currency,
            debtor_name: self.settings.debtor_name.clone(),
            debtor_iban: debtor_iban.as_str().to_string(),
            debtor_bic: self.settings.debtor_bic.clone(),
            remittance: format!("Fieldwork payout {}..{}", batch.period_from, batch.period_to),
        })
    }

    /// The bank file for an export started with `start_export`, as a stream of chunks: the header, then the
    /// lines 1,000 at a time straight from the database, then the footer. Memory stays flat for any batch size.
    pub fn export_stream(
        &self,
        format: ExportFormat,
        header: Header,
    ) -> impl futures::Stream<Item = Result<bytes::Bytes, std::io::Error>> + Send + 'static {
        enum Phase {
            Header,
            Lines(i64),
            Done,
        }
        let payouts = self.clone();
        futures::stream::unfold(Phase::Header, move |phase| {
            let payouts = payouts.clone();
            let header = header.clone();
            async move {
                match phase {
                    Phase::Header => Some((Ok(bytes::Bytes::from(export::header(format, &header))), Phase::Lines(0))),
                    Phase::Lines(after) => match payouts.export_page(&header.batch_id, after, 1_000).await {
                        Ok(lines) if lines.is_empty() => {
                            Some((Ok(bytes::Bytes::from(export::footer(format))), Phase::Done))
                        }
                        Ok(lines) => {
                            let last = lines.last().map_or(after, |l| l.seq);
                            let mut chunk = Vec::with_capacity(lines.len() * 700);
                            for line in &lines {
                                chunk.extend(export::line(format, &header, line));
                            }
                            Some((Ok(bytes::Bytes::from(chunk)), Phase::Lines(last)))
                        }
                        Err(err) => {
                            if let AppError::Internal(cause) = &err {
                                tracing::error!(error = ?cause, batch = %header.batch_id, "export failed midway");
                            }
                            Some((Err(std::io::Error::other("export failed")), Phase::Done))
                        }
                    },
                    Phase::Done => None,
                }
            }
        })
    }

    /// The next page of a batch's lines for an export, after `after_seq`.
    async fn export_page(&self, batch_id: &str, after_seq: i64, limit: i64) -> AppResult<Vec<Line>> {
        Ok(sqlx::query_as(
            "SELECT id, seq, shopper_id, account_holder, iban, tax_id, gross, income_tax, military_levy, net, currency \
             FROM payout_lines WHERE batch_id = $1 AND seq > $2 ORDER BY seq LIMIT $3",
        )
        .bind(batch_id)
        .bind(after_seq)
        .bind(limit)
        .fetch_all(self.db.pool())
        .await?)
    }

    /// A shopper's year by month (Europe/Kyiv): gross, withheld and net of the payments sent, less failed ones.
    pub async fn statement(&self, actor: &Actor, shopper_id: &str, year: i32) -> AppResult<Vec<StatementMonth>> {
        if !actor.owns_or_can(Some(shopper_id), Permission::ManagePayouts) {
            return Err(AppError::NotFound("shopper".into()));
        }
        if !(2000..=2100).contains(&year) {
            return Err(AppError::bad_input("year", "must be from 2000 to 2100"));
        }
        let start = kyiv_start_ms(NaiveDate::from_ymd_opt(year, 1, 1).expect("valid date"));
        let end = kyiv_start_ms(NaiveDate::from_ymd_opt(year + 1, 1, 1).expect("valid date"));
        let rows: Vec<(String, i64, i64, i64, i64, i64)> = sqlx::query_as(
            "SELECT t.kind, t.created_at, l.gross, l.income_tax, l.military_levy, l.net FROM ledger_transactions t \
             JOIN payout_lines l ON l.id = t.payout_line_id WHERE t.shopper_id = $1 AND t.kind IN ('PAYOUT', 'PAYOUT_FAILED') \
             AND t.created_at >= $2 AND t.created_at < $3",
        )
        .bind(shopper_id)
        .bind(start)
        .bind(end)
        .fetch_all(self.db.pool())
        .await?;
        let mut months: BTreeMap<u32, StatementMonth> = (1..=12)
            .map(|m| {
                (
                    m,
                    StatementMonth {
                        month: m,
                        ..Default::default()
                    },
                )
            })
            .collect();
        for (kind, at, gross, income_tax, military_levy, net) in rows {
            let month = from_ms(at).with_timezone(&chrono_tz::Europe::Kyiv).month();
            let sign = if kind == "PAYOUT" { 1 } else { -1 };
            let m = months.get_mut(&month).expect("every month is present");
            m.gross += sign * gross;
            m.income_tax += sign * income_tax;
            m.military_levy += sign * military_levy;
            m.net += sign * net;
        }
        Ok(months.into_values().collect())
    }
}

/// The yearly statement as CSV (UTF-8): `year,month,gross,income_tax,military_levy,net,currency`, amounts with
/// two decimals, and a total row (`month` = `total`).
pub fn statement_csv(year: i32, currency: &str, months: &[StatementMonth]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let row = |w: &mut csv::Writer<Vec<u8>>, month: &str, m: &StatementMonth| {
        w.write_record([
            year.to_string(),
            month.to_string(),
            ledger::decimal(m.gross),
            ledger::decimal(m.income_tax),
            ledger::decimal(m.military_levy),
            ledger::decimal(m.net),
            currency.to_string(),
        ])
        .expect("writing to memory cannot fail");
    };
    w.write_record([
        "year",
        "month",
        "gross",
        "income_tax",
        "military_levy",
        "net",
        "currency",
    ])
    .expect("writing to memory cannot fail");
    let mut total = StatementMonth::default();
    for m in months {
        row(&mut w, &m.month.to_string(), m);
        total.gross += m.gross;
        total.income_tax += m.income_tax;
        total.military_levy += m.military_levy;
        total.net += m.net;
    }
    row(&mut w, "total", &total);
    String::from_utf8(w.into_inner().expect("writing to memory cannot fail")).expect("CSV of UTF-8 is UTF-8")
}

async fn batch_in(conn: &mut sqlx::AnyConnection, id: &str) -> AppResult<BatchRecord> {
    sqlx::query_as(&format!("SELECT {BATCH_COLUMNS} FROM payout_batches WHERE id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await?
        .ok_or_else(|| AppError::NotFound("payout batch".into()))
}

async fn line_in(conn: &mut sqlx::AnyConnection, id: &str) -> AppResult<LineRecord> {
    sqlx::query_as(&format!("SELECT {LINE_COLUMNS} FROM payout_lines WHERE id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await?
        .ok_or_else(|| AppError::NotFound("payout line".into()))
}
