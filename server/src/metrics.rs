//! Prometheus metrics (OpenMetrics text at `/metrics`, off unless `metrics.enabled`; with `metrics.token` set,
//! scrapers send it as a bearer token).
//!
//! Counted as requests run: GraphQL requests and their latency per operation name, GraphQL errors per code,
//! HTTP responses per route and status class. Read at scrape time: the database pool (size, idle, in use, the
//! limit, and how many requests found no free connection), the mail outbox backlog, and the queues in front of
//! photo processing and password hashing.

use std::collections::HashSet;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use prometheus_client::encoding::text::encode;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;

use crate::db::Db;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct OperationLabels {
    operation: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct CodeLabels {
    code: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct HttpLabels {
    route: String,
    status: String,
}

type HistogramFamily = Family<OperationLabels, Histogram, fn() -> Histogram>;

/// Distinct operation names kept as labels; later names are counted as `other` (clients choose the names).
const MAX_OPERATION_NAMES: usize = 200;

/// What the service counts, cheap to clone.
#[derive(Clone)]
pub struct Metrics {
    inner: Arc<Inner>,
}

struct Inner {
    registry: Registry,
    requests: Family<OperationLabels, Counter>,
    latency: HistogramFamily,
    errors: Family<CodeLabels, Counter>,
    http: Family<HttpLabels, Counter>,
    pool_size: Gauge,
    pool_idle: Gauge,
    pool_in_use: Gauge,
    pool_max: Gauge,
    pool_timeouts: Counter<u64, AtomicU64>,
    outbox_backlog: Gauge,
    photo_queue: Gauge,
    hashing_queue: Gauge,
    operation_names: Mutex<HashSet<String>>,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix("fieldwork");
        let requests = Family::<OperationLabels, Counter>::default();
        registry.register(
            "graphql_requests",
            "GraphQL requests by operation name",
            requests.clone(),
        );
        let latency: HistogramFamily =
            Family::new_with_constructor(|| Histogram::new(exponential_buckets(0.002, 2.0, 14)));
        registry.register(
            "graphql_request_duration_seconds",
            "GraphQL request latency by operation name",
            latency.clone(),
        );
        let errors = Family::<CodeLabels, Counter>::default();
        registry.register("graphql_errors", "GraphQL errors by extensions.code", errors.clone());
        let http = Family::<HttpLabels, Counter>::default();
        registry.register(
            "http_responses",
            "HTTP responses by route and status class",
            http.clone(),
        );
        let gauge = |registry: &mut Registry, name: &str, help: &str| {
            let g = Gauge::default();
            registry.register(name, help, g.clone());
            g
        };
        let pool_size = gauge(&mut registry, "db_pool_connections", "Open database connections");
        let pool_idle = gauge(&mut registry, "db_pool_idle", "Idle database connections");
        let pool_in_use = gauge(&mut registry, "db_pool_in_use", "Database connections in use");
        let pool_max = gauge(&mut registry, "db_pool_max", "The pool's connection limit");
        let pool_timeouts = Counter::<u64, AtomicU64>::default();
        registry.register(
            "db_pool_timeouts",
            "Requests that found no free database connection in time (answered RATE_LIMITED)",
            pool_timeouts.clone(),
        );
        let outbox_backlog = gauge(&mut registry, "mail_outbox_backlog", "Emails not yet delivered");
        let photo_queue = gauge(
            &mut registry,
            "photo_queue",
            "Photo uploads waiting for a processing slot",
        );
        let hashing_queue = gauge(
            &mut registry,
            "password_hashing_queue",
            "Requests waiting for a hashing slot",
        );
        Self {
            inner: Arc::new(Inner {
                registry,
                requests,
                latency,
                errors,
                http,
                pool_size,
                pool_idle,
                pool_in_use,
                pool_max,
                pool_timeouts,
                outbox_backlog,
                photo_queue,
                hashing_queue,
                operation_names: Mutex::new(HashSet::new()),
            }),
        }
    }

    /// The label for a client-chosen operation name: `anonymous`, the name if it looks like one, else `other`.
    fn operation_label(&self, name: Option<&str>) -> String {
        let Some(name) = name else {
            return "anonymous".into();
        };
        let plausible =
            !name.is_empty() && name.len() <= 64 && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !plausible {
            return "other".into();
        }
        let mut names = self.inner.operation_names.lock().unwrap_or_else(|e| e.into_inner());
        if names.contains(name) || names.len() < MAX_OPERATION_NAMES {
            names.insert(name.to_string());
            name.to_string()
        } else {
            "other".into()
        }
    }

    /// One GraphQL request done: its operation, how long it took, the codes of its errors.
    pub fn graphql_request<'a>(
        &self,
        operation: Option<&str>,
        seconds: f64,
        error_codes: impl Iterator<Item = &'a str>,
    ) {
        let labels = OperationLabels {
            operation: self.operation_label(operation),
        };
        self.inner.requests.get_or_create(&labels).inc();
        self.inner.latency.get_or_create(&labels).observe(seconds);
        for code in error_codes {
            self.inner.errors.get_or_create(&CodeLabels { code: code.into() }).inc();
        }
    }

    /// One HTTP response (`route` is the matched route pattern, never the raw path).
    pub fn http_response(&self, route: &str, status: u16) {
        self.inner
            .http
            .get_or_create(&HttpLabels {
                route: route.into(),
                status: format!("{}xx", status / 100),
            })
            .inc();
    }

    /// The text a scraper reads, with the sampled gauges brought up to date.
    pub async fn render(&self, sample: &Sample<'_>) -> String {
        let i = &self.inner;
        let pool = sample.db.pool();
        let size = i64::from(pool.size());
        let idle = pool.num_idle() as i64;
        i.pool_size.set(size);
        i.pool_idle.set(idle);
        i.pool_in_use.set(size - idle);
        i.pool_max.set(i64::from(pool.options().get_max_connections()));
        let timeouts = crate::error::POOL_TIMEOUTS.load(Ordering::Relaxed);
        i.pool_timeouts.inc_by(timeouts.saturating_sub(i.pool_timeouts.get()));
        match sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM outbox_emails WHERE sent_at IS NULL")
            .fetch_one(pool)
            .await
        {
            Ok(n) => {
                i.outbox_backlog.set(n);
            }
            Err(err) => tracing::warn!(error = ?err, "reading the outbox backlog for metrics failed"),
        }
        i.photo_queue.set(sample.photo_queue);
        i.hashing_queue.set(sample.hashing_queue);
        let mut out = String::new();
        if let Err(err) = encode(&mut out, &i.registry) {
            tracing::error!(error = ?err, "encoding metrics failed");
        }
        out
    }
}

/// What is read at scrape time.
pub struct Sample<'a> {
    pub db: &'a Db,
    pub photo_queue: i64,
    pub hashing_queue: i64,
}
