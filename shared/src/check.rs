//! The content check of a set of records, the same on the server, in the
//! app and in `cargo xtask bench`: the lines `id TAB data-as-JSON LF`,
//! sorted, where the JSON is serde_json's (object keys sorted). The app
//! shows the SHA-256 of this text in settings ("check local data"), so a
//! device's copy can be compared with the server's without showing content.

use serde_json::Value;
use uuid::Uuid;

/// The check text of `records` (`(id, data)`), in any order.
pub fn content_text<'a>(records: impl IntoIterator<Item = (Uuid, &'a Value)>) -> String {
    // `serde_json::to_string` writes what `Display` (`{data}`) writes; it is the
    // serializer the app links anyway, where `Display` would add two more (issue 6).
    let mut lines: Vec<String> = records
        .into_iter()
        .map(|(id, data)| format!("{id}\t{}\n", serde_json::to_string(data).unwrap_or_default()))
        .collect();
    lines.sort_unstable();
    lines.concat()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn to_string_is_what_display_writes() {
        let data = json!({"z": 1, "a": [true, null, -2.5e-7, 1e300], "s": "tab\t\"q\" \u{1} åäö", "h": {}});
        assert_eq!(serde_json::to_string(&data).unwrap_or_default(), format!("{data}"));
    }

    #[test]
    fn sorted_lines_with_sorted_keys() {
        let (a, b) = (Uuid::from_u128(1), Uuid::from_u128(2));
        let (da, db) = (json!({"z": 1, "a": [true, null], "h": 4.5}), json!({"note": "Bussen var sen"}));
        let text = content_text([(b, &db), (a, &da)]);
        assert_eq!(
            text,
            format!("{a}\t{{\"a\":[true,null],\"h\":4.5,\"z\":1}}\n{b}\t{{\"note\":\"Bussen var sen\"}}\n")
        );
    }
}
