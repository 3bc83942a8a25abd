//! Queries and mutations for waves and their tasks.

use async_graphql::{Context, InputObject, Object, SimpleObject, ID};
use chrono::{DateTime, Utc};

use super::checklists::ChecklistVersion;
use super::pagination::{decode_cursor, keyset_connection, page_size, List};
use super::venues::{Client, OpeningHoursEntry, OpeningHoursInput, Venue};
use super::{actor, checklists, venues, waves, RequestMemo, Require};
use crate::auth::Permission;
use crate::db::from_ms;
use crate::domain::task::TaskState;
use crate::domain::visit::VisitRules;
use crate::domain::wave::{bounded, BonusRule, BonusStep, Kopiykas, Period, WaveMove, WaveStatus};
use crate::domain::{BoundedText, FieldErrors, OpeningHours};
use crate::error::AppError;
use crate::waves::{Progress, SelectionMode, TaskRecord, VenueSelection, WaveRecord, WaveSettings};

/// Count of tasks in one state.
#[derive(SimpleObject)]
pub struct StateCount {
    pub state: TaskState,
    pub count: i64,
}

/// Task counts in one oblast.
#[derive(SimpleObject)]
pub struct RegionProgress {
    pub oblast: String,
    pub total: i64,
    pub by_state: Vec<StateCount>,
}

/// How far a wave has got.
#[derive(SimpleObject)]
pub struct WaveProgress {
    pub total: i64,
    pub by_state: Vec<StateCount>,
    pub by_region: Vec<RegionProgress>,
}

fn counts(map: &std::collections::BTreeMap<&'static str, i64>) -> Vec<StateCount> {
    TaskState::ALL
        .into_iter()
        .filter_map(|s| {
            map.get(s.as_str()).map(|count| StateCount {
                state: s,
                count: *count,
            })
        })
        .collect()
}

impl From<Progress> for WaveProgress {
    fn from(p: Progress) -> Self {
        WaveProgress {
            total: p.by_state.values().sum(),
            by_state: counts(&p.by_state),
            by_region: p
                .by_region
                .iter()
                .map(|(oblast, map)| RegionProgress {
                    oblast: oblast.clone(),
                    total: map.values().sum(),
                    by_state: counts(map),
                })
                .collect(),
        }
    }
}

/// Which venues a wave visits.
#[derive(SimpleObject, InputObject, Clone)]
#[graphql(input_name = "VenueSelectionInput")]
pub struct VenueSelectionSpec {
    pub mode: SelectionMode,
    pub oblast: Option<String>,
    pub raion: Option<String>,
    pub city: Option<String>,
    #[graphql(name = "type")]
    pub venue_type: Option<String>,
    #[graphql(default)]
    pub venue_ids: Vec<ID>,
}

/// A hard-to-fill bonus step: tasks still open this many days after launch earn this much more.
#[derive(SimpleObject, InputObject, Clone, Copy)]
#[graphql(input_name = "BonusStepInput")]
pub struct BonusStepSpec {
    pub after_days: i64,
    pub bonus_kopiykas: i64,
}

/// How a wave's visits are checked (every field has a default; see docs/VISITS.md).
#[derive(SimpleObject, InputObject, Clone)]
#[graphql(input_name = "VisitRulesInput")]
pub struct VisitRulesSpec {
    /// A failed check-in stops the visit (otherwise it goes ahead, flagged).
    #[graphql(default)]
    pub failed_checkin_blocks: bool,
    /// The worst acceptable GPS accuracy at check-in, metres.
    #[graphql(default = 100.0)]
    pub max_accuracy_m: f64,
    #[graphql(default = 5)]
    pub min_minutes: u32,
    #[graphql(default = 240)]
    pub max_minutes: u32,
    /// Later submissions are flagged.
    #[graphql(default = 48)]
    pub submit_within_hours: u32,
    /// How long before check-in or after check-out a photo may be taken.
    #[graphql(default = 30)]
    pub photo_time_tolerance_minutes: u32,
    /// How far outside the geofence a photo's GPS may lie.
    #[graphql(default = 100.0)]
    pub photo_gps_slack_m: f64,
    /// Faster travel between one shopper's consecutive visits is flagged.
    #[graphql(default = 150.0)]
    pub max_travel_kmh: f64,
    /// Photo questions whose photos must be taken with the app's own camera (a gallery photo is refused).
    #[graphql(default)]
    pub live_capture_questions: Vec<String>,
}

impl From<VisitRulesSpec> for VisitRules {
    fn from(s: VisitRulesSpec) -> Self {
        VisitRules {
            failed_checkin_blocks: s.failed_checkin_blocks,
            max_accuracy_m: s.max_accuracy_m,
            min_minutes: s.min_minutes,
            max_minutes: s.max_minutes,
            submit_within_hours: s.submit_within_hours,
            photo_time_tolerance_minutes: s.photo_time_tolerance_minutes,
            photo_gps_slack_m: s.photo_gps_slack_m,
            max_travel_kmh: s.max_travel_kmh,
            live_capture_questions: s.live_capture_questions,
        }
    }
}

impl From<VisitRules> for VisitRulesSpec {
    fn from(r: VisitRules) -> Self {
        VisitRulesSpec {
            failed_checkin_blocks: r.failed_checkin_blocks,
            max_accuracy_m: r.max_accuracy_m,
            min_minutes: r.min_minutes,
            max_minutes: r.max_minutes,
            submit_within_hours: r.submit_within_hours,
            photo_time_tolerance_minutes: r.photo_time_tolerance_minutes,
            photo_gps_slack_m: r.photo_gps_slack_m,
            max_travel_kmh: r.max_travel_kmh,
            live_capture_questions: r.live_capture_questions,
        }
    }
}

/// A fieldwork project.
pub struct Wave(pub WaveRecord);

#[Object]
impl Wave {
    async fn id(&self) -> ID {
        ID(self.0.id.clone())
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn client(&self, ctx: &Context<'_>) -> async_graphql::Result<Client> {
        Ok(Client(venues(ctx).client(&self.0.client_id).await?))
    }
    async fn checklist_version(&self, ctx: &Context<'_>) -> async_graphql::Result<ChecklistVersion> {
        Ok(ChecklistVersion(
            checklists(ctx)
                .version(actor(ctx)?, &self.0.checklist_version_id)
                .await?,
        ))
    }
    async fn status(&self) -> WaveStatus {
        self.0.status
    }
    /// First day (Europe/Kyiv), `YYYY-MM-DD`.
    async fn starts_on(&self) -> &str {
        &self.0.starts_on
    }
    /// Last day (Europe/Kyiv), `YYYY-MM-DD`.
    async fn ends_on(&self) -> &str {
        &self.0.ends_on
    }
    async fn selection(&self) -> VenueSelectionSpec {
        let s = &self.0.selection;
        VenueSelectionSpec {
            mode: s.mode,
            oblast: s.oblast.clone(),
            raion: s.raion.clone(),
            city: s.city.clone(),
            venue_type: s.venue_type.clone(),
            venue_ids: s.venue_ids.iter().cloned().map(ID).collect(),
        }
    }
    async fn visits_per_venue(&self) -> i64 {
        self.0.visits_per_venue
    }
    /// The shopper's fee per visit, in kopiykas.
    async fn fee_kopiykas(&self) -> i64 {
        self.0.fee_kopiykas
    }
    /// The most a receipt is reimbursed, in kopiykas.
    async fn reimbursement_cap_kopiykas(&self) -> i64 {
        self.0.reimbursement_cap_kopiykas
    }
    /// When visits may happen; empty means the venue's own opening hours.
    async fn visiting_windows(&self) -> Vec<OpeningHoursEntry> {
        OpeningHoursEntry::list(&self.0.visiting_windows)
    }
    /// Instructions for the shopper.
    async fn scenario(&self) -> &str {
        &self.0.scenario
    }
    /// A shopper may not visit the same venue again within this many days.
    async fn cooloff_days(&self) -> i64 {
        self.0.cooloff_days
    }
    async fn max_tasks_per_shopper(&self) -> i64 {
        self.0.max_tasks_per_shopper
    }
    /// How long a claimed task is held before it returns to the job board.
    async fn claim_window_hours(&self) -> i64 {
        self.0.claim_window_hours
    }
    /// Bonus steps for tasks still open after some days (the last step reached applies, up to the cap).
    async fn bonus_steps(&self) -> Vec<BonusStepSpec> {
        self.0
            .bonus
            .steps()
            .iter()
            .map(|s| BonusStepSpec {
                after_days: s.after_days,
                bonus_kopiykas: s.bonus_kopiykas,
            })
            .collect()
    }
    async fn bonus_cap_kopiykas(&self) -> i64 {
        self.0.bonus.cap()
    }
    async fn visit_rules(&self) -> VisitRulesSpec {
        self.0.visit_rules.clone().into()
    }
    async fn launched_at(&self) -> Option<DateTime<Utc>> {
        self.0.launched_at.map(from_ms)
    }
    async fn closed_at(&self) -> Option<DateTime<Utc>> {
        self.0.closed_at.map(from_ms)
    }
    async fn close_reason(&self) -> Option<&str> {
        self.0.close_reason.as_deref()
    }
    async fn created_at(&self) -> DateTime<Utc> {
        from_ms(self.0.created_at)
    }
    async fn progress(&self, ctx: &Context<'_>) -> async_graphql::Result<WaveProgress> {
        Ok(waves(ctx).progress(&self.0.id).await?.into())
    }
    #[graphql(complexity = "first.unwrap_or(20).clamp(0, 100) as usize * child_complexity + 10")]
    async fn tasks(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        state: Option<TaskState>,
    ) -> async_graphql::Result<TaskConnection> {
        let limit = page_size(first)?;
        let after = decode_cursor(after.as_deref())?;
        let page = waves(ctx).tasks(&self.0.id, state, after.as_deref(), limit).await?;
        Ok(keyset_connection(page, after.is_some(), |t| t.id.clone(), Task))
    }
}

/// What a shopper needs to do one task of a wave: the instructions, when, the rules the visit is judged by, and
/// the questionnaire. The shopper's app reads it with their tasks and visits (shoppers do not see waves).
pub struct TaskBrief {
    pub wave: WaveRecord,
    /// The version the visit answers (a visit keeps the one it started with).
    pub checklist_version_id: String,
}

impl From<WaveRecord> for TaskBrief {
    fn from(wave: WaveRecord) -> Self {
        let checklist_version_id = wave.checklist_version_id.clone();
        TaskBrief {
            wave,
            checklist_version_id,
        }
    }
}

#[Object]
impl TaskBrief {
    async fn wave_id(&self) -> ID {
        ID(self.wave.id.clone())
    }
    async fn wave_name(&self) -> &str {
        &self.wave.name
    }
    /// Instructions for the shopper.
    async fn scenario(&self) -> &str {
        &self.wave.scenario
    }
    /// First day (Europe/Kyiv), `YYYY-MM-DD`.
    async fn starts_on(&self) -> &str {
        &self.wave.starts_on
    }
    /// Last day (Europe/Kyiv), `YYYY-MM-DD`.
    async fn ends_on(&self) -> &str {
        &self.wave.ends_on
    }
    /// When visits may happen; empty means the venue's own opening hours.
    async fn visiting_windows(&self) -> Vec<OpeningHoursEntry> {
        OpeningHoursEntry::list(&self.wave.visiting_windows)
    }
    /// The most a receipt is reimbursed, in kopiykas.
    async fn reimbursement_cap_kopiykas(&self) -> i64 {
        self.wave.reimbursement_cap_kopiykas
    }
    async fn visit_rules(&self) -> VisitRulesSpec {
        self.wave.visit_rules.clone().into()
    }
    /// The questionnaire the visit answers.
    async fn checklist(&self, ctx: &Context<'_>) -> async_graphql::Result<ChecklistVersion> {
        let id = &self.checklist_version_id;
        let load = || async { checklists(ctx).version(actor(ctx)?, id).await };
        Ok(ChecklistVersion(match ctx.data_opt::<RequestMemo>() {
            Some(memo) => memo.checklist_versions.get(id, load).await?,
            None => load().await?,
        }))
    }
}

/// A wave for a brief, read once per request however many tasks and visits of the page belong to it.
pub(super) async fn brief_wave(ctx: &Context<'_>, wave_id: &str) -> Result<WaveRecord, AppError> {
    let load = || async { waves(ctx).wave(actor(ctx)?, wave_id).await };
    match ctx.data_opt::<RequestMemo>() {
        Some(memo) => memo.waves.get(wave_id, load).await,
        None => load().await,
    }
}

/// One required visit of one venue in one wave.
pub struct Task(pub TaskRecord);

#[Object]
impl Task {
    async fn id(&self) -> ID {
        ID(self.0.id.clone())
    }
    async fn wave_id(&self) -> ID {
        ID(self.0.wave_id.clone())
    }
    async fn venue(&self, ctx: &Context<'_>) -> async_graphql::Result<Venue> {
        Ok(Venue(venues(ctx).venue(actor(ctx)?, &self.0.venue_id).await?))
    }
    /// Which of the venue's visits in this wave (1, 2, …).
    async fn visit_number(&self) -> i64 {
        self.0.seq
    }
    async fn state(&self) -> async_graphql::Result<TaskState> {
        Ok(TaskState::parse(&self.0.state).map_err(crate::error::AppError::from)?)
    }
    async fn fee_kopiykas(&self) -> i64 {
        self.0.fee_kopiykas
    }
    async fn bonus_kopiykas(&self) -> i64 {
        self.0.bonus_kopiykas
    }
    async fn cancel_reason(&self) -> Option<&str> {
        self.0.cancel_reason.as_deref()
    }
    /// Who holds (or worked on) the task: for coordinators and the shopper themself.
    async fn shopper_id(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<ID>> {
        let actor = actor(ctx)?;
        if !actor.owns_or_can(self.0.shopper_id.as_deref(), Permission::ReadShoppers) {
            return Err(AppError::Forbidden(crate::msg!("shopper-identity-private")).into());
        }
        Ok(self.0.shopper_id.clone().map(ID))
    }
    /// When the current hold lapses and the task returns to the job board.
    async fn deadline_at(&self) -> Option<DateTime<Utc>> {
        self.0.deadline_at.map(from_ms)
    }
    /// The wave's instructions, rules and questionnaire for this task.
    async fn brief(&self, ctx: &Context<'_>) -> async_graphql::Result<TaskBrief> {
        Ok(brief_wave(ctx, &self.0.wave_id).await?.into())
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        from_ms(self.0.updated_at)
    }
}

pub type TaskConnection = List<Task>;
pub type WaveConnection = List<Wave>;

/// A wave's settings.
#[derive(InputObject)]
pub struct WaveInput {
    pub name: String,
    /// A published version of one of the client's checklists.
    pub checklist_version_id: ID,
    /// `YYYY-MM-DD`
    pub starts_on: String,
    /// `YYYY-MM-DD`
    pub ends_on: String,
    pub selection: VenueSelectionSpec,
    #[graphql(default = 1)]
    pub visits_per_venue: i64,
    /// In kopiykas: 40000 is 400 UAH.
    pub fee_kopiykas: i64,
    #[graphql(default)]
    pub reimbursement_cap_kopiykas: i64,
    /// Empty: the venues' own opening hours.
    #[graphql(default)]
    pub visiting_windows: Vec<OpeningHoursInput>,
    #[graphql(default)]
    pub scenario: String,
    #[graphql(default = 90)]
    pub cooloff_days: i64,
    #[graphql(default = 5)]
    pub max_tasks_per_shopper: i64,
    #[graphql(default = 72)]
    pub claim_window_hours: i64,
    /// Hard-to-fill bonus steps, rising in days and amount (none by default).
    #[graphql(default)]
    pub bonus_steps: Vec<BonusStepSpec>,
    #[graphql(default)]
    pub bonus_cap_kopiykas: i64,
    /// Check-in, duration, photo and travel rules (defaults when omitted).
    pub visit_rules: Option<VisitRulesSpec>,
}

impl WaveInput {
    fn validate(self) -> Result<WaveSettings, AppError> {
        let mut errors = FieldErrors::default();
        let name = errors
            .check(BoundedText::line("name", &self.name, 2, 200))
            .map(BoundedText::into_inner);
        let period = errors.check(Period::parse(&self.starts_on, &self.ends_on));
        let visits = errors.check(bounded("visitsPerVenue", self.visits_per_venue, 1, 20));
        let fee = errors.check(Kopiykas::parse("feeKopiykas", self.fee_kopiykas));
        let cap = errors.check(Kopiykas::parse(
            "reimbursementCapKopiykas",
            self.reimbursement_cap_kopiykas,
        ));
        let triples: Vec<_> = self
            .visiting_windows
            .iter()
            .map(|i| (i.weekday, i.opens.clone(), i.closes.clone()))
            .collect();
        let windows = errors.check(OpeningHours::parse("visitingWindows", &triples));
        let scenario = errors
            .check(BoundedText::parse("scenario", &self.scenario, 0, 10_000))
            .map(BoundedText::into_inner);
        let cooloff = errors.check(bounded("cooloffDays", self.cooloff_days, 0, 3_650));
        let max_tasks = errors.check(bounded("maxTasksPerShopper", self.max_tasks_per_shopper, 1, 1_000));
        let claim = errors.check(bounded("claimWindowHours", self.claim_window_hours, 1, 720));
        let steps: Vec<BonusStep> = self
            .bonus_steps
            .iter()
            .map(|s| BonusStep {
                after_days: s.after_days,
                bonus_kopiykas: s.bonus_kopiykas,
            })
            .collect();
        let bonus = errors.check(BonusRule::parse(&steps, self.bonus_cap_kopiykas));
        let visit_rules = self.visit_rules.map(VisitRules::from).unwrap_or_default();
        errors.check(visit_rules.validate("visitRules"));
        let s = self.selection;
        match s.mode {
            SelectionMode::List if s.venue_ids.is_empty() => errors.push(crate::domain::ValidationError::new(
                "selection.venueIds",
                crate::msg!("selection-list-empty"),
            )),
            SelectionMode::All | SelectionMode::Filter if !s.venue_ids.is_empty() => errors.push(
                crate::domain::ValidationError::new("selection.venueIds", crate::msg!("selection-not-list")),
            ),
            _ => {}
        }
        errors.finish().map_err(AppError::from_validation_errors)?;
        let missing = || AppError::Internal(anyhow::anyhow!("wave validation lost a field"));
        let clean = |v: Option<String>| {
            v.map(|t| crate::domain::normalize_apostrophes(t.trim()))
                .filter(|t| !t.is_empty())
        };
        Ok(WaveSettings {
            name: name.ok_or_else(missing)?,
            checklist_version_id: self.checklist_version_id.0,
            period: period.ok_or_else(missing)?,
            selection: VenueSelection {
                mode: s.mode,
                oblast: clean(s.oblast),
                raion: clean(s.raion),
                city: clean(s.city),
                venue_type: s.venue_type.map(|t| t.trim().to_uppercase()).filter(|t| !t.is_empty()),
                venue_ids: s.venue_ids.into_iter().map(|id| id.0).collect(),
            },
            visits_per_venue: visits.ok_or_else(missing)?,
            fee: fee.ok_or_else(missing)?,
            reimbursement_cap: cap.ok_or_else(missing)?,
            visiting_windows: windows.ok_or_else(missing)?,
            scenario: scenario.ok_or_else(missing)?,
            cooloff_days: cooloff.ok_or_else(missing)?,
            max_tasks_per_shopper: max_tasks.ok_or_else(missing)?,
            claim_window_hours: claim.ok_or_else(missing)?,
            bonus: bonus.ok_or_else(missing)?,
            visit_rules,
        })
    }
}

/// A launched wave and how many tasks this launch created.
#[derive(SimpleObject)]
pub struct LaunchWavePayload {
    pub wave: Wave,
    /// 0 when the wave was launched before and no venue joined its selection since.
    pub tasks_created: i64,
}

#[derive(SimpleObject)]
pub struct CloseWavePayload {
    pub wave: Wave,
    pub tasks_cancelled: i64,
}

#[derive(Default)]
pub struct WaveQuery;

#[Object]
impl WaveQuery {
    #[graphql(
        guard = "Require(Permission::ReadVenues)",
        complexity = "first.unwrap_or(20).clamp(0, 100) as usize * child_complexity + 10"
    )]
    async fn waves(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        client_id: Option<ID>,
        status: Option<WaveStatus>,
    ) -> async_graphql::Result<WaveConnection> {
        let limit = page_size(first)?;
        let after = decode_cursor(after.as_deref())?;
        let page = waves(ctx)
            .list(
                actor(ctx)?,
                client_id.as_ref().map(|id| id.as_str()),
                status,
                after.as_deref(),
                limit,
            )
            .await?;
        Ok(keyset_connection(page, after.is_some(), |w| w.id.clone(), Wave))
    }

    #[graphql(guard = "Require(Permission::ReadVenues)")]
    async fn wave(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Wave> {
        Ok(Wave(waves(ctx).wave(actor(ctx)?, &id).await?))
    }
}

#[derive(Default)]
pub struct WaveMutation;

#[Object]
impl WaveMutation {
    /// A new wave, as a draft.
    #[graphql(guard = "Require(Permission::ManageVenues)")]
    async fn create_wave(&self, ctx: &Context<'_>, client_id: ID, input: WaveInput) -> async_graphql::Result<Wave> {
        let settings = input.validate()?;
        Ok(Wave(waves(ctx).create(actor(ctx)?, &client_id, settings).await?))
    }

    /// Changes a draft wave's settings (`CONFLICT` once launched).
    #[graphql(guard = "Require(Permission::ManageVenues)")]
    async fn update_wave(&self, ctx: &Context<'_>, id: ID, input: WaveInput) -> async_graphql::Result<Wave> {
        let settings = input.validate()?;
        Ok(Wave(waves(ctx).update(actor(ctx)?, &id, settings).await?))
    }

    /// Creates one task per required visit. Launching again creates nothing new.
    #[graphql(guard = "Require(Permission::ManageVenues)")]
    async fn launch_wave(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<LaunchWavePayload> {
        let (wave, created) = waves(ctx).launch(actor(ctx)?, &id).await?;
        Ok(LaunchWavePayload {
            wave: Wave(wave),
            tasks_created: created as i64,
        })
    }

    #[graphql(guard = "Require(Permission::ManageVenues)")]
    async fn pause_wave(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Wave> {
        Ok(Wave(waves(ctx).set_running(actor(ctx)?, &id, WaveMove::Pause).await?))
    }

    #[graphql(guard = "Require(Permission::ManageVenues)")]
    async fn resume_wave(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Wave> {
        Ok(Wave(waves(ctx).set_running(actor(ctx)?, &id, WaveMove::Resume).await?))
    }

    /// Moves the end date later.
    #[graphql(guard = "Require(Permission::ManageVenues)")]
    async fn extend_wave(&self, ctx: &Context<'_>, id: ID, ends_on: String) -> async_graphql::Result<Wave> {
        Ok(Wave(waves(ctx).extend(actor(ctx)?, &id, &ends_on).await?))
    }

    /// Closes the wave; its open tasks are cancelled with the reason.
    #[graphql(guard = "Require(Permission::ManageVenues)")]
    async fn close_wave(&self, ctx: &Context<'_>, id: ID, reason: String) -> async_graphql::Result<CloseWavePayload> {
        let (wave, cancelled) = waves(ctx).close(actor(ctx)?, &id, &reason).await?;
        Ok(CloseWavePayload {
            wave: Wave(wave),
            tasks_cancelled: cancelled as i64,
        })
    }
}
