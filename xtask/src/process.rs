//! Running child processes: each command is echoed before it runs, gets no standard input,
//! and a failure names the command that failed.

use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};

/// The command as a shell-like line, for echoing and error messages.
pub fn display(cmd: &Command) -> String {
    let mut line = cmd.get_program().to_string_lossy().into_owned();
    for arg in cmd.get_args() {
        line.push(' ');
        line.push_str(&arg.to_string_lossy());
    }
    line
}

/// Runs `cmd` with inherited output; fails unless it exits successfully.
pub fn run(cmd: &mut Command) -> Result<()> {
    let line = display(cmd);
    println!("$ {line}");
    let status = cmd.stdin(Stdio::null()).status().with_context(|| format!("could not start `{line}`"))?;
    if !status.success() {
        bail!("`{line}` failed ({status})");
    }
    Ok(())
}

/// Runs `cmd` and returns its standard output (standard error is passed through);
/// fails unless it exits successfully.
pub fn output(cmd: &mut Command) -> Result<String> {
    let line = display(cmd);
    println!("$ {line}");
    let out = cmd
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .with_context(|| format!("could not start `{line}`"))?;
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    if !out.status.success() {
        bail!("`{line}` failed ({}):\n{stdout}", out.status);
    }
    Ok(stdout)
}

/// Quietly runs a probe such as `tool --version`: its trimmed standard output, or `None`
/// when the program is missing or fails.
pub fn probe(cmd: &mut Command) -> Option<String> {
    let out = cmd.stdin(Stdio::null()).stderr(Stdio::null()).output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
}
