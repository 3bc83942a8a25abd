//! The link in an invitation (`/i/<token>.<signature>`): like a QR code, a short random token and its
//! signature, checked before the database is asked; it leads to the same form, for the one service event it
//! was sent about (the center and the service known), answers once, and lapses after its time.

use sqlx::FromRow;

use super::codes::FeedbackVenue;
use super::{base32, unbase32, Feedback};
use crate::domain::feedback::Channel;
use crate::error::AppResult;

/// Random bytes in an invitation's token (10 base32 characters), and signature bytes (8 characters): with the
/// `/i/` path and the point, 21 characters after the address.
pub const INVITE_TOKEN_BYTES: usize = 6;
const SIGNATURE_BYTES: usize = 5;

/// An invitation as its link opens it.
#[derive(Debug, Clone)]
pub struct Invited {
    pub invitation_id: String,
    pub venue: FeedbackVenue,
    pub service_code: String,
    /// What carried the link (SMS when the provider did not say).
    pub channel: Channel,
    pub state: LinkState,
}

/// Whether a link still takes an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkState {
    Open,
    Answered,
    Expired,
}

#[derive(FromRow)]
struct Row {
    invitation_id: String,
    service_code: String,
    channel: Option<String>,
    answered_at: Option<i64>,
    expires_at: Option<i64>,
    id: String,
    client_id: String,
    name: String,
    address: String,
    city: String,
    venue_type: String,
    feedback_moderated: i64,
}

impl Feedback {
    /// A new token for an invitation's link.
    pub fn new_invitation_token() -> String {
        base32(&rand::random::<[u8; INVITE_TOKEN_BYTES]>())
    }

    /// The link of an invitation's token.
    pub fn invitation_link(&self, token: &str) -> String {
        let signature = self.mac(&["invite", token]);
        format!(
            "{}/i/{token}.{}",
            self.public_url,
            base32(&signature[..SIGNATURE_BYTES])
        )
    }

    /// The invitation behind a link's code, or `None` for a forged, altered or unknown code (one page for all).
    pub async fn resolve_invitation(&self, code: &str) -> AppResult<Option<Invited>> {
        let Some((token, signature)) = code.trim().split_once('.') else {
            return Ok(None);
        };
        let token = token.to_ascii_lowercase();
        let Some(signature) = unbase32(signature).filter(|s| s.len() == SIGNATURE_BYTES) else {
            return Ok(None);
        };
        if unbase32(&token).is_none_or(|t| t.len() != INVITE_TOKEN_BYTES)
            || !self.verify(&["invite", &token], &signature)
        {
            return Ok(None);
        }
        let row: Option<Row> = sqlx::query_as(
            "SELECT i.id AS invitation_id, i.service_code, i.channel, i.answered_at, i.expires_at, v.id, \
             v.client_id, v.name, v.address, v.city, v.venue_type, cl.feedback_moderated \
             FROM invitations i JOIN venues v ON v.id = i.venue_id JOIN clients cl ON cl.id = v.client_id \
             WHERE i.token = $1 AND i.sent_at IS NOT NULL",
        )
        .bind(&token)
        .fetch_optional(self.db.pool())
        .await?;
        let now = self.db.now_ms();
        Ok(row.map(|r| Invited {
            state: if r.answered_at.is_some() {
                LinkState::Answered
            } else if r.expires_at.is_some_and(|at| at <= now) {
                LinkState::Expired
            } else {
                LinkState::Open
            },
            invitation_id: r.invitation_id,
            service_code: r.service_code,
            channel: match r.channel.as_deref() {
                Some("VIBER") => Channel::Viber,
                _ => Channel::Sms,
            },
            venue: FeedbackVenue {
                id: r.id,
                client_id: r.client_id,
                name: r.name,
                address: r.address,
                city: r.city,
                venue_type: r.venue_type,
                feedback_moderated: r.feedback_moderated,
            },
        }))
    }

    /// Notes that the link was opened (the first time counts).
    pub async fn invitation_opened(&self, invitation_id: &str) -> AppResult<()> {
        sqlx::query("UPDATE invitations SET opened_at = $1 WHERE id = $2 AND opened_at IS NULL")
            .bind(self.db.now_ms())
            .bind(invitation_id)
            .execute(self.db.pool())
            .await?;
        Ok(())
    }
}
