//! Text that people type: normalised to NFC, bounded in characters, and free of characters that hide what the
//! text says (controls, bidirectional overrides; in names and identifiers also zero-width characters and BOMs).

use unicode_normalization::UnicodeNormalization as _;

use super::ValidationError;

/// A control character no text input may carry: C0 (but tab, newline and carriage return), DEL and C1. NUL is
/// among them; PostgreSQL cannot store it in TEXT at all.
pub fn forbidden_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

/// Bidirectional formatting characters (embeddings, overrides, isolates, marks): they reorder what a reader
/// sees ("Trojan source"), so no stored text carries them.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Characters that render as nothing (zero-width spaces and joiners, the BOM, soft hyphens, fillers, variation
/// selectors, tags): two names that look the same must be the same, so names and identifiers refuse them.
pub fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}' | '\u{180B}'..='\u{180F}'
        | '\u{200B}'..='\u{200D}' | '\u{2060}'..='\u{2064}' | '\u{206A}'..='\u{206F}' | '\u{3164}'
        | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}' | '\u{FFA0}' | '\u{E0000}'..='\u{E007F}')
}

/// A text cell for a CSV file that people open in a spreadsheet: a cell that begins with `=`, `+`, `-`, `@`, a
/// tab or a carriage return would be read as a formula (OWASP "CSV injection"), so it gets a leading `'`. Apply it
/// to every cell that holds text someone typed; numbers the service formats itself are left alone.
pub fn csv_cell(text: &str) -> std::borrow::Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{text}"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// Trimmed NFC text with a length range in characters (not bytes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoundedText(String);

impl BoundedText {
    /// Free text (comments, reasons, scenarios): newlines and tabs allowed; controls, bidirectional formatting
    /// and BOMs refused.
    pub fn parse(field: &str, value: &str, min: usize, max: usize) -> Result<Self, ValidationError> {
        Self::checked(field, value, min, max, false)
    }

    /// A name or identifier (a person's or an account holder's name, an employer, a venue's fields, the name
    /// of a client, wave or checklist): one line, and nothing invisible either.
    pub fn line(field: &str, value: &str, min: usize, max: usize) -> Result<Self, ValidationError> {
        Self::checked(field, value, min, max, true)
    }

    fn checked(field: &str, value: &str, min: usize, max: usize, line: bool) -> Result<Self, ValidationError> {
        let normalized: String = value.trim().nfc().collect();
        let len = normalized.chars().count();
        if len < min {
            return Err(ValidationError::new(
                field,
                if min == 1 {
                    crate::msg!("text-empty")
                } else {
                    crate::msg!("text-too-short", min = min)
                },
            ));
        }
        if len > max {
            return Err(ValidationError::new(field, crate::msg!("text-too-long", max = max)));
        }
        for c in normalized.chars() {
            let found = format!("U+{:04X}", c as u32);
            let refused = if forbidden_control(c) || (line && c.is_control()) {
                Some(crate::msg!("text-control-characters", char = found))
            } else if is_bidi_control(c) {
                Some(crate::msg!("text-bidi-characters", char = found))
            } else if c == '\u{FEFF}' || (line && is_invisible(c)) {
                Some(crate::msg!("text-invisible-characters", char = found))
            } else {
                None
            };
            if let Some(why) = refused {
                return Err(ValidationError::new(field, why));
            }
        }
        Ok(Self(normalized))
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
        assert_eq!(err.message, crate::msg!("text-too-long", max = 200));
        assert!(BoundedText::parse("x", "a\u{0}b", 1, 10).is_err());
        assert_eq!(
            BoundedText::parse("x", "   ", 1, 10).unwrap_err().message.code,
            "text-empty"
        );
    }

    #[test]
    fn csv_cells_that_look_like_formulas_are_defused() {
        for formula in ["=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(csv_cell(formula), format!("'{formula}"));
        }
        assert_eq!(csv_cell("Олена Петренко"), "Олена Петренко");
        assert_eq!(csv_cell(""), "");
    }

    #[test]
    fn text_is_normalised_to_nfc() {
        // "Й" as И + combining breve (two code points) becomes the one precomposed letter.
        let name = BoundedText::line("fullName", "Андрі\u{0438}\u{0306} Ковал\u{044C}", 2, 50).unwrap();
        assert_eq!(name.as_str(), "Андрій Коваль");
        assert_eq!(name.as_str().chars().filter(|&c| c == 'й').count(), 1);
    }

    #[test]
    fn names_refuse_what_hides_or_reorders_text() {
        for (input, found) in [
            ("Олена\u{202E}анеЛО", "U+202E"),
            ("Ole\u{200D}na", "U+200D"),
            ("\u{FEFF}Olena", "U+FEFF"),
            ("Ole\u{200B}na", "U+200B"),
            ("Olena\u{2066}x", "U+2066"),
            ("Ole\u{0085}na", "U+0085"),
            ("Olena\nPetrenko", "U+000A"),
        ] {
            let err = BoundedText::line("fullName", input, 2, 50).unwrap_err();
            assert_eq!(err.field, "fullName");
            assert!(err.to_string().contains(found), "{input:?}: {err}");
        }
        assert!(BoundedText::line("fullName", "Мар’яна О'Коннор-Шевченко", 2, 50).is_ok());
    }

    #[test]
    fn free_text_keeps_lines_and_emoji_but_not_overrides() {
        assert!(BoundedText::parse("comment", "Черга 40 хв.\nАле привітно 👩\u{200D}💻", 1, 100).is_ok());
        assert!(BoundedText::parse("comment", "ok\u{202E}evil", 1, 100).is_err());
        assert!(BoundedText::parse("comment", "a\u{7F}b", 1, 100).is_err());
    }
}
