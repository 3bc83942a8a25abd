//! Phone interviews (CATI, docs/PHONE.md): studies and their samples (`sample`), the call queue and the
//! operator's moves (`calls`), and the supervisor's view with the AAPOR rates and the export (`board`). The
//! rules (when a case may be called, what an outcome means, the rates, the draw) are `domain::cati`; this layer
//! loads a case's facts, asks the rules, and writes the decision once.
//!
//! A case is handed to one operator at a time by a lease (`leased_by`, `lease_until`): the operator's screen
//! keeps it while they work (every saved answer and a heartbeat extend it); a screen that went away lets the
//! case return to the queue when the lease runs out, its call marked abandoned and its answers kept.

mod board;
mod calls;
mod sample;

use std::str::FromStr as _;

use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use sqlx::FromRow;

pub use board::{Board, LiveCall, OperatorLoad, QuotaProgress, RateRow, StudyRates};
pub use calls::{CallHistory, Handed, OutcomeInput};
pub use sample::{DrawReport, ImportReport, Strata, StudyInput};

use crate::db::Db;
use crate::domain::cati::{Call, CallRules, Case, Outcome};
use crate::error::{AppError, AppResult};
use crate::phones::PhoneVault;

/// The quota row holding a study's defaults for every stratum without its own (`*` names no oblast, center id
/// or service code).
pub(crate) const DEFAULT_STRATUM: &str = "*";

/// The phone interview service.
#[derive(Clone)]
pub struct Cati {
    db: Db,
    vault: PhoneVault,
    /// How long an operator's screen holds a case without a sign of life.
    lease_ms: i64,
    /// A case's phone is erased this long after the case closed (and a study's after it closed).
    retention_ms: i64,
}

/// A study as stored.
#[derive(Debug, Clone, FromRow)]
pub struct StudyRecord {
    pub id: String,
    pub client_id: String,
    pub name: String,
    pub period_from: String,
    pub period_to: String,
    pub strata: String,
    pub rules: String,
    pub status: String,
    pub seed: Option<String>,
    pub eligible: Option<i64>,
    pub drawn: Option<i64>,
    pub drawn_at: Option<i64>,
    pub created_at: i64,
    pub closed_at: Option<i64>,
}

impl StudyRecord {
    /// The study's call discipline (stored by us, so a bad one is an internal error).
    pub fn call_rules(&self) -> AppResult<CallRules> {
        serde_json::from_str(&self.rules).map_err(|e| AppError::Internal(e.into()))
    }
}

const STUDY_COLUMNS: &str = "id, client_id, name, period_from, period_to, strata, rules, status, seed, eligible, \
                             drawn, drawn_at, created_at, closed_at";

/// The answers of an interview as the operator types them (the feedback form's questions): each a text as the
/// form sends it, checked in full when the interview is completed.
#[derive(
    Debug, Clone, Default, PartialEq, Serialize, Deserialize, async_graphql::SimpleObject, async_graphql::InputObject,
)]
#[serde(default)]
#[graphql(name = "CatiAnswers", input_name = "CatiAnswersInput")]
pub struct Answers {
    /// A service of the center's catalogue (`services` of the case).
    pub service: Option<String>,
    /// 1–4 each (жахливо…чудово).
    pub premises: Option<String>,
    pub staff: Option<String>,
    pub waiting: Option<String>,
    pub result: Option<String>,
    pub recommend: Option<String>,
    pub comment: Option<String>,
}

impl Answers {
    /// The feedback form these answers fill in (no contact: the operator has the number already).
    pub fn form(&self) -> crate::domain::feedback::Form {
        crate::domain::feedback::Form {
            service: self.service.clone(),
            ratings: [
                self.premises.clone(),
                self.staff.clone(),
                self.waiting.clone(),
                self.result.clone(),
            ],
            recommend: self.recommend.clone(),
            comment: self.comment.clone(),
            ..Default::default()
        }
    }
}

/// A case as the queue and the operator's screen read it.
#[derive(Debug, Clone, FromRow)]
pub struct CaseRecord {
    pub id: String,
    pub study_id: String,
    pub source: String,
    pub venue_id: String,
    pub venue_name: String,
    pub venue_address: String,
    pub venue_type: String,
    pub oblast: String,
    pub service_code: Option<String>,
    pub stratum: String,
    pub zone: String,
    pub respondent_name: Option<String>,
    pub phone_masked: Option<String>,
    pub phone_cipher: Option<String>,
    pub open: i64,
    pub attempts: i64,
    pub last_outcome: Option<String>,
    pub last_call_at: Option<i64>,
    pub appointment_at: Option<i64>,
    pub leased_by: Option<String>,
    pub lease_until: Option<i64>,
    pub call_id: Option<String>,
    pub answers: Option<String>,
    pub answers_at: Option<i64>,
    pub drawn_at: i64,
    pub quota_open: i64,
}

const CASE_COLUMNS: &str = "c.id, c.study_id, c.source, c.venue_id, v.name AS venue_name, v.address AS venue_address, \
     v.venue_type, v.oblast, c.service_code, c.stratum, c.zone, c.respondent_name, c.phone_masked, c.phone_cipher, \
     c.open, c.attempts, c.last_outcome, c.last_call_at, c.appointment_at, c.leased_by, c.lease_until, c.call_id, \
     c.answers, c.answers_at, COALESCE(s.drawn_at, c.created_at) AS drawn_at, \
     CASE WHEN q.completes < q.target THEN 1 ELSE 0 END AS quota_open";

const CASE_FROM: &str = "cati_cases c JOIN venues v ON v.id = c.venue_id JOIN cati_studies s ON s.id = c.study_id \
     JOIN cati_quotas q ON q.study_id = c.study_id AND q.stratum = c.stratum";

impl CaseRecord {
    pub fn time_zone(&self) -> Tz {
        Tz::from_str(&self.zone).unwrap_or(chrono_tz::Europe::Kyiv)
    }

    /// The facts the rules need.
    pub fn facts(&self) -> AppResult<Case> {
        let last = match (&self.last_outcome, self.last_call_at) {
            (Some(outcome), Some(at_ms)) => Some(Call {
                outcome: Outcome::parse(outcome)
                    .ok_or_else(|| AppError::Internal(anyhow::anyhow!("unknown call outcome {outcome}")))?,
                at_ms,
            }),
            _ => None,
        };
        Ok(Case {
            attempts: u32::try_from(self.attempts).unwrap_or(u32::MAX),
            last,
            appointment_at_ms: self.appointment_at,
            zone: self.time_zone(),
            quota_open: self.quota_open == 1,
            drawn_at_ms: self.drawn_at,
        })
    }

    /// The answers typed so far.
    pub fn typed_answers(&self) -> Answers {
        self.answers
            .as_deref()
            .and_then(|a| serde_json::from_str(a).ok())
            .unwrap_or_default()
    }

    /// The outcome of the last call, if any.
    pub fn last(&self) -> Option<Outcome> {
        self.last_outcome.as_deref().and_then(Outcome::parse)
    }
}

impl Cati {
    pub fn new(db: Db, vault: PhoneVault, lease_seconds: u64, retention_days: i64) -> Self {
        Self {
            db,
            vault,
            lease_ms: i64::try_from(lease_seconds.max(30)).unwrap_or(300) * 1000,
            retention_ms: retention_days.max(1) * 86_400_000,
        }
    }

    pub fn db(&self) -> &Db {
        &self.db
    }

    /// One study; staff of any client, `NOT_FOUND` when there is none.
    pub async fn study(&self, id: &str) -> AppResult<StudyRecord> {
        sqlx::query_as(&format!("SELECT {STUDY_COLUMNS} FROM cati_studies WHERE id = $1"))
            .bind(id)
            .fetch_optional(self.db.pool())
            .await?
            .ok_or(AppError::NotFound("study"))
    }

    /// Studies, newest first: of one client, or of every client; `open_only` for the operators' list.
    pub async fn studies(&self, client_id: Option<&str>, open_only: bool) -> AppResult<Vec<StudyRecord>> {
        Ok(sqlx::query_as(&format!(
            "SELECT {STUDY_COLUMNS} FROM cati_studies WHERE ($1 IS NULL OR client_id = $1) \
             AND ($2 = 0 OR status = 'OPEN') ORDER BY created_at DESC, id DESC LIMIT 200"
        ))
        .bind(client_id)
        .bind(i64::from(open_only))
        .fetch_all(self.db.pool())
        .await?)
    }

    /// A case with everything its screen shows.
    pub async fn case(&self, case_id: &str) -> AppResult<CaseRecord> {
        sqlx::query_as(&format!("SELECT {CASE_COLUMNS} FROM {CASE_FROM} WHERE c.id = $1"))
            .bind(case_id)
            .fetch_optional(self.db.pool())
            .await?
            .ok_or(AppError::NotFound("case"))
    }

    /// Erases the phones of cases closed longer than the retention period ago, of studies closed as long ago,
    /// and of eligible cases that were not drawn (kept only to explain the draw), a batch at a time.
    pub async fn erase_expired_phones(&self) -> AppResult<u64> {
        let now = self.db.now_ms();
        let before = now - self.retention_ms;
        let erased = sqlx::query(
            "UPDATE cati_cases SET phone_cipher = NULL, phone_hash = NULL, phone_masked = NULL \
             WHERE id IN (SELECT c.id FROM cati_cases c JOIN cati_studies s ON s.id = c.study_id \
               WHERE c.phone_cipher IS NOT NULL AND c.leased_by IS NULL AND ( \
                 (c.in_sample = 0 AND s.drawn_at IS NOT NULL) \
                 OR (c.open = 0 AND c.in_sample = 1 AND COALESCE(c.last_call_at, 0) < $1) \
                 OR (s.closed_at IS NOT NULL AND s.closed_at < $1)) LIMIT 5000)",
        )
        .bind(before)
        .execute(self.db.pool())
        .await?;
        Ok(erased.rows_affected())
    }
}

/// A stored call outcome read back (ours, so an unknown one is an internal error).
pub(crate) fn outcome_of(stored: &str) -> AppResult<Outcome> {
    Outcome::parse(stored).ok_or_else(|| AppError::Internal(anyhow::anyhow!("unknown call outcome {stored}")))
}
