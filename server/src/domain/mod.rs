//! Validating domain types for everything that comes from outside. Pure: no I/O, no database.
//!
//! Each type is built with `parse`, which either returns a value that is valid by construction or a
//! [`ValidationError`] naming the field and the reason in words a user understands.

mod account;
pub mod api_key;
pub mod cati;
pub mod checklist;
mod contact;
pub mod delivery;
pub mod eligibility;
pub mod feedback;
pub mod flags;
mod geo;
pub mod invitation;
pub mod ledger;
mod message;
pub mod optimizer;
mod payout;
pub mod photo;
pub mod quality_index;
pub mod results;
pub mod service_event;
pub mod task;
pub mod text;
mod venue;
pub mod visit;
pub mod wave;

pub use account::{Language, Password, Role, ShopperSignal, SignalCode, UserStatus};
pub use contact::{Email, Phone};
pub use geo::{Coordinates, TravelRadiusKm};
pub use message::{Arg, Msg};
pub use payout::{plan_batch, BatchMove, BatchPlan, BatchState, Iban, LineMove, LineState, Owed, TaxId};
pub use text::BoundedText;
pub use venue::{
    bounding_box, distance_m, format_hhmm, local_moment, normalize_apostrophes, parse_size_class, parse_time_zone,
    stored_zone, GeofenceRadius, OpeningHours, OpeningInterval, VenueType, Weekday, SIZE_CLASSES,
};

/// A stored value that is none of its type's values (a corrupt row, or a newer server's value): an internal
/// error, never silently read as some default.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {kind} {value:?} in the database")]
pub struct UnknownValue {
    pub kind: &'static str,
    pub value: String,
}

impl UnknownValue {
    pub fn new(kind: &'static str, value: &str) -> Self {
        Self {
            kind,
            value: value.chars().take(64).collect(),
        }
    }
}

/// Stored forms as an SQL list of literals (`'CLAIMED', 'ASSIGNED'`) for a conditional `UPDATE … WHERE state IN
/// (…)`; only ever given an enum's own constant stored forms, never input.
pub fn sql_literals<'a>(stored: impl IntoIterator<Item = &'a str>) -> String {
    stored
        .into_iter()
        .map(|s| format!("'{s}'"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Bad input: which field and why (a message of the catalogue, rendered where it is shown).
#[derive(Debug, Clone, PartialEq)]
pub struct ValidationError {
    /// The input field, as the client named it (e.g. `phone`, `homeLocation.lat`).
    pub field: String,
    /// Why it was refused.
    pub message: Msg,
}

impl ValidationError {
    pub fn new(field: impl Into<String>, message: Msg) -> Self {
        Self {
            field: field.into(),
            message,
        }
    }
}

/// For logs and test output: the field and the message's code with its parameters.
impl std::fmt::Display for ValidationError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.message.code)?;
        for (k, v) in &self.message.args {
            match v {
                Arg::Number(n) => write!(f, " {k}={n}")?,
                Arg::Text(t) => write!(f, " {k}={t:?}")?,
                Arg::Message(m) => write!(f, " {k}={}", m.code)?,
            }
        }
        Ok(())
    }
}

impl std::error::Error for ValidationError {}

/// Collects every field error of a form instead of stopping at the first, so a client can show them all.
#[derive(Debug, Default)]
pub struct FieldErrors(Vec<ValidationError>);

impl FieldErrors {
    /// Keeps the value, or records the error and gives `None`.
    pub fn check<T>(&mut self, result: Result<T, ValidationError>) -> Option<T> {
        result.map_err(|e| self.0.push(e)).ok()
    }

    pub fn push(&mut self, error: ValidationError) {
        self.0.push(error);
    }

    /// `Ok` when nothing was recorded.
    pub fn finish(self) -> Result<(), Vec<ValidationError>> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(self.0)
        }
    }
}
