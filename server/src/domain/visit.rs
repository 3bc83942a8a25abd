//! Visits: the check-in geo verdict, the wave's visit rules, and the flags a reviewer sees. Pure: no I/O.
//!
//! # The check-in rule
//!
//! A phone reports a position with an accuracy radius (metres, 68 % confidence on Android and iOS). The shopper
//! is **inside** the venue's geofence when `distance − min(accuracy, 50 m) ≤ geofence radius`: a poor fix gets
//! the benefit of the doubt only up to 50 m, so a 2 km "accuracy" never puts someone at home inside. The fix is
//! **acceptable** when its accuracy is at most the wave's `maxAccuracyM` (default 100 m). The visit is **in the
//! visiting window** when the device time, in Europe/Kyiv, falls inside the wave's visiting windows (or, when the
//! wave has none, the venue's opening hours; a venue without hours is always in its window). A reported mock
//! location always fails. The check-in **passes** when all four hold; the wave decides whether a failed check-in
//! blocks the visit (`failedCheckinBlocks`) or only flags it.

use chrono::{Datelike, TimeZone, Timelike};
use serde::{Deserialize, Serialize};

use super::venue::{distance_m, OpeningHours, Weekday};
use super::UnknownValue;

pub use super::flags::{flags, Flag, FlagCode, PhotoCheck, PreviousVisit, Severity, Verdict, VisitFacts};

/// Poor accuracy is allowed for up to this many metres.
pub const ACCURACY_ALLOWANCE_CAP_M: f64 = 50.0;
/// Device and server clocks further apart than this at check-in raise a flag (an offline visit synced later,
/// or a wrong clock).
pub const DEVICE_TIME_GAP_MINUTES: i64 = 15;

/// A wave's rules for its visits (stored as JSON; every field has a default).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct VisitRules {
    /// A failed check-in stops the visit (otherwise it goes ahead with flags).
    pub failed_checkin_blocks: bool,
    /// The worst acceptable GPS accuracy, metres.
    pub max_accuracy_m: f64,
    /// Shorter visits are flagged.
    pub min_minutes: u32,
    /// Longer visits are flagged.
    pub max_minutes: u32,
    /// Submissions later than this after check-out are flagged.
    pub submit_within_hours: u32,
    /// A photo may be taken this long before check-in or after check-out.
    pub photo_time_tolerance_minutes: u32,
    /// Photo GPS may lie this far outside the geofence (photo fixes carry no accuracy).
    pub photo_gps_slack_m: f64,
    /// Faster travel between one shopper's consecutive visits is flagged as impossible.
    pub max_travel_kmh: f64,
    /// Photo questions (codes) whose photos must come from the app's own camera (a live capture); a gallery
    /// photo for them is refused.
    pub live_capture_questions: Vec<String>,
}

impl Default for VisitRules {
    fn default() -> Self {
        Self {
            failed_checkin_blocks: false,
            max_accuracy_m: 100.0,
            min_minutes: 5,
            max_minutes: 240,
            submit_within_hours: 48,
            photo_time_tolerance_minutes: 30,
            photo_gps_slack_m: 100.0,
            max_travel_kmh: 150.0,
            live_capture_questions: Vec::new(),
        }
    }
}

impl VisitRules {
    pub fn from_json(text: &str) -> Self {
        serde_json::from_str(text).unwrap_or_default()
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{}".into())
    }

    /// Checks ranges; `field` prefixes the error path (e.g. `visitRules`).
    pub fn validate(&self, field: &str) -> Result<(), super::ValidationError> {
        let err = |name: &str, why: super::Msg| Err(super::ValidationError::new(format!("{field}.{name}"), why));
        if !(5.0..=5_000.0).contains(&self.max_accuracy_m) {
            return err("maxAccuracyM", crate::msg!("metres-range", min = 5, max = 5000));
        }
        if self.max_minutes == 0 || self.min_minutes >= self.max_minutes || self.max_minutes > 24 * 60 {
            return err("maxMinutes", crate::msg!("rules-max-minutes"));
        }
        if self.submit_within_hours == 0 || self.submit_within_hours > 24 * 30 {
            return err("submitWithinHours", crate::msg!("hours-range", min = 1, max = 720));
        }
        if self.photo_time_tolerance_minutes > 24 * 60 {
            return err(
                "photoTimeToleranceMinutes",
                crate::msg!("whole-number-range", min = 0, max = 1440),
            );
        }
        if !(0.0..=5_000.0).contains(&self.photo_gps_slack_m) {
            return err("photoGpsSlackM", crate::msg!("metres-range", min = 0, max = 5000));
        }
        if !(10.0..=1_000.0).contains(&self.max_travel_kmh) {
            return err("maxTravelKmh", crate::msg!("kmh-range", min = 10, max = 1000));
        }
        Ok(())
    }
}

/// What the phone reported at check-in.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fix {
    pub lat: f64,
    pub lon: f64,
    pub accuracy_m: f64,
    /// Device time, ms since the epoch.
    pub device_at: i64,
    pub mock_location: bool,
}

/// The venue as the check-in rule needs it.
#[derive(Debug, Clone)]
pub struct Place {
    pub lat: f64,
    pub lon: f64,
    pub geofence_m: f64,
    /// The wave's visiting windows, else the venue's opening hours (empty: always open).
    pub window: OpeningHours,
    /// The venue's time zone, in which the window is read.
    pub zone: chrono_tz::Tz,
}

/// The server's judgement of a check-in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GeoVerdict {
    pub distance_m: f64,
    pub geofence_m: f64,
    pub accuracy_m: f64,
    pub inside_geofence: bool,
    pub accuracy_ok: bool,
    pub in_visiting_window: bool,
    pub mock_location: bool,
    pub passed: bool,
    /// Why it failed, for the shopper (empty when it passed).
    pub reasons: Vec<super::Msg>,
}

impl GeoVerdict {
    pub fn evaluate(fix: &Fix, place: &Place, rules: &VisitRules) -> Self {
        let distance_m = distance_m(fix.lat, fix.lon, place.lat, place.lon);
        let allowance = fix.accuracy_m.min(ACCURACY_ALLOWANCE_CAP_M);
        let inside_geofence = distance_m - allowance <= place.geofence_m;
        let accuracy_ok = fix.accuracy_m <= rules.max_accuracy_m;
        let in_visiting_window = in_window(&place.window, fix.device_at, place.zone);
        let mut reasons = Vec::new();
        if !inside_geofence {
            reasons.push(crate::msg!(
                "checkin-too-far",
                distance_m = distance_m.round(),
                geofence_m = place.geofence_m.round(),
            ));
        }
        if !accuracy_ok {
            reasons.push(crate::msg!(
                "checkin-inaccurate",
                accuracy_m = fix.accuracy_m.round(),
                max_m = rules.max_accuracy_m.round(),
            ));
        }
        if !in_visiting_window {
            reasons.push(crate::msg!("checkin-outside-hours"));
        }
        if fix.mock_location {
            reasons.push(crate::msg!("checkin-mock-location"));
        }
        Self {
            distance_m: (distance_m * 10.0).round() / 10.0,
            geofence_m: place.geofence_m,
            accuracy_m: fix.accuracy_m,
            inside_geofence,
            accuracy_ok,
            in_visiting_window,
            mock_location: fix.mock_location,
            passed: reasons.is_empty(),
            reasons,
        }
    }
}

/// Is `at` (ms since the epoch) inside the window, read in the venue's zone? An empty window is always open.
pub fn in_window(window: &OpeningHours, at: i64, zone: chrono_tz::Tz) -> bool {
    if window.intervals().is_empty() {
        return true;
    }
    let Some(utc) = chrono::Utc.timestamp_millis_opt(at).single() else {
        return false;
    };
    let local = utc.with_timezone(&zone);
    let weekday = match local.weekday() {
        chrono::Weekday::Mon => Weekday::Mon,
        chrono::Weekday::Tue => Weekday::Tue,
        chrono::Weekday::Wed => Weekday::Wed,
        chrono::Weekday::Thu => Weekday::Thu,
        chrono::Weekday::Fri => Weekday::Fri,
        chrono::Weekday::Sat => Weekday::Sat,
        chrono::Weekday::Sun => Weekday::Sun,
    };
    window.is_open(weekday, (local.hour() * 60 + local.minute()) as u16)
}

/// Where a visit stands: in progress → submitted → approved or rejected; a submitted visit may be returned for
/// correction (then in progress again in all but name: it is edited and submitted anew).
#[derive(async_graphql::Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum VisitState {
    InProgress,
    Submitted,
    /// Sent back to the shopper for correction.
    Returned,
    Approved,
    Rejected,
}

impl VisitState {
    pub const ALL: [VisitState; 5] = [
        VisitState::InProgress,
        VisitState::Submitted,
        VisitState::Returned,
        VisitState::Approved,
        VisitState::Rejected,
    ];

    /// The stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            VisitState::InProgress => "IN_PROGRESS",
            VisitState::Submitted => "SUBMITTED",
            VisitState::Returned => "RETURNED",
            VisitState::Approved => "APPROVED",
            VisitState::Rejected => "REJECTED",
        }
    }

    /// The stored form back; anything else is an error, never a default.
    pub fn parse(text: &str) -> Result<Self, UnknownValue> {
        Self::ALL
            .into_iter()
            .find(|s| s.as_str() == text)
            .ok_or_else(|| UnknownValue::new("visit state", text))
    }

    /// May the shopper still change answers, photos and check-out?
    pub fn editable(self) -> bool {
        matches!(self, VisitState::InProgress | VisitState::Returned)
    }

    /// What may follow what: submission from an editable visit; a reviewer's decision on a submitted one; an
    /// approval revoked (a clawback) makes it rejected.
    pub fn may_become(self, next: VisitState) -> bool {
        use VisitState::*;
        matches!(
            (self, next),
            (InProgress | Returned, Submitted) | (Submitted, Approved | Rejected | Returned) | (Approved, Rejected)
        )
    }
}

impl TryFrom<String> for VisitState {
    type Error = UnknownValue;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        VisitState::parse(&text)
    }
}

/// Every change of a visit's state after check-in (which creates it in progress), named after the operation,
/// with the change its task makes alongside ([`VisitMove::task_move`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VisitMove {
    /// The shopper submits a checked-out visit (first time, or after a return).
    Submit,
    /// A reviewer approves: the ledger posts the earning once.
    Approve,
    /// A reviewer rejects, with a reason.
    Reject,
    /// A reviewer returns it for correction, with comments.
    Return,
    /// An approval is revoked later (fraud found): the earning is clawed back.
    Revoke,
}

impl VisitMove {
    pub const ALL: [VisitMove; 5] = [
        VisitMove::Submit,
        VisitMove::Approve,
        VisitMove::Reject,
        VisitMove::Return,
        VisitMove::Revoke,
    ];

    /// The states this move starts from.
    pub fn from(self) -> &'static [VisitState] {
        match self {
            VisitMove::Submit => &[VisitState::InProgress, VisitState::Returned],
            VisitMove::Approve | VisitMove::Reject | VisitMove::Return => &[VisitState::Submitted],
            VisitMove::Revoke => &[VisitState::Approved],
        }
    }

    /// The state this move ends in.
    pub fn to(self) -> VisitState {
        match self {
            VisitMove::Submit => VisitState::Submitted,
            VisitMove::Approve => VisitState::Approved,
            VisitMove::Reject | VisitMove::Revoke => VisitState::Rejected,
            VisitMove::Return => VisitState::Returned,
        }
    }

    /// The change the visit's task makes in the same transaction.
    pub fn task_move(self) -> super::task::TaskMove {
        use super::task::TaskMove;
        match self {
            VisitMove::Submit => TaskMove::Submit,
            VisitMove::Approve => TaskMove::Approve,
            VisitMove::Reject => TaskMove::Reject,
            VisitMove::Return => TaskMove::Return,
            VisitMove::Revoke => TaskMove::Revoke,
        }
    }

    /// May this move start from `state`?
    pub fn applies_to(self, state: VisitState) -> bool {
        self.from().contains(&state)
    }

    /// The starting states as an SQL list of literals, for a conditional `UPDATE … WHERE state IN (…)`.
    pub fn from_sql(self) -> String {
        super::sql_literals(self.from().iter().map(|s| s.as_str()))
    }
}

/// Judges a photo against its venue (lat, lon, geofence m), the wave's rules and the visit's span (device times):
/// its EXIF facts always, and a live-camera photo's fix at capture, which decides when there is one.
pub fn judge_photo(
    stored: &super::photo::StoredExif,
    venue: (f64, f64, f64),
    rules: &VisitRules,
    (from, to): (i64, i64),
) -> super::photo::Judged {
    use super::photo::{capture_disagreement, capture_verdicts, verdicts};
    let tolerance = rules.photo_time_tolerance_minutes;
    let slack = rules.photo_gps_slack_m;
    super::photo::Judged {
        exif: verdicts(&stored.facts, venue, slack, from, to, tolerance),
        capture: stored
            .capture
            .as_ref()
            .map(|fix| capture_verdicts(fix, venue, slack, from, to, tolerance)),
        mismatch: stored
            .capture
            .as_ref()
            .and_then(|fix| capture_disagreement(&stored.facts, fix)),
    }
}

/// The task a shopper checks in on, as the store holds it.
#[derive(Debug, Clone)]
pub struct CheckInTask {
    pub state: super::task::TaskState,
    pub holder: Option<String>,
    pub wave_status: super::wave::WaveStatus,
    pub place: Place,
    pub rules: VisitRules,
}

/// Why a check-in cannot even be judged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CheckInRefusal {
    /// Not a task this shopper holds (told as "not found").
    NotTheirs,
    /// Offered, not yet accepted.
    OfferNotAccepted,
    /// The task has its visit already.
    AlreadyVisited,
    /// The wave is not running.
    WaveNotRunning(super::wave::WaveStatus),
}

impl CheckInRefusal {
    pub fn message(&self) -> super::Msg {
        match self {
            CheckInRefusal::NotTheirs => crate::msg!("not-found", what = "task"),
            CheckInRefusal::OfferNotAccepted => crate::msg!("checkin-offer-not-accepted"),
            CheckInRefusal::AlreadyVisited => crate::msg!("checkin-already-visited"),
            CheckInRefusal::WaveNotRunning(status) => crate::msg!("checkin-wave-not-running", status = status.as_str()),
        }
    }
}

/// What a check-in decides: its verdict (always recorded) and whether the visit starts (it passed, or the wave
/// only flags failed check-ins).
#[derive(Debug, Clone, PartialEq)]
pub struct CheckInDecision {
    pub verdict: GeoVerdict,
    pub starts: bool,
}

/// Decides a check-in (pure): on a task this shopper holds, claimed or assigned, in a running wave; the fix
/// judged against the venue.
pub fn decide_check_in(task: &CheckInTask, shopper_id: &str, fix: &Fix) -> Result<CheckInDecision, CheckInRefusal> {
    use super::task::{TaskMove, TaskState};
    if task.holder.as_deref() != Some(shopper_id) {
        return Err(CheckInRefusal::NotTheirs);
    }
    match task.state {
        state if TaskMove::CheckIn.applies_to(state) => {}
        TaskState::Offered => return Err(CheckInRefusal::OfferNotAccepted),
        _ => return Err(CheckInRefusal::AlreadyVisited),
    }
    if task.wave_status != super::wave::WaveStatus::Launched {
        return Err(CheckInRefusal::WaveNotRunning(task.wave_status));
    }
    let verdict = GeoVerdict::evaluate(fix, &task.place, &task.rules);
    let starts = verdict.passed || !task.rules.failed_checkin_blocks;
    Ok(CheckInDecision { verdict, starts })
}

/// A photo of a visit as submission sees it: what the store holds of it, and the earlier photo it copies, if a
/// search at submission found one.
#[derive(Debug, Clone)]
pub struct SubmittedPhoto {
    pub id: String,
    pub question_code: Option<String>,
    pub stored: super::photo::StoredExif,
    pub duplicate: Option<super::photo::DuplicateOf>,
}

/// An earlier visit of the same venue by the same shopper: when it began, and the wave's cool-off.
#[derive(Debug, Clone)]
pub struct EarlierVisit {
    pub visit_id: String,
    pub checkin_device_at: i64,
    pub cooloff_days: i64,
}

/// Everything submitting a visit decides from, loaded in the submission's transaction.
#[derive(Debug, Clone)]
pub struct SubmissionFacts<'a> {
    pub definition: &'a super::checklist::ChecklistDefinition,
    /// The answers as stored (photo questions not yet counted).
    pub answers: super::checklist::Answers,
    pub photos: &'a [SubmittedPhoto],
    /// The venue: lat, lon, geofence (m).
    pub venue: (f64, f64, f64),
    pub rules: &'a VisitRules,
    pub checkin: &'a GeoVerdict,
    pub checkin_device_at: i64,
    pub checkin_server_at: i64,
    pub checkout_device_at: i64,
    pub previous: Option<PreviousVisit>,
    pub conflict: Option<super::flags::DeclaredConflict>,
    pub earlier: Option<EarlierVisit>,
}

/// A photo as submission judged it: its stored facts with the verdict notes and the duplicate, and the verdicts.
#[derive(Debug, Clone)]
pub struct JudgedPhoto {
    pub id: String,
    pub stored: super::photo::StoredExif,
    pub gps: Verdict,
    pub time: Verdict,
    pub duplicate_of: Option<String>,
}

/// What a submission writes.
#[derive(Debug, Clone)]
pub struct Submission {
    /// The photo questions' answers (`{"photos": n}` by code), added to the stored answers.
    pub photo_answers: serde_json::Map<String, serde_json::Value>,
    pub score: Option<f64>,
    pub photos: Vec<JudgedPhoto>,
    pub flags: Vec<Flag>,
}

/// Decides a submission (pure; `now` passed in): photo questions answered by their photos, every visible
/// required question answered, the score, each photo judged against the whole visit's span, and the flags.
pub fn decide_submission(f: SubmissionFacts<'_>, now: i64) -> Result<Submission, super::ValidationError> {
    let mut answers = f.answers;
    let mut counts: std::collections::HashMap<String, u32> = std::collections::HashMap::new();
    for p in f.photos {
        if let Some(code) = &p.question_code {
            *counts.entry(code.clone()).or_default() += 1;
        }
    }
    let photo_answers = f.definition.answer_photo_questions(&mut answers, &counts)?;
    f.definition.check_answers(&answers, true)?;
    let score = f.definition.score(&answers);
    let span = (f.checkin_device_at, f.checkout_device_at);
    let mut checks = Vec::with_capacity(f.photos.len());
    let mut photos = Vec::with_capacity(f.photos.len());
    for (i, p) in f.photos.iter().enumerate() {
        let mut stored = p.stored.clone();
        stored.set_duplicate(p.duplicate.as_ref());
        let judged = judge_photo(&stored, f.venue, f.rules, span);
        let v = judged.effective().clone();
        stored.capture_mismatch = judged.mismatch.clone();
        checks.push(PhotoCheck {
            label: match &p.question_code {
                Some(code) => crate::msg!("photo-label", n = i + 1, question = code),
                None => crate::msg!("photo-label-receipt", n = i + 1),
            },
            gps: judged.exif.gps,
            gps_note: judged.exif.gps_note.clone(),
            time: judged.exif.time,
            time_note: judged.exif.time_note.clone(),
            duplicate: p.duplicate.clone(),
            capture: judged.capture.clone(),
            mismatch: judged.mismatch.clone(),
            before_token: stored.capture.is_some_and(|c| c.taken_before_token()),
        });
        photos.push(JudgedPhoto {
            id: p.id.clone(),
            stored: super::photo::StoredExif {
                gps_verdict_note: v.gps_note.clone(),
                time_verdict_note: v.time_note.clone(),
                ..stored
            },
            gps: v.gps,
            time: v.time,
            duplicate_of: p.duplicate.as_ref().map(|d| d.photo_id.clone()),
        });
    }
    // An earlier visit of this venue inside the wave's cool-off (possible only by an override).
    let repeat = f.earlier.and_then(|e| {
        let days_before = (f.checkin_device_at - e.checkin_device_at) / 86_400_000;
        (days_before < e.cooloff_days).then_some(super::flags::RepeatVisit {
            visit_id: e.visit_id,
            days_before,
            cooloff_days: e.cooloff_days,
        })
    });
    let flags = flags(&VisitFacts {
        rules: f.rules,
        checkin: f.checkin,
        checkin_device_at: f.checkin_device_at,
        checkin_server_at: f.checkin_server_at,
        checkout_device_at: Some(f.checkout_device_at),
        venue_lat: f.venue.0,
        venue_lon: f.venue.1,
        submitted_at: now,
        photos: &checks,
        previous: f.previous,
        conflict: f.conflict,
        repeat,
    });
    Ok(Submission {
        photo_answers,
        score,
        photos,
        flags,
    })
}

/// What a photo is evidence of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhotoKind {
    /// The answer to a photo question.
    Question,
    /// The receipt, with its amount.
    Receipt,
}

impl PhotoKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PhotoKind::Question => "QUESTION",
            PhotoKind::Receipt => "RECEIPT",
        }
    }
}

/// What an upload says a photo is.
#[derive(Debug, Clone, Copy)]
pub struct PhotoClaim<'a> {
    pub question_code: Option<&'a str>,
    pub receipt_kopiykas: Option<i64>,
    pub source: super::photo::PhotoSource,
    /// A capture (token, fix) came with it.
    pub has_capture: bool,
}

/// Decides what a photo is (pure): a photo question of this questionnaire, or the receipt with an amount in
/// range; a live-camera photo comes with its capture and a gallery photo without; a question the wave wants
/// taken with the app's camera refuses a gallery photo. Every refusal names its field.
pub fn photo_kind(
    definition: &super::checklist::ChecklistDefinition,
    rules: &VisitRules,
    claim: PhotoClaim<'_>,
) -> Result<PhotoKind, super::ValidationError> {
    use super::photo::PhotoSource;
    use super::ValidationError;
    let kind = match (claim.question_code, claim.receipt_kopiykas) {
        (Some(code), None) => match definition.question(code).map(|q| &q.kind) {
            Some(super::checklist::QuestionKind::Photo { .. }) => PhotoKind::Question,
            Some(_) => {
                return Err(ValidationError::new(
                    "questionCode",
                    crate::msg!("photo-not-photo-question"),
                ))
            }
            None => return Err(ValidationError::new("questionCode", crate::msg!("question-unknown"))),
        },
        (None, Some(amount)) if (0..=100_000_000).contains(&amount) => PhotoKind::Receipt,
        (None, Some(_)) => {
            return Err(ValidationError::new(
                "receiptKopiykas",
                crate::msg!("whole-number-range", min = 0, max = 100_000_000),
            ))
        }
        (Some(_), Some(_)) => {
            return Err(ValidationError::new(
                "receiptKopiykas",
                crate::msg!("photo-receipt-or-question"),
            ))
        }
        (None, None) => {
            return Err(ValidationError::new(
                "questionCode",
                crate::msg!("photo-which-question"),
            ))
        }
    };
    match (claim.source, claim.has_capture) {
        (PhotoSource::LiveCamera, false) => Err(ValidationError::new("capture", crate::msg!("photo-capture-needed"))),
        (PhotoSource::Gallery, true) => Err(ValidationError::new("source", crate::msg!("photo-capture-is-live"))),
        (PhotoSource::Gallery, false)
            if claim
                .question_code
                .is_some_and(|code| rules.live_capture_questions.iter().any(|c| c == code)) =>
        {
            Err(ValidationError::new("source", crate::msg!("photo-live-camera-only")))
        }
        _ => Ok(kind),
    }
}

/// Why a visit in `state` that already carries `photos` may not take another (`max` per visit), if it may not:
/// asked before the file is processed and again under the visit's lock.
pub fn photo_refusal(state: VisitState, photos: i64, max: u32) -> Option<super::Msg> {
    if !state.editable() {
        Some(crate::msg!("photo-visit-not-editable", state = state.as_str()))
    } else if photos >= i64::from(max) {
        Some(crate::msg!("photo-too-many", max = max))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::{Severity, VisitMove, VisitState};

    #[test]
    fn a_check_in_is_judged_only_on_a_held_task_of_a_running_wave() {
        use super::super::task::TaskState;
        use super::super::wave::WaveStatus;
        use super::{decide_check_in, CheckInRefusal, CheckInTask, Fix, OpeningHours, Place, VisitRules};
        let task = CheckInTask {
            state: TaskState::Claimed,
            holder: Some("olena".into()),
            wave_status: WaveStatus::Launched,
            place: Place {
                lat: 49.8419,
                lon: 24.0316,
                geofence_m: 150.0,
                window: OpeningHours::default(),
                zone: chrono_tz::Europe::Kyiv,
            },
            rules: VisitRules::default(),
        };
        let at_the_door = Fix {
            lat: 49.8420,
            lon: 24.0317,
            accuracy_m: 10.0,
            device_at: 1_765_000_000_000,
            mock_location: false,
        };
        let decided = decide_check_in(&task, "olena", &at_the_door).unwrap();
        assert!(decided.verdict.passed && decided.starts);
        let far = Fix {
            lat: 50.45,
            lon: 30.52,
            ..at_the_door
        };
        let decided = decide_check_in(&task, "olena", &far).unwrap();
        assert!(!decided.verdict.passed && decided.starts != VisitRules::default().failed_checkin_blocks);
        assert_eq!(
            decide_check_in(&task, "taras", &at_the_door),
            Err(CheckInRefusal::NotTheirs)
        );
        let offered = CheckInTask {
            state: TaskState::Offered,
            ..task.clone()
        };
        assert_eq!(
            decide_check_in(&offered, "olena", &at_the_door),
            Err(CheckInRefusal::OfferNotAccepted)
        );
        let visited = CheckInTask {
            state: TaskState::Visited,
            ..task.clone()
        };
        assert_eq!(
            decide_check_in(&visited, "olena", &at_the_door),
            Err(CheckInRefusal::AlreadyVisited)
        );
        let paused = CheckInTask {
            wave_status: WaveStatus::Paused,
            ..task
        };
        let refusal = decide_check_in(&paused, "olena", &at_the_door).unwrap_err();
        assert_eq!(
            refusal.message(),
            crate::msg!("checkin-wave-not-running", status = "PAUSED")
        );
    }

    #[test]
    fn a_photo_is_a_question_s_or_the_receipt_and_its_source_is_checked() {
        use super::super::checklist::parse_definition;
        use super::super::photo::PhotoSource;
        use super::{photo_kind, photo_refusal, PhotoClaim, PhotoKind, VisitRules};
        let definition = parse_definition(
            &serde_json::json!({ "sections": [{ "code": "S", "title": { "uk": "С" }, "questions": [
                { "code": "P", "title": { "uk": "Фото" }, "type": "PHOTO", "caption": { "uk": "вхід" } },
                { "code": "Y", "title": { "uk": "Так?" }, "type": "YES_NO" }
            ]}]}),
        )
        .unwrap();
        let rules = VisitRules {
            live_capture_questions: vec!["P".into()],
            ..VisitRules::default()
        };
        let claim = |question: Option<&'static str>, receipt: Option<i64>, source, has_capture| PhotoClaim {
            question_code: question,
            receipt_kopiykas: receipt,
            source,
            has_capture,
        };
        let live = PhotoSource::LiveCamera;
        assert_eq!(
            photo_kind(&definition, &rules, claim(Some("P"), None, live, true)),
            Ok(PhotoKind::Question)
        );
        assert_eq!(
            photo_kind(&definition, &rules, claim(None, Some(4_500), live, true)),
            Ok(PhotoKind::Receipt)
        );
        for (c, field) in [
            (claim(Some("Y"), None, live, true), "questionCode"),
            (claim(Some("X"), None, live, true), "questionCode"),
            (claim(None, None, live, true), "questionCode"),
            (claim(None, Some(-1), live, true), "receiptKopiykas"),
            (claim(Some("P"), Some(1), live, true), "receiptKopiykas"),
            (claim(Some("P"), None, live, false), "capture"),
            (claim(Some("P"), None, PhotoSource::Gallery, true), "source"),
            (claim(Some("P"), None, PhotoSource::Gallery, false), "source"),
        ] {
            assert_eq!(photo_kind(&definition, &rules, c).unwrap_err().field, field, "{c:?}");
        }
        assert_eq!(photo_refusal(VisitState::InProgress, 29, 30), None);
        assert_eq!(
            photo_refusal(VisitState::InProgress, 30, 30).unwrap(),
            crate::msg!("photo-too-many", max = 30)
        );
        assert_eq!(
            photo_refusal(VisitState::Submitted, 0, 30).unwrap(),
            crate::msg!("photo-visit-not-editable", state = "SUBMITTED")
        );
    }

    #[test]
    fn every_visit_move_is_allowed_and_moves_its_task_along() {
        for mv in VisitMove::ALL {
            for &from in mv.from() {
                assert!(from.may_become(mv.to()), "{mv:?}");
            }
            let task = mv.task_move();
            assert!(task.from().iter().all(|s| s.may_become(task.to())), "{mv:?}");
        }
        for from in VisitState::ALL {
            for to in VisitState::ALL.into_iter().filter(|&to| from.may_become(to)) {
                assert!(
                    VisitMove::ALL.iter().any(|mv| mv.applies_to(from) && mv.to() == to),
                    "{from:?} → {to:?} has no named move"
                );
            }
        }
        assert_eq!(VisitMove::Submit.from_sql(), "'IN_PROGRESS', 'RETURNED'");
    }

    #[test]
    fn visit_states_follow_the_review_cycle() {
        use VisitState::*;
        let allowed: Vec<(VisitState, VisitState)> = VisitState::ALL
            .into_iter()
            .flat_map(|a| VisitState::ALL.into_iter().map(move |b| (a, b)))
            .filter(|&(a, b)| a.may_become(b))
            .collect();
        assert_eq!(
            allowed,
            [
                (InProgress, Submitted),
                (Submitted, Returned),
                (Submitted, Approved),
                (Submitted, Rejected),
                (Returned, Submitted),
                (Approved, Rejected),
            ]
        );
        assert!(InProgress.editable() && Returned.editable() && !Submitted.editable());
        for state in VisitState::ALL {
            assert_eq!(VisitState::parse(state.as_str()).unwrap(), state);
        }
        assert!(VisitState::parse("in_progress").is_err());
    }

    #[test]
    fn severities_are_stored_by_name_and_unknown_ones_are_errors() {
        for severity in Severity::ALL {
            assert_eq!(Severity::parse(severity.as_str()).unwrap(), severity);
        }
        let err = Severity::parse("Critical").unwrap_err();
        assert_eq!(err.kind, "severity");
    }

    use super::*;

    fn place() -> Place {
        Place {
            lat: 49.8397,
            lon: 24.0297,
            geofence_m: 150.0,
            window: OpeningHours::default(),
            zone: chrono_tz::Europe::Kyiv,
        }
    }

    /// A point `metres` north of the venue.
    fn north(metres: f64) -> (f64, f64) {
        (49.8397 + metres / 111_195.0, 24.0297)
    }

    fn fix(metres: f64, accuracy_m: f64) -> Fix {
        let (lat, lon) = north(metres);
        Fix {
            lat,
            lon,
            accuracy_m,
            device_at: 1_790_000_000_000,
            mock_location: false,
        }
    }

    #[test]
    fn accuracy_is_allowed_only_up_to_the_cap() {
        let rules = VisitRules::default();
        assert!(GeoVerdict::evaluate(&fix(140.0, 5.0), &place(), &rules).passed);
        // 180 m with 40 m accuracy: 180 − 40 = 140 ≤ 150.
        assert!(GeoVerdict::evaluate(&fix(180.0, 40.0), &place(), &rules).inside_geofence);
        // 230 m with 90 m accuracy: the allowance is capped at 50 m, 230 − 50 = 180 > 150.
        let v = GeoVerdict::evaluate(&fix(230.0, 90.0), &place(), &rules);
        assert!(!v.inside_geofence && v.accuracy_ok && !v.passed);
        assert_eq!(
            v.reasons[0].args["distance_m"],
            crate::domain::Arg::Number(230.0),
            "{:?}",
            v.reasons
        );
        // A 2 km "accuracy" is not acceptable, and does not pull a far fix inside either.
        let v = GeoVerdict::evaluate(&fix(1_000.0, 2_000.0), &place(), &rules);
        assert!(!v.inside_geofence && !v.accuracy_ok && v.reasons.len() == 2);
    }

    #[test]
    fn mock_location_always_fails() {
        let mut f = fix(0.0, 5.0);
        f.mock_location = true;
        let v = GeoVerdict::evaluate(&f, &place(), &VisitRules::default());
        assert!(v.inside_geofence && !v.passed);
    }

    #[test]
    fn visiting_window_is_read_in_the_venue_zone() {
        let window = OpeningHours::parse("h", &[(Weekday::Mon, "09:00".into(), "18:00".into())]).unwrap();
        // Monday 2026-11-30 08:30 UTC = 10:30 Kyiv (UTC+2 in winter).
        let monday_1030 = chrono::Utc
            .with_ymd_and_hms(2026, 11, 30, 8, 30, 0)
            .unwrap()
            .timestamp_millis();
        assert!(in_window(&window, monday_1030, chrono_tz::Europe::Kyiv));
        // 16:30 UTC = 18:30 Kyiv: closed.
        let monday_1830 = chrono::Utc
            .with_ymd_and_hms(2026, 11, 30, 16, 30, 0)
            .unwrap()
            .timestamp_millis();
        assert!(!in_window(&window, monday_1830, chrono_tz::Europe::Kyiv));
        assert!(in_window(
            &OpeningHours::default(),
            monday_1830,
            chrono_tz::Europe::Kyiv
        ));
        // The same instant is 16:30 in Dublin (UTC+0 in winter): open there.
        assert!(in_window(&window, monday_1830, chrono_tz::Europe::Dublin));
        // 08:30 UTC is 08:30 in Dublin: not yet open there.
        assert!(!in_window(&window, monday_1030, chrono_tz::Europe::Dublin));
    }

    fn facts<'a>(rules: &'a VisitRules, checkin: &'a GeoVerdict, photos: &'a [PhotoCheck]) -> VisitFacts<'a> {
        VisitFacts {
            rules,
            checkin,
            checkin_device_at: 0,
            checkin_server_at: 0,
            checkout_device_at: Some(20 * 60_000),
            venue_lat: 49.8397,
            venue_lon: 24.0297,
            submitted_at: 21 * 60_000,
            photos,
            previous: None,
            conflict: None,
            repeat: None,
        }
    }

    #[test]
    fn a_clean_visit_has_no_flags() {
        let rules = VisitRules::default();
        let v = GeoVerdict::evaluate(&fix(10.0, 5.0), &place(), &rules);
        assert_eq!(flags(&facts(&rules, &v, &[])), []);
    }

    #[test]
    fn each_rule_raises_its_flag() {
        let rules = VisitRules::default();
        let mut f = fix(900.0, 300.0);
        f.mock_location = true;
        let v = GeoVerdict::evaluate(&f, &place(), &rules);
        let photos = [PhotoCheck {
            label: crate::msg!("photo-label", n = 1, question = "SIGN"),
            gps: Verdict::Fail,
            gps_note: crate::msg!("photo-taken-from-venue", distance = crate::msg!("distance-km", n = 3)),
            time: Verdict::NoData,
            time_note: crate::msg!("photo-no-time"),
            capture: None,
            mismatch: Some(crate::msg!(
                "capture-gps-disagrees",
                apart = crate::msg!("distance-km", n = 3)
            )),
            before_token: true,
            duplicate: Some(crate::domain::photo::DuplicateOf {
                photo_id: "p".into(),
                visit_id: "other".into(),
                distance: 3,
                exact: false,
            }),
        }];
        let mut input = facts(&rules, &v, &photos);
        input.checkin_server_at = 3 * 3_600_000;
        input.checkout_device_at = Some(2 * 60_000);
        input.submitted_at = 60 * 3_600_000;
        input.previous = Some(PreviousVisit {
            visit_id: "prev".into(),
            lat: 50.4501,
            lon: 30.5234, // Kyiv, ~470 km away
            left_at: -3_600_000,
        });
        input.conflict = Some(crate::domain::flags::DeclaredConflict {
            what: crate::msg!("conflict-with-venue"),
            declared_at: 1_764_590_400_000, // 2025-12-01 12:00 UTC
        });
        input.repeat = Some(crate::domain::flags::RepeatVisit {
            visit_id: "earlier".into(),
            days_before: 12,
            cooloff_days: 30,
        });
        let got: Vec<FlagCode> = flags(&input).iter().map(|f| f.code).collect();
        for code in [
            FlagCode::OutsideGeofence,
            FlagCode::LowGpsAccuracy,
            FlagCode::MockLocation,
            FlagCode::DeviceTimeGap,
            FlagCode::PhotoGpsOutside,
            FlagCode::PhotoTimeMissing,
            FlagCode::NearDuplicatePhoto,
            FlagCode::TooShort,
            FlagCode::LateSubmission,
            FlagCode::ImpossibleTravel,
            FlagCode::ConflictOfInterest,
            FlagCode::CoolOffBreached,
            FlagCode::CaptureMismatch,
            FlagCode::CaptureBeforeToken,
        ] {
            assert!(got.contains(&code), "{code:?} missing from {got:?}");
        }
        let all = flags(&input);
        assert!(all.windows(2).all(|w| w[0].severity >= w[1].severity));
        let travel = all.iter().find(|f| f.code == FlagCode::ImpossibleTravel).unwrap();
        assert_eq!(travel.other_visit_id.as_deref(), Some("prev"));
        // What the shopper and the reviewer read, word for word, in each language.
        let explained = |lang| -> String {
            all.iter()
                .map(|f| {
                    let text = crate::i18n::render(lang, &f.message);
                    format!("{} {}: {text}\n", f.severity.as_str(), f.code.as_str())
                })
                .collect()
        };
        insta::assert_snapshot!(explained(crate::domain::Language::En), @r"
        CRITICAL OUTSIDE_GEOFENCE: Checked in 900 m from the venue; the geofence is 150 m.
        CRITICAL MOCK_LOCATION: The phone reported a simulated (mock) location at check-in.
        CRITICAL PHOTO_GPS_OUTSIDE: Photo 1 (SIGN): taken 3 km from the venue
        CRITICAL CAPTURE_MISMATCH: Photo 1 (SIGN): its own GPS is 3 km from where the phone was when the app took it.
        CRITICAL NEAR_DUPLICATE_PHOTO: Photo 1 (SIGN) looks almost the same as a photo of another visit (difference 3 of 64).
        CRITICAL IMPOSSIBLE_TRAVEL: 468 km from the previous visit in 1 h 0 min: faster than 150 km/h.
        CRITICAL CONFLICT_OF_INTEREST: The shopper declared a conflict of interest with this venue on 2025-12-01 14:00 (Kyiv time).
        WARNING LOW_GPS_ACCURACY: The check-in position was only accurate to 300 m.
        WARNING PHOTO_TIME_MISSING: Photo 1 (SIGN): the photo has no time
        WARNING CAPTURE_BEFORE_TOKEN: Photo 1 (SIGN): taken with the app's camera, by the phone's clock before its capture token was issued (the phone had none yet, as in a visit begun offline, or its clock is wrong), so its place and time are the phone's word alone.
        WARNING TOO_SHORT: The visit lasted 2 min (at least 5 min expected).
        WARNING COOL_OFF_BREACHED: The shopper evaluated this venue 12 days before; the wave's cool-off is 30 days.
        INFO DEVICE_TIME_GAP: The phone's check-in time and the server's differ by 3 h 0 min (an offline visit sent later, or a wrong clock).
        INFO LATE_SUBMISSION: Submitted 59 h after check-out (within 48 h expected).
        ");
        insta::assert_snapshot!(explained(crate::domain::Language::Uk), @r"
        CRITICAL OUTSIDE_GEOFENCE: Відмітка про прихід за 900 м від закладу; геозона — 150 м.
        CRITICAL MOCK_LOCATION: Телефон повідомив про підроблену (імітовану) позицію під час відмітки.
        CRITICAL PHOTO_GPS_OUTSIDE: Фото 1 (SIGN): зроблено за 3 км від закладу
        CRITICAL CAPTURE_MISMATCH: Фото 1 (SIGN): власний GPS фото за 3 км від місця, де був телефон, коли застосунок зробив фото.
        CRITICAL NEAR_DUPLICATE_PHOTO: Фото 1 (SIGN) майже таке саме, як фото іншого візиту (різниця 3 з 64).
        CRITICAL IMPOSSIBLE_TRAVEL: 468 км від попереднього візиту за 1 год 0 хв: швидше за 150 км/год.
        CRITICAL CONFLICT_OF_INTEREST: Таємний покупець заявив про конфлікт інтересів із цим закладом 2025-12-01 14:00 (за київським часом).
        WARNING LOW_GPS_ACCURACY: Позиція під час відмітки була точною лише до 300 м.
        WARNING PHOTO_TIME_MISSING: Фото 1 (SIGN): у фото немає часу
        WARNING CAPTURE_BEFORE_TOKEN: Фото 1 (SIGN): зроблено камерою застосунку, але за годинником телефону — до того, як видано ключ зйомки (телефон ще не мав його, як у візиті, розпочатому офлайн, або його годинник неправильний), тож місце й час фото підтверджує лише телефон.
        WARNING TOO_SHORT: Візит тривав 2 хв (очікувалося щонайменше 5 хв).
        WARNING COOL_OFF_BREACHED: Таємний покупець оцінював цей заклад 12 дн. тому; перерва між візитами у хвилі — 30 дн.
        INFO DEVICE_TIME_GAP: Час відмітки на телефоні й на сервері різниться на 3 год 0 хв (візит офлайн, надісланий пізніше, або неправильний годинник).
        INFO LATE_SUBMISSION: Надіслано через 59 год після відмітки про вихід (очікувалося протягом 48 год).
        ");
    }

    #[test]
    fn rules_parse_with_defaults_and_validate() {
        let rules = VisitRules::from_json(r#"{"failedCheckinBlocks": true}"#);
        assert!(rules.failed_checkin_blocks);
        assert_eq!(rules.max_accuracy_m, 100.0);
        assert!(rules.validate("visitRules").is_ok());
        let bad = VisitRules {
            min_minutes: 30,
            max_minutes: 10,
            ..rules
        };
        assert_eq!(bad.validate("visitRules").unwrap_err().field, "visitRules.maxMinutes");
    }
}
