//! `cargo xtask setup`: installs what the build and the tests need, when it is missing, and
//! only from package registries:
//!
//! | what | from | skipped when |
//! | --- | --- | --- |
//! | `wasm32-unknown-unknown` target | rustup | the toolchain's sysroot has it |
//! | Trunk [`TRUNK_VERSION`] | crates.io, `cargo install --locked` | `trunk --version` matches |
//! | wasm-bindgen-cli (`Cargo.lock`'s version) | crates.io, `cargo install` | `wasm-bindgen --version` matches |
//! | wasm-opt (binaryen, `tools/package-lock.json`) | npm registry, `npm ci` | `tools/node_modules/.bin/wasm-opt` reports the `Trunk.toml` pin |
//! | Chromium and ChromeDriver (browser tests only) | Debian, `apt-get` | `/usr/bin/chromium` and `/usr/bin/chromedriver` exist |

use std::path::Path;

use anyhow::{Context, Result, bail};

use crate::lockfile;
use crate::process;
use crate::workspace::Workspace;

/// The Trunk release the project builds with (newer ones need a newer rustc).
pub const TRUNK_VERSION: &str = "0.21.14";
/// The Rust target of the web app.
pub const WASM_TARGET: &str = "wasm32-unknown-unknown";
/// Debian's Chromium, used by the browser tests.
pub const CHROMIUM: &str = "/usr/bin/chromium";
/// Debian's ChromeDriver, used by the browser tests.
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// How much to set up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// What building the web app needs.
    Wasm,
    /// That, plus Chromium and ChromeDriver for the browser tests.
    All,
}

/// Installs whatever `scope` needs and is missing; prints one line per step.
pub fn setup(ws: &Workspace, scope: Scope) -> Result<()> {
    ensure_wasm_target(ws)?;
    ensure_lockfile(ws)?;

    let wasm_opt_pin = lockfile::trunk_tool_pin(ws.root(), "wasm_opt")?;
    let wasm_opt_ok = wasm_opt_installed(ws, &wasm_opt_pin);
    let mut debian = Vec::new();
    if !wasm_opt_ok && process::probe(ws.command("npm").arg("--version")).is_none() {
        debian.push(("npm (to install wasm-opt from the npm registry)", "npm"));
    }
    if scope == Scope::All {
        if !Path::new(CHROMIUM).exists() {
            debian.push((CHROMIUM, "chromium"));
        }
        if !Path::new(CHROMEDRIVER).exists() {
            debian.push((CHROMEDRIVER, "chromium-driver"));
        }
        // PostgreSQL for the contract suite's second run: installed where we
        // may (root); elsewhere that run is skipped and says so.
        let root = process::probe(ws.command("id").arg("-u")).as_deref() == Some("0");
        if crate::postgres::server_bin_dir().is_none() && root {
            debian.push(("PostgreSQL server", "postgresql"));
        }
    }
    ensure_debian_packages(ws, &debian)?;

    ensure_trunk(ws)?;
    ensure_wasm_bindgen(ws)?;
    if wasm_opt_ok {
        say(&format!("wasm-opt {wasm_opt_pin}: already installed in tools/"));
    } else {
        install_wasm_opt(ws, &wasm_opt_pin)?;
    }
    if scope == Scope::All {
        say(&format!("{CHROMIUM} and {CHROMEDRIVER}: present"));
    }
    Ok(())
}

fn say(line: &str) {
    println!("setup: {line}");
}

fn ensure_wasm_target(ws: &Workspace) -> Result<()> {
    let sysroot = process::probe(ws.command("rustc").args(["--print", "sysroot"]))
        .context("`rustc --print sysroot` failed: is Rust installed (rustup)?")?;
    let target_lib = Path::new(&sysroot).join("lib").join("rustlib").join(WASM_TARGET);
    if target_lib.is_dir() {
        say(&format!("Rust target {WASM_TARGET}: already installed"));
        return Ok(());
    }
    say(&format!("Rust target {WASM_TARGET}: installing with rustup"));
    process::run(ws.command("rustup").args(["target", "add", WASM_TARGET]))
}

fn ensure_lockfile(ws: &Workspace) -> Result<()> {
    if ws.join("Cargo.lock").is_file() {
        return Ok(());
    }
    say("Cargo.lock is missing: resolving and fetching the dependencies");
    process::run(ws.cargo().arg("fetch"))
}

fn ensure_trunk(ws: &Workspace) -> Result<()> {
    let found = process::probe(ws.command("trunk").arg("--version"));
    if let Some(found) = &found
        && found.split_whitespace().nth(1) == Some(TRUNK_VERSION)
    {
        say(&format!("Trunk {TRUNK_VERSION}: already installed"));
        return Ok(());
    }
    say(&format!(
        "Trunk {TRUNK_VERSION}: installing from crates.io (found: {}; takes several minutes)",
        found.as_deref().unwrap_or("none")
    ));
    process::run(ws.cargo().args(["install", "--locked", &format!("trunk@{TRUNK_VERSION}")]))?;
    check_trunk(ws)
}

fn check_trunk(ws: &Workspace) -> Result<()> {
    let found = process::probe(ws.command("trunk").arg("--version")).unwrap_or_default();
    if found.split_whitespace().nth(1) != Some(TRUNK_VERSION) {
        bail!("after installing, `trunk --version` says {found:?}, not {TRUNK_VERSION}");
    }
    Ok(())
}

fn ensure_wasm_bindgen(ws: &Workspace) -> Result<()> {
    let locked = lockfile::wasm_bindgen_version(ws.root())?;
    let pinned = lockfile::trunk_tool_pin(ws.root(), "wasm_bindgen")?;
    if locked != pinned {
        bail!(
            "Cargo.lock has wasm-bindgen {locked} but Trunk.toml pins wasm_bindgen = {pinned:?}; \
             make them equal (and keep the workspace's `wasm-bindgen = \"={locked}\"`)"
        );
    }
    let version_of = || {
        process::probe(ws.command("wasm-bindgen").arg("--version"))
            .and_then(|out| out.split_whitespace().nth(1).map(str::to_owned))
    };
    let found = version_of();
    if found.as_deref() == Some(locked.as_str()) {
        say(&format!("wasm-bindgen-cli {locked}: already installed"));
        return Ok(());
    }
    say(&format!(
        "wasm-bindgen-cli {locked}: installing from crates.io (found: {}; takes a few minutes)",
        found.as_deref().unwrap_or("none")
    ));
    // Without --locked: the CLI's own lockfile pins a crate version this registry lacks.
    process::run(ws.cargo().args(["install", &format!("wasm-bindgen-cli@{locked}")]))?;
    let found = version_of();
    if found.as_deref() != Some(locked.as_str()) {
        bail!("after installing, `wasm-bindgen --version` reports {found:?}, not {locked}");
    }
    Ok(())
}

fn wasm_opt_bin(ws: &Workspace) -> std::path::PathBuf {
    ws.tools_dir().join("node_modules").join(".bin").join("wasm-opt")
}

/// Whether `tools/node_modules/.bin/wasm-opt` reports `pin` (e.g. `version_132`).
fn wasm_opt_installed(ws: &Workspace, pin: &str) -> bool {
    let bin = wasm_opt_bin(ws);
    bin.exists()
        && process::probe(ws.command(&bin).arg("--version")).is_some_and(|out| out.contains(&format!("({pin})")))
}

fn install_wasm_opt(ws: &Workspace, pin: &str) -> Result<()> {
    say(&format!("wasm-opt {pin}: installing binaryen from the npm registry (npm ci in tools/)"));
    process::run(ws.command("npm").args(["ci", "--no-audit", "--no-fund"]).current_dir(ws.tools_dir()))?;
    if !wasm_opt_installed(ws, pin) {
        bail!(
            "after `npm ci`, {} does not report {pin}: make tools/package.json's binaryen match \
             Trunk.toml's wasm_opt",
            wasm_opt_bin(ws).display()
        );
    }
    Ok(())
}

/// Installs the Debian packages of `missing` (`(what is missing, package)`) with apt-get.
pub(crate) fn ensure_debian_packages(ws: &Workspace, missing: &[(&str, &str)]) -> Result<()> {
    if missing.is_empty() {
        return Ok(());
    }
    let packages: Vec<&str> = missing.iter().map(|(_, package)| *package).collect();
    let what: Vec<&str> = missing.iter().map(|(what, _)| *what).collect();
    let is_root = process::probe(ws.command("id").arg("-u")).as_deref() == Some("0");
    if !is_root {
        bail!(
            "missing {}; install them as root with:\n  apt-get update && apt-get install -y \
             --no-install-recommends {}",
            what.join(", "),
            packages.join(" ")
        );
    }
    say(&format!("missing {}: installing Debian packages {}", what.join(", "), packages.join(" ")));
    process::run(ws.command("apt-get").arg("update").env("DEBIAN_FRONTEND", "noninteractive"))?;
    process::run(
        ws.command("apt-get")
            .args(["install", "-y", "--no-install-recommends"])
            .args(&packages)
            .env("DEBIAN_FRONTEND", "noninteractive"),
    )
}
