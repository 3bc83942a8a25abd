//! The visit-level export of a wave: one row per approved visit, one column per question (like ODK Central's
//! exports), as CSV or XLSX. Rows are read from the database 500 at a time, so memory stays flat for any wave:
//! the CSV is streamed as it is written; the XLSX is written row by row in `rust_xlsxwriter`'s constant-memory
//! mode to a temporary file, which is then streamed and removed.

use std::io::{Seek, SeekFrom};

use chrono::TimeZone;
use sqlx::FromRow;

use super::*;
use crate::audit::audit;
use crate::domain::checklist::parse_answers;
use crate::domain::results::{answer_cell, question_columns, spreadsheet_safe, Cell};

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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Csv,
    Xlsx,
}

impl ExportFormat {
    pub fn parse(text: &str) -> Option<Self> {
        match text.to_ascii_lowercase().as_str() {
            "csv" => Some(Self::Csv),
            "xlsx" => Some(Self::Xlsx),
            _ => None,
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Self::Csv => "csv",
            Self::Xlsx => "xlsx",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Self::Csv => "text/csv; charset=utf-8",
            Self::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }
}

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
        format!("results-{}-{}.{}", name, crate::time::kyiv_today(), format.extension())
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

    /// The CSV (UTF-8 with a byte-order mark, so spreadsheet programs read the Cyrillic right), as a stream of
    /// chunks: the header, then a chunk per page of visits.
    pub fn csv_stream(
        &self,
        plan: ExportPlan,
    ) -> impl futures::Stream<Item = Result<bytes::Bytes, std::io::Error>> + Send + 'static {
        let results = self.clone();
        futures::stream::try_unfold(Some(String::new()), move |after| {
            let results = results.clone();
            let plan = plan.clone();
            async move {
                let Some(after) = after else {
                    return Ok(None);
                };
                let first = after.is_empty();
                let mut out = csv::Writer::from_writer(if first {
                    "\u{feff}".as_bytes().to_vec()
                } else {
                    Vec::new()
                });
                if first {
                    out.write_record(plan.header()).map_err(std::io::Error::other)?;
                }
                let rows = results.export_page(&plan.wave.id, &after).await.map_err(io_error)?;
                for row in &rows {
                    let cells = plan.cells(row).map_err(io_error)?;
                    out.write_record(cells.iter().map(|cell| match cell {
                        Cell::Empty => String::new(),
                        Cell::Number(n) => n.to_string(),
                        Cell::Text(t) => spreadsheet_safe(t).into_owned(),
                    }))
                    .map_err(std::io::Error::other)?;
                }
                let next =
                    (rows.len() as i64 == PAGE).then(|| rows.last().map(|r| r.visit_id.clone()).unwrap_or_default());
                let bytes = out.into_inner().map_err(|e| std::io::Error::other(e.to_string()))?;
                Ok(Some((bytes::Bytes::from(bytes), next)))
            }
        })
    }

    /// Writes the XLSX to a temporary file (deleted when the returned handle is dropped): a `visits` sheet with
    /// one row per visit and a `questions` sheet naming each question column. Runs on the blocking pool.
    pub async fn xlsx_file(&self, plan: ExportPlan) -> AppResult<tokio::fs::File> {
        let results = self.clone();
        let runtime = tokio::runtime::Handle::current();
        let file = tokio::task::spawn_blocking(move || results.write_xlsx(&runtime, &plan))
            .await
            .map_err(|e| AppError::Internal(e.into()))??;
        Ok(tokio::fs::File::from_std(file))
    }

    fn write_xlsx(&self, runtime: &tokio::runtime::Handle, plan: &ExportPlan) -> AppResult<std::fs::File> {
        use rust_xlsxwriter::{Format, Workbook};
        let xlsx = |e: rust_xlsxwriter::XlsxError| AppError::Internal(e.into());
        let mut workbook = Workbook::new();
        let bold = Format::new().set_bold();
        {
            let sheet = workbook.add_worksheet_with_constant_memory();
            sheet.set_name("visits").map_err(xlsx)?;
            for (col, title) in plan.header().iter().enumerate() {
                sheet
                    .write_string_with_format(0, col as u16, title, &bold)
                    .map_err(xlsx)?;
            }
            sheet.set_freeze_panes(1, 0).map_err(xlsx)?;
            let mut row_number: u32 = 1;
            let mut after = String::new();
            loop {
                let rows = runtime.block_on(self.export_page(&plan.wave.id, &after))?;
                for row in &rows {
                    for (col, cell) in plan.cells(row)?.into_iter().enumerate() {
                        let col = col as u16;
                        match cell {
                            Cell::Empty => {}
                            Cell::Number(n) => {
                                sheet.write_number(row_number, col, n).map_err(xlsx)?;
                            }
                            Cell::Text(t) => {
                                sheet.write_string(row_number, col, t).map_err(xlsx)?;
                            }
                        }
                    }
                    row_number += 1;
                }
                match rows.last() {
                    Some(last) if rows.len() as i64 == PAGE => after = last.visit_id.clone(),
                    _ => break,
                }
            }
        }
        {
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
        }
        let mut file = tempfile::tempfile().map_err(|e| AppError::Internal(e.into()))?;
        workbook.save_to_writer(&mut file).map_err(xlsx)?;
        file.seek(SeekFrom::Start(0))
            .map_err(|e| AppError::Internal(e.into()))?;
        Ok(file)
    }
}

fn io_error(err: AppError) -> std::io::Error {
    tracing::error!(error = ?err, "results export failed");
    std::io::Error::other("export failed")
}
