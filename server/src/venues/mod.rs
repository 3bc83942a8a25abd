//! Clients and venues: who orders the measurement and the places measured. Coordinators and admins change them
//! (every change records who and when); a client's analyst reads only their own client's venues.

mod bulk;
pub mod import;
mod store;
mod zones;

use store::{insert_venue, update_venue};

use sqlx::FromRow;

use crate::audit::audit;
use crate::auth::Actor;
use crate::db::{new_id, violates, Db, Listing, Paging};
use crate::domain::{
    bounding_box, distance_m, normalize_apostrophes, parse_time_zone, BoundedText, Coordinates, FieldErrors,
    GeofenceRadius, OpeningHours, ValidationError, VenueType, Weekday,
};
use crate::error::{AppError, AppResult};
use import::RowError;

/// What kind of organisation a client is.
#[derive(async_graphql::Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(rename_items = "SCREAMING_SNAKE_CASE")]
pub enum ClientKind {
    PublicBody,
    RetailChain,
    RestaurantChain,
    Other,
}

impl ClientKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ClientKind::PublicBody => "PUBLIC_BODY",
            ClientKind::RetailChain => "RETAIL_CHAIN",
            ClientKind::RestaurantChain => "RESTAURANT_CHAIN",
            ClientKind::Other => "OTHER",
        }
    }

    pub const ALL: [ClientKind; 4] = [
        ClientKind::PublicBody,
        ClientKind::RetailChain,
        ClientKind::RestaurantChain,
        ClientKind::Other,
    ];
}

impl TryFrom<String> for ClientKind {
    type Error = crate::domain::UnknownValue;

    /// The stored form back; anything else is an error, never a default.
    fn try_from(text: String) -> Result<Self, Self::Error> {
        ClientKind::ALL
            .into_iter()
            .find(|k| k.as_str() == text)
            .ok_or_else(|| crate::domain::UnknownValue::new("client kind", &text))
    }
}

#[derive(Debug, Clone, FromRow)]
pub struct ClientRecord {
    pub id: String,
    pub name: String,
    #[sqlx(try_from = "String")]
    pub kind: ClientKind,
    /// The default zone of its venues where none can be derived.
    pub time_zone: String,
    /// 1: a moderator approves each citizen's comment before it is shown; 0: masked comments are published at once.
    pub feedback_moderated: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Debug, Clone)]
pub struct VenueRecord {
    pub id: String,
    pub client_id: String,
    pub external_code: String,
    pub name: String,
    pub venue_type: String,
    pub address: String,
    pub oblast: String,
    pub raion: String,
    pub hromada: String,
    pub city: String,
    pub lat: f64,
    pub lon: f64,
    pub geofence_m: i64,
    pub opening_hours: OpeningHours,
    pub active: bool,
    /// The venue's IANA time zone: its opening hours, visiting windows and photo times are read in it.
    pub time_zone: String,
    /// SMALL, MEDIUM or LARGE; `None` when not known (the quality index's strata).
    pub size_class: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl<'r> FromRow<'r, sqlx::any::AnyRow> for VenueRecord {
    /// A venue as stored: opening hours as JSON, the active flag as 0/1, zones filled in at start-up (Kyiv for
    /// a row read before that).
    fn from_row(r: &'r sqlx::any::AnyRow) -> Result<Self, sqlx::Error> {
        use sqlx::Row as _;
        Ok(VenueRecord {
            id: r.try_get("id")?,
            client_id: r.try_get("client_id")?,
            external_code: r.try_get("external_code")?,
            name: r.try_get("name")?,
            venue_type: r.try_get("venue_type")?,
            address: r.try_get("address")?,
            oblast: r.try_get("oblast")?,
            raion: r.try_get("raion")?,
            hromada: r.try_get("hromada")?,
            city: r.try_get("city")?,
            lat: r.try_get("lat")?,
            lon: r.try_get("lon")?,
            geofence_m: r.try_get("geofence_m")?,
            opening_hours: OpeningHours::from_json(&r.try_get::<String, _>("opening_hours")?),
            active: r.try_get::<i64, _>("active")? != 0,
            time_zone: r
                .try_get::<Option<String>, _>("time_zone")?
                .unwrap_or_else(|| "Europe/Kyiv".into()),
            size_class: r.try_get("size_class")?,
            created_at: r.try_get("created_at")?,
            updated_at: r.try_get("updated_at")?,
        })
    }
}

const VENUE_COLUMNS: &str = "id, client_id, external_code, name, venue_type, address, oblast, raion, hromada, city, \
     lat, lon, geofence_m, opening_hours, active, time_zone, size_class, created_at, updated_at";

/// The editable part of a venue, validated.
#[derive(Debug, Clone)]
pub struct VenueFields {
    pub external_code: String,
    pub name: String,
    pub venue_type: VenueType,
    pub address: String,
    pub oblast: String,
    pub raion: String,
    pub hromada: String,
    pub city: String,
    pub location: Coordinates,
    pub geofence: GeofenceRadius,
    pub opening_hours: OpeningHours,
    pub active: bool,
    /// The IANA zone; `None` until derived from the coordinates (`Venues::resolve_zones`).
    pub time_zone: Option<String>,
    /// SMALL, MEDIUM, LARGE, or `None` (not known).
    pub size_class: Option<String>,
}

/// A venue as it arrives (a form, or a row of an import file), before validation.
#[derive(Debug, Clone, Default)]
pub struct RawVenue {
    pub external_code: String,
    pub name: String,
    pub venue_type: String,
    pub address: String,
    pub oblast: String,
    pub raion: String,
    pub hromada: String,
    pub city: String,
    pub lat: f64,
    pub lon: f64,
    pub geofence_m: i64,
    pub opening_hours: OpeningHours,
    pub active: bool,
    /// Set by hand; otherwise derived from the coordinates.
    pub time_zone: Option<String>,
    /// SMALL, MEDIUM, LARGE (any case); empty or `None`: not known.
    pub size_class: Option<String>,
}

/// Changes to a venue as a form sends them: an omitted field stays as it is (a new venue starts from nothing).
#[derive(Debug, Clone, Default)]
pub struct VenueChanges {
    pub external_code: Option<String>,
    pub name: Option<String>,
    pub venue_type: Option<String>,
    pub address: Option<String>,
    pub oblast: Option<String>,
    pub raion: Option<String>,
    pub hromada: Option<String>,
    pub city: Option<String>,
    /// (lat, lon)
    pub location: Option<(f64, f64)>,
    pub geofence_m: Option<i64>,
    /// The whole week, replacing the stored one: (weekday, opens, closes) as typed.
    pub opening_hours: Option<Vec<(Weekday, String, String)>>,
    pub active: Option<bool>,
    /// Set by hand; omitted, the zone stays, or is derived again when the venue moves.
    pub time_zone: Option<String>,
    /// SMALL, MEDIUM or LARGE; an empty text clears it; omitted, it stays.
    pub size_class: Option<String>,
}

impl VenueChanges {
    /// The venue these changes make of `current` (or of nothing, for a new venue), validated: every bad field
    /// is named by its input name (`VenueField::input_name`). A venue keeps its zone unless the changes set one
    /// or move it (then it is derived again from the new place).
    pub fn apply(self, current: Option<&VenueRecord>) -> Result<VenueFields, Vec<ValidationError>> {
        let pick = |new: Option<String>, old: Option<&String>| new.or_else(|| old.cloned()).unwrap_or_default();
        let (lat, lon) = self
            .location
            .or(current.map(|c| (c.lat, c.lon)))
            .unwrap_or((f64::NAN, f64::NAN));
        let hours = match (&self.opening_hours, current) {
            (Some(items), _) => OpeningHours::parse(VenueField::OpeningHours.input_name(), items).map_err(|e| vec![e]),
            (None, Some(c)) => Ok(c.opening_hours.clone()),
            (None, None) => Ok(OpeningHours::default()),
        };
        let raw = RawVenue {
            external_code: pick(self.external_code, current.map(|c| &c.external_code)),
            name: pick(self.name, current.map(|c| &c.name)),
            venue_type: pick(self.venue_type, current.map(|c| &c.venue_type)),
            address: pick(self.address, current.map(|c| &c.address)),
            oblast: pick(self.oblast, current.map(|c| &c.oblast)),
            raion: pick(self.raion, current.map(|c| &c.raion)),
            hromada: pick(self.hromada, current.map(|c| &c.hromada)),
            city: pick(self.city, current.map(|c| &c.city)),
            lat,
            lon,
            geofence_m: self
                .geofence_m
                .or(current.map(|c| c.geofence_m))
                .unwrap_or(GeofenceRadius::DEFAULT.metres()),
            opening_hours: hours.clone().unwrap_or_default(),
            active: self.active.or(current.map(|c| c.active)).unwrap_or(true),
            time_zone: self.time_zone.or_else(|| kept_zone(current, lat, lon)),
            size_class: self.size_class.or_else(|| current.and_then(|c| c.size_class.clone())),
        };
        let parsed = VenueFields::parse(raw, |field| field.input_name().to_string());
        match (parsed, hours) {
            (Ok(fields), Ok(_)) => Ok(fields),
            (Ok(_), Err(e)) => Err(e),
            (Err(errors), Ok(_)) => Err(errors),
            (Err(mut errors), Err(e)) => {
                errors.extend(e);
                Err(errors)
            }
        }
    }
}

/// The one rule for a venue's zone when no zone is given: a venue that stays where it was keeps its zone; one
/// that moved (or is new) has it derived again from its place (`None`: derive).
fn kept_zone(current: Option<&VenueRecord>, lat: f64, lon: f64) -> Option<String> {
    current
        .filter(|c| c.lat == lat && c.lon == lon)
        .map(|c| c.time_zone.clone())
}

/// A venue's fields, for naming them in errors: the GraphQL input's names or an import file's columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VenueField {
    ExternalCode,
    Name,
    Type,
    Address,
    Oblast,
    Raion,
    Hromada,
    City,
    Lat,
    Lon,
    Geofence,
    TimeZone,
    SizeClass,
    OpeningHours,
}

impl VenueField {
    /// The field's name in the GraphQL inputs (`createVenue`, `updateVenue`).
    pub fn input_name(self) -> &'static str {
        match self {
            VenueField::ExternalCode => "externalCode",
            VenueField::Name => "name",
            VenueField::Type => "type",
            VenueField::Address => "address",
            VenueField::Oblast => "oblast",
            VenueField::Raion => "raion",
            VenueField::Hromada => "hromada",
            VenueField::City => "city",
            VenueField::Lat => "location.lat",
            VenueField::Lon => "location.lon",
            VenueField::Geofence => "geofenceM",
            VenueField::TimeZone => "timeZone",
            VenueField::SizeClass => "sizeClass",
            VenueField::OpeningHours => "openingHours",
        }
    }
}

impl VenueFields {
    /// The one validation of a venue, used by the GraphQL resolvers and the import alike: every bad field is
    /// reported, named by `name_of`. Text is trimmed, bounded, and gets its apostrophes folded.
    pub fn parse(raw: RawVenue, name_of: impl Fn(VenueField) -> String) -> Result<Self, Vec<ValidationError>> {
        let mut errors = FieldErrors::default();
        let mut text = |field: VenueField, value: &str, min: usize, max: usize| {
            errors.check(BoundedText::line(&name_of(field), value, min, max).map(|t| normalize_apostrophes(t.as_str())))
        };
        let external_code = text(VenueField::ExternalCode, &raw.external_code, 1, 64);
        let name = text(VenueField::Name, &raw.name, 1, 300);
        let address = text(VenueField::Address, &raw.address, 0, 500);
        let oblast = text(VenueField::Oblast, &raw.oblast, 0, 200);
        let raion = text(VenueField::Raion, &raw.raion, 0, 200);
        let hromada = text(VenueField::Hromada, &raw.hromada, 0, 200);
        let city = text(VenueField::City, &raw.city, 0, 200);
        let venue_type = errors.check(VenueType::parse(&name_of(VenueField::Type), &raw.venue_type));
        let location = errors.check(Coordinates::parse("", raw.lat, raw.lon).map_err(|e| {
            let field = if e.field.ends_with("lat") {
                VenueField::Lat
            } else {
                VenueField::Lon
            };
            ValidationError::new(name_of(field), e.message)
        }));
        let geofence = errors.check(GeofenceRadius::parse(&name_of(VenueField::Geofence), raw.geofence_m));
        let time_zone = match raw.time_zone.as_deref().map(str::trim).filter(|z| !z.is_empty()) {
            Some(name) => errors
                .check(parse_time_zone(&name_of(VenueField::TimeZone), name))
                .map(|tz| Some(tz.name().to_string())),
            None => Some(None),
        };
        let size_class = errors.check(crate::domain::parse_size_class(
            &name_of(VenueField::SizeClass),
            raw.size_class.as_deref().unwrap_or(""),
        ));
        errors.finish()?;
        let lost = || vec![ValidationError::new("venue", crate::msg!("venue-validation-lost"))];
        Ok(VenueFields {
            external_code: external_code.ok_or_else(lost)?,
            name: name.ok_or_else(lost)?,
            venue_type: venue_type.ok_or_else(lost)?,
            address: address.ok_or_else(lost)?,
            oblast: oblast.ok_or_else(lost)?,
            raion: raion.ok_or_else(lost)?,
            hromada: hromada.ok_or_else(lost)?,
            city: city.ok_or_else(lost)?,
            location: location.ok_or_else(lost)?,
            geofence: geofence.ok_or_else(lost)?,
            opening_hours: raw.opening_hours,
            active: raw.active,
            time_zone: time_zone.ok_or_else(lost)?,
            size_class: size_class.ok_or_else(lost)?,
        })
    }

    /// A file's row for a venue that exists: files carry no opening hours or active flag, so those stay; a row
    /// without a zone keeps the stored one unless the venue moved; a row without a size class keeps it.
    pub fn as_import_of(&self, current: &VenueRecord) -> VenueFields {
        VenueFields {
            opening_hours: current.opening_hours.clone(),
            active: current.active,
            time_zone: self
                .time_zone
                .clone()
                .or_else(|| kept_zone(Some(current), self.location.lat(), self.location.lon())),
            size_class: self.size_class.clone().or_else(|| current.size_class.clone()),
            ..self.clone()
        }
    }

    /// The zone as stored (resolved before writing; Europe/Kyiv if it never was).
    fn zone_name(&self) -> &str {
        self.time_zone.as_deref().unwrap_or("Europe/Kyiv")
    }

    fn search_text(&self) -> String {
        search_text(
            &self.external_code,
            &self.name,
            &self.address,
            &self.city,
            &self.hromada,
        )
    }
}

fn search_text(code: &str, name: &str, address: &str, city: &str, hromada: &str) -> String {
    [code, name, address, city, hromada].join(" ").to_lowercase()
}

/// Filters for the venue list.
#[derive(Debug, Clone, Default)]
pub struct VenueFilter {
    pub client_id: Option<String>,
    pub oblast: Option<String>,
    pub raion: Option<String>,
    pub city: Option<String>,
    pub venue_type: Option<String>,
    pub search: Option<String>,
    pub active: Option<bool>,
}

/// What an import did (or, for a dry run, would do).
#[derive(Debug, Clone, Default)]
pub struct ImportReport {
    pub dry_run: bool,
    /// False when there were row errors (nothing is written then) or for a dry run.
    pub applied: bool,
    pub rows_read: usize,
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub errors: Vec<RowError>,
}

/// The service for clients and venues.
#[derive(Clone)]
pub struct Venues {
    db: Db,
}

/// A venue and how far it is from the point asked about.
pub struct NearbyVenue {
    pub venue: VenueRecord,
    pub distance_m: f64,
}

pub use crate::accounts::Page;

impl Venues {
    pub fn new(db: Db) -> Self {
        Self { db }
    }

    // ---- clients ----

    /// A new client; `time_zone` is the default for its venues where none can be derived (Europe/Kyiv if omitted).
    pub async fn create_client(
        &self,
        by: Option<&str>,
        name: &str,
        kind: ClientKind,
        time_zone: Option<&str>,
    ) -> AppResult<ClientRecord> {
        let name = normalize_apostrophes(BoundedText::line("name", name, 2, 200)?.as_str());
        let time_zone = match time_zone {
            Some(zone) => parse_time_zone("timeZone", zone)?.name().to_string(),
            None => "Europe/Kyiv".to_string(),
        };
        let id = new_id();
        let now = self.db.now_ms();
        let mut tx = self.db.begin_write().await?;
        let inserted = sqlx::query(
            "INSERT INTO clients (id, name, kind, created_by, created_at, updated_by, updated_at, time_zone) \
             VALUES ($1, $2, $3, $4, $5, $4, $5, $6)",
        )
        .bind(&id)
        .bind(&name)
        .bind(kind.as_str())
        .bind(by)
        .bind(now)
        .bind(&time_zone)
        .execute(&mut *tx)
        .await;
        if let Err(err) = inserted {
            if violates(&err, "clients_name_key", "clients.name") {
                return Err(AppError::conflict_on("name", crate::msg!("client-name-taken")));
            }
            return Err(err.into());
        }
        audit(&mut tx, by, "client.create", Some(&id), Some(&name)).await?;
        tx.commit().await?;
        self.client(&id).await
    }

    /// Whether a moderator approves each citizen's comment of this client before it is shown publicly (the
    /// default), or masked comments are published at once. Audited.
    pub async fn set_feedback_moderation(&self, by: &str, id: &str, moderated: bool) -> AppResult<ClientRecord> {
        let mut tx = self.db.begin_write().await?;
        let done =
            sqlx::query("UPDATE clients SET feedback_moderated = $1, updated_by = $2, updated_at = $3 WHERE id = $4")
                .bind(i64::from(moderated))
                .bind(by)
                .bind(self.db.now_ms())
                .bind(id)
                .execute(&mut *tx)
                .await?;
        if done.rows_affected() == 0 {
            return Err(AppError::NotFound("client"));
        }
        audit(
            &mut tx,
            Some(by),
            "client.feedback_moderation",
            Some(id),
            Some(if moderated { "moderated" } else { "published at once" }),
        )
        .await?;
        tx.commit().await?;
        self.client(id).await
    }

    /// A client by id, or else by exact name (for the command line).
    pub async fn client_by_id_or_name(&self, key: &str) -> AppResult<ClientRecord> {
        let id: Option<String> = sqlx::query_scalar("SELECT id FROM clients WHERE id = $1 OR name = $1")
            .bind(key.trim())
            .fetch_optional(self.db.pool())
            .await?;
        self.client(&id.ok_or(AppError::NotFound("client"))?).await
    }

    pub async fn client(&self, id: &str) -> AppResult<ClientRecord> {
        let row: Option<ClientRecord> = sqlx::query_as(
            "SELECT id, name, kind, time_zone, feedback_moderated, created_at, updated_at FROM clients WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(self.db.pool())
        .await?;
        row.ok_or_else(|| AppError::NotFound("client"))
    }

    /// A client as seen by the actor (client viewers see only their own).
    pub async fn client_for(&self, actor: &Actor, id: &str) -> AppResult<ClientRecord> {
        if let Some(own) = actor.client_scope()? {
            if own != id {
                return Err(AppError::NotFound("client"));
            }
        }
        self.client(id).await
    }

    pub async fn list_clients(
        &self,
        actor: &Actor,
        after: Option<&str>,
        limit: usize,
    ) -> AppResult<Page<ClientRecord>> {
        let scope = actor.client_scope()?;
        let listing = Listing {
            select: "id, name, kind, time_zone, feedback_moderated, created_at, updated_at",
            from: "clients",
            filter: "$1 IS NULL OR id = $1",
            args: vec![scope.into()],
        };
        let after = Paging::After {
            column: "id",
            after: after.into(),
            descending: false,
        };
        self.db.page::<ClientRecord, _>(listing, after, limit).await
    }

    // ---- venues ----

    pub async fn venue(&self, actor: &Actor, id: &str) -> AppResult<VenueRecord> {
        let venue: VenueRecord = sqlx::query_as(&format!("SELECT {VENUE_COLUMNS} FROM venues WHERE id = $1"))
            .bind(id)
            .fetch_optional(self.db.pool())
            .await?
            .ok_or_else(|| AppError::NotFound("venue"))?;
        match actor.client_scope()? {
            Some(own) if own != venue.client_id => Err(AppError::NotFound("venue")),
            _ => Ok(venue),
        }
    }

    pub async fn create_venue(&self, actor: &Actor, client_id: &str, venue: VenueChanges) -> AppResult<VenueRecord> {
        let mut fields = venue.apply(None).map_err(AppError::from_validation_errors)?;
        self.client(client_id)
            .await
            .map_err(|_| AppError::bad_input("clientId", crate::msg!("no-such-client")))?;
        let id = new_id();
        let mut tx = self.db.begin_write().await?;
        self.resolve_zones(&mut tx, client_id, &mut [&mut fields]).await?;
        let inserted = insert_venue(&mut tx, &id, client_id, &fields, Some(&actor.user_id)).await;
        if let Err(err) = inserted {
            if violates(&err, "venues_client_code_key", "venues.client_id, venues.external_code") {
                return Err(AppError::conflict_on("externalCode", crate::msg!("venue-code-taken")));
            }
            return Err(err.into());
        }
        audit(
            &mut tx,
            Some(&actor.user_id),
            "venue.create",
            Some(&id),
            Some(&fields.external_code),
        )
        .await?;
        tx.commit().await?;
        self.venue(actor, &id).await
    }

    /// Applies changes to a venue: the venue is read, changed and written in one transaction that holds its
    /// row, so two edits at once both land (neither is lost) whatever the timing.
    pub async fn update_venue(&self, actor: &Actor, id: &str, changes: VenueChanges) -> AppResult<VenueRecord> {
        self.venue(actor, id).await?; // another client's venue is not found
        let mut tx = self.db.begin_write().await?;
        sqlx::query("UPDATE venues SET updated_at = updated_at WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let current: VenueRecord = sqlx::query_as(&format!("SELECT {VENUE_COLUMNS} FROM venues WHERE id = $1"))
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
        let mut fields = changes
            .apply(Some(&current))
            .map_err(AppError::from_validation_errors)?;
        self.resolve_zones(&mut tx, &current.client_id, &mut [&mut fields])
            .await?;
        let updated = update_venue(&mut tx, id, &fields, Some(&actor.user_id)).await;
        if let Err(err) = updated {
            if violates(&err, "venues_client_code_key", "venues.client_id, venues.external_code") {
                return Err(AppError::conflict_on("externalCode", crate::msg!("venue-code-taken")));
            }
            return Err(err.into());
        }
        audit(
            &mut tx,
            Some(&actor.user_id),
            "venue.update",
            Some(id),
            Some(&current.external_code),
        )
        .await?;
        tx.commit().await?;
        self.venue(actor, id).await
    }

    /// Venues in creation order, filtered.
    pub async fn list_venues(
        &self,
        actor: &Actor,
        filter: &VenueFilter,
        after: Option<&str>,
        limit: usize,
    ) -> AppResult<Page<VenueRecord>> {
        let client = match actor.client_scope()? {
            Some(own) => Some(own.to_string()),
            None => filter.client_id.clone(),
        };
        let normalized = |t: &Option<String>| t.as_deref().map(normalize_apostrophes);
        let listing = Listing {
            select: VENUE_COLUMNS,
            from: "venues",
            filter: "($1 IS NULL OR client_id = $1) AND ($2 IS NULL OR oblast = $2) AND ($3 IS NULL OR raion = $3) \
                AND ($4 IS NULL OR city = $4) AND ($5 IS NULL OR venue_type = $5) \
                AND ($6 IS NULL OR search_text LIKE $6 ESCAPE '\\') AND ($7 IS NULL OR active = $7)",
            args: vec![
                client.into(),
                normalized(&filter.oblast).into(),
                normalized(&filter.raion).into(),
                normalized(&filter.city).into(),
                filter.venue_type.as_deref().map(|t| t.trim().to_uppercase()).into(),
                crate::db::search_pattern(normalized(&filter.search).as_deref())?.into(),
                filter.active.map(i64::from).into(),
            ],
        };
        let after = Paging::After {
            column: "id",
            after: after.into(),
            descending: false,
        };
        self.db.page::<VenueRecord, _>(listing, after, limit).await
    }

    /// Active venues within `radius_m` of a point, nearest first. An indexed bounding-box scan finds the
    /// candidates; exact great-circle distances filter and sort them.
    pub async fn venues_near(
        &self,
        actor: &Actor,
        center: Coordinates,
        radius_m: f64,
        client_id: Option<&str>,
        venue_type: Option<&str>,
    ) -> AppResult<Vec<NearbyVenue>> {
        let client = match actor.client_scope()? {
            Some(own) => Some(own.to_string()),
            None => client_id.map(str::to_string),
        };
        let (lat_min, lat_max, lon_min, lon_max) = bounding_box(center.lat(), center.lon(), radius_m);
        let rows: Vec<VenueRecord> = sqlx::query_as(&format!(
            "SELECT {VENUE_COLUMNS} FROM venues WHERE lat BETWEEN $1 AND $2 AND lon BETWEEN $3 AND $4 \
             AND active = $5 AND ($6 IS NULL OR client_id = $6) AND ($7 IS NULL OR venue_type = $7)"
        ))
        .bind(lat_min)
        .bind(lat_max)
        .bind(lon_min)
        .bind(lon_max)
        .bind(1_i64)
        .bind(client.as_deref())
        .bind(venue_type.map(|t| t.trim().to_uppercase()))
        .fetch_all(self.db.pool())
        .await?;
        let mut found: Vec<NearbyVenue> = rows
            .into_iter()
            .map(|venue| {
                let distance_m = distance_m(center.lat(), center.lon(), venue.lat, venue.lon);
                NearbyVenue { venue, distance_m }
            })
            .filter(|n| n.distance_m <= radius_m)
            .collect();
        found.sort_by(|a, b| {
            a.distance_m
                .total_cmp(&b.distance_m)
                .then_with(|| a.venue.id.cmp(&b.venue.id))
        });
        Ok(found)
    }
}
