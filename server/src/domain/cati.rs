//! Phone interviews (CATI, docs/PHONE.md): the call discipline a scheduler follows, the outcomes of a call as AAPOR
//! dispositions, and the AAPOR outcome rates. Pure: a case's facts and the time are passed in.
//!
//! A case is offered to an operator only when its last call's retry delay has passed, it has no appointment in the
//! future (an appointment that is due comes first), the respondent's local time is inside the calling hours
//! (weekdays and weekends apart, in the respondent's own zone, across daylight-saving changes), its quota is still
//! open, and its attempts are under the maximum (an agreed appointment is honoured once past it). A soft refusal
//! waits a week and then goes only to an operator who converts refusals.
//!
//! Outcomes carry the AAPOR Standard Definitions code (telephone surveys of a list sample) and its category; the
//! rates RR1, COOP1, REF1 and CON1 are the AAPOR formulas over the cases' final dispositions.

use chrono::{Datelike as _, NaiveTime, TimeZone as _, Weekday};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

/// What one call ended with, as the operator records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, async_graphql::Enum)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[graphql(name = "CatiOutcome", rename_items = "SCREAMING_SNAKE_CASE")]
pub enum Outcome {
    /// The interview was completed.
    Complete,
    /// Ended early with enough answers to keep (the study's rule).
    Partial,
    /// The respondent refused for good.
    HardRefusal,
    /// The respondent refused for now ("not today"): a refusal-conversion operator tries again in a week.
    SoftRefusal,
    /// The interview began and was broken off with too few answers to keep.
    BreakOff,
    /// The respondent asked to be called at another time.
    Appointment,
    NoAnswer,
    Busy,
    AnsweringMachine,
    /// The number does not reach the sampled person.
    WrongNumber,
    /// The number is not in service.
    Disconnected,
    /// The person reached is not in the study's population (e.g. received no service).
    NotEligible,
    /// The case's quota was filled before it was interviewed.
    QuotaFilled,
}

/// AAPOR's categories of final dispositions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Category {
    /// Complete interview (1.1).
    I,
    /// Partial interview (1.2).
    P,
    /// Refusal and break-off (2.10).
    R,
    /// Non-contact (2.20).
    NC,
    /// Other eligible non-interview (2.30).
    O,
    /// Unknown whether the number reaches an eligible person (3.10).
    UH,
    /// Unknown eligibility, other (3.90).
    UO,
    /// Not eligible (4.0).
    NE,
}

impl Outcome {
    pub const ALL: [Outcome; 13] = [
        Outcome::Complete,
        Outcome::Partial,
        Outcome::HardRefusal,
        Outcome::SoftRefusal,
        Outcome::BreakOff,
        Outcome::Appointment,
        Outcome::NoAnswer,
        Outcome::Busy,
        Outcome::AnsweringMachine,
        Outcome::WrongNumber,
        Outcome::Disconnected,
        Outcome::NotEligible,
        Outcome::QuotaFilled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Complete => "COMPLETE",
            Outcome::Partial => "PARTIAL",
            Outcome::HardRefusal => "HARD_REFUSAL",
            Outcome::SoftRefusal => "SOFT_REFUSAL",
            Outcome::BreakOff => "BREAK_OFF",
            Outcome::Appointment => "APPOINTMENT",
            Outcome::NoAnswer => "NO_ANSWER",
            Outcome::Busy => "BUSY",
            Outcome::AnsweringMachine => "ANSWERING_MACHINE",
            Outcome::WrongNumber => "WRONG_NUMBER",
            Outcome::Disconnected => "DISCONNECTED",
            Outcome::NotEligible => "NOT_ELIGIBLE",
            Outcome::QuotaFilled => "QUOTA_FILLED",
        }
    }

    /// A stored outcome; `None` for anything else.
    pub fn parse(stored: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.as_str() == stored)
    }

    /// The AAPOR disposition code.
    pub fn aapor_code(self) -> &'static str {
        match self {
            Outcome::Complete => "1.1",
            Outcome::Partial => "1.2",
            Outcome::HardRefusal | Outcome::SoftRefusal => "2.11",
            Outcome::BreakOff => "2.12",
            Outcome::Appointment => "2.21",
            Outcome::Busy => "3.12",
            Outcome::NoAnswer => "3.13",
            Outcome::AnsweringMachine => "3.14",
            Outcome::WrongNumber => "4.10",
            Outcome::Disconnected => "4.30",
            Outcome::NotEligible => "4.70",
            Outcome::QuotaFilled => "4.80",
        }
    }

    pub fn category(self) -> Category {
        match self {
            Outcome::Complete => Category::I,
            Outcome::Partial => Category::P,
            Outcome::HardRefusal | Outcome::SoftRefusal | Outcome::BreakOff => Category::R,
            // An appointment never kept: the respondent was never available (2.21, a non-contact).
            Outcome::Appointment => Category::NC,
            Outcome::Busy | Outcome::NoAnswer | Outcome::AnsweringMachine => Category::UH,
            Outcome::WrongNumber | Outcome::Disconnected | Outcome::NotEligible | Outcome::QuotaFilled => Category::NE,
        }
    }

    /// Does this outcome close the case (no further call)?
    pub fn is_final(self) -> bool {
        !matches!(
            self,
            Outcome::SoftRefusal | Outcome::Appointment | Outcome::NoAnswer | Outcome::Busy | Outcome::AnsweringMachine
        )
    }

    /// Did the call reach a person (for the operator's screen and the contact counts)?
    pub fn reached_someone(self) -> bool {
        matches!(
            self,
            Outcome::Complete
                | Outcome::Partial
                | Outcome::HardRefusal
                | Outcome::SoftRefusal
                | Outcome::BreakOff
                | Outcome::Appointment
                | Outcome::WrongNumber
                | Outcome::NotEligible
        )
    }
}

/// A study's call discipline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CallRules {
    pub no_answer_minutes: i64,
    pub busy_minutes: i64,
    pub answering_machine_minutes: i64,
    pub soft_refusal_days: i64,
    /// Calls to one case at most (an agreed appointment is honoured once past it).
    pub max_attempts: u32,
    /// Calling hours on Monday–Friday, in the respondent's zone…
    pub weekday_start: NaiveTime,
    pub weekday_end: NaiveTime,
    /// …and on Saturday and Sunday.
    pub weekend_start: NaiveTime,
    pub weekend_end: NaiveTime,
    /// An appointment is offered this long before its time.
    pub appointment_early_minutes: i64,
}

fn hm(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).expect("a time of day")
}

impl Default for CallRules {
    fn default() -> Self {
        Self {
            no_answer_minutes: 180,
            busy_minutes: 15,
            answering_machine_minutes: 180,
            soft_refusal_days: 7,
            max_attempts: 6,
            weekday_start: hm(9, 0),
            weekday_end: hm(20, 30),
            weekend_start: hm(9, 0),
            weekend_end: hm(17, 0),
            appointment_early_minutes: 5,
        }
    }
}

impl CallRules {
    /// How long after a call with this outcome the case may be called again; `None`: never (final).
    pub fn retry_after_ms(&self, outcome: Outcome) -> Option<i64> {
        let minutes = match outcome {
            Outcome::NoAnswer => self.no_answer_minutes,
            Outcome::Busy => self.busy_minutes,
            Outcome::AnsweringMachine => self.answering_machine_minutes,
            Outcome::SoftRefusal => self.soft_refusal_days * 24 * 60,
            // The appointment's own time decides.
            Outcome::Appointment => 0,
            _ => return None,
        };
        Some(minutes.max(0) * 60_000)
    }

    /// The calling hours of a local day.
    fn hours_on(&self, day: Weekday) -> (NaiveTime, NaiveTime) {
        match day {
            Weekday::Sat | Weekday::Sun => (self.weekend_start, self.weekend_end),
            _ => (self.weekday_start, self.weekday_end),
        }
    }

    /// Is `at_ms` inside the calling hours in `zone`?
    pub fn inside_hours(&self, at_ms: i64, zone: Tz) -> bool {
        let local = local(at_ms, zone);
        let (start, end) = self.hours_on(local.weekday());
        local.time() >= start && local.time() < end
    }

    /// The first moment at or after `at_ms` inside the calling hours in `zone` (across daylight-saving changes:
    /// an opening time that does not exist that day is taken an hour later).
    pub fn next_calling_moment(&self, at_ms: i64, zone: Tz) -> i64 {
        if self.inside_hours(at_ms, zone) {
            return at_ms;
        }
        let here = local(at_ms, zone);
        let mut day = here.date_naive();
        for _ in 0..8 {
            let (start, end) = self.hours_on(day.weekday());
            if start < end {
                if let Some(opening) = super::local_moment(zone, day, start) {
                    if opening >= at_ms {
                        return opening;
                    }
                }
            }
            day = day.succ_opt().expect("a next day");
        }
        // Calling hours that are empty every day: never (the study's rules refuse such hours).
        i64::MAX
    }
}

fn local(at_ms: i64, zone: Tz) -> chrono::DateTime<Tz> {
    zone.timestamp_millis_opt(at_ms)
        .single()
        .expect("a UTC instant has one local time")
}

/// One call already made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Call {
    pub outcome: Outcome,
    pub at_ms: i64,
}

/// What the scheduler knows of a case.
#[derive(Debug, Clone, PartialEq)]
pub struct Case {
    /// Calls made.
    pub attempts: u32,
    pub last: Option<Call>,
    /// An appointment not yet kept.
    pub appointment_at_ms: Option<i64>,
    /// The respondent's zone (the center's).
    pub zone: Tz,
    /// Is the case's quota (oblast, center or service) still open?
    pub quota_open: bool,
    /// When it entered the sample: a case never called is due from then.
    pub drawn_at_ms: i64,
}

/// Why a case will not be called again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Closed {
    /// Its last outcome was final.
    Final,
    QuotaFilled,
    MaxAttempts,
}

/// When a case may be called.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Availability {
    /// Now; `appointment` cases come first, then the others by `due_ms` (longest waiting first).
    Now {
        appointment: bool,
        due_ms: i64,
    },
    /// Not before this moment (a retry delay, an appointment, the calling hours).
    Later(i64),
    Closed(Closed),
}

impl Availability {
    /// The queue's order among cases available now (smaller first).
    pub fn priority(self) -> Option<(u8, i64)> {
        match self {
            Availability::Now { appointment, due_ms } => Some((u8::from(!appointment), due_ms)),
            _ => None,
        }
    }
}

/// When `case` may be called, seen at `now_ms`.
pub fn availability(rules: &CallRules, case: &Case, now_ms: i64) -> Availability {
    if case.last.is_some_and(|c| c.outcome.is_final()) {
        return Availability::Closed(Closed::Final);
    }
    if !case.quota_open {
        return Availability::Closed(Closed::QuotaFilled);
    }
    // An agreed appointment: kept even at the maximum (once), offered a little early, first in the queue.
    if case.attempts > rules.max_attempts {
        return Availability::Closed(Closed::MaxAttempts);
    }
    if let Some(at) = case.appointment_at_ms {
        let from = rules.next_calling_moment(at - rules.appointment_early_minutes.max(0) * 60_000, case.zone);
        return if now_ms >= from && rules.inside_hours(now_ms, case.zone) {
            Availability::Now {
                appointment: true,
                due_ms: at,
            }
        } else if now_ms >= from {
            Availability::Later(rules.next_calling_moment(now_ms, case.zone))
        } else {
            Availability::Later(from)
        };
    }
    if case.attempts >= rules.max_attempts {
        return Availability::Closed(Closed::MaxAttempts);
    }
    // Due from its last call's delay (or from when it was drawn): the longest waiting is called first.
    let earliest = match case.last {
        Some(call) => call.at_ms + rules.retry_after_ms(call.outcome).unwrap_or(0),
        None => case.drawn_at_ms,
    };
    if now_ms < earliest {
        return Availability::Later(rules.next_calling_moment(earliest, case.zone));
    }
    if !rules.inside_hours(now_ms, case.zone) {
        return Availability::Later(rules.next_calling_moment(now_ms, case.zone));
    }
    Availability::Now {
        appointment: false,
        due_ms: earliest,
    }
}

/// An operator, as the scheduler sees them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Operator {
    /// Trained to call back those who refused for now.
    pub converts_refusals: bool,
}

/// May `operator` be handed `case` now? Available now, and a soft refusal only to a refusal converter.
pub fn may_take(rules: &CallRules, case: &Case, operator: Operator, now_ms: i64) -> bool {
    let soft_refusal = case.last.is_some_and(|c| c.outcome == Outcome::SoftRefusal);
    matches!(availability(rules, case, now_ms), Availability::Now { .. })
        && (!soft_refusal || operator.converts_refusals || case.appointment_at_ms.is_some())
}

/// The case after a call with `outcome` at `now_ms` (with the appointment agreed, for `Appointment`).
pub fn after_call(case: &Case, outcome: Outcome, appointment_at_ms: Option<i64>, now_ms: i64) -> Case {
    Case {
        attempts: case.attempts.saturating_add(1),
        last: Some(Call { outcome, at_ms: now_ms }),
        appointment_at_ms: if outcome == Outcome::Appointment {
            appointment_at_ms
        } else {
            None
        },
        zone: case.zone,
        quota_open: case.quota_open,
        drawn_at_ms: case.drawn_at_ms,
    }
}

/// Where a case stands in the queue after a change, as stored beside it so that the database can find the
/// cases due without knowing the rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Schedule {
    /// May still be called (not final, attempts left or an appointment agreed).
    pub open: bool,
    /// 0 for an agreed appointment (first in the queue), 1 for the others.
    pub priority: u8,
    /// The first moment it may be called (for a case available now: since when it has been waiting).
    pub due_ms: i64,
    /// Only a refusal converter may take it (a soft refusal without an appointment).
    pub converters_only: bool,
}

/// The case's place in the queue seen at `now_ms` (its quota is checked where it is taken, not here).
pub fn schedule(rules: &CallRules, case: &Case, now_ms: i64) -> Schedule {
    let open_quota = Case {
        quota_open: true,
        ..case.clone()
    };
    let appointment = case.appointment_at_ms.is_some();
    let (open, due_ms) = match availability(rules, &open_quota, now_ms) {
        Availability::Closed(_) => (false, i64::MAX),
        // An appointment is due from the moment it is offered (a little before its time).
        Availability::Now {
            appointment: true,
            due_ms,
        } => (
            true,
            (due_ms - rules.appointment_early_minutes.max(0) * 60_000).min(now_ms),
        ),
        Availability::Now { due_ms, .. } => (true, due_ms.min(now_ms)),
        Availability::Later(at) => (true, at),
    };
    Schedule {
        open,
        priority: u8::from(!appointment),
        due_ms,
        converters_only: !appointment && case.last.is_some_and(|c| c.outcome == Outcome::SoftRefusal),
    }
}

/// A case's final disposition for the rates: its last outcome; a case never called is 3.11 (not attempted,
/// unknown eligibility), or 4.80 when its quota was filled first.
pub fn final_category(case: &Case) -> Category {
    disposition(case.last.map(|c| c.outcome), case.quota_open)
}

/// The category of a case that last ended with `last` (none: never called) while its quota is open or not.
pub fn disposition(last: Option<Outcome>, quota_open: bool) -> Category {
    match last {
        None if !quota_open => Category::NE,
        None => Category::UH,
        Some(outcome) => outcome.category(),
    }
}

/// Cases by final category.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub i: u64,
    pub p: u64,
    pub r: u64,
    pub nc: u64,
    pub o: u64,
    pub uh: u64,
    pub uo: u64,
    pub ne: u64,
}

impl Counts {
    pub fn add(&mut self, category: Category, n: u64) {
        let slot = match category {
            Category::I => &mut self.i,
            Category::P => &mut self.p,
            Category::R => &mut self.r,
            Category::NC => &mut self.nc,
            Category::O => &mut self.o,
            Category::UH => &mut self.uh,
            Category::UO => &mut self.uo,
            Category::NE => &mut self.ne,
        };
        *slot += n;
    }

    pub fn total(&self) -> u64 {
        self.i + self.p + self.r + self.nc + self.o + self.uh + self.uo + self.ne
    }

    /// Every case of unknown or eligible status: (I+P) + (R+NC+O) + (UH+UO).
    fn all_but_ineligible(&self) -> u64 {
        self.i + self.p + self.r + self.nc + self.o + self.uh + self.uo
    }

    /// Response rate 1: I / ((I+P) + (R+NC+O) + (UH+UO)).
    pub fn rr1(&self) -> Option<f64> {
        ratio(self.i, self.all_but_ineligible())
    }

    /// Cooperation rate 1: I / ((I+P) + R + O).
    pub fn coop1(&self) -> Option<f64> {
        ratio(self.i, self.i + self.p + self.r + self.o)
    }

    /// Refusal rate 1: R / ((I+P) + (R+NC+O) + (UH+UO)).
    pub fn ref1(&self) -> Option<f64> {
        ratio(self.r, self.all_but_ineligible())
    }

    /// Contact rate 1: ((I+P) + R + O) / ((I+P) + R + O + NC + (UH+UO)).
    pub fn con1(&self) -> Option<f64> {
        ratio(self.i + self.p + self.r + self.o, self.all_but_ineligible())
    }
}

fn ratio(numerator: u64, denominator: u64) -> Option<f64> {
    (denominator > 0).then(|| numerator as f64 / denominator as f64)
}

/// An eligible case before the draw: its id and its stratum (the oblast, center or service a quota is set on).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Eligible<'a> {
    pub id: &'a str,
    pub stratum: &'a str,
}

/// The sample: from each stratum, `per_stratum[stratum]` cases drawn at random with `seed` (strata without a number
/// are not drawn from). Each case's place in the draw is SHA-256 of the seed and its id, so the draw is the same
/// for the same seed and cases whatever their order, every case of a stratum has the same chance, and a case
/// added to one stratum changes no other stratum's draw. Returns the ids drawn, stratum by stratum.
pub fn draw<'a>(
    cases: &[Eligible<'a>],
    per_stratum: &std::collections::BTreeMap<String, u32>,
    seed: &str,
) -> Vec<&'a str> {
    use sha2::{Digest as _, Sha256};
    let mut by_stratum: std::collections::BTreeMap<&str, Vec<([u8; 32], &'a str)>> = Default::default();
    for case in cases {
        if per_stratum.contains_key(case.stratum) {
            let mut hash = Sha256::new();
            hash.update(seed.as_bytes());
            hash.update([0]);
            hash.update(case.id.as_bytes());
            by_stratum
                .entry(case.stratum)
                .or_default()
                .push((hash.finalize().into(), case.id));
        }
    }
    let mut drawn = Vec::new();
    for (stratum, mut ranked) in by_stratum {
        ranked.sort_unstable();
        ranked.dedup_by(|a, b| a.1 == b.1);
        let n = per_stratum.get(stratum).copied().unwrap_or(0) as usize;
        drawn.extend(ranked.into_iter().take(n).map(|(_, id)| id));
    }
    drawn
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::Europe::{Kyiv, Warsaw};
    use proptest::prelude::*;

    /// A local time in Kyiv as UTC ms.
    fn kyiv(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> i64 {
        Kyiv.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap().timestamp_millis()
    }

    const MIN: i64 = 60_000;

    fn case() -> Case {
        Case {
            attempts: 0,
            last: None,
            appointment_at_ms: None,
            zone: Kyiv,
            quota_open: true,
            drawn_at_ms: 0,
        }
    }

    fn called(outcome: Outcome, at_ms: i64, attempts: u32) -> Case {
        Case {
            attempts,
            last: Some(Call { outcome, at_ms }),
            ..case()
        }
    }

    #[test]
    fn each_outcome_waits_its_own_delay() {
        let rules = CallRules::default();
        // Tuesday 8 December 2026, 10:00 in Kyiv.
        let at = kyiv(2026, 12, 8, 10, 0);
        for (outcome, wait) in [
            (Outcome::Busy, 15 * MIN),
            (Outcome::NoAnswer, 180 * MIN),
            (Outcome::AnsweringMachine, 180 * MIN),
        ] {
            let c = called(outcome, at, 1);
            assert_eq!(
                availability(&rules, &c, at + wait - 1),
                Availability::Later(at + wait),
                "{outcome:?}"
            );
            assert!(matches!(
                availability(&rules, &c, at + wait),
                Availability::Now { appointment: false, .. }
            ));
        }
        // A soft refusal: a week, then only for an operator who converts refusals.
        let c = called(Outcome::SoftRefusal, at, 1);
        let week = 7 * 24 * 60 * MIN;
        assert_eq!(availability(&rules, &c, at + week - 1), Availability::Later(at + week));
        let converter = Operator {
            converts_refusals: true,
        };
        assert!(may_take(&rules, &c, converter, at + week));
        assert!(!may_take(&rules, &c, Operator::default(), at + week));
        // Final outcomes close the case.
        for outcome in Outcome::ALL.into_iter().filter(|o| o.is_final()) {
            assert_eq!(
                availability(&rules, &called(outcome, at, 1), at + week * 4),
                Availability::Closed(Closed::Final)
            );
        }
    }

    #[test]
    fn calling_hours_are_the_respondents_own_on_weekdays_and_weekends() {
        let rules = CallRules::default();
        let fresh = case();
        // Tuesday 20:29 yes, 20:30 no: the next is Wednesday 09:00.
        assert!(matches!(
            availability(&rules, &fresh, kyiv(2026, 12, 8, 20, 29)),
            Availability::Now { .. }
        ));
        assert_eq!(
            availability(&rules, &fresh, kyiv(2026, 12, 8, 20, 30)),
            Availability::Later(kyiv(2026, 12, 9, 9, 0))
        );
        // Friday 21:00 → Saturday 09:00; Saturday 17:00 → Sunday 09:00; Sunday 16:59 yes.
        assert_eq!(
            availability(&rules, &fresh, kyiv(2026, 12, 11, 21, 0)),
            Availability::Later(kyiv(2026, 12, 12, 9, 0))
        );
        assert_eq!(
            availability(&rules, &fresh, kyiv(2026, 12, 12, 17, 0)),
            Availability::Later(kyiv(2026, 12, 13, 9, 0))
        );
        assert!(matches!(
            availability(&rules, &fresh, kyiv(2026, 12, 13, 16, 59)),
            Availability::Now { .. }
        ));
        // The same instant in two zones: 08:30 in Warsaw is 09:30 in Kyiv.
        let at = kyiv(2026, 12, 8, 9, 30);
        assert!(matches!(availability(&rules, &fresh, at), Availability::Now { .. }));
        let warsaw = Case { zone: Warsaw, ..case() };
        assert_eq!(
            availability(&rules, &warsaw, at),
            Availability::Later(
                Warsaw
                    .with_ymd_and_hms(2026, 12, 8, 9, 0, 0)
                    .unwrap()
                    .timestamp_millis()
            )
        );
        // A busy signal at 20:20 waits 15 minutes, which fall after hours: the next morning.
        let c = called(Outcome::Busy, kyiv(2026, 12, 8, 20, 20), 1);
        assert_eq!(
            availability(&rules, &c, kyiv(2026, 12, 8, 20, 25)),
            Availability::Later(kyiv(2026, 12, 9, 9, 0))
        );
    }

    #[test]
    fn daylight_saving_changes_keep_the_local_hours() {
        let rules = CallRules::default();
        // Kyiv moves to summer time on Sunday 28 March 2027 (03:00 → 04:00) and back on Sunday 31 October 2027.
        let saturday_evening = kyiv(2027, 3, 27, 18, 0);
        let sunday_nine = kyiv(2027, 3, 28, 9, 0);
        assert_eq!(rules.next_calling_moment(saturday_evening, Kyiv), sunday_nine);
        assert_eq!(sunday_nine - kyiv(2027, 3, 27, 9, 0), 23 * 60 * MIN, "the short day");
        // No answer on Saturday at 16:00: three hours later is after the weekend's 17:00, so Sunday 09:00 (summer).
        let c = called(Outcome::NoAnswer, kyiv(2027, 3, 27, 16, 0), 1);
        assert_eq!(
            availability(&rules, &c, kyiv(2027, 3, 27, 19, 0)),
            Availability::Later(sunday_nine)
        );
        assert_eq!(
            rules.next_calling_moment(kyiv(2027, 10, 30, 18, 0), Kyiv) - kyiv(2027, 10, 30, 9, 0),
            25 * 60 * MIN,
            "the long day"
        );
        // Calling hours that open in the skipped hour are taken an hour later.
        let odd = CallRules {
            weekend_start: hm(3, 30),
            ..CallRules::default()
        };
        assert_eq!(
            odd.next_calling_moment(kyiv(2027, 3, 28, 0, 0), Kyiv),
            kyiv(2027, 3, 28, 4, 30)
        );
    }

    #[test]
    fn a_due_appointment_comes_first_and_a_future_one_waits() {
        let rules = CallRules::default();
        let now = kyiv(2026, 12, 8, 15, 0);
        let waiting_long = called(Outcome::NoAnswer, kyiv(2026, 12, 7, 10, 0), 2);
        let appointment = Case {
            appointment_at_ms: Some(now + 3 * MIN),
            ..called(Outcome::Appointment, kyiv(2026, 12, 8, 11, 0), 1)
        };
        let a = availability(&rules, &appointment, now);
        let b = availability(&rules, &waiting_long, now);
        assert_eq!(
            a,
            Availability::Now {
                appointment: true,
                due_ms: now + 3 * MIN
            }
        );
        assert!(a.priority() < b.priority(), "{a:?} before {b:?}");
        // Too early (more than five minutes before it): later.
        let later = Case {
            appointment_at_ms: Some(now + 60 * MIN),
            ..appointment.clone()
        };
        assert_eq!(availability(&rules, &later, now), Availability::Later(now + 55 * MIN));
        // A soft refusal's appointment goes to any operator; the appointment is honoured past the maximum.
        let at_max = Case {
            attempts: rules.max_attempts,
            ..appointment.clone()
        };
        assert!(may_take(&rules, &at_max, Operator::default(), now));
        // Once: another appointment made on that call is not kept.
        let again = after_call(&at_max, Outcome::Appointment, Some(now + 60 * MIN), now);
        assert_eq!(
            availability(&rules, &again, now + 60 * MIN),
            Availability::Closed(Closed::MaxAttempts)
        );
        // After the appointment's call, the case is as its outcome says.
        let kept = after_call(&at_max, Outcome::NoAnswer, None, now);
        assert_eq!(kept.appointment_at_ms, None);
        assert_eq!(
            availability(&rules, &kept, now + 200 * MIN),
            Availability::Closed(Closed::MaxAttempts)
        );
        // Between waiting cases, the one due longest ago first.
        let older = called(Outcome::NoAnswer, kyiv(2026, 12, 7, 9, 0), 2);
        assert!(availability(&rules, &older, now).priority() < b.priority());
    }

    #[test]
    fn quotas_and_the_maximum_close_cases() {
        let rules = CallRules::default();
        let now = kyiv(2026, 12, 8, 12, 0);
        let full = Case {
            quota_open: false,
            ..case()
        };
        assert_eq!(
            availability(&rules, &full, now),
            Availability::Closed(Closed::QuotaFilled)
        );
        assert_eq!(final_category(&full), Category::NE);
        let mut c = case();
        let mut at = now;
        for n in 1..=rules.max_attempts {
            assert!(
                matches!(availability(&rules, &c, at), Availability::Now { .. }),
                "call {n}"
            );
            c = after_call(&c, Outcome::NoAnswer, None, at);
            at = rules.next_calling_moment(at + 180 * MIN, Kyiv);
        }
        assert_eq!(c.attempts, 6);
        assert_eq!(availability(&rules, &c, at), Availability::Closed(Closed::MaxAttempts));
        assert_eq!(final_category(&c), Category::UH, "never reached: unknown eligibility");
        assert_eq!(final_category(&case()), Category::UH, "3.11: not attempted");
    }

    #[test]
    fn the_schedule_stored_beside_a_case_follows_the_rules() {
        let rules = CallRules::default();
        // Tuesday 8 December 2026, 11:00 in Kyiv.
        let now = kyiv(2026, 12, 8, 11, 0);
        // Never called, drawn an hour ago: due since it was drawn.
        let fresh = Case {
            drawn_at_ms: now - 60 * MIN,
            ..case()
        };
        assert_eq!(
            schedule(&rules, &fresh, now),
            Schedule {
                open: true,
                priority: 1,
                due_ms: now - 60 * MIN,
                converters_only: false
            }
        );
        // No answer at 19:00: three hours later is 22:00, outside the hours, so 09:00 the next morning.
        let evening = after_call(&fresh, Outcome::NoAnswer, None, kyiv(2026, 12, 8, 19, 0));
        assert_eq!(
            schedule(&rules, &evening, kyiv(2026, 12, 8, 19, 0)).due_ms,
            kyiv(2026, 12, 9, 9, 0)
        );
        // An appointment at 15:00: first in the queue, due five minutes before.
        let agreed = after_call(&fresh, Outcome::Appointment, Some(kyiv(2026, 12, 8, 15, 0)), now);
        let s = schedule(&rules, &agreed, now);
        assert_eq!((s.open, s.priority, s.due_ms), (true, 0, kyiv(2026, 12, 8, 14, 55)));
        // A soft refusal: a week later, converters only.
        let refused = after_call(&fresh, Outcome::SoftRefusal, None, now);
        let s = schedule(&rules, &refused, now);
        assert_eq!(
            (s.open, s.converters_only, s.due_ms),
            (true, true, now + 7 * 24 * 60 * MIN)
        );
        // Final outcomes and the sixth unanswered call close the case; a filled quota does not (it is asked
        // where the case is taken, and a raised target reopens it).
        assert!(!schedule(&rules, &after_call(&fresh, Outcome::Complete, None, now), now).open);
        let sixth = after_call(
            &called(Outcome::NoAnswer, now - 4 * 60 * MIN, 5),
            Outcome::NoAnswer,
            None,
            now,
        );
        assert!(!schedule(&rules, &sixth, now).open);
        let filled = Case {
            quota_open: false,
            ..fresh.clone()
        };
        assert!(schedule(&rules, &filled, now).open);
    }

    #[test]
    fn the_rates_of_the_worked_example_in_docs_phone() {
        // docs/PHONE.md: 1,000 cases.
        let mut counts = Counts::default();
        for (outcome, n) in [
            (Outcome::Complete, 180),
            (Outcome::Partial, 20),
            (Outcome::HardRefusal, 100),
            (Outcome::SoftRefusal, 30),
            (Outcome::BreakOff, 20),
            (Outcome::Appointment, 60),
            (Outcome::NoAnswer, 250),
            (Outcome::Busy, 40),
            (Outcome::AnsweringMachine, 60),
            (Outcome::WrongNumber, 80),
            (Outcome::Disconnected, 90),
            (Outcome::NotEligible, 20),
            (Outcome::QuotaFilled, 10),
        ] {
            counts.add(outcome.category(), n);
        }
        counts.add(final_category(&case()), 40);
        assert_eq!(counts.total(), 1_000);
        assert_eq!(
            counts,
            Counts {
                i: 180,
                p: 20,
                r: 150,
                nc: 60,
                o: 0,
                uh: 390,
                uo: 0,
                ne: 200
            }
        );
        assert_eq!(counts.rr1(), Some(0.225));
        assert_eq!(counts.coop1(), Some(180.0 / 350.0));
        assert_eq!(counts.ref1(), Some(0.1875));
        assert_eq!(counts.con1(), Some(0.4375));
        assert_eq!(Counts::default().rr1(), None);
    }

    #[test]
    fn outcomes_are_stored_by_name_and_carry_their_codes() {
        for outcome in Outcome::ALL {
            assert_eq!(Outcome::parse(outcome.as_str()), Some(outcome));
            assert!(outcome.aapor_code().starts_with(match outcome.category() {
                Category::I | Category::P => "1.",
                Category::R | Category::NC | Category::O => "2.",
                Category::UH | Category::UO => "3.",
                Category::NE => "4.",
            }));
        }
        assert_eq!(Outcome::parse("complete"), None);
    }

    #[test]
    fn the_draw_is_reproducible_fair_and_kept_per_stratum() {
        let ids: Vec<String> = (0..600).map(|i| format!("case-{i:04}")).collect();
        let strata = ["Львівська", "Київська", "Одеська"];
        let cases: Vec<Eligible> = ids
            .iter()
            .enumerate()
            .map(|(i, id)| Eligible {
                id,
                stratum: strata[i % 3],
            })
            .collect();
        let quotas: std::collections::BTreeMap<String, u32> =
            [("Львівська".to_string(), 50), ("Київська".to_string(), 20)].into();
        let first = draw(&cases, &quotas, "2026-12-seed");
        assert_eq!(first.len(), 70, "none from a stratum without a number");
        let mut reversed = cases.clone();
        reversed.reverse();
        assert_eq!(
            draw(&reversed, &quotas, "2026-12-seed"),
            first,
            "the order of the cases does not matter"
        );
        assert_ne!(draw(&cases, &quotas, "another seed"), first);
        // More cases in Odesa (not drawn) or Kyiv change nothing in Lviv.
        let lviv = |d: &[&str]| {
            d.iter()
                .filter(|id| cases.iter().any(|c| c.id == **id && c.stratum == "Львівська"))
                .count()
        };
        assert_eq!(lviv(&first), 50);
        let more: Vec<String> = (0..100).map(|i| format!("late-{i}")).collect();
        let mut grown = cases.clone();
        grown.extend(more.iter().map(|id| Eligible {
            id,
            stratum: "Київська",
        }));
        let again = draw(&grown, &quotas, "2026-12-seed");
        let lviv_first: Vec<_> = first
            .iter()
            .filter(|id| id.starts_with("case-") && lviv(&[id]) == 1)
            .collect();
        let lviv_again: Vec<_> = again
            .iter()
            .filter(|id| id.starts_with("case-") && lviv(&[id]) == 1)
            .collect();
        assert_eq!(lviv_first, lviv_again);
        // Fair: over many seeds each Kyiv case is drawn about 20 times in 200 (20 of 200 cases each time).
        let mut times: std::collections::HashMap<&str, u32> = Default::default();
        for seed in 0..1_000 {
            for id in draw(&cases, &quotas, &seed.to_string()) {
                *times.entry(id).or_default() += 1;
            }
        }
        let kyiv: Vec<u32> = cases
            .iter()
            .filter(|c| c.stratum == "Київська")
            .map(|c| times.get(c.id).copied().unwrap_or(0))
            .collect();
        let (min, max) = (kyiv.iter().min().unwrap(), kyiv.iter().max().unwrap());
        // Expected 100 each (1,000 draws × 20/200); binomial sd ≈ 9.5, so 200 cases stay well within ±45.
        assert!(*min > 55 && *max < 145, "{min}..{max}");
    }

    proptest! {
        /// Whatever happened and whenever asked, a case offered now is inside its calling hours and past its
        /// delay; a case offered later is offered at a moment inside the calling hours.
        #[test]
        fn offers_respect_hours_and_delays(
            outcome in prop::sample::select(Outcome::ALL.to_vec()),
            called_at in 1_780_000_000_000i64..1_830_000_000_000,
            wait in 0i64..30 * 24 * 60 * MIN,
            warsaw in any::<bool>(),
        ) {
            let rules = CallRules::default();
            let zone = if warsaw { Warsaw } else { Kyiv };
            let c = Case { zone, ..called(outcome, called_at, 1) };
            let now = called_at + wait;
            match availability(&rules, &c, now) {
                Availability::Now { .. } => {
                    prop_assert!(rules.inside_hours(now, zone));
                    prop_assert!(now >= called_at + rules.retry_after_ms(outcome).unwrap());
                }
                Availability::Later(at) => {
                    prop_assert!(at > now);
                    prop_assert!(rules.inside_hours(at, zone));
                    prop_assert!(at >= called_at + rules.retry_after_ms(outcome).unwrap());
                }
                Availability::Closed(why) => prop_assert_eq!(why, Closed::Final),
            }
        }

        #[test]
        fn the_next_calling_moment_is_the_first_inside_the_hours(at in 1_780_000_000_000i64..1_830_000_000_000) {
            let rules = CallRules::default();
            let next = rules.next_calling_moment(at, Kyiv);
            prop_assert!(next >= at);
            prop_assert!(rules.inside_hours(next, Kyiv));
            // No earlier minute in between is inside.
            if next > at {
                prop_assert!(!rules.inside_hours(next - MIN, Kyiv) || next - MIN < at);
            }
        }
    }
}
