//! The `stegvis` process under test: a fresh temp dir and SQLite database per
//! [`Server`], the binary started with `serve --listen 127.0.0.1:0`, the port
//! read from its one stdout line (bounded wait, never a sleep), SIGKILL and
//! restart on the same database (on a new port, or on the same one for the
//! browser tests, whose app uses relative URLs), optionally serving the built
//! app (`--dist-dir`), and the `stegvis admin` bootstrap commands.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::process::{Child, Command};
use uuid::Uuid;

/// How long the server may take to print its listening line.
pub const STARTUP_TIMEOUT: Duration = Duration::from_secs(60);
/// How long one `stegvis admin ...` command may take.
pub const CLI_TIMEOUT: Duration = Duration::from_secs(60);
/// The line the server prints once it is bound.
pub const LISTENING_PREFIX: &str = "stegvis listening on ";

/// Path of the binary under test: `STEGVIS_BIN`, else
/// `<target dir>/debug/stegvis` (target dir: `CARGO_TARGET_DIR` or
/// `<workspace root>/target`).
pub fn binary() -> PathBuf {
    if let Some(bin) = std::env::var_os("STEGVIS_BIN") {
        return PathBuf::from(bin);
    }
    target_dir().join("debug").join("stegvis")
}

/// The workspace root (the parent of this crate).
pub fn workspace_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_path_buf()
}

/// The target directory: `CARGO_TARGET_DIR` (relative to the workspace
/// root) or `<workspace root>/target`.
pub fn target_dir() -> PathBuf {
    let root = workspace_root();
    let target = std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| root.join("target"));
    if target.is_absolute() { target } else { root.join(target) }
}

/// The built web app (Trunk's output): `STEGVIS_DIST_DIR`, else
/// `<workspace root>/dist`.
pub fn app_dist_dir() -> PathBuf {
    std::env::var_os("STEGVIS_DIST_DIR").map(PathBuf::from).unwrap_or_else(|| workspace_root().join("dist"))
}

/// How long [`snapshot_dist`] retries while the build is being swapped.
pub const SNAPSHOT_TIMEOUT: Duration = Duration::from_secs(120);

/// Copy the built app `src` to `dst` (hidden entries such as Trunk's
/// `.stage` skipped), retrying until the copy is consistent: every absolute
/// path quoted in its `index.html` and `sw.js` (the precache list) is there.
pub async fn snapshot_dist(src: &Path, dst: &Path) {
    let deadline = tokio::time::Instant::now() + SNAPSHOT_TIMEOUT;
    loop {
        let _ = std::fs::remove_dir_all(dst);
        let missing = match copy_tree(src, dst) {
            Ok(()) => missing_app_files(dst),
            Err(e) => vec![format!("(copy failed: {e})")],
        };
        if missing.is_empty() {
            return;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the built app in {} is inconsistent for {SNAPSHOT_TIMEOUT:?} (a build in progress?): missing {missing:?}; \
             run `cargo xtask build-app --release`",
            src.display()
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

fn copy_tree(src: &Path, dst: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dst)?;
    for entry in std::fs::read_dir(src)? {
        let entry = entry?;
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        let (from, to) = (entry.path(), dst.join(&name));
        if entry.file_type()?.is_dir() {
            copy_tree(&from, &to)?;
        } else {
            std::fs::copy(&from, &to)?;
        }
    }
    Ok(())
}

/// The quoted absolute file paths of `index.html` and `sw.js` not present under `dir`.
fn missing_app_files(dir: &Path) -> Vec<String> {
    let mut missing = Vec::new();
    let Ok(index) = std::fs::read_to_string(dir.join("index.html")) else {
        return vec!["/index.html".to_owned()];
    };
    let sw = std::fs::read_to_string(dir.join("sw.js")).unwrap_or_default();
    for text in [&index, &sw] {
        for quote in ['"', '\''] {
            for (i, piece) in text.split(quote).enumerate() {
                let is_path = i % 2 == 1
                    && piece.starts_with('/')
                    && !piece.starts_with("//")
                    && piece.len() < 200
                    && piece.rsplit('/').next().is_some_and(|f| f.contains('.'))
                    && !piece.contains(char::is_whitespace);
                if is_path && !dir.join(&piece[1..]).is_file() && !missing.contains(&piece.to_owned()) {
                    missing.push(piece.to_owned());
                }
            }
        }
    }
    missing
}

/// How long a restart on the same port keeps retrying while the port is
/// still held (e.g. by a socket the kernel has not released yet).
pub const SAME_PORT_TIMEOUT: Duration = Duration::from_secs(20);

/// A directory under the system temp dir, removed on drop unless the test
/// is failing (then it is kept, with the server log, and its path printed).
#[derive(Debug)]
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new() -> TempDir {
        let path = std::env::temp_dir().join(format!("stegvis-test-{}", Uuid::new_v4()));
        std::fs::create_dir_all(&path).unwrap();
        TempDir(path)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Default for TempDir {
    fn default() -> Self {
        TempDir::new()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!("test failed: kept {} (server.log is there)", self.0.display());
        } else {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

/// When set (e.g. `postgres://postgres@127.0.0.1:55432`), every test gets a
/// fresh database on that PostgreSQL server instead of a SQLite file.
pub const POSTGRES_ENV: &str = "STEGVIS_TEST_POSTGRES_URL";

/// Creates an empty database on the PostgreSQL server at `base` (with `psql`)
/// and returns its name.
fn fresh_postgres_database(base: &str) -> String {
    let name = format!("stegvis_test_{}", uuid::Uuid::new_v4().simple());
    let status = psql(base, &format!("CREATE DATABASE {name}"))
        .status()
        .unwrap_or_else(|e| panic!("{POSTGRES_ENV} is set but psql cannot run: {e}"));
    assert!(status.success(), "creating database {name} on {base} failed");
    name
}

/// `psql` on the server's `postgres` database, running one statement.
fn psql(base: &str, statement: &str) -> std::process::Command {
    let mut cmd = std::process::Command::new("psql");
    cmd.args([&format!("{base}/postgres"), "-q", "-v", "ON_ERROR_STOP=1", "-c", statement]).stdin(Stdio::null());
    cmd
}

/// The files of a SQLite database as they were; [`SqliteBackup::restore`]
/// puts them back (the server must be stopped).
#[derive(Debug, Clone)]
pub struct SqliteBackup {
    files: Vec<(PathBuf, Option<Vec<u8>>)>,
}

impl SqliteBackup {
    pub fn restore(&self) {
        for (path, bytes) in &self.files {
            match bytes {
                Some(bytes) => std::fs::write(path, bytes).unwrap(),
                None => {
                    let _ = std::fs::remove_file(path);
                }
            }
        }
    }
}

/// One running `stegvis serve` on its own database. Killed (SIGKILL) on drop.
pub struct Server {
    child: Option<Child>,
    base_url: String,
    db_url: String,
    dir: TempDir,
    /// Extra environment for `stegvis serve` (e.g. a short session lifetime).
    env: Vec<(String, String)>,
    /// `--dist-dir` for `stegvis serve`, when the test drives the built app.
    dist_dir: Option<PathBuf>,
    /// The fresh PostgreSQL database this server made (base URL, name): dropped with it,
    /// unless the test is failing, so a run of every suite does not leave a database per test.
    owned_postgres: Option<(String, String)>,
}

impl Server {
    /// A fresh temp dir and database, the server started on it and listening.
    pub async fn start() -> Server {
        let mut server = Server::stopped();
        server.spawn().await;
        server
    }

    /// A fresh temp dir and database URL, no process yet (the database file
    /// does not exist): for the CLI on a new database. [`Server::restart`]
    /// starts it.
    pub fn stopped() -> Server {
        let dir = TempDir::new();
        let (db_url, owned_postgres) = match std::env::var(POSTGRES_ENV) {
            Ok(base) if !base.is_empty() => {
                let base = base.trim_end_matches('/').to_owned();
                let name = fresh_postgres_database(&base);
                (format!("{base}/{name}"), Some((base, name)))
            }
            _ => (format!("sqlite://{}", dir.path().join("stegvis.db").display()), None),
        };
        Server { child: None, base_url: String::new(), db_url, dir, env: Vec::new(), dist_dir: None, owned_postgres }
    }

    /// A server (not started yet: [`Server::restart`]) on the database at
    /// `db_url` instead of a fresh one (e.g. a SQLite file on a small
    /// filesystem the test fills up).
    pub fn stopped_on(db_url: &str) -> Server {
        let mut server = Server::stopped();
        db_url.clone_into(&mut server.db_url);
        server
    }

    /// A copy of this (stopped) server's SQLite database: the file, its WAL
    /// and its shared memory, as a nightly backup would hold them.
    pub fn sqlite_backup(&self) -> SqliteBackup {
        let file = PathBuf::from(self.db_url.trim_start_matches("sqlite://"));
        let files = ["", "-wal", "-shm"]
            .iter()
            .map(|suffix| {
                let path = PathBuf::from(format!("{}{suffix}", file.display()));
                let bytes = std::fs::read(&path).ok();
                (path, bytes)
            })
            .collect();
        SqliteBackup { files }
    }

    /// Like [`Server::start`], serving the built app from [`app_dist_dir`]
    /// (`--dist-dir`). Fails if the app is not built there.
    pub async fn start_with_app() -> Server {
        let dist = app_dist_dir();
        assert!(
            dist.join("index.html").is_file(),
            "the web app is not built: {} is missing (run `cargo xtask build-app --release`, or set \
             STEGVIS_DIST_DIR; `cargo xtask test` builds it first)",
            dist.join("index.html").display()
        );
        let mut server = Server::stopped();
        // Serve a consistent copy: a rebuild of dist/ during the test (Trunk
        // swaps its files) must not change the app under the browser's feet.
        let copy = server.dir().join("dist");
        snapshot_dist(&dist, &copy).await;
        server.dist_dir = Some(copy);
        server.spawn().await;
        server
    }

    /// The `dist/` copy this server serves (see [`Server::start_with_app`]).
    pub fn served_dist_dir(&self) -> Option<&Path> {
        self.dist_dir.as_deref()
    }

    /// The port the server listens on (from [`Server::base_url`]).
    pub fn port(&self) -> u16 {
        self.base_url
            .rsplit(':')
            .next()
            .and_then(|p| p.trim_end_matches('/').parse().ok())
            .unwrap_or_else(|| panic!("no port in the server's URL {:?}", self.base_url))
    }

    /// `http://127.0.0.1:PORT`, as the server printed it.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// `sqlite://<temp dir>/stegvis.db`.
    pub fn db_url(&self) -> &str {
        &self.db_url
    }

    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    pub fn log_path(&self) -> PathBuf {
        self.dir.path().join("server.log")
    }

    /// The last lines of the server's stderr, for failure messages.
    pub fn log_tail(&self) -> String {
        let log = std::fs::read_to_string(self.log_path()).unwrap_or_default();
        let lines: Vec<&str> = log.lines().collect();
        lines[lines.len().saturating_sub(40)..].join("\n")
    }

    pub fn is_running(&self) -> bool {
        self.child.is_some()
    }

    async fn spawn(&mut self) {
        self.spawn_with(false).await;
    }

    /// A second `stegvis serve` process on this server's database (its own
    /// port and log), as a region running several instances does.
    pub async fn another_instance(&self) -> Server {
        let mut other = Server {
            child: None,
            base_url: String::new(),
            db_url: self.db_url.clone(),
            dir: TempDir::new(),
            env: self.env.clone(),
            dist_dir: self.dist_dir.clone(),
            // The database is this server's: it goes when this one is dropped.
            owned_postgres: None,
        };
        other.spawn().await;
        other
    }

    /// Like [`Server::start`], with extra environment variables for the server.
    pub async fn start_with_env(env: &[(&str, &str)]) -> Server {
        let mut server = Server::stopped();
        server.env = env.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
        server.spawn().await;
        server
    }

    /// Start `stegvis serve` configured by the environment
    /// (`STEGVIS_LISTEN`, `STEGVIS_DATABASE_URL`) instead of flags.
    pub async fn start_configured_by_env() -> Server {
        let mut server = Server::stopped();
        server.spawn_with(true).await;
        server
    }

    async fn spawn_with(&mut self, by_env: bool) {
        if let Err(message) = self.try_spawn(by_env, "127.0.0.1:0").await {
            panic!("{message}");
        }
    }

    /// Start the process listening on `listen`; `Err` (with the log) if it
    /// exited before printing its listening line. Panics on a timeout.
    async fn try_spawn(&mut self, by_env: bool, listen: &str) -> Result<(), String> {
        assert!(self.child.is_none(), "server already running");
        let bin = binary();
        let log = std::fs::OpenOptions::new().create(true).append(true).open(self.log_path()).unwrap();
        let mut command = Command::new(&bin);
        command.envs(self.env.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        if by_env {
            command.arg("serve").env("STEGVIS_LISTEN", listen).env("STEGVIS_DATABASE_URL", &self.db_url);
        } else {
            command
                .args(["serve", "--listen", listen, "--database-url", &self.db_url])
                .env_remove("STEGVIS_LISTEN")
                .env_remove("STEGVIS_DATABASE_URL");
        }
        if let Some(dist) = &self.dist_dir {
            command.arg("--dist-dir").arg(dist).env_remove("STEGVIS_DIST_DIR");
        }
        let mut child = command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::from(log))
            .kill_on_drop(true)
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "cannot start {}: {e}. Build it with `cargo build -p backend --bin stegvis` \
                     or point STEGVIS_BIN at it",
                    bin.display()
                )
            });
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let deadline = tokio::time::Instant::now() + STARTUP_TIMEOUT;
        let url = loop {
            match tokio::time::timeout_at(deadline, lines.next_line()).await {
                Err(_) => panic!(
                    "stegvis printed no `{LISTENING_PREFIX}...` line within {STARTUP_TIMEOUT:?}; log:\n{}",
                    self.log_tail()
                ),
                Ok(Ok(Some(line))) => match line.strip_prefix(LISTENING_PREFIX) {
                    Some(url) => break url.trim().trim_end_matches('/').to_owned(),
                    None => eprintln!("[stegvis stdout] {line}"),
                },
                Ok(Ok(None)) | Ok(Err(_)) => {
                    let status = child.wait().await;
                    return Err(format!("stegvis exited ({status:?}) before listening; log:\n{}", self.log_tail()));
                }
            }
        };
        assert!(url.starts_with("http://127.0.0.1:"), "unexpected listening line: {LISTENING_PREFIX}{url}");
        // Keep draining stdout so the server never blocks on a full pipe.
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        self.base_url = url;
        self.child = Some(child);
        Ok(())
    }

    /// SIGKILL the server (no graceful shutdown) and reap it.
    pub async fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            child.kill().await.unwrap();
        }
    }

    /// Kill the server if it runs, then start it again on the same database.
    /// The port changes: take [`Server::base_url`] again (or use
    /// [`crate::World::restart`], which re-points every client).
    pub async fn restart(&mut self) {
        self.kill().await;
        self.spawn().await;
    }

    /// Kill the server if it runs, then start it again on the same database
    /// **and the same port**, so that a browser page loaded from it (relative
    /// URLs, a service worker bound to the origin) reaches it again. Retries
    /// for up to [`SAME_PORT_TIMEOUT`] while the port is not free yet.
    pub async fn restart_on_same_port(&mut self) {
        let port = self.port();
        self.kill().await;
        let listen = format!("127.0.0.1:{port}");
        let deadline = tokio::time::Instant::now() + SAME_PORT_TIMEOUT;
        loop {
            match self.try_spawn(false, &listen).await {
                Ok(()) => break,
                Err(message) if tokio::time::Instant::now() >= deadline => {
                    panic!("cannot restart stegvis on {listen} within {SAME_PORT_TIMEOUT:?}: {message}")
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(200)).await,
            }
        }
        assert_eq!(self.port(), port, "the restarted server listens on another port");
    }

    /// Run `stegvis <args> --database-url <this db>`, optionally writing
    /// `stdin`, bounded by [`CLI_TIMEOUT`].
    pub async fn cli(&self, args: &[&str], stdin: Option<&str>) -> Output {
        let mut child = Command::new(binary())
            .args(args)
            .args(["--database-url", &self.db_url])
            .env_remove("STEGVIS_LISTEN")
            .env_remove("STEGVIS_DATABASE_URL")
            .stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .unwrap();
        if let Some(input) = stdin {
            let mut pipe = child.stdin.take().unwrap();
            pipe.write_all(input.as_bytes()).await.unwrap();
            drop(pipe);
        }
        tokio::time::timeout(CLI_TIMEOUT, child.wait_with_output())
            .await
            .unwrap_or_else(|_| panic!("`stegvis {}` took over {CLI_TIMEOUT:?}", args.join(" ")))
            .unwrap()
    }

    /// `stegvis admin create-org --name N`: the new org id (its stdout alone).
    pub async fn create_org(&self, name: &str) -> Uuid {
        let out = self.cli(&["admin", "create-org", "--name", name], None).await;
        parse_id_output("admin create-org", &out)
    }

    /// `stegvis admin create-user --org ID --username U --password-stdin
    /// --role admin`: the new user id.
    pub async fn create_admin(&self, org: Uuid, username: &str, password: &str) -> Uuid {
        let org = org.to_string();
        let out = self
            .cli(
                &["admin", "create-user", "--org", &org, "--username", username, "--password-stdin", "--role", "admin"],
                Some(&format!("{password}\n")),
            )
            .await;
        parse_id_output("admin create-user", &out)
    }
}

/// The id a bootstrap command printed: exit 0 and stdout exactly one UUID.
pub fn parse_id_output(what: &str, out: &Output) -> Uuid {
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "`stegvis {what}` failed ({}): stdout {stdout:?} stderr {:?}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    Uuid::parse_str(stdout.trim())
        .unwrap_or_else(|e| panic!("`stegvis {what}` should print the new id alone on stdout, printed {stdout:?}: {e}"))
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(child) = self.child.as_mut() {
            let _ = child.start_kill();
        }
        if std::thread::panicking() {
            eprintln!("--- stegvis log tail ---\n{}\n---", self.log_tail());
        } else if let Some((base, name)) = &self.owned_postgres {
            // FORCE: the killed process's connections may not be gone yet. Best effort: the
            // throwaway cluster goes at the end of the run anyway.
            let _ = psql(base, &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).stderr(Stdio::null()).status();
        }
    }
}
