//! Record validation: the first byte picks the kind, the rest is read as JSON and given to
//! `RecordData::parse`. Rejections are fine; a panic is a crash, and so is a record whose
//! canonical JSON (`to_value`) does not parse back to the same record, in memory or through
//! JSON text (the way it is stored and sent).

#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use shared::{Kind, RecordData};

fuzz_target!(|bytes: &[u8]| {
    let Some((&pick, rest)) = bytes.split_first() else { return };
    let kind = Kind::ALL[usize::from(pick) % Kind::ALL.len()];
    let Ok(data) = serde_json::from_slice::<Value>(rest) else { return };
    let record = match RecordData::parse(kind, &data) {
        Ok(record) => record,
        Err(err) => {
            assert!(!err.message.is_empty(), "empty message for field {:?}", err.field);
            // The server prefixes every record error with `data`; this must not panic either.
            let _ = err.prefixed("data").to_string();
            return;
        }
    };
    assert_eq!(record.kind(), kind);
    let canonical = record.to_value();
    let again = RecordData::parse(kind, &canonical)
        .unwrap_or_else(|e| panic!("canonical JSON of a valid {kind} is rejected: {e}\n{canonical}"));
    assert_eq!(again, record, "canonical JSON of a {kind} parses to another record\n{canonical}");
    assert_eq!(again.to_value(), canonical, "canonical JSON of a {kind} is not stable");
    let text = serde_json::to_string(&canonical).expect("a Value serializes");
    let reread: Value = serde_json::from_str(&text).expect("serde_json reads its own output");
    let from_text = RecordData::parse(kind, &reread)
        .unwrap_or_else(|e| panic!("canonical JSON text of a valid {kind} is rejected: {e}\n{text}"));
    assert_eq!(from_text, record, "canonical JSON text of a {kind} parses to another record\n{text}");
});
