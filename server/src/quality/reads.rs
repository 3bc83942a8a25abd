//! What the index shows: the staff's tables, the public portal's centers (those of public bodies), a center's
//! history and its published comments, and the open-data rows.

use sqlx::FromRow;

use crate::domain::quality_index::CenterIndex;
use crate::error::{AppError, AppResult};

use super::Quality;

/// A center as the portal and the tables show it, with its index for one period (if it has one).
#[derive(Debug, Clone)]
pub struct PublicCenter {
    pub venue_id: String,
    pub client_id: String,
    pub external_code: String,
    pub name: String,
    pub address: String,
    pub oblast: String,
    pub hromada: String,
    pub city: String,
    pub lat: f64,
    pub lon: f64,
    pub size_class: Option<String>,
    pub opening_hours: String,
    /// Counted responses and approved visits in the period.
    pub responses: i64,
    pub visits: i64,
    pub headline: Option<f64>,
    pub rank: Option<(i64, i64)>,
    pub detail: Option<CenterIndex>,
}

/// The same, as one row of the staff's index table.
pub type IndexRow = PublicCenter;

#[derive(FromRow)]
struct CenterRow {
    venue_id: String,
    client_id: String,
    external_code: String,
    name: String,
    address: String,
    oblast: String,
    hromada: String,
    city: String,
    lat: f64,
    lon: f64,
    size_class: Option<String>,
    opening_hours: String,
    responses: Option<i64>,
    visits: Option<i64>,
    headline: Option<f64>,
    rank: Option<i64>,
    rank_of: Option<i64>,
    detail: Option<String>,
}

impl From<CenterRow> for PublicCenter {
    fn from(r: CenterRow) -> Self {
        PublicCenter {
            venue_id: r.venue_id,
            client_id: r.client_id,
            external_code: r.external_code,
            name: r.name,
            address: r.address,
            oblast: r.oblast,
            hromada: r.hromada,
            city: r.city,
            lat: r.lat,
            lon: r.lon,
            size_class: r.size_class,
            opening_hours: r.opening_hours,
            responses: r.responses.unwrap_or(0),
            visits: r.visits.unwrap_or(0),
            headline: r.headline,
            rank: r.rank.zip(r.rank_of),
            // Written by `recompute` from the same type; a row that does not read back shows as "no index".
            detail: r.detail.and_then(|d| serde_json::from_str(&d).ok()),
        }
    }
}

/// A period's name checked: a month (`2026-11`) or a quarter (`2026-Q4`).
pub fn check_period(period: &str) -> AppResult<()> {
    crate::domain::quality_index::parse_period(period)
        .map(|_| ())
        .ok_or_else(|| AppError::bad_input("period", crate::msg!("period-format")))
}

/// Centers with their index for a period; `with_detail` also reads the parts (the tables and a center's page).
fn center_select(with_detail: bool) -> String {
    format!("SELECT {} FROM {CENTER_FROM}", center_columns(with_detail))
}

fn center_columns(with_detail: bool) -> &'static str {
    if with_detail {
        "v.id AS venue_id, v.client_id, v.external_code, v.name, v.address, v.oblast, v.hromada, v.city, v.lat, \
         v.lon, v.size_class, v.opening_hours, q.responses, q.visits, q.headline, q.rank, q.rank_of, q.detail AS detail"
    } else {
        "v.id AS venue_id, v.client_id, v.external_code, v.name, v.address, v.oblast, v.hromada, v.city, v.lat, \
         v.lon, v.size_class, v.opening_hours, q.responses, q.visits, q.headline, q.rank, q.rank_of, NULL AS detail"
    }
}

/// Centers and their index for the period `$1`.
const CENTER_FROM: &str = "venues v LEFT JOIN quality_index q ON q.venue_id = v.id AND q.period = $1";

/// The public portal shows the centers of public bodies (the ЦНАП network); companies' shops and restaurants
/// are measured for their owners only.
const PUBLIC: &str = "v.active = 1 AND v.client_id IN (SELECT id FROM clients WHERE kind = 'PUBLIC_BODY')";

/// A point of a center's history: one month.
#[derive(Debug, Clone, FromRow)]
pub struct CenterHistoryPoint {
    pub period: String,
    pub responses: i64,
    pub visits: i64,
    pub headline: Option<f64>,
}

/// A published (masked) comment.
#[derive(Debug, Clone, FromRow)]
pub struct PublishedComment {
    pub created_at: i64,
    pub comment_masked: String,
}

impl Quality {
    /// Every public center with its index for the period (no parts): the map and the open data.
    pub async fn public_centers(&self, period: &str, with_detail: bool) -> AppResult<Vec<PublicCenter>> {
        let rows: Vec<CenterRow> = sqlx::query_as(&format!(
            "{} WHERE {PUBLIC} ORDER BY v.oblast, v.hromada, v.name, v.id",
            center_select(with_detail)
        ))
        .bind(period)
        .fetch_all(self.db.pool())
        .await?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    /// The public centers of one oblast, with their index.
    pub async fn public_centers_of(&self, period: &str, oblast: &str) -> AppResult<Vec<PublicCenter>> {
        let rows: Vec<CenterRow> = sqlx::query_as(&format!(
            "{} WHERE {PUBLIC} AND v.oblast = $2 ORDER BY v.hromada, v.name, v.id",
            center_select(false)
        ))
        .bind(period)
        .bind(oblast)
        .fetch_all(self.db.pool())
        .await?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    /// Oblasts with how many public centers each has.
    pub async fn public_oblasts(&self) -> AppResult<Vec<(String, i64)>> {
        Ok(sqlx::query_as(&format!(
            "SELECT v.oblast, COUNT(*) FROM venues v WHERE {PUBLIC} GROUP BY v.oblast ORDER BY v.oblast"
        ))
        .fetch_all(self.db.pool())
        .await?)
    }

    /// One public center with its index and parts for the period.
    pub async fn public_center(&self, period: &str, venue_id: &str) -> AppResult<Option<PublicCenter>> {
        let row: Option<CenterRow> = sqlx::query_as(&format!("{} WHERE {PUBLIC} AND v.id = $2", center_select(true)))
            .bind(period)
            .bind(venue_id)
            .fetch_optional(self.db.pool())
            .await?;
        Ok(row.map(Into::into))
    }

    /// A client's centers with their index for a period, best first (staff; a client viewer only their own
    /// client's): filtered by oblast, paged.
    pub async fn table(
        &self,
        actor: &crate::auth::Actor,
        client_id: &str,
        period: &str,
        oblast: Option<&str>,
        limit: usize,
        offset: usize,
    ) -> AppResult<crate::db::Page<IndexRow>> {
        if actor.client_scope()?.is_some_and(|own| own != client_id) {
            return Err(AppError::NotFound("client"));
        }
        check_period(period)?;
        let listing = crate::db::Listing {
            select: center_columns(true),
            from: CENTER_FROM,
            filter: "v.client_id = $2 AND v.active = 1 AND ($3 IS NULL OR v.oblast = $3)",
            args: vec![period.into(), client_id.into(), oblast.into()],
        };
        let best_first = crate::db::Paging::Offset {
            order: "CASE WHEN q.headline IS NULL THEN 1 ELSE 0 END, q.headline DESC, v.name, v.id",
            skip: offset,
        };
        self.db.page::<CenterRow, _>(listing, best_first, limit).await
    }

    /// The periods a client has an index for, newest first.
    pub async fn periods(&self, client_id: &str) -> AppResult<Vec<String>> {
        Ok(
            sqlx::query_scalar("SELECT DISTINCT period FROM quality_index WHERE client_id = $1 ORDER BY period DESC")
                .bind(client_id)
                .fetch_all(self.db.pool())
                .await?,
        )
    }

    /// A center's monthly history, oldest first (the trend on its page).
    pub async fn history(&self, venue_id: &str) -> AppResult<Vec<CenterHistoryPoint>> {
        Ok(sqlx::query_as(
            "SELECT period, responses, visits, headline FROM quality_index WHERE venue_id = $1 AND period NOT LIKE '%Q%' \
             ORDER BY period DESC LIMIT 24",
        )
        .bind(venue_id)
        .fetch_all(self.db.pool())
        .await?
        .into_iter()
        .rev()
        .collect())
    }

    /// A center's newest published comments, masked.
    pub async fn published_comments(&self, venue_id: &str, limit: i64) -> AppResult<Vec<PublishedComment>> {
        Ok(sqlx::query_as(
            "SELECT created_at, comment_masked FROM feedback_responses WHERE venue_id = $1 AND moderation = 'PUBLISHED' \
             AND comment_masked IS NOT NULL ORDER BY created_at DESC LIMIT $2",
        )
        .bind(venue_id)
        .bind(limit)
        .fetch_all(self.db.pool())
        .await?)
    }
}
