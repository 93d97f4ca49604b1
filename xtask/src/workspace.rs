//! Where things are: the workspace root, the tools it installs, and how child commands are
//! started (from the root, with the project's tools first on `PATH`).

use std::env;
use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The Stegvis workspace this xtask belongs to.
#[derive(Debug, Clone)]
pub struct Workspace {
    root: PathBuf,
    path_var: OsString,
}

impl Workspace {
    /// The workspace that contains this crate (`xtask/`'s parent directory).
    pub fn locate() -> Self {
        let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
        let root = manifest_dir.parent().map_or_else(|| manifest_dir.to_path_buf(), Path::to_path_buf);
        let path_var = tool_path(&root);
        Self { root, path_var }
    }

    /// The workspace root (where the root `Cargo.toml` is).
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// A path relative to the workspace root.
    pub fn join(&self, rel: impl AsRef<Path>) -> PathBuf {
        self.root.join(rel)
    }

    /// `tools/`: the npm package holding wasm-opt.
    pub fn tools_dir(&self) -> PathBuf {
        self.join("tools")
    }

    /// Trunk's output directory.
    pub fn dist_dir(&self) -> PathBuf {
        self.join("dist")
    }

    /// Cargo's target directory (the default one; the workspace sets no other).
    pub fn target_dir(&self) -> PathBuf {
        env::var_os("CARGO_TARGET_DIR").map_or_else(|| self.join("target"), PathBuf::from)
    }

    /// The server binary built by `cargo build -p backend --bin stegvis`.
    pub fn server_bin(&self) -> PathBuf {
        self.target_dir().join("debug").join("stegvis")
    }

    /// A command run from the workspace root with the project's tools first on `PATH`
    /// (`tools/node_modules/.bin`, then Cargo's `bin/`).
    pub fn command(&self, program: impl AsRef<OsStr>) -> Command {
        let mut cmd = Command::new(program);
        cmd.current_dir(&self.root).env("PATH", &self.path_var);
        cmd
    }

    /// `cargo`, the same one that runs this xtask.
    pub fn cargo(&self) -> Command {
        self.command(env::var_os("CARGO").unwrap_or_else(|| OsString::from("cargo")))
    }
}

/// Cargo's home (`$CARGO_HOME`, else `~/.cargo`), where `cargo install` puts binaries.
fn cargo_home() -> Option<PathBuf> {
    env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")))
}

/// `PATH` for child commands: `tools/node_modules/.bin`, Cargo's `bin/`, then the inherited `PATH`.
fn tool_path(root: &Path) -> OsString {
    let mut dirs = vec![root.join("tools").join("node_modules").join(".bin")];
    if let Some(home) = cargo_home() {
        dirs.push(home.join("bin"));
    }
    if let Some(path) = env::var_os("PATH") {
        dirs.extend(env::split_paths(&path));
    }
    // Joining only fails on a directory containing ':'; fall back to the inherited PATH then.
    env::join_paths(dirs).unwrap_or_else(|_| env::var_os("PATH").unwrap_or_default())
}
