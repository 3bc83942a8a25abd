//! QR codes: a venue's live code is a random token plus its signature, `/q/<token>.<signature>`. A forged or
//! altered code fails the signature before the database is asked; a retired code (after a rotation, e.g. a
//! stolen poster) is refused; the venue's other posters are not touched.

use sqlx::FromRow;

use crate::audit::audit;
use crate::auth::{Actor, Permission};
use crate::error::{AppError, AppResult};

use super::{base32, unbase32, Feedback};

/// Random bytes in a token (10 base32 characters) and signature bytes (8 characters).
const TOKEN_BYTES: usize = 6;
const SIGNATURE_BYTES: usize = 5;

/// A venue's code.
#[derive(Debug, Clone, FromRow)]
pub struct CodeRecord {
    pub token: String,
    pub venue_id: String,
    pub created_at: i64,
    pub retired_at: Option<i64>,
}

/// The venue a code leads to, as the public form shows it.
#[derive(Debug, Clone, FromRow)]
pub struct FeedbackVenue {
    pub id: String,
    pub client_id: String,
    pub name: String,
    pub address: String,
    pub city: String,
    pub venue_type: String,
    /// The client's choice: 1, a moderator approves each comment; 0, masked comments are published at once.
    pub feedback_moderated: i64,
}

impl Feedback {
    /// `<token>.<signature>` for a token.
    pub fn code_text(&self, token: &str) -> String {
        let signature = self.mac(&["qr", token]);
        format!("{token}.{}", base32(&signature[..SIGNATURE_BYTES]))
    }

    /// The public link of a token.
    pub fn link(&self, token: &str) -> String {
        format!("{}/q/{}", self.public_url, self.code_text(token))
    }

    /// The venue's live code, made on first use. Staff who manage venues only.
    pub async fn live_code(&self, actor: &Actor, venue_id: &str) -> AppResult<CodeRecord> {
        if !actor.can(Permission::ManageVenues) {
            return Err(AppError::forbidden());
        }
        self.venue_exists(venue_id).await?;
        if let Some(code) = self.current(venue_id).await? {
            return Ok(code);
        }
        let token = base32(&rand::random::<[u8; TOKEN_BYTES]>());
        let inserted = sqlx::query(
            "INSERT INTO feedback_codes (token, venue_id, created_by, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
        )
        .bind(&token)
        .bind(venue_id)
        .bind(&actor.user_id)
        .bind(self.db.now_ms())
        .execute(self.db.pool())
        .await?;
        if inserted.rows_affected() == 0 {
            tracing::debug!(venue_id, "another request made the venue's code first");
        }
        self.current(venue_id)
            .await?
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("no live code after insert")))
    }

    /// Retires the venue's live code and makes a new one, in one transaction (audited).
    pub async fn rotate(&self, actor: &Actor, venue_id: &str) -> AppResult<CodeRecord> {
        if !actor.can(Permission::ManageVenues) {
            return Err(AppError::forbidden());
        }
        self.venue_exists(venue_id).await?;
        let now = self.db.now_ms();
        let token = base32(&rand::random::<[u8; TOKEN_BYTES]>());
        let mut tx = self.db.begin_write().await?;
        sqlx::query("UPDATE feedback_codes SET retired_at = $1 WHERE venue_id = $2 AND retired_at IS NULL")
            .bind(now)
            .bind(venue_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO feedback_codes (token, venue_id, created_by, created_at) VALUES ($1, $2, $3, $4)")
            .bind(&token)
            .bind(venue_id)
            .bind(&actor.user_id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        audit(
            &mut tx,
            Some(&actor.user_id),
            "feedback.code.rotate",
            Some(venue_id),
            None,
        )
        .await?;
        tx.commit().await?;
        Ok(CodeRecord {
            token,
            venue_id: venue_id.to_string(),
            created_at: now,
            retired_at: None,
        })
    }

    async fn current(&self, venue_id: &str) -> AppResult<Option<CodeRecord>> {
        Ok(sqlx::query_as(
            "SELECT token, venue_id, created_at, retired_at FROM feedback_codes WHERE venue_id = $1 AND retired_at IS NULL",
        )
        .bind(venue_id)
        .fetch_optional(self.db.pool())
        .await?)
    }

    async fn venue_exists(&self, venue_id: &str) -> AppResult<()> {
        let found: Option<String> = sqlx::query_scalar("SELECT id FROM venues WHERE id = $1")
            .bind(venue_id)
            .fetch_optional(self.db.pool())
            .await?;
        found.map(|_| ()).ok_or_else(|| AppError::NotFound("venue"))
    }

    /// The venue behind a code from a link, or `None` for a forged, altered, retired or unknown code (the page
    /// says the same for all, so nobody learns which tokens exist). Also returns the token.
    pub async fn resolve(&self, code: &str) -> AppResult<Option<(String, FeedbackVenue)>> {
        let Some((token, signature)) = code.trim().split_once('.') else {
            return Ok(None);
        };
        let token = token.to_ascii_lowercase();
        let Some(signature) = unbase32(signature).filter(|s| s.len() == SIGNATURE_BYTES) else {
            return Ok(None);
        };
        if unbase32(&token).is_none_or(|t| t.len() != TOKEN_BYTES) || !self.verify(&["qr", &token], &signature) {
            return Ok(None);
        }
        let venue: Option<FeedbackVenue> = sqlx::query_as(
            "SELECT v.id, v.client_id, v.name, v.address, v.city, v.venue_type, cl.feedback_moderated \
             FROM feedback_codes c JOIN venues v ON v.id = c.venue_id JOIN clients cl ON cl.id = v.client_id \
             WHERE c.token = $1 AND c.retired_at IS NULL AND v.active = 1",
        )
        .bind(&token)
        .fetch_optional(self.db.pool())
        .await?;
        Ok(venue.map(|v| (token, v)))
    }

    /// A venue picked on the map (no code): an active venue of a public body (the centers the public portal
    /// shows); a company's shops are asked about through their QR codes only.
    pub async fn public_venue(&self, venue_id: &str) -> AppResult<Option<FeedbackVenue>> {
        Ok(sqlx::query_as(
            "SELECT v.id, v.client_id, v.name, v.address, v.city, v.venue_type, cl.feedback_moderated FROM venues v \
             JOIN clients cl ON cl.id = v.client_id WHERE v.id = $1 AND v.active = 1 AND cl.kind = 'PUBLIC_BODY'",
        )
        .bind(venue_id)
        .fetch_optional(self.db.pool())
        .await?)
    }

    /// An active venue by id (posters, staff).
    pub async fn venue(&self, venue_id: &str) -> AppResult<Option<FeedbackVenue>> {
        Ok(sqlx::query_as(
            "SELECT v.id, v.client_id, v.name, v.address, v.city, v.venue_type, cl.feedback_moderated FROM venues v \
             JOIN clients cl ON cl.id = v.client_id WHERE v.id = $1 AND v.active = 1",
        )
        .bind(venue_id)
        .fetch_optional(self.db.pool())
        .await?)
    }
}
