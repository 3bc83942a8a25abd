//! Live capture: after check-in the app asks for capture tokens (single use, short-lived, bound to the visit
//! and the shopper); a photo its own camera takes is uploaded with one and with the phone's fix at that moment.
//! Place and time are then judged from that fix, which survives the EXIF stripping of browsers and Android.

use sqlx::AnyConnection;

use crate::auth::Actor;
use crate::db::new_id;
use crate::domain::photo::CaptureFix;
use crate::domain::Coordinates;
use crate::error::{AppError, AppResult};

use super::{accuracy_checked, device_time_checked, CaptureInput, Visits};

/// The most tokens one request may ask for (a checklist's photo questions, with retakes).
const MAX_TOKENS: i64 = 20;

/// A capture token handed to the app.
#[derive(Debug, Clone)]
pub struct CaptureToken {
    pub token: String,
    pub expires_at: i64,
}

impl Visits {
    /// Issues `count` single-use capture tokens for the shopper's own visit in progress (or returned).
    pub async fn request_capture_tokens(
        &self,
        actor: &Actor,
        visit_id: &str,
        count: i64,
    ) -> AppResult<Vec<CaptureToken>> {
        if !(1..=MAX_TOKENS).contains(&count) {
            return Err(AppError::bad_input(
                "count",
                crate::msg!("whole-number-range", min = 1, max = MAX_TOKENS),
            ));
        }
        let mut tx = self.db.begin_write().await?;
        let visit = self.own(&mut tx, actor, visit_id).await?;
        if !visit.editable() {
            return Err(AppError::conflict(crate::msg!("capture-visit-not-editable")));
        }
        let now = self.db.now_ms();
        let expires_at = now + self.capture_token_ms;
        let mut tokens = Vec::with_capacity(count as usize);
        for _ in 0..count {
            let token = crate::auth::token::generate("fwc_");
            sqlx::query(
                "INSERT INTO capture_tokens (id, token_hash, visit_id, shopper_id, created_at, expires_at) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(new_id())
            .bind(crate::auth::token::digest(&token))
            .bind(visit_id)
            .bind(&actor.user_id)
            .bind(now)
            .bind(expires_at)
            .execute(&mut *tx)
            .await?;
            tokens.push(CaptureToken { token, expires_at });
        }
        tx.commit().await?;
        Ok(tokens)
    }
}

/// Checks a capture against its token (this visit's and this shopper's, unused, not expired) and returns the
/// token's id; the caller spends it in the transaction that inserts the photo.
pub(super) async fn check_capture(
    conn: &mut AnyConnection,
    actor: &Actor,
    visit_id: &str,
    capture: &CaptureInput,
    now: i64,
) -> AppResult<(String, CaptureFix)> {
    Coordinates::parse("capture", capture.lat, capture.lon)?;
    let accuracy = accuracy_checked("capture.accuracyM", capture.accuracy_m)?;
    let at = device_time_checked("capture.deviceTime", capture.device_at, now)?;
    let row: Option<(String, String, String, i64, i64, Option<i64>)> = sqlx::query_as(
        "SELECT id, visit_id, shopper_id, created_at, expires_at, used_at FROM capture_tokens WHERE token_hash = $1",
    )
    .bind(crate::auth::token::digest(capture.token.trim()))
    .fetch_optional(&mut *conn)
    .await?;
    let refuse = |why: crate::domain::Msg| AppError::bad_input("capture.token", why);
    let Some((id, token_visit, shopper, issued_at, expires_at, used_at)) = row else {
        return Err(refuse(crate::msg!("capture-token-unknown")));
    };
    if token_visit != visit_id || shopper != actor.user_id {
        return Err(refuse(crate::msg!("capture-token-other-visit")));
    }
    if used_at.is_some() {
        return Err(refuse(crate::msg!("capture-token-used")));
    }
    if now > expires_at {
        return Err(refuse(crate::msg!("capture-token-expired")));
    }
    // The token proves the picture is newer than the token (by the server's clock). Tokens live long
    // (`photos.capture_token_minutes`, a day by default) so a phone offline for hours can still send its photos;
    // the capture's own time is the phone's and is judged against the visit like any photo time, and a capture
    // older than its token (the phone had none yet) is flagged CAPTURE_BEFORE_TOKEN at submission.
    Ok((
        id,
        CaptureFix {
            lat: capture.lat,
            lon: capture.lon,
            accuracy_m: accuracy,
            at,
            token_issued_at: Some(issued_at),
        },
    ))
}

/// Spends the token on the photo, once: false when another upload spent it first.
pub(super) async fn spend_token(conn: &mut crate::db::Tx, token_id: &str, photo_id: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE capture_tokens SET used_at = $1, photo_id = $2 WHERE id = $3 AND used_at IS NULL")
        .bind(conn.now_ms())
        .bind(photo_id)
        .bind(token_id)
        .execute(&mut **conn)
        .await?;
    Ok(done.rows_affected() == 1)
}
