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
pub use sessions::{ClientInfo, LoginResult, LOGIN_DEVICE_COOKIE};
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
    /// Signs the device cookies of browsers that logged in (`sessions`); shared by every server.
    device_key: Arc<Vec<u8>>,
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
            device_key: Arc::new(rand::random::<[u8; 32]>().to_vec()),
        }
    }

    /// The key that signs login device cookies (from `app_secrets`, so every server accepts every cookie);
    /// without it a random key of this process is used.
    pub fn with_device_key(mut self, key: Vec<u8>) -> Self {
        self.device_key = Arc::new(key);
        self
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
