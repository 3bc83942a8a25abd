//! The job board (shoppers), coordinator assignment, task history and declared conflicts of interest.

use async_graphql::{Context, Object, SimpleObject, ID};
use chrono::{DateTime, Utc};

use super::geo::{GeoPoint, GeoPointInput};
use super::pagination::{offset_connection, List};
use super::waves::Task;
use super::{actor, assignment, Require};
use crate::assignment::{AvailableTask, ConflictRecord, Reliability, TaskEvent};
use crate::auth::Permission;
use crate::db::from_ms;
use crate::domain::task::TaskState;
use crate::domain::Coordinates;
use crate::error::AppError;

/// An open task a shopper may claim.
#[derive(SimpleObject)]
pub struct AvailableTaskView {
    pub task_id: ID,
    pub wave_id: ID,
    pub wave_name: String,
    pub venue_id: ID,
    pub venue_name: String,
    pub venue_address: String,
    pub venue_city: String,
    /// Where the venue is (for the map of the job board).
    pub venue_location: GeoPoint,
    /// Whose venue it is (a shopper may declare a conflict of interest with the whole client).
    pub client_id: ID,
    pub client_name: String,
    /// From the point asked about (home by default), in metres.
    pub distance_m: f64,
    pub fee_kopiykas: i64,
    /// Extra for hard-to-fill tasks.
    pub bonus_kopiykas: i64,
    /// Visit by then if claimed now.
    pub deadline_at: DateTime<Utc>,
    /// The first 200 characters of the wave's instructions.
    pub scenario_summary: String,
}

impl From<AvailableTask> for AvailableTaskView {
    fn from(t: AvailableTask) -> Self {
        let summary: String = t.scenario.chars().take(200).collect();
        AvailableTaskView {
            task_id: ID(t.task_id),
            wave_id: ID(t.wave_id),
            wave_name: t.wave_name,
            venue_id: ID(t.venue_id),
            venue_name: t.venue_name,
            venue_address: t.venue_address,
            venue_city: t.venue_city,
            venue_location: GeoPoint {
                lat: t.venue_lat,
                lon: t.venue_lon,
            },
            client_id: ID(t.client_id),
            client_name: t.client_name,
            distance_m: t.distance_m,
            fee_kopiykas: t.fee_kopiykas,
            bonus_kopiykas: t.bonus_kopiykas,
            deadline_at: from_ms(t.deadline_at),
            scenario_summary: summary,
        }
    }
}

/// One change of a task: who, when, why.
#[derive(SimpleObject)]
pub struct TaskEventView {
    /// CLAIM, RELEASE, ASSIGN, UNASSIGN, EXPIRE
    pub action: String,
    pub shopper_id: Option<ID>,
    pub actor_id: Option<ID>,
    pub reason: Option<String>,
    /// The eligibility rule a coordinator overrode.
    pub overridden_rule: Option<String>,
    /// A release in the last quarter of the hold.
    pub late: bool,
    pub at: DateTime<Utc>,
}

impl From<TaskEvent> for TaskEventView {
    fn from(e: TaskEvent) -> Self {
        TaskEventView {
            action: e.action,
            shopper_id: e.shopper_id.map(ID),
            actor_id: e.actor_id.map(ID),
            // The service's own reasons are catalogue messages; a person's are kept as written.
            reason: e
                .reason
                .as_deref()
                .map(|r| super::words(&crate::domain::Msg::stored(r))),
            overridden_rule: e.overridden,
            late: e.late != 0,
            at: from_ms(e.at),
        }
    }
}

/// How reliably a shopper keeps the tasks they take.
#[derive(SimpleObject)]
pub struct ReliabilityView {
    pub tasks_taken: i64,
    pub late_releases: i64,
    pub expired: i64,
    /// 0–100: the share of taken tasks neither released late nor let lapse; null without history.
    pub score: Option<f64>,
}

impl From<Reliability> for ReliabilityView {
    fn from(r: Reliability) -> Self {
        ReliabilityView {
            score: r.score(),
            tasks_taken: r.taken,
            late_releases: r.late_releases,
            expired: r.expired,
        }
    }
}

/// A venue, a client or an employer the shopper must not evaluate.
#[derive(SimpleObject)]
pub struct ConflictDeclaration {
    pub id: ID,
    pub venue_id: Option<ID>,
    pub client_id: Option<ID>,
    pub employer: Option<String>,
    /// The venue's or the client's name.
    pub name: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl From<ConflictRecord> for ConflictDeclaration {
    fn from(c: ConflictRecord) -> Self {
        ConflictDeclaration {
            id: ID(c.id),
            venue_id: c.venue_id.map(ID),
            client_id: c.client_id.map(ID),
            employer: c.employer,
            name: c.name,
            created_at: from_ms(c.created_at),
        }
    }
}

pub type AvailableTaskConnection = List<AvailableTaskView>;
pub type MyTaskConnection = List<Task>;

#[derive(Default)]
pub struct AssignmentQuery;

#[Object]
impl AssignmentQuery {
    /// Open tasks the logged-in shopper may claim, nearest first (from `near`, or home), within `radiusKm`
    /// (default: the travel radius).
    #[graphql(
        guard = "Require(Permission::UseJobBoard)",
        complexity = "first.unwrap_or(20).clamp(0, 100) as usize * child_complexity + 10"
    )]
    async fn available_tasks(
        &self,
        ctx: &Context<'_>,
        near: Option<GeoPointInput>,
        radius_km: Option<f64>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<AvailableTaskConnection> {
        let near = near
            .map(|p| Coordinates::parse("near", p.lat, p.lon))
            .transpose()
            .map_err(AppError::from)?;
        if radius_km.is_some_and(|r| !r.is_finite() || r <= 0.0) {
            return Err(AppError::bad_input("radiusKm", crate::msg!("positive")).into());
        }
        let tasks = assignment(ctx).available_tasks(actor(ctx)?, near, radius_km).await?;
        Ok(offset_connection(
            tasks,
            first,
            after.as_deref(),
            AvailableTaskView::from,
        )?)
    }

    /// The logged-in shopper's tasks, newest first.
    #[graphql(
        guard = "Require(Permission::UseJobBoard)",
        complexity = "first.unwrap_or(20).clamp(0, 100) as usize * child_complexity + 10"
    )]
    async fn my_tasks(
        &self,
        ctx: &Context<'_>,
        state: Option<TaskState>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<MyTaskConnection> {
        let tasks = assignment(ctx).my_tasks(actor(ctx)?, state).await?;
        Ok(offset_connection(tasks, first, after.as_deref(), Task)?)
    }

    /// Who held a task, when and why.
    #[graphql(guard = "Require(Permission::AssignTasks)")]
    async fn task_history(&self, ctx: &Context<'_>, task_id: ID) -> async_graphql::Result<Vec<TaskEventView>> {
        assignment(ctx).task(&task_id).await?;
        Ok(assignment(ctx)
            .history(&task_id)
            .await?
            .into_iter()
            .map(Into::into)
            .collect())
    }

    /// The logged-in shopper's declared conflicts of interest.
    #[graphql(guard = "Require(Permission::UseJobBoard)")]
    async fn my_conflicts(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<ConflictDeclaration>> {
        Ok(assignment(ctx)
            .conflicts(&actor(ctx)?.user_id)
            .await?
            .into_iter()
            .map(Into::into)
            .collect())
    }
}

#[derive(Default)]
pub struct AssignmentMutation;

#[Object]
impl AssignmentMutation {
    /// Takes an open task. Of many shoppers claiming one task at once exactly one wins; the others get
    /// `CONFLICT` ("already taken"). A refused rule comes as `CONFLICT` with `extensions.rule`.
    #[graphql(guard = "Require(Permission::UseJobBoard)")]
    async fn claim_task(&self, ctx: &Context<'_>, task_id: ID) -> async_graphql::Result<Task> {
        Ok(Task(assignment(ctx).claim(actor(ctx)?, &task_id.into()).await?))
    }

    /// Accepts a task offered to the logged-in shopper; it becomes theirs, with the wave's deadline.
    #[graphql(guard = "Require(Permission::UseJobBoard)")]
    async fn accept_offer(&self, ctx: &Context<'_>, task_id: ID) -> async_graphql::Result<Task> {
        Ok(Task(assignment(ctx).accept_offer(actor(ctx)?, &task_id.into()).await?))
    }

    /// Declines a task offered to the logged-in shopper, with a reason.
    #[graphql(guard = "Require(Permission::UseJobBoard)")]
    async fn decline_offer(&self, ctx: &Context<'_>, task_id: ID, reason: String) -> async_graphql::Result<Task> {
        Ok(Task(
            assignment(ctx)
                .decline_offer(actor(ctx)?, &task_id.into(), &reason)
                .await?,
        ))
    }

    /// Gives a held task back, with a reason.
    #[graphql(guard = "Require(Permission::UseJobBoard)")]
    async fn release_task(&self, ctx: &Context<'_>, task_id: ID, reason: String) -> async_graphql::Result<Task> {
        Ok(Task(
            assignment(ctx).release(actor(ctx)?, &task_id.into(), &reason).await?,
        ))
    }

    /// Declares a venue, a client, or an employer's name that the shopper must not evaluate (exactly one).
    #[graphql(guard = "Require(Permission::UseJobBoard)")]
    async fn declare_conflict(
        &self,
        ctx: &Context<'_>,
        venue_id: Option<ID>,
        client_id: Option<ID>,
        employer: Option<String>,
    ) -> async_graphql::Result<ConflictDeclaration> {
        let record = assignment(ctx)
            .declare_conflict(
                actor(ctx)?,
                venue_id.as_deref().map(|s| s.as_str()),
                client_id.as_deref().map(|s| s.as_str()),
                employer.as_deref(),
            )
            .await?;
        Ok(record.into())
    }

    /// Gives a task to a shopper (reassigning it if someone holds it). The eligibility rules apply unless
    /// `overrideReason` (10+ characters) says why not; the overridden rule is recorded.
    #[graphql(guard = "Require(Permission::AssignTasks)")]
    async fn assign_task(
        &self,
        ctx: &Context<'_>,
        task_id: ID,
        shopper_id: ID,
        reason: String,
        override_reason: Option<String>,
    ) -> async_graphql::Result<Task> {
        Ok(Task(
            assignment(ctx)
                .assign(
                    actor(ctx)?,
                    &task_id.into(),
                    &shopper_id.into(),
                    &reason,
                    override_reason.as_deref(),
                )
                .await?,
        ))
    }

    /// Offers a task to a shopper, who accepts (it is then assigned) or declines within `acceptWithinHours`
    /// (1–168, default 24); an unanswered offer frees the task.
    #[graphql(guard = "Require(Permission::AssignTasks)")]
    async fn offer_task(
        &self,
        ctx: &Context<'_>,
        task_id: ID,
        shopper_id: ID,
        reason: String,
        #[graphql(default = 24)] accept_within_hours: i64,
    ) -> async_graphql::Result<Task> {
        Ok(Task(
            assignment(ctx)
                .offer(
                    actor(ctx)?,
                    &task_id.into(),
                    &shopper_id.into(),
                    &reason,
                    accept_within_hours,
                )
                .await?,
        ))
    }

    /// Takes a task back from its shopper; it returns to the job board.
    #[graphql(guard = "Require(Permission::AssignTasks)")]
    async fn unassign_task(&self, ctx: &Context<'_>, task_id: ID, reason: String) -> async_graphql::Result<Task> {
        Ok(Task(
            assignment(ctx).unassign(actor(ctx)?, &task_id.into(), &reason).await?,
        ))
    }
}

/// One assignment the optimizer proposes (or made).
#[derive(SimpleObject)]
pub struct ProposedAssignment {
    pub task_id: ID,
    pub shopper_id: ID,
    pub venue_name: String,
    /// Home to venue.
    pub distance_m: i64,
}

/// A task the optimizer could not give to anyone, and why.
#[derive(SimpleObject)]
pub struct UnassignableTask {
    pub task_id: ID,
    pub venue_name: String,
    pub reason: String,
}

/// The optimizer's plan for a wave.
#[derive(SimpleObject)]
pub struct AutoAssignResult {
    pub proposals: Vec<ProposedAssignment>,
    pub unassignable: Vec<UnassignableTask>,
    pub total_km: f64,
    /// With `commit`: how many proposals became assignments (or offers). The whole plan is written in one
    /// transaction: all of this, or nothing.
    pub committed: i64,
    /// With `commit`: proposals that no longer applied when the plan was written (the task was taken meanwhile,
    /// or a rule now refuses the shopper), with the reason.
    pub not_committed: Vec<UnassignableTask>,
}

#[derive(Default)]
pub struct AutoAssignMutation;

#[Object]
impl AutoAssignMutation {
    /// Spreads a launched wave's open tasks over eligible shoppers: the most tasks possible, then the least total
    /// distance. Without `commit` it only proposes (a preview); with `commit: true` the proposals become
    /// assignments, or offers (24 hours to accept) with `asOffers: true`.
    #[graphql(guard = "Require(Permission::AssignTasks)")]
    async fn auto_assign_wave(
        &self,
        ctx: &Context<'_>,
        wave_id: ID,
        #[graphql(default)] commit: bool,
        #[graphql(default)] as_offers: bool,
    ) -> async_graphql::Result<AutoAssignResult> {
        let plan = assignment(ctx)
            .auto_assign(actor(ctx)?, &wave_id, commit, as_offers)
            .await?;
        Ok(AutoAssignResult {
            proposals: plan
                .proposals
                .into_iter()
                .map(|p| ProposedAssignment {
                    task_id: ID(p.task_id),
                    shopper_id: ID(p.shopper_id),
                    venue_name: p.venue_name,
                    distance_m: i64::from(p.distance_m),
                })
                .collect(),
            unassignable: plan
                .unassignable
                .into_iter()
                .map(|(task, venue, reason)| UnassignableTask {
                    task_id: ID(task),
                    venue_name: venue,
                    reason: reason.into(),
                })
                .collect(),
            total_km: plan.total_m as f64 / 1000.0,
            committed: plan.committed as i64,
            not_committed: plan
                .not_committed
                .into_iter()
                .map(|(task, venue, reason)| UnassignableTask {
                    task_id: ID(task),
                    venue_name: venue,
                    reason: super::words(&reason),
                })
                .collect(),
        })
    }
}
