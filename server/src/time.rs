//! Calendar arithmetic in Europe/Kyiv, where waves run and money is counted: today, the first and last
//! millisecond of a day, and `YYYY-MM-DD` dates from clients.

use chrono::{NaiveDate, TimeZone};

use crate::error::{AppError, AppResult};

/// A moment (ms since the epoch) on Kyiv's clock.
pub fn kyiv_time(ms: i64) -> chrono::DateTime<chrono_tz::Tz> {
    crate::db::from_ms(ms).with_timezone(&chrono_tz::Europe::Kyiv)
}

/// The last millisecond of a Kyiv calendar day, as UTC milliseconds.
pub fn end_of_kyiv_day(date: &str) -> i64 {
    end_of_day(date, chrono_tz::Europe::Kyiv)
}

/// The last millisecond of a calendar day where `zone` keeps its clocks (a venue's day), as UTC milliseconds.
pub fn end_of_day(date: &str, zone: chrono_tz::Tz) -> i64 {
    NaiveDate::parse_from_str(date, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_milli_opt(23, 59, 59, 999))
        .and_then(|t| zone.from_local_datetime(&t).latest())
        .map(|t| t.timestamp_millis())
        .unwrap_or(i64::MAX)
}

/// The first millisecond of a Kyiv calendar day, as UTC milliseconds.
pub fn kyiv_start_ms(date: NaiveDate) -> i64 {
    chrono_tz::Europe::Kyiv
        .from_local_datetime(&date.and_hms_opt(0, 0, 0).expect("midnight exists"))
        .earliest()
        .map(|d| d.timestamp_millis())
        .unwrap_or_else(|| {
            date.and_hms_opt(0, 0, 0)
                .expect("midnight")
                .and_utc()
                .timestamp_millis()
        })
}

/// A `YYYY-MM-DD` date, or bad input naming the field.
pub fn parse_date(field: &str, text: &str) -> AppResult<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| AppError::bad_input(field, crate::msg!("date-format")))
}
