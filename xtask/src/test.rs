//! `cargo xtask test`: everything CI checks, in order, stopping at the first failure:
//! setup, `cargo fmt --check`, clippy (native crates, then the frontend for wasm32), the
//! frontend's browser tests (wasm-bindgen-test in headless Chromium), the release app build, the server binary, and `cargo test` over every native crate with the
//! browser test's environment (`STEGVIS_BIN`, `STEGVIS_DIST_DIR`, `CHROMEDRIVER`); then an
//! API fuzz run with schemathesis against the server (`schemathesis.rs`); then
//! the HTTP contract suites once more against a throwaway PostgreSQL cluster (skipped,
//! loudly, where PostgreSQL is not installed).
//! Ends with a summary of the phases and their durations.

use std::time::{Duration, Instant};

use anyhow::{Result, anyhow};

use crate::app::{self, Options};
use crate::postgres::Cluster;
use crate::process;
use crate::schemathesis;
use crate::setup::{self, CHROMEDRIVER, Scope, WASM_TARGET};
use crate::test_server::TestServer;
use crate::workspace::Workspace;

/// Runs all phases; fails if any fails.
pub fn test(ws: &Workspace) -> Result<()> {
    let mut phases = Phases::default();
    let result = run_phases(ws, &mut phases);
    phases.print_summary(result.is_ok());
    result
}

fn run_phases(ws: &Workspace, phases: &mut Phases) -> Result<()> {
    phases.run("setup", || setup::setup(ws, Scope::All))?;
    phases.run("fmt", || process::run(ws.cargo().args(["fmt", "--all", "--check"])))?;
    phases.run("clippy (native)", || {
        process::run(ws.cargo().args([
            "clippy",
            "--workspace",
            "--exclude",
            "frontend",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]))
    })?;
    phases.run("clippy (wasm32 frontend)", || {
        process::run(ws.cargo().args(["clippy", "-p", "frontend", "--target", WASM_TARGET, "--", "-D", "warnings"]))
    })?;
    phases.run("build server", || process::run(ws.cargo().args(["build", "-p", "backend", "--bin", "stegvis"])))?;
    phases.run("wasm tests (frontend)", || {
        // wasm-bindgen-test-runner (the runner in .cargo/config.toml) drives headless Chromium
        // through ChromeDriver; frontend/webdriver.json holds the Chromium flags. The test
        // page gets a fixed origin so that a real server may allow it (the sync engine's test).
        let page = format!("127.0.0.1:{}", crate::postgres::free_port()?);
        let server = TestServer::start(&ws.server_bin(), &format!("http://{page}"))?;
        process::run(
            ws.cargo()
                .args(["test", "-p", "frontend", "--target", WASM_TARGET])
                .env("CHROMEDRIVER", CHROMEDRIVER)
                .env("WASM_BINDGEN_TEST_ADDRESS", &page)
                .env("STEGVIS_TEST_SERVER", server.url()),
        )
    })?;
    phases.run("build-app (release)", || app::build_app(ws, Options { release: true, force: false }))?;
    phases.run("cargo test", || {
        // The frontend is a wasm crate built by Trunk; every other member is tested natively.
        process::run(
            ws.cargo()
                .args(["test", "--workspace", "--exclude", "frontend", "--no-fail-fast"])
                .env("STEGVIS_BIN", ws.server_bin())
                .env("STEGVIS_DIST_DIR", ws.dist_dir())
                .env("CHROMEDRIVER", CHROMEDRIVER),
        )
    })?;
    phases.run("API fuzz (schemathesis)", || schemathesis::api_fuzz(ws, schemathesis::DEFAULT_EXAMPLES))?;
    phases.run("contract suite on PostgreSQL", || contract_suite_on_postgres(ws))?;
    Ok(())
}

/// Runs the HTTP suites of `tests/` (the `http` test binary; the `browser` one needs no
/// database of its own) with a fresh PostgreSQL database per test.
fn contract_suite_on_postgres(ws: &Workspace) -> Result<()> {
    let Some(cluster) = Cluster::start()? else {
        println!();
        println!("!!! SKIPPED: PostgreSQL is not installed, so the contract suite ran on SQLite only.");
        println!("!!! Install Debian's `postgresql` (as root `cargo xtask setup` does) to run it on both.");
        println!();
        return Ok(());
    };
    process::run(
        ws.cargo()
            // `--workspace --exclude frontend`, as the `cargo test` phase: the same feature set,
            // so this reuses that phase's build (`-p stegvis-tests` would build every dependency
            // a second time, with other features, and double the target directory).
            .args(["test", "--workspace", "--exclude", "frontend", "--no-fail-fast", "--test", "http"])
            .env("STEGVIS_BIN", ws.server_bin())
            .env("STEGVIS_TEST_POSTGRES_URL", cluster.url()),
    )
}

/// The phases run so far, with their durations.
#[derive(Debug, Default)]
struct Phases {
    done: Vec<(&'static str, Duration, bool)>,
    started: Option<Instant>,
}

impl Phases {
    fn run(&mut self, name: &'static str, phase: impl FnOnce() -> Result<()>) -> Result<()> {
        self.started.get_or_insert_with(Instant::now);
        println!();
        println!("==> xtask test: {name}");
        let start = Instant::now();
        let result = phase();
        self.done.push((name, start.elapsed(), result.is_ok()));
        result.map_err(|err| anyhow!("phase `{name}` failed: {err:#}"))
    }

    fn print_summary(&self, ok: bool) {
        println!();
        println!("xtask test summary:");
        for (name, took, passed) in &self.done {
            let mark = if *passed { "ok  " } else { "FAIL" };
            println!("  {mark} {name:<26} {:>7.1} s", took.as_secs_f64());
        }
        let total = self.started.map_or(Duration::ZERO, |started| started.elapsed());
        let verdict = if ok { "all phases passed" } else { "FAILED" };
        println!("  total {:>33.1} s, {verdict}", total.as_secs_f64());
    }
}
