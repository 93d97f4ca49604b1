//! Outcomes (`/desk/reports/outcomes`): of those who left a program in a
//! period, the share to work, studies and other, the median days to exit and
//! the follow-ups at 3 and 6 months; a bar chart as inline SVG; CSV export.

use shared::office::{OutcomeCount, OutcomesReport};
use yew::prelude::*;

use super::common::{Load, download, error_text, options, setter, status_of, use_loader};
use super::use_desk;
use crate::api::office::{self, Query};
use crate::i18n::{DeskTexts, format, use_desk_texts, use_texts};
use crate::state::clock;

fn outcome<'a>(report: &'a OutcomesReport, name: &str) -> Option<&'a OutcomeCount> {
    report.by_outcome.iter().find(|o| o.outcome == name)
}

/// "37 % arbete, 33 % studier, 30 % annat".
fn sentence(t: &DeskTexts, report: &OutcomesReport) -> String {
    report
        .by_outcome
        .iter()
        .map(|o| format!("{} % {}", o.percent, (t.outcome_name)(&o.outcome).to_lowercase()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Horizontal bars, one per outcome, labelled with count and percent.
fn chart(t: &DeskTexts, report: &OutcomesReport) -> Html {
    const WIDTH: i64 = 600;
    const LABEL: i64 = 110;
    const BAR_H: i64 = 36;
    const GAP: i64 = 14;
    let n = i64::try_from(report.by_outcome.len()).unwrap_or(0);
    let height = n * (BAR_H + GAP) + GAP;
    let span = WIDTH - LABEL - 110;
    let label = format!("{} ({})", sentence(t, report), (t.exited_count)(report.exited));
    html! {
        <svg class="outcomes-chart" data-testid="outcomes-chart" role="img" aria-label={label.clone()}
            viewBox={format!("0 0 {WIDTH} {height}")} width="100%" preserveAspectRatio="xMinYMin meet">
            <title>{ label }</title>
            { for report.by_outcome.iter().enumerate().map(|(i, o)| {
                let y = GAP + i64::try_from(i).unwrap_or(0) * (BAR_H + GAP);
                let w = (span * o.percent.clamp(0, 100)) / 100;
                html! {
                    <g class={format!("bar bar-{}", o.outcome)}>
                        <text x="0" y={(y + BAR_H / 2 + 6).to_string()} class="bar-label">{ (t.outcome_name)(&o.outcome) }</text>
                        <rect x={LABEL.to_string()} y={y.to_string()} width={w.max(1).to_string()} height={BAR_H.to_string()} rx="3" />
                        <text x={(LABEL + w + 8).to_string()} y={(y + BAR_H / 2 + 6).to_string()} class="bar-value">
                            { format!("{} % ({})", o.percent, o.count) }</text>
                    </g>
                }
            }) }
        </svg>
    }
}

#[component]
pub fn OutcomesPage() -> Html {
    let texts = use_texts();
    let t = use_desk_texts();
    let ctx = use_desk();
    let today = clock::today();
    let program = use_state(String::new);
    let from = use_state(|| format!("{:04}-01-01", today.year()));
    let to = use_state(|| format::date(today));
    let asked = use_state(|| None::<(String, String, String, u32)>);
    let loader = use_loader::<OutcomesReport>();
    let export = use_state(|| Load::<()>::Idle);

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
    {
        let (asked, program, from, to) = (asked.clone(), (*program).clone(), (*from).clone(), (*to).clone());
        use_effect_with(program.clone(), move |_| {
            if asked.is_none() && !program.is_empty() {
                asked.set(Some((program, from, to, 0)));
            }
        });
    }
    {
        let (ctx, loader) = (ctx.clone(), loader.clone());
        let reload = ctx.as_ref().map(|c| c.reload);
        use_effect_with(((*asked).clone(), reload), move |(asked, _)| {
            if let (Some(ctx), Some((program, from, to, _))) = (ctx, asked) {
                let query = Query::new().with("program_id", program).with("from", from).with("to", to);
                loader.run(&ctx, move |token| async move { office::outcomes_report(&token, &query).await });
            }
        });
    }
    let Some(ctx) = ctx else {
        return html! {};
    };

    let on_run = {
        let (asked, program, from, to) = (asked.clone(), program.clone(), from.clone(), to.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            // Every run fetches again, even with the same values.
            let n = asked.as_ref().map_or(0, |a| a.3 + 1);
            asked.set(Some(((*program).clone(), (*from).clone(), (*to).clone(), n)));
        })
    };
    let on_export = {
        let (ctx, asked, export) = (ctx.clone(), asked.clone(), export.clone());
        let current = ((*program).clone(), (*from).clone(), (*to).clone());
        Callback::from(move |_: MouseEvent| {
            let (program, from, to) = (*asked).clone().map(|(p, f, t, _)| (p, f, t)).unwrap_or(current.clone());
            let t = ctx.lang.desk();
            let token = match ctx.token() {
                Ok(token) => token,
                Err(err) => return export.set(Load::Failed(error_text(t, &err))),
            };
            export.set(Load::Loading);
            let (ctx, export) = (ctx.clone(), export.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let query = Query::new().with("program_id", &program).with("from", &from).with("to", &to);
                let result = office::outcomes_export(&token, &query).await.and_then(|bytes| {
                    download(&bytes, &format!("utfall-{program}-{from}-{to}.csv"), "text/csv;charset=utf-8")
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
    let report = loader.state.ready().cloned();
    let export_text = match &*export {
        Load::Loading => t.exporting.to_owned(),
        Load::Ready(_) => t.exported.to_owned(),
        Load::Failed(message) => message.clone(),
        Load::Idle => String::new(),
    };
    let figure = |report: &OutcomesReport, name: &'static str, testid: &'static str| {
        let (count, percent) = outcome(report, name).map_or((0, 0), |o| (o.count, o.percent));
        html! {
            <li data-testid={testid} data-count={count.to_string()} data-percent={percent.to_string()}>
                <span class="figure-name">{ (t.outcome_name)(name) }</span>
                <span class="figure-value">{ format!("{percent} %") }</span>
                <span class="figure-count">{ (t.people_count)(count) }</span>
            </li>
        }
    };

    html! {
        <section class="desk-page report outcomes" aria-labelledby="outcomes-title">
            <h1 id="outcomes-title">{ t.outcomes_title }</h1>
            <form class="filters no-print" onsubmit={on_run}>
                <div class="field">
                    <label for="outcomes-program">{ t.col_program }</label>
                    <select id="outcomes-program" data-testid="outcomes-program" onchange={setter(&program)}>
                        { options(None, &ctx.program_options(), &program) }
                    </select>
                </div>
                <div class="field">
                    <label for="outcomes-from">{ t.from_label }</label>
                    <input id="outcomes-from" type="date" data-testid="outcomes-from" value={(*from).clone()}
                        onchange={setter(&from)} oninput={super::common::input_setter(&from)} />
                </div>
                <div class="field">
                    <label for="outcomes-to">{ t.to_label }</label>
                    <input id="outcomes-to" type="date" data-testid="outcomes-to" value={(*to).clone()}
                        onchange={setter(&to)} oninput={super::common::input_setter(&to)} />
                </div>
                <div class="field field-button">
                    <button type="submit" class="primary" data-testid="outcomes-run">{ t.run_report }</button>
                </div>
            </form>
            { status_of("outcomes-status", &loader.state, report.as_ref().map(|r| (t.exited_count)(r.exited))) }
            if let Some(report) = report {
                <div class="report-actions no-print">
                    <button type="button" data-testid="outcomes-print" onclick={Callback::from(|_: MouseEvent| super::attendance::print())}>
                        { t.print }</button>
                    <button type="button" data-testid="outcomes-export-csv" onclick={on_export}
                        disabled={matches!(*export, Load::Loading)}>{ t.export_csv }</button>
                    <span class="desk-status" role="status" aria-live="polite" data-testid="outcomes-export-status"
                        data-state={export.state()}>{ export_text }</span>
                </div>
                <p class="print-only report-heading">{ format!("{} · {} · {} – {}", t.outcomes_title,
                    ctx.program_name(report.program_id), report.from, report.to) }</p>
                <p class="lead" data-testid="outcomes-summary">
                    { (t.exited_of)(report.exited) }{ " " }{ sentence(t, &report) }</p>
                <ul class="figures">
                    { figure(&report, "job", "outcome-job") }
                    { figure(&report, "studies", "outcome-studies") }
                    { figure(&report, "other", "outcome-other") }
                </ul>
                { chart(t, &report) }
                <p data-testid="outcomes-median">
                    { t.median_label }{ ": " }
                    { report.median_days_to_exit.map_or_else(|| "–".to_owned(), |d| (t.days)(d)) }
                </p>
                <h2>{ t.follow_ups_title }</h2>
                <div class="table-wrap">
                    <table class="desk-table">
                        <caption class="visually-hidden">{ t.follow_ups_title }</caption>
                        <thead><tr>
                            <th scope="col">{ t.follow_up_months_label }</th>
                            <th scope="col" class="num">{ t.due }</th>
                            { for [
                                shared::records::FollowUpStatus::Job, shared::records::FollowUpStatus::Studies,
                                shared::records::FollowUpStatus::Other, shared::records::FollowUpStatus::Unknown,
                            ].iter().map(|s| html! { <th scope="col" class="num">{ (texts.follow_up_status)(*s) }</th> }) }
                            <th scope="col" class="num">{ t.missing }</th>
                        </tr></thead>
                        <tbody>
                            { for report.follow_ups.iter().map(|f| html! {
                                <tr data-testid="follow-up-row" data-months={f.months_after_exit.to_string()}>
                                    <th scope="row">{ (texts.follow_up_months)(u8::try_from(f.months_after_exit).unwrap_or(0)) }</th>
                                    <td class="num" data-testid="follow-up-due">{ f.due }</td>
                                    { for ["job", "studies", "other", "unknown"].iter().map(|s| html! {
                                        <td class="num" data-testid={format!("follow-up-{s}")}>
                                            { f.by_status.iter().find(|c| c.status == *s).map_or(0, |c| c.count) }</td>
                                    }) }
                                    <td class="num" data-testid="follow-up-missing">{ f.missing }</td>
                                </tr>
                            }) }
                        </tbody>
                    </table>
                </div>
            }
        </section>
    }
}
