//! GraphQL object types for accounts and shoppers.

use async_graphql::{Context, Object, SimpleObject, ID};
use chrono::{DateTime, Utc};

use super::{accounts, actor};
use crate::accounts::{ShopperRecord, UserRecord};
use crate::auth::Permission;
use crate::db::from_ms;
use crate::domain::{Iban, Language, Role, ShopperSignal, SignalCode, UserStatus};
use crate::error::AppError;

/// An account: a shopper or a member of staff.
pub struct User(pub UserRecord);

#[Object]
impl User {
    async fn id(&self) -> ID {
        ID(self.0.id.clone())
    }

    async fn email(&self) -> &str {
        &self.0.email
    }

    async fn role(&self) -> Role {
        self.0.role
    }

    async fn status(&self) -> UserStatus {
        self.0.status
    }

    /// Why the account was suspended (or reactivated), as the coordinator wrote it.
    async fn status_reason(&self) -> Option<&str> {
        self.0.status_reason.as_deref()
    }

    /// Unverified shoppers can log in but are not offered work.
    async fn email_verified(&self) -> bool {
        self.0.email_verified_at.is_some()
    }

    async fn email_verified_at(&self) -> Option<DateTime<Utc>> {
        self.0.email_verified_at.map(from_ms)
    }

    async fn created_at(&self) -> DateTime<Utc> {
        from_ms(self.0.created_at)
    }

    /// The shopper profile, for shopper accounts.
    async fn shopper(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Shopper>> {
        if self.0.role != Role::Shopper {
            return Ok(None);
        }
        Ok(Some(Shopper(accounts(ctx).shopper(&self.0.id).await?)))
    }
}

/// A point on the map (WGS-84 degrees).
#[derive(SimpleObject, Clone, Copy)]
pub struct GeoPoint {
    pub lat: f64,
    pub lon: f64,
}

/// A position as sent by a client (WGS-84 degrees).
#[derive(async_graphql::InputObject, Clone, Copy)]
pub struct GeoPointInput {
    pub lat: f64,
    pub lon: f64,
}

/// Where a shopper's fees are paid. Visible to the shopper, the payments team and admins only.
#[derive(SimpleObject)]
pub struct PayoutDetails {
    /// Electronic form, e.g. `UA213223130000026007233566001`.
    pub iban: String,
    /// Grouped by four for reading.
    pub iban_display: String,
    pub account_holder: String,
    /// Taxpayer number (РНОКПП).
    pub tax_id: String,
}

/// A mystery shopper: account and profile.
pub struct Shopper(pub ShopperRecord);

/// A sign that this person may hold several accounts (for coordinators; never shown to shoppers).
#[derive(SimpleObject)]
pub struct ShopperSignalView {
    pub code: SignalCode,
    /// One sentence for the coordinator.
    pub message: String,
    /// The other accounts involved.
    pub other_shopper_ids: Vec<ID>,
}

impl From<ShopperSignal> for ShopperSignalView {
    fn from(s: ShopperSignal) -> Self {
        Self {
            code: s.code,
            message: s.message,
            other_shopper_ids: s.other_shopper_ids.into_iter().map(ID).collect(),
        }
    }
}

/// The signals of a shopper, for a reader who may see them (`ReadShoppers`: coordinators and admins).
pub async fn shopper_signals(ctx: &Context<'_>, shopper_id: &str) -> async_graphql::Result<Vec<ShopperSignalView>> {
    if !actor(ctx)?.can(Permission::ReadShoppers) {
        return Err(AppError::Forbidden("account signals are for coordinators".into()).into());
    }
    Ok(accounts(ctx)
        .signals(shopper_id)
        .await?
        .into_iter()
        .map(Into::into)
        .collect())
}

#[Object]
impl Shopper {
    async fn id(&self) -> ID {
        ID(self.0.user.id.clone())
    }

    async fn email(&self) -> &str {
        &self.0.user.email
    }

    async fn status(&self) -> UserStatus {
        self.0.user.status
    }

    async fn status_reason(&self) -> Option<&str> {
        self.0.user.status_reason.as_deref()
    }

    async fn email_verified(&self) -> bool {
        self.0.user.email_verified_at.is_some()
    }

    async fn full_name(&self) -> &str {
        &self.0.full_name
    }

    /// E.164, e.g. `+380501234567`.
    async fn phone(&self) -> &str {
        &self.0.phone
    }

    async fn language(&self) -> Language {
        self.0.language
    }

    async fn home_location(&self) -> GeoPoint {
        GeoPoint {
            lat: self.0.home_lat,
            lon: self.0.home_lon,
        }
    }

    /// How far from home the shopper is willing to travel.
    async fn travel_radius_km(&self) -> f64 {
        self.0.travel_radius_km
    }

    /// Bank account and taxpayer number: the shopper's own, or for `PAYMENTS` and `ADMIN`.
    async fn payout_details(&self, ctx: &Context<'_>) -> async_graphql::Result<PayoutDetails> {
        let actor = actor(ctx)?;
        if !actor.owns_or_can(Some(&self.0.user.id), Permission::ReadPayoutDetails) {
            return Err(AppError::Forbidden(
                "bank details are visible to the shopper and the payments team only".into(),
            )
            .into());
        }
        let display = Iban::parse("iban", &self.0.iban)
            .map(|i| i.display_form())
            .unwrap_or_else(|_| self.0.iban.clone());
        Ok(PayoutDetails {
            iban: self.0.iban.clone(),
            iban_display: display,
            account_holder: self.0.account_holder.clone(),
            tax_id: self.0.tax_id.clone(),
        })
    }

    /// Other accounts sharing this shopper's payout account, phone number or phone (coordinators only).
    async fn signals(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<ShopperSignalView>> {
        shopper_signals(ctx, &self.0.user.id).await
    }

    /// The shopper's visits, newest first: for reviewers (coordinators, admins) and the shopper.
    async fn visits(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<super::pagination::List<super::visits::Visit>> {
        let actor = actor(ctx)?;
        if !actor.owns_or_can(Some(&self.0.user.id), Permission::ReviewVisits) {
            return Err(AppError::forbidden().into());
        }
        let (limit, offset) = (
            super::pagination::page_size(first)?,
            super::pagination::decode_offset(after.as_deref())?,
        );
        let page = ctx
            .data_unchecked::<crate::visits::Visits>()
            .by_shopper(&self.0.user.id, limit, offset)
            .await?;
        Ok(super::pagination::offset_page(page, offset, super::visits::Visit))
    }

    /// How reliably the shopper keeps tasks they take: for coordinators and the shopper.
    async fn reliability(&self, ctx: &Context<'_>) -> async_graphql::Result<super::assignment::ReliabilityView> {
        let actor = actor(ctx)?;
        if !actor.owns_or_can(Some(&self.0.user.id), Permission::ReadShoppers) {
            return Err(AppError::forbidden().into());
        }
        Ok(ctx
            .data_unchecked::<crate::assignment::Assignment>()
            .reliability(&self.0.user.id)
            .await?
            .into())
    }

    /// Declared conflicts of interest (venues, clients, employers).
    async fn conflicts(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<super::assignment::ConflictDeclaration>> {
        let actor = actor(ctx)?;
        if !actor.owns_or_can(Some(&self.0.user.id), Permission::ReadShoppers) {
            return Err(AppError::forbidden().into());
        }
        let list = ctx
            .data_unchecked::<crate::assignment::Assignment>()
            .conflicts(&self.0.user.id)
            .await?;
        Ok(list.into_iter().map(Into::into).collect())
    }

    async fn code_of_conduct_version(&self) -> &str {
        &self.0.code_of_conduct_version
    }

    async fn code_of_conduct_accepted_at(&self) -> DateTime<Utc> {
        from_ms(self.0.code_of_conduct_accepted_at)
    }

    /// Workplaces, relatives' workplaces and other ties the shopper declared (free text for now).
    async fn conflict_declaration(&self) -> &str {
        &self.0.conflict_declaration
    }

    async fn created_at(&self) -> DateTime<Utc> {
        from_ms(self.0.user.created_at)
    }

    async fn updated_at(&self) -> DateTime<Utc> {
        from_ms(self.0.profile_updated_at.max(self.0.user.updated_at))
    }
}
