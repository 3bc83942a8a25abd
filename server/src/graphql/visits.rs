//! Visits over GraphQL: the shopper's check-in, answers, photos, check-out and submission; the review queue and
//! decisions for coordinators; read access for shoppers (their own), reviewers (all) and client viewers
//! (approved visits of their client, without the shopper's identity, photo originals or EXIF).

use async_graphql::{Context, Enum, InputObject, Json, Object, SimpleObject, Upload, ID};
use chrono::{DateTime, Utc};

use super::geo::GeoPoint;
use super::pagination::{decode_offset, offset_page, page_size, List};
use super::{actor, Require};
use crate::auth::{Actor, Permission};
use crate::db::from_ms;
use crate::domain::photo::PhotoSource;
use crate::domain::visit::{FlagCode, GeoVerdict, Severity, Verdict, VisitState};
use crate::error::AppError;
use crate::visits::{
    AttemptRecord, CaptureInput, CheckIn, CheckOut, Decision, FlagRecord, NewPhoto, PhotoRecord, QueueFilter,
    ReviewComment, VisitEvent, VisitRecord, Visits,
};

fn visits<'a>(ctx: &'a Context<'_>) -> &'a Visits {
    ctx.data_unchecked::<Visits>()
}

/// How the viewer relates to a visit: what they may see of it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Viewer {
    Owner,
    Reviewer,
    Client,
}

fn viewer(actor: &Actor, visit: &VisitRecord) -> Viewer {
    if actor.can(Permission::ReviewVisits) {
        Viewer::Reviewer
    } else if actor.user_id == visit.shopper_id {
        Viewer::Owner
    } else {
        Viewer::Client
    }
}

/// The server's judgement of a check-in position (the rule: docs/VISITS.md).
#[derive(SimpleObject)]
pub struct GeoVerdictView {
    pub distance_m: f64,
    pub geofence_m: f64,
    pub accuracy_m: f64,
    pub inside_geofence: bool,
    pub accuracy_ok: bool,
    pub in_visiting_window: bool,
    pub mock_location: bool,
    pub passed: bool,
    /// Why it failed, in words for the shopper.
    pub reasons: Vec<String>,
}

impl From<GeoVerdict> for GeoVerdictView {
    fn from(v: GeoVerdict) -> Self {
        GeoVerdictView {
            distance_m: v.distance_m,
            geofence_m: v.geofence_m,
            accuracy_m: v.accuracy_m,
            inside_geofence: v.inside_geofence,
            accuracy_ok: v.accuracy_ok,
            in_visiting_window: v.in_visiting_window,
            mock_location: v.mock_location,
            passed: v.passed,
            reasons: v.reasons.iter().map(super::words).collect(),
        }
    }
}

/// One check-in attempt, passed or not.
#[derive(SimpleObject)]
pub struct CheckInAttempt {
    pub id: ID,
    pub position: GeoPoint,
    pub accuracy_m: f64,
    pub mock_location: bool,
    pub device_time: DateTime<Utc>,
    pub server_time: DateTime<Utc>,
    pub verdict: Option<GeoVerdictView>,
}

impl From<AttemptRecord> for CheckInAttempt {
    fn from(a: AttemptRecord) -> Self {
        CheckInAttempt {
            id: ID(a.id.clone()),
            position: GeoPoint { lat: a.lat, lon: a.lon },
            accuracy_m: a.accuracy_m,
            mock_location: a.mock_location != 0,
            device_time: from_ms(a.device_at),
            server_time: from_ms(a.server_at),
            verdict: a.verdict().map(Into::into),
        }
    }
}

/// The result of a check-in.
#[derive(SimpleObject)]
pub struct CheckInResult {
    /// Whether the visit started (a failed check-in starts it only when the wave merely flags failures).
    pub accepted: bool,
    pub attempt: CheckInAttempt,
    pub visit: Option<Visit>,
}

/// Where the shopper left the venue.
#[derive(SimpleObject)]
pub struct CheckOutView {
    pub position: GeoPoint,
    pub accuracy_m: f64,
    pub device_time: DateTime<Utc>,
    pub server_time: DateTime<Utc>,
}

/// Why a reviewer should look.
#[derive(SimpleObject)]
pub struct VisitFlag {
    pub code: FlagCode,
    pub severity: Severity,
    /// A sentence a shopper and a reviewer both understand.
    pub message: String,
    /// The other visit involved (a duplicate photo, the previous visit of an impossible trip); reviewers only.
    pub other_visit_id: Option<ID>,
}

/// A submission or a review decision.
#[derive(SimpleObject)]
pub struct VisitEventView {
    /// SUBMIT, APPROVE, REJECT, RETURN
    pub action: String,
    /// Who (reviewers only).
    pub actor_id: Option<ID>,
    pub reason: Option<String>,
    pub comments: Vec<ReviewCommentView>,
    pub at: DateTime<Utc>,
}

/// A reviewer's comment on one question.
#[derive(SimpleObject, InputObject, Clone)]
#[graphql(input_name = "ReviewCommentInput")]
pub struct ReviewCommentView {
    pub question_code: String,
    pub comment: String,
}

/// What the photo's EXIF says (shopper and reviewers only: it holds the GPS position).
#[derive(SimpleObject)]
pub struct PhotoExif {
    pub present: bool,
    pub position: Option<GeoPoint>,
    /// When the GPS fix was recorded (UTC).
    pub gps_time: Option<DateTime<Utc>>,
    /// DateTimeOriginal as the camera wrote it (its local time).
    pub taken_local: Option<String>,
    /// The offset used for it, e.g. "+03:00", and where it came from.
    pub offset: Option<String>,
    pub offset_source: Option<String>,
    pub taken_at: Option<DateTime<Utc>>,
    pub orientation: i32,
    pub make: Option<String>,
    pub model: Option<String>,
}

/// A photo's role in the visit.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhotoKind {
    /// The answer to a photo question.
    Question,
    Receipt,
}

/// Photo evidence.
pub struct Photo {
    record: PhotoRecord,
    viewer: Viewer,
}

#[Object]
impl Photo {
    async fn id(&self) -> ID {
        ID(self.record.id.clone())
    }
    async fn question_code(&self) -> Option<&str> {
        self.record.question_code.as_deref()
    }
    async fn kind(&self) -> PhotoKind {
        if self.record.kind == "RECEIPT" {
            PhotoKind::Receipt
        } else {
            PhotoKind::Question
        }
    }
    async fn receipt_kopiykas(&self) -> Option<i64> {
        self.record.receipt_kopiykas
    }
    /// Upright size of the original.
    async fn width(&self) -> i64 {
        self.record.width
    }
    async fn height(&self) -> i64 {
        self.record.height
    }
    /// SHA-256 of the original file as uploaded (the evidence).
    async fn sha256(&self) -> Option<&str> {
        (self.viewer != Viewer::Client).then_some(self.record.sha256.as_str())
    }
    async fn gps_verdict(&self) -> async_graphql::Result<Verdict> {
        Ok(Verdict::parse(&self.record.gps_verdict).map_err(AppError::from)?)
    }
    async fn gps_note(&self) -> Option<String> {
        (self.viewer != Viewer::Client).then(|| super::words(&self.record.stored_exif().gps_verdict_note))
    }
    async fn time_verdict(&self) -> async_graphql::Result<Verdict> {
        Ok(Verdict::parse(&self.record.time_verdict).map_err(AppError::from)?)
    }
    async fn time_note(&self) -> String {
        super::words(&self.record.stored_exif().time_verdict_note)
    }
    /// `LIVE_CAMERA` (taken by the app, place and time from the phone's fix at capture) or `GALLERY`.
    async fn source(&self) -> async_graphql::Result<PhotoSource> {
        Ok(PhotoSource::parse(&self.record.source).map_err(AppError::from)?)
    }
    /// The phone's fix when the app took it (live-camera photos; not shown to client viewers).
    async fn capture(&self) -> Option<PhotoCaptureView> {
        if self.viewer == Viewer::Client {
            return None;
        }
        let stored = self.record.stored_exif();
        stored.capture.map(|fix| PhotoCaptureView {
            position: GeoPoint {
                lat: fix.lat,
                lon: fix.lon,
            },
            accuracy_m: fix.accuracy_m,
            taken_at: from_ms(fix.at),
            exif_disagrees: stored.capture_mismatch.as_ref().map(super::words),
        })
    }
    async fn exif(&self) -> Option<PhotoExif> {
        if self.viewer == Viewer::Client {
            return None;
        }
        let f = self.record.stored_exif().facts;
        Some(PhotoExif {
            present: f.present,
            position: f.lat.zip(f.lon).map(|(lat, lon)| GeoPoint { lat, lon }),
            gps_time: f.gps_at.map(from_ms),
            taken_local: f.taken_local,
            offset: f.offset,
            offset_source: f.offset_source.as_ref().map(super::words),
            taken_at: f.taken_at.map(from_ms),
            orientation: i32::from(f.orientation),
            make: f.make,
            model: f.model,
        })
    }
    /// The earlier photo this one duplicates (reviewers only).
    async fn duplicate_of(&self) -> Option<ID> {
        (self.viewer == Viewer::Reviewer)
            .then(|| self.record.duplicate_of.clone().map(ID))
            .flatten()
    }
    /// Upright, at most 1,600 px, without EXIF. The link expires.
    async fn display_url(&self, ctx: &Context<'_>) -> String {
        visits(ctx)
            .storage()
            .signed_url(&self.record.display_key, visits(ctx).now_ms())
    }
    async fn thumbnail_url(&self, ctx: &Context<'_>) -> String {
        visits(ctx)
            .storage()
            .signed_url(&self.record.thumbnail_key, visits(ctx).now_ms())
    }
    /// The file as uploaded, with its EXIF (reviewers only).
    async fn original_url(&self, ctx: &Context<'_>) -> Option<String> {
        (self.viewer == Viewer::Reviewer).then(|| {
            visits(ctx)
                .storage()
                .signed_url(&self.record.original_key, visits(ctx).now_ms())
        })
    }
    async fn created_at(&self) -> DateTime<Utc> {
        from_ms(self.record.created_at)
    }
    /// The id the phone gave the upload (its own photos; not shown to client viewers).
    async fn client_id(&self) -> Option<&str> {
        (self.viewer != Viewer::Client).then_some(self.record.client_id.as_str())
    }
}

/// One visit of one task.
pub struct Visit(pub VisitRecord);

impl Visit {
    fn viewer(&self, ctx: &Context<'_>) -> Result<Viewer, AppError> {
        Ok(viewer(actor(ctx)?, &self.0))
    }
}

#[Object]
impl Visit {
    async fn id(&self) -> ID {
        ID(self.0.id.clone())
    }
    async fn state(&self) -> async_graphql::Result<VisitState> {
        Ok(self.0.state)
    }
    async fn task_id(&self) -> ID {
        ID(self.0.task_id.clone())
    }
    async fn wave_id(&self) -> ID {
        ID(self.0.wave_id.clone())
    }
    async fn wave_name(&self) -> &str {
        &self.0.wave_name
    }
    /// The wave's instructions and rules, and the questionnaire this visit answers.
    async fn brief(&self, ctx: &Context<'_>) -> async_graphql::Result<super::waves::TaskBrief> {
        let wave = super::waves::brief_wave(ctx, &self.0.wave_id).await?;
        Ok(super::waves::TaskBrief {
            wave,
            checklist_version_id: self.0.checklist_version_id.clone(),
        })
    }
    async fn venue_id(&self) -> ID {
        ID(self.0.venue_id.clone())
    }
    async fn venue_name(&self) -> &str {
        &self.0.venue_name
    }
    async fn venue_location(&self) -> GeoPoint {
        GeoPoint {
            lat: self.0.venue_lat,
            lon: self.0.venue_lon,
        }
    }
    async fn geofence_m(&self) -> i64 {
        self.0.geofence_m
    }
    /// The shopper (not shown to client viewers).
    async fn shopper_id(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<ID>> {
        Ok((self.viewer(ctx)? != Viewer::Client).then(|| ID(self.0.shopper_id.clone())))
    }
    /// The shopper's full name (not shown to client viewers).
    async fn shopper_name(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<&str>> {
        Ok((self.viewer(ctx)? != Viewer::Client).then_some(self.0.shopper_name.as_str()))
    }
    /// Device time of the check-in that started the visit.
    async fn checked_in_at(&self) -> DateTime<Utc> {
        from_ms(self.0.checkin_device_at)
    }
    /// Server time of that check-in (a large gap to the device time is flagged).
    async fn checked_in_server_at(&self) -> DateTime<Utc> {
        from_ms(self.0.checkin_server_at)
    }
    /// Every check-in attempt on the task, failed ones too (not shown to client viewers).
    async fn check_in_attempts(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<CheckInAttempt>> {
        if self.viewer(ctx)? == Viewer::Client {
            return Ok(Vec::new());
        }
        Ok(visits(ctx)
            .attempts(&self.0)
            .await?
            .into_iter()
            .map(Into::into)
            .collect())
    }
    /// The check-in that started the visit, with its verdict (not shown to client viewers).
    async fn started_by(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<CheckInAttempt>> {
        if self.viewer(ctx)? == Viewer::Client {
            return Ok(None);
        }
        Ok(visits(ctx)
            .attempts(&self.0)
            .await?
            .into_iter()
            .find(|a| a.id == self.0.checkin_attempt_id)
            .map(Into::into))
    }
    async fn check_out(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<CheckOutView>> {
        if self.viewer(ctx)? == Viewer::Client {
            return Ok(None);
        }
        let v = &self.0;
        Ok(
            match (
                v.checkout_lat,
                v.checkout_lon,
                v.checkout_device_at,
                v.checkout_server_at,
            ) {
                (Some(lat), Some(lon), Some(device), Some(server)) => Some(CheckOutView {
                    position: GeoPoint { lat, lon },
                    accuracy_m: v.checkout_accuracy_m.unwrap_or(0.0),
                    device_time: from_ms(device),
                    server_time: from_ms(server),
                }),
                _ => None,
            },
        )
    }
    /// Check-in to check-out, by device times.
    async fn duration_minutes(&self) -> Option<f64> {
        self.0
            .checkout_device_at
            .map(|out| ((out - self.0.checkin_device_at) as f64 / 60_000.0 * 10.0).round() / 10.0)
    }
    /// Answers by question code (photo questions count their photos once submitted).
    async fn answers(&self) -> Json<serde_json::Value> {
        Json(self.0.answers())
    }
    /// 0–100, computed at submission.
    async fn score(&self) -> Option<f64> {
        self.0.score
    }
    async fn submitted_at(&self) -> Option<DateTime<Utc>> {
        self.0.submitted_at.map(from_ms)
    }
    async fn decided_at(&self) -> Option<DateTime<Utc>> {
        self.0.decided_at.map(from_ms)
    }
    async fn photos(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Photo>> {
        let viewer = self.viewer(ctx)?;
        Ok(visits(ctx)
            .photos(&self.0.id)
            .await?
            .into_iter()
            .map(|record| Photo { record, viewer })
            .collect())
    }
    /// Signs that the shopper holds several accounts (shared IBAN, phone number or phone): reviewers only.
    async fn shopper_signals(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<super::accounts::ShopperSignalView>> {
        if self.viewer(ctx)? != Viewer::Reviewer {
            return Ok(Vec::new());
        }
        super::accounts::shopper_signals(ctx, &self.0.shopper_id).await
    }
    /// Raised at submission, most severe first.
    async fn flags(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<VisitFlag>> {
        let viewer = self.viewer(ctx)?;
        let mut flags = Vec::new();
        for f in visits(ctx).flags(&self.0.id).await? {
            let f: FlagRecord = f;
            flags.push(VisitFlag {
                code: FlagCode::parse(&f.code).map_err(AppError::from)?,
                severity: Severity::parse(&f.severity).map_err(AppError::from)?,
                message: super::words(&crate::domain::Msg::stored(&f.message)),
                other_visit_id: f.other_visit_id.filter(|_| viewer == Viewer::Reviewer).map(ID),
            });
        }
        Ok(flags)
    }
    /// Submissions and decisions with their reasons and comments.
    async fn history(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<VisitEventView>> {
        let viewer = self.viewer(ctx)?;
        Ok(visits(ctx)
            .events(&self.0.id)
            .await?
            .into_iter()
            .map(|e: VisitEvent| VisitEventView {
                action: e.action,
                actor_id: e.actor_id.filter(|_| viewer == Viewer::Reviewer).map(ID),
                reason: e.reason,
                comments: e
                    .comments
                    .and_then(|c| serde_json::from_str::<Vec<ReviewComment>>(&c).ok())
                    .unwrap_or_default()
                    .into_iter()
                    .map(|c| ReviewCommentView {
                        question_code: c.question_code,
                        comment: c.comment,
                    })
                    .collect(),
                at: from_ms(e.at),
            })
            .collect())
    }
}

#[derive(Default)]
pub struct VisitQuery;

#[Object]
impl VisitQuery {
    /// One visit: one's own, any (reviewers), or an approved visit of one's client (client viewers).
    #[graphql(guard = "Require(Permission::ReadVisits)")]
    async fn visit(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Visit> {
        Ok(Visit(visits(ctx).visit(actor(ctx)?, &id).await?))
    }

    /// The photo types this service reads (content types): `image/jpeg`, `image/png`, `image/webp`, and
    /// `image/heic` where it is built with libheif. The app sends a HEIC photo as it is (with its EXIF) to a
    /// service that reads it, and otherwise converts it (or, where the phone cannot, says which camera setting
    /// to change).
    #[graphql(guard = "Require(Permission::DoVisits)")]
    async fn photo_types(&self) -> Vec<&'static str> {
        crate::evidence::photo_types().to_vec()
    }

    /// The shopper's own visit on a task, in whatever state the server holds it (check-in, answers, photos,
    /// check-out, submission, review): the truth a phone converges to. `null` when the task has no visit of theirs.
    #[graphql(guard = "Require(Permission::DoVisits)")]
    async fn my_visit(&self, ctx: &Context<'_>, task_id: ID) -> async_graphql::Result<Option<Visit>> {
        Ok(visits(ctx).my_visit_of_task(actor(ctx)?, &task_id).await?.map(Visit))
    }

    /// The shopper's own visits, newest first.
    #[graphql(guard = "Require(Permission::DoVisits)")]
    async fn my_visits(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<List<Visit>> {
        let (limit, offset) = (page_size(first)?, decode_offset(after.as_deref())?);
        let page = visits(ctx).my_visits(actor(ctx)?, limit, offset).await?;
        Ok(offset_page(page, offset, Visit))
    }

    /// Visits to review (SUBMITTED by default), oldest submission first, by wave, oblast, flag and age.
    #[graphql(guard = "Require(Permission::ReviewVisits)")]
    #[allow(clippy::too_many_arguments)]
    async fn review_queue(
        &self,
        ctx: &Context<'_>,
        wave_id: Option<ID>,
        oblast: Option<String>,
        flag: Option<FlagCode>,
        #[graphql(desc = "Only visits submitted at least this many hours ago.")] min_age_hours: Option<i64>,
        state: Option<VisitState>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<List<Visit>> {
        let (limit, offset) = (page_size(first)?, decode_offset(after.as_deref())?);
        let filter = QueueFilter {
            wave_id: wave_id.map(|w| w.0),
            oblast: oblast.map(|o| crate::domain::normalize_apostrophes(o.trim())),
            flag: flag.map(|f| f.as_str().to_string()),
            min_age_hours,
            state: state.map(|s| s.as_str().to_string()),
        };
        let page = visits(ctx).queue(&filter, limit, offset).await?;
        Ok(offset_page(page, offset, Visit))
    }
}

/// A position reported by the phone.
#[derive(InputObject)]
pub struct CheckInInput {
    pub task_id: ID,
    /// Generated on the phone once per check-in; resending it returns the first result.
    pub client_id: String,
    pub lat: f64,
    pub lon: f64,
    /// The reported accuracy radius, metres.
    pub accuracy_m: f64,
    /// The phone's clock at check-in (visits done offline are sent later with their own times).
    pub device_time: DateTime<Utc>,
    /// What the OS says about a simulated location.
    #[graphql(default)]
    pub mock_location: bool,
    /// The app's own id of this phone (random, kept in the app's storage); one phone used by several accounts
    /// is shown to coordinators.
    pub device_id: Option<String>,
}

/// What the app's own camera view sends with its photo: a capture token and the phone's fix at that moment.
#[derive(InputObject)]
#[graphql(name = "CaptureInput")]
pub struct CaptureInputGql {
    /// From `requestCaptureTokens`; each is spent on one photo.
    pub token: String,
    pub lat: f64,
    pub lon: f64,
    pub accuracy_m: f64,
    /// The phone's clock when the photo was taken.
    pub device_time: DateTime<Utc>,
}

/// Where and when the phone was when the app's camera took a photo.
#[derive(SimpleObject)]
pub struct PhotoCaptureView {
    pub position: GeoPoint,
    pub accuracy_m: f64,
    pub taken_at: DateTime<Utc>,
    /// Why the file's own EXIF contradicts this, when it does (a CAPTURE_MISMATCH flag).
    pub exif_disagrees: Option<String>,
}

/// A single-use token for one live capture.
#[derive(SimpleObject)]
pub struct CaptureTokenView {
    pub token: String,
    pub expires_at: DateTime<Utc>,
}

#[derive(InputObject)]
pub struct CheckOutInput {
    pub lat: f64,
    pub lon: f64,
    pub accuracy_m: f64,
    pub device_time: DateTime<Utc>,
}

#[derive(Default)]
pub struct VisitMutation;

#[Object]
impl VisitMutation {
    /// Checks in on a task the shopper holds. Every attempt is recorded; see `accepted`.
    #[graphql(guard = "Require(Permission::DoVisits)")]
    async fn check_in(&self, ctx: &Context<'_>, input: CheckInInput) -> async_graphql::Result<CheckInResult> {
        let outcome = visits(ctx)
            .check_in(
                actor(ctx)?,
                CheckIn {
                    task_id: input.task_id.0,
                    client_id: input.client_id,
                    lat: input.lat,
                    lon: input.lon,
                    accuracy_m: input.accuracy_m,
                    device_at: input.device_time.timestamp_millis(),
                    mock_location: input.mock_location,
                    device_id: input.device_id,
                },
            )
            .await?;
        Ok(CheckInResult {
            accepted: outcome.visit.is_some(),
            attempt: outcome.attempt.into(),
            visit: outcome.visit.map(Visit),
        })
    }

    /// Saves answers into the draft (merged by question code; `null` removes an answer). Checked against the
    /// checklist version as they arrive.
    #[graphql(guard = "Require(Permission::DoVisits)")]
    async fn save_visit_answers(
        &self,
        ctx: &Context<'_>,
        visit_id: ID,
        answers: Json<serde_json::Value>,
    ) -> async_graphql::Result<Visit> {
        Ok(Visit(
            visits(ctx).save_answers(actor(ctx)?, &visit_id, answers.0).await?,
        ))
    }

    /// Capture tokens for photos the app's own camera takes during this visit (1–20, single use, valid for
    /// `photos.capture_token_minutes`). Ask right after check-in, while online.
    #[graphql(guard = "Require(Permission::DoVisits)")]
    async fn request_capture_tokens(
        &self,
        ctx: &Context<'_>,
        visit_id: ID,
        #[graphql(default = 5)] count: i64,
    ) -> async_graphql::Result<Vec<CaptureTokenView>> {
        Ok(visits(ctx)
            .request_capture_tokens(actor(ctx)?, &visit_id, count)
            .await?
            .into_iter()
            .map(|t| CaptureTokenView {
                token: t.token,
                expires_at: from_ms(t.expires_at),
            })
            .collect())
    }

    /// Uploads a photo for a photo question, or the receipt with its amount (multipart request). Resending the
    /// same `clientId` returns the stored photo.
    #[graphql(guard = "Require(Permission::DoVisits)")]
    #[allow(clippy::too_many_arguments)]
    async fn upload_visit_photo(
        &self,
        ctx: &Context<'_>,
        visit_id: ID,
        client_id: String,
        question_code: Option<String>,
        receipt_kopiykas: Option<i64>,
        file: Upload,
        #[graphql(desc = "`LIVE_CAMERA` with its `capture`, or `GALLERY` (the default)")] source: Option<PhotoSource>,
        capture: Option<CaptureInputGql>,
    ) -> async_graphql::Result<Photo> {
        let actor = actor(ctx)?;
        let upload = file
            .value(ctx)
            .map_err(|e| AppError::bad_input("file", crate::msg!("file-unreadable", detail = e.to_string())))?;
        let record = visits(ctx)
            .upload_photo(
                actor,
                &visit_id,
                NewPhoto {
                    client_id,
                    question_code,
                    receipt_kopiykas,
                    file: upload.content,
                    source: source.unwrap_or_default(),
                    capture: capture.map(|c| CaptureInput {
                        token: c.token,
                        lat: c.lat,
                        lon: c.lon,
                        accuracy_m: c.accuracy_m,
                        device_at: c.device_time.timestamp_millis(),
                    }),
                },
            )
            .await?;
        Ok(Photo {
            record,
            viewer: Viewer::Owner,
        })
    }

    /// Records leaving the venue.
    #[graphql(guard = "Require(Permission::DoVisits)")]
    async fn check_out(&self, ctx: &Context<'_>, visit_id: ID, input: CheckOutInput) -> async_graphql::Result<Visit> {
        let out = CheckOut {
            lat: input.lat,
            lon: input.lon,
            accuracy_m: input.accuracy_m,
            device_at: input.device_time.timestamp_millis(),
        };
        Ok(Visit(visits(ctx).check_out(actor(ctx)?, &visit_id, out).await?))
    }

    /// Submits the visit for review: the checklist must be complete; the score and flags are computed.
    #[graphql(guard = "Require(Permission::DoVisits)")]
    async fn submit_visit(&self, ctx: &Context<'_>, visit_id: ID) -> async_graphql::Result<Visit> {
        Ok(Visit(visits(ctx).submit(actor(ctx)?, &visit_id).await?))
    }

    /// Approves, rejects (reason required) or returns a submitted visit for correction (with comments per
    /// question). Approval is recorded once, for the payout ledger.
    #[graphql(guard = "Require(Permission::ReviewVisits)")]
    async fn review_visit(
        &self,
        ctx: &Context<'_>,
        visit_id: ID,
        decision: Decision,
        reason: Option<String>,
        comments: Option<Vec<ReviewCommentView>>,
    ) -> async_graphql::Result<Visit> {
        let comments = comments
            .unwrap_or_default()
            .into_iter()
            .map(|c| ReviewComment {
                question_code: c.question_code,
                comment: c.comment,
            })
            .collect();
        Ok(Visit(
            visits(ctx)
                .review(actor(ctx)?, &visit_id, decision, reason, comments)
                .await?,
        ))
    }
}
