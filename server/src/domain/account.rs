use super::ValidationError;

/// What a user may do is decided by their role (see `auth::policy`).
#[derive(async_graphql::Enum, Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[graphql(rename_items = "SCREAMING_SNAKE_CASE")]
pub enum Role {
    /// Runs the platform: staff accounts, everything coordinators can do.
    Admin,
    /// The fieldwork company's staff: shoppers, venues, waves, assignment, review.
    Coordinator,
    /// The payments team: ledgers, payout batches, bank exports.
    Payments,
    /// A mystery shopper, using the mobile app.
    Shopper,
    /// A client's analyst: reads only that client's results.
    ClientViewer,
    /// A call center's interviewer: phones citizens for a study (phone interviews, docs/PHONE.md).
    Operator,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Role::Admin,
        Role::Coordinator,
        Role::Payments,
        Role::Shopper,
        Role::ClientViewer,
        Role::Operator,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "ADMIN",
            Role::Coordinator => "COORDINATOR",
            Role::Payments => "PAYMENTS",
            Role::Shopper => "SHOPPER",
            Role::ClientViewer => "CLIENT_VIEWER",
            Role::Operator => "OPERATOR",
        }
    }

    pub fn parse(field: &str, value: &str) -> Result<Self, ValidationError> {
        let upper = value.trim().to_uppercase().replace('-', "_");
        Role::ALL.into_iter().find(|r| r.as_str() == upper).ok_or_else(|| {
            ValidationError::new(
                field,
                crate::msg!(
                    "one-of",
                    allowed = "ADMIN, COORDINATOR, PAYMENTS, SHOPPER, CLIENT_VIEWER, OPERATOR"
                ),
            )
        })
    }

    /// The stored form back; anything else is an error, never a default.
    pub fn parse_stored(value: &str) -> Result<Self, super::UnknownValue> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == value)
            .ok_or_else(|| super::UnknownValue::new("role", value))
    }
}

/// Suspended users cannot log in and their tokens are revoked.
#[derive(async_graphql::Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(rename_items = "SCREAMING_SNAKE_CASE")]
pub enum UserStatus {
    Active,
    Suspended,
}

impl UserStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            UserStatus::Active => "ACTIVE",
            UserStatus::Suspended => "SUSPENDED",
        }
    }

    /// The stored form back; anything else is an error, never a default.
    pub fn parse(value: &str) -> Result<Self, super::UnknownValue> {
        match value {
            "ACTIVE" => Ok(UserStatus::Active),
            "SUSPENDED" => Ok(UserStatus::Suspended),
            other => Err(super::UnknownValue::new("user status", other)),
        }
    }
}

/// The language of emails and of the app.
#[derive(async_graphql::Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(rename_items = "SCREAMING_SNAKE_CASE")]
pub enum Language {
    /// Ukrainian (the default).
    Uk,
    /// English.
    En,
}

impl Language {
    /// The BCP 47 tag (`uk`, `en`).
    pub fn code(self) -> &'static str {
        match self {
            Language::Uk => "uk",
            Language::En => "en",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Language::Uk => "UK",
            Language::En => "EN",
        }
    }

    /// The stored form back; anything else is an error, never a default.
    pub fn parse(value: &str) -> Result<Self, super::UnknownValue> {
        match value {
            "UK" => Ok(Language::Uk),
            "EN" => Ok(Language::En),
            other => Err(super::UnknownValue::new("language", other)),
        }
    }
}

/// A new password that meets the policy: 10 to 128 characters, at least 5 different characters, not a
/// well-known password, and not the email address itself. (Length beats composition rules: NIST SP 800-63B.)
pub struct Password(String);

impl Password {
    pub const MIN: usize = 10;
    pub const MAX: usize = 128;

    const COMMON: &'static [&'static str] = &[
        "password",
        "password1",
        "password12",
        "password123",
        "1234567890",
        "0123456789",
        "qwertyuiop",
        "qwerty1234",
        "qwerty12345",
        "1q2w3e4r5t",
        "iloveyou12",
        "passw0rd12",
        "administrator",
        "letmein123",
        "welcome123",
        "abcdefghij",
        "abc1234567",
        "йцукенгшщз",
        "1111111111",
        "12345qwert",
        "zaq12wsxcde",
    ];

    pub fn parse(field: &str, value: &str, email: Option<&str>) -> Result<Self, ValidationError> {
        let len = value.chars().count();
        if len < Self::MIN {
            return Err(ValidationError::new(
                field,
                crate::msg!("password-too-short", min = Self::MIN),
            ));
        }
        if len > Self::MAX {
            return Err(ValidationError::new(
                field,
                crate::msg!("password-too-long", max = Self::MAX),
            ));
        }
        let mut distinct: Vec<char> = value.chars().collect();
        distinct.sort_unstable();
        distinct.dedup();
        let lower = value.to_lowercase();
        if distinct.len() < 5 || Self::COMMON.contains(&lower.as_str()) {
            return Err(ValidationError::new(field, crate::msg!("password-common")));
        }
        if email.is_some_and(|e| lower == e.to_lowercase() || e.to_lowercase().split('@').next() == Some(&lower)) {
            return Err(ValidationError::new(field, crate::msg!("password-is-email")));
        }
        Ok(Self(value.to_string()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(***)")
    }
}

/// A sign that one person may hold several shopper accounts.
#[derive(async_graphql::Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignalCode {
    /// Another account is paid to the same IBAN.
    SharedPayoutAccount,
    /// Another account has the same phone number.
    SharedPhone,
    /// Another account checked in from the same phone (the app's device id).
    SharedDevice,
}

/// A signal with the other accounts and one sentence for the coordinator.
#[derive(Debug, Clone, PartialEq)]
pub struct ShopperSignal {
    pub code: SignalCode,
    pub other_shopper_ids: Vec<String>,
    pub message: super::Msg,
}

impl ShopperSignal {
    /// The signal when there are other accounts, else none.
    pub fn new(code: SignalCode, other_shopper_ids: Vec<String>) -> Option<Self> {
        let n = other_shopper_ids.len();
        if n == 0 {
            return None;
        }
        let message = match code {
            SignalCode::SharedPayoutAccount => crate::msg!("signal-shared-payout-account", others = n),
            SignalCode::SharedPhone => crate::msg!("signal-shared-phone", others = n),
            SignalCode::SharedDevice => crate::msg!("signal-shared-device", others = n),
        };
        Some(Self {
            code,
            other_shopper_ids,
            message,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signals_say_how_many_others() {
        assert_eq!(ShopperSignal::new(SignalCode::SharedPhone, vec![]), None);
        let one = ShopperSignal::new(SignalCode::SharedPayoutAccount, vec!["u2".into()]).unwrap();
        assert_eq!(one.message, crate::msg!("signal-shared-payout-account", others = 1));
        let two = ShopperSignal::new(SignalCode::SharedDevice, vec!["a".into(), "b".into()]).unwrap();
        assert_eq!(two.message, crate::msg!("signal-shared-device", others = 2));
    }

    #[test]
    fn password_policy() {
        assert!(Password::parse("password", "correct horse battery", None).is_ok());
        assert!(Password::parse("password", "short", None)
            .unwrap_err()
            .message
            .code
            .contains("too-short"));
        assert!(Password::parse("password", &"ab1!x".repeat(26), None)
            .unwrap_err()
            .message
            .code
            .contains("too-long"));
        assert!(Password::parse("password", "aaaaaaaaaaaa", None)
            .unwrap_err()
            .message
            .code
            .contains("common"));
        assert!(Password::parse("password", "Password123", None)
            .unwrap_err()
            .message
            .code
            .contains("common"));
        let err = Password::parse("password", "olena.petrenko", Some("olena.petrenko@example.com")).unwrap_err();
        assert_eq!(err.message.code, "password-is-email");
        assert_eq!(
            format!("{:?}", Password::parse("p", "correct horse battery", None).unwrap()),
            "Password(***)"
        );
    }

    #[test]
    fn roles_round_trip() {
        for role in Role::ALL {
            assert_eq!(Role::parse("role", role.as_str()).unwrap(), role);
        }
        assert_eq!(Role::parse("role", "client-viewer").unwrap(), Role::ClientViewer);
        assert!(Role::parse("role", "root").is_err());
    }
}
