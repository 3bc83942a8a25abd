//! Phone interviews (docs/PHONE.md): studies and their samples and the supervisor's view for coordinators;
//! the call queue and the case on the screen for operators.

use async_graphql::{Context, InputObject, Object, SimpleObject, Upload, ID};
use chrono::{DateTime, NaiveTime, Utc};

use super::{actor, Require};
use crate::auth::Permission;
use crate::cati::{Answers, Board, CaseRecord, Cati, Handed, OutcomeInput, StudyInput, StudyRecord};
use crate::db::from_ms;
use crate::domain::cati::{CallRules, Counts, Outcome};
use crate::domain::ValidationError;
use crate::error::AppError;
use crate::msg;

pub use crate::cati::Strata;

fn cati<'a>(ctx: &'a Context<'_>) -> &'a Cati {
    ctx.data_unchecked::<Cati>()
}

/// A study's call discipline.
#[derive(SimpleObject, InputObject, Clone)]
#[graphql(input_name = "CatiRulesInput")]
pub struct CatiRules {
    pub no_answer_minutes: i32,
    pub busy_minutes: i32,
    pub answering_machine_minutes: i32,
    /// A soft refusal is called again after this many days, by a refusal converter.
    pub soft_refusal_days: i32,
    pub max_attempts: i32,
    /// Calling hours in the respondent's zone, `HH:MM`: Monday–Friday…
    pub weekday_start: String,
    pub weekday_end: String,
    /// …and Saturday–Sunday.
    pub weekend_start: String,
    pub weekend_end: String,
    /// An appointment is offered this many minutes early.
    pub appointment_early_minutes: i32,
}

impl From<CallRules> for CatiRules {
    fn from(r: CallRules) -> Self {
        let hm = |t: NaiveTime| t.format("%H:%M").to_string();
        Self {
            no_answer_minutes: r.no_answer_minutes as i32,
            busy_minutes: r.busy_minutes as i32,
            answering_machine_minutes: r.answering_machine_minutes as i32,
            soft_refusal_days: r.soft_refusal_days as i32,
            max_attempts: r.max_attempts as i32,
            weekday_start: hm(r.weekday_start),
            weekday_end: hm(r.weekday_end),
            weekend_start: hm(r.weekend_start),
            weekend_end: hm(r.weekend_end),
            appointment_early_minutes: r.appointment_early_minutes as i32,
        }
    }
}

impl CatiRules {
    fn into_rules(self) -> Result<CallRules, AppError> {
        let time = |field: &str, text: &str| {
            NaiveTime::parse_from_str(text.trim(), "%H:%M")
                .map_err(|_| AppError::bad_input(format!("rules.{field}"), msg!("policy-time-format")))
        };
        Ok(CallRules {
            no_answer_minutes: i64::from(self.no_answer_minutes),
            busy_minutes: i64::from(self.busy_minutes),
            answering_machine_minutes: i64::from(self.answering_machine_minutes),
            soft_refusal_days: i64::from(self.soft_refusal_days),
            max_attempts: u32::try_from(self.max_attempts).unwrap_or(0),
            weekday_start: time("weekdayStart", &self.weekday_start)?,
            weekday_end: time("weekdayEnd", &self.weekday_end)?,
            weekend_start: time("weekendStart", &self.weekend_start)?,
            weekend_end: time("weekendEnd", &self.weekend_end)?,
            appointment_early_minutes: i64::from(self.appointment_early_minutes),
        })
    }
}

/// A study: one client's phone interviews about services in a period.
pub struct CatiStudy(StudyRecord);

#[Object]
impl CatiStudy {
    async fn id(&self) -> ID {
        ID(self.0.id.clone())
    }
    async fn client_id(&self) -> ID {
        ID(self.0.client_id.clone())
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// First service day, `YYYY-MM-DD`.
    async fn from(&self) -> &str {
        &self.0.period_from
    }
    /// Last service day.
    async fn to(&self) -> &str {
        &self.0.period_to
    }
    /// What its quotas are set on: `OBLAST`, `CENTER` or `SERVICE`.
    async fn strata(&self) -> async_graphql::Result<Strata> {
        Ok(Strata::parse_stored(&self.0.strata)?)
    }
    /// `DRAFT` (no sample yet), `OPEN` (calling) or `CLOSED`.
    async fn status(&self) -> &str {
        &self.0.status
    }
    /// The draw's seed, recorded so that anyone can redo it.
    async fn seed(&self) -> Option<&str> {
        self.0.seed.as_deref()
    }
    /// Eligible cases found at the draw (each number once).
    async fn eligible(&self) -> Option<i64> {
        self.0.eligible
    }
    async fn drawn(&self) -> Option<i64> {
        self.0.drawn
    }
    async fn drawn_at(&self) -> Option<DateTime<Utc>> {
        self.0.drawn_at.map(from_ms)
    }
    async fn created_at(&self) -> DateTime<Utc> {
        from_ms(self.0.created_at)
    }
    async fn closed_at(&self) -> Option<DateTime<Utc>> {
        self.0.closed_at.map(from_ms)
    }
    async fn rules(&self) -> async_graphql::Result<CatiRules> {
        Ok(self.0.call_rules()?.into())
    }
}

/// One call of a case.
#[derive(SimpleObject)]
pub struct CatiCall {
    pub id: ID,
    /// The attempt's number (1 for the first call).
    pub number: i32,
    pub started_at: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
    pub outcome: Option<Outcome>,
    /// The AAPOR code of the outcome.
    pub aapor_code: Option<String>,
    /// The screen went away and the case returned to the queue.
    pub abandoned: bool,
    pub appointment_at: Option<DateTime<Utc>>,
    pub note: Option<String>,
}

/// A case on an operator's screen.
#[derive(SimpleObject)]
pub struct CatiCase {
    pub id: ID,
    /// The call under way (or the one just recorded).
    pub call_id: ID,
    pub study_id: ID,
    /// `EVENT`, `CALLBACK` or `IMPORT`.
    pub source: String,
    pub center_name: String,
    pub center_address: String,
    pub oblast: String,
    /// The center's type, for its service catalogue.
    pub venue_type: String,
    pub service: Option<String>,
    pub respondent_name: Option<String>,
    /// e.g. `+380 50 *** ** 67`; the whole number only through `revealCatiPhone`.
    pub phone_masked: Option<String>,
    /// The respondent's zone and their local time now (`2026-12-08 14:05`).
    pub time_zone: String,
    pub local_time: String,
    pub attempts: i32,
    pub last_outcome: Option<Outcome>,
    /// An agreed appointment, and its local time in the respondent's zone.
    pub appointment_at: Option<DateTime<Utc>>,
    pub appointment_local: Option<String>,
    /// May still be called.
    pub open: bool,
    pub answers: Answers,
    pub answers_saved_at: Option<DateTime<Utc>>,
    /// The operator's screen holds it until then (every save and heartbeat extends it).
    pub lease_until: Option<DateTime<Utc>>,
    pub history: Vec<CatiCall>,
    /// The services of the center's catalogue, for the script's first question.
    pub services: Vec<CatiService>,
}

/// A service the script offers.
#[derive(SimpleObject)]
pub struct CatiService {
    pub code: String,
    pub name_uk: String,
    pub name_en: String,
}

/// The case as its screen shows it, with its center's services.
async fn view(ctx: &Context<'_>, handed: Handed) -> async_graphql::Result<CatiCase> {
    let now = cati(ctx).db().now_ms();
    let mut case = CatiCase::from_handed(handed, now);
    case.services = ctx
        .data_unchecked::<crate::feedback::Feedback>()
        .services(&case.venue_type)
        .await?
        .into_iter()
        .map(|s| CatiService {
            code: s.code,
            name_uk: s.name_uk,
            name_en: s.name_en,
        })
        .collect();
    Ok(case)
}

fn local(ms: i64, zone: chrono_tz::Tz) -> String {
    use chrono::TimeZone as _;
    zone.timestamp_millis_opt(ms)
        .single()
        .map(|t| t.format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_default()
}

impl CatiCase {
    fn from_handed(h: Handed, now: i64) -> Self {
        let c: CaseRecord = h.case;
        let zone = c.time_zone();
        Self {
            id: ID(c.id.clone()),
            call_id: ID(h.call_id),
            study_id: ID(c.study_id.clone()),
            source: c.source.clone(),
            center_name: c.venue_name.clone(),
            center_address: c.venue_address.clone(),
            oblast: c.oblast.clone(),
            venue_type: c.venue_type.clone(),
            service: c.service_code.clone(),
            respondent_name: c.respondent_name.clone(),
            phone_masked: c.phone_masked.clone(),
            time_zone: c.zone.clone(),
            local_time: local(now, zone),
            attempts: c.attempts as i32,
            last_outcome: c.last(),
            appointment_at: c.appointment_at.map(from_ms),
            appointment_local: c.appointment_at.map(|a| local(a, zone)),
            open: c.open == 1,
            answers: c.typed_answers(),
            answers_saved_at: c.answers_at.map(from_ms),
            lease_until: c.lease_until.map(from_ms),
            history: h
                .history
                .into_iter()
                .map(|l| {
                    let outcome = l.outcome.as_deref().and_then(Outcome::parse);
                    CatiCall {
                        id: ID(l.id),
                        number: l.number as i32,
                        started_at: from_ms(l.started_at),
                        ended_at: l.ended_at.map(from_ms),
                        aapor_code: outcome.map(|o| o.aapor_code().to_string()),
                        outcome,
                        abandoned: l.abandoned == 1,
                        appointment_at: l.appointment_at.map(from_ms),
                        note: l.note,
                    }
                })
                .collect(),
            services: Vec::new(),
        }
    }
}

#[derive(InputObject)]
pub struct CatiQuotaInput {
    /// The oblast's name, the center's id, or the service's code (as `strata` says).
    pub stratum: String,
    /// Cases to draw.
    pub sample: i32,
    /// Completed interviews that close it.
    pub target: i32,
}

#[derive(InputObject)]
pub struct CatiStudyInput {
    pub client_id: ID,
    pub name: String,
    /// First and last service day, `YYYY-MM-DD`.
    pub from: String,
    pub to: String,
    pub strata: Strata,
    /// For every stratum without its own quota.
    pub sample_per_stratum: i32,
    pub target_per_stratum: i32,
    #[graphql(default)]
    pub quotas: Vec<CatiQuotaInput>,
    /// The defaults (docs/PHONE.md) when left out.
    pub rules: Option<CatiRules>,
}

/// A row of an imported list that was refused.
#[derive(SimpleObject)]
pub struct RowError {
    /// As a spreadsheet numbers it (the header is row 1).
    pub row: i32,
    pub field: String,
    pub message: String,
    pub message_code: String,
}

#[derive(SimpleObject)]
pub struct CatiImportResult {
    pub added: i64,
    /// Numbers already in the study.
    pub repeated: i64,
    pub refused: Vec<RowError>,
}

#[derive(SimpleObject)]
pub struct CatiStratumDraw {
    pub stratum: String,
    pub eligible: i64,
    pub drawn: i64,
}

#[derive(SimpleObject)]
pub struct CatiDrawResult {
    pub study: CatiStudy,
    pub strata: Vec<CatiStratumDraw>,
}

/// A call under way, for the supervisor.
#[derive(SimpleObject)]
pub struct CatiLiveCall {
    pub operator_id: ID,
    pub operator: String,
    pub case_id: ID,
    pub center_name: String,
    pub phone_masked: Option<String>,
    pub started_at: DateTime<Utc>,
    /// Seconds on this case so far.
    pub seconds: i64,
    /// The screen stopped answering; the case returns to the queue when another operator asks.
    pub lapsed: bool,
}

#[derive(SimpleObject)]
pub struct CatiOperatorLoad {
    pub operator_id: ID,
    pub operator: String,
    pub calls: i64,
    pub completes: i64,
    pub completes_last_hour: i64,
    pub hours: f64,
    pub completes_per_hour: f64,
}

#[derive(SimpleObject)]
pub struct CatiOutcomeCount {
    pub outcome: Outcome,
    pub aapor_code: String,
    /// AAPOR's category: I, P, R, NC, O, UH, UO or NE.
    pub category: String,
    pub final_outcome: bool,
    pub calls: i64,
}

#[derive(SimpleObject)]
pub struct CatiQuota {
    pub stratum: String,
    pub label: String,
    pub sample: i64,
    pub target: i64,
    pub completes: i64,
}

#[derive(SimpleObject)]
pub struct CatiAppointment {
    pub case_id: ID,
    pub center_name: String,
    pub at: DateTime<Utc>,
    pub phone_masked: Option<String>,
}

/// Cases by AAPOR category of their final (or latest) disposition, and the rates they give.
#[derive(SimpleObject)]
pub struct CatiRates {
    /// `STUDY`, `OBLAST` or `CENTER`.
    pub level: String,
    pub key: String,
    pub label: String,
    pub cases: i64,
    pub i: i64,
    pub p: i64,
    pub r: i64,
    pub nc: i64,
    pub o: i64,
    pub uh: i64,
    pub uo: i64,
    pub ne: i64,
    /// 0–1; none while the denominator is 0.
    pub rr1: Option<f64>,
    pub coop1: Option<f64>,
    pub ref1: Option<f64>,
    pub con1: Option<f64>,
}

fn rates(level: &str, key: String, label: String, c: Counts) -> CatiRates {
    let n = |v: u64| i64::try_from(v).unwrap_or(i64::MAX);
    CatiRates {
        level: level.to_string(),
        key,
        label,
        cases: n(c.total()),
        i: n(c.i),
        p: n(c.p),
        r: n(c.r),
        nc: n(c.nc),
        o: n(c.o),
        uh: n(c.uh),
        uo: n(c.uo),
        ne: n(c.ne),
        rr1: c.rr1(),
        coop1: c.coop1(),
        ref1: c.ref1(),
        con1: c.con1(),
    }
}

/// The supervisor's view of a study.
#[derive(SimpleObject)]
pub struct CatiBoard {
    pub study: CatiStudy,
    pub at: DateTime<Utc>,
    pub in_sample: i64,
    pub open: i64,
    pub never_called: i64,
    pub live: Vec<CatiLiveCall>,
    pub operators: Vec<CatiOperatorLoad>,
    pub outcomes: Vec<CatiOutcomeCount>,
    pub quotas: Vec<CatiQuota>,
    pub appointments_due: Vec<CatiAppointment>,
    /// The study first, then each oblast, then each center.
    pub rates: Vec<CatiRates>,
}

impl From<Board> for CatiBoard {
    fn from(b: Board) -> Self {
        let now = b.now;
        Self {
            at: from_ms(now),
            in_sample: b.in_sample,
            open: b.open,
            never_called: b.never_called,
            live: b
                .live
                .into_iter()
                .map(|l| CatiLiveCall {
                    operator_id: ID(l.operator_id),
                    operator: l.operator_email,
                    case_id: ID(l.case_id),
                    center_name: l.venue_name,
                    phone_masked: l.phone_masked,
                    started_at: from_ms(l.started_at),
                    seconds: (now - l.started_at).max(0) / 1000,
                    lapsed: l.lapsed,
                })
                .collect(),
            operators: b
                .operators
                .into_iter()
                .map(|o| CatiOperatorLoad {
                    operator_id: ID(o.operator_id),
                    operator: o.operator_email,
                    calls: o.calls,
                    completes: o.completes,
                    completes_last_hour: o.completes_last_hour,
                    hours: (o.hours * 100.0).round() / 100.0,
                    completes_per_hour: (o.completes_per_hour * 100.0).round() / 100.0,
                })
                .collect(),
            outcomes: b
                .outcomes
                .into_iter()
                .map(|(o, n)| CatiOutcomeCount {
                    outcome: o,
                    aapor_code: o.aapor_code().to_string(),
                    category: format!("{:?}", o.category()),
                    final_outcome: o.is_final(),
                    calls: n,
                })
                .collect(),
            quotas: b
                .quotas
                .into_iter()
                .map(|q| CatiQuota {
                    stratum: q.stratum,
                    label: q.label,
                    sample: q.sample,
                    target: q.target,
                    completes: q.completes,
                })
                .collect(),
            appointments_due: b
                .appointments_due
                .into_iter()
                .map(|(case, center, at, phone)| CatiAppointment {
                    case_id: ID(case),
                    center_name: center,
                    at: from_ms(at),
                    phone_masked: phone,
                })
                .collect(),
            rates: b
                .rates
                .rows
                .into_iter()
                .map(|r| rates(r.level, r.key, r.label, r.counts))
                .collect(),
            study: CatiStudy(b.study),
        }
    }
}

/// An operator, for the supervisor.
#[derive(SimpleObject)]
pub struct CatiOperator {
    pub id: ID,
    pub email: String,
    pub converts_refusals: bool,
}

#[derive(Default)]
pub struct CatiQuery;

#[Object]
impl CatiQuery {
    /// A client's studies, newest first.
    #[graphql(guard = "Require(Permission::SuperviseCalls)")]
    async fn cati_studies(&self, ctx: &Context<'_>, client_id: ID) -> async_graphql::Result<Vec<CatiStudy>> {
        Ok(cati(ctx)
            .studies(Some(&client_id), false)
            .await?
            .into_iter()
            .map(CatiStudy)
            .collect())
    }

    /// The active operators, and whether each converts soft refusals.
    #[graphql(guard = "Require(Permission::SuperviseCalls)")]
    async fn cati_operators(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<CatiOperator>> {
        Ok(cati(ctx)
            .operators()
            .await?
            .into_iter()
            .map(|(id, email, converts_refusals)| CatiOperator {
                id: ID(id),
                email,
                converts_refusals,
            })
            .collect())
    }

    /// The studies open for calling (an operator chooses one).
    #[graphql(guard = "Require(Permission::CallCitizens)")]
    async fn cati_open_studies(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<CatiStudy>> {
        Ok(cati(ctx)
            .studies(None, true)
            .await?
            .into_iter()
            .map(CatiStudy)
            .collect())
    }

    /// The supervisor's view of a study, now.
    #[graphql(guard = "Require(Permission::SuperviseCalls)")]
    async fn cati_board(&self, ctx: &Context<'_>, study_id: ID) -> async_graphql::Result<CatiBoard> {
        Ok(cati(ctx).board(&study_id).await?.into())
    }

    /// The case on this operator's screen (after a reload or a crash), if any.
    #[graphql(guard = "Require(Permission::CallCitizens)")]
    async fn my_cati_case(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<CatiCase>> {
        match cati(ctx).current_case(actor(ctx)?).await? {
            Some(handed) => Ok(Some(view(ctx, handed).await?)),
            None => Ok(None),
        }
    }
}

#[derive(Default)]
pub struct CatiMutation;

#[Object]
impl CatiMutation {
    /// A new study in `DRAFT`: import lists, then draw its sample.
    #[graphql(guard = "Require(Permission::SuperviseCalls)")]
    async fn create_cati_study(&self, ctx: &Context<'_>, input: CatiStudyInput) -> async_graphql::Result<CatiStudy> {
        let rules = input.rules.map(CatiRules::into_rules).transpose()?;
        let study = cati(ctx)
            .create_study(
                actor(ctx)?,
                StudyInput {
                    client_id: input.client_id.0,
                    name: input.name,
                    from: input.from,
                    to: input.to,
                    strata: input.strata,
                    sample_per_stratum: i64::from(input.sample_per_stratum),
                    target_per_stratum: i64::from(input.target_per_stratum),
                    quotas: input
                        .quotas
                        .into_iter()
                        .map(|q| (q.stratum, i64::from(q.sample), i64::from(q.target)))
                        .collect(),
                    rules,
                },
            )
            .await?;
        Ok(CatiStudy(study))
    }

    /// Adds an imported list (CSV, GraphQL multipart request) to a study before its draw: columns `center` (the
    /// center's code) and `phone`, optionally `service` and `name`.
    #[graphql(guard = "Require(Permission::SuperviseCalls)")]
    async fn import_cati_contacts(
        &self,
        ctx: &Context<'_>,
        study_id: ID,
        file: Upload,
    ) -> async_graphql::Result<CatiImportResult> {
        let upload = file
            .value(ctx)
            .map_err(|e| AppError::bad_input("file", msg!("file-unreadable", detail = e.to_string())))?;
        let bytes = tokio::task::spawn_blocking(move || {
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut upload.into_read(), &mut bytes)
                .map_err(|e| ValidationError::new("file", msg!("file-unreadable", detail = e.to_string())))?;
            Ok::<_, ValidationError>(bytes)
        })
        .await
        .map_err(|e| AppError::Internal(e.into()))?
        .map_err(AppError::from)?;
        let report = cati(ctx).import_contacts(actor(ctx)?, &study_id, &bytes).await?;
        let lang = super::reader_language();
        Ok(CatiImportResult {
            added: report.added,
            repeated: report.repeated,
            refused: report
                .refused
                .into_iter()
                .map(|(row, e)| RowError {
                    row: row as i32,
                    message: crate::i18n::render(lang, &e.message),
                    message_code: e.message.code.to_string(),
                    field: e.field,
                })
                .collect(),
        })
    }

    /// Draws the study's sample with `seed` (a new one, recorded, when left out) and opens it for calling.
    #[graphql(guard = "Require(Permission::SuperviseCalls)")]
    async fn draw_cati_sample(
        &self,
        ctx: &Context<'_>,
        study_id: ID,
        seed: Option<String>,
    ) -> async_graphql::Result<CatiDrawResult> {
        let report = cati(ctx).draw_sample(actor(ctx)?, &study_id, seed.as_deref()).await?;
        Ok(CatiDrawResult {
            study: CatiStudy(report.study),
            strata: report
                .strata
                .into_iter()
                .map(|(stratum, eligible, drawn)| CatiStratumDraw {
                    stratum,
                    eligible,
                    drawn,
                })
                .collect(),
        })
    }

    /// Closes a study: no more calls.
    #[graphql(guard = "Require(Permission::SuperviseCalls)")]
    async fn close_cati_study(&self, ctx: &Context<'_>, study_id: ID) -> async_graphql::Result<CatiStudy> {
        Ok(CatiStudy(cati(ctx).close_study(actor(ctx)?, &study_id).await?))
    }

    /// Marks an operator as trained to convert soft refusals (they are offered those cases after the delay).
    #[graphql(guard = "Require(Permission::SuperviseCalls)")]
    async fn set_operator_converts_refusals(
        &self,
        ctx: &Context<'_>,
        user_id: ID,
        converts: bool,
    ) -> async_graphql::Result<bool> {
        cati(ctx).set_converts_refusals(actor(ctx)?, &user_id, converts).await?;
        Ok(converts)
    }

    /// The next case to call in a study, handed to this operator alone (the one they hold already, if any);
    /// none when no case may be called now.
    #[graphql(guard = "Require(Permission::CallCitizens)")]
    async fn next_cati_case(&self, ctx: &Context<'_>, study_id: ID) -> async_graphql::Result<Option<CatiCase>> {
        match cati(ctx).next_case(actor(ctx)?, &study_id).await? {
            Some(handed) => Ok(Some(view(ctx, handed).await?)),
            None => Ok(None),
        }
    }

    /// Keeps the case on this operator's screen (a heartbeat); returns until when.
    #[graphql(guard = "Require(Permission::CallCitizens)")]
    async fn hold_cati_case(&self, ctx: &Context<'_>, call_id: ID) -> async_graphql::Result<DateTime<Utc>> {
        Ok(from_ms(cati(ctx).hold(actor(ctx)?, &call_id).await?))
    }

    /// Saves the answers as typed so far; returns when.
    #[graphql(guard = "Require(Permission::CallCitizens)")]
    async fn save_cati_answers(
        &self,
        ctx: &Context<'_>,
        call_id: ID,
        answers: Answers,
    ) -> async_graphql::Result<DateTime<Utc>> {
        Ok(from_ms(cati(ctx).save_answers(actor(ctx)?, &call_id, &answers).await?))
    }

    /// The whole number of the case on this operator's screen, to dial (audited).
    #[graphql(guard = "Require(Permission::CallCitizens)")]
    async fn reveal_cati_phone(&self, ctx: &Context<'_>, call_id: ID) -> async_graphql::Result<String> {
        Ok(cati(ctx).reveal_phone(actor(ctx)?, &call_id).await?)
    }

    /// Records how the call ended (once; the same outcome again is the same record). `appointmentAt` is the
    /// respondent's local date and time (`2026-12-09T14:30`), needed for `APPOINTMENT`; `answers` as last typed.
    #[graphql(guard = "Require(Permission::CallCitizens)")]
    async fn record_cati_outcome(
        &self,
        ctx: &Context<'_>,
        call_id: ID,
        outcome: Outcome,
        appointment_at: Option<String>,
        answers: Option<Answers>,
        note: Option<String>,
    ) -> async_graphql::Result<CatiCase> {
        let handed = cati(ctx)
            .record_outcome(
                actor(ctx)?,
                &call_id,
                OutcomeInput {
                    outcome,
                    appointment_at,
                    answers,
                    note,
                },
            )
            .await?;
        view(ctx, handed).await
    }
}
