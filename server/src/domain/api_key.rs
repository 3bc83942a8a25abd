//! API keys of service accounts (machine clients: a center's queue system reporting services, later webhooks and
//! other integrations): what a key may do (scopes), where (its reach: one client, optionally one oblast), and
//! whether it is alive at a given moment. Pure: the time is passed in.

use super::{UnknownValue, ValidationError};

/// Something a key may be allowed to do. A key carries one or more.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Scope {
    /// Report completed services (`POST /api/v1/service-events`, `reportServiceEvents`).
    EventsWrite,
}

impl Scope {
    pub const ALL: [Scope; 1] = [Scope::EventsWrite];

    /// The scope as written in requests, lists and the database (`events:write`).
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::EventsWrite => "events:write",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text.trim())
    }

    /// Whether a key needs a client for this scope (reporting services names centers by their client's codes).
    pub fn needs_client(self) -> bool {
        match self {
            Scope::EventsWrite => true,
        }
    }
}

/// A key's scopes: at least one, each known, each once (kept sorted).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scopes(Vec<Scope>);

impl Scopes {
    pub fn parse(field: &str, given: &[String]) -> Result<Self, ValidationError> {
        let mut scopes = Vec::new();
        for text in given {
            let Some(scope) = Scope::parse(text) else {
                return Err(ValidationError::new(
                    field,
                    crate::msg!(
                        "api-key-scope-unknown",
                        scope = text.chars().take(40).collect::<String>()
                    ),
                ));
            };
            scopes.push(scope);
        }
        scopes.sort();
        scopes.dedup();
        if scopes.is_empty() {
            return Err(ValidationError::new(field, crate::msg!("api-key-scopes-empty")));
        }
        Ok(Self(scopes))
    }

    /// As stored: space-separated.
    pub fn stored(&self) -> String {
        self.0.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(" ")
    }

    /// Read back strictly: an unknown scope in the database is an error, never ignored.
    pub fn parse_stored(text: &str) -> Result<Self, UnknownValue> {
        let mut scopes = Vec::new();
        for part in text.split_whitespace() {
            scopes.push(Scope::parse(part).ok_or_else(|| UnknownValue::new("api key scope", part))?);
        }
        if scopes.is_empty() {
            return Err(UnknownValue::new("api key scopes", text));
        }
        Ok(Self(scopes))
    }

    pub fn contains(&self, scope: Scope) -> bool {
        self.0.contains(&scope)
    }

    pub fn iter(&self) -> impl Iterator<Item = Scope> + '_ {
        self.0.iter().copied()
    }
}

/// Where a key acts: every client (`client_id` none), one client, or one oblast of one client.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Reach {
    pub client_id: Option<String>,
    pub oblast: Option<String>,
}

impl Reach {
    /// Whether a venue of `client_id` in `oblast` is within reach.
    pub fn covers(&self, client_id: &str, oblast: &str) -> bool {
        self.client_id.as_deref().is_none_or(|c| c == client_id) && self.oblast.as_deref().is_none_or(|o| o == oblast)
    }
}

/// A key's state at a moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyStatus {
    Active,
    Expired,
    Revoked,
}

impl KeyStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            KeyStatus::Active => "ACTIVE",
            KeyStatus::Expired => "EXPIRED",
            KeyStatus::Revoked => "REVOKED",
        }
    }
}

/// A key is revoked from the moment of its revocation, expired from its expiry on, active otherwise.
pub fn status(revoked_at: Option<i64>, expires_at: Option<i64>, now_ms: i64) -> KeyStatus {
    if revoked_at.is_some_and(|at| at <= now_ms) {
        KeyStatus::Revoked
    } else if expires_at.is_some_and(|at| at <= now_ms) {
        KeyStatus::Expired
    } else {
        KeyStatus::Active
    }
}

/// The longest a key may live: two years. Keys without an expiry are allowed (an integration that is rotated by
/// hand), but the console proposes one.
pub const MAX_EXPIRY_DAYS: i64 = 730;

/// How long an old key keeps working after a rotation, at most (so the integration can switch without a gap).
pub const MAX_GRACE_HOURS: i64 = 168;

/// A key's last use is written at most once a minute: a busy integration does not turn every call into a write.
pub const LAST_USED_EVERY_MS: i64 = 60_000;

/// The expiry of a key made now that lives `days` days (none: no expiry).
pub fn expiry(field: &str, days: Option<i64>, now_ms: i64) -> Result<Option<i64>, ValidationError> {
    match days {
        None => Ok(None),
        Some(d) if (1..=MAX_EXPIRY_DAYS).contains(&d) => Ok(Some(now_ms + d * 86_400_000)),
        Some(_) => Err(ValidationError::new(
            field,
            crate::msg!("api-key-expiry-range", max = MAX_EXPIRY_DAYS),
        )),
    }
}

/// When the old key of a rotation stops working: `grace_hours` from now (0: at once), never later than it would
/// have anyway.
pub fn rotation_end(
    field: &str,
    grace_hours: i64,
    old_expiry: Option<i64>,
    now_ms: i64,
) -> Result<i64, ValidationError> {
    if !(0..=MAX_GRACE_HOURS).contains(&grace_hours) {
        return Err(ValidationError::new(
            field,
            crate::msg!("api-key-grace-range", max = MAX_GRACE_HOURS),
        ));
    }
    let end = now_ms + grace_hours * 3_600_000;
    Ok(old_expiry.map_or(end, |e| e.min(end)))
}

/// Whether to write the key's last use now.
pub fn should_touch(last_used_at: Option<i64>, now_ms: i64) -> bool {
    last_used_at.is_none_or(|at| now_ms - at >= LAST_USED_EVERY_MS || at > now_ms)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_are_known_sorted_and_once() {
        let scopes = Scopes::parse("scopes", &["events:write".into(), " events:write".into()]).unwrap();
        assert_eq!(scopes.stored(), "events:write");
        assert_eq!(Scopes::parse_stored("events:write").unwrap(), scopes);
        assert_eq!(
            Scopes::parse("scopes", &[]).unwrap_err().message.code,
            "api-key-scopes-empty"
        );
        let err = Scopes::parse("scopes", &["events:delete".into()]).unwrap_err();
        assert_eq!(
            (err.field.as_str(), err.message.code.as_ref()),
            ("scopes", "api-key-scope-unknown")
        );
        assert!(Scopes::parse_stored("events:write admin").is_err());
    }

    #[test]
    fn reach_narrows_to_a_client_and_an_oblast() {
        let all = Reach::default();
        let client = Reach {
            client_id: Some("c1".into()),
            oblast: None,
        };
        let lviv = Reach {
            client_id: Some("c1".into()),
            oblast: Some("Львівська".into()),
        };
        assert!(all.covers("c2", "Київська"));
        assert!(client.covers("c1", "Київська") && !client.covers("c2", "Київська"));
        assert!(lviv.covers("c1", "Львівська") && !lviv.covers("c1", "Київська"));
    }

    #[test]
    fn a_key_lives_until_expiry_or_revocation() {
        assert_eq!(status(None, None, 10), KeyStatus::Active);
        assert_eq!(status(None, Some(11), 10), KeyStatus::Active);
        assert_eq!(status(None, Some(10), 10), KeyStatus::Expired);
        assert_eq!(status(Some(5), Some(100), 10), KeyStatus::Revoked);
        assert_eq!(expiry("d", Some(1), 0).unwrap(), Some(86_400_000));
        assert!(expiry("d", Some(0), 0).is_err() && expiry("d", Some(731), 0).is_err());
        assert_eq!(rotation_end("g", 24, None, 0).unwrap(), 24 * 3_600_000);
        assert_eq!(rotation_end("g", 24, Some(1_000), 0).unwrap(), 1_000);
        assert_eq!(rotation_end("g", 0, None, 7).unwrap(), 7);
        assert!(rotation_end("g", 169, None, 0).is_err());
    }

    #[test]
    fn last_use_is_written_once_a_minute() {
        assert!(should_touch(None, 0));
        assert!(!should_touch(Some(0), 59_999));
        assert!(should_touch(Some(0), 60_000));
        assert!(should_touch(Some(100_000), 0), "a clock moved back writes again");
    }
}
