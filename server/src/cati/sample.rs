//! Studies and their samples: a study of one client over a period of services, the eligible cases (service
//! events with a phone and consent, call-backs asked for on the feedback form, an imported list), and the draw
//! with a recorded seed (`domain::cati::draw`), quotas per stratum.

use std::collections::{BTreeMap, HashMap, HashSet};

use sqlx::Row as _;

use super::{Cati, StudyRecord};
use crate::audit::audit;
use crate::auth::Actor;
use crate::db::{new_id, Tx};
use crate::domain::cati::{draw, CallRules, Eligible};
use crate::domain::service_event::CitizenPhone;
use crate::domain::ValidationError;
use crate::error::{AppError, AppResult};
use crate::msg;

/// What a study's quotas are set on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, async_graphql::Enum)]
#[graphql(name = "CatiStrata", rename_items = "SCREAMING_SNAKE_CASE")]
pub enum Strata {
    Oblast,
    Center,
    Service,
}

impl Strata {
    pub fn as_str(self) -> &'static str {
        match self {
            Strata::Oblast => "OBLAST",
            Strata::Center => "CENTER",
            Strata::Service => "SERVICE",
        }
    }

    pub fn parse_stored(stored: &str) -> AppResult<Self> {
        match stored {
            "OBLAST" => Ok(Strata::Oblast),
            "CENTER" => Ok(Strata::Center),
            "SERVICE" => Ok(Strata::Service),
            other => Err(AppError::Internal(anyhow::anyhow!("unknown strata {other}"))),
        }
    }

    /// A case's stratum: its center's oblast, its center, or its service.
    fn of(self, oblast: &str, venue_id: &str, service: Option<&str>) -> String {
        match self {
            Strata::Oblast => oblast.to_string(),
            Strata::Center => venue_id.to_string(),
            Strata::Service => service.unwrap_or("OTHER").to_string(),
        }
    }
}

/// A new study.
#[derive(Debug, Clone)]
pub struct StudyInput {
    pub client_id: String,
    pub name: String,
    pub from: String,
    pub to: String,
    pub strata: Strata,
    /// Cases drawn from each stratum, and completed interviews that close it, unless `quotas` says otherwise.
    pub sample_per_stratum: i64,
    pub target_per_stratum: i64,
    /// Per stratum: (stratum, sample, target).
    pub quotas: Vec<(String, i64, i64)>,
    pub rules: Option<CallRules>,
}

/// What an imported list added.
#[derive(Debug, Clone, Default)]
pub struct ImportReport {
    pub added: i64,
    /// Numbers already in the study (the list's own repeats too).
    pub repeated: i64,
    /// Rows refused, with their row number (as a spreadsheet shows it) and why.
    pub refused: Vec<(usize, ValidationError)>,
}

/// What a draw did.
#[derive(Debug, Clone)]
pub struct DrawReport {
    pub study: StudyRecord,
    /// Per stratum: (stratum, eligible, drawn).
    pub strata: Vec<(String, i64, i64)>,
}

const MAX_SAMPLE: i64 = 100_000;
const MAX_IMPORT_ROWS: usize = 50_000;

impl Cati {
    /// A study in DRAFT: checked field by field, its rules the defaults unless given.
    pub async fn create_study(&self, actor: &Actor, input: StudyInput) -> AppResult<StudyRecord> {
        let mut errors = Vec::new();
        let name = crate::domain::text::BoundedText::line("name", input.name.trim(), 1, 200)
            .map_err(|e| errors.push(e))
            .ok();
        let from = crate::time::parse_date("from", &input.from).map_err(|e| errors.push(field_error(e)));
        let to = crate::time::parse_date("to", &input.to).map_err(|e| errors.push(field_error(e)));
        if let (Ok(f), Ok(t)) = (&from, &to) {
            if t < f || (*t - *f).num_days() > 366 {
                errors.push(ValidationError::new("to", msg!("cati-period-order")));
            }
        }
        for (field, n) in [
            ("samplePerStratum", input.sample_per_stratum),
            ("targetPerStratum", input.target_per_stratum),
        ] {
            if !(0..=MAX_SAMPLE).contains(&n) {
                errors.push(ValidationError::new(
                    field,
                    msg!("whole-number-range", min = 0, max = MAX_SAMPLE),
                ));
            }
        }
        for (stratum, sample, target) in &input.quotas {
            if stratum.trim().is_empty() || stratum.len() > 200 || stratum == super::DEFAULT_STRATUM {
                errors.push(ValidationError::new("quotas", msg!("cati-stratum-name")));
            }
            if !(0..=MAX_SAMPLE).contains(sample) || !(0..=MAX_SAMPLE).contains(target) {
                errors.push(ValidationError::new(
                    "quotas",
                    msg!("whole-number-range", min = 0, max = MAX_SAMPLE),
                ));
            }
        }
        let rules = input.rules.clone().unwrap_or_default();
        if let Some(e) = check_rules(&rules) {
            errors.push(e);
        }
        let client: Option<String> = sqlx::query_scalar("SELECT id FROM clients WHERE id = $1")
            .bind(&input.client_id)
            .fetch_optional(self.db.pool())
            .await?;
        if client.is_none() {
            errors.push(ValidationError::new("clientId", msg!("no-such-client")));
        }
        if !errors.is_empty() {
            return Err(AppError::InvalidFields(errors));
        }
        let (Some(name), Ok(from), Ok(to)) = (name, from, to) else {
            return Err(AppError::Internal(anyhow::anyhow!("checked fields missing")));
        };
        let id = new_id();
        let mut tx = self.db.begin_write().await?;
        let now = tx.now_ms();
        sqlx::query(
            "INSERT INTO cati_studies (id, client_id, name, period_from, period_to, strata, rules, status, created_by, \
             created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 'DRAFT', $8, $9)",
        )
        .bind(&id)
        .bind(&input.client_id)
        .bind(name.as_str())
        .bind(from.to_string())
        .bind(to.to_string())
        .bind(input.strata.as_str())
        .bind(serde_json::to_string(&rules).map_err(|e| AppError::Internal(e.into()))?)
        .bind(&actor.user_id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        // The defaults for every stratum the draw finds, under their own name; the named ones as given.
        let mut quotas: BTreeMap<String, (i64, i64)> = BTreeMap::new();
        quotas.insert(
            super::DEFAULT_STRATUM.to_string(),
            (input.sample_per_stratum, input.target_per_stratum),
        );
        for (stratum, sample, target) in input.quotas {
            quotas.insert(stratum.trim().to_string(), (sample, target));
        }
        for (stratum, (sample, target)) in quotas {
            insert_quota(&mut tx, &id, &stratum, sample, target).await?;
        }
        audit(&mut tx, Some(&actor.user_id), "cati.study.create", Some(&id), None).await?;
        tx.commit().await?;
        self.study(&id).await
    }

    /// Adds an imported list to a study before its draw: a CSV with `center` (the center's code) and `phone`,
    /// optionally `service` and `name`. Each number is sealed; a number already in the study is counted as a
    /// repeat, not added twice (the list's own repeats too). Refused rows are named; the others are kept.
    pub async fn import_contacts(&self, actor: &Actor, study_id: &str, bytes: &[u8]) -> AppResult<ImportReport> {
        let study = self.study(study_id).await?;
        if study.status != "DRAFT" {
            return Err(AppError::Rule {
                rule: "STUDY_DRAWN",
                message: msg!("cati-study-drawn"),
            });
        }
        let rows = read_contacts(bytes).map_err(|e| AppError::InvalidFields(vec![e]))?;
        let strata = Strata::parse_stored(&study.strata)?;
        let mut report = ImportReport::default();
        let mut tx = self.db.begin_write().await?;
        let now = tx.now_ms();
        let centers = centers(&mut tx, &study.client_id).await?;
        let services = crate::events::catalogue(&mut tx).await?;
        let mut seen: HashSet<String> = HashSet::new();
        for (row, contact) in rows {
            let mut errors = Vec::new();
            let center = match contact.center.as_deref().and_then(|c| centers.get(c)) {
                Some(center) => Some(center),
                None => {
                    errors.push(ValidationError::new("center", msg!("event-center-unknown")));
                    None
                }
            };
            let phone = match contact
                .phone
                .as_deref()
                .map(|p| CitizenPhone::parse_callable("phone", p))
            {
                Some(Ok(p)) => Some(p),
                Some(Err(e)) => {
                    errors.push(e);
                    None
                }
                None => {
                    errors.push(ValidationError::new("phone", msg!("citizen-phone-invalid")));
                    None
                }
            };
            if let (Some(service), Some(center)) = (&contact.service, center) {
                if !services.contains(&(center.venue_type.clone(), service.clone())) {
                    errors.push(ValidationError::new("service", msg!("feedback-unknown-service")));
                }
            }
            let name = match contact.name.as_deref() {
                Some(n) => match crate::domain::text::BoundedText::line("name", n, 1, 100) {
                    Ok(n) => Some(n.into_inner()),
                    Err(e) => {
                        errors.push(e);
                        None
                    }
                },
                None => None,
            };
            let (Some(center), Some(phone), true) = (center, phone, errors.is_empty()) else {
                report.refused.extend(errors.into_iter().map(|e| (row, e)));
                continue;
            };
            let hash = self.vault.hash(&phone);
            if !seen.insert(hash.clone()) || phone_in_study(&mut tx, study_id, &hash).await? {
                report.repeated += 1;
                continue;
            }
            let case = NewCase {
                source: "IMPORT",
                source_id: hash.clone(),
                venue_id: center.id.clone(),
                service_code: contact.service.clone(),
                stratum: strata.of(&center.oblast, &center.id, contact.service.as_deref()),
                zone: center.zone.clone(),
                respondent_name: name,
                phone_cipher: Some(self.vault.seal(&phone)),
                phone_hash: Some(hash),
                phone_masked: Some(phone.masked()),
            };
            insert_cases(&mut tx, study_id, std::slice::from_ref(&case), now).await?;
            report.added += 1;
        }
        audit(
            &mut tx,
            Some(&actor.user_id),
            "cati.study.import",
            Some(study_id),
            Some(&format!("added {}, repeated {}", report.added, report.repeated)),
        )
        .await?;
        tx.commit().await?;
        Ok(report)
    }

    /// Draws the sample once: gathers the eligible cases (the study's service events with a phone and consent,
    /// and call-backs asked for on the feedback form, in its period, each number once, beside an imported list),
    /// then draws per stratum with the seed (a given one, or a new one that is recorded), and opens the study for
    /// calling. A second draw is refused: the sample is what was drawn.
    pub async fn draw_sample(&self, actor: &Actor, study_id: &str, seed: Option<&str>) -> AppResult<DrawReport> {
        let seed = match seed.map(str::trim).filter(|s| !s.is_empty()) {
            Some(s) if s.len() > 100 => {
                return Err(AppError::bad_input("seed", msg!("text-too-long", max = 100)));
            }
            Some(s) => s.to_string(),
            None => hex::encode(rand::random::<[u8; 16]>()),
        };
        let mut tx = self.db.begin_write().await?;
        let now = tx.now_ms();
        let study: StudyRecord = sqlx::query_as(&format!(
            "SELECT {} FROM cati_studies WHERE id = $1",
            super::STUDY_COLUMNS
        ))
        .bind(study_id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(AppError::NotFound("study"))?;
        if study.status != "DRAFT" {
            return Err(AppError::Rule {
                rule: "STUDY_DRAWN",
                message: msg!("cati-study-drawn"),
            });
        }
        let strata = Strata::parse_stored(&study.strata)?;
        self.gather(&mut tx, &study, strata, now).await?;

        // The eligible cases, each number once (the first reported), by stratum.
        let rows = sqlx::query(
            "SELECT id, stratum, phone_hash FROM cati_cases WHERE study_id = $1 AND in_sample = 0 ORDER BY created_at, id",
        )
        .bind(study_id)
        .fetch_all(&mut *tx)
        .await?;
        let mut seen = HashSet::new();
        let mut eligible: Vec<(String, String)> = Vec::new();
        for row in rows {
            let hash: Option<String> = row.try_get("phone_hash")?;
            if hash.is_some_and(|h| seen.insert(h)) {
                eligible.push((row.try_get("id")?, row.try_get("stratum")?));
            }
        }
        let quotas: Vec<(String, i64, i64)> =
            sqlx::query_as("SELECT stratum, sample, target FROM cati_quotas WHERE study_id = $1")
                .bind(study_id)
                .fetch_all(&mut *tx)
                .await?;
        let default = quotas
            .iter()
            .find(|q| q.0 == super::DEFAULT_STRATUM)
            .map_or((0, 0), |q| (q.1, q.2));
        let mut per_stratum: BTreeMap<String, u32> = BTreeMap::new();
        let mut counts: BTreeMap<String, (i64, i64)> = BTreeMap::new();
        for (_, stratum) in &eligible {
            counts.entry(stratum.clone()).or_default().0 += 1;
        }
        for stratum in counts.keys() {
            let (sample, target) = quotas.iter().find(|q| &q.0 == stratum).map_or(default, |q| (q.1, q.2));
            if !quotas.iter().any(|q| &q.0 == stratum) {
                insert_quota(&mut tx, study_id, stratum, sample, target).await?;
            }
            per_stratum.insert(stratum.clone(), u32::try_from(sample).unwrap_or(0));
        }
        let cases: Vec<Eligible<'_>> = eligible.iter().map(|(id, stratum)| Eligible { id, stratum }).collect();
        let drawn = draw(&cases, &per_stratum, &seed);
        let stratum_of: HashMap<&str, &str> = eligible.iter().map(|(i, s)| (i.as_str(), s.as_str())).collect();
        // One by its key each: a list of ids would be matched against the whole table by a planner that has not
        // seen the rows just gathered.
        for id in &drawn {
            sqlx::query("UPDATE cati_cases SET in_sample = 1, open = 1, due_at = $1 WHERE id = $2")
                .bind(now)
                .bind(*id)
                .execute(&mut *tx)
                .await?;
        }
        for id in &drawn {
            if let Some(stratum) = stratum_of.get(id) {
                counts.entry((*stratum).to_string()).or_default().1 += 1;
            }
        }
        sqlx::query(
            "UPDATE cati_studies SET status = 'OPEN', seed = $1, eligible = $2, drawn = $3, drawn_at = $4, drawn_by = $5 \
             WHERE id = $6",
        )
        .bind(&seed)
        .bind(eligible.len() as i64)
        .bind(drawn.len() as i64)
        .bind(now)
        .bind(&actor.user_id)
        .bind(study_id)
        .execute(&mut *tx)
        .await?;
        audit(
            &mut tx,
            Some(&actor.user_id),
            "cati.study.draw",
            Some(study_id),
            Some(&format!(
                "seed {seed}, eligible {}, drawn {}",
                eligible.len(),
                drawn.len()
            )),
        )
        .await?;
        tx.commit().await?;
        if self.db.backend() == crate::db::Backend::Postgres {
            // The queue's plan should fit the study's size from its first call, not after autovacuum's next pass.
            if let Err(err) = sqlx::query("ANALYZE cati_cases").execute(self.db.pool()).await {
                tracing::warn!(error = %err, "analyzing the cases after a draw failed");
            }
        }
        Ok(DrawReport {
            study: self.study(study_id).await?,
            strata: counts.into_iter().map(|(s, (e, d))| (s, e, d)).collect(),
        })
    }

    /// The study's service events and call-back requests as eligible cases (not in the sample yet).
    async fn gather(&self, tx: &mut Tx, study: &StudyRecord, strata: Strata, now: i64) -> AppResult<()> {
        let from = crate::time::kyiv_start_ms(crate::time::parse_date("from", &study.period_from)?);
        let to = crate::time::end_of_kyiv_day(&study.period_to);
        let events = sqlx::query(
            "SELECT e.id, e.venue_id, e.service_code, e.phone_cipher, e.phone_hash, e.phone_masked, v.oblast, \
             COALESCE(v.time_zone, c.time_zone) AS zone FROM service_events e JOIN venues v ON v.id = e.venue_id \
             JOIN clients c ON c.id = e.client_id WHERE e.client_id = $1 AND e.completed_at >= $2 \
             AND e.completed_at < $3 AND e.consent = 1 AND e.phone_cipher IS NOT NULL ORDER BY e.completed_at, e.id",
        )
        .bind(&study.client_id)
        .bind(from)
        .bind(to)
        .fetch_all(&mut **tx)
        .await?;
        let mut gathered = Vec::with_capacity(events.len());
        for row in events {
            let venue_id: String = row.try_get("venue_id")?;
            let service: String = row.try_get("service_code")?;
            let case = NewCase {
                source: "EVENT",
                source_id: row.try_get("id")?,
                stratum: strata.of(&row.try_get::<String, _>("oblast")?, &venue_id, Some(&service)),
                venue_id,
                service_code: Some(service),
                zone: row.try_get("zone")?,
                respondent_name: None,
                phone_cipher: row.try_get("phone_cipher")?,
                phone_hash: row.try_get("phone_hash")?,
                phone_masked: row.try_get("phone_masked")?,
            };
            gathered.push(case);
        }
        let callbacks = sqlx::query(
            "SELECT r.id, r.venue_id, r.service_code, r.contact_name, r.contact_phone, v.oblast, \
             COALESCE(v.time_zone, c.time_zone) AS zone FROM feedback_responses r JOIN venues v ON v.id = r.venue_id \
             JOIN clients c ON c.id = v.client_id WHERE v.client_id = $1 AND r.created_at >= $2 AND r.created_at < $3 \
             AND r.callback_consent = 1 AND r.contact_phone IS NOT NULL ORDER BY r.created_at, r.id",
        )
        .bind(&study.client_id)
        .bind(from)
        .bind(to)
        .fetch_all(&mut **tx)
        .await?;
        for row in callbacks {
            let text: String = row.try_get("contact_phone")?;
            // A call-back number the form took but a phone cannot dial is left out.
            let Ok(phone) = CitizenPhone::parse_callable("phone", &text) else {
                continue;
            };
            let venue_id: String = row.try_get("venue_id")?;
            let service: Option<String> = row.try_get("service_code")?;
            let case = NewCase {
                source: "CALLBACK",
                source_id: row.try_get("id")?,
                stratum: strata.of(&row.try_get::<String, _>("oblast")?, &venue_id, service.as_deref()),
                venue_id,
                service_code: service,
                zone: row.try_get("zone")?,
                respondent_name: row.try_get("contact_name")?,
                phone_cipher: Some(self.vault.seal(&phone)),
                phone_hash: Some(self.vault.hash(&phone)),
                phone_masked: Some(phone.masked()),
            };
            gathered.push(case);
        }
        insert_cases(tx, &study.id, &gathered, now).await
    }

    /// Closes a study: nothing more is handed out; its phones are erased after the retention period.
    pub async fn close_study(&self, actor: &Actor, study_id: &str) -> AppResult<StudyRecord> {
        let mut tx = self.db.begin_write().await?;
        let now = tx.now_ms();
        let done = sqlx::query(
            "UPDATE cati_studies SET status = 'CLOSED', closed_at = $1 WHERE id = $2 AND status <> 'CLOSED'",
        )
        .bind(now)
        .bind(study_id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 1 {
            sqlx::query("UPDATE cati_cases SET open = 0 WHERE study_id = $1 AND open = 1 AND leased_by IS NULL")
                .bind(study_id)
                .execute(&mut *tx)
                .await?;
            audit(&mut tx, Some(&actor.user_id), "cati.study.close", Some(study_id), None).await?;
        }
        tx.commit().await?;
        self.study(study_id).await
    }

    /// The operators (active ones first): id, email, trained to convert refusals.
    pub async fn operators(&self) -> AppResult<Vec<(String, String, bool)>> {
        let rows: Vec<(String, String, i64)> = sqlx::query_as(
            "SELECT id, email, converts_refusals FROM users WHERE role = 'OPERATOR' AND status = 'ACTIVE' \
             ORDER BY email LIMIT 500",
        )
        .fetch_all(self.db.pool())
        .await?;
        Ok(rows.into_iter().map(|(id, email, c)| (id, email, c == 1)).collect())
    }

    /// Marks an operator as trained to convert soft refusals (or not).
    pub async fn set_converts_refusals(&self, actor: &Actor, user_id: &str, converts: bool) -> AppResult<()> {
        let mut tx = self.db.begin_write().await?;
        let done = sqlx::query("UPDATE users SET converts_refusals = $1 WHERE id = $2 AND role = 'OPERATOR'")
            .bind(i64::from(converts))
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(AppError::NotFound("operator"));
        }
        audit(
            &mut tx,
            Some(&actor.user_id),
            "cati.operator.converts",
            Some(user_id),
            Some(if converts { "yes" } else { "no" }),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// Calling hours must leave time to call on every day kind, and delays cannot be negative.
fn check_rules(rules: &CallRules) -> Option<ValidationError> {
    let bad = rules.weekday_start >= rules.weekday_end
        || rules.weekend_start > rules.weekend_end
        || rules.max_attempts == 0
        || rules.max_attempts > 30
        || [
            rules.no_answer_minutes,
            rules.busy_minutes,
            rules.answering_machine_minutes,
            rules.soft_refusal_days,
            rules.appointment_early_minutes,
        ]
        .iter()
        .any(|v| *v < 0);
    bad.then(|| ValidationError::new("rules", msg!("cati-rules-invalid")))
}

fn field_error(err: AppError) -> ValidationError {
    match err {
        AppError::BadInput { field, message } => ValidationError::new(&field, message),
        _ => ValidationError::new("from", msg!("date-format")),
    }
}

struct NewCase {
    source: &'static str,
    source_id: String,
    venue_id: String,
    service_code: Option<String>,
    stratum: String,
    zone: String,
    respondent_name: Option<String>,
    phone_cipher: Option<String>,
    phone_hash: Option<String>,
    phone_masked: Option<String>,
}

/// Eligible cases (not in the sample yet), a few hundred to a statement; a source seen before is left as it is.
async fn insert_cases(tx: &mut Tx, study_id: &str, cases: &[NewCase], now: i64) -> AppResult<()> {
    const COLUMNS: usize = 11;
    for chunk in cases.chunks(200) {
        let rows: Vec<String> = (0..chunk.len())
            .map(|r| {
                let p: Vec<String> = (1..=COLUMNS).map(|c| format!("${}", r * COLUMNS + c + 2)).collect();
                format!("({}, $1, 0, 0, 1, $2, 0, 0, $2)", p.join(", "))
            })
            .collect();
        let sql = format!(
            "INSERT INTO cati_cases (id, source, source_id, venue_id, service_code, stratum, zone, respondent_name, \
             phone_cipher, phone_hash, phone_masked, study_id, in_sample, open, priority, due_at, attempts, \
             converters_only, created_at) VALUES {} ON CONFLICT (study_id, source, source_id) DO NOTHING",
            rows.join(", ")
        );
        // $1 is the study and $2 the moment, shared by every row; each row binds its own eleven values after them.
        let mut query = sqlx::query(&sql).bind(study_id).bind(now);
        for case in chunk {
            query = query
                .bind(new_id())
                .bind(case.source)
                .bind(&case.source_id)
                .bind(&case.venue_id)
                .bind(&case.service_code)
                .bind(&case.stratum)
                .bind(&case.zone)
                .bind(&case.respondent_name)
                .bind(&case.phone_cipher)
                .bind(&case.phone_hash)
                .bind(&case.phone_masked);
        }
        query.execute(&mut **tx).await?;
    }
    Ok(())
}

async fn insert_quota(tx: &mut Tx, study_id: &str, stratum: &str, sample: i64, target: i64) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO cati_quotas (study_id, stratum, sample, target, completes) VALUES ($1, $2, $3, $4, 0) \
         ON CONFLICT (study_id, stratum) DO NOTHING",
    )
    .bind(study_id)
    .bind(stratum)
    .bind(sample)
    .bind(target)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn phone_in_study(tx: &mut Tx, study_id: &str, hash: &str) -> AppResult<bool> {
    let found: Option<String> =
        sqlx::query_scalar("SELECT id FROM cati_cases WHERE study_id = $1 AND phone_hash = $2 LIMIT 1")
            .bind(study_id)
            .bind(hash)
            .fetch_optional(&mut **tx)
            .await?;
    Ok(found.is_some())
}

struct Center {
    id: String,
    venue_type: String,
    oblast: String,
    zone: String,
}

/// A client's centers by their code.
async fn centers(tx: &mut Tx, client_id: &str) -> AppResult<HashMap<String, Center>> {
    let rows = sqlx::query(
        "SELECT v.id, v.external_code, v.venue_type, v.oblast, COALESCE(v.time_zone, c.time_zone) AS zone \
         FROM venues v JOIN clients c ON c.id = v.client_id WHERE v.client_id = $1 AND v.active = 1",
    )
    .bind(client_id)
    .fetch_all(&mut **tx)
    .await?;
    let mut found = HashMap::new();
    for row in rows {
        found.insert(
            row.try_get::<String, _>("external_code")?,
            Center {
                id: row.try_get("id")?,
                venue_type: row.try_get("venue_type")?,
                oblast: row.try_get("oblast")?,
                zone: row.try_get("zone")?,
            },
        );
    }
    Ok(found)
}

/// One row of an imported list.
#[derive(Debug, Clone, Default, PartialEq)]
struct Contact {
    center: Option<String>,
    phone: Option<String>,
    service: Option<String>,
    name: Option<String>,
}

/// An imported list: the text decoded as venue files are (BOM, UTF-8, Windows-1251; commas, semicolons or tabs),
/// `center` and `phone` required columns, `service` and `name` optional.
fn read_contacts(bytes: &[u8]) -> Result<Vec<(usize, Contact)>, ValidationError> {
    let text = crate::venues::import::decode(bytes, crate::venues::import::TextEncoding::Auto)?;
    let (mut reader, headers) = crate::venues::import::csv_reader(&text)?;
    let headers: Vec<String> = headers.iter().map(|h| h.trim().to_lowercase()).collect();
    for required in ["center", "phone"] {
        if !headers.iter().any(|h| h == required) {
            return Err(ValidationError::new(
                "file",
                msg!("import-column-missing", column = required, columns = headers.join(", ")),
            ));
        }
    }
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let row = i + 2;
        let record = record.map_err(|e| {
            ValidationError::new("file", msg!("import-row-unreadable", row = row, detail = e.to_string()))
        })?;
        if rows.len() >= MAX_IMPORT_ROWS {
            return Err(ValidationError::new(
                "file",
                msg!("events-batch-size", max = MAX_IMPORT_ROWS),
            ));
        }
        let cell = |name: &str| {
            headers
                .iter()
                .position(|h| h == name)
                .and_then(|at| record.get(at))
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        rows.push((
            row,
            Contact {
                center: cell("center"),
                phone: cell("phone"),
                service: cell("service"),
                name: cell("name"),
            },
        ));
    }
    if rows.is_empty() {
        return Err(ValidationError::new("file", msg!("events-file-empty")));
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_is_read_with_its_row_numbers_and_needs_center_and_phone() {
        let file = "center;phone;service;name\nCNAP-1;050 123 45 67;PASSPORT;Олена\nCNAP-2;;;\n";
        let rows = read_contacts(file.as_bytes()).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].0, 2);
        assert_eq!(rows[0].1.phone.as_deref(), Some("050 123 45 67"));
        assert_eq!(rows[1].1.phone, None);
        let err = read_contacts(b"center,name\nCNAP-1,X\n").unwrap_err();
        assert_eq!(err.field, "file");
    }

    #[test]
    fn rules_without_calling_time_are_refused() {
        let mut rules = CallRules::default();
        assert!(check_rules(&rules).is_none());
        rules.weekday_end = rules.weekday_start;
        assert!(check_rules(&rules).is_some());
    }
}
