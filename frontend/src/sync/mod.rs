//! Core module `sync` (see docs/FIELD-APP.md): being written.
