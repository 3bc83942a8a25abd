//! One wave's results: approved visits per venue, per oblast and per question.

use futures::TryStreamExt;
use sqlx::FromRow;

use crate::auth::Actor;
use crate::domain::checklist::{parse_answers, ChecklistDefinition};
use crate::domain::results::ResultsTally;
use crate::error::{AppError, AppResult};
use crate::waves::WaveRecord;

use super::Results;

/// A venue's approved visits in one wave.
#[derive(Debug, Clone, FromRow)]
pub struct VenueResult {
    pub venue_id: String,
    pub external_code: String,
    pub name: String,
    pub oblast: String,
    pub city: String,
    pub lat: f64,
    pub lon: f64,
    pub visits: i64,
    pub mean_score: Option<f64>,
    pub min_score: Option<f64>,
    pub max_score: Option<f64>,
}

/// An oblast's approved visits in one wave.
#[derive(Debug, Clone, FromRow)]
pub struct RegionResult {
    pub oblast: String,
    pub venues: i64,
    pub visits: i64,
    pub mean_score: Option<f64>,
}

/// Everything the results page shows about one wave.
#[derive(Debug, Clone)]
pub struct WaveResults {
    pub wave: WaveRecord,
    pub definition: ChecklistDefinition,
    pub visits: i64,
    pub mean_score: Option<f64>,
    pub by_venue: Vec<VenueResult>,
    pub by_region: Vec<RegionResult>,
    pub questions: ResultsTally,
}

/// Approved visits of one wave with their venues.
const APPROVED: &str = "FROM tasks t JOIN visits v ON v.task_id = t.id AND v.state = 'APPROVED' \
                        JOIN venues ve ON ve.id = t.venue_id WHERE t.wave_id = $1";

impl Results {
    pub async fn wave_results(&self, actor: &Actor, wave_id: &str) -> AppResult<WaveResults> {
        let (wave, definition) = self.wave_and_definition(actor, wave_id).await?;
        let mut by_venue: Vec<VenueResult> = sqlx::query_as(&format!(
            "SELECT ve.id AS venue_id, ve.external_code, ve.name, ve.oblast, ve.city, ve.lat, ve.lon, \
             COUNT(v.id) AS visits, AVG(v.score) AS mean_score, MIN(v.score) AS min_score, MAX(v.score) AS max_score \
             {APPROVED} GROUP BY ve.id, ve.external_code, ve.name, ve.oblast, ve.city, ve.lat, ve.lon ORDER BY ve.name, ve.id"
        ))
        .bind(wave_id)
        .fetch_all(self.db.pool())
        .await?;
        let mut by_region: Vec<RegionResult> = sqlx::query_as(&format!(
            "SELECT ve.oblast, COUNT(DISTINCT ve.id) AS venues, COUNT(v.id) AS visits, AVG(v.score) AS mean_score \
             {APPROVED} GROUP BY ve.oblast ORDER BY ve.oblast"
        ))
        .bind(wave_id)
        .fetch_all(self.db.pool())
        .await?;
        let (visits, mean_score): (i64, Option<f64>) =
            sqlx::query_as(&format!("SELECT COUNT(v.id), AVG(v.score) {APPROVED}"))
                .bind(wave_id)
                .fetch_one(self.db.pool())
                .await?;
        for venue in &mut by_venue {
            venue.mean_score = venue.mean_score.map(round2);
        }
        for region in &mut by_region {
            region.mean_score = region.mean_score.map(round2);
        }

        // The answers are read as a stream, one visit at a time, so a large wave never sits in memory.
        let mut questions = ResultsTally::new(&definition);
        let sql = format!("SELECT v.answers {APPROVED}");
        let mut rows = sqlx::query_scalar::<_, String>(&sql)
            .bind(wave_id)
            .fetch(self.db.pool());
        while let Some(text) = rows.try_next().await? {
            let json: serde_json::Value = serde_json::from_str(&text).map_err(|e| AppError::Internal(e.into()))?;
            let answers =
                parse_answers(&json).map_err(|e| AppError::Internal(anyhow::anyhow!("stored answers: {e}")))?;
            questions.add(&definition, &answers);
        }
        Ok(WaveResults {
            wave,
            definition,
            visits,
            mean_score: mean_score.map(round2),
            by_venue,
            by_region,
            questions,
        })
    }
}

pub(super) fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}
