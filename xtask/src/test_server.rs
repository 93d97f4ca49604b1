//! A `stegvis` server for the in-browser tests of the frontend: a temp SQLite
//! database with the demo users, CORS allowed for the test page's origin
//! only, stopped and deleted on drop.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use anyhow::{Context, Result, bail};

use crate::process;

const LISTENING: &str = "stegvis listening on ";

#[derive(Debug)]
pub struct TestServer {
    child: Child,
    dir: PathBuf,
    url: String,
}

impl TestServer {
    /// Seeds a fresh database and serves it, allowing calls from `page_origin`.
    pub fn start(bin: &Path, page_origin: &str) -> Result<TestServer> {
        let dir = std::env::temp_dir().join(format!("stegvis-wasm-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        let db = format!("sqlite://{}", dir.join("test.db").display());
        process::output(Command::new(bin).args(["admin", "seed-demo", "--database-url", &db]))?;
        let mut child = Command::new(bin)
            .args(["serve", "--listen", "127.0.0.1:0", "--database-url", &db, "--cors-origin", page_origin])
            .args(["--dist-dir", &dir.join("no-app").display().to_string()])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .with_context(|| format!("starting {}", bin.display()))?;
        let stdout = child.stdout.take().context("no stdout")?;
        let mut first = String::new();
        BufReader::new(stdout).read_line(&mut first)?;
        let Some(url) = first.trim().strip_prefix(LISTENING) else {
            let _ = child.kill();
            bail!("the test server did not start (printed {first:?})");
        };
        Ok(TestServer { url: url.to_owned(), child, dir })
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> &str {
        &self.url
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
