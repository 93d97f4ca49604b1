//! Reading pinned versions: the `wasm-bindgen` crate in `Cargo.lock` and the tool pins in
//! `Trunk.toml`. The formats are simple enough to read line by line.

use std::fs;
use std::path::Path;

use anyhow::{Context, Result, bail};

/// Every version of package `name` recorded in a `Cargo.lock` text.
pub fn locked_versions(lock: &str, name: &str) -> Vec<String> {
    let mut versions = Vec::new();
    let mut in_package = false;
    for line in lock.lines().map(str::trim) {
        if line.starts_with('[') {
            in_package = false;
        } else if let Some(value) = line.strip_prefix("name = ") {
            in_package = unquote(value) == name;
        } else if in_package && let Some(value) = line.strip_prefix("version = ") {
            versions.push(unquote(value).to_owned());
            in_package = false;
        }
    }
    versions
}

/// The one version of `wasm-bindgen` in the workspace's `Cargo.lock`.
pub fn wasm_bindgen_version(root: &Path) -> Result<String> {
    let path = root.join("Cargo.lock");
    let lock = fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let mut versions = locked_versions(&lock, "wasm-bindgen");
    match versions.len() {
        1 => Ok(versions.remove(0)),
        0 => bail!("{} has no wasm-bindgen package", path.display()),
        _ => bail!(
            "{} has several wasm-bindgen versions ({}); the installed CLI can match only one",
            path.display(),
            versions.join(", ")
        ),
    }
}

/// The value of `key` in the `[section]` table of a simple TOML text such as `Trunk.toml`.
pub fn toml_value(text: &str, section: &str, key: &str) -> Option<String> {
    let header = format!("[{section}]");
    let mut in_section = false;
    for line in text.lines().map(str::trim) {
        if line.starts_with('[') {
            in_section = line == header;
        } else if in_section {
            let Some((k, v)) = line.split_once('=') else {
                continue;
            };
            if k.trim() == key {
                let v = v.split('#').next().unwrap_or_default();
                return Some(unquote(v.trim()).to_owned());
            }
        }
    }
    None
}

/// A `[tools]` pin from the workspace's `Trunk.toml`.
pub fn trunk_tool_pin(root: &Path, key: &str) -> Result<String> {
    let path = root.join("Trunk.toml");
    let text = fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    toml_value(&text, "tools", key).with_context(|| format!("{} has no `{key}` under [tools]", path.display()))
}

fn unquote(value: &str) -> &str {
    value.trim().trim_matches('"')
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOCK: &str = r#"
version = 4

[[package]]
name = "wasm-bindgen-futures"
version = "0.4.50"
source = "registry+https://github.com/rust-lang/crates.io-index"

[[package]]
name = "wasm-bindgen"
version = "0.2.130"
dependencies = [
 "cfg-if",
]
"#;

    #[test]
    fn finds_exact_package_only() {
        assert_eq!(locked_versions(LOCK, "wasm-bindgen"), vec!["0.2.130"]);
        assert_eq!(locked_versions(LOCK, "wasm-bindgen-futures"), vec!["0.4.50"]);
        assert!(locked_versions(LOCK, "cfg-if").is_empty());
    }

    #[test]
    fn reads_trunk_tools() {
        let text =
            "[build]\nwasm_opt = \"no\"\n\n[tools]\nwasm_bindgen = \"0.2.130\" # pinned\nwasm_opt = \"version_132\"\n";
        assert_eq!(toml_value(text, "tools", "wasm_bindgen").as_deref(), Some("0.2.130"));
        assert_eq!(toml_value(text, "tools", "wasm_opt").as_deref(), Some("version_132"));
        assert_eq!(toml_value(text, "tools", "sass"), None);
    }
}
