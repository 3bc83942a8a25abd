//! Accounts in GraphQL: the `User` and `Shopper` objects (and what a coordinator sees of a shopper), and the
//! queries and mutations for sign-up, verification, login, profile, shoppers and staff.

use async_graphql::{Context, InputObject, Object, SimpleObject, ID};
use chrono::{DateTime, Utc};

use super::geo::{GeoPoint, GeoPointInput};
use super::pagination::{decode_cursor, keyset_connection, page_size, List};
use super::{accounts, actor, request_ctx, Require};
use crate::accounts::{ProfileChanges, ShopperRecord, SignUp, UserRecord};
use crate::auth::Permission;
use crate::db::from_ms;
use crate::domain::{Iban, Language, Role, ShopperSignal, SignalCode, UserStatus};
use crate::error::AppError;

pub type ShopperConnection = List<Shopper>;
pub type UserConnection = List<User>;

#[derive(Default)]
pub struct AccountQuery;

#[Object]
impl AccountQuery {
    /// The logged-in user.
    #[graphql(guard = "Require(Permission::OwnAccount)")]
    async fn me(&self, ctx: &Context<'_>) -> async_graphql::Result<User> {
        Ok(User(accounts(ctx).user(&actor(ctx)?.user_id).await?))
    }

    /// One shopper (coordinators, payments, admins).
    #[graphql(guard = "Require(Permission::ReadShoppers)")]
    async fn shopper(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Shopper> {
        Ok(Shopper(accounts(ctx).shopper(&id).await?))
    }

    /// Shoppers in sign-up order; `search` matches email, name or phone.
    #[graphql(
        guard = "Require(Permission::ReadShoppers)",
        complexity = "first.unwrap_or(20).clamp(0, 100) as usize * child_complexity + 10"
    )]
    async fn shoppers(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        search: Option<String>,
        status: Option<UserStatus>,
        email_verified: Option<bool>,
    ) -> async_graphql::Result<ShopperConnection> {
        let limit = page_size(first)?;
        let after = decode_cursor(after.as_deref())?;
        let page = accounts(ctx)
            .list_shoppers(after.as_deref(), limit, search.as_deref(), status, email_verified)
            .await?;
        Ok(keyset_connection(page, after.is_some(), |s| s.user.id.clone(), Shopper))
    }

    /// Every account (admins); `search` matches email, name or phone.
    #[graphql(
        guard = "Require(Permission::ManageUsers)",
        complexity = "first.unwrap_or(20).clamp(0, 100) as usize * child_complexity + 10"
    )]
    async fn users(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        search: Option<String>,
        role: Option<Role>,
    ) -> async_graphql::Result<UserConnection> {
        let limit = page_size(first)?;
        let after = decode_cursor(after.as_deref())?;
        let page = accounts(ctx)
            .list_users(after.as_deref(), limit, search.as_deref(), role)
            .await?;
        Ok(keyset_connection(page, after.is_some(), |u| u.id.clone(), User))
    }
}

/// Everything a shopper gives to sign up.
#[derive(InputObject)]
pub struct SignUpInput {
    pub email: String,
    /// 10 to 128 characters.
    pub password: String,
    pub full_name: String,
    /// International format, e.g. `+380501234567`.
    pub phone: String,
    #[graphql(default_with = "Language::Uk")]
    pub language: Language,
    pub home_location: GeoPointInput,
    pub travel_radius_km: f64,
    /// Where fees are paid: an IBAN (Ukrainian: 29 characters).
    pub iban: String,
    pub account_holder: String,
    /// Taxpayer number (РНОКПП), 10 digits.
    pub tax_id: String,
    /// Must be true.
    pub accept_code_of_conduct: bool,
    /// Workplaces, relatives' workplaces, other ties to venues or clients.
    pub conflict_declaration: Option<String>,
    /// Client-generated; a retried sign-up with the same key returns the first result.
    pub idempotency_key: Option<String>,
}

/// What a shopper may change in their profile; omitted fields stay as they are.
#[derive(InputObject, Default)]
pub struct UpdateProfileInput {
    pub full_name: Option<String>,
    pub phone: Option<String>,
    pub language: Option<Language>,
    pub home_location: Option<GeoPointInput>,
    pub travel_radius_km: Option<f64>,
    pub iban: Option<String>,
    pub account_holder: Option<String>,
    pub conflict_declaration: Option<String>,
}

#[derive(SimpleObject)]
pub struct SignUpPayload {
    pub user: User,
}

#[derive(SimpleObject)]
pub struct VerifyEmailPayload {
    pub email: String,
    /// True when the link had already been used (nothing changed).
    pub already_verified: bool,
}

#[derive(SimpleObject)]
pub struct LoginPayload {
    /// Send as `Authorization: Bearer <token>`.
    pub token: String,
    pub expires_at: DateTime<Utc>,
    pub user: User,
}

#[derive(Default)]
pub struct AccountMutation;

#[Object]
impl AccountMutation {
    /// Registers a shopper and emails a verification link.
    async fn sign_up(&self, ctx: &Context<'_>, input: SignUpInput) -> async_graphql::Result<SignUpPayload> {
        let client = &request_ctx(ctx)?.client;
        let shopper = accounts(ctx)
            .sign_up_from(
                SignUp {
                    email: input.email,
                    password: input.password,
                    full_name: input.full_name,
                    phone: input.phone,
                    language: input.language,
                    home_lat: input.home_location.lat,
                    home_lon: input.home_location.lon,
                    travel_radius_km: input.travel_radius_km,
                    iban: input.iban,
                    account_holder: input.account_holder,
                    tax_id: input.tax_id,
                    accept_code_of_conduct: input.accept_code_of_conduct,
                    conflict_declaration: input.conflict_declaration,
                    idempotency_key: input.idempotency_key,
                },
                client,
            )
            .await?;
        Ok(SignUpPayload {
            user: User(shopper.user),
        })
    }

    /// Confirms an email address with the token from the emailed link. Safe to repeat.
    async fn verify_email(&self, ctx: &Context<'_>, token: String) -> async_graphql::Result<VerifyEmailPayload> {
        use crate::accounts::Verified;
        Ok(match accounts(ctx).verify_email(&token).await? {
            Verified::Now { email } => VerifyEmailPayload {
                email,
                already_verified: false,
            },
            Verified::Already { email } => VerifyEmailPayload {
                email,
                already_verified: true,
            },
        })
    }

    /// Sends a new verification link (at most one a minute).
    #[graphql(guard = "Require(Permission::OwnAccount)")]
    async fn resend_verification_email(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
        accounts(ctx).resend_verification(actor(ctx)?).await?;
        Ok(true)
    }

    /// Exchanges email and password for a bearer token.
    async fn login(&self, ctx: &Context<'_>, email: String, password: String) -> async_graphql::Result<LoginPayload> {
        let client = &request_ctx(ctx)?.client;
        let accounts = accounts(ctx);
        let result = accounts.login(&email, &password, client).await?;
        if let Some(device) = &result.device_cookie {
            // The browser is known from now on for this account (docs in `accounts::sessions`).
            let secure = accounts.settings.public_url().starts_with("https://");
            ctx.append_http_header(
                "set-cookie",
                format!(
                    "{}={device}; Path=/graphql; Max-Age=31536000; HttpOnly; SameSite=Strict{}",
                    crate::accounts::LOGIN_DEVICE_COOKIE,
                    if secure { "; Secure" } else { "" }
                ),
            );
        }
        Ok(LoginPayload {
            token: result.token,
            expires_at: from_ms(result.expires_at),
            user: User(result.user),
        })
    }

    /// Revokes the token used for this request.
    #[graphql(guard = "Require(Permission::OwnAccount)")]
    async fn logout(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
        accounts(ctx).logout(actor(ctx)?).await?;
        Ok(true)
    }

    /// Revokes every token of the logged-in user; returns how many were live.
    #[graphql(guard = "Require(Permission::OwnAccount)")]
    async fn logout_everywhere(&self, ctx: &Context<'_>) -> async_graphql::Result<i32> {
        Ok(accounts(ctx).logout_everywhere(actor(ctx)?).await? as i32)
    }

    /// Emails a password reset link if the address has an account. Always returns true.
    async fn request_password_reset(&self, ctx: &Context<'_>, email: String) -> async_graphql::Result<bool> {
        accounts(ctx).request_password_reset(&email).await?;
        Ok(true)
    }

    /// Sets a new password with the token from a reset link; logs out every session.
    async fn reset_password(
        &self,
        ctx: &Context<'_>,
        token: String,
        new_password: String,
    ) -> async_graphql::Result<bool> {
        accounts(ctx).reset_password(&token, &new_password).await?;
        Ok(true)
    }

    /// Changes the password; other sessions are logged out.
    #[graphql(guard = "Require(Permission::OwnAccount)")]
    async fn change_password(
        &self,
        ctx: &Context<'_>,
        current_password: String,
        new_password: String,
    ) -> async_graphql::Result<bool> {
        accounts(ctx)
            .change_password(actor(ctx)?, &current_password, &new_password)
            .await?;
        Ok(true)
    }

    /// A shopper edits their own profile.
    #[graphql(guard = "Require(Permission::OwnShopperProfile)")]
    async fn update_my_profile(&self, ctx: &Context<'_>, input: UpdateProfileInput) -> async_graphql::Result<Shopper> {
        let changes = ProfileChanges {
            full_name: input.full_name,
            phone: input.phone,
            language: input.language,
            home: input.home_location.map(|p| (p.lat, p.lon)),
            travel_radius_km: input.travel_radius_km,
            iban: input.iban,
            account_holder: input.account_holder,
            conflict_declaration: input.conflict_declaration,
        };
        Ok(Shopper(accounts(ctx).update_profile(actor(ctx)?, changes).await?))
    }

    /// Activates or suspends a shopper (suspension needs a reason and logs them out everywhere).
    #[graphql(guard = "Require(Permission::ManageShoppers)")]
    async fn set_shopper_status(
        &self,
        ctx: &Context<'_>,
        shopper_id: ID,
        status: UserStatus,
        reason: Option<String>,
    ) -> async_graphql::Result<Shopper> {
        let shopper = accounts(ctx)
            .set_shopper_status(actor(ctx)?, &shopper_id, status, reason.as_deref())
            .await?;
        Ok(Shopper(shopper))
    }

    /// Creates a staff account and emails the person a link to choose a password.
    #[graphql(guard = "Require(Permission::ManageUsers)")]
    async fn invite_staff(
        &self,
        ctx: &Context<'_>,
        email: String,
        role: Role,
        #[graphql(desc = "Required for CLIENT_VIEWER: the client whose data they may read.")] client_id: Option<ID>,
    ) -> async_graphql::Result<User> {
        let client_id = client_id.map(|id| id.0);
        Ok(User(
            accounts(ctx)
                .invite_staff(actor(ctx)?, &email, role, client_id.as_deref())
                .await?,
        ))
    }

    /// Activates or suspends any account but one's own.
    #[graphql(guard = "Require(Permission::ManageUsers)")]
    async fn set_user_status(
        &self,
        ctx: &Context<'_>,
        user_id: ID,
        status: UserStatus,
        reason: Option<String>,
    ) -> async_graphql::Result<User> {
        Ok(User(
            accounts(ctx)
                .set_user_status(actor(ctx)?, &user_id, status, reason.as_deref())
                .await?,
        ))
    }
}

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
            message: super::words(&s.message),
            other_shopper_ids: s.other_shopper_ids.into_iter().map(ID).collect(),
        }
    }
}

/// The signals of a shopper, for a reader who may see them (`ReadShoppers`: coordinators and admins).
pub async fn shopper_signals(ctx: &Context<'_>, shopper_id: &str) -> async_graphql::Result<Vec<ShopperSignalView>> {
    if !actor(ctx)?.can(Permission::ReadShoppers) {
        return Err(AppError::Forbidden(crate::msg!("signals-coordinators-only")).into());
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
            return Err(AppError::Forbidden(crate::msg!("bank-details-private")).into());
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
