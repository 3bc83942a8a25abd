//! Words for people, as data: a stable code from the one message catalogue (`messages/uk.ftl`,
//! `messages/en.ftl`) and its parameters. Refusals, field errors, flags, risk reasons, shopper signals and mails
//! carry a [`Msg`]; it is rendered in the reader's language only where it is shown (`crate::i18n`), and clients
//! get the code and the parameters too, so that they can render it themselves.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// A message of the catalogue with its parameters. Its stored form is JSON (`{"code":…,"args":{…}}`); a plain
/// string, as rows written before the catalogue hold, reads back as `stored-text` with that text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Msg {
    /// The catalogue's identifier, e.g. `text-too-long`.
    pub code: Cow<'static, str>,
    /// The named parameters the text refers to (`{ $max }`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub args: BTreeMap<String, Arg>,
}

impl<'de> Deserialize<'de> for Msg {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Stored {
            Message {
                code: String,
                #[serde(default)]
                args: BTreeMap<String, Arg>,
            },
            Text(String),
        }
        Ok(match Stored::deserialize(deserializer)? {
            Stored::Message { code, args } => Msg {
                code: code.into(),
                args,
            },
            Stored::Text(text) => Msg::new("stored-text").with("text", text),
        })
    }
}

/// One parameter: a number (Fluent chooses plural forms by it), a text (names, codes, the user's own words),
/// or another message rendered first in the same language (a photo's label inside a flag's sentence).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum Arg {
    Number(f64),
    Text(String),
    Message(Box<Msg>),
}

/// Whole numbers as integers (`3`, not `3.0`), the rest as they are.
impl Serialize for Arg {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Arg::Number(n) if n.fract() == 0.0 && n.abs() < 9.0e15 => serializer.serialize_i64(*n as i64),
            Arg::Number(n) => serializer.serialize_f64(*n),
            Arg::Text(t) => serializer.serialize_str(t),
            Arg::Message(m) => m.serialize(serializer),
        }
    }
}

impl Default for Msg {
    /// No words at all (a note not written yet).
    fn default() -> Self {
        Msg::new("stored-text").with("text", "")
    }
}

impl From<Msg> for Arg {
    fn from(value: Msg) -> Self {
        Arg::Message(Box::new(value))
    }
}

impl From<&Msg> for Arg {
    fn from(value: &Msg) -> Self {
        Arg::Message(Box::new(value.clone()))
    }
}

impl Msg {
    pub fn new(code: impl Into<Cow<'static, str>>) -> Self {
        Self {
            code: code.into(),
            args: BTreeMap::new(),
        }
    }

    /// The message with one more parameter.
    #[must_use]
    pub fn with(mut self, name: &str, value: impl Into<Arg>) -> Self {
        self.args.insert(name.to_owned(), value.into());
        self
    }

    /// The stored form (JSON), for messages kept with what they describe (flags, reasons, signals).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| format!("{{\"code\":\"{}\"}}", self.code))
    }

    /// The stored form back; `None` for text that is not JSON.
    pub fn from_json(text: &str) -> Option<Self> {
        serde_json::from_str(text).ok()
    }

    /// A stored message: its JSON, or (a row written before the catalogue) the words as they were stored.
    pub fn stored(text: &str) -> Self {
        Self::from_json(text).unwrap_or_else(|| Msg::new("stored-text").with("text", text))
    }
}

macro_rules! number_arg {
    ($($t:ty),*) => {
        $(impl From<$t> for Arg {
            fn from(value: $t) -> Self {
                Arg::Number(value as f64)
            }
        })*
    };
}
number_arg!(i32, i64, u8, u16, u32, u64, usize, f32, f64);

impl From<&str> for Arg {
    fn from(value: &str) -> Self {
        Arg::Text(value.to_owned())
    }
}

impl From<String> for Arg {
    fn from(value: String) -> Self {
        Arg::Text(value)
    }
}

impl From<&String> for Arg {
    fn from(value: &String) -> Self {
        Arg::Text(value.clone())
    }
}

impl From<Cow<'_, str>> for Arg {
    fn from(value: Cow<'_, str>) -> Self {
        Arg::Text(value.into_owned())
    }
}

/// A [`Msg`]: `msg!("text-too-long", max = 200)`.
#[macro_export]
macro_rules! msg {
    ($code:literal $(, $name:ident = $value:expr)* $(,)?) => {
        $crate::domain::Msg::new($code)$(.with(stringify!($name), $value))*
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_keeps_its_parameters_through_its_stored_form() {
        let m = crate::msg!("text-too-long", max = 200, field = "ЦНАП");
        assert_eq!(m.code, "text-too-long");
        let back = Msg::from_json(&m.to_json()).unwrap();
        assert_eq!(back, m);
        assert_eq!(back.args["max"], Arg::Number(200.0));
        assert!(Msg::from_json("taken 1149 km from the venue").is_none());
        // A reason stored as words before the catalogue reads back as those words.
        let old: Vec<Msg> = serde_json::from_str(r#"["filled in 2 s"]"#).unwrap();
        assert_eq!(old, [Msg::new("stored-text").with("text", "filled in 2 s")]);
    }
}
