//! UI module `state` (see docs/FIELD-APP.md): being written.
