//! `cargo xtask fuzz [TARGET]... [--seconds N]`: runs the cargo-fuzz targets of `fuzz/` (issue 5)
//! for a bounded time each and fails when one of them finds a crash.
//!
//! | what | from | skipped when |
//! | --- | --- | --- |
//! | the nightly toolchain (libFuzzer's sanitizer flags need it) | rustup, `--profile minimal` | `rustup toolchain list` has a `nightly` |
//! | cargo-fuzz [`CARGO_FUZZ_VERSION`] | crates.io, `cargo install --locked` | `cargo fuzz --version` matches |
//!
//! Then `cargo +nightly fuzz build` (its own workspace and target directory, `fuzz/target`) and,
//! one target after the other, `cargo +nightly fuzz run <target> -- -max_total_time=N`. The
//! checked-in seeds (`fuzz/corpus/<target>/`) are read but never written: what the fuzzer adds
//! goes to `fuzz/target/corpus/<target>/`, kept between runs. libFuzzer's full output is in
//! `fuzz/target/logs/<target>.log`; the terminal gets it without the new-unit lines. A crash
//! leaves its input in `fuzz/artifacts/<target>/`.

use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{Context, Result, bail};

use crate::process;
use crate::workspace::Workspace;

/// The cargo-fuzz release `cargo xtask fuzz` installs and expects.
pub const CARGO_FUZZ_VERSION: &str = "0.13.2";
/// The fuzz targets, in the order they run (`fuzz/fuzz_targets/<name>.rs`).
pub const TARGETS: [&str; 3] = ["push_request", "record_parse", "hlc_parse"];
/// Seconds per target when `--seconds` is not given.
pub const DEFAULT_SECONDS: u64 = 60;

/// What one target's run found.
#[derive(Debug)]
struct Outcome {
    target: &'static str,
    /// How long it ran, in whole seconds (a crash ends it early).
    seconds: u64,
    executions: Option<u64>,
    new_units: Option<u64>,
    /// The input libFuzzer wrote for a crash (or a timeout, out-of-memory, leak).
    artifact: Option<String>,
}

/// Runs `targets` (all of [`TARGETS`] when empty) for `seconds` each.
pub fn fuzz(ws: &Workspace, targets: &[String], seconds: u64) -> Result<()> {
    let targets = pick_targets(targets)?;
    if seconds == 0 {
        bail!("--seconds must be at least 1 (libFuzzer reads 0 as \"no limit\")");
    }
    ensure_nightly(ws)?;
    ensure_cargo_fuzz(ws)?;
    say("building the fuzz targets (nightly, address sanitizer; fuzz/target)");
    process::run(
        fuzz_cargo(ws).args(["build", "--fuzz-dir"]).arg(fuzz_dir(ws)).arg("--target-dir").arg(target_dir(ws)),
    )?;

    let mut outcomes = Vec::new();
    for target in targets {
        outcomes.push(run_target(ws, target, seconds)?);
    }

    println!();
    say("summary");
    for o in &outcomes {
        let count = |n: Option<u64>| n.map_or_else(|| "?".to_owned(), |n| n.to_string());
        let verdict = o.artifact.as_deref().map_or_else(|| "no crash".to_owned(), |a| format!("CRASH: {a}"));
        println!(
            "  {:<14} {:>4} s  {:>12} executions  {:>5} new corpus units  {verdict}",
            o.target,
            o.seconds,
            count(o.executions),
            count(o.new_units)
        );
    }
    let crashes: Vec<&Outcome> = outcomes.iter().filter(|o| o.artifact.is_some()).collect();
    if let Some(first) = crashes.first() {
        let artifact = first.artifact.as_deref().unwrap_or_default();
        bail!(
            "{} target(s) crashed; reproduce with `cargo +nightly fuzz run --fuzz-dir fuzz {} {artifact}`, \
             minimise with `cargo +nightly fuzz tmin --fuzz-dir fuzz {} {artifact}`, then fix it and keep the \
             input as a unit test",
            crashes.len(),
            first.target,
            first.target
        );
    }
    Ok(())
}

fn say(line: &str) {
    println!("fuzz: {line}");
}

fn pick_targets(names: &[String]) -> Result<Vec<&'static str>> {
    if names.is_empty() {
        return Ok(TARGETS.to_vec());
    }
    names
        .iter()
        .map(|name| match TARGETS.iter().find(|t| **t == name.as_str()) {
            Some(t) => Ok(*t),
            None => bail!("unknown fuzz target {name:?}; the targets are {}", TARGETS.join(", ")),
        })
        .collect()
}

fn fuzz_dir(ws: &Workspace) -> PathBuf {
    ws.join("fuzz")
}

/// The fuzz crate's own target directory (never the workspace's: other flags, other toolchain).
fn target_dir(ws: &Workspace) -> PathBuf {
    fuzz_dir(ws).join("target")
}

/// `cargo +nightly fuzz …` through rustup's `cargo` (not the `$CARGO` running this xtask,
/// which is the pinned stable toolchain's), without the variables that would send the
/// nightly build to the stable compiler or the workspace's target directory.
fn fuzz_cargo(ws: &Workspace) -> Command {
    let mut cmd = ws.command("cargo");
    for var in
        ["CARGO", "RUSTC", "RUSTDOC", "RUSTC_WRAPPER", "RUSTUP_TOOLCHAIN", "CARGO_TARGET_DIR", "CARGO_BUILD_TARGET_DIR"]
    {
        cmd.env_remove(var);
    }
    cmd.args(["+nightly", "fuzz"]);
    cmd
}

fn ensure_nightly(ws: &Workspace) -> Result<()> {
    let list = process::probe(ws.command("rustup").args(["toolchain", "list"]))
        .context("`rustup toolchain list` failed: the fuzz targets need rustup and a nightly toolchain")?;
    if list.lines().any(|line| line.starts_with("nightly")) {
        say("nightly toolchain: already installed");
        return Ok(());
    }
    say("nightly toolchain: installing with rustup (minimal profile)");
    process::run(ws.command("rustup").args(["toolchain", "install", "nightly", "--profile", "minimal"]))
}

fn ensure_cargo_fuzz(ws: &Workspace) -> Result<()> {
    let version_of = || {
        process::probe(ws.command("cargo").args(["fuzz", "--version"]))
            .and_then(|out| out.split_whitespace().nth(1).map(str::to_owned))
    };
    let found = version_of();
    if found.as_deref() == Some(CARGO_FUZZ_VERSION) {
        say(&format!("cargo-fuzz {CARGO_FUZZ_VERSION}: already installed"));
        return Ok(());
    }
    say(&format!(
        "cargo-fuzz {CARGO_FUZZ_VERSION}: installing from crates.io (found: {}; takes a minute or two)",
        found.as_deref().unwrap_or("none")
    ));
    process::run(ws.cargo().args(["install", "--locked", "cargo-fuzz", "--version", CARGO_FUZZ_VERSION]))?;
    let found = version_of();
    if found.as_deref() != Some(CARGO_FUZZ_VERSION) {
        bail!("after installing, `cargo fuzz --version` reports {found:?}, not {CARGO_FUZZ_VERSION}");
    }
    Ok(())
}

/// Runs one target for `seconds`: its output goes to the log (all of it) and the terminal
/// (without the new-unit lines), and is read for the figures and a crash artifact.
fn run_target(ws: &Workspace, target: &'static str, seconds: u64) -> Result<Outcome> {
    let work_corpus = target_dir(ws).join("corpus").join(target);
    let seeds = fuzz_dir(ws).join("corpus").join(target);
    let logs = target_dir(ws).join("logs");
    fs::create_dir_all(&work_corpus).with_context(|| format!("creating {}", work_corpus.display()))?;
    fs::create_dir_all(&logs).with_context(|| format!("creating {}", logs.display()))?;
    let log_path = logs.join(format!("{target}.log"));
    let mut log = fs::File::create(&log_path).with_context(|| format!("creating {}", log_path.display()))?;

    let mut cmd = fuzz_cargo(ws);
    cmd.args(["run", "--fuzz-dir"])
        .arg(fuzz_dir(ws))
        .arg("--target-dir")
        .arg(target_dir(ws))
        .arg(target)
        .arg(&work_corpus)
        .arg(&seeds)
        .args(["--", &format!("-max_total_time={seconds}"), "-print_final_stats=1"]);
    println!();
    say(&format!("{target}: {seconds} s (log: {})", rel(ws, &log_path)));
    let line = process::display(&cmd);
    println!("$ {line}");
    let started = Instant::now();
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::inherit())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("could not start `{line}`"))?;
    let mut outcome = Outcome { target, seconds: 0, executions: None, new_units: None, artifact: None };
    let mut done_runs = None;
    if let Some(stderr) = child.stderr.take() {
        for text in BufReader::new(stderr).lines() {
            let text = text.context("reading the fuzzer's output")?;
            writeln!(log, "{text}").with_context(|| format!("writing {}", log_path.display()))?;
            if !is_new_unit_line(&text) {
                eprintln!("{text}");
            }
            if let Some(n) = stat(&text, "stat::number_of_executed_units:") {
                outcome.executions = Some(n);
            } else if let Some(n) = stat(&text, "stat::new_units_added:") {
                outcome.new_units = Some(n);
            } else if let Some(rest) = text.strip_prefix("Done ") {
                done_runs = rest.split_whitespace().next().and_then(|n| n.parse().ok());
            } else if let Some((_, path)) = text.split_once("Test unit written to ") {
                outcome.artifact = Some(rel(ws, Path::new(path.trim())));
            }
        }
    }
    let status = child.wait().with_context(|| format!("waiting for `{line}`"))?;
    outcome.executions = outcome.executions.or(done_runs);
    outcome.seconds = started.elapsed().as_secs();
    say(&format!("{target}: finished after {} s ({status})", outcome.seconds));
    if outcome.artifact.is_none() && !status.success() {
        bail!("`{line}` failed ({status}) without writing a crash input; see {}", rel(ws, &log_path));
    }
    Ok(outcome)
}

/// libFuzzer's `#123 NEW …` and `#123 REDUCE …` progress lines (kept in the log only).
fn is_new_unit_line(text: &str) -> bool {
    text.starts_with('#') && (text.contains("\tNEW ") || text.contains("\tREDUCE "))
}

/// The number after `key` in a `-print_final_stats` line such as `stat::new_units_added: 12`.
fn stat(text: &str, key: &str) -> Option<u64> {
    text.strip_prefix(key).and_then(|rest| rest.trim().parse().ok())
}

/// `path` relative to the workspace root when it is inside it.
fn rel(ws: &Workspace, path: &Path) -> String {
    path.strip_prefix(ws.root()).unwrap_or(path).display().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_libfuzzer_figures() {
        assert_eq!(stat("stat::number_of_executed_units: 1234567", "stat::number_of_executed_units:"), Some(1_234_567));
        assert_eq!(stat("stat::new_units_added: x", "stat::new_units_added:"), None);
        assert!(is_new_unit_line("#1024\tNEW    cov: 10 ft: 12 corp: 3/30b"));
        assert!(!is_new_unit_line("#1048576\tpulse  cov: 10 ft: 12 corp: 3/30b"));
    }

    #[test]
    fn picks_known_targets_only() {
        assert_eq!(pick_targets(&[]).ok(), Some(TARGETS.to_vec()));
        assert_eq!(pick_targets(&["hlc_parse".to_owned()]).ok(), Some(vec!["hlc_parse"]));
        assert!(pick_targets(&["nope".to_owned()]).is_err());
    }
}
