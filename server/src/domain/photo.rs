//! Photo evidence facts: what a photo's EXIF says about where and when it was taken, and the verdicts against
//! a visit. Pure: bytes in, facts out (no I/O).
//!
//! Real EXIF is messy, and every case below has a real photo in the tests:
//! - a GPS component that is the rational 0/0 is read as 0 (not a division by zero);
//! - GPS (0, 0) means "no fix", not a place in the Gulf of Guinea;
//! - DateTimeOriginal is camera-local; with OffsetTimeOriginal it is exact; without it, when the GPS time is a
//!   whole number of quarter hours away (at most 14 h), that difference *is* the offset; otherwise the local time
//!   is read in Europe/Kyiv (the venues' zone);
//! - a GPS timestamp without a GPS date takes the date that puts it nearest the local time;
//! - a GPS fix more than 10 minutes away from the photo's own time is **stale** (the phone kept an old fix): its
//!   position is not evidence of where the photo was taken.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Timelike};
use serde::{Deserialize, Serialize};

use super::venue::distance_m;
use super::visit::Verdict;

/// A GPS fix further than this from the photo's time is stale.
pub const STALE_FIX_MINUTES: i64 = 10;

/// What EXIF says, after the repairs above. Stored with the photo as JSON.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExifFacts {
    /// Whether an EXIF block was found and readable.
    pub present: bool,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    /// Why there is no usable position, when there is none.
    pub gps_note: Option<super::Msg>,
    /// The GPS fix time, ms since the epoch (UTC by definition).
    pub gps_at: Option<i64>,
    /// DateTimeOriginal as written (camera-local), "YYYY-MM-DDTHH:MM:SS".
    pub taken_local: Option<String>,
    /// The offset used for the local time, "+03:00", and where it came from.
    pub offset: Option<String>,
    pub offset_source: Option<super::Msg>,
    /// The photo's time, ms since the epoch.
    pub taken_at: Option<i64>,
    /// EXIF Orientation (1–8), 1 when absent.
    pub orientation: u16,
    pub make: Option<String>,
    pub model: Option<String>,
}

/// Reads the EXIF of a JPEG, PNG, WebP or HEIF file. Missing or unreadable EXIF gives `present: false` (never
/// an error: a photo without EXIF is still a photo, it just proves less).
///
/// Read leniently: a structural fault (say the 4-byte next-IFD offset that piexif leaves out at the end of the
/// Exif and GPS IFDs) does not discard the block; every field that parses is kept, as exiftool, Pillow and
/// libexif do.
pub fn read_exif(bytes: &[u8], zone: chrono_tz::Tz) -> ExifFacts {
    let mut reader = exif::Reader::new();
    reader.continue_on_error(true);
    let exif = match reader.read_from_container(&mut std::io::Cursor::new(bytes)) {
        Ok(exif) => exif,
        Err(exif::Error::PartialResult(partial)) => match partial.into_inner().0 {
            // A block with nothing readable in it is no EXIF.
            exif if exif.fields().next().is_none() => {
                return ExifFacts {
                    orientation: 1,
                    gps_note: Some(crate::msg!("photo-no-exif")),
                    ..ExifFacts::default()
                }
            }
            exif => exif,
        },
        Err(_) => {
            return ExifFacts {
                orientation: 1,
                gps_note: Some(crate::msg!("photo-no-exif")),
                ..ExifFacts::default()
            }
        }
    };
    facts_from(&exif, zone)
}

fn facts_from(exif: &exif::Exif, zone: chrono_tz::Tz) -> ExifFacts {
    use exif::{In, Tag};
    let field = |tag: Tag| exif.get_field(tag, In::PRIMARY);
    let ascii = |tag: Tag| -> Option<String> {
        match &field(tag)?.value {
            exif::Value::Ascii(parts) => parts
                .first()
                .map(|p| {
                    String::from_utf8_lossy(p)
                        .trim_matches(char::from(0))
                        .trim()
                        .to_string()
                })
                .filter(|s| !s.is_empty()),
            _ => None,
        }
    };
    let mut facts = ExifFacts {
        present: true,
        orientation: field(Tag::Orientation)
            .and_then(|f| f.value.get_uint(0))
            .filter(|o| (1..=8).contains(o))
            .map_or(1, |o| o as u16),
        make: ascii(Tag::Make),
        model: ascii(Tag::Model),
        ..ExifFacts::default()
    };

    // Position.
    let coordinate = |value_tag: Tag, ref_tag: Tag, negative: &str| -> Option<f64> {
        // Unsigned as the standard says, or signed as some phones (Nokia) write it.
        let parts: Vec<(f64, f64)> = match &field(value_tag)?.value {
            exif::Value::Rational(p) => p.iter().map(|r| (f64::from(r.num), f64::from(r.denom))).collect(),
            exif::Value::SRational(p) => p.iter().map(|r| (f64::from(r.num), f64::from(r.denom))).collect(),
            _ => return None,
        };
        let part = |i: usize| parts.get(i).map_or(0.0, |&(n, d)| if d == 0.0 { 0.0 } else { n / d });
        let degrees = part(0) + part(1) / 60.0 + part(2) / 3600.0;
        let sign = if ascii(ref_tag).is_some_and(|r| r.eq_ignore_ascii_case(negative)) {
            -1.0
        } else {
            1.0
        };
        degrees.is_finite().then_some(sign * degrees)
    };
    let lat = coordinate(Tag::GPSLatitude, Tag::GPSLatitudeRef, "S");
    let lon = coordinate(Tag::GPSLongitude, Tag::GPSLongitudeRef, "W");
    match (lat, lon) {
        (Some(la), Some(lo)) if la.abs() < 1e-9 && lo.abs() < 1e-9 => {
            facts.gps_note = Some(crate::msg!("photo-gps-zero"));
        }
        (Some(la), Some(lo)) if (-90.0..=90.0).contains(&la) && (-180.0..=180.0).contains(&lo) => {
            facts.lat = Some((la * 1e6).round() / 1e6);
            facts.lon = Some((lo * 1e6).round() / 1e6);
        }
        (Some(_), Some(_)) => facts.gps_note = Some(crate::msg!("photo-gps-out-of-range")),
        _ => facts.gps_note = Some(crate::msg!("photo-no-gps")),
    }

    // Times.
    // DateTimeOriginal only: DateTime is when the file was last changed (by an editor, say), not taken.
    let local = ascii(Tag::DateTimeOriginal).and_then(|t| NaiveDateTime::parse_from_str(&t, "%Y:%m:%d %H:%M:%S").ok());
    facts.taken_local = local.map(|t| t.format("%Y-%m-%dT%H:%M:%S").to_string());
    let gps_time = match &field(Tag::GPSTimeStamp).map(|f| &f.value) {
        Some(exif::Value::Rational(parts)) if parts.len() == 3 => {
            let secs: f64 = parts
                .iter()
                .zip([3600.0, 60.0, 1.0])
                .map(|(r, unit)| {
                    if r.denom == 0 {
                        0.0
                    } else {
                        f64::from(r.num) / f64::from(r.denom) * unit
                    }
                })
                .sum();
            (secs.is_finite() && (0.0..86_400.0).contains(&secs)).then_some(secs)
        }
        _ => None,
    };
    let gps_date = ascii(Tag::GPSDateStamp).and_then(|d| NaiveDate::parse_from_str(&d, "%Y:%m:%d").ok());
    let at = |date: NaiveDate, secs: f64| {
        let midnight = date.and_time(NaiveTime::MIN).and_utc().timestamp_millis();
        midnight + (secs * 1000.0).round() as i64
    };
    facts.gps_at = match (gps_date, gps_time, local) {
        (Some(date), Some(secs), _) => Some(at(date, secs)),
        // No GPS date: the day that puts the fix nearest the local time.
        (None, Some(secs), Some(local)) => {
            let local_ms = local.and_utc().timestamp_millis();
            [-1i64, 0, 1]
                .iter()
                .filter_map(|d| local.date().checked_add_signed(chrono::Duration::days(*d)))
                .map(|date| at(date, secs))
                .min_by_key(|ms| (ms - local_ms).abs())
        }
        _ => None,
    };
    let offset_tag = ascii(Tag::OffsetTimeOriginal).or_else(|| ascii(Tag::OffsetTime));
    // Whether the fix's time agrees with the photo's own (so its position is evidence of where it was taken).
    let mut fix_agrees = false;
    if let Some(local) = local {
        let local_ms = local.and_utc().timestamp_millis();
        let place_minutes = i64::from(
            zone.offset_from_local_datetime(&local)
                .earliest()
                .map(|o| o.fix().local_minus_utc())
                .unwrap_or(0),
        ) / 60;
        let explicit = offset_tag.as_deref().and_then(parse_offset_minutes);
        // The iPhone 4 quirk: a GPS time of day with no date that equals the camera's clock (±1 min) where the
        // place is not on UTC is local time, not UTC.
        let local_secs = f64::from(local.num_seconds_from_midnight());
        let gps_is_local = explicit.is_none()
            && gps_date.is_none()
            && place_minutes != 0
            && gps_time.is_some_and(|secs| {
                let d = (secs - local_secs).abs();
                d.min(86_400.0 - d) <= 60.0
            });
        if gps_is_local {
            facts.gps_at = facts.gps_at.map(|at| at - place_minutes * 60_000);
        }
        let from_gps = facts.gps_at.filter(|_| !gps_is_local).and_then(|gps| {
            let diff = local_ms - gps;
            let quarter = 15 * 60_000;
            let rounded = (diff as f64 / quarter as f64).round() as i64 * quarter;
            ((diff - rounded).abs() <= 60_000 && rounded.abs() <= 14 * 3_600_000).then_some(rounded / 60_000)
        });
        fix_agrees = gps_is_local || from_gps.is_some();
        let zone_name = zone.name();
        let (minutes, source) = match (explicit, from_gps) {
            (Some(m), _) => (m, crate::msg!("offset-from-exif")),
            (None, _) if gps_is_local => (place_minutes, crate::msg!("offset-gps-local", zone = zone_name)),
            (None, Some(m)) if m == place_minutes => (m, crate::msg!("offset-gps-matches", zone = zone_name)),
            (None, Some(m)) => (
                place_minutes,
                crate::msg!("offset-gps-overruled", zone = zone_name, offset = format_offset(m)),
            ),
            (None, None) => (place_minutes, crate::msg!("offset-from-zone", zone = zone_name)),
        };
        facts.taken_at = Some(local_ms - minutes * 60_000);
        facts.offset = Some(format_offset(minutes));
        facts.offset_source = Some(source);
    } else if let (Some(gps), Some(_)) = (facts.gps_at, gps_date) {
        // No camera time, but a dated GPS fix: that is when the picture was taken.
        facts.taken_at = Some(gps);
        facts.offset_source = Some(crate::msg!("offset-gps-only"));
        fix_agrees = true;
    }
    // A stale fix is no evidence of place.
    if let (Some(gps), Some(taken), Some(_)) = (facts.gps_at, facts.taken_at, facts.lat) {
        let minutes = (taken - gps).abs() / 60_000;
        if !fix_agrees && minutes > STALE_FIX_MINUTES {
            facts.gps_note = Some(crate::msg!("photo-gps-stale", apart = span(minutes * 60_000)));
            facts.lat = None;
            facts.lon = None;
        }
    }
    facts
}

fn format_offset(minutes: i64) -> String {
    format!(
        "{}{:02}:{:02}",
        if minutes < 0 { '-' } else { '+' },
        minutes.abs() / 60,
        minutes.abs() % 60
    )
}

fn parse_offset_minutes(text: &str) -> Option<i64> {
    let (sign, rest) = match text.as_bytes().first()? {
        b'+' => (1, &text[1..]),
        b'-' => (-1, &text[1..]),
        _ => return None,
    };
    let (h, m) = rest.split_once(':')?;
    let (h, m): (i64, i64) = (h.parse().ok()?, m.parse().ok()?);
    (h <= 14 && m < 60).then_some(sign * (h * 60 + m))
}

use chrono::Offset as _;

/// The verdicts of one photo against its visit.
#[derive(Debug, Clone, PartialEq)]
pub struct PhotoVerdicts {
    pub gps: Verdict,
    pub gps_note: super::Msg,
    pub time: Verdict,
    pub time_note: super::Msg,
}

/// Judges a photo's EXIF against the venue (geofence plus `gps_slack_m`) and the visit's time span
/// (`from`–`to`, device times, widened by `tolerance_min` on both sides).
pub fn verdicts(
    facts: &ExifFacts,
    venue: (f64, f64, f64),
    gps_slack_m: f64,
    from: i64,
    to: i64,
    tolerance_min: u32,
) -> PhotoVerdicts {
    let (venue_lat, venue_lon, geofence_m) = venue;
    let (gps, gps_note) = match (facts.lat, facts.lon) {
        (Some(lat), Some(lon)) => {
            let d = distance_m(lat, lon, venue_lat, venue_lon);
            let verdict = if d <= geofence_m + gps_slack_m {
                Verdict::Pass
            } else {
                Verdict::Fail
            };
            (verdict, crate::msg!("photo-taken-from-venue", distance = distance(d)))
        }
        _ => (
            Verdict::NoData,
            facts.gps_note.clone().unwrap_or_else(|| crate::msg!("photo-no-gps")),
        ),
    };
    let tolerance = i64::from(tolerance_min) * 60_000;
    let (time, time_note) = match facts.taken_at {
        None => (Verdict::NoData, crate::msg!("photo-no-time")),
        Some(t) if t < from - tolerance => (Verdict::Fail, crate::msg!("photo-taken-before", apart = span(from - t))),
        Some(t) if t > to + tolerance => (Verdict::Fail, crate::msg!("photo-taken-after", apart = span(t - to))),
        Some(_) => (Verdict::Pass, crate::msg!("photo-taken-during")),
    };
    PhotoVerdicts {
        gps,
        gps_note,
        time,
        time_note,
    }
}

/// A time apart in words: minutes under two hours, hours under three days, else days.
pub fn span(ms: i64) -> super::Msg {
    let minutes = ms / 60_000;
    if minutes < 120 {
        crate::msg!("duration-minutes", n = minutes)
    } else if minutes < 72 * 60 {
        crate::msg!("duration-hours", n = minutes / 60)
    } else {
        crate::msg!("duration-days", n = minutes / (24 * 60))
    }
}

/// A distance in words: metres under 10 km, else kilometres.
pub fn distance(metres: f64) -> super::Msg {
    if metres >= 10_000.0 {
        crate::msg!("distance-km", n = (metres / 1000.0).round())
    } else {
        crate::msg!("distance-m", n = metres.round())
    }
}

/// Where a photo came from: the app's own camera view (with a capture token and the phone's fix at that
/// moment), or picked from the phone's gallery (whose EXIF browsers and Android now strip of GPS).
#[derive(async_graphql::Enum, Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PhotoSource {
    LiveCamera,
    #[default]
    Gallery,
}

impl PhotoSource {
    pub fn as_str(self) -> &'static str {
        match self {
            PhotoSource::LiveCamera => "LIVE_CAMERA",
            PhotoSource::Gallery => "GALLERY",
        }
    }

    /// The stored form back; anything else is an error, never a default.
    pub fn parse(text: &str) -> Result<Self, super::UnknownValue> {
        [PhotoSource::LiveCamera, PhotoSource::Gallery]
            .into_iter()
            .find(|s| s.as_str() == text)
            .ok_or_else(|| super::UnknownValue::new("photo source", text))
    }
}

/// The phone's own fix when the app's camera took the photo.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CaptureFix {
    pub lat: f64,
    pub lon: f64,
    pub accuracy_m: f64,
    /// The phone's clock at capture, ms.
    pub at: i64,
    /// When the server issued the capture token the photo came with (server clock, ms); absent for photos
    /// stored before this was recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_issued_at: Option<i64>,
}

/// How far the phone's clock may be behind the server's before a capture counts as older than its token.
pub const CAPTURE_CLOCK_SLACK_MS: i64 = 5 * 60_000;

impl CaptureFix {
    /// The photo was taken before its token existed: the phone had none yet (the visit began offline) and got
    /// one when it sent the photo. The token then proves nothing about when the picture was taken.
    pub fn taken_before_token(&self) -> bool {
        self.token_issued_at
            .is_some_and(|issued| self.at + CAPTURE_CLOCK_SLACK_MS < issued)
    }
}

/// A capture fix judged like a photo's EXIF: the place within the geofence + slack (a poor fix gets the benefit
/// of the doubt up to 50 m, as at check-in), the time within the visit.
pub fn capture_verdicts(
    fix: &CaptureFix,
    venue: (f64, f64, f64),
    gps_slack_m: f64,
    from: i64,
    to: i64,
    tolerance_min: u32,
) -> PhotoVerdicts {
    let facts = ExifFacts {
        present: true,
        lat: Some(fix.lat),
        lon: Some(fix.lon),
        taken_at: Some(fix.at),
        orientation: 1,
        ..ExifFacts::default()
    };
    let allowance = fix.accuracy_m.clamp(0.0, 50.0);
    let mut v = verdicts(&facts, venue, gps_slack_m + allowance, from, to, tolerance_min);
    v.gps_note = crate::msg!("photo-note-phone-position", note = v.gps_note);
    v.time_note = crate::msg!("photo-note-phone-clock", note = v.time_note);
    v
}

/// Does the photo's own EXIF contradict the capture fix? A position more than 500 m (plus the fix's accuracy)
/// away, or a time more than 15 minutes apart, says the file is not the picture the app took.
pub fn capture_disagreement(exif: &ExifFacts, fix: &CaptureFix) -> Option<super::Msg> {
    if let (Some(lat), Some(lon)) = (exif.lat, exif.lon) {
        let d = distance_m(lat, lon, fix.lat, fix.lon);
        if d > 500.0 + fix.accuracy_m.clamp(0.0, 500.0) {
            return Some(crate::msg!("capture-gps-disagrees", apart = distance(d)));
        }
    }
    if let Some(taken) = exif.taken_at {
        let minutes = (taken - fix.at).abs() / 60_000;
        if minutes > 15 {
            return Some(crate::msg!("capture-time-disagrees", apart = span(minutes * 60_000)));
        }
    }
    None
}

/// Hamming distance between two 64-bit perceptual hashes.
pub fn hamming(a: u64, b: u64) -> u32 {
    (a ^ b).count_ones()
}

/// Hashes at most this far apart are near-duplicates (re-encoded, resized or lightly edited copies).
pub const NEAR_DUPLICATE_DISTANCE: u32 = 6;

/// The four 16-bit bands of a hash, stored and indexed with each photo.
pub fn bands(hash: u64) -> [i64; 4] {
    [0, 1, 2, 3].map(|i| ((hash >> (16 * i)) & 0xffff) as i64)
}

/// The band values to look up so that **every** stored hash within `NEAR_DUPLICATE_DISTANCE` of `hash` is a
/// candidate: per band, its own value and the 16 values one bit away. Why it is exhaustive: two hashes at
/// distance ≤ 7 differ in at most 7 bits spread over 4 bands, so some band differs in at most one bit
/// (otherwise ≥ 2 × 4 = 8 bits). 68 indexed equality lookups; at 1 M stored hashes about a thousand candidates,
/// each then measured exactly (benchmark `near_duplicates`).
pub fn band_probes(hash: u64) -> [[i64; 17]; 4] {
    bands(hash).map(|band| {
        let mut probes = [band; 17];
        for bit in 0..16 {
            probes[bit + 1] = band ^ (1 << bit);
        }
        probes
    })
}

/// The crop windows hashed with every photo (size as a share of each side, anchor as the share of the free
/// margin left and above): seven sizes from 97 % to 85 % in steps of 2 %, at the centre and the four corners.
/// A crop of 85–95 % of a photo, centred or cut from a corner, hashes within `NEAR_DUPLICATE_DISTANCE` of
/// the nearest window (measured on the real photos in the tests: at most 6).
pub const CROP_WINDOWS: [(f32, (f32, f32)); 35] = {
    const SIZES: [f32; 7] = [0.97, 0.95, 0.93, 0.91, 0.89, 0.87, 0.85];
    const ANCHORS: [(f32, f32); 5] = [(0.5, 0.5), (0.0, 0.0), (1.0, 0.0), (0.0, 1.0), (1.0, 1.0)];
    let mut out = [(0.0, (0.0, 0.0)); 35];
    let mut i = 0;
    while i < 35 {
        out[i] = (SIZES[i % 7], ANCHORS[i / 7]);
        i += 1;
    }
    out
};

/// How far apart two pictures are when one may be a crop of the other: the least distance between the whole
/// of one and the whole or a crop window of the other.
pub fn crop_distance(a: u64, a_windows: &[u64], b: u64, b_windows: &[u64]) -> u32 {
    let whole = hamming(a, b);
    let a_in_b = b_windows.iter().map(|w| hamming(a, *w)).min().unwrap_or(u32::MAX);
    let b_in_a = a_windows.iter().map(|w| hamming(b, *w)).min().unwrap_or(u32::MAX);
    whole.min(a_in_b).min(b_in_a)
}

/// Crop-window hashes as stored (hex, comma-separated) and back; unreadable parts are skipped.
pub fn format_hashes(hashes: &[u64]) -> String {
    hashes.iter().map(|h| format!("{h:016x}")).collect::<Vec<_>>().join(",")
}

pub fn parse_hashes(text: &str) -> Vec<u64> {
    text.split(',')
        .filter_map(|h| u64::from_str_radix(h.trim(), 16).ok())
        .collect()
}

/// An earlier photo of another visit that this one copies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuplicateOf {
    pub photo_id: String,
    pub visit_id: String,
    /// Hamming distance of the perceptual hashes (0 for identical pictures).
    pub distance: u32,
    /// The very same file (identical SHA-256), not merely the same picture.
    pub exact: bool,
}

/// The verdict notes stored with a photo's EXIF facts.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StoredExif {
    #[serde(flatten)]
    pub facts: ExifFacts,
    /// The verdict notes (the facts carry their own `gpsNote` about missing data).
    pub gps_verdict_note: super::Msg,
    pub time_verdict_note: super::Msg,
    /// The other visit and Hamming distance, for a duplicate.
    pub duplicate_visit: Option<String>,
    pub duplicate_distance: Option<u32>,
    /// The very same file (identical SHA-256); absent in photos stored before this was recorded, where a
    /// distance of 0 meant the same file.
    #[serde(default)]
    pub duplicate_exact: Option<bool>,
    #[serde(default)]
    pub source: PhotoSource,
    /// The phone's fix when the app's camera took it (live-camera photos).
    #[serde(default)]
    pub capture: Option<CaptureFix>,
    /// Why the file's EXIF contradicts the capture, when it does.
    #[serde(default)]
    pub capture_mismatch: Option<super::Msg>,
}

impl StoredExif {
    pub fn set_duplicate(&mut self, duplicate: Option<&DuplicateOf>) {
        self.duplicate_visit = duplicate.map(|d| d.visit_id.clone());
        self.duplicate_distance = duplicate.map(|d| d.distance);
        self.duplicate_exact = duplicate.map(|d| d.exact);
    }
}

/// A photo judged against its visit: the EXIF verdicts always, and for a live-camera photo the verdicts of the
/// phone's fix at capture and whether the file contradicts that fix.
#[derive(Debug, Clone)]
pub struct Judged {
    pub exif: PhotoVerdicts,
    pub capture: Option<PhotoVerdicts>,
    pub mismatch: Option<super::Msg>,
}

impl Judged {
    /// The verdicts that count: the capture's when there is one, else the EXIF's.
    pub fn effective(&self) -> &PhotoVerdicts {
        self.capture.as_ref().unwrap_or(&self.exif)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A note as an English reader sees it.
    fn en(m: &crate::domain::Msg) -> String {
        crate::i18n::render(crate::domain::Language::En, m)
    }

    #[test]
    fn a_capture_older_than_its_token_is_told_apart_with_clock_slack() {
        let fix = |at: i64, issued: Option<i64>| CaptureFix {
            lat: 49.84,
            lon: 24.03,
            accuracy_m: 10.0,
            at,
            token_issued_at: issued,
        };
        let issued = 1_800_000_000_000;
        assert!(!fix(issued + 60_000, Some(issued)).taken_before_token());
        // A phone clock a few minutes behind is not an accusation…
        assert!(!fix(issued - CAPTURE_CLOCK_SLACK_MS, Some(issued)).taken_before_token());
        // …a picture taken well before the token existed is.
        assert!(fix(issued - CAPTURE_CLOCK_SLACK_MS - 1, Some(issued)).taken_before_token());
        // Photos stored before the issue time was recorded are not judged.
        assert!(!fix(0, None).taken_before_token());
        // Stored as before when there is no issue time; read back with one.
        let json = serde_json::to_string(&fix(5, None)).unwrap();
        assert!(!json.contains("tokenIssuedAt"));
        let back: CaptureFix = serde_json::from_str(&serde_json::to_string(&fix(5, Some(9))).unwrap()).unwrap();
        assert_eq!(back.token_issued_at, Some(9));
    }

    /// A fixture photo read as if its venue were in Kyiv.
    fn photo(name: &str) -> ExifFacts {
        photo_in(name, chrono_tz::Europe::Kyiv)
    }

    /// A fixture photo read for a venue in `zone`.
    fn photo_in(name: &str, zone: chrono_tz::Tz) -> ExifFacts {
        let path = format!(
            "{}/../tests/fixtures/photos/{name}",
            std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").to_string())
        );
        read_exif(&std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}")), zone)
    }

    fn utc(text: &str) -> i64 {
        chrono::DateTime::parse_from_rfc3339(text).unwrap().timestamp_millis()
    }

    // Expected values: tests/fixtures/SOURCES.md, "Photos — EXIF table".

    #[test]
    fn exif_written_by_piexif_is_read_despite_its_missing_next_ifd_offsets() {
        // tests/fixtures/photos/made/: EXIF written with piexif 1.1.3 (see make_photos.py there).
        let strict = exif::Reader::new().read_from_container(&mut std::io::Cursor::new(
            std::fs::read(format!(
                "{}/../tests/fixtures/photos/made/piexif_lviv.jpg",
                std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").to_string())
            ))
            .unwrap(),
        ));
        assert!(
            strict.is_err(),
            "the file exercises the fault: a strict reader refuses it"
        );
        let f = photo("made/piexif_lviv.jpg");
        assert!(f.present);
        assert_eq!((f.lat, f.lon), (Some(49.84195), Some(24.0316)));
        assert_eq!(f.taken_local.as_deref(), Some("2026-12-01T12:10:00"));
        assert_eq!(f.gps_at, Some(utc("2026-12-01T10:10:00Z")));
        assert_eq!(f.taken_at, Some(utc("2026-12-01T10:10:00Z")));
    }

    // The EXIF time table (docs/VISITS.md), one test per row, with the files of tests/fixtures/photos/made/.

    #[test]
    fn no_offset_and_no_gps_time_is_read_in_the_venue_zone() {
        use chrono_tz::Europe::{Dublin, Kyiv, Rome};
        let f = photo_in("made/nokia_dublin.jpg", Dublin);
        assert_eq!(f.taken_at, Some(utc("2026-07-15T10:00:00Z")), "{f:?}");
        assert_eq!(f.offset.as_deref(), Some("+01:00"));
        assert!(en(f.offset_source.as_ref().unwrap()).contains("Europe/Dublin"), "{f:?}");
        assert!(f.lat.is_some(), "no GPS time: the position stands");
        // Read in Kyiv time, as before venues had zones, it was two hours early.
        assert_eq!(
            photo_in("made/nokia_dublin.jpg", Kyiv).taken_at,
            Some(utc("2026-07-15T08:00:00Z"))
        );
        let f = photo_in("made/nikon_genoa.jpg", Rome);
        assert_eq!(f.taken_at, Some(utc("2026-01-20T14:30:00Z")), "{f:?}");
        assert!(f.lat.is_none());
    }

    #[test]
    fn an_iphone_4_gps_time_is_its_local_time() {
        let f = photo_in("made/iphone4_rome.jpg", chrono_tz::Europe::Rome);
        assert_eq!(f.taken_at, Some(utc("2026-01-20T14:30:00Z")), "{f:?}");
        assert_eq!(f.gps_at, Some(utc("2026-01-20T14:30:03Z")), "{f:?}");
        assert_eq!(f.offset.as_deref(), Some("+01:00"));
        assert_eq!(
            (f.lat, f.lon),
            (Some(41.8902), Some(12.4922)),
            "the fix is fresh: {f:?}"
        );
    }

    #[test]
    fn a_camera_clock_in_another_zone_loses_to_the_place() {
        let f = photo_in("made/camera_on_kyiv_time_in_dublin.jpg", chrono_tz::Europe::Dublin);
        // The place's own offset (+00:00 in December) wins over the +02:00 the GPS time suggests…
        assert_eq!(f.offset.as_deref(), Some("+00:00"), "{f:?}");
        assert_eq!(f.taken_at, Some(utc("2026-12-01T12:10:00Z")));
        assert!(
            en(f.offset_source.as_ref().unwrap()).contains("+02:00 from GPS"),
            "{f:?}"
        );
        // …and the fix, which agrees with the camera clock up to that offset, still places the photo.
        assert!(f.lat.is_some(), "{f:?}");
    }

    #[test]
    fn gps_date_and_time_agreeing_with_the_place_and_gps_alone() {
        let f = photo_in("made/piexif_lviv.jpg", chrono_tz::Europe::Kyiv);
        assert_eq!(f.offset.as_deref(), Some("+02:00"));
        assert!(
            en(f.offset_source.as_ref().unwrap()).starts_with("GPS time, matching"),
            "{f:?}"
        );
        let f = photo_in("made/gps_time_only_lviv.jpg", chrono_tz::Europe::Kyiv);
        assert_eq!(f.taken_local, None);
        assert_eq!(f.taken_at, Some(utc("2026-12-01T10:10:00Z")), "{f:?}");
        assert!(f.lat.is_some());
    }

    #[test]
    fn nokia_has_an_explicit_offset_and_a_fresh_fix() {
        let f = photo("HMD_Nokia_8.3_5G.jpg");
        assert_eq!((f.lat, f.lon), (Some(60.146706), Some(24.906772)));
        assert_eq!(f.taken_local.as_deref(), Some("2022-08-14T14:12:31"));
        assert_eq!(f.offset.as_deref(), Some("+03:00"));
        assert_eq!(f.offset_source.as_ref().map(en).as_deref(), Some("OffsetTimeOriginal"));
        assert_eq!(f.taken_at, Some(utc("2022-08-14T11:12:31Z")));
        assert_eq!(f.gps_at, Some(utc("2022-08-14T11:12:32Z")));
        assert_eq!(f.orientation, 1);
        assert_eq!(f.make.as_deref(), Some("HMD Global"));
        assert_eq!(f.model.as_deref(), Some("Nokia 8.3 5G"));
    }

    #[test]
    fn iphone_6_offset_comes_from_gps_time() {
        // Madrid: the GPS time confirms the place's own offset (UTC+2 in April).
        let f = photo_in("iphone_hdr_NO.jpg", chrono_tz::Europe::Madrid);
        assert_eq!((f.lat, f.lon), (Some(40.446972), Some(-3.724753)));
        assert_eq!(f.offset.as_deref(), Some("+02:00"));
        assert_eq!(
            f.offset_source.as_ref().map(en).as_deref(),
            Some("GPS time, matching the venue's time zone (Europe/Madrid)")
        );
        assert_eq!(f.taken_at, Some(utc("2015-04-10T18:12:23Z")));
        assert_eq!(f.model.as_deref(), Some("iPhone 6"));
    }

    #[test]
    fn iphone_5_gps_time_without_a_date_and_rotated_180() {
        let f = photo_in("Apple_iPhone_5.jpg", chrono_tz::America::Los_Angeles);
        assert_eq!((f.lat, f.lon), (Some(47.627167), Some(-122.337333)));
        assert_eq!(f.orientation, 3);
        // 16:11:25 local, 23:11:25.63 UTC on the same day: Seattle, UTC−7.
        assert_eq!(f.gps_at, Some(utc("2012-09-29T23:11:25.630Z")));
        assert_eq!(f.offset.as_deref(), Some("-07:00"));
        assert_eq!(f.taken_at, Some(utc("2012-09-29T23:11:25Z")));
    }

    #[test]
    fn samsung_null_island_is_no_fix() {
        let f = photo("Samsung_GT-I9000_Galaxy_S.jpg");
        assert_eq!((f.lat, f.lon), (None, None));
        assert!(en(&f.gps_note.unwrap()).contains("no fix"));
        assert_eq!(f.orientation, 6);
        assert_eq!(f.taken_local.as_deref(), Some("2011-04-02T18:30:10"));
    }

    #[test]
    fn nikon_d5000_zero_over_zero_seconds_read_as_zero() {
        let f = photo("Nikon_D5000.jpg");
        let (lat, lon) = (f.lat.unwrap(), f.lon.unwrap());
        assert!(
            (lat - 48.888726).abs() < 1e-5 && (lon - 21.043251).abs() < 1e-5,
            "{lat} {lon}"
        );
        assert_eq!(f.gps_at, None);
        // No offset and no GPS time: the local time is read in the venue's zone (Kyiv here, UTC+2 in March 2011).
        assert_eq!(
            f.offset_source.as_ref().map(en).as_deref(),
            Some("the venue's time zone (Europe/Kyiv); the photo gives no offset")
        );
        assert_eq!(f.taken_at, Some(utc("2011-03-12T13:36:11Z")));
    }

    #[test]
    fn nexus_4_and_dscn0010_have_stale_fixes() {
        let f = photo("Nexus_4.jpg");
        assert_eq!(f.gps_at, Some(utc("2013-01-19T15:50:09Z")));
        assert_eq!(f.lat, None, "a fix a day old is no evidence of place");
        assert!(en(f.gps_note.as_ref().unwrap()).contains("stale"));
        let f = photo("DSCN0010.jpg");
        assert_eq!(f.gps_at, Some(utc("2008-10-23T14:27:07.240Z")));
        assert_eq!(f.taken_local.as_deref(), Some("2008-10-22T16:28:39"));
        assert!(en(f.gps_note.as_ref().unwrap()).contains("stale"));
    }

    #[test]
    fn photos_without_gps_or_exif() {
        let f = photo("Canon_40D.jpg");
        assert!(f.present);
        assert_eq!(f.lat, None);
        assert_eq!(f.taken_local.as_deref(), Some("2008-05-30T15:56:01"));
        // An image edited in Photoshop: an EXIF block with the editor's DateTime, but nothing from a camera.
        let f = photo("no_exif.jpg");
        assert_eq!((f.taken_local, f.taken_at, f.lat, f.make), (None, None, None, None));
    }

    #[test]
    fn heic_exif_is_read_from_the_container() {
        let f = photo("IMG_5195.HEIC");
        assert_eq!((f.lat, f.lon), (Some(39.051344), Some(-94.288772)));
        assert_eq!(f.offset.as_deref(), Some("-05:00"));
        assert_eq!(f.taken_at, Some(utc("2021-04-11T20:47:53Z")));
    }

    #[test]
    fn garbage_exif_is_no_exif() {
        let mut bytes = vec![0xFF, 0xD8, 0xFF, 0xE1, 0x00, 0x10];
        bytes.extend_from_slice(b"Exif\0\0II*\0\xff\xff\xff\xff");
        bytes.extend_from_slice(&[0xFF, 0xD9]);
        let f = read_exif(&bytes, chrono_tz::Europe::Kyiv);
        assert!(!f.present);
    }

    #[test]
    fn verdicts_against_the_visit() {
        let f = photo("HMD_Nokia_8.3_5G.jpg");
        let venue = (60.1467, 24.9068, 150.0);
        let checkin = utc("2022-08-14T11:00:00Z");
        let v = verdicts(&f, venue, 100.0, checkin, checkin + 30 * 60_000, 30);
        assert_eq!((v.gps, v.time), (Verdict::Pass, Verdict::Pass), "{v:?}");
        // The same photo against a visit in Lviv a day later.
        let lviv = (49.8397, 24.0297, 150.0);
        let later = checkin + 86_400_000;
        let v = verdicts(&f, lviv, 100.0, later, later + 30 * 60_000, 30);
        assert_eq!((v.gps, v.time), (Verdict::Fail, Verdict::Fail));
        assert!(
            en(&v.gps_note).contains("km from the venue") && en(&v.time_note).contains("before check-in"),
            "{v:?}"
        );
        let v = verdicts(&photo("no_exif.jpg"), lviv, 100.0, later, later, 30);
        assert_eq!((v.gps, v.time), (Verdict::NoData, Verdict::NoData));
    }

    /// Is `b` found when the database is probed for `a`?
    fn found(a: u64, b: u64) -> bool {
        band_probes(a)
            .iter()
            .zip(bands(b))
            .any(|(probes, stored)| probes.contains(&stored))
    }

    #[test]
    fn probes_find_a_crop_five_bits_away_that_shares_no_band() {
        // Five flipped bits, at least one in every band: the old "share a band" search missed such pairs.
        let a: u64 = 0x0123_4567_89ab_cdef;
        let b = a ^ (1 << 3) ^ (1 << 20) ^ (1 << 40) ^ (1 << 41) ^ (1 << 60);
        assert_eq!(hamming(a, b), 5);
        assert!(!bands(a).iter().zip(bands(b)).any(|(x, y)| *x == y));
        assert!(found(a, b));
    }

    proptest::proptest! {
        /// Every hash within the threshold is a candidate, wherever its differing bits fall.
        #[test]
        fn probes_find_every_hash_within_the_threshold(
            a in proptest::prelude::any::<u64>(),
            bits in proptest::collection::btree_set(0u32..64, 0..=(NEAR_DUPLICATE_DISTANCE as usize)),
        ) {
            let b = bits.iter().fold(a, |h, bit| h ^ (1u64 << bit));
            proptest::prop_assert!(hamming(a, b) <= NEAR_DUPLICATE_DISTANCE);
            proptest::prop_assert!(found(a, b));
        }
    }

    #[test]
    fn probes_cover_every_pattern_of_six_bits_over_the_bands() {
        // Exhaustive over how many differing bits fall in each band (the only thing that matters).
        for counts in (0..=6u32).flat_map(|a| {
            (0..=6 - a)
                .flat_map(move |b| (0..=6 - a - b).flat_map(move |c| (0..=6 - a - b - c).map(move |d| [a, b, c, d])))
        }) {
            let mut h: u64 = 0;
            for (band, n) in counts.iter().enumerate() {
                for bit in 0..*n {
                    h ^= 1 << (16 * band as u32 + bit);
                }
            }
            assert!(found(0, h), "{counts:?}");
        }
    }
}
