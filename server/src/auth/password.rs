//! Argon2id password hashes in PHC string form. Hashing costs tens of milliseconds of CPU and 19 MiB of memory
//! on purpose, so it runs on the blocking pool, never on the async workers, and through a [`Hasher`] that lets
//! only as many hashes run at once as there are cores: a login storm queues instead of taking gigabytes.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Semaphore;

use crate::error::{AppError, AppResult};
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;

/// Runs password hashing with bounded concurrency. Waiting requests queue; one that waits longer than `wait`
/// is answered `RATE_LIMITED` (try again in a moment) rather than piling up memory and latency.
#[derive(Clone, Debug)]
pub struct Hasher {
    permits: Arc<Semaphore>,
    wait: Duration,
    waiting: Arc<AtomicI64>,
}

impl Hasher {
    /// `concurrency` 0 means one per core.
    pub fn new(concurrency: usize, wait: Duration) -> Self {
        let concurrency = if concurrency == 0 {
            std::thread::available_parallelism().map_or(2, usize::from)
        } else {
            concurrency
        };
        Self {
            permits: Arc::new(Semaphore::new(concurrency)),
            wait,
            waiting: Arc::new(AtomicI64::new(0)),
        }
    }

    /// How many requests wait for a hashing slot now (a metric).
    pub fn queued(&self) -> i64 {
        self.waiting.load(Ordering::Relaxed)
    }

    async fn run<T: Send + 'static>(&self, work: impl FnOnce() -> anyhow::Result<T> + Send + 'static) -> AppResult<T> {
        self.waiting.fetch_add(1, Ordering::Relaxed);
        let permit = tokio::time::timeout(self.wait, self.permits.clone().acquire_owned()).await;
        self.waiting.fetch_sub(1, Ordering::Relaxed);
        let permit = match permit {
            Ok(Ok(permit)) => permit,
            Ok(Err(closed)) => return Err(AppError::Internal(closed.into())),
            Err(_) => {
                return Err(AppError::RateLimited {
                    message: "the service is busy checking passwords; please try again in a moment".into(),
                    retry_after_secs: 1,
                })
            }
        };
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            work()
        })
        .await
        .map_err(|e| AppError::Internal(e.into()))?
        .map_err(AppError::Internal)
    }

    /// Hashes a password with Argon2id (the crate's defaults: 19 MiB, 2 passes, 1 lane, OWASP's minimum).
    pub async fn hash(&self, password: String) -> AppResult<String> {
        self.run(move || hash_blocking(&password)).await
    }

    /// Checks a password against a stored hash. With no stored hash (unknown account) a dummy hash is checked,
    /// so the answer takes as long either way and does not reveal which emails exist.
    pub async fn verify(&self, password: String, stored: Option<String>) -> AppResult<bool> {
        self.run(move || verify_blocking(&password, stored)).await
    }
}

pub fn hash_blocking(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Ok(Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map_err(|e| anyhow::anyhow!("hashing a password: {e}"))?
        .to_string())
}

fn verify_blocking(password: &str, stored: Option<String>) -> anyhow::Result<bool> {
    let stored = stored.unwrap_or_else(|| DUMMY_HASH.clone());
    let parsed = PasswordHash::new(&stored).map_err(|e| anyhow::anyhow!("stored password hash: {e}"))?;
    Ok(Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
}

/// The hash of a random secret nobody knows, made once with the same parameters as real hashes.
static DUMMY_HASH: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    hash_blocking(&super::token::generate("dummy_")).expect("hashing a random secret cannot fail")
});

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_verify_and_differ_by_salt() {
        let hasher = Hasher::new(0, Duration::from_secs(10));
        let a = hasher.hash("correct horse battery".into()).await.unwrap();
        let b = hasher.hash("correct horse battery".into()).await.unwrap();
        assert_ne!(a, b);
        assert!(a.starts_with("$argon2id$"));
        assert!(hasher
            .verify("correct horse battery".into(), Some(a.clone()))
            .await
            .unwrap());
        assert!(!hasher.verify("wrong horse battery".into(), Some(a)).await.unwrap());
        assert!(!hasher.verify("anything".into(), None).await.unwrap());
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn hashing_is_bounded_and_a_long_wait_is_rate_limited() {
        // One slot and a wait shorter than one hash: of four at once, one runs and the rest are told to retry.
        let hasher = Hasher::new(1, Duration::from_millis(1));
        let _ = DUMMY_HASH.len();
        let results = futures::future::join_all((0..4).map(|_| hasher.verify("x".into(), None))).await;
        let refused = results
            .iter()
            .filter(|r| matches!(r, Err(AppError::RateLimited { .. })))
            .count();
        assert_eq!(results.iter().filter(|r| matches!(r, Ok(false))).count(), 1);
        assert_eq!(refused, 3);
        assert_eq!(hasher.queued(), 0);
    }
}
