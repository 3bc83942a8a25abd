//! One quality index per center: the parts (citizens' ratings, the loyalty index, the mystery-shopping
//! score), each shrunk toward its stratum's mean with a prior strength, each with an interval, published only from
//! a minimum count; the headline as a weighted mean of the published parts; ranks within the stratum. Pure: the
//! `quality` use cases bring the tallies. The method is written out, with worked examples, in docs/INDEX.md.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::feedback::DIMENSIONS;

/// The method's settings (`[index]` in the configuration; docs/INDEX.md explains each).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct IndexSettings {
    /// Weights of the parts in the headline (renormalised over the parts that are published).
    pub weight_ratings: f64,
    pub weight_loyalty: f64,
    pub weight_mystery: f64,
    /// Prior strength: how many responses (visits) the stratum's mean counts for.
    pub prior_responses: f64,
    pub prior_visits: f64,
    /// A citizens' part (and each channel's figure) is published from this many responses.
    pub min_responses: u64,
    /// The mystery-shopping part is published from this many approved visits.
    pub min_visits: u64,
    /// Breakdowns (a dimension, a channel) under this many responses are never shown.
    pub min_breakdown: u64,
    /// The headline is published with at least this many parts…
    pub headline_min_parts: usize,
    /// …or with one part behind which at least this many responses and visits stand.
    pub headline_min_n: u64,
    /// A stratum with fewer centers that have data borrows the client-wide mean instead.
    pub min_stratum_centers: usize,
    /// The normal quantile of the intervals (1.96: 95 %).
    pub z: f64,
    /// The prior variance of one visit's score (points²): what is assumed with no visits to learn from.
    pub fallback_visit_variance: f64,
    /// How many visits' worth of evidence that prior variance carries (degrees of freedom): the pooled variance
    /// is shrunk toward it, so a few identical visits never make an interval of zero width.
    pub prior_variance_visits: f64,
}

impl Default for IndexSettings {
    fn default() -> Self {
        Self {
            weight_ratings: 0.4,
            weight_loyalty: 0.2,
            weight_mystery: 0.4,
            prior_responses: 20.0,
            prior_visits: 2.0,
            min_responses: 30,
            min_visits: 1,
            min_breakdown: 10,
            headline_min_parts: 2,
            headline_min_n: 100,
            min_stratum_centers: 3,
            z: 1.96,
            fallback_visit_variance: 225.0,
            prior_variance_visits: 4.0,
        }
    }
}

impl IndexSettings {
    /// Weights must be non-negative and not all zero; priors, counts and z must make sense.
    pub fn check(&self) -> Result<(), String> {
        let weights = [self.weight_ratings, self.weight_loyalty, self.weight_mystery];
        if weights.iter().any(|w| !w.is_finite() || *w < 0.0) || weights.iter().sum::<f64>() <= 0.0 {
            return Err("index weights must be non-negative and not all zero".into());
        }
        if !(self.prior_responses >= 0.0 && self.prior_visits >= 0.0 && self.prior_variance_visits >= 0.0) {
            return Err("index prior strengths must be non-negative".into());
        }
        if !(self.fallback_visit_variance > 0.0 && self.fallback_visit_variance.is_finite()) {
            return Err("index fallback_visit_variance must be positive".into());
        }
        if !(self.z > 0.0 && self.z.is_finite()) || self.min_visits == 0 || self.min_responses == 0 {
            return Err("index z and minimum counts must be positive".into());
        }
        Ok(())
    }
}

/// What one channel brought one center in one period: counts only, so they add up response by response.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Tally {
    /// Counted responses, whatever they answered (the n that the map, the center pages and open data show).
    pub responses: u64,
    /// Counted responses with at least one rating.
    pub rated: u64,
    /// Per dimension (premises, staff, waiting, result): answers, and how many were чудово or добре.
    pub answers: [u64; 4],
    pub positive: [u64; 4],
    /// Answers to "would you recommend" (0–10): all, promoters (9–10), detractors (0–6).
    pub recommend: u64,
    pub promoters: u64,
    pub detractors: u64,
}

impl Tally {
    /// One response's contribution: ratings 1..4 per dimension (4 = чудово), recommend 0..10.
    pub fn of_response(ratings: [Option<u8>; 4], recommend: Option<u8>) -> Self {
        let mut t = Tally {
            responses: 1,
            ..Tally::default()
        };
        for (i, rating) in ratings.iter().enumerate() {
            if let Some(level) = rating {
                t.answers[i] = 1;
                t.positive[i] = u64::from(*level >= 3);
            }
        }
        t.rated = u64::from(ratings.iter().any(Option::is_some));
        if let Some(r) = recommend {
            t.recommend = 1;
            t.promoters = u64::from(r >= 9);
            t.detractors = u64::from(r <= 6);
        }
        t
    }

    pub fn add(&mut self, other: &Tally) {
        self.responses += other.responses;
        self.rated += other.rated;
        for i in 0..4 {
            self.answers[i] += other.answers[i];
            self.positive[i] += other.positive[i];
        }
        self.recommend += other.recommend;
        self.promoters += other.promoters;
        self.detractors += other.detractors;
    }

    fn all_answers(&self) -> u64 {
        self.answers.iter().sum()
    }

    fn all_positive(&self) -> u64 {
        self.positive.iter().sum()
    }
}

/// Approved visits of one center in one period: their number, and the sum and sum of squares of their scores.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct VisitTally {
    pub visits: u64,
    pub score_sum: f64,
    pub score_squares: f64,
}

/// A center's stratum: its oblast and size class.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Stratum {
    pub oblast: String,
    pub size_class: String,
}

/// One center's facts for a period.
#[derive(Debug, Clone)]
pub struct CenterFacts {
    pub venue_id: String,
    pub stratum: Stratum,
    /// Per citizens' channel (`QR`, `WEB_MAP`, …).
    pub channels: Vec<(String, Tally)>,
    pub visits: VisitTally,
}

/// A part's estimate, 0–100 (the loyalty index −100…100).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    /// The center's own figure, before shrinkage.
    pub raw: f64,
    /// Shrunk toward the stratum's mean: what is published.
    pub value: f64,
    pub low: f64,
    pub high: f64,
    /// Responses (visits) behind it.
    pub n: u64,
    /// The mean it was shrunk toward.
    pub prior: f64,
}

/// A part: published (with its estimate) or held back with the count behind it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Part {
    pub n: u64,
    pub estimate: Option<Estimate>,
}

/// A figure shown on its own (one dimension, or one channel), never under `min_breakdown`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Breakdown {
    /// `ALL` or a channel.
    pub channel: String,
    /// A dimension (`premises`…), `ratings` (all four) or `loyalty`.
    pub measure: String,
    pub n: u64,
    pub value: f64,
    pub low: f64,
    pub high: f64,
}

/// A center's index for a period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CenterIndex {
    pub venue_id: String,
    pub stratum: Stratum,
    pub responses: u64,
    pub ratings: Part,
    pub loyalty: Part,
    pub mystery: Part,
    /// The headline (0–100) with its interval, when published.
    pub headline: Option<(f64, f64, f64)>,
    /// Place within the stratum (1 = best) among the centers with a headline, and how many those are.
    pub rank: Option<(u64, u64)>,
    pub breakdowns: Vec<Breakdown>,
}

/// The Wilson score interval for `share` (0–1) over `n` trials, as 0–100.
pub fn wilson(share: f64, n: f64, z: f64) -> (f64, f64) {
    if n <= 0.0 {
        return (0.0, 100.0);
    }
    let z2 = z * z;
    let centre = share + z2 / (2.0 * n);
    let spread = z * (share * (1.0 - share) / n + z2 / (4.0 * n * n)).sqrt();
    let denominator = 1.0 + z2 / n;
    (
        round2(100.0 * ((centre - spread) / denominator).max(0.0)),
        round2(100.0 * ((centre + spread) / denominator).min(1.0)),
    )
}

/// The Bayesian average: `n` observations with mean `x`, and a prior mean `mu` worth `k` observations.
pub fn shrink(x: f64, n: f64, mu: f64, k: f64) -> f64 {
    if n + k <= 0.0 {
        return mu;
    }
    (n * x + k * mu) / (n + k)
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// Pooled means of a stratum (or of the whole client): shares and the visits' mean and variance.
#[derive(Debug, Clone, Copy, Default)]
struct Pool {
    centers_rated: usize,
    answers: u64,
    positive: u64,
    centers_recommend: usize,
    recommend: u64,
    promoters: u64,
    detractors: u64,
    centers_visited: usize,
    visits: u64,
    score_sum: f64,
    score_squares: f64,
}

impl Pool {
    fn add(&mut self, total: &Tally, visits: &VisitTally) {
        if total.all_answers() > 0 {
            self.centers_rated += 1;
        }
        self.answers += total.all_answers();
        self.positive += total.all_positive();
        if total.recommend > 0 {
            self.centers_recommend += 1;
        }
        self.recommend += total.recommend;
        self.promoters += total.promoters;
        self.detractors += total.detractors;
        if visits.visits > 0 {
            self.centers_visited += 1;
        }
        self.visits += visits.visits;
        self.score_sum += visits.score_sum;
        self.score_squares += visits.score_squares;
    }

    fn positive_share(&self) -> Option<f64> {
        (self.answers > 0).then(|| self.positive as f64 / self.answers as f64)
    }

    fn promoter_detractor(&self) -> Option<(f64, f64)> {
        (self.recommend > 0).then(|| {
            let n = self.recommend as f64;
            (self.promoters as f64 / n, self.detractors as f64 / n)
        })
    }

    fn visit_mean(&self) -> Option<f64> {
        (self.visits > 0).then(|| self.score_sum / self.visits as f64)
    }

    /// The spread of one visit's score across the pool: the sum of squared deviations from the mean and its
    /// degrees of freedom (n − 1), if two visits or more.
    fn visit_spread(&self) -> Option<(f64, f64)> {
        (self.visits >= 2).then(|| {
            let n = self.visits as f64;
            (
                (self.score_squares - self.score_sum * self.score_sum / n).max(0.0),
                n - 1.0,
            )
        })
    }
}

/// The priors one part of one center is shrunk toward: its stratum's pool when the stratum has enough centers
/// with data for that part, else the client's.
struct Priors<'a> {
    stratum: &'a Pool,
    client: &'a Pool,
    min_centers: usize,
}

impl Priors<'_> {
    fn pick(&self, centers: impl Fn(&Pool) -> usize) -> &Pool {
        if centers(self.stratum) >= self.min_centers {
            self.stratum
        } else {
            self.client
        }
    }
}

/// The index of every center of one client in one period.
pub fn compute(settings: &IndexSettings, centers: &[CenterFacts]) -> Vec<CenterIndex> {
    let totals: Vec<Tally> = centers
        .iter()
        .map(|c| {
            let mut total = Tally::default();
            for (_, t) in &c.channels {
                total.add(t);
            }
            total
        })
        .collect();
    let mut client = Pool::default();
    let mut strata: HashMap<&Stratum, Pool> = HashMap::new();
    for (c, total) in centers.iter().zip(&totals) {
        client.add(total, &c.visits);
        strata.entry(&c.stratum).or_default().add(total, &c.visits);
    }
    let mut out: Vec<CenterIndex> = centers
        .iter()
        .zip(&totals)
        .map(|(c, total)| {
            let priors = Priors {
                stratum: &strata[&c.stratum],
                client: &client,
                min_centers: settings.min_stratum_centers,
            };
            center(settings, c, total, &priors)
        })
        .collect();
    rank(&mut out);
    out
}

fn center(settings: &IndexSettings, c: &CenterFacts, total: &Tally, priors: &Priors) -> CenterIndex {
    let z = settings.z;
    let k = settings.prior_responses;

    // Citizens' ratings: the share of чудово/добре answers, with the responses (not the answers) as n, since one
    // person's four answers are not four independent people.
    let ratings = {
        let n = total.rated;
        let estimate = (n >= settings.min_responses).then(|| {
            let raw = total.all_positive() as f64 / total.all_answers() as f64;
            let mu = priors.pick(|p| p.centers_rated).positive_share().unwrap_or(raw);
            let value = shrink(raw, n as f64, mu, k);
            let (low, high) = wilson(value, n as f64 + k, z);
            Estimate {
                raw: round2(100.0 * raw),
                value: round2(100.0 * value),
                low,
                high,
                n,
                prior: round2(100.0 * mu),
            }
        });
        Part { n, estimate }
    };

    // Loyalty: promoters minus detractors, each share shrunk on its own; the interval from the multinomial
    // variance of the difference at the effective n.
    let loyalty = {
        let n = total.recommend;
        let estimate = (n >= settings.min_responses).then(|| {
            let nf = n as f64;
            let (own_p, own_d) = (total.promoters as f64 / nf, total.detractors as f64 / nf);
            let (mu_p, mu_d) = priors
                .pick(|p| p.centers_recommend)
                .promoter_detractor()
                .unwrap_or((own_p, own_d));
            let p = shrink(own_p, nf, mu_p, k);
            let d = shrink(own_d, nf, mu_d, k);
            let value = 100.0 * (p - d);
            let half = 100.0 * z * ((p + d - (p - d).powi(2)).max(0.0) / (nf + k)).sqrt();
            Estimate {
                raw: round2(100.0 * (own_p - own_d)),
                value: round2(value),
                low: round2((value - half).max(-100.0)),
                high: round2((value + half).min(100.0)),
                n,
                prior: round2(100.0 * (mu_p - mu_d)),
            }
        });
        Part { n, estimate }
    };

    // Mystery shopping: the mean score of approved visits, shrunk with `prior_visits`; the spread of one visit's
    // score is the pool's (a center has one or two visits a wave, too few for its own).
    let mystery = {
        let v = &c.visits;
        let n = v.visits;
        let estimate = (n >= settings.min_visits).then(|| {
            let nf = n as f64;
            let raw = v.score_sum / nf;
            let pool = priors.pick(|p| p.centers_visited);
            let mu = pool.visit_mean().unwrap_or(raw);
            let kv = settings.prior_visits;
            let value = shrink(raw, nf, mu, kv);
            // The pool's variance shrunk toward the prior one (a scaled inverse-χ² prior with
            // `prior_variance_visits` degrees of freedom): few or identical visits cannot claim certainty.
            let (squares, df) = pool
                .visit_spread()
                .or_else(|| priors.client.visit_spread())
                .unwrap_or((0.0, 0.0));
            let nu = settings.prior_variance_visits;
            let variance = if df + nu > 0.0 {
                (squares + nu * settings.fallback_visit_variance) / (df + nu)
            } else {
                settings.fallback_visit_variance
            };
            let half = z * (variance / (nf + kv)).sqrt();
            Estimate {
                raw: round2(raw),
                value: round2(value),
                low: round2((value - half).max(0.0)),
                high: round2((value + half).min(100.0)),
                n,
                prior: round2(mu),
            }
        });
        Part { n, estimate }
    };

    // The headline: the weighted mean of the published parts on one 0–100 scale (loyalty mapped from −100…100),
    // the parts' errors taken as independent.
    let parts: Vec<(f64, f64, f64, u64)> = [
        (settings.weight_ratings, &ratings, false),
        (settings.weight_loyalty, &loyalty, true),
        (settings.weight_mystery, &mystery, false),
    ]
    .into_iter()
    .filter(|(w, _, _)| *w > 0.0)
    .filter_map(|(w, part, signed)| {
        part.estimate.as_ref().map(|e| {
            let (value, half) = if signed {
                ((e.value + 100.0) / 2.0, (e.high - e.low) / 4.0)
            } else {
                (e.value, (e.high - e.low) / 2.0)
            };
            (w, value, half, e.n)
        })
    })
    .collect();
    let behind = ratings
        .estimate
        .as_ref()
        .map_or(0, |e| e.n)
        .max(loyalty.estimate.as_ref().map_or(0, |e| e.n))
        + mystery.estimate.as_ref().map_or(0, |e| e.n);
    let headline = (!parts.is_empty()
        && (parts.len() >= settings.headline_min_parts || behind >= settings.headline_min_n))
        .then(|| {
            let weights: f64 = parts.iter().map(|p| p.0).sum();
            let value: f64 = parts.iter().map(|(w, v, _, _)| w * v).sum::<f64>() / weights;
            let half = parts
                .iter()
                .map(|(w, _, h, _)| (w / weights * h).powi(2))
                .sum::<f64>()
                .sqrt();
            (
                round2(value),
                round2((value - half).max(0.0)),
                round2((value + half).min(100.0)),
            )
        });

    CenterIndex {
        venue_id: c.venue_id.clone(),
        stratum: c.stratum.clone(),
        responses: total.responses,
        ratings,
        loyalty,
        mystery,
        headline,
        rank: None,
        breakdowns: breakdowns(settings, c, total),
    }
}

/// The figures shown on their own: each dimension over all channels, and per channel its ratings, its loyalty
/// and its dimensions. Raw (not shrunk), with Wilson intervals; nothing under `min_breakdown` responses, and a
/// channel's own ratings and loyalty only from `min_responses`.
fn breakdowns(settings: &IndexSettings, c: &CenterFacts, total: &Tally) -> Vec<Breakdown> {
    let z = settings.z;
    let share = |channel: &str, measure: &str, positive: u64, answers: u64, n: u64| {
        let p = positive as f64 / answers as f64;
        let (low, high) = wilson(p, n as f64, z);
        Breakdown {
            channel: channel.into(),
            measure: measure.into(),
            n,
            value: round2(100.0 * p),
            low,
            high,
        }
    };
    let mut out = Vec::new();
    let dimensions = |channel: &str, t: &Tally, out: &mut Vec<Breakdown>| {
        for (i, name) in DIMENSIONS.iter().enumerate() {
            if t.answers[i] >= settings.min_breakdown {
                out.push(share(channel, name, t.positive[i], t.answers[i], t.answers[i]));
            }
        }
    };
    dimensions("ALL", total, &mut out);
    let mut channels: Vec<&(String, Tally)> = c.channels.iter().collect();
    channels.sort_by(|a, b| a.0.cmp(&b.0));
    for (channel, t) in channels {
        let floor = settings.min_responses.max(settings.min_breakdown);
        if t.rated >= floor {
            out.push(share(channel, "ratings", t.all_positive(), t.all_answers(), t.rated));
        }
        if t.recommend >= floor {
            let n = t.recommend as f64;
            let (p, d) = (t.promoters as f64 / n, t.detractors as f64 / n);
            let value = 100.0 * (p - d);
            let half = 100.0 * z * ((p + d - (p - d).powi(2)).max(0.0) / n).sqrt();
            out.push(Breakdown {
                channel: channel.clone(),
                measure: "loyalty".into(),
                n: t.recommend,
                value: round2(value),
                low: round2((value - half).max(-100.0)),
                high: round2((value + half).min(100.0)),
            });
        }
        dimensions(channel, t, &mut out);
    }
    out
}

/// Competition ranking ("1, 2, 2, 4") by headline within each stratum, among centers that have one.
fn rank(centers: &mut [CenterIndex]) {
    let mut by_stratum: HashMap<Stratum, Vec<f64>> = HashMap::new();
    for c in centers.iter() {
        if let Some((value, _, _)) = c.headline {
            by_stratum.entry(c.stratum.clone()).or_default().push(value);
        }
    }
    for c in centers.iter_mut() {
        if let Some((value, _, _)) = c.headline {
            let peers = &by_stratum[&c.stratum];
            let better = peers.iter().filter(|v| **v > value).count() as u64;
            c.rank = Some((better + 1, peers.len() as u64));
        }
    }
}

/// The periods a moment falls in (Kyiv time): its month (`2026-11`) and quarter (`2026-Q4`).
pub fn periods_of(kyiv_date: chrono::NaiveDate) -> [String; 2] {
    use chrono::Datelike;
    [
        format!("{:04}-{:02}", kyiv_date.year(), kyiv_date.month()),
        format!("{:04}-Q{}", kyiv_date.year(), (kyiv_date.month() - 1) / 3 + 1),
    ]
}

/// Whether a period name is a month (`2026-11`) or a quarter (`2026-Q4`), checked.
pub fn parse_period(text: &str) -> Option<PeriodKind> {
    let (year, rest) = text.split_once('-')?;
    if year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    match rest.strip_prefix('Q') {
        Some("1" | "2" | "3" | "4") => Some(PeriodKind::Quarter),
        Some(_) => None,
        None => (rest.len() == 2 && matches!(rest.parse::<u32>(), Ok(1..=12))).then_some(PeriodKind::Month),
    }
}

/// The first day of a period and the first day after it (Kyiv calendar days), if the name is one.
pub fn period_days(text: &str) -> Option<(chrono::NaiveDate, chrono::NaiveDate)> {
    let kind = parse_period(text)?;
    let year: i32 = text[..4].parse().ok()?;
    let (first_month, months) = match kind {
        PeriodKind::Month => (text[5..].parse::<u32>().ok()?, 1),
        PeriodKind::Quarter => ((text[6..].parse::<u32>().ok()? - 1) * 3 + 1, 3),
    };
    let start = chrono::NaiveDate::from_ymd_opt(year, first_month, 1)?;
    let end = start.checked_add_months(chrono::Months::new(months))?;
    Some((start, end))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodKind {
    Month,
    Quarter,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> IndexSettings {
        IndexSettings::default()
    }

    fn stratum(oblast: &str) -> Stratum {
        Stratum {
            oblast: oblast.into(),
            size_class: "MEDIUM".into(),
        }
    }

    /// A channel tally: `rated` responses with every dimension answered, `positive_answers` of their answers
    /// positive (spread over the dimensions), and recommend answers split into promoters, passives, detractors.
    fn tally(rated: u64, positive_answers: u64, promoters: u64, passives: u64, detractors: u64) -> Tally {
        let mut t = Tally {
            // In these examples everyone who answered "recommend" also rated.
            responses: rated.max(promoters + passives + detractors),
            rated,
            answers: [rated; 4],
            ..Tally::default()
        };
        for i in 0..positive_answers {
            t.positive[(i % 4) as usize] += 1;
        }
        t.recommend = promoters + passives + detractors;
        t.promoters = promoters;
        t.detractors = detractors;
        t
    }

    fn facts(id: &str, oblast: &str, channels: Vec<(&str, Tally)>, visits: &[f64]) -> CenterFacts {
        CenterFacts {
            venue_id: id.into(),
            stratum: stratum(oblast),
            channels: channels.into_iter().map(|(c, t)| (c.to_string(), t)).collect(),
            visits: VisitTally {
                visits: visits.len() as u64,
                score_sum: visits.iter().sum(),
                score_squares: visits.iter().map(|s| s * s).sum(),
            },
        }
    }

    #[test]
    fn wilson_matches_the_textbook_values() {
        // 8 of 10 at 95 %: 49.02 % … 94.33 % (Wilson 1927; e.g. Newcombe 1998, table I).
        assert_eq!(wilson(0.8, 10.0, 1.96), (49.02, 94.33));
        // 0 of 10: 0 … 27.75 %.
        assert_eq!(wilson(0.0, 10.0, 1.96), (0.0, 27.75));
    }

    #[test]
    fn a_response_tallies_what_it_answered() {
        let t = Tally::of_response([Some(4), Some(3), Some(2), None], Some(9));
        assert_eq!(t.rated, 1);
        assert_eq!(t.answers, [1, 1, 1, 0]);
        assert_eq!(t.positive, [1, 1, 0, 0]);
        assert_eq!((t.recommend, t.promoters, t.detractors), (1, 1, 0));
        let t = Tally::of_response([None; 4], Some(6));
        assert_eq!((t.rated, t.recommend, t.promoters, t.detractors), (0, 1, 0, 1));
    }

    /// The worked example of docs/INDEX.md, by hand.
    ///
    /// Three centers in one stratum (so the stratum has the 3 centers it needs):
    /// - A: 40 QR responses, 120 of their 160 answers positive; 20 promoters, 10 passives, 10 detractors; two
    ///   visits scoring 80 and 90.
    /// - B: 60 WEB_MAP responses, 120 of 240 answers positive; 15 promoters, 15 passives, 30 detractors; one
    ///   visit scoring 60.
    /// - C: 10 QR responses, 10 of 40 positive; no recommend answers; no visits.
    ///
    /// Stratum pools: positive share 250/440 = 0.568182; promoters 35/100, detractors 40/100; visits
    /// 80, 90, 60: mean 76.6667, sample variance ((80² + 90² + 60²) − 230²/3)/2 = 233.3333.
    ///
    /// A's ratings: raw 0.75, n = 40, k = 20: (40·0.75 + 20·0.568182)/60 = 0.689394 → 68.94; Wilson at
    /// 0.689394 with n = 60: 56.39 … 79.21.
    /// A's loyalty: p = (40·0.5 + 20·0.35)/60 = 0.45, d = (40·0.25 + 20·0.40)/60 = 0.30; value 15.00;
    /// half = 196·sqrt((0.45 + 0.30 − 0.0225)/60) = 21.58 → −6.58 … 36.58.
    /// A's mystery: raw 85, (2·85 + 2·76.6667)/4 = 80.83; variance (2·233.3333 + 4·225)/6 = 227.7778;
    /// half = 1.96·sqrt(227.7778/4) = 14.79 → 66.04 … 95.62.
    /// A's headline: 0.4·68.94 + 0.2·(15 + 100)/2 + 0.4·80.83 = 71.41 (parts' half-widths 11.41, 10.79, 14.79
    /// → sqrt((0.4·11.41)² + (0.2·10.79)² + (0.4·14.79)²) = 7.78 → 63.63 … 79.19).
    /// One, two or three identical visits (all 100, in a stratum of only such visits) never make a sure thing: the
    /// pooled variance of 0 is shrunk toward the prior's, so the interval stays wide and narrows with more visits.
    #[test]
    fn a_few_identical_visits_keep_an_honest_interval() {
        let mut widths = Vec::new();
        for n in 1..=3 {
            let visits = vec![100.0; n];
            let centers = vec![facts("A", "Lvivska", vec![], &visits)];
            let computed = compute(&settings(), &centers);
            let m = computed[0].mystery.estimate.clone().expect("published from one visit");
            assert_eq!(m.value, 100.0, "{n} visits");
            assert!(m.low < m.value, "{n} visits: {m:?}");
            widths.push(m.value - m.low);
        }
        assert!(widths[0] > 12.0, "one visit: {widths:?}");
        assert!(
            widths[0] > widths[1] && widths[1] > widths[2] && widths[2] > 8.0,
            "{widths:?}"
        );
        // What staff saw: three centers, one visit each, all 100: each center's one visit is not certain.
        let centers: Vec<CenterFacts> = ["A", "B", "C"]
            .into_iter()
            .map(|id| facts(id, "Lvivska", vec![], &[100.0]))
            .collect();
        for c in compute(&settings(), &centers) {
            let m = c.mystery.estimate.expect("published from one visit");
            assert!(m.value - m.low > 10.0, "{}: {m:?}", c.venue_id);
        }
    }

    #[test]
    fn the_worked_example_of_the_docs() {
        let centers = vec![
            facts(
                "A",
                "Львівська",
                vec![("QR", tally(40, 120, 20, 10, 10))],
                &[80.0, 90.0],
            ),
            facts("B", "Львівська", vec![("WEB_MAP", tally(60, 120, 15, 15, 30))], &[60.0]),
            facts("C", "Львівська", vec![("QR", tally(10, 10, 0, 0, 0))], &[]),
        ];
        let out = compute(&settings(), &centers);
        let a = &out[0];
        let r = a
            .ratings
            .estimate
            .as_ref()
            .expect("A's ratings are published (40 ≥ 30)");
        assert_eq!((r.raw, r.value, r.prior, r.n), (75.0, 68.94, 56.82, 40));
        assert_eq!((r.low, r.high), (56.39, 79.21));
        let l = a.loyalty.estimate.as_ref().unwrap();
        assert_eq!((l.raw, l.value, l.prior), (25.0, 15.0, -5.0));
        assert_eq!((l.low, l.high), (-6.58, 36.58));
        let m = a.mystery.estimate.as_ref().unwrap();
        assert_eq!((m.raw, m.value, m.prior), (85.0, 80.83, 76.67));
        assert_eq!((m.low, m.high), (66.04, 95.62));
        assert_eq!(a.headline, Some((71.41, 63.63, 79.19)));

        // C: 10 responses are too few for its ratings (30), no loyalty, no visits: nothing published, no rank;
        // but its 10 answers per dimension are shown as breakdowns (10 ≥ 10).
        let c = &out[2];
        assert_eq!((c.ratings.n, c.ratings.estimate.is_none()), (10, true));
        assert!(c.headline.is_none() && c.rank.is_none());
        assert_eq!(c.breakdowns.iter().filter(|b| b.channel == "ALL").count(), 4);
        assert!(c.breakdowns.iter().all(|b| b.n >= 10));

        // Ranks among the two with a headline: A above B.
        assert_eq!(a.rank, Some((1, 2)));
        assert_eq!(out[1].rank, Some((2, 2)));
    }

    #[test]
    fn a_thin_stratum_borrows_the_clients_mean() {
        // Two strata; "Волинська" has one center only, so it is shrunk toward the client-wide pool.
        let centers = vec![
            facts("A", "Львівська", vec![("QR", tally(30, 120, 0, 30, 0))], &[]),
            facts("B", "Львівська", vec![("QR", tally(30, 60, 0, 30, 0))], &[]),
            facts("C", "Львівська", vec![("QR", tally(30, 60, 0, 30, 0))], &[]),
            facts("D", "Волинська", vec![("QR", tally(30, 0, 0, 30, 0))], &[]),
        ];
        let out = compute(&settings(), &centers);
        let d = out[3].ratings.estimate.as_ref().unwrap();
        // Client pool: 240 positive of 480 answers = 0.5; D: (30·0 + 20·0.5)/50 = 0.2.
        assert_eq!((d.prior, d.value), (50.0, 20.0));
        // A's stratum has its three centers: 240/360.
        assert_eq!(out[0].ratings.estimate.as_ref().unwrap().prior, 66.67);
    }

    #[test]
    fn thresholds_hold_back_parts_and_the_headline() {
        // 29 responses: nothing; one part only (ratings with 30) is not a headline unless 100 stand behind it.
        let out = compute(
            &settings(),
            &[
                facts("A", "X", vec![("QR", tally(29, 29, 0, 0, 0))], &[]),
                facts("B", "X", vec![("QR", tally(30, 30, 0, 0, 0))], &[]),
                facts("C", "X", vec![("QR", tally(100, 100, 0, 0, 0))], &[]),
            ],
        );
        assert!(out[0].ratings.estimate.is_none() && out[0].headline.is_none());
        assert!(out[1].ratings.estimate.is_some() && out[1].headline.is_none());
        assert!(out[2].headline.is_some());
        // Two channels of 20 each: the part (40) is published, neither channel's own figure is.
        let out = compute(
            &settings(),
            &[facts(
                "A",
                "X",
                vec![("QR", tally(20, 40, 0, 0, 0)), ("WEB_MAP", tally(20, 40, 0, 0, 0))],
                &[],
            )],
        );
        assert!(out[0].ratings.estimate.is_some());
        assert!(out[0]
            .breakdowns
            .iter()
            .all(|b| b.channel == "ALL" || b.measure != "ratings"));
        assert!(out[0]
            .breakdowns
            .iter()
            .any(|b| b.channel == "QR" && b.measure == "premises"));
    }

    #[test]
    fn ties_share_a_rank() {
        let same = || vec![("QR", tally(100, 200, 0, 0, 0))];
        let out = compute(
            &settings(),
            &[
                facts("A", "X", same(), &[]),
                facts("B", "X", same(), &[]),
                facts("C", "X", vec![("QR", tally(100, 100, 0, 0, 0))], &[]),
            ],
        );
        let ranks: Vec<_> = out.iter().map(|c| c.rank).collect();
        assert_eq!(ranks, vec![Some((1, 3)), Some((1, 3)), Some((3, 3))]);
    }

    #[test]
    fn periods_and_their_names() {
        let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        assert_eq!(periods_of(day), ["2026-11".to_string(), "2026-Q4".to_string()]);
        assert_eq!(parse_period("2026-11"), Some(PeriodKind::Month));
        assert_eq!(parse_period("2026-Q1"), Some(PeriodKind::Quarter));
        for bad in ["2026-13", "2026-Q5", "26-11", "2026-1", "x", "2026-00"] {
            assert_eq!(parse_period(bad), None, "{bad}");
            assert_eq!(period_days(bad), None, "{bad}");
        }
        let d = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(period_days("2026-11"), Some((d(2026, 11, 1), d(2026, 12, 1))));
        assert_eq!(period_days("2026-12"), Some((d(2026, 12, 1), d(2027, 1, 1))));
        assert_eq!(period_days("2026-Q4"), Some((d(2026, 10, 1), d(2027, 1, 1))));
        assert_eq!(period_days("2027-Q1"), Some((d(2027, 1, 1), d(2027, 4, 1))));
    }

    #[test]
    fn settings_are_checked() {
        assert!(settings().check().is_ok());
        let bad = IndexSettings {
            weight_ratings: 0.0,
            weight_loyalty: 0.0,
            weight_mystery: 0.0,
            ..settings()
        };
        assert!(bad.check().is_err());
    }
}
