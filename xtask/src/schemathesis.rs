//! `cargo xtask api-fuzz`: schemathesis against the real server, from its own OpenAPI document.
//!
//! 1. Installs schemathesis (pinned, from PyPI) into `tools/venv` unless it is there already.
//! 2. Starts the debug `stegvis` on a fresh SQLite database in a temp dir (a free port), makes an
//!    organisation and its admin with `stegvis admin create-org` / `create-user --password-stdin`,
//!    then `xtask/api_fuzz/fixture.py setup` builds the rest through the HTTP API: a program, a
//!    coach and an office user in it, a participant, spare admin sessions.
//! 3. Snapshots the database, runs `schemathesis run <url>/api/v1/openapi.json` with the admin's
//!    token (all phases: examples, coverage, fuzzing, stateful), a fixed seed and a bounded number
//!    of examples per operation, and the checks: no 5xx, status codes and answers as documented,
//!    every error in API.md's shape (`error_has_contract_shape` in `xtask/api_fuzz/hooks.py`),
//!    no answer slower than [`MAX_RESPONSE_SECS`].
//! 4. `fixture.py verify`: every row the database holds beyond the snapshot must be explained by a
//!    request that succeeded (the hooks log every call); a row that only a rejected request can
//!    explain fails the run ("an error stores nothing").

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Instant;

use anyhow::{Context, Result, bail};

use crate::process;
use crate::workspace::Workspace;

/// The schemathesis release installed from PyPI (its v4 command line is what this module drives).
pub const SCHEMATHESIS_VERSION: &str = "4.32.5";
/// Examples per operation and phase in `cargo xtask test` (about a minute on 2 cores).
pub const DEFAULT_EXAMPLES: u32 = 25;
/// Fixed, so that a failure is reproduced by running again.
const SEED: &str = "5";
/// An answer slower than this (seconds) fails the run; the debug build answers in milliseconds.
const MAX_RESPONSE_SECS: &str = "5";
/// The bootstrap admin's password (a throwaway database).
const ADMIN_PASSWORD: &str = "api-fuzz-admin-password";
const LISTENING: &str = "stegvis listening on ";
const CHECKS: &str = "not_a_server_error,status_code_conformance,response_schema_conformance,error_has_contract_shape";

/// Runs the whole fuzz pass; fails on any finding.
pub fn api_fuzz(ws: &Workspace, examples: u32) -> Result<()> {
    let started = Instant::now();
    let venv = install(ws)?;
    let python = venv.join("bin").join("python");
    let scripts = ws.join("xtask").join("api_fuzz");
    let server = FuzzServer::start(&ws.server_bin())?;
    let dir = server.dir.clone();
    let (db, state, snapshot, calls) =
        (dir.join("fuzz.db"), dir.join("state.json"), dir.join("snapshot.json"), dir.join("calls.jsonl"));

    process::run(
        Command::new(&python)
            .arg(scripts.join("fixture.py"))
            .args(["setup", server.url.as_str(), ADMIN_PASSWORD])
            .arg(&state),
    )?;
    process::run(Command::new(&python).arg(scripts.join("fixture.py")).arg("snapshot").arg(&db).arg(&snapshot))?;

    let fuzz = process::run(
        Command::new(venv.join("bin").join("schemathesis"))
            .arg("run")
            .arg(format!("{}/api/v1/openapi.json", server.url))
            .args(["--checks", CHECKS])
            .args(["--max-examples", &examples.to_string()])
            .args(["--seed", SEED])
            .args(["--max-response-time", MAX_RESPONSE_SECS])
            // One worker: with two, CPython 3.11's `ast.parse` (which hypothesis calls to
            // describe its filters) can fail with "AST constructor recursion depth
            // mismatch" when two threads parse at once, an error in the tool, not the server.
            .args(["--workers", "1", "--generation-database", "none", "--no-color"])
            .current_dir(&dir)
            .env("SCHEMATHESIS_HOOKS", scripts.join("hooks.py"))
            .env("STEGVIS_FUZZ_STATE", &state)
            .env("STEGVIS_FUZZ_CALLS", &calls),
    );
    let verify = process::run(
        Command::new(&python).arg(scripts.join("fixture.py")).arg("verify").args([&db, &snapshot, &calls]),
    );
    if fuzz.is_err() || verify.is_err() {
        server.print_log_tail();
    }
    fuzz.context("schemathesis found failures (above); the server's log is above them")?;
    verify.context("a rejected request stored something (above)")?;
    println!(
        "api fuzz: passed ({examples} examples per operation, seed {SEED}) in {:.0} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// `tools/venv` with schemathesis at [`SCHEMATHESIS_VERSION`]; created or upgraded when needed.
fn install(ws: &Workspace) -> Result<PathBuf> {
    let venv = ws.tools_dir().join("venv");
    let schemathesis = venv.join("bin").join("schemathesis");
    let wanted = format!("version {SCHEMATHESIS_VERSION}");
    if process::probe(Command::new(&schemathesis).arg("--version")).is_some_and(|v| v.ends_with(&wanted)) {
        println!("schemathesis {SCHEMATHESIS_VERSION}: already installed in {}", venv.display());
        return Ok(venv);
    }
    if !venv.join("bin").join("python").exists() {
        process::run(Command::new("python3").args(["-m", "venv"]).arg(&venv))
            .context("creating the Python venv (needs python3 with the venv module: Debian's python3-venv)")?;
    }
    process::run(
        Command::new(venv.join("bin").join("python"))
            .args(["-m", "pip", "install", "--disable-pip-version-check", "--quiet"])
            .arg(format!("schemathesis=={SCHEMATHESIS_VERSION}")),
    )?;
    Ok(venv)
}

/// The server under test: a temp dir with its database and log, killed and deleted on drop.
struct FuzzServer {
    child: Child,
    dir: PathBuf,
    url: String,
}

impl FuzzServer {
    fn start(bin: &Path) -> Result<FuzzServer> {
        let dir = std::env::temp_dir().join(format!("stegvis-api-fuzz-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        let db = format!("sqlite://{}", dir.join("fuzz.db").display());
        let org = process::output(
            Command::new(bin).args(["admin", "create-org", "--name", "API fuzz"]).args(["--database-url", &db]),
        )?;
        let org = org.lines().last().unwrap_or_default().trim().to_owned();
        create_admin(bin, &db, &org)?;
        let log = std::fs::File::create(dir.join("server.log"))?;
        let mut child = Command::new(bin)
            .args(["serve", "--listen", "127.0.0.1:0", "--database-url", &db])
            .args(["--dist-dir", &dir.join("no-app").display().to_string()])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(log)
            .spawn()
            .with_context(|| format!("starting {}", bin.display()))?;
        let stdout = child.stdout.take().context("no stdout")?;
        let mut first = String::new();
        BufReader::new(stdout).read_line(&mut first)?;
        let Some(url) = first.trim().strip_prefix(LISTENING) else {
            let _ = child.kill();
            bail!("the server did not start (printed {first:?})");
        };
        println!("api fuzz: server {url} on {db}");
        Ok(FuzzServer { url: url.to_owned(), child, dir })
    }

    fn print_log_tail(&self) {
        let log = std::fs::read_to_string(self.dir.join("server.log")).unwrap_or_default();
        let lines: Vec<&str> = log.lines().collect();
        println!("--- the server's log (last 40 lines) ---");
        for line in &lines[lines.len().saturating_sub(40)..] {
            println!("{line}");
        }
    }
}

impl Drop for FuzzServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// `stegvis admin create-user --role admin --password-stdin`, the password on standard input.
fn create_admin(bin: &Path, db: &str, org: &str) -> Result<()> {
    let mut cmd = Command::new(bin);
    cmd.args(["admin", "create-user", "--org", org, "--username", "admin", "--password-stdin", "--role", "admin"])
        .args(["--database-url", db]);
    println!("$ {}", process::display(&cmd));
    let mut child = cmd.stdin(Stdio::piped()).stdout(Stdio::null()).spawn().context("starting stegvis admin")?;
    child.stdin.take().context("no stdin")?.write_all(format!("{ADMIN_PASSWORD}\n").as_bytes())?;
    let status = child.wait()?;
    if !status.success() {
        bail!("`stegvis admin create-user` failed ({status})");
    }
    Ok(())
}
