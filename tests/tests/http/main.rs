//! The HTTP suites: the real `stegvis` binary over HTTP, one module per part of the contract.
//! One test binary (not one per file) keeps the link time and the target directory small;
//! `cargo xtask test` runs it on SQLite and again on a throwaway PostgreSQL cluster
//! (`STEGVIS_TEST_POSTGRES_URL`). One suite alone: `cargo test -p stegvis-tests --test http -- push::`.

mod admin;
mod admin_office;
mod api_fuzz_regressions;
mod auth;
mod concurrency;
mod crash;
mod errors;
mod instances;
mod lost_responses;
mod merge;
mod office;
mod pull;
mod push;
mod push_batching;
mod reports;
mod restore;
mod retention;
mod security_headers;
mod simulation;
mod slow_clients;
mod throttle;
mod unavailable;
