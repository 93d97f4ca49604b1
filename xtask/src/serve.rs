//! `cargo xtask run`: builds the app (release) and the server, seeds the demo organisation
//! into `data/stegvis.db`, prints where to log in, and then becomes `stegvis serve`
//! (the process is replaced, so Ctrl-C stops the server directly).

use std::fs;
use std::process::Command;

use anyhow::{Context, Result};

use crate::app::{self, Options};
use crate::process;
use crate::workspace::Workspace;

/// Where `cargo xtask run` listens unless told otherwise.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";
/// The development database, relative to the workspace root.
const DATABASE_URL: &str = "sqlite://data/stegvis.db";

/// Builds, seeds and serves until interrupted.
pub fn run(ws: &Workspace, listen: &str) -> Result<()> {
    app::build_app(ws, Options { release: true, force: false })?;
    process::run(ws.cargo().args(["build", "-p", "backend", "--bin", "stegvis"]))?;
    let bin = ws.server_bin();

    let data = ws.join("data");
    fs::create_dir_all(&data).with_context(|| format!("creating {}", data.display()))?;
    let logins = process::output(ws.command(&bin).args(["admin", "seed-demo", "--database-url", DATABASE_URL]))?;

    let url = format!("http://{listen}");
    println!();
    println!("================================================================");
    println!(" Stegvis is starting: open {url} and log in");
    println!(" (database {DATABASE_URL}, app from dist/; Ctrl-C stops it)");
    println!(" Demo logins (from `stegvis admin seed-demo`):");
    for line in logins.lines().filter(|line| !line.trim().is_empty()) {
        println!("   {line}");
    }
    println!("================================================================");
    println!();

    let mut serve = ws.command(&bin);
    serve.args(["serve", "--listen", listen, "--database-url", DATABASE_URL, "--dist-dir", "dist"]);
    println!("$ {}", process::display(&serve));
    exec(serve)
}

/// Replaces this process with `cmd` (on Unix); elsewhere runs it to completion.
#[cfg(unix)]
fn exec(mut cmd: Command) -> Result<()> {
    use std::os::unix::process::CommandExt as _;
    let err = cmd.exec();
    Err(err).with_context(|| format!("could not start `{}`", process::display(&cmd)))
}

/// Replaces this process with `cmd` (on Unix); elsewhere runs it to completion.
#[cfg(not(unix))]
fn exec(mut cmd: Command) -> Result<()> {
    process::run(&mut cmd)
}
