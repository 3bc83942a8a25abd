//! Queries and mutations for accounts: sign-up, verification, login, profile, shoppers and staff.

use async_graphql::{Context, InputObject, Object, SimpleObject, ID};
use chrono::{DateTime, Utc};

use super::pagination::{decode_cursor, keyset_connection, page_size, List};
use super::types::{GeoPointInput, Shopper, User};
use super::{accounts, actor, request_ctx, Require};
use crate::accounts::{ProfileChanges, SignUp};
use crate::auth::Permission;
use crate::db::from_ms;
use crate::domain::{Language, Role, UserStatus};

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
