//! Queries and mutations for clients and venues, including the file import.

use async_graphql::{Context, InputObject, Object, SimpleObject, Upload, ID};
use chrono::{DateTime, Utc};

use super::geo::{GeoPoint, GeoPointInput};
use super::pagination::{decode_cursor, keyset_connection, offset_connection, page_size, List};
use super::{actor, venues, Require};
use crate::auth::Permission;
use crate::db::from_ms;
use crate::domain::{format_hhmm, Coordinates, GeofenceRadius, OpeningHours, ValidationError, VenueType, Weekday};
use crate::error::AppError;
use crate::venues::import::{self, ColumnMapping, ImportDefaults, ImportFormat, TextEncoding};
use crate::venues::{ClientKind, ClientRecord, ImportReport, VenueChanges, VenueFilter, VenueRecord};

/// An organisation whose venues are measured.
pub struct Client(pub ClientRecord);

#[Object]
impl Client {
    async fn id(&self) -> ID {
        ID(self.0.id.clone())
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn kind(&self) -> ClientKind {
        self.0.kind
    }
    /// The default time zone of its venues where none can be derived from their coordinates.
    async fn time_zone(&self) -> &str {
        &self.0.time_zone
    }
    /// True (the default): a moderator approves each citizen's comment before its masked text is shown
    /// publicly. False: masked comments of responses that are not suspicious are published at once.
    async fn feedback_moderated(&self) -> bool {
        self.0.feedback_moderated != 0
    }
    async fn created_at(&self) -> DateTime<Utc> {
        from_ms(self.0.created_at)
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        from_ms(self.0.updated_at)
    }
}

/// One opening interval (local time, Europe/Kyiv). Several on one day model a break.
#[derive(SimpleObject)]
pub struct OpeningHoursEntry {
    pub weekday: Weekday,
    /// `HH:MM`
    pub opens: String,
    /// `HH:MM` (`24:00` for midnight)
    pub closes: String,
}

impl OpeningHoursEntry {
    /// The intervals of opening hours (or a wave's visiting windows), as the API shows them.
    pub fn list(hours: &OpeningHours) -> Vec<OpeningHoursEntry> {
        hours
            .intervals()
            .iter()
            .map(|i| OpeningHoursEntry {
                weekday: i.weekday,
                opens: format_hhmm(i.opens),
                closes: format_hhmm(i.closes),
            })
            .collect()
    }
}

/// A place evaluated: a ЦНАП center or office, a restaurant, a shop.
pub struct Venue(pub VenueRecord);

#[Object]
impl Venue {
    async fn id(&self) -> ID {
        ID(self.0.id.clone())
    }
    async fn client(&self, ctx: &Context<'_>) -> async_graphql::Result<Client> {
        Ok(Client(venues(ctx).client(&self.0.client_id).await?))
    }
    /// The client's own code for the venue (unique per client).
    async fn external_code(&self) -> &str {
        &self.0.external_code
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// A type code such as CNAP, CNAP_BRANCH, RESTAURANT, SUPERMARKET, SHOP.
    #[graphql(name = "type")]
    async fn venue_type(&self) -> &str {
        &self.0.venue_type
    }
    async fn address(&self) -> &str {
        &self.0.address
    }
    async fn oblast(&self) -> &str {
        &self.0.oblast
    }
    async fn raion(&self) -> &str {
        &self.0.raion
    }
    async fn hromada(&self) -> &str {
        &self.0.hromada
    }
    async fn city(&self) -> &str {
        &self.0.city
    }
    async fn location(&self) -> GeoPoint {
        GeoPoint {
            lat: self.0.lat,
            lon: self.0.lon,
        }
    }
    /// Check-ins count as on site within this many metres.
    async fn geofence_m(&self) -> i64 {
        self.0.geofence_m
    }

    /// The IANA time zone its opening hours, visiting windows and photo times are read in.
    async fn time_zone(&self) -> &str {
        &self.0.time_zone
    }
    /// SMALL, MEDIUM or LARGE (with the oblast, the center's stratum in the quality index); null: not known.
    async fn size_class(&self) -> Option<&str> {
        self.0.size_class.as_deref()
    }
    async fn opening_hours(&self) -> Vec<OpeningHoursEntry> {
        OpeningHoursEntry::list(&self.0.opening_hours)
    }
    async fn active(&self) -> bool {
        self.0.active
    }
    async fn created_at(&self) -> DateTime<Utc> {
        from_ms(self.0.created_at)
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        from_ms(self.0.updated_at)
    }
}

/// A venue with its distance from the point asked about.
#[derive(SimpleObject)]
pub struct NearbyVenue {
    pub venue: Venue,
    /// Great-circle distance in metres.
    pub distance_m: f64,
}

/// One problem in an imported file.
#[derive(SimpleObject)]
pub struct VenueImportError {
    /// Row number as a spreadsheet shows it (the header is row 1); for GeoJSON, the feature number from 1.
    pub row: i32,
    pub column: Option<String>,
    pub message: String,
}

/// What an import did, or (dry run) would do.
#[derive(SimpleObject)]
pub struct VenueImportReport {
    pub dry_run: bool,
    /// True when the venues were written (never for a dry run or when any row has an error).
    pub applied: bool,
    pub rows_read: i32,
    pub created: i32,
    pub updated: i32,
    pub unchanged: i32,
    pub errors: Vec<VenueImportError>,
}

impl From<ImportReport> for VenueImportReport {
    fn from(r: ImportReport) -> Self {
        VenueImportReport {
            dry_run: r.dry_run,
            applied: r.applied,
            rows_read: r.rows_read as i32,
            created: r.created as i32,
            updated: r.updated as i32,
            unchanged: r.unchanged as i32,
            errors: r
                .errors
                .into_iter()
                .map(|e| VenueImportError {
                    row: e.row as i32,
                    column: e.column,
                    message: super::words(&e.message),
                })
                .collect(),
        }
    }
}

#[derive(InputObject)]
pub struct OpeningHoursInput {
    pub weekday: Weekday,
    pub opens: String,
    pub closes: String,
}

/// A new venue.
#[derive(InputObject)]
pub struct VenueInput {
    pub client_id: ID,
    pub external_code: String,
    pub name: String,
    #[graphql(name = "type")]
    pub venue_type: String,
    #[graphql(default)]
    pub address: String,
    #[graphql(default)]
    pub oblast: String,
    #[graphql(default)]
    pub raion: String,
    #[graphql(default)]
    pub hromada: String,
    #[graphql(default)]
    pub city: String,
    pub location: GeoPointInput,
    /// 10 to 2000 metres.
    #[graphql(default = 150)]
    pub geofence_m: i64,
    #[graphql(default)]
    pub opening_hours: Vec<OpeningHoursInput>,
    #[graphql(default = true)]
    pub active: bool,
    /// The venue's IANA time zone (e.g. `Europe/Dublin`); omitted, it is derived from the location.
    pub time_zone: Option<String>,
    /// SMALL, MEDIUM or LARGE; omitted: not known.
    pub size_class: Option<String>,
}

/// Changes to a venue; omitted fields stay as they are. `openingHours`, when given, replaces the week.
#[derive(InputObject, Default)]
pub struct VenueUpdateInput {
    pub external_code: Option<String>,
    pub name: Option<String>,
    #[graphql(name = "type")]
    pub venue_type: Option<String>,
    pub address: Option<String>,
    pub oblast: Option<String>,
    pub raion: Option<String>,
    pub hromada: Option<String>,
    pub city: Option<String>,
    pub location: Option<GeoPointInput>,
    pub geofence_m: Option<i64>,
    pub opening_hours: Option<Vec<OpeningHoursInput>>,
    pub active: Option<bool>,
    /// Sets the zone by hand; omitted, it stays, or is derived again when the location changes.
    pub time_zone: Option<String>,
    /// SMALL, MEDIUM or LARGE; an empty text clears it; omitted, it stays.
    pub size_class: Option<String>,
}

impl From<VenueUpdateInput> for VenueChanges {
    fn from(i: VenueUpdateInput) -> Self {
        VenueChanges {
            external_code: i.external_code,
            name: i.name,
            venue_type: i.venue_type,
            address: i.address,
            oblast: i.oblast,
            raion: i.raion,
            hromada: i.hromada,
            city: i.city,
            location: i.location.map(|p| (p.lat, p.lon)),
            geofence_m: i.geofence_m,
            opening_hours: i
                .opening_hours
                .map(|items| items.into_iter().map(|h| (h.weekday, h.opens, h.closes)).collect()),
            active: i.active,
            time_zone: i.time_zone,
            size_class: i.size_class,
        }
    }
}

impl From<VenueInput> for VenueChanges {
    fn from(i: VenueInput) -> Self {
        VenueChanges {
            external_code: Some(i.external_code),
            name: Some(i.name),
            venue_type: Some(i.venue_type),
            address: Some(i.address),
            oblast: Some(i.oblast),
            raion: Some(i.raion),
            hromada: Some(i.hromada),
            city: Some(i.city),
            location: Some((i.location.lat, i.location.lon)),
            geofence_m: Some(i.geofence_m),
            opening_hours: Some(
                i.opening_hours
                    .into_iter()
                    .map(|h| (h.weekday, h.opens, h.closes))
                    .collect(),
            ),
            active: Some(i.active),
            time_zone: i.time_zone,
            size_class: i.size_class,
        }
    }
}

pub type VenueConnection = List<Venue>;
pub type ClientConnection = List<Client>;
pub type NearbyVenueConnection = List<NearbyVenue>;

#[derive(Default)]
pub struct VenueQuery;

#[Object]
impl VenueQuery {
    /// Clients (client viewers see their own).
    #[graphql(
        guard = "Require(Permission::ReadVenues)",
        complexity = "first.unwrap_or(20).clamp(0, 100) as usize * child_complexity + 10"
    )]
    async fn clients(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<ClientConnection> {
        let limit = page_size(first)?;
        let after = decode_cursor(after.as_deref())?;
        let page = venues(ctx).list_clients(actor(ctx)?, after.as_deref(), limit).await?;
        Ok(keyset_connection(page, after.is_some(), |c| c.id.clone(), Client))
    }

    #[graphql(guard = "Require(Permission::ReadVenues)")]
    async fn client(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Client> {
        Ok(Client(venues(ctx).client_for(actor(ctx)?, &id).await?))
    }

    /// Venues filtered by client, region, type, a search text (code, name, address, city, hromada) and state.
    #[allow(clippy::too_many_arguments)]
    #[graphql(
        guard = "Require(Permission::ReadVenues)",
        complexity = "first.unwrap_or(20).clamp(0, 100) as usize * child_complexity + 10"
    )]
    async fn venues(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        client_id: Option<ID>,
        oblast: Option<String>,
        raion: Option<String>,
        city: Option<String>,
        #[graphql(name = "type")] venue_type: Option<String>,
        search: Option<String>,
        active: Option<bool>,
    ) -> async_graphql::Result<VenueConnection> {
        let limit = page_size(first)?;
        let after = decode_cursor(after.as_deref())?;
        let filter = VenueFilter {
            client_id: client_id.map(|id| id.0),
            oblast,
            raion,
            city,
            venue_type,
            search,
            active,
        };
        let page = venues(ctx)
            .list_venues(actor(ctx)?, &filter, after.as_deref(), limit)
            .await?;
        Ok(keyset_connection(page, after.is_some(), |v| v.id.clone(), Venue))
    }

    #[graphql(guard = "Require(Permission::ReadVenues)")]
    async fn venue(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Venue> {
        Ok(Venue(venues(ctx).venue(actor(ctx)?, &id).await?))
    }

    /// Active venues within `radiusKm` (at most 500) of a point, nearest first. Its cost grows with the radius
    /// (every venue inside is measured for `totalCount`): 10 points plus one per 10 km.
    #[allow(clippy::too_many_arguments)]
    #[graphql(
        guard = "Require(Permission::ReadVenues)",
        complexity = "first.unwrap_or(20).clamp(0, 100) as usize * child_complexity + 10 + (radius_km.clamp(0.0, 500.0) / 10.0) as usize"
    )]
    async fn venues_near(
        &self,
        ctx: &Context<'_>,
        near: GeoPointInput,
        radius_km: f64,
        first: Option<i32>,
        after: Option<String>,
        client_id: Option<ID>,
        #[graphql(name = "type")] venue_type: Option<String>,
    ) -> async_graphql::Result<NearbyVenueConnection> {
        let center = Coordinates::parse("near", near.lat, near.lon).map_err(AppError::from)?;
        if !radius_km.is_finite() || radius_km <= 0.0 || radius_km > 500.0 {
            return Err(AppError::bad_input("radiusKm", crate::msg!("radius-range")).into());
        }
        let found = venues(ctx)
            .venues_near(
                actor(ctx)?,
                center,
                radius_km * 1000.0,
                client_id.as_ref().map(|id| id.as_str()),
                venue_type.as_deref(),
            )
            .await?;
        Ok(offset_connection(found, first, after.as_deref(), |n| NearbyVenue {
            venue: Venue(n.venue),
            distance_m: n.distance_m,
        })?)
    }
}

#[derive(Default)]
pub struct VenueMutation;

#[Object]
impl VenueMutation {
    #[graphql(guard = "Require(Permission::ManageVenues)")]
    /// A new client. `timeZone` (IANA, default Europe/Kyiv) is used for its venues whose zone cannot be derived
    /// from their coordinates.
    async fn create_client(
        &self,
        ctx: &Context<'_>,
        name: String,
        kind: ClientKind,
        time_zone: Option<String>,
    ) -> async_graphql::Result<Client> {
        Ok(Client(
            venues(ctx)
                .create_client(Some(&actor(ctx)?.user_id), &name, kind, time_zone.as_deref())
                .await?,
        ))
    }

    /// Whether citizens' comments wait for a moderator (`moderated: true`, the default) or are published at once
    /// once masked (only those of responses that are not suspicious).
    #[graphql(guard = "Require(Permission::ManageVenues)")]
    async fn set_client_feedback_moderation(
        &self,
        ctx: &Context<'_>,
        client_id: ID,
        moderated: bool,
    ) -> async_graphql::Result<Client> {
        Ok(Client(
            venues(ctx)
                .set_feedback_moderation(&actor(ctx)?.user_id, &client_id, moderated)
                .await?,
        ))
    }

    #[graphql(guard = "Require(Permission::ManageVenues)")]
    async fn create_venue(&self, ctx: &Context<'_>, input: VenueInput) -> async_graphql::Result<Venue> {
        let client_id = input.client_id.0.clone();
        Ok(Venue(
            venues(ctx).create_venue(actor(ctx)?, &client_id, input.into()).await?,
        ))
    }

    #[graphql(guard = "Require(Permission::ManageVenues)")]
    async fn update_venue(&self, ctx: &Context<'_>, id: ID, input: VenueUpdateInput) -> async_graphql::Result<Venue> {
        Ok(Venue(venues(ctx).update_venue(actor(ctx)?, &id, input.into()).await?))
    }

    /// Imports venues from a CSV or GeoJSON upload (GraphQL multipart request). Re-importing updates venues by
    /// external code and creates no duplicates; the whole file is one transaction, and any row error writes
    /// nothing. `dryRun` reports what would happen.
    #[allow(clippy::too_many_arguments)]
    #[graphql(guard = "Require(Permission::ManageVenues)")]
    async fn import_venues(
        &self,
        ctx: &Context<'_>,
        client_id: ID,
        file: Upload,
        format: Option<ImportFormat>,
        #[graphql(default)] encoding: TextEncoding,
        mapping: Option<ColumnMapping>,
        default_type: Option<String>,
        #[graphql(default = 150)] default_geofence_m: i64,
        #[graphql(default)] dry_run: bool,
    ) -> async_graphql::Result<VenueImportReport> {
        let actor = actor(ctx)?;
        let upload = file
            .value(ctx)
            .map_err(|e| AppError::bad_input("file", crate::msg!("file-unreadable", detail = e.to_string())))?;
        let format = match format.or_else(|| ImportFormat::from_file_name(&upload.filename)) {
            Some(format) => format,
            None => return Err(AppError::bad_input("format", crate::msg!("import-format-needed")).into()),
        };
        let defaults = ImportDefaults {
            venue_type: default_type
                .as_deref()
                .map(|t| VenueType::parse("defaultType", t))
                .transpose()
                .map_err(AppError::from)?,
            geofence: GeofenceRadius::parse("defaultGeofenceM", default_geofence_m).map_err(AppError::from)?,
        };
        let mapping = mapping.unwrap_or_default();
        let parsed = tokio::task::spawn_blocking(move || {
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut upload.into_read(), &mut bytes)
                .map_err(|e| ValidationError::new("file", crate::msg!("file-unreadable", detail = e.to_string())))?;
            import::parse(&bytes, format, encoding, &mapping, &defaults)
        })
        .await
        .map_err(|e| AppError::Internal(e.into()))?
        .map_err(AppError::from)?;
        let report = venues(ctx)
            .import(Some(&actor.user_id), &client_id, parsed, dry_run, &|_| {})
            .await?;
        Ok(report.into())
    }
}
