//! Core module `crypto` (see docs/FIELD-APP.md): being written.
