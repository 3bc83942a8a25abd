//! Service events: a center's system reports that a citizen received a service (which center, which service,
//! when, its own id for the event, and, with the citizen's consent, a phone number and the messenger they prefer).
//! The checks of one event, the citizen's phone (E.164 by `phonenumber`, mobile only, masked for screens), and
//! the limits of a batch. Pure: the time is passed in.

use serde::Deserialize;

use super::{text, ValidationError};

/// The most events one request may carry.
pub const MAX_BATCH: usize = 1_000;

/// An event may be reported up to this long after the service (a center that reports once a day, or after an
/// outage); older ones are refused, since nobody remembers that visit well enough to rate it.
pub const MAX_AGE_MS: i64 = 30 * 86_400_000;

/// Clocks differ: a completion time up to this far in the future is taken as now.
pub const CLOCK_SKEW_MS: i64 = 5 * 60_000;

const MAX_EXTERNAL_ID: usize = 100;
const MAX_CODE: usize = 64;

/// One event as a center's system sends it (JSON keys in camelCase; the GraphQL input and the CSV columns carry
/// the same fields).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EventInput {
    /// The center's system's own id for this service: a repeat with the same id is the same event.
    #[serde(default)]
    pub external_id: Option<String>,
    /// The center, by its external code (as in the venue list).
    #[serde(default)]
    pub center: Option<String>,
    /// The service, by its code in the catalogue of the center's type (e.g. `PASSPORT`).
    #[serde(default)]
    pub service: Option<String>,
    /// When the service was completed: RFC 3339 with an offset (`2026-12-07T10:15:00+02:00`).
    #[serde(default)]
    pub completed_at: Option<String>,
    /// The citizen's phone (any common form; Ukrainian numbers may omit +380).
    #[serde(default)]
    pub phone: Option<String>,
    /// `VIBER` or `SMS`: what the citizen prefers (none: Viber first, SMS where Viber does not reach).
    #[serde(default)]
    pub messenger: Option<String>,
    /// The citizen agreed to be asked for feedback. Without it the phone is not kept.
    #[serde(default)]
    pub consent: Option<bool>,
}

/// The messenger a citizen prefers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Messenger {
    Viber,
    Sms,
}

impl Messenger {
    pub fn as_str(self) -> &'static str {
        match self {
            Messenger::Viber => "VIBER",
            Messenger::Sms => "SMS",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_ascii_uppercase().as_str() {
            "VIBER" => Some(Messenger::Viber),
            "SMS" => Some(Messenger::Sms),
            _ => None,
        }
    }

    pub fn parse_stored(text: &str) -> Result<Self, super::UnknownValue> {
        Self::parse(text)
            .filter(|m| m.as_str() == text)
            .ok_or_else(|| super::UnknownValue::new("messenger", text))
    }
}

/// A citizen's mobile number in E.164 (`+380501234567`).
#[derive(Clone, PartialEq, Eq)]
pub struct CitizenPhone(String);

/// Never printed whole, not even in logs.
impl std::fmt::Debug for CitizenPhone {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "CitizenPhone({})", self.masked())
    }
}

impl CitizenPhone {
    /// Parses a number as people write it. Without a country code, a Ukrainian number is assumed. A number that
    /// cannot receive a text message (a landline, a toll-free line) is refused: the channel could never reach it.
    pub fn parse(field: &str, value: &str) -> Result<Self, ValidationError> {
        let number = valid_number(field, value)?;
        use phonenumber::Type;
        match number.number_type(&phonenumber::metadata::DATABASE) {
            Type::Mobile | Type::FixedLineOrMobile | Type::PersonalNumber | Type::Unknown => {}
            _ => return Err(ValidationError::new(field, crate::msg!("phone-not-mobile"))),
        }
        Ok(Self(number.format().mode(phonenumber::Mode::E164).to_string()))
    }

    /// Parses a number an operator may call: any valid number, landlines too (a phone interview needs no text
    /// message).
    pub fn parse_callable(field: &str, value: &str) -> Result<Self, ValidationError> {
        let number = valid_number(field, value)?;
        Ok(Self(number.format().mode(phonenumber::Mode::E164).to_string()))
    }

    /// The number as stored (encrypted) and sent to providers.
    pub fn e164(&self) -> &str {
        &self.0
    }

    /// For staff screens: the country code and the operator's two digits, then the last two digits
    /// (`+380 50 *** ** 67`).
    pub fn masked(&self) -> String {
        mask_e164(&self.0)
    }
}

/// A number as people write it, valid for its country (Ukrainian when it has no country code).
fn valid_number(field: &str, value: &str) -> Result<phonenumber::PhoneNumber, ValidationError> {
    let value = value.trim();
    if value.is_empty() || value.chars().count() > 32 {
        return Err(ValidationError::new(field, crate::msg!("citizen-phone-invalid")));
    }
    let number = phonenumber::parse(Some(phonenumber::country::Id::UA), value)
        .map_err(|_| ValidationError::new(field, crate::msg!("citizen-phone-invalid")))?;
    if !number.is_valid() {
        return Err(ValidationError::new(field, crate::msg!("citizen-phone-invalid")));
    }
    Ok(number)
}

/// Masks an E.164 number for display (see [`CitizenPhone::masked`]); short or odd input is hidden whole.
pub fn mask_e164(e164: &str) -> String {
    let digits: Vec<char> = e164.chars().filter(char::is_ascii_digit).collect();
    if digits.len() < 8 {
        return "***".into();
    }
    let tail: String = digits[digits.len() - 2..].iter().collect();
    let (country, rest) = if e164.starts_with("+380") {
        (3, 2)
    } else if e164.starts_with("+1") || e164.starts_with("+7") {
        (1, 3)
    } else {
        (2, 2)
    };
    let cc: String = digits[..country].iter().collect();
    let op: String = digits[country..country + rest].iter().collect();
    format!("+{cc} {op} *** ** {tail}")
}

/// An event that passed every check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedEvent {
    pub external_id: String,
    pub center: String,
    pub service: String,
    pub completed_at_ms: i64,
    /// Kept only with consent.
    pub phone: Option<CitizenPhone>,
    pub messenger: Option<Messenger>,
    pub consent: bool,
}

/// Checks one event; every bad field is named (`externalId`, `center`, `service`, `completedAt`, `phone`,
/// `messenger`). A phone given without consent is dropped, not refused: the event still counts for the funnel.
pub fn check_event(input: &EventInput, now_ms: i64) -> Result<CheckedEvent, Vec<ValidationError>> {
    let mut errors = super::FieldErrors::default();
    let external_id = errors.check(code_like("externalId", input.external_id.as_deref(), MAX_EXTERNAL_ID));
    let center = errors.check(code_like("center", input.center.as_deref(), MAX_CODE));
    let service = errors
        .check(code_like("service", input.service.as_deref(), MAX_CODE))
        .map(|s| s.to_ascii_uppercase());
    let completed_at_ms = errors.check(completed_at(input.completed_at.as_deref(), now_ms));
    let consent = input.consent.unwrap_or(false);
    let phone = match input.phone.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
        Some(p) => errors.check(CitizenPhone::parse("phone", p)).filter(|_| consent),
        None => None,
    };
    let messenger = match input.messenger.as_deref().map(str::trim).filter(|m| !m.is_empty()) {
        Some(m) => errors.check(
            Messenger::parse(m).ok_or_else(|| ValidationError::new("messenger", crate::msg!("messenger-unknown"))),
        ),
        None => None,
    };
    errors.finish()?;
    Ok(CheckedEvent {
        external_id: external_id.expect("checked"),
        center: center.expect("checked"),
        service: service.expect("checked"),
        completed_at_ms: completed_at_ms.expect("checked"),
        messenger: messenger.filter(|_| phone.is_some()),
        phone,
        consent,
    })
}

/// An identifier a machine wrote: one line of 1 to `max` characters, nothing hidden (`domain::text`).
fn code_like(field: &str, value: Option<&str>, max: usize) -> Result<String, ValidationError> {
    text::BoundedText::line(field, value.unwrap_or_default(), 1, max).map(text::BoundedText::into_inner)
}

fn completed_at(value: Option<&str>, now_ms: i64) -> Result<i64, ValidationError> {
    let field = "completedAt";
    let value = value.map(str::trim).unwrap_or_default();
    if value.is_empty() {
        return Err(ValidationError::new(field, crate::msg!("text-empty")));
    }
    let at = chrono::DateTime::parse_from_rfc3339(value)
        .map_err(|_| ValidationError::new(field, crate::msg!("event-time-format")))?
        .timestamp_millis();
    if at > now_ms + CLOCK_SKEW_MS {
        return Err(ValidationError::new(field, crate::msg!("event-time-future")));
    }
    if at < now_ms - MAX_AGE_MS {
        return Err(ValidationError::new(
            field,
            crate::msg!("event-time-too-old", days = MAX_AGE_MS / 86_400_000),
        ));
    }
    Ok(at.min(now_ms))
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_796_000_000_000; // 2026-11-30

    fn event() -> EventInput {
        EventInput {
            external_id: Some("Q-1".into()),
            center: Some("CNAP-001".into()),
            service: Some("passport".into()),
            completed_at: Some(
                chrono::DateTime::from_timestamp_millis(NOW - 60_000)
                    .unwrap()
                    .to_rfc3339(),
            ),
            phone: Some("050 123 45 67".into()),
            messenger: Some("viber".into()),
            consent: Some(true),
        }
    }

    #[test]
    fn a_good_event_is_normalised() {
        let checked = check_event(&event(), NOW).unwrap();
        assert_eq!(checked.service, "PASSPORT");
        assert_eq!(checked.completed_at_ms, NOW - 60_000);
        assert_eq!(checked.phone.as_ref().unwrap().e164(), "+380501234567");
        assert_eq!(checked.phone.unwrap().masked(), "+380 50 *** ** 67");
        assert_eq!(checked.messenger, Some(Messenger::Viber));
    }

    #[test]
    fn without_consent_the_phone_is_not_kept() {
        let mut input = event();
        input.consent = None;
        let checked = check_event(&input, NOW).unwrap();
        assert_eq!((checked.phone, checked.messenger, checked.consent), (None, None, false));
    }

    #[test]
    fn every_bad_field_is_named() {
        let input = EventInput {
            external_id: Some(" ".into()),
            center: Some("A\u{202E}B".into()),
            service: None,
            completed_at: Some("yesterday".into()),
            phone: Some("+380 44 123 45 67".into()), // a Kyiv landline
            messenger: Some("pigeon".into()),
            consent: Some(true),
        };
        let errors = check_event(&input, NOW).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            ["externalId", "center", "service", "completedAt", "phone", "messenger"]
        );
        assert_eq!(errors[4].message.code, "phone-not-mobile");
    }

    #[test]
    fn times_must_be_recent_and_not_ahead() {
        let at = |ms: i64| {
            let mut input = event();
            input.completed_at = Some(chrono::DateTime::from_timestamp_millis(ms).unwrap().to_rfc3339());
            check_event(&input, NOW).map(|e| e.completed_at_ms)
        };
        assert_eq!(at(NOW + 60_000).unwrap(), NOW, "a little clock skew is now");
        assert_eq!(at(NOW + 3_600_000).unwrap_err()[0].message.code, "event-time-future");
        assert_eq!(
            at(NOW - 31 * 86_400_000).unwrap_err()[0].message.code,
            "event-time-too-old"
        );
    }

    #[test]
    fn phones_in_many_shapes() {
        for (given, e164) in [
            ("+380501234567", "+380501234567"),
            ("380501234567", "+380501234567"),
            ("0501234567", "+380501234567"),
            ("+38 (067) 123-45-67", "+380671234567"),
            ("+48 512 345 678", "+48512345678"),
        ] {
            assert_eq!(CitizenPhone::parse("phone", given).unwrap().e164(), e164, "{given}");
        }
        for bad in ["12", "+380 50 123", "not a phone", "+999 1234567"] {
            assert!(CitizenPhone::parse("phone", bad).is_err(), "{bad}");
        }
        assert_eq!(mask_e164("+48512345678"), "+48 51 *** ** 78");
        assert_eq!(
            format!("{:?}", CitizenPhone::parse("p", "0501234567").unwrap()),
            "CitizenPhone(+380 50 *** ** 67)"
        );
    }
}
