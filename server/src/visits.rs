//! Visits: check-in against the geofence, progressive answers, photo evidence, check-out, submission with flags,
//! and coordinator review. Every shopper mutation is idempotent: check-ins and photos carry a client-generated
//! id, answers merge, and check-out, submission and decisions return the stored result when repeated.

use std::collections::HashMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use sqlx::{AnyConnection, FromRow};

use crate::auth::{Actor, Permission};
use crate::db::{is_unique_violation, new_id, now_ms, Db, Page};
use crate::domain::checklist::{parse_answers, AnswerValue, Answers, ChecklistDefinition, QuestionKind};
use crate::domain::photo::{bands, hamming, verdicts, ExifFacts, NEAR_DUPLICATE_DISTANCE};
use crate::domain::visit::{
    self, Fix, GeoVerdict, PhotoCheck, Place, PreviousVisit, Verdict, VisitFacts, VisitRules, VisitState,
};
use crate::domain::{BoundedText, Coordinates, OpeningHours};
use crate::error::{AppError, AppResult};
use crate::evidence::{self, Limits, Storage};

/// The visits service.
#[derive(Clone)]
pub struct Visits {
    db: Db,
    storage: Storage,
    limits: Limits,
    max_per_visit: u32,
    /// Photos processed at once: one per core, so a burst of uploads queues instead of starving the server.
    processing: Arc<tokio::sync::Semaphore>,
    /// Uploads waiting for a processing slot now (a metric).
    photo_queue: Arc<std::sync::atomic::AtomicI64>,
    /// The ledger's currency (approvals post in it).
    currency: String,
}

/// A visit with the facts about its task and venue that every view needs.
#[derive(Debug, Clone, FromRow)]
pub struct VisitRecord {
    pub id: String,
    pub task_id: String,
    pub shopper_id: String,
    pub checklist_version_id: String,
    pub state: String,
    pub checkin_attempt_id: String,
    pub checkin_device_at: i64,
    pub checkin_server_at: i64,
    pub checkout_lat: Option<f64>,
    pub checkout_lon: Option<f64>,
    pub checkout_accuracy_m: Option<f64>,
    pub checkout_device_at: Option<i64>,
    pub checkout_server_at: Option<i64>,
    pub answers: String,
    pub score: Option<f64>,
    pub submitted_at: Option<i64>,
    pub decided_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
    pub wave_id: String,
    pub wave_name: String,
    pub venue_id: String,
    pub venue_name: String,
    pub venue_oblast: String,
    pub venue_lat: f64,
    pub venue_lon: f64,
    pub geofence_m: i64,
    pub client_id: String,
    pub visit_rules: String,
}

const VISIT_SELECT: &str = "SELECT v.id, v.task_id, v.shopper_id, v.checklist_version_id, v.state, \
     v.checkin_attempt_id, v.checkin_device_at, v.checkin_server_at, v.checkout_lat, v.checkout_lon, \
     v.checkout_accuracy_m, v.checkout_device_at, v.checkout_server_at, v.answers, v.score, v.submitted_at, \
     v.decided_at, v.created_at, v.updated_at, t.wave_id, w.name AS wave_name, t.venue_id, ve.name AS venue_name, \
     ve.oblast AS venue_oblast, ve.lat AS venue_lat, ve.lon AS venue_lon, ve.geofence_m, ve.client_id, w.visit_rules \
     FROM visits v JOIN tasks t ON t.id = v.task_id JOIN waves w ON w.id = t.wave_id JOIN venues ve ON ve.id = t.venue_id";

impl VisitRecord {
    pub fn rules(&self) -> VisitRules {
        VisitRules::from_json(&self.visit_rules)
    }

    pub fn answers(&self) -> serde_json::Value {
        serde_json::from_str(&self.answers).unwrap_or_else(|_| serde_json::json!({}))
    }

    fn editable(&self) -> bool {
        VisitState::parse(&self.state).is_ok_and(VisitState::editable)
    }
}

/// One check-in attempt, passed or not.
#[derive(Debug, Clone, FromRow)]
pub struct AttemptRecord {
    pub id: String,
    pub task_id: String,
    pub lat: f64,
    pub lon: f64,
    pub accuracy_m: f64,
    pub mock_location: i64,
    pub device_at: i64,
    pub server_at: i64,
    pub verdict: String,
    pub passed: i64,
}

impl AttemptRecord {
    pub fn verdict(&self) -> Option<GeoVerdict> {
        serde_json::from_str(&self.verdict).ok()
    }
}

/// A stored photo.
#[derive(Debug, Clone, FromRow)]
pub struct PhotoRecord {
    pub id: String,
    pub visit_id: String,
    pub question_code: Option<String>,
    pub kind: String,
    pub receipt_kopiykas: Option<i64>,
    pub content_type: String,
    pub bytes: i64,
    pub sha256: String,
    pub phash: String,
    pub width: i64,
    pub height: i64,
    pub exif: String,
    pub gps_verdict: String,
    pub time_verdict: String,
    pub duplicate_of: Option<String>,
    pub original_key: String,
    pub display_key: String,
    pub thumbnail_key: String,
    pub created_at: i64,
}

const PHOTO_COLUMNS: &str = "id, visit_id, question_code, kind, receipt_kopiykas, content_type, bytes, sha256, \
     phash, width, height, exif, gps_verdict, time_verdict, duplicate_of, original_key, display_key, thumbnail_key, \
     created_at";

/// The verdict notes stored with a photo's EXIF facts.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StoredExif {
    #[serde(flatten)]
    pub facts: ExifFacts,
    /// The verdict notes (the facts carry their own `gpsNote` about missing data).
    pub gps_verdict_note: String,
    pub time_verdict_note: String,
    /// The other visit and Hamming distance, for a duplicate.
    pub duplicate_visit: Option<String>,
    pub duplicate_distance: Option<u32>,
}

impl PhotoRecord {
    pub fn stored_exif(&self) -> StoredExif {
        serde_json::from_str(&self.exif).unwrap_or_default()
    }
}

/// A flag as stored.
#[derive(Debug, Clone, FromRow)]
pub struct FlagRecord {
    pub code: String,
    pub severity: String,
    pub message: String,
    pub other_visit_id: Option<String>,
}

/// A submission or review decision.
#[derive(Debug, Clone, FromRow)]
pub struct VisitEvent {
    pub action: String,
    pub actor_id: Option<String>,
    pub reason: Option<String>,
    pub comments: Option<String>,
    pub at: i64,
}

/// What the phone sends at check-in.
#[derive(Debug, Clone)]
pub struct CheckIn {
    pub task_id: String,
    pub client_id: String,
    pub lat: f64,
    pub lon: f64,
    pub accuracy_m: f64,
    pub device_at: i64,
    pub mock_location: bool,
}

/// The result of a check-in: the attempt (always recorded) and the visit when it started.
#[derive(Debug, Clone)]
pub struct CheckInOutcome {
    pub attempt: AttemptRecord,
    pub visit: Option<VisitRecord>,
}

/// What the phone sends at check-out.
#[derive(Debug, Clone)]
pub struct CheckOut {
    pub lat: f64,
    pub lon: f64,
    pub accuracy_m: f64,
    pub device_at: i64,
}

/// A photo upload.
#[derive(Debug)]
pub struct NewPhoto {
    pub client_id: String,
    pub question_code: Option<String>,
    pub receipt_kopiykas: Option<i64>,
    /// The file as the multipart parser spooled it to disk: it is read into memory only once a processing slot
    /// is free, so many phones uploading at once do not hold their photos in memory while they wait.
    pub file: std::fs::File,
}

/// A coordinator's decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, async_graphql::Enum)]
pub enum Decision {
    Approve,
    Reject,
    /// Send back to the shopper for correction.
    Return,
}

impl Decision {
    fn action(self) -> &'static str {
        match self {
            Decision::Approve => "APPROVE",
            Decision::Reject => "REJECT",
            Decision::Return => "RETURN",
        }
    }

    fn visit_state(self) -> &'static str {
        match self {
            Decision::Approve => "APPROVED",
            Decision::Reject => "REJECTED",
            Decision::Return => "RETURNED",
        }
    }

    fn task_state(self) -> &'static str {
        match self {
            Decision::Approve => "APPROVED",
            Decision::Reject => "REJECTED",
            Decision::Return => "VISITED",
        }
    }
}

/// A reviewer's comment on one question.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReviewComment {
    pub question_code: String,
    pub comment: String,
}

/// Review queue filters.
#[derive(Debug, Clone, Default)]
pub struct QueueFilter {
    pub wave_id: Option<String>,
    pub oblast: Option<String>,
    pub flag: Option<String>,
    /// Only visits submitted at least this many hours ago.
    pub min_age_hours: Option<i64>,
    /// Default: SUBMITTED.
    pub state: Option<String>,
}

/// Reads an uploaded file into memory, refusing one over `max_bytes` before reading it.
fn read_upload(mut file: std::fs::File, max_bytes: usize) -> AppResult<Vec<u8>> {
    use std::io::Read as _;
    let unreadable = |e: std::io::Error| AppError::bad_input("file", format!("cannot be read: {e}"));
    let size = file.metadata().map_err(unreadable)?.len();
    if size > max_bytes as u64 {
        return Err(AppError::bad_input(
            "file",
            format!(
                "is {:.1} MB; photos of at most {:.0} MB are accepted",
                size as f64 / 1_048_576.0,
                max_bytes as f64 / 1_048_576.0
            ),
        ));
    }
    let mut bytes = Vec::with_capacity(size as usize);
    file.read_to_end(&mut bytes).map_err(unreadable)?;
    Ok(bytes)
}

/// Takes the visit's row lock for the rest of the transaction (PostgreSQL; SQLite's write transaction already
/// excludes every other writer), so that concurrent changes to one visit run one after the other.
async fn lock_visit(tx: &mut AnyConnection, visit_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE visits SET updated_at = updated_at WHERE id = $1")
        .bind(visit_id)
        .execute(&mut *tx)
        .await?;
    Ok(())
}

fn client_id_checked(field: &str, id: &str) -> AppResult<String> {
    let id = id.trim();
    if id.len() < 8 || id.len() > 100 || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        return Err(AppError::bad_input(
            field,
            "must be 8–100 letters, digits, '-' or '_' (a UUID generated on the phone)",
        ));
    }
    Ok(id.to_string())
}

fn accuracy_checked(field: &str, metres: f64) -> AppResult<f64> {
    if !metres.is_finite() || !(0.0..=100_000.0).contains(&metres) {
        return Err(AppError::bad_input(
            field,
            "must be a number of metres from 0 to 100000",
        ));
    }
    Ok(metres)
}

/// Device times from before 2000 or more than a day ahead of the server are clock errors, not visits.
fn device_time_checked(field: &str, at: i64, now: i64) -> AppResult<i64> {
    if at < 946_684_800_000 || at > now + 86_400_000 {
        return Err(AppError::bad_input(
            field,
            "is not a plausible time (the phone's clock is wrong)",
        ));
    }
    Ok(at)
}

impl Visits {
    pub fn new(db: Db, storage: Storage, limits: Limits, max_per_visit: u32, currency: String) -> Self {
        Self {
            db,
            storage,
            limits,
            max_per_visit,
            processing: Arc::new(tokio::sync::Semaphore::new(
                std::thread::available_parallelism().map_or(2, |n| n.get()),
            )),
            photo_queue: Default::default(),
            currency,
        }
    }

    /// Uploads waiting for a processing slot now.
    pub fn photo_queue(&self) -> i64 {
        self.photo_queue.load(std::sync::atomic::Ordering::Relaxed)
    }

    pub fn storage(&self) -> &Storage {
        &self.storage
    }

    async fn load_pool(&self, id: &str) -> AppResult<VisitRecord> {
        let mut conn = self.db.pool().acquire().await?;
        self.load(&mut conn, id).await
    }

    async fn load(&self, conn: &mut AnyConnection, id: &str) -> AppResult<VisitRecord> {
        let row: Option<VisitRecord> = sqlx::query_as(&format!("{VISIT_SELECT} WHERE v.id = $1"))
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
        row.ok_or_else(|| AppError::NotFound("visit".into()))
    }

    /// A visit as `actor` may see it: their own (shopper), any (reviewers), or an approved visit of their client
    /// (client viewers). Anything else is NOT_FOUND.
    pub async fn visit(&self, actor: &Actor, id: &str) -> AppResult<VisitRecord> {
        let mut conn = self.db.pool().acquire().await?;
        let visit = self.load(&mut conn, id).await?;
        if self.may_read(actor, &visit)? {
            Ok(visit)
        } else {
            Err(AppError::NotFound("visit".into()))
        }
    }

    fn may_read(&self, actor: &Actor, visit: &VisitRecord) -> AppResult<bool> {
        if visit.shopper_id == actor.user_id || actor.can(Permission::ReviewVisits) {
            return Ok(true);
        }
        Ok(match actor.client_scope()? {
            Some(client) => client == visit.client_id && visit.state == "APPROVED",
            None => false,
        })
    }

    /// The shopper's own visit, for changes.
    async fn own(&self, conn: &mut AnyConnection, actor: &Actor, id: &str) -> AppResult<VisitRecord> {
        let visit = self.load(conn, id).await?;
        if visit.shopper_id != actor.user_id {
            return Err(AppError::NotFound("visit".into()));
        }
        Ok(visit)
    }

    async fn definition(&self, conn: &mut AnyConnection, version_id: &str) -> AppResult<ChecklistDefinition> {
        let text: String = sqlx::query_scalar("SELECT definition FROM checklist_versions WHERE id = $1")
            .bind(version_id)
            .fetch_one(&mut *conn)
            .await?;
        let json: serde_json::Value = serde_json::from_str(&text).map_err(|e| AppError::Internal(e.into()))?;
        crate::domain::checklist::parse_definition(&json)
            .map_err(|e| AppError::Internal(anyhow::anyhow!("stored checklist: {e}")))
    }

    /// Check-in on a task the shopper holds. The attempt is always recorded; the visit starts when it passes,
    /// or when the wave only flags failed check-ins. A repeated `clientId` returns the first result.
    pub async fn check_in(&self, actor: &Actor, input: CheckIn) -> AppResult<CheckInOutcome> {
        let client_id = client_id_checked("clientId", &input.client_id)?;
        match self.check_in_once(actor, input).await {
            // A resend that arrived while the first was in flight sees the task already visited (or changed):
            // if the first request made it with this client id, its result is the answer.
            Err(err @ (AppError::Conflict { .. } | AppError::Rule { .. })) => {
                match self.attempt_by_client_id(actor, &client_id).await? {
                    Some(done) => Ok(done),
                    None => Err(err),
                }
            }
            other => other,
        }
    }

    async fn check_in_once(&self, actor: &Actor, input: CheckIn) -> AppResult<CheckInOutcome> {
        let now = now_ms();
        let client_id = client_id_checked("clientId", &input.client_id)?;
        Coordinates::parse("position", input.lat, input.lon)?;
        let accuracy = accuracy_checked("accuracyM", input.accuracy_m)?;
        let device_at = device_time_checked("deviceTime", input.device_at, now)?;
        if let Some(done) = self.attempt_by_client_id(actor, &client_id).await? {
            return Ok(done);
        }
        let mut tx = self.db.begin_write().await?;
        #[derive(FromRow)]
        struct Ctx {
            state: String,
            shopper_id: Option<String>,
            wave_status: String,
            checklist_version_id: String,
            visiting_windows: String,
            visit_rules: String,
            lat: f64,
            lon: f64,
            geofence_m: i64,
            opening_hours: String,
        }
        let ctx: Option<Ctx> = sqlx::query_as(
            "SELECT t.state, t.shopper_id, w.status AS wave_status, w.checklist_version_id, w.visiting_windows, \
             w.visit_rules, ve.lat, ve.lon, ve.geofence_m, ve.opening_hours \
             FROM tasks t JOIN waves w ON w.id = t.wave_id JOIN venues ve ON ve.id = t.venue_id WHERE t.id = $1",
        )
        .bind(&input.task_id)
        .fetch_optional(&mut *tx)
        .await?;
        let ctx = ctx.ok_or_else(|| AppError::NotFound("task".into()))?;
        if ctx.shopper_id.as_deref() != Some(actor.user_id.as_str()) {
            return Err(AppError::NotFound("task".into()));
        }
        match ctx.state.as_str() {
            "CLAIMED" | "ASSIGNED" => {}
            "OFFERED" => return Err(AppError::conflict("accept the offer before checking in")),
            _ => {
                return Err(AppError::conflict(
                    "this task already has a visit; continue it instead of checking in again",
                ))
            }
        }
        if ctx.wave_status != "LAUNCHED" {
            return Err(AppError::conflict(format!(
                "the wave is {}; visits cannot start now",
                ctx.wave_status.to_lowercase()
            )));
        }
        let rules = VisitRules::from_json(&ctx.visit_rules);
        let wave_window = OpeningHours::from_json(&ctx.visiting_windows);
        let place = Place {
            lat: ctx.lat,
            lon: ctx.lon,
            geofence_m: ctx.geofence_m as f64,
            window: if wave_window.intervals().is_empty() {
                OpeningHours::from_json(&ctx.opening_hours)
            } else {
                wave_window
            },
        };
        let fix = Fix {
            lat: input.lat,
            lon: input.lon,
            accuracy_m: accuracy,
            device_at,
            mock_location: input.mock_location,
        };
        let verdict = GeoVerdict::evaluate(&fix, &place, &rules);
        let attempt_id = new_id();
        let inserted = sqlx::query(
            "INSERT INTO checkin_attempts (id, client_id, task_id, shopper_id, lat, lon, accuracy_m, mock_location, \
             device_at, server_at, verdict, passed) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        )
        .bind(&attempt_id)
        .bind(&client_id)
        .bind(&input.task_id)
        .bind(&actor.user_id)
        .bind(input.lat)
        .bind(input.lon)
        .bind(accuracy)
        .bind(i64::from(input.mock_location))
        .bind(device_at)
        .bind(now)
        .bind(serde_json::to_string(&verdict).map_err(|e| AppError::Internal(e.into()))?)
        .bind(i64::from(verdict.passed))
        .execute(&mut *tx)
        .await;
        if let Err(err) = inserted {
            if is_unique_violation(&err) {
                // The same check-in arrived twice at once: the first one's result stands.
                drop(tx);
                return self
                    .attempt_by_client_id(actor, &client_id)
                    .await?
                    .ok_or_else(|| AppError::Internal(anyhow::anyhow!("check-in vanished")));
            }
            return Err(err.into());
        }
        let starts = verdict.passed || !rules.failed_checkin_blocks;
        if starts {
            sqlx::query(
                "INSERT INTO visits (id, task_id, shopper_id, checklist_version_id, state, checkin_attempt_id, \
                 checkin_device_at, checkin_server_at, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, 'IN_PROGRESS', $5, $6, $7, $7, $7)",
            )
            .bind(new_id())
            .bind(&input.task_id)
            .bind(&actor.user_id)
            .bind(&ctx.checklist_version_id)
            .bind(&attempt_id)
            .bind(device_at)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            let moved = sqlx::query(
                "UPDATE tasks SET state = 'VISITED', updated_at = $1 WHERE id = $2 AND state IN ('CLAIMED', 'ASSIGNED')",
            )
            .bind(now)
            .bind(&input.task_id)
            .execute(&mut *tx)
            .await?;
            if moved.rows_affected() != 1 {
                return Err(AppError::conflict("the task changed meanwhile; reload it"));
            }
            crate::assignment::record(
                &mut tx,
                crate::assignment::TaskEventRow {
                    task_id: &input.task_id,
                    action: "CHECK_IN",
                    shopper_id: Some(&actor.user_id),
                    actor_id: Some(&actor.user_id),
                    ..crate::assignment::TaskEventRow::default()
                },
            )
            .await?;
        }
        tx.commit().await?;
        self.attempt_by_client_id(actor, &client_id)
            .await?
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("check-in vanished")))
    }

    async fn attempt_by_client_id(&self, actor: &Actor, client_id: &str) -> AppResult<Option<CheckInOutcome>> {
        let attempt: Option<AttemptRecord> = sqlx::query_as(
            "SELECT id, task_id, lat, lon, accuracy_m, mock_location, device_at, server_at, verdict, passed \
             FROM checkin_attempts WHERE shopper_id = $1 AND client_id = $2",
        )
        .bind(&actor.user_id)
        .bind(client_id)
        .fetch_optional(self.db.pool())
        .await?;
        let Some(attempt) = attempt else { return Ok(None) };
        let mut conn = self.db.pool().acquire().await?;
        let visit_id: Option<String> = sqlx::query_scalar("SELECT id FROM visits WHERE checkin_attempt_id = $1")
            .bind(&attempt.id)
            .fetch_optional(&mut *conn)
            .await?;
        let visit = match visit_id {
            Some(id) => Some(self.load(&mut conn, &id).await?),
            None => None,
        };
        Ok(Some(CheckInOutcome { attempt, visit }))
    }

    /// Every check-in attempt on the visit's task (reviewers see failed ones too).
    pub async fn attempts(&self, visit: &VisitRecord) -> AppResult<Vec<AttemptRecord>> {
        Ok(sqlx::query_as(
            "SELECT id, task_id, lat, lon, accuracy_m, mock_location, device_at, server_at, verdict, passed \
             FROM checkin_attempts WHERE task_id = $1 AND shopper_id = $2 ORDER BY server_at, id",
        )
        .bind(&visit.task_id)
        .bind(&visit.shopper_id)
        .fetch_all(self.db.pool())
        .await?)
    }

    /// Merges answers into the draft (`null` removes one) and checks them against the checklist version: types,
    /// ranges, no answers to hidden questions. Photo questions are answered by uploading photos.
    pub async fn save_answers(
        &self,
        actor: &Actor,
        visit_id: &str,
        answers: serde_json::Value,
    ) -> AppResult<VisitRecord> {
        let object = answers
            .as_object()
            .ok_or_else(|| AppError::bad_input("answers", "must be an object of question code → answer"))?;
        let mut tx = self.db.begin_write().await?;
        lock_visit(&mut tx, visit_id).await?;
        let visit = self.own(&mut tx, actor, visit_id).await?;
        if !visit.editable() {
            return Err(AppError::conflict(format!(
                "the visit is {}; answers can change only while it is in progress or returned for correction",
                visit.state.to_lowercase().replace('_', " ")
            )));
        }
        let definition = self.definition(&mut tx, &visit.checklist_version_id).await?;
        let mut merged = visit.answers().as_object().cloned().unwrap_or_default();
        for (code, value) in object {
            if value.is_null() {
                merged.remove(code);
                continue;
            }
            if let Some(q) = definition.question(code) {
                if matches!(q.kind, QuestionKind::Photo { .. })
                    && value.get("na") != Some(&serde_json::Value::Bool(true))
                {
                    return Err(AppError::bad_input(
                        format!("answers.{code}"),
                        "is a photo question: upload photos for it instead",
                    ));
                }
            }
            merged.insert(code.clone(), value.clone());
        }
        let merged = serde_json::Value::Object(merged);
        let parsed = parse_answers(&merged)?;
        definition.check_answers(&parsed, false)?;
        sqlx::query("UPDATE visits SET answers = $1, updated_at = $2 WHERE id = $3")
            .bind(merged.to_string())
            .bind(now_ms())
            .bind(visit_id)
            .execute(&mut *tx)
            .await?;
        let visit = self.load(&mut tx, visit_id).await?;
        tx.commit().await?;
        Ok(visit)
    }

    /// Stores a photo for a photo question (or the receipt, with its amount). The file is checked and processed
    /// before anything is written; a repeated `clientId` returns the stored photo.
    pub async fn upload_photo(&self, actor: &Actor, visit_id: &str, photo: NewPhoto) -> AppResult<PhotoRecord> {
        let client_id = client_id_checked("clientId", &photo.client_id)?;
        if let Some(done) = self.photo_by_client_id(actor, &client_id).await? {
            return Ok(done);
        }
        let mut conn = self.db.pool().acquire().await?;
        let visit = self.own(&mut conn, actor, visit_id).await?;
        if !visit.editable() {
            return Err(AppError::conflict(format!(
                "the visit is {}; photos can be added only while it is in progress or returned for correction",
                visit.state.to_lowercase().replace('_', " ")
            )));
        }
        let definition = self.definition(&mut conn, &visit.checklist_version_id).await?;
        let kind = match (&photo.question_code, photo.receipt_kopiykas) {
            (Some(code), None) => match definition.question(code).map(|q| &q.kind) {
                Some(QuestionKind::Photo { .. }) => "QUESTION",
                Some(_) => return Err(AppError::bad_input("questionCode", "is not a photo question")),
                None => {
                    return Err(AppError::bad_input(
                        "questionCode",
                        "is not a question of this checklist",
                    ))
                }
            },
            (None, Some(amount)) if (0..=100_000_000).contains(&amount) => "RECEIPT",
            (None, Some(_)) => {
                return Err(AppError::bad_input(
                    "receiptKopiykas",
                    "must be from 0 to 100000000 kopiykas",
                ))
            }
            (Some(_), Some(_)) => {
                return Err(AppError::bad_input(
                    "receiptKopiykas",
                    "a receipt is not the answer to a question: send either questionCode or receiptKopiykas",
                ))
            }
            (None, None) => {
                return Err(AppError::bad_input(
                    "questionCode",
                    "say which photo question this photo answers (or send receiptKopiykas for the receipt)",
                ))
            }
        };
        let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM photos WHERE visit_id = $1")
            .bind(visit_id)
            .fetch_one(&mut *conn)
            .await?;
        if count >= i64::from(self.max_per_visit) {
            return Err(AppError::conflict(format!(
                "a visit carries at most {} photos",
                self.max_per_visit
            )));
        }
        drop(conn);
        let limits = self.limits;
        let file = photo.file;
        self.photo_queue.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let permit = self.processing.clone().acquire_owned().await;
        self.photo_queue.fetch_sub(1, std::sync::atomic::Ordering::Relaxed);
        let permit = permit.map_err(|e| AppError::Internal(e.into()))?;
        let (processed, bytes) = tokio::task::spawn_blocking(move || {
            let _permit = permit;
            let bytes = read_upload(file, limits.max_bytes)?;
            AppResult::Ok((evidence::process(&bytes, limits), bytes))
        })
        .await
        .map_err(|e| AppError::Internal(e.into()))??;
        let processed = processed?;
        let rules = visit.rules();
        let (from, to) = visit_span(&visit, &rules);
        let v = verdicts(
            &processed.exif,
            (visit.venue_lat, visit.venue_lon, visit.geofence_m as f64),
            rules.photo_gps_slack_m,
            from,
            to,
            rules.photo_time_tolerance_minutes,
        );
        let (duplicate_of, duplicate_visit, distance) = self.find_duplicate(visit_id, &processed).await?;
        let id = new_id();
        // Keys follow the phone's client id, so a resend after a crash overwrites the same objects rather than
        // storing a second copy; the pending row (committed first) lets the sweeper remove what a crash leaves.
        let keys = [
            format!("visits/{visit_id}/{client_id}/original.{}", processed.extension),
            format!("visits/{visit_id}/{client_id}/display.jpg"),
            format!("visits/{visit_id}/{client_id}/thumbnail.jpg"),
        ];
        let pending_id = new_id();
        sqlx::query("INSERT INTO pending_uploads (id, visit_id, object_keys, created_at) VALUES ($1, $2, $3, $4)")
            .bind(&pending_id)
            .bind(visit_id)
            .bind(serde_json::to_string(&keys).map_err(|e| AppError::Internal(e.into()))?)
            .bind(now_ms())
            .execute(self.db.pool())
            .await?;
        let size = bytes.len() as i64;
        let stored = async {
            self.storage.put(&keys[0], bytes).await?;
            self.storage.put(&keys[1], processed.display).await?;
            self.storage.put(&keys[2], processed.thumbnail).await
        }
        .await;
        if let Err(err) = stored {
            self.discard_upload(&pending_id, &keys).await;
            return Err(AppError::Internal(err));
        }
        let stored = StoredExif {
            facts: processed.exif,
            gps_verdict_note: v.gps_note,
            time_verdict_note: v.time_note,
            duplicate_visit,
            duplicate_distance: distance,
        };
        let b = bands(processed.phash);
        let now = now_ms();
        let mut tx = self.db.begin_write().await?;
        // The state and the cap are checked again under the visit's lock, so parallel uploads cannot pass them.
        lock_visit(&mut tx, visit_id).await?;
        let (state, count): (String, i64) = sqlx::query_as(
            "SELECT v.state, (SELECT COUNT(*) FROM photos p WHERE p.visit_id = v.id) FROM visits v WHERE v.id = $1",
        )
        .bind(visit_id)
        .fetch_one(&mut *tx)
        .await?;
        let refusal = if !VisitState::parse(&state)?.editable() {
            Some(AppError::conflict(format!(
                "the visit is {}; photos can be added only while it is in progress or returned for correction",
                state.to_lowercase().replace('_', " ")
            )))
        } else if count >= i64::from(self.max_per_visit) {
            Some(AppError::conflict(format!(
                "a visit carries at most {} photos",
                self.max_per_visit
            )))
        } else {
            None
        };
        if let Some(err) = refusal {
            drop(tx);
            // A resend of a photo that was stored meanwhile is not refused: it gets the stored photo.
            if let Some(done) = self.photo_by_client_id(actor, &client_id).await? {
                return Ok(done);
            }
            self.discard_upload(&pending_id, &keys).await;
            return Err(err);
        }
        let inserted = sqlx::query(
            "INSERT INTO photos (id, client_id, visit_id, shopper_id, question_code, kind, receipt_kopiykas, \
             content_type, bytes, sha256, phash, band0, band1, band2, band3, width, height, exif, gps_verdict, \
             time_verdict, duplicate_of, original_key, display_key, thumbnail_key, created_at) VALUES \
             ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, \
             $23, $24, $25)",
        )
        .bind(&id)
        .bind(&client_id)
        .bind(visit_id)
        .bind(&actor.user_id)
        .bind(&photo.question_code)
        .bind(kind)
        .bind(photo.receipt_kopiykas)
        .bind(processed.content_type)
        .bind(size)
        .bind(&processed.sha256)
        .bind(format!("{:016x}", processed.phash))
        .bind(b[0])
        .bind(b[1])
        .bind(b[2])
        .bind(b[3])
        .bind(i64::from(processed.width))
        .bind(i64::from(processed.height))
        .bind(serde_json::to_string(&stored).map_err(|e| AppError::Internal(e.into()))?)
        .bind(v.gps.as_str())
        .bind(v.time.as_str())
        .bind(&duplicate_of)
        .bind(&keys[0])
        .bind(&keys[1])
        .bind(&keys[2])
        .bind(now)
        .execute(&mut *tx)
        .await;
        match inserted {
            Ok(_) => {
                sqlx::query("UPDATE visits SET updated_at = $1 WHERE id = $2")
                    .bind(now)
                    .bind(visit_id)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query("DELETE FROM pending_uploads WHERE id = $1")
                    .bind(&pending_id)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
            }
            Err(err) if is_unique_violation(&err) => {
                // The same photo (client id) was stored by a parallel resend, under the same keys.
                drop(tx);
                self.forget_pending(&pending_id).await;
                return self
                    .photo_by_client_id(actor, &client_id)
                    .await?
                    .ok_or_else(|| AppError::Internal(anyhow::anyhow!("photo vanished")));
            }
            Err(err) => return Err(err.into()),
        }
        self.photo(&id).await
    }

    /// Removes the objects of an upload that will not be stored, and its pending row.
    async fn discard_upload(&self, pending_id: &str, keys: &[String]) {
        for key in keys {
            if let Err(err) = self.storage.delete(key).await {
                tracing::warn!(error = ?err, %key, "removing an unused photo object failed; the sweeper retries");
                return;
            }
        }
        self.forget_pending(pending_id).await;
    }

    async fn forget_pending(&self, pending_id: &str) {
        let done = sqlx::query("DELETE FROM pending_uploads WHERE id = $1")
            .bind(pending_id)
            .execute(self.db.pool())
            .await;
        if let Err(err) = done {
            tracing::warn!(error = ?err, "removing a pending upload row failed; the sweeper retries");
        }
    }

    /// Removes the objects of uploads that never finished (the process died between storing and inserting)
    /// and are older than `older_than_ms`; objects a photo row refers to are kept. Returns how many uploads
    /// were swept. Runs in the background loop of every server.
    pub async fn sweep_abandoned_uploads(&self, older_than_ms: i64) -> AppResult<usize> {
        let cutoff = now_ms() - older_than_ms;
        let rows: Vec<(String, String)> = sqlx::query_as(
            "SELECT id, object_keys FROM pending_uploads WHERE created_at < $1 ORDER BY created_at LIMIT 500",
        )
        .bind(cutoff)
        .fetch_all(self.db.pool())
        .await?;
        let mut swept = 0;
        for (id, keys) in rows {
            let keys: Vec<String> = serde_json::from_str(&keys).unwrap_or_default();
            let mut clean = true;
            for key in &keys {
                let referenced: i64 = sqlx::query_scalar(
                    "SELECT COUNT(*) FROM photos WHERE original_key = $1 OR display_key = $1 OR thumbnail_key = $1",
                )
                .bind(key)
                .fetch_one(self.db.pool())
                .await?;
                if referenced == 0 {
                    if let Err(err) = self.storage.delete(key).await {
                        tracing::warn!(error = ?err, %key, "sweeping an abandoned photo object failed");
                        clean = false;
                    }
                }
            }
            if clean {
                self.forget_pending(&id).await;
                swept += 1;
            }
        }
        Ok(swept)
    }

    /// An earlier photo of another visit with the same bytes, else the nearest perceptual match within
    /// `NEAR_DUPLICATE_DISTANCE` among photos sharing a hash band: (photo id, its visit, distance).
    async fn find_duplicate(
        &self,
        visit_id: &str,
        processed: &evidence::Processed,
    ) -> AppResult<(Option<String>, Option<String>, Option<u32>)> {
        let same: Option<(String, String)> = sqlx::query_as(
            "SELECT id, visit_id FROM photos WHERE sha256 = $1 AND visit_id <> $2 ORDER BY created_at LIMIT 1",
        )
        .bind(&processed.sha256)
        .bind(visit_id)
        .fetch_optional(self.db.pool())
        .await?;
        if let Some((id, visit)) = same {
            return Ok((Some(id), Some(visit), Some(0)));
        }
        let b = bands(processed.phash);
        let candidates: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT id, visit_id, phash FROM photos WHERE visit_id <> $5 \
             AND (band0 = $1 OR band1 = $2 OR band2 = $3 OR band3 = $4) LIMIT 5000",
        )
        .bind(b[0])
        .bind(b[1])
        .bind(b[2])
        .bind(b[3])
        .bind(visit_id)
        .fetch_all(self.db.pool())
        .await?;
        let best = candidates
            .into_iter()
            .filter_map(|(id, visit, hash)| {
                let d = hamming(u64::from_str_radix(&hash, 16).ok()?, processed.phash);
                (d <= NEAR_DUPLICATE_DISTANCE).then_some((d, id, visit))
            })
            .min_by_key(|(d, ..)| *d);
        Ok(match best {
            Some((d, id, visit)) => (Some(id), Some(visit), Some(d)),
            None => (None, None, None),
        })
    }

    async fn photo_by_client_id(&self, actor: &Actor, client_id: &str) -> AppResult<Option<PhotoRecord>> {
        Ok(sqlx::query_as(&format!(
            "SELECT {PHOTO_COLUMNS} FROM photos WHERE shopper_id = $1 AND client_id = $2"
        ))
        .bind(&actor.user_id)
        .bind(client_id)
        .fetch_optional(self.db.pool())
        .await?)
    }

    async fn photo(&self, id: &str) -> AppResult<PhotoRecord> {
        let row: Option<PhotoRecord> = sqlx::query_as(&format!("SELECT {PHOTO_COLUMNS} FROM photos WHERE id = $1"))
            .bind(id)
            .fetch_optional(self.db.pool())
            .await?;
        row.ok_or_else(|| AppError::NotFound("photo".into()))
    }

    pub async fn photos(&self, visit_id: &str) -> AppResult<Vec<PhotoRecord>> {
        Ok(sqlx::query_as(&format!(
            "SELECT {PHOTO_COLUMNS} FROM photos WHERE visit_id = $1 ORDER BY created_at, id"
        ))
        .bind(visit_id)
        .fetch_all(self.db.pool())
        .await?)
    }

    /// Records leaving the venue. Repeats return the visit as first checked out.
    pub async fn check_out(&self, actor: &Actor, visit_id: &str, out: CheckOut) -> AppResult<VisitRecord> {
        let now = now_ms();
        Coordinates::parse("position", out.lat, out.lon)?;
        let accuracy = accuracy_checked("accuracyM", out.accuracy_m)?;
        let device_at = device_time_checked("deviceTime", out.device_at, now)?;
        let mut tx = self.db.begin_write().await?;
        lock_visit(&mut tx, visit_id).await?;
        let visit = self.own(&mut tx, actor, visit_id).await?;
        if visit.checkout_device_at.is_some() {
            return Ok(visit);
        }
        if !visit.editable() {
            return Err(AppError::conflict("the visit is no longer in progress"));
        }
        if device_at < visit.checkin_device_at {
            return Err(AppError::bad_input("deviceTime", "is before the check-in"));
        }
        sqlx::query(
            "UPDATE visits SET checkout_lat = $1, checkout_lon = $2, checkout_accuracy_m = $3, checkout_device_at = $4, \
             checkout_server_at = $5, updated_at = $5 WHERE id = $6 AND checkout_device_at IS NULL",
        )
        .bind(out.lat)
        .bind(out.lon)
        .bind(accuracy)
        .bind(device_at)
        .bind(now)
        .bind(visit_id)
        .execute(&mut *tx)
        .await?;
        let visit = self.load(&mut tx, visit_id).await?;
        tx.commit().await?;
        Ok(visit)
    }

    /// Submits a checked-out visit: every visible required question answered (photo questions by their photos),
    /// the score computed, the flags raised. Submitting again returns the submitted visit.
    pub async fn submit(&self, actor: &Actor, visit_id: &str) -> AppResult<VisitRecord> {
        let now = now_ms();
        let mut tx = self.db.begin_write().await?;
        // A resend while the first submission is in flight waits here for it, then finds the visit submitted.
        lock_visit(&mut tx, visit_id).await?;
        let visit = self.own(&mut tx, actor, visit_id).await?;
        if matches!(visit.state.as_str(), "SUBMITTED" | "APPROVED" | "REJECTED") {
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
        for (code, q) in definition.questions() {
            if matches!(q.kind, QuestionKind::Photo { .. })
                && answers.get(&code) != Some(&AnswerValue::NotApplicable)
                && definition.is_visible(&code, &answers)
            {
                match per_question.get(code.as_str()) {
                    Some(n) => {
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
        for (i, p) in photos.iter().enumerate() {
            let stored = p.stored_exif();
            let v = verdicts(
                &stored.facts,
                (visit.venue_lat, visit.venue_lon, visit.geofence_m as f64),
                rules.photo_gps_slack_m,
                from,
                to,
                rules.photo_time_tolerance_minutes,
            );
            sqlx::query("UPDATE photos SET gps_verdict = $1, time_verdict = $2, exif = $3 WHERE id = $4")
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
                .bind(&p.id)
                .execute(&mut *tx)
                .await?;
            let label = match &p.question_code {
                Some(code) => format!("Photo {} ({code})", i + 1),
                None => format!("Photo {} (receipt)", i + 1),
            };
            checks.push(PhotoCheck {
                label,
                gps: v.gps,
                gps_note: v.gps_note,
                time: v.time,
                time_note: v.time_note,
                duplicate_of_visit: stored.duplicate_visit.zip(stored.duplicate_distance),
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
        });
        sqlx::query("DELETE FROM visit_flags WHERE visit_id = $1")
            .bind(visit_id)
            .execute(&mut *tx)
            .await?;
        for f in &flags {
            sqlx::query(
                "INSERT INTO visit_flags (visit_id, code, severity, message, other_visit_id) VALUES ($1, $2, $3, $4, $5) \
                 ON CONFLICT DO NOTHING",
            )
            .bind(visit_id)
            .bind(f.code.as_str())
            .bind(f.severity.as_str())
            .bind(&f.message)
            .bind(&f.other_visit_id)
            .execute(&mut *tx)
            .await?;
        }
        let answers_json = serde_json::to_string(&visit.answers()).map_err(|e| AppError::Internal(e.into()))?;
        let done = sqlx::query(
            "UPDATE visits SET state = 'SUBMITTED', submitted_at = $1, score = $2, answers = $3, updated_at = $1 \
             WHERE id = $4 AND state IN ('IN_PROGRESS', 'RETURNED')",
        )
        .bind(now)
        .bind(score)
        .bind(answers_json)
        .bind(visit_id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(AppError::conflict("the visit changed meanwhile; reload it"));
        }
        sqlx::query("UPDATE tasks SET state = 'SUBMITTED', updated_at = $1 WHERE id = $2")
            .bind(now)
            .bind(&visit.task_id)
            .execute(&mut *tx)
            .await?;
        event(&mut tx, visit_id, "SUBMIT", &actor.user_id, None, None, now).await?;
        let visit = self.load(&mut tx, visit_id).await?;
        tx.commit().await?;
        Ok(visit)
    }

    /// A coordinator's decision on a submitted visit. Approving records the `APPROVE` event the payout ledger
    /// consumes, exactly once: a repeated identical decision returns the visit; a different one is a CONFLICT.
    pub async fn review(
        &self,
        actor: &Actor,
        visit_id: &str,
        decision: Decision,
        reason: Option<String>,
        comments: Vec<ReviewComment>,
    ) -> AppResult<VisitRecord> {
        let now = now_ms();
        let reason = match reason.as_deref().map(str::trim).filter(|r| !r.is_empty()) {
            Some(r) => Some(BoundedText::parse("reason", r, 3, 2_000)?.into_inner()),
            None => None,
        };
        if decision == Decision::Reject && reason.is_none() {
            return Err(AppError::bad_input("reason", "is required to reject a visit"));
        }
        if decision == Decision::Return && reason.is_none() && comments.is_empty() {
            return Err(AppError::bad_input(
                "comments",
                "say what to correct: a reason or comments on questions",
            ));
        }
        let mut tx = self.db.begin_write().await?;
        lock_visit(&mut tx, visit_id).await?;
        let visit = self.load(&mut tx, visit_id).await?;
        if visit.state == decision.visit_state() && decision != Decision::Return {
            return Ok(visit);
        }
        if visit.state != "SUBMITTED" {
            return Err(AppError::conflict(format!(
                "the visit is {}; only submitted visits are reviewed",
                visit.state.to_lowercase().replace('_', " ")
            )));
        }
        let definition = self.definition(&mut tx, &visit.checklist_version_id).await?;
        for (i, c) in comments.iter().enumerate() {
            if definition.question(&c.question_code).is_none() {
                return Err(AppError::bad_input(
                    format!("comments[{i}].questionCode"),
                    "is not a question of this checklist",
                ));
            }
            BoundedText::parse(&format!("comments[{i}].comment"), &c.comment, 1, 2_000)?;
        }
        let done = sqlx::query(
            "UPDATE visits SET state = $1, decided_at = $2, updated_at = $2 WHERE id = $3 AND state = 'SUBMITTED'",
        )
        .bind(decision.visit_state())
        .bind(now)
        .bind(visit_id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            // A concurrent twin of this request (a double click, a retry) got there first: same answer.
            let now_state: Option<String> = sqlx::query_scalar("SELECT state FROM visits WHERE id = $1")
                .bind(visit_id)
                .fetch_optional(&mut *tx)
                .await?;
            if decision != Decision::Return && now_state.as_deref() == Some(decision.visit_state()) {
                drop(tx);
                return self.load_pool(visit_id).await;
            }
            return Err(AppError::conflict(
                "another reviewer decided meanwhile; reload the visit",
            ));
        }
        sqlx::query("UPDATE tasks SET state = $1, updated_at = $2 WHERE id = $3")
            .bind(decision.task_state())
            .bind(now)
            .bind(&visit.task_id)
            .execute(&mut *tx)
            .await?;
        if decision == Decision::Approve {
            self.post_approval(&mut tx, &visit, &actor.user_id).await?;
        }
        let comments = (!comments.is_empty())
            .then(|| serde_json::to_string(&comments))
            .transpose()
            .map_err(|e| AppError::Internal(e.into()))?;
        event(
            &mut tx,
            visit_id,
            decision.action(),
            &actor.user_id,
            reason.as_deref(),
            comments.as_deref(),
            now,
        )
        .await?;
        crate::audit::audit(
            &mut tx,
            Some(&actor.user_id),
            &format!("visit.{}", decision.action().to_lowercase()),
            Some(visit_id),
            reason.as_deref(),
        )
        .await?;
        let visit = self.load(&mut tx, visit_id).await?;
        tx.commit().await?;
        Ok(visit)
    }

    /// Posts what an approved visit earns (fee, bonus as offered, receipt up to the wave's cap), once: the
    /// source key is the visit's, and this runs in the approval's own transaction.
    async fn post_approval(&self, tx: &mut AnyConnection, visit: &VisitRecord, actor_id: &str) -> AppResult<()> {
        let (fee, bonus, cap, wave_id): (i64, i64, i64, String) = sqlx::query_as(
            "SELECT t.fee_kopiykas, t.bonus_kopiykas, w.reimbursement_cap_kopiykas, w.id FROM tasks t \
             JOIN waves w ON w.id = t.wave_id WHERE t.id = $1",
        )
        .bind(&visit.task_id)
        .fetch_one(&mut *tx)
        .await?;
        let receipts: i64 = sqlx::query_scalar(
            "SELECT CAST(COALESCE(SUM(receipt_kopiykas), 0) AS BIGINT) FROM photos WHERE visit_id = $1 AND kind = 'RECEIPT'",
        )
        .bind(&visit.id)
        .fetch_one(&mut *tx)
        .await?;
        let earnings = crate::domain::ledger::VisitEarnings {
            fee,
            bonus,
            receipts,
            reimbursement_cap: cap,
        };
        let posting = crate::domain::ledger::visit_approval(&visit.id, &visit.shopper_id, earnings, &self.currency)
            .map_err(|e| AppError::Internal(e.into()))?;
        if let Some(posting) = posting {
            crate::ledger::post(
                tx,
                &posting,
                crate::ledger::Refs {
                    shopper_id: Some(&visit.shopper_id),
                    visit_id: Some(&visit.id),
                    wave_id: Some(&wave_id),
                    actor_id: Some(actor_id),
                    ..Default::default()
                },
            )
            .await?;
        }
        Ok(())
    }

    /// Revokes an approval (e.g. fraud found later): the visit becomes rejected and its earnings are clawed
    /// back by a reversing transaction, once. Already paid money then shows as a negative balance that later
    /// earnings make up.
    pub async fn revoke_approval(&self, actor: &Actor, visit_id: &str, reason: &str) -> AppResult<VisitRecord> {
        let reason = BoundedText::parse("reason", reason, 3, 2_000)?.into_inner();
        let now = now_ms();
        let mut tx = self.db.begin_write().await?;
        lock_visit(&mut tx, visit_id).await?;
        let visit = self.load(&mut tx, visit_id).await?;
        let revoked: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM visit_events WHERE visit_id = $1 AND action = 'REVOKE'")
                .bind(visit_id)
                .fetch_one(&mut *tx)
                .await?;
        if revoked > 0 {
            return Ok(visit);
        }
        if visit.state != "APPROVED" {
            return Err(AppError::conflict("only an approved visit's approval can be revoked"));
        }
        let done =
            sqlx::query("UPDATE visits SET state = 'REJECTED', decided_at = $1, updated_at = $1 WHERE id = $2 AND state = 'APPROVED'")
                .bind(now)
                .bind(visit_id)
                .execute(&mut *tx)
                .await?;
        if done.rows_affected() != 1 {
            return Err(AppError::conflict(
                "another reviewer decided meanwhile; reload the visit",
            ));
        }
        sqlx::query("UPDATE tasks SET state = 'REJECTED', updated_at = $1 WHERE id = $2")
            .bind(now)
            .bind(&visit.task_id)
            .execute(&mut *tx)
            .await?;
        crate::ledger::reverse(
            &mut tx,
            &crate::domain::ledger::approval_key(visit_id),
            &crate::domain::ledger::revocation_key(visit_id),
            crate::domain::ledger::Kind::ApprovalRevoked,
            &format!("approval of visit {visit_id} revoked: {reason}"),
            crate::ledger::Refs {
                shopper_id: Some(&visit.shopper_id),
                visit_id: Some(visit_id),
                actor_id: Some(&actor.user_id),
                ..Default::default()
            },
        )
        .await?;
        event(&mut tx, visit_id, "REVOKE", &actor.user_id, Some(&reason), None, now).await?;
        crate::audit::audit(
            &mut tx,
            Some(&actor.user_id),
            "visit.revoke",
            Some(visit_id),
            Some(&reason),
        )
        .await?;
        let visit = self.load(&mut tx, visit_id).await?;
        tx.commit().await?;
        Ok(visit)
    }

    pub async fn flags(&self, visit_id: &str) -> AppResult<Vec<FlagRecord>> {
        let mut flags: Vec<FlagRecord> = sqlx::query_as(
            "SELECT code, severity, message, other_visit_id FROM visit_flags WHERE visit_id = $1 ORDER BY code, message",
        )
        .bind(visit_id)
        .fetch_all(self.db.pool())
        .await?;
        let rank = |s: &str| match s {
            "CRITICAL" => 0,
            "WARNING" => 1,
            _ => 2,
        };
        flags.sort_by_key(|f| rank(&f.severity));
        Ok(flags)
    }

    pub async fn events(&self, visit_id: &str) -> AppResult<Vec<VisitEvent>> {
        Ok(sqlx::query_as(
            "SELECT action, actor_id, reason, comments, at FROM visit_events WHERE visit_id = $1 ORDER BY at, id",
        )
        .bind(visit_id)
        .fetch_all(self.db.pool())
        .await?)
    }

    /// The shopper's own visits, newest first.
    pub async fn my_visits(&self, actor: &Actor, limit: usize, offset: usize) -> AppResult<Page<VisitRecord>> {
        let rows: Vec<VisitRecord> = sqlx::query_as(&format!(
            "{VISIT_SELECT} WHERE v.shopper_id = $1 ORDER BY v.created_at DESC, v.id DESC LIMIT $2 OFFSET $3"
        ))
        .bind(&actor.user_id)
        .bind((limit + 1) as i64)
        .bind(offset as i64)
        .fetch_all(self.db.pool())
        .await?;
        let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM visits WHERE shopper_id = $1")
            .bind(&actor.user_id)
            .fetch_one(self.db.pool())
            .await?;
        Ok(Page::from_rows(rows, limit, total))
    }

    /// Visits waiting for review (or in another state), oldest submission first.
    pub async fn queue(&self, filter: &QueueFilter, limit: usize, offset: usize) -> AppResult<Page<VisitRecord>> {
        let min_age = filter.min_age_hours.unwrap_or(0).max(0);
        let cutoff = now_ms() - min_age * 3_600_000;
        let conditions = "v.state = $1 AND ($2 = '' OR t.wave_id = $2) AND ($3 = '' OR ve.oblast = $3) \
             AND ($4 = '' OR EXISTS (SELECT 1 FROM visit_flags f WHERE f.visit_id = v.id AND f.code = $4)) \
             AND COALESCE(v.submitted_at, v.created_at) <= $5";
        let state = filter.state.clone().unwrap_or_else(|| "SUBMITTED".into());
        let text = |o: &Option<String>| o.clone().unwrap_or_default();
        let rows: Vec<VisitRecord> = sqlx::query_as(&format!(
            "{VISIT_SELECT} WHERE {conditions} ORDER BY COALESCE(v.submitted_at, v.created_at), v.id LIMIT $6 OFFSET $7"
        ))
        .bind(&state)
        .bind(text(&filter.wave_id))
        .bind(text(&filter.oblast))
        .bind(text(&filter.flag))
        .bind(cutoff)
        .bind((limit + 1) as i64)
        .bind(offset as i64)
        .fetch_all(self.db.pool())
        .await?;
        let total: i64 = sqlx::query_scalar(&format!(
            "SELECT COUNT(*) FROM visits v JOIN tasks t ON t.id = v.task_id JOIN venues ve ON ve.id = t.venue_id \
             WHERE {conditions}"
        ))
        .bind(&state)
        .bind(text(&filter.wave_id))
        .bind(text(&filter.oblast))
        .bind(text(&filter.flag))
        .bind(cutoff)
        .fetch_one(self.db.pool())
        .await?;
        Ok(Page::from_rows(rows, limit, total))
    }
}

/// The time span a photo may fall in before check-out is known: check-in to check-in + the longest visit.
fn visit_span(visit: &VisitRecord, rules: &VisitRules) -> (i64, i64) {
    let to = visit
        .checkout_device_at
        .unwrap_or(visit.checkin_device_at + i64::from(rules.max_minutes) * 60_000);
    (visit.checkin_device_at, to)
}

async fn event(
    conn: &mut AnyConnection,
    visit_id: &str,
    action: &str,
    actor_id: &str,
    reason: Option<&str>,
    comments: Option<&str>,
    at: i64,
) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO visit_events (id, visit_id, action, actor_id, reason, comments, at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(new_id())
    .bind(visit_id)
    .bind(action)
    .bind(actor_id)
    .bind(reason)
    .bind(comments)
    .bind(at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Verdict helper for views.
pub fn verdict(text: &str) -> Verdict {
    Verdict::from_db(text)
}
