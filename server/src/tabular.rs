//! Spreadsheet exports written page by page, so memory stays flat however many rows there are: CSV (UTF-8 with a
//! byte-order mark, so spreadsheet programs read the Cyrillic right; text made formula-safe) streamed as it is
//! written, and XLSX written in `rust_xlsxwriter`'s constant-memory mode to a temporary file that is then
//! streamed and removed. The results export and the feedback export both use it; each brings its header and a
//! function that reads one page of rows after a cursor.

use std::future::Future;
use std::io::{Seek, SeekFrom};

use crate::domain::results::{spreadsheet_safe, Cell};
use crate::error::{AppError, AppResult};

/// One page of rows, and the cursor after its last row when more may follow.
pub type Rows = (Vec<Vec<Cell>>, Option<String>);

/// An export's bytes, as the response body reads them.
pub type ByteStream = std::pin::Pin<Box<dyn futures::Stream<Item = Result<bytes::Bytes, std::io::Error>> + Send>>;

/// CSV or XLSX.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Csv,
    Xlsx,
}

impl ExportFormat {
    pub fn parse(text: &str) -> Option<Self> {
        match text.to_ascii_lowercase().as_str() {
            "csv" => Some(ExportFormat::Csv),
            "xlsx" => Some(ExportFormat::Xlsx),
            _ => None,
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Csv => "csv",
            ExportFormat::Xlsx => "xlsx",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            ExportFormat::Csv => "text/csv; charset=utf-8",
            ExportFormat::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }
}

/// An export in `format`: the header, then every page `page` reads (starting from the empty cursor). CSV is
/// written as it streams; XLSX is written first, on the blocking pool, into a sheet named `sheet`, with whatever
/// sheets `more` adds after it.
pub async fn export<F, Fut>(
    format: ExportFormat,
    sheet: &'static str,
    header: Vec<String>,
    page: F,
    more: impl FnOnce(&mut rust_xlsxwriter::Workbook) -> AppResult<()> + Send + 'static,
) -> AppResult<ByteStream>
where
    F: Fn(String) -> Fut + Clone + Send + Sync + 'static,
    Fut: Future<Output = AppResult<Rows>> + Send,
{
    match format {
        ExportFormat::Csv => Ok(Box::pin(csv_stream(header, page))),
        ExportFormat::Xlsx => {
            let runtime = tokio::runtime::Handle::current();
            let file = tokio::task::spawn_blocking(move || {
                write_xlsx(sheet, &header, |after| runtime.block_on(page(after)), more)
            })
            .await
            .map_err(|e| AppError::Internal(e.into()))??;
            Ok(Box::pin(tokio_util::io::ReaderStream::new(tokio::fs::File::from_std(
                file,
            ))))
        }
    }
}

/// The CSV as a stream of chunks: the header, then one chunk per page.
fn csv_stream<F, Fut>(
    header: Vec<String>,
    page: F,
) -> impl futures::Stream<Item = Result<bytes::Bytes, std::io::Error>> + Send + 'static
where
    F: Fn(String) -> Fut + Clone + Send + Sync + 'static,
    Fut: Future<Output = AppResult<Rows>> + Send,
{
    futures::stream::try_unfold(Some(String::new()), move |after| {
        let (page, header) = (page.clone(), header.clone());
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
                out.write_record(&header).map_err(std::io::Error::other)?;
            }
            let (rows, next) = page(after).await.map_err(io_error)?;
            for row in &rows {
                out.write_record(row.iter().map(|cell| match cell {
                    Cell::Empty => String::new(),
                    Cell::Number(n) => n.to_string(),
                    Cell::Text(t) => spreadsheet_safe(t).into_owned(),
                }))
                .map_err(std::io::Error::other)?;
            }
            let bytes = out.into_inner().map_err(|e| std::io::Error::other(e.to_string()))?;
            Ok(Some((bytes::Bytes::from(bytes), next)))
        }
    })
}

/// Writes the XLSX to a temporary file (deleted when the handle is dropped), blocking: a first sheet named
/// `sheet` with the header (bold, frozen) and every page `page` reads, then whatever `more` adds.
fn write_xlsx(
    sheet: &str,
    header: &[String],
    mut page: impl FnMut(String) -> AppResult<Rows>,
    more: impl FnOnce(&mut rust_xlsxwriter::Workbook) -> AppResult<()>,
) -> AppResult<std::fs::File> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    {
        let worksheet = workbook.add_worksheet_with_constant_memory();
        worksheet.set_name(sheet).map_err(xlsx)?;
        for (col, title) in header.iter().enumerate() {
            worksheet
                .write_string_with_format(0, col as u16, title, &bold)
                .map_err(xlsx)?;
        }
        worksheet.set_freeze_panes(1, 0).map_err(xlsx)?;
        let mut row_number: u32 = 1;
        let mut after = Some(String::new());
        while let Some(cursor) = after {
            let (rows, next) = page(cursor)?;
            for row in rows {
                for (col, cell) in row.into_iter().enumerate() {
                    let col = col as u16;
                    match cell {
                        Cell::Empty => {}
                        Cell::Number(n) => {
                            worksheet.write_number(row_number, col, n).map_err(xlsx)?;
                        }
                        Cell::Text(t) => {
                            worksheet.write_string(row_number, col, t).map_err(xlsx)?;
                        }
                    }
                }
                row_number += 1;
            }
            after = next;
        }
    }
    more(&mut workbook)?;
    let mut file = tempfile::tempfile().map_err(|e| AppError::Internal(e.into()))?;
    workbook.save_to_writer(&mut file).map_err(xlsx)?;
    file.seek(SeekFrom::Start(0))
        .map_err(|e| AppError::Internal(e.into()))?;
    Ok(file)
}

pub fn xlsx(e: rust_xlsxwriter::XlsxError) -> AppError {
    AppError::Internal(e.into())
}

fn io_error(err: AppError) -> std::io::Error {
    tracing::error!(error = ?err, "export failed");
    std::io::Error::other("export failed")
}
