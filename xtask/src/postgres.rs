//! A throwaway PostgreSQL cluster for the contract suite: Debian's server
//! binaries, `initdb` in a temp directory as the `postgres` user, listening on
//! a free loopback port, stopped (and deleted) on drop.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result};

use crate::process;

/// Where Debian puts the server binaries of each major version.
const DEBIAN_PG_ROOT: &str = "/usr/lib/postgresql";

/// The newest installed server's `bin/` directory, if any.
pub fn server_bin_dir() -> Option<PathBuf> {
    let mut versions: Vec<PathBuf> = std::fs::read_dir(DEBIAN_PG_ROOT)
        .ok()?
        .filter_map(|entry| entry.ok().map(|e| e.path().join("bin")))
        .filter(|bin| bin.join("initdb").is_file() && bin.join("pg_ctl").is_file())
        .collect();
    versions.sort();
    versions.pop()
}

/// A running cluster; stopped and removed on drop.
#[derive(Debug)]
pub struct Cluster {
    bin: PathBuf,
    dir: PathBuf,
    port: u16,
    as_postgres: bool,
}

fn is_root() -> bool {
    process::probe(Command::new("id").arg("-u")).as_deref() == Some("0")
}

pub fn free_port() -> Result<u16> {
    let listener = TcpListener::bind("127.0.0.1:0").context("no free loopback port")?;
    Ok(listener.local_addr()?.port())
}

impl Cluster {
    /// Creates and starts a cluster, or `None` when PostgreSQL is not installed.
    pub fn start() -> Result<Option<Cluster>> {
        let Some(bin) = server_bin_dir() else {
            return Ok(None);
        };
        let dir = std::env::temp_dir().join(format!("stegvis-pg-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        // initdb refuses to run as root: run the server as the postgres user.
        let as_postgres = is_root();
        if as_postgres {
            process::run(Command::new("chown").args(["postgres:postgres"]).arg(&dir))?;
        }
        let cluster = Cluster { bin, dir, port: free_port()?, as_postgres };
        let data = cluster.dir.join("data");
        cluster.run_pg("initdb", &["-D", path_str(&data)?, "--auth=trust", "-U", "postgres", "-E", "UTF8"])?;
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c max_connections=300",
            cluster.port,
            path_str(&cluster.dir)?
        );
        let log = cluster.dir.join("server.log");
        cluster.run_pg("pg_ctl", &["-w", "-D", path_str(&data)?, "-o", &options, "-l", path_str(&log)?, "start"])?;
        Ok(Some(cluster))
    }

    /// `postgres://postgres@127.0.0.1:PORT`, without a database name.
    pub fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}", self.port)
    }

    fn pg_command(&self, tool: &str) -> Command {
        let program = self.bin.join(tool);
        if self.as_postgres {
            let mut cmd = Command::new("runuser");
            cmd.args(["-u", "postgres", "--"]).arg(program);
            cmd
        } else {
            Command::new(program)
        }
    }

    fn run_pg(&self, tool: &str, args: &[&str]) -> Result<()> {
        process::run(self.pg_command(tool).args(args).stdout(std::process::Stdio::null()))
    }
}

fn path_str(path: &Path) -> Result<&str> {
    path.to_str().with_context(|| format!("path is not UTF-8: {}", path.display()))
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let data = self.dir.join("data");
        let _ = self.pg_command("pg_ctl").args(["-m", "fast", "-D"]).arg(&data).arg("stop").status();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
