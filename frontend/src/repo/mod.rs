//! Core module `repo` (see docs/FIELD-APP.md): being written.
