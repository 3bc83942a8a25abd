use super::ValidationError;

/// An email address, trimmed and lower-cased (addresses are compared case-insensitively).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(field: &str, value: &str) -> Result<Self, ValidationError> {
        let normalized = value.trim().to_lowercase();
        if normalized.len() > 254 {
            return Err(ValidationError::new(field, crate::msg!("text-too-long", max = 254)));
        }
        if let Some(c) = normalized
            .chars()
            .find(|&c| c.is_control() || super::text::is_bidi_control(c) || super::text::is_invisible(c))
        {
            return Err(ValidationError::new(
                field,
                crate::msg!("email-invisible-character", char = format!("U+{:04X}", c as u32)),
            ));
        }
        let parsed = email_address::EmailAddress::parse_with_options(
            &normalized,
            email_address::Options::default()
                .without_display_text()
                .without_domain_literal(),
        )
        .map_err(|_| ValidationError::new(field, crate::msg!("email-invalid")))?;
        if !parsed.domain().contains('.') {
            return Err(ValidationError::new(field, crate::msg!("email-domain-needs-dot")));
        }
        Ok(Self(normalized))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A phone number in E.164 form: `+`, country code, subscriber number; 8 to 15 digits in all.
/// Spaces, dashes, dots and brackets are accepted on input and removed. Ukrainian numbers (+380) have 12 digits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phone(String);

impl Phone {
    pub fn parse(field: &str, value: &str) -> Result<Self, ValidationError> {
        let compact: String = value
            .trim()
            .chars()
            .filter(|c| !matches!(c, ' ' | '-' | '.' | '(' | ')'))
            .collect();
        let Some(digits) = compact.strip_prefix('+') else {
            return Err(ValidationError::new(field, crate::msg!("phone-invalid")));
        };
        if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) || digits.starts_with('0') {
            return Err(ValidationError::new(field, crate::msg!("phone-invalid")));
        }
        if !(8..=15).contains(&digits.len()) {
            return Err(ValidationError::new(field, crate::msg!("phone-length")));
        }
        if digits.starts_with("380") && digits.len() != 12 {
            return Err(ValidationError::new(field, crate::msg!("phone-ukrainian-length")));
        }
        Ok(Self(compact))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(
            Email::parse("email", " Olena@Example.COM ").unwrap().as_str(),
            "olena@example.com"
        );
        for bad in ["", "no-at-sign", "a@b", "a@@b.com", "Name <a@b.com>", "a b@c.com"] {
            let err = Email::parse("email", bad).unwrap_err();
            assert_eq!(err.field, "email", "{bad}");
        }
    }

    #[test]
    fn phones_must_be_e164() {
        assert_eq!(
            Phone::parse("phone", "+380 (50) 123-45-67").unwrap().as_str(),
            "+380501234567"
        );
        assert_eq!(Phone::parse("phone", "+48123456789").unwrap().as_str(), "+48123456789");
        for bad in [
            "0501234567",
            "+",
            "+0123456789",
            "+38050123456",
            "+3805012345678",
            "+12345",
            "+38050abc4567",
        ] {
            assert!(Phone::parse("phone", bad).is_err(), "{bad}");
        }
    }
}
