//! Stegvis shared core: the record kinds and their validation, the wire types of
//! the sync protocol, the hybrid logical clock and the field-level merge rules.
//!
//! Pure Rust with no I/O: it compiles to native for the server and to wasm for the
//! field app, so both sides agree on every rule by construction.

pub mod calendar;
pub mod check;
pub mod hlc;
pub mod ids;
pub mod merge;
pub mod office;
pub mod records;
pub mod roles;
pub mod wire;

pub use hlc::Hlc;
pub use records::{FieldError, Kind, RecordData, Reference};
pub use roles::Role;
