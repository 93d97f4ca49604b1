//! The Stegvis server as a library: the binary `stegvis` is a thin `main`
//! over [`cli::run`]; tests start it with [`serve`] on `127.0.0.1:0`.

pub mod auth;
pub mod cli;
pub mod error;
pub mod http;
pub mod reports;
pub mod retention;
pub mod seed;
pub mod seed_records;
pub mod server;
pub mod state;
pub mod store;
pub mod sync;

pub use http::app;
pub use server::serve;
pub use state::AppState;
