use iban::IbanLike as _;

use super::{UnknownValue, ValidationError};

/// A bank account number (IBAN), validated by country format and the ISO 7064 mod-97 checksum.
/// Stored in electronic form (no spaces, upper case). A Ukrainian IBAN is `UA` + 2 check digits + 6-digit bank
/// code + 19-digit account: 29 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Iban(String);

impl Iban {
    pub fn parse(field: &str, value: &str) -> Result<Self, ValidationError> {
        let compact: String = value
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_uppercase();
        if compact.starts_with("UA") && compact.len() != 29 {
            return Err(ValidationError::new(
                field,
                crate::msg!("iban-ukrainian-length", got = compact.len()),
            ));
        }
        let parsed: iban::Iban = compact.parse().map_err(|e: iban::ParseIbanError| {
            let reason = match e {
                iban::ParseIbanError::InvalidBaseIban { .. } => crate::msg!("iban-invalid"),
                iban::ParseIbanError::InvalidBban(_) => crate::msg!("iban-invalid-for-country"),
                iban::ParseIbanError::UnknownCountry(_) => crate::msg!("iban-unknown-country"),
            };
            ValidationError::new(field, reason)
        })?;
        Ok(Self(parsed.electronic_str().to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `UA21 3223 …` grouped by four, for display.
    pub fn display_form(&self) -> String {
        self.0
            .as_bytes()
            .chunks(4)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// A Ukrainian taxpayer number (РНОКПП): 10 digits, the last one a check digit:
/// `(−1·d1 + 5·d2 + 7·d3 + 9·d4 + 4·d5 + 6·d6 + 10·d7 + 5·d8 + 7·d9) mod 11 mod 10 = d10`.
///
/// Worked example: `3000000008`: −1·3 = −3; −3 mod 11 = 8; 8 mod 10 = 8 = d10.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaxId(String);

impl TaxId {
    const WEIGHTS: [i32; 9] = [-1, 5, 7, 9, 4, 6, 10, 5, 7];

    pub fn parse(field: &str, value: &str) -> Result<Self, ValidationError> {
        let value = value.trim();
        if value.len() != 10 || !value.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ValidationError::new(field, crate::msg!("tax-id-digits")));
        }
        let digits: Vec<i32> = value.bytes().map(|b| i32::from(b - b'0')).collect();
        if Self::check_digit(&digits[..9]) != digits[9] {
            return Err(ValidationError::new(field, crate::msg!("tax-id-check-digit")));
        }
        Ok(Self(value.to_string()))
    }

    /// The check digit of the first nine digits.
    pub fn check_digit(first_nine: &[i32]) -> i32 {
        let sum: i32 = first_nine.iter().zip(Self::WEIGHTS).map(|(d, w)| d * w).sum();
        sum.rem_euclid(11) % 10
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A payout batch's state: draft → approved (by a second person) or cancelled.
#[derive(async_graphql::Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(name = "PayoutBatchState")]
pub enum BatchState {
    /// Made, waiting for a second person's approval; its shoppers' money is pending.
    Draft,
    /// Approved (immutable): posted to the ledger, ready to export.
    Approved,
    Cancelled,
}

impl BatchState {
    pub const ALL: [BatchState; 3] = [BatchState::Draft, BatchState::Approved, BatchState::Cancelled];

    pub fn as_str(self) -> &'static str {
        match self {
            BatchState::Draft => "DRAFT",
            BatchState::Approved => "APPROVED",
            BatchState::Cancelled => "CANCELLED",
        }
    }

    /// The stored form back; anything else is an error, never a default.
    pub fn parse(text: &str) -> Result<Self, UnknownValue> {
        Self::ALL
            .into_iter()
            .find(|s| s.as_str() == text)
            .ok_or_else(|| UnknownValue::new("payout batch state", text))
    }

    /// Only a draft is decided, once.
    pub fn may_become(self, next: BatchState) -> bool {
        matches!(
            (self, next),
            (BatchState::Draft, BatchState::Approved | BatchState::Cancelled)
        )
    }
}

impl TryFrom<String> for BatchState {
    type Error = UnknownValue;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        BatchState::parse(&text)
    }
}

/// One payment's state: pending in a draft → sent when the batch is approved (or cancelled with it) → paid or
/// failed by the bank's answer.
#[derive(async_graphql::Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(name = "PayoutLineState")]
pub enum LineState {
    /// In a draft batch.
    Pending,
    /// Batch approved; waiting for the bank's answer.
    Sent,
    Paid,
    /// The bank refused; the money is back on the shopper's balance.
    Failed,
    Cancelled,
}

impl LineState {
    pub const ALL: [LineState; 5] = [
        LineState::Pending,
        LineState::Sent,
        LineState::Paid,
        LineState::Failed,
        LineState::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            LineState::Pending => "PENDING",
            LineState::Sent => "SENT",
            LineState::Paid => "PAID",
            LineState::Failed => "FAILED",
            LineState::Cancelled => "CANCELLED",
        }
    }

    /// The stored form back; anything else is an error, never a default.
    pub fn parse(text: &str) -> Result<Self, UnknownValue> {
        Self::ALL
            .into_iter()
            .find(|s| s.as_str() == text)
            .ok_or_else(|| UnknownValue::new("payout line state", text))
    }

    /// Pending lines go out with their batch or are cancelled with it; the bank's answer settles a sent one.
    pub fn may_become(self, next: LineState) -> bool {
        use LineState::*;
        matches!((self, next), (Pending, Sent | Cancelled) | (Sent, Paid | Failed))
    }
}

impl TryFrom<String> for LineState {
    type Error = UnknownValue;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        LineState::parse(&text)
    }
}

/// What a shopper is owed when a period closes, as the ledger and the profile hold it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Owed {
    pub shopper_id: String,
    /// On the account now, and at the end of the period (kopiykas).
    pub now: i64,
    pub at_period_end: i64,
    pub iban: String,
    pub account_holder: String,
    pub tax_id: String,
}

/// One payment a batch will make.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedLine {
    pub shopper_id: String,
    pub iban: String,
    pub account_holder: String,
    pub tax_id: String,
    pub split: super::ledger::Split,
}

/// A shopper a batch leaves out, and why (told to the payments team).
#[derive(Debug, Clone, PartialEq)]
pub struct LeftOut {
    pub shopper_id: String,
    /// The account holder on file, so the payments team reads a name.
    pub account_holder: String,
    pub available: i64,
    pub reason: super::Msg,
}

/// A batch as planned: its lines in order and whom it leaves out.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BatchPlan {
    pub lines: Vec<PlannedLine>,
    pub left_out: Vec<LeftOut>,
}

impl BatchPlan {
    pub fn gross(&self) -> i64 {
        self.lines.iter().map(|l| l.split.gross).sum()
    }
    pub fn withheld(&self) -> i64 {
        self.lines.iter().map(|l| l.split.withheld()).sum()
    }
    pub fn net(&self) -> i64 {
        self.lines.iter().map(|l| l.split.net).sum()
    }
}

/// Plans a period's batch (pure): each shopper is paid what they were owed both at the period's end and now
/// (the smaller; at least `min_payout`), with tax withheld; one with an IBAN that is not valid is left out with
/// the reason; a payment that would be nothing after withholding is not made.
pub fn plan_batch(owed: Vec<Owed>, min_payout: i64, withholding: &super::ledger::Withholding) -> BatchPlan {
    let mut plan = BatchPlan::default();
    for o in owed {
        let gross = o.now.min(o.at_period_end);
        if gross < min_payout.max(1) {
            continue;
        }
        let iban = match Iban::parse("iban", &o.iban) {
            Ok(iban) => iban,
            Err(e) => {
                plan.left_out.push(LeftOut {
                    shopper_id: o.shopper_id,
                    account_holder: o.account_holder,
                    available: gross,
                    reason: crate::msg!("payout-left-out-iban", why = e.message),
                });
                continue;
            }
        };
        let split = withholding.split(gross);
        if split.net <= 0 {
            continue;
        }
        plan.lines.push(PlannedLine {
            shopper_id: o.shopper_id,
            iban: iban.as_str().to_string(),
            account_holder: o.account_holder,
            tax_id: o.tax_id,
            split,
        });
    }
    plan
}

/// Every change of a payout batch's state, named after the operation that makes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BatchMove {
    /// `approvePayoutBatch`, by a second person: its lines are posted and sent.
    Approve,
    /// `cancelPayoutBatch`: its shoppers' money is available again.
    Cancel,
}

impl BatchMove {
    pub const ALL: [BatchMove; 2] = [BatchMove::Approve, BatchMove::Cancel];

    pub fn from(self) -> &'static [BatchState] {
        &[BatchState::Draft]
    }

    pub fn to(self) -> BatchState {
        match self {
            BatchMove::Approve => BatchState::Approved,
            BatchMove::Cancel => BatchState::Cancelled,
        }
    }

    pub fn applies_to(self, state: BatchState) -> bool {
        self.from().contains(&state)
    }

    /// The starting states as an SQL list of literals, for a conditional `UPDATE … WHERE state IN (…)`.
    pub fn from_sql(self) -> String {
        super::sql_literals(self.from().iter().map(|s| s.as_str()))
    }
}

/// Every change of a payout line's state, named after what makes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineMove {
    /// Its batch is approved: the payment goes to the bank.
    Send,
    /// Its batch is cancelled before approval.
    Withdraw,
    /// The bank paid it.
    Pay,
    /// The bank refused it (the money goes back to the shopper's balance).
    Fail,
}

impl LineMove {
    pub const ALL: [LineMove; 4] = [LineMove::Send, LineMove::Withdraw, LineMove::Pay, LineMove::Fail];

    pub fn from(self) -> &'static [LineState] {
        match self {
            LineMove::Send | LineMove::Withdraw => &[LineState::Pending],
            LineMove::Pay | LineMove::Fail => &[LineState::Sent],
        }
    }

    pub fn to(self) -> LineState {
        match self {
            LineMove::Send => LineState::Sent,
            LineMove::Withdraw => LineState::Cancelled,
            LineMove::Pay => LineState::Paid,
            LineMove::Fail => LineState::Failed,
        }
    }

    pub fn applies_to(self, state: LineState) -> bool {
        self.from().contains(&state)
    }

    /// The starting states as an SQL list of literals, for a conditional `UPDATE … WHERE state IN (…)`.
    pub fn from_sql(self) -> String {
        super::sql_literals(self.from().iter().map(|s| s.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_batch_pays_the_smaller_of_then_and_now_and_names_whom_it_leaves_out() {
        use super::super::ledger::Withholding;
        let owed = |id: &str, now: i64, then: i64, iban: &str| Owed {
            shopper_id: id.into(),
            now,
            at_period_end: then,
            iban: iban.into(),
            account_holder: "Олена Петренко".into(),
            tax_id: "3000000008".into(),
        };
        let good = "UA213223130000026007233566001";
        let plan = plan_batch(
            vec![
                owed("a", 60_000, 40_000, good),
                owed("b", 5_000, 90_000, good),
                owed("c", 70_000, 70_000, "UA000"),
            ],
            10_000,
            &Withholding::UKRAINE,
        );
        assert_eq!(plan.lines.len(), 1);
        assert_eq!(plan.lines[0].shopper_id, "a");
        assert_eq!(plan.lines[0].split.gross, 40_000);
        assert_eq!(plan.gross(), plan.withheld() + plan.net());
        assert_eq!(plan.left_out.len(), 1);
        assert!(
            crate::i18n::render(crate::domain::Language::En, &plan.left_out[0].reason).starts_with("the IBAN on file"),
            "{:?}",
            plan.left_out
        );
    }

    #[test]
    fn every_batch_and_line_move_is_allowed_and_every_allowed_change_has_a_move() {
        for mv in BatchMove::ALL {
            for &from in mv.from() {
                assert!(from.may_become(mv.to()), "{mv:?}");
            }
        }
        for from in BatchState::ALL {
            for to in BatchState::ALL.into_iter().filter(|&to| from.may_become(to)) {
                assert!(
                    BatchMove::ALL.iter().any(|mv| mv.applies_to(from) && mv.to() == to),
                    "{from:?} → {to:?} has no named move"
                );
            }
        }
        for mv in LineMove::ALL {
            for &from in mv.from() {
                assert!(from.may_become(mv.to()), "{mv:?}");
            }
        }
        for from in LineState::ALL {
            for to in LineState::ALL.into_iter().filter(|&to| from.may_become(to)) {
                assert!(
                    LineMove::ALL.iter().any(|mv| mv.applies_to(from) && mv.to() == to),
                    "{from:?} → {to:?} has no named move"
                );
            }
        }
        assert_eq!(LineMove::Pay.from_sql(), "'SENT'");
    }

    #[test]
    fn payout_states_round_trip_and_settle_once() {
        for s in BatchState::ALL {
            assert_eq!(BatchState::parse(s.as_str()).unwrap(), s);
        }
        for s in LineState::ALL {
            assert_eq!(LineState::parse(s.as_str()).unwrap(), s);
        }
        assert!(BatchState::parse("approved").is_err() && LineState::parse("").is_err());
        assert!(BatchState::Draft.may_become(BatchState::Approved));
        assert!(!BatchState::Approved.may_become(BatchState::Cancelled));
        assert!(LineState::Sent.may_become(LineState::Failed));
        assert!(!LineState::Paid.may_become(LineState::Failed) && !LineState::Failed.may_become(LineState::Paid));
    }

    #[test]
    fn ukrainian_ibans_are_checked() {
        let iban = Iban::parse("iban", "ua21 3223 1300 0002 6007 2335 6600 1").unwrap();
        assert_eq!(iban.as_str(), "UA213223130000026007233566001");
        assert_eq!(iban.display_form(), "UA21 3223 1300 0002 6007 2335 6600 1");
        // One digit changed: the checksum fails.
        assert!(Iban::parse("iban", "UA213223130000026007233566002").is_err());
        // Too short for Ukraine.
        let err = Iban::parse("iban", "UA21322313000002600723356600").unwrap_err();
        assert_eq!(err.message, crate::msg!("iban-ukrainian-length", got = 28), "{err}");
        assert!(Iban::parse("iban", "not an iban").is_err());
        // Other countries' IBANs are accepted when valid.
        assert!(Iban::parse("iban", "DE89 3704 0044 0532 0130 00").is_ok());
    }

    #[test]
    fn taxpayer_numbers_have_a_check_digit() {
        for good in ["3000000008", "3124567896", "2456789015"] {
            assert!(TaxId::parse("taxId", good).is_ok(), "{good}");
        }
        assert_eq!(
            TaxId::parse("taxId", "3000000007").unwrap_err().message.code,
            "tax-id-check-digit"
        );
        assert!(TaxId::parse("taxId", "300000000").is_err());
        assert!(TaxId::parse("taxId", "30000000a8").is_err());
    }
}
