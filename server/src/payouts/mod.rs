//! Payout batches: the payments team closes a period into a batch (one line per shopper with an available
//! balance ≥ the minimum and a valid IBAN), a second person approves it (the ledger then moves each line's money
//! off the shopper's account: net to bank clearing, tax withheld), it is exported for the bank (CSV, pain.001)
//! with bounded memory, and the bank's answer marks lines paid or failed (failed lines are reversed, and the
//! shopper is told by email). Also the yearly statement per shopper.

mod bank_files;
mod batches;
pub mod export;
mod settlement;
mod statements;

pub use statements::statement_csv;

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use chrono::{Datelike, NaiveDate};
use sha2::Digest as _;
use sqlx::FromRow;
use tokio::sync::Notify;

use crate::audit::audit;
use crate::auth::{Actor, Permission};
use crate::config::PayoutSettings;
use crate::db::{from_ms, is_unique_violation, new_id, Db, Page};
use crate::domain::ledger::{self, Kind};
use crate::domain::{BatchMove, BatchState, BoundedText, Iban, LineMove, LineState};
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
    #[sqlx(try_from = "String")]
    pub state: BatchState,
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
    #[sqlx(try_from = "String")]
    pub state: LineState,
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
