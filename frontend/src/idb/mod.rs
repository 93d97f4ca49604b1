//! Core module `idb` (see docs/FIELD-APP.md): being written.
