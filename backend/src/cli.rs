//! The command line of `stegvis`: `serve` and the `admin` bootstrap commands
//! (API.md: flags and environment variables).

use std::io::{BufRead, Write};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use shared::Role;
use tracing_subscriber::EnvFilter;
use uuid::Uuid;

use crate::auth::password;
use crate::state::AppState;
use crate::store::{self, NewUser, StoreError};

#[derive(Debug, Parser)]
#[command(name = "stegvis", version, about = "Stegvis: the offline-first field log's sync server")]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the server: the API under /api/v1 and the built app at /.
    Serve(ServeArgs),
    /// Bootstrap and maintenance commands; they work while a server runs.
    #[command(subcommand)]
    Admin(AdminCommand),
}

#[derive(Debug, Args)]
struct Database {
    /// sqlite://path/to/file.db (created if missing) or postgres://...
    #[arg(long, env = "STEGVIS_DATABASE_URL", default_value = "sqlite://stegvis.db")]
    database_url: String,
}

#[derive(Debug, Args)]
struct ServeArgs {
    /// Address to listen on; port 0 picks a free port (printed at start).
    #[arg(long, env = "STEGVIS_LISTEN", default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    #[command(flatten)]
    db: Database,
    /// The built app (Trunk's dist/ directory).
    #[arg(long, env = "STEGVIS_DIST_DIR", default_value = "dist")]
    dist_dir: PathBuf,
    /// Seconds a device session stays valid without use (default 30 days).
    #[arg(long, env = "STEGVIS_SESSION_IDLE_SECS", default_value_t = 30 * 24 * 3600, value_parser = clap::value_parser!(u32).range(1..))]
    session_idle_secs: u32,
    /// Reverse proxies whose X-Forwarded-For is believed (comma-separated IPs).
    /// Without one, the TCP peer is the client for login throttling.
    #[arg(long = "trusted-proxy", env = "STEGVIS_TRUSTED_PROXIES", value_delimiter = ',')]
    trusted_proxies: Vec<std::net::IpAddr>,
    /// Seconds a client may take to send a request's headers before it is cut off.
    #[arg(long, env = "STEGVIS_HEADER_READ_TIMEOUT_SECS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=300))]
    header_read_timeout_secs: u64,
    /// Browser origins allowed to call the API from pages they serve (CORS),
    /// comma-separated, e.g. `https://intranet.example.se`. None by default.
    #[arg(long = "cors-origin", env = "STEGVIS_CORS_ORIGINS", value_delimiter = ',', value_parser = parse_origin)]
    cors_origins: Vec<axum::http::HeaderValue>,
}

fn parse_origin(s: &str) -> Result<axum::http::HeaderValue, String> {
    let s = s.trim().trim_end_matches('/');
    if !(s.starts_with("http://") || s.starts_with("https://")) {
        return Err("an origin is scheme://host[:port]".into());
    }
    axum::http::HeaderValue::from_str(s).map_err(|e| e.to_string())
}

#[derive(Debug, Subcommand)]
enum AdminCommand {
    /// Create an organisation; prints its id.
    CreateOrg {
        #[arg(long)]
        name: String,
        #[command(flatten)]
        db: Database,
    },
    /// Create a user; reads the password from the first line of standard input; prints the id.
    CreateUser {
        #[arg(long)]
        org: Uuid,
        #[arg(long)]
        username: String,
        /// Read the password from standard input (required: never on the command line).
        #[arg(long, required = true)]
        password_stdin: bool,
        #[arg(long, value_parser = parse_role)]
        role: Role,
        /// Display name (defaults to the username).
        #[arg(long)]
        display_name: Option<String>,
        #[command(flatten)]
        db: Database,
    },
    /// Create the demo organisation and users (idempotent); prints the logins. Demo only.
    SeedDemo {
        #[command(flatten)]
        db: Database,
    },
}

fn parse_role(s: &str) -> Result<Role, String> {
    Role::parse(s).ok_or_else(|| "expected coach, pedagogue, office or admin".to_owned())
}

/// Runs the command line; the exit code says whether it worked.
pub async fn run() -> ExitCode {
    let cli = Cli::parse();
    let filter = EnvFilter::try_from_env("STEGVIS_LOG").unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    let logs = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    if std::env::var("STEGVIS_LOG_FORMAT").is_ok_and(|f| f.eq_ignore_ascii_case("json")) {
        logs.json().init();
    } else {
        logs.init();
    }
    match execute(cli.command).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("stegvis: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Why a command failed, for the person at the terminal.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("{0}")]
    Invalid(String),
}

async fn execute(command: Command) -> Result<(), CliError> {
    match command {
        Command::Serve(args) => serve(args).await,
        Command::Admin(AdminCommand::CreateOrg { name, db }) => {
            let name = name.trim();
            if name.is_empty() {
                return Err(CliError::Invalid("--name must not be empty".into()));
            }
            let store = store::connect(&db.database_url).await?;
            println!("{}", store.create_org(name).await?);
            Ok(())
        }
        Command::Admin(AdminCommand::CreateUser { org, username, password_stdin: _, role, display_name, db }) => {
            let mut line = String::new();
            std::io::stdin().lock().read_line(&mut line)?;
            let password = line.trim_end_matches(['\r', '\n']).to_owned();
            password::check_new_password(&password).map_err(|m| CliError::Invalid(format!("password: {m}")))?;
            let store = store::connect(&db.database_url).await?;
            if !store.org_exists(org).await? {
                return Err(CliError::Invalid(format!("no organisation with id {org}")));
            }
            let password_hash = password::hash(password).await.map_err(|e| CliError::Invalid(e.to_string()))?;
            let display_name = display_name.unwrap_or_else(|| username.clone());
            let user = store.create_user(&NewUser { org_id: org, username, display_name, role, password_hash }).await?;
            println!("{}", user.id);
            Ok(())
        }
        Command::Admin(AdminCommand::SeedDemo { db }) => {
            let store = store::connect(&db.database_url).await?;
            let logins = crate::seed::seed_demo(store.as_ref()).await.map_err(|e| CliError::Invalid(e.to_string()))?;
            print!("{logins}");
            Ok(())
        }
    }
}

async fn serve(args: ServeArgs) -> Result<(), CliError> {
    let store = store::connect(&args.db.database_url).await?;
    let mut state = AppState::new(store, args.dist_dir, time::Duration::seconds(i64::from(args.session_idle_secs)))
        .await
        .map_err(|e| CliError::Invalid(e.to_string()))?;
    state.trusted_proxies = args.trusted_proxies.into();
    state.cors_origins = args.cors_origins.into();
    let listener = tokio::net::TcpListener::bind(args.listen).await?;
    let addr = listener.local_addr()?;
    println!("stegvis listening on http://{addr}");
    std::io::stdout().flush()?;
    tracing::info!(%addr, "serving");
    let header_read_timeout = std::time::Duration::from_secs(args.header_read_timeout_secs);
    crate::serve(listener, state, header_read_timeout, shutdown_signal()).await?;
    tracing::info!("stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
