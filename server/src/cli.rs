//! The `fieldwork` command line: `serve` (default), `migrate`, `create-user`, `import-venues`, `print-schema`.

use std::io::{BufRead as _, IsTerminal as _};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Parser, Subcommand};

use crate::accounts::Accounts;
use crate::config::Settings;
use crate::db::Db;
use crate::domain::Role;
use crate::domain::{GeofenceRadius, VenueType};
use crate::error::AppErrorDisplay;
use crate::startup::{shutdown_signal, Application};
use crate::venues::import::{self, ColumnMapping, ImportDefaults, ImportFormat, TextEncoding};
use crate::venues::{ClientKind, Venues};
use anyhow::Context as _;
use indicatif::{ProgressBar, ProgressStyle};

/// Fieldwork: mystery shopping and service-quality fieldwork, as a GraphQL service.
#[derive(Parser, Debug)]
#[command(name = "fieldwork", version, about)]
pub struct Cli {
    /// A TOML settings file (default: ./fieldwork.toml when present).
    #[arg(long, global = true, env = "FIELDWORK_CONFIG")]
    config: Option<PathBuf>,
    /// Database URL: sqlite://path?mode=rwc or postgres://user@host/db (default: SQLite under ./data).
    #[arg(long, global = true, env = "DATABASE_URL")]
    database_url: Option<String>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Apply migrations and serve GraphQL (the default).
    Serve {
        /// Address to listen on; port 0 picks a free one.
        #[arg(long, env = "FIELDWORK_LISTEN")]
        listen: Option<SocketAddr>,
    },
    /// Apply database migrations and exit.
    Migrate,
    /// Create a staff account (e.g. the first admin). The password is read from a prompt or standard input.
    CreateUser {
        #[arg(long)]
        email: String,
        /// ADMIN, COORDINATOR, PAYMENTS or CLIENT_VIEWER.
        #[arg(long)]
        role: String,
        /// Read the password from the first line of standard input instead of prompting.
        #[arg(long)]
        password_stdin: bool,
        /// For CLIENT_VIEWER: the client (id or exact name) whose data they may read.
        #[arg(long)]
        client: Option<String>,
    },
    /// Create a client (the organisation whose venues are measured).
    CreateClient {
        #[arg(long)]
        name: String,
        /// public-body, retail-chain, restaurant-chain or other.
        #[arg(long, default_value = "public-body", value_parser = ["public-body", "retail-chain", "restaurant-chain", "other"])]
        kind: String,
    },
    /// Import venues for a client from a CSV or GeoJSON file (one transaction; re-importing updates by code).
    ImportVenues {
        /// The file (.csv or .geojson).
        file: PathBuf,
        /// The client: id or exact name.
        #[arg(long)]
        client: String,
        /// Report what would change, write nothing.
        #[arg(long)]
        dry_run: bool,
        /// csv or geojson (default: from the file name).
        #[arg(long, value_parser = ["csv", "geojson"])]
        format: Option<String>,
        /// auto (UTF-8, else Windows-1251), utf8 or windows-1251.
        #[arg(long, default_value = "auto", value_parser = ["auto", "utf8", "windows-1251"])]
        encoding: String,
        /// FIELD=COLUMN, e.g. --map external_code=hromada_pcode --map name=hromada_ua (repeatable).
        #[arg(long = "map", value_name = "FIELD=COLUMN")]
        mappings: Vec<String>,
        /// Venue type for rows without one, e.g. CNAP.
        #[arg(long)]
        default_type: Option<String>,
        /// Geofence radius in metres for rows without one.
        #[arg(long, default_value_t = 150)]
        default_geofence: i64,
    },
    /// Rebuild the quality index from the responses and approved visits themselves (after a change of method
    /// or a repair by hand); the service does this incrementally on its own otherwise.
    RebuildIndex,
    /// Print the GraphQL schema (SDL), as committed in schema.graphql.
    PrintSchema,
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    if matches!(cli.command, Some(Command::PrintSchema)) {
        print!("{}", crate::graphql::sdl());
        return ExitCode::SUCCESS;
    }
    let mut settings = match Settings::load(cli.config.as_deref()) {
        Ok(settings) => settings,
        Err(err) => {
            eprintln!("error: invalid settings: {err}");
            return ExitCode::from(2);
        }
    };
    if cli.database_url.is_some() {
        settings.database_url = cli.database_url.clone();
    }
    crate::telemetry::init(settings.log_format);
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(err) => {
            eprintln!("error: starting the runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(run(cli.command, settings));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            tracing::error!("{err:#}");
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(command: Option<Command>, mut settings: Settings) -> anyhow::Result<()> {
    match command.unwrap_or(Command::Serve { listen: None }) {
        Command::Serve { listen } => {
            if let Some(listen) = listen {
                settings.listen = listen;
            }
            tracing::info!(?settings, "starting");
            let app = Application::build(settings).await?;
            app.run_until(shutdown_signal()).await
        }
        Command::Migrate => {
            let db = Db::connect(&settings.database_url(), 1).await?;
            db.migrate().await?;
            Venues::new(db)
                .fill_missing_time_zones()
                .await
                .map_err(|e| anyhow::anyhow!("deriving venue time zones: {e:?}"))?;
            println!("migrations applied");
            Ok(())
        }
        Command::RebuildIndex => {
            let db = Db::connect(&settings.database_url(), 2).await?;
            db.migrate().await?;
            settings.index.method.check().map_err(anyhow::Error::msg)?;
            let started = std::time::Instant::now();
            let report = crate::quality::Quality::new(db, settings.index.method.clone())
                .rebuild()
                .await
                .map_err(|e| anyhow::anyhow!("rebuilding the quality index: {e:?}"))?;
            println!(
                "quality index rebuilt from {} responses and {} visits: {} periods in {:.1} s",
                report.responses,
                report.visits,
                report.periods,
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Command::CreateUser {
            email,
            role,
            password_stdin,
            client,
        } => {
            let role = Role::parse("role", &role).map_err(validation)?;
            let password = read_password(password_stdin)?;
            let db = Db::connect(&settings.database_url(), 2).await?;
            db.migrate().await?;
            let client_id = match client {
                Some(key) => Some(
                    Venues::new(db.clone())
                        .client_by_id_or_name(&key)
                        .await
                        .map_err(app_error)?
                        .id,
                ),
                None => None,
            };
            let accounts = Accounts::new(db, Arc::new(settings), Default::default());
            let user = accounts
                .create_user_with_password(&email, role, &password, client_id.as_deref())
                .await
                .map_err(app_error)?;
            println!("created {} {} ({})", user.role.as_str(), user.email, user.id);
            Ok(())
        }
        Command::CreateClient { name, kind } => {
            let kind = match kind.as_str() {
                "retail-chain" => ClientKind::RetailChain,
                "restaurant-chain" => ClientKind::RestaurantChain,
                "other" => ClientKind::Other,
                _ => ClientKind::PublicBody,
            };
            let db = Db::connect(&settings.database_url(), 2).await?;
            db.migrate().await?;
            let client = Venues::new(db)
                .create_client(None, &name, kind, None)
                .await
                .map_err(app_error)?;
            println!("created client {} ({})", client.name, client.id);
            Ok(())
        }
        Command::ImportVenues {
            file,
            client,
            dry_run,
            format,
            encoding,
            mappings,
            default_type,
            default_geofence,
        } => {
            let format = match format.as_deref() {
                Some("geojson") => ImportFormat::Geojson,
                Some(_) => ImportFormat::Csv,
                None => ImportFormat::from_file_name(&file.to_string_lossy())
                    .ok_or_else(|| anyhow::anyhow!("cannot tell the format from the file name; pass --format"))?,
            };
            let encoding = match encoding.as_str() {
                "utf8" => TextEncoding::Utf8,
                "windows-1251" => TextEncoding::Windows1251,
                _ => TextEncoding::Auto,
            };
            let mapping = column_mapping(&mappings)?;
            let defaults = ImportDefaults {
                venue_type: default_type
                    .as_deref()
                    .map(|t| VenueType::parse("--default-type", t))
                    .transpose()
                    .map_err(validation)?,
                geofence: GeofenceRadius::parse("--default-geofence", default_geofence).map_err(validation)?,
            };
            let bytes = std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
            let parsed = import::parse(&bytes, format, encoding, &mapping, &defaults).map_err(validation)?;
            let db = Db::connect(&settings.database_url(), 2).await?;
            db.migrate().await?;
            let venues = Venues::new(db);
            let client = venues.client_by_id_or_name(&client).await.map_err(app_error)?;
            let bar = ProgressBar::new(parsed.drafts.len() as u64).with_style(
                ProgressStyle::with_template("{bar:40} {pos}/{len} venues {elapsed}")
                    .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            let report = venues
                .import(None, &client.id, parsed, dry_run, &|done| bar.set_position(done as u64))
                .await
                .map_err(app_error)?;
            bar.finish_and_clear();
            for error in &report.errors {
                println!(
                    "row {}: {}: {}",
                    error.row,
                    error.column.as_deref().unwrap_or("-"),
                    crate::i18n::render(crate::domain::Language::En, &error.message)
                );
            }
            println!(
                "{}{} rows read: {} created, {} updated, {} unchanged, {} errors",
                if report.dry_run { "dry run: " } else { "" },
                report.rows_read,
                report.created,
                report.updated,
                report.unchanged,
                report.errors.len()
            );
            anyhow::ensure!(report.errors.is_empty(), "nothing was imported: fix the rows above");
            Ok(())
        }
        Command::PrintSchema => unreachable!("handled before settings are loaded"),
    }
}

fn app_error(err: crate::error::AppError) -> anyhow::Error {
    anyhow::anyhow!("{}", AppErrorDisplay(&err))
}

/// `FIELD=COLUMN` pairs into a column mapping.
fn column_mapping(pairs: &[String]) -> anyhow::Result<ColumnMapping> {
    let mut mapping = ColumnMapping::default();
    for pair in pairs {
        let (field, column) = pair
            .split_once('=')
            .ok_or_else(|| anyhow::anyhow!("--map {pair}: expected FIELD=COLUMN"))?;
        let slot = match field.trim() {
            "external_code" => &mut mapping.external_code,
            "name" => &mut mapping.name,
            "type" => &mut mapping.venue_type,
            "address" => &mut mapping.address,
            "oblast" => &mut mapping.oblast,
            "raion" => &mut mapping.raion,
            "hromada" => &mut mapping.hromada,
            "city" => &mut mapping.city,
            "lat" => &mut mapping.lat,
            "lon" => &mut mapping.lon,
            "geofence_m" => &mut mapping.geofence_m,
            "time_zone" => &mut mapping.time_zone,
            "size_class" => &mut mapping.size_class,
            other => anyhow::bail!("--map {other}=…: unknown field (external_code, name, type, address, oblast, raion, hromada, city, lat, lon, geofence_m, time_zone, size_class)"),
        };
        *slot = Some(column.trim().to_string());
    }
    Ok(mapping)
}

fn read_password(from_stdin: bool) -> anyhow::Result<String> {
    if from_stdin || !std::io::stdin().is_terminal() {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        return Ok(line.trim_end_matches(['\r', '\n']).to_string());
    }
    let first = rpassword::prompt_password("Password: ")?;
    let second = rpassword::prompt_password("Repeat password: ")?;
    anyhow::ensure!(first == second, "the two passwords differ");
    Ok(first)
}

/// Bad input for the command line: the field and why, in English.
fn validation(err: crate::domain::ValidationError) -> anyhow::Error {
    anyhow::anyhow!("{}", AppErrorDisplay(&crate::error::AppError::from(err)))
}
