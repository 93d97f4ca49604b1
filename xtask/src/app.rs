//! `cargo xtask build-app`: builds the web app with Trunk, offline, using the installed
//! wasm-bindgen-cli and `tools/`' wasm-opt (never Trunk's own downloads): the field app
//! (`frontend/index.html`, bin `frontend`) into `dist/`, then the office desk
//! (`frontend/desk/index.html`, bin `desk`) into `dist/desk/`, served at `/desk/`.
//!
//! A stamp in `target/xtask/` records the inputs (sizes and modification times of the
//! frontend's and `shared`'s files, the manifests, the lockfiles, `Trunk.toml`) and the
//! resulting `dist/index.html`; when nothing changed, the build is skipped.
//!
//! After the build, `dist/sw.js` is written from the `frontend/sw.js` template: the
//! precache list of the field app's files (never the desk's) and a version hashed from
//! their contents, so every build that changes a file is a new service-worker version.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::time::UNIX_EPOCH;

use anyhow::{Context, Result};

use crate::process;
use crate::setup::{self, Scope, TRUNK_VERSION};
use crate::workspace::Workspace;

/// Options of `build-app`.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Optimised build (`trunk build --release`).
    pub release: bool,
    /// Build even if the stamp says nothing changed.
    pub force: bool,
}

/// Directories whose files are inputs of the app build.
const INPUT_DIRS: &[&str] = &["frontend", "shared"];
/// Single files that are inputs of the app build.
const INPUT_FILES: &[&str] =
    &["Cargo.toml", "Cargo.lock", "Trunk.toml", "rust-toolchain.toml", ".cargo/config.toml", "tools/package-lock.json"];

/// Sets up the wasm tools, fetches the crates and runs `trunk build` unless `dist/` is current.
pub fn build_app(ws: &Workspace, opts: Options) -> Result<()> {
    setup::setup(ws, Scope::Wasm)?;
    // Trunk runs cargo with --offline when TRUNK_OFFLINE is set: fetch first.
    process::run(ws.cargo().args(["fetch", "--quiet"]))?;

    let mode = if opts.release { "release" } else { "dev" };
    let stamp_path = ws.target_dir().join("xtask").join("build-app.stamp");
    let inputs = fingerprint(ws, mode)?;
    if !opts.force {
        let previous = fs::read_to_string(&stamp_path).unwrap_or_default();
        if previous == with_output(ws, &inputs) {
            write_service_worker(ws)?;
            println!("build-app: dist/ is up to date ({mode} build; nothing changed, --force rebuilds)");
            return Ok(());
        }
    }

    // The field app into dist/ first (Trunk empties its dist directory), then the desk
    // into dist/desk/, served at /desk/: its own bundle, so phones never download it.
    process::run(&mut trunk(ws, opts, &[]))?;
    let desk_dist = ws.dist_dir().join(DESK_DIR);
    let mut desk = trunk(ws, opts, &[DESK_HTML.as_ref(), "--dist".as_ref(), desk_dist.as_os_str()]);
    process::run(desk.args(["--public-url", "/desk/"]))?;

    for index in [ws.dist_dir().join("index.html"), desk_dist.join("index.html")] {
        if !index.is_file() {
            anyhow::bail!("trunk build succeeded but {} is missing", index.display());
        }
    }
    write_service_worker(ws)?;
    if let Some(dir) = stamp_path.parent() {
        fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    fs::write(&stamp_path, with_output(ws, &inputs)).with_context(|| format!("writing {}", stamp_path.display()))?;
    println!("build-app: {mode} build written to {}", ws.dist_dir().display());
    Ok(())
}

/// The desk's page (`frontend/desk/index.html`) and where it goes in `dist/`.
const DESK_HTML: &str = "frontend/desk/index.html";
const DESK_DIR: &str = "desk";

/// `trunk build` (release or not), offline with the pinned tools, plus `args`.
fn trunk(ws: &Workspace, opts: Options, args: &[&std::ffi::OsStr]) -> std::process::Command {
    let mut trunk = ws.command("trunk");
    trunk.arg("build").args(args);
    if opts.release {
        trunk.arg("--release");
    }
    trunk
        .env("TRUNK_OFFLINE", "true")
        .env("TRUNK_SKIP_VERSION_CHECK", "true")
        // Trunk may read these from the environment; never let a caller's value leak in.
        .env_remove("TRUNK_BUILD_CARGO_PROFILE")
        .env_remove("TRUNK_BUILD_DIST")
        .env_remove("TRUNK_BUILD_PUBLIC_URL");
    if std::env::var_os("NO_COLOR").is_some() {
        // Trunk 0.21 parses NO_COLOR as a strict boolean and rejects the usual `NO_COLOR=1`.
        trunk.env("NO_COLOR", "true");
    }
    trunk
}

/// The service-worker template (Trunk need not copy it: this step writes `dist/sw.js`).
const SW_TEMPLATE: &str = "frontend/sw.js";
/// Placeholders in the template.
const SW_VERSION_MARK: &str = "__STEGVIS_VERSION__";
const SW_PRECACHE_MARK: &str = "__STEGVIS_PRECACHE__";

/// Writes `dist/sw.js`: the template with the precache list (every file in `dist/`
/// but `sw.js`, source maps and the desk's `desk/`, as absolute paths) and a version
/// hashed from the paths and contents of those files and of the template.
fn write_service_worker(ws: &Workspace) -> Result<()> {
    let template_path = ws.join(SW_TEMPLATE);
    let template =
        fs::read_to_string(&template_path).with_context(|| format!("reading {}", template_path.display()))?;
    if !template.contains(SW_VERSION_MARK) || !template.contains(SW_PRECACHE_MARK) {
        anyhow::bail!("{SW_TEMPLATE} lacks {SW_VERSION_MARK} or {SW_PRECACHE_MARK}");
    }
    let dist = ws.dist_dir();
    let mut files = Vec::new();
    collect_files(&dist, &mut files)?;
    let mut paths: Vec<(String, std::path::PathBuf)> = files
        .into_iter()
        .filter_map(|file| {
            let rel = file.strip_prefix(&dist).ok()?.to_string_lossy().replace('\\', "/");
            let desk = rel.starts_with(&format!("{DESK_DIR}/"));
            (rel != "sw.js" && !rel.ends_with(".map") && !desk).then(|| (format!("/{rel}"), file))
        })
        .collect();
    paths.sort();
    let mut hash = Fnv64::default();
    hash.write(template.as_bytes());
    for (url, file) in &paths {
        hash.write(url.as_bytes());
        hash.write(&fs::read(file).with_context(|| format!("reading {}", file.display()))?);
    }
    let version = format!("{:016x}", hash.0);
    let list = paths.iter().map(|(url, _)| format!("{url:?}")).collect::<Vec<_>>().join(", ");
    let sw = template.replace(SW_VERSION_MARK, &version).replace(SW_PRECACHE_MARK, &format!("[{list}]"));
    let out = dist.join("sw.js");
    fs::write(&out, sw).with_context(|| format!("writing {}", out.display()))?;
    println!("build-app: wrote {} (version {version}, {} files precached)", out.display(), paths.len());
    Ok(())
}

/// FNV-1a, 64 bit: a stable content hash (the version must not depend on the Rust release).
struct Fnv64(u64);

impl Default for Fnv64 {
    fn default() -> Self {
        Fnv64(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv64 {
    fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 = (self.0 ^ u64::from(*byte)).wrapping_mul(0x0000_0100_0000_01b3);
        }
        // Separate fields so ("ab", "c") and ("a", "bc") differ.
        self.0 = (self.0 ^ 0xff).wrapping_mul(0x0000_0100_0000_01b3);
    }
}

/// The stamp text: the inputs plus the current `dist/index.html` and `dist/desk/index.html`
/// (so a build made by hand, or a deleted `dist/`, is noticed).
fn with_output(ws: &Workspace, inputs: &str) -> String {
    let mut text = inputs.to_owned();
    describe(&mut text, ws.root(), &ws.dist_dir().join("index.html"));
    describe(&mut text, ws.root(), &ws.dist_dir().join(DESK_DIR).join("index.html"));
    text
}

/// One line per input file: path, size, modification time.
fn fingerprint(ws: &Workspace, mode: &str) -> Result<String> {
    let mut text = format!("mode {mode}\ntrunk {TRUNK_VERSION}\n");
    for dir in INPUT_DIRS {
        let mut files = Vec::new();
        collect_files(&ws.join(dir), &mut files)?;
        files.sort();
        for file in files {
            describe(&mut text, ws.root(), &file);
        }
    }
    for file in INPUT_FILES {
        describe(&mut text, ws.root(), &ws.join(file));
    }
    Ok(text)
}

fn describe(text: &mut String, root: &Path, file: &Path) {
    let rel = file.strip_prefix(root).unwrap_or(file).display();
    match fs::metadata(file) {
        Ok(meta) => {
            let modified = meta
                .modified()
                .ok()
                .and_then(|time| time.duration_since(UNIX_EPOCH).ok())
                .map_or(0, |age| age.as_nanos());
            let _ = writeln!(text, "{rel} {} {modified}", meta.len());
        }
        Err(_) => {
            let _ = writeln!(text, "{rel} missing");
        }
    }
}

fn collect_files(dir: &Path, files: &mut Vec<std::path::PathBuf>) -> Result<()> {
    if !dir.is_dir() {
        return Ok(());
    }
    for entry in fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let entry = entry.with_context(|| format!("reading {}", dir.display()))?;
        let path = entry.path();
        let kind = entry.file_type().with_context(|| format!("reading {}", path.display()))?;
        if kind.is_dir() {
            if entry.file_name() != "target" {
                collect_files(&path, files)?;
            }
        } else {
            files.push(path);
        }
    }
    Ok(())
}
