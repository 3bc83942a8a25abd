//! Waves: the rules a fieldwork project's settings must meet, and the task lifecycle. Pure: no I/O.

use chrono::NaiveDate;

use super::ValidationError;

/// Money in kopiykas (1/100 UAH), never negative here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Kopiykas(i64);

impl Kopiykas {
    /// At most 100,000 UAH for one visit.
    pub const MAX_PER_VISIT: i64 = 10_000_000;

    pub fn parse(field: &str, value: i64) -> Result<Self, ValidationError> {
        if !(0..=Self::MAX_PER_VISIT).contains(&value) {
            return Err(ValidationError::new(
                field,
                crate::msg!("kopiykas-range", max = 10_000_000),
            ));
        }
        Ok(Self(value))
    }

    pub fn value(self) -> i64 {
        self.0
    }
}

/// A wave's period: whole days in Europe/Kyiv, start ≤ end, at most two years.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
}

impl Period {
    pub fn parse(starts_on: &str, ends_on: &str) -> Result<Self, ValidationError> {
        let date = |field: &str, text: &str| {
            NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
                .map_err(|_| ValidationError::new(field, crate::msg!("date-format")))
        };
        let (starts_on, ends_on) = (date("startsOn", starts_on)?, date("endsOn", ends_on)?);
        if ends_on < starts_on {
            return Err(ValidationError::new("endsOn", crate::msg!("wave-ends-before-start")));
        }
        if (ends_on - starts_on).num_days() > 731 {
            return Err(ValidationError::new("endsOn", crate::msg!("wave-too-long")));
        }
        Ok(Self { starts_on, ends_on })
    }
}

/// A whole number within bounds, named for errors.
pub fn bounded(field: &str, value: i64, min: i64, max: i64) -> Result<i64, ValidationError> {
    if (min..=max).contains(&value) {
        Ok(value)
    } else {
        Err(ValidationError::new(
            field,
            crate::msg!("whole-number-range", min = min, max = max),
        ))
    }
}

/// One step of a hard-to-fill bonus: a task still open `after_days` after the wave's launch earns `bonus`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BonusStep {
    pub after_days: i64,
    pub bonus_kopiykas: i64,
}

/// A wave's bonus rule, validated: steps rising in days and in amount, each and the cap within the per-visit
/// money limit.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BonusRule {
    steps: Vec<BonusStep>,
    cap: i64,
}

impl BonusRule {
    pub fn parse(steps: &[BonusStep], cap: i64) -> Result<Self, ValidationError> {
        Kopiykas::parse("bonusCapKopiykas", cap)?;
        for (i, step) in steps.iter().enumerate() {
            bounded(&format!("bonusSteps[{i}].afterDays"), step.after_days, 0, 731)?;
            Kopiykas::parse(&format!("bonusSteps[{i}].bonusKopiykas"), step.bonus_kopiykas)?;
            if i > 0
                && (step.after_days <= steps[i - 1].after_days || step.bonus_kopiykas <= steps[i - 1].bonus_kopiykas)
            {
                return Err(ValidationError::new(
                    format!("bonusSteps[{i}]"),
                    crate::msg!("bonus-steps-rise"),
                ));
            }
        }
        if !steps.is_empty() && cap == 0 {
            return Err(ValidationError::new(
                "bonusCapKopiykas",
                crate::msg!("bonus-cap-needed"),
            ));
        }
        Ok(Self {
            steps: steps.to_vec(),
            cap,
        })
    }

    /// Stored form (unchecked: it was checked when saved).
    pub fn from_parts(steps: Vec<BonusStep>, cap: i64) -> Self {
        Self { steps, cap }
    }

    pub fn steps(&self) -> &[BonusStep] {
        &self.steps
    }

    pub fn cap(&self) -> i64 {
        self.cap
    }

    /// The bonus for a task open this many whole days after launch: the last step reached, at most the cap.
    pub fn bonus_after(&self, days_open: i64) -> i64 {
        self.steps
            .iter()
            .filter(|s| s.after_days <= days_open)
            .map(|s| s.bonus_kopiykas)
            .max()
            .unwrap_or(0)
            .min(self.cap)
    }
}

/// Where a wave stands.
#[derive(async_graphql::Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(rename_items = "SCREAMING_SNAKE_CASE")]
pub enum WaveStatus {
    /// Being prepared; settings may change.
    Draft,
    /// Tasks exist and fieldwork runs.
    Launched,
    /// Fieldwork on hold: no new claims.
    Paused,
    /// Over; open tasks were cancelled.
    Closed,
}

impl WaveStatus {
    pub const ALL: [WaveStatus; 4] = [
        WaveStatus::Draft,
        WaveStatus::Launched,
        WaveStatus::Paused,
        WaveStatus::Closed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            WaveStatus::Draft => "DRAFT",
            WaveStatus::Launched => "LAUNCHED",
            WaveStatus::Paused => "PAUSED",
            WaveStatus::Closed => "CLOSED",
        }
    }

    /// The stored form back; anything else is an error, never a default.
    pub fn parse(text: &str) -> Result<Self, super::UnknownValue> {
        match text {
            "DRAFT" => Ok(WaveStatus::Draft),
            "LAUNCHED" => Ok(WaveStatus::Launched),
            "PAUSED" => Ok(WaveStatus::Paused),
            "CLOSED" => Ok(WaveStatus::Closed),
            other => Err(super::UnknownValue::new("wave status", other)),
        }
    }

    /// What may follow what. Launching a launched wave is allowed (it adds tasks for venues that joined the
    /// selection since, and nothing else).
    pub fn may_become(self, next: WaveStatus) -> bool {
        use WaveStatus::*;
        matches!(
            (self, next),
            (Draft, Launched)
                | (Launched, Launched)
                | (Launched, Paused)
                | (Paused, Launched)
                | (Draft | Launched | Paused, Closed)
        )
    }
}

/// Every change of a wave's status, named after the operation that makes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WaveMove {
    /// `launchWave`: a draft's tasks are made; a running wave launched again gets the tasks of venues that
    /// joined its selection since.
    Launch,
    /// `pauseWave`: its tasks leave the job board for now.
    Pause,
    /// `resumeWave`.
    Resume,
    /// `closeWave`: its open tasks are cancelled.
    Close,
}

impl WaveMove {
    pub const ALL: [WaveMove; 4] = [WaveMove::Launch, WaveMove::Pause, WaveMove::Resume, WaveMove::Close];

    /// The statuses this move starts from.
    pub fn from(self) -> &'static [WaveStatus] {
        use WaveStatus::*;
        match self {
            WaveMove::Launch => &[Draft, Launched],
            WaveMove::Pause => &[Launched],
            WaveMove::Resume => &[Paused],
            WaveMove::Close => &[Draft, Launched, Paused],
        }
    }

    /// The status this move ends in.
    pub fn to(self) -> WaveStatus {
        match self {
            WaveMove::Launch | WaveMove::Resume => WaveStatus::Launched,
            WaveMove::Pause => WaveStatus::Paused,
            WaveMove::Close => WaveStatus::Closed,
        }
    }

    /// May this move start from `status`?
    pub fn applies_to(self, status: WaveStatus) -> bool {
        self.from().contains(&status)
    }

    /// The starting statuses as an SQL list of literals, for a conditional `UPDATE … WHERE status IN (…)`.
    pub fn from_sql(self) -> String {
        super::sql_literals(self.from().iter().map(|s| s.as_str()))
    }

    /// Why the move does not apply to a wave in `status`.
    pub fn refusal(self, status: WaveStatus) -> super::Msg {
        let action = match self {
            WaveMove::Launch => "launch",
            WaveMove::Pause => "pause",
            WaveMove::Resume => "resume",
            WaveMove::Close => "close",
        };
        let status = crate::msg!("wave-status-name", status = status.as_str());
        crate::msg!("wave-move-refused", status = status, action = action)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_wave_move_is_allowed_and_every_allowed_change_has_a_move() {
        for mv in WaveMove::ALL {
            for &from in mv.from() {
                assert!(from.may_become(mv.to()), "{mv:?}: {from:?} → {:?}", mv.to());
            }
        }
        for from in WaveStatus::ALL {
            for to in WaveStatus::ALL.into_iter().filter(|&to| from.may_become(to)) {
                assert!(
                    WaveMove::ALL.iter().any(|mv| mv.applies_to(from) && mv.to() == to),
                    "{from:?} → {to:?} has no named move"
                );
            }
        }
        assert_eq!(WaveMove::Close.from_sql(), "'DRAFT', 'LAUNCHED', 'PAUSED'");
        assert_eq!(
            crate::i18n::render(
                super::super::Language::En,
                &WaveMove::Resume.refusal(WaveStatus::Closed)
            ),
            "A wave in state CLOSED cannot be resumed."
        );
    }

    #[test]
    fn periods() {
        let p = Period::parse("2026-12-01", "2026-12-31").unwrap();
        assert_eq!((p.ends_on - p.starts_on).num_days(), 30);
        assert_eq!(Period::parse("2026-12-31", "2026-12-01").unwrap_err().field, "endsOn");
        assert_eq!(Period::parse("1 Dec", "2026-12-01").unwrap_err().field, "startsOn");
        assert_eq!(Period::parse("2026-02-30", "2026-03-01").unwrap_err().field, "startsOn");
        assert!(Period::parse("2026-01-01", "2029-01-01").is_err());
    }

    #[test]
    fn money_is_bounded_kopiykas() {
        assert_eq!(Kopiykas::parse("fee", 40_000).unwrap().value(), 40_000);
        assert!(Kopiykas::parse("fee", -1).is_err());
        assert!(Kopiykas::parse("fee", 10_000_001).is_err());
    }

    #[test]
    fn bonus_steps_rise_and_are_capped() {
        let steps = [
            BonusStep {
                after_days: 3,
                bonus_kopiykas: 5_000,
            },
            BonusStep {
                after_days: 7,
                bonus_kopiykas: 12_000,
            },
        ];
        let rule = BonusRule::parse(&steps, 10_000).unwrap();
        assert_eq!(
            [0, 2, 3, 6, 7, 30].map(|d| rule.bonus_after(d)),
            [0, 0, 5_000, 5_000, 10_000, 10_000]
        );
        assert_eq!(BonusRule::default().bonus_after(100), 0);
        let falling = [
            BonusStep {
                after_days: 3,
                bonus_kopiykas: 5_000,
            },
            BonusStep {
                after_days: 2,
                bonus_kopiykas: 6_000,
            },
        ];
        assert_eq!(BonusRule::parse(&falling, 10_000).unwrap_err().field, "bonusSteps[1]");
        assert_eq!(BonusRule::parse(&steps, 0).unwrap_err().field, "bonusCapKopiykas");
        assert!(BonusRule::parse(
            &[BonusStep {
                after_days: -1,
                bonus_kopiykas: 1
            }],
            5
        )
        .is_err());
    }

    #[test]
    fn wave_lifecycle() {
        use WaveStatus::*;
        assert!(Draft.may_become(Launched));
        assert!(Launched.may_become(Launched));
        assert!(Launched.may_become(Paused) && Paused.may_become(Launched));
        assert!(Paused.may_become(Closed));
        assert!(!Closed.may_become(Launched));
        assert!(!Draft.may_become(Paused));
    }
}
