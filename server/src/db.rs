//! The storage handle: one `sqlx::Any` pool over SQLite (the embedded default) or PostgreSQL (production).
//!
//! All queries are written once with `$1` placeholders and portable types (TEXT, BIGINT, REAL/DOUBLE, BOOLEAN);
//! each database has its own migrations folder. Times are milliseconds since the Unix epoch.

use std::str::FromStr;
use std::time::Duration;

use anyhow::Context as _;
use chrono::{DateTime, TimeZone, Utc};
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::Migrator;
use sqlx::{AnyPool, Executor};

use crate::clock::Clock;

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("../migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("../migrations/postgres");

/// Which database the URL names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn from_url(url: &str) -> anyhow::Result<Self> {
        if url.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Ok(Backend::Postgres)
        } else {
            anyhow::bail!("unsupported database URL scheme (expected sqlite:// or postgres://)")
        }
    }
}

/// A cloneable database handle, with the clock its writers read (`crate::clock`).
#[derive(Clone, Debug)]
pub struct Db {
    pool: AnyPool,
    backend: Backend,
    clock: Clock,
}

/// A write transaction, carrying the clock of the handle that began it, so code that only holds the
/// transaction reads the same now. It derefs to the connection (`&mut *tx` is an executor) and must be
/// committed; dropped, it rolls back.
pub struct Tx {
    tx: sqlx::Transaction<'static, sqlx::Any>,
    clock: Clock,
}

impl Tx {
    /// Now, on the application's clock.
    pub fn now_ms(&self) -> i64 {
        self.clock.now_ms()
    }

    pub async fn commit(self) -> Result<(), sqlx::Error> {
        self.tx.commit().await
    }

    pub async fn rollback(self) -> Result<(), sqlx::Error> {
        self.tx.rollback().await
    }
}

impl std::ops::Deref for Tx {
    type Target = sqlx::AnyConnection;
    fn deref(&self) -> &sqlx::AnyConnection {
        &self.tx
    }
}

impl std::ops::DerefMut for Tx {
    fn deref_mut(&mut self) -> &mut sqlx::AnyConnection {
        &mut self.tx
    }
}

impl Db {
    /// Connects (creating the SQLite file and its folder when needed). Does not migrate.
    pub async fn connect(url: &str, max_connections: u32) -> anyhow::Result<Self> {
        Self::connect_with(url, max_connections, Duration::from_secs(10)).await
    }

    /// `connect` with the time a caller may wait for a free connection (then `sqlx::Error::PoolTimedOut`,
    /// which clients see as `RATE_LIMITED`).
    pub async fn connect_with(url: &str, max_connections: u32, acquire_timeout: Duration) -> anyhow::Result<Self> {
        sqlx::any::install_default_drivers();
        let backend = Backend::from_url(url)?;
        if backend == Backend::Sqlite {
            if let Some(dir) = sqlite_parent_dir(url) {
                std::fs::create_dir_all(&dir)
                    .with_context(|| format!("creating the database folder {}", dir.display()))?;
            }
        }
        let options = AnyConnectOptions::from_str(url).context("parsing the database URL")?;
        let pool = AnyPoolOptions::new()
            .max_connections(max_connections.max(1))
            .acquire_timeout(acquire_timeout)
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // WAL lets readers run beside the writer; waiting writers retry for up to 10 s.
                        conn.execute(
                            "PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 10000; \
                             PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;",
                        )
                        .await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await
            .context("connecting to the database")?;
        Ok(Self {
            pool,
            backend,
            clock: Clock::system(),
        })
    }

    /// The same database read on another clock (the application's, which tests move).
    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    /// The clock this handle's users read.
    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    /// Now, on the application's clock.
    pub fn now_ms(&self) -> i64 {
        self.clock.now_ms()
    }

    /// Applies the migrations of this backend.
    pub async fn migrate(&self) -> anyhow::Result<()> {
        let migrator = match self.backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        migrator.run(&self.pool).await.context("applying database migrations")
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// A transaction that will write. On SQLite it takes the write lock up front (`BEGIN IMMEDIATE`), so
    /// concurrent writers queue on the busy timeout instead of failing when a reader upgrades.
    pub async fn begin_write(&self) -> Result<Tx, sqlx::Error> {
        let tx = match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        };
        Ok(Tx {
            tx,
            clock: self.clock.clone(),
        })
    }

    /// A secret key shared by every server (`app_secrets`), made at the first start that needs it (the first
    /// server to insert it wins): signing keys for links and cookies that must stay valid across restarts.
    pub async fn app_secret(&self, name: &str) -> anyhow::Result<Vec<u8>> {
        let fresh = hex::encode(rand::random::<[u8; 32]>());
        sqlx::query(
            "INSERT INTO app_secrets (name, value, created_at) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING",
        )
        .bind(name)
        .bind(&fresh)
        .bind(self.now_ms())
        .execute(&self.pool)
        .await?;
        let value: String = sqlx::query_scalar("SELECT value FROM app_secrets WHERE name = $1")
            .bind(name)
            .fetch_one(&self.pool)
            .await?;
        hex::decode(value).context("an app secret that is not hex")
    }

    /// Is the database answering?
    pub async fn ping(&self) -> bool {
        sqlx::query("SELECT 1").execute(&self.pool).await.is_ok()
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

fn sqlite_parent_dir(url: &str) -> Option<std::path::PathBuf> {
    let rest = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or_default();
    if path.is_empty() || path == ":memory:" {
        return None;
    }
    std::path::Path::new(path)
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map(|p| p.to_path_buf())
}

/// A page of results in id order, whether more follow, and how many match in all.
pub struct Page<T> {
    pub items: Vec<T>,
    pub has_next: bool,
    pub total: i64,
}

impl<T> Page<T> {
    /// From `limit + 1` fetched rows: the extra row only tells that a next page exists.
    pub fn from_rows<R>(rows: Vec<R>, limit: usize, total: i64) -> Self
    where
        T: From<R>,
    {
        match Self::try_from_rows(rows, limit, total) {
            Ok(page) => page,
            Err(never) => match never {},
        }
    }

    /// Like `from_rows`, for rows whose conversion can fail (a stored value the code does not know).
    pub fn try_from_rows<R: TryInto<T>>(mut rows: Vec<R>, limit: usize, total: i64) -> Result<Self, R::Error> {
        let has_next = rows.len() > limit;
        rows.truncate(limit);
        Ok(Page {
            items: rows.into_iter().map(TryInto::try_into).collect::<Result<_, _>>()?,
            has_next,
            total,
        })
    }
}

/// A value bound into a listing's filter.
#[derive(Debug, Clone)]
pub enum Arg {
    Text(Option<String>),
    Int(Option<i64>),
}

impl From<&str> for Arg {
    fn from(v: &str) -> Self {
        Arg::Text(Some(v.to_string()))
    }
}
impl From<String> for Arg {
    fn from(v: String) -> Self {
        Arg::Text(Some(v))
    }
}
impl From<Option<&str>> for Arg {
    fn from(v: Option<&str>) -> Self {
        Arg::Text(v.map(str::to_string))
    }
}
impl From<Option<String>> for Arg {
    fn from(v: Option<String>) -> Self {
        Arg::Text(v)
    }
}
impl From<i64> for Arg {
    fn from(v: i64) -> Self {
        Arg::Int(Some(v))
    }
}
impl From<Option<i64>> for Arg {
    fn from(v: Option<i64>) -> Self {
        Arg::Int(v)
    }
}

/// A filtered list read a page at a time: `SELECT {select} FROM {from} WHERE {filter}` (the filter's `$1…`
/// are `args`, in order), paged, together with how many rows the same FROM and WHERE match in all. The one way
/// a use case lists things with a total.
pub struct Listing<'a> {
    pub select: &'a str,
    pub from: &'a str,
    pub filter: &'a str,
    pub args: Vec<Arg>,
}

/// How a page is found.
pub enum Paging<'a> {
    /// Keyset: the rows after `after` in `column` order (`descending`: before it, newest first); ids sort by
    /// creation, so a list keeps its place while rows are added.
    After {
        column: &'a str,
        after: Arg,
        descending: bool,
    },
    /// Offset: `skip` rows in `order` (an `ORDER BY` list) first.
    Offset { order: &'a str, skip: usize },
}

impl Listing<'_> {
    fn bind<'q, O>(
        &self,
        mut query: sqlx::query::QueryAs<'q, sqlx::Any, O, sqlx::any::AnyArguments<'q>>,
    ) -> sqlx::query::QueryAs<'q, sqlx::Any, O, sqlx::any::AnyArguments<'q>> {
        for arg in &self.args {
            query = match arg.clone() {
                Arg::Text(v) => query.bind(v),
                Arg::Int(v) => query.bind(v),
            };
        }
        query
    }
}

impl Db {
    /// One page of a listing (at most `limit` rows, and whether more follow) and its total.
    pub async fn page<R, T>(
        &self,
        listing: Listing<'_>,
        paging: Paging<'_>,
        limit: usize,
    ) -> crate::error::AppResult<Page<T>>
    where
        R: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> + Send + Unpin + TryInto<T>,
        crate::error::AppError: From<<R as TryInto<T>>::Error>,
    {
        let n = listing.args.len();
        let (select, from, filter) = (listing.select, listing.from, listing.filter);
        let sql = match &paging {
            Paging::After { column, descending, .. } => {
                let (cmp, dir) = if *descending { ("<", "DESC") } else { (">", "") };
                format!(
                    "SELECT {select} FROM {from} WHERE ({filter}) AND (${a} IS NULL OR {column} {cmp} ${a}) \
                     ORDER BY {column} {dir} LIMIT ${l}",
                    a = n + 1,
                    l = n + 2
                )
            }
            Paging::Offset { order, .. } => format!(
                "SELECT {select} FROM {from} WHERE ({filter}) ORDER BY {order} LIMIT ${l} OFFSET ${o}",
                l = n + 1,
                o = n + 2
            ),
        };
        let mut rows = listing.bind(sqlx::query_as::<_, R>(&sql));
        rows = match paging {
            Paging::After {
                after: Arg::Text(v), ..
            } => rows.bind(v).bind(limit as i64 + 1),
            Paging::After { after: Arg::Int(v), .. } => rows.bind(v).bind(limit as i64 + 1),
            Paging::Offset { skip, .. } => rows.bind(limit as i64 + 1).bind(skip as i64),
        };
        let rows = rows.fetch_all(&self.pool).await?;
        let count = format!("SELECT COUNT(*) FROM {from} WHERE ({filter})");
        let (total,): (i64,) = listing.bind(sqlx::query_as(&count)).fetch_one(&self.pool).await?;
        Ok(Page::try_from_rows(rows, limit, total)?)
    }
}

/// The longest search text accepted, in characters (a LIKE pattern grows with its text; SQLite refuses very
/// long ones and no name or address is longer).
pub const MAX_SEARCH: usize = 100;

/// A `search` argument as a LIKE pattern: `None` when absent or blank; refused when longer than [`MAX_SEARCH`].
pub fn search_pattern(text: Option<&str>) -> Result<Option<String>, crate::domain::ValidationError> {
    let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    let len = text.chars().count();
    if len > MAX_SEARCH {
        return Err(crate::domain::ValidationError::new(
            "search",
            crate::msg!("text-too-long", max = MAX_SEARCH),
        ));
    }
    Ok(Some(like_pattern(text)))
}

/// `%text%` for a case-insensitive LIKE over a lower-cased column, with the wildcards in the text escaped
/// (use `ESCAPE '\'`).
pub fn like_pattern(text: &str) -> String {
    let escaped = text
        .trim()
        .to_lowercase()
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

/// Storage form → `DateTime<Utc>`.
pub fn from_ms(ms: i64) -> DateTime<Utc> {
    Utc.timestamp_millis_opt(ms).single().unwrap_or_default()
}

/// A new time-ordered id (UUIDv7): ids sort by creation, which keyset pagination relies on.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// Does this error come from the named unique/check constraint? Works for both backends
/// (PostgreSQL reports the constraint name; SQLite reports the columns, so callers pass both).
pub fn violates(err: &sqlx::Error, constraint: &str, sqlite_columns: &str) -> bool {
    match err {
        sqlx::Error::Database(db) => {
            db.constraint() == Some(constraint) || (db.is_unique_violation() && db.message().contains(sqlite_columns))
        }
        _ => false,
    }
}

/// Is this a unique-key violation (any key)?
pub fn is_unique_violation(err: &sqlx::Error) -> bool {
    matches!(err, sqlx::Error::Database(db) if db.is_unique_violation())
}

/// A throw-away database for tests and benchmarks: a SQLite file in the temp folder, or, when
/// `TEST_DATABASE_URL=postgres://…` is set, a new database on that server. Both are removed on drop.
pub struct ScratchDatabase {
    pub url: String,
    /// The folder holding the SQLite file (and anything else the test wants to keep beside it).
    pub dir: std::path::PathBuf,
    postgres: Option<(String, String)>, // (admin URL, database name)
}

impl ScratchDatabase {
    pub async fn create() -> anyhow::Result<Self> {
        use sqlx::Connection as _;
        sqlx::any::install_default_drivers();
        let tag = uuid::Uuid::new_v4().simple().to_string();
        let dir = std::env::temp_dir().join(format!("fieldwork-test-{tag}"));
        std::fs::create_dir_all(&dir)?;
        match std::env::var("TEST_DATABASE_URL").ok().filter(|u| !u.trim().is_empty()) {
            Some(admin) if Backend::from_url(&admin)? == Backend::Postgres => {
                let name = format!("fw_test_{tag}");
                let mut conn = sqlx::AnyConnection::connect(&admin)
                    .await
                    .context("connecting to TEST_DATABASE_URL")?;
                sqlx::query(&format!("CREATE DATABASE {name}"))
                    .execute(&mut conn)
                    .await?;
                conn.close().await.ok();
                let mut url = url::Url::parse(&admin)?;
                url.set_path(&name);
                Ok(Self {
                    url: url.to_string(),
                    dir,
                    postgres: Some((admin, name)),
                })
            }
            _ => {
                let url = format!("sqlite://{}?mode=rwc", dir.join("test.db").display());
                Ok(Self {
                    url,
                    dir,
                    postgres: None,
                })
            }
        }
    }

    pub fn is_postgres(&self) -> bool {
        self.postgres.is_some()
    }
}

impl Drop for ScratchDatabase {
    fn drop(&mut self) {
        if let Some((admin, name)) = self.postgres.take() {
            // Its own thread and runtime: drop may run inside, or after, the test's runtime.
            let _ = std::thread::spawn(move || {
                use sqlx::Connection as _;
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .ok()?;
                rt.block_on(async {
                    let mut conn = sqlx::AnyConnection::connect(&admin).await.ok()?;
                    sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                        .execute(&mut conn)
                        .await
                        .ok()
                })
            })
            .join();
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backend_follows_the_url_scheme() {
        assert_eq!(Backend::from_url("sqlite://x.db").unwrap(), Backend::Sqlite);
        assert_eq!(Backend::from_url("postgres://h/db").unwrap(), Backend::Postgres);
        assert!(Backend::from_url("mysql://h/db").is_err());
    }

    #[test]
    fn sqlite_folder_is_derived_from_the_url() {
        assert_eq!(sqlite_parent_dir("sqlite://data/f.db?mode=rwc"), Some("data".into()));
        assert_eq!(sqlite_parent_dir("sqlite://f.db"), None);
        assert_eq!(sqlite_parent_dir("sqlite::memory:"), None);
    }

    #[test]
    fn like_patterns_escape_wildcards() {
        assert_eq!(like_pattern(" Олена "), "%олена%");
        assert_eq!(like_pattern("50%_off\\"), "%50\\%\\_off\\\\%");
    }

    #[test]
    fn ids_sort_by_creation() {
        let a = new_id();
        std::thread::sleep(Duration::from_millis(2));
        let b = new_id();
        assert!(a < b);
    }
}
