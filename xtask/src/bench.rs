//! `cargo xtask bench [--postgres] [NAME]`: the benchmarks, against a release
//! build of the server. Each prints `bench:` lines; `docs/BENCHMARKS.md`
//! records what they printed on this project's machine.
//!
//! - `office_reports` (tests/benches): the monthly attendance report, its
//!   CSV export and the outcomes report for 500 participants with a year of
//!   daily attendance, seeded over HTTP.
//! - `pull_cost` (tests/benches): a pull's cost at 10 thousand, 100 thousand
//!   and 1 million records.
//! - `sync_vs_pouchdb` (tests/benches): Stegvis's sync against PouchDB
//!   replication in the same headless Chromium. It needs more, installed
//!   here when missing: Chromium (Debian), Node.js and npm (Debian), the
//!   PouchDB packages of `bench/pouchdb` (`npm ci` from the npm registry), the
//!   shipped app (`dist/`, for its sizes) and a bench build of the app with
//!   the `bench` feature's hook in `target/bench-dist/`. It writes its table
//!   into docs/BENCHMARKS.md.

use std::fs;
use std::path::PathBuf;

use anyhow::{Context, Result};

use crate::app;
use crate::postgres::Cluster;
use crate::process;
use crate::setup::{self, Scope};
use crate::workspace::Workspace;

/// The benchmark programs of `tests/benches/`.
const BENCHES: [&str; 3] = ["office_reports", "pull_cost", "sync_vs_pouchdb"];
/// The npm project of the PouchDB side.
const POUCHDB_DIR: &str = "bench/pouchdb";

pub fn bench(ws: &Workspace, postgres: bool, only: Option<&str>) -> Result<()> {
    if let Some(name) = only
        && !BENCHES.contains(&name)
    {
        anyhow::bail!("no benchmark {name:?}; there are: {}", BENCHES.join(", "));
    }
    let selected: Vec<&str> = BENCHES.into_iter().filter(|b| only.is_none_or(|o| o == *b)).collect();
    let browser_env = if selected.contains(&"sync_vs_pouchdb") { Some(prepare_browser_bench(ws)?) } else { None };
    println!("==> xtask bench: build the server (release)");
    process::run(ws.cargo().args(["build", "--release", "-p", "backend", "--bin", "stegvis"]))?;
    let server = ws.target_dir().join("release").join("stegvis");
    let cluster = if postgres { Cluster::start()? } else { None };
    if postgres && cluster.is_none() {
        anyhow::bail!("--postgres: PostgreSQL is not installed (run `cargo xtask setup` as root)");
    }
    for name in selected {
        let database = if cluster.is_some() { "PostgreSQL" } else { "SQLite" };
        println!("==> xtask bench: {name} on {database}");
        let mut cmd = ws.cargo();
        cmd.args(["bench", "-p", "stegvis-tests", "--bench", name]).env("STEGVIS_BIN", &server);
        if let Some(cluster) = &cluster {
            cmd.env("STEGVIS_TEST_POSTGRES_URL", cluster.url());
        }
        if name == "sync_vs_pouchdb"
            && let Some(env) = &browser_env
        {
            cmd.env("STEGVIS_DIST_DIR", &env.bench_dist).env("STEGVIS_SHIPPED_DIST_DIR", ws.dist_dir());
        }
        process::run(&mut cmd)?;
    }
    Ok(())
}

/// What `sync_vs_pouchdb` runs with.
struct BrowserBench {
    bench_dist: PathBuf,
}

fn prepare_browser_bench(ws: &Workspace) -> Result<BrowserBench> {
    println!("==> xtask bench: set up Chromium, the wasm tools, Node.js and the PouchDB packages");
    setup::setup(ws, Scope::All)?;
    if process::probe(ws.command("node").arg("--version")).is_none()
        || process::probe(ws.command("npm").arg("--version")).is_none()
    {
        setup::ensure_debian_packages(ws, &[("Node.js and npm (the PouchDB side)", "nodejs"), ("npm", "npm")])?;
    }
    npm_ci(ws)?;
    println!("==> xtask bench: build the shipped app (release) for its sizes");
    app::build_app(ws, app::Options { release: true, force: false })?;
    println!("==> xtask bench: build the app with the bench hook into target/bench-dist");
    Ok(BrowserBench { bench_dist: build_bench_app(ws)? })
}

/// `npm ci` in bench/pouchdb, unless its lockfile is what was installed last.
fn npm_ci(ws: &Workspace) -> Result<()> {
    let dir = ws.join(POUCHDB_DIR);
    let lock = fs::read(dir.join("package-lock.json")).context("reading bench/pouchdb/package-lock.json")?;
    let stamp = dir.join("node_modules").join(".stegvis-lock");
    if dir.join("node_modules/pouchdb").is_dir() && fs::read(&stamp).ok().as_deref() == Some(lock.as_slice()) {
        println!("bench: the PouchDB packages are installed");
        return Ok(());
    }
    process::run(ws.command("npm").args(["ci", "--no-audit", "--no-fund"]).current_dir(&dir))?;
    fs::write(&stamp, lock).with_context(|| format!("writing {}", stamp.display()))
}

/// The app with the `bench` feature (release), built by Trunk offline into
/// target/bench-dist, with a service worker that precaches only the page.
fn build_bench_app(ws: &Workspace) -> Result<PathBuf> {
    let dist = ws.target_dir().join("bench-dist");
    let mut trunk = ws.command("trunk");
    trunk
        .args(["build", "--release", "--features", "bench", "--dist"])
        .arg(&dist)
        .env("TRUNK_OFFLINE", "true")
        .env("TRUNK_SKIP_VERSION_CHECK", "true")
        .env_remove("TRUNK_BUILD_CARGO_PROFILE");
    if std::env::var_os("NO_COLOR").is_some() {
        trunk.env("NO_COLOR", "true");
    }
    process::run(&mut trunk)?;
    let template = fs::read_to_string(ws.join("frontend/sw.js")).context("reading frontend/sw.js")?;
    let sw = template.replace("__STEGVIS_VERSION__", "bench").replace("__STEGVIS_PRECACHE__", "[\"/index.html\"]");
    fs::write(dist.join("sw.js"), sw).context("writing the bench app's sw.js")?;
    Ok(dist)
}
