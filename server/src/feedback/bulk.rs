//! Every poster of a client (or of one oblast) as one ZIP, streamed: venues without a code get one first (in
//! batches), then the archive is written venue by venue on the blocking pool (`zip` in streaming mode, no seeking)
//! into a channel that the response body reads. Memory stays flat however many centers there are.

use std::io::Write;

use futures::Stream;
use sqlx::FromRow;

use crate::auth::{Actor, Permission};
use crate::error::{AppError, AppResult};

use super::posters::PosterFormat;
use super::{base32, Feedback};

/// Venues read from the database at once.
const PAGE: i64 = 500;
/// Bytes gathered before a chunk goes to the response.
const CHUNK: usize = 64 * 1024;

#[derive(Debug, Clone, FromRow)]
struct PosterRow {
    id: String,
    external_code: String,
    name: String,
    address: String,
    token: String,
}

/// A `Write` that hands full chunks to the response body; a closed body (the client went away) stops the
/// writer with an error.
struct ChannelWriter {
    buffer: Vec<u8>,
    sender: tokio::sync::mpsc::Sender<Result<bytes::Bytes, std::io::Error>>,
}

impl ChannelWriter {
    fn send(&mut self) -> std::io::Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let chunk = bytes::Bytes::from(std::mem::replace(&mut self.buffer, Vec::with_capacity(CHUNK)));
        self.sender
            .blocking_send(Ok(chunk))
            .map_err(|_| std::io::Error::new(std::io::ErrorKind::BrokenPipe, "the download was abandoned"))
    }
}

impl Write for ChannelWriter {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.buffer.extend_from_slice(data);
        if self.buffer.len() >= CHUNK {
            self.send()?;
        }
        Ok(data.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.send()
    }
}

impl Feedback {
    /// Gives every active venue of the client (in the oblast) a live code if it has none, `PAGE` at a time.
    async fn ensure_codes(&self, actor: &Actor, client_id: &str, oblast: &str) -> AppResult<()> {
        loop {
            let missing: Vec<String> = sqlx::query_scalar(
                "SELECT v.id FROM venues v WHERE v.client_id = $1 AND v.active = 1 AND ($2 = '' OR v.oblast = $2) \
                 AND NOT EXISTS (SELECT 1 FROM feedback_codes c WHERE c.venue_id = v.id AND c.retired_at IS NULL) \
                 ORDER BY v.id LIMIT $3",
            )
            .bind(client_id)
            .bind(oblast)
            .bind(PAGE)
            .fetch_all(self.db.pool())
            .await?;
            if missing.is_empty() {
                return Ok(());
            }
            let now = self.db.now_ms();
            let mut tx = self.db.begin_write().await?;
            for venue in &missing {
                // Another request may have made one meanwhile: the live-code index keeps one.
                sqlx::query(
                    "INSERT INTO feedback_codes (token, venue_id, created_by, created_at) VALUES ($1, $2, $3, $4) \
                     ON CONFLICT DO NOTHING",
                )
                .bind(base32(&rand::random::<[u8; 6]>()))
                .bind(venue)
                .bind(&actor.user_id)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
        }
    }

    async fn poster_page(&self, client_id: &str, oblast: &str, after: &str) -> AppResult<Vec<PosterRow>> {
        Ok(sqlx::query_as(
            "SELECT v.id, v.external_code, v.name, v.address, c.token FROM venues v \
             JOIN feedback_codes c ON c.venue_id = v.id AND c.retired_at IS NULL \
             WHERE v.client_id = $1 AND v.active = 1 AND ($2 = '' OR v.oblast = $2) AND v.id > $3 ORDER BY v.id LIMIT $4",
        )
        .bind(client_id)
        .bind(oblast)
        .bind(after)
        .bind(PAGE)
        .fetch_all(self.db.pool())
        .await?)
    }

    /// The client's posters (one oblast's, if given) as a streamed ZIP: `<code>.svg` (or `.pdf`) per center and
    /// an `index.csv` (code, name, address, link). Staff who manage venues only; an unknown client is `NOT_FOUND`.
    pub async fn posters_zip(
        &self,
        actor: &Actor,
        client_id: &str,
        oblast: Option<&str>,
        format: PosterFormat,
    ) -> AppResult<impl Stream<Item = Result<bytes::Bytes, std::io::Error>> + Send + 'static> {
        if !actor.can(Permission::ManageVenues) {
            return Err(AppError::forbidden());
        }
        self.known_client(client_id).await?;
        let oblast = crate::domain::normalize_apostrophes(oblast.unwrap_or_default().trim());
        self.ensure_codes(actor, client_id, &oblast).await?;
        let (sender, receiver) = tokio::sync::mpsc::channel(4);
        let feedback = self.clone();
        let client_id = client_id.to_string();
        let runtime = tokio::runtime::Handle::current();
        tokio::task::spawn_blocking(move || {
            let failed = sender.clone();
            if let Err(err) = feedback.write_zip(&runtime, &client_id, &oblast, format, sender) {
                tracing::warn!(error = %err, "the posters' archive stopped");
                let _ = failed.blocking_send(Err(std::io::Error::other("the archive stopped")));
            }
        });
        Ok(tokio_stream_from(receiver))
    }

    fn write_zip(
        &self,
        runtime: &tokio::runtime::Handle,
        client_id: &str,
        oblast: &str,
        format: PosterFormat,
        sender: tokio::sync::mpsc::Sender<Result<bytes::Bytes, std::io::Error>>,
    ) -> anyhow::Result<()> {
        use zip::write::SimpleFileOptions;
        let writer = ChannelWriter {
            buffer: Vec::with_capacity(CHUNK),
            sender,
        };
        let mut zip = zip::ZipWriter::new_stream(writer);
        let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        // A PDF's streams are compressed already.
        let poster_options = match format {
            PosterFormat::Svg => options,
            PosterFormat::Pdf => SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored),
        };
        let mut index = csv::Writer::from_writer(Vec::new());
        index.write_record(["code", "name", "address", "link", "file"])?;
        let mut after = String::new();
        loop {
            let rows = runtime
                .block_on(self.poster_page(client_id, oblast, &after))
                .map_err(|e| anyhow::anyhow!(e.message()))?;
            for row in &rows {
                let link = self.link(&row.token);
                let safe: String = row
                    .external_code
                    .chars()
                    .map(|c| {
                        if c.is_alphanumeric() || c == '-' || c == '_' {
                            c
                        } else {
                            '_'
                        }
                    })
                    .collect();
                let file = format!(
                    "{safe}-{}.{}",
                    &row.id[row.id.len().saturating_sub(6)..],
                    format.extension()
                );
                zip.start_file(file.as_str(), poster_options)?;
                let poster = format
                    .poster(&row.name, &row.address, &link)
                    .map_err(|e| anyhow::anyhow!(e.message()))?;
                zip.write_all(&poster)?;
                index.write_record([row.external_code.as_str(), &row.name, &row.address, &link, &file])?;
            }
            match rows.last() {
                Some(last) if rows.len() as i64 == PAGE => after = last.id.clone(),
                _ => break,
            }
        }
        zip.start_file("index.csv", options)?;
        zip.write_all(&index.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?)?;
        let mut writer = zip.finish()?.into_inner();
        writer.flush()?;
        Ok(())
    }
}

/// The receiving end of the channel as a stream of chunks.
fn tokio_stream_from(
    mut receiver: tokio::sync::mpsc::Receiver<Result<bytes::Bytes, std::io::Error>>,
) -> impl Stream<Item = Result<bytes::Bytes, std::io::Error>> + Send + 'static {
    futures::stream::poll_fn(move |cx| receiver.poll_recv(cx))
}
