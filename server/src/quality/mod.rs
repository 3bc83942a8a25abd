//! The quality index's use cases: every counted response and every approval adds to its center's
//! running tallies inside its own transaction (`tally_response`, `tally_visit`); a refresh recomputes the
//! periods whose tallies changed (`refresh`, run by the background loop), each period of a client in one
//! transaction; `rebuild` starts over from the responses and visits themselves. The method is
//! `domain::quality_index`, explained in docs/INDEX.md.

mod reads;

pub use reads::{check_period, CenterHistoryPoint, IndexRow, PublicCenter, PublishedComment};

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use futures::TryStreamExt;
use sqlx::{AnyConnection, Row};
use tokio::sync::Mutex;

use crate::db::Db;
use crate::domain::quality_index::{compute, periods_of, CenterFacts, IndexSettings, Stratum, Tally, VisitTally};
use crate::error::{AppError, AppResult};

/// The channel name under which approved visits are tallied.
pub const MYSTERY: &str = "MYSTERY";

/// A refresh looks this far behind its last start, so a tally committed by a transaction that began before the
/// last refresh (or on a server whose clock is a little behind) is never missed.
const REFRESH_OVERLAP_MS: i64 = 120_000;

/// The quality index service.
#[derive(Clone)]
pub struct Quality {
    db: Db,
    settings: Arc<IndexSettings>,
    /// Tallies changed at or after this moment have not been recomputed yet (0 at start: everything once).
    watermark: Arc<Mutex<i64>>,
}

/// The (Kyiv) date of a moment.
fn kyiv_date(ms: i64) -> chrono::NaiveDate {
    crate::time::kyiv_time(ms).date_naive()
}

/// The quarter (Kyiv time) a day is in.
pub fn quarter_of(day: chrono::NaiveDate) -> String {
    let [_, quarter] = periods_of(day);
    quarter
}

/// What a tally row gains from visits: their number and the sum and sum of squares of their scores (negative for
/// a revoked approval).
#[derive(Debug, Clone, Copy, Default)]
struct VisitDelta {
    visits: i64,
    score_sum: f64,
    score_squares: f64,
}

/// What a tally row gains: responses' counts (`sign` -1 takes them out again) and visits.
#[derive(Debug, Clone, Copy)]
struct Delta<'a> {
    tally: &'a Tally,
    sign: i64,
    visits: VisitDelta,
}

/// Adds to one tally row (creating it).
async fn add(
    tx: &mut AnyConnection,
    period: &str,
    venue_id: &str,
    channel: &str,
    client_id: &str,
    delta: Delta<'_>,
    now: i64,
) -> AppResult<()> {
    let (t, v) = (delta.tally, delta.visits);
    let n = |x: u64| x as i64 * delta.sign;
    sqlx::query(
        "INSERT INTO index_tallies (period, venue_id, channel, client_id, rated, premises_n, premises_pos, staff_n, \
         staff_pos, waiting_n, waiting_pos, result_n, result_pos, recommend, promoters, detractors, visits, score_sum, \
         score_squares, updated_at, responses) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, \
         $16, $17, $18, $19, $20, $21) ON CONFLICT (period, venue_id, channel) DO UPDATE SET \
         responses = index_tallies.responses + excluded.responses, rated = index_tallies.rated + excluded.rated, \
         premises_n = index_tallies.premises_n + excluded.premises_n, \
         premises_pos = index_tallies.premises_pos + excluded.premises_pos, \
         staff_n = index_tallies.staff_n + excluded.staff_n, staff_pos = index_tallies.staff_pos + excluded.staff_pos, \
         waiting_n = index_tallies.waiting_n + excluded.waiting_n, \
         waiting_pos = index_tallies.waiting_pos + excluded.waiting_pos, \
         result_n = index_tallies.result_n + excluded.result_n, result_pos = index_tallies.result_pos + excluded.result_pos, \
         recommend = index_tallies.recommend + excluded.recommend, \
         promoters = index_tallies.promoters + excluded.promoters, \
         detractors = index_tallies.detractors + excluded.detractors, visits = index_tallies.visits + excluded.visits, \
         score_sum = index_tallies.score_sum + excluded.score_sum, \
         score_squares = index_tallies.score_squares + excluded.score_squares, updated_at = excluded.updated_at",
    )
    .bind(period)
    .bind(venue_id)
    .bind(channel)
    .bind(client_id)
    .bind(n(t.rated))
    .bind(n(t.answers[0]))
    .bind(n(t.positive[0]))
    .bind(n(t.answers[1]))
    .bind(n(t.positive[1]))
    .bind(n(t.answers[2]))
    .bind(n(t.positive[2]))
    .bind(n(t.answers[3]))
    .bind(n(t.positive[3]))
    .bind(n(t.recommend))
    .bind(n(t.promoters))
    .bind(n(t.detractors))
    .bind(v.visits)
    .bind(v.score_sum)
    .bind(v.score_squares)
    .bind(now)
    .bind(n(t.responses))
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// A counted response's share of its center's tallies (its month and its quarter), added (`sign` 1) or taken
/// out again (`sign` -1, a response a burst held afterwards), in the caller's transaction.
pub async fn tally_response(
    tx: &mut crate::db::Tx,
    client_id: &str,
    venue_id: &str,
    channel: &str,
    at_ms: i64,
    tally: &Tally,
    sign: i64,
) -> AppResult<()> {
    let delta = Delta {
        tally,
        sign,
        visits: VisitDelta::default(),
    };
    let now = tx.now_ms();
    for period in periods_of(kyiv_date(at_ms)) {
        add(tx, &period, venue_id, channel, client_id, delta, now).await?;
    }
    Ok(())
}

/// An approved visit (`sign` 1) or a revoked approval (`sign` -1) in its center's tallies, in the review's own
/// transaction; the visit counts in the period of its check-in. A visit without a score adds nothing.
pub async fn tally_visit(tx: &mut crate::db::Tx, visit_id: &str, sign: i64) -> AppResult<()> {
    let row: Option<(String, String, i64, Option<f64>)> = sqlx::query_as(
        "SELECT ve.id, ve.client_id, v.checkin_server_at, v.score FROM visits v JOIN tasks t ON t.id = v.task_id \
         JOIN venues ve ON ve.id = t.venue_id WHERE v.id = $1",
    )
    .bind(visit_id)
    .fetch_optional(&mut **tx)
    .await?;
    let Some((venue_id, client_id, at, Some(score))) = row else {
        return Ok(());
    };
    let delta = VisitDelta {
        visits: sign,
        score_sum: sign as f64 * score,
        score_squares: sign as f64 * score * score,
    };
    let delta = Delta {
        tally: &Tally::default(),
        sign: 1,
        visits: delta,
    };
    let now = tx.now_ms();
    for period in periods_of(kyiv_date(at)) {
        add(tx, &period, &venue_id, MYSTERY, &client_id, delta, now).await?;
    }
    Ok(())
}

impl Quality {
    pub fn new(db: Db, settings: IndexSettings) -> Self {
        Self {
            db,
            settings: Arc::new(settings),
            watermark: Arc::new(Mutex::new(0)),
        }
    }

    pub fn settings(&self) -> &IndexSettings {
        &self.settings
    }

    /// The period an index is shown for when none is asked: the current quarter (Kyiv time).
    pub fn current_quarter(&self) -> String {
        quarter_of(self.db.clock().kyiv_today())
    }

    /// Recomputes the periods whose tallies or venues changed since the last refresh (all of them the first time); one
    /// refresh at a time per server (several servers may refresh the same period: each writes the same result).
    pub async fn refresh(&self) -> AppResult<usize> {
        let mut watermark = self.watermark.lock().await;
        let started = self.db.now_ms();
        // Periods with new tallies, and every period of a venue that changed (deactivated, or moved to another
        // oblast or size class: its stratum's pool changes).
        let changed: Vec<(String, String)> = sqlx::query_as(
            "SELECT client_id, period FROM index_tallies WHERE updated_at >= $1 \
             UNION SELECT t.client_id, t.period FROM index_tallies t JOIN venues v ON v.id = t.venue_id \
             WHERE v.updated_at >= $1 ORDER BY 1, 2",
        )
        .bind(*watermark)
        .fetch_all(self.db.pool())
        .await?;
        for (client_id, period) in &changed {
            self.recompute(client_id, period).await?;
        }
        *watermark = started - REFRESH_OVERLAP_MS;
        Ok(changed.len())
    }

    /// Computes one client's index for one period from its tallies and replaces what was kept for it.
    pub async fn recompute(&self, client_id: &str, period: &str) -> AppResult<usize> {
        let rows = sqlx::query(
            "SELECT t.venue_id, t.channel, v.oblast, v.size_class, t.responses, t.rated, t.premises_n, t.premises_pos, t.staff_n, \
             t.staff_pos, t.waiting_n, t.waiting_pos, t.result_n, t.result_pos, t.recommend, t.promoters, t.detractors, \
             t.visits, t.score_sum, t.score_squares FROM index_tallies t JOIN venues v ON v.id = t.venue_id \
             WHERE t.client_id = $1 AND t.period = $2 AND v.active = 1 ORDER BY t.venue_id, t.channel",
        )
        .bind(client_id)
        .bind(period)
        .fetch_all(self.db.pool())
        .await?;
        let mut centers: BTreeMap<String, CenterFacts> = BTreeMap::new();
        for row in rows {
            let venue_id: String = row.try_get("venue_id")?;
            let channel: String = row.try_get("channel")?;
            let facts = centers.entry(venue_id.clone()).or_insert_with(|| CenterFacts {
                venue_id,
                stratum: Stratum {
                    oblast: row.try_get("oblast").unwrap_or_default(),
                    size_class: row
                        .try_get::<Option<String>, _>("size_class")
                        .ok()
                        .flatten()
                        .unwrap_or_default(),
                },
                channels: Vec::new(),
                visits: VisitTally::default(),
            });
            let count = |name: &str| -> Result<u64, sqlx::Error> { Ok(row.try_get::<i64, _>(name)?.max(0) as u64) };
            if channel == MYSTERY {
                facts.visits = VisitTally {
                    visits: count("visits")?,
                    score_sum: row.try_get("score_sum")?,
                    score_squares: row.try_get("score_squares")?,
                };
            } else {
                facts.channels.push((
                    channel,
                    Tally {
                        responses: count("responses")?,
                        rated: count("rated")?,
                        answers: [
                            count("premises_n")?,
                            count("staff_n")?,
                            count("waiting_n")?,
                            count("result_n")?,
                        ],
                        positive: [
                            count("premises_pos")?,
                            count("staff_pos")?,
                            count("waiting_pos")?,
                            count("result_pos")?,
                        ],
                        recommend: count("recommend")?,
                        promoters: count("promoters")?,
                        detractors: count("detractors")?,
                    },
                ));
            }
        }
        let centers: Vec<CenterFacts> = centers.into_values().collect();
        let computed = compute(&self.settings, &centers);
        let now = self.db.now_ms();
        let mut tx = self.db.begin_write().await?;
        if self.db.backend() == crate::db::Backend::Postgres {
            // Two servers (or a rebuild and the refresh loop) recomputing one period take turns: otherwise both
            // delete nothing, then both insert the same rows.
            sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))")
                .bind(format!("quality_index:{client_id}:{period}"))
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query("DELETE FROM quality_index WHERE client_id = $1 AND period = $2")
            .bind(client_id)
            .bind(period)
            .execute(&mut *tx)
            .await?;
        for chunk in computed.chunks(200) {
            // A missing headline is written as a NULL literal, not a bound NULL: sqlx's Any driver binds a NULL
            // double to PostgreSQL with another type than a present one, and a statement prepared with one
            // then refuses the other.
            let mut sql = String::from(
                "INSERT INTO quality_index (period, venue_id, client_id, responses, visits, headline, rank, rank_of, \
                 detail, computed_at) VALUES ",
            );
            let mut p = 0;
            let mut next = || {
                p += 1;
                format!("${p}")
            };
            for (i, c) in chunk.iter().enumerate() {
                if i > 0 {
                    sql.push_str(", ");
                }
                let mut cells: Vec<String> = (0..5).map(|_| next()).collect();
                cells.push(if c.headline.is_some() { next() } else { "NULL".into() });
                cells.extend((0..4).map(|_| next()));
                sql.push_str(&format!("({})", cells.join(", ")));
            }
            let mut query = sqlx::query(&sql);
            for c in chunk {
                let detail = serde_json::to_string(c).map_err(|e| AppError::Internal(e.into()))?;
                query = query
                    .bind(period)
                    .bind(&c.venue_id)
                    .bind(client_id)
                    .bind(c.responses as i64)
                    .bind(c.mystery.n as i64);
                if let Some((headline, _, _)) = c.headline {
                    query = query.bind(headline);
                }
                query = query
                    .bind(c.rank.map(|r| r.0 as i64))
                    .bind(c.rank.map(|r| r.1 as i64))
                    .bind(detail)
                    .bind(now);
            }
            query.execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(computed.len())
    }

    /// Tallies written before they counted responses (the `responses` column came later) are rebuilt once, at
    /// start; returns whether it was needed.
    pub async fn backfill_response_counts(&self) -> AppResult<bool> {
        let stale: Option<i64> = sqlx::query_scalar(
            "SELECT 1 FROM index_tallies WHERE responses = 0 AND (rated > 0 OR recommend > 0) LIMIT 1",
        )
        .fetch_optional(self.db.pool())
        .await?;
        if stale.is_none() {
            return Ok(false);
        }
        self.rebuild().await?;
        Ok(true)
    }

    /// Starts over: the tallies are rebuilt from the counted responses and the approved visits, then every
    /// period is recomputed. For a changed method or after repairing data by hand (`fieldwork rebuild-index`).
    ///
    /// Responses and reviews keep arriving meanwhile, so the reads and the writes are one transaction that
    /// holds the tallies' lock (SQLite: the write lock; PostgreSQL: an exclusive lock on `index_tallies`, which
    /// every tally writer needs). A writer that tallied before has committed before the lock was granted, so its
    /// response is read; a writer after waits, and adds to the rebuilt tallies. The tallies end equal to a
    /// recount whatever the timing. Writers wait for the rebuild (seconds per million responses).
    pub async fn rebuild(&self) -> AppResult<RebuildReport> {
        type Key = (String, String, String); // period, venue, channel
        let mut tallies: HashMap<Key, (String, Tally, VisitTally)> = HashMap::new();
        let mut responses = 0u64;
        let mut tx = self.db.begin_write().await?;
        if self.db.backend() == crate::db::Backend::Postgres {
            sqlx::query("LOCK TABLE index_tallies IN EXCLUSIVE MODE")
                .execute(&mut *tx)
                .await?;
        }
        {
            let mut rows = sqlx::query(
                "SELECT r.venue_id, v.client_id, r.channel, r.premises, r.staff, r.waiting, r.result, r.recommend, \
                 r.created_at FROM feedback_responses r JOIN venues v ON v.id = r.venue_id WHERE r.counted = 1",
            )
            .fetch(&mut *tx);
            while let Some(row) = rows.try_next().await? {
                let level = |name: &str| -> Result<Option<u8>, sqlx::Error> {
                    Ok(row.try_get::<Option<i64>, _>(name)?.map(|x| x.clamp(0, 10) as u8))
                };
                let t = Tally::of_response(
                    [level("premises")?, level("staff")?, level("waiting")?, level("result")?],
                    level("recommend")?,
                );
                let venue: String = row.try_get("venue_id")?;
                let client: String = row.try_get("client_id")?;
                let channel: String = row.try_get("channel")?;
                for period in periods_of(kyiv_date(row.try_get("created_at")?)) {
                    tallies
                        .entry((period, venue.clone(), channel.clone()))
                        .or_insert_with(|| (client.clone(), Tally::default(), VisitTally::default()))
                        .1
                        .add(&t);
                }
                responses += 1;
            }
        }
        let visits: Vec<(String, String, i64, f64)> = sqlx::query_as(
            "SELECT ve.id, ve.client_id, v.checkin_server_at, v.score FROM visits v JOIN tasks t ON t.id = v.task_id \
             JOIN venues ve ON ve.id = t.venue_id WHERE v.state = 'APPROVED' AND v.score IS NOT NULL",
        )
        .fetch_all(&mut *tx)
        .await?;
        for (venue, client, at, score) in &visits {
            for period in periods_of(kyiv_date(*at)) {
                let v = &mut tallies
                    .entry((period, venue.clone(), MYSTERY.to_string()))
                    .or_insert_with(|| (client.clone(), Tally::default(), VisitTally::default()))
                    .2;
                v.visits += 1;
                v.score_sum += score;
                v.score_squares += score * score;
            }
        }
        let now = self.db.now_ms();
        sqlx::query("DELETE FROM index_tallies").execute(&mut *tx).await?;
        sqlx::query("DELETE FROM quality_index").execute(&mut *tx).await?;
        for ((period, venue, channel), (client, t, v)) in &tallies {
            let delta = Delta {
                tally: t,
                sign: 1,
                visits: VisitDelta {
                    visits: v.visits as i64,
                    score_sum: v.score_sum,
                    score_squares: v.score_squares,
                },
            };
            add(&mut tx, period, venue, channel, client, delta, now).await?;
        }
        tx.commit().await?;
        *self.watermark.lock().await = 0;
        let periods = self.refresh().await?;
        Ok(RebuildReport {
            responses,
            visits: visits.len() as u64,
            periods,
        })
    }
}

/// What a rebuild went through.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RebuildReport {
    pub responses: u64,
    pub visits: u64,
    pub periods: usize,
}
