//! Rows as read from the database, and the queries that read them.

use sqlx::FromRow;

use super::Accounts;
use crate::db::{Listing, Page, Paging};
use crate::domain::{Language, Role, UnknownValue, UserStatus};
use crate::error::{AppError, AppResult};

/// An account (any role).
#[derive(Debug, Clone)]
pub struct UserRecord {
    pub id: String,
    pub email: String,
    pub role: Role,
    pub status: UserStatus,
    pub status_reason: Option<String>,
    pub email_verified_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(FromRow)]
pub(crate) struct UserRow {
    id: String,
    email: String,
    role: String,
    status: String,
    status_reason: Option<String>,
    email_verified_at: Option<i64>,
    created_at: i64,
    updated_at: i64,
}

impl TryFrom<UserRow> for UserRecord {
    type Error = UnknownValue;

    fn try_from(r: UserRow) -> Result<Self, UnknownValue> {
        Ok(UserRecord {
            id: r.id,
            email: r.email,
            role: Role::parse_stored(&r.role)?,
            status: UserStatus::parse(&r.status)?,
            status_reason: r.status_reason,
            email_verified_at: r.email_verified_at,
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
    }
}

pub(crate) const USER_COLUMNS: &str =
    "u.id, u.email, u.role, u.status, u.status_reason, u.email_verified_at, u.created_at, u.updated_at";

/// A shopper: the account and the profile.
#[derive(Debug, Clone)]
pub struct ShopperRecord {
    pub user: UserRecord,
    pub full_name: String,
    pub phone: String,
    pub language: Language,
    pub home_lat: f64,
    pub home_lon: f64,
    pub travel_radius_km: f64,
    pub iban: String,
    pub account_holder: String,
    pub tax_id: String,
    pub code_of_conduct_version: String,
    pub code_of_conduct_accepted_at: i64,
    pub conflict_declaration: String,
    pub profile_updated_at: i64,
}

#[derive(FromRow)]
pub(crate) struct ShopperRow {
    #[sqlx(flatten)]
    user: UserRow,
    full_name: String,
    phone: String,
    language: String,
    home_lat: f64,
    home_lon: f64,
    travel_radius_km: f64,
    iban: String,
    account_holder: String,
    tax_id: String,
    code_of_conduct_version: String,
    code_of_conduct_accepted_at: i64,
    conflict_declaration: String,
    profile_updated_at: i64,
}

impl TryFrom<ShopperRow> for ShopperRecord {
    type Error = UnknownValue;

    fn try_from(r: ShopperRow) -> Result<Self, UnknownValue> {
        Ok(ShopperRecord {
            user: r.user.try_into()?,
            full_name: r.full_name,
            phone: r.phone,
            language: Language::parse(&r.language)?,
            home_lat: r.home_lat,
            home_lon: r.home_lon,
            travel_radius_km: r.travel_radius_km,
            iban: r.iban,
            account_holder: r.account_holder,
            tax_id: r.tax_id,
            code_of_conduct_version: r.code_of_conduct_version,
            code_of_conduct_accepted_at: r.code_of_conduct_accepted_at,
            conflict_declaration: r.conflict_declaration,
            profile_updated_at: r.profile_updated_at,
        })
    }
}

pub(crate) const SHOPPER_COLUMNS: &str = "u.id, u.email, u.role, u.status, u.status_reason, u.email_verified_at, \
     u.created_at, u.updated_at, p.full_name, p.phone, p.language, p.home_lat, p.home_lon, p.travel_radius_km, \
     p.iban, p.account_holder, p.tax_id, p.code_of_conduct_version, p.code_of_conduct_accepted_at, \
     p.conflict_declaration, p.updated_at AS profile_updated_at";
pub(crate) const SHOPPER_FROM: &str = "users u JOIN shopper_profiles p ON p.user_id = u.id";

/// The lower-cased text that `search` matches (Rust's lower-casing, so Cyrillic works on SQLite too).
pub(crate) fn search_text(parts: &[&str]) -> String {
    parts.join(" ").to_lowercase()
}

impl Accounts {
    pub async fn user(&self, id: &str) -> AppResult<UserRecord> {
        let row: Option<UserRow> = sqlx::query_as(&format!("SELECT {USER_COLUMNS} FROM users u WHERE u.id = $1"))
            .bind(id)
            .fetch_optional(self.db.pool())
            .await?;
        row.map(TryInto::try_into)
            .transpose()?
            .ok_or_else(|| AppError::NotFound("user"))
    }

    pub async fn shopper(&self, id: &str) -> AppResult<ShopperRecord> {
        let row: Option<ShopperRow> =
            sqlx::query_as(&format!("SELECT {SHOPPER_COLUMNS} FROM {SHOPPER_FROM} WHERE u.id = $1"))
                .bind(id)
                .fetch_optional(self.db.pool())
                .await?;
        row.map(TryInto::try_into)
            .transpose()?
            .ok_or_else(|| AppError::NotFound("shopper"))
    }

    /// Shoppers in sign-up order, optionally filtered by status, verification and a search text
    /// (email, name, phone).
    pub async fn list_shoppers(
        &self,
        after: Option<&str>,
        limit: usize,
        search: Option<&str>,
        status: Option<UserStatus>,
        verified: Option<bool>,
    ) -> AppResult<Page<ShopperRecord>> {
        let filter = "u.role = 'SHOPPER' \
             AND ($1 IS NULL OR u.search_text LIKE $1 ESCAPE '\\') \
             AND ($2 IS NULL OR u.status = $2) \
             AND ($3 IS NULL OR ($3 = 1 AND u.email_verified_at IS NOT NULL) OR ($3 = 0 AND u.email_verified_at IS NULL))";
        let listing = Listing {
            select: SHOPPER_COLUMNS,
            from: SHOPPER_FROM,
            filter,
            args: vec![
                crate::db::search_pattern(search)?.into(),
                status.map(|s| s.as_str()).into(),
                verified.map(i64::from).into(),
            ],
        };
        let after = Paging::After {
            column: "u.id",
            after: after.into(),
            descending: false,
        };
        self.db.page::<ShopperRow, _>(listing, after, limit).await
    }

    /// All accounts in creation order, optionally of one role and matching a search text.
    pub async fn list_users(
        &self,
        after: Option<&str>,
        limit: usize,
        search: Option<&str>,
        role: Option<Role>,
    ) -> AppResult<Page<UserRecord>> {
        let listing = Listing {
            select: USER_COLUMNS,
            from: "users u",
            filter: "($1 IS NULL OR u.search_text LIKE $1 ESCAPE '\\') AND ($2 IS NULL OR u.role = $2)",
            args: vec![
                crate::db::search_pattern(search)?.into(),
                role.map(|r| r.as_str()).into(),
            ],
        };
        let after = Paging::After {
            column: "u.id",
            after: after.into(),
            descending: false,
        };
        self.db.page::<UserRow, _>(listing, after, limit).await
    }
}

/// Where to write to a shopper, and in which language (for mail a use case sends in its own transaction).
pub async fn shopper_contact(
    conn: &mut sqlx::AnyConnection,
    shopper_id: &str,
) -> AppResult<Option<(String, Language)>> {
    let row: Option<(String, String)> = sqlx::query_as(
        "SELECT u.email, p.language FROM users u JOIN shopper_profiles p ON p.user_id = u.id WHERE u.id = $1",
    )
    .bind(shopper_id)
    .fetch_optional(conn)
    .await?;
    match row {
        Some((email, language)) => Ok(Some((email, Language::parse(&language)?))),
        None => Ok(None),
    }
}
