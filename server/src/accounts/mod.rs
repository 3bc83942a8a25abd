//! Account use cases: shopper sign-up, email verification, login and sessions, password reset, profiles,
//! staff accounts and suspension. This is the only code that writes account data; GraphQL resolvers, the
//! pages behind email links and the CLI all call it.

mod records;
mod sessions;
mod shoppers;
mod signals;
mod staff;
mod tokens;

use std::sync::Arc;

use tokio::sync::Notify;

pub use crate::db::Page;
pub use records::{shopper_contact, ShopperRecord, UserRecord};
pub use sessions::{ClientInfo, LoginResult};
pub use shoppers::{ProfileChanges, SignUp};
pub use tokens::Verified;

use crate::auth::password::Hasher;
use crate::config::Settings;
use crate::db::Db;

/// The account service: a database handle, the settings, and a way to wake the mail worker.
#[derive(Clone)]
pub struct Accounts {
    pub(crate) db: Db,
    pub(crate) settings: Arc<Settings>,
    mail_wake: Arc<Notify>,
    pub(crate) hasher: Hasher,
}

impl Accounts {
    pub fn new(db: Db, settings: Arc<Settings>, mail_wake: Arc<Notify>) -> Self {
        let hasher = Hasher::new(
            settings.auth.hash_concurrency,
            std::time::Duration::from_millis(settings.auth.hash_wait_ms),
        );
        Self {
            db,
            settings,
            mail_wake,
            hasher,
        }
    }

    /// The password hashing queue (for metrics).
    pub fn hasher(&self) -> &Hasher {
        &self.hasher
    }

    pub fn db(&self) -> &Db {
        &self.db
    }

    /// Tell the outbox worker that mail is waiting (call after the transaction that enqueued it commits).
    fn wake_mailer(&self) {
        self.mail_wake.notify_one();
    }
}
