//! UI module `components` (see docs/FIELD-APP.md): being written.
