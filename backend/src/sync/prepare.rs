//! Turns one pushed mutation (raw JSON) into a checked [`Prepared`] change, or
//! into its rejection: parsing, role and program walls, HLC and clock skew,
//! record validation and the attendance id rule. Pure: no database.

use serde_json::Value;
use shared::Role;
use shared::hlc::Hlc;
use shared::records::RecordData;
use shared::wire::{ErrorInfo, MAX_CLOCK_SKEW_MS, Mutation, Op};
use uuid::Uuid;

use crate::http::extract::clean_serde_message;
use crate::sync::apply::{Prepared, PreparedItem};

/// Who pushes, and the server's clock.
#[derive(Clone, Debug)]
pub struct PrepareContext<'a> {
    pub device_id: Uuid,
    pub role: Role,
    pub program_ids: &'a [Uuid],
    pub now_millis: u64,
}

pub fn rejection(code: &str, message: impl Into<String>) -> ErrorInfo {
    ErrorInfo::new(code, message)
}

/// Checks one mutation. The id is read first, so that even a mutation that
/// is rejected can be answered by id, and a retry of an acknowledged one can
/// be answered `duplicate` whatever changed since.
pub fn prepare(raw: Value, ctx: &PrepareContext<'_>) -> PreparedItem {
    let id = raw.get("id").and_then(Value::as_str).and_then(|s| Uuid::parse_str(s).ok());
    PreparedItem { id, outcome: check(raw, ctx) }
}

fn check(raw: Value, ctx: &PrepareContext<'_>) -> Result<Prepared, ErrorInfo> {
    let mutation: Mutation = serde_path_to_error::deserialize(raw).map_err(|e| {
        let path = e.path().to_string();
        let field = if path == "." { "mutation".to_owned() } else { path };
        rejection("invalid_field", format!("{field}: {}", clean_serde_message(&e.inner().to_string())))
    })?;
    if !ctx.program_ids.contains(&mutation.program_id) {
        return Err(rejection("forbidden", "program_id: you are not a member of this program"));
    }
    if !ctx.role.may_write(mutation.kind) {
        return Err(rejection(
            "forbidden",
            format!("kind: the role {} may not write {} records", ctx.role, mutation.kind),
        ));
    }
    let hlc = Hlc::parse_for_device(&mutation.hlc, ctx.device_id)
        .map_err(|e| rejection("invalid_field", format!("hlc: {e}")))?;
    if hlc.millis() > ctx.now_millis.saturating_add(MAX_CLOCK_SKEW_MS) {
        return Err(rejection(
            "clock_skew",
            "hlc: the device clock is more than 5 minutes ahead of the server; fix the clock and sync again",
        ));
    }
    if mutation.base_version.is_some_and(|v| v < 0) {
        return Err(rejection("invalid_field", "base_version: must be a version number (0 or more) or null"));
    }
    let data = match (mutation.op, mutation.data) {
        (Op::Put, Some(data @ Value::Object(_))) => Some(
            RecordData::parse(mutation.kind, &data)
                .map_err(|e| rejection("invalid_field", e.prefixed("data").to_string()))?,
        ),
        (Op::Put, Some(_)) => return Err(rejection("invalid_field", "data: must be an object")),
        (Op::Put, None) => return Err(rejection("invalid_field", "data: required for a put")),
        (Op::Delete, None | Some(Value::Null)) => None,
        (Op::Delete, Some(_)) => {
            return Err(rejection("invalid_field", "data: must be omitted for a delete"));
        }
    };
    if let Some(RecordData::Attendance(attendance)) = &data {
        let expected = attendance.expected_id();
        if mutation.record_id != expected {
            return Err(rejection(
                "bad_id",
                format!(
                    "record_id: attendance of one placement and date has the id {expected} \
                     (UUID v5 of \"<placement_id>/<date>\")"
                ),
            ));
        }
    }
    Ok(Prepared {
        id: mutation.id,
        record_id: mutation.record_id,
        kind: mutation.kind,
        program_id: mutation.program_id,
        op: mutation.op,
        base_version: mutation.base_version,
        hlc,
        data,
    })
}
