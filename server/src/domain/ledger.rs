//! The payout ledger's rules: accounts, balanced transactions, what each event posts, tax withholding and
//! reversals. Pure: no I/O; `ledger` (the service) writes what these functions decide.
//!
//! Sign convention: an entry's amount is positive for a debit and negative for a credit; the entries of every
//! transaction sum to zero, so the balances of all accounts together are always zero. A shopper's payable is a
//! liability (credit balance): what we owe a shopper is the negated balance of their account.

use std::collections::BTreeMap;

use super::{UnknownValue, ValidationError};

/// The currency of every amount unless configured otherwise.
pub const DEFAULT_CURRENCY: &str = "UAH";

/// The ledger's accounts: one payable per shopper, and the company's own accounts.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Account {
    /// What the company owes one shopper.
    ShopperPayable(String),
    /// Evaluation fees (expense).
    FeeExpense,
    /// Receipt reimbursements (expense).
    ReimbursementExpense,
    /// Hard-to-fill bonuses (expense).
    BonusExpense,
    /// Personal income tax and military levy withheld at payout, owed to the state.
    TaxWithheld,
    /// Money sent to the bank for payment.
    BankClearing,
    /// Manual corrections by the payments team (expense or income).
    Adjustments,
}

impl Account {
    /// The account's id in the database: `shopper:<user id>` or the kind's name.
    pub fn id(&self) -> String {
        match self {
            Account::ShopperPayable(shopper) => format!("shopper:{shopper}"),
            other => other.kind().to_ascii_lowercase(),
        }
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Account::ShopperPayable(_) => "SHOPPER_PAYABLE",
            Account::FeeExpense => "FEE_EXPENSE",
            Account::ReimbursementExpense => "REIMBURSEMENT_EXPENSE",
            Account::BonusExpense => "BONUS_EXPENSE",
            Account::TaxWithheld => "TAX_WITHHELD",
            Account::BankClearing => "BANK_CLEARING",
            Account::Adjustments => "ADJUSTMENTS",
        }
    }

    /// The account an id names (the inverse of [`Account::id`]).
    pub fn from_id(id: &str) -> Option<Account> {
        if let Some(shopper) = id.strip_prefix("shopper:") {
            return Some(Account::ShopperPayable(shopper.to_string()));
        }
        Some(match id {
            "fee_expense" => Account::FeeExpense,
            "reimbursement_expense" => Account::ReimbursementExpense,
            "bonus_expense" => Account::BonusExpense,
            "tax_withheld" => Account::TaxWithheld,
            "bank_clearing" => Account::BankClearing,
            "adjustments" => Account::Adjustments,
            _ => return None,
        })
    }

    pub fn shopper(&self) -> Option<&str> {
        match self {
            Account::ShopperPayable(s) => Some(s),
            _ => None,
        }
    }
}

/// Why a transaction was posted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    VisitApproval,
    ApprovalRevoked,
    Adjustment,
    Payout,
    PayoutFailed,
}

impl Kind {
    /// The stored form back; anything else is an error, never a default.
    pub fn parse(text: &str) -> Result<Kind, UnknownValue> {
        Ok(match text {
            "VISIT_APPROVAL" => Kind::VisitApproval,
            "APPROVAL_REVOKED" => Kind::ApprovalRevoked,
            "ADJUSTMENT" => Kind::Adjustment,
            "PAYOUT" => Kind::Payout,
            "PAYOUT_FAILED" => Kind::PayoutFailed,
            _ => return Err(UnknownValue::new("ledger transaction kind", text)),
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::VisitApproval => "VISIT_APPROVAL",
            Kind::ApprovalRevoked => "APPROVAL_REVOKED",
            Kind::Adjustment => "ADJUSTMENT",
            Kind::Payout => "PAYOUT",
            Kind::PayoutFailed => "PAYOUT_FAILED",
        }
    }
}

impl TryFrom<String> for Kind {
    type Error = UnknownValue;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        Kind::parse(&text)
    }
}

/// A refusal of the ledger rules (a bug in the caller, or bad input that got this far).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LedgerError {
    #[error("a transaction needs at least two entries")]
    TooFewEntries,
    #[error("an entry of zero on {0}")]
    ZeroEntry(String),
    #[error("entries do not balance: debits − credits = {0}")]
    Unbalanced(i64),
    #[error("amount overflow")]
    Overflow,
}

/// A balanced transaction ready to be written, identified by its source key (posting it twice posts it once).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Posting {
    pub source_key: String,
    pub kind: Kind,
    pub memo: String,
    pub currency: String,
    pub entries: Vec<(Account, i64)>,
}

impl Posting {
    /// Checks the entries: at least two, none zero, debits equal credits. Entries on the same account are merged.
    pub fn new(
        source_key: impl Into<String>,
        kind: Kind,
        memo: impl Into<String>,
        currency: &str,
        entries: Vec<(Account, i64)>,
    ) -> Result<Self, LedgerError> {
        let mut merged: BTreeMap<Account, i64> = BTreeMap::new();
        for (account, amount) in entries {
            let slot = merged.entry(account).or_insert(0);
            *slot = slot.checked_add(amount).ok_or(LedgerError::Overflow)?;
        }
        let entries: Vec<(Account, i64)> = merged.into_iter().filter(|(_, a)| *a != 0).collect();
        if entries.len() < 2 {
            return Err(LedgerError::TooFewEntries);
        }
        let mut sum: i64 = 0;
        for (_, amount) in &entries {
            sum = sum.checked_add(*amount).ok_or(LedgerError::Overflow)?;
        }
        if sum != 0 {
            return Err(LedgerError::Unbalanced(sum));
        }
        if let Some((account, _)) = entries.iter().find(|(_, a)| *a == 0) {
            return Err(LedgerError::ZeroEntry(account.id()));
        }
        Ok(Self {
            source_key: source_key.into(),
            kind,
            memo: memo.into(),
            currency: currency.to_string(),
            entries,
        })
    }

    /// The transaction that undoes this one: every entry negated.
    pub fn reversal(&self, source_key: impl Into<String>, kind: Kind, memo: impl Into<String>) -> Posting {
        Posting {
            source_key: source_key.into(),
            kind,
            memo: memo.into(),
            currency: self.currency.clone(),
            entries: self.entries.iter().map(|(a, amount)| (a.clone(), -amount)).collect(),
        }
    }

    /// The change this posting makes to what is owed to `shopper` (positive: owed more).
    pub fn owed_change(&self, shopper: &str) -> i64 {
        self.entries
            .iter()
            .filter(|(a, _)| a.shopper() == Some(shopper))
            .map(|(_, amount)| -amount)
            .sum()
    }
}

/// What an approved visit earns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VisitEarnings {
    pub fee: i64,
    pub bonus: i64,
    /// The receipt amounts the shopper declared, in total.
    pub receipts: i64,
    /// The wave's reimbursement cap per visit.
    pub reimbursement_cap: i64,
}

impl VisitEarnings {
    /// The reimbursement paid: the receipts up to the cap.
    pub fn reimbursement(&self) -> i64 {
        self.receipts.clamp(0, self.reimbursement_cap.max(0))
    }

    pub fn total(&self) -> i64 {
        self.fee + self.bonus + self.reimbursement()
    }
}

/// Source keys: one per event, so retries and duplicate events post once.
pub fn approval_key(visit_id: &str) -> String {
    format!("visit:{visit_id}:approval")
}

pub fn revocation_key(visit_id: &str) -> String {
    format!("visit:{visit_id}:revocation")
}

pub fn payout_key(line_id: &str) -> String {
    format!("payout-line:{line_id}")
}

pub fn payout_failed_key(line_id: &str) -> String {
    format!("payout-line:{line_id}:failed")
}

/// Visit approved: fee, bonus and reimbursement expenses on one side, the shopper's payable on the other.
/// `None` when the visit earns nothing (a zero fee and no receipt). `place` is the venue's and the wave's name,
/// for the shopper's history.
pub fn visit_approval(
    visit_id: &str,
    place: (&str, &str),
    shopper: &str,
    earnings: VisitEarnings,
    currency: &str,
) -> Result<Option<Posting>, LedgerError> {
    if earnings.total() == 0 {
        return Ok(None);
    }
    Posting::new(
        approval_key(visit_id),
        Kind::VisitApproval,
        crate::msg!("memo-visit-approved", venue = place.0, wave = place.1).to_json(),
        currency,
        vec![
            (Account::FeeExpense, earnings.fee),
            (Account::BonusExpense, earnings.bonus),
            (Account::ReimbursementExpense, earnings.reimbursement()),
            (Account::ShopperPayable(shopper.to_string()), -earnings.total()),
        ],
    )
    .map(Some)
}

/// A manual correction: positive `amount` credits the shopper (we owe more), negative debits.
pub fn adjustment(
    source_key: &str,
    shopper: &str,
    amount: i64,
    reason: &str,
    currency: &str,
) -> Result<Posting, LedgerError> {
    Posting::new(
        source_key,
        Kind::Adjustment,
        reason,
        currency,
        vec![
            (Account::Adjustments, amount),
            (Account::ShopperPayable(shopper.to_string()), -amount),
        ],
    )
}

/// Tax withheld from a payment to an individual: personal income tax and military levy, in basis points of
/// the gross amount (Ukraine: 1,800 and 500), each rounded half up to the kopiyka.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Withholding {
    pub income_tax_bp: u32,
    pub military_levy_bp: u32,
}

impl Withholding {
    pub const UKRAINE: Withholding = Withholding {
        income_tax_bp: 1_800,
        military_levy_bp: 500,
    };
    pub const NONE: Withholding = Withholding {
        income_tax_bp: 0,
        military_levy_bp: 0,
    };

    pub fn split(&self, gross: i64) -> Split {
        let part = |bp: u32| (i128::from(gross) * i128::from(bp) * 2 + 10_000).div_euclid(20_000) as i64;
        let income_tax = part(self.income_tax_bp);
        let military_levy = part(self.military_levy_bp);
        Split {
            gross,
            income_tax,
            military_levy,
            net: gross - income_tax - military_levy,
        }
    }
}

/// A payout line's amounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Split {
    pub gross: i64,
    pub income_tax: i64,
    pub military_levy: i64,
    pub net: i64,
}

impl Split {
    pub fn withheld(&self) -> i64 {
        self.income_tax + self.military_levy
    }
}

/// A payout line sent to the bank: the shopper's payable is settled by the net amount (bank clearing) and the
/// tax withheld.
pub fn payout(
    line_id: &str,
    shopper: &str,
    split: Split,
    period: &str,
    currency: &str,
) -> Result<Posting, LedgerError> {
    if split.gross <= 0 || split.net <= 0 {
        return Err(LedgerError::ZeroEntry(Account::ShopperPayable(shopper.into()).id()));
    }
    Posting::new(
        payout_key(line_id),
        Kind::Payout,
        crate::msg!("memo-payout", period = period).to_json(),
        currency,
        vec![
            (Account::ShopperPayable(shopper.to_string()), split.gross),
            (Account::TaxWithheld, -split.withheld()),
            (Account::BankClearing, -split.net),
        ],
    )
}

/// Checks a payout amount: positive, and in the batch's currency.
pub fn check_payout(field: &str, gross: i64, currency: &str, batch_currency: &str) -> Result<(), ValidationError> {
    if gross <= 0 {
        return Err(ValidationError::new(field, crate::msg!("payout-positive")));
    }
    if currency != batch_currency {
        return Err(ValidationError::new(
            field,
            crate::msg!("payout-currency", currency = currency, batch_currency = batch_currency),
        ));
    }
    Ok(())
}

/// Formats kopiykas as a decimal amount with two places: `12345` → `123.45`, `-5` → `-0.05`.
pub fn decimal(kopiykas: i64) -> String {
    let sign = if kopiykas < 0 { "-" } else { "" };
    let abs = kopiykas.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

/// An in-memory ledger that applies postings exactly as the database does (idempotent by source key).
/// Used by the property tests, and by anyone who wants to reason about a sequence of postings.
#[derive(Debug, Default, Clone)]
pub struct Book {
    pub balances: BTreeMap<Account, i64>,
    pub postings: BTreeMap<String, Posting>,
}

impl Book {
    /// Posts once per source key; returns whether it was new.
    pub fn post(&mut self, posting: &Posting) -> bool {
        if self.postings.contains_key(&posting.source_key) {
            return false;
        }
        for (account, amount) in &posting.entries {
            *self.balances.entry(account.clone()).or_insert(0) += amount;
        }
        self.postings.insert(posting.source_key.clone(), posting.clone());
        true
    }

    pub fn balance(&self, account: &Account) -> i64 {
        self.balances.get(account).copied().unwrap_or(0)
    }

    /// What the company owes the shopper.
    pub fn owed(&self, shopper: &str) -> i64 {
        -self.balance(&Account::ShopperPayable(shopper.to_string()))
    }

    /// Balances recomputed from the postings' entries.
    pub fn recomputed(&self) -> BTreeMap<Account, i64> {
        let mut sums = BTreeMap::new();
        for posting in self.postings.values() {
            for (account, amount) in &posting.entries {
                *sums.entry(account.clone()).or_insert(0) += amount;
            }
        }
        sums.retain(|_, v| *v != 0);
        sums
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn postings_must_balance() {
        let a = Account::ShopperPayable("s".into());
        assert_eq!(
            Posting::new(
                "k",
                Kind::Adjustment,
                "m",
                "UAH",
                vec![(a.clone(), 5), (Account::Adjustments, -4)]
            ),
            Err(LedgerError::Unbalanced(1))
        );
        assert_eq!(
            Posting::new("k", Kind::Adjustment, "m", "UAH", vec![(a.clone(), 5), (a.clone(), -5)]),
            Err(LedgerError::TooFewEntries)
        );
        let p = Posting::new(
            "k",
            Kind::Adjustment,
            "m",
            "UAH",
            vec![(a.clone(), 5), (Account::Adjustments, -5), (Account::FeeExpense, 0)],
        )
        .unwrap();
        assert_eq!(p.entries.len(), 2, "zero entries are dropped");
        assert_eq!(p.owed_change("s"), -5);
        for account in [a, Account::FeeExpense, Account::TaxWithheld, Account::Adjustments] {
            assert_eq!(Account::from_id(&account.id()), Some(account));
        }
    }

    #[test]
    fn approval_pays_fee_bonus_and_capped_receipt() {
        let e = VisitEarnings {
            fee: 40_000,
            bonus: 5_000,
            receipts: 30_000,
            reimbursement_cap: 20_000,
        };
        let p = visit_approval("v1", ("ЦНАП", "Грудень"), "s1", e, "UAH")
            .unwrap()
            .unwrap();
        assert_eq!(p.source_key, "visit:v1:approval");
        assert_eq!(p.owed_change("s1"), 65_000);
        assert!(p.entries.contains(&(Account::ReimbursementExpense, 20_000)));
        let nothing = VisitEarnings {
            fee: 0,
            bonus: 0,
            receipts: 0,
            reimbursement_cap: 0,
        };
        assert_eq!(
            visit_approval("v2", ("ЦНАП", "Грудень"), "s1", nothing, "UAH"),
            Ok(None)
        );
    }

    #[test]
    fn ukrainian_withholding_rounds_half_up() {
        let s = Withholding::UKRAINE.split(100_000);
        assert_eq!((s.income_tax, s.military_levy, s.net), (18_000, 5_000, 77_000));
        // 18 % of 0.05 UAH is 0.9 kopiyka → 1; 5 % is 0.25 → 0.
        let s = Withholding::UKRAINE.split(5);
        assert_eq!((s.income_tax, s.military_levy, s.net), (1, 0, 4));
        // 18 % of 0.25 UAH is 4.5 kopiykas → 5 (half up).
        assert_eq!(Withholding::UKRAINE.split(25).income_tax, 5);
        assert_eq!(Withholding::NONE.split(12_345).net, 12_345);
    }

    #[test]
    fn payout_posting_settles_the_payable() {
        let split = Withholding::UKRAINE.split(65_000);
        let p = payout("l1", "s1", split, "2026-11", "UAH").unwrap();
        assert_eq!(p.owed_change("s1"), -65_000);
        assert!(p.entries.contains(&(Account::BankClearing, -split.net)));
        assert!(payout("l2", "s1", Withholding::UKRAINE.split(0), "2026-11", "UAH").is_err());
    }

    #[test]
    fn amounts_format_with_two_places() {
        assert_eq!(decimal(12_345), "123.45");
        assert_eq!(decimal(5), "0.05");
        assert_eq!(decimal(-5), "-0.05");
        assert_eq!(decimal(0), "0.00");
    }

    #[test]
    fn payout_amounts_are_checked() {
        assert_eq!(check_payout("gross", 0, "UAH", "UAH").unwrap_err().field, "gross");
        assert!(check_payout("gross", -1, "UAH", "UAH").is_err());
        assert!(check_payout("gross", 1, "EUR", "UAH")
            .unwrap_err()
            .to_string()
            .contains("EUR"));
        assert!(check_payout("gross", 1, "UAH", "UAH").is_ok());
    }

    /// An operation in a random sequence.
    #[derive(Debug, Clone)]
    enum Op {
        Approve {
            visit: u8,
            shopper: u8,
            fee: i64,
            bonus: i64,
            receipts: i64,
        },
        Revoke {
            visit: u8,
        },
        Adjust {
            key: u8,
            shopper: u8,
            amount: i64,
        },
        Pay {
            shopper: u8,
        },
        Fail {
            line: u8,
        },
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            (0u8..12, 0u8..4, 0i64..100_000, 0i64..10_000, 0i64..50_000).prop_map(
                |(visit, shopper, fee, bonus, receipts)| Op::Approve {
                    visit,
                    shopper,
                    fee,
                    bonus,
                    receipts
                }
            ),
            (0u8..12).prop_map(|visit| Op::Revoke { visit }),
            (0u8..8, 0u8..4, -50_000i64..50_000).prop_map(|(key, shopper, amount)| Op::Adjust { key, shopper, amount }),
            (0u8..4).prop_map(|shopper| Op::Pay { shopper }),
            (0u8..16).prop_map(|line| Op::Fail { line }),
        ]
    }

    proptest! {
        /// Whatever happens, in whatever order, repeated or not: balances equal the sums of their entries, all
        /// accounts together sum to zero, a source key posts once, and a reversal restores the previous balance.
        #[test]
        fn balances_never_drift(ops in proptest::collection::vec(op(), 1..60)) {
            let mut book = Book::default();
            let mut lines: Vec<(String, String)> = Vec::new();
            for op in ops {
                match op {
                    Op::Approve { visit, shopper, fee, bonus, receipts } => {
                        let e = VisitEarnings { fee, bonus, receipts, reimbursement_cap: 20_000 };
                        if let Some(p) = visit_approval(&format!("v{visit}"), ("venue", "wave"), &format!("s{shopper}"), e, "UAH").unwrap() {
                            let before = book.owed(&format!("s{shopper}"));
                            let new = book.post(&p);
                            let after = book.owed(&format!("s{shopper}"));
                            prop_assert_eq!(after - before, if new { e.total() } else { 0 });
                        }
                    }
                    Op::Revoke { visit } => {
                        let original = book.postings.get(&approval_key(&format!("v{visit}"))).cloned();
                        if let Some(original) = original {
                            let shopper = original.entries.iter().find_map(|(a, _)| a.shopper().map(str::to_string)).unwrap();
                            let before = book.owed(&shopper);
                            let r = original.reversal(revocation_key(&format!("v{visit}")), Kind::ApprovalRevoked, "revoked");
                            if book.post(&r) {
                                prop_assert_eq!(book.owed(&shopper), before - original.owed_change(&shopper));
                            }
                        }
                    }
                    Op::Adjust { key, shopper, amount } => {
                        if let Ok(p) = adjustment(&format!("adj:{key}"), &format!("s{shopper}"), amount, "fix", "UAH") {
                            book.post(&p);
                        }
                    }
                    Op::Pay { shopper } => {
                        let s = format!("s{shopper}");
                        let owed = book.owed(&s);
                        let split = Withholding::UKRAINE.split(owed);
                        let line = format!("l{}", lines.len());
                        if let Ok(p) = payout(&line, &s, split, "2026-11", "UAH") {
                            prop_assert!(book.post(&p));
                            prop_assert_eq!(book.owed(&s), 0);
                            lines.push((line, s));
                        }
                    }
                    Op::Fail { line } => {
                        if let Some((id, shopper)) = lines.get(line as usize).cloned() {
                            let before = book.owed(&shopper);
                            let original = book.postings[&payout_key(&id)].clone();
                            let r = original.reversal(payout_failed_key(&id), Kind::PayoutFailed, "failed");
                            if book.post(&r) {
                                prop_assert_eq!(book.owed(&shopper), before + original.entries.iter()
                                    .find(|(a, _)| a.shopper() == Some(shopper.as_str())).unwrap().1);
                            }
                        }
                    }
                }
                let mut balances = book.balances.clone();
                balances.retain(|_, v| *v != 0);
                prop_assert_eq!(&balances, &book.recomputed());
                prop_assert_eq!(book.balances.values().sum::<i64>(), 0);
                for p in book.postings.values() {
                    prop_assert_eq!(p.entries.iter().map(|(_, a)| a).sum::<i64>(), 0);
                }
            }
        }
    }
}
