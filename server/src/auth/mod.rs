//! Authentication and authorization: password hashing, opaque tokens, and the one table that says which role
//! may do what ([`policy`]).

pub mod password;
pub mod policy;
pub mod token;

pub use policy::{Actor, Permission};
