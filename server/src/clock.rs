//! The one clock the service reads. In production it is the system's; a test (or a test server started with
//! `testing.clock_control`) moves it forward instead of waiting: quiet hours, retry delays, cooldowns, lapsed
//! holds and expiries are tested by moving the clock, never by sleeping.
//!
//! Every use case reads it through its database handle (`Db::now_ms`) or its transaction (`Tx::now_ms`), so one
//! application (and every server of a deployment) shares one notion of now. The clock is the system time plus an
//! offset: time keeps flowing for the background loops, and a test's jump is seen by all of them at once.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};

/// A clock: the system time, moved by an offset that tests may change. Clones share the offset.
#[derive(Clone, Debug, Default)]
pub struct Clock {
    offset_ms: Arc<AtomicI64>,
}

impl Clock {
    /// The system's time (offset 0).
    pub fn system() -> Self {
        Self::default()
    }

    /// Now, in storage form (milliseconds since the Unix epoch, UTC).
    pub fn now_ms(&self) -> i64 {
        Utc::now().timestamp_millis() + self.offset_ms.load(Ordering::Relaxed)
    }

    /// Now, as a date-time.
    pub fn now(&self) -> DateTime<Utc> {
        crate::db::from_ms(self.now_ms())
    }

    /// Today on Kyiv's calendar (money, waves).
    pub fn kyiv_today(&self) -> NaiveDate {
        crate::time::kyiv_time(self.now_ms()).date_naive()
    }

    /// Moves the clock forward (tests: "a day passes").
    pub fn advance(&self, by: Duration) {
        self.offset_ms.fetch_add(by.as_millis() as i64, Ordering::Relaxed);
    }

    /// Sets the clock so that now is `at_ms`; it keeps running from there.
    pub fn set(&self, at_ms: i64) {
        self.offset_ms
            .store(at_ms - Utc::now().timestamp_millis(), Ordering::Relaxed);
    }

    /// How far this clock is from the system's, ms.
    pub fn offset_ms(&self) -> i64 {
        self.offset_ms.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clones_share_their_jumps_and_time_keeps_running() {
        let clock = Clock::system();
        let seen_by_a_loop = clock.clone();
        let before = clock.now_ms();
        clock.advance(Duration::from_secs(86_400));
        let after = seen_by_a_loop.now_ms();
        assert!(after - before >= 86_400_000 && after - before < 86_400_000 + 5_000);
        clock.set(1_700_000_000_000);
        assert!((seen_by_a_loop.now_ms() - 1_700_000_000_000).abs() < 5_000);
        assert_eq!(
            seen_by_a_loop.kyiv_today(),
            NaiveDate::from_ymd_opt(2023, 11, 15).unwrap()
        );
    }
}
