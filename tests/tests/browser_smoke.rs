//! Browser smoke test: the real `stegvis` binary serves the built app (Trunk's `dist/`) and
//! headless Chromium, driven by ChromeDriver through WebDriver, shows that the wasm app runs
//! and reaches the server (`#server-status` says "Server: ok").
//!
//! Needs, from the environment or their defaults:
//! - `STEGVIS_BIN` (else `<workspace>/target/debug/stegvis`),
//! - `STEGVIS_DIST_DIR` (else `<workspace>/dist`), with an `index.html`,
//! - `CHROMEDRIVER` (else `/usr/bin/chromedriver`) and `/usr/bin/chromium`.
//!
//! `cargo xtask test` provides all of them; when one is missing this test fails and says so.

use std::fs::{self, File};
use std::io::{BufRead, BufReader};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use fantoccini::{ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::json;

const CHROMIUM: &str = "/usr/bin/chromium";
const DEFAULT_CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// How long ChromeDriver may take to accept connections.
const DRIVER_START: Duration = Duration::from_secs(30);
/// How long the server may take to migrate a fresh database and bind.
const SERVER_START: Duration = Duration::from_secs(60);
/// How long the page may take to load the wasm and hear from the server.
const PAGE_READY: Duration = Duration::from_secs(60);
const POLL: Duration = Duration::from_millis(100);

fn workspace_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_path_buf()
}

fn env_path(var: &str, default: PathBuf) -> PathBuf {
    std::env::var_os(var).map_or(default, PathBuf::from)
}

/// A directory under the system temp dir, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(prefix: &str) -> Self {
        let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |age| age.as_nanos());
        let path = std::env::temp_dir().join(format!("{prefix}-{}-{nanos}", std::process::id()));
        fs::create_dir_all(&path).unwrap_or_else(|err| panic!("cannot create {}: {err}", path.display()));
        Self(path)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// A child process killed (with its whole process group) and reaped on drop, panics included.
struct ProcessGuard {
    name: &'static str,
    child: Child,
    log: PathBuf,
}

impl ProcessGuard {
    /// Starts `cmd` in a process group of its own, its output going to `log`.
    fn spawn(name: &'static str, mut cmd: Command, log: PathBuf, stdout: Stdio) -> Self {
        let log_file = File::create(&log).unwrap_or_else(|err| panic!("cannot create {}: {err}", log.display()));
        let stderr = log_file.try_clone().unwrap_or_else(|err| panic!("cannot reopen {}: {err}", log.display()));
        let child = cmd
            .stdin(Stdio::null())
            .stdout(stdout)
            .stderr(stderr)
            .process_group(0)
            .spawn()
            .unwrap_or_else(|err| panic!("cannot start {name} ({cmd:?}): {err}"));
        drop(log_file);
        Self { name, child, log }
    }

    /// Fails the test if the process has already exited, showing its log.
    fn assert_running(&mut self) {
        if let Ok(Some(status)) = self.child.try_wait() {
            panic!("{} exited early ({status}); its log:\n{}", self.name, self.log_text());
        }
    }

    fn log_text(&self) -> String {
        let text = fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(60)..].join("\n")
    }
}

impl Drop for ProcessGuard {
    fn drop(&mut self) {
        // The group id is the child's pid (process_group(0)): this also stops Chromium,
        // which ChromeDriver starts as its own child.
        let _ =
            Command::new("kill").args(["-KILL", "--", &format!("-{}", self.child.id())]).stderr(Stdio::null()).status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A port that was free a moment ago.
fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("cannot bind a local port");
    listener.local_addr().expect("bound listener has no address").port()
}

/// Starts ChromeDriver and waits until it accepts connections; returns it and its URL.
fn start_chromedriver(tmp: &Path) -> (ProcessGuard, String) {
    let driver = env_path("CHROMEDRIVER", PathBuf::from(DEFAULT_CHROMEDRIVER));
    assert!(
        driver.is_file(),
        "ChromeDriver not found at {} (set CHROMEDRIVER, or run `cargo xtask setup`, which \
         installs Debian's chromium-driver)",
        driver.display()
    );
    let port = free_port();
    let mut cmd = Command::new(&driver);
    cmd.arg(format!("--port={port}"));
    let mut guard = ProcessGuard::spawn("chromedriver", cmd, tmp.join("chromedriver.log"), Stdio::null());
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let deadline = Instant::now() + DRIVER_START;
    loop {
        if TcpStream::connect_timeout(&addr, POLL).is_ok() {
            break;
        }
        guard.assert_running();
        assert!(
            Instant::now() < deadline,
            "ChromeDriver did not listen on {addr} within {DRIVER_START:?}; its log:\n{}",
            guard.log_text()
        );
        thread::sleep(POLL);
    }
    (guard, format!("http://{addr}"))
}

/// Starts the server on a fresh database and an OS-chosen port; returns it and its base URL.
fn start_server(tmp: &Path, dist: &Path) -> (ProcessGuard, String) {
    let root = workspace_root();
    let bin = env_path("STEGVIS_BIN", root.join("target/debug/stegvis"));
    assert!(
        bin.is_file(),
        "server binary {} not found (set STEGVIS_BIN, or run `cargo build -p backend --bin \
         stegvis`; `cargo xtask test` does both)",
        bin.display()
    );
    let database_url = format!("sqlite://{}", tmp.join("stegvis.db").display());
    let mut cmd = Command::new(&bin);
    cmd.args(["serve", "--listen", "127.0.0.1:0", "--database-url"])
        .arg(&database_url)
        .arg("--dist-dir")
        .arg(dist)
        .env_remove("STEGVIS_LISTEN")
        .env_remove("STEGVIS_DATABASE_URL")
        .env_remove("STEGVIS_DIST_DIR");
    let mut guard = ProcessGuard::spawn("stegvis", cmd, tmp.join("stegvis.log"), Stdio::piped());
    let stdout = guard.child.stdout.take().expect("server stdout was piped");

    // Read stdout on a thread so the wait stays bounded; keep draining it afterwards.
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let mut sent = false;
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if !sent && let Some(url) = line.trim().strip_prefix("stegvis listening on ") {
                sent = tx.send(url.trim_end_matches('/').to_owned()).is_ok();
            }
        }
    });
    let deadline = Instant::now() + SERVER_START;
    loop {
        match rx.recv_timeout(POLL) {
            Ok(url) => return (guard, url),
            Err(mpsc::RecvTimeoutError::Timeout) => {
                guard.assert_running();
                assert!(
                    Instant::now() < deadline,
                    "the server printed no `stegvis listening on` line within \
                     {SERVER_START:?}; its log:\n{}",
                    guard.log_text()
                );
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                guard.assert_running();
                panic!(
                    "the server closed stdout without a `stegvis listening on` line; its log:\n{}",
                    guard.log_text()
                );
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn app_loads_in_chromium_and_reaches_the_server() {
    let root = workspace_root();
    let dist = env_path("STEGVIS_DIST_DIR", root.join("dist"));
    assert!(
        dist.join("index.html").is_file(),
        "the web app is not built: {} is missing (run `cargo xtask build-app --release`; \
         `cargo xtask test` builds it first)",
        dist.join("index.html").display()
    );
    assert!(
        Path::new(CHROMIUM).is_file(),
        "Chromium not found at {CHROMIUM} (run `cargo xtask setup`, which installs Debian's \
         chromium)"
    );

    // Declared before the process guards, so it is removed after they stopped their processes.
    let tmp = TempDir::new("stegvis-browser-smoke");
    let profile = tmp.0.join("chromium-profile");
    fs::create_dir_all(&profile).expect("cannot create the Chromium profile dir");
    let (mut server, base_url) = start_server(&tmp.0, &dist);
    let (mut driver, driver_url) = start_chromedriver(&tmp.0);

    let mut capabilities = serde_json::Map::new();
    capabilities.insert("browserName".to_owned(), json!("chrome"));
    capabilities.insert(
        "goog:chromeOptions".to_owned(),
        json!({
            "binary": CHROMIUM,
            "args": [
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-default-apps",
                "--no-first-run",
                "--disable-quic",
                format!("--user-data-dir={}", profile.display()),
            ],
        }),
    );
    let client =
        ClientBuilder::new(HttpConnector::new()).capabilities(capabilities).connect(&driver_url).await.unwrap_or_else(
            |err| panic!("cannot open a Chromium session through ChromeDriver: {err}; its log:\n{}", driver.log_text()),
        );

    let url = format!("{base_url}/");
    client.goto(&url).await.unwrap_or_else(|err| panic!("cannot open {url}: {err}"));

    let deadline = Instant::now() + PAGE_READY;
    let mut last_seen = String::from("(no #server-status element yet)");
    let ready = loop {
        if let Ok(element) = client.find(Locator::Id("server-status")).await
            && let Ok(text) = element.text().await
        {
            if text.trim() == "Server: ok" {
                break true;
            }
            last_seen = text;
        }
        if Instant::now() >= deadline {
            break false;
        }
        server.assert_running();
        driver.assert_running();
        tokio::time::sleep(POLL).await;
    };
    let title = client.title().await.unwrap_or_default();
    let source = if ready { String::new() } else { client.source().await.unwrap_or_default() };
    // End the browser session before the guards kill what is left.
    let _ = client.close().await;

    assert!(
        ready,
        "#server-status did not say \"Server: ok\" within {PAGE_READY:?} at {url}; last text: \
         {last_seen:?}\npage source:\n{source}\nserver log:\n{}",
        server.log_text()
    );
    assert_eq!(title, "Stegvis", "page title");
}
