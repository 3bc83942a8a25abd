use super::ValidationError;

/// Trimmed text with a length range in characters (not bytes), free of control characters other than newlines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoundedText(String);

impl BoundedText {
    pub fn parse(field: &str, value: &str, min: usize, max: usize) -> Result<Self, ValidationError> {
        let trimmed = value.trim();
        let len = trimmed.chars().count();
        if len < min {
            return Err(ValidationError::new(
                field,
                if min == 1 {
                    "must not be empty".to_string()
                } else {
                    format!("must be at least {min} characters")
                },
            ));
        }
        if len > max {
            return Err(ValidationError::new(
                field,
                format!("must be at most {max} characters (got {len})"),
            ));
        }
        if trimmed
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
        {
            return Err(ValidationError::new(field, "must not contain control characters"));
        }
        Ok(Self(trimmed.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_and_counts_characters_not_bytes() {
        let name = BoundedText::parse("fullName", "  Олена Петренко ", 2, 15).unwrap();
        assert_eq!(name.as_str(), "Олена Петренко");
        assert!(BoundedText::parse("fullName", "Ї", 2, 10).is_err());
        let err = BoundedText::parse("fullName", &"я".repeat(201), 2, 200).unwrap_err();
        assert_eq!(err.field, "fullName");
        assert!(err.message.contains("at most 200"));
        assert!(BoundedText::parse("x", "a\u{0}b", 1, 10).is_err());
        assert!(BoundedText::parse("x", "   ", 1, 10)
            .unwrap_err()
            .message
            .contains("empty"));
    }
}
