//! May this shopper hold this task? One pure function, used by the job board, coordinator assignment and the
//! wave optimizer. Every refusal names the rule, in words a shopper understands.

use std::collections::{HashMap, HashSet};

use super::distance_m;

/// What the platform knows about a shopper when deciding.
#[derive(Debug, Clone)]
pub struct ShopperFacts {
    pub verified: bool,
    pub active: bool,
    pub home_lat: f64,
    pub home_lon: f64,
    pub travel_radius_km: f64,
    pub conflicts: Vec<Conflict>,
    /// Tasks held now (claimed, offered or assigned), in all waves.
    pub held_total: usize,
    /// Tasks held now, per wave.
    pub held_by_wave: HashMap<String, usize>,
    /// Venues of the tasks held now.
    pub held_venues: HashSet<String>,
    /// When the shopper last visited each venue (ms since the epoch).
    pub last_visit: HashMap<String, i64>,
}

/// A declared conflict of interest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Conflict {
    Venue(String),
    Client(String),
    /// An employer's name, matched case-insensitively inside the venue's or client's name.
    Employer(String),
}

/// What matters about the task.
#[derive(Debug, Clone)]
pub struct TaskFacts {
    pub wave_id: String,
    pub venue_id: String,
    pub venue_name: String,
    pub venue_lat: f64,
    pub venue_lon: f64,
    pub client_id: String,
    pub client_name: String,
    pub cooloff_days: i64,
    pub max_tasks_per_shopper: i64,
}

/// Platform-wide limits.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Tasks one shopper may hold at once, over all waves.
    pub max_concurrent_tasks: usize,
}

/// Why a shopper may not hold a task.
#[derive(Debug, Clone, PartialEq)]
pub enum Refusal {
    NotVerified,
    Suspended,
    TooFar { distance_km: f64, radius_km: f64 },
    ConflictVenue,
    ConflictClient,
    ConflictEmployer(String),
    VisitedRecently { days_ago: i64, cooloff_days: i64 },
    AlreadyHoldsVenue,
    WaveLimit { max: i64 },
    GlobalLimit { max: usize },
}

impl Refusal {
    /// A stable code for clients (`extensions.rule`).
    pub fn rule(&self) -> &'static str {
        match self {
            Refusal::NotVerified => "EMAIL_NOT_VERIFIED",
            Refusal::Suspended => "ACCOUNT_SUSPENDED",
            Refusal::TooFar { .. } => "OUTSIDE_TRAVEL_RADIUS",
            Refusal::ConflictVenue | Refusal::ConflictClient | Refusal::ConflictEmployer(_) => "CONFLICT_OF_INTEREST",
            Refusal::VisitedRecently { .. } => "COOL_OFF",
            Refusal::AlreadyHoldsVenue => "ALREADY_HOLDS_VENUE",
            Refusal::WaveLimit { .. } => "WAVE_TASK_LIMIT",
            Refusal::GlobalLimit { .. } => "CONCURRENT_TASK_LIMIT",
        }
    }

    /// The reason, for the shopper.
    pub fn message(&self) -> super::Msg {
        match self {
            Refusal::NotVerified => crate::msg!("eligibility-not-verified"),
            Refusal::Suspended => crate::msg!("eligibility-suspended"),
            Refusal::TooFar { distance_km, radius_km } => crate::msg!(
                "eligibility-too-far",
                distance_km = (distance_km * 10.0).round() / 10.0,
                radius_km = radius_km.round()
            ),
            Refusal::ConflictVenue => crate::msg!("eligibility-conflict-venue"),
            Refusal::ConflictClient => crate::msg!("eligibility-conflict-client"),
            Refusal::ConflictEmployer(name) => crate::msg!("eligibility-conflict-employer", employer = name),
            Refusal::VisitedRecently { days_ago, cooloff_days } => crate::msg!(
                "eligibility-visited-recently",
                days_ago = *days_ago,
                cooloff_days = *cooloff_days
            ),
            Refusal::AlreadyHoldsVenue => crate::msg!("eligibility-holds-venue"),
            Refusal::WaveLimit { max } => crate::msg!("eligibility-wave-limit", max = *max),
            Refusal::GlobalLimit { max } => crate::msg!("eligibility-global-limit", max = *max),
        }
    }
}

const DAY_MS: i64 = 86_400_000;

/// The first rule the pair breaks, if any.
pub fn check(shopper: &ShopperFacts, task: &TaskFacts, limits: Limits, now_ms: i64) -> Result<(), Refusal> {
    if !shopper.active {
        return Err(Refusal::Suspended);
    }
    if !shopper.verified {
        return Err(Refusal::NotVerified);
    }
    let distance_km = distance_m(shopper.home_lat, shopper.home_lon, task.venue_lat, task.venue_lon) / 1000.0;
    if distance_km > shopper.travel_radius_km {
        return Err(Refusal::TooFar {
            distance_km,
            radius_km: shopper.travel_radius_km,
        });
    }
    for conflict in &shopper.conflicts {
        match conflict {
            Conflict::Venue(id) if *id == task.venue_id => return Err(Refusal::ConflictVenue),
            Conflict::Client(id) if *id == task.client_id => return Err(Refusal::ConflictClient),
            Conflict::Employer(name) => {
                let needle = name.trim().to_lowercase();
                if needle.chars().count() >= 3
                    && (task.venue_name.to_lowercase().contains(&needle)
                        || task.client_name.to_lowercase().contains(&needle))
                {
                    return Err(Refusal::ConflictEmployer(name.clone()));
                }
            }
            _ => {}
        }
    }
    if let Some(last) = shopper.last_visit.get(&task.venue_id) {
        let days_ago = (now_ms - last).max(0) / DAY_MS;
        if days_ago < task.cooloff_days {
            return Err(Refusal::VisitedRecently {
                days_ago,
                cooloff_days: task.cooloff_days,
            });
        }
    }
    if shopper.held_venues.contains(&task.venue_id) {
        return Err(Refusal::AlreadyHoldsVenue);
    }
    if shopper.held_by_wave.get(&task.wave_id).copied().unwrap_or(0) as i64 >= task.max_tasks_per_shopper {
        return Err(Refusal::WaveLimit {
            max: task.max_tasks_per_shopper,
        });
    }
    if shopper.held_total >= limits.max_concurrent_tasks {
        return Err(Refusal::GlobalLimit {
            max: limits.max_concurrent_tasks,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shopper() -> ShopperFacts {
        ShopperFacts {
            verified: true,
            active: true,
            home_lat: 49.8397,
            home_lon: 24.0297,
            travel_radius_km: 10.0,
            conflicts: vec![],
            held_total: 0,
            held_by_wave: HashMap::new(),
            held_venues: HashSet::new(),
            last_visit: HashMap::new(),
        }
    }

    fn task() -> TaskFacts {
        TaskFacts {
            wave_id: "w1".into(),
            venue_id: "v1".into(),
            venue_name: "ЦНАП м. Львова (головний офіс)".into(),
            venue_lat: 49.841908,
            venue_lon: 24.031578,
            client_id: "c1".into(),
            client_name: "Львівська міська рада".into(),
            cooloff_days: 90,
            max_tasks_per_shopper: 2,
        }
    }

    const LIMITS: Limits = Limits {
        max_concurrent_tasks: 3,
    };
    const NOW: i64 = 1_800_000_000_000;

    #[test]
    fn an_eligible_pair_passes() {
        assert_eq!(check(&shopper(), &task(), LIMITS, NOW), Ok(()));
    }

    #[test]
    fn every_rule_refuses_with_its_reason() {
        type Mutation = Box<dyn Fn(&mut ShopperFacts)>;
        let cases: Vec<(Mutation, &str)> = vec![
            (Box::new(|s| s.verified = false), "EMAIL_NOT_VERIFIED"),
            (Box::new(|s| s.active = false), "ACCOUNT_SUSPENDED"),
            (Box::new(|s| s.travel_radius_km = 0.1), "OUTSIDE_TRAVEL_RADIUS"),
            (
                Box::new(|s| s.conflicts = vec![Conflict::Venue("v1".into())]),
                "CONFLICT_OF_INTEREST",
            ),
            (
                Box::new(|s| s.conflicts = vec![Conflict::Client("c1".into())]),
                "CONFLICT_OF_INTEREST",
            ),
            (
                Box::new(|s| s.conflicts = vec![Conflict::Employer("цнап м. львова".into())]),
                "CONFLICT_OF_INTEREST",
            ),
            (
                Box::new(|s| s.conflicts = vec![Conflict::Employer("міська рада".into())]),
                "CONFLICT_OF_INTEREST",
            ),
            (
                Box::new(|s| {
                    s.last_visit.insert("v1".into(), NOW - 30 * DAY_MS);
                }),
                "COOL_OFF",
            ),
            (
                Box::new(|s| {
                    s.held_venues.insert("v1".into());
                }),
                "ALREADY_HOLDS_VENUE",
            ),
            (
                Box::new(|s| {
                    s.held_by_wave.insert("w1".into(), 2);
                }),
                "WAVE_TASK_LIMIT",
            ),
            (Box::new(|s| s.held_total = 3), "CONCURRENT_TASK_LIMIT"),
        ];
        for (mutate, rule) in cases {
            let mut s = shopper();
            mutate(&mut s);
            let refusal = check(&s, &task(), LIMITS, NOW).unwrap_err();
            assert_eq!(refusal.rule(), rule);
            let text = crate::i18n::render(crate::domain::Language::Uk, &refusal.message());
            assert!(!text.is_empty() && text != refusal.message().code, "{text}");
        }
    }

    #[test]
    fn edges_of_the_rules() {
        // Other venues, clients and short employer names do not conflict.
        let mut s = shopper();
        s.conflicts = vec![
            Conflict::Venue("v2".into()),
            Conflict::Client("c2".into()),
            Conflict::Employer("м.".into()),
        ];
        assert_eq!(check(&s, &task(), LIMITS, NOW), Ok(()));
        // A visit longer ago than the cool-off is fine.
        s.last_visit.insert("v1".into(), NOW - 91 * DAY_MS);
        assert_eq!(check(&s, &task(), LIMITS, NOW), Ok(()));
        // Distance is measured from home: the venue is ~0.3 km away.
        let message = check(
            &ShopperFacts {
                travel_radius_km: 0.2,
                ..shopper()
            },
            &task(),
            LIMITS,
            NOW,
        )
        .unwrap_err()
        .message();
        let text = crate::i18n::render(crate::domain::Language::En, &message);
        assert!(text.contains("0.3 km"), "{text}");
    }
}
