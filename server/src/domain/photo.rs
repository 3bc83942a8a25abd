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

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, TimeZone};
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
    pub gps_note: Option<String>,
    /// The GPS fix time, ms since the epoch (UTC by definition).
    pub gps_at: Option<i64>,
    /// DateTimeOriginal as written (camera-local), "YYYY-MM-DDTHH:MM:SS".
    pub taken_local: Option<String>,
    /// The offset used for the local time, "+03:00", and where it came from.
    pub offset: Option<String>,
    pub offset_source: Option<String>,
    /// The photo's time, ms since the epoch.
    pub taken_at: Option<i64>,
    /// EXIF Orientation (1–8), 1 when absent.
    pub orientation: u16,
    pub make: Option<String>,
    pub model: Option<String>,
}

/// Reads the EXIF of a JPEG, PNG, WebP or HEIF file. Missing or unreadable EXIF gives `present: false` (never
/// an error: a photo without EXIF is still a photo, it just proves less).
pub fn read_exif(bytes: &[u8]) -> ExifFacts {
    let Ok(exif) = exif::Reader::new().read_from_container(&mut std::io::Cursor::new(bytes)) else {
        return ExifFacts {
            orientation: 1,
            gps_note: Some("the photo carries no EXIF data".into()),
            ..ExifFacts::default()
        };
    };
    facts_from(&exif)
}

fn facts_from(exif: &exif::Exif) -> ExifFacts {
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
            facts.gps_note = Some("the photo's GPS reads 0, 0: the camera had no fix".into());
        }
        (Some(la), Some(lo)) if (-90.0..=90.0).contains(&la) && (-180.0..=180.0).contains(&lo) => {
            facts.lat = Some((la * 1e6).round() / 1e6);
            facts.lon = Some((lo * 1e6).round() / 1e6);
        }
        (Some(_), Some(_)) => facts.gps_note = Some("the photo's GPS position is out of range".into()),
        _ => facts.gps_note = Some("the photo has no GPS position".into()),
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
    if let Some(local) = local {
        let local_ms = local.and_utc().timestamp_millis();
        let explicit = offset_tag.as_deref().and_then(parse_offset_minutes);
        let from_gps = facts.gps_at.and_then(|gps| {
            let diff = local_ms - gps;
            let quarter = 15 * 60_000;
            let rounded = (diff as f64 / quarter as f64).round() as i64 * quarter;
            ((diff - rounded).abs() <= 60_000 && rounded.abs() <= 14 * 3_600_000).then_some(rounded / 60_000)
        });
        let (minutes, source) = match (explicit, from_gps) {
            (Some(m), _) => (m, "OffsetTimeOriginal"),
            (None, Some(m)) => (m, "GPS time"),
            (None, None) => {
                let kyiv = chrono_tz::Europe::Kyiv
                    .from_local_datetime(&local)
                    .earliest()
                    .map(|t| t.offset().fix().local_minus_utc() / 60)
                    .unwrap_or(120);
                (i64::from(kyiv), "assumed Europe/Kyiv")
            }
        };
        facts.taken_at = Some(local_ms - minutes * 60_000);
        facts.offset = Some(format!(
            "{}{:02}:{:02}",
            if minutes < 0 { '-' } else { '+' },
            minutes.abs() / 60,
            minutes.abs() % 60
        ));
        facts.offset_source = Some(source.into());
    }
    // A stale fix is no evidence of place.
    if let (Some(gps), Some(taken), Some(_)) = (facts.gps_at, facts.taken_at, facts.lat) {
        let minutes = (taken - gps).abs() / 60_000;
        if minutes > STALE_FIX_MINUTES {
            facts.gps_note = Some(format!(
                "the GPS fix is stale: recorded {} from the photo's own time",
                if minutes >= 120 {
                    format!("{} h", minutes / 60)
                } else {
                    format!("{minutes} min")
                }
            ));
            facts.lat = None;
            facts.lon = None;
        }
    }
    facts
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
    pub gps_note: String,
    pub time: Verdict,
    pub time_note: String,
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
            if d <= geofence_m + gps_slack_m {
                (Verdict::Pass, format!("taken {d:.0} m from the venue"))
            } else if d >= 10_000.0 {
                (Verdict::Fail, format!("taken {:.0} km from the venue", d / 1000.0))
            } else {
                (Verdict::Fail, format!("taken {d:.0} m from the venue"))
            }
        }
        _ => (
            Verdict::NoData,
            facts
                .gps_note
                .clone()
                .unwrap_or_else(|| "the photo has no GPS position".into()),
        ),
    };
    let tolerance = i64::from(tolerance_min) * 60_000;
    let (time, time_note) = match facts.taken_at {
        None => (Verdict::NoData, "the photo has no time".to_string()),
        Some(t) if t < from - tolerance => (Verdict::Fail, format!("taken {} before check-in", span(from - t))),
        Some(t) if t > to + tolerance => (Verdict::Fail, format!("taken {} after check-out", span(t - to))),
        Some(_) => (Verdict::Pass, "taken during the visit".to_string()),
    };
    PhotoVerdicts {
        gps,
        gps_note,
        time,
        time_note,
    }
}

fn span(ms: i64) -> String {
    let minutes = ms / 60_000;
    if minutes < 120 {
        format!("{minutes} min")
    } else if minutes < 72 * 60 {
        format!("{} h", minutes / 60)
    } else {
        format!("{} days", minutes / (24 * 60))
    }
}

/// Hamming distance between two 64-bit perceptual hashes.
pub fn hamming(a: u64, b: u64) -> u32 {
    (a ^ b).count_ones()
}

/// Hashes at most this far apart are near-duplicates (re-encoded, resized or lightly edited copies).
pub const NEAR_DUPLICATE_DISTANCE: u32 = 6;

/// The four 16-bit bands of a hash. Two hashes within distance 3 share at least one band (pigeonhole), which
/// is how the database finds candidates without scanning every photo.
pub fn bands(hash: u64) -> [i64; 4] {
    [0, 1, 2, 3].map(|i| ((hash >> (16 * i)) & 0xffff) as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn photo(name: &str) -> ExifFacts {
        let path = format!(
            "{}/../tests/fixtures/photos/{name}",
            std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").to_string())
        );
        read_exif(&std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}")))
    }

    fn utc(text: &str) -> i64 {
        chrono::DateTime::parse_from_rfc3339(text).unwrap().timestamp_millis()
    }

    // Expected values: tests/fixtures/SOURCES.md, "Photos — EXIF table".

    #[test]
    fn nokia_has_an_explicit_offset_and_a_fresh_fix() {
        let f = photo("HMD_Nokia_8.3_5G.jpg");
        assert_eq!((f.lat, f.lon), (Some(60.146706), Some(24.906772)));
        assert_eq!(f.taken_local.as_deref(), Some("2022-08-14T14:12:31"));
        assert_eq!(f.offset.as_deref(), Some("+03:00"));
        assert_eq!(f.offset_source.as_deref(), Some("OffsetTimeOriginal"));
        assert_eq!(f.taken_at, Some(utc("2022-08-14T11:12:31Z")));
        assert_eq!(f.gps_at, Some(utc("2022-08-14T11:12:32Z")));
        assert_eq!(f.orientation, 1);
        assert_eq!(f.make.as_deref(), Some("HMD Global"));
        assert_eq!(f.model.as_deref(), Some("Nokia 8.3 5G"));
    }

    #[test]
    fn iphone_6_offset_comes_from_gps_time() {
        let f = photo("iphone_hdr_NO.jpg");
        assert_eq!((f.lat, f.lon), (Some(40.446972), Some(-3.724753)));
        assert_eq!(f.offset.as_deref(), Some("+02:00"));
        assert_eq!(f.offset_source.as_deref(), Some("GPS time"));
        assert_eq!(f.taken_at, Some(utc("2015-04-10T18:12:23Z")));
        assert_eq!(f.model.as_deref(), Some("iPhone 6"));
    }

    #[test]
    fn iphone_5_gps_time_without_a_date_and_rotated_180() {
        let f = photo("Apple_iPhone_5.jpg");
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
        assert!(f.gps_note.unwrap().contains("no fix"));
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
        // No offset and no GPS time: the local time is read in Kyiv (UTC+2 in March 2011).
        assert_eq!(f.offset_source.as_deref(), Some("assumed Europe/Kyiv"));
        assert_eq!(f.taken_at, Some(utc("2011-03-12T13:36:11Z")));
    }

    #[test]
    fn nexus_4_and_dscn0010_have_stale_fixes() {
        let f = photo("Nexus_4.jpg");
        assert_eq!(f.gps_at, Some(utc("2013-01-19T15:50:09Z")));
        assert_eq!(f.lat, None, "a fix a day old is no evidence of place");
        assert!(f.gps_note.as_deref().unwrap().contains("stale"));
        let f = photo("DSCN0010.jpg");
        assert_eq!(f.gps_at, Some(utc("2008-10-23T14:27:07.240Z")));
        assert_eq!(f.taken_local.as_deref(), Some("2008-10-22T16:28:39"));
        assert!(f.gps_note.as_deref().unwrap().contains("stale"));
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
        let f = read_exif(&bytes);
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
            v.gps_note.contains("km from the venue") && v.time_note.contains("before check-in"),
            "{v:?}"
        );
        let v = verdicts(&photo("no_exif.jpg"), lviv, 100.0, later, later, 30);
        assert_eq!((v.gps, v.time), (Verdict::NoData, Verdict::NoData));
    }

    #[test]
    fn bands_share_one_within_distance_three() {
        let a: u64 = 0x0123_4567_89ab_cdef;
        let b = a ^ (1 << 3) ^ (1 << 20) ^ (1 << 40);
        assert_eq!(hamming(a, b), 3);
        assert!(bands(a).iter().zip(bands(b)).any(|(x, y)| *x == y));
    }
}
