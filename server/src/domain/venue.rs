//! Venues: type codes, geofence radius, opening hours, and distances on the map.

use geo::{Distance as _, Haversine, Point};

use super::ValidationError;

/// What kind of place a venue is: an upper-case code such as `CNAP`, `CNAP_BRANCH`, `RESTAURANT`,
/// `SUPERMARKET`, `SHOP`; new kinds need no code change (2 to 40 of A–Z, 0–9, `_`, starting with a letter).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VenueType(String);

impl VenueType {
    pub const KNOWN: [&'static str; 5] = ["CNAP", "CNAP_BRANCH", "RESTAURANT", "SUPERMARKET", "SHOP"];

    pub fn parse(field: &str, value: &str) -> Result<Self, ValidationError> {
        let code = value.trim().to_uppercase().replace([' ', '-'], "_");
        let valid = (2..=40).contains(&code.len())
            && code.starts_with(|c: char| c.is_ascii_uppercase())
            && code
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
        if !valid {
            return Err(ValidationError::new(field, crate::msg!("venue-type-code")));
        }
        Ok(Self(code))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The geofence radius in metres: 10 to 2,000, default 150.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GeofenceRadius(i64);

impl GeofenceRadius {
    pub const DEFAULT: GeofenceRadius = GeofenceRadius(150);

    pub fn parse(field: &str, metres: i64) -> Result<Self, ValidationError> {
        if !(10..=2_000).contains(&metres) {
            return Err(ValidationError::new(
                field,
                crate::msg!("metres-range", min = 10, max = 2000),
            ));
        }
        Ok(Self(metres))
    }

    pub fn metres(self) -> i64 {
        self.0
    }
}

/// A center's size class, which with its oblast makes its stratum in the quality index (docs/INDEX.md).
pub const SIZE_CLASSES: [&str; 3] = ["SMALL", "MEDIUM", "LARGE"];

/// A size class as given (any case), or `None` for an empty value (not known).
pub fn parse_size_class(field: &str, value: &str) -> Result<Option<String>, ValidationError> {
    let value = value.trim().to_ascii_uppercase();
    if value.is_empty() {
        return Ok(None);
    }
    SIZE_CLASSES
        .iter()
        .find(|c| **c == value)
        .map(|c| Some(c.to_string()))
        .ok_or_else(|| ValidationError::new(field, crate::msg!("size-class")))
}

/// Days of the week, Monday first.
#[derive(
    async_graphql::Enum, Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "UPPERCASE")]
pub enum Weekday {
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
    Sat,
    Sun,
}

/// One opening interval on one weekday, local time (Europe/Kyiv), minutes since midnight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct OpeningInterval {
    pub weekday: Weekday,
    pub opens: u16,
    pub closes: u16,
}

/// A venue's week: several intervals a day model a lunch break. Validated: `HH:MM` times, opening before
/// closing, no overlaps on a day. Empty means "hours unknown" (no visiting-window restriction from the venue).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OpeningHours(Vec<OpeningInterval>);

impl OpeningHours {
    /// From (weekday, "09:00", "18:00") triples; `field` prefixes errors, e.g. `openingHours[2].closes`.
    pub fn parse(field: &str, items: &[(Weekday, String, String)]) -> Result<Self, ValidationError> {
        let mut intervals = Vec::with_capacity(items.len());
        for (i, (weekday, opens, closes)) in items.iter().enumerate() {
            let opens = parse_hhmm(opens)
                .ok_or_else(|| ValidationError::new(format!("{field}[{i}].opens"), crate::msg!("time-opens")))?;
            let closes = parse_hhmm(closes)
                .ok_or_else(|| ValidationError::new(format!("{field}[{i}].closes"), crate::msg!("time-closes")))?;
            if opens >= closes {
                return Err(ValidationError::new(
                    format!("{field}[{i}]"),
                    crate::msg!("hours-close-after-open"),
                ));
            }
            intervals.push(OpeningInterval {
                weekday: *weekday,
                opens,
                closes,
            });
        }
        intervals.sort_by_key(|i| (i.weekday, i.opens));
        for pair in intervals.windows(2) {
            if pair[0].weekday == pair[1].weekday && pair[1].opens < pair[0].closes {
                return Err(ValidationError::new(
                    field,
                    crate::msg!("hours-overlap", day = format!("{:?}", pair[0].weekday).to_uppercase()),
                ));
            }
        }
        Ok(Self(intervals))
    }

    pub fn intervals(&self) -> &[OpeningInterval] {
        &self.0
    }

    /// Is the venue open at this local weekday and minute of the day?
    pub fn is_open(&self, weekday: Weekday, minute: u16) -> bool {
        self.0
            .iter()
            .any(|i| i.weekday == weekday && i.opens <= minute && minute < i.closes)
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(&self.0).unwrap_or_else(|_| "[]".into())
    }

    pub fn from_json(text: &str) -> Self {
        Self(serde_json::from_str(text).unwrap_or_default())
    }
}

fn parse_hhmm(text: &str) -> Option<u16> {
    let (h, m) = text.trim().split_once(':')?;
    if h.is_empty() || h.len() > 2 || m.len() != 2 {
        return None;
    }
    let (h, m): (u16, u16) = (h.parse().ok()?, m.parse().ok()?);
    match (h, m) {
        (24, 0) => Some(24 * 60),
        (0..=23, 0..=59) => Some(h * 60 + m),
        _ => None,
    }
}

/// `HH:MM` for minutes since midnight.
pub fn format_hhmm(minutes: u16) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// Great-circle distance in metres (haversine, mean Earth radius).
pub fn distance_m(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    Haversine.distance(Point::new(lon1, lat1), Point::new(lon2, lat2))
}

/// A latitude/longitude box that contains every point within `radius_m` of the centre (for an index scan; the
/// exact distance filters afterwards). Longitude widens towards the poles; near them the box covers all longitudes.
pub fn bounding_box(lat: f64, lon: f64, radius_m: f64) -> (f64, f64, f64, f64) {
    const METRES_PER_DEGREE: f64 = 111_194.9; // mean Earth radius × π / 180
    let dlat = radius_m / METRES_PER_DEGREE;
    let cos = lat.to_radians().cos();
    let dlon = if cos < 1e-6 {
        180.0
    } else {
        (radius_m / (METRES_PER_DEGREE * cos)).min(180.0)
    };
    (
        (lat - dlat).max(-90.0),
        (lat + dlat).min(90.0),
        (lon - dlon).max(-180.0),
        (lon + dlon).min(180.0),
    )
}

/// Folds the apostrophes found in Ukrainian names (', ʼ, ‘, `) into the typographic ’ (U+2019), so the same
/// name written two ways is one name.
pub fn normalize_apostrophes(text: &str) -> String {
    text.chars()
        .map(|c| {
            if matches!(c, '\'' | 'ʼ' | '‘' | '`') {
                '’'
            } else {
                c
            }
        })
        .collect()
}

/// An IANA time zone name (`Europe/Kyiv`, `Europe/Dublin`), checked against the zone database.
pub fn parse_time_zone(field: &str, name: &str) -> Result<chrono_tz::Tz, ValidationError> {
    name.trim()
        .parse::<chrono_tz::Tz>()
        .map_err(|_| ValidationError::new(field, crate::msg!("time-zone")))
}

/// A stored zone back: checked when written, so an unknown name is an error, never a default. A venue stored
/// before zones were kept (and not yet filled in at start-up) is read as Europe/Kyiv, where those venues were.
pub fn stored_zone(name: Option<&str>) -> Result<chrono_tz::Tz, super::UnknownValue> {
    match name {
        None => Ok(chrono_tz::Europe::Kyiv),
        Some(name) => name.parse().map_err(|_| super::UnknownValue::new("time zone", name)),
    }
}

/// The instant a local day and time stands for in `zone`: the earlier of two when the clock goes back, an hour
/// later when the clock going forward skips it (`None` only if that does not exist either).
pub fn local_moment(zone: chrono_tz::Tz, day: chrono::NaiveDate, time: chrono::NaiveTime) -> Option<i64> {
    use chrono::TimeZone as _;
    let local = day.and_time(time);
    zone.from_local_datetime(&local)
        .earliest()
        .or_else(|| {
            zone.from_local_datetime(&(local + chrono::Duration::hours(1)))
                .earliest()
        })
        .map(|t| t.timestamp_millis())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn venue_types_are_codes() {
        assert_eq!(
            VenueType::parse("type", " cnap branch ").unwrap().as_str(),
            "CNAP_BRANCH"
        );
        assert_eq!(VenueType::parse("type", "PHARMACY").unwrap().as_str(), "PHARMACY");
        for bad in ["", "X", "1ABC", "ЦНАП", "A.B"] {
            assert!(VenueType::parse("type", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn geofence_bounds() {
        assert!(GeofenceRadius::parse("g", 10).is_ok());
        assert!(GeofenceRadius::parse("g", 2000).is_ok());
        assert!(GeofenceRadius::parse("g", 9).is_err());
        assert!(GeofenceRadius::parse("g", 2001).is_err());
    }

    #[test]
    fn opening_hours_with_a_lunch_break() {
        let day = |w, o: &str, c: &str| (w, o.to_string(), c.to_string());
        let hours = OpeningHours::parse(
            "openingHours",
            &[
                day(Weekday::Mon, "14:00", "18:00"),
                day(Weekday::Mon, "09:00", "13:00"),
                day(Weekday::Sat, "9:00", "24:00"),
            ],
        )
        .unwrap();
        assert!(hours.is_open(Weekday::Mon, 9 * 60));
        assert!(!hours.is_open(Weekday::Mon, 13 * 60 + 30));
        assert!(!hours.is_open(Weekday::Mon, 18 * 60));
        assert!(hours.is_open(Weekday::Sat, 23 * 60 + 59));
        assert!(!hours.is_open(Weekday::Sun, 10 * 60));
        assert_eq!(OpeningHours::from_json(&hours.to_json()), hours);

        let err = OpeningHours::parse("openingHours", &[day(Weekday::Tue, "10:00", "09:00")]).unwrap_err();
        assert_eq!(err.field, "openingHours[0]");
        let err = OpeningHours::parse("openingHours", &[day(Weekday::Tue, "10:00", "25:00")]).unwrap_err();
        assert_eq!(err.field, "openingHours[0].closes");
        let err = OpeningHours::parse(
            "openingHours",
            &[day(Weekday::Wed, "09:00", "13:00"), day(Weekday::Wed, "12:00", "18:00")],
        )
        .unwrap_err();
        assert_eq!(err.message.code, "hours-overlap");
    }

    #[test]
    fn distances_and_boxes() {
        // Lviv Rynok Square to the Vyhovskoho office: about 5.3 km.
        let d = distance_m(49.841908, 24.031578, 49.8257391, 23.9645272);
        assert!((5_000.0..5_500.0).contains(&d), "{d}");
        let (lat_min, lat_max, lon_min, lon_max) = bounding_box(49.84, 24.03, 10_000.0);
        assert!(lat_min < 49.7502 && lat_max > 49.9298 && lon_min < 23.891 && lon_max > 24.169);
        // Every point 10 km away in any direction is inside the box.
        for bearing in 0..36 {
            let b = f64::from(bearing * 10).to_radians();
            let (lat, lon) = (
                49.84 + 0.0899 * b.cos(),
                24.03 + 0.0899 * b.sin() / 49.84f64.to_radians().cos(),
            );
            assert!(lat >= lat_min && lat <= lat_max && lon >= lon_min && lon <= lon_max);
        }
    }

    #[test]
    fn apostrophes_are_folded() {
        assert_eq!(normalize_apostrophes("Кам'янська"), "Кам’янська");
        assert_eq!(normalize_apostrophes("Камʼянська"), "Кам’янська");
        assert_eq!(normalize_apostrophes("Кам’янська"), "Кам’янська");
    }
}
