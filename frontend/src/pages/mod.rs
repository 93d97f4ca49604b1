//! UI module `pages` (see docs/FIELD-APP.md): being written.
