//! The `stegvis` binary: parses the command line and runs it.

use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    backend::cli::run().await
}
