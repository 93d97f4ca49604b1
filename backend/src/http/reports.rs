//! The office reports (docs/OFFICE.md): monthly attendance per participant
//! and placement, and the outcomes of the participants who exited in a
//! period, as JSON and as CSV for Swedish spreadsheets (UTF-8 with a
//! byte-order mark, `;` between fields, decimal commas, Swedish headers).
//! Attendance reads and both exports are written to the access log first.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use shared::calendar::YearMonth;
use shared::office::{AttendanceCounts, AttendanceReport, AttendanceRow, OutcomesReport};
use shared::wire::ErrorBody;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::auth::Actor;
use crate::error::{ApiError, ApiResult};
use crate::http::extract::ApiQuery;
use crate::http::office::{date_param, log_reads, page_params, program_param, require_desk, required};
use crate::reports::{self, swedish_decimal};
use crate::state::AppState;
use crate::store::office::{AccessAction, AccessWrite};

#[derive(Debug, Deserialize)]
pub struct AttendanceParams {
    program_id: Option<String>,
    month: Option<String>,
    limit: Option<String>,
    offset: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct OutcomesParams {
    program_id: Option<String>,
    from: Option<String>,
    to: Option<String>,
}

/// `program_id` (required, one of the caller's programs) and `month`.
fn program_and_month(
    actor: &Actor,
    program_id: &Option<String>,
    month: &Option<String>,
) -> ApiResult<(Uuid, YearMonth)> {
    require_desk(actor)?;
    let program_id = required("program_id", program_param(actor, program_id)?)?;
    let text = month.as_deref().map(str::trim).filter(|m| !m.is_empty());
    let month = required("month", text)?;
    let month = YearMonth::parse(month).ok_or_else(|| ApiError::invalid("month", "must be a month written YYYY-MM"))?;
    Ok((program_id, month))
}

/// `program_id` (required, one of the caller's programs), `from` ≤ `to`.
fn program_and_period(actor: &Actor, params: &OutcomesParams) -> ApiResult<(Uuid, Date, Date)> {
    require_desk(actor)?;
    let program_id = required("program_id", program_param(actor, &params.program_id)?)?;
    let from = required("from", date_param("from", &params.from)?)?;
    let to = required("to", date_param("to", &params.to)?)?;
    if from > to {
        return Err(ApiError::invalid("to", "must not be before from"));
    }
    Ok((program_id, from, to))
}

/// Every row of the attendance report, with the month's holidays.
async fn attendance_rows(state: &AppState, program_id: Uuid, month: YearMonth) -> ApiResult<Vec<AttendanceRow>> {
    let data = state
        .store
        .attendance_month(program_id, &reports::iso(month.first_day()), &reports::iso(month.last_day()))
        .await?;
    let today = time::OffsetDateTime::now_utc().date();
    reports::attendance_rows(month, &data, today).map_err(ApiError::Internal)
}

/// One row per participant and placement active in the month: planned days, marks, hours.
#[utoipa::path(get, path = "/api/v1/reports/attendance", tag = "reports", security(("bearer" = [])),
    params(
        ("program_id" = Uuid, Query, description = "one of the caller's programs (else 404)"),
        ("month" = String, Query, description = "YYYY-MM"),
        ("limit" = Option<u32>, Query, description = "rows a page: default 100, at most 500"),
        ("offset" = Option<u32>, Query),
    ),
    responses((status = 200, body = AttendanceReport), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn attendance(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(params): ApiQuery<AttendanceParams>,
) -> ApiResult<Json<AttendanceReport>> {
    let (program_id, month) = program_and_month(&actor, &params.program_id, &params.month)?;
    let (limit, offset) = page_params(&params.limit, &params.offset)?;
    let all = attendance_rows(&state, program_id, month).await?;
    let totals = reports::totals(&all);
    let total_rows = i64::try_from(all.len()).unwrap_or(i64::MAX);
    let start = usize::try_from(offset).unwrap_or(usize::MAX).min(all.len());
    let end = start.saturating_add(usize::try_from(limit).unwrap_or(usize::MAX)).min(all.len());
    let rows = all[start..end].to_vec();
    log_reads(&state, &actor, AccessAction::AttendanceReport, program_id, &reports::participants_of(&rows)).await?;
    Ok(Json(AttendanceReport {
        program_id,
        month: month.to_string(),
        holidays: reports::holidays(month),
        rows,
        total_rows,
        totals,
    }))
}

/// A CSV answer: BOM, `text/csv; charset=utf-8`, downloaded as `filename`.
fn csv_response(body: Vec<u8>, filename: &str) -> ApiResult<Response> {
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\""))
        .map_err(|e| ApiError::Internal(format!("content-disposition: {e}")))?;
    let headers = [
        (header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8")),
        (header::CONTENT_DISPOSITION, disposition),
        (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
    ];
    Ok((headers, body).into_response())
}

/// A `;`-separated writer that starts with the UTF-8 byte-order mark (what Swedish Excel expects).
fn csv_writer() -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new().delimiter(b';').flexible(true).from_writer(b"\xEF\xBB\xBF".to_vec())
}

fn csv_bytes(writer: csv::Writer<Vec<u8>>) -> ApiResult<Vec<u8>> {
    writer.into_inner().map_err(|e| ApiError::Internal(format!("csv: {e}")))
}

fn csv_error(e: csv::Error) -> ApiError {
    ApiError::Internal(format!("csv: {e}"))
}

fn count_cells(c: &AttendanceCounts) -> Vec<String> {
    vec![
        c.planned_days.to_string(),
        c.present.to_string(),
        c.late.to_string(),
        c.absent_sick.to_string(),
        c.absent_excused.to_string(),
        c.absent_unexcused.to_string(),
        c.unmarked.to_string(),
        swedish_decimal(c.planned_hours),
        swedish_decimal(c.hours),
    ]
}

/// The attendance report as CSV: a Swedish header, one line per row, then `Totalt`.
pub fn attendance_csv(rows: &[AttendanceRow], totals: &AttendanceCounts) -> ApiResult<Vec<u8>> {
    let mut w = csv_writer();
    w.write_record([
        "Deltagare",
        "Arbetsplats",
        "Planerade dagar",
        "Närvarande",
        "Sen",
        "Sjuk",
        "Giltig frånvaro",
        "Ogiltig frånvaro",
        "Ej registrerade",
        "Planerade timmar",
        "Timmar",
    ])
    .map_err(csv_error)?;
    for row in rows {
        let mut line = vec![row.participant_name.clone(), row.site_name.clone()];
        line.extend(count_cells(&row.counts));
        w.write_record(&line).map_err(csv_error)?;
    }
    let mut line = vec!["Totalt".to_owned(), String::new()];
    line.extend(count_cells(totals));
    w.write_record(&line).map_err(csv_error)?;
    csv_bytes(w)
}

/// Every row of the attendance report as CSV; every participant in the file is logged.
#[utoipa::path(get, path = "/api/v1/reports/attendance/export", tag = "reports", security(("bearer" = [])),
    params(
        ("program_id" = Uuid, Query, description = "one of the caller's programs (else 404)"),
        ("month" = String, Query, description = "YYYY-MM"),
    ),
    responses((status = 200, content_type = "text/csv", body = String,
            description = "UTF-8 with a byte-order mark, `;`-separated, decimal commas, a `Totalt` line"),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn attendance_export(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(params): ApiQuery<AttendanceParams>,
) -> ApiResult<Response> {
    let (program_id, month) = program_and_month(&actor, &params.program_id, &params.month)?;
    let rows = attendance_rows(&state, program_id, month).await?;
    let body = attendance_csv(&rows, &reports::totals(&rows))?;
    log_reads(&state, &actor, AccessAction::AttendanceExport, program_id, &reports::participants_of(&rows)).await?;
    csv_response(body, &format!("narvaro-{program_id}-{month}.csv"))
}

async fn outcomes_report(state: &AppState, program_id: Uuid, from: Date, to: Date) -> ApiResult<OutcomesReport> {
    let data = state.store.exits(program_id, &reports::iso(from), &reports::iso(to)).await?;
    let today = OffsetDateTime::now_utc().date();
    reports::outcomes(program_id, from, to, &data, today).map_err(ApiError::Internal)
}

/// Outcomes of the participants who exited in `[from, to]`: shares, median time, follow-ups. Not logged (aggregate).
#[utoipa::path(get, path = "/api/v1/reports/outcomes", tag = "reports", security(("bearer" = [])),
    params(
        ("program_id" = Uuid, Query, description = "one of the caller's programs (else 404)"),
        ("from" = String, Query, description = "YYYY-MM-DD"),
        ("to" = String, Query, description = "YYYY-MM-DD, not before from"),
    ),
    responses((status = 200, body = OutcomesReport), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn outcomes(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(params): ApiQuery<OutcomesParams>,
) -> ApiResult<Json<OutcomesReport>> {
    let (program_id, from, to) = program_and_period(&actor, &params)?;
    Ok(Json(outcomes_report(&state, program_id, from, to).await?))
}

/// The outcomes report as CSV: `Utfall;Antal;Andel`, the median, then the follow-ups.
pub fn outcomes_csv(r: &OutcomesReport) -> ApiResult<Vec<u8>> {
    let label = |code: &str| match code {
        "job" => "Arbete",
        "studies" => "Studier",
        "other" => "Annat",
        "unknown" => "Okänt",
        _ => "",
    };
    let mut w = csv_writer();
    w.write_record(["Utfall", "Antal", "Andel"]).map_err(csv_error)?;
    for o in &r.by_outcome {
        w.write_record([label(&o.outcome).to_owned(), o.count.to_string(), o.percent.to_string()])
            .map_err(csv_error)?;
    }
    w.write_record(["Avslutade totalt".to_owned(), r.exited.to_string(), String::new()]).map_err(csv_error)?;
    let median = r.median_days_to_exit.map(swedish_decimal).unwrap_or_default();
    w.write_record(["Mediantid till avslut (dagar)".to_owned(), median]).map_err(csv_error)?;
    let mut header = vec!["Uppföljning".to_owned(), "Förfallna".to_owned()];
    if let Some(first) = r.follow_ups.first() {
        header.extend(first.by_status.iter().map(|s| label(&s.status).to_owned()));
    }
    header.push("Saknas".to_owned());
    w.write_record(&header).map_err(csv_error)?;
    for f in &r.follow_ups {
        let mut line = vec![format!("{} månader", f.months_after_exit), f.due.to_string()];
        line.extend(f.by_status.iter().map(|s| s.count.to_string()));
        line.push(f.missing.to_string());
        w.write_record(&line).map_err(csv_error)?;
    }
    csv_bytes(w)
}

/// The outcomes report as CSV; logged once (`outcomes_export`, no participant).
#[utoipa::path(get, path = "/api/v1/reports/outcomes/export", tag = "reports", security(("bearer" = [])),
    params(
        ("program_id" = Uuid, Query, description = "one of the caller's programs (else 404)"),
        ("from" = String, Query, description = "YYYY-MM-DD"),
        ("to" = String, Query, description = "YYYY-MM-DD, not before from"),
    ),
    responses((status = 200, content_type = "text/csv", body = String,
            description = "UTF-8 with a byte-order mark, `;`-separated"),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn outcomes_export(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(params): ApiQuery<OutcomesParams>,
) -> ApiResult<Response> {
    let (program_id, from, to) = program_and_period(&actor, &params)?;
    let report = outcomes_report(&state, program_id, from, to).await?;
    let body = outcomes_csv(&report)?;
    let entry = AccessWrite {
        at: OffsetDateTime::now_utc(),
        user_id: actor.user_id,
        org_id: actor.org_id,
        action: AccessAction::OutcomesExport,
        program_id: Some(program_id),
        participant_id: None,
    };
    state.store.log_access(&[entry]).await?;
    csv_response(body, &format!("utfall-{program_id}-{}-{}.csv", report.from, report.to))
}
