//! The sync protocol on the server: preparing pushed mutations, applying them
//! in a transaction, and the pull cursor.

pub mod apply;
pub mod cursor;
pub mod prepare;
