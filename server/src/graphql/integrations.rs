//! Integrations over GraphQL: the API keys of service accounts (admins), and service events (centers' systems
//! with a key carrying `events:write`, or staff who manage venues; also as a CSV upload). The same events arrive
//! over plain JSON at `POST /api/v1/service-events` (`http::integrations`).

use async_graphql::{Context, Enum, InputObject, Object, SimpleObject, Upload, ID};
use chrono::{DateTime, Utc};

use super::pagination::{decode_cursor, keyset_connection, page_size, List};
use super::{actor, request_ctx, AuthState, Require};
use crate::apikeys::{ApiKeyRecord, ApiKeys, IssuedKey, NewKey};
use crate::auth::Permission;
use crate::db::from_ms;
use crate::domain::service_event::EventInput;
use crate::domain::ValidationError;
use crate::error::AppError;
use crate::events::{BatchOutcome, EventRecord, Events, ItemStatus, Reporter, Source};

fn api_keys<'a>(ctx: &'a Context<'_>) -> &'a ApiKeys {
    ctx.data_unchecked::<ApiKeys>()
}

fn events<'a>(ctx: &'a Context<'_>) -> &'a Events {
    ctx.data_unchecked::<Events>()
}

/// A key's state now.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum ApiKeyStatus {
    Active,
    Expired,
    Revoked,
}

/// A service account's API key (never its secret).
pub struct ApiKeyView(ApiKeyRecord);

#[Object(name = "ApiKey")]
impl ApiKeyView {
    async fn id(&self) -> ID {
        ID(self.0.id.clone())
    }
    /// What the key is for, e.g. "Черга ЦНАП Львова".
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// The secret's first characters (`fwk_Ab3dE9xQ`), to recognise it in a configuration file.
    async fn prefix(&self) -> &str {
        &self.0.prefix
    }
    /// What it may do, e.g. `events:write`.
    async fn scopes(&self) -> async_graphql::Result<Vec<&'static str>> {
        Ok(self.0.scope_list()?)
    }
    /// The one client it acts for (none: every client).
    async fn client_id(&self) -> Option<ID> {
        self.0.client_id.clone().map(ID)
    }
    async fn client_name(&self) -> Option<&str> {
        self.0.client_name.as_deref()
    }
    /// The one oblast of its client it acts for (none: all of them).
    async fn oblast(&self) -> Option<&str> {
        self.0.oblast.as_deref()
    }
    async fn created_at(&self) -> DateTime<Utc> {
        from_ms(self.0.created_at)
    }
    async fn expires_at(&self) -> Option<DateTime<Utc>> {
        self.0.expires_at.map(from_ms)
    }
    /// When it was last used (to the minute).
    async fn last_used_at(&self) -> Option<DateTime<Utc>> {
        self.0.last_used_at.map(from_ms)
    }
    async fn revoked_at(&self) -> Option<DateTime<Utc>> {
        self.0.revoked_at.map(from_ms)
    }
    /// The key this one replaced in a rotation.
    async fn rotated_from(&self) -> Option<ID> {
        self.0.rotated_from.clone().map(ID)
    }
    async fn status(&self, ctx: &Context<'_>) -> ApiKeyStatus {
        let now = api_keys(ctx).now_ms();
        match self.0.status(now) {
            crate::domain::api_key::KeyStatus::Active => ApiKeyStatus::Active,
            crate::domain::api_key::KeyStatus::Expired => ApiKeyStatus::Expired,
            crate::domain::api_key::KeyStatus::Revoked => ApiKeyStatus::Revoked,
        }
    }
}

/// A key just made or rotated, with its secret: shown this once, never again.
#[derive(SimpleObject)]
pub struct IssuedApiKey {
    pub key: ApiKeyView,
    /// Send it as `Authorization: Bearer <secret>`.
    pub secret: String,
}

impl From<IssuedKey> for IssuedApiKey {
    fn from(issued: IssuedKey) -> Self {
        Self {
            key: ApiKeyView(issued.key),
            secret: issued.secret,
        }
    }
}

#[derive(InputObject)]
pub struct CreateApiKeyInput {
    pub name: String,
    /// E.g. `["events:write"]`.
    pub scopes: Vec<String>,
    /// Needed for `events:write`.
    pub client_id: Option<ID>,
    /// Narrows the key to one oblast of its client.
    pub oblast: Option<String>,
    /// 1 to 730 days; none: the key does not expire.
    pub expires_in_days: Option<i64>,
}

/// One completed service, as a center's system reports it.
#[derive(InputObject)]
pub struct ServiceEventInput {
    /// The center's system's own id of the service: a repeat is the same event.
    pub external_id: String,
    /// The center's external code.
    pub center: String,
    /// The service's code in the catalogue of the center's type.
    pub service: String,
    /// RFC 3339 with an offset, e.g. `2026-12-07T10:15:00+02:00`.
    pub completed_at: String,
    /// The citizen's mobile number; kept only with `consent`.
    pub phone: Option<String>,
    /// `VIBER` or `SMS`.
    pub messenger: Option<String>,
    pub consent: Option<bool>,
}

impl From<ServiceEventInput> for EventInput {
    fn from(i: ServiceEventInput) -> Self {
        EventInput {
            external_id: Some(i.external_id),
            center: Some(i.center),
            service: Some(i.service),
            completed_at: Some(i.completed_at),
            phone: i.phone,
            messenger: i.messenger,
            consent: i.consent,
        }
    }
}

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum ServiceEventStatus {
    /// Kept now.
    Accepted,
    /// Reported before with the same content; nothing changed.
    Duplicate,
    /// Not kept: see `errors`.
    Refused,
}

/// Why a field of an event was refused.
#[derive(SimpleObject)]
pub struct EventFieldError {
    pub field: String,
    /// The catalogue's code (e.g. `event-center-unknown`).
    pub code: String,
    /// In the reader's language, with the field's name.
    pub message: String,
}

#[derive(SimpleObject)]
pub struct ServiceEventResult {
    /// The event's place in the list (from 0); for a CSV file, its row (the header is row 1).
    pub index: i32,
    pub external_id: Option<String>,
    pub status: ServiceEventStatus,
    pub event_id: Option<ID>,
    pub errors: Vec<EventFieldError>,
}

/// What became of a batch: one result per event, in order.
#[derive(SimpleObject)]
pub struct ServiceEventBatch {
    pub accepted: i32,
    pub duplicates: i32,
    pub refused: i32,
    pub results: Vec<ServiceEventResult>,
}

impl ServiceEventBatch {
    fn from_outcome(outcome: BatchOutcome, index_of: impl Fn(usize) -> usize) -> Self {
        let lang = super::reader_language();
        Self {
            accepted: outcome.count(ItemStatus::Accepted) as i32,
            duplicates: outcome.count(ItemStatus::Duplicate) as i32,
            refused: outcome.count(ItemStatus::Refused) as i32,
            results: outcome
                .items
                .into_iter()
                .map(|item| ServiceEventResult {
                    index: index_of(item.index) as i32,
                    external_id: item.external_id,
                    status: match item.status {
                        ItemStatus::Accepted => ServiceEventStatus::Accepted,
                        ItemStatus::Duplicate => ServiceEventStatus::Duplicate,
                        ItemStatus::Refused => ServiceEventStatus::Refused,
                    },
                    event_id: item.event_id.map(ID),
                    errors: item
                        .errors
                        .into_iter()
                        .map(|e| EventFieldError {
                            message: crate::i18n::render_field_error(lang, &e.field, &e.message),
                            code: e.message.code.to_string(),
                            field: e.field,
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}

/// A reported service, for staff (the phone masked; erased after the retention period).
pub struct ServiceEventView(EventRecord);

#[Object(name = "ServiceEvent")]
impl ServiceEventView {
    async fn id(&self) -> ID {
        ID(self.0.id.clone())
    }
    async fn external_id(&self) -> &str {
        &self.0.external_id
    }
    async fn center_id(&self) -> ID {
        ID(self.0.venue_id.clone())
    }
    async fn center_name(&self) -> &str {
        &self.0.venue_name
    }
    async fn service(&self) -> &str {
        &self.0.service_code
    }
    async fn completed_at(&self) -> DateTime<Utc> {
        from_ms(self.0.completed_at)
    }
    /// E.g. `+380 50 *** ** 67`; none without consent or after the retention period.
    async fn phone_masked(&self) -> Option<&str> {
        self.0.phone_masked.as_deref()
    }
    async fn messenger(&self) -> Option<&str> {
        self.0.messenger.as_deref()
    }
    async fn consent(&self) -> bool {
        self.0.consent == 1
    }
    /// `API`, `GRAPHQL` or `CSV`.
    async fn source(&self) -> &str {
        &self.0.source
    }
    async fn received_at(&self) -> DateTime<Utc> {
        from_ms(self.0.received_at)
    }
    async fn phone_erased_at(&self) -> Option<DateTime<Utc>> {
        self.0.phone_erased_at.map(from_ms)
    }
}

#[derive(Default)]
pub struct IntegrationQuery;

#[Object]
impl IntegrationQuery {
    /// API keys, newest first; `includeInactive` adds revoked and expired ones. Admins only.
    #[graphql(guard = "Require(Permission::ManageApiKeys)")]
    async fn api_keys(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = false)] include_inactive: bool,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<List<ApiKeyView>> {
        let limit = page_size(first)?;
        let after_id = decode_cursor(after.as_deref())?;
        let given = after_id.is_some();
        let page = api_keys(ctx)
            .list(actor(ctx)?, include_inactive, limit, after_id)
            .await?;
        Ok(keyset_connection(page, given, |k| k.id.clone(), ApiKeyView))
    }

    /// A client's reported services, newest first (one center's with `centerId`).
    #[graphql(guard = "Require(Permission::ManageVenues)")]
    async fn service_events(
        &self,
        ctx: &Context<'_>,
        client_id: ID,
        center_id: Option<ID>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<List<ServiceEventView>> {
        let limit = page_size(first)?;
        let after_id = decode_cursor(after.as_deref())?;
        let given = after_id.is_some();
        let page = events(ctx)
            .list(
                actor(ctx)?,
                &client_id,
                center_id.as_ref().map(|c| c.as_str()),
                limit,
                after_id,
            )
            .await?;
        Ok(keyset_connection(page, given, |e| e.id.clone(), ServiceEventView))
    }
}

#[derive(Default)]
pub struct IntegrationMutation;

#[Object]
impl IntegrationMutation {
    /// Makes an API key for a service account; the answer carries its secret, shown this once.
    #[graphql(guard = "Require(Permission::ManageApiKeys)")]
    async fn create_api_key(&self, ctx: &Context<'_>, input: CreateApiKeyInput) -> async_graphql::Result<IssuedApiKey> {
        let new = NewKey {
            name: input.name,
            scopes: input.scopes,
            client_id: input.client_id.map(|c| c.0),
            oblast: input.oblast,
            expires_in_days: input.expires_in_days,
        };
        Ok(api_keys(ctx).create(actor(ctx)?, new).await?.into())
    }

    /// A new secret for a live key; the old secret keeps working for `graceHours` (0 to 168).
    #[graphql(guard = "Require(Permission::ManageApiKeys)")]
    async fn rotate_api_key(
        &self,
        ctx: &Context<'_>,
        id: ID,
        #[graphql(default = 24)] grace_hours: i64,
    ) -> async_graphql::Result<IssuedApiKey> {
        Ok(api_keys(ctx).rotate(actor(ctx)?, &id, grace_hours).await?.into())
    }

    /// Stops a key at once. Repeating it changes nothing.
    #[graphql(guard = "Require(Permission::ManageApiKeys)")]
    async fn revoke_api_key(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<ApiKeyView> {
        Ok(ApiKeyView(api_keys(ctx).revoke(actor(ctx)?, &id).await?))
    }

    /// Reports completed services (up to 1,000): with an API key carrying `events:write` (its own client), or as
    /// staff who manage venues (naming `clientId`). Idempotent on each event's `externalId`.
    async fn report_service_events(
        &self,
        ctx: &Context<'_>,
        client_id: Option<ID>,
        events: Vec<ServiceEventInput>,
    ) -> async_graphql::Result<ServiceEventBatch> {
        let request = request_ctx(ctx)?;
        let reporter = match &request.auth {
            AuthState::Key(key) => Reporter::Key(key),
            other => Reporter::Staff(other.actor()?),
        };
        let inputs: Vec<crate::events::Arrived> = events.into_iter().map(|e| Ok(EventInput::from(e))).collect();
        let outcome = self::events(ctx)
            .report(
                reporter,
                client_id.as_ref().map(|c| c.as_str()),
                &inputs,
                Source::Graphql,
            )
            .await?;
        Ok(ServiceEventBatch::from_outcome(outcome, |i| i))
    }

    /// Reports completed services from a CSV file (GraphQL multipart request), for centers without an
    /// integration: columns `external_id`, `center`, `service`, `completed_at` (RFC 3339, or local time in the
    /// client's zone), and optionally `phone`, `messenger`, `consent`. Results name rows as a spreadsheet does.
    #[graphql(guard = "Require(Permission::ManageVenues)")]
    async fn import_service_events(
        &self,
        ctx: &Context<'_>,
        client_id: ID,
        file: Upload,
    ) -> async_graphql::Result<ServiceEventBatch> {
        let actor = actor(ctx)?;
        let upload = file
            .value(ctx)
            .map_err(|e| AppError::bad_input("file", crate::msg!("file-unreadable", detail = e.to_string())))?;
        let zone = events(ctx).client_zone(&client_id).await?;
        let rows = tokio::task::spawn_blocking(move || {
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut upload.into_read(), &mut bytes)
                .map_err(|e| ValidationError::new("file", crate::msg!("file-unreadable", detail = e.to_string())))?;
            crate::events::read_csv(&bytes, zone)
        })
        .await
        .map_err(|e| AppError::Internal(e.into()))?
        .map_err(AppError::from)?;
        let row_numbers: Vec<usize> = rows.iter().map(|(row, _)| *row).collect();
        let inputs: Vec<_> = rows.into_iter().map(|(_, input)| input).collect();
        let outcome = events(ctx)
            .report(Reporter::Staff(actor), Some(&client_id), &inputs, Source::Csv)
            .await?;
        Ok(ServiceEventBatch::from_outcome(outcome, |i| row_numbers[i]))
    }
}
