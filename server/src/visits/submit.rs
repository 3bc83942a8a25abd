//! Submission: photo verdicts against the final visit span, the flags, the score; once.

use std::collections::HashMap;

use crate::auth::Actor;
use crate::domain::checklist::{parse_answers, AnswerValue, Answers, QuestionKind};
use crate::domain::flags::RepeatVisit;
use crate::domain::photo::parse_hashes;
use crate::domain::visit;
use crate::domain::visit::{GeoVerdict, PhotoCheck, PreviousVisit, VisitFacts, VisitMove};
use crate::error::{AppError, AppResult};

use super::{
    declared_conflict, event, judge_photo, lock_visit, raise_flag, PhotoRecord, StoredExif, VisitRecord, Visits,
    PHOTO_COLUMNS,
};

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
            return Err(AppError::conflict("check out of the venue before submitting"));
        };
        let definition = self.definition(&mut tx, &visit.checklist_version_id).await?;
        let photos: Vec<PhotoRecord> = sqlx::query_as(&format!(
            "SELECT {PHOTO_COLUMNS} FROM photos WHERE visit_id = $1 ORDER BY created_at, id"
        ))
        .bind(visit_id)
        .fetch_all(&mut *tx)
        .await?;
        let mut answers: Answers = parse_answers(&visit.answers())?;
        let mut per_question: HashMap<&str, u32> = HashMap::new();
        for p in &photos {
            if let Some(code) = &p.question_code {
                *per_question.entry(code.as_str()).or_default() += 1;
            }
        }
        // Photo questions are answered by their photos: the counts are stored with the answers.
        let mut photo_answers = serde_json::Map::new();
        for (_, q) in definition.questions() {
            let code = q.code.clone();
            if matches!(q.kind, QuestionKind::Photo { .. })
                && answers.get(&code) != Some(&AnswerValue::NotApplicable)
                && definition.is_visible(&code, &answers)
            {
                match per_question.get(code.as_str()) {
                    Some(n) => {
                        photo_answers.insert(code.clone(), serde_json::json!({ "photos": n }));
                        answers.insert(code, AnswerValue::Photos(*n));
                    }
                    None if q.required => {
                        return Err(AppError::bad_input(
                            format!("answers.{code}"),
                            "needs a photo: upload it before submitting",
                        ))
                    }
                    None => {}
                }
            }
        }
        definition.check_answers(&answers, true)?;
        let score = definition.score(&answers);
        // Photo verdicts against the final visit span, then the flags.
        let rules = visit.rules();
        let (from, to) = (visit.checkin_device_at, checkout_at);
        let mut checks = Vec::with_capacity(photos.len());
        // Duplicates are searched again now: a copy uploaded to another visit after (or at the same moment as)
        // this photo is found whatever the timing.
        if !photos.is_empty() {
            super::photos::lock_duplicate_search(&mut tx).await?;
        }
        for (i, p) in photos.iter().enumerate() {
            let mut stored = p.stored_exif();
            let phash = u64::from_str_radix(&p.phash, 16).map_err(|e| AppError::Internal(e.into()))?;
            let windows = parse_hashes(&p.crop_hashes);
            let duplicate = super::photos::find_duplicate(&mut tx, visit_id, &p.sha256, phash, &windows).await?;
            stored.set_duplicate(duplicate.as_ref());
            let judged = judge_photo(&stored, &visit, &rules, (from, to));
            let v = judged.effective();
            stored.capture_mismatch = judged.mismatch.clone();
            sqlx::query(
                "UPDATE photos SET gps_verdict = $1, time_verdict = $2, exif = $3, duplicate_of = $4 WHERE id = $5",
            )
            .bind(v.gps.as_str())
            .bind(v.time.as_str())
            .bind(
                serde_json::to_string(&StoredExif {
                    gps_verdict_note: v.gps_note.clone(),
                    time_verdict_note: v.time_note.clone(),
                    ..stored.clone()
                })
                .map_err(|e| AppError::Internal(e.into()))?,
            )
            .bind(duplicate.as_ref().map(|d| d.photo_id.clone()))
            .bind(&p.id)
            .execute(&mut *tx)
            .await?;
            let label = match &p.question_code {
                Some(code) => format!("Photo {} ({code})", i + 1),
                None => format!("Photo {} (receipt)", i + 1),
            };
            checks.push(PhotoCheck {
                label,
                gps: judged.exif.gps,
                gps_note: judged.exif.gps_note,
                time: judged.exif.time,
                time_note: judged.exif.time_note,
                duplicate,
                capture: judged.capture,
                mismatch: judged.mismatch,
                before_token: stored.capture.is_some_and(|c| c.taken_before_token()),
            });
        }
        let checkin: Option<String> = sqlx::query_scalar("SELECT verdict FROM checkin_attempts WHERE id = $1")
            .bind(&visit.checkin_attempt_id)
            .fetch_optional(&mut *tx)
            .await?;
        let checkin: GeoVerdict = checkin
            .and_then(|v| serde_json::from_str(&v).ok())
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("check-in verdict missing")))?;
        let previous: Option<(String, f64, f64, i64)> = sqlx::query_as(
            "SELECT v.id, ve.lat, ve.lon, v.checkout_device_at FROM visits v JOIN tasks t ON t.id = v.task_id \
             JOIN venues ve ON ve.id = t.venue_id WHERE v.shopper_id = $1 AND v.id <> $2 \
             AND v.checkout_device_at IS NOT NULL AND v.checkout_device_at <= $3 \
             ORDER BY v.checkout_device_at DESC LIMIT 1",
        )
        .bind(&visit.shopper_id)
        .bind(visit_id)
        .bind(visit.checkin_device_at)
        .fetch_optional(&mut *tx)
        .await?;
        let conflict = declared_conflict(&mut tx, &visit.shopper_id, &visit.venue_id, &visit.client_id).await?;
        // An earlier visit of this venue by the same shopper inside the wave's cool-off (possible only by an
        // override), nearest first.
        let repeat: Option<(String, i64, i64)> = sqlx::query_as(
            "SELECT v.id, v.checkin_device_at, w.cooloff_days FROM visits v JOIN tasks t ON t.id = v.task_id \
             JOIN waves w ON w.id = $4 WHERE v.shopper_id = $1 AND t.venue_id = $2 AND v.id <> $3 \
             AND v.checkin_device_at <= $5 ORDER BY v.checkin_device_at DESC LIMIT 1",
        )
        .bind(&visit.shopper_id)
        .bind(&visit.venue_id)
        .bind(visit_id)
        .bind(&visit.wave_id)
        .bind(visit.checkin_device_at)
        .fetch_optional(&mut *tx)
        .await?;
        let repeat = repeat.and_then(|(visit_id, at, cooloff_days)| {
            let days_before = (visit.checkin_device_at - at) / 86_400_000;
            (days_before < cooloff_days).then_some(RepeatVisit {
                visit_id,
                days_before,
                cooloff_days,
            })
        });
        let flags = visit::flags(&VisitFacts {
            rules: &rules,
            checkin: &checkin,
            checkin_device_at: visit.checkin_device_at,
            checkin_server_at: visit.checkin_server_at,
            checkout_device_at: Some(checkout_at),
            venue_lat: visit.venue_lat,
            venue_lon: visit.venue_lon,
            submitted_at: now,
            photos: &checks,
            previous: previous.map(|(visit_id, lat, lon, left_at)| PreviousVisit {
                visit_id,
                lat,
                lon,
                left_at,
            }),
            conflict,
            repeat,
        });
        sqlx::query("DELETE FROM visit_flags WHERE visit_id = $1")
            .bind(visit_id)
            .execute(&mut *tx)
            .await?;
        for f in &flags {
            raise_flag(&mut tx, visit_id, f).await?;
        }
        let mut stored_answers = visit.answers().as_object().cloned().unwrap_or_default();
        stored_answers.extend(photo_answers);
        let answers_json = serde_json::to_string(&stored_answers).map_err(|e| AppError::Internal(e.into()))?;
        let done = sqlx::query(&format!(
            // No score (nothing scored was answered) is a NULL written by the statement, not a bound NULL:
            // sqlx's Any driver binds a NULL double to PostgreSQL as a float4, and a statement prepared that
            // way refuses a later float8 (and the reverse).
            "UPDATE visits SET state = '{}', submitted_at = $1, score = CASE WHEN $5 = 1 THEN $2 ELSE NULL END, \
             answers = $3, updated_at = $1 WHERE id = $4 AND state IN ({})",
            mv.to().as_str(),
            mv.from_sql()
        ))
        .bind(now)
        .bind(score.unwrap_or(0.0))
        .bind(answers_json)
        .bind(visit_id)
        .bind(i64::from(score.is_some()))
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(AppError::conflict("the visit changed meanwhile; reload it"));
        }
        crate::assignment::move_task(&mut tx, &visit.task_id, mv.task_move(), now).await?;
        event(&mut tx, visit_id, "SUBMIT", &actor.user_id, None, None, now).await?;
        let visit = self.load(&mut tx, visit_id).await?;
        tx.commit().await?;
        Ok(visit)
    }
}
