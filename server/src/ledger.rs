//! The payout ledger: writes the balanced postings that `domain::ledger` decides, once per source key, inside
//! the caller's transaction (so an approval and its money commit together or not at all); reads a shopper's
//! earnings and history; manual adjustments; totals for the payments team; and an invariant check.

use sqlx::{AnyConnection, FromRow};

use crate::audit::audit;
use crate::auth::{Actor, Permission};
use crate::db::{is_unique_violation, new_id, Db, Page};
use crate::domain::ledger::{self, Account, Kind, Posting};
use crate::domain::BoundedText;
use crate::error::{AppError, AppResult};
use crate::idempotency::check_idempotency_key;

/// The ledger service.
#[derive(Clone)]
pub struct Ledger {
    db: Db,
    currency: String,
}

/// What a posting is about, stored with its transaction.
#[derive(Debug, Default, Clone, Copy)]
pub struct Refs<'a> {
    pub shopper_id: Option<&'a str>,
    pub visit_id: Option<&'a str>,
    pub wave_id: Option<&'a str>,
    pub payout_line_id: Option<&'a str>,
    pub actor_id: Option<&'a str>,
    pub reverses_id: Option<&'a str>,
}

/// Writes a posting unless its source key was posted before; returns the new transaction's id, or `None` when
/// it had been posted already (a retry, a duplicate event, a concurrent twin). Runs in the caller's transaction.
pub async fn post(conn: &mut crate::db::Tx, posting: &Posting, refs: Refs<'_>) -> AppResult<Option<String>> {
    // The rules were checked when the posting was built; check the balance again right before writing.
    let sum: i64 = posting.entries.iter().map(|(_, a)| a).sum();
    if sum != 0 || posting.entries.len() < 2 {
        return Err(AppError::Internal(anyhow::anyhow!(
            "refusing an unbalanced posting {}: sum {sum}",
            posting.source_key
        )));
    }
    let now = conn.now_ms();
    let id = new_id();
    let inserted = sqlx::query(
        "INSERT INTO ledger_transactions (id, source_key, kind, memo, currency, reverses_id, shopper_id, visit_id, \
         wave_id, payout_line_id, actor_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) \
         ON CONFLICT (source_key) DO NOTHING",
    )
    .bind(&id)
    .bind(&posting.source_key)
    .bind(posting.kind.as_str())
    .bind(&posting.memo)
    .bind(&posting.currency)
    .bind(refs.reverses_id)
    .bind(refs.shopper_id)
    .bind(refs.visit_id)
    .bind(refs.wave_id)
    .bind(refs.payout_line_id)
    .bind(refs.actor_id)
    .bind(now)
    .execute(&mut **conn)
    .await
    .map_err(|e| {
        if is_unique_violation(&e) {
            AppError::conflict(crate::msg!("ledger-already-reversed"))
        } else {
            e.into()
        }
    })?;
    if inserted.rows_affected() == 0 {
        return Ok(None);
    }
    // Entries in account order, so concurrent postings lock account rows in one order (no deadlocks).
    for (account, amount) in &posting.entries {
        let account_id = account.id();
        sqlx::query(
            "INSERT INTO ledger_accounts (id, kind, shopper_id, currency, balance, created_at) \
             VALUES ($1, $2, $3, $4, 0, $5) ON CONFLICT (id) DO NOTHING",
        )
        .bind(&account_id)
        .bind(account.kind())
        .bind(account.shopper())
        .bind(&posting.currency)
        .bind(now)
        .execute(&mut **conn)
        .await?;
        sqlx::query(
            "INSERT INTO ledger_entries (id, transaction_id, account_id, amount, created_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(new_id())
        .bind(&id)
        .bind(&account_id)
        .bind(amount)
        .bind(now)
        .execute(&mut **conn)
        .await?;
        let updated = sqlx::query("UPDATE ledger_accounts SET balance = balance + $1 WHERE id = $2 AND currency = $3")
            .bind(amount)
            .bind(&account_id)
            .bind(&posting.currency)
            .execute(&mut **conn)
            .await?;
        if updated.rows_affected() != 1 {
            let currency: String = sqlx::query_scalar("SELECT currency FROM ledger_accounts WHERE id = $1")
                .bind(&account_id)
                .fetch_one(&mut **conn)
                .await?;
            return Err(AppError::conflict(crate::msg!(
                "ledger-currency",
                account = account_id,
                currency = currency,
                posted = &posting.currency
            )));
        }
    }
    Ok(Some(id))
}

/// A posted transaction read back (for reversals).
pub async fn load(conn: &mut AnyConnection, source_key: &str) -> AppResult<Option<(String, Posting)>> {
    let row: Option<(String, String, String, String)> =
        sqlx::query_as("SELECT id, kind, memo, currency FROM ledger_transactions WHERE source_key = $1")
            .bind(source_key)
            .fetch_optional(&mut *conn)
            .await?;
    let Some((id, kind, memo, currency)) = row else {
        return Ok(None);
    };
    let entries: Vec<(String, i64)> =
        sqlx::query_as("SELECT account_id, amount FROM ledger_entries WHERE transaction_id = $1 ORDER BY account_id")
            .bind(&id)
            .fetch_all(&mut *conn)
            .await?;
    let entries = entries
        .into_iter()
        .map(|(account, amount)| {
            Account::from_id(&account)
                .map(|a| (a, amount))
                .ok_or_else(|| AppError::Internal(anyhow::anyhow!("unknown ledger account {account}")))
        })
        .collect::<AppResult<Vec<_>>>()?;
    let kind = Kind::parse(&kind)?;
    Ok(Some((
        id,
        Posting {
            source_key: source_key.to_string(),
            kind,
            memo,
            currency,
            entries,
        },
    )))
}

/// Reverses the transaction posted under `original_key` (if there is one), once.
pub async fn reverse(
    conn: &mut crate::db::Tx,
    original_key: &str,
    reversal_key: &str,
    kind: Kind,
    memo: &str,
    refs: Refs<'_>,
) -> AppResult<Option<String>> {
    let Some((original_id, original)) = load(conn, original_key).await? else {
        return Ok(None);
    };
    let reversal = original.reversal(reversal_key, kind, memo);
    post(
        conn,
        &reversal,
        Refs {
            reverses_id: Some(&original_id),
            ..refs
        },
    )
    .await
}

/// What a shopper has earned and may be paid.
#[derive(Debug, Clone)]
pub struct Earnings {
    pub shopper_id: String,
    pub currency: String,
    /// Owed to the shopper now (approved, not yet sent to the bank).
    pub balance: i64,
    /// Part of the balance already in an open (draft) payout batch.
    pub pending: i64,
    /// `balance − pending`: what the next batch may pay.
    pub available: i64,
}

/// One line of a shopper's history: a transaction seen from their account.
#[derive(Debug, Clone, FromRow)]
pub struct HistoryLine {
    pub id: String,
    #[sqlx(try_from = "String")]
    pub kind: Kind,
    pub memo: String,
    /// Change in what is owed to the shopper (positive: earned).
    pub amount: i64,
    pub currency: String,
    pub visit_id: Option<String>,
    pub wave_id: Option<String>,
    pub payout_line_id: Option<String>,
    pub reverses_id: Option<String>,
    pub created_at: i64,
}

/// Totals of one kind of transaction (seen from shoppers' accounts) in a period, optionally per wave.
#[derive(Debug, Clone, FromRow)]
pub struct Total {
    pub wave_id: Option<String>,
    #[sqlx(try_from = "String")]
    pub kind: Kind,
    pub transactions: i64,
    /// Change in what is owed to shoppers.
    pub amount: i64,
}

/// The result of checking the ledger's invariants.
#[derive(Debug, Clone, Default)]
pub struct Check {
    pub accounts: i64,
    pub transactions: i64,
    /// Accounts whose kept balance differs from the sum of their entries.
    pub drifted_accounts: Vec<String>,
    /// Transactions whose entries do not sum to zero.
    pub unbalanced_transactions: Vec<String>,
    /// The sum of all balances (zero when every transaction balances).
    pub total: i64,
}

impl Ledger {
    pub fn new(db: Db, currency: String) -> Self {
        Self { db, currency }
    }

    pub fn currency(&self) -> &str {
        &self.currency
    }

    pub fn db(&self) -> &Db {
        &self.db
    }

    /// A shopper's earnings: their own (shoppers), anyone's (`PAYMENTS`, `ADMIN`).
    pub async fn earnings(&self, actor: &Actor, shopper_id: &str) -> AppResult<Earnings> {
        if !actor.owns_or_can(Some(shopper_id), Permission::ManagePayouts) {
            return Err(AppError::NotFound("shopper"));
        }
        let balance: Option<i64> = sqlx::query_scalar("SELECT balance FROM ledger_accounts WHERE id = $1")
            .bind(Account::ShopperPayable(shopper_id.into()).id())
            .fetch_optional(self.db.pool())
            .await?;
        let pending: i64 = sqlx::query_scalar(
            "SELECT CAST(COALESCE(SUM(gross), 0) AS BIGINT) FROM payout_lines WHERE shopper_id = $1 AND state = 'PENDING'",
        )
        .bind(shopper_id)
        .fetch_one(self.db.pool())
        .await?;
        let balance = -balance.unwrap_or(0);
        Ok(Earnings {
            shopper_id: shopper_id.to_string(),
            currency: self.currency.clone(),
            balance,
            pending,
            available: balance - pending,
        })
    }

    /// A shopper's history, newest first (keyset on transaction ids).
    pub async fn history(&self, shopper_id: &str, limit: usize, before: Option<&str>) -> AppResult<Page<HistoryLine>> {
        let listing = crate::db::Listing {
            select: "t.id, t.kind, t.memo, -e.amount AS amount, t.currency, t.visit_id, t.wave_id, t.payout_line_id, \
                     t.reverses_id, t.created_at",
            from: "ledger_entries e JOIN ledger_transactions t ON t.id = e.transaction_id",
            filter: "e.account_id = $1",
            args: vec![Account::ShopperPayable(shopper_id.into()).id().into()],
        };
        let newest_first = crate::db::Paging::After {
            column: "t.id",
            after: before.into(),
            descending: true,
        };
        self.db.page::<HistoryLine, _>(listing, newest_first, limit).await
    }

    /// A manual correction by the payments team: positive credits the shopper, negative debits. The
    /// idempotency key is the posting's source key, so a retry posts once; reusing it for something else is a
    /// conflict.
    pub async fn adjust(
        &self,
        actor: &Actor,
        shopper_id: &str,
        amount: i64,
        reason: &str,
        idempotency_key: &str,
    ) -> AppResult<HistoryLine> {
        check_idempotency_key(Some(idempotency_key))?;
        let reason = BoundedText::parse("reason", reason, 3, 500)?.into_inner();
        if amount == 0 {
            return Err(AppError::bad_input("amountKopiykas", crate::msg!("amount-not-zero")));
        }
        if amount.abs() > 100_000_000 {
            return Err(AppError::bad_input("amountKopiykas", crate::msg!("adjustment-too-big")));
        }
        let key = format!("adjustment:{idempotency_key}");
        let posting = ledger::adjustment(&key, shopper_id, amount, &reason, &self.currency)
            .map_err(|e| AppError::Internal(e.into()))?;
        let mut tx = self.db.begin_write().await?;
        let is_shopper: Option<String> = sqlx::query_scalar("SELECT role FROM users WHERE id = $1")
            .bind(shopper_id)
            .fetch_optional(&mut *tx)
            .await?;
        if is_shopper.as_deref() != Some("SHOPPER") {
            return Err(AppError::bad_input("shopperId", crate::msg!("not-a-shopper")));
        }
        let posted = post(
            &mut tx,
            &posting,
            Refs {
                shopper_id: Some(shopper_id),
                actor_id: Some(&actor.user_id),
                ..Refs::default()
            },
        )
        .await?;
        if posted.is_some() {
            audit(
                &mut tx,
                Some(&actor.user_id),
                "ledger.adjust",
                Some(shopper_id),
                Some(&format!("{amount} {}: {reason}", self.currency)),
            )
            .await?;
        }
        tx.commit().await?;
        let line: HistoryLine = sqlx::query_as(
            "SELECT t.id, t.kind, t.memo, -e.amount AS amount, t.currency, t.visit_id, t.wave_id, t.payout_line_id, \
             t.reverses_id, t.created_at FROM ledger_transactions t JOIN ledger_entries e \
             ON e.transaction_id = t.id AND e.account_id LIKE 'shopper:%' WHERE t.source_key = $1",
        )
        .bind(&key)
        .fetch_one(self.db.pool())
        .await?;
        let same: Option<String> = sqlx::query_scalar("SELECT shopper_id FROM ledger_transactions WHERE id = $1")
            .bind(&line.id)
            .fetch_one(self.db.pool())
            .await?;
        if same.as_deref() != Some(shopper_id) || line.amount != amount || line.memo != reason {
            return Err(AppError::conflict_on(
                "idempotencyKey",
                crate::msg!("idempotency-key-reused"),
            ));
        }
        Ok(line)
    }

    /// Totals between two instants (ms), by kind, and by wave and kind.
    pub async fn totals(&self, from: i64, to: i64, by_wave: bool) -> AppResult<Vec<Total>> {
        let sql = if by_wave {
            "SELECT t.wave_id, t.kind, COUNT(*) AS transactions, CAST(COALESCE(SUM(-e.amount), 0) AS BIGINT) AS amount \
             FROM ledger_transactions t JOIN ledger_entries e ON e.transaction_id = t.id \
             WHERE e.account_id LIKE 'shopper:%' AND t.created_at >= $1 AND t.created_at < $2 \
             GROUP BY t.wave_id, t.kind ORDER BY t.wave_id, t.kind"
        } else {
            "SELECT NULL AS wave_id, t.kind, COUNT(*) AS transactions, CAST(COALESCE(SUM(-e.amount), 0) AS BIGINT) AS amount \
             FROM ledger_transactions t JOIN ledger_entries e ON e.transaction_id = t.id \
             WHERE e.account_id LIKE 'shopper:%' AND t.created_at >= $1 AND t.created_at < $2 \
             GROUP BY t.kind ORDER BY t.kind"
        };
        Ok(sqlx::query_as(sql)
            .bind(from)
            .bind(to)
            .fetch_all(self.db.pool())
            .await?)
    }

    /// Checks every invariant the ledger promises: each kept balance equals the sum of its entries, each
    /// transaction balances, all balances sum to zero.
    pub async fn check(&self) -> AppResult<Check> {
        let drifted: Vec<String> = sqlx::query_scalar(
            "SELECT a.id FROM ledger_accounts a LEFT JOIN (SELECT account_id, SUM(amount) AS total FROM ledger_entries \
             GROUP BY account_id) s ON s.account_id = a.id WHERE a.balance <> COALESCE(s.total, 0) ORDER BY a.id",
        )
        .fetch_all(self.db.pool())
        .await?;
        let unbalanced: Vec<String> = sqlx::query_scalar(
            "SELECT t.id FROM ledger_transactions t LEFT JOIN ledger_entries e ON e.transaction_id = t.id \
             GROUP BY t.id HAVING COUNT(e.id) < 2 OR SUM(e.amount) <> 0 ORDER BY t.id",
        )
        .fetch_all(self.db.pool())
        .await?;
        let (accounts, total): (i64, i64) =
            sqlx::query_as("SELECT COUNT(*), CAST(COALESCE(SUM(balance), 0) AS BIGINT) FROM ledger_accounts")
                .fetch_one(self.db.pool())
                .await?;
        let transactions: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM ledger_transactions")
            .fetch_one(self.db.pool())
            .await?;
        Ok(Check {
            accounts,
            transactions,
            drifted_accounts: drifted,
            unbalanced_transactions: unbalanced,
            total,
        })
    }
}
