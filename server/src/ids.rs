//! Typed ids for the arguments that are easy to swap: a task, a visit, a user (shopper or staff). Rows and
//! SQL keep plain strings; a use case whose signature takes two ids takes them typed, so
//! `assign(actor, &shopper, &task, …)` does not compile.

use std::fmt;

macro_rules! id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(String);

        impl $name {
            pub fn new(id: impl Into<String>) -> Self {
                Self(id.into())
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl From<async_graphql::ID> for $name {
            fn from(id: async_graphql::ID) -> Self {
                Self(id.0)
            }
        }

        impl From<&str> for $name {
            fn from(id: &str) -> Self {
                Self(id.to_string())
            }
        }

        impl From<String> for $name {
            fn from(id: String) -> Self {
                Self(id)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

id!(
    /// A task: one required visit of a venue in a wave.
    TaskId
);
id!(
    /// A visit: what a shopper did for a task.
    VisitId
);
id!(
    /// A user: a shopper or a staff member.
    UserId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_keep_their_text() {
        let task = TaskId::from(async_graphql::ID::from("019a"));
        assert_eq!(task.as_str(), "019a");
        assert_eq!(UserId::new("u1").to_string(), "u1");
        assert_eq!(VisitId::from("v1"), VisitId::new(String::from("v1")));
    }
}
