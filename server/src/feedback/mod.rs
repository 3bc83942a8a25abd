//! Citizens' feedback: QR codes per venue (signed short links, rotated one venue at a time), the
//! public form's tokens and the device cookie, the submission (checked, masked, scored for risk, kept once), the
//! service catalogue, and what staff read and moderate. The public pages are `http::feedback`; the rules are
//! `domain::feedback`.

mod bulk;
mod bursts;
mod codes;
mod export;
mod invited;
mod posters;
mod staff;
mod submit;

pub use bursts::{BurstRecord, MAX_BURST_HOURS};
pub use codes::{CodeRecord, FeedbackVenue};
pub use export::ResponsesExport;
pub use invited::{Invited, LinkState};
pub use posters::{qr_png, qr_svg, PosterFormat};
pub use staff::{ResponseFilter, ResponseRecord};
pub use submit::{Submission, Submitted};

use std::sync::Arc;

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::db::Db;
use crate::error::AppResult;

/// The feedback service.
#[derive(Clone)]
pub struct Feedback {
    db: Db,
    /// Signs QR codes, form tokens and device cookies; kept in `app_secrets`, so every server shares it and
    /// printed posters stay valid across restarts.
    secret: Arc<Vec<u8>>,
    /// Where links point (`http.public_url`).
    public_url: String,
    /// One response per device and center in this many hours.
    cooldown_ms: i64,
    min_fill_seconds: i64,
}

/// A service a visitor may have come for.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ServiceRecord {
    pub code: String,
    pub name_uk: String,
    pub name_en: String,
    /// Where the form lists it (smallest first).
    pub position: i64,
    /// 1: offered on the form; 0: hidden (kept, since past responses name it).
    pub active: i64,
}

impl Feedback {
    /// Loads the signing key, making it on first start (the first server to insert it wins).
    pub async fn new(db: Db, public_url: String, settings: &crate::config::FeedbackSettings) -> AppResult<Self> {
        let secret = db
            .app_secret("feedback")
            .await
            .map_err(crate::error::AppError::Internal)?;
        Ok(Self {
            db,
            secret: Arc::new(secret),
            public_url: public_url.trim_end_matches('/').to_string(),
            cooldown_ms: settings.cooldown_hours.max(0) * 3_600_000,
            min_fill_seconds: settings.min_fill_seconds.max(0),
        })
    }

    /// The HMAC-SHA256 state over the parts, joined by newlines.
    fn hmac(&self, parts: &[&str]) -> Hmac<Sha256> {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.secret).expect("HMAC takes any key length");
        mac.update(parts.join("\n").as_bytes());
        mac
    }

    fn mac(&self, parts: &[&str]) -> Vec<u8> {
        self.hmac(parts).finalize().into_bytes().to_vec()
    }

    /// Whether `signature` is the start of the parts' MAC (checked in constant time).
    fn verify(&self, parts: &[&str], signature: &[u8]) -> bool {
        self.hmac(parts).verify_truncated_left(signature).is_ok()
    }

    /// `NOT_FOUND` unless the client exists.
    async fn known_client(&self, client_id: &str) -> AppResult<()> {
        let known: Option<String> = sqlx::query_scalar("SELECT id FROM clients WHERE id = $1")
            .bind(client_id)
            .fetch_optional(self.db.pool())
            .await?;
        known
            .map(|_| ())
            .ok_or_else(|| crate::error::AppError::NotFound("client"))
    }

    /// The services of a venue type, in the catalogue's order.
    pub async fn services(&self, venue_type: &str) -> AppResult<Vec<ServiceRecord>> {
        self.catalogue(venue_type, false).await
    }

    /// A venue type's catalogue in the form's order; `hidden` also lists the services taken off the form.
    pub async fn catalogue(&self, venue_type: &str, hidden: bool) -> AppResult<Vec<ServiceRecord>> {
        Ok(sqlx::query_as(
            "SELECT code, name_uk, name_en, position, active FROM service_catalogue \
             WHERE venue_type = $1 AND (active = 1 OR $2 = 1) ORDER BY position, code",
        )
        .bind(venue_type)
        .bind(i64::from(hidden))
        .fetch_all(self.db.pool())
        .await?)
    }
}

/// Base32 without padding (RFC 4648, lower case): short, case-insensitive-safe text for links.
pub(crate) fn base32(bytes: &[u8]) -> String {
    data_encoding::BASE32_NOPAD.encode(bytes).to_ascii_lowercase()
}

pub(crate) fn unbase32(text: &str) -> Option<Vec<u8>> {
    data_encoding::BASE32_NOPAD
        .decode(text.to_ascii_uppercase().as_bytes())
        .ok()
}
