//! Who holds which task: the shopper's job board and claims, coordinator assignment, releases, and the
//! background return of lapsed claims. Every rule check goes through `domain::eligibility::check`; every change
//! is a `task_events` row saying who, when and why.
//!
//! Atomicity: a claim is a conditional `UPDATE … WHERE state = 'OPEN'` inside a write transaction, so of many
//! concurrent claims exactly one changes the row. The shopper's own row is touched first in the same
//! transaction, which serialises one shopper's concurrent claims (a row lock on PostgreSQL; SQLite's write
//! transactions are serial anyway), so per-shopper limits hold under concurrency too.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use chrono::NaiveDate;
use sqlx::{AnyConnection, FromRow};
use tokio::sync::Notify;

use crate::auth::Actor;
use crate::config::Settings;
use crate::db::{new_id, now_ms, Db};
use crate::domain::eligibility::{self, Conflict, Limits, Refusal, ShopperFacts, TaskFacts};
use crate::domain::wave::{TaskState, WaveStatus};
use crate::domain::{BoundedText, Coordinates, Role, UserStatus};
use crate::error::{AppError, AppResult};
use crate::mail::{outbox, templates};
use crate::time::{end_of_kyiv_day, kyiv_today};
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
    state: String,
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
}

impl TaskContext {
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
        match WaveStatus::from_db(&self.wave_status) {
            WaveStatus::Launched => {}
            WaveStatus::Paused => return Err(AppError::conflict("this wave is paused; its tasks cannot be taken now")),
            WaveStatus::Closed => return Err(AppError::conflict("this wave is closed")),
            WaveStatus::Draft => return Err(AppError::conflict("this wave has not started")),
        }
        if self.ends_on < today.to_string() {
            return Err(AppError::conflict("this wave has ended"));
        }
        Ok(())
    }
}

const TASK_CONTEXT: &str = "SELECT t.id, t.wave_id, t.venue_id, t.state, t.shopper_id, t.held_since, t.deadline_at, \
     v.name AS venue_name, v.lat AS venue_lat, v.lon AS venue_lon, v.client_id, c.name AS client_name, \
     w.name AS wave_name, w.status AS wave_status, w.ends_on, w.cooloff_days, w.max_tasks_per_shopper, \
     w.claim_window_hours FROM tasks t JOIN venues v ON v.id = t.venue_id JOIN waves w ON w.id = t.wave_id \
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
            row.ok_or_else(|| AppError::NotFound("shopper".into()))?;
        if role != Role::Shopper.as_str() {
            return Err(AppError::bad_input("shopperId", "is not a shopper"));
        }
        let conflicts: Vec<ConflictRecord> = sqlx::query_as(
            "SELECT id, venue_id, client_id, employer, created_at FROM shopper_conflicts WHERE shopper_id = $1",
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
            active: UserStatus::from_db(&status) == UserStatus::Active,
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
        row.ok_or_else(|| AppError::NotFound("task".into()))
    }

    pub async fn task(&self, task_id: &str) -> AppResult<TaskRecord> {
        let row: Option<TaskRecord> = sqlx::query_as(&format!("SELECT {TASK_COLUMNS} FROM tasks WHERE id = $1"))
            .bind(task_id)
            .fetch_optional(self.db.pool())
            .await?;
        row.ok_or_else(|| AppError::NotFound("task".into()))
    }

    /// When a hold taken now lapses: the wave's claim window, but never after the wave's last day.
    fn deadline(&self, ctx: &TaskContext, now: i64) -> i64 {
        (now + ctx.claim_window_hours * 3_600_000).min(end_of_kyiv_day(&ctx.ends_on))
    }

    /// Open tasks the shopper may claim, nearest first, one per venue and wave. Without `near`, distances are
    /// from home; the travel radius always counts from home.
    pub async fn available_tasks(
        &self,
        actor: &Actor,
        near: Option<Coordinates>,
        radius_km: Option<f64>,
    ) -> AppResult<Vec<AvailableTask>> {
        let mut conn = self.db.pool().acquire().await?;
        let shopper = self.shopper_facts(&mut conn, &actor.user_id).await?;
        if !shopper.verified {
            return Err(refusal_error(&Refusal::NotVerified));
        }
        let (lat, lon) = near.map_or((shopper.home_lat, shopper.home_lon), |c| (c.lat(), c.lon()));
        let radius_m = radius_km.unwrap_or(shopper.travel_radius_km).min(500.0) * 1000.0;
        let (lat_min, lat_max, lon_min, lon_max) = crate::domain::bounding_box(lat, lon, radius_m);
        #[derive(FromRow)]
        struct Row {
            task_id: String,
            fee_kopiykas: i64,
            bonus_kopiykas: i64,
            address: String,
            city: String,
            scenario: String,
            #[sqlx(flatten)]
            ctx: TaskContext,
        }
        let rows = sqlx::query_as::<_, Row>(&format!(
            "SELECT t.id AS task_id, t.fee_kopiykas, t.bonus_kopiykas, v.address, v.city, w.scenario, \
             {} WHERE t.state = 'OPEN' AND w.status = 'LAUNCHED' AND w.ends_on >= $1 \
             AND v.lat BETWEEN $2 AND $3 AND v.lon BETWEEN $4 AND $5 ORDER BY t.seq",
            &TASK_CONTEXT["SELECT ".len()..]
        ))
        .bind(kyiv_today().to_string())
        .bind(lat_min)
        .bind(lat_max)
        .bind(lon_min)
        .bind(lon_max)
        .fetch_all(&mut *conn)
        .await?;
        let now = now_ms();
        let mut seen = HashSet::new();
        let mut found: Vec<AvailableTask> = Vec::new();
        for row in rows {
            if !seen.insert((row.ctx.wave_id.clone(), row.ctx.venue_id.clone())) {
                continue; // another visit number of the same venue in the same wave
            }
            let distance_m = crate::domain::distance_m(lat, lon, row.ctx.venue_lat, row.ctx.venue_lon);
            if distance_m > radius_m || eligibility::check(&shopper, &row.ctx.facts(), self.limits(), now).is_err() {
                continue;
            }
            found.push(AvailableTask {
                task_id: row.task_id,
                wave_id: row.ctx.wave_id.clone(),
                wave_name: row.ctx.wave_name.clone(),
                venue_id: row.ctx.venue_id.clone(),
                venue_name: row.ctx.venue_name.clone(),
                venue_address: row.address,
                venue_city: row.city,
                distance_m,
                fee_kopiykas: row.fee_kopiykas,
                bonus_kopiykas: row.bonus_kopiykas,
                deadline_at: self.deadline(&row.ctx, now),
                scenario: row.scenario,
            });
        }
        found.sort_by(|a, b| {
            a.distance_m
                .total_cmp(&b.distance_m)
                .then_with(|| a.task_id.cmp(&b.task_id))
        });
        Ok(found)
    }

    /// A shopper takes an open task. Claiming a task one already holds returns it unchanged (a phone may retry).
    pub async fn claim(&self, actor: &Actor, task_id: &str) -> AppResult<TaskRecord> {
        let now = now_ms();
        let mut tx = self.db.begin_write().await?;
        // Serialises this shopper's concurrent claims (row lock on PostgreSQL).
        sqlx::query("UPDATE users SET updated_at = updated_at WHERE id = $1")
            .bind(&actor.user_id)
            .execute(&mut *tx)
            .await?;
        let ctx = self.task_context(&mut tx, task_id).await?;
        if ctx.shopper_id.as_deref() == Some(actor.user_id.as_str()) && ctx.state == "CLAIMED" {
            drop(tx);
            return self.task(task_id).await;
        }
        if ctx.state != "OPEN" {
            return Err(AppError::conflict("already taken: another shopper holds this task"));
        }
        ctx.check_wave_open(kyiv_today())?;
        let shopper = self.shopper_facts(&mut tx, &actor.user_id).await?;
        eligibility::check(&shopper, &ctx.facts(), self.limits(), now).map_err(|r| refusal_error(&r))?;
        let taken = sqlx::query(
            "UPDATE tasks SET state = 'CLAIMED', shopper_id = $1, held_since = $2, deadline_at = $3, updated_at = $2 \
             WHERE id = $4 AND state = 'OPEN'",
        )
        .bind(&actor.user_id)
        .bind(now)
        .bind(self.deadline(&ctx, now))
        .bind(task_id)
        .execute(&mut *tx)
        .await?;
        if taken.rows_affected() != 1 {
            return Err(AppError::conflict("already taken: another shopper holds this task"));
        }
        record(
            &mut tx,
            TaskEventRow {
                task_id,
                action: "CLAIM",
                shopper_id: Some(&actor.user_id),
                actor_id: Some(&actor.user_id),
                ..TaskEventRow::default()
            },
        )
        .await?;
        tx.commit().await?;
        self.task(task_id).await
    }

    /// A shopper gives a held task back, saying why. Releasing late (in the last quarter of the hold) counts
    /// against their reliability.
    pub async fn release(&self, actor: &Actor, task_id: &str, reason: &str) -> AppResult<TaskRecord> {
        let reason = BoundedText::parse("reason", reason, 3, 1_000)?.into_inner();
        let now = now_ms();
        let mut tx = self.db.begin_write().await?;
        let ctx = self.task_context(&mut tx, task_id).await?;
        if ctx.shopper_id.as_deref() != Some(actor.user_id.as_str())
            || !matches!(ctx.state.as_str(), "CLAIMED" | "ASSIGNED")
        {
            if ctx.state == "OPEN" {
                // Already released (a retry): nothing to do.
                drop(tx);
                return self.task(task_id).await;
            }
            return Err(AppError::conflict("you do not hold this task"));
        }
        let late = match (ctx.held_since, ctx.deadline_at) {
            (Some(since), Some(deadline)) if deadline > since => (deadline - now) * 4 < (deadline - since),
            _ => false,
        };
        reopen(&mut tx, task_id, now).await?;
        record(
            &mut tx,
            TaskEventRow {
                task_id,
                action: "RELEASE",
                shopper_id: Some(&actor.user_id),
                actor_id: Some(&actor.user_id),
                reason: Some(&reason),
                late,
                ..TaskEventRow::default()
            },
        )
        .await?;
        tx.commit().await?;
        self.task(task_id).await
    }

    /// The tasks a shopper holds or has worked on, newest first.
    pub async fn my_tasks(&self, actor: &Actor, state: Option<TaskState>) -> AppResult<Vec<TaskRecord>> {
        let rows: Vec<TaskRecord> = sqlx::query_as(&format!(
            "SELECT {TASK_COLUMNS} FROM tasks WHERE shopper_id = $1 AND ($2 IS NULL OR state = $2) ORDER BY updated_at DESC, id"
        ))
        .bind(&actor.user_id)
        .bind(state.map(TaskState::as_str))
        .fetch_all(self.db.pool())
        .await?;
        Ok(rows)
    }

    /// A coordinator gives a task to a shopper (taking it from whoever held it). The rules apply unless
    /// `override_reason` says why not; the overridden rule is recorded.
    pub async fn assign(
        &self,
        actor: &Actor,
        task_id: &str,
        shopper_id: &str,
        reason: &str,
        override_reason: Option<&str>,
    ) -> AppResult<TaskRecord> {
        self.give(actor, task_id, shopper_id, reason, override_reason, None)
            .await
    }

    /// A coordinator offers a task to a shopper, who has `accept_within_hours` to accept it (then it is
    /// assigned) or decline it; an offer left unanswered frees the task.
    pub async fn offer(
        &self,
        actor: &Actor,
        task_id: &str,
        shopper_id: &str,
        reason: &str,
        accept_within_hours: i64,
    ) -> AppResult<TaskRecord> {
        let hours = crate::domain::wave::bounded("acceptWithinHours", accept_within_hours, 1, 168)?;
        self.give(actor, task_id, shopper_id, reason, None, Some(hours)).await
    }

    /// Assignment (`offer_hours` None) or offer, under the same rules.
    async fn give(
        &self,
        actor: &Actor,
        task_id: &str,
        shopper_id: &str,
        reason: &str,
        override_reason: Option<&str>,
        offer_hours: Option<i64>,
    ) -> AppResult<TaskRecord> {
        let (state, action) = if offer_hours.is_some() {
            ("OFFERED", "OFFER")
        } else {
            ("ASSIGNED", "ASSIGN")
        };
        let reason = BoundedText::parse("reason", reason, 3, 1_000)?.into_inner();
        let override_reason = override_reason
            .map(|r| BoundedText::parse("overrideReason", r, 10, 1_000).map(BoundedText::into_inner))
            .transpose()?;
        let now = now_ms();
        let mut tx = self.db.begin_write().await?;
        sqlx::query("UPDATE users SET updated_at = updated_at WHERE id = $1")
            .bind(shopper_id)
            .execute(&mut *tx)
            .await?;
        let ctx = self.task_context(&mut tx, task_id).await?;
        let already = match offer_hours {
            Some(_) => ctx.state == "OFFERED",
            None => matches!(ctx.state.as_str(), "CLAIMED" | "ASSIGNED"),
        };
        if ctx.shopper_id.as_deref() == Some(shopper_id) && already {
            drop(tx);
            return self.task(task_id).await;
        }
        if !matches!(ctx.state.as_str(), "OPEN" | "OFFERED" | "CLAIMED" | "ASSIGNED") {
            return Err(AppError::conflict(format!(
                "a {} task cannot be assigned",
                ctx.state.to_lowercase()
            )));
        }
        ctx.check_wave_open(kyiv_today())?;
        let shopper = self.shopper_facts(&mut tx, shopper_id).await?;
        let overridden = match eligibility::check(&shopper, &ctx.facts(), self.limits(), now) {
            Ok(()) => None,
            Err(refusal) if override_reason.is_some() => Some(refusal.rule()),
            Err(refusal) => return Err(refusal_error(&refusal)),
        };
        if let Some(previous) = ctx.shopper_id.as_deref() {
            record(
                &mut tx,
                TaskEventRow {
                    task_id,
                    action: "UNASSIGN",
                    shopper_id: Some(previous),
                    actor_id: Some(&actor.user_id),
                    reason: Some(&reason),
                    ..TaskEventRow::default()
                },
            )
            .await?;
        }
        let deadline = match offer_hours {
            Some(hours) => (now + hours * 3_600_000).min(end_of_kyiv_day(&ctx.ends_on)),
            None => self.deadline(&ctx, now),
        };
        sqlx::query(
            "UPDATE tasks SET state = $1, shopper_id = $2, held_since = $3, deadline_at = $4, updated_at = $3 WHERE id = $5",
        )
        .bind(state)
        .bind(shopper_id)
        .bind(now)
        .bind(deadline)
        .bind(task_id)
        .execute(&mut *tx)
        .await?;
        let why = match &override_reason {
            Some(o) if overridden.is_some() => format!("{reason} (override: {o})"),
            _ => reason.clone(),
        };
        record(
            &mut tx,
            TaskEventRow {
                task_id,
                action,
                shopper_id: Some(shopper_id),
                actor_id: Some(&actor.user_id),
                reason: Some(&why),
                overridden,
                ..TaskEventRow::default()
            },
        )
        .await?;
        tx.commit().await?;
        self.task(task_id).await
    }

    /// The shopper accepts an offer: the task becomes assigned to them. Accepting twice is harmless.
    pub async fn accept_offer(&self, actor: &Actor, task_id: &str) -> AppResult<TaskRecord> {
        let now = now_ms();
        let mut tx = self.db.begin_write().await?;
        let ctx = self.task_context(&mut tx, task_id).await?;
        let mine = ctx.shopper_id.as_deref() == Some(actor.user_id.as_str());
        if mine && ctx.state == "ASSIGNED" {
            drop(tx);
            return self.task(task_id).await;
        }
        if !mine || ctx.state != "OFFERED" {
            return Err(AppError::conflict("this task is not offered to you"));
        }
        if ctx.deadline_at.is_some_and(|d| d < now) {
            return Err(AppError::conflict("this offer has lapsed"));
        }
        ctx.check_wave_open(kyiv_today())?;
        sqlx::query(
            "UPDATE tasks SET state = 'ASSIGNED', held_since = $1, deadline_at = $2, updated_at = $1 WHERE id = $3 AND state = 'OFFERED'",
        )
        .bind(now)
        .bind(self.deadline(&ctx, now))
        .bind(task_id)
        .execute(&mut *tx)
        .await?;
        record(
            &mut tx,
            TaskEventRow {
                task_id,
                action: "ACCEPT",
                shopper_id: Some(&actor.user_id),
                actor_id: Some(&actor.user_id),
                ..TaskEventRow::default()
            },
        )
        .await?;
        tx.commit().await?;
        self.task(task_id).await
    }

    /// The shopper declines an offer; the task returns to the job board. Declining twice is harmless.
    pub async fn decline_offer(&self, actor: &Actor, task_id: &str, reason: &str) -> AppResult<TaskRecord> {
        let reason = BoundedText::parse("reason", reason, 3, 1_000)?.into_inner();
        let mut tx = self.db.begin_write().await?;
        let ctx = self.task_context(&mut tx, task_id).await?;
        if ctx.shopper_id.as_deref() != Some(actor.user_id.as_str()) || ctx.state != "OFFERED" {
            if ctx.state == "OPEN" {
                drop(tx);
                return self.task(task_id).await;
            }
            return Err(AppError::conflict("this task is not offered to you"));
        }
        reopen(&mut tx, task_id, now_ms()).await?;
        record(
            &mut tx,
            TaskEventRow {
                task_id,
                action: "DECLINE",
                shopper_id: Some(&actor.user_id),
                actor_id: Some(&actor.user_id),
                reason: Some(&reason),
                ..TaskEventRow::default()
            },
        )
        .await?;
        tx.commit().await?;
        self.task(task_id).await
    }

    /// A coordinator takes a task back from its shopper.
    pub async fn unassign(&self, actor: &Actor, task_id: &str, reason: &str) -> AppResult<TaskRecord> {
        let reason = BoundedText::parse("reason", reason, 3, 1_000)?.into_inner();
        let mut tx = self.db.begin_write().await?;
        let ctx = self.task_context(&mut tx, task_id).await?;
        let Some(holder) = ctx
            .shopper_id
            .clone()
            .filter(|_| matches!(ctx.state.as_str(), "OFFERED" | "CLAIMED" | "ASSIGNED"))
        else {
            return Err(AppError::conflict("nobody holds this task"));
        };
        reopen(&mut tx, task_id, now_ms()).await?;
        record(
            &mut tx,
            TaskEventRow {
                task_id,
                action: "UNASSIGN",
                shopper_id: Some(&holder),
                actor_id: Some(&actor.user_id),
                reason: Some(&reason),
                ..TaskEventRow::default()
            },
        )
        .await?;
        tx.commit().await?;
        self.task(task_id).await
    }

    /// Returns lapsed claims and assignments to the job board and tells their shoppers. Safe to run on every
    /// server at once: each task changes once.
    pub async fn expire_due(&self) -> AppResult<usize> {
        let now = now_ms();
        let due: Vec<String> = sqlx::query_scalar(
            "SELECT id FROM tasks WHERE state IN ('OFFERED', 'CLAIMED', 'ASSIGNED') AND deadline_at < $1 \
             ORDER BY deadline_at LIMIT 500",
        )
        .bind(now)
        .fetch_all(self.db.pool())
        .await?;
        let mut expired = 0;
        for task_id in due {
            let mut tx = self.db.begin_write().await?;
            let ctx = self.task_context(&mut tx, &task_id).await?;
            let Some(holder) = ctx.shopper_id.clone() else { continue };
            let done = sqlx::query(
                "UPDATE tasks SET state = 'OPEN', shopper_id = NULL, held_since = NULL, deadline_at = NULL, updated_at = $1 \
                 WHERE id = $2 AND state IN ('OFFERED', 'CLAIMED', 'ASSIGNED') AND deadline_at < $1",
            )
            .bind(now)
            .bind(&task_id)
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() != 1 {
                continue;
            }
            if ctx.state == "OFFERED" {
                // An unanswered offer frees the task; it does not count against the shopper.
                record(
                    &mut tx,
                    TaskEventRow {
                        task_id: &task_id,
                        action: "OFFER_EXPIRED",
                        shopper_id: Some(&holder),
                        reason: Some("the offer was not accepted in time"),
                        ..TaskEventRow::default()
                    },
                )
                .await?;
                tx.commit().await?;
                expired += 1;
                continue;
            }
            record(
                &mut tx,
                TaskEventRow {
                    task_id: &task_id,
                    action: "EXPIRE",
                    shopper_id: Some(&holder),
                    reason: Some("the time to visit ran out"),
                    ..TaskEventRow::default()
                },
            )
            .await?;
            if let Some((email, language)) = crate::accounts::shopper_contact(&mut tx, &holder).await? {
                let mail = templates::claim_expired(language, &ctx.venue_name, &ctx.wave_name);
                outbox::enqueue(&mut tx, "claim_expired", &email, &mail.subject, &mail.body).await?;
            }
            tx.commit().await?;
            expired += 1;
        }
        if expired > 0 {
            self.mail_wake.notify_one();
            tracing::info!(expired, "lapsed task holds returned to the job board");
        }
        Ok(expired)
    }

    pub async fn history(&self, task_id: &str) -> AppResult<Vec<TaskEvent>> {
        Ok(sqlx::query_as(
            "SELECT id, task_id, action, shopper_id, actor_id, reason, overridden, late, at FROM task_events \
             WHERE task_id = $1 ORDER BY at, id",
        )
        .bind(task_id)
        .fetch_all(self.db.pool())
        .await?)
    }

    pub async fn reliability(&self, shopper_id: &str) -> AppResult<Reliability> {
        let (taken, late, expired): (Option<i64>, Option<i64>, Option<i64>) = sqlx::query_as(
            "SELECT SUM(CASE WHEN action IN ('CLAIM', 'ASSIGN', 'ACCEPT') THEN 1 ELSE 0 END), \
                    SUM(CASE WHEN action = 'RELEASE' AND late = 1 THEN 1 ELSE 0 END), \
                    SUM(CASE WHEN action = 'EXPIRE' THEN 1 ELSE 0 END) \
             FROM task_events WHERE shopper_id = $1 AND action IN ('CLAIM', 'ASSIGN', 'ACCEPT', 'RELEASE', 'EXPIRE')",
        )
        .bind(shopper_id)
        .fetch_one(self.db.pool())
        .await?;
        Ok(Reliability {
            taken: taken.unwrap_or(0),
            late_releases: late.unwrap_or(0),
            expired: expired.unwrap_or(0),
        })
    }

    // ---- declared conflicts ----

    pub async fn conflicts(&self, shopper_id: &str) -> AppResult<Vec<ConflictRecord>> {
        Ok(sqlx::query_as(
            "SELECT id, venue_id, client_id, employer, created_at FROM shopper_conflicts WHERE shopper_id = $1 ORDER BY created_at, id",
        )
        .bind(shopper_id)
        .fetch_all(self.db.pool())
        .await?)
    }

    /// A shopper declares a venue, a client or an employer they must not evaluate.
    pub async fn declare_conflict(
        &self,
        actor: &Actor,
        venue_id: Option<&str>,
        client_id: Option<&str>,
        employer: Option<&str>,
    ) -> AppResult<ConflictRecord> {
        let employer = employer
            .map(|e| BoundedText::line("employer", e, 3, 200).map(BoundedText::into_inner))
            .transpose()?;
        if [venue_id.is_some(), client_id.is_some(), employer.is_some()]
            .iter()
            .filter(|x| **x)
            .count()
            != 1
        {
            return Err(AppError::bad_input(
                "venueId",
                "give exactly one of venueId, clientId or employer",
            ));
        }
        if let Some(venue) = venue_id {
            let found: Option<String> = sqlx::query_scalar("SELECT id FROM venues WHERE id = $1")
                .bind(venue)
                .fetch_optional(self.db.pool())
                .await?;
            found.ok_or_else(|| AppError::bad_input("venueId", "no such venue"))?;
        }
        if let Some(client) = client_id {
            let found: Option<String> = sqlx::query_scalar("SELECT id FROM clients WHERE id = $1")
                .bind(client)
                .fetch_optional(self.db.pool())
                .await?;
            found.ok_or_else(|| AppError::bad_input("clientId", "no such client"))?;
        }
        let (id, now) = (new_id(), now_ms());
        let mut tx = self.db.begin_write().await?;
        sqlx::query(
            "INSERT INTO shopper_conflicts (id, shopper_id, venue_id, client_id, employer, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&id)
        .bind(&actor.user_id)
        .bind(venue_id)
        .bind(client_id)
        .bind(employer.as_deref())
        .bind(now)
        .execute(&mut *tx)
        .await?;
        crate::audit::audit(
            &mut tx,
            Some(&actor.user_id),
            "shopper.declare_conflict",
            Some(&id),
            None,
        )
        .await?;
        tx.commit().await?;
        Ok(ConflictRecord {
            id,
            venue_id: venue_id.map(str::to_string),
            client_id: client_id.map(str::to_string),
            employer,
            created_at: now,
        })
    }
}

async fn reopen(tx: &mut AnyConnection, task_id: &str, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE tasks SET state = 'OPEN', shopper_id = NULL, held_since = NULL, deadline_at = NULL, updated_at = $1 WHERE id = $2",
    )
    .bind(now)
    .bind(task_id)
    .execute(&mut *tx)
    .await?;
    Ok(())
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
pub(crate) async fn record(tx: &mut AnyConnection, event: TaskEventRow<'_>) -> Result<(), sqlx::Error> {
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
    .bind(now_ms())
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// A proposed (or made) assignment from the wave optimizer.
#[derive(Debug, Clone)]
pub struct Proposal {
    pub task_id: String,
    pub shopper_id: String,
    pub venue_name: String,
    pub distance_m: u32,
}

/// The optimizer's answer for a wave.
#[derive(Debug, Clone, Default)]
pub struct AutoAssignPlan {
    pub proposals: Vec<Proposal>,
    /// (task id, venue name, reason)
    pub unassignable: Vec<(String, String, &'static str)>,
    pub total_m: u64,
    /// How many proposals were made into assignments (commit only).
    pub committed: usize,
    /// Proposals that no longer applied when the plan was written (commit only): (task id, venue name, why).
    pub not_committed: Vec<(String, String, String)>,
}

impl Assignment {
    /// Spreads a launched wave's open tasks over eligible shoppers: the most tasks possible, then the least
    /// total home-to-venue distance (see `domain::optimizer`). Without `commit` it only proposes; with it,
    /// each proposal becomes an assignment (rules are checked again for each).
    pub async fn auto_assign(
        &self,
        actor: &Actor,
        wave_id: &str,
        commit: bool,
        as_offers: bool,
    ) -> AppResult<AutoAssignPlan> {
        use crate::domain::optimizer::{self, Unfilled};
        let mut conn = self.db.pool().acquire().await?;
        let status: Option<String> = sqlx::query_scalar("SELECT status FROM waves WHERE id = $1")
            .bind(wave_id)
            .fetch_optional(&mut *conn)
            .await?;
        match status.as_deref().map(WaveStatus::from_db) {
            None => return Err(AppError::NotFound("wave".into())),
            Some(WaveStatus::Launched) => {}
            Some(other) => {
                return Err(AppError::conflict(format!(
                    "a {} wave cannot be auto-assigned",
                    other.as_str().to_lowercase()
                )))
            }
        }
        let open: Vec<TaskContextWithId> = sqlx::query_as(&format!(
            "SELECT t.id AS task_id, {} WHERE t.wave_id = $1 AND t.state = 'OPEN' ORDER BY t.venue_id, t.seq",
            &TASK_CONTEXT["SELECT ".len()..]
        ))
        .bind(wave_id)
        .fetch_all(&mut *conn)
        .await?;
        // Venues with their open tasks.
        let mut venue_index: HashMap<String, usize> = HashMap::new();
        let mut venue_tasks: Vec<Vec<String>> = Vec::new();
        let mut venue_facts: Vec<TaskFacts> = Vec::new();
        for row in &open {
            let v = *venue_index.entry(row.ctx.venue_id.clone()).or_insert_with(|| {
                venue_tasks.push(Vec::new());
                venue_facts.push(row.ctx.facts());
                venue_tasks.len() - 1
            });
            venue_tasks[v].push(row.task_id.clone());
        }
        let venues: Vec<optimizer::Venue> = venue_facts
            .iter()
            .zip(&venue_tasks)
            .map(|(f, tasks)| optimizer::Venue {
                lat: f.venue_lat,
                lon: f.venue_lon,
                demand: tasks.len() as u32,
            })
            .collect();
        // Every active, verified shopper, with what the rules need (four queries, not four per shopper).
        let (shopper_ids, facts) = self.all_shopper_facts(&mut conn).await?;
        let max_in_wave = venue_facts.first().map_or(0, |f| f.max_tasks_per_shopper);
        let shoppers: Vec<optimizer::Shopper> = facts
            .iter()
            .map(|f| {
                let in_wave = f.held_by_wave.get(wave_id).copied().unwrap_or(0) as i64;
                let capacity = (max_in_wave - in_wave)
                    .min(self.limits().max_concurrent_tasks as i64 - f.held_total as i64)
                    .max(0);
                optimizer::Shopper {
                    lat: f.home_lat,
                    lon: f.home_lon,
                    radius_m: f.travel_radius_km * 1000.0,
                    capacity: capacity as u32,
                }
            })
            .collect();
        let now = now_ms();
        let unlimited = Limits {
            max_concurrent_tasks: usize::MAX,
        };
        // Capacity is the optimizer's business; every other rule decides here.
        let free: Vec<ShopperFacts> = facts
            .into_iter()
            .map(|f| ShopperFacts {
                held_total: 0,
                held_by_wave: HashMap::new(),
                ..f
            })
            .collect();
        let pairs = optimizer::candidate_pairs(&venues, &shoppers, |v, s| {
            eligibility::check(&free[s], &venue_facts[v], unlimited, now).is_ok()
        });
        let plan = tokio::task::spawn_blocking(move || {
            let plan = optimizer::optimal(&venues, &shoppers, &pairs);
            let metres: HashMap<(usize, usize), u32> = pairs.iter().map(|p| ((p.venue, p.shopper), p.metres)).collect();
            (plan, metres)
        })
        .await
        .map_err(|e| AppError::Internal(e.into()))?;
        let (plan, metres) = plan;
        let mut next_task = vec![0usize; venue_tasks.len()];
        let mut result = AutoAssignPlan {
            total_m: plan.total_m,
            ..Default::default()
        };
        for (v, s) in plan.pairs {
            let task_id = venue_tasks[v][next_task[v]].clone();
            next_task[v] += 1;
            result.proposals.push(Proposal {
                task_id,
                shopper_id: shopper_ids[s].clone(),
                venue_name: venue_facts[v].venue_name.clone(),
                distance_m: metres[&(v, s)],
            });
        }
        for (v, _, why) in plan.unfilled {
            let reason = match why {
                Unfilled::NoEligibleShopper => "no eligible shopper lives within reach of this venue",
                Unfilled::ShoppersAtCapacity => "every eligible shopper nearby is at capacity or holds a task here",
            };
            for task_id in &venue_tasks[v][next_task[v]..] {
                result
                    .unassignable
                    .push((task_id.clone(), venue_facts[v].venue_name.clone(), reason));
            }
        }
        drop(conn);
        if commit {
            let tasks: HashMap<String, TaskContext> = open.into_iter().map(|row| (row.task_id, row.ctx)).collect();
            self.commit_plan(actor, &mut result, &tasks, as_offers).await?;
        }
        Ok(result)
    }

    /// Writes a plan in one transaction: all of it that still applies, or (on any failure) none of it. Every
    /// shopper in the plan is locked first (claims lock the shopper too), their facts are read again, and each
    /// proposal is checked against the rules with the load the plan itself adds; the tasks change in batched
    /// conditional UPDATEs (`state = 'OPEN'`), so a task taken meanwhile is left alone. What did not apply is
    /// reported in `not_committed` with the reason.
    async fn commit_plan(
        &self,
        actor: &Actor,
        plan: &mut AutoAssignPlan,
        tasks: &HashMap<String, TaskContext>,
        as_offers: bool,
    ) -> AppResult<()> {
        const WHY: &str = "proposed by the wave optimizer";
        let (state, action) = if as_offers {
            ("OFFERED", "OFFER")
        } else {
            ("ASSIGNED", "ASSIGN")
        };
        let now = now_ms();
        let mut tx = self.db.begin_write().await?;
        let shoppers: Vec<&str> = plan
            .proposals
            .iter()
            .map(|p| p.shopper_id.as_str())
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        for chunk in shoppers.chunks(500) {
            let list = (1..=chunk.len())
                .map(|i| format!("${i}"))
                .collect::<Vec<_>>()
                .join(", ");
            let sql = format!("UPDATE users SET updated_at = updated_at WHERE id IN ({list})");
            let mut query = sqlx::query(&sql);
            for id in chunk {
                query = query.bind(*id);
            }
            query.execute(&mut *tx).await?;
        }
        // The wave as it is now (it may have been paused or closed since the plan was made).
        if let Some(ctx) = tasks.values().next() {
            let status: String = sqlx::query_scalar("SELECT status FROM waves WHERE id = $1")
                .bind(&ctx.wave_id)
                .fetch_one(&mut *tx)
                .await?;
            TaskContext {
                wave_status: status,
                ..ctx.clone()
            }
            .check_wave_open(kyiv_today())?;
        }
        let (ids, mut facts) = self.all_shopper_facts(&mut tx).await?;
        let index: HashMap<&str, usize> = ids.iter().enumerate().map(|(i, id)| (id.as_str(), i)).collect();
        let mut accepted: Vec<(&Proposal, i64)> = Vec::new();
        for p in &plan.proposals {
            let Some(ctx) = tasks.get(&p.task_id) else { continue };
            let task = ctx.facts();
            let refusal = match index.get(p.shopper_id.as_str()) {
                None => Some("the shopper is no longer active and verified".to_string()),
                Some(&i) => match eligibility::check(&facts[i], &task, self.limits(), now) {
                    Ok(()) => {
                        let f = &mut facts[i];
                        f.held_total += 1;
                        *f.held_by_wave.entry(task.wave_id.clone()).or_default() += 1;
                        f.held_venues.insert(task.venue_id.clone());
                        None
                    }
                    Err(refusal) => Some(refusal.message()),
                },
            };
            match refusal {
                Some(reason) => plan
                    .not_committed
                    .push((p.task_id.clone(), p.venue_name.clone(), reason)),
                None => {
                    let deadline = if as_offers {
                        (now + 24 * 3_600_000).min(end_of_kyiv_day(&ctx.ends_on))
                    } else {
                        self.deadline(ctx, now)
                    };
                    accepted.push((p, deadline));
                }
            }
        }
        let mut written: HashSet<String> = HashSet::new();
        for chunk in accepted.chunks(300) {
            let values = (0..chunk.len())
                .map(|i| format!("(${}, ${}, ${})", 3 + 3 * i, 4 + 3 * i, 5 + 3 * i))
                .collect::<Vec<_>>()
                .join(", ");
            let sql = format!(
                "UPDATE tasks SET state = $1, shopper_id = v.column2, held_since = $2, deadline_at = v.column3, \
                 updated_at = $2 FROM (VALUES {values}) AS v WHERE tasks.id = v.column1 AND tasks.state = 'OPEN' \
                 RETURNING tasks.id"
            );
            let mut query = sqlx::query_scalar::<_, String>(&sql).bind(state).bind(now);
            for (p, deadline) in chunk {
                query = query.bind(&p.task_id).bind(&p.shopper_id).bind(*deadline);
            }
            written.extend(query.fetch_all(&mut *tx).await?);
        }
        let done: Vec<&Proposal> = accepted
            .iter()
            .map(|(p, _)| *p)
            .filter(|p| written.contains(&p.task_id))
            .collect();
        for p in accepted
            .iter()
            .map(|(p, _)| *p)
            .filter(|p| !written.contains(&p.task_id))
        {
            plan.not_committed.push((
                p.task_id.clone(),
                p.venue_name.clone(),
                "the task was taken meanwhile".into(),
            ));
        }
        for chunk in done.chunks(200) {
            let values = (0..chunk.len())
                .map(|i| {
                    let b = 6 + 3 * i;
                    format!("(${b}, ${}, $1, ${}, $2, $3, NULL, $4, $5)", b + 1, b + 2)
                })
                .collect::<Vec<_>>()
                .join(", ");
            let sql = format!(
                "INSERT INTO task_events (id, task_id, action, shopper_id, actor_id, reason, overridden, late, at) \
                 VALUES {values}"
            );
            let mut query = sqlx::query(&sql)
                .bind(action)
                .bind(&actor.user_id)
                .bind(WHY)
                .bind(0_i64)
                .bind(now);
            for p in chunk {
                query = query.bind(new_id()).bind(&p.task_id).bind(&p.shopper_id);
            }
            query.execute(&mut *tx).await?;
        }
        tx.commit().await?;
        plan.committed = done.len();
        Ok(())
    }
}

#[derive(FromRow)]
struct TaskContextWithId {
    task_id: String,
    #[sqlx(flatten)]
    ctx: TaskContext,
}
