//! `FieldError`, a rejection that names the offending field by its path inside
//! `data`, and the translation of serde's messages into that form.

use serde::de::DeserializeOwned;
use serde_path_to_error::Segment;

use super::fields::Object;

/// Why a record's `data` (or one of its fields) was rejected.
///
/// `field` is the path inside `data`: `"display_name"`, `"exit.outcome"`,
/// `"attendees[2].status"`; it is empty when `data` itself is wrong (not an
/// object), so that [`FieldError::prefixed`] with `"data"` yields `"data"`.
/// `message` is human readable and does not repeat submitted free text.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        FieldError { field: field.into(), message: message.into() }
    }

    /// Puts `prefix` in front of the path: `"data"` + `"x"` → `"data.x"`,
    /// `"attendees"` + `"[1].status"` → `"attendees[1].status"`,
    /// `"data"` + `""` → `"data"`.
    pub fn prefixed(self, prefix: &str) -> Self {
        FieldError { field: join_path(prefix, &self.field), message: self.message }
    }
}

/// Joins two path pieces the way `FieldError` spells paths.
pub(crate) fn join_path(prefix: &str, field: &str) -> String {
    if prefix.is_empty() {
        field.to_owned()
    } else if field.is_empty() {
        prefix.to_owned()
    } else if field.starts_with('[') {
        format!("{prefix}{field}")
    } else {
        format!("{prefix}.{field}")
    }
}

/// Deserializes `data` into a serde struct, turning any failure into a
/// `FieldError` that names the path where it happened.
/// `data` must be a JSON object.
pub(crate) fn from_data<T: DeserializeOwned>(data: &serde_json::Value) -> Result<T, FieldError> {
    serde_path_to_error::deserialize(data).map(|Object(value)| value).map_err(|err| {
        let path = path_string(err.path());
        translate(&path, &err.into_inner().to_string())
    })
}

fn path_string(path: &serde_path_to_error::Path) -> String {
    let mut out = String::new();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => out.push_str(&format!("[{index}]")),
            Segment::Map { key } => out = join_path(&out, key),
            Segment::Enum { variant } => out = join_path(&out, variant),
            Segment::Unknown => out = join_path(&out, "?"),
        }
    }
    out
}

/// Maps serde's (and serde_json's) stock messages to ours; messages raised by
/// the field types of this module are already ours and pass through.
fn translate(path: &str, message: &str) -> FieldError {
    if let Some(name) = quoted_after(message, "unknown field `") {
        // The path already ends at the unknown key.
        let field =
            if path == name || path.ends_with(&format!(".{name}")) { path.to_owned() } else { join_path(path, name) };
        return FieldError::new(field, "unknown field");
    }
    if let Some(name) = quoted_after(message, "missing field `") {
        return FieldError::new(join_path(path, name), "is required");
    }
    if let Some(rest) = message.strip_prefix("invalid type: ")
        && let Some((unexpected, expected)) = rest.split_once(", expected ")
    {
        return FieldError::new(
            path,
            format!("must be {}, not {}", expected_phrase(expected), unexpected_phrase(unexpected)),
        );
    }
    if let Some(rest) = message.strip_prefix("invalid value: ")
        && let Some((_, expected)) = rest.split_once(", expected ")
    {
        return FieldError::new(path, format!("must be {}", expected_phrase(expected)));
    }
    if let Some(rest) = message.strip_prefix("invalid length ")
        && let Some((_, expected)) = rest.split_once(", expected ")
    {
        return FieldError::new(path, format!("must have {expected}"));
    }
    FieldError::new(path, message)
}

/// The text between `prefix` and the next backtick.
fn quoted_after<'a>(message: &'a str, prefix: &str) -> Option<&'a str> {
    let rest = message.strip_prefix(prefix)?;
    rest.split_once('`').map(|(name, _)| name)
}

fn expected_phrase(expected: &str) -> &str {
    match expected {
        "a sequence" => "an array",
        "a map" => "an object",
        "i8" | "i16" | "i32" | "i64" | "i128" | "u8" | "u16" | "u32" | "u64" | "u128" => "an integer",
        "f32" | "f64" => "a number",
        e if e.starts_with("struct ") => "an object",
        e => e,
    }
}

fn unexpected_phrase(unexpected: &str) -> &'static str {
    let head = unexpected.split(' ').next().unwrap_or_default();
    match head {
        "null" | "unit" => "null",
        "boolean" => "a boolean",
        "integer" => "an integer",
        "floating" => "a decimal number",
        "string" | "char" => "a string",
        "sequence" => "an array",
        "map" => "an object",
        _ => "a value of another type",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixed_joins_paths() {
        let e = FieldError::new("x", "m");
        assert_eq!(e.prefixed("data").field, "data.x");
        let e = FieldError::new("[1].status", "m");
        assert_eq!(e.prefixed("attendees").field, "attendees[1].status");
        let e = FieldError::new("", "m");
        assert_eq!(e.prefixed("data").field, "data");
        let e = FieldError::new("x", "m");
        assert_eq!(e.prefixed("").field, "x");
    }

    #[test]
    fn display_is_field_colon_message() {
        assert_eq!(FieldError::new("exit.outcome", "is required").to_string(), "exit.outcome: is required");
    }

    #[test]
    fn translates_serde_messages() {
        let e = translate("exit.colour", "unknown field `colour`, expected one of `a`, `b`");
        assert_eq!(e, FieldError::new("exit.colour", "unknown field"));
        let e = translate("colour", "unknown field `colour`, there are no fields");
        assert_eq!(e, FieldError::new("colour", "unknown field"));
        let e = translate("", "missing field `status`");
        assert_eq!(e, FieldError::new("status", "is required"));
        let e = translate("flag", "invalid type: string \"yes\", expected a boolean");
        assert_eq!(e, FieldError::new("flag", "must be a boolean, not a string"));
        let e = translate("", "invalid type: null, expected struct Raw");
        assert_eq!(e, FieldError::new("", "must be an object, not null"));
        let e = translate("xs", "invalid type: floating point `1.5`, expected a sequence");
        assert_eq!(e, FieldError::new("xs", "must be an array, not a decimal number"));
    }
}
