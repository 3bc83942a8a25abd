//! Validating domain types for everything that comes from outside. Pure: no I/O, no database.
//!
//! Each type is built with `parse`, which either returns a value that is valid by construction or a
//! [`ValidationError`] naming the field and the reason in words a user understands.

mod account;
mod contact;
mod geo;
mod payout;
mod text;

pub use account::{Language, Password, Role, UserStatus};
pub use contact::{Email, Phone};
pub use geo::{Coordinates, TravelRadiusKm};
pub use payout::{Iban, TaxId};
pub use text::BoundedText;

/// Bad input: which field and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct ValidationError {
    /// The input field, as the client named it (e.g. `phone`, `homeLocation.lat`).
    pub field: String,
    /// Why it was refused.
    pub message: String,
}

impl ValidationError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}
