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

use std::sync::Arc;

use sqlx::FromRow;
use tokio::sync::Notify;

use crate::config::PayoutSettings;
use crate::db::{Db, Listing, Page, Paging};
use crate::domain::{BatchState, LineState};
use crate::error::{AppError, AppResult};

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
    pub account_holder: String,
    pub available: i64,
    pub reason: crate::domain::Msg,
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
        let listing = Listing {
            select: BATCH_COLUMNS,
            from: "payout_batches",
            filter: "1 = 1",
            args: vec![],
        };
        let newest_first = Paging::After {
            column: "id",
            after: before.into(),
            descending: true,
        };
        self.db.page::<BatchRecord, _>(listing, newest_first, limit).await
    }

    /// A batch's lines in order, or one shopper's lines (newest first) when `shopper` is given.
    pub async fn lines(
        &self,
        batch: Option<&str>,
        shopper: Option<&str>,
        limit: usize,
        after_seq: i64,
    ) -> AppResult<Page<LineRecord>> {
        match batch {
            Some(batch) => {
                let listing = Listing {
                    select: LINE_COLUMNS,
                    from: "payout_lines",
                    filter: "batch_id = $1 AND ($2 IS NULL OR shopper_id = $2)",
                    args: vec![batch.into(), shopper.into()],
                };
                let in_order = Paging::After {
                    column: "seq",
                    after: after_seq.into(),
                    descending: false,
                };
                self.db.page::<LineRecord, _>(listing, in_order, limit).await
            }
            None => {
                let listing = Listing {
                    select: LINE_COLUMNS,
                    from: "payout_lines",
                    filter: "shopper_id = $1",
                    args: vec![shopper.unwrap_or_default().into()],
                };
                let newest_first = Paging::Offset {
                    order: "created_at DESC, id DESC",
                    skip: after_seq.max(0) as usize,
                };
                self.db.page::<LineRecord, _>(listing, newest_first, limit).await
            }
        }
    }
}

async fn batch_in(conn: &mut sqlx::AnyConnection, id: &str) -> AppResult<BatchRecord> {
    sqlx::query_as(&format!("SELECT {BATCH_COLUMNS} FROM payout_batches WHERE id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await?
        .ok_or_else(|| AppError::NotFound("payout-batch"))
}

async fn line_in(conn: &mut sqlx::AnyConnection, id: &str) -> AppResult<LineRecord> {
    sqlx::query_as(&format!("SELECT {LINE_COLUMNS} FROM payout_lines WHERE id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await?
        .ok_or_else(|| AppError::NotFound("payout-line"))
}
