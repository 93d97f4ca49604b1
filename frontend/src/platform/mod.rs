//! Core module `platform` (see docs/FIELD-APP.md): being written.
