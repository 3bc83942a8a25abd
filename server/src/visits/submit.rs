//! Submission: the facts loaded under the visit's lock, the decision made in the pure domain
//! (`domain::visit::decide_submission`: photo answers, completeness, score, photo verdicts, flags), the decision
//! written in the same transaction; once.

use crate::auth::Actor;
use crate::db::Tx;
use crate::domain::checklist::parse_answers;
use crate::domain::photo::parse_hashes;
use crate::domain::visit::{self, EarlierVisit, GeoVerdict, PreviousVisit, Submission, SubmittedPhoto, VisitMove};
use crate::error::{AppError, AppResult};

use super::photos::{find_duplicate, lock_duplicate_search};
use super::{declared_conflict, event, lock_visit, raise_flag, PhotoRecord, VisitRecord, Visits, PHOTO_COLUMNS};

impl Visits {
    /// Submits a checked-out visit: every visible required question answered (photo questions by their photos),
    /// the score computed, the flags raised. Submitting again returns the submitted visit.
    pub async fn submit(&self, actor: &Actor, visit_id: &str) -> AppResult<VisitRecord> {
        let now = self.db.now_ms();
        let mut tx = self.db.begin_write().await?;
        // A resend while the first submission is in flight waits here for it, then finds the visit submitted.
        lock_visit(&mut tx, visit_id).await?;
        let visit = self.own(&mut tx, actor, visit_id).await?;
        let mv = VisitMove::Submit;
        if !mv.applies_to(visit.state) {
            // Submitted already (a resend), or decided since: the visit as it is.
            return Ok(visit);
        }
        let Some(checkout_at) = visit.checkout_device_at else {
            return Err(AppError::conflict(crate::msg!("submit-check-out-first")));
        };
        let definition = self.definition(&mut tx, &visit.checklist_version_id).await?;
        let photos = submitted_photos(&mut tx, visit_id).await?;
        let checkin = checkin_verdict(&mut tx, &visit).await?;
        let rules = visit.rules();
        let decided = visit::decide_submission(
            visit::SubmissionFacts {
                definition: &definition,
                answers: parse_answers(&visit.answers())?,
                photos: &photos,
                venue: (visit.venue_lat, visit.venue_lon, visit.geofence_m as f64),
                rules: &rules,
                checkin: &checkin,
                checkin_device_at: visit.checkin_device_at,
                checkin_server_at: visit.checkin_server_at,
                checkout_device_at: checkout_at,
                previous: previous_visit(&mut tx, &visit).await?,
                conflict: declared_conflict(&mut tx, &visit.shopper_id, &visit.venue_id, &visit.client_id).await?,
                earlier: earlier_visit(&mut tx, &visit).await?,
            },
            now,
        )?;
        write_submission(&mut tx, &visit, &decided, now).await?;
        crate::assignment::move_task(&mut tx, &visit.task_id, mv.task_move(), now).await?;
        event(&mut tx, visit_id, "SUBMIT", &actor.user_id, None, None, now).await?;
        let visit = self.load(&mut tx, visit_id).await?;
        tx.commit().await?;
        Ok(visit)
    }
}

/// The visit's photos, each with the earlier photo it copies: duplicates are searched again now, under the
/// search's lock, so a copy uploaded to another visit after (or at the same moment as) this photo is found
/// whatever the timing.
async fn submitted_photos(tx: &mut Tx, visit_id: &str) -> AppResult<Vec<SubmittedPhoto>> {
    let photos: Vec<PhotoRecord> = sqlx::query_as(&format!(
        "SELECT {PHOTO_COLUMNS} FROM photos WHERE visit_id = $1 ORDER BY created_at, id"
    ))
    .bind(visit_id)
    .fetch_all(&mut **tx)
    .await?;
    if !photos.is_empty() {
        lock_duplicate_search(tx).await?;
    }
    let mut submitted = Vec::with_capacity(photos.len());
    for p in photos {
        let phash = u64::from_str_radix(&p.phash, 16).map_err(|e| AppError::Internal(e.into()))?;
        let duplicate = find_duplicate(tx, visit_id, &p.sha256, phash, &parse_hashes(&p.crop_hashes)).await?;
        submitted.push(SubmittedPhoto {
            stored: p.stored_exif(),
            id: p.id,
            question_code: p.question_code,
            duplicate,
        });
    }
    Ok(submitted)
}

/// The verdict of the check-in that began the visit.
async fn checkin_verdict(tx: &mut Tx, visit: &VisitRecord) -> AppResult<GeoVerdict> {
    let verdict: Option<String> = sqlx::query_scalar("SELECT verdict FROM checkin_attempts WHERE id = $1")
        .bind(&visit.checkin_attempt_id)
        .fetch_optional(&mut **tx)
        .await?;
    verdict
        .and_then(|v| serde_json::from_str(&v).ok())
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("check-in verdict missing")))
}

/// The shopper's visit that ended last before this one began (the travel-speed rule).
async fn previous_visit(tx: &mut Tx, visit: &VisitRecord) -> AppResult<Option<PreviousVisit>> {
    let previous: Option<(String, f64, f64, i64)> = sqlx::query_as(
        "SELECT v.id, ve.lat, ve.lon, v.checkout_device_at FROM visits v JOIN tasks t ON t.id = v.task_id \
         JOIN venues ve ON ve.id = t.venue_id WHERE v.shopper_id = $1 AND v.id <> $2 \
         AND v.checkout_device_at IS NOT NULL AND v.checkout_device_at <= $3 \
         ORDER BY v.checkout_device_at DESC LIMIT 1",
    )
    .bind(&visit.shopper_id)
    .bind(&visit.id)
    .bind(visit.checkin_device_at)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(previous.map(|(visit_id, lat, lon, left_at)| PreviousVisit {
        visit_id,
        lat,
        lon,
        left_at,
    }))
}

/// The same shopper's latest earlier visit of this venue, with this wave's cool-off.
async fn earlier_visit(tx: &mut Tx, visit: &VisitRecord) -> AppResult<Option<EarlierVisit>> {
    let earlier: Option<(String, i64, i64)> = sqlx::query_as(
        "SELECT v.id, v.checkin_device_at, w.cooloff_days FROM visits v JOIN tasks t ON t.id = v.task_id \
         JOIN waves w ON w.id = $4 WHERE v.shopper_id = $1 AND t.venue_id = $2 AND v.id <> $3 \
         AND v.checkin_device_at <= $5 ORDER BY v.checkin_device_at DESC LIMIT 1",
    )
    .bind(&visit.shopper_id)
    .bind(&visit.venue_id)
    .bind(&visit.id)
    .bind(&visit.wave_id)
    .bind(visit.checkin_device_at)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(earlier.map(|(visit_id, checkin_device_at, cooloff_days)| EarlierVisit {
        visit_id,
        checkin_device_at,
        cooloff_days,
    }))
}

/// Writes the decision: each photo's verdicts, the flags (replacing those raised before), and the visit
/// submitted with its score and its answers (photo questions counted), by the named move.
async fn write_submission(tx: &mut Tx, visit: &VisitRecord, decided: &Submission, now: i64) -> AppResult<()> {
    for p in &decided.photos {
        sqlx::query(
            "UPDATE photos SET gps_verdict = $1, time_verdict = $2, exif = $3, duplicate_of = $4 WHERE id = $5",
        )
        .bind(p.gps.as_str())
        .bind(p.time.as_str())
        .bind(serde_json::to_string(&p.stored).map_err(|e| AppError::Internal(e.into()))?)
        .bind(&p.duplicate_of)
        .bind(&p.id)
        .execute(&mut **tx)
        .await?;
    }
    sqlx::query("DELETE FROM visit_flags WHERE visit_id = $1")
        .bind(&visit.id)
        .execute(&mut **tx)
        .await?;
    for f in &decided.flags {
        raise_flag(tx, &visit.id, f).await?;
    }
    let mut answers = visit.answers().as_object().cloned().unwrap_or_default();
    answers.extend(decided.photo_answers.clone());
    let answers = serde_json::to_string(&answers).map_err(|e| AppError::Internal(e.into()))?;
    let mv = VisitMove::Submit;
    let done = sqlx::query(&format!(
        // No score (nothing scored was answered) is a NULL written by the statement, not a bound NULL: sqlx's Any
        // driver binds a NULL double to PostgreSQL as a float4, and a statement prepared that way refuses a
        // later float8 (and the reverse).
        "UPDATE visits SET state = '{}', submitted_at = $1, score = CASE WHEN $5 = 1 THEN $2 ELSE NULL END, \
         answers = $3, updated_at = $1 WHERE id = $4 AND state IN ({})",
        mv.to().as_str(),
        mv.from_sql()
    ))
    .bind(now)
    .bind(decided.score.unwrap_or(0.0))
    .bind(answers)
    .bind(&visit.id)
    .bind(i64::from(decided.score.is_some()))
    .execute(&mut **tx)
    .await?;
    if done.rows_affected() != 1 {
        return Err(AppError::conflict(crate::msg!("visit-changed-meanwhile")));
    }
    Ok(())
}
