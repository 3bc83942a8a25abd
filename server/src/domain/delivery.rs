//! Messages to citizens once they leave (docs/INVITATIONS.md): how many SMS segments a text costs, what a
//! provider's answer means for the outbox (accepted, refused for good, or worth another try and when), and the
//! one status an invitation shows whatever order the provider's reports arrive in. Pure: the outbox
//! (`crate::invitations`) passes in the answers and the time.

use std::time::Duration;

/// Characters of the GSM 03.38 basic set (one septet each).
const GSM_BASIC: &str = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
/// Characters of its extension table (an escape and a septet: two each).
const GSM_EXTENDED: &str = "^{}\\[~]|€\x0c";

/// How a text travels as SMS: its encoding and the segments it takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SmsSize {
    /// GSM 7-bit (Latin) or UCS-2 (anything else, e.g. Cyrillic).
    pub ucs2: bool,
    /// Septets (GSM) or UTF-16 units (UCS-2).
    pub units: usize,
    pub segments: u32,
}

/// The segments of an SMS: GSM 7-bit carries 160 septets in one segment and 153 per segment of a longer one;
/// UCS-2 (Cyrillic) 70 UTF-16 units in one, 67 per segment of a longer one.
pub fn sms_size(text: &str) -> SmsSize {
    let septets = text.chars().try_fold(0usize, |n, c| {
        if GSM_BASIC.contains(c) {
            Some(n + 1)
        } else if GSM_EXTENDED.contains(c) {
            Some(n + 2)
        } else {
            None
        }
    });
    let (ucs2, units, single, multi) = match septets {
        Some(n) => (false, n, 160, 153),
        None => (true, text.encode_utf16().count(), 70, 67),
    };
    let segments = if units <= single {
        1
    } else {
        units.div_ceil(multi) as u32
    };
    SmsSize { ucs2, units, segments }
}

/// Why a provider refused a message for good (it is never sent again).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Not a number the provider can reach.
    RejectedNumber,
    /// The number is on the provider's stop list (the citizen blocked the sender).
    StopListed,
    /// The text is too long or not allowed.
    TextRefused,
    /// Our account: credentials, balance, sender name. Staff must act; the invitation fails.
    Account,
    /// Anything else the provider named.
    Other,
}

impl Refusal {
    pub fn code(self) -> &'static str {
        match self {
            Refusal::RejectedNumber => "REJECTED_NUMBER",
            Refusal::StopListed => "STOP_LISTED",
            Refusal::TextRefused => "TEXT_REFUSED",
            Refusal::Account => "PROVIDER_ACCOUNT",
            Refusal::Other => "PROVIDER_REFUSED",
        }
    }
}

/// What one try to hand a message to a provider came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendOutcome {
    /// The provider took the message (its id, to follow its status).
    Accepted { message_id: String },
    /// The provider said no for good.
    Refused { refusal: Refusal, detail: String },
    /// Nothing was taken (the network, a time-out, 5xx, 429): worth another try, after `after` if the provider
    /// said when (Retry-After).
    Transient { after: Option<Duration>, detail: String },
}

/// What the outbox does after a transient failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retry {
    At(i64),
    GiveUp,
}

/// How the outbox retries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    pub max_tries: u32,
    pub base_ms: i64,
    pub max_ms: i64,
}

/// The next try after `tries` failed ones, at `now_ms`: exponential backoff (`base · 2^(tries−1)`, capped) with
/// jitter (`jitter` in 0..1 takes up to half the delay off, so many servers' retries spread out), never before
/// the provider's Retry-After; gives up after `max_tries` or when the next try would come after `deadline_ms`.
pub fn retry_after_failure(
    policy: RetryPolicy,
    tries: u32,
    provider_after: Option<Duration>,
    now_ms: i64,
    deadline_ms: i64,
    jitter: f64,
) -> Retry {
    if tries >= policy.max_tries {
        return Retry::GiveUp;
    }
    let exponent = tries.clamp(1, 30) - 1;
    let backoff = policy.base_ms.saturating_mul(1i64 << exponent).min(policy.max_ms);
    let backoff = backoff - (backoff as f64 * jitter.clamp(0.0, 1.0) / 2.0) as i64;
    let asked = provider_after.map_or(0, |d| d.as_millis() as i64);
    let at = now_ms + backoff.max(asked);
    if at > deadline_ms {
        Retry::GiveUp
    } else {
        Retry::At(at)
    }
}

/// Where a message is, as every provider's reports are normalised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Delivery {
    /// Taken by the provider, not yet on the network.
    Queued,
    Sent,
    Delivered,
    /// Viber only: the citizen opened the message.
    Read,
    /// The provider could not deliver it (the reason kept beside).
    Failed,
    /// Its time to live ran out undelivered.
    Expired,
}

impl Delivery {
    pub fn as_str(self) -> &'static str {
        match self {
            Delivery::Queued => "QUEUED",
            Delivery::Sent => "SENT",
            Delivery::Delivered => "DELIVERED",
            Delivery::Read => "READ",
            Delivery::Failed => "FAILED",
            Delivery::Expired => "EXPIRED",
        }
    }

    /// How far along: a report never moves a message back (reports arrive late, twice, out of order), and once
    /// delivered a later failure report (e.g. of the fallback never needed) changes nothing.
    fn rank(self) -> u8 {
        match self {
            Delivery::Queued => 0,
            Delivery::Sent => 1,
            Delivery::Failed | Delivery::Expired => 2,
            Delivery::Delivered => 3,
            Delivery::Read => 4,
        }
    }

    /// Final: nothing more will be reported.
    pub fn is_final(self) -> bool {
        matches!(self, Delivery::Read | Delivery::Failed | Delivery::Expired)
    }
}

/// The status after a report: the report's if it moves the message on, else the current one. A failure may
/// follow a failure (a reason is refined) but never a delivery.
pub fn after_report(current: Option<Delivery>, reported: Delivery) -> Delivery {
    match current {
        None => reported,
        Some(current) if reported.rank() > current.rank() => reported,
        Some(current) => current,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn cyrillic_is_seventy_characters_a_segment_and_latin_one_hundred_sixty() {
        let link = "https://cnap.example.ua/i/abcdefghij.abcdefgh";
        let uk = format!("Оцініть послугу: {link}");
        let size = sms_size(&uk);
        assert!(size.ucs2);
        assert_eq!(size.units, uk.chars().count());
        assert_eq!(size.segments, 1, "{} units", size.units);
        assert_eq!(sms_size(&"ї".repeat(70)).segments, 1);
        assert_eq!(sms_size(&"ї".repeat(71)).segments, 2);
        assert_eq!(sms_size(&"ї".repeat(134)).segments, 2);
        assert_eq!(sms_size(&"ї".repeat(135)).segments, 3);
        assert_eq!(sms_size(&"a".repeat(160)).segments, 1);
        assert_eq!(sms_size(&"a".repeat(161)).segments, 2);
        // An extension character takes two septets; an emoji two UTF-16 units.
        assert_eq!(sms_size(&"€".repeat(80)).segments, 1);
        assert_eq!(sms_size(&"€".repeat(81)).segments, 2);
        assert_eq!(sms_size("🙂").units, 2);
        assert_eq!(sms_size("").segments, 1);
    }

    #[test]
    fn retries_back_off_respect_retry_after_and_give_up() {
        let policy = RetryPolicy {
            max_tries: 5,
            base_ms: 1_000,
            max_ms: 60_000,
        };
        let far = i64::MAX;
        assert_eq!(retry_after_failure(policy, 1, None, 0, far, 0.0), Retry::At(1_000));
        assert_eq!(retry_after_failure(policy, 3, None, 0, far, 0.0), Retry::At(4_000));
        assert_eq!(retry_after_failure(policy, 3, None, 0, far, 1.0), Retry::At(2_000));
        assert_eq!(
            retry_after_failure(policy, 1, Some(Duration::from_secs(120)), 0, far, 0.0),
            Retry::At(120_000),
            "the provider's Retry-After wins over a shorter backoff"
        );
        assert_eq!(retry_after_failure(policy, 4, None, 0, far, 0.0), Retry::At(8_000));
        assert_eq!(retry_after_failure(policy, 5, None, 0, far, 0.0), Retry::GiveUp);
        assert_eq!(
            retry_after_failure(policy, 1, None, 0, 500, 0.0),
            Retry::GiveUp,
            "past the deadline"
        );
    }

    #[test]
    fn late_and_repeated_reports_never_move_a_message_back() {
        use Delivery::*;
        assert_eq!(after_report(None, Sent), Sent);
        assert_eq!(after_report(Some(Delivered), Sent), Delivered);
        assert_eq!(after_report(Some(Read), Delivered), Read);
        assert_eq!(after_report(Some(Delivered), Failed), Delivered);
        assert_eq!(after_report(Some(Sent), Failed), Failed);
        assert_eq!(
            after_report(Some(Failed), Delivered),
            Delivered,
            "a fallback SMS arrived after all"
        );
        assert_eq!(after_report(Some(Queued), Read), Read);
    }

    proptest! {
        #[test]
        fn any_order_of_reports_ends_at_the_furthest(reports in proptest::collection::vec(0u8..6, 1..8)) {
            use Delivery::*;
            let all = [Queued, Sent, Delivered, Read, Failed, Expired];
            let reports: Vec<Delivery> = reports.into_iter().map(|i| all[i as usize]).collect();
            let end = reports.iter().fold(None, |s, r| Some(after_report(s, *r))).unwrap();
            let furthest = reports.iter().map(|r| r.rank()).max().unwrap();
            prop_assert_eq!(end.rank(), furthest);
        }

        #[test]
        fn retries_are_never_before_retry_after_nor_sooner_than_half_the_backoff(
            tries in 1u32..10, after in proptest::option::of(0u64..600), jitter in 0.0f64..1.0,
        ) {
            let policy = RetryPolicy { max_tries: 10, base_ms: 1_000, max_ms: 300_000 };
            if let Retry::At(at) = retry_after_failure(policy, tries, after.map(Duration::from_secs), 0, i64::MAX, jitter) {
                prop_assert!(at >= after.unwrap_or(0) as i64 * 1000);
                let full = (1_000i64 << (tries - 1)).min(300_000);
                prop_assert!(at >= full / 2 && at <= full.max(after.unwrap_or(0) as i64 * 1000));
            } else {
                prop_assert!(false, "gave up before max_tries");
            }
        }
    }
}
