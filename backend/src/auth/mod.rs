//! Authentication: password hashes, bearer tokens and the request's actor.

pub mod actor;
pub mod password;
pub mod throttle;
pub mod token;

pub use actor::Actor;
