//! Core module `api` (see docs/FIELD-APP.md): being written.
