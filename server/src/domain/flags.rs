//! The flags a submitted visit raises: each rule that tripped, how much it matters, and one sentence a shopper
//! and a reviewer both understand. Pure: `flags` reads the facts gathered at submission.

use serde::{Deserialize, Serialize};

use super::venue::distance_m;
use super::visit::{GeoVerdict, VisitRules, DEVICE_TIME_GAP_MINUTES};
use super::UnknownValue;

/// How much a flag matters.
#[derive(async_graphql::Enum, Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Severity {
    Info,
    Warning,
    Critical,
}

impl Severity {
    pub const ALL: [Severity; 3] = [Severity::Info, Severity::Warning, Severity::Critical];

    /// The stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "INFO",
            Severity::Warning => "WARNING",
            Severity::Critical => "CRITICAL",
        }
    }

    /// The stored form back; anything else is an error, never a default.
    pub fn parse(text: &str) -> Result<Self, UnknownValue> {
        Self::ALL
            .into_iter()
            .find(|s| s.as_str() == text)
            .ok_or_else(|| UnknownValue::new("severity", text))
    }
}

/// Why a reviewer should look.
#[derive(async_graphql::Enum, Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum FlagCode {
    OutsideGeofence,
    LowGpsAccuracy,
    MockLocation,
    OutsideVisitingWindow,
    DeviceTimeGap,
    PhotoGpsMissing,
    PhotoGpsOutside,
    PhotoTimeMissing,
    PhotoTimeOutside,
    DuplicatePhoto,
    NearDuplicatePhoto,
    TooShort,
    TooLong,
    ImpossibleTravel,
    LateSubmission,
    /// The shopper declared a conflict of interest with the venue or its client (at any time).
    ConflictOfInterest,
    /// The shopper evaluated the same venue again within the wave's cool-off (only possible by override).
    CoolOffBreached,
    /// A live-camera photo's own EXIF contradicts the phone's position or clock at capture.
    CaptureMismatch,
    /// A live-camera photo was taken before its capture token was issued (the visit began offline).
    CaptureBeforeToken,
}

impl FlagCode {
    pub fn as_str(self) -> &'static str {
        match self {
            FlagCode::OutsideGeofence => "OUTSIDE_GEOFENCE",
            FlagCode::LowGpsAccuracy => "LOW_GPS_ACCURACY",
            FlagCode::MockLocation => "MOCK_LOCATION",
            FlagCode::OutsideVisitingWindow => "OUTSIDE_VISITING_WINDOW",
            FlagCode::DeviceTimeGap => "DEVICE_TIME_GAP",
            FlagCode::PhotoGpsMissing => "PHOTO_GPS_MISSING",
            FlagCode::PhotoGpsOutside => "PHOTO_GPS_OUTSIDE",
            FlagCode::PhotoTimeMissing => "PHOTO_TIME_MISSING",
            FlagCode::PhotoTimeOutside => "PHOTO_TIME_OUTSIDE",
            FlagCode::DuplicatePhoto => "DUPLICATE_PHOTO",
            FlagCode::NearDuplicatePhoto => "NEAR_DUPLICATE_PHOTO",
            FlagCode::TooShort => "TOO_SHORT",
            FlagCode::TooLong => "TOO_LONG",
            FlagCode::ImpossibleTravel => "IMPOSSIBLE_TRAVEL",
            FlagCode::LateSubmission => "LATE_SUBMISSION",
            FlagCode::ConflictOfInterest => "CONFLICT_OF_INTEREST",
            FlagCode::CoolOffBreached => "COOL_OFF_BREACHED",
            FlagCode::CaptureMismatch => "CAPTURE_MISMATCH",
            FlagCode::CaptureBeforeToken => "CAPTURE_BEFORE_TOKEN",
        }
    }

    /// The stored form back; anything else is an error, never skipped.
    pub fn parse(text: &str) -> Result<Self, UnknownValue> {
        serde_json::from_value(serde_json::Value::String(text.to_string()))
            .map_err(|_| UnknownValue::new("flag code", text))
    }
}

/// One flag: what, how bad, a sentence for shopper and reviewer alike, and the other visit when it involves one.
#[derive(Debug, Clone, PartialEq)]
pub struct Flag {
    pub code: FlagCode,
    pub severity: Severity,
    pub message: super::Msg,
    pub other_visit_id: Option<String>,
}

impl Flag {
    fn new(code: FlagCode, severity: Severity, message: super::Msg) -> Self {
        Self {
            code,
            severity,
            message,
            other_visit_id: None,
        }
    }
}

/// A verdict on one fact of a photo.
#[derive(async_graphql::Enum, Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Verdict {
    Pass,
    Fail,
    NoData,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Pass => "PASS",
            Verdict::Fail => "FAIL",
            Verdict::NoData => "NO_DATA",
        }
    }

    /// The stored form back; anything else is an error, never a default.
    pub fn parse(text: &str) -> Result<Self, UnknownValue> {
        [Verdict::Pass, Verdict::Fail, Verdict::NoData]
            .into_iter()
            .find(|v| v.as_str() == text)
            .ok_or_else(|| UnknownValue::new("verdict", text))
    }
}

/// A photo as the flag rules see it.
#[derive(Debug, Clone)]
pub struct PhotoCheck {
    /// "Photo 2 (SIGN)": `photo-label`.
    pub label: super::Msg,
    pub gps: Verdict,
    pub gps_note: super::Msg,
    pub time: Verdict,
    pub time_note: super::Msg,
    /// An earlier photo with the same bytes (its visit), or a near-duplicate (its visit, Hamming distance).
    pub duplicate: Option<super::photo::DuplicateOf>,
    /// For a live-camera photo, the verdicts of the phone's own fix at capture: they decide place and time (the
    /// file's EXIF may be stripped); `gps`/`time` above stay the EXIF's.
    pub capture: Option<super::photo::PhotoVerdicts>,
    /// Why the file's EXIF contradicts the capture fix, when it does.
    pub mismatch: Option<super::Msg>,
    /// A live-camera photo taken before its capture token was issued.
    pub before_token: bool,
}

/// The shopper's previous visit, for the travel-speed rule.
#[derive(Debug, Clone)]
pub struct PreviousVisit {
    pub visit_id: String,
    pub lat: f64,
    pub lon: f64,
    /// When they left it (device time, ms).
    pub left_at: i64,
}

/// A conflict of interest the shopper declared that covers this visit's venue.
#[derive(Debug, Clone, PartialEq)]
pub struct DeclaredConflict {
    /// `conflict-with-venue`, or `conflict-with-client` with the client's name.
    pub what: super::Msg,
    /// When it was declared (ms).
    pub declared_at: i64,
}

impl DeclaredConflict {
    /// The flag, with the declaration's date (Kyiv) so the reviewer sees whether it came before the visit.
    pub fn flag(&self) -> Flag {
        let date = chrono::DateTime::from_timestamp_millis(self.declared_at)
            .map(|t| {
                t.with_timezone(&chrono_tz::Europe::Kyiv)
                    .format("%Y-%m-%d %H:%M")
                    .to_string()
            })
            .unwrap_or_default();
        Flag::new(
            FlagCode::ConflictOfInterest,
            Severity::Critical,
            crate::msg!("flag-conflict-of-interest", what = &self.what, date = date),
        )
    }
}

/// The shopper's earlier visit of the same venue, when it falls within the wave's cool-off.
#[derive(Debug, Clone, PartialEq)]
pub struct RepeatVisit {
    pub visit_id: String,
    pub days_before: i64,
    pub cooloff_days: i64,
}

/// Everything the flag rules look at, gathered at submission.
#[derive(Debug, Clone)]
pub struct VisitFacts<'a> {
    pub rules: &'a VisitRules,
    pub checkin: &'a GeoVerdict,
    pub checkin_device_at: i64,
    pub checkin_server_at: i64,
    pub checkout_device_at: Option<i64>,
    pub venue_lat: f64,
    pub venue_lon: f64,
    pub submitted_at: i64,
    pub photos: &'a [PhotoCheck],
    pub previous: Option<PreviousVisit>,
    /// The earliest declaration covering this venue, if any.
    pub conflict: Option<DeclaredConflict>,
    /// An earlier visit of this venue by the same shopper inside the cool-off.
    pub repeat: Option<RepeatVisit>,
}

/// The flags of a visit: every rule that tripped, most severe first.
pub fn flags(f: &VisitFacts) -> Vec<Flag> {
    use FlagCode::*;
    use Severity::*;
    let mut out = Vec::new();
    let c = f.checkin;
    if !c.inside_geofence {
        out.push(Flag::new(
            OutsideGeofence,
            Critical,
            crate::msg!(
                "flag-outside-geofence",
                distance_m = c.distance_m.round(),
                geofence_m = c.geofence_m.round()
            ),
        ));
    }
    if !c.accuracy_ok {
        out.push(Flag::new(
            LowGpsAccuracy,
            Warning,
            crate::msg!("flag-low-gps-accuracy", accuracy_m = c.accuracy_m.round()),
        ));
    }
    if c.mock_location {
        out.push(Flag::new(MockLocation, Critical, crate::msg!("flag-mock-location")));
    }
    if !c.in_visiting_window {
        out.push(Flag::new(
            OutsideVisitingWindow,
            Warning,
            crate::msg!("flag-outside-visiting-window"),
        ));
    }
    let gap_min = (f.checkin_server_at - f.checkin_device_at).abs() / 60_000;
    if gap_min > DEVICE_TIME_GAP_MINUTES {
        out.push(Flag::new(
            DeviceTimeGap,
            Info,
            crate::msg!("flag-device-time-gap", apart = human_minutes(gap_min)),
        ));
    }
    for p in f.photos {
        // A live-camera photo is judged by the phone's fix at capture; a gallery photo by its EXIF.
        let (gps, gps_note, time, time_note) = match &p.capture {
            Some(c) => (c.gps, &c.gps_note, c.time, &c.time_note),
            None => (p.gps, &p.gps_note, p.time, &p.time_note),
        };
        match gps {
            Verdict::Fail => out.push(Flag::new(
                PhotoGpsOutside,
                Critical,
                crate::msg!("flag-photo-note", photo = &p.label, note = gps_note),
            )),
            Verdict::NoData => out.push(Flag::new(
                PhotoGpsMissing,
                Warning,
                crate::msg!("flag-photo-note", photo = &p.label, note = gps_note),
            )),
            Verdict::Pass => {}
        }
        match time {
            Verdict::Fail => out.push(Flag::new(
                PhotoTimeOutside,
                Critical,
                crate::msg!("flag-photo-note", photo = &p.label, note = time_note),
            )),
            Verdict::NoData => out.push(Flag::new(
                PhotoTimeMissing,
                Warning,
                crate::msg!("flag-photo-note", photo = &p.label, note = time_note),
            )),
            Verdict::Pass => {}
        }
        if let Some(why) = &p.mismatch {
            out.push(Flag::new(
                CaptureMismatch,
                Critical,
                crate::msg!("flag-capture-mismatch", photo = &p.label, note = why),
            ));
        }
        if p.before_token {
            out.push(Flag::new(
                CaptureBeforeToken,
                Warning,
                crate::msg!("flag-capture-before-token", photo = &p.label),
            ));
        }
        if let Some(d) = &p.duplicate {
            let (code, message) = if d.exact {
                (DuplicatePhoto, crate::msg!("flag-duplicate-photo", photo = &p.label))
            } else {
                (
                    NearDuplicatePhoto,
                    crate::msg!("flag-near-duplicate-photo", photo = &p.label, distance = d.distance),
                )
            };
            out.push(Flag {
                other_visit_id: Some(d.visit_id.clone()),
                ..Flag::new(code, Critical, message)
            });
        }
    }
    if let Some(out_at) = f.checkout_device_at {
        let minutes = (out_at - f.checkin_device_at) / 60_000;
        if minutes < i64::from(f.rules.min_minutes) {
            out.push(Flag::new(
                TooShort,
                Warning,
                crate::msg!(
                    "flag-too-short",
                    lasted = human_minutes(minutes.max(0)),
                    expected = human_minutes(f.rules.min_minutes.into())
                ),
            ));
        } else if minutes > i64::from(f.rules.max_minutes) {
            out.push(Flag::new(
                TooLong,
                Info,
                crate::msg!(
                    "flag-too-long",
                    lasted = human_minutes(minutes),
                    expected = human_minutes(f.rules.max_minutes.into())
                ),
            ));
        }
        let late_h = (f.submitted_at - out_at) / 3_600_000;
        if late_h >= i64::from(f.rules.submit_within_hours) {
            out.push(Flag::new(
                LateSubmission,
                Info,
                crate::msg!(
                    "flag-late-submission",
                    hours = late_h,
                    expected = f.rules.submit_within_hours
                ),
            ));
        }
    }
    if let Some(prev) = &f.previous {
        let km = distance_m(prev.lat, prev.lon, f.venue_lat, f.venue_lon) / 1000.0;
        let hours = (f.checkin_device_at - prev.left_at) as f64 / 3_600_000.0;
        let speed = if hours <= 0.0 { f64::INFINITY } else { km / hours };
        if km > 1.0 && speed > f.rules.max_travel_kmh {
            out.push(Flag {
                other_visit_id: Some(prev.visit_id.clone()),
                ..Flag::new(
                    ImpossibleTravel,
                    Critical,
                    crate::msg!(
                        "flag-impossible-travel",
                        km = km.round(),
                        took = human_minutes((hours * 60.0).max(0.0).round() as i64),
                        max_kmh = f.rules.max_travel_kmh.round()
                    ),
                )
            });
        }
    }
    if let Some(conflict) = &f.conflict {
        out.push(conflict.flag());
    }
    if let Some(r) = &f.repeat {
        out.push(Flag {
            other_visit_id: Some(r.visit_id.clone()),
            ..Flag::new(
                CoolOffBreached,
                Warning,
                crate::msg!(
                    "flag-cool-off-breached",
                    days_before = r.days_before,
                    cooloff_days = r.cooloff_days
                ),
            )
        });
    }
    out.sort_by_key(|f| std::cmp::Reverse(f.severity));
    out
}

fn human_minutes(minutes: i64) -> super::Msg {
    if minutes < 60 {
        crate::msg!("duration-minutes", n = minutes)
    } else if minutes < 48 * 60 {
        crate::msg!("duration-hours-minutes", hours = minutes / 60, minutes = minutes % 60)
    } else {
        crate::msg!("duration-days", n = minutes / (24 * 60))
    }
}
