//! The call queue and the operator's moves: the next case (one case to one operator, however many ask at once),
//! the case on their screen kept alive, its number revealed (audited), answers saved as they are typed, and the
//! call's outcome recorded once (the case's next try decided by `domain::cati`, a completed interview counted in
//! the quality index as the `PHONE` channel).

use sqlx::Row as _;

use super::{outcome_of, Answers, CaseRecord, Cati, CASE_COLUMNS, CASE_FROM};
use crate::audit::audit;
use crate::auth::Actor;
use crate::db::{new_id, Backend, Tx};
use crate::domain::cati::{after_call, availability, may_take, schedule, Availability, Closed, Operator, Outcome};
use crate::domain::feedback::{check_form, mask_personal_data, Channel, Moderation};
use crate::domain::quality_index::Tally;
use crate::domain::ValidationError;
use crate::error::{AppError, AppResult};
use crate::msg;

/// A case handed to an operator, with the call under way.
#[derive(Debug, Clone)]
pub struct Handed {
    pub case: CaseRecord,
    pub call_id: String,
    pub lease_until: i64,
    pub history: Vec<CallHistory>,
}

/// One earlier call of a case.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CallHistory {
    pub id: String,
    pub number: i64,
    pub started_at: i64,
    pub ended_at: Option<i64>,
    pub outcome: Option<String>,
    pub abandoned: i64,
    pub appointment_at: Option<i64>,
    pub note: Option<String>,
}

/// What an operator records when a call ends.
#[derive(Debug, Clone)]
pub struct OutcomeInput {
    pub outcome: Outcome,
    /// For an appointment: the respondent's local date and time (`2026-12-09T14:30`), in the case's zone.
    pub appointment_at: Option<String>,
    /// The answers as last typed (else those saved on the case).
    pub answers: Option<Answers>,
    pub note: Option<String>,
}

/// The case an operator holds (one at most): leased to them with a call under way, or its lease lapsed and
/// nobody took it since.
const HELD: &str = "SELECT id FROM cati_cases WHERE leased_by = $1 AND call_id IS NOT NULL LIMIT 1";

/// How many due cases one request looks at before it answers that none may be called now.
const LOOK_AT_MOST: usize = 64;
/// The longest note on a call and answer texts.
const NOTE_MAX: usize = 1_000;
const ANSWER_MAX: usize = 2_000;
/// An appointment at most this far ahead.
const APPOINTMENT_DAYS: i64 = 60;

impl Cati {
    /// The case on the operator's screen, if any (after a reload or a crash): still leased to them, or its lease
    /// lapsed and nobody took it since.
    pub async fn current_case(&self, actor: &Actor) -> AppResult<Option<Handed>> {
        let held: Option<String> = sqlx::query_scalar(HELD)
            .bind(&actor.user_id)
            .fetch_optional(self.db.pool())
            .await?;
        match held {
            Some(case_id) => Ok(Some(self.handed(&case_id).await?)),
            None => Ok(None),
        }
    }

    /// The next case of a study for this operator, leased to them with a new call; the one they hold already when
    /// they have one (so pressing twice, or a retried request, is the same case); `None` when nothing may be
    /// called now. Safe when many operators ask at once: each case goes to one of them.
    pub async fn next_case(&self, actor: &Actor, study_id: &str) -> AppResult<Option<Handed>> {
        let postgres = self.db.backend() == Backend::Postgres;
        let mut tx = self.db.begin_write().await?;
        let now = tx.now_ms();
        if postgres {
            // A lease need not wait for the disk: if the database itself crashed before writing it, the case would
            // only be back in the queue (the service crashing loses nothing committed).
            sqlx::query("SET LOCAL synchronous_commit = off")
                .execute(&mut *tx)
                .await?;
        }
        // The operator's row, locked on PostgreSQL so that their requests run one at a time (SQLite's write
        // transaction already does that), read with the study's state and rules.
        let (converts, status, rules): (i64, String, String) = sqlx::query_as(&format!(
            "SELECT u.converts_refusals, s.status, s.rules FROM users u JOIN cati_studies s ON s.id = $2 \
             WHERE u.id = $1{}",
            if postgres { " FOR UPDATE OF u" } else { "" }
        ))
        .bind(&actor.user_id)
        .bind(study_id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(AppError::NotFound("study"))?;
        if status != "OPEN" {
            return Err(AppError::Rule {
                rule: "STUDY_NOT_OPEN",
                message: msg!("cati-study-not-open"),
            });
        }
        let rules: crate::domain::cati::CallRules =
            serde_json::from_str(&rules).map_err(|e| AppError::Internal(e.into()))?;
        let operator = Operator {
            converts_refusals: converts == 1,
        };
        // Asked after the lock, so that a request of the same operator that just leased a case is seen.
        let held: Option<String> = sqlx::query_scalar(HELD)
            .bind(&actor.user_id)
            .fetch_optional(&mut *tx)
            .await?;
        if let Some(case_id) = held {
            extend(&mut tx, &case_id, &actor.user_id, now + self.lease_ms).await?;
            tx.commit().await?;
            return Ok(Some(self.handed(&case_id).await?));
        }
        // The first case due, one at a time: on PostgreSQL locked without waiting (a case another operator is
        // being handed is skipped, and nobody holds more than the one they look at). A case found outside its
        // calling hours moves to its next moment and the next one is looked at.
        let mut looked_at = std::collections::HashSet::new();
        for _ in 0..LOOK_AT_MOST {
            // The first due in the queue index's order (its quota asked per case), so that it is found without
            // sorting the study; then its facts, in the same statement.
            let candidate: Option<CaseRecord> = sqlx::query_as(&format!(
                "SELECT {CASE_COLUMNS} FROM {CASE_FROM} WHERE c.id = (SELECT f.id FROM cati_cases f \
                 WHERE f.study_id = $1 AND f.open = 1 AND f.due_at <= $2 \
                 AND (f.lease_until IS NULL OR f.lease_until <= $2) AND (f.converters_only = 0 OR $3 = 1) \
                 AND EXISTS (SELECT 1 FROM cati_quotas fq WHERE fq.study_id = f.study_id AND fq.stratum = f.stratum \
                 AND fq.completes < fq.target) ORDER BY f.priority, f.due_at, f.id LIMIT 1{})",
                if postgres { " FOR UPDATE SKIP LOCKED" } else { "" }
            ))
            .bind(study_id)
            .bind(now)
            .bind(i64::from(operator.converts_refusals))
            .fetch_optional(&mut *tx)
            .await?;
            let Some(candidate) = candidate else { break };
            if !looked_at.insert(candidate.id.clone()) {
                break;
            }
            let facts = candidate.facts()?;
            if may_take(&rules, &facts, operator, now) {
                let call_id = new_id();
                sqlx::query("UPDATE cati_cases SET leased_by = $1, lease_until = $2, call_id = $3 WHERE id = $4")
                    .bind(&actor.user_id)
                    .bind(now + self.lease_ms)
                    .bind(&call_id)
                    .bind(&candidate.id)
                    .execute(&mut *tx)
                    .await?;
                // The call of a screen that went away ends as abandoned (its answers stay on the case).
                if let Some(old) = &candidate.call_id {
                    sqlx::query(
                        "UPDATE cati_calls SET ended_at = $1, abandoned = 1 WHERE id = $2 AND ended_at IS NULL",
                    )
                    .bind(candidate.lease_until.unwrap_or(now))
                    .bind(old)
                    .execute(&mut *tx)
                    .await?;
                }
                sqlx::query(
                    "INSERT INTO cati_calls (id, case_id, study_id, operator_id, number, started_at, abandoned) \
                     VALUES ($1, $2, $3, $4, $5, $6, 0)",
                )
                .bind(&call_id)
                .bind(&candidate.id)
                .bind(study_id)
                .bind(&actor.user_id)
                .bind(candidate.attempts + 1)
                .bind(now)
                .execute(&mut *tx)
                .await?;
                // A case never called nor handed out has no history but this call.
                let history = if candidate.attempts == 0 && candidate.call_id.is_none() {
                    vec![CallHistory {
                        id: call_id.clone(),
                        number: 1,
                        started_at: now,
                        ended_at: None,
                        outcome: None,
                        abandoned: 0,
                        appointment_at: None,
                        note: None,
                    }]
                } else {
                    history_in(&mut tx, &candidate.id).await?
                };
                tx.commit().await?;
                let until = now + self.lease_ms;
                return Ok(Some(Handed {
                    case: CaseRecord {
                        leased_by: Some(actor.user_id.clone()),
                        lease_until: Some(until),
                        call_id: Some(call_id.clone()),
                        ..candidate
                    },
                    call_id,
                    lease_until: until,
                    history,
                }));
            }
            match availability(&rules, &facts, now) {
                Availability::Later(at) => {
                    sqlx::query("UPDATE cati_cases SET due_at = $1 WHERE id = $2")
                        .bind(at)
                        .bind(&candidate.id)
                        .execute(&mut *tx)
                        .await?;
                }
                Availability::Closed(Closed::Final | Closed::MaxAttempts) => {
                    sqlx::query("UPDATE cati_cases SET open = 0 WHERE id = $1")
                        .bind(&candidate.id)
                        .execute(&mut *tx)
                        .await?;
                }
                // Not for this operator (a quota filled in the meantime): the queue stops here for now.
                Availability::Closed(Closed::QuotaFilled) | Availability::Now { .. } => break,
            }
        }
        tx.commit().await?;
        Ok(None)
    }

    /// Keeps the case on the operator's screen (a heartbeat while they talk).
    pub async fn hold(&self, actor: &Actor, call_id: &str) -> AppResult<i64> {
        let mut tx = self.db.begin_write().await?;
        let until = tx.now_ms() + self.lease_ms;
        let case_id = self.own_case(&mut tx, actor, call_id).await?;
        extend(&mut tx, &case_id, &actor.user_id, until).await?;
        tx.commit().await?;
        Ok(until)
    }

    /// Saves the answers as typed so far (a closed tab or a crash loses nothing) and keeps the case.
    pub async fn save_answers(&self, actor: &Actor, call_id: &str, answers: &Answers) -> AppResult<i64> {
        check_lengths(answers)?;
        let text = serde_json::to_string(answers).map_err(|e| AppError::Internal(e.into()))?;
        let mut tx = self.db.begin_write().await?;
        let now = tx.now_ms();
        let case_id = self.own_case(&mut tx, actor, call_id).await?;
        sqlx::query("UPDATE cati_cases SET answers = $1, answers_at = $2, lease_until = $3 WHERE id = $4")
            .bind(&text)
            .bind(now)
            .bind(now + self.lease_ms)
            .bind(&case_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(now)
    }

    /// The full number of the case on the operator's screen, for dialling; every reveal is in the audit log.
    pub async fn reveal_phone(&self, actor: &Actor, call_id: &str) -> AppResult<String> {
        let mut tx = self.db.begin_write().await?;
        let case_id = self.own_case(&mut tx, actor, call_id).await?;
        let sealed: Option<String> = sqlx::query_scalar("SELECT phone_cipher FROM cati_cases WHERE id = $1")
            .bind(&case_id)
            .fetch_one(&mut *tx)
            .await?;
        let Some(sealed) = sealed else {
            return Err(AppError::Rule {
                rule: "PHONE_ERASED",
                message: msg!("cati-phone-erased"),
            });
        };
        let phone = self.vault.open(&sealed)?;
        audit(
            &mut tx,
            Some(&actor.user_id),
            "cati.phone.reveal",
            Some(&case_id),
            Some(call_id),
        )
        .await?;
        tx.commit().await?;
        Ok(phone)
    }

    /// Records how a call ended, once: the case's next try (or its end) decided by the rules, the case back in
    /// the queue, a completed interview kept as a `PHONE` response and counted in its quota and the index. The
    /// same outcome sent again (a retry, also while the first is still being written) is the same record.
    pub async fn record_outcome(&self, actor: &Actor, call_id: &str, input: OutcomeInput) -> AppResult<Handed> {
        let mut tx = self.db.begin_write().await?;
        let now = tx.now_ms();
        let postgres = self.db.backend() == Backend::Postgres;
        let call = sqlx::query(&format!(
            "SELECT case_id, operator_id, outcome FROM cati_calls WHERE id = $1{}",
            if postgres { " FOR UPDATE" } else { "" }
        ))
        .bind(call_id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(AppError::NotFound("call"))?;
        let case_id: String = call.try_get("case_id")?;
        if call.try_get::<String, _>("operator_id")? != actor.user_id {
            return Err(AppError::NotFound("call"));
        }
        if let Some(done) = call.try_get::<Option<String>, _>("outcome")? {
            tx.commit().await?;
            return if outcome_of(&done)? == input.outcome {
                self.handed_call(&case_id, call_id).await
            } else {
                Err(AppError::conflict(msg!("cati-call-recorded")))
            };
        }
        let case: CaseRecord = sqlx::query_as(&format!(
            "SELECT {CASE_COLUMNS} FROM {CASE_FROM} WHERE c.id = $1{}",
            if postgres { " FOR UPDATE OF c" } else { "" }
        ))
        .bind(&case_id)
        .fetch_one(&mut *tx)
        .await?;
        if case.call_id.as_deref() != Some(call_id) {
            return Err(AppError::conflict(msg!("cati-case-taken")));
        }
        // Read in this transaction: a second connection taken while this one is held could wait for ever when
        // every connection is held the same way.
        let study: super::StudyRecord = sqlx::query_as(&format!(
            "SELECT {} FROM cati_studies WHERE id = $1",
            super::STUDY_COLUMNS
        ))
        .bind(&case.study_id)
        .fetch_one(&mut *tx)
        .await?;
        let rules = study.call_rules()?;
        let zone = case.time_zone();

        let answers = match input.answers {
            Some(a) => {
                check_lengths(&a)?;
                a
            }
            None => case.typed_answers(),
        };
        let note = match input.note.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
            Some(n) => Some(
                crate::domain::text::BoundedText::parse("note", n, 1, NOTE_MAX)
                    .map_err(|e| AppError::InvalidFields(vec![e]))?
                    .into_inner(),
            ),
            None => None,
        };
        let appointment = match (input.outcome, input.appointment_at.as_deref()) {
            (Outcome::Appointment, Some(text)) => Some(appointment_moment(&rules, zone, text, now)?),
            (Outcome::Appointment, None) => {
                return Err(AppError::bad_input("appointmentAt", msg!("cati-appointment-needed")));
            }
            _ => None,
        };
        let response = if input.outcome == Outcome::Complete {
            let response = check_form(&answers.form()).map_err(AppError::InvalidFields)?;
            if let Some(service) = &response.service_code {
                let known: Option<String> =
                    sqlx::query_scalar("SELECT code FROM service_catalogue WHERE venue_type = $1 AND code = $2")
                        .bind(&case.venue_type)
                        .bind(service)
                        .fetch_optional(&mut *tx)
                        .await?;
                if known.is_none() {
                    return Err(AppError::bad_input("service", msg!("feedback-unknown-service")));
                }
            }
            Some(response)
        } else {
            None
        };

        // The rules decide the case's next try, or its end.
        let after = after_call(&case.facts()?, input.outcome, appointment, now);
        let next = schedule(&rules, &after, now);
        let answers_text = serde_json::to_string(&answers).map_err(|e| AppError::Internal(e.into()))?;
        // A completed interview first (the case names it), counted in its quota.
        let response_id = match response {
            Some(response) => {
                let id = keep_response(&mut tx, &case, call_id, &response, now).await?;
                sqlx::query("UPDATE cati_quotas SET completes = completes + 1 WHERE study_id = $1 AND stratum = $2")
                    .bind(&case.study_id)
                    .bind(&case.stratum)
                    .execute(&mut *tx)
                    .await?;
                Some(id)
            }
            None => None,
        };
        sqlx::query(
            "UPDATE cati_cases SET attempts = $1, last_outcome = $2, last_call_at = $3, appointment_at = $4, open = $5, \
             priority = $6, due_at = $7, converters_only = $8, leased_by = NULL, lease_until = NULL, call_id = NULL, \
             answers = $9, answers_at = $3, response_id = COALESCE($10, response_id) WHERE id = $11",
        )
        .bind(i64::from(after.attempts))
        .bind(input.outcome.as_str())
        .bind(now)
        .bind(after.appointment_at_ms)
        .bind(i64::from(next.open))
        .bind(i64::from(next.priority))
        .bind(if next.open { next.due_ms } else { now })
        .bind(i64::from(next.converters_only))
        .bind(&answers_text)
        .bind(&response_id)
        .bind(&case_id)
        .execute(&mut *tx)
        .await?;
        sqlx::query("UPDATE cati_calls SET ended_at = $1, outcome = $2, appointment_at = $3, note = $4 WHERE id = $5")
            .bind(now)
            .bind(input.outcome.as_str())
            .bind(appointment)
            .bind(&note)
            .bind(call_id)
            .execute(&mut *tx)
            .await?;
        let history = history_in(&mut tx, &case_id).await?;
        tx.commit().await?;
        Ok(Handed {
            case: CaseRecord {
                open: i64::from(next.open),
                attempts: i64::from(after.attempts),
                last_outcome: Some(input.outcome.as_str().to_string()),
                last_call_at: Some(now),
                appointment_at: after.appointment_at_ms,
                leased_by: None,
                lease_until: None,
                call_id: None,
                answers: Some(answers_text),
                answers_at: Some(now),
                ..case
            },
            call_id: call_id.to_string(),
            lease_until: 0,
            history,
        })
    }

    /// The case of this operator's call under way (`CONFLICT` when the case has moved on to someone else).
    async fn own_case(&self, tx: &mut Tx, actor: &Actor, call_id: &str) -> AppResult<String> {
        let row = sqlx::query(
            "SELECT l.case_id, l.operator_id, l.outcome, c.call_id, c.leased_by FROM cati_calls l \
             JOIN cati_cases c ON c.id = l.case_id WHERE l.id = $1",
        )
        .bind(call_id)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(AppError::NotFound("call"))?;
        if row.try_get::<String, _>("operator_id")? != actor.user_id {
            return Err(AppError::NotFound("call"));
        }
        if row.try_get::<Option<String>, _>("outcome")?.is_some() {
            return Err(AppError::conflict(msg!("cati-call-recorded")));
        }
        let current: Option<String> = row.try_get("call_id")?;
        let holder: Option<String> = row.try_get("leased_by")?;
        if current.as_deref() != Some(call_id) || holder.as_deref() != Some(actor.user_id.as_str()) {
            return Err(AppError::conflict(msg!("cati-case-taken")));
        }
        Ok(row.try_get("case_id")?)
    }

    /// A case with its call under way and its history.
    async fn handed(&self, case_id: &str) -> AppResult<Handed> {
        let case = self.case(case_id).await?;
        let call_id = case
            .call_id
            .clone()
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("a handed case without a call")))?;
        self.with_history(case, call_id).await
    }

    /// A case as it stands after `call_id` (which may have ended).
    async fn handed_call(&self, case_id: &str, call_id: &str) -> AppResult<Handed> {
        let case = self.case(case_id).await?;
        self.with_history(case, call_id.to_string()).await
    }

    async fn with_history(&self, case: CaseRecord, call_id: String) -> AppResult<Handed> {
        let history = self.history(&case.id).await?;
        Ok(Handed {
            lease_until: case.lease_until.unwrap_or(0),
            case,
            call_id,
            history,
        })
    }

    /// A case's calls, first first.
    pub async fn history(&self, case_id: &str) -> AppResult<Vec<CallHistory>> {
        Ok(sqlx::query_as(HISTORY).bind(case_id).fetch_all(self.db.pool()).await?)
    }
}

const HISTORY: &str = "SELECT id, number, started_at, ended_at, outcome, abandoned, appointment_at, note \
                       FROM cati_calls WHERE case_id = $1 ORDER BY started_at, id";

/// A case's calls, read in the caller's transaction.
async fn history_in(tx: &mut Tx, case_id: &str) -> AppResult<Vec<CallHistory>> {
    Ok(sqlx::query_as(HISTORY).bind(case_id).fetch_all(&mut **tx).await?)
}

async fn extend(tx: &mut Tx, case_id: &str, operator: &str, until: i64) -> AppResult<()> {
    sqlx::query("UPDATE cati_cases SET lease_until = $1 WHERE id = $2 AND leased_by = $3")
        .bind(until)
        .bind(case_id)
        .bind(operator)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Typed answers are bounded (the full check comes with the outcome).
fn check_lengths(answers: &Answers) -> AppResult<()> {
    let fields = [
        ("service", &answers.service, 40),
        ("premises", &answers.premises, 4),
        ("staff", &answers.staff, 4),
        ("waiting", &answers.waiting, 4),
        ("result", &answers.result, 4),
        ("recommend", &answers.recommend, 4),
        ("comment", &answers.comment, ANSWER_MAX),
    ];
    let errors: Vec<ValidationError> = fields
        .iter()
        .filter(|(_, value, max)| value.as_ref().is_some_and(|v| v.chars().count() > *max))
        .map(|(field, _, max)| ValidationError::new(*field, msg!("text-too-long", max = *max)))
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::InvalidFields(errors))
    }
}

/// An appointment's moment from the respondent's local date and time: in the future, at most 60 days ahead,
/// inside the calling hours of that day.
fn appointment_moment(
    rules: &crate::domain::cati::CallRules,
    zone: chrono_tz::Tz,
    text: &str,
    now: i64,
) -> AppResult<i64> {
    let naive = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]
        .iter()
        .find_map(|f| chrono::NaiveDateTime::parse_from_str(text.trim(), f).ok())
        .ok_or_else(|| AppError::bad_input("appointmentAt", msg!("cati-appointment-format")))?;
    let at = crate::domain::local_moment(zone, naive.date(), naive.time())
        .ok_or_else(|| AppError::bad_input("appointmentAt", msg!("cati-appointment-format")))?;
    if at <= now {
        return Err(AppError::bad_input("appointmentAt", msg!("cati-appointment-past")));
    }
    if at > now + APPOINTMENT_DAYS * 86_400_000 {
        return Err(AppError::bad_input(
            "appointmentAt",
            msg!("cati-appointment-far", days = APPOINTMENT_DAYS),
        ));
    }
    if !rules.inside_hours(at, zone) {
        return Err(AppError::bad_input("appointmentAt", msg!("cati-appointment-hours")));
    }
    Ok(at)
}

/// A completed interview as a feedback response of the `PHONE` channel, counted in the quality index at once
/// (an operator asked the questions: no risk signals apply); its comment masked, published unless the client
/// moderates each comment. Keyed by the call, so it is kept once.
async fn keep_response(
    tx: &mut Tx,
    case: &CaseRecord,
    call_id: &str,
    response: &crate::domain::feedback::Response,
    now: i64,
) -> AppResult<String> {
    let client: (String, i64) = sqlx::query_as(
        "SELECT c.id, c.feedback_moderated FROM clients c JOIN venues v ON v.client_id = c.id WHERE v.id = $1",
    )
    .bind(&case.venue_id)
    .fetch_one(&mut **tx)
    .await?;
    let masked = response.comment.as_deref().map(mask_personal_data);
    let moderation = match (&response.comment, client.1 == 1) {
        (None, _) => Moderation::None,
        (Some(_), true) => Moderation::Pending,
        (Some(_), false) => Moderation::Published,
    };
    let id = new_id();
    sqlx::query(
        "INSERT INTO feedback_responses (id, venue_id, channel, service_code, premises, staff, waiting, result, \
         recommend, comment, comment_masked, masked_kinds, callback_consent, risk_score, risk_reasons, counted, \
         moderation, device_hash, address_hash, submission_key, created_at, new_device) VALUES ($1, $2, $3, $4, $5, \
         $6, $7, $8, $9, $10, $11, $12, 0, 0, '[]', 1, $13, 'cati', 'cati', $14, $15, 0)",
    )
    .bind(&id)
    .bind(&case.venue_id)
    .bind(Channel::Phone.as_str())
    .bind(&response.service_code)
    .bind(response.ratings[0].map(i64::from))
    .bind(response.ratings[1].map(i64::from))
    .bind(response.ratings[2].map(i64::from))
    .bind(response.ratings[3].map(i64::from))
    .bind(response.recommend.map(i64::from))
    .bind(&response.comment)
    .bind(masked.as_ref().map(|m| m.0.clone()))
    .bind(
        masked
            .as_ref()
            .map(|m| m.1.iter().map(|k| format!("{k:?}")).collect::<Vec<_>>().join(","))
            .unwrap_or_default(),
    )
    .bind(moderation.as_str())
    .bind(format!("cati:{call_id}"))
    .bind(now)
    .execute(&mut **tx)
    .await?;
    let tally = Tally::of_response(response.ratings, response.recommend);
    crate::quality::tally_response(tx, &client.0, &case.venue_id, Channel::Phone.as_str(), now, &tally, 1).await?;
    Ok(id)
}
