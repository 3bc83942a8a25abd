//! A citizen's response, load → decide → write: what needs no database first (the honeypot, the form's own
//! signed token, the fields), then the visitor (address and device as keyed hashes) admitted by the rate limits;
//! in one transaction the device's cooldown and the pace of responses are loaded, the pure domain decides
//! (`domain::feedback::decide_response`: risk, counted, moderation, a burst), and the response is kept once (the
//! form's token is its key, so a resend of the same form, or a double tap, keeps one response).

use sha2::Digest;

use crate::db::new_id;
use crate::domain::feedback::{
    check_form, decide_response, Channel, Form, Response, ResponseDecision, Signals, NEW_DEVICE_HOURS, SUSPICIOUS,
};
use crate::domain::quality_index::Tally;
use crate::domain::ValidationError;
use crate::error::{AppError, AppResult};

use super::codes::FeedbackVenue;
use super::{base32, unbase32, Feedback};

/// How long a shown form may be sent.
const FORM_TTL_MS: i64 = 24 * 3_600_000;
/// Responses one address may send in an hour (a family on one Wi-Fi, a center's guest network).
const PER_ADDRESS_PER_HOUR: u32 = 20;
/// Responses one device may send in a day, to all centers together (its cooldown is per center).
const PER_DEVICE_PER_DAY: u32 = 10;
/// The window bursts are counted in, ms.
const BURST_WINDOW_MS: i64 = 600_000;

/// What arrived with a response.
#[derive(Debug, Clone)]
pub struct Submission {
    pub venue: FeedbackVenue,
    pub channel: Channel,
    pub code_token: Option<String>,
    /// The invitation whose link opened the form (channel SMS or VIBER): it answers once.
    pub invitation_id: Option<String>,
    pub form: Form,
    /// The hidden field the page carries (`Feedback::form_token`).
    pub form_token: String,
    /// The field people never see; only a bot fills it.
    pub honeypot: Option<String>,
    /// The device cookie's value, if the browser sent one.
    pub device_cookie: Option<String>,
    pub address: String,
    /// The browser's proof-of-work answer (`None` when JavaScript was off).
    pub proof_of_work: Option<String>,
}

/// What became of a response.
#[derive(Debug, Clone, PartialEq)]
pub enum Submitted {
    /// Kept. `counted`: it goes into the index (not suspicious).
    Saved { id: String, counted: bool },
    /// The same form was sent again: the first response stands.
    Again { id: String },
    /// This device already answered for this center recently.
    Cooldown,
    /// This device answered for too many centers today.
    DeviceLimit,
    /// The honeypot was filled.
    Bot,
    /// The form's token is missing, altered or too old: the page is shown again, fresh.
    Stale,
    /// Fields to fix, each named.
    Invalid(Vec<ValidationError>),
    /// The invitation's link was answered already (another form of it was sent first).
    Answered,
}

impl Feedback {
    /// A token for a form shown now for this venue through this entry (a QR code's token, or `None` for the
    /// map): `<nonce>.<shown at ms>.<signature>`. A form shown through one entry is accepted only through it, so
    /// a form of a QR code retired since is refused everywhere.
    pub fn form_token(&self, venue_id: &str, code_token: Option<&str>, invitation_id: Option<&str>) -> String {
        let nonce = base32(&rand::random::<[u8; 10]>());
        let shown = self.db.now_ms().to_string();
        let signature = self.mac(&["form", venue_id, &entry_key(code_token, invitation_id), &nonce, &shown]);
        format!("{nonce}.{shown}.{}", base32(&signature[..16]))
    }

    /// When the form was shown, if the token is this venue's and entry's, unaltered and not too old.
    fn form_shown_at(&self, s: &Submission, now: i64) -> Option<i64> {
        let mut parts = s.form_token.split('.');
        let (nonce, shown, signature) = (parts.next()?, parts.next()?, parts.next()?);
        let signature = unbase32(signature).filter(|s| s.len() == 16)?;
        let entry = entry_key(s.code_token.as_deref(), s.invitation_id.as_deref());
        if !self.verify(&["form", &s.venue.id, &entry, nonce, shown], &signature) {
            return None;
        }
        let shown: i64 = shown.parse().ok()?;
        (shown <= now + 60_000 && now - shown <= FORM_TTL_MS).then_some(shown)
    }

    /// A new device cookie value: a random id, when it was made (seconds), and their signature.
    pub fn new_device_cookie(&self) -> String {
        let id = base32(&rand::random::<[u8; 12]>());
        let made = (self.db.now_ms() / 1000).to_string();
        let signature = self.mac(&["device", &id, &made]);
        format!("{id}.{made}.{}", base32(&signature[..12]))
    }

    /// The device inside a cookie value, if it is one we made. Cookies made before they carried their time
    /// (`<id>.<signature>`) are devices of unknown age.
    pub fn device(&self, cookie: &str) -> Option<Device> {
        let parts: Vec<&str> = cookie.split('.').collect();
        let (id, made, signature) = match parts[..] {
            [id, made, signature] => (id, Some(made), signature),
            [id, signature] => (id, None, signature),
            _ => return None,
        };
        let signature = unbase32(signature).filter(|s| s.len() == 12)?;
        let signed: Vec<&str> = std::iter::once("device").chain(Some(id)).chain(made).collect();
        if !self.verify(&signed, &signature) {
            return None;
        }
        Some(Device {
            id: id.to_string(),
            made_at: made.and_then(|m| m.parse::<i64>().ok()).map(|secs| secs * 1000),
        })
    }

    /// A keyed hash, so addresses and devices are compared without being stored.
    fn hashed(&self, kind: &str, value: &str) -> String {
        hex::encode(&self.mac(&[kind, value])[..16])
    }

    /// The proof-of-work challenge for a form token (the page's script finds a nonce whose SHA-256 with the
    /// challenge starts with `POW_ZERO_BITS` zero bits; about a second on a phone).
    pub fn pow_challenge(&self, form_token: &str) -> String {
        base32(&self.mac(&["pow", form_token])[..10])
    }

    fn pow_ok(&self, form_token: &str, answer: &str) -> bool {
        let digest = sha2::Sha256::digest(format!("{}:{answer}", self.pow_challenge(form_token)).as_bytes());
        leading_zero_bits(&digest) >= POW_ZERO_BITS
    }

    pub async fn submit(&self, s: Submission) -> AppResult<Submitted> {
        let now = self.db.now_ms();
        // What needs no database: the honeypot, the form's own token, the fields.
        if s.honeypot.as_deref().is_some_and(|h| !h.trim().is_empty()) {
            return Ok(Submitted::Bot);
        }
        let Some(shown_at) = self.form_shown_at(&s, now) else {
            return Ok(Submitted::Stale);
        };
        let response = match check_form(&s.form) {
            Ok(r) => r,
            Err(errors) => return Ok(Submitted::Invalid(errors)),
        };
        if let Some(refused) = self.unknown_service(&s.venue, &response).await? {
            return Ok(refused);
        }
        // A resend of the same form: the first response stands (asked before the rate limits, so a phone's
        // retries do not spend them; asked again under the lock below for sends at the same moment).
        if let Some(id) = by_key(self.db.pool(), &s.form_token).await? {
            return Ok(Submitted::Again { id });
        }
        let visitor = self.visitor(&s, now);
        if let Some(refused) = self.admit(&visitor, s.invitation_id.is_some()).await? {
            return Ok(refused);
        }

        let mut tx = self.db.begin_write().await?;
        // The device-and-center row serialises two sends from one device (on PostgreSQL too).
        lock_device_at(&mut tx, &visitor, &s.venue.id).await?;
        if let Some(id) = by_key(&mut *tx, &s.form_token).await? {
            return Ok(Submitted::Again { id });
        }
        match &s.invitation_id {
            // An invitation's link answers once (its row serialises two sends of two forms of one link); the
            // device's cooldown is for the open channels.
            Some(invitation) => {
                let first =
                    sqlx::query("UPDATE invitations SET answered_at = $1 WHERE id = $2 AND answered_at IS NULL")
                        .bind(now)
                        .bind(invitation)
                        .execute(&mut *tx)
                        .await?;
                if first.rows_affected() == 0 {
                    return Ok(Submitted::Answered);
                }
            }
            None => {
                if answered_recently(&mut tx, &visitor, &s.venue.id, now - self.cooldown_ms).await? {
                    return Ok(Submitted::Cooldown);
                }
            }
        }
        let pace = pace(&mut tx, &visitor, &s.venue.id, now).await?;
        let signals = Signals {
            fill_seconds: Some((now - shown_at) / 1000),
            same_address_last_hour: pace.same_address_last_hour,
            center_last_10_minutes: pace.center_last_10_minutes,
            center_usual_per_10_minutes: pace.center_month as f64 / (30.0 * 144.0),
            new_device: visitor.new_device,
            proof_of_work: s
                .proof_of_work
                .as_deref()
                .map(|answer| self.pow_ok(&s.form_token, answer)),
            min_fill_seconds: self.min_fill_seconds,
            invited: s.invitation_id.is_some(),
        };
        let decided = decide_response(&response, &signals, s.venue.feedback_moderated != 0);
        if decided.holds_burst {
            // A burst is judged as a whole: the new devices' responses that counted just before it stop counting.
            let held = hold_before_burst(&mut tx, &s.venue, now - BURST_WINDOW_MS).await?;
            if held > 0 {
                tracing::info!(venue = %s.venue.id, held, "a burst began: its earlier new-device responses are held");
            }
        }
        let id = new_id();
        insert_response(&mut tx, &id, &s, &visitor, &response, &decided, now).await?;
        if decided.counted {
            let tally = Tally::of_response(response.ratings, response.recommend);
            crate::quality::tally_response(
                &mut tx,
                &s.venue.client_id,
                &s.venue.id,
                s.channel.as_str(),
                now,
                &tally,
                1,
            )
            .await?;
        }
        tx.commit().await?;
        if !decided.counted {
            tracing::info!(venue = %s.venue.id, score = decided.risk.score, reasons = ?decided.risk.reasons, "suspicious feedback kept out of the index");
        }
        Ok(Submitted::Saved {
            id,
            counted: decided.counted,
        })
    }

    /// `Invalid` when the response names a service the center's type does not offer.
    async fn unknown_service(&self, venue: &FeedbackVenue, response: &Response) -> AppResult<Option<Submitted>> {
        let Some(service) = &response.service_code else {
            return Ok(None);
        };
        let known = self
            .services(&venue.venue_type)
            .await?
            .iter()
            .any(|x| &x.code == service);
        Ok((!known).then(|| {
            Submitted::Invalid(vec![ValidationError::new(
                "service",
                crate::msg!("feedback-unknown-service"),
            )])
        }))
    }

    /// Who sends: the address and the device, as keyed hashes, and whether the device is new.
    fn visitor(&self, s: &Submission, now: i64) -> Visitor {
        let address_hash = self.hashed("address", &s.address);
        let device = s.device_cookie.as_deref().and_then(|c| self.device(c));
        let new_device = device
            .as_ref()
            .and_then(|d| d.made_at)
            .is_none_or(|made| now - made < NEW_DEVICE_HOURS * 3_600_000);
        let device_hash = match &device {
            Some(device) => self.hashed("device", &device.id),
            // No cookie (a browser that refuses them): the address stands in for the device.
            None => format!("address:{address_hash}"),
        };
        Visitor {
            address_hash,
            device_hash,
            has_device: device.is_some(),
            new_device,
        }
    }

    /// The rate limits: an address's hour (an error, `RATE_LIMITED`), and a device's day (`DeviceLimit`; not for
    /// an invitation's link, which answers once anyway).
    async fn admit(&self, v: &Visitor, invited: bool) -> AppResult<Option<Submitted>> {
        crate::throttle::admit(
            &self.db,
            "feedback-address",
            &v.address_hash,
            PER_ADDRESS_PER_HOUR,
            3_600_000,
            "feedback",
        )
        .await?;
        if !v.has_device || invited {
            return Ok(None);
        }
        let admitted = crate::throttle::admit(
            &self.db,
            "feedback-device-day",
            &v.device_hash,
            PER_DEVICE_PER_DAY,
            86_400_000,
            "feedback",
        )
        .await;
        match admitted {
            Err(AppError::RateLimited { .. }) => Ok(Some(Submitted::DeviceLimit)),
            other => other.map(|()| None),
        }
    }
}

/// Who sent a response, as keyed hashes.
struct Visitor {
    address_hash: String,
    device_hash: String,
    /// The browser brought a device cookie of ours.
    has_device: bool,
    new_device: bool,
}

/// How fast responses come: from this address in the last hour, to this center in the last 10 minutes and
/// in the last 30 days.
struct Pace {
    same_address_last_hour: i64,
    center_last_10_minutes: i64,
    center_month: i64,
}

async fn lock_device_at(tx: &mut crate::db::Tx, v: &Visitor, venue_id: &str) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO rate_subjects (bucket, subject, touched_at) VALUES ('feedback-device', $1, $2) \
         ON CONFLICT (bucket, subject) DO UPDATE SET touched_at = excluded.touched_at",
    )
    .bind(format!("{}:{venue_id}", v.device_hash))
    .bind(tx.now_ms())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Did this device answer for this center since `since`?
async fn answered_recently(tx: &mut crate::db::Tx, v: &Visitor, venue_id: &str, since: i64) -> AppResult<bool> {
    let recent: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM feedback_responses WHERE device_hash = $1 AND venue_id = $2 AND created_at > $3",
    )
    .bind(&v.device_hash)
    .bind(venue_id)
    .bind(since)
    .fetch_one(&mut **tx)
    .await?;
    Ok(recent > 0)
}

async fn pace(tx: &mut crate::db::Tx, v: &Visitor, venue_id: &str, now: i64) -> AppResult<Pace> {
    Ok(Pace {
        same_address_last_hour: count(
            tx,
            "SELECT COUNT(*) FROM feedback_responses WHERE address_hash = $1 AND created_at > $2",
            &v.address_hash,
            now - 3_600_000,
        )
        .await?,
        center_last_10_minutes: count(
            tx,
            "SELECT COUNT(*) FROM feedback_responses WHERE venue_id = $1 AND created_at > $2",
            venue_id,
            now - BURST_WINDOW_MS,
        )
        .await?,
        center_month: count(
            tx,
            "SELECT COUNT(*) FROM feedback_responses WHERE venue_id = $1 AND created_at > $2",
            venue_id,
            now - 30 * 86_400_000,
        )
        .await?,
    })
}

/// Keeps the response as decided: the comment raw (staff only) and masked, contacts only with consent, the
/// risk with its reasons, hashes instead of the address and device, the form's token as its key.
async fn insert_response(
    tx: &mut crate::db::Tx,
    id: &str,
    s: &Submission,
    v: &Visitor,
    response: &Response,
    decided: &ResponseDecision,
    now: i64,
) -> AppResult<()> {
    let contact = response.contact.as_ref();
    let (masked, kinds) = match &decided.masked {
        Some((text, kinds)) => (Some(text.as_str()), kinds.as_slice()),
        None => (None, &[][..]),
    };
    sqlx::query(
        "INSERT INTO feedback_responses (id, venue_id, channel, code_token, service_code, premises, staff, waiting, \
         result, recommend, comment, comment_masked, masked_kinds, contact_name, contact_phone, contact_email, \
         callback_consent, risk_score, risk_reasons, counted, moderation, device_hash, address_hash, submission_key, \
         created_at, new_device, invitation_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, \
         $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27)",
    )
    .bind(id)
    .bind(&s.venue.id)
    .bind(s.channel.as_str())
    .bind(&s.code_token)
    .bind(&response.service_code)
    .bind(response.ratings[0].map(i64::from))
    .bind(response.ratings[1].map(i64::from))
    .bind(response.ratings[2].map(i64::from))
    .bind(response.ratings[3].map(i64::from))
    .bind(response.recommend.map(i64::from))
    .bind(&response.comment)
    .bind(masked)
    .bind(kinds.iter().map(|k| format!("{k:?}")).collect::<Vec<_>>().join(","))
    .bind(contact.map(|c| c.name.clone()))
    .bind(contact.and_then(|c| c.phone.clone()))
    .bind(contact.and_then(|c| c.email.clone()))
    .bind(i64::from(contact.is_some()))
    .bind(i64::from(decided.risk.score))
    .bind(serde_json::to_string(&decided.risk.reasons).map_err(|e| AppError::Internal(e.into()))?)
    .bind(i64::from(decided.counted))
    .bind(decided.moderation.as_str())
    .bind(&v.device_hash)
    .bind(&v.address_hash)
    .bind(&s.form_token)
    .bind(now)
    .bind(i64::from(v.new_device))
    .bind(&s.invitation_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The entry a form token is bound to: a QR code's token, an invitation, or the map.
fn entry_key(code_token: Option<&str>, invitation_id: Option<&str>) -> String {
    match (code_token, invitation_id) {
        (Some(t), _) => format!("qr:{t}"),
        (None, Some(i)) => format!("invite:{i}"),
        (None, None) => "map".to_string(),
    }
}

/// A browser as its device cookie names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Device {
    pub id: String,
    /// When the cookie was made (ms); `None` for cookies made before they carried it.
    pub made_at: Option<i64>,
}

/// Takes the counted responses of new devices to this center since `since` out of the index (a burst has
/// begun after them; a moderator's decision to count one stands), in the caller's transaction: marked as held with the reason, their comments back to a
/// moderator if they were published without one, and their tallies subtracted. Returns how many.
async fn hold_before_burst(tx: &mut crate::db::Tx, venue: &FeedbackVenue, since: i64) -> AppResult<usize> {
    #[derive(sqlx::FromRow)]
    struct Held {
        id: String,
        channel: String,
        premises: Option<i64>,
        staff: Option<i64>,
        waiting: Option<i64>,
        result: Option<i64>,
        recommend: Option<i64>,
        risk_score: i64,
        risk_reasons: String,
        created_at: i64,
    }
    let rows: Vec<Held> = sqlx::query_as(
        "SELECT id, channel, premises, staff, waiting, result, recommend, risk_score, risk_reasons, created_at \
         FROM feedback_responses WHERE venue_id = $1 AND created_at > $2 AND counted = 1 AND new_device = 1 \
         AND counted_by IS NULL AND invitation_id IS NULL",
    )
    .bind(&venue.id)
    .bind(since)
    .fetch_all(&mut **tx)
    .await?;
    for row in &rows {
        let mut reasons: Vec<crate::domain::Msg> = serde_json::from_str(&row.risk_reasons).unwrap_or_default();
        reasons.push(crate::domain::feedback::held_by_later_burst());
        sqlx::query(
            "UPDATE feedback_responses SET counted = 0, risk_score = $1, risk_reasons = $2, \
             moderation = CASE WHEN moderation = 'PUBLISHED' AND moderated_by IS NULL THEN 'PENDING' ELSE moderation END \
             WHERE id = $3 AND counted = 1",
        )
        .bind(row.risk_score.max(i64::from(SUSPICIOUS)))
        .bind(serde_json::to_string(&reasons).map_err(|e| AppError::Internal(e.into()))?)
        .bind(&row.id)
        .execute(&mut **tx)
        .await?;
        let level = |x: Option<i64>| x.map(|v| v.clamp(0, 10) as u8);
        let tally = Tally::of_response(
            [
                level(row.premises),
                level(row.staff),
                level(row.waiting),
                level(row.result),
            ],
            level(row.recommend),
        );
        crate::quality::tally_response(
            tx,
            &venue.client_id,
            &venue.id,
            &row.channel,
            row.created_at,
            &tally,
            -1,
        )
        .await?;
    }
    Ok(rows.len())
}

async fn count(tx: &mut crate::db::Tx, sql: &str, key: &str, since: i64) -> AppResult<i64> {
    Ok(sqlx::query_scalar(sql)
        .bind(key)
        .bind(since)
        .fetch_one(&mut **tx)
        .await?)
}

/// The response kept for a shown form (its token is the key), read on the pool or inside a transaction.
async fn by_key<'e, E: sqlx::Executor<'e, Database = sqlx::Any>>(executor: E, key: &str) -> AppResult<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT id FROM feedback_responses WHERE submission_key = $1")
            .bind(key)
            .fetch_optional(executor)
            .await?,
    )
}

/// A stored response's share of the tallies.
pub(super) fn tally_of(ratings: [Option<i64>; 4], recommend: Option<i64>) -> Tally {
    let level = |x: Option<i64>| x.map(|v| v.clamp(0, 10) as u8);
    Tally::of_response(ratings.map(level), level(recommend))
}

/// Zero bits a proof-of-work digest must start with.
pub const POW_ZERO_BITS: u32 = 16;

fn leading_zero_bits(digest: &[u8]) -> u32 {
    let mut bits = 0;
    for byte in digest {
        if *byte == 0 {
            bits += 8;
        } else {
            bits += byte.leading_zeros();
            break;
        }
    }
    bits
}
