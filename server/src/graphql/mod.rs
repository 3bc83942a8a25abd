//! The GraphQL schema: roots merged from one object per capability, the per-request context, the `Require`
//! guard (authorization), Relay-style pagination, and the mapping of [`AppError`] to GraphQL errors.
//!
//! Conventions every capability follows:
//! - lists are Relay connections (`first`/`after`, `pageInfo`, `totalCount`), `first` at most 100;
//! - ids are opaque strings (UUIDv7);
//! - errors carry `extensions.code`: `BAD_USER_INPUT` (with `field`), `UNAUTHENTICATED`, `FORBIDDEN`,
//!   `NOT_FOUND`, `CONFLICT`, `RATE_LIMITED` (with `retryAfterSeconds`) or `INTERNAL` (with `requestId`; the
//!   cause is only logged);
//! - every mutation a phone may retry is idempotent (by nature or through an `idempotencyKey`).

mod accounts;
mod assignment;
mod cati;
mod checklists;
mod feedback;
mod geo;
mod integrations;
mod invitations;
mod limits;
mod memo;
mod observe;
mod pagination;
mod payouts;
mod quality;
mod results;
mod venues;
mod visits;
mod waves;

use async_graphql::{Context, EmptySubscription, Guard, MergedObject, Schema, SchemaBuilder};

pub use accounts::{Shopper, User};
pub use memo::RequestMemo;
pub use pagination::{decode_cursor, encode_cursor, page_size};

use crate::accounts::{Accounts, ClientInfo};
use crate::assignment::Assignment;
use crate::auth::{Actor, Permission};
use crate::checklists::Checklists;
use crate::config::LimitSettings;
use crate::domain::Language;
use crate::error::AppError;
use crate::ledger::Ledger;
use crate::payouts::Payouts;
use crate::results::Results;
use crate::venues::Venues;
use crate::visits::Visits;
use crate::waves::Waves;

/// The query root: one part per capability.
#[derive(MergedObject, Default)]
pub struct Query(
    accounts::AccountQuery,
    venues::VenueQuery,
    checklists::ChecklistQuery,
    waves::WaveQuery,
    assignment::AssignmentQuery,
    visits::VisitQuery,
    payouts::PayoutQuery,
    results::ResultsQuery,
    feedback::FeedbackQuery,
    quality::QualityQuery,
    integrations::IntegrationQuery,
    invitations::InvitationQuery,
    cati::CatiQuery,
);

/// The mutation root: one part per capability.
#[derive(MergedObject, Default)]
pub struct Mutation(
    accounts::AccountMutation,
    venues::VenueMutation,
    checklists::ChecklistMutation,
    waves::WaveMutation,
    assignment::AssignmentMutation,
    assignment::AutoAssignMutation,
    visits::VisitMutation,
    payouts::PayoutMutation,
    feedback::FeedbackMutation,
    integrations::IntegrationMutation,
    invitations::InvitationMutation,
    cati::CatiMutation,
);

pub type AppSchema = Schema<Query, Mutation, EmptySubscription>;

fn builder() -> SchemaBuilder<Query, Mutation, EmptySubscription> {
    Schema::build(Query::default(), Mutation::default(), EmptySubscription)
}

/// The schema with its services and limits.
/// The services resolvers reach through the context.
pub struct Services {
    pub accounts: Accounts,
    pub venues: Venues,
    pub checklists: Checklists,
    pub waves: Waves,
    pub assignment: Assignment,
    pub visits: Visits,
    pub ledger: Ledger,
    pub payouts: Payouts,
    pub results: Results,
    pub feedback: crate::feedback::Feedback,
    pub quality: crate::quality::Quality,
    pub api_keys: crate::apikeys::ApiKeys,
    pub events: crate::events::Events,
    pub invitations: crate::invitations::Invitations,
    pub cati: crate::cati::Cati,
    /// Not a service: where the schema counts requests for `/metrics`.
    pub metrics: crate::metrics::Metrics,
}

pub fn build_schema(services: Services, limits: &LimitSettings) -> AppSchema {
    builder()
        .data(services.accounts)
        .data(services.venues)
        .data(services.checklists)
        .data(services.waves)
        .data(services.assignment)
        .data(services.visits)
        .data(services.ledger)
        .data(services.payouts)
        .data(services.results)
        .data(services.feedback)
        .data(services.quality)
        .data(services.api_keys)
        .data(services.events)
        .data(services.invitations)
        .data(services.cati)
        // Depth, text hygiene, repeated mutations and fan-out: see `limits` (introspection is exempt from depth).
        .extension(limits::RequestLimits::new(limits))
        .extension(observe::Observe::new(services.metrics))
        .limit_complexity(limits.max_query_complexity)
        .finish()
}

/// The SDL, as committed in `schema.graphql`.
pub fn sdl() -> String {
    builder().finish().sdl()
}

/// Who is asking, decided once per request from the `Authorization` header.
#[derive(Debug, Clone)]
pub enum AuthState {
    Anonymous,
    /// A token was sent but is unknown, expired or revoked, or its account is suspended.
    InvalidToken,
    User(Actor),
    /// A service account's API key (`fwk_…`): it may call only what its scopes allow, never a user's fields.
    Key(crate::apikeys::KeyActor),
}

/// Per-request data handed to resolvers.
#[derive(Debug, Clone)]
pub struct RequestCtx {
    pub request_id: String,
    pub client: ClientInfo,
    pub auth: AuthState,
    /// The reader's language (`Accept-Language`): messages are rendered in it.
    pub lang: Language,
}

tokio::task_local! {
    /// The current request's id, so that errors converted with `?` can name it.
    pub static REQUEST_ID: String;
    /// The current request's reader's language, so that errors converted with `?` speak it.
    pub static REQUEST_LANG: Language;
}

/// The current request's reader's language (Ukrainian outside a request).
pub fn reader_language() -> Language {
    REQUEST_LANG.try_with(|l| *l).unwrap_or(Language::Uk)
}

/// A message of the catalogue in the current reader's language.
pub fn words(message: &crate::domain::Msg) -> String {
    crate::i18n::render(reader_language(), message)
}

impl From<AppError> for async_graphql::Error {
    fn from(err: AppError) -> Self {
        let request_id = REQUEST_ID.try_with(Clone::clone).unwrap_or_else(|_| "-".into());
        err.into_graphql(&request_id, reader_language())
    }
}

impl AuthState {
    /// The logged-in user, or `UNAUTHENTICATED` saying why (no token, or a dead one).
    pub fn actor(&self) -> Result<&Actor, AppError> {
        match self {
            AuthState::User(actor) => Ok(actor),
            AuthState::Key(_) => Err(AppError::Forbidden(crate::msg!("api-key-not-a-user"))),
            AuthState::InvalidToken => Err(AppError::Unauthenticated(crate::msg!("session-expired"))),
            AuthState::Anonymous => Err(AppError::Unauthenticated(crate::msg!("login-needed"))),
        }
    }
}

/// The logged-in user, or `UNAUTHENTICATED`.
pub fn actor<'a>(ctx: &'a Context<'_>) -> Result<&'a Actor, AppError> {
    match ctx.data_opt::<RequestCtx>() {
        Some(request) => request.auth.actor(),
        None => AuthState::Anonymous.actor(),
    }
}

pub fn request_ctx<'a>(ctx: &'a Context<'_>) -> Result<&'a RequestCtx, AppError> {
    ctx.data_opt::<RequestCtx>()
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("request context missing")))
}

pub fn accounts<'a>(ctx: &'a Context<'_>) -> &'a Accounts {
    ctx.data_unchecked::<Accounts>()
}

pub fn venues<'a>(ctx: &'a Context<'_>) -> &'a Venues {
    ctx.data_unchecked::<Venues>()
}

pub fn checklists<'a>(ctx: &'a Context<'_>) -> &'a Checklists {
    ctx.data_unchecked::<Checklists>()
}

pub fn waves<'a>(ctx: &'a Context<'_>) -> &'a Waves {
    ctx.data_unchecked::<Waves>()
}

pub fn assignment<'a>(ctx: &'a Context<'_>) -> &'a Assignment {
    ctx.data_unchecked::<Assignment>()
}

/// Guard: the caller must be logged in and their role must have the permission (see `auth::policy`).
pub struct Require(pub Permission);

impl Guard for Require {
    async fn check(&self, ctx: &Context<'_>) -> async_graphql::Result<()> {
        let actor = actor(ctx)?;
        if actor.can(self.0) {
            Ok(())
        } else {
            Err(AppError::forbidden().into())
        }
    }
}
