//! The `fieldwork` command line: `serve` (default), `migrate`, `create-user`, `print-schema`.

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
use crate::error::AppErrorDisplay;
use crate::startup::{shutdown_signal, Application};

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
    },
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
            println!("migrations applied");
            Ok(())
        }
        Command::CreateUser {
            email,
            role,
            password_stdin,
        } => {
            let role = Role::parse("role", &role).map_err(|e| anyhow::anyhow!("{e}"))?;
            let password = read_password(password_stdin)?;
            let db = Db::connect(&settings.database_url(), 2).await?;
            db.migrate().await?;
            let accounts = Accounts::new(db, Arc::new(settings), Default::default());
            let user = accounts
                .create_user_with_password(&email, role, &password)
                .await
                .map_err(|e| anyhow::anyhow!("{}", AppErrorDisplay(&e)))?;
            println!("created {} {} ({})", user.role.as_str(), user.email, user.id);
            Ok(())
        }
        Command::PrintSchema => unreachable!("handled before settings are loaded"),
    }
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
