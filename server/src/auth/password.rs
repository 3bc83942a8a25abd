//! Argon2id password hashes in PHC string form. Hashing costs tens of milliseconds of CPU and 19 MiB of memory
//! on purpose, so it runs on the blocking pool, never on the async workers, and through a [`Hasher`] that lets
//! only as many hashes run at once as there are cores: a login storm queues instead of taking gigabytes.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Semaphore;

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{Output, ParamsString, PasswordHash, PasswordHasher, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};

use crate::error::{AppError, AppResult};

/// The 19 MiB working memory of one hash, reused from one hash to the next while requests are queued (at most
/// one per slot), and given back when the queue is empty.
type Memory = Vec<Block>;

/// Runs password hashing with bounded concurrency. Waiting requests queue; one that waits longer than `wait`
/// is answered `RATE_LIMITED` (try again in a moment) rather than piling up memory and latency.
#[derive(Clone, Debug)]
pub struct Hasher {
    permits: Arc<Semaphore>,
    wait: Duration,
    waiting: Arc<AtomicI64>,
    memories: Arc<std::sync::Mutex<Vec<Memory>>>,
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
            memories: Default::default(),
        }
    }

    /// How many requests wait for a hashing slot now (a metric).
    pub fn queued(&self) -> i64 {
        self.waiting.load(Ordering::Relaxed)
    }

    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut Memory) -> anyhow::Result<T> + Send + 'static,
    ) -> AppResult<T> {
        self.waiting.fetch_add(1, Ordering::Relaxed);
        let permit = tokio::time::timeout(self.wait, self.permits.clone().acquire_owned()).await;
        self.waiting.fetch_sub(1, Ordering::Relaxed);
        let permit = match permit {
            Ok(Ok(permit)) => permit,
            Ok(Err(closed)) => return Err(AppError::Internal(closed.into())),
            Err(_) => {
                return Err(AppError::RateLimited {
                    message: crate::msg!("service-busy-passwords"),
                    retry_after_secs: 1,
                })
            }
        };
        let (memories, waiting) = (self.memories.clone(), self.waiting.clone());
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            let pool = || memories.lock().unwrap_or_else(|e| e.into_inner());
            let mut memory = pool().pop().unwrap_or_default();
            let result = work(&mut memory);
            // Kept for the next hash only while others are queued (a storm); otherwise given back.
            if waiting.load(Ordering::Relaxed) > 0 {
                pool().push(memory);
            } else {
                pool().clear();
            }
            result
        })
        .await
        .map_err(|e| AppError::Internal(e.into()))?
        .map_err(AppError::Internal)
    }

    /// Hashes a password with Argon2id (the crate's defaults: 19 MiB, 2 passes, 1 lane, OWASP's minimum).
    pub async fn hash(&self, password: String) -> AppResult<String> {
        self.run(move |memory| hash_with(memory, &password)).await
    }

    /// Checks a password against a stored hash. With no stored hash (unknown account) a dummy hash is checked,
    /// so the answer takes as long either way and does not reveal which emails exist.
    pub async fn verify(&self, password: String, stored: Option<String>) -> AppResult<bool> {
        self.run(move |memory| {
            let stored = stored.unwrap_or_else(|| DUMMY_HASH.clone());
            verify_with(memory, &password, &stored)
        })
        .await
    }
}

pub fn hash_blocking(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Ok(Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map_err(|e| anyhow::anyhow!("hashing a password: {e}"))?
        .to_string())
}

/// Argon2id with the crate's default parameters, computed in `memory` (resized as needed, then kept), written
/// as the same PHC string `Argon2::hash_password` makes.
fn hash_with(memory: &mut Memory, password: &str) -> anyhow::Result<String> {
    let err = |e: argon2::password_hash::Error| anyhow::anyhow!("hashing a password: {e}");
    let params = Params::default();
    let salt = SaltString::generate(&mut OsRng);
    let salt = salt.as_salt();
    let mut salt_bytes = [0u8; 64];
    let salt_bytes = salt.decode_b64(&mut salt_bytes).map_err(err)?;
    memory.resize(params.block_count(), Block::default());
    let argon2 = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
    let output = Output::init_with(params.output_len().unwrap_or(Params::DEFAULT_OUTPUT_LEN), |out| {
        Ok(argon2.hash_password_into_with_memory(password.as_bytes(), salt_bytes, out, &mut memory[..])?)
    })
    .map_err(err)?;
    let phc = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params).map_err(err)?,
        salt: Some(salt),
        hash: Some(output),
    };
    Ok(phc.to_string())
}

/// Checks `password` against a stored PHC string (any Argon2 variant and parameters) in `memory`; the
/// comparison of the outputs takes constant time.
fn verify_with(memory: &mut Memory, password: &str, stored: &str) -> anyhow::Result<bool> {
    let err = |e: argon2::password_hash::Error| anyhow::anyhow!("stored password hash: {e}");
    let parsed = PasswordHash::new(stored).map_err(err)?;
    let algorithm = Algorithm::try_from(parsed.algorithm).map_err(err)?;
    let version = parsed
        .version
        .map(Version::try_from)
        .transpose()
        .map_err(|e| anyhow::anyhow!("stored password hash: {e}"))?
        .unwrap_or_default();
    let params = Params::try_from(&parsed).map_err(err)?;
    let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else {
        anyhow::bail!("stored password hash has no salt or output");
    };
    let mut salt_bytes = [0u8; 64];
    let salt_bytes = salt.decode_b64(&mut salt_bytes).map_err(err)?;
    memory.resize(params.block_count(), Block::default());
    let argon2 = Argon2::new(algorithm, version, params);
    let computed = Output::init_with(expected.len(), |out| {
        Ok(argon2.hash_password_into_with_memory(password.as_bytes(), salt_bytes, out, &mut memory[..])?)
    })
    .map_err(err)?;
    Ok(computed == expected)
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

    #[test]
    fn reused_memory_gives_the_crates_own_hashes() {
        use argon2::PasswordVerifier as _;
        let mut memory = Memory::new();
        // Ours verifies with the crate, and the crate's (as stored by earlier releases) with ours.
        let ours = hash_with(&mut memory, "correct horse battery").unwrap();
        let parsed = PasswordHash::new(&ours).unwrap();
        assert!(Argon2::default()
            .verify_password(b"correct horse battery", &parsed)
            .is_ok());
        let theirs = hash_blocking("correct horse battery").unwrap();
        assert!(verify_with(&mut memory, "correct horse battery", &theirs).unwrap());
        assert!(!verify_with(&mut memory, "correct horse batterY", &theirs).unwrap());
        // Other parameters (an older or stronger setting) still verify: the memory is resized.
        let strong = Argon2::new(
            Algorithm::Argon2id,
            Version::V0x13,
            Params::new(32 * 1024, 3, 1, None).unwrap(),
        )
        .hash_password(b"s3cret s3cret", &SaltString::generate(&mut OsRng))
        .unwrap()
        .to_string();
        assert!(verify_with(&mut memory, "s3cret s3cret", &strong).unwrap());
        assert_eq!(memory.len(), 32 * 1024);
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
