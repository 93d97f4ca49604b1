//! `cargo xtask bench [--postgres]`: the benchmarks, against a release build
//! of the server. Each prints `bench:` lines; `docs/BENCHMARKS.md` records
//! what they printed on this project's machine.
//!
//! - `office_reports` (tests/benches): the monthly attendance report, its
//!   CSV export and the outcomes report for 500 participants with a year of
//!   daily attendance, seeded over HTTP.
//! - `pull_cost` (tests/benches): a pull's cost at 10 thousand, 100 thousand
//!   and 1 million records.

use anyhow::Result;

use crate::postgres::Cluster;
use crate::process;
use crate::workspace::Workspace;

/// The benchmark programs of `tests/benches/`.
const BENCHES: [&str; 2] = ["office_reports", "pull_cost"];

pub fn bench(ws: &Workspace, postgres: bool, only: Option<&str>) -> Result<()> {
    if let Some(name) = only
        && !BENCHES.contains(&name)
    {
        anyhow::bail!("no benchmark {name:?}; there are: {}", BENCHES.join(", "));
    }
    println!("==> xtask bench: build the server (release)");
    process::run(ws.cargo().args(["build", "--release", "-p", "backend", "--bin", "stegvis"]))?;
    let server = ws.target_dir().join("release").join("stegvis");
    let cluster = if postgres { Cluster::start()? } else { None };
    if postgres && cluster.is_none() {
        anyhow::bail!("--postgres: PostgreSQL is not installed (run `cargo xtask setup` as root)");
    }
    for name in BENCHES.into_iter().filter(|b| only.is_none_or(|o| o == *b)) {
        let database = if cluster.is_some() { "PostgreSQL" } else { "SQLite" };
        println!("==> xtask bench: {name} on {database}");
        let mut cmd = ws.cargo();
        cmd.args(["bench", "-p", "stegvis-tests", "--bench", name]).env("STEGVIS_BIN", &server);
        if let Some(cluster) = &cluster {
            cmd.env("STEGVIS_TEST_POSTGRES_URL", cluster.url());
        }
        process::run(&mut cmd)?;
    }
    Ok(())
}
