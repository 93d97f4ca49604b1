//! Acceptance-test harness for Stegvis: starts the real `stegvis` binary on
//! a fresh SQLite database per test, drives it over HTTP exactly as an
//! outside client would (API.md), and builds valid records and mutations from
//! the wire contract (PRODUCT.md, "Records").
//!
//! - [`server`]: the process (spawn, wait for its listening line, SIGKILL,
//!   restart on the same database) and the `stegvis admin` bootstrap CLI.
//! - [`api`]: an HTTP client with a bearer token whose answers are a status
//!   plus a JSON body, and assertions on the contract's error body.
//! - [`records`]: valid `data` for every record kind, and the attendance id.
//! - [`mutation`]: devices, hybrid logical clocks and push mutations.
//! - [`fixture`]: two organisations with programs and users of every role.
//! - [`raw`]: raw HTTP/1.1 for chunked bodies and crash timing.
//! - [`db`]: the test database itself (the access log's triggers, the report tables).
//! - [`browser`]: headless Chromium profiles driving the built app by its
//!   `data-testid` contract; [`field`]: the field app's end-to-end steps.
#![allow(clippy::unwrap_used)]

pub mod api;
pub mod browser;
pub mod db;
pub mod field;
pub mod fixture;
pub mod mutation;
pub mod raw;
pub mod records;
pub mod server;

pub use api::{
    Api, Page, Pulled, Resp, assert_applied, assert_data, assert_duplicate, assert_error_body, assert_rejected,
    assert_rfc3339_utc, record_id, uuid_of,
};
pub use fixture::{PASSWORD, World, add_member, create_program, create_user, fixture, remove_member};
pub use mutation::{Device, now_ms, with_hlc};
pub use records::{KINDS, Refs};
pub use reqwest::StatusCode;
pub use server::Server;
