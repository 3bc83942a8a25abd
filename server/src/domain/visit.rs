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

/// Poor accuracy is allowed for up to this many metres.
pub const ACCURACY_ALLOWANCE_CAP_M: f64 = 50.0;
/// Device and server clocks further apart than this at check-in raise a flag (an offline visit synced later,
/// or a wrong clock).
pub const DEVICE_TIME_GAP_MINUTES: i64 = 15;

/// A wave's rules for its visits (stored as JSON; every field has a default).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
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
        let err = |name: &str, why: &str| Err(super::ValidationError::new(format!("{field}.{name}"), why));
        if !(5.0..=5_000.0).contains(&self.max_accuracy_m) {
            return err("maxAccuracyM", "must be from 5 to 5000 metres");
        }
        if self.max_minutes == 0 || self.min_minutes >= self.max_minutes || self.max_minutes > 24 * 60 {
            return err("maxMinutes", "must be more than minMinutes and at most 1440");
        }
        if self.submit_within_hours == 0 || self.submit_within_hours > 24 * 30 {
            return err("submitWithinHours", "must be from 1 to 720 hours");
        }
        if self.photo_time_tolerance_minutes > 24 * 60 {
            return err("photoTimeToleranceMinutes", "must be at most 1440");
        }
        if !(0.0..=5_000.0).contains(&self.photo_gps_slack_m) {
            return err("photoGpsSlackM", "must be from 0 to 5000 metres");
        }
        if !(10.0..=1_000.0).contains(&self.max_travel_kmh) {
            return err("maxTravelKmh", "must be from 10 to 1000 km/h");
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
    /// Why it failed, in words for the shopper (empty when it passed).
    pub reasons: Vec<String>,
}

impl GeoVerdict {
    pub fn evaluate(fix: &Fix, place: &Place, rules: &VisitRules) -> Self {
        let distance_m = distance_m(fix.lat, fix.lon, place.lat, place.lon);
        let allowance = fix.accuracy_m.min(ACCURACY_ALLOWANCE_CAP_M);
        let inside_geofence = distance_m - allowance <= place.geofence_m;
        let accuracy_ok = fix.accuracy_m <= rules.max_accuracy_m;
        let in_visiting_window = in_window(&place.window, fix.device_at);
        let mut reasons = Vec::new();
        if !inside_geofence {
            reasons.push(format!(
                "You are {:.0} m from the venue; check in within {:.0} m of it.",
                distance_m, place.geofence_m
            ));
        }
        if !accuracy_ok {
            reasons.push(format!(
                "Your location is only accurate to {:.0} m (at most {:.0} m is needed); step outside or wait for a better fix.",
                fix.accuracy_m, rules.max_accuracy_m
            ));
        }
        if !in_visiting_window {
            reasons.push("The venue is outside its visiting hours at this time.".to_string());
        }
        if fix.mock_location {
            reasons.push("Your phone reports a simulated (mock) location; turn it off to check in.".to_string());
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

/// Is `at` (ms since the epoch) inside the window, read in Europe/Kyiv? An empty window is always open.
pub fn in_window(window: &OpeningHours, at: i64) -> bool {
    if window.intervals().is_empty() {
        return true;
    }
    let Some(utc) = chrono::Utc.timestamp_millis_opt(at).single() else {
        return false;
    };
    let local = utc.with_timezone(&chrono_tz::Europe::Kyiv);
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
        }
    }

    pub fn from_db(text: &str) -> Option<Self> {
        serde_json::from_value(serde_json::Value::String(text.to_string())).ok()
    }
}

/// One flag: what, how bad, a sentence for shopper and reviewer alike, and the other visit when it involves one.
#[derive(Debug, Clone, PartialEq)]
pub struct Flag {
    pub code: FlagCode,
    pub severity: Severity,
    pub message: String,
    pub other_visit_id: Option<String>,
}

impl Flag {
    fn new(code: FlagCode, severity: Severity, message: impl Into<String>) -> Self {
        Self {
            code,
            severity,
            message: message.into(),
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
    pub label: String,
    pub gps: Verdict,
    pub gps_note: String,
    pub time: Verdict,
    pub time_note: String,
    /// An earlier photo with the same bytes (its visit), or a near-duplicate (its visit, Hamming distance).
    pub duplicate_of_visit: Option<(String, u32)>,
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
            format!(
                "Checked in {:.0} m from the venue; the geofence is {:.0} m.",
                c.distance_m, c.geofence_m
            ),
        ));
    }
    if !c.accuracy_ok {
        out.push(Flag::new(
            LowGpsAccuracy,
            Warning,
            format!("The check-in position was only accurate to {:.0} m.", c.accuracy_m),
        ));
    }
    if c.mock_location {
        out.push(Flag::new(
            MockLocation,
            Critical,
            "The phone reported a simulated (mock) location at check-in.",
        ));
    }
    if !c.in_visiting_window {
        out.push(Flag::new(
            OutsideVisitingWindow,
            Warning,
            "The check-in was outside the venue's visiting hours.",
        ));
    }
    let gap_min = (f.checkin_server_at - f.checkin_device_at).abs() / 60_000;
    if gap_min > DEVICE_TIME_GAP_MINUTES {
        out.push(Flag::new(
            DeviceTimeGap,
            Info,
            format!(
                "The phone's check-in time and the server's differ by {} (an offline visit sent later, or a wrong clock).",
                human_minutes(gap_min)
            ),
        ));
    }
    for p in f.photos {
        match p.gps {
            Verdict::Fail => out.push(Flag::new(
                PhotoGpsOutside,
                Critical,
                format!("{}: {}", p.label, p.gps_note),
            )),
            Verdict::NoData => out.push(Flag::new(
                PhotoGpsMissing,
                Warning,
                format!("{}: {}", p.label, p.gps_note),
            )),
            Verdict::Pass => {}
        }
        match p.time {
            Verdict::Fail => out.push(Flag::new(
                PhotoTimeOutside,
                Critical,
                format!("{}: {}", p.label, p.time_note),
            )),
            Verdict::NoData => out.push(Flag::new(
                PhotoTimeMissing,
                Warning,
                format!("{}: {}", p.label, p.time_note),
            )),
            Verdict::Pass => {}
        }
        if let Some((visit, distance)) = &p.duplicate_of_visit {
            let (code, message) = if *distance == 0 {
                (
                    DuplicatePhoto,
                    format!("{} is the same picture as a photo of another visit.", p.label),
                )
            } else {
                (
                    NearDuplicatePhoto,
                    format!(
                        "{} looks almost the same as a photo of another visit (difference {distance} of 64).",
                        p.label
                    ),
                )
            };
            out.push(Flag {
                other_visit_id: Some(visit.clone()),
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
                format!(
                    "The visit lasted {} (at least {} expected).",
                    human_minutes(minutes.max(0)),
                    human_minutes(f.rules.min_minutes.into())
                ),
            ));
        } else if minutes > i64::from(f.rules.max_minutes) {
            out.push(Flag::new(
                TooLong,
                Info,
                format!(
                    "The visit lasted {} (at most {} expected).",
                    human_minutes(minutes),
                    human_minutes(f.rules.max_minutes.into())
                ),
            ));
        }
        let late_h = (f.submitted_at - out_at) / 3_600_000;
        if late_h >= i64::from(f.rules.submit_within_hours) {
            out.push(Flag::new(
                LateSubmission,
                Info,
                format!(
                    "Submitted {late_h} h after check-out (within {} h expected).",
                    f.rules.submit_within_hours
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
                    format!(
                        "{km:.0} km from the previous visit in {}: faster than {:.0} km/h.",
                        human_minutes((hours * 60.0).max(0.0).round() as i64),
                        f.rules.max_travel_kmh
                    ),
                )
            });
        }
    }
    out.sort_by_key(|f| std::cmp::Reverse(f.severity));
    out
}

fn human_minutes(minutes: i64) -> String {
    if minutes < 60 {
        format!("{minutes} min")
    } else if minutes < 48 * 60 {
        format!("{} h {} min", minutes / 60, minutes % 60)
    } else {
        format!("{} days", minutes / (24 * 60))
    }
}

#[cfg(test)]
mod tests {
    use super::{Severity, VisitState};

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
        assert!(v.reasons[0].contains("230 m"), "{:?}", v.reasons);
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
    fn visiting_window_is_read_in_kyiv_time() {
        let window = OpeningHours::parse("h", &[(Weekday::Mon, "09:00".into(), "18:00".into())]).unwrap();
        // Monday 2026-11-30 08:30 UTC = 10:30 Kyiv (UTC+2 in winter).
        let monday_1030 = chrono::Utc
            .with_ymd_and_hms(2026, 11, 30, 8, 30, 0)
            .unwrap()
            .timestamp_millis();
        assert!(in_window(&window, monday_1030));
        // 16:30 UTC = 18:30 Kyiv: closed.
        let monday_1830 = chrono::Utc
            .with_ymd_and_hms(2026, 11, 30, 16, 30, 0)
            .unwrap()
            .timestamp_millis();
        assert!(!in_window(&window, monday_1830));
        assert!(in_window(&OpeningHours::default(), monday_1830));
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
            label: "Photo 1".into(),
            gps: Verdict::Fail,
            gps_note: "taken 3 km from the venue".into(),
            time: Verdict::NoData,
            time_note: "the photo has no time".into(),
            duplicate_of_visit: Some(("other".into(), 3)),
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
        ] {
            assert!(got.contains(&code), "{code:?} missing from {got:?}");
        }
        let all = flags(&input);
        assert!(all.windows(2).all(|w| w[0].severity >= w[1].severity));
        let travel = all.iter().find(|f| f.code == FlagCode::ImpossibleTravel).unwrap();
        assert_eq!(travel.other_visit_id.as_deref(), Some("prev"));
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
