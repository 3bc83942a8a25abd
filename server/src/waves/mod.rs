//! Waves and tasks: a fieldwork project turns "visit every center of Lviv oblast twice in December for 400 UAH"
//! into one task per required visit. Launching is idempotent: tasks are keyed by (wave, venue, visit number).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use sqlx::FromRow;

use crate::audit::audit;
use crate::auth::Actor;
use crate::db::{new_id, Db, Listing, Page, Paging};
use crate::domain::task::TaskState;
use crate::domain::visit::VisitRules;
use crate::domain::wave::{BonusRule, BonusStep, Kopiykas, Period, WaveMove, WaveStatus};
use crate::domain::OpeningHours;
use crate::error::{AppError, AppResult};

mod launch;
mod lifecycle;

/// Changes a wave's status by a named move, in the caller's transaction: a conditional UPDATE from the move's
/// starting statuses. False when the wave was no longer in one of them.
async fn move_wave(tx: &mut crate::db::Tx, id: &str, mv: WaveMove, actor_id: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(&format!(
        "UPDATE waves SET status = '{}', updated_by = $1, updated_at = $2 WHERE id = $3 AND status IN ({})",
        mv.to().as_str(),
        mv.from_sql()
    ))
    .bind(actor_id)
    .bind(tx.now_ms())
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Which of the client's (active) venues a wave visits.
#[derive(async_graphql::Enum, Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum SelectionMode {
    /// Every active venue of the client.
    All,
    /// Active venues matching the region/type filters.
    Filter,
    /// An explicit list of venues.
    List,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VenueSelection {
    pub mode: SelectionMode,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oblast: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raion: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub venue_type: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub venue_ids: Vec<String>,
}

/// Everything a coordinator sets for a wave, validated.
#[derive(Debug, Clone)]
pub struct WaveSettings {
    pub name: String,
    pub checklist_version_id: String,
    pub period: Period,
    pub selection: VenueSelection,
    pub visits_per_venue: i64,
    pub fee: Kopiykas,
    pub reimbursement_cap: Kopiykas,
    /// Empty: the venue's own opening hours.
    pub visiting_windows: OpeningHours,
    pub scenario: String,
    pub cooloff_days: i64,
    pub max_tasks_per_shopper: i64,
    pub claim_window_hours: i64,
    /// Extra pay for tasks still open some days after launch.
    pub bonus: BonusRule,
    /// Check-in, duration, photo and travel rules for the wave's visits.
    pub visit_rules: VisitRules,
}

#[derive(Debug, Clone)]
pub struct WaveRecord {
    pub id: String,
    pub client_id: String,
    pub checklist_version_id: String,
    pub name: String,
    pub starts_on: String,
    pub ends_on: String,
    pub selection: VenueSelection,
    pub visits_per_venue: i64,
    pub fee_kopiykas: i64,
    pub reimbursement_cap_kopiykas: i64,
    pub visiting_windows: OpeningHours,
    pub scenario: String,
    pub cooloff_days: i64,
    pub max_tasks_per_shopper: i64,
    pub claim_window_hours: i64,
    pub bonus: BonusRule,
    pub visit_rules: VisitRules,
    pub status: WaveStatus,
    pub launched_at: Option<i64>,
    pub closed_at: Option<i64>,
    pub close_reason: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(FromRow)]
struct WaveRow {
    id: String,
    client_id: String,
    checklist_version_id: String,
    name: String,
    starts_on: String,
    ends_on: String,
    selection: String,
    visits_per_venue: i64,
    fee_kopiykas: i64,
    reimbursement_cap_kopiykas: i64,
    visiting_windows: String,
    scenario: String,
    cooloff_days: i64,
    max_tasks_per_shopper: i64,
    claim_window_hours: i64,
    bonus_steps: String,
    bonus_cap_kopiykas: i64,
    visit_rules: String,
    status: String,
    launched_at: Option<i64>,
    closed_at: Option<i64>,
    close_reason: Option<String>,
    created_at: i64,
    updated_at: i64,
}

impl TryFrom<WaveRow> for WaveRecord {
    type Error = crate::domain::UnknownValue;

    fn try_from(r: WaveRow) -> Result<Self, Self::Error> {
        Ok(WaveRecord {
            id: r.id,
            client_id: r.client_id,
            checklist_version_id: r.checklist_version_id,
            name: r.name,
            starts_on: r.starts_on,
            ends_on: r.ends_on,
            selection: serde_json::from_str(&r.selection).unwrap_or(VenueSelection {
                mode: SelectionMode::List,
                oblast: None,
                raion: None,
                city: None,
                venue_type: None,
                venue_ids: Vec::new(),
            }),
            visits_per_venue: r.visits_per_venue,
            fee_kopiykas: r.fee_kopiykas,
            reimbursement_cap_kopiykas: r.reimbursement_cap_kopiykas,
            visiting_windows: OpeningHours::from_json(&r.visiting_windows),
            scenario: r.scenario,
            cooloff_days: r.cooloff_days,
            max_tasks_per_shopper: r.max_tasks_per_shopper,
            claim_window_hours: r.claim_window_hours,
            bonus: BonusRule::from_parts(
                serde_json::from_str::<Vec<BonusStep>>(&r.bonus_steps).unwrap_or_default(),
                r.bonus_cap_kopiykas,
            ),
            visit_rules: VisitRules::from_json(&r.visit_rules),
            status: WaveStatus::parse(&r.status)?,
            launched_at: r.launched_at,
            closed_at: r.closed_at,
            close_reason: r.close_reason,
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
    }
}

const WAVE_COLUMNS: &str =
    "id, client_id, checklist_version_id, name, starts_on, ends_on, selection, visits_per_venue, \
     fee_kopiykas, reimbursement_cap_kopiykas, visiting_windows, scenario, cooloff_days, max_tasks_per_shopper, \
     claim_window_hours, bonus_steps, bonus_cap_kopiykas, visit_rules, status, launched_at, closed_at, close_reason, created_at, \
     updated_at";

#[derive(Debug, Clone, FromRow)]
pub struct TaskRecord {
    pub id: String,
    pub wave_id: String,
    pub venue_id: String,
    pub seq: i64,
    pub state: String,
    pub fee_kopiykas: i64,
    pub bonus_kopiykas: i64,
    pub cancel_reason: Option<String>,
    /// Who holds or worked on it.
    pub shopper_id: Option<String>,
    pub held_since: Option<i64>,
    /// When the current hold lapses.
    pub deadline_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// The columns of a `TaskRecord`.
pub const TASK_COLUMNS: &str = "id, wave_id, venue_id, seq, state, fee_kopiykas, bonus_kopiykas, cancel_reason, \
     shopper_id, held_since, deadline_at, created_at, updated_at";

/// Task counts of a wave: overall and per oblast.
pub struct Progress {
    pub by_state: BTreeMap<&'static str, i64>,
    pub by_region: BTreeMap<String, BTreeMap<&'static str, i64>>,
}

#[derive(Clone)]
pub struct Waves {
    db: Db,
}

impl Waves {
    pub fn new(db: Db) -> Self {
        Self { db }
    }

    pub async fn create(&self, actor: &Actor, client_id: &str, settings: WaveSettings) -> AppResult<WaveRecord> {
        self.check_references(client_id, &settings).await?;
        let (id, now) = (new_id(), self.db.now_ms());
        let mut tx = self.db.begin_write().await?;
        let insert = format!(
            "INSERT INTO waves ({WAVE_COLUMNS}, created_by, updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, \
             $11, $12, $13, $14, $15, $16, $17, $18, 'DRAFT', NULL, NULL, NULL, $19, $19, $20, $20)"
        );
        bind_settings(sqlx::query(&insert).bind(&id).bind(client_id), &settings)?
            .bind(now)
            .bind(&actor.user_id)
            .execute(&mut *tx)
            .await?;
        audit(
            &mut tx,
            Some(&actor.user_id),
            "wave.create",
            Some(&id),
            Some(&settings.name),
        )
        .await?;
        tx.commit().await?;
        self.wave(actor, &id).await
    }

    /// Settings change only while the wave is a draft.
    pub async fn update(&self, actor: &Actor, id: &str, settings: WaveSettings) -> AppResult<WaveRecord> {
        let wave = self.wave(actor, id).await?;
        if wave.status != WaveStatus::Draft {
            return Err(AppError::conflict(crate::msg!("wave-not-draft")));
        }
        self.check_references(&wave.client_id, &settings).await?;
        let mut tx = self.db.begin_write().await?;
        let update = "UPDATE waves SET checklist_version_id = $1, name = $2, starts_on = $3, ends_on = $4, \
             selection = $5, visits_per_venue = $6, fee_kopiykas = $7, reimbursement_cap_kopiykas = $8, \
             visiting_windows = $9, scenario = $10, cooloff_days = $11, max_tasks_per_shopper = $12, \
             claim_window_hours = $13, bonus_steps = $14, bonus_cap_kopiykas = $15, visit_rules = $16, updated_by = $17, \
             updated_at = $18 WHERE id = $19 AND status = 'DRAFT'";
        let done = bind_settings(sqlx::query(update), &settings)?
            .bind(&actor.user_id)
            .bind(self.db.now_ms())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() != 1 {
            return Err(AppError::conflict(crate::msg!("wave-launched-meanwhile")));
        }
        audit(&mut tx, Some(&actor.user_id), "wave.update", Some(id), None).await?;
        tx.commit().await?;
        self.wave(actor, id).await
    }

    /// The checklist version must be a published version of this client's; listed venues must be the client's.
    async fn check_references(&self, client_id: &str, settings: &WaveSettings) -> AppResult<()> {
        let version: Option<(String, String)> = sqlx::query_as(
            "SELECT c.client_id, v.status FROM checklist_versions v JOIN checklists c ON c.id = v.checklist_id WHERE v.id = $1",
        )
        .bind(&settings.checklist_version_id)
        .fetch_optional(self.db.pool())
        .await?;
        match version {
            Some((owner, status)) if owner == client_id && status == "PUBLISHED" => {}
            Some((owner, _)) if owner == client_id => {
                return Err(AppError::bad_input(
                    "checklistVersionId",
                    crate::msg!("wave-checklist-draft"),
                ));
            }
            _ => {
                return Err(AppError::bad_input(
                    "checklistVersionId",
                    crate::msg!("wave-checklist-other-client"),
                ))
            }
        }
        // Questions that demand a live capture must be photo questions of this checklist version.
        if !settings.visit_rules.live_capture_questions.is_empty() {
            let text: String = sqlx::query_scalar("SELECT definition FROM checklist_versions WHERE id = $1")
                .bind(&settings.checklist_version_id)
                .fetch_one(self.db.pool())
                .await?;
            let json: serde_json::Value = serde_json::from_str(&text).map_err(|e| AppError::Internal(e.into()))?;
            let definition = crate::domain::checklist::parse_definition(&json)
                .map_err(|e| AppError::Internal(anyhow::anyhow!("stored checklist: {e}")))?;
            for (i, code) in settings.visit_rules.live_capture_questions.iter().enumerate() {
                if !matches!(
                    definition.question(code).map(|q| &q.kind),
                    Some(crate::domain::checklist::QuestionKind::Photo { .. })
                ) {
                    return Err(AppError::bad_input(
                        format!("visitRules.liveCaptureQuestions[{i}]"),
                        crate::msg!("photo-not-photo-question"),
                    ));
                }
            }
        }
        if settings.selection.mode == SelectionMode::List {
            for (i, venue_id) in settings.selection.venue_ids.iter().enumerate() {
                let owner: Option<String> = sqlx::query_scalar("SELECT client_id FROM venues WHERE id = $1")
                    .bind(venue_id)
                    .fetch_optional(self.db.pool())
                    .await?;
                if owner.as_deref() != Some(client_id) {
                    return Err(AppError::bad_input(
                        format!("selection.venueIds[{i}]"),
                        crate::msg!("venue-other-client"),
                    ));
                }
            }
        }
        Ok(())
    }

    pub async fn wave(&self, actor: &Actor, id: &str) -> AppResult<WaveRecord> {
        let row: Option<WaveRow> = sqlx::query_as(&format!("SELECT {WAVE_COLUMNS} FROM waves WHERE id = $1"))
            .bind(id)
            .fetch_optional(self.db.pool())
            .await?;
        let wave: WaveRecord = row
            .map(TryInto::try_into)
            .transpose()?
            .ok_or_else(|| AppError::NotFound("wave"))?;
        match actor.client_scope()? {
            Some(own) if own != wave.client_id => Err(AppError::NotFound("wave")),
            _ => Ok(wave),
        }
    }

    pub async fn list(
        &self,
        actor: &Actor,
        client_id: Option<&str>,
        status: Option<WaveStatus>,
        after: Option<&str>,
        limit: usize,
    ) -> AppResult<Page<WaveRecord>> {
        let client = actor.client_scope()?.or(client_id);
        let listing = Listing {
            select: WAVE_COLUMNS,
            from: "waves",
            filter: "($1 IS NULL OR client_id = $1) AND ($2 IS NULL OR status = $2)",
            args: vec![client.into(), status.map(WaveStatus::as_str).into()],
        };
        let after = Paging::After {
            column: "id",
            after: after.into(),
            descending: false,
        };
        self.db.page::<WaveRow, _>(listing, after, limit).await
    }

    /// Task counts by state, overall and per oblast.
    pub async fn progress(&self, wave_id: &str) -> AppResult<Progress> {
        let rows: Vec<(String, String, i64)> = sqlx::query_as(
            "SELECT v.oblast, t.state, COUNT(*) FROM tasks t JOIN venues v ON v.id = t.venue_id WHERE t.wave_id = $1 \
             GROUP BY v.oblast, t.state",
        )
        .bind(wave_id)
        .fetch_all(self.db.pool())
        .await?;
        let mut progress = Progress {
            by_state: BTreeMap::new(),
            by_region: BTreeMap::new(),
        };
        for (oblast, state, count) in rows {
            let state = TaskState::parse(&state)?.as_str();
            *progress.by_state.entry(state).or_default() += count;
            *progress.by_region.entry(oblast).or_default().entry(state).or_default() += count;
        }
        Ok(progress)
    }

    pub async fn tasks(
        &self,
        wave_id: &str,
        state: Option<TaskState>,
        after: Option<&str>,
        limit: usize,
    ) -> AppResult<Page<TaskRecord>> {
        let listing = Listing {
            select: TASK_COLUMNS,
            from: "tasks",
            filter: "wave_id = $1 AND ($2 IS NULL OR state = $2)",
            args: vec![wave_id.into(), state.map(TaskState::as_str).into()],
        };
        let after = Paging::After {
            column: "id",
            after: after.into(),
            descending: false,
        };
        self.db.page::<TaskRecord, _>(listing, after, limit).await
    }
}

/// Binds a wave's settings in column order (`checklist_version_id` … `claim_window_hours`, `bonus_steps`,
/// `bonus_cap_kopiykas`, `visit_rules`): the same 16 parameters for the INSERT and the UPDATE.
fn bind_settings<'q>(
    query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    s: &'q WaveSettings,
) -> AppResult<sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>> {
    let json = |e: serde_json::Error| AppError::Internal(e.into());
    Ok(query
        .bind(&s.checklist_version_id)
        .bind(&s.name)
        .bind(s.period.starts_on.to_string())
        .bind(s.period.ends_on.to_string())
        .bind(serde_json::to_string(&s.selection).map_err(json)?)
        .bind(s.visits_per_venue)
        .bind(s.fee.value())
        .bind(s.reimbursement_cap.value())
        .bind(s.visiting_windows.to_json())
        .bind(&s.scenario)
        .bind(s.cooloff_days)
        .bind(s.max_tasks_per_shopper)
        .bind(s.claim_window_hours)
        .bind(serde_json::to_string(s.bonus.steps()).map_err(json)?)
        .bind(s.bonus.cap())
        .bind(s.visit_rules.to_json()))
}
