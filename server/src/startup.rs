//! Building and running the application: database, migrations, mail worker, schema, router, listener.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use tokio::net::TcpListener;
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;

use crate::accounts::Accounts;
use crate::assignment::Assignment;
use crate::checklists::Checklists;
use crate::config::{redact_url, Settings};
use crate::db::Db;
use crate::evidence::Storage;
use crate::graphql::{build_schema, Services};
use crate::http::{router, AppState};
use crate::ledger::Ledger;
use crate::mail::outbox::Worker;
use crate::mail::Mailer;
use crate::payouts::Payouts;
use crate::venues::Venues;
use crate::visits::Visits;
use crate::waves::Waves;

/// A built application: bound to its address, ready to serve.
pub struct Application {
    listener: TcpListener,
    router: axum::Router,
    worker: Worker,
    assignment: Assignment,
    waves: Waves,
    visits: Visits,
    events: crate::events::Events,
    invitations: crate::invitations::Invitations,
    cati: crate::cati::Cati,
    abandoned_upload_ms: i64,
    expiry_interval: Duration,
    quality: crate::quality::Quality,
    index_interval: Duration,
    db: Db,
    local_addr: SocketAddr,
}

impl Application {
    /// Connects to the database, applies migrations, and binds the listener (port 0 picks a free port).
    pub async fn build(mut settings: Settings) -> anyhow::Result<Self> {
        settings.http.map_tile_source().map_err(anyhow::Error::msg)?;
        if settings.testing.clock_control && !settings.listen.ip().is_loopback() {
            anyhow::bail!(
                "testing.clock_control moves the service's clock: only a test server on a loopback address may have it"
            );
        }
        if settings.auth.trust_forwarded_for {
            anyhow::bail!(
                "auth.trust_forwarded_for is retired (it believed any sender's X-Forwarded-For): list your load \
                 balancers in http.trusted_proxies instead"
            );
        }
        let proxies =
            crate::http::TrustedProxies::parse(&settings.http.trusted_proxies, &settings.http.forwarded_header)
                .map_err(anyhow::Error::msg)?;
        settings.index.method.check().map_err(anyhow::Error::msg)?;
        let url = settings.database_url();
        let db = Db::connect_with(
            &url,
            settings.database_max_connections,
            Duration::from_secs(settings.database_acquire_timeout_secs.max(1)),
        )
        .await?;
        db.migrate().await?;
        let zones = Venues::new(db.clone())
            .fill_missing_time_zones()
            .await
            .map_err(|e| anyhow::anyhow!("deriving venue time zones: {e:?}"))?;
        if zones > 0 {
            tracing::info!(
                venues = zones,
                "time zones derived for venues stored before zones were kept"
            );
        }
        tracing::info!(database = %redact_url(&url), backend = ?db.backend(), "database ready");

        let listener = TcpListener::bind(settings.listen)
            .await
            .with_context(|| format!("binding {}", settings.listen))?;
        let local_addr = listener.local_addr()?;
        if settings.public_url.is_none() {
            settings.listen = local_addr; // links in mail point at the real port
        }
        let settings = Arc::new(settings);
        let mailer = Mailer::from_settings(&settings)?;
        let wake = Arc::new(Notify::new());
        let accounts = Accounts::new(db.clone(), settings.clone(), wake.clone())
            .with_device_key(db.app_secret("login-device").await.context("the login device key")?);
        let assignment = Assignment::new(db.clone(), settings.clone(), wake.clone());
        let waves = Waves::new(db.clone());
        let storage = Storage::from_settings(&settings)?;
        let visits = Visits::new(
            db.clone(),
            storage,
            (&settings.photos).into(),
            settings.photos.max_per_visit,
            settings.payouts.currency.clone(),
        )
        .with_capture_token_minutes(settings.photos.capture_token_minutes);
        let ledger = Ledger::new(db.clone(), settings.payouts.currency.clone());
        let payouts = Payouts::new(db.clone(), Arc::new(settings.payouts.clone()), wake.clone());
        let metrics = crate::metrics::Metrics::new();
        let results = crate::results::Results::new(db.clone());
        let feedback = crate::feedback::Feedback::new(db.clone(), settings.public_url(), &settings.feedback)
            .await
            .map_err(|e| anyhow::anyhow!("feedback keys: {}", e.message()))?;
        let quality = crate::quality::Quality::new(db.clone(), settings.index.method.clone());
        if quality
            .backfill_response_counts()
            .await
            .map_err(|e| anyhow::anyhow!("counting the index's responses: {}", e.message()))?
        {
            tracing::info!("the index's tallies were rebuilt once to count responses");
        }
        let vault = crate::phones::PhoneVault::from_settings(&settings.privacy, &settings.data_dir)
            .context("the phone keys (privacy.phone_keys)")?;
        let api_keys = crate::apikeys::ApiKeys::new(db.clone());
        let cati = crate::cati::Cati::new(
            db.clone(),
            vault.clone(),
            settings.cati.lease_seconds,
            settings.privacy.phone_retention_days,
        );
        let events = crate::events::Events::new(db.clone(), vault, settings.privacy.phone_retention_days);
        let provider = crate::invitations::Provider::from_settings(&settings.invitations, &settings.public_url())?;
        let invitations = crate::invitations::Invitations::new(
            db.clone(),
            events.clone(),
            feedback.clone(),
            provider,
            Arc::new(settings.invitations.clone()),
        );
        let events = events.waking(invitations.waker());
        let services = Services {
            accounts: accounts.clone(),
            venues: Venues::new(db.clone()),
            checklists: Checklists::new(db.clone()),
            waves: waves.clone(),
            assignment: assignment.clone(),
            visits: visits.clone(),
            ledger,
            payouts: payouts.clone(),
            results: results.clone(),
            feedback: feedback.clone(),
            quality: quality.clone(),
            api_keys: api_keys.clone(),
            events: events.clone(),
            invitations: invitations.clone(),
            cati: cati.clone(),
            metrics: metrics.clone(),
        };
        let schema = build_schema(services, &settings.limits);
        let state = AppState {
            schema,
            accounts,
            storage: visits.storage().clone(),
            payouts,
            results,
            feedback: feedback.clone(),
            quality: quality.clone(),
            api_keys,
            events: events.clone(),
            invitations: invitations.clone(),
            cati: cati.clone(),
            visits: visits.clone(),
            metrics,
            settings: settings.clone(),
        };
        let router = router(state, &settings, proxies);
        let worker = Worker {
            db: db.clone(),
            mailer,
            wake,
            poll_interval: Duration::from_millis(settings.mail.poll_interval_ms),
            retry_base_ms: settings.mail.retry_base_ms,
            retry_max_ms: settings.mail.retry_max_ms,
            lease_ms: (settings.mail.send_timeout_ms * 4).max(10_000) as i64,
        };
        let expiry_interval = Duration::from_secs(settings.assignment.expiry_interval_secs.max(1));
        Ok(Self {
            listener,
            router,
            worker,
            assignment,
            waves,
            visits,
            events,
            invitations,
            cati,
            abandoned_upload_ms: settings.photos.abandoned_upload_secs as i64 * 1_000,
            expiry_interval,
            quality,
            index_interval: Duration::from_secs(settings.index.refresh_secs.max(1)),
            db,
            local_addr,
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// The application's clock (tests move it).
    pub fn clock(&self) -> crate::clock::Clock {
        self.db.clock().clone()
    }

    /// Serves until `shutdown` completes, then lets in-flight requests finish and stops the mail worker.
    pub async fn run_until(
        self,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let cancel = CancellationToken::new();
        let worker = tokio::spawn(self.worker.run(cancel.clone()));
        let outbox = tokio::spawn(self.invitations.run(cancel.clone()));
        let expiry = tokio::spawn(background(
            Background {
                assignment: self.assignment,
                waves: self.waves,
                visits: self.visits,
                events: self.events,
                cati: self.cati,
                abandoned_upload_ms: self.abandoned_upload_ms,
            },
            self.expiry_interval,
            cancel.clone(),
        ));
        let index = tokio::spawn(refresh_index(self.quality, self.index_interval, cancel.clone()));
        tracing::info!(address = %self.local_addr, "listening on http://{}/graphql", self.local_addr);
        let server = axum::serve(
            self.listener,
            self.router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown);
        let result = server.await.context("serving HTTP");
        cancel.cancel();
        let _ = tokio::time::timeout(Duration::from_secs(10), worker).await;
        let _ = tokio::time::timeout(Duration::from_secs(10), outbox).await;
        let _ = tokio::time::timeout(Duration::from_secs(10), expiry).await;
        let _ = tokio::time::timeout(Duration::from_secs(10), index).await;
        self.db.close().await;
        tracing::info!("stopped");
        result
    }
}

/// What the background loop looks after.
struct Background {
    assignment: Assignment,
    waves: Waves,
    visits: Visits,
    events: crate::events::Events,
    cati: crate::cati::Cati,
    abandoned_upload_ms: i64,
}

/// Every `interval`, until cancelled: returns lapsed holds to the job board, raises hard-to-fill bonuses, erases
/// citizens' phone numbers past their retention and
/// sweeps the objects of uploads that a crash left unfinished.
async fn background(work: Background, interval: Duration, cancel: CancellationToken) {
    loop {
        if let Err(err) = work.assignment.expire_due().await {
            tracing::error!(error = ?err, "returning lapsed task holds failed");
        }
        if let Err(err) = work.waves.apply_bonuses().await {
            tracing::error!(error = ?err, "applying hard-to-fill bonuses failed");
        }
        match work.visits.sweep_abandoned_uploads(work.abandoned_upload_ms).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(uploads = n, "swept the objects of unfinished uploads"),
            Err(err) => tracing::error!(error = ?err, "sweeping unfinished uploads failed"),
        }
        match work.events.erase_expired_phones().await {
            Ok(0) => {}
            Ok(n) => tracing::info!(phones = n, "erased citizens' phone numbers past their retention"),
            Err(err) => tracing::error!(error = ?err, "erasing expired phone numbers failed"),
        }
        match work.cati.erase_expired_phones().await {
            Ok(0) => {}
            Ok(n) => tracing::info!(phones = n, "erased phone interview numbers past their retention"),
            Err(err) => tracing::error!(error = ?err, "erasing expired phone interview numbers failed"),
        }
        tokio::select! {
            _ = cancel.cancelled() => break,
            _ = tokio::time::sleep(interval) => {}
        }
    }
}

/// Every `interval`, until cancelled: recomputes the quality index of the periods whose tallies changed (the
/// first time, all of them).
async fn refresh_index(quality: crate::quality::Quality, interval: Duration, cancel: CancellationToken) {
    loop {
        match quality.refresh().await {
            Ok(0) => {}
            Ok(n) => tracing::debug!(periods = n, "quality index recomputed"),
            Err(err) => tracing::error!(error = ?err, "recomputing the quality index failed"),
        }
        tokio::select! {
            _ = cancel.cancelled() => break,
            _ = tokio::time::sleep(interval) => {}
        }
    }
}

/// Completes on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {}
        _ = terminate => {}
    }
    tracing::info!("shutdown signal received; finishing in-flight requests");
}
