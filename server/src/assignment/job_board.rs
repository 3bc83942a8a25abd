//! The job board and a shopper's own tasks: eligible open tasks nearest first, claims (one winner however
//! many claim at once), releases.

use std::collections::HashSet;

use sqlx::FromRow;

use crate::auth::Actor;
use crate::domain::eligibility::Refusal;
use crate::domain::task::{TaskMove, TaskState};
use crate::domain::{eligibility, BoundedText, Coordinates};
use crate::error::{AppError, AppResult};
use crate::ids::TaskId;
use crate::waves::{TaskRecord, TASK_COLUMNS};

use super::{give_back, refusal_error, Assignment, AvailableTask, TaskContext, TaskEventRow, TASK_CONTEXT};

impl Assignment {
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
        .bind(self.db.clock().kyiv_today().to_string())
        .bind(lat_min)
        .bind(lat_max)
        .bind(lon_min)
        .bind(lon_max)
        .fetch_all(&mut *conn)
        .await?;
        let now = self.db.now_ms();
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
                venue_lat: row.ctx.venue_lat,
                venue_lon: row.ctx.venue_lon,
                client_id: row.ctx.client_id.clone(),
                client_name: row.ctx.client_name.clone(),
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
    pub async fn claim(&self, actor: &Actor, task_id: &TaskId) -> AppResult<TaskRecord> {
        let task_id = task_id.as_str();
        let now = self.db.now_ms();
        let mut tx = self.db.begin_write().await?;
        // Serialises this shopper's concurrent claims (row lock on PostgreSQL).
        sqlx::query("UPDATE users SET updated_at = updated_at WHERE id = $1")
            .bind(&actor.user_id)
            .execute(&mut *tx)
            .await?;
        let ctx = self.task_context(&mut tx, task_id).await?;
        if ctx.shopper_id.as_deref() == Some(actor.user_id.as_str()) && ctx.state.is(TaskState::Claimed) {
            drop(tx);
            return self.task(task_id).await;
        }
        if !TaskMove::Claim.applies_to(ctx.state) {
            return Err(AppError::conflict(crate::msg!("task-taken")));
        }
        ctx.check_wave_open(self.db.clock().kyiv_today())?;
        let shopper = self.shopper_facts(&mut tx, &actor.user_id).await?;
        eligibility::check(&shopper, &ctx.facts(), self.limits(), now).map_err(|r| refusal_error(&r))?;
        let mv = TaskMove::Claim;
        let taken = sqlx::query(&format!(
            "UPDATE tasks SET state = '{}', shopper_id = $1, held_since = $2, deadline_at = $3, updated_at = $2 \
             WHERE id = $4 AND state IN ({})",
            mv.to().as_str(),
            mv.from_sql()
        ))
        .bind(&actor.user_id)
        .bind(now)
        .bind(self.deadline(&ctx, now))
        .bind(task_id)
        .execute(&mut *tx)
        .await?;
        if taken.rows_affected() != 1 {
            return Err(AppError::conflict(crate::msg!("task-taken")));
        }
        self.commit_with_event(
            tx,
            TaskEventRow {
                task_id,
                action: "CLAIM",
                shopper_id: Some(&actor.user_id),
                actor_id: Some(&actor.user_id),
                ..TaskEventRow::default()
            },
        )
        .await
    }

    /// A shopper gives a held task back, saying why. Releasing late (in the last quarter of the hold) counts
    /// against their reliability.
    pub async fn release(&self, actor: &Actor, task_id: &TaskId, reason: &str) -> AppResult<TaskRecord> {
        let task_id = task_id.as_str();
        let reason = BoundedText::parse("reason", reason, 3, 1_000)?.into_inner();
        let now = self.db.now_ms();
        let mut tx = self.db.begin_write().await?;
        let ctx = self.task_context(&mut tx, task_id).await?;
        if ctx.shopper_id.as_deref() != Some(actor.user_id.as_str())
            || !matches!(ctx.state, TaskState::Claimed | TaskState::Assigned)
        {
            if ctx.state.is(TaskState::Open) {
                // Already released (a retry): nothing to do.
                drop(tx);
                return self.task(task_id).await;
            }
            return Err(AppError::conflict(crate::msg!("task-not-yours")));
        }
        let late = match (ctx.held_since, ctx.deadline_at) {
            (Some(since), Some(deadline)) if deadline > since => (deadline - now) * 4 < (deadline - since),
            _ => false,
        };
        give_back(&mut tx, task_id, now).await?;
        self.commit_with_event(
            tx,
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
        .await
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
}
