//! Who holds which task: the shopper's job board and claims, coordinator assignment, releases, and the
//! background return of lapsed claims. Every rule check goes through `domain::eligibility::check`; every change
//! is a `task_events` row saying who, when and why.
//!
//! Atomicity: a claim is a conditional `UPDATE … WHERE state = 'OPEN'` inside a write transaction, so of many
//! concurrent claims exactly one changes the row. The shopper's own row is touched first in the same
//! transaction, which serialises one shopper's concurrent claims (a row lock on PostgreSQL; SQLite's write
//! transactions are serial anyway), so per-shopper limits hold under concurrency too.

mod auto_assign;
mod conflicts;
mod coordinator;
mod history;
mod job_board;
mod lapses;
mod offers;

pub use auto_assign::{AutoAssignPlan, Proposal};

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use chrono::NaiveDate;
use sqlx::{AnyConnection, FromRow};
use tokio::sync::Notify;

use crate::config::Settings;
use crate::db::{new_id, Db};
use crate::domain::eligibility::{Conflict, Limits, Refusal, ShopperFacts, TaskFacts};
use crate::domain::task::{TaskMove, TaskState};
use crate::domain::wave::WaveStatus;
use crate::domain::{Role, UserStatus};
use crate::error::{AppError, AppResult};
use crate::time::end_of_day;
use crate::waves::{TaskRecord, TASK_COLUMNS};

/// A task on the job board, with what a shopper needs to decide.
#[derive(Debug, Clone)]
pub struct AvailableTask {
    pub task_id: String,
    pub wave_id: String,
    pub wave_name: String,
    pub venue_id: String,
    pub venue_name: String,
    pub venue_address: String,
    pub venue_city: String,
    pub venue_lat: f64,
    pub venue_lon: f64,
    pub client_id: String,
    pub client_name: String,
    pub distance_m: f64,
    pub fee_kopiykas: i64,
    pub bonus_kopiykas: i64,
    /// Visit by then if claimed now.
    pub deadline_at: i64,
    pub scenario: String,
}

/// How a shopper has kept their word.
#[derive(Debug, Clone, Default)]
pub struct Reliability {
    /// Tasks taken (claimed or assigned).
    pub taken: i64,
    pub late_releases: i64,
    pub expired: i64,
}

impl Reliability {
    /// 100 × share of taken tasks neither released late nor let lapse; `None` without history.
    pub fn score(&self) -> Option<f64> {
        (self.taken > 0).then(|| {
            let kept = (self.taken - self.late_releases - self.expired).max(0) as f64;
            (1000.0 * kept / self.taken as f64).round() / 10.0
        })
    }
}

/// One change in a task's history.
#[derive(Debug, Clone, FromRow)]
pub struct TaskEvent {
    pub id: String,
    pub task_id: String,
    pub action: String,
    pub shopper_id: Option<String>,
    pub actor_id: Option<String>,
    pub reason: Option<String>,
    pub overridden: Option<String>,
    pub late: i64,
    pub at: i64,
}

/// A declared conflict of interest, as stored.
#[derive(Debug, Clone, FromRow)]
pub struct ConflictRecord {
    pub id: String,
    pub venue_id: Option<String>,
    pub client_id: Option<String>,
    pub employer: Option<String>,
    pub created_at: i64,
    /// The venue's or the client's name, for showing the declaration.
    pub name: Option<String>,
}

/// A stored declaration as the eligibility rule sees it (exactly one of the three is set).
fn conflict_rule(venue_id: Option<String>, client_id: Option<String>, employer: Option<String>) -> Option<Conflict> {
    match (venue_id, client_id, employer) {
        (Some(v), _, _) => Some(Conflict::Venue(v)),
        (_, Some(cl), _) => Some(Conflict::Client(cl)),
        (_, _, Some(e)) => Some(Conflict::Employer(e)),
        _ => None,
    }
}

/// The task and its context, as the rules need them.
#[derive(Clone, FromRow)]
struct TaskContext {
    wave_id: String,
    venue_id: String,
    #[sqlx(try_from = "String")]
    state: TaskState,
    shopper_id: Option<String>,
    held_since: Option<i64>,
    deadline_at: Option<i64>,
    venue_name: String,
    venue_lat: f64,
    venue_lon: f64,
    client_id: String,
    client_name: String,
    wave_name: String,
    wave_status: String,
    ends_on: String,
    cooloff_days: i64,
    max_tasks_per_shopper: i64,
    claim_window_hours: i64,
    venue_time_zone: Option<String>,
}

impl TaskContext {
    /// The end of the wave's last day where the venue is.
    fn end_of_last_day(&self) -> i64 {
        let zone = self
            .venue_time_zone
            .as_deref()
            .and_then(|z| z.parse().ok())
            .unwrap_or(chrono_tz::Europe::Kyiv);
        end_of_day(&self.ends_on, zone)
    }

    fn facts(&self) -> TaskFacts {
        TaskFacts {
            wave_id: self.wave_id.clone(),
            venue_id: self.venue_id.clone(),
            venue_name: self.venue_name.clone(),
            venue_lat: self.venue_lat,
            venue_lon: self.venue_lon,
            client_id: self.client_id.clone(),
            client_name: self.client_name.clone(),
            cooloff_days: self.cooloff_days,
            max_tasks_per_shopper: self.max_tasks_per_shopper,
        }
    }

    /// The wave must be running and not over.
    fn check_wave_open(&self, today: NaiveDate) -> AppResult<()> {
        match WaveStatus::parse(&self.wave_status)? {
            WaveStatus::Launched => {}
            WaveStatus::Paused => return Err(AppError::conflict(crate::msg!("wave-paused"))),
            WaveStatus::Closed => return Err(AppError::conflict(crate::msg!("wave-closed"))),
            WaveStatus::Draft => return Err(AppError::conflict(crate::msg!("wave-not-started"))),
        }
        if self.ends_on < today.to_string() {
            return Err(AppError::conflict(crate::msg!("wave-ended")));
        }
        Ok(())
    }
}

const TASK_CONTEXT: &str = "SELECT t.id, t.wave_id, t.venue_id, t.state, t.shopper_id, t.held_since, t.deadline_at, \
     v.name AS venue_name, v.lat AS venue_lat, v.lon AS venue_lon, v.client_id, c.name AS client_name, \
     w.name AS wave_name, w.status AS wave_status, w.ends_on, w.cooloff_days, w.max_tasks_per_shopper, \
     w.claim_window_hours, v.time_zone AS venue_time_zone FROM tasks t JOIN venues v ON v.id = t.venue_id JOIN waves w ON w.id = t.wave_id \
     JOIN clients c ON c.id = v.client_id";

const HELD: &str = "('OFFERED', 'CLAIMED', 'ASSIGNED')";

fn refusal_error(refusal: &Refusal) -> AppError {
    AppError::Rule {
        rule: refusal.rule(),
        message: refusal.message(),
    }
}

#[derive(Clone)]
pub struct Assignment {
    db: Db,
    settings: Arc<Settings>,
    mail_wake: Arc<Notify>,
}

impl Assignment {
    pub fn new(db: Db, settings: Arc<Settings>, mail_wake: Arc<Notify>) -> Self {
        Self {
            db,
            settings,
            mail_wake,
        }
    }

    fn limits(&self) -> Limits {
        Limits {
            max_concurrent_tasks: self.settings.assignment.max_concurrent_tasks,
        }
    }

    /// Everything the rules need to know about a shopper, read on `conn` (inside the caller's transaction).
    async fn shopper_facts(&self, conn: &mut AnyConnection, shopper_id: &str) -> AppResult<ShopperFacts> {
        let row: Option<(String, String, Option<i64>, f64, f64, f64)> = sqlx::query_as(
            "SELECT u.role, u.status, u.email_verified_at, p.home_lat, p.home_lon, p.travel_radius_km \
             FROM users u JOIN shopper_profiles p ON p.user_id = u.id WHERE u.id = $1",
        )
        .bind(shopper_id)
        .fetch_optional(&mut *conn)
        .await?;
        let (role, status, verified, home_lat, home_lon, travel_radius_km) =
            row.ok_or_else(|| AppError::NotFound("shopper"))?;
        if role != Role::Shopper.as_str() {
            return Err(AppError::bad_input("shopperId", crate::msg!("not-a-shopper")));
        }
        let conflicts: Vec<ConflictRecord> = sqlx::query_as(
            "SELECT id, venue_id, client_id, employer, created_at, CAST(NULL AS TEXT) AS name FROM shopper_conflicts WHERE shopper_id = $1",
        )
        .bind(shopper_id)
        .fetch_all(&mut *conn)
        .await?;
        let held: Vec<(String, String)> = sqlx::query_as(&format!(
            "SELECT wave_id, venue_id FROM tasks WHERE shopper_id = $1 AND state IN {HELD}"
        ))
        .bind(shopper_id)
        .fetch_all(&mut *conn)
        .await?;
        let visits: Vec<(String, i64)> = sqlx::query_as(
            "SELECT venue_id, MAX(updated_at) FROM tasks WHERE shopper_id = $1 \
             AND state IN ('VISITED', 'SUBMITTED', 'APPROVED', 'REJECTED') GROUP BY venue_id",
        )
        .bind(shopper_id)
        .fetch_all(&mut *conn)
        .await?;
        let mut held_by_wave: HashMap<String, usize> = HashMap::new();
        for (wave, _) in &held {
            *held_by_wave.entry(wave.clone()).or_default() += 1;
        }
        Ok(ShopperFacts {
            verified: verified.is_some(),
            active: UserStatus::parse(&status)? == UserStatus::Active,
            home_lat,
            home_lon,
            travel_radius_km,
            conflicts: conflicts
                .into_iter()
                .filter_map(|c| conflict_rule(c.venue_id, c.client_id, c.employer))
                .collect(),
            held_total: held.len(),
            held_venues: held.iter().map(|(_, v)| v.clone()).collect::<HashSet<_>>(),
            held_by_wave,
            last_visit: visits.into_iter().collect(),
        })
    }

    /// `shopper_facts` for every active, verified shopper at once: (ids, facts), in id order.
    async fn all_shopper_facts(&self, conn: &mut AnyConnection) -> AppResult<(Vec<String>, Vec<ShopperFacts>)> {
        let rows: Vec<(String, f64, f64, f64)> = sqlx::query_as(
            "SELECT u.id, p.home_lat, p.home_lon, p.travel_radius_km \
             FROM users u JOIN shopper_profiles p ON p.user_id = u.id \
             WHERE u.role = 'SHOPPER' AND u.status = 'ACTIVE' AND u.email_verified_at IS NOT NULL ORDER BY u.id",
        )
        .fetch_all(&mut *conn)
        .await?;
        let index: HashMap<String, usize> = rows.iter().enumerate().map(|(i, r)| (r.0.clone(), i)).collect();
        let mut facts: Vec<ShopperFacts> = rows
            .iter()
            .map(|&(_, home_lat, home_lon, travel_radius_km)| ShopperFacts {
                verified: true,
                active: true,
                home_lat,
                home_lon,
                travel_radius_km,
                conflicts: Vec::new(),
                held_total: 0,
                held_by_wave: HashMap::new(),
                held_venues: HashSet::new(),
                last_visit: HashMap::new(),
            })
            .collect();
        #[derive(FromRow)]
        struct Declared {
            shopper_id: String,
            venue_id: Option<String>,
            client_id: Option<String>,
            employer: Option<String>,
        }
        let conflicts: Vec<Declared> =
            sqlx::query_as("SELECT shopper_id, venue_id, client_id, employer FROM shopper_conflicts")
                .fetch_all(&mut *conn)
                .await?;
        for Declared {
            shopper_id: shopper,
            venue_id: venue,
            client_id: client,
            employer,
        } in conflicts
        {
            let Some(&i) = index.get(&shopper) else { continue };
            facts[i].conflicts.extend(conflict_rule(venue, client, employer));
        }
        let held: Vec<(String, String, String)> = sqlx::query_as(&format!(
            "SELECT shopper_id, wave_id, venue_id FROM tasks WHERE shopper_id IS NOT NULL AND state IN {HELD}"
        ))
        .fetch_all(&mut *conn)
        .await?;
        for (shopper, wave, venue) in held {
            let Some(&i) = index.get(&shopper) else { continue };
            facts[i].held_total += 1;
            *facts[i].held_by_wave.entry(wave).or_default() += 1;
            facts[i].held_venues.insert(venue);
        }
        let visits: Vec<(String, String, i64)> = sqlx::query_as(
            "SELECT shopper_id, venue_id, MAX(updated_at) FROM tasks WHERE shopper_id IS NOT NULL \
             AND state IN ('VISITED', 'SUBMITTED', 'APPROVED', 'REJECTED') GROUP BY shopper_id, venue_id",
        )
        .fetch_all(&mut *conn)
        .await?;
        for (shopper, venue, at) in visits {
            if let Some(&i) = index.get(&shopper) {
                facts[i].last_visit.insert(venue, at);
            }
        }
        Ok((rows.into_iter().map(|r| r.0).collect(), facts))
    }

    async fn task_context(&self, conn: &mut AnyConnection, task_id: &str) -> AppResult<TaskContext> {
        let row: Option<TaskContext> = sqlx::query_as(&format!("{TASK_CONTEXT} WHERE t.id = $1"))
            .bind(task_id)
            .fetch_optional(&mut *conn)
            .await?;
        row.ok_or_else(|| AppError::NotFound("task"))
    }

    pub async fn task(&self, task_id: &str) -> AppResult<TaskRecord> {
        let row: Option<TaskRecord> = sqlx::query_as(&format!("SELECT {TASK_COLUMNS} FROM tasks WHERE id = $1"))
            .bind(task_id)
            .fetch_optional(self.db.pool())
            .await?;
        row.ok_or_else(|| AppError::NotFound("task"))
    }

    /// Records the task's event, commits, and returns the task as it now is (how every change of a task ends).
    async fn commit_with_event(&self, mut tx: crate::db::Tx, event: TaskEventRow<'_>) -> AppResult<TaskRecord> {
        record(&mut tx, event).await?;
        tx.commit().await?;
        self.task(event.task_id).await
    }

    /// When a hold taken now lapses: the wave's claim window, but never after the wave's last day.
    fn deadline(&self, ctx: &TaskContext, now: i64) -> i64 {
        (now + ctx.claim_window_hours * 3_600_000).min(ctx.end_of_last_day())
    }
}

/// Moves a task's state by `mv` (nothing else changes), in the caller's transaction; false when the task
/// was not in one of the move's starting states.
pub(crate) async fn move_task(
    tx: &mut AnyConnection,
    task_id: &str,
    mv: TaskMove,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(&format!(
        "UPDATE tasks SET state = '{}', updated_at = $1 WHERE id = $2 AND state IN ({})",
        mv.to().as_str(),
        mv.from_sql()
    ))
    .bind(now)
    .bind(task_id)
    .execute(&mut *tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A held task goes back to the job board ([`TaskMove::GiveBack`]); false when it was not held any more.
async fn give_back(tx: &mut AnyConnection, task_id: &str, now: i64) -> Result<bool, sqlx::Error> {
    let mv = TaskMove::GiveBack;
    let done = sqlx::query(&format!(
        "UPDATE tasks SET state = '{}', shopper_id = NULL, held_since = NULL, deadline_at = NULL, updated_at = $1 \
         WHERE id = $2 AND state IN ({})",
        mv.to().as_str(),
        mv.from_sql()
    ))
    .bind(now)
    .bind(task_id)
    .execute(&mut *tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// One line of a task's history, as `record` writes it.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct TaskEventRow<'a> {
    pub task_id: &'a str,
    /// CLAIM, RELEASE, ASSIGN, OFFER, ACCEPT, DECLINE, UNASSIGN, EXPIRE, CHECK_IN, …
    pub action: &'a str,
    pub shopper_id: Option<&'a str>,
    pub actor_id: Option<&'a str>,
    pub reason: Option<&'a str>,
    /// The eligibility rule a coordinator overrode.
    pub overridden: Option<&'a str>,
    /// Released in the last quarter of the hold (counts against reliability).
    pub late: bool,
}

/// Appends one event to a task's history, in the caller's transaction.
pub(crate) async fn record(tx: &mut crate::db::Tx, event: TaskEventRow<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO task_events (id, task_id, action, shopper_id, actor_id, reason, overridden, late, at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(new_id())
    .bind(event.task_id)
    .bind(event.action)
    .bind(event.shopper_id)
    .bind(event.actor_id)
    .bind(event.reason)
    .bind(event.overridden)
    .bind(i64::from(event.late))
    .bind(tx.now_ms())
    .execute(&mut **tx)
    .await?;
    Ok(())
}
