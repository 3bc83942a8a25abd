//! Visits: check-in against the geofence, progressive answers, photo evidence, check-out, submission with flags,
//! and coordinator review. Every shopper mutation is idempotent: check-ins and photos carry a client-generated
//! id, answers merge, and check-out, submission and decisions return the stored result when repeated.

mod answers;
mod capture;
mod check_in;
mod check_out;
mod photos;
mod queries;
mod review;
mod submit;

pub use photos::find_duplicate;

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use sqlx::{AnyConnection, FromRow};

use crate::auth::{Actor, Permission};
use crate::db::{new_id, Db};
use crate::domain::checklist::ChecklistDefinition;
use crate::domain::flags::DeclaredConflict;
pub use crate::domain::photo::StoredExif;
use crate::domain::photo::{Judged, PhotoSource};
use crate::domain::visit::{self, GeoVerdict, VisitMove, VisitRules, VisitState};
use crate::error::{AppError, AppResult};
use crate::evidence::{Limits, Storage};

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
    /// How long a capture token is valid, ms.
    capture_token_ms: i64,
}

/// A visit with the facts about its task and venue that every view needs.
#[derive(Debug, Clone, FromRow)]
pub struct VisitRecord {
    pub id: String,
    pub task_id: String,
    pub shopper_id: String,
    /// The shopper's full name, as staff see it.
    pub shopper_name: String,
    pub checklist_version_id: String,
    #[sqlx(try_from = "String")]
    pub state: VisitState,
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
    /// The venue's time zone (photo times without an offset are read in it).
    pub venue_time_zone: Option<String>,
    pub venue_lon: f64,
    pub geofence_m: i64,
    pub client_id: String,
    pub visit_rules: String,
}

const VISIT_COLUMNS: &str = "v.id, v.task_id, v.shopper_id, v.checklist_version_id, v.state, \
     v.checkin_attempt_id, v.checkin_device_at, v.checkin_server_at, v.checkout_lat, v.checkout_lon, \
     v.checkout_accuracy_m, v.checkout_device_at, v.checkout_server_at, v.answers, v.score, v.submitted_at, \
     v.decided_at, v.created_at, v.updated_at, t.wave_id, w.name AS wave_name, t.venue_id, ve.name AS venue_name, \
     ve.oblast AS venue_oblast, ve.lat AS venue_lat, ve.lon AS venue_lon, ve.geofence_m, ve.client_id, w.visit_rules, \
     ve.time_zone AS venue_time_zone, COALESCE(sp.full_name, '') AS shopper_name";
const VISIT_FROM: &str =
    "visits v JOIN tasks t ON t.id = v.task_id JOIN waves w ON w.id = t.wave_id JOIN venues ve ON ve.id = t.venue_id \
     LEFT JOIN shopper_profiles sp ON sp.user_id = v.shopper_id";

impl VisitRecord {
    pub fn rules(&self) -> VisitRules {
        VisitRules::from_json(&self.visit_rules)
    }

    pub fn answers(&self) -> serde_json::Value {
        serde_json::from_str(&self.answers).unwrap_or_else(|_| serde_json::json!({}))
    }

    fn editable(&self) -> bool {
        self.state.editable()
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
    /// Hashes of its crop windows (hex, comma-separated; empty for photos stored before they were kept).
    pub crop_hashes: String,
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
    pub source: String,
    /// The phone's own id for the upload (its idempotency key), so the phone can tell its photos apart.
    pub client_id: String,
}

const PHOTO_COLUMNS: &str = "id, visit_id, question_code, kind, receipt_kopiykas, content_type, bytes, sha256, \
     phash, crop_hashes, width, height, exif, gps_verdict, time_verdict, duplicate_of, original_key, display_key, thumbnail_key, \
     created_at, source, client_id";

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
    pub device_id: Option<String>,
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
    /// `LiveCamera` with a capture, or `Gallery` without.
    pub source: PhotoSource,
    pub capture: Option<CaptureInput>,
}

/// What the app sends with a photo its own camera took: the capture token and the phone's fix at that moment.
#[derive(Debug, Clone)]
pub struct CaptureInput {
    pub token: String,
    pub lat: f64,
    pub lon: f64,
    pub accuracy_m: f64,
    pub device_at: i64,
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

    fn visit_move(self) -> VisitMove {
        match self {
            Decision::Approve => VisitMove::Approve,
            Decision::Reject => VisitMove::Reject,
            Decision::Return => VisitMove::Return,
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
    let unreadable =
        |e: std::io::Error| AppError::bad_input("file", crate::msg!("file-unreadable", detail = e.to_string()));
    let size = file.metadata().map_err(unreadable)?.len();
    if size > max_bytes as u64 {
        return Err(AppError::bad_input(
            "file",
            crate::msg!(
                "photo-too-big",
                size_mb = (size as f64 / 104_857.6).round() / 10.0,
                max_mb = (max_bytes as f64 / 1_048_576.0).round()
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
        return Err(AppError::bad_input(field, crate::msg!("client-id-format")));
    }
    Ok(id.to_string())
}

fn accuracy_checked(field: &str, metres: f64) -> AppResult<f64> {
    if !metres.is_finite() || !(0.0..=100_000.0).contains(&metres) {
        return Err(AppError::bad_input(
            field,
            crate::msg!("metres-range", min = 0, max = 100_000),
        ));
    }
    Ok(metres)
}

/// Device times from before 2000 or more than a day ahead of the server are clock errors, not visits.
fn device_time_checked(field: &str, at: i64, now: i64) -> AppResult<i64> {
    if at < 946_684_800_000 || at > now + 86_400_000 {
        return Err(AppError::bad_input(field, crate::msg!("implausible-time")));
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
            capture_token_ms: 24 * 60 * 60_000,
        }
    }

    /// How long live-capture tokens stay valid (`photos.capture_token_minutes`).
    pub fn with_capture_token_minutes(mut self, minutes: u32) -> Self {
        self.capture_token_ms = i64::from(minutes.max(1)) * 60_000;
        self
    }

    /// Uploads waiting for a processing slot now.
    pub fn photo_queue(&self) -> i64 {
        self.photo_queue.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Now, on the application's clock (signed links expire by it).
    pub fn now_ms(&self) -> i64 {
        self.db.now_ms()
    }

    pub fn storage(&self) -> &Storage {
        &self.storage
    }

    async fn load_pool(&self, id: &str) -> AppResult<VisitRecord> {
        let mut conn = self.db.pool().acquire().await?;
        self.load(&mut conn, id).await
    }

    async fn load(&self, conn: &mut AnyConnection, id: &str) -> AppResult<VisitRecord> {
        let row: Option<VisitRecord> =
            sqlx::query_as(&format!("SELECT {VISIT_COLUMNS} FROM {VISIT_FROM} WHERE v.id = $1"))
                .bind(id)
                .fetch_optional(&mut *conn)
                .await?;
        row.ok_or_else(|| AppError::NotFound("visit"))
    }

    /// A visit as `actor` may see it: their own (shopper), any (reviewers), or an approved visit of their client
    /// (client viewers). Anything else is NOT_FOUND.
    pub async fn visit(&self, actor: &Actor, id: &str) -> AppResult<VisitRecord> {
        let mut conn = self.db.pool().acquire().await?;
        let visit = self.load(&mut conn, id).await?;
        if self.may_read(actor, &visit)? {
            Ok(visit)
        } else {
            Err(AppError::NotFound("visit"))
        }
    }

    fn may_read(&self, actor: &Actor, visit: &VisitRecord) -> AppResult<bool> {
        if visit.shopper_id == actor.user_id || actor.can(Permission::ReviewVisits) {
            return Ok(true);
        }
        Ok(match actor.client_scope()? {
            Some(client) => client == visit.client_id && visit.state == VisitState::Approved,
            None => false,
        })
    }

    /// The shopper's own visit, for changes.
    async fn own(&self, conn: &mut AnyConnection, actor: &Actor, id: &str) -> AppResult<VisitRecord> {
        let visit = self.load(conn, id).await?;
        if visit.shopper_id != actor.user_id {
            return Err(AppError::NotFound("visit"));
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

/// The earliest conflict of interest the shopper declared with the venue or its client, at any time.
async fn declared_conflict(
    conn: &mut AnyConnection,
    shopper_id: &str,
    venue_id: &str,
    client_id: &str,
) -> AppResult<Option<DeclaredConflict>> {
    let row: Option<(Option<String>, Option<String>, i64)> = sqlx::query_as(
        "SELECT sc.venue_id, c.name, sc.created_at FROM shopper_conflicts sc LEFT JOIN clients c ON c.id = sc.client_id \
         WHERE sc.shopper_id = $1 AND (sc.venue_id = $2 OR sc.client_id = $3) ORDER BY sc.created_at LIMIT 1",
    )
    .bind(shopper_id)
    .bind(venue_id)
    .bind(client_id)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(|(venue, client_name, declared_at)| DeclaredConflict {
        what: match (venue, client_name) {
            (Some(_), _) => crate::msg!("conflict-with-venue"),
            (None, Some(name)) => crate::msg!("conflict-with-client", client = name),
            (None, None) => crate::msg!("conflict-with-venues-client"),
        },
        declared_at,
    }))
}

/// Writes one flag on a visit now (before submission recomputes them all), keeping an existing one.
async fn raise_flag(conn: &mut AnyConnection, visit_id: &str, flag: &visit::Flag) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO visit_flags (visit_id, code, severity, message, other_visit_id) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT DO NOTHING",
    )
    .bind(visit_id)
    .bind(flag.code.as_str())
    .bind(flag.severity.as_str())
    .bind(flag.message.to_json())
    .bind(&flag.other_visit_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A photo judged against its visit's place, rules and span (`domain::visit::judge_photo`).
fn judge_photo(stored: &StoredExif, visit: &VisitRecord, rules: &VisitRules, span: (i64, i64)) -> Judged {
    visit::judge_photo(
        stored,
        (visit.venue_lat, visit.venue_lon, visit.geofence_m as f64),
        rules,
        span,
    )
}
