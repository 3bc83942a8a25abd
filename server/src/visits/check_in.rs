//! Check-in: every attempt recorded with its geo verdict; the one that passes (or, where the wave only
//! flags, any) starts the visit. `clientId` makes a resend, even one in flight, return the first attempt.

use sqlx::FromRow;

use crate::auth::Actor;
use crate::db::Tx;
use crate::db::{is_unique_violation, new_id};
use crate::domain::task::{TaskMove, TaskState};
use crate::domain::visit::{self, CheckInRefusal, CheckInTask, Fix, GeoVerdict, Place, VisitRules, VisitState};
use crate::domain::wave::WaveStatus;
use crate::domain::{Coordinates, OpeningHours};
use crate::error::{AppError, AppResult};

use super::{
    accuracy_checked, client_id_checked, declared_conflict, device_time_checked, raise_flag, AttemptRecord, CheckIn,
    CheckInOutcome, VisitRecord, Visits,
};

impl Visits {
    /// Check-in on a task the shopper holds. The attempt is always recorded; the visit starts when it passes,
    /// or when the wave only flags failed check-ins. A repeated `clientId` returns the first result.
    pub async fn check_in(&self, actor: &Actor, input: CheckIn) -> AppResult<CheckInOutcome> {
        let client_id = client_id_checked("clientId", &input.client_id)?;
        match self.check_in_once(actor, input).await {
            // A resend that arrived while the first was in flight sees the task already visited (or changed):
            // if the first request made it with this client id, its result is the answer.
            Err(err @ (AppError::Conflict { .. } | AppError::Rule { .. })) => {
                match self.attempt_by_client_id(actor, &client_id).await? {
                    Some(done) => Ok(done),
                    None => Err(err),
                }
            }
            other => other,
        }
    }

    async fn check_in_once(&self, actor: &Actor, input: CheckIn) -> AppResult<CheckInOutcome> {
        let now = self.db.now_ms();
        let client_id = client_id_checked("clientId", &input.client_id)?;
        Coordinates::parse("position", input.lat, input.lon)?;
        let accuracy = accuracy_checked("accuracyM", input.accuracy_m)?;
        let device_at = device_time_checked("deviceTime", input.device_at, now)?;
        let device_id = input
            .device_id
            .as_deref()
            .map(|id| client_id_checked("deviceId", id))
            .transpose()?;
        if let Some(done) = self.attempt_by_client_id(actor, &client_id).await? {
            return Ok(done);
        }
        let fix = Fix {
            lat: input.lat,
            lon: input.lon,
            accuracy_m: accuracy,
            device_at,
            mock_location: input.mock_location,
        };
        let mut tx = self.db.begin_write().await?;
        let task = task_facts(&mut tx, &input.task_id).await?;
        let decided = visit::decide_check_in(&task.task, &actor.user_id, &fix).map_err(|refusal| match refusal {
            CheckInRefusal::NotTheirs => AppError::NotFound("task"),
            other => AppError::conflict(other.message()),
        })?;
        let attempt = Attempt {
            id: new_id(),
            client_id: &client_id,
            task_id: &input.task_id,
            fix: &fix,
            device_id: device_id.as_deref(),
            verdict: &decided.verdict,
            at: now,
        };
        if !record_attempt(&mut tx, &actor.user_id, &attempt).await? {
            // The same check-in arrived twice at once: the first one's result stands.
            drop(tx);
            return self
                .attempt_by_client_id(actor, &client_id)
                .await?
                .ok_or_else(|| AppError::Internal(anyhow::anyhow!("check-in vanished")));
        }
        if decided.starts {
            start_visit(&mut tx, &actor.user_id, &task, &attempt).await?;
        }
        tx.commit().await?;
        self.attempt_by_client_id(actor, &client_id)
            .await?
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("check-in vanished")))
    }

    async fn attempt_by_client_id(&self, actor: &Actor, client_id: &str) -> AppResult<Option<CheckInOutcome>> {
        let attempt: Option<AttemptRecord> = sqlx::query_as(
            "SELECT id, task_id, lat, lon, accuracy_m, mock_location, device_at, server_at, verdict, passed \
             FROM checkin_attempts WHERE shopper_id = $1 AND client_id = $2",
        )
        .bind(&actor.user_id)
        .bind(client_id)
        .fetch_optional(self.db.pool())
        .await?;
        let Some(attempt) = attempt else { return Ok(None) };
        let mut conn = self.db.pool().acquire().await?;
        let visit_id: Option<String> = sqlx::query_scalar("SELECT id FROM visits WHERE checkin_attempt_id = $1")
            .bind(&attempt.id)
            .fetch_optional(&mut *conn)
            .await?;
        let visit = match visit_id {
            Some(id) => Some(self.load(&mut conn, &id).await?),
            None => None,
        };
        Ok(Some(CheckInOutcome { attempt, visit }))
    }

    /// Every check-in attempt on the visit's task (reviewers see failed ones too).
    pub async fn attempts(&self, visit: &VisitRecord) -> AppResult<Vec<AttemptRecord>> {
        Ok(sqlx::query_as(
            "SELECT id, task_id, lat, lon, accuracy_m, mock_location, device_at, server_at, verdict, passed \
             FROM checkin_attempts WHERE task_id = $1 AND shopper_id = $2 ORDER BY server_at, id",
        )
        .bind(&visit.task_id)
        .bind(&visit.shopper_id)
        .fetch_all(self.db.pool())
        .await?)
    }
}

/// The task as the check-in rule needs it, with what starting its visit writes.
struct TaskFacts {
    task: CheckInTask,
    checklist_version_id: String,
    venue_id: String,
    client_id: String,
}

/// The task, its wave and its venue, read in the check-in's transaction.
async fn task_facts(tx: &mut Tx, task_id: &str) -> AppResult<TaskFacts> {
    #[derive(FromRow)]
    struct Row {
        #[sqlx(try_from = "String")]
        state: TaskState,
        shopper_id: Option<String>,
        wave_status: String,
        checklist_version_id: String,
        visiting_windows: String,
        visit_rules: String,
        lat: f64,
        lon: f64,
        geofence_m: i64,
        opening_hours: String,
        venue_id: String,
        client_id: String,
        time_zone: Option<String>,
    }
    let row: Row = sqlx::query_as(
        "SELECT t.state, t.shopper_id, w.status AS wave_status, w.checklist_version_id, w.visiting_windows, \
         w.visit_rules, ve.lat, ve.lon, ve.geofence_m, ve.opening_hours, t.venue_id, ve.client_id, ve.time_zone \
         FROM tasks t JOIN waves w ON w.id = t.wave_id JOIN venues ve ON ve.id = t.venue_id WHERE t.id = $1",
    )
    .bind(task_id)
    .fetch_optional(&mut **tx)
    .await?
    .ok_or_else(|| AppError::NotFound("task"))?;
    let wave_window = OpeningHours::from_json(&row.visiting_windows);
    Ok(TaskFacts {
        task: CheckInTask {
            state: row.state,
            holder: row.shopper_id,
            wave_status: WaveStatus::parse(&row.wave_status)?,
            place: Place {
                lat: row.lat,
                lon: row.lon,
                geofence_m: row.geofence_m as f64,
                // The wave's visiting windows, else the venue's opening hours.
                window: if wave_window.intervals().is_empty() {
                    OpeningHours::from_json(&row.opening_hours)
                } else {
                    wave_window
                },
                zone: crate::domain::stored_zone(row.time_zone.as_deref())?,
            },
            rules: VisitRules::from_json(&row.visit_rules),
        },
        checklist_version_id: row.checklist_version_id,
        venue_id: row.venue_id,
        client_id: row.client_id,
    })
}

/// One check-in attempt as it is recorded.
struct Attempt<'a> {
    id: String,
    client_id: &'a str,
    task_id: &'a str,
    fix: &'a Fix,
    device_id: Option<&'a str>,
    verdict: &'a GeoVerdict,
    at: i64,
}

/// Records the attempt; false when this client id's attempt was recorded first (a resend at the same moment).
async fn record_attempt(tx: &mut Tx, shopper_id: &str, a: &Attempt<'_>) -> AppResult<bool> {
    let inserted = sqlx::query(
        "INSERT INTO checkin_attempts (id, client_id, task_id, shopper_id, lat, lon, accuracy_m, mock_location, \
         device_at, server_at, verdict, passed, device_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
    )
    .bind(&a.id)
    .bind(a.client_id)
    .bind(a.task_id)
    .bind(shopper_id)
    .bind(a.fix.lat)
    .bind(a.fix.lon)
    .bind(a.fix.accuracy_m)
    .bind(i64::from(a.fix.mock_location))
    .bind(a.fix.device_at)
    .bind(a.at)
    .bind(serde_json::to_string(a.verdict).map_err(|e| AppError::Internal(e.into()))?)
    .bind(i64::from(a.verdict.passed))
    .bind(a.device_id)
    .execute(&mut **tx)
    .await;
    match inserted {
        Ok(_) => Ok(true),
        Err(err) if is_unique_violation(&err) => Ok(false),
        Err(err) => Err(err.into()),
    }
}

/// Starts the visit the attempt began: the visit row, a conflict of interest declared with this venue or its
/// client raised at once, the task's named move, its history.
async fn start_visit(tx: &mut Tx, shopper_id: &str, facts: &TaskFacts, attempt: &Attempt<'_>) -> AppResult<()> {
    let visit_id = new_id();
    sqlx::query(
        "INSERT INTO visits (id, task_id, shopper_id, checklist_version_id, state, checkin_attempt_id, \
         checkin_device_at, checkin_server_at, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $8)",
    )
    .bind(&visit_id)
    .bind(attempt.task_id)
    .bind(shopper_id)
    .bind(&facts.checklist_version_id)
    .bind(VisitState::InProgress.as_str())
    .bind(&attempt.id)
    .bind(attempt.fix.device_at)
    .bind(attempt.at)
    .execute(&mut **tx)
    .await?;
    if let Some(conflict) = declared_conflict(tx, shopper_id, &facts.venue_id, &facts.client_id).await? {
        raise_flag(tx, &visit_id, &conflict.flag()).await?;
    }
    if !crate::assignment::move_task(tx, attempt.task_id, TaskMove::CheckIn, attempt.at).await? {
        return Err(AppError::conflict(crate::msg!("task-changed-meanwhile")));
    }
    crate::assignment::record(
        tx,
        crate::assignment::TaskEventRow {
            task_id: attempt.task_id,
            action: "CHECK_IN",
            shopper_id: Some(shopper_id),
            actor_id: Some(shopper_id),
            ..crate::assignment::TaskEventRow::default()
        },
    )
    .await?;
    Ok(())
}
