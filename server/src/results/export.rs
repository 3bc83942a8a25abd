//! The visit-level export of a wave: one row per approved visit, one column per question (like ODK Central's
//! exports), as CSV or XLSX. Rows are read from the database 500 at a time, so memory stays flat for any wave:
//! the CSV is streamed as it is written; the XLSX is written row by row in `rust_xlsxwriter`'s constant-memory
//! mode to a temporary file, which is then streamed and removed.

use chrono::TimeZone;
use sqlx::FromRow;

use crate::audit::audit;
use crate::auth::Actor;
use crate::domain::checklist::{parse_answers, ChecklistDefinition};
use crate::domain::results::{answer_cell, question_columns, Cell};
use crate::error::{AppError, AppResult};
use crate::waves::WaveRecord;

use super::Results;

/// Rows read from the database at once.
const PAGE: i64 = 500;

/// The columns before the questions'.
const FIXED_COLUMNS: [&str; 13] = [
    "visit_id",
    "wave",
    "venue_code",
    "venue_name",
    "oblast",
    "raion",
    "hromada",
    "city",
    "visit_number",
    "checked_in_at",
    "submitted_at",
    "approved_at",
    "score",
];

pub use crate::tabular::ExportFormat;

/// One approved visit as the export reads it.
#[derive(Debug, Clone, FromRow)]
pub struct ExportRow {
    pub visit_id: String,
    pub venue_code: String,
    pub venue_name: String,
    pub oblast: String,
    pub raion: String,
    pub hromada: String,
    pub city: String,
    pub visit_number: i64,
    pub checked_in_at: i64,
    pub submitted_at: Option<i64>,
    pub approved_at: Option<i64>,
    pub score: Option<f64>,
    pub answers: String,
    pub time_zone: Option<String>,
}

/// What an export needs once its wave is known to be the actor's.
#[derive(Clone)]
pub struct ExportPlan {
    pub wave: WaveRecord,
    definition: ChecklistDefinition,
    questions: Vec<String>,
    /// The Kyiv day the export was asked for (its file name says it).
    day: chrono::NaiveDate,
}

impl ExportPlan {
    /// `results-<wave name>-<date>.<ext>`, with only letters, digits and dashes from the name.
    pub fn file_name(&self, format: ExportFormat) -> String {
        let name: String = self
            .wave
            .name
            .chars()
            .map(|c| if c.is_alphanumeric() { c } else { '-' })
            .collect::<String>()
            .split('-')
            .filter(|part| !part.is_empty())
            .collect::<Vec<_>>()
            .join("-");
        format!("results-{}-{}.{}", name, self.day, format.extension())
    }

    fn header(&self) -> Vec<String> {
        FIXED_COLUMNS
            .iter()
            .map(|c| c.to_string())
            .chain(self.questions.iter().cloned())
            .collect()
    }

    /// A row's cells: the fixed columns, then one per question.
    fn cells(&self, row: &ExportRow) -> AppResult<Vec<Cell>> {
        let zone: chrono_tz::Tz = row
            .time_zone
            .as_deref()
            .and_then(|z| z.parse().ok())
            .unwrap_or(chrono_tz::Europe::Kyiv);
        let time = |ms: Option<i64>| match ms.and_then(|ms| zone.timestamp_millis_opt(ms).single()) {
            Some(t) => Cell::Text(t.to_rfc3339_opts(chrono::SecondsFormat::Secs, false)),
            None => Cell::Empty,
        };
        let text = |t: &str| Cell::Text(t.to_string());
        let mut cells = vec![
            text(&row.visit_id),
            text(&self.wave.name),
            text(&row.venue_code),
            text(&row.venue_name),
            text(&row.oblast),
            text(&row.raion),
            text(&row.hromada),
            text(&row.city),
            Cell::Number(row.visit_number as f64),
            time(Some(row.checked_in_at)),
            time(row.submitted_at),
            time(row.approved_at),
            row.score.map_or(Cell::Empty, Cell::Number),
        ];
        let json: serde_json::Value = serde_json::from_str(&row.answers).map_err(|e| AppError::Internal(e.into()))?;
        let answers = parse_answers(&json).map_err(|e| AppError::Internal(anyhow::anyhow!("stored answers: {e}")))?;
        cells.extend(self.questions.iter().map(|code| answer_cell(answers.get(code))));
        Ok(cells)
    }
}

impl Results {
    /// Checks the actor may read the wave, records the export in the audit log, and returns its plan.
    pub async fn start_export(&self, actor: &Actor, wave_id: &str, format: ExportFormat) -> AppResult<ExportPlan> {
        if !actor.can(crate::auth::Permission::ReadResults) {
            return Err(AppError::forbidden());
        }
        let (wave, definition) = self.wave_and_definition(actor, wave_id).await?;
        let mut tx = self.db.begin_write().await?;
        audit(
            &mut tx,
            Some(&actor.user_id),
            "results.export",
            Some(wave_id),
            Some(format.extension()),
        )
        .await?;
        tx.commit().await?;
        let questions = question_columns(&definition);
        Ok(ExportPlan {
            wave,
            definition,
            questions,
            day: self.db.clock().kyiv_today(),
        })
    }

    /// Up to `PAGE` approved visits of the wave after `after` (by id).
    async fn export_page(&self, wave_id: &str, after: &str) -> AppResult<Vec<ExportRow>> {
        Ok(sqlx::query_as(
            "SELECT v.id AS visit_id, ve.external_code AS venue_code, ve.name AS venue_name, ve.oblast, ve.raion, \
             ve.hromada, ve.city, t.seq AS visit_number, v.checkin_device_at AS checked_in_at, v.submitted_at, \
             v.decided_at AS approved_at, v.score, v.answers, ve.time_zone \
             FROM tasks t JOIN visits v ON v.task_id = t.id AND v.state = 'APPROVED' \
             JOIN venues ve ON ve.id = t.venue_id \
             WHERE t.wave_id = $1 AND v.id > $2 ORDER BY v.id LIMIT $3",
        )
        .bind(wave_id)
        .bind(after)
        .bind(PAGE)
        .fetch_all(self.db.pool())
        .await?)
    }

    /// One page of the export's rows (`PAGE` approved visits after the cursor), as cells.
    async fn export_rows(&self, plan: &ExportPlan, after: &str) -> AppResult<crate::tabular::Rows> {
        let rows = self.export_page(&plan.wave.id, after).await?;
        let next = (rows.len() as i64 == PAGE).then(|| rows.last().map(|r| r.visit_id.clone()).unwrap_or_default());
        let cells = rows.iter().map(|row| plan.cells(row)).collect::<AppResult<Vec<_>>>()?;
        Ok((cells, next))
    }

    /// The export's bytes (`tabular::export`): a `visits` sheet with one row per visit, and in the XLSX a
    /// `questions` sheet naming each question column.
    pub async fn export(&self, plan: ExportPlan, format: ExportFormat) -> AppResult<crate::tabular::ByteStream> {
        let results = self.clone();
        let for_questions = plan.clone();
        crate::tabular::export(
            format,
            "visits",
            plan.header(),
            move |after| {
                let (results, plan) = (results.clone(), plan.clone());
                async move { results.export_rows(&plan, &after).await }
            },
            move |workbook| questions_sheet(workbook, &for_questions),
        )
        .await
    }
}

/// The `questions` sheet: what each question column of the `visits` sheet is.
fn questions_sheet(workbook: &mut rust_xlsxwriter::Workbook, plan: &ExportPlan) -> AppResult<()> {
    use crate::tabular::xlsx;
    let bold = rust_xlsxwriter::Format::new().set_bold();
    let sheet = workbook.add_worksheet_with_constant_memory();
    sheet.set_name("questions").map_err(xlsx)?;
    for (col, title) in ["code", "section", "title_uk", "title_en", "type", "weight"]
        .iter()
        .enumerate()
    {
        sheet
            .write_string_with_format(0, col as u16, *title, &bold)
            .map_err(xlsx)?;
    }
    let questions = plan
        .definition
        .sections
        .iter()
        .flat_map(|section| section.questions.iter().map(move |q| (&section.code, q)));
    for (i, (section, question)) in questions.enumerate() {
        let row = i as u32 + 1;
        sheet.write_string(row, 0, &question.code).map_err(xlsx)?;
        sheet.write_string(row, 1, section).map_err(xlsx)?;
        sheet.write_string(row, 2, &question.title.uk).map_err(xlsx)?;
        sheet
            .write_string(row, 3, question.title.en.as_deref().unwrap_or(""))
            .map_err(xlsx)?;
        sheet.write_string(row, 4, question.kind.type_name()).map_err(xlsx)?;
        sheet.write_number(row, 5, question.weight).map_err(xlsx)?;
    }
    Ok(())
}
