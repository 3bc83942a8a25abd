//! The quality index over GraphQL, for staff and client viewers (their own client only): a period's table of
//! centers, best first, with each part's estimate, interval and count, and the periods kept. The method is in
//! docs/INDEX.md; the public portal shows the same numbers (`http::portal`).

use async_graphql::{Context, Object, SimpleObject, ID};

use super::pagination::{decode_offset, offset_page, page_size, List};
use super::{actor, Require};
use crate::auth::Permission;
use crate::domain::quality_index::{Breakdown, Estimate, Part};
use crate::quality::{IndexRow, Quality};

fn quality<'a>(ctx: &'a Context<'_>) -> &'a Quality {
    ctx.data_unchecked::<Quality>()
}

#[derive(Default)]
pub struct QualityQuery;

#[Object]
impl QualityQuery {
    /// A client's active centers with their quality index for a period (a month `2026-11` or a quarter
    /// `2026-Q4`; default: the current quarter), best first; centers without a published headline last.
    #[graphql(guard = "Require(Permission::ReadResults)")]
    async fn quality_index(
        &self,
        ctx: &Context<'_>,
        client_id: ID,
        period: Option<String>,
        oblast: Option<String>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<List<CenterQuality>> {
        let (limit, offset) = (page_size(first)?, decode_offset(after.as_deref())?);
        let period = period.unwrap_or_else(|| quality(ctx).current_quarter());
        let oblast = oblast.filter(|o| !o.trim().is_empty());
        let page = quality(ctx)
            .table(actor(ctx)?, &client_id, &period, oblast.as_deref(), limit, offset)
            .await?;
        Ok(offset_page(page, offset, CenterQuality))
    }

    /// The periods a client's index was computed for, newest first.
    #[graphql(guard = "Require(Permission::ReadResults)")]
    async fn quality_periods(&self, ctx: &Context<'_>, client_id: ID) -> async_graphql::Result<Vec<String>> {
        let actor = actor(ctx)?;
        if actor.client_scope()?.is_some_and(|own| own != client_id.as_str()) {
            return Err(crate::error::AppError::NotFound("client").into());
        }
        Ok(quality(ctx).periods(&client_id).await?)
    }
}

/// One center's index for a period.
pub struct CenterQuality(IndexRow);

/// A part's published estimate (0–100; the loyalty index −100…100).
#[derive(SimpleObject)]
pub struct QualityEstimate {
    /// The center's own figure, before shrinkage.
    pub raw: f64,
    /// Shrunk toward its stratum's mean: the published figure.
    pub value: f64,
    pub low: f64,
    pub high: f64,
    /// The stratum's (or the client's) mean it was shrunk toward.
    pub prior: f64,
}

/// A part: the responses (visits) behind it, and its estimate once there are enough.
#[derive(SimpleObject)]
pub struct QualityPart {
    pub n: i64,
    pub estimate: Option<QualityEstimate>,
}

/// A figure shown on its own: a dimension, or one channel's ratings or loyalty (never under 10 responses).
#[derive(SimpleObject)]
pub struct QualityBreakdown {
    /// `ALL` or a channel (`QR`, `WEB_MAP`, …).
    pub channel: String,
    /// `premises`, `staff`, `waiting`, `result`, `ratings` or `loyalty`.
    pub measure: String,
    pub n: i64,
    pub value: f64,
    pub low: f64,
    pub high: f64,
}

/// The headline index (0–100) with its interval.
#[derive(SimpleObject)]
pub struct QualityHeadline {
    pub value: f64,
    pub low: f64,
    pub high: f64,
}

fn part(p: Option<&Part>) -> QualityPart {
    QualityPart {
        n: p.map_or(0, |p| p.n as i64),
        estimate: p.and_then(|p| p.estimate.as_ref()).map(|e: &Estimate| QualityEstimate {
            raw: e.raw,
            value: e.value,
            low: e.low,
            high: e.high,
            prior: e.prior,
        }),
    }
}

#[Object]
impl CenterQuality {
    async fn venue_id(&self) -> ID {
        ID(self.0.venue_id.clone())
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn oblast(&self) -> &str {
        &self.0.oblast
    }
    async fn hromada(&self) -> &str {
        &self.0.hromada
    }
    async fn size_class(&self) -> Option<&str> {
        self.0.size_class.as_deref()
    }
    /// Counted citizens' responses in the period.
    async fn responses(&self) -> i64 {
        self.0.responses
    }
    /// Approved visits in the period.
    async fn visits(&self) -> i64 {
        self.0.visits
    }
    async fn headline(&self) -> Option<QualityHeadline> {
        self.0
            .detail
            .as_ref()
            .and_then(|d| d.headline)
            .map(|(value, low, high)| QualityHeadline { value, low, high })
    }
    /// Place within its stratum (oblast × size class), 1 = best.
    async fn rank(&self) -> Option<i64> {
        self.0.rank.map(|r| r.0)
    }
    /// How many centers of the stratum have a headline.
    async fn rank_of(&self) -> Option<i64> {
        self.0.rank.map(|r| r.1)
    }
    /// Citizens' ratings: the share of чудово/добре answers.
    async fn ratings(&self) -> QualityPart {
        part(self.0.detail.as_ref().map(|d| &d.ratings))
    }
    /// The loyalty index (promoters − detractors, −100…100).
    async fn loyalty(&self) -> QualityPart {
        part(self.0.detail.as_ref().map(|d| &d.loyalty))
    }
    /// The mean mystery-shopping score of approved visits.
    async fn mystery(&self) -> QualityPart {
        part(self.0.detail.as_ref().map(|d| &d.mystery))
    }
    async fn breakdowns(&self) -> Vec<QualityBreakdown> {
        self.0
            .detail
            .iter()
            .flat_map(|d| d.breakdowns.iter())
            .map(|b: &Breakdown| QualityBreakdown {
                channel: b.channel.clone(),
                measure: b.measure.clone(),
                n: b.n as i64,
                value: b.value,
                low: b.low,
                high: b.high,
            })
            .collect()
    }
}
