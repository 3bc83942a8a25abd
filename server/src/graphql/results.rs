//! Results over GraphQL, for client viewers (their own client only) and staff: a wave's approved visits per
//! venue, oblast and question, its visits one by one, and scores over waves. The visit-level file is the
//! export route `/waves/{id}/results?format=csv|xlsx` (see `http::files`); `WaveResults.exportPath` names it.

use async_graphql::{Context, Object, SimpleObject, ID};

use super::geo::GeoPoint;
use super::pagination::{decode_cursor, keyset_connection, page_size, List};
use super::visits::Visit;
use super::waves::Wave;
use super::{actor, Require};
use crate::auth::Permission;
use crate::domain::checklist::QuestionKind;
use crate::domain::results::QuestionTally;
use crate::results::{RegionResult, Results, TrendPoint, TrendRegion, VenueResult, WaveResults};
use crate::visits::Visits;

fn results<'a>(ctx: &'a Context<'_>) -> &'a Results {
    ctx.data_unchecked::<Results>()
}

#[derive(Default)]
pub struct ResultsQuery;

#[Object]
impl ResultsQuery {
    /// A wave's results from its approved visits. Client viewers: their own client's waves only.
    #[graphql(guard = "Require(Permission::ReadResults)")]
    async fn wave_results(&self, ctx: &Context<'_>, wave_id: ID) -> async_graphql::Result<WaveResultsView> {
        Ok(WaveResultsView(results(ctx).wave_results(actor(ctx)?, &wave_id).await?))
    }

    /// The client's mean scores wave by wave, oldest first, overall and per oblast (of one venue when
    /// `venueId` is given). Waves without approved visits are left out.
    #[graphql(guard = "Require(Permission::ReadResults)")]
    async fn score_trend(
        &self,
        ctx: &Context<'_>,
        client_id: ID,
        venue_id: Option<ID>,
    ) -> async_graphql::Result<Vec<TrendPointView>> {
        let points = results(ctx)
            .trend(actor(ctx)?, &client_id, venue_id.as_ref().map(|v| v.as_str()))
            .await?;
        Ok(points.into_iter().map(TrendPointView).collect())
    }
}

pub struct WaveResultsView(WaveResults);

#[Object(name = "WaveResults")]
impl WaveResultsView {
    async fn wave(&self) -> Wave {
        Wave(self.0.wave.clone())
    }

    /// Approved visits.
    async fn visits(&self) -> i64 {
        self.0.visits
    }

    /// The mean score (0–100) of approved visits.
    async fn mean_score(&self) -> Option<f64> {
        self.0.mean_score
    }

    /// Every venue with approved visits, by name.
    async fn by_venue(&self) -> Vec<VenueResultView> {
        self.0.by_venue.iter().cloned().map(VenueResultView).collect()
    }

    /// Every oblast with approved visits, by name.
    async fn by_region(&self) -> Vec<RegionResultView> {
        self.0.by_region.iter().cloned().map(RegionResultView).collect()
    }

    /// Every question of the wave's questionnaire, in order, with what its answers add up to.
    async fn questions(&self) -> Vec<QuestionResultView> {
        let questions = self
            .0
            .definition
            .sections
            .iter()
            .flat_map(|s| s.questions.iter().map(move |q| (s, q)));
        questions
            .zip(self.0.questions.questions.iter())
            .map(|((section, question), tally)| QuestionResultView {
                section_code: section.code.clone(),
                section_title: section.title.uk.clone(),
                title: question.title.uk.clone(),
                title_en: question.title.en.clone(),
                kind: question.kind.clone(),
                weight: question.weight,
                tally: tally.clone(),
            })
            .collect()
    }

    /// The approved visits themselves, in id order (client viewers see no shopper and no originals).
    async fn approved_visits(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<List<Visit>> {
        let limit = page_size(first)?;
        let after = decode_cursor(after.as_deref())?;
        let page = ctx
            .data_unchecked::<Visits>()
            .approved_in_wave(&self.0.wave.id, after.as_deref(), limit)
            .await?;
        Ok(keyset_connection(page, after.is_some(), |v| v.id.clone(), Visit))
    }

    /// Where the visit-level file is downloaded (GET with the same bearer token; add `?format=csv` or
    /// `?format=xlsx`).
    async fn export_path(&self) -> String {
        format!("/waves/{}/results", self.0.wave.id)
    }
}

pub struct VenueResultView(VenueResult);

#[Object(name = "VenueResult")]
impl VenueResultView {
    async fn venue_id(&self) -> ID {
        ID(self.0.venue_id.clone())
    }
    async fn external_code(&self) -> &str {
        &self.0.external_code
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn oblast(&self) -> &str {
        &self.0.oblast
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
    async fn visits(&self) -> i64 {
        self.0.visits
    }
    async fn mean_score(&self) -> Option<f64> {
        self.0.mean_score
    }
    async fn min_score(&self) -> Option<f64> {
        self.0.min_score
    }
    async fn max_score(&self) -> Option<f64> {
        self.0.max_score
    }
}

pub struct RegionResultView(RegionResult);

#[Object(name = "RegionResult")]
impl RegionResultView {
    async fn oblast(&self) -> &str {
        &self.0.oblast
    }
    async fn venues(&self) -> i64 {
        self.0.venues
    }
    async fn visits(&self) -> i64 {
        self.0.visits
    }
    async fn mean_score(&self) -> Option<f64> {
        self.0.mean_score
    }
}

/// How often one option was chosen.
#[derive(SimpleObject)]
pub struct OptionCount {
    pub code: String,
    pub label: String,
    pub label_en: Option<String>,
    pub count: i64,
}

pub struct QuestionResultView {
    section_code: String,
    section_title: String,
    title: String,
    title_en: Option<String>,
    kind: QuestionKind,
    weight: f64,
    tally: QuestionTally,
}

#[Object(name = "QuestionResult")]
impl QuestionResultView {
    async fn code(&self) -> &str {
        &self.tally.code
    }
    async fn section_code(&self) -> &str {
        &self.section_code
    }
    async fn section_title(&self) -> &str {
        &self.section_title
    }
    /// The question in Ukrainian.
    async fn title(&self) -> &str {
        &self.title
    }
    async fn title_en(&self) -> Option<&str> {
        self.title_en.as_deref()
    }
    /// `YES_NO`, `SCALE`, `SINGLE_CHOICE`, … as in the questionnaire.
    #[graphql(name = "type")]
    async fn kind(&self) -> &str {
        self.kind.type_name()
    }
    async fn weight(&self) -> f64 {
        self.weight
    }
    /// Visits where the question was shown (its conditions held).
    async fn shown(&self) -> i64 {
        self.tally.shown as i64
    }
    /// Answered with anything but "not applicable".
    async fn answered(&self) -> i64 {
        self.tally.answered as i64
    }
    async fn not_applicable(&self) -> i64 {
        self.tally.not_applicable as i64
    }
    /// The mean fraction earned, 0–100 (scored types only).
    async fn mean_score(&self) -> Option<f64> {
        self.tally.mean_score()
    }
    /// Yes/no questions: the share of yes, 0–100.
    async fn yes_share(&self) -> Option<f64> {
        matches!(self.kind, QuestionKind::YesNo { .. })
            .then(|| self.tally.yes_share())
            .flatten()
    }
    /// Scale, number and duration questions: the mean answer.
    async fn mean_value(&self) -> Option<f64> {
        self.tally.mean_value()
    }
    /// Choice questions: how often each option was chosen, in the questionnaire's order.
    async fn options(&self) -> Vec<OptionCount> {
        match &self.kind {
            QuestionKind::SingleChoice { options } | QuestionKind::MultipleChoice { options } => options
                .iter()
                .map(|o| OptionCount {
                    code: o.code.clone(),
                    label: o.label.uk.clone(),
                    label_en: o.label.en.clone(),
                    count: self.tally.options.get(&o.code).copied().unwrap_or(0) as i64,
                })
                .collect(),
            _ => Vec::new(),
        }
    }
}

pub struct TrendPointView(TrendPoint);

#[Object(name = "TrendPoint")]
impl TrendPointView {
    async fn wave_id(&self) -> ID {
        ID(self.0.wave_id.clone())
    }
    async fn wave_name(&self) -> &str {
        &self.0.wave_name
    }
    async fn starts_on(&self) -> &str {
        &self.0.starts_on
    }
    async fn ends_on(&self) -> &str {
        &self.0.ends_on
    }
    async fn visits(&self) -> i64 {
        self.0.visits
    }
    async fn mean_score(&self) -> Option<f64> {
        self.0.mean_score
    }
    async fn regions(&self) -> Vec<TrendRegionView> {
        self.0.regions.iter().cloned().map(TrendRegionView).collect()
    }
}

pub struct TrendRegionView(TrendRegion);

#[Object(name = "TrendRegion")]
impl TrendRegionView {
    async fn oblast(&self) -> &str {
        &self.0.oblast
    }
    async fn visits(&self) -> i64 {
        self.0.visits
    }
    async fn mean_score(&self) -> Option<f64> {
        self.0.mean_score
    }
}
