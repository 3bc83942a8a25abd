//! Settings: built-in defaults, then an optional TOML file, then `FIELDWORK_*` environment variables
//! (nested keys with `__`, e.g. `FIELDWORK_SMTP__HOST`), then command-line flags. `DATABASE_URL` is honoured too.
//! Secrets (database URL credentials, SMTP password) are redacted in `Debug` output and logs.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use figment::providers::{Env, Format, Serialized, Toml};
use figment::Figment;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

/// Everything the service needs to run.
#[derive(Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Address to listen on; port 0 picks a free port (the log says which).
    pub listen: SocketAddr,
    /// `sqlite://…` (default, under `data_dir`) or `postgres://…`.
    pub database_url: Option<String>,
    /// Connection pool size.
    pub database_max_connections: u32,
    /// How long a request waits for a database connection before it is answered `RATE_LIMITED` ("busy, try
    /// again"): a saturated pool never turns into a 500 for someone else.
    pub database_acquire_timeout_secs: u64,
    /// Where the SQLite file and the offline mail folder live.
    pub data_dir: PathBuf,
    /// Base URL used in links sent by email; defaults to `http://<listen>`.
    pub public_url: Option<String>,
    /// `pretty` (human) or `json`.
    pub log_format: LogFormat,
    pub mail: MailSettings,
    /// SMTP relay; without it mail is written as `.eml` files under `data_dir/mail`.
    pub smtp: Option<SmtpSettings>,
    pub auth: AuthSettings,
    pub limits: LimitSettings,
    pub assignment: AssignmentSettings,
    pub photos: PhotoSettings,
    pub payouts: PayoutSettings,
    pub http: HttpSettings,
    pub metrics: MetricsSettings,
    pub feedback: FeedbackSettings,
    pub index: IndexConfig,
    pub privacy: PrivacySettings,
    pub invitations: InvitationSettings,
    pub cati: CatiSettings,
    pub testing: TestingSettings,
}

/// Phone interviews (docs/PHONE.md).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct CatiSettings {
    /// How long an operator's screen holds a case without a sign of life (a saved answer or its heartbeat,
    /// sent every minute); then the case returns to the queue.
    pub lease_seconds: u64,
}

impl Default for CatiSettings {
    fn default() -> Self {
        Self { lease_seconds: 300 }
    }
}

/// For test servers only.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct TestingSettings {
    /// Serve `POST /testing/clock` (`{"advanceMs": …}` or `{"atMs": …}`), which moves the service's clock, so
    /// browser tests let time pass without waiting. The service refuses to start with it unless it listens on
    /// a loopback address.
    pub clock_control: bool,
}

/// Citizens' personal data the service keeps for a while: the phone numbers of service events (docs/INVITATIONS.md).
#[derive(Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct PrivacySettings {
    /// The keys that encrypt citizens' phone numbers (AES-256-GCM), each `<id>:<32 bytes in base64>`. The first
    /// encrypts; every one decrypts, so a new key goes first and the old one stays until the numbers it sealed
    /// are erased (the retention period). Empty: a key file is made in `data_dir` (`phone-keys`) at the first
    /// start; fine for one server, but several servers on one database must be given the same keys.
    #[serde(skip_serializing)]
    pub phone_keys: Vec<SecretString>,
    /// The key of the phone numbers' keyed hash (HMAC-SHA256; at least 32 bytes in base64), which finds the same
    /// citizen across events and keeps the opt-out list. Never rotated: a new one forgets every opt-out. Empty:
    /// taken from the key file as above.
    #[serde(skip_serializing)]
    pub phone_hash_key: Option<SecretString>,
    /// A phone number is erased this many days after its event was received.
    pub phone_retention_days: i64,
}

impl Default for PrivacySettings {
    fn default() -> Self {
        Self {
            phone_keys: Vec::new(),
            phone_hash_key: None,
            phone_retention_days: 90,
        }
    }
}

impl std::fmt::Debug for PrivacySettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PrivacySettings")
            .field("phone_keys", &format!("{} key(s)", self.phone_keys.len()))
            .field("phone_hash_key", &self.phone_hash_key.as_ref().map(|_| "***"))
            .field("phone_retention_days", &self.phone_retention_days)
            .finish()
    }
}

/// Invitations to rate a service by SMS or Viber (docs/INVITATIONS.md): the provider, the outbox's pace and
/// retries, and the link's lifetime.
#[derive(Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct InvitationSettings {
    /// `none` (invitations are planned but nothing is sent), `turbosms` or `twilio`.
    pub provider: String,
    pub turbosms: TurboSmsSettings,
    pub twilio: TwilioSettings,
    /// How often the outbox looks for due work when nothing wakes it, ms.
    pub poll_interval_ms: u64,
    /// How long a server holds an attempt it is sending before another may take it over, ms.
    pub lease_ms: i64,
    /// Tries of one attempt before it gives up.
    pub max_tries: u32,
    pub retry_base_ms: i64,
    pub retry_max_ms: i64,
    /// A message not handed to the provider this long after it was due is not sent any more, hours.
    pub give_up_after_hours: i64,
    /// The delivery status is asked for this often while a message is on its way, ms.
    pub status_poll_ms: i64,
    /// …and for at most this long after it was sent, hours.
    pub status_poll_hours: i64,
    /// The link answers for this many days after the message was sent.
    pub link_ttl_days: i64,
    /// Time-out of one request to the provider, ms.
    pub request_timeout_ms: u64,
    /// Messages one server hands to the provider at once.
    pub send_concurrency: usize,
}

impl Default for InvitationSettings {
    fn default() -> Self {
        Self {
            provider: "none".into(),
            turbosms: TurboSmsSettings::default(),
            twilio: TwilioSettings::default(),
            poll_interval_ms: 5_000,
            lease_ms: 60_000,
            max_tries: 8,
            retry_base_ms: 30_000,
            retry_max_ms: 30 * 60_000,
            give_up_after_hours: 12,
            status_poll_ms: 5 * 60_000,
            status_poll_hours: 72,
            link_ttl_days: 7,
            request_timeout_ms: 10_000,
            send_concurrency: 16,
        }
    }
}

impl std::fmt::Debug for InvitationSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InvitationSettings")
            .field("provider", &self.provider)
            .field("turbosms", &self.turbosms)
            .field("twilio", &self.twilio)
            .field("poll_interval_ms", &self.poll_interval_ms)
            .field("max_tries", &self.max_tries)
            .field("link_ttl_days", &self.link_ttl_days)
            .finish_non_exhaustive()
    }
}

/// TurboSMS (turbosms.ua): one request sends Viber with SMS as the fallback.
#[derive(Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct TurboSmsSettings {
    pub base_url: String,
    #[serde(skip_serializing)]
    pub token: Option<SecretString>,
    /// The sender names registered with TurboSMS.
    pub sms_sender: String,
    pub viber_sender: String,
    /// Viber tries this long before the SMS goes instead, seconds.
    pub viber_ttl_secs: u64,
    /// `true`: Viber and its SMS fallback in one request (TurboSMS's hybrid sending). `false`: Viber alone, and
    /// the outbox sends the SMS itself when Viber has not delivered within its time to live.
    pub hybrid: bool,
}

impl Default for TurboSmsSettings {
    fn default() -> Self {
        Self {
            base_url: "https://api.turbosms.ua".into(),
            token: None,
            sms_sender: "CNAP".into(),
            viber_sender: "CNAP".into(),
            viber_ttl_secs: 3_600,
            hybrid: true,
        }
    }
}

impl std::fmt::Debug for TurboSmsSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TurboSmsSettings")
            .field("base_url", &self.base_url)
            .field("token", &self.token.as_ref().map(|_| "***"))
            .field("sms_sender", &self.sms_sender)
            .field("viber_sender", &self.viber_sender)
            .field("viber_ttl_secs", &self.viber_ttl_secs)
            .field("hybrid", &self.hybrid)
            .finish()
    }
}

/// Twilio (twilio.com, Programmable Messaging): SMS, with signed delivery reports pushed to
/// `{http.public_url}/hooks/twilio/status`.
#[derive(Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct TwilioSettings {
    pub base_url: String,
    pub account_sid: String,
    /// Authenticates our requests and signs Twilio's reports (`X-Twilio-Signature`).
    #[serde(skip_serializing)]
    pub auth_token: Option<SecretString>,
    /// The sender: a Twilio number (E.164) or an alphanumeric sender id; or…
    pub from: String,
    /// …a Messaging Service, which picks the sender (takes precedence over `from`).
    pub messaging_service_sid: Option<String>,
    /// Twilio drops a message still queued after this long, seconds (1–36,000).
    pub validity_secs: u64,
    /// Reports are pushed; a message without one this long after it left is asked about, ms.
    pub safety_poll_ms: i64,
}

impl Default for TwilioSettings {
    fn default() -> Self {
        Self {
            base_url: "https://api.twilio.com".into(),
            account_sid: String::new(),
            auth_token: None,
            from: String::new(),
            messaging_service_sid: None,
            validity_secs: 4 * 3_600,
            safety_poll_ms: 30 * 60_000,
        }
    }
}

impl std::fmt::Debug for TwilioSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TwilioSettings")
            .field("base_url", &self.base_url)
            .field("account_sid", &self.account_sid)
            .field("auth_token", &self.auth_token.as_ref().map(|_| "***"))
            .field("from", &self.from)
            .field("messaging_service_sid", &self.messaging_service_sid)
            .field("validity_secs", &self.validity_secs)
            .field("safety_poll_ms", &self.safety_poll_ms)
            .finish()
    }
}

/// The quality index: how often changed periods are recomputed, and the method (docs/INDEX.md).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct IndexConfig {
    /// Every this many seconds, the periods whose tallies changed are recomputed.
    pub refresh_secs: u64,
    /// Weights, prior strengths, thresholds (`[index.method]`).
    pub method: crate::domain::quality_index::IndexSettings,
}

impl Default for IndexConfig {
    fn default() -> Self {
        Self {
            refresh_secs: 30,
            method: Default::default(),
        }
    }
}

/// Citizens' feedback (the QR and map channels).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct FeedbackSettings {
    /// One response per device and center in this many hours (a signed cookie names the device).
    pub cooldown_hours: i64,
    /// Sent sooner than this after the form was shown, a response counts as suspicious.
    pub min_fill_seconds: i64,
}

impl Default for FeedbackSettings {
    fn default() -> Self {
        Self {
            cooldown_hours: 24,
            min_fill_seconds: crate::domain::feedback::MIN_FILL_SECONDS,
        }
    }
}

/// Browser-facing HTTP: which other origins may call the API, and where the built web apps are.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct HttpSettings {
    /// Origins (e.g. `https://console.example.org`) allowed to call `/graphql` from a browser. Empty (the
    /// default): no cross-origin calls; the service's own pages are same-origin and need none.
    pub cors_allowed_origins: Vec<String>,
    /// The built web apps (`npm run build` in `web/` writes `web/dist`): the shoppers' app is served from its
    /// `app/` folder at `/app/`. Relative paths are read from the working directory.
    pub web_dir: std::path::PathBuf,
    /// Base map tiles for the web apps' maps, as an XYZ template (`https://tile.example.org/{z}/{x}/{y}.png`,
    /// `{s}` for subdomains, or a path on this service). Unset (the default): maps show their points on a plain
    /// background, and no page asks another host for anything. The tiles' origin is added to the pages' CSP.
    pub map_tile_url: Option<String>,
    /// The attribution the tiles' licence asks for (e.g. `© OpenStreetMap contributors`).
    pub map_attribution: String,
    /// The deepest zoom the tile server has.
    pub map_max_zoom: u8,
    /// A self-hosted PMTiles archive of raster tiles (PNG, JPEG or WebP), served by this service at
    /// `/tiles/map.pmtiles` with byte ranges, so the maps need no tile server and no other host. Set this or
    /// `map_tile_url`, not both.
    pub map_pmtiles: Option<PathBuf>,
    /// The load balancers and reverse proxies in front of the service (addresses such as `10.0.0.7` or networks
    /// such as `10.0.0.0/8`). Only a request from one of them has its forwarding header read, from the right:
    /// the first address that is not one of them is the client (`http::client`). Empty (the default): the
    /// headers are ignored and the TCP peer is the client.
    pub trusted_proxies: Vec<String>,
    /// The header those proxies write: `x-forwarded-for` (default) or `forwarded` (RFC 7239).
    pub forwarded_header: String,
}

impl Default for HttpSettings {
    fn default() -> Self {
        Self {
            cors_allowed_origins: Vec::new(),
            web_dir: "web/dist".into(),
            map_tile_url: None,
            map_attribution: String::new(),
            map_max_zoom: 19,
            map_pmtiles: None,
            trusted_proxies: Vec::new(),
            forwarded_header: "x-forwarded-for".into(),
        }
    }
}

impl HttpSettings {
    /// Where map tiles come from, as a CSP source (`https://*.tile.example.org`), or `None` when they come from
    /// this service or there are none; an unusable template is an error at start-up.
    pub fn map_tile_source(&self) -> Result<Option<String>, String> {
        if let Some(path) = &self.map_pmtiles {
            if self.map_tile_url.is_some() {
                return Err("set http.map_pmtiles or http.map_tile_url, not both".into());
            }
            let mut magic = [0u8; 7];
            let readable = std::fs::File::open(path).and_then(|mut f| std::io::Read::read_exact(&mut f, &mut magic));
            if readable.is_err() || &magic != b"PMTiles" {
                return Err(format!(
                    "http.map_pmtiles {}: is not a readable PMTiles archive",
                    path.display()
                ));
            }
            return Ok(None);
        }
        let Some(url) = self.map_tile_url.as_deref() else {
            return Ok(None);
        };
        let bad = |why: &str| Err(format!("http.map_tile_url {url:?}: {why}"));
        if !["{z}", "{x}", "{y}"].iter().all(|p| url.contains(p)) {
            return bad("needs {z}, {x} and {y}");
        }
        if url.starts_with('/') && !url.starts_with("//") {
            return Ok(None);
        }
        let Some((scheme, rest)) = url.split_once("://") else {
            return bad("is neither an http(s) URL nor a path on this service");
        };
        if scheme != "https" && scheme != "http" {
            return bad("must be http or https");
        }
        let host = rest.split('/').next().unwrap_or_default().replace("{s}", "*");
        if host.is_empty() || host.contains(['{', '}', ' ', ';', '\'', '"']) {
            return bad("has no usable host");
        }
        Ok(Some(format!("{scheme}://{host}")))
    }
}

/// Prometheus metrics at `/metrics`.
#[derive(Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct MetricsSettings {
    /// Off by default (the route answers 404).
    pub enabled: bool,
    /// When set, scrapers must send `Authorization: Bearer <token>`.
    #[serde(skip_serializing)]
    pub token: Option<SecretString>,
}

impl std::fmt::Debug for MetricsSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MetricsSettings")
            .field("enabled", &self.enabled)
            .field("token", &self.token.as_ref().map(|_| "***"))
            .finish()
    }
}

impl MetricsSettings {
    pub fn token(&self) -> Option<&str> {
        self.token.as_ref().map(|t| t.expose_secret())
    }
}

/// Payouts: currency, tax withholding, the minimum payout and the paying (debtor) account for bank exports.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct PayoutSettings {
    /// ISO 4217 code of every amount.
    pub currency: String,
    /// Withhold tax at payout (individuals under civil contracts in Ukraine); off for other jurisdictions.
    pub withhold_tax: bool,
    /// Personal income tax, basis points of the gross (1800 = 18 %).
    pub income_tax_bp: u32,
    /// Military levy, basis points of the gross (500 = 5 %).
    pub military_levy_bp: u32,
    /// Smallest available balance paid out, kopiykas.
    pub min_payout_kopiykas: i64,
    /// The paying company, as the bank knows it.
    pub debtor_name: String,
    /// The account payouts are paid from; exports are refused until it is set.
    pub debtor_iban: Option<String>,
    /// Its bank's BIC, if the bank wants one (otherwise the bank is identified by the IBAN).
    pub debtor_bic: Option<String>,
}

impl Default for PayoutSettings {
    fn default() -> Self {
        Self {
            currency: "UAH".into(),
            withhold_tax: true,
            income_tax_bp: 1_800,
            military_levy_bp: 500,
            min_payout_kopiykas: 10_000,
            debtor_name: "Fieldwork LLC".into(),
            debtor_iban: None,
            debtor_bic: None,
        }
    }
}

impl PayoutSettings {
    pub fn withholding(&self) -> crate::domain::ledger::Withholding {
        if self.withhold_tax {
            crate::domain::ledger::Withholding {
                income_tax_bp: self.income_tax_bp,
                military_levy_bp: self.military_levy_bp,
            }
        } else {
            crate::domain::ledger::Withholding::NONE
        }
    }
}

/// Photo evidence: where it is stored and what is accepted.
#[derive(Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct PhotoSettings {
    /// Object store URL: unset = the folder `data_dir/photos`; `file:///abs/path`; or `s3://bucket/prefix`
    /// (credentials and endpoint from the usual `AWS_*` variables, e.g. `AWS_ENDPOINT` for MinIO).
    pub store_url: Option<String>,
    /// Key for signing photo links; every server behind one load balancer needs the same. Unset: a random key
    /// per process (links then work only on the server that made them).
    #[serde(skip_serializing)]
    pub url_secret: Option<SecretString>,
    /// How long a photo link works.
    pub url_ttl_minutes: u64,
    /// Largest accepted photo file.
    pub max_bytes: usize,
    /// Largest accepted picture (width × height), against decompression bombs.
    pub max_megapixels: u32,
    /// Photos one visit may carry.
    pub max_per_visit: u32,
    /// Long side of the display copy.
    pub display_px: u32,
    /// Long side of the thumbnail.
    pub thumbnail_px: u32,
    /// Objects of an upload that never finished (the server died mid-upload) are removed after this long; it
    /// must be longer than any upload takes (no request outlives `limits.request_timeout_secs`, 30 s).
    pub abandoned_upload_secs: u64,
    /// How long a live-capture token stays valid after the app asked for it: long enough for a phone that lost
    /// its network during the visit to send its photos later (a day by default).
    pub capture_token_minutes: u32,
}

impl Default for PhotoSettings {
    fn default() -> Self {
        Self {
            store_url: None,
            url_secret: None,
            url_ttl_minutes: 15,
            max_bytes: 20 * 1024 * 1024,
            max_megapixels: 64,
            max_per_visit: 30,
            display_px: 1600,
            thumbnail_px: 512,
            abandoned_upload_secs: 120,
            capture_token_minutes: 24 * 60,
        }
    }
}

impl std::fmt::Debug for PhotoSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PhotoSettings")
            .field("store_url", &self.store_url)
            .field("url_secret", &self.url_secret.as_ref().map(|_| "***"))
            .field("url_ttl_minutes", &self.url_ttl_minutes)
            .field("max_bytes", &self.max_bytes)
            .field("max_megapixels", &self.max_megapixels)
            .field("max_per_visit", &self.max_per_visit)
            .finish()
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct AssignmentSettings {
    /// Tasks one shopper may hold at once over all waves.
    pub max_concurrent_tasks: usize,
    /// How often lapsed claims and assignments are returned to the job board.
    pub expiry_interval_secs: u64,
}

impl Default for AssignmentSettings {
    fn default() -> Self {
        Self {
            max_concurrent_tasks: 5,
            expiry_interval_secs: 60,
        }
    }
}

#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Pretty,
    Json,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct MailSettings {
    /// The `From:` header of every message.
    pub from: String,
    /// How often the outbox worker looks for due mail when nobody wakes it.
    pub poll_interval_ms: u64,
    /// First retry delay after a failed delivery; doubles with each attempt.
    pub retry_base_ms: u64,
    /// Upper bound for the retry delay.
    pub retry_max_ms: u64,
    /// SMTP connection/command timeout.
    pub send_timeout_ms: u64,
}

#[derive(Clone, Serialize, Deserialize)]
pub struct SmtpSettings {
    pub host: String,
    #[serde(default = "default_smtp_port")]
    pub port: u16,
    /// `none` (plain, for local relays and tests), `starttls` or `tls`.
    #[serde(default)]
    pub tls: SmtpTls,
    #[serde(default)]
    pub username: Option<String>,
    #[serde(default, skip_serializing)]
    pub password: Option<SecretString>,
}

#[derive(Clone, Copy, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum SmtpTls {
    None,
    #[default]
    Starttls,
    Tls,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct AuthSettings {
    /// Lifetime of a login token.
    pub session_ttl_hours: u64,
    /// Lifetime of an email verification link.
    pub verification_ttl_hours: u64,
    /// Lifetime of a password reset link.
    pub reset_ttl_minutes: u64,
    /// Failed logins for one account from one client address within the window before each further attempt
    /// must wait (`login_delay_base_secs`, doubling with each failure, at most the window).
    pub max_failures_per_account: u32,
    /// The first delay after the free failures.
    pub login_delay_base_secs: u64,
    /// Failed logins for one account from all addresses together within the window before attempts are refused
    /// (a distributed attack; set it high, since strangers can reach it).
    pub max_failures_per_account_all_addresses: u32,
    /// Failed logins from one client address within the window before further attempts are refused.
    pub max_failures_per_ip: u32,
    /// The throttling window.
    pub failure_window_minutes: u64,
    /// Retired: it believed any sender's `X-Forwarded-For`. Set `http.trusted_proxies` instead; the service
    /// refuses to start while this is `true`, so a deployment never silently loses its client addresses.
    pub trust_forwarded_for: bool,
    /// Version of the code of conduct that shoppers accept at sign-up.
    pub code_of_conduct_version: String,
    /// Password hashes computed at once (each takes 19 MiB and a core for tens of ms); 0 = one per core.
    pub hash_concurrency: usize,
    /// How long a request waits for a hashing slot before it is answered `RATE_LIMITED`.
    pub hash_wait_ms: u64,
    /// Sign-ups accepted from one client address per hour.
    pub max_signups_per_ip_per_hour: u32,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct LimitSettings {
    /// Largest accepted request body (JSON GraphQL requests).
    pub max_body_bytes: usize,
    /// Largest accepted multipart request (file uploads: venue lists, photos).
    pub max_upload_bytes: usize,
    /// Requests running longer are answered 408 and dropped.
    pub request_timeout_secs: u64,
    /// Deepest GraphQL selection accepted.
    pub max_query_depth: usize,
    /// Largest GraphQL query complexity accepted (one point per field, lists multiply by `first` and cost 10
    /// more for their count; `venuesNear` one more per 10 km of radius).
    pub max_query_complexity: usize,
    /// Root fields one request may select (each is at least one database query).
    pub max_root_fields: usize,
    /// How often one mutation field may appear in one request (aliases); password and mail mutations: once.
    pub max_mutation_repeats: usize,
    /// Root fields of one request resolved at the same time (the rest wait), so that one request holds at
    /// most this many database connections.
    pub max_parallel_fields: usize,
}

fn default_smtp_port() -> u16 {
    587
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            listen: "127.0.0.1:8080".parse().expect("valid default address"),
            database_url: None,
            database_max_connections: 10,
            database_acquire_timeout_secs: 5,
            data_dir: PathBuf::from("data"),
            public_url: None,
            log_format: LogFormat::Pretty,
            mail: MailSettings::default(),
            smtp: None,
            auth: AuthSettings::default(),
            privacy: PrivacySettings::default(),
            invitations: InvitationSettings::default(),
            cati: CatiSettings::default(),
            limits: LimitSettings::default(),
            assignment: AssignmentSettings::default(),
            photos: PhotoSettings::default(),
            payouts: PayoutSettings::default(),
            http: HttpSettings::default(),
            metrics: MetricsSettings::default(),
            feedback: FeedbackSettings::default(),
            index: IndexConfig::default(),
            testing: TestingSettings::default(),
        }
    }
}

impl Default for MailSettings {
    fn default() -> Self {
        Self {
            from: "Fieldwork <no-reply@fieldwork.localhost>".into(),
            poll_interval_ms: 5_000,
            retry_base_ms: 2_000,
            retry_max_ms: 15 * 60 * 1000,
            send_timeout_ms: 15_000,
        }
    }
}

impl Default for AuthSettings {
    fn default() -> Self {
        Self {
            session_ttl_hours: 24 * 30,
            verification_ttl_hours: 48,
            reset_ttl_minutes: 60,
            max_failures_per_account: 5,
            login_delay_base_secs: 30,
            max_failures_per_account_all_addresses: 200,
            max_failures_per_ip: 50,
            failure_window_minutes: 15,
            trust_forwarded_for: false,
            code_of_conduct_version: "2026-01".into(),
            hash_concurrency: 0,
            hash_wait_ms: 10_000,
            max_signups_per_ip_per_hour: 20,
        }
    }
}

impl Default for LimitSettings {
    fn default() -> Self {
        Self {
            max_body_bytes: 1024 * 1024,
            max_upload_bytes: 32 * 1024 * 1024,
            request_timeout_secs: 30,
            max_query_depth: 12,
            max_query_complexity: 2_000,
            max_root_fields: 50,
            max_mutation_repeats: 10,
            max_parallel_fields: 3,
        }
    }
}

impl Settings {
    /// Defaults → `config_file` (if given, or `fieldwork.toml` if present) → `FIELDWORK_*` → `DATABASE_URL`.
    pub fn load(config_file: Option<&Path>) -> Result<Self, Box<figment::Error>> {
        let mut figment = Figment::from(Serialized::defaults(Settings::default()));
        match config_file {
            Some(path) => figment = figment.merge(Toml::file_exact(path)),
            None => figment = figment.merge(Toml::file("fieldwork.toml")),
        }
        figment = figment
            .merge(Env::prefixed("FIELDWORK_").split("__"))
            .merge(Env::raw().only(&["DATABASE_URL"]));
        figment.extract().map_err(Box::new)
    }

    /// The database URL, defaulting to a SQLite file under `data_dir`.
    pub fn database_url(&self) -> String {
        match &self.database_url {
            Some(url) if !url.trim().is_empty() => url.clone(),
            _ => format!("sqlite://{}?mode=rwc", self.data_dir.join("fieldwork.db").display()),
        }
    }

    /// The base of links in emails, without a trailing slash.
    pub fn public_url(&self) -> String {
        match &self.public_url {
            Some(url) => url.trim_end_matches('/').to_string(),
            None => format!("http://{}", self.listen),
        }
    }

    pub fn mail_dir(&self) -> PathBuf {
        self.data_dir.join("mail")
    }

    pub fn request_timeout(&self) -> Duration {
        Duration::from_secs(self.limits.request_timeout_secs)
    }
}

/// Hides the password part of a URL such as `postgres://user:secret@host/db`.
pub fn redact_url(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(Some("***"));
            parsed.to_string()
        }
        _ => url.to_string(),
    }
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("listen", &self.listen)
            .field("database_url", &redact_url(&self.database_url()))
            .field("database_max_connections", &self.database_max_connections)
            .field("data_dir", &self.data_dir)
            .field("public_url", &self.public_url())
            .field("log_format", &self.log_format)
            .field("mail", &self.mail)
            .field("smtp", &self.smtp)
            .field("auth", &self.auth)
            .field("limits", &self.limits)
            .field("assignment", &self.assignment)
            .field("photos", &self.photos)
            .field("http", &self.http)
            .field("metrics", &self.metrics)
            .field("privacy", &self.privacy)
            .field("invitations", &self.invitations)
            .finish()
    }
}

impl std::fmt::Debug for SmtpSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpSettings")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("tls", &self.tls)
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "***"))
            .finish()
    }
}

impl SmtpSettings {
    pub fn password(&self) -> Option<&str> {
        self.password.as_ref().map(|p| p.expose_secret())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn map_tiles_name_their_host_for_the_csp() {
        let source = |url: Option<&str>| {
            HttpSettings {
                map_tile_url: url.map(str::to_string),
                ..HttpSettings::default()
            }
            .map_tile_source()
        };
        assert_eq!(source(None), Ok(None));
        assert_eq!(source(Some("/tiles/{z}/{x}/{y}.png")), Ok(None));
        assert_eq!(
            source(Some("https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png")),
            Ok(Some("https://*.tile.openstreetmap.org".into()))
        );
        assert_eq!(
            source(Some("http://127.0.0.1:8081/t/{z}/{x}/{y}.png")),
            Ok(Some("http://127.0.0.1:8081".into()))
        );
        for bad in [
            "https://tiles.example.org/{z}/{x}.png",
            "ftp://tiles.example.org/{z}/{x}/{y}.png",
            "tiles.example.org/{z}/{x}/{y}.png",
            "https://a'; script-src *; x/{z}/{x}/{y}",
            "//tiles.example.org/{z}/{x}/{y}.png",
        ] {
            let err = source(Some(bad)).unwrap_err();
            assert!(err.contains("http.map_tile_url"), "{bad}: {err}");
        }
    }

    #[test]
    fn a_pmtiles_archive_must_be_one_and_must_be_readable() {
        let fixture = std::path::PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../tests/fixtures/tiles/plain.pmtiles"
        ));
        let with = |pmtiles: Option<std::path::PathBuf>, url: Option<&str>| HttpSettings {
            map_pmtiles: pmtiles,
            map_tile_url: url.map(str::to_string),
            ..HttpSettings::default()
        };
        assert_eq!(with(Some(fixture.clone()), None).map_tile_source(), Ok(None));
        let both = with(Some(fixture), Some("https://tile.example.org/{z}/{x}/{y}.png")).map_tile_source();
        assert!(both.unwrap_err().contains("not both"));
        let not_an_archive = std::path::PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml"));
        assert!(with(Some(not_an_archive), None)
            .map_tile_source()
            .unwrap_err()
            .contains("not a readable PMTiles"));
        assert!(with(Some("/nowhere.pmtiles".into()), None).map_tile_source().is_err());
    }

    #[test]
    fn debug_output_hides_secrets() {
        let settings = Settings {
            database_url: Some("postgres://app:hunter2@db.example/fieldwork".into()),
            smtp: Some(SmtpSettings {
                host: "smtp.example".into(),
                port: 587,
                tls: SmtpTls::Starttls,
                username: Some("mailer".into()),
                password: Some(SecretString::from("smtp-secret")),
            }),
            ..Settings::default()
        };
        let text = format!("{settings:?}");
        assert!(!text.contains("hunter2"), "{text}");
        assert!(!text.contains("smtp-secret"), "{text}");
        assert!(text.contains("postgres://app:***@db.example/fieldwork"), "{text}");
    }

    #[test]
    fn default_database_is_a_sqlite_file_under_data() {
        let settings = Settings::default();
        assert_eq!(settings.database_url(), "sqlite://data/fieldwork.db?mode=rwc");
        assert_eq!(settings.public_url(), "http://127.0.0.1:8080");
    }

    #[test]
    #[allow(clippy::result_large_err)] // figment's Jail API returns its own error type
    fn toml_and_environment_layer_over_defaults() {
        figment::Jail::expect_with(|jail| {
            jail.create_file(
                "custom.toml",
                "listen = \"0.0.0.0:9000\"\n[auth]\nsession_ttl_hours = 2\n[smtp]\nhost = \"mail.local\"\n",
            )?;
            jail.set_env("FIELDWORK_AUTH__SESSION_TTL_HOURS", "3");
            jail.set_env("FIELDWORK_SMTP__PORT", "2525");
            jail.set_env("DATABASE_URL", "postgres://localhost/x");
            let settings = Settings::load(Some(Path::new("custom.toml"))).map_err(|e| *e)?;
            assert_eq!(settings.listen.to_string(), "0.0.0.0:9000");
            assert_eq!(settings.auth.session_ttl_hours, 3);
            let smtp = settings.smtp.clone().expect("smtp from file");
            assert_eq!((smtp.host.as_str(), smtp.port), ("mail.local", 2525));
            assert_eq!(settings.database_url(), "postgres://localhost/x");
            assert_eq!(settings.auth.max_failures_per_account, 5);
            Ok(())
        });
    }
}
