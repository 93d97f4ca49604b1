//! The command line of `stegvis`: `serve`, the `admin` bootstrap commands
//! (API.md: flags and environment variables) and `admin retention`.

use std::io::{BufRead, Write};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use shared::Role;
use tracing_subscriber::EnvFilter;
use uuid::Uuid;

use crate::auth::password;
use crate::retention::{self, Rule};
use crate::state::AppState;
use crate::store::retention::{Destroyer, RetentionRun};
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
    /// Retention (gallring): destroy the content of records whose time is up,
    /// by rule, in the organisation's programs; prints counts and participant
    /// ids (never names or content). Devices receive tombstones.
    Retention {
        /// The organisation whose programs are swept.
        #[arg(long)]
        org: Uuid,
        /// Username of an admin of that organisation who takes responsibility
        /// (the tombstones' `updated_by`, the access log's user).
        #[arg(long)]
        admin: String,
        /// KIND:ANCHOR:PERIOD, repeatable; default participant:after-exit:5y.
        /// Anchors: participant:after-exit; attendance, visit, mentor_note,
        /// lesson: after-date; plan_goal, follow_up, site: after-update.
        /// Period: 5y or 18m.
        #[arg(long = "rule", value_name = "RULE", value_parser = parse_rule)]
        rules: Vec<Rule>,
        /// Print what would go and change nothing.
        #[arg(long)]
        dry_run: bool,
        /// The day the periods are measured from, YYYY-MM-DD (default: today, UTC).
        /// A real run may not be measured from a day after today.
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_day)]
        today: Option<time::Date>,
        #[command(flatten)]
        db: Database,
    },
}

fn parse_rule(s: &str) -> Result<Rule, String> {
    Rule::parse(s)
}

fn parse_day(s: &str) -> Result<time::Date, String> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(s.trim(), &format).map_err(|_| format!("`{s}` is not a date YYYY-MM-DD"))
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
        Command::Admin(AdminCommand::Retention { org, admin, rules, dry_run, today, db }) => {
            run_retention(org, &admin, rules, dry_run, today, &db).await
        }
    }
}

/// `stegvis admin retention`: checks the organisation and the admin, runs
/// the rules (one transaction), prints the report.
async fn run_retention(
    org: Uuid,
    admin: &str,
    rules: Vec<Rule>,
    dry_run: bool,
    today: Option<time::Date>,
    db: &Database,
) -> Result<(), CliError> {
    let rules =
        if rules.is_empty() { vec![Rule::parse(retention::DEFAULT_RULE).map_err(CliError::Invalid)?] } else { rules };
    let now = time::OffsetDateTime::now_utc();
    let today = match today {
        Some(day) if !dry_run && day > now.date() => {
            return Err(CliError::Invalid(format!(
                "--today: a real run cannot be measured from a day after today ({}); use --dry-run to look ahead",
                retention::iso(now.date())
            )));
        }
        Some(day) => day,
        None => now.date(),
    };
    let store = store::connect(&db.database_url).await?;
    if !store.org_exists(org).await? {
        return Err(CliError::Invalid(format!("--org: no organisation with id {org}")));
    }
    let user = store
        .credentials(admin)
        .await?
        .map(|c| c.user)
        .filter(|u| u.org_id == org && u.role == Role::Admin && !u.disabled)
        .ok_or_else(|| CliError::Invalid(format!("--admin: {admin} is not an enabled admin of organisation {org}")))?;
    let run = RetentionRun {
        org_id: org,
        rules: rules.clone(),
        today,
        apply: (!dry_run).then_some(Destroyer { admin_id: user.id, now }),
    };
    let outcome = store.retention(&run).await?;
    tracing::info!(
        org = %org,
        admin = %user.id,
        dry_run,
        records = outcome.chosen.len(),
        participants = outcome.affected.iter().filter(|(_, p)| p.is_some()).count(),
        "retention"
    );
    print!("{}", retention::render(org, &rules, today, &outcome, (!dry_run).then_some(admin)));
    Ok(())
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
