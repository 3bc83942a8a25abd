//! Money over GraphQL: a shopper's earnings, history, payout lines and yearly statement; for `PAYMENTS` and
//! `ADMIN`: adjustments, payout batches (create, approve with four eyes, cancel), settlement of lines (one by
//! one or from the bank's status file), totals and the ledger's self-check. Coordinators revoke approvals.
//! Bank files are streamed over plain HTTP: `GET /payouts/batches/{id}/export?format=…` (see `exportPath`).

use async_graphql::{ComplexObject, Context, Enum, Object, SimpleObject, Upload, ID};
use chrono::{DateTime, NaiveDate, Utc};

use super::pagination::{decode_cursor, decode_offset, keyset_connection, offset_page, page_size, List};
use super::visits::Visit;
use super::{actor, Require};
use crate::auth::Permission;
use crate::db::{from_ms, Page};
use crate::domain::ledger::Kind;
use crate::error::AppError;
use crate::ledger::{Check, Earnings as EarningsRecord, HistoryLine, Ledger, Total};
use crate::payouts::export::{end_to_end_id, BankFileFormat};
use crate::payouts::{statement_csv, BatchRecord, LineRecord, Payouts, Settlement, Skipped, StatementMonth};
use crate::time::{kyiv_start_ms, parse_date};

fn ledger<'a>(ctx: &'a Context<'_>) -> &'a Ledger {
    ctx.data_unchecked::<Ledger>()
}

fn payouts<'a>(ctx: &'a Context<'_>) -> &'a Payouts {
    ctx.data_unchecked::<Payouts>()
}

/// Why money moved.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum LedgerKind {
    /// A visit was approved: fee, bonus and receipt reimbursement.
    VisitApproval,
    /// An approval was revoked: its earnings were clawed back.
    ApprovalRevoked,
    /// A manual correction by the payments team.
    Adjustment,
    /// Paid out (gross: net to the bank, tax withheld).
    Payout,
    /// A payout the bank refused: the money came back.
    PayoutFailed,
}

impl From<Kind> for LedgerKind {
    fn from(kind: Kind) -> Self {
        match kind {
            Kind::VisitApproval => LedgerKind::VisitApproval,
            Kind::ApprovalRevoked => LedgerKind::ApprovalRevoked,
            Kind::Adjustment => LedgerKind::Adjustment,
            Kind::Payout => LedgerKind::Payout,
            Kind::PayoutFailed => LedgerKind::PayoutFailed,
        }
    }
}

/// One movement on a shopper's account.
#[derive(SimpleObject)]
pub struct LedgerLine {
    pub id: ID,
    pub kind: LedgerKind,
    pub memo: String,
    /// Change in what the shopper is owed (negative: paid out or clawed back).
    pub amount_kopiykas: i64,
    pub currency: String,
    pub visit_id: Option<ID>,
    pub wave_id: Option<ID>,
    pub payout_line_id: Option<ID>,
    /// The transaction this one reverses.
    pub reverses_id: Option<ID>,
    pub created_at: DateTime<Utc>,
}

impl From<HistoryLine> for LedgerLine {
    fn from(l: HistoryLine) -> Self {
        Self {
            id: l.id.into(),
            kind: l.kind.into(),
            // The service's own words are catalogue messages; a staff adjustment's reason is kept as written.
            memo: super::words(&crate::domain::Msg::stored(&l.memo)),
            amount_kopiykas: l.amount,
            currency: l.currency,
            visit_id: l.visit_id.map(Into::into),
            wave_id: l.wave_id.map(Into::into),
            payout_line_id: l.payout_line_id.map(Into::into),
            reverses_id: l.reverses_id.map(Into::into),
            created_at: from_ms(l.created_at),
        }
    }
}

/// What a shopper has earned and may be paid.
pub struct Earnings(EarningsRecord);

#[Object]
impl Earnings {
    async fn shopper_id(&self) -> ID {
        self.0.shopper_id.clone().into()
    }

    async fn currency(&self) -> &str {
        &self.0.currency
    }

    /// Owed now: approved earnings and adjustments not yet sent to the bank.
    async fn balance_kopiykas(&self) -> i64 {
        self.0.balance
    }

    /// Part of the balance in a payout batch awaiting approval.
    async fn pending_kopiykas(&self) -> i64 {
        self.0.pending
    }

    /// What the next payout batch may pay.
    async fn available_kopiykas(&self) -> i64 {
        self.0.available
    }

    /// Every movement, newest first, with the visit it came from.
    #[graphql(complexity = "first.unwrap_or(20).clamp(0, 100) as usize * child_complexity + 10")]
    async fn history(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<List<LedgerLine>> {
        let limit = page_size(first)?;
        let after = decode_cursor(after.as_deref())?;
        let page = ledger(ctx).history(&self.0.shopper_id, limit, after.as_deref()).await?;
        Ok(keyset_connection(
            page,
            after.is_some(),
            |l| l.id.clone(),
            LedgerLine::from,
        ))
    }

    /// The shopper's payout lines, newest first.
    #[graphql(complexity = "first.unwrap_or(20).clamp(0, 100) as usize * child_complexity + 10")]
    async fn payout_lines(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<List<PayoutLine>> {
        let (limit, offset) = (page_size(first)?, decode_offset(after.as_deref())?);
        let page = payouts(ctx)
            .lines(None, Some(&self.0.shopper_id), limit, offset as i64)
            .await?;
        Ok(offset_page(page, offset, PayoutLine::from))
    }
}

pub use crate::domain::{BatchState as PayoutBatchState, LineState as PayoutLineState};

/// One payment of a batch.
#[derive(SimpleObject)]
pub struct PayoutLine {
    pub id: ID,
    pub batch_id: ID,
    pub seq: i64,
    pub shopper_id: ID,
    pub account_holder: String,
    pub iban: String,
    pub currency: String,
    pub gross_kopiykas: i64,
    pub income_tax_kopiykas: i64,
    pub military_levy_kopiykas: i64,
    pub net_kopiykas: i64,
    pub state: PayoutLineState,
    pub failure_reason: Option<String>,
    pub settled_at: Option<DateTime<Utc>>,
    /// The reference the bank file carries (and the status file refers to).
    pub end_to_end_id: String,
}

impl From<LineRecord> for PayoutLine {
    fn from(l: LineRecord) -> Self {
        Self {
            end_to_end_id: end_to_end_id(&l.id),
            id: l.id.into(),
            batch_id: l.batch_id.into(),
            seq: l.seq,
            shopper_id: l.shopper_id.into(),
            account_holder: l.account_holder,
            iban: l.iban,
            currency: l.currency,
            gross_kopiykas: l.gross,
            income_tax_kopiykas: l.income_tax,
            military_levy_kopiykas: l.military_levy,
            net_kopiykas: l.net,
            state: l.state,
            failure_reason: l.failure_reason,
            settled_at: l.settled_at.map(from_ms),
        }
    }
}

/// The money due to many shoppers for a period.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct PayoutBatch {
    pub id: ID,
    pub period_from: NaiveDate,
    pub period_to: NaiveDate,
    pub currency: String,
    pub state: PayoutBatchState,
    pub line_count: i64,
    pub gross_kopiykas: i64,
    pub withheld_kopiykas: i64,
    pub net_kopiykas: i64,
    pub created_by: ID,
    pub created_at: DateTime<Utc>,
    /// Who approved or cancelled it.
    pub decided_by: Option<ID>,
    pub decided_at: Option<DateTime<Utc>>,
    pub cancel_reason: Option<String>,
}

impl From<BatchRecord> for PayoutBatch {
    fn from(b: BatchRecord) -> Self {
        let date = |text: &str| NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap_or_default();
        Self {
            id: b.id.into(),
            period_from: date(&b.period_from),
            period_to: date(&b.period_to),
            currency: b.currency,
            state: b.state,
            line_count: b.line_count,
            gross_kopiykas: b.gross_total,
            withheld_kopiykas: b.withheld_total,
            net_kopiykas: b.net_total,
            created_by: b.created_by.into(),
            created_at: from_ms(b.created_at),
            decided_by: b.decided_by.map(Into::into),
            decided_at: b.decided_at.map(from_ms),
            cancel_reason: b.cancel_reason,
        }
    }
}

#[ComplexObject]
impl PayoutBatch {
    /// The batch's lines in order (`shopperId` narrows to one shopper).
    #[graphql(complexity = "first.unwrap_or(20).clamp(0, 100) as usize * child_complexity + 10")]
    async fn lines(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        shopper_id: Option<ID>,
    ) -> async_graphql::Result<List<PayoutLine>> {
        let limit = page_size(first)?;
        let after = decode_cursor(after.as_deref())?;
        let after_seq = match after.as_deref() {
            None => 0,
            Some(text) => text
                .parse::<i64>()
                .map_err(|_| AppError::bad_input("after", crate::msg!("cursor-invalid")))?,
        };
        let page: Page<LineRecord> = payouts(ctx)
            .lines(
                Some(&self.id),
                shopper_id.as_ref().map(|s| s.as_str()),
                limit,
                after_seq,
            )
            .await?;
        Ok(keyset_connection(
            page,
            after.is_some(),
            |l| l.seq.to_string(),
            PayoutLine::from,
        ))
    }

    /// Where to download the bank file: `GET` with the same `Authorization` header (streamed; approved batches).
    async fn export_path(&self, format: BankFileFormat) -> String {
        format!(
            "/payouts/batches/{}/export?format={}",
            self.id.as_str(),
            format.as_str()
        )
    }
}

#[derive(SimpleObject)]
pub struct SkippedShopper {
    pub shopper_id: ID,
    /// The account holder on file.
    pub shopper_name: String,
    pub available_kopiykas: i64,
    pub reason: String,
}

impl From<Skipped> for SkippedShopper {
    fn from(s: Skipped) -> Self {
        Self {
            shopper_id: s.shopper_id.into(),
            shopper_name: s.account_holder,
            available_kopiykas: s.available,
            reason: super::words(&s.reason),
        }
    }
}

#[derive(SimpleObject)]
pub struct CreatePayoutBatchResult {
    pub batch: PayoutBatch,
    /// Shoppers with enough money who could not be included (e.g. an invalid IBAN on file).
    pub skipped: Vec<SkippedShopper>,
}

#[derive(SimpleObject)]
pub struct StatusImportResult {
    pub paid: i64,
    pub failed: i64,
}

#[derive(SimpleObject)]
pub struct LedgerTotal {
    /// Set when totals are per wave (approvals and revocations carry their wave).
    pub wave_id: Option<ID>,
    pub kind: LedgerKind,
    pub transactions: i64,
    /// Change in what shoppers are owed.
    pub amount_kopiykas: i64,
}

impl From<Total> for LedgerTotal {
    fn from(t: Total) -> Self {
        Self {
            wave_id: t.wave_id.map(Into::into),
            kind: t.kind.into(),
            transactions: t.transactions,
            amount_kopiykas: t.amount,
        }
    }
}

/// The ledger's invariants, checked now.
#[derive(SimpleObject)]
pub struct LedgerCheck {
    /// Every balance equals the sum of its entries, every transaction balances, all balances sum to zero.
    pub ok: bool,
    pub accounts: i64,
    pub transactions: i64,
    pub drifted_accounts: Vec<String>,
    pub unbalanced_transactions: Vec<ID>,
    pub total_kopiykas: i64,
}

impl From<Check> for LedgerCheck {
    fn from(c: Check) -> Self {
        Self {
            ok: c.drifted_accounts.is_empty() && c.unbalanced_transactions.is_empty() && c.total == 0,
            accounts: c.accounts,
            transactions: c.transactions,
            drifted_accounts: c.drifted_accounts,
            unbalanced_transactions: c.unbalanced_transactions.into_iter().map(Into::into).collect(),
            total_kopiykas: c.total,
        }
    }
}

#[derive(SimpleObject)]
pub struct StatementMonthView {
    pub month: i32,
    pub gross_kopiykas: i64,
    pub income_tax_kopiykas: i64,
    pub military_levy_kopiykas: i64,
    pub net_kopiykas: i64,
}

/// A shopper's year for tax reporting: payments sent (less failed ones) by month, Europe/Kyiv.
#[derive(SimpleObject)]
pub struct YearlyStatement {
    pub shopper_id: ID,
    pub year: i32,
    pub currency: String,
    pub months: Vec<StatementMonthView>,
    /// The same as CSV: `year,month,gross,income_tax,military_levy,net,currency` and a `total` row.
    pub csv: String,
}

fn statement(shopper_id: &str, year: i32, currency: &str, months: Vec<StatementMonth>) -> YearlyStatement {
    YearlyStatement {
        shopper_id: shopper_id.to_string().into(),
        year,
        currency: currency.to_string(),
        csv: statement_csv(year, currency, &months),
        months: months
            .into_iter()
            .map(|m| StatementMonthView {
                month: m.month as i32,
                gross_kopiykas: m.gross,
                income_tax_kopiykas: m.income_tax,
                military_levy_kopiykas: m.military_levy,
                net_kopiykas: m.net,
            })
            .collect(),
    }
}

fn kyiv_day_start(field: &str, text: &str) -> Result<i64, AppError> {
    Ok(kyiv_start_ms(parse_date(field, text)?))
}

#[derive(Default)]
pub struct PayoutQuery;

#[Object]
impl PayoutQuery {
    /// The shopper's own earnings: balance, pending, available, history and payout lines.
    #[graphql(guard = "Require(Permission::OwnEarnings)")]
    async fn my_earnings(&self, ctx: &Context<'_>) -> async_graphql::Result<Earnings> {
        let actor = actor(ctx)?;
        Ok(Earnings(ledger(ctx).earnings(actor, &actor.user_id).await?))
    }

    /// Any shopper's earnings (payments team).
    #[graphql(guard = "Require(Permission::ManagePayouts)")]
    async fn shopper_earnings(&self, ctx: &Context<'_>, shopper_id: ID) -> async_graphql::Result<Earnings> {
        Ok(Earnings(ledger(ctx).earnings(actor(ctx)?, &shopper_id).await?))
    }

    /// The shopper's own yearly statement.
    #[graphql(guard = "Require(Permission::OwnEarnings)")]
    async fn my_yearly_statement(&self, ctx: &Context<'_>, year: i32) -> async_graphql::Result<YearlyStatement> {
        let actor = actor(ctx)?;
        let months = payouts(ctx).statement(actor, &actor.user_id, year).await?;
        Ok(statement(&actor.user_id, year, ledger(ctx).currency(), months))
    }

    /// Any shopper's yearly statement (payments team).
    #[graphql(guard = "Require(Permission::ManagePayouts)")]
    async fn yearly_statement(
        &self,
        ctx: &Context<'_>,
        shopper_id: ID,
        year: i32,
    ) -> async_graphql::Result<YearlyStatement> {
        let months = payouts(ctx).statement(actor(ctx)?, &shopper_id, year).await?;
        Ok(statement(&shopper_id, year, ledger(ctx).currency(), months))
    }

    /// Payout batches, newest first.
    #[graphql(
        guard = "Require(Permission::ManagePayouts)",
        complexity = "first.unwrap_or(20).clamp(0, 100) as usize * child_complexity + 10"
    )]
    async fn payout_batches(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<List<PayoutBatch>> {
        let limit = page_size(first)?;
        let after = decode_cursor(after.as_deref())?;
        let page = payouts(ctx).batches(limit, after.as_deref()).await?;
        Ok(keyset_connection(
            page,
            after.is_some(),
            |b| b.id.clone(),
            PayoutBatch::from,
        ))
    }

    #[graphql(guard = "Require(Permission::ManagePayouts)")]
    async fn payout_batch(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<PayoutBatch> {
        Ok(payouts(ctx).batch(&id).await?.into())
    }

    /// Money moved on shoppers' accounts between two Kyiv dates (inclusive), by kind, or by wave and kind.
    #[graphql(guard = "Require(Permission::ManagePayouts)")]
    async fn ledger_totals(
        &self,
        ctx: &Context<'_>,
        from: String,
        to: String,
        #[graphql(default)] by_wave: bool,
    ) -> async_graphql::Result<Vec<LedgerTotal>> {
        let start = kyiv_day_start("from", &from)?;
        let end = kyiv_day_start("to", &to)? + 86_400_000;
        if end <= start {
            return Err(AppError::bad_input("to", crate::msg!("to-before-from")).into());
        }
        let totals = ledger(ctx).totals(start, end, by_wave).await?;
        Ok(totals.into_iter().map(Into::into).collect())
    }

    /// Checks the ledger's invariants now (for monitoring and audits).
    #[graphql(guard = "Require(Permission::ManagePayouts)")]
    async fn ledger_check(&self, ctx: &Context<'_>) -> async_graphql::Result<LedgerCheck> {
        Ok(ledger(ctx).check().await?.into())
    }
}

#[derive(Default)]
pub struct PayoutMutation;

#[Object]
impl PayoutMutation {
    /// Credits (positive) or debits (negative) a shopper's account, with a reason. The idempotency key makes a
    /// retry post once.
    #[graphql(guard = "Require(Permission::ManagePayouts)")]
    async fn adjust_balance(
        &self,
        ctx: &Context<'_>,
        shopper_id: ID,
        amount_kopiykas: i64,
        reason: String,
        idempotency_key: String,
    ) -> async_graphql::Result<LedgerLine> {
        Ok(ledger(ctx)
            .adjust(actor(ctx)?, &shopper_id, amount_kopiykas, &reason, &idempotency_key)
            .await?
            .into())
    }

    /// Revokes an approved visit's approval (reason required): the visit is rejected and its earnings are
    /// clawed back by a reversing transaction, once.
    #[graphql(guard = "Require(Permission::ReviewVisits)")]
    async fn revoke_approval(&self, ctx: &Context<'_>, visit_id: ID, reason: String) -> async_graphql::Result<Visit> {
        let visits = ctx.data_unchecked::<crate::visits::Visits>();
        Ok(Visit(visits.revoke_approval(actor(ctx)?, &visit_id, &reason).await?))
    }

    /// Closes a period into a draft batch: one line per shopper with an available balance at least the minimum
    /// payout and a valid IBAN (gross, tax withheld, net).
    #[graphql(guard = "Require(Permission::ManagePayouts)")]
    async fn create_payout_batch(
        &self,
        ctx: &Context<'_>,
        period_from: String,
        period_to: String,
        idempotency_key: Option<String>,
    ) -> async_graphql::Result<CreatePayoutBatchResult> {
        let (batch, skipped) = payouts(ctx)
            .create_batch(actor(ctx)?, &period_from, &period_to, idempotency_key.as_deref())
            .await?;
        Ok(CreatePayoutBatchResult {
            batch: batch.into(),
            skipped: skipped.into_iter().map(Into::into).collect(),
        })
    }

    /// Approves a draft batch; the approver must not be its creator. Posts every line to the ledger.
    #[graphql(guard = "Require(Permission::ManagePayouts)")]
    async fn approve_payout_batch(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<PayoutBatch> {
        Ok(payouts(ctx).approve_batch(actor(ctx)?, &id).await?.into())
    }

    /// Cancels a draft batch (reason required); its money is available again.
    #[graphql(guard = "Require(Permission::ManagePayouts)")]
    async fn cancel_payout_batch(
        &self,
        ctx: &Context<'_>,
        id: ID,
        reason: String,
    ) -> async_graphql::Result<PayoutBatch> {
        Ok(payouts(ctx).cancel_batch(actor(ctx)?, &id, &reason).await?.into())
    }

    /// Marks one sent line paid, or failed with the bank's reason (the money returns to the shopper, who is
    /// told by email). A line is settled once.
    #[graphql(guard = "Require(Permission::ManagePayouts)")]
    async fn settle_payout_line(
        &self,
        ctx: &Context<'_>,
        line_id: ID,
        outcome: Settlement,
        reason: Option<String>,
    ) -> async_graphql::Result<PayoutLine> {
        Ok(payouts(ctx)
            .settle_line(actor(ctx)?, &line_id, outcome, reason.as_deref())
            .await?
            .into())
    }

    /// The bank's status file for a batch: CSV with `end_to_end_id,status,reason` (status PAID or FAILED).
    /// All or nothing.
    #[graphql(guard = "Require(Permission::ManagePayouts)")]
    async fn import_payout_status(
        &self,
        ctx: &Context<'_>,
        batch_id: ID,
        file: Upload,
    ) -> async_graphql::Result<StatusImportResult> {
        let upload = file
            .value(ctx)
            .map_err(|e| AppError::bad_input("file", crate::msg!("file-unreadable", detail = e.to_string())))?;
        // The multipart parser spooled the file to disk; read it off the async workers.
        let bytes = tokio::task::spawn_blocking(move || {
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut upload.into_read(), &mut bytes).map(|_| bytes)
        })
        .await
        .map_err(|e| AppError::Internal(e.into()))?
        .map_err(|e| AppError::bad_input("file", crate::msg!("file-unreadable", detail = e.to_string())))?;
        let result = payouts(ctx).import_status(actor(ctx)?, &batch_id, &bytes).await?;
        Ok(StatusImportResult {
            paid: result.paid,
            failed: result.failed,
        })
    }
}
