//! The browser side of the harness: headless Chromium driven through
//! ChromeDriver (WebDriver, fantoccini over plain HTTP on loopback).
//!
//! A [`Browser`] is one browser profile: its own ChromeDriver on a free port
//! (waited for by polling), its own fresh `--user-data-dir` (so two profiles
//! are two phones: separate IndexedDB, service worker and caches), a
//! 390x844 viewport, and helpers that address the page by its
//! `data-testid` contract (docs/FIELD-APP.md): [`Browser::goto`],
//! [`Browser::click`], [`Browser::fill`], [`Browser::select`],
//! [`Browser::wait_for`], [`Browser::wait_for_attr`], [`Browser::screenshot`]
//! (into `target/screenshots/`), [`Browser::js`]. Every wait is bounded
//! polling, never a fixed sleep; a wait that times out fails the test with
//! what the page showed (URL, sync status, the test ids present, the visible
//! text) and keeps a screenshot of it. ChromeDriver and every process it
//! started (Chromium and its helpers) are killed on drop, panics included.
//!
//! Needs `/usr/bin/chromium` and ChromeDriver (`CHROMEDRIVER`, else
//! `/usr/bin/chromedriver`); [`require_browser`] fails with a clear message
//! when either is missing (`cargo xtask setup` installs both).
#![allow(clippy::unwrap_used)]

use std::fs::{self, File};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::wd::TimeoutConfiguration;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{Value, json};

use crate::server::{TempDir, target_dir};

/// The Chromium binary (Debian's `chromium`).
pub const CHROMIUM: &str = "/usr/bin/chromium";
/// ChromeDriver unless `CHROMEDRIVER` says otherwise.
pub const DEFAULT_CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// The viewport of every profile: a phone, CSS pixels.
pub const VIEWPORT: (u32, u32) = (390, 844);
/// How long ChromeDriver may take to accept connections.
pub const DRIVER_START: Duration = Duration::from_secs(30);
/// How long a new browser session may take to open.
pub const SESSION_START: Duration = Duration::from_secs(60);
/// The default bound of every `wait_*` helper.
pub const DEFAULT_WAIT: Duration = Duration::from_secs(30);
/// How often waits poll.
pub const POLL: Duration = Duration::from_millis(50);
/// Page load and script timeouts given to ChromeDriver.
pub const PAGE_LOAD_TIMEOUT: Duration = Duration::from_secs(60);
pub const SCRIPT_TIMEOUT: Duration = Duration::from_secs(60);

/// The CSS selector of a `data-testid`.
pub fn tid(testid: &str) -> String {
    format!("[data-testid=\"{testid}\"]")
}

/// The CSS selector of a `data-testid` inside the element matched by `scope`.
pub fn tid_in(scope: &str, testid: &str) -> String {
    format!("{scope} {}", tid(testid))
}

/// ChromeDriver's path: `CHROMEDRIVER`, else [`DEFAULT_CHROMEDRIVER`].
pub fn chromedriver_path() -> PathBuf {
    std::env::var_os("CHROMEDRIVER").map_or_else(|| PathBuf::from(DEFAULT_CHROMEDRIVER), PathBuf::from)
}

/// Fails (never skips) when Chromium or ChromeDriver is missing.
pub fn require_browser() {
    assert!(
        Path::new(CHROMIUM).is_file(),
        "Chromium not found at {CHROMIUM} (run `cargo xtask setup`, which installs Debian's chromium; \
         `cargo xtask test` does it first)"
    );
    let driver = chromedriver_path();
    assert!(
        driver.is_file(),
        "ChromeDriver not found at {} (set CHROMEDRIVER, or run `cargo xtask setup`, which installs \
         Debian's chromium-driver; `cargo xtask test` does it first)",
        driver.display()
    );
}

/// `target/screenshots/` (created).
pub fn screenshots_dir() -> PathBuf {
    let dir = target_dir().join("screenshots");
    fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
    dir
}

/// Width and height of a PNG, from its IHDR chunk; `None` if not a PNG.
pub fn png_size(bytes: &[u8]) -> Option<(u32, u32)> {
    const MAGIC: &[u8] = b"\x89PNG\r\n\x1a\n";
    if bytes.len() < 24 || &bytes[..8] != MAGIC || &bytes[12..16] != b"IHDR" {
        return None;
    }
    let w = u32::from_be_bytes(bytes[16..20].try_into().ok()?);
    let h = u32::from_be_bytes(bytes[20..24].try_into().ok()?);
    Some((w, h))
}

/// One browser test at a time in a test binary: Chromium instances, PBKDF2
/// with 600,000 iterations and timing bounds do not share two cores well.
/// Hold the guard for the whole test.
pub async fn exclusive() -> tokio::sync::MutexGuard<'static, ()> {
    static LOCK: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
    LOCK.lock().await
}

/// The pids of every descendant of `pid` (from `/proc`), children first.
fn descendants(pid: u32) -> Vec<u32> {
    let mut parent_of = Vec::new();
    if let Ok(entries) = fs::read_dir("/proc") {
        for entry in entries.flatten() {
            let Some(child) = entry.file_name().to_str().and_then(|n| n.parse::<u32>().ok()) else { continue };
            let Ok(stat) = fs::read_to_string(entry.path().join("stat")) else { continue };
            // `pid (comm) state ppid ...`; comm may hold spaces and parentheses.
            let Some(rest) = stat.rfind(')').map(|i| &stat[i + 1..]) else { continue };
            if let Some(ppid) = rest.split_whitespace().nth(1).and_then(|p| p.parse::<u32>().ok()) {
                parent_of.push((child, ppid));
            }
        }
    }
    let mut out = Vec::new();
    let mut frontier = vec![pid];
    while let Some(p) = frontier.pop() {
        for &(child, ppid) in &parent_of {
            if ppid == p && !out.contains(&child) {
                out.push(child);
                frontier.push(child);
            }
        }
    }
    out
}

/// ChromeDriver: killed on drop with its process group and every process it
/// started (Chromium and its helpers, found by parent pid), then reaped.
struct DriverProcess {
    child: Child,
    log: PathBuf,
}

impl DriverProcess {
    fn log_text(&self) -> String {
        let text = fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(60)..].join("\n")
    }

    fn assert_running(&mut self) {
        if let Ok(Some(status)) = self.child.try_wait() {
            panic!("chromedriver exited early ({status}); its log:\n{}", self.log_text());
        }
    }
}

impl Drop for DriverProcess {
    fn drop(&mut self) {
        let pid = self.child.id();
        let family = descendants(pid);
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{pid}")])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        for p in family {
            let _ = Command::new("kill")
                .args(["-KILL", &p.to_string()])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A port that was free a moment ago.
fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("cannot bind a local port");
    listener.local_addr().expect("bound listener has no address").port()
}

/// Start ChromeDriver on a free port and wait (polling) until it accepts.
fn start_chromedriver(dir: &Path) -> (DriverProcess, String) {
    require_browser();
    let driver = chromedriver_path();
    let port = free_port();
    let log = dir.join("chromedriver.log");
    let log_file = File::create(&log).unwrap_or_else(|e| panic!("cannot create {}: {e}", log.display()));
    let stderr = log_file.try_clone().unwrap();
    let child = Command::new(&driver)
        .arg(format!("--port={port}"))
        .stdin(Stdio::null())
        .stdout(log_file)
        .stderr(stderr)
        .process_group(0)
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", driver.display()));
    let mut process = DriverProcess { child, log };
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let deadline = Instant::now() + DRIVER_START;
    loop {
        if TcpStream::connect_timeout(&addr, POLL).is_ok() {
            break;
        }
        process.assert_running();
        assert!(
            Instant::now() < deadline,
            "ChromeDriver did not listen on {addr} within {DRIVER_START:?}; its log:\n{}",
            process.log_text()
        );
        std::thread::sleep(POLL);
    }
    (process, format!("http://{addr}"))
}

/// What a test id's element looks like right now.
#[derive(Debug, Clone, Default)]
pub struct Probe {
    pub count: usize,
    pub displayed: bool,
    pub enabled: bool,
    pub text: String,
}

static FAILURES: AtomicUsize = AtomicUsize::new(0);

/// One headless Chromium profile on one ChromeDriver; see the module doc.
pub struct Browser {
    name: String,
    base_url: String,
    client: Option<Client>,
    // Field order is drop order: the session, then the processes, then the profile dir.
    driver: DriverProcess,
    dir: TempDir,
    viewport: (u32, u32),
}

impl std::fmt::Debug for Browser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Browser({}, {})", self.name, self.base_url)
    }
}

impl Browser {
    /// A fresh profile named `name` (used in screenshot names and messages)
    /// for the app at `base_url` (`http://127.0.0.1:PORT`).
    pub async fn start(name: &str, base_url: &str) -> Browser {
        Browser::start_sized(name, base_url, VIEWPORT).await
    }

    /// A fresh profile with a `(width, height)` viewport (a desk: 1280x900).
    /// Downloads go to [`Browser::downloads_dir`] without a prompt.
    pub async fn start_sized(name: &str, base_url: &str, viewport: (u32, u32)) -> Browser {
        let dir = TempDir::new();
        let downloads = dir.path().join("downloads");
        fs::create_dir_all(&downloads).unwrap();
        let profile = dir.path().join("chromium-profile");
        fs::create_dir_all(&profile).unwrap();
        let (mut driver, driver_url) = start_chromedriver(dir.path());
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
                    "--hide-scrollbars",
                    "--force-device-scale-factor=1",
                    format!("--window-size={},{}", viewport.0, viewport.1),
                    format!("--user-data-dir={}", profile.display()),
                ],
                "prefs": {
                    "download.default_directory": downloads.display().to_string(),
                    "download.prompt_for_download": false,
                    "download.directory_upgrade": true,
                },
            }),
        );
        let mut builder = ClientBuilder::new(HttpConnector::new());
        builder.capabilities(capabilities);
        let client = match tokio::time::timeout(SESSION_START, builder.connect(&driver_url)).await {
            Ok(Ok(client)) => client,
            Ok(Err(e)) => {
                driver.assert_running();
                panic!(
                    "cannot open a Chromium session ({name}) through ChromeDriver: {e}; its log:\n{}",
                    driver.log_text()
                )
            }
            Err(_) => panic!(
                "no Chromium session ({name}) within {SESSION_START:?}; ChromeDriver's log:\n{}",
                driver.log_text()
            ),
        };
        client
            .update_timeouts(TimeoutConfiguration::new(Some(SCRIPT_TIMEOUT), Some(PAGE_LOAD_TIMEOUT), None))
            .await
            .unwrap();
        let browser = Browser {
            name: name.to_owned(),
            base_url: base_url.trim_end_matches('/').to_owned(),
            client: Some(client),
            driver,
            dir,
            viewport,
        };
        browser.fit_viewport().await;
        browser
    }

    /// Make the viewport exactly the asked size (the window may have borders).
    async fn fit_viewport(&self) {
        let (w, h) = self.viewport;
        let Ok(inner) = self.client().execute("return [window.innerWidth, window.innerHeight];", vec![]).await else {
            return;
        };
        let iw = inner[0].as_u64().unwrap_or(u64::from(w));
        let ih = inner[1].as_u64().unwrap_or(u64::from(h));
        if (iw, ih) != (u64::from(w), u64::from(h)) {
            let (ow, oh) = self.client().get_window_size().await.unwrap_or((u64::from(w), u64::from(h)));
            let nw = (ow + u64::from(w)).saturating_sub(iw);
            let nh = (oh + u64::from(h)).saturating_sub(ih);
            let _ = self.client().set_window_size(nw as u32, nh as u32).await;
        }
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// Where this profile's downloads land.
    pub fn downloads_dir(&self) -> PathBuf {
        self.dir.path().join("downloads")
    }

    /// Waits (bounded) for a finished download whose name ends with
    /// `suffix` (Chromium writes `*.crdownload` until it is complete) and
    /// returns its path and bytes.
    pub async fn wait_for_download(&self, suffix: &str) -> (PathBuf, Vec<u8>) {
        let dir = self.downloads_dir();
        self.wait_until(&format!("a download named *{suffix}"), DEFAULT_WAIT, async || {
            let entries = fs::read_dir(&dir).ok()?;
            let path = entries.filter_map(Result::ok).map(|e| e.path()).find(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.ends_with(suffix) && !n.ends_with(".crdownload"))
            })?;
            let bytes = fs::read(&path).ok()?;
            Some((path, bytes))
        })
        .await
    }

    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The profile's temp dir (its ChromeDriver log is there).
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// The WebDriver session, for what the helpers do not cover.
    pub fn client(&self) -> &Client {
        self.client.as_ref().expect("browser session already closed")
    }

    /// Open `path` (e.g. `/`) of the app.
    pub async fn goto(&self, path: &str) {
        let url = format!("{}{path}", self.base_url);
        if let Err(e) = self.client().goto(&url).await {
            self.fail(&format!("cannot open {url}: {e}")).await;
        }
    }

    /// Reload the page (waits for the load event, bounded by the page-load timeout).
    pub async fn reload(&self) {
        if let Err(e) = self.client().refresh().await {
            self.fail(&format!("reload failed: {e}")).await;
        }
    }

    /// Run `script` (a function body; `return` a value) in the page.
    pub async fn js(&self, script: &str) -> Value {
        self.js_with(script, vec![]).await
    }

    /// [`Browser::js`] with arguments (`arguments[0]`, ...).
    pub async fn js_with(&self, script: &str, args: Vec<Value>) -> Value {
        match self.client().execute(script, args).await {
            Ok(v) => v,
            Err(e) => self.fail(&format!("script failed: {e}\nscript: {script}")).await,
        }
    }

    /// Run an asynchronous `script`: it ends by calling
    /// `arguments[arguments.length - 1](value)`.
    pub async fn js_async(&self, script: &str) -> Value {
        match self.client().execute_async(script, vec![]).await {
            Ok(v) => v,
            Err(e) => self.fail(&format!("async script failed: {e}\nscript: {script}")).await,
        }
    }

    /// The state of the first element matching `selector` (a CSS selector),
    /// read in one script so a re-render cannot make it stale half-way.
    pub async fn probe_sel(&self, selector: &str) -> Probe {
        let script = r#"
            const all = document.querySelectorAll(arguments[0]);
            if (all.length === 0) return [0, false, false, ""];
            const el = Array.from(all).find(e => e.getClientRects().length > 0) || all[0];
            const style = getComputedStyle(el);
            const displayed = el.getClientRects().length > 0 && style.visibility !== "hidden" && style.display !== "none";
            const enabled = !el.disabled && el.getAttribute("aria-disabled") !== "true";
            return [all.length, displayed, enabled, (el.innerText || el.value || "").slice(0, 500)];
        "#;
        match self.client().execute(script, vec![json!(selector)]).await {
            Ok(v) => Probe {
                count: v[0].as_u64().unwrap_or(0) as usize,
                displayed: v[1].as_bool().unwrap_or(false),
                enabled: v[2].as_bool().unwrap_or(false),
                text: v[3].as_str().unwrap_or("").to_owned(),
            },
            Err(_) => Probe::default(),
        }
    }

    /// [`Browser::probe_sel`] by test id.
    pub async fn probe(&self, testid: &str) -> Probe {
        self.probe_sel(&tid(testid)).await
    }

    /// Poll `check` every [`POLL`] until it gives `Some`, at most `timeout`;
    /// on timeout fail with `what` and the page's state.
    pub async fn wait_until<T>(&self, what: &str, timeout: Duration, mut check: impl AsyncFnMut() -> Option<T>) -> T {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(v) = check().await {
                return v;
            }
            if Instant::now() >= deadline {
                self.fail(&format!("timed out after {timeout:?} waiting for {what}")).await;
            }
            self.driver_alive();
            tokio::time::sleep(POLL).await;
        }
    }

    fn driver_alive(&self) {
        // `assert_running` needs `&mut`; a cheap check through /proc instead.
        let pid = self.driver.child.id();
        assert!(
            Path::new(&format!("/proc/{pid}")).exists(),
            "chromedriver of {} is gone; its log:\n{}",
            self.name,
            self.driver.log_text()
        );
    }

    /// Wait until the first element matching `selector` is displayed; returns it.
    pub async fn wait_for_sel_timeout(&self, selector: &str, timeout: Duration) -> Element {
        self.wait_until(&format!("`{selector}` to be displayed"), timeout, async || {
            if !self.probe_sel(selector).await.displayed {
                return None;
            }
            self.displayed_element(selector).await
        })
        .await
    }

    /// The first displayed element matching `selector`, if any.
    async fn displayed_element(&self, selector: &str) -> Option<Element> {
        let all = self.client().find_all(Locator::Css(selector)).await.ok()?;
        for el in all {
            if el.is_displayed().await.unwrap_or(false) {
                return Some(el);
            }
        }
        None
    }

    pub async fn wait_for_sel(&self, selector: &str) -> Element {
        self.wait_for_sel_timeout(selector, DEFAULT_WAIT).await
    }

    /// Wait (at most [`DEFAULT_WAIT`]) until the element with this test id is displayed.
    pub async fn wait_for(&self, testid: &str) -> Element {
        self.wait_for_sel_timeout(&tid(testid), DEFAULT_WAIT).await
    }

    pub async fn wait_for_timeout(&self, testid: &str, timeout: Duration) -> Element {
        self.wait_for_sel_timeout(&tid(testid), timeout).await
    }

    /// Wait until an element matching `selector` has `attr` = `value`.
    pub async fn wait_for_attr_sel_timeout(&self, selector: &str, attr: &str, value: &str, timeout: Duration) {
        let full = format!("{selector}[{attr}=\"{value}\"]");
        let deadline = Instant::now() + timeout;
        loop {
            if self.probe_sel(&full).await.count > 0 {
                return;
            }
            let now = self
                .client()
                .execute(
                    "const e = document.querySelector(arguments[0]); return e ? e.getAttribute(arguments[1]) : null;",
                    vec![json!(selector), json!(attr)],
                )
                .await
                .unwrap_or_else(|e| json!(format!("(script error: {e})")));
            if Instant::now() >= deadline {
                self.fail(&format!(
                    "timed out after {timeout:?} waiting for `{selector}` to have {attr}=\"{value}\"; last value: {now}"
                ))
                .await;
            }
            self.driver_alive();
            tokio::time::sleep(POLL).await;
        }
    }

    /// Wait (at most [`DEFAULT_WAIT`]) until the test id's element has `attr` = `value`.
    pub async fn wait_for_attr(&self, testid: &str, attr: &str, value: &str) {
        self.wait_for_attr_sel_timeout(&tid(testid), attr, value, DEFAULT_WAIT).await
    }

    pub async fn wait_for_attr_timeout(&self, testid: &str, attr: &str, value: &str, timeout: Duration) {
        self.wait_for_attr_sel_timeout(&tid(testid), attr, value, timeout).await
    }

    /// An attribute of the first element matching `selector` (`None`: no such element or attribute).
    pub async fn attr_sel(&self, selector: &str, attr: &str) -> Option<String> {
        let v = self
            .client()
            .execute(
                "const e = document.querySelector(arguments[0]); return e ? e.getAttribute(arguments[1]) : null;",
                vec![json!(selector), json!(attr)],
            )
            .await
            .unwrap_or(Value::Null);
        v.as_str().map(str::to_owned)
    }

    pub async fn attr(&self, testid: &str, attr: &str) -> Option<String> {
        self.attr_sel(&tid(testid), attr).await
    }

    /// How many elements match `selector`.
    pub async fn count_sel(&self, selector: &str) -> usize {
        self.client()
            .execute("return document.querySelectorAll(arguments[0]).length;", vec![json!(selector)])
            .await
            .unwrap_or(Value::Null)
            .as_u64()
            .unwrap_or(0) as usize
    }

    /// Click the first displayed, enabled element matching `selector`
    /// (waiting for it, scrolling it to the middle of the viewport, and
    /// retrying while a re-render or an overlay gets in the way).
    pub async fn click_sel(&self, selector: &str) {
        let mut last_error = String::new();
        let deadline = Instant::now() + DEFAULT_WAIT;
        loop {
            let probe = self.probe_sel(selector).await;
            if probe.displayed && probe.enabled {
                if let Some(el) = self.displayed_element(selector).await {
                    let _ =
                        self.client().execute("arguments[0].scrollIntoView({block: 'center'});", vec![json!(el)]).await;
                    match el.click().await {
                        Ok(()) => return,
                        Err(e) => last_error = e.to_string(),
                    }
                }
            } else {
                last_error = format!("{probe:?}");
            }
            if Instant::now() >= deadline {
                self.fail(&format!("cannot click `{selector}` within {DEFAULT_WAIT:?}: {last_error}")).await;
            }
            self.driver_alive();
            tokio::time::sleep(POLL).await;
        }
    }

    /// Click the element with this test id; see [`Browser::click_sel`].
    pub async fn click(&self, testid: &str) {
        self.click_sel(&tid(testid)).await
    }

    /// Put `text` into the input, textarea or select matching `selector`:
    /// typed for text-like inputs, set with input and change events for
    /// date/time/number-like inputs and selects (whose typing is locale-bound).
    pub async fn fill_sel(&self, selector: &str, text: &str) {
        let el = self.wait_for_sel(selector).await;
        let kind = self
            .client()
            .execute(
                "const e = arguments[0]; return [e.tagName.toLowerCase(), (e.getAttribute('type') || '').toLowerCase()];",
                vec![json!(el)],
            )
            .await
            .unwrap_or(Value::Null);
        let tag = kind[0].as_str().unwrap_or("");
        let ty = kind[1].as_str().unwrap_or("");
        let typed = matches!(tag, "textarea")
            || (tag == "input" && matches!(ty, "" | "text" | "search" | "tel" | "email" | "password" | "url"));
        if typed {
            let _ = self.client().execute("arguments[0].scrollIntoView({block: 'center'});", vec![json!(el)]).await;
            if let Err(e) = el.clear().await {
                self.fail(&format!("cannot clear `{selector}`: {e}")).await;
            }
            if let Err(e) = el.send_keys(text).await {
                self.fail(&format!("cannot type into `{selector}`: {e}")).await;
            }
        } else {
            self.set_value(&el, text).await;
        }
        let now = self.client().execute("return arguments[0].value;", vec![json!(el)]).await.unwrap_or(Value::Null);
        if now.as_str() != Some(text) {
            // A controlled input may have re-rendered under the typing: set it directly.
            self.set_value(&el, text).await;
            let now = self.client().execute("return arguments[0].value;", vec![json!(el)]).await.unwrap_or(Value::Null);
            if now.as_str() != Some(text) {
                self.fail(&format!("`{selector}` holds {now} after filling it with {text:?}")).await;
            }
        }
    }

    /// Set `value` with the element's native setter and fire input + change.
    async fn set_value(&self, el: &Element, value: &str) {
        let script = r#"
            const e = arguments[0], v = arguments[1];
            const proto = e instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype
                : e instanceof HTMLSelectElement ? HTMLSelectElement.prototype : HTMLInputElement.prototype;
            Object.getOwnPropertyDescriptor(proto, "value").set.call(e, v);
            e.dispatchEvent(new Event("input", { bubbles: true }));
            e.dispatchEvent(new Event("change", { bubbles: true }));
        "#;
        if let Err(e) = self.client().execute(script, vec![json!(el), json!(value)]).await {
            self.fail(&format!("cannot set a value: {e}")).await;
        }
    }

    /// Fill the input with this test id; see [`Browser::fill_sel`].
    pub async fn fill(&self, testid: &str, text: &str) {
        self.fill_sel(&tid(testid), text).await
    }

    /// Choose `value` in the control matching `selector`: a `<select>` (waits
    /// until the option exists), a group holding radio inputs or buttons with
    /// that `value`, or an input (then like [`Browser::fill_sel`]).
    pub async fn select_sel(&self, selector: &str, value: &str) {
        let el = self.wait_for_sel(selector).await;
        let tag = self
            .client()
            .execute("return arguments[0].tagName.toLowerCase();", vec![json!(el)])
            .await
            .unwrap_or(Value::Null);
        match tag.as_str().unwrap_or("") {
            "select" => {
                let option = format!("{selector} option[value=\"{value}\"]");
                self.wait_until(&format!("option `{value}` in `{selector}`"), DEFAULT_WAIT, async || {
                    (self.count_sel(&option).await > 0).then_some(())
                })
                .await;
                let el = self.wait_for_sel(selector).await;
                let _ = el.select_by_value(value).await;
                let now =
                    self.client().execute("return arguments[0].value;", vec![json!(el)]).await.unwrap_or(Value::Null);
                if now.as_str() != Some(value) {
                    self.set_value(&el, value).await;
                }
            }
            "input" | "textarea" => self.fill_sel(selector, value).await,
            _ => self.click_sel(&format!("{selector} [value=\"{value}\"]")).await,
        }
    }

    /// Choose `value` in the control with this test id; see [`Browser::select_sel`].
    pub async fn select(&self, testid: &str, value: &str) {
        self.select_sel(&tid(testid), value).await
    }

    /// A PNG of the viewport saved as `target/screenshots/<name>.png`; returns its path.
    pub async fn screenshot(&self, name: &str) -> PathBuf {
        let png = self.client().screenshot().await.unwrap_or_else(|e| panic!("screenshot {name}: {e}"));
        let path = screenshots_dir().join(format!("{name}.png"));
        fs::write(&path, &png).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
        path
    }

    /// What the page shows, for failure messages: URL, sync status, the test
    /// ids present (with counts) and the start of the visible text.
    pub async fn describe(&self) -> String {
        let url = self.client().current_url().await.map(|u| u.to_string()).unwrap_or_else(|e| format!("({e})"));
        let script = r#"
            const s = document.querySelector('[data-testid="sync-status"]');
            const ids = {};
            for (const e of document.querySelectorAll('[data-testid]')) {
                const k = e.getAttribute('data-testid');
                ids[k] = (ids[k] || 0) + 1;
            }
            return {
                sync: s ? { state: s.getAttribute('data-state'), pending: s.getAttribute('data-pending'), text: s.innerText } : null,
                testids: ids,
                text: (document.body ? document.body.innerText : '').slice(0, 2000),
            };
        "#;
        let page =
            self.client().execute(script, vec![]).await.unwrap_or_else(|e| json!({ "script_error": e.to_string() }));
        format!(
            "[{}] url: {url}\n  sync-status: {}\n  test ids: {}\n  visible text: {:?}",
            self.name,
            page["sync"],
            page["testids"],
            page["text"].as_str().unwrap_or("")
        )
    }

    /// Fail the test: keep a screenshot (`failure-<profile>-<n>.png`) and say
    /// what the page showed.
    pub async fn fail(&self, message: &str) -> ! {
        let n = FAILURES.fetch_add(1, Ordering::SeqCst);
        let shot = match self.client().screenshot().await {
            Ok(png) => {
                let path = screenshots_dir().join(format!("failure-{}-{n}.png", self.name));
                let _ = fs::write(&path, png);
                path.display().to_string()
            }
            Err(e) => format!("(no screenshot: {e})"),
        };
        let page = self.describe().await;
        panic!("{message}\n{page}\n  screenshot: {shot}")
    }

    /// End the WebDriver session cleanly (the processes die on drop anyway).
    pub async fn close(mut self) {
        if let Some(client) = self.client.take() {
            let _ = tokio::time::timeout(Duration::from_secs(10), client.close()).await;
        }
    }
}
