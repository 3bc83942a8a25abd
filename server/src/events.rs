//! Service events: centers' systems report completed services (`POST /api/v1/service-events` with an API key,
//! `reportServiceEvents` over GraphQL, or a CSV file staff upload in the console). A batch of up to 1,000 is
//! checked event by event: every bad one is named by its index (or row) and field, good ones are kept, and a
//! repeat of an external id is the same event (also when two requests carry it at once). The citizen's phone is
//! kept only with consent, sealed (`phones`) beside its keyed hash, and erased after the retention period
//! (`erase_expired_phones`, in the background loop). Rules: `domain::service_event`.

use std::collections::{HashMap, HashSet};

use sqlx::{FromRow, Row as _};

use crate::apikeys::KeyActor;
use crate::audit::audit;
use crate::auth::{Actor, Permission};
use crate::db::{new_id, Arg, Db, Listing, Page, Paging, Tx};
use crate::domain::api_key::{Reach, Scope};
use crate::domain::service_event::{self, CheckedEvent, EventInput};
use crate::domain::ValidationError;
use crate::error::{AppError, AppResult};
use crate::phones::PhoneVault;

/// The event service.
#[derive(Clone)]
pub struct Events {
    db: Db,
    vault: PhoneVault,
    retention_ms: i64,
    /// Told when events were kept (the invitation outbox plans them at once).
    kept: Option<std::sync::Arc<tokio::sync::Notify>>,
}

/// One event as it arrived: read, or refused before it could be read (a JSON value of the wrong type).
pub type Arrived = Result<EventInput, Vec<ValidationError>>;

/// Who reports.
#[derive(Debug, Clone, Copy)]
pub enum Reporter<'a> {
    /// A center's system, with an API key carrying `events:write`.
    Key(&'a KeyActor),
    /// Staff who manage venues (the console's CSV upload, or GraphQL), for any client.
    Staff(&'a Actor),
}

/// How the events arrived (kept with each event).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Api,
    Graphql,
    Csv,
}

impl Source {
    fn as_str(self) -> &'static str {
        match self {
            Source::Api => "API",
            Source::Graphql => "GRAPHQL",
            Source::Csv => "CSV",
        }
    }
}

/// What became of one event of a batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemStatus {
    /// Kept now.
    Accepted,
    /// Kept before (the same external id with the same content): nothing changed.
    Duplicate,
    /// Not kept; `errors` says why.
    Refused,
}

#[derive(Debug, Clone)]
pub struct ItemOutcome {
    /// The event's place in the batch (0-based), or its row in a CSV file (the header is row 1).
    pub index: usize,
    pub external_id: Option<String>,
    pub status: ItemStatus,
    pub event_id: Option<String>,
    pub errors: Vec<ValidationError>,
}

#[derive(Debug, Clone, Default)]
pub struct BatchOutcome {
    pub items: Vec<ItemOutcome>,
}

impl BatchOutcome {
    pub fn count(&self, status: ItemStatus) -> usize {
        self.items.iter().filter(|i| i.status == status).count()
    }
}

/// An event as staff see it (the phone masked, never whole).
#[derive(Debug, Clone, FromRow)]
pub struct EventRecord {
    pub id: String,
    pub external_id: String,
    pub venue_id: String,
    pub venue_name: String,
    pub service_code: String,
    pub completed_at: i64,
    pub phone_masked: Option<String>,
    pub messenger: Option<String>,
    pub consent: i64,
    pub source: String,
    pub received_at: i64,
    pub phone_erased_at: Option<i64>,
}

/// A center of the client, as the checks need it.
struct Center {
    id: String,
    venue_type: String,
    oblast: String,
    active: bool,
}

/// An event kept before, to compare a repeat with.
#[derive(FromRow)]
struct Kept {
    id: String,
    external_id: String,
    venue_id: String,
    service_code: String,
    completed_at: i64,
    phone_hash: Option<String>,
}

/// A checked event ready to write.
struct Ready {
    index: usize,
    id: String,
    event: CheckedEvent,
    venue_id: String,
    phone_cipher: Option<String>,
    phone_hash: Option<String>,
    phone_masked: Option<String>,
}

/// Rows written per INSERT.
const INSERT_CHUNK: usize = 100;

impl Events {
    pub fn new(db: Db, vault: PhoneVault, retention_days: i64) -> Self {
        Self {
            db,
            vault,
            retention_ms: retention_days.max(1) * 86_400_000,
            kept: None,
        }
    }

    /// Tells `kept` whenever a batch kept new events.
    pub fn waking(mut self, kept: std::sync::Arc<tokio::sync::Notify>) -> Self {
        self.kept = Some(kept);
        self
    }

    /// Checks and keeps a batch. `client_id` names the client for staff (a key reports for its own client). An
    /// input that could not even be read (a JSON value of the wrong type) comes as its field errors.
    pub async fn report(
        &self,
        reporter: Reporter<'_>,
        client_id: Option<&str>,
        inputs: &[Arrived],
        source: Source,
    ) -> AppResult<BatchOutcome> {
        let (client_id, reach) = match reporter {
            Reporter::Key(key) => {
                key.require(Scope::EventsWrite)?;
                let own = key
                    .reach
                    .client_id
                    .clone()
                    .ok_or_else(|| AppError::Forbidden(crate::msg!("api-key-needs-client")))?;
                if client_id.is_some_and(|c| c != own) {
                    return Err(AppError::Forbidden(crate::msg!("api-key-other-client")));
                }
                (own, key.reach.clone())
            }
            Reporter::Staff(actor) => {
                if !actor.can(Permission::ManageVenues) {
                    return Err(AppError::forbidden());
                }
                let client = client_id
                    .filter(|c| !c.is_empty())
                    .ok_or_else(|| AppError::bad_input("clientId", crate::msg!("text-empty")))?;
                (client.to_string(), Reach::default())
            }
        };
        if inputs.is_empty() || inputs.len() > service_event::MAX_BATCH {
            return Err(AppError::bad_input(
                "events",
                crate::msg!("events-batch-size", max = service_event::MAX_BATCH),
            ));
        }
        let now = self.db.now_ms();
        // What needs no database: each event's own checks, and the phone sealed.
        let mut items: Vec<ItemOutcome> = Vec::with_capacity(inputs.len());
        let mut checked: Vec<(usize, CheckedEvent)> = Vec::new();
        for (index, input) in inputs.iter().enumerate() {
            let external_id = input
                .as_ref()
                .ok()
                .and_then(|i| i.external_id.as_ref())
                .map(|e| e.trim().chars().take(100).collect());
            items.push(ItemOutcome {
                index,
                external_id,
                status: ItemStatus::Refused,
                event_id: None,
                errors: Vec::new(),
            });
            match input.as_ref().map(|i| service_event::check_event(i, now)) {
                Ok(Ok(event)) => checked.push((index, event)),
                Ok(Err(errors)) => items[index].errors = errors,
                Err(errors) => items[index].errors = errors.clone(),
            }
        }

        let mut tx = self.db.begin_write().await?;
        let known_client: Option<String> = sqlx::query_scalar("SELECT id FROM clients WHERE id = $1")
            .bind(&client_id)
            .fetch_optional(&mut *tx)
            .await?;
        if known_client.is_none() {
            return Err(AppError::NotFound("client"));
        }
        let centers = centers(&mut tx, &client_id, checked.iter().map(|(_, e)| e.center.as_str())).await?;
        let catalogue = catalogue(&mut tx).await?;
        let before = kept(&mut tx, &client_id, checked.iter().map(|(_, e)| e.external_id.as_str())).await?;

        // Decide each event against the facts.
        let mut ready: Vec<Ready> = Vec::new();
        // External id → its first event's place in `ready`; repeats with the same content follow that event.
        let mut in_batch: HashMap<String, usize> = HashMap::new();
        let mut repeats: Vec<(usize, usize)> = Vec::new();
        for (index, event) in checked {
            let refuse = |field: &str, message: crate::domain::Msg| ValidationError::new(field, message);
            let center = match centers.get(&event.center) {
                None => Err(refuse("center", crate::msg!("event-center-unknown"))),
                Some(c) if !c.active => Err(refuse("center", crate::msg!("event-center-inactive"))),
                Some(c) if !reach.covers(&client_id, &c.oblast) => {
                    Err(refuse("center", crate::msg!("event-center-outside-key")))
                }
                Some(c) if !catalogue.contains(&(c.venue_type.clone(), event.service.clone())) => {
                    Err(refuse("service", crate::msg!("event-service-unknown")))
                }
                Some(c) => Ok(c),
            };
            let center = match center {
                Ok(c) => c,
                Err(error) => {
                    items[index].errors.push(error);
                    continue;
                }
            };
            let phone_hash = event.phone.as_ref().map(|p| self.vault.hash(p));
            let content = Content {
                venue_id: &center.id,
                service: &event.service,
                completed_at: event.completed_at_ms,
                phone_hash: phone_hash.as_deref(),
            };
            if let Some(before) = before.get(&event.external_id) {
                if before.content() == content {
                    items[index].status = ItemStatus::Duplicate;
                    items[index].event_id = Some(before.id.clone());
                } else {
                    items[index]
                        .errors
                        .push(refuse("externalId", crate::msg!("event-id-reused")));
                }
                continue;
            }
            if let Some(&first) = in_batch.get(&event.external_id) {
                if ready[first].content() == content {
                    repeats.push((index, first));
                } else {
                    items[index]
                        .errors
                        .push(refuse("externalId", crate::msg!("event-id-reused")));
                }
                continue;
            }
            in_batch.insert(event.external_id.clone(), ready.len());
            ready.push(Ready {
                index,
                id: new_id(),
                phone_cipher: event.phone.as_ref().map(|p| self.vault.seal(p)),
                phone_masked: event.phone.as_ref().map(|p| p.masked()),
                phone_hash,
                venue_id: center.id.clone(),
                event,
            });
        }

        // Write the decision once.
        let (key_id, user_id) = match reporter {
            Reporter::Key(key) => (Some(key.key_id.as_str()), None),
            Reporter::Staff(actor) => (None, Some(actor.user_id.as_str())),
        };
        let mut written: HashSet<String> = HashSet::new();
        for chunk in ready.chunks(INSERT_CHUNK) {
            written.extend(insert(&mut tx, &client_id, chunk, source, key_id, user_id, now).await?);
        }
        // Ids another request kept between our read and our write (the same batch sent twice at once).
        let raced: Vec<&Ready> = ready
            .iter()
            .filter(|r| !written.contains(&r.event.external_id))
            .collect();
        let raced_kept = if raced.is_empty() {
            HashMap::new()
        } else {
            kept(&mut tx, &client_id, raced.iter().map(|r| r.event.external_id.as_str())).await?
        };
        for r in &ready {
            let item = &mut items[r.index];
            if written.contains(&r.event.external_id) {
                item.status = ItemStatus::Accepted;
                item.event_id = Some(r.id.clone());
            } else {
                match raced_kept.get(&r.event.external_id) {
                    Some(before) if before.content() == r.content() => {
                        item.status = ItemStatus::Duplicate;
                        item.event_id = Some(before.id.clone());
                    }
                    _ => item
                        .errors
                        .push(ValidationError::new("externalId", crate::msg!("event-id-reused"))),
                }
            }
        }
        // A repeat within the batch shares its first event's fate: kept (a duplicate of it), or refused alike.
        for (index, first) in repeats {
            let first = &items[ready[first].index];
            let (status, event_id, errors) = match first.status {
                ItemStatus::Refused => (ItemStatus::Refused, None, first.errors.clone()),
                _ => (ItemStatus::Duplicate, first.event_id.clone(), Vec::new()),
            };
            let item = &mut items[index];
            (item.status, item.event_id, item.errors) = (status, event_id, errors);
        }
        let outcome = BatchOutcome { items };
        let accepted = outcome.count(ItemStatus::Accepted);
        if accepted > 0 {
            let detail = serde_json::json!({
                "clientId": client_id, "apiKey": key_id, "source": source.as_str(), "accepted": accepted,
                "duplicates": outcome.count(ItemStatus::Duplicate), "refused": outcome.count(ItemStatus::Refused),
            });
            audit(
                &mut tx,
                user_id,
                "service_events.report",
                Some(&client_id),
                Some(&detail.to_string()),
            )
            .await?;
        }
        tx.commit().await?;
        if accepted > 0 {
            if let Some(kept) = &self.kept {
                kept.notify_one();
            }
        }
        Ok(outcome)
    }

    /// The client's time zone (local times in its CSV files are read in it); `NOT_FOUND` for no such client.
    pub async fn client_zone(&self, client_id: &str) -> AppResult<chrono_tz::Tz> {
        let zone: Option<String> = sqlx::query_scalar("SELECT time_zone FROM clients WHERE id = $1")
            .bind(client_id)
            .fetch_optional(self.db.pool())
            .await?;
        let zone = zone.ok_or(AppError::NotFound("client"))?;
        Ok(crate::domain::stored_zone(Some(&zone))?)
    }

    /// A client's events, newest first (one center's, when given): for staff who manage venues.
    pub async fn list(
        &self,
        actor: &Actor,
        client_id: &str,
        venue_id: Option<&str>,
        limit: usize,
        after: Option<String>,
    ) -> AppResult<Page<EventRecord>> {
        if !actor.can(Permission::ManageVenues) {
            return Err(AppError::forbidden());
        }
        self.db
            .page::<EventRecord, EventRecord>(
                Listing {
                    select: "e.id, e.external_id, e.venue_id, v.name AS venue_name, e.service_code, e.completed_at, \
                             e.phone_masked, e.messenger, e.consent, e.source, e.received_at, e.phone_erased_at",
                    from: "service_events e JOIN venues v ON v.id = e.venue_id",
                    filter: "e.client_id = $1 AND ($2 IS NULL OR e.venue_id = $2)",
                    args: vec![Arg::from(client_id), Arg::from(venue_id)],
                },
                Paging::After {
                    column: "e.id",
                    after: Arg::from(after),
                    descending: true,
                },
                limit,
            )
            .await
    }

    /// Erases the phones kept longer than the retention period (their sealed number, mask and hash), a batch at
    /// a time; returns how many.
    pub async fn erase_expired_phones(&self) -> AppResult<u64> {
        let now = self.db.now_ms();
        let mut total = 0;
        loop {
            let done = sqlx::query(
                "UPDATE service_events SET phone_cipher = NULL, phone_hash = NULL, phone_masked = NULL, \
                 phone_erased_at = $1 WHERE id IN (SELECT id FROM service_events WHERE phone_cipher IS NOT NULL \
                 AND received_at < $2 LIMIT 5000)",
            )
            .bind(now)
            .bind(now - self.retention_ms)
            .execute(self.db.pool())
            .await?;
            total += done.rows_affected();
            if done.rows_affected() < 5000 {
                return Ok(total);
            }
        }
    }

    /// The phone of an event (for sending its invitation), opened from its sealed form.
    pub async fn phone_of(&self, event_id: &str) -> AppResult<Option<String>> {
        let sealed: Option<Option<String>> =
            sqlx::query_scalar("SELECT phone_cipher FROM service_events WHERE id = $1")
                .bind(event_id)
                .fetch_optional(self.db.pool())
                .await?;
        match sealed.flatten() {
            Some(s) => Ok(Some(self.vault.open(&s)?)),
            None => Ok(None),
        }
    }
}

/// What makes a repeat of an external id the same event: the same center, service, time and phone.
#[derive(Debug, PartialEq, Eq)]
struct Content<'a> {
    venue_id: &'a str,
    service: &'a str,
    completed_at: i64,
    phone_hash: Option<&'a str>,
}

impl Kept {
    fn content(&self) -> Content<'_> {
        Content {
            venue_id: &self.venue_id,
            service: &self.service_code,
            completed_at: self.completed_at,
            phone_hash: self.phone_hash.as_deref(),
        }
    }
}

impl Ready {
    fn content(&self) -> Content<'_> {
        Content {
            venue_id: &self.venue_id,
            service: &self.event.service,
            completed_at: self.event.completed_at_ms,
            phone_hash: self.phone_hash.as_deref(),
        }
    }
}

/// `$first, $first+1, …` for `n` values.
fn placeholders(first: usize, n: usize) -> String {
    (first..first + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

async fn centers<'a>(
    tx: &mut Tx,
    client_id: &str,
    codes: impl Iterator<Item = &'a str>,
) -> AppResult<HashMap<String, Center>> {
    let codes: Vec<&str> = codes.collect::<HashSet<_>>().into_iter().collect();
    if codes.is_empty() {
        return Ok(HashMap::new());
    }
    let sql = format!(
        "SELECT id, external_code, venue_type, oblast, active FROM venues WHERE client_id = $1 AND external_code IN ({})",
        placeholders(2, codes.len())
    );
    let mut query = sqlx::query(&sql).bind(client_id);
    for code in &codes {
        query = query.bind(*code);
    }
    let mut found = HashMap::new();
    for row in query.fetch_all(&mut **tx).await? {
        found.insert(
            row.try_get::<String, _>("external_code")?,
            Center {
                id: row.try_get("id")?,
                venue_type: row.try_get("venue_type")?,
                oblast: row.try_get("oblast")?,
                active: row.try_get::<i64, _>("active")? == 1,
            },
        );
    }
    Ok(found)
}

/// Every (venue type, service code) of the service catalogue.
pub(crate) async fn catalogue(tx: &mut Tx) -> AppResult<HashSet<(String, String)>> {
    let rows: Vec<(String, String)> = sqlx::query_as("SELECT venue_type, code FROM service_catalogue")
        .fetch_all(&mut **tx)
        .await?;
    Ok(rows.into_iter().collect())
}

async fn kept<'a>(
    tx: &mut Tx,
    client_id: &str,
    external_ids: impl Iterator<Item = &'a str>,
) -> AppResult<HashMap<String, Kept>> {
    let ids: Vec<&str> = external_ids.collect::<HashSet<_>>().into_iter().collect();
    let mut found = HashMap::new();
    for chunk in ids.chunks(500) {
        let sql = format!(
            "SELECT id, external_id, venue_id, service_code, completed_at, phone_hash FROM service_events \
             WHERE client_id = $1 AND external_id IN ({})",
            placeholders(2, chunk.len())
        );
        let mut query = sqlx::query_as::<_, Kept>(&sql).bind(client_id);
        for id in chunk {
            query = query.bind(*id);
        }
        for row in query.fetch_all(&mut **tx).await? {
            found.insert(row.external_id.clone(), row);
        }
    }
    Ok(found)
}

/// Inserts a chunk; returns the external ids written (a row another request wrote first is skipped).
async fn insert(
    tx: &mut Tx,
    client_id: &str,
    chunk: &[Ready],
    source: Source,
    key_id: Option<&str>,
    user_id: Option<&str>,
    now: i64,
) -> AppResult<Vec<String>> {
    const COLUMNS: usize = 15;
    let values: Vec<String> = (0..chunk.len())
        .map(|i| format!("({})", placeholders(i * COLUMNS + 1, COLUMNS)))
        .collect();
    let sql = format!(
        "INSERT INTO service_events (id, client_id, external_id, venue_id, service_code, completed_at, phone_cipher, \
         phone_hash, phone_masked, messenger, consent, source, api_key_id, reported_by, received_at) VALUES {} \
         ON CONFLICT (client_id, external_id) DO NOTHING RETURNING external_id",
        values.join(", ")
    );
    let mut query = sqlx::query_scalar::<_, String>(&sql);
    for r in chunk {
        query = query
            .bind(&r.id)
            .bind(client_id)
            .bind(&r.event.external_id)
            .bind(&r.venue_id)
            .bind(&r.event.service)
            .bind(r.event.completed_at_ms)
            .bind(&r.phone_cipher)
            .bind(&r.phone_hash)
            .bind(&r.phone_masked)
            .bind(r.event.messenger.map(|m| m.as_str()))
            .bind(i64::from(r.event.consent))
            .bind(source.as_str())
            .bind(key_id)
            .bind(user_id)
            .bind(now);
    }
    Ok(query.fetch_all(&mut **tx).await?)
}

/// The columns of a CSV file of events (the header row names them; order is free, extra columns are ignored).
pub const CSV_COLUMNS: [&str; 7] = [
    "external_id",
    "center",
    "service",
    "completed_at",
    "phone",
    "messenger",
    "consent",
];

/// A CSV file of events, as staff upload it for centers without an integration: (row number as a spreadsheet
/// shows it, the event or its field errors). The text is decoded as venue files are (BOM, UTF-8,
/// Windows-1251); commas, semicolons or tabs; `completed_at` in RFC 3339 or as local time (`2026-12-07 10:15`,
/// `07.12.2026 10:15`) in `zone`; `consent` as так/ні, yes/no, 1/0.
pub fn read_csv(bytes: &[u8], zone: chrono_tz::Tz) -> Result<Vec<(usize, Arrived)>, ValidationError> {
    let text = crate::venues::import::decode(bytes, crate::venues::import::TextEncoding::Auto)?;
    let (mut reader, headers) = crate::venues::import::csv_reader(&text)?;
    let headers: Vec<String> = headers.iter().map(|h| h.to_ascii_lowercase()).collect();
    for required in &CSV_COLUMNS[..4] {
        if !headers.iter().any(|h| h == required) {
            return Err(ValidationError::new(
                "file",
                crate::msg!(
                    "import-column-missing",
                    column = *required,
                    columns = headers.join(", ")
                ),
            ));
        }
    }
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let row = i + 2;
        let record = record.map_err(|e| {
            ValidationError::new(
                "file",
                crate::msg!("import-row-unreadable", row = row, detail = e.to_string()),
            )
        })?;
        if rows.len() >= service_event::MAX_BATCH {
            return Err(ValidationError::new(
                "file",
                crate::msg!("events-batch-size", max = service_event::MAX_BATCH),
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
        let mut errors = Vec::new();
        let consent = match cell("consent").map(|c| c.to_lowercase()) {
            None => None,
            Some(c) if ["так", "yes", "true", "1", "y", "т"].contains(&c.as_str()) => Some(true),
            Some(c) if ["ні", "no", "false", "0", "n", "н"].contains(&c.as_str()) => Some(false),
            Some(_) => {
                errors.push(ValidationError::new("consent", crate::msg!("event-consent-words")));
                None
            }
        };
        let input = EventInput {
            external_id: cell("external_id"),
            center: cell("center"),
            service: cell("service"),
            completed_at: cell("completed_at").map(|t| local_time_as_rfc3339(&t, zone).unwrap_or(t)),
            phone: cell("phone"),
            messenger: cell("messenger"),
            consent,
        };
        rows.push((row, if errors.is_empty() { Ok(input) } else { Err(errors) }));
    }
    if rows.is_empty() {
        return Err(ValidationError::new("file", crate::msg!("events-file-empty")));
    }
    Ok(rows)
}

/// A spreadsheet's local date and time (`2026-12-07 10:15[:00]`, `07.12.2026 10:15`) in `zone`, as RFC 3339;
/// `None` when the text is not one of those (RFC 3339 itself is left to the event's check).
fn local_time_as_rfc3339(text: &str, zone: chrono_tz::Tz) -> Option<String> {
    use chrono::{NaiveDateTime, TimeZone as _};
    if chrono::DateTime::parse_from_rfc3339(text).is_ok() {
        return None;
    }
    let naive = [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%d.%m.%Y %H:%M:%S",
        "%d.%m.%Y %H:%M",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
    ]
    .iter()
    .find_map(|f| NaiveDateTime::parse_from_str(text, f).ok())?;
    zone.from_local_datetime(&naive).earliest().map(|t| t.to_rfc3339())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_rows_become_events_with_their_row_numbers() {
        let file = "external_id;center;service;completed_at;phone;messenger;consent\n\
                    A-1;CNAP-1;PASSPORT;2026-12-07 10:15;050 123 45 67;viber;так\n\
                    A-2;CNAP-1;PASSPORT;07.12.2026 11:00;;;\n\
                    A-3;CNAP-1;PASSPORT;2026-12-07T09:00:00Z;;;можливо\n";
        let rows = read_csv(file.as_bytes(), chrono_tz::Europe::Kyiv).unwrap();
        assert_eq!(rows.len(), 3);
        let (row, first) = &rows[0];
        let first = first.as_ref().unwrap();
        assert_eq!(*row, 2);
        assert_eq!(first.completed_at.as_deref(), Some("2026-12-07T10:15:00+02:00"));
        assert_eq!(first.consent, Some(true));
        assert_eq!(
            rows[1].1.as_ref().unwrap().completed_at.as_deref(),
            Some("2026-12-07T11:00:00+02:00")
        );
        assert_eq!(rows[2].0, 4);
        assert_eq!(rows[2].1.as_ref().unwrap_err()[0].field, "consent");
    }

    #[test]
    fn a_file_without_the_needed_columns_is_refused() {
        let err = read_csv(b"id,center\n1,2\n", chrono_tz::Europe::Kyiv).unwrap_err();
        assert_eq!(err.message.code, "import-column-missing");
        assert_eq!(
            read_csv(b"external_id,center,service,completed_at\n", chrono_tz::Europe::Kyiv)
                .unwrap_err()
                .message
                .code,
            "events-file-empty"
        );
    }
}
