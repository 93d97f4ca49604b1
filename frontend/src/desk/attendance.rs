//! The monthly attendance report (`/desk/reports/attendance`): a program and
//! a month, one row per participant and placement (planned days, present,
//! late, absences by reason, unmarked, hours of planned hours), the totals,
//! the month's holidays; printable (A4, see style.css) and exported as CSV.

use shared::office::{AttendanceCounts, AttendanceReport};
use yew::prelude::*;

use super::common::{
    DeskLink, Load, PAGE, Pager, download, error_text, options, setter, status_of, this_month, use_loader,
};
use super::{DeskRoute, use_desk};
use crate::api::office::{self, Query};
use crate::i18n::{DeskTexts, format, use_desk_texts};

/// Prints the page (the print stylesheet keeps only the report).
pub fn print() {
    if let Some(window) = web_sys::window() {
        let _ = window.print();
    }
}

fn cells(c: &AttendanceCounts) -> Html {
    html! {
        <>
            <td class="num" data-testid="cell-planned">{ c.planned_days }</td>
            <td class="num" data-testid="cell-present">{ c.present }</td>
            <td class="num" data-testid="cell-late">{ c.late }</td>
            <td class="num" data-testid="cell-absent-sick">{ c.absent_sick }</td>
            <td class="num" data-testid="cell-absent-excused">{ c.absent_excused }</td>
            <td class="num" data-testid="cell-absent-unexcused">{ c.absent_unexcused }</td>
            <td class="num" data-testid="cell-unmarked">{ c.unmarked }</td>
            <td class="num" data-testid="cell-hours">{ format!("{} / {}", format::hours(c.hours), format::hours(c.planned_hours)) }</td>
        </>
    }
}

fn table(t: &DeskTexts, report: &AttendanceReport, caption: String) -> Html {
    html! {
        <div class="table-wrap">
            <table class="desk-table report-table" data-testid="attendance-table">
                <caption>{ caption }</caption>
                <thead><tr>
                    <th scope="col">{ t.col_participant }</th>
                    <th scope="col">{ t.col_site }</th>
                    <th scope="col" class="num">{ t.col_planned }</th>
                    <th scope="col" class="num">{ t.col_present }</th>
                    <th scope="col" class="num">{ t.col_late }</th>
                    <th scope="col" class="num">{ t.col_absent_sick }</th>
                    <th scope="col" class="num">{ t.col_absent_excused }</th>
                    <th scope="col" class="num">{ t.col_absent_unexcused }</th>
                    <th scope="col" class="num">{ t.col_unmarked }</th>
                    <th scope="col" class="num">{ t.col_hours }</th>
                </tr></thead>
                <tbody>
                    { for report.rows.iter().map(|row| html! {
                        <tr data-testid="attendance-row" data-participant-id={row.participant_id.to_string()}
                            data-placement-id={row.placement_id.to_string()}>
                            <th scope="row">
                                <DeskLink to={DeskRoute::Participant { id: row.participant_id.to_string() }}>
                                    { row.participant_name.clone() }</DeskLink>
                            </th>
                            <td>{ row.site_name.clone() }</td>
                            { cells(&row.counts) }
                        </tr>
                    }) }
                    <tr class="totals" data-testid="attendance-totals">
                        <th scope="row" colspan="2">{ (t.totals_label)(report.total_rows) }</th>
                        { cells(&report.totals) }
                    </tr>
                </tbody>
            </table>
        </div>
    }
}

#[component]
pub fn AttendancePage() -> Html {
    let t = use_desk_texts();
    let ctx = use_desk();
    let program = use_state(String::new);
    let month = use_state(this_month);
    let offset = use_state(|| 0_i64);
    // What the shown report was asked for (a run takes the form's values).
    let asked = use_state(|| None::<(String, String, u32)>);
    let loader = use_loader::<AttendanceReport>();
    let export = use_state(|| Load::<()>::Idle);

    // The first program, once the directory is there.
    {
        let program = program.clone();
        let first = ctx.as_ref().and_then(|c| c.program_options().first().map(|(id, _)| id.to_string()));
        use_effect_with(first, move |first| {
            if program.is_empty()
                && let Some(first) = first
            {
                program.set(first.clone());
            }
        });
    }
    // Runs when the form is submitted (and at first, with the defaults) and on a page change.
    {
        let (ctx, loader) = (ctx.clone(), loader.clone());
        let reload = ctx.as_ref().map(|c| c.reload);
        use_effect_with(((*asked).clone(), *offset, reload), move |(asked, offset, _)| {
            if let (Some(ctx), Some((program, month, _))) = (ctx, asked) {
                let query = Query::new()
                    .with("program_id", program)
                    .with("month", month)
                    .with("limit", PAGE)
                    .with("offset", offset);
                loader.run(&ctx, move |token| async move { office::attendance_report(&token, &query).await });
            }
        });
    }
    {
        let (asked, program, month) = (asked.clone(), (*program).clone(), (*month).clone());
        use_effect_with(program.clone(), move |_| {
            if asked.is_none() && !program.is_empty() {
                asked.set(Some((program, month, 0)));
            }
        });
    }
    let Some(ctx) = ctx else {
        return html! {};
    };

    let on_run = {
        let (asked, program, month, offset) = (asked.clone(), program.clone(), month.clone(), offset.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            // Every run fetches again, even with the same values.
            let n = asked.as_ref().map_or(0, |a| a.2 + 1);
            offset.set(0);
            asked.set(Some(((*program).clone(), (*month).trim().to_owned(), n)));
        })
    };
    let on_export = {
        let (ctx, asked, program, month, export) =
            (ctx.clone(), asked.clone(), program.clone(), month.clone(), export.clone());
        Callback::from(move |_: MouseEvent| {
            let (program, month) = (*asked)
                .clone()
                .filter(|(p, _, _)| !p.is_empty())
                .map(|(p, m, _)| (p, m))
                .unwrap_or(((*program).clone(), (*month).trim().to_owned()));
            let t = ctx.lang.desk();
            let token = match ctx.token() {
                Ok(token) => token,
                Err(err) => return export.set(Load::Failed(error_text(t, &err))),
            };
            export.set(Load::Loading);
            let (ctx, export) = (ctx.clone(), export.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let query = Query::new().with("program_id", &program).with("month", &month);
                let result = office::attendance_export(&token, &query).await.and_then(|bytes| {
                    download(&bytes, &format!("narvaro-{program}-{month}.csv"), "text/csv;charset=utf-8")
                });
                match result {
                    Ok(()) => export.set(Load::Ready(std::rc::Rc::new(()))),
                    Err(err) => {
                        export.set(Load::Failed(error_text(t, &err)));
                        ctx.on_error.emit(err);
                    }
                }
            });
        })
    };
    let on_page = {
        let offset = offset.clone();
        Callback::from(move |o: i64| offset.set(o))
    };
    let on_print = Callback::from(|_: MouseEvent| print());
    let report = loader.state.ready().cloned();
    let export_text = match &*export {
        Load::Loading => t.exporting.to_owned(),
        Load::Ready(_) => t.exported.to_owned(),
        Load::Failed(message) => message.clone(),
        Load::Idle => String::new(),
    };

    html! {
        <section class="desk-page report" aria-labelledby="attendance-title">
            <h1 id="attendance-title">{ t.attendance_title }</h1>
            <form class="filters no-print" onsubmit={on_run}>
                <div class="field">
                    <label for="report-program">{ t.col_program }</label>
                    <select id="report-program" data-testid="report-program" onchange={setter(&program)}>
                        { options(None, &ctx.program_options(), &program) }
                    </select>
                </div>
                <div class="field">
                    <label for="report-month">{ t.month_label }</label>
                    <input id="report-month" type="month" data-testid="report-month" value={(*month).clone()}
                        onchange={setter(&month)} oninput={super::common::input_setter(&month)}
                        placeholder="YYYY-MM" pattern="[0-9]{4}-[0-9]{2}" />
                </div>
                <div class="field field-button">
                    <button type="submit" class="primary" data-testid="report-run">{ t.run_report }</button>
                </div>
            </form>
            { status_of("report-status", &loader.state, report.as_ref().map(|r| (t.rows_ready)(r.total_rows))) }
            if let Some(report) = report {
                <div class="report-actions no-print">
                    <button type="button" data-testid="report-print" onclick={on_print}>{ t.print }</button>
                    <button type="button" data-testid="report-export-csv" onclick={on_export}
                        disabled={matches!(*export, Load::Loading)}>{ t.export_csv }</button>
                    <span class="desk-status" role="status" aria-live="polite" data-testid="report-export-status"
                        data-state={export.state()}>{ export_text }</span>
                </div>
                <p class="print-only report-heading">{ format!("{} · {} · {}", t.attendance_title,
                    ctx.program_name(report.program_id), report.month) }</p>
                <p data-testid="report-holidays">
                    if report.holidays.is_empty() { { t.no_holidays } }
                    else { { t.holidays_label }{ ": " }{ report.holidays.join(", ") } }
                </p>
                { table(t, &report, format!("{} · {}", ctx.program_name(report.program_id), report.month)) }
                <div class="no-print">
                    <Pager total={report.total_rows} offset={*offset} on_change={on_page} />
                </div>
            }
        </section>
    }
}
