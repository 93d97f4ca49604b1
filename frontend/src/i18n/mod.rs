//! UI module `i18n` (see docs/FIELD-APP.md): being written.
