//! Where photo files live (a local folder or S3-compatible storage through `object_store`), and signed,
//! expiring links to them.

use std::sync::Arc;

use hmac::{Hmac, Mac};
use object_store::path::Path as StorePath;
use object_store::{ObjectStore, PutPayload};
use sha2::Sha256;

use crate::config::Settings;

/// Where photo files live, and signed links to them.
#[derive(Clone)]
pub struct Storage {
    store: Arc<dyn ObjectStore>,
    prefix: StorePath,
    /// The folder the store's paths start from, when the store is a local folder: `object_store` writes a file
    /// as `<name>#<n>` and renames it when complete, so a process killed mid-write leaves that staged file,
    /// which only the file system shows.
    local_root: Option<std::path::PathBuf>,
    secret: Arc<Vec<u8>>,
    public_url: String,
    ttl_secs: i64,
}

impl Storage {
    pub fn from_settings(settings: &Settings) -> anyhow::Result<Self> {
        let photos = &settings.photos;
        let mut local_root = None;
        let (store, prefix): (Arc<dyn ObjectStore>, StorePath) = match &photos.store_url {
            None => {
                let dir = settings.data_dir.join("photos");
                std::fs::create_dir_all(&dir)?;
                let store = object_store::local::LocalFileSystem::new_with_prefix(&dir)?;
                local_root = Some(dir);
                (Arc::new(store), StorePath::default())
            }
            Some(url) => {
                let parsed = url::Url::parse(url)?;
                if parsed.scheme() == "file" {
                    std::fs::create_dir_all(parsed.path())?;
                    // Paths of a `file://` store are absolute (the prefix holds the folder).
                    local_root = Some(std::path::PathBuf::from("/"));
                }
                let options: Vec<(String, String)> = std::env::vars()
                    .filter(|(k, _)| k.starts_with("AWS_"))
                    .map(|(k, v)| (k.to_lowercase(), v))
                    .collect();
                let (store, prefix) = object_store::parse_url_opts(&parsed, options)?;
                (Arc::from(store), prefix)
            }
        };
        let secret = match &photos.url_secret {
            Some(s) => secrecy::ExposeSecret::expose_secret(s).as_bytes().to_vec(),
            None => {
                use rand::RngCore;
                let mut key = vec![0u8; 32];
                rand::thread_rng().fill_bytes(&mut key);
                key
            }
        };
        Ok(Self {
            store,
            prefix,
            local_root,
            secret: Arc::new(secret),
            public_url: settings.public_url(),
            ttl_secs: (photos.url_ttl_minutes.max(1) * 60) as i64,
        })
    }

    fn path(&self, key: &str) -> StorePath {
        key.split('/').fold(self.prefix.clone(), |path, part| path.child(part))
    }

    pub async fn put(&self, key: &str, bytes: Vec<u8>) -> anyhow::Result<()> {
        self.store.put(&self.path(key), PutPayload::from(bytes)).await?;
        Ok(())
    }

    /// Removes a file and whatever an interrupted write of it left; a file that is not there is no error.
    pub async fn delete(&self, key: &str) -> anyhow::Result<()> {
        match self.store.delete(&self.path(key)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => {}
            Err(e) => return Err(e.into()),
        }
        self.remove_staged(key).await.map(|_| ())
    }

    /// Removes the staged copies (`<name>#<n>`) that a write of this key interrupted by a crash left in a
    /// local folder; returns how many. Object stores keep no such copies (an S3 bucket's unfinished multipart
    /// uploads are removed by the bucket's lifecycle rule, see the README).
    pub async fn remove_staged(&self, key: &str) -> anyhow::Result<usize> {
        let Some(root) = &self.local_root else {
            return Ok(0);
        };
        let file = root.join(self.path(key).as_ref());
        let (Some(dir), Some(name)) = (file.parent(), file.file_name().and_then(|n| n.to_str())) else {
            return Ok(0);
        };
        let mut entries = match tokio::fs::read_dir(dir).await {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
            Err(e) => return Err(e.into()),
        };
        let mut removed = 0;
        while let Some(entry) = entries.next_entry().await? {
            let entry_name = entry.file_name();
            let staged = entry_name
                .to_str()
                .and_then(|n| n.strip_prefix(name))
                .and_then(|rest| rest.strip_prefix('#'))
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
            if staged {
                match tokio::fs::remove_file(entry.path()).await {
                    Ok(()) => removed += 1,
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                    Err(e) => return Err(e.into()),
                }
            }
        }
        Ok(removed)
    }

    /// Is there a file under this key?
    pub async fn exists(&self, key: &str) -> anyhow::Result<bool> {
        match self.store.head(&self.path(key)).await {
            Ok(_) => Ok(true),
            Err(object_store::Error::NotFound { .. }) => Ok(false),
            Err(e) => Err(e.into()),
        }
    }

    /// The file, or `None` when it does not exist.
    pub async fn get(&self, key: &str) -> anyhow::Result<Option<bytes::Bytes>> {
        match self.store.get(&self.path(key)).await {
            Ok(result) => Ok(Some(result.bytes().await?)),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    fn signature(&self, key: &str, expires: i64) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.secret).expect("HMAC takes any key length");
        mac.update(key.as_bytes());
        mac.update(b"\n");
        mac.update(expires.to_string().as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }

    /// A link to the file that works until it expires (`photos.url_ttl_minutes`).
    pub fn signed_url(&self, key: &str, now_ms: i64) -> String {
        let expires = now_ms / 1000 + self.ttl_secs;
        format!(
            "{}/media/{key}?expires={expires}&sig={}",
            self.public_url,
            self.signature(key, expires)
        )
    }

    /// Is this a valid, unexpired signature for the key?
    pub fn verify(&self, key: &str, expires: i64, sig: &str, now_ms: i64) -> bool {
        if expires < now_ms / 1000 {
            return false;
        }
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.secret).expect("HMAC takes any key length");
        mac.update(key.as_bytes());
        mac.update(b"\n");
        mac.update(expires.to_string().as_bytes());
        match hex::decode(sig) {
            Ok(sig) => mac.verify_slice(&sig).is_ok(),
            Err(_) => false,
        }
    }
}
