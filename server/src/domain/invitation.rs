//! Who is invited to rate a service, and when (docs/INVITATIONS.md): the invitation policy of a client applied to
//! one service event. Pure: the facts and the time are passed in; the outbox (next) asks this once per event.
//!
//! In order: a phone with consent; not on the opt-out list; one invitation per phone per `cooldown_days` across
//! all centers; the sampling share (per center, else per service, else the client's), decided by the event's id
//! so every server and every retry decides the same; then the moment: `delay_minutes` after the service, moved
//! into the next window of `window_start`–`window_end` in the center's own time zone (quiet hours), unless that
//! is more than `max_wait_hours` after the service (then too late to ask); and the day's budget.

use std::collections::BTreeMap;

use chrono::{NaiveTime, TimeZone as _};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};

/// A client's invitation policy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Policy {
    /// The share of events invited, 0–1 (1: everyone who consented).
    pub share: f64,
    /// A busy center's own share (by venue id), over the service's and the client's.
    pub center_share: BTreeMap<String, f64>,
    /// A service's own share (by catalogue code), over the client's.
    pub service_share: BTreeMap<String, f64>,
    /// At most one invitation per phone in this many days, across all centers.
    pub cooldown_days: i64,
    /// The invitation leaves this long after the service.
    pub delay_minutes: i64,
    /// Messages go out from this local time of the center…
    pub window_start: NaiveTime,
    /// …until this one (exclusive).
    pub window_end: NaiveTime,
    /// Later than this after the service, nobody is asked any more.
    pub max_wait_hours: i64,
    /// At most this many invitations a day (the client's local day); none: no cap.
    pub daily_budget: Option<u32>,
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            share: 1.0,
            center_share: BTreeMap::new(),
            service_share: BTreeMap::new(),
            cooldown_days: 30,
            delay_minutes: 30,
            window_start: NaiveTime::from_hms_opt(9, 0, 0).expect("a time"),
            window_end: NaiveTime::from_hms_opt(20, 0, 0).expect("a time"),
            max_wait_hours: 24,
            daily_budget: None,
        }
    }
}

impl Policy {
    /// Refuses a policy that could never send, naming the setting.
    pub fn check(&self) -> Result<(), (&'static str, String)> {
        let share_ok = |s: f64| (0.0..=1.0).contains(&s);
        if !share_ok(self.share)
            || !self
                .center_share
                .values()
                .chain(self.service_share.values())
                .all(|s| share_ok(*s))
        {
            return Err(("share", "shares are between 0 and 1".into()));
        }
        if self.window_start >= self.window_end {
            return Err(("window_start", "the window starts before it ends".into()));
        }
        if !(0..=365).contains(&self.cooldown_days) {
            return Err(("cooldown_days", "0 to 365 days".into()));
        }
        if !(0..=24 * 60).contains(&self.delay_minutes) {
            return Err(("delay_minutes", "0 to 1440 minutes".into()));
        }
        if !(1..=24 * 7).contains(&self.max_wait_hours) {
            return Err(("max_wait_hours", "1 to 168 hours".into()));
        }
        Ok(())
    }

    /// The share that applies to an event of this center and service.
    pub fn share_for(&self, venue_id: &str, service: &str) -> f64 {
        self.center_share
            .get(venue_id)
            .or_else(|| self.service_share.get(service))
            .copied()
            .unwrap_or(self.share)
    }
}

/// What is known about one event when it is decided.
#[derive(Debug, Clone)]
pub struct Facts<'a> {
    pub event_id: &'a str,
    pub venue_id: &'a str,
    pub service: &'a str,
    pub completed_at_ms: i64,
    /// The center's time zone.
    pub zone: Tz,
    /// A phone kept with consent (an event without one has no phone).
    pub has_phone: bool,
    /// The phone's hash is on the opt-out list.
    pub opted_out: bool,
    /// The last invitation to this phone, any center.
    pub last_invited_at_ms: Option<i64>,
    /// Invitations already planned for the day the message would go out.
    pub planned_that_day: u32,
}

/// Why an event gets no invitation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Skip {
    NoPhone,
    OptedOut,
    /// This phone was invited less than the cooldown ago.
    Cooldown,
    /// Not in the sample.
    NotSampled,
    /// The next window opens too long after the service.
    TooLate,
    /// The day's budget is spent.
    Budget,
}

impl Skip {
    pub fn as_str(self) -> &'static str {
        match self {
            Skip::NoPhone => "NO_PHONE",
            Skip::OptedOut => "OPTED_OUT",
            Skip::Cooldown => "COOLDOWN",
            Skip::NotSampled => "NOT_SAMPLED",
            Skip::TooLate => "TOO_LATE",
            Skip::Budget => "BUDGET",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Send at this moment (UTC ms).
    Invite {
        due_at_ms: i64,
    },
    Skip(Skip),
}

/// The decision for one event, made at `now_ms` (an event reported late is never due in the past).
pub fn decide(policy: &Policy, facts: &Facts<'_>, now_ms: i64) -> Decision {
    if !facts.has_phone {
        return Decision::Skip(Skip::NoPhone);
    }
    if facts.opted_out {
        return Decision::Skip(Skip::OptedOut);
    }
    let cooldown_ms = policy.cooldown_days * 86_400_000;
    if facts
        .last_invited_at_ms
        .is_some_and(|last| now_ms.max(facts.completed_at_ms) - last < cooldown_ms)
    {
        return Decision::Skip(Skip::Cooldown);
    }
    if !sampled(facts.event_id, policy.share_for(facts.venue_id, facts.service)) {
        return Decision::Skip(Skip::NotSampled);
    }
    let earliest = (facts.completed_at_ms + policy.delay_minutes * 60_000).max(now_ms);
    let due = next_window(earliest, facts.zone, policy.window_start, policy.window_end);
    if due - facts.completed_at_ms > policy.max_wait_hours * 3_600_000 {
        return Decision::Skip(Skip::TooLate);
    }
    if policy.daily_budget.is_some_and(|cap| facts.planned_that_day >= cap) {
        return Decision::Skip(Skip::Budget);
    }
    Decision::Invite { due_at_ms: due }
}

/// Whether an event is in a sample of `share`: the first 8 bytes of SHA-256 of its id against the share, so the
/// same event is always decided the same way and events are spread evenly.
pub fn sampled(event_id: &str, share: f64) -> bool {
    if share >= 1.0 {
        return true;
    }
    if share <= 0.0 {
        return false;
    }
    let hash = Sha256::digest(event_id.as_bytes());
    let draw = u64::from_be_bytes(hash[..8].try_into().expect("8 bytes")) as f64 / u64::MAX as f64;
    draw < share
}

/// The earliest moment at or after `at_ms` whose local time in `zone` is within [start, end). Days where a
/// clock change skips the start (none do at 09:00 in Europe) take the first valid moment after it.
pub fn next_window(at_ms: i64, zone: Tz, start: NaiveTime, end: NaiveTime) -> i64 {
    let local = zone
        .timestamp_millis_opt(at_ms)
        .single()
        .expect("a UTC instant has one local time");
    let time = local.time();
    if time >= start && time < end {
        return at_ms;
    }
    let day = if time < start {
        local.date_naive()
    } else {
        local.date_naive().succ_opt().expect("a next day")
    };
    super::local_moment(zone, day, start).expect("an opening time exists on every day")
}

/// The local day (`2026-12-07`) a moment falls on in `zone`: the budget's day.
pub fn local_day(at_ms: i64, zone: Tz) -> String {
    zone.timestamp_millis_opt(at_ms)
        .single()
        .expect("a UTC instant has one local time")
        .format("%Y-%m-%d")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::Europe::Kyiv;
    use proptest::prelude::*;

    /// Kyiv local time on 7 December 2026 (UTC+2) as UTC ms.
    fn kyiv(h: u32, m: u32) -> i64 {
        Kyiv.with_ymd_and_hms(2026, 12, 7, h, m, 0).unwrap().timestamp_millis()
    }

    fn facts(completed: i64) -> Facts<'static> {
        Facts {
            event_id: "e1",
            venue_id: "v1",
            service: "PASSPORT",
            completed_at_ms: completed,
            zone: Kyiv,
            has_phone: true,
            opted_out: false,
            last_invited_at_ms: None,
            planned_that_day: 0,
        }
    }

    #[test]
    fn the_default_invites_half_an_hour_after_the_service() {
        let p = Policy::default();
        assert_eq!(
            decide(&p, &facts(kyiv(10, 0)), kyiv(10, 1)),
            Decision::Invite {
                due_at_ms: kyiv(10, 30)
            }
        );
    }

    #[test]
    fn quiet_hours_wait_for_the_next_morning_in_the_centers_zone() {
        let p = Policy::default();
        let tomorrow_nine = Kyiv.with_ymd_and_hms(2026, 12, 8, 9, 0, 0).unwrap().timestamp_millis();
        assert_eq!(
            decide(&p, &facts(kyiv(19, 45)), kyiv(19, 46)),
            Decision::Invite {
                due_at_ms: tomorrow_nine
            }
        );
        assert_eq!(
            decide(&p, &facts(kyiv(7, 0)), kyiv(7, 1)),
            Decision::Invite { due_at_ms: kyiv(9, 0) }
        );
        // The same UTC moment is another local time in another zone.
        let mut tokyo = facts(kyiv(10, 0));
        tokyo.zone = chrono_tz::Asia::Tokyo; // 17:00 there: due 17:30
        assert_eq!(
            decide(&p, &tokyo, kyiv(10, 1)),
            Decision::Invite {
                due_at_ms: kyiv(10, 30)
            }
        );
        tokyo.completed_at_ms = kyiv(12, 0); // 19:00 there: 19:30 is in the window
        assert_eq!(
            decide(&p, &tokyo, kyiv(12, 1)),
            Decision::Invite {
                due_at_ms: kyiv(12, 30)
            }
        );
        tokyo.completed_at_ms = kyiv(12, 45); // 19:45 there: 20:15 is not; 09:00 next day there = 02:00 Kyiv
        let tokyo_nine = chrono_tz::Asia::Tokyo
            .with_ymd_and_hms(2026, 12, 8, 9, 0, 0)
            .unwrap()
            .timestamp_millis();
        assert_eq!(
            decide(&p, &tokyo, kyiv(12, 46)),
            Decision::Invite { due_at_ms: tokyo_nine }
        );
    }

    #[test]
    fn a_late_report_is_sent_now_or_not_at_all() {
        let p = Policy::default();
        assert_eq!(
            decide(&p, &facts(kyiv(9, 0)), kyiv(15, 0)),
            Decision::Invite { due_at_ms: kyiv(15, 0) }
        );
        let two_days_later = kyiv(9, 0) + 2 * 86_400_000;
        assert_eq!(
            decide(&p, &facts(kyiv(9, 0)), two_days_later),
            Decision::Skip(Skip::TooLate)
        );
    }

    #[test]
    fn refusals_in_their_order() {
        let p = Policy::default();
        let now = kyiv(10, 1);
        let mut f = facts(kyiv(10, 0));
        f.has_phone = false;
        assert_eq!(decide(&p, &f, now), Decision::Skip(Skip::NoPhone));
        let mut f = facts(kyiv(10, 0));
        f.opted_out = true;
        f.last_invited_at_ms = Some(now);
        assert_eq!(decide(&p, &f, now), Decision::Skip(Skip::OptedOut));
        let mut f = facts(kyiv(10, 0));
        f.last_invited_at_ms = Some(now - 29 * 86_400_000);
        assert_eq!(decide(&p, &f, now), Decision::Skip(Skip::Cooldown));
        f.last_invited_at_ms = Some(now - 30 * 86_400_000);
        assert!(matches!(decide(&p, &f, now), Decision::Invite { .. }));
        let budget = Policy {
            daily_budget: Some(5),
            ..Policy::default()
        };
        let mut f = facts(kyiv(10, 0));
        f.planned_that_day = 5;
        assert_eq!(decide(&budget, &f, now), Decision::Skip(Skip::Budget));
        f.planned_that_day = 4;
        assert!(matches!(decide(&budget, &f, now), Decision::Invite { .. }));
    }

    #[test]
    fn sampling_is_stable_and_close_to_its_share() {
        let mut p = Policy {
            share: 0.25,
            ..Policy::default()
        };
        p.center_share.insert("busy".into(), 0.1);
        p.service_share.insert("CONSULTATION".into(), 0.0);
        assert_eq!(p.share_for("busy", "CONSULTATION"), 0.1, "the center's own share first");
        assert_eq!(p.share_for("v1", "CONSULTATION"), 0.0);
        assert_eq!(p.share_for("v1", "PASSPORT"), 0.25);
        let n = 20_000;
        let kept = (0..n).filter(|i| sampled(&format!("event-{i}"), 0.25)).count();
        assert!((4_600..5_400).contains(&kept), "{kept} of {n}");
        assert_eq!(sampled("event-7", 0.25), sampled("event-7", 0.25));
        assert!(sampled("x", 1.0) && !sampled("x", 0.0));
    }

    #[test]
    fn a_policy_that_could_never_send_is_refused() {
        assert!(Policy::default().check().is_ok());
        let bad = Policy {
            window_start: NaiveTime::from_hms_opt(20, 0, 0).unwrap(),
            window_end: NaiveTime::from_hms_opt(9, 0, 0).unwrap(),
            ..Policy::default()
        };
        assert_eq!(bad.check().unwrap_err().0, "window_start");
        let bad = Policy {
            share: 1.5,
            ..Policy::default()
        };
        assert_eq!(bad.check().unwrap_err().0, "share");
    }

    #[test]
    fn the_budget_day_is_the_local_day() {
        // 23:30 UTC on 6 December is 01:30 on 7 December in Kyiv.
        let late = chrono::Utc
            .with_ymd_and_hms(2026, 12, 6, 23, 30, 0)
            .unwrap()
            .timestamp_millis();
        assert_eq!(local_day(late, Kyiv), "2026-12-07");
    }

    proptest! {
        /// Whatever the time and zone: never before the delay or before now, always inside the window, and within
        /// a day of the earliest moment.
        #[test]
        fn due_times_respect_delay_and_window(
            completed in 1_700_000_000_000i64..1_900_000_000_000i64,
            late in 0i64..(3 * 3_600_000),
            zone_ix in 0usize..4,
        ) {
            let zone = [Kyiv, chrono_tz::Asia::Tokyo, chrono_tz::America::New_York, chrono_tz::Europe::London][zone_ix];
            let p = Policy::default();
            let mut f = facts(completed);
            f.zone = zone;
            let now = completed + late;
            if let Decision::Invite { due_at_ms } = decide(&p, &f, now) {
                prop_assert!(due_at_ms >= completed + 30 * 60_000);
                prop_assert!(due_at_ms >= now);
                let local = zone.timestamp_millis_opt(due_at_ms).unwrap().time();
                prop_assert!(local >= p.window_start && local < p.window_end, "{local}");
                prop_assert!(due_at_ms - completed <= 24 * 3_600_000);
            }
        }
    }
}
