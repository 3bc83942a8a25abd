//! Check-in: every attempt recorded with its geo verdict; the one that passes (or, where the wave only
//! flags, any) starts the visit. `clientId` makes a resend, even one in flight, return the first attempt.

use sqlx::FromRow;

use crate::auth::Actor;
use crate::db::{is_unique_violation, new_id};
use crate::domain::task::{TaskMove, TaskState};
use crate::domain::visit::{Fix, GeoVerdict, Place, VisitRules, VisitState};
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
        let mut tx = self.db.begin_write().await?;
        #[derive(FromRow)]
        struct Ctx {
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
        let ctx: Option<Ctx> = sqlx::query_as(
            "SELECT t.state, t.shopper_id, w.status AS wave_status, w.checklist_version_id, w.visiting_windows, \
             w.visit_rules, ve.lat, ve.lon, ve.geofence_m, ve.opening_hours, t.venue_id, ve.client_id, ve.time_zone \
             FROM tasks t JOIN waves w ON w.id = t.wave_id JOIN venues ve ON ve.id = t.venue_id WHERE t.id = $1",
        )
        .bind(&input.task_id)
        .fetch_optional(&mut *tx)
        .await?;
        let ctx = ctx.ok_or_else(|| AppError::NotFound("task".into()))?;
        if ctx.shopper_id.as_deref() != Some(actor.user_id.as_str()) {
            return Err(AppError::NotFound("task".into()));
        }
        match ctx.state {
            state if TaskMove::CheckIn.applies_to(state) => {}
            TaskState::Offered => return Err(AppError::conflict("accept the offer before checking in")),
            _ => {
                return Err(AppError::conflict(
                    "this task already has a visit; continue it instead of checking in again",
                ))
            }
        }
        if ctx.wave_status != "LAUNCHED" {
            return Err(AppError::conflict(format!(
                "the wave is {}; visits cannot start now",
                ctx.wave_status.to_lowercase()
            )));
        }
        let rules = VisitRules::from_json(&ctx.visit_rules);
        let wave_window = OpeningHours::from_json(&ctx.visiting_windows);
        let place = Place {
            lat: ctx.lat,
            lon: ctx.lon,
            geofence_m: ctx.geofence_m as f64,
            window: if wave_window.intervals().is_empty() {
                OpeningHours::from_json(&ctx.opening_hours)
            } else {
                wave_window
            },
            zone: crate::domain::stored_zone(ctx.time_zone.as_deref())?,
        };
        let fix = Fix {
            lat: input.lat,
            lon: input.lon,
            accuracy_m: accuracy,
            device_at,
            mock_location: input.mock_location,
        };
        let verdict = GeoVerdict::evaluate(&fix, &place, &rules);
        let attempt_id = new_id();
        let inserted = sqlx::query(
            "INSERT INTO checkin_attempts (id, client_id, task_id, shopper_id, lat, lon, accuracy_m, mock_location, \
             device_at, server_at, verdict, passed, device_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
        )
        .bind(&attempt_id)
        .bind(&client_id)
        .bind(&input.task_id)
        .bind(&actor.user_id)
        .bind(input.lat)
        .bind(input.lon)
        .bind(accuracy)
        .bind(i64::from(input.mock_location))
        .bind(device_at)
        .bind(now)
        .bind(serde_json::to_string(&verdict).map_err(|e| AppError::Internal(e.into()))?)
        .bind(i64::from(verdict.passed))
        .bind(&device_id)
        .execute(&mut *tx)
        .await;
        if let Err(err) = inserted {
            if is_unique_violation(&err) {
                // The same check-in arrived twice at once: the first one's result stands.
                drop(tx);
                return self
                    .attempt_by_client_id(actor, &client_id)
                    .await?
                    .ok_or_else(|| AppError::Internal(anyhow::anyhow!("check-in vanished")));
            }
            return Err(err.into());
        }
        let starts = verdict.passed || !rules.failed_checkin_blocks;
        if starts {
            let visit_id = new_id();
            sqlx::query(
                "INSERT INTO visits (id, task_id, shopper_id, checklist_version_id, state, checkin_attempt_id, \
                 checkin_device_at, checkin_server_at, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $8)",
            )
            .bind(&visit_id)
            .bind(&input.task_id)
            .bind(&actor.user_id)
            .bind(&ctx.checklist_version_id)
            .bind(VisitState::InProgress.as_str())
            .bind(&attempt_id)
            .bind(device_at)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            // A conflict of interest declared with this venue or its client is raised at once.
            if let Some(conflict) = declared_conflict(&mut tx, &actor.user_id, &ctx.venue_id, &ctx.client_id).await? {
                raise_flag(&mut tx, &visit_id, &conflict.flag()).await?;
            }
            if !crate::assignment::move_task(&mut tx, &input.task_id, TaskMove::CheckIn, now).await? {
                return Err(AppError::conflict("the task changed meanwhile; reload it"));
            }
            crate::assignment::record(
                &mut tx,
                crate::assignment::TaskEventRow {
                    task_id: &input.task_id,
                    action: "CHECK_IN",
                    shopper_id: Some(&actor.user_id),
                    actor_id: Some(&actor.user_id),
                    ..crate::assignment::TaskEventRow::default()
                },
            )
            .await?;
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
