//! Citizens' phone numbers at rest: sealed with AES-256-GCM under a key from configuration (the first of
//! `privacy.phone_keys` seals, every one opens, so keys rotate without a gap), and found again by a keyed hash
//! (HMAC-SHA256 under `privacy.phone_hash_key`), which de-duplicates citizens and keeps the opt-out list without
//! the number itself. A copy of the database alone reveals no number.
//!
//! Sealed form: `<key id>:<base64 of nonce ‖ ciphertext>`; the key id is also the cipher's associated data.

use std::path::Path;
use std::sync::Arc;

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use anyhow::{bail, Context as _};
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use secrecy::ExposeSecret;
use sha2::Sha256;

use crate::config::PrivacySettings;
use crate::domain::service_event::CitizenPhone;

/// The keys, loaded once at start.
#[derive(Clone)]
pub struct PhoneVault {
    inner: Arc<Keys>,
}

struct Keys {
    /// (id, cipher); the first seals.
    ciphers: Vec<(String, Aes256Gcm)>,
    hash_key: Vec<u8>,
}

impl std::fmt::Debug for PhoneVault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ids: Vec<&str> = self.inner.ciphers.iter().map(|(id, _)| id.as_str()).collect();
        f.debug_struct("PhoneVault").field("keys", &ids).finish()
    }
}

/// The name of the key file made in `data_dir` when no keys are configured.
pub const KEY_FILE: &str = "phone-keys";

impl PhoneVault {
    /// From configuration, or (when none is configured) from the key file in `data_dir`, made on first start.
    pub fn from_settings(settings: &PrivacySettings, data_dir: &Path) -> anyhow::Result<Self> {
        let mut keys: Vec<String> = settings
            .phone_keys
            .iter()
            .map(|k| k.expose_secret().to_string())
            .collect();
        let mut hash_key = settings.phone_hash_key.as_ref().map(|h| h.expose_secret().to_string());
        if keys.is_empty() || hash_key.is_none() {
            let (file_keys, file_hash) = key_file(&data_dir.join(KEY_FILE))?;
            if keys.is_empty() {
                keys = file_keys;
            }
            hash_key.get_or_insert(file_hash);
        }
        Self::new(&keys, hash_key.as_deref().unwrap_or_default())
    }

    /// From `<id>:<base64>` keys (the first seals) and the base64 hash key.
    pub fn new(keys: &[String], hash_key: &str) -> anyhow::Result<Self> {
        let mut ciphers = Vec::new();
        for key in keys {
            let (id, encoded) = key
                .split_once(':')
                .context("a phone key is `<id>:<32 bytes in base64>`")?;
            let id = id.trim();
            if id.is_empty() || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
                bail!("a phone key's id is letters, digits, - and _");
            }
            let bytes = STANDARD.decode(encoded.trim()).context("a phone key is base64")?;
            if bytes.len() != 32 {
                bail!("a phone key is 32 bytes (AES-256), {id} has {}", bytes.len());
            }
            if ciphers.iter().any(|(known, _)| known == id) {
                bail!("two phone keys are named {id}");
            }
            ciphers.push((id.to_string(), Aes256Gcm::new_from_slice(&bytes).expect("32 bytes")));
        }
        if ciphers.is_empty() {
            bail!("no phone key");
        }
        let hash_key = STANDARD
            .decode(hash_key.trim())
            .context("the phone hash key is base64")?;
        if hash_key.len() < 32 {
            bail!("the phone hash key has at least 32 bytes");
        }
        Ok(Self {
            inner: Arc::new(Keys { ciphers, hash_key }),
        })
    }

    /// The number sealed under the first key.
    pub fn seal(&self, phone: &CitizenPhone) -> String {
        let (id, cipher) = &self.inner.ciphers[0];
        let nonce: [u8; 12] = rand::random();
        let sealed = cipher
            .encrypt(
                Nonce::from_slice(&nonce),
                Payload {
                    msg: phone.e164().as_bytes(),
                    aad: id.as_bytes(),
                },
            )
            .expect("AES-GCM seals any short text");
        let mut bytes = nonce.to_vec();
        bytes.extend(sealed);
        format!("{id}:{}", STANDARD.encode(bytes))
    }

    /// The number back (E.164), or why not (an unknown key id, a damaged value).
    pub fn open(&self, sealed: &str) -> anyhow::Result<String> {
        let (id, encoded) = sealed.split_once(':').context("a sealed phone has a key id")?;
        let (_, cipher) = self
            .inner
            .ciphers
            .iter()
            .find(|(known, _)| known == id)
            .with_context(|| format!("the phone key {id} is not configured"))?;
        let bytes = STANDARD.decode(encoded).context("a sealed phone is base64")?;
        if bytes.len() < 12 + 16 {
            bail!("a sealed phone is too short");
        }
        let (nonce, ciphertext) = bytes.split_at(12);
        let plain = cipher
            .decrypt(
                Nonce::from_slice(nonce),
                Payload {
                    msg: ciphertext,
                    aad: id.as_bytes(),
                },
            )
            .map_err(|_| anyhow::anyhow!("a sealed phone does not open under key {id}"))?;
        String::from_utf8(plain).context("a sealed phone is text")
    }

    /// The keyed hash (hex) that finds the same number again.
    pub fn hash(&self, phone: &CitizenPhone) -> String {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.inner.hash_key).expect("HMAC takes any key length");
        mac.update(phone.e164().as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }

    /// The id of the key that seals now.
    pub fn current_key(&self) -> &str {
        &self.inner.ciphers[0].0
    }

    /// New key material for configuration (`fieldwork phone-key` prints one): `<id>:<base64>`.
    pub fn generate_key(id: &str) -> String {
        format!("{id}:{}", STANDARD.encode(rand::random::<[u8; 32]>()))
    }
}

/// Reads the key file (`key = <id>:<base64>` lines, the first sealing, and one `hash = <base64>` line), making it
/// with fresh keys when it does not exist. Only the owner may read it.
fn key_file(path: &Path) -> anyhow::Result<(Vec<String>, String)> {
    if !path.exists() {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        }
        let text = format!(
            "# Keys of citizens' phone numbers (docs/INVITATIONS.md). Keep a copy: without them the numbers cannot be read.\n\
             key = {}\nhash = {}\n",
            PhoneVault::generate_key("k1"),
            STANDARD.encode(rand::random::<[u8; 32]>())
        );
        write_private(path, &text)?;
        tracing::warn!(file = %path.display(), "made a phone key file; several servers on one database need privacy.phone_keys and privacy.phone_hash_key configured alike");
    }
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let mut keys = Vec::new();
    let mut hash = None;
    for line in text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        match line.split_once('=').map(|(k, v)| (k.trim(), v.trim())) {
            Some(("key", v)) => keys.push(v.to_string()),
            Some(("hash", v)) => hash = Some(v.to_string()),
            _ => bail!("{}: a line that is neither `key = …` nor `hash = …`", path.display()),
        }
    }
    Ok((
        keys,
        hash.with_context(|| format!("{} has no hash key", path.display()))?,
    ))
}

#[cfg(unix)]
fn write_private(path: &Path, text: &str) -> anyhow::Result<()> {
    use std::io::Write as _;
    use std::os::unix::fs::OpenOptionsExt as _;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .with_context(|| format!("creating {}", path.display()))?;
    file.write_all(text.as_bytes())?;
    Ok(())
}

#[cfg(not(unix))]
fn write_private(path: &Path, text: &str) -> anyhow::Result<()> {
    std::fs::write(path, text).with_context(|| format!("creating {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn phone() -> CitizenPhone {
        CitizenPhone::parse("phone", "+380501234567").unwrap()
    }

    fn hash_key() -> String {
        STANDARD.encode([7u8; 32])
    }

    #[test]
    fn sealed_numbers_open_and_hide() {
        let vault = PhoneVault::new(&[PhoneVault::generate_key("k1")], &hash_key()).unwrap();
        let a = vault.seal(&phone());
        let b = vault.seal(&phone());
        assert!(a.starts_with("k1:") && !a.contains("501234567"));
        assert_ne!(a, b, "a fresh nonce each time");
        assert_eq!(vault.open(&a).unwrap(), "+380501234567");
        assert_eq!(vault.hash(&phone()), vault.hash(&phone()));
        let mut damaged = a.clone();
        damaged.replace_range(a.len() - 4.., "AAAA");
        assert!(vault.open(&damaged).is_err());
    }

    #[test]
    fn keys_rotate_without_a_gap() {
        let old = PhoneVault::generate_key("k1");
        let new = PhoneVault::generate_key("k2");
        let before = PhoneVault::new(std::slice::from_ref(&old), &hash_key()).unwrap();
        let sealed_old = before.seal(&phone());
        let after = PhoneVault::new(&[new.clone(), old], &hash_key()).unwrap();
        assert_eq!(after.open(&sealed_old).unwrap(), "+380501234567");
        assert!(after.seal(&phone()).starts_with("k2:"));
        assert_eq!(
            after.hash(&phone()),
            before.hash(&phone()),
            "the hash key does not rotate"
        );
        let only_new = PhoneVault::new(&[new], &hash_key()).unwrap();
        assert!(only_new.open(&sealed_old).unwrap_err().to_string().contains("k1"));
    }

    #[test]
    fn bad_keys_are_refused_at_start() {
        assert!(PhoneVault::new(&["k1:c2hvcnQ=".into()], &hash_key()).is_err());
        assert!(PhoneVault::new(&[], &hash_key()).is_err());
        assert!(PhoneVault::new(&[PhoneVault::generate_key("k1")], "c2hvcnQ=").is_err());
        let k = PhoneVault::generate_key("k1");
        assert!(PhoneVault::new(&[k.clone(), k], &hash_key()).is_err());
    }

    #[test]
    fn the_key_file_is_made_once() {
        let dir = tempfile::tempdir().unwrap();
        let settings = PrivacySettings::default();
        let first = PhoneVault::from_settings(&settings, dir.path()).unwrap();
        let sealed = first.seal(&phone());
        let again = PhoneVault::from_settings(&settings, dir.path()).unwrap();
        assert_eq!(again.open(&sealed).unwrap(), "+380501234567");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(dir.path().join(KEY_FILE))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }
}
