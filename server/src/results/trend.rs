//! Scores over waves: one point per wave of a client (optionally of one venue), with its oblasts.

use crate::auth::Actor;
use crate::error::{AppError, AppResult};

use super::summary::round2;
use super::Results;

/// One oblast's approved visits in one wave.
#[derive(Debug, Clone, PartialEq)]
pub struct TrendRegion {
    pub oblast: String,
    pub visits: i64,
    pub mean_score: Option<f64>,
}

/// One wave's approved visits.
#[derive(Debug, Clone, PartialEq)]
pub struct TrendPoint {
    pub wave_id: String,
    pub wave_name: String,
    pub starts_on: String,
    pub ends_on: String,
    pub visits: i64,
    pub mean_score: Option<f64>,
    pub regions: Vec<TrendRegion>,
}

type TrendRow = (String, String, String, String, String, i64, Option<f64>, i64);

impl Results {
    /// Every wave of the client with approved visits, oldest first. A client viewer gets their own client
    /// whatever they ask for; another client's venue is `NOT_FOUND`.
    pub async fn trend(&self, actor: &Actor, client_id: &str, venue_id: Option<&str>) -> AppResult<Vec<TrendPoint>> {
        if let Some(own) = actor.client_scope()? {
            if own != client_id {
                return Err(AppError::NotFound("client"));
            }
        }
        if let Some(venue_id) = venue_id {
            let owner: Option<String> = sqlx::query_scalar("SELECT client_id FROM venues WHERE id = $1")
                .bind(venue_id)
                .fetch_optional(self.db.pool())
                .await?;
            if owner.as_deref() != Some(client_id) {
                return Err(AppError::NotFound("venue"));
            }
        }
        // Sums and counts (not averages) per oblast, so the wave's mean is exact however the oblasts split.
        let rows: Vec<TrendRow> = sqlx::query_as(
            "SELECT w.id, w.name, w.starts_on, w.ends_on, ve.oblast, COUNT(v.id), SUM(v.score), COUNT(v.score) \
             FROM waves w JOIN tasks t ON t.wave_id = w.id \
             JOIN visits v ON v.task_id = t.id AND v.state = 'APPROVED' JOIN venues ve ON ve.id = t.venue_id \
             WHERE w.client_id = $1 AND ($2 = '' OR t.venue_id = $2) \
             GROUP BY w.id, w.name, w.starts_on, w.ends_on, ve.oblast ORDER BY w.starts_on, w.id, ve.oblast",
        )
        .bind(client_id)
        .bind(venue_id.unwrap_or_default())
        .fetch_all(self.db.pool())
        .await?;
        Ok(points(rows))
    }
}

/// Rows come ordered by wave, so each wave's point is the last one being built; its score sum and count ride
/// along until the mean is taken.
fn points(rows: Vec<TrendRow>) -> Vec<TrendPoint> {
    let mut out: Vec<(TrendPoint, f64, i64)> = Vec::new();
    for (wave_id, wave_name, starts_on, ends_on, oblast, visits, score_sum, scored) in rows {
        if out.last().is_none_or(|(p, _, _)| p.wave_id != wave_id) {
            let point = TrendPoint {
                wave_id,
                wave_name,
                starts_on,
                ends_on,
                visits: 0,
                mean_score: None,
                regions: Vec::new(),
            };
            out.push((point, 0.0, 0));
        }
        let (point, sum, n) = out.last_mut().expect("pushed above");
        point.visits += visits;
        *sum += score_sum.unwrap_or(0.0);
        *n += scored;
        point.regions.push(TrendRegion {
            oblast,
            visits,
            mean_score: (scored > 0).then(|| round2(score_sum.unwrap_or(0.0) / scored as f64)),
        });
    }
    out.into_iter()
        .map(|(mut point, sum, n)| {
            point.mean_score = (n > 0).then(|| round2(sum / n as f64));
            point
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wave_mean_weighs_oblasts_by_their_scored_visits() {
        let row = |w: &str, oblast: &str, visits, sum, scored| -> TrendRow {
            (
                w.into(),
                format!("Хвиля {w}"),
                "2026-10-01".into(),
                "2026-10-31".into(),
                oblast.into(),
                visits,
                sum,
                scored,
            )
        };
        let points = points(vec![
            row("A", "Київська", 3, Some(240.0), 3),
            row("A", "Львівська", 1, Some(40.0), 1),
            row("B", "Львівська", 2, None, 0),
        ]);
        assert_eq!(points.len(), 2);
        assert_eq!(points[0].visits, 4);
        assert_eq!(points[0].mean_score, Some(70.0));
        assert_eq!(points[0].regions[0].mean_score, Some(80.0));
        assert_eq!(points[1].mean_score, None);
        assert_eq!(points[1].regions[0].visits, 2);
    }
}
