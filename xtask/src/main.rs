//! `cargo xtask`: the developer commands of Stegvis.
//!
//! - `cargo xtask setup`: install what is missing (wasm target, Trunk, wasm-bindgen, wasm-opt,
//!   Chromium and ChromeDriver), only from package registries.
//! - `cargo xtask build-app [--release]`: build the web app into `dist/` with Trunk.
//! - `cargo xtask run`: build everything, seed the demo organisation and serve on
//!   <http://127.0.0.1:8080>.
//! - `cargo xtask test`: formatting, clippy, the release app build and every test.
//! - `cargo xtask bench [--postgres]`: the benchmarks against a release server (`bench.rs`).
//! - `cargo xtask fuzz [TARGET]... [--seconds N]`: the cargo-fuzz targets of `fuzz/`, N seconds
//!   each (`fuzz.rs`).
//! - `cargo xtask api-fuzz [--examples N]`: schemathesis against the real server from its OpenAPI
//!   document (`schemathesis.rs`).
//!
//! Every step is printed before it runs; nothing prompts; a step that is already done is skipped.

mod app;
mod bench;
mod fuzz;
mod lockfile;
mod postgres;
mod process;
mod schemathesis;
mod serve;
mod setup;
mod test;
mod test_server;
mod workspace;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::workspace::Workspace;

/// Developer tasks for the Stegvis workspace.
#[derive(Debug, Parser)]
#[command(name = "cargo xtask", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Task,
}

#[derive(Debug, Subcommand)]
enum Task {
    /// Install the missing tools: wasm32 target, Trunk, wasm-bindgen-cli, wasm-opt (npm),
    /// Chromium and ChromeDriver (Debian packages).
    Setup,
    /// Build the web app into `dist/` with Trunk (offline, pinned tools).
    BuildApp {
        /// Optimised build (`wasm-release` profile and wasm-opt).
        #[arg(long)]
        release: bool,
        /// Rebuild even when nothing changed since the last build.
        #[arg(long)]
        force: bool,
    },
    /// Build the app and the server, seed the demo data and serve until Ctrl-C.
    Run {
        /// Address to listen on.
        #[arg(long, default_value = serve::DEFAULT_LISTEN)]
        listen: String,
    },
    /// Run every check CI runs: fmt, clippy (native and wasm), app build, all tests.
    Test,
    /// Schemathesis against the debug server from its OpenAPI document: no 5xx, answers as
    /// documented, every error in API.md's shape, nothing stored by a rejected request.
    ApiFuzz {
        /// Examples per operation and phase.
        #[arg(long, default_value_t = schemathesis::DEFAULT_EXAMPLES, value_parser = clap::value_parser!(u32).range(1..))]
        examples: u32,
    },
    /// Benchmarks against a release build of the server (see docs/BENCHMARKS.md).
    Bench {
        /// Run on a throwaway PostgreSQL cluster instead of SQLite.
        #[arg(long)]
        postgres: bool,
        /// Run only this benchmark (`office_reports`, `pull_cost`, `sync_vs_pouchdb`).
        name: Option<String>,
    },
    /// Fuzz the push parser and the record validation (cargo-fuzz, nightly); fails on a crash.
    Fuzz {
        /// Targets to run (default: all of them).
        #[arg(value_parser = fuzz::TARGETS)]
        targets: Vec<String>,
        /// Seconds per target.
        #[arg(long, default_value_t = fuzz::DEFAULT_SECONDS, value_parser = clap::value_parser!(u64).range(1..))]
        seconds: u64,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let ws = Workspace::locate();
    let result = match cli.command {
        Task::Setup => setup::setup(&ws, setup::Scope::All),
        Task::BuildApp { release, force } => app::build_app(&ws, app::Options { release, force }),
        Task::Run { listen } => serve::run(&ws, &listen),
        Task::Test => test::test(&ws),
        Task::ApiFuzz { examples } => schemathesis::api_fuzz(&ws, examples),
        Task::Bench { postgres, name } => bench::bench(&ws, postgres, name.as_deref()),
        Task::Fuzz { targets, seconds } => fuzz::fuzz(&ws, &targets, seconds),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("xtask: error: {err:#}");
            ExitCode::FAILURE
        }
    }
}
