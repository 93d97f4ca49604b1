//! The participant file (`/desk/participant/:id`): the header (name, status,
//! coach, languages, interpreter, exit), placements, an attendance calendar
//! per month, visits, notes, lessons, plan goals and follow-ups (with a form
//! to add one), and per record its history: every version, who, when, from
//! which device and what changed.

use std::collections::{BTreeMap, HashMap};

use serde_json::Value;
use shared::calendar::{YearMonth, is_holiday, iso_weekday, planned_days};
use shared::office::ParticipantFile;
use shared::records::{FOLLOW_UP_MONTHS, FollowUp, FollowUpStatus};
use shared::wire::{MutationStatus, Record, RecordHistory};
use shared::{Kind, RecordData};
use time::Date;
use uuid::Uuid;
use yew::prelude::*;

use super::common::{DeskLink, Load, changed_fields, error_text, field_value_text, status_of, use_loader};
use super::{DeskCtx, DeskRoute, use_desk};
use crate::api::office;
use crate::i18n::{DeskTexts, Texts, format, use_desk_texts, use_texts};
use crate::state::clock;

#[derive(Properties, PartialEq)]
pub struct FileProps {
    pub id: AttrValue,
}

/// Sites of the file by id → employer.
type Sites = HashMap<Uuid, String>;

fn site_name(t: &DeskTexts, sites: &Sites, id: Uuid) -> String {
    sites.get(&id).cloned().unwrap_or_else(|| t.unknown_site.to_owned())
}

/// When a record happened, for ordering (newest first) and display.
fn when(record: &Record, data: Option<&RecordData>) -> (String, String) {
    let moment = match data {
        Some(RecordData::Visit(v)) => Some(v.at.offset_date_time()),
        Some(RecordData::MentorNote(n)) => Some(n.at.offset_date_time()),
        Some(RecordData::Lesson(l)) => Some(l.at.offset_date_time()),
        _ => None,
    };
    match moment {
        Some(m) => (m.unix_timestamp().to_string(), format::date_time(m)),
        None => (record.updated_at.unix_timestamp().to_string(), format::date_time(record.updated_at)),
    }
}

/// What a record says, in a few lines.
fn summary(texts: &Texts, t: &DeskTexts, sites: &Sites, participant: Uuid, data: &RecordData) -> Html {
    match data {
        RecordData::Placement(p) => {
            let end = p.ends_on.map(|d| format::date(d.date()));
            let days: Vec<&str> = p.weekdays.as_slice().iter().map(|d| (texts.weekday_short)(d.get())).collect();
            html! {
                <>
                    <p class="item-title">{ (texts.placement_at)(&site_name(t, sites, p.site_id)) }</p>
                    <p>{ (texts.placement_period)(&format::date(p.starts_on.date()), end.as_deref()) }
                        { " · " }{ days.join(", ") }{ " · " }{ (texts.today_hours)(p.hours_per_day.get()) }</p>
                    if let Some(focus) = &p.focus { <p>{ focus.as_str().to_owned() }</p> }
                </>
            }
        }
        RecordData::Attendance(a) => html! {
            <p class="item-title">{ format::date(a.date.date()) }{ " · " }{ (texts.attendance_label)(a.status) }
                if let Some(h) = a.hours { { " · " }{ (texts.today_hours)(h.get()) } }
                if let Some(note) = &a.note { { " · " }{ note.as_str().to_owned() } }
            </p>
        },
        RecordData::Visit(v) => html! {
            <>
                <p class="item-title">{ (texts.visit_type)(v.visit_type) }
                    if let Some(site_id) = v.site_id { { " · " }{ site_name(t, sites, site_id) } }
                </p>
                if let Some(w) = v.wellbeing { <p>{ (texts.wellbeing_value)(w.get()) }</p> }
                if let Some(note) = &v.note { <p class="item-text">{ note.as_str().to_owned() }</p> }
                if let Some(step) = &v.next_step { <p>{ texts.next_step }{ ": " }{ step.as_str().to_owned() }</p> }
                if let Some(next) = v.next_visit_on { <p>{ (texts.next_visit)(&format::date(next.date())) }</p> }
            </>
        },
        RecordData::MentorNote(n) => html! {
            <>
                <p class="item-title">{ (texts.note_category)(n.category) }</p>
                <p class="item-text">{ n.text.as_str().to_owned() }</p>
            </>
        },
        RecordData::Lesson(l) => {
            let present = l
                .attendees
                .iter()
                .any(|a| a.participant_id == participant && a.status == shared::records::AttendeeStatus::Present);
            html! {
                <>
                    <p class="item-title">{ (texts.lesson_at_site)(&site_name(t, sites, l.site_id)) }{ " · " }
                        { (texts.minutes)(u32::from(l.duration_min.get())) }</p>
                    <p>{ l.topic.as_str().to_owned() }</p>
                    if let Some(words) = &l.vocabulary { <p class="item-text">{ words.as_str().to_owned() }</p> }
                    <p>{ if present { texts.lesson_attended } else { texts.lesson_absent } }</p>
                </>
            }
        }
        RecordData::PlanGoal(g) => html! {
            <>
                <p class="item-title">{ (texts.goal_status)(g.status) }
                    if let Some(target) = g.target_date { { " · " }{ (texts.goal_target)(&format::date(target.date())) } }
                </p>
                <p class="item-text">{ g.text.as_str().to_owned() }</p>
            </>
        },
        RecordData::FollowUp(f) => html! {
            <>
                <p class="item-title">{ (texts.follow_up_months)(f.months_after_exit) }{ " · " }
                    { (texts.follow_up_status)(f.status) }</p>
                if let Some(note) = &f.note { <p class="item-text">{ note.as_str().to_owned() }</p> }
            </>
        },
        RecordData::Participant(_) | RecordData::Site(_) => html! {},
    }
}

#[derive(Properties, PartialEq)]
struct RecordItemProps {
    record: Record,
    #[prop_or_default]
    children: Html,
}

/// One record of the file: its summary, a conflict flag with the way to
/// resolve it, and its history on demand.
#[component]
fn RecordItem(props: &RecordItemProps) -> Html {
    let texts = use_texts();
    let t = use_desk_texts();
    let open = use_state(|| false);
    let record = &props.record;
    let id = record.id.to_string();
    let toggle = {
        let open = open.clone();
        Callback::from(move |_: MouseEvent| open.set(!*open))
    };
    let panel_id = format!("history-{id}");
    html! {
        <li class={classes!("file-record", record.conflict.then_some("has-conflict"))} data-testid="file-record"
            data-record-id={id.clone()} data-kind={record.kind.as_str()}>
            { props.children.clone() }
            <div class="record-actions">
                if record.conflict {
                    <span class="tag tag-conflict" data-testid="conflict-badge">{ texts.conflict_badge }</span>
                    <DeskLink to={DeskRoute::Resolve { id: id.clone() }} class="button small" testid="resolve-conflict"
                        data_record_id={AttrValue::from(id.clone())}>{ t.resolve_link }</DeskLink>
                }
                <button type="button" class="small" data-testid="record-history" data-record-id={id.clone()}
                    aria-expanded={if *open { "true" } else { "false" }} aria-controls={panel_id.clone()} onclick={toggle}>
                    { t.history }</button>
            </div>
            if *open {
                <div id={panel_id}><HistoryPanel record_id={record.id} /></div>
            }
        </li>
    }
}

#[derive(Properties, PartialEq)]
pub struct HistoryProps {
    pub record_id: Uuid,
}

/// Every version of a record, newest first: who, when, device, what changed.
#[component]
pub fn HistoryPanel(props: &HistoryProps) -> Html {
    let texts = use_texts();
    let t = use_desk_texts();
    let ctx = use_desk();
    let loader = use_loader::<RecordHistory>();
    {
        let (ctx, loader) = (ctx.clone(), loader.clone());
        use_effect_with(props.record_id, move |id| {
            if let Some(ctx) = ctx {
                let id = *id;
                loader.run(&ctx, move |token| async move { office::history(&token, id).await });
            }
        });
    }
    let Some(ctx) = ctx else {
        return html! {};
    };
    let history = loader.state.ready().cloned();
    html! {
        <div class="history">
            { status_of("history-status", &loader.state, None) }
            if let Some(history) = history {
                <h3>{ t.history_title }</h3>
                <ol class="history-list" reversed=true>
                    { for history.versions.iter().enumerate().rev().map(|(i, v)| {
                        let previous = i.checked_sub(1).and_then(|p| history.versions.get(p)).map(|p| &p.data);
                        let changes = changed_fields(previous, &v.data);
                        html! {
                            <li class="history-version" data-testid="history-version" data-version={v.version.to_string()}>
                                <p>
                                    <strong>{ (t.version_label)(v.version) }</strong>{ " · " }
                                    { ctx.person_name(v.updated_by) }{ " · " }
                                    <time>{ format::date_time(v.updated_at) }</time>{ " · " }
                                    <span title={v.device_id.to_string()}>{ (t.device_label)(&super::common::short_id(v.device_id)) }</span>
                                    if v.deleted { { " · " }<span class="tag">{ t.deleted }</span> }
                                    if v.conflict { { " · " }<span class="tag tag-conflict">{ texts.conflict_badge }</span> }
                                </p>
                                if previous.is_none() { <p class="muted">{ t.created }</p> }
                                if changes.is_empty() && previous.is_some() { <p class="muted">{ t.no_field_changes }</p> }
                                <ul class="changes">
                                    { for changes.iter().map(|(field, old, new)| html! {
                                        <li>
                                            <code>{ field.clone() }</code>{ ": " }
                                            if previous.is_some() {
                                                <del>{ field_value_text(texts, history.record.kind, field, old.as_ref().unwrap_or(&Value::Null)) }</del>{ " → " }
                                            }
                                            <ins>{ field_value_text(texts, history.record.kind, field, new.as_ref().unwrap_or(&Value::Null)) }</ins>
                                        </li>
                                    }) }
                                </ul>
                            </li>
                        }
                    }) }
                </ol>
                if !history.conflicts.is_empty() {
                    <p class="muted">{ (t.conflict_entries)(history.conflicts.len()) }</p>
                }
            }
        </div>
    }
}

/// One month's attendance as a grid of days coloured by status, with a legend.
fn month_calendar(
    texts: &Texts,
    t: &DeskTexts,
    month: YearMonth,
    marks: &HashMap<Date, &Record>,
    placements: &[(Date, Option<Date>, Vec<u8>)],
) -> Html {
    let today = clock::today();
    let planned: Vec<Date> =
        placements.iter().flat_map(|(start, end, days)| planned_days(days, *start, *end, month)).collect();
    let first = month.first_day();
    let lead = usize::from(iso_weekday(first) - 1);
    let mut cells: Vec<Option<Date>> = vec![None; lead];
    cells.extend(month.days().map(Some));
    while !cells.len().is_multiple_of(7) {
        cells.push(None);
    }
    let title = format!("{} {}", (texts.month_long)(u8::from(month.month)), month.year);
    html! {
        <table class="calendar" data-testid="attendance-calendar" data-month={month.to_string()}>
            <caption>{ title }</caption>
            <thead><tr>
                { for (1..=7).map(|d| html! {
                    <th scope="col" abbr={(texts.weekday_long)(d)}>{ (texts.weekday_short)(d) }</th>
                }) }
            </tr></thead>
            <tbody>
                { for cells.chunks(7).map(|week| html! {
                    <tr>
                        { for week.iter().map(|day| match day {
                            None => html! { <td class="cal-empty"></td> },
                            Some(day) => {
                                let mark = marks.get(day).and_then(|r| {
                                    r.data.get("status").and_then(Value::as_str).and_then(|s| s.parse().ok())
                                });
                                let (class, label) = match mark {
                                    Some(status) => (format!("cal-{}", shared::records::AttendanceStatus::as_str(status)),
                                        (texts.attendance_label)(status).to_owned()),
                                    None if is_holiday(*day) => ("cal-holiday".to_owned(), t.cal_holiday.to_owned()),
                                    None if planned.contains(day) && *day <= today =>
                                        ("cal-unmarked".to_owned(), t.cal_unmarked.to_owned()),
                                    None if planned.contains(day) => ("cal-planned".to_owned(), t.cal_planned.to_owned()),
                                    None => ("cal-none".to_owned(), t.cal_none.to_owned()),
                                };
                                let aria = format!("{}: {label}", format::long_date(texts, *day));
                                let conflict = marks.get(day).is_some_and(|r| r.conflict);
                                html! {
                                    <td class={classes!("cal-day", class, conflict.then_some("cal-conflict"))}
                                        aria-label={aria} title={label} data-date={format::date(*day)}>
                                        { day.day() }
                                        if conflict { <span aria-hidden="true">{ "!" }</span> }
                                    </td>
                                }
                            }
                        }) }
                    </tr>
                }) }
            </tbody>
        </table>
    }
}

fn legend(texts: &Texts, t: &DeskTexts) -> Html {
    use shared::records::AttendanceStatus as S;
    let statuses = [S::Present, S::Late, S::AbsentSick, S::AbsentExcused, S::AbsentUnexcused];
    html! {
        <ul class="legend" aria-label={t.legend}>
            { for statuses.iter().map(|s| html! {
                <li><span class={classes!("swatch", format!("cal-{}", s.as_str()))} aria-hidden="true"></span>
                    { (texts.attendance_label)(*s) }</li>
            }) }
            <li><span class="swatch cal-unmarked" aria-hidden="true"></span>{ t.cal_unmarked }</li>
            <li><span class="swatch cal-planned" aria-hidden="true"></span>{ t.cal_planned }</li>
            <li><span class="swatch cal-holiday" aria-hidden="true"></span>{ t.cal_holiday }</li>
        </ul>
    }
}

#[component]
pub fn FilePage(props: &FileProps) -> Html {
    let texts = use_texts();
    let t = use_desk_texts();
    let ctx = use_desk();
    let loader = use_loader::<ParticipantFile>();
    let refresh = use_state(|| 0_u32);
    let shown = use_mut_ref(|| None::<std::rc::Rc<ParticipantFile>>);
    let id = Uuid::try_parse(&props.id).ok();
    {
        let (ctx, loader) = (ctx.clone(), loader.clone());
        let reload = ctx.as_ref().map(|c| c.reload);
        use_effect_with((id, *refresh, reload), move |(id, _, _)| {
            if let (Some(ctx), Some(id)) = (ctx, *id) {
                loader.run(&ctx, move |token| async move { office::participant_file(&token, id).await });
            }
        });
    }
    let Some(ctx) = ctx else {
        return html! {};
    };
    let Some(id) = id else {
        return html! { <section class="desk-page"><p role="alert">{ texts.participant_not_found }</p></section> };
    };
    let on_saved = {
        let refresh = refresh.clone();
        Callback::from(move |()| refresh.set(*refresh + 1))
    };
    // While the file loads again (after a follow-up was added) the last one stays shown,
    // so the form keeps its result.
    if let Some(ready) = loader.state.ready() {
        *shown.borrow_mut() = Some(ready.clone());
    }
    let file = shown.borrow().clone().filter(|f| f.participant.id == id);
    html! {
        <section class="desk-page file" data-testid="participant-file" data-participant-id={id.to_string()}
            aria-labelledby="file-title">
            <p class="breadcrumb"><DeskLink to={DeskRoute::Participants}>{ t.back_to_register }</DeskLink></p>
            { status_of("file-status", &loader.state, None) }
            if let Some(file) = file {
                { file_body(&ctx, texts, t, &file) }
                <FollowUpForm participant={file.participant.clone()} on_saved={on_saved} />
            } else {
                <h1 id="file-title">{ t.file_title }</h1>
            }
        </section>
    }
}

fn file_body(ctx: &DeskCtx, texts: &Texts, t: &DeskTexts, file: &ParticipantFile) -> Html {
    let sites: Sites = file
        .sites
        .iter()
        .map(|s| (s.id, s.data.get("employer").and_then(Value::as_str).unwrap_or_default().to_owned()))
        .collect();
    let participant_id = file.participant.id;
    let parsed: Vec<(&Record, Option<RecordData>)> =
        file.records.iter().map(|r| (r, RecordData::parse(r.kind, &r.data).ok())).collect();
    let of_kind = |kind: Kind| -> Vec<&(&Record, Option<RecordData>)> {
        let mut list: Vec<_> = parsed.iter().filter(|(r, _)| r.kind == kind).collect();
        list.sort_by_key(|(r, d)| std::cmp::Reverse(when(r, d.as_ref()).0.parse::<i64>().unwrap_or(0)));
        list
    };
    let section = |kind: Kind, title: &'static str| {
        let list = of_kind(kind);
        html! {
            <section class="file-section" aria-label={title}>
                <h2>{ title }{ " " }<span class="count">{ format!("({})", list.len()) }</span></h2>
                if list.is_empty() {
                    <p class="muted">{ t.none_yet }</p>
                } else {
                    <ul class="record-list">
                        { for list.iter().map(|(record, data)| html! {
                            <RecordItem record={(*record).clone()}>
                                <p class="muted">{ when(record, data.as_ref()).1 }{ " · " }
                                    { (t.written_by_short)(&ctx.person_name(record.updated_by)) }</p>
                                if let Some(data) = data { { summary(texts, t, &sites, participant_id, data) } }
                            </RecordItem>
                        }) }
                    </ul>
                }
            </section>
        }
    };

    // Attendance by month, newest month first.
    let placements: Vec<(Date, Option<Date>, Vec<u8>)> = parsed
        .iter()
        .filter_map(|(_, d)| match d {
            Some(RecordData::Placement(p)) => Some((
                p.starts_on.date(),
                p.ends_on.map(|e| e.date()),
                p.weekdays.as_slice().iter().map(|w| w.get()).collect(),
            )),
            _ => None,
        })
        .collect();
    let mut months: BTreeMap<YearMonth, HashMap<Date, &Record>> = BTreeMap::new();
    let mut attendance: Vec<(&Record, Date)> = Vec::new();
    for (record, data) in &parsed {
        if let Some(RecordData::Attendance(a)) = data {
            let day = a.date.date();
            let month = YearMonth { year: day.year(), month: day.month() };
            months.entry(month).or_default().insert(day, record);
            attendance.push((record, day));
        }
    }
    let today = clock::today();
    if !placements.is_empty() {
        months.entry(YearMonth { year: today.year(), month: today.month() }).or_default();
    }
    attendance.sort_by_key(|(_, d)| std::cmp::Reverse(*d));

    let header = header(ctx, texts, t, &file.participant);
    html! {
        <>
            <ul class="record-list file-header">
                <RecordItem record={file.participant.clone()}>{ header }</RecordItem>
            </ul>
            { section(Kind::Placement, t.section_placements) }
            <section class="file-section" aria-labelledby="attendance-title">
                <h2 id="attendance-title">{ t.section_attendance }</h2>
                if months.is_empty() {
                    <p class="muted">{ t.none_yet }</p>
                } else {
                    { legend(texts, t) }
                    <div class="calendars">
                        { for months.iter().rev().map(|(month, marks)| month_calendar(texts, t, *month, marks, &placements)) }
                    </div>
                    <div class="attendance-marks">
                        <h3>{ (t.attendance_marks)(attendance.len()) }</h3>
                        <ul class="record-list">
                            { for attendance.iter().map(|(record, _)| {
                                let data = RecordData::parse(record.kind, &record.data).ok();
                                html! {
                                    <RecordItem record={(*record).clone()}>
                                        <p class="muted">{ (t.written_by_short)(&ctx.person_name(record.updated_by)) }</p>
                                        if let Some(data) = data { { summary(texts, t, &sites, participant_id, &data) } }
                                    </RecordItem>
                                }
                            }) }
                        </ul>
                    </div>
                }
            </section>
            { section(Kind::Visit, t.section_visits) }
            { section(Kind::MentorNote, t.section_notes) }
            { section(Kind::Lesson, t.section_lessons) }
            { section(Kind::PlanGoal, t.section_goals) }
            { section(Kind::FollowUp, t.section_follow_ups) }
        </>
    }
}

fn header(ctx: &DeskCtx, texts: &Texts, t: &DeskTexts, record: &Record) -> Html {
    let Ok(RecordData::Participant(p)) = RecordData::parse(Kind::Participant, &record.data) else {
        let name = record.data.get("display_name").and_then(Value::as_str).unwrap_or_default().to_owned();
        return html! { <h1 id="file-title" data-testid="file-name">{ name }</h1> };
    };
    let languages: Vec<String> = p.languages.iter().map(|l| l.as_str().to_owned()).collect();
    html! {
        <div class="file-head">
            <h1 id="file-title" data-testid="file-name">{ p.display_name.as_str().to_owned() }</h1>
            <dl class="facts">
                <dt>{ texts.status_label }</dt><dd data-testid="file-status-value">{ (texts.participant_status)(p.status) }</dd>
                <dt>{ t.col_coach }</dt>
                <dd>{ p.coach_id.map(|id| ctx.person_name(id)).unwrap_or_else(|| "–".to_owned()) }</dd>
                <dt>{ t.col_program }</dt><dd>{ ctx.program_name(record.program_id) }</dd>
                <dt>{ texts.languages_label }</dt>
                <dd>{ if languages.is_empty() { "–".to_owned() } else { languages.join(", ") } }</dd>
                <dt>{ t.interpreter }</dt><dd>{ if p.needs_interpreter { t.yes } else { t.no } }</dd>
                <dt>{ t.col_started }</dt><dd>{ format::date(p.started_on.date()) }</dd>
                if let Some(exit) = &p.exit {
                    <dt>{ t.col_exit }</dt>
                    <dd data-testid="file-exit">{ format::date(exit.date.date()) }{ " · " }{ (t.outcome_name)(exit.outcome.as_str()) }
                        if let Some(reason) = &exit.reason { { " · " }{ reason.as_str().to_owned() } }
                    </dd>
                }
            </dl>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct FollowUpFormProps {
    participant: Record,
    on_saved: Callback<()>,
}

/// Adds a follow-up (3 or 6 months after exit): a `follow_up` record pushed straight to the server.
#[component]
fn FollowUpForm(props: &FollowUpFormProps) -> Html {
    let texts = use_texts();
    let t = use_desk_texts();
    let ctx = use_desk();
    let months = use_state(|| "3".to_owned());
    let status = use_state(|| FollowUpStatus::Job.as_str().to_owned());
    let note = use_state(String::new);
    let result = use_state(|| Load::<String>::Idle);
    let rejected = use_state(|| false);
    let Some(ctx) = ctx else {
        return html! {};
    };
    let onsubmit = {
        let (ctx, months, status, note, result, rejected, participant, on_saved) = (
            ctx.clone(),
            months.clone(),
            status.clone(),
            note.clone(),
            result.clone(),
            rejected.clone(),
            props.participant.clone(),
            props.on_saved.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if matches!(*result, Load::Loading) {
                return;
            }
            let mut data = serde_json::json!({
                "participant_id": participant.id,
                "months_after_exit": months.parse::<u8>().unwrap_or(3),
                "status": *status,
            });
            if !note.trim().is_empty() {
                data["note"] = Value::from(note.trim());
            }
            let data = match FollowUp::parse(&data) {
                Ok(f) => f.to_value(),
                Err(err) => {
                    rejected.set(true);
                    result.set(Load::Failed(format!("{}: {}", err.field, err.message)));
                    return;
                }
            };
            result.set(Load::Loading);
            let (ctx, result, rejected, note, on_saved, program_id) =
                (ctx.clone(), result.clone(), rejected.clone(), note.clone(), on_saved.clone(), participant.program_id);
            wasm_bindgen_futures::spawn_local(async move {
                let id = crate::repo::new_record_id();
                match ctx.session.push_direct(id, Kind::FollowUp, program_id, None, data).await {
                    Ok(r) if r.status != MutationStatus::Rejected => {
                        rejected.set(false);
                        note.set(String::new());
                        result.set(Load::Ready(std::rc::Rc::new(ctx.lang.desk().follow_up_saved.to_owned())));
                        on_saved.emit(());
                    }
                    Ok(r) => {
                        rejected.set(true);
                        result.set(Load::Failed(r.error.map(|e| e.message).unwrap_or_default()));
                    }
                    Err(err) => {
                        rejected.set(true);
                        result.set(Load::Failed(error_text(ctx.lang.desk(), &err)));
                        ctx.on_error.emit(err);
                    }
                }
            });
        })
    };
    let month_options: Vec<(AttrValue, AttrValue)> = FOLLOW_UP_MONTHS
        .iter()
        .map(|m| (AttrValue::from(m.to_string()), AttrValue::from((texts.follow_up_months)(*m))))
        .collect();
    let status_options: Vec<(AttrValue, AttrValue)> =
        [FollowUpStatus::Job, FollowUpStatus::Studies, FollowUpStatus::Other, FollowUpStatus::Unknown]
            .into_iter()
            .map(|s| (AttrValue::from(s.as_str()), AttrValue::from((texts.follow_up_status)(s))))
            .collect();
    let (text, state) = match &*result {
        Load::Idle => (String::new(), "idle"),
        Load::Loading => (texts.saving.to_owned(), "loading"),
        Load::Ready(message) => ((**message).clone(), "applied"),
        Load::Failed(message) => (message.clone(), "rejected"),
    };
    html! {
        <form class="desk-form follow-up-form" onsubmit={onsubmit} aria-labelledby="follow-up-title" novalidate=true>
            <h2 id="follow-up-title">{ t.add_follow_up }</h2>
            <div class="form-row">
                <div class="field">
                    <label for="followup-months">{ t.follow_up_months_label }</label>
                    <select id="followup-months" data-testid="followup-months" onchange={super::common::setter(&months)}>
                        { super::common::options(None, &month_options, &months) }
                    </select>
                </div>
                <div class="field">
                    <label for="followup-status">{ texts.status_label }</label>
                    <select id="followup-status" data-testid="followup-status" onchange={super::common::setter(&status)}>
                        { super::common::options(None, &status_options, &status) }
                    </select>
                </div>
            </div>
            <div class="field">
                <label for="followup-note">{ texts.note_label }<span class="optional">{ format!(" ({})", texts.optional) }</span></label>
                <textarea id="followup-note" data-testid="followup-note" rows="3" value={(*note).clone()}
                    oninput={super::common::input_setter(&note)} />
            </div>
            <button type="submit" class="primary" data-testid="followup-save" disabled={matches!(*result, Load::Loading)}>
                { texts.save }</button>
            <p class={classes!("desk-status", rejected.then_some("desk-status-error"))} role="status" aria-live="polite"
                data-testid="followup-result" data-status={state}>{ text }</p>
        </form>
    }
}
