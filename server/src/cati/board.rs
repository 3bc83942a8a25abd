//! The supervisor's view of a study: who is on which case and for how long, completes per operator and hour,
//! outcomes by code, quota progress, appointments due, and the AAPOR rates (RR1, COOP1, REF1, CON1) per study,
//! oblast and center with the counts behind them; and every call as CSV or XLSX.

use std::collections::BTreeMap;

use sqlx::Row as _;

use super::{outcome_of, Cati, StudyRecord};
use crate::domain::cati::{disposition, Counts, Outcome};
use crate::domain::results::Cell;
use crate::error::AppResult;
use crate::tabular::{ExportFormat, Rows};

/// A call under way.
#[derive(Debug, Clone)]
pub struct LiveCall {
    pub operator_id: String,
    pub operator_email: String,
    pub case_id: String,
    pub venue_name: String,
    pub phone_masked: Option<String>,
    pub started_at: i64,
    /// The screen stopped answering and the lease ran out.
    pub lapsed: bool,
}

/// One operator's work in the study.
#[derive(Debug, Clone, Default)]
pub struct OperatorLoad {
    pub operator_id: String,
    pub operator_email: String,
    pub calls: i64,
    pub completes: i64,
    pub completes_last_hour: i64,
    /// From their first call to their last (or now, while one is under way), hours.
    pub hours: f64,
    /// Completes per hour over those hours.
    pub completes_per_hour: f64,
}

/// A quota's progress.
#[derive(Debug, Clone)]
pub struct QuotaProgress {
    pub stratum: String,
    /// The center's name for a CENTER stratum.
    pub label: String,
    pub sample: i64,
    pub target: i64,
    pub completes: i64,
}

/// The rates of one group of cases.
#[derive(Debug, Clone)]
pub struct RateRow {
    /// STUDY, OBLAST or CENTER.
    pub level: &'static str,
    pub key: String,
    pub label: String,
    pub counts: Counts,
}

/// The rates per study, oblast and center.
#[derive(Debug, Clone, Default)]
pub struct StudyRates {
    pub rows: Vec<RateRow>,
}

/// Everything the supervisor's screen shows.
#[derive(Debug, Clone)]
pub struct Board {
    pub study: StudyRecord,
    pub now: i64,
    pub live: Vec<LiveCall>,
    pub operators: Vec<OperatorLoad>,
    /// Calls by outcome.
    pub outcomes: Vec<(Outcome, i64)>,
    pub quotas: Vec<QuotaProgress>,
    /// Open cases with an appointment in the next hour or overdue: (case, center, appointment, masked phone).
    pub appointments_due: Vec<(String, String, i64, Option<String>)>,
    /// Cases in the sample, open ones, and ones never called.
    pub in_sample: i64,
    pub open: i64,
    pub never_called: i64,
    pub rates: StudyRates,
}

const HOUR: i64 = 3_600_000;

impl Cati {
    /// The supervisor's view of a study at this moment.
    pub async fn board(&self, study_id: &str) -> AppResult<Board> {
        let study = self.study(study_id).await?;
        let now = self.db.now_ms();
        let pool = self.db.pool();

        let live = sqlx::query(
            "SELECT l.operator_id, u.email, l.case_id, v.name, c.phone_masked, l.started_at, c.lease_until \
             FROM cati_calls l JOIN users u ON u.id = l.operator_id JOIN cati_cases c ON c.id = l.case_id \
             JOIN venues v ON v.id = c.venue_id WHERE l.study_id = $1 AND l.ended_at IS NULL ORDER BY l.started_at",
        )
        .bind(study_id)
        .fetch_all(pool)
        .await?
        .into_iter()
        .map(|r| -> AppResult<LiveCall> {
            Ok(LiveCall {
                operator_id: r.try_get(0)?,
                operator_email: r.try_get(1)?,
                case_id: r.try_get(2)?,
                venue_name: r.try_get(3)?,
                phone_masked: r.try_get(4)?,
                started_at: r.try_get(5)?,
                lapsed: r.try_get::<Option<i64>, _>(6)?.is_none_or(|until| until <= now),
            })
        })
        .collect::<AppResult<Vec<_>>>()?;

        let mut operators: BTreeMap<String, OperatorLoad> = BTreeMap::new();
        for r in sqlx::query(
            "SELECT l.operator_id, u.email, COUNT(*) AS calls, \
             SUM(CASE WHEN l.outcome = 'COMPLETE' THEN 1 ELSE 0 END) AS completes, \
             SUM(CASE WHEN l.outcome = 'COMPLETE' AND l.ended_at > $2 THEN 1 ELSE 0 END) AS recent, \
             MIN(l.started_at) AS first, MAX(COALESCE(l.ended_at, $3)) AS last \
             FROM cati_calls l JOIN users u ON u.id = l.operator_id WHERE l.study_id = $1 \
             GROUP BY l.operator_id, u.email ORDER BY u.email",
        )
        .bind(study_id)
        .bind(now - HOUR)
        .bind(now)
        .fetch_all(pool)
        .await?
        {
            let first: i64 = r.try_get("first")?;
            let last: i64 = r.try_get("last")?;
            let completes: i64 = r.try_get("completes")?;
            // At least a quarter of an hour, so that one quick complete does not read as 60 an hour.
            let hours = ((last - first) as f64 / HOUR as f64).max(0.25);
            let id: String = r.try_get("operator_id")?;
            operators.insert(
                id.clone(),
                OperatorLoad {
                    operator_id: id,
                    operator_email: r.try_get("email")?,
                    calls: r.try_get("calls")?,
                    completes,
                    completes_last_hour: r.try_get("recent")?,
                    hours,
                    completes_per_hour: completes as f64 / hours,
                },
            );
        }

        let mut outcomes = Vec::new();
        for r in sqlx::query(
            "SELECT outcome, COUNT(*) AS n FROM cati_calls WHERE study_id = $1 AND outcome IS NOT NULL \
             GROUP BY outcome ORDER BY outcome",
        )
        .bind(study_id)
        .fetch_all(pool)
        .await?
        {
            outcomes.push((outcome_of(&r.try_get::<String, _>("outcome")?)?, r.try_get("n")?));
        }
        outcomes.sort_by_key(|(o, _)| Outcome::ALL.iter().position(|x| x == o));

        let quotas = sqlx::query(
            "SELECT q.stratum, q.sample, q.target, q.completes, v.name FROM cati_quotas q \
             LEFT JOIN venues v ON v.id = q.stratum WHERE q.study_id = $1 AND q.stratum <> $2 ORDER BY q.stratum",
        )
        .bind(study_id)
        .bind(super::DEFAULT_STRATUM)
        .fetch_all(pool)
        .await?
        .into_iter()
        .map(|r| -> AppResult<QuotaProgress> {
            let stratum: String = r.try_get("stratum")?;
            Ok(QuotaProgress {
                label: r
                    .try_get::<Option<String>, _>("name")?
                    .unwrap_or_else(|| stratum.clone()),
                stratum,
                sample: r.try_get("sample")?,
                target: r.try_get("target")?,
                completes: r.try_get("completes")?,
            })
        })
        .collect::<AppResult<Vec<_>>>()?;

        let appointments_due = sqlx::query(
            "SELECT c.id, v.name, c.appointment_at, c.phone_masked FROM cati_cases c JOIN venues v ON v.id = c.venue_id \
             WHERE c.study_id = $1 AND c.open = 1 AND c.priority = 0 AND c.appointment_at <= $2 \
             ORDER BY c.appointment_at LIMIT 100",
        )
        .bind(study_id)
        .bind(now + HOUR)
        .fetch_all(pool)
        .await?
        .into_iter()
        .map(|r| -> AppResult<_> { Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?, r.try_get(3)?)) })
        .collect::<AppResult<Vec<_>>>()?;

        // The rates over the cases' final dispositions, grouped as the database can, then by category here.
        let mut study_counts = Counts::default();
        let mut by_oblast: BTreeMap<String, Counts> = BTreeMap::new();
        let mut by_center: BTreeMap<String, (String, Counts)> = BTreeMap::new();
        let (mut in_sample, mut open, mut never_called) = (0, 0, 0);
        for r in sqlx::query(
            "SELECT v.oblast, c.venue_id, v.name, c.last_outcome, c.open, \
             CASE WHEN q.completes < q.target THEN 1 ELSE 0 END AS quota_open, COUNT(*) AS n \
             FROM cati_cases c JOIN venues v ON v.id = c.venue_id \
             JOIN cati_quotas q ON q.study_id = c.study_id AND q.stratum = c.stratum \
             WHERE c.study_id = $1 AND c.in_sample = 1 \
             GROUP BY v.oblast, c.venue_id, v.name, c.last_outcome, c.open, CASE WHEN q.completes < q.target THEN 1 ELSE 0 END",
        )
        .bind(study_id)
        .fetch_all(pool)
        .await?
        {
            let n: i64 = r.try_get("n")?;
            let last: Option<String> = r.try_get("last_outcome")?;
            let last = last.as_deref().map(outcome_of).transpose()?;
            let category = disposition(last, r.try_get::<i64, _>("quota_open")? == 1);
            let count = u64::try_from(n).unwrap_or(0);
            study_counts.add(category, count);
            by_oblast.entry(r.try_get("oblast")?).or_default().add(category, count);
            let venue: String = r.try_get("venue_id")?;
            let name: String = r.try_get("name")?;
            by_center.entry(venue).or_insert_with(|| (name, Counts::default())).1.add(category, count);
            in_sample += n;
            if r.try_get::<i64, _>("open")? == 1 {
                open += n;
            }
            if last.is_none() {
                never_called += n;
            }
        }
        let mut rows = vec![RateRow {
            level: "STUDY",
            key: study.id.clone(),
            label: study.name.clone(),
            counts: study_counts,
        }];
        rows.extend(by_oblast.into_iter().map(|(oblast, counts)| RateRow {
            level: "OBLAST",
            key: oblast.clone(),
            label: oblast,
            counts,
        }));
        rows.extend(by_center.into_iter().map(|(venue, (name, counts))| RateRow {
            level: "CENTER",
            key: venue,
            label: name,
            counts,
        }));

        Ok(Board {
            study,
            now,
            live,
            operators: operators.into_values().collect(),
            outcomes,
            quotas,
            appointments_due,
            in_sample,
            open,
            never_called,
            rates: StudyRates { rows },
        })
    }

    /// Every call of a study as CSV or XLSX (no phone numbers: the masked one only), oldest first.
    pub async fn export_calls(&self, study_id: &str, format: ExportFormat) -> AppResult<crate::tabular::ByteStream> {
        let study = self.study(study_id).await?;
        let cati = self.clone();
        let id = study.id.clone();
        crate::tabular::export(
            format,
            "calls",
            CALL_HEADER.iter().map(|h| h.to_string()).collect(),
            move |after| {
                let (cati, id) = (cati.clone(), id.clone());
                async move { cati.call_rows(&id, &after).await }
            },
            |_| Ok(()),
        )
        .await
    }

    async fn call_rows(&self, study_id: &str, after: &str) -> AppResult<Rows> {
        const PAGE: i64 = 500;
        let rows = sqlx::query(
            "SELECT l.id, l.case_id, l.number, u.email, v.external_code, v.name, v.oblast, c.stratum, c.source, \
             c.phone_masked, l.started_at, l.ended_at, l.outcome, l.abandoned, l.appointment_at, l.note \
             FROM cati_calls l JOIN users u ON u.id = l.operator_id JOIN cati_cases c ON c.id = l.case_id \
             JOIN venues v ON v.id = c.venue_id WHERE l.study_id = $1 AND l.id > $2 ORDER BY l.id LIMIT $3",
        )
        .bind(study_id)
        .bind(after)
        .bind(PAGE)
        .fetch_all(self.db.pool())
        .await?;
        let time = |ms: Option<i64>| {
            ms.map_or(Cell::Empty, |ms| {
                Cell::Text(crate::time::kyiv_time(ms).to_rfc3339_opts(chrono::SecondsFormat::Secs, false))
            })
        };
        let text = |t: Option<String>| t.map_or(Cell::Empty, Cell::Text);
        let mut cells = Vec::with_capacity(rows.len());
        let mut last = None;
        for r in &rows {
            let outcome: Option<String> = r.try_get("outcome")?;
            let code = match &outcome {
                Some(o) => Some(outcome_of(o)?.aapor_code().to_string()),
                None => None,
            };
            let id: String = r.try_get("id")?;
            cells.push(vec![
                Cell::Text(id.clone()),
                Cell::Text(r.try_get("case_id")?),
                Cell::Number(r.try_get::<i64, _>("number")? as f64),
                Cell::Text(r.try_get("email")?),
                Cell::Text(r.try_get("external_code")?),
                Cell::Text(r.try_get("name")?),
                Cell::Text(r.try_get("oblast")?),
                Cell::Text(r.try_get("stratum")?),
                Cell::Text(r.try_get("source")?),
                text(r.try_get("phone_masked")?),
                time(r.try_get("started_at")?),
                time(r.try_get("ended_at")?),
                text(outcome),
                text(code),
                Cell::Number(r.try_get::<i64, _>("abandoned")? as f64),
                time(r.try_get("appointment_at")?),
                text(r.try_get("note")?),
            ]);
            last = Some(id);
        }
        let next = if rows.len() as i64 == PAGE { last } else { None };
        Ok((cells, next))
    }
}

const CALL_HEADER: [&str; 17] = [
    "call_id",
    "case_id",
    "attempt",
    "operator",
    "center_code",
    "center",
    "oblast",
    "stratum",
    "source",
    "phone_masked",
    "started_at",
    "ended_at",
    "outcome",
    "aapor_code",
    "abandoned",
    "appointment_at",
    "note",
];
