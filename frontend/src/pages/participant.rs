//! A participant's page: who they are, their open goals, everything about
//! them newest first (conflicts flagged), and buttons to add to it.

use shared::records::{AttendeeStatus, GoalStatus};
use shared::{Kind, RecordData};
use uuid::Uuid;
use yew::prelude::*;

use crate::app::Route;
use crate::components::RouteLink;
use crate::i18n::{Texts, format, use_texts};
use crate::pages::form::save;
use crate::repo::LocalRecord;
use crate::state::{Ctx, queries, use_ctx};

#[derive(Properties, PartialEq)]
pub struct ParticipantProps {
    pub id: AttrValue,
}

/// The date/time line of a timeline item.
fn when(record: &LocalRecord) -> String {
    match &record.data {
        RecordData::Visit(v) => format::date_time(v.at.offset_date_time()),
        RecordData::MentorNote(n) => format::date_time(n.at.offset_date_time()),
        RecordData::Lesson(l) => format::date_time(l.at.offset_date_time()),
        RecordData::Attendance(a) => format::date(a.date.date()),
        RecordData::Placement(p) => format::date(p.starts_on.date()),
        RecordData::PlanGoal(_) | RecordData::FollowUp(_) | RecordData::Participant(_) | RecordData::Site(_) => {
            record.updated_at.map(format::date_time).unwrap_or_default()
        }
    }
}

/// What a timeline item says, in a few lines.
fn body(texts: &Texts, records: &[LocalRecord], record: &LocalRecord, participant: Uuid) -> Html {
    let site = |id: Uuid| queries::site_name(records, id).unwrap_or_else(|| texts.unknown_site.to_owned());
    match &record.data {
        RecordData::Visit(v) => html! {
            <>
                <p class="item-title">{ (texts.visit_type)(v.visit_type) }
                    if let Some(site_id) = v.site_id { { " · " }{ site(site_id) } }
                </p>
                if let Some(w) = v.wellbeing { <p>{ (texts.wellbeing_value)(w.get()) }</p> }
                if let Some(note) = &v.note { <p class="item-text">{ note.as_str().to_owned() }</p> }
                if let Some(step) = &v.next_step { <p>{ texts.next_step }{ ": " }{ step.as_str().to_owned() }</p> }
                if let Some(next) = v.next_visit_on { <p>{ (texts.next_visit)(&format::date(next.date())) }</p> }
            </>
        },
        RecordData::Attendance(a) => html! {
            <p class="item-title">{ (texts.attendance_label)(a.status) }
                if let Some(h) = a.hours { { " · " }{ (texts.today_hours)(h.get()) } }
            </p>
        },
        RecordData::MentorNote(n) => html! {
            <>
                <p class="item-title">{ (texts.note_category)(n.category) }</p>
                <p class="item-text">{ n.text.as_str().to_owned() }</p>
            </>
        },
        RecordData::Lesson(l) => {
            let status = l.attendees.iter().find(|a| a.participant_id == participant).map(|a| a.status);
            html! {
                <>
                    <p class="item-title">{ (texts.lesson_at_site)(&site(l.site_id)) }{ " · " }
                        { (texts.minutes)(u32::from(l.duration_min.get())) }</p>
                    <p>{ l.topic.as_str().to_owned() }</p>
                    if let Some(words) = &l.vocabulary { <p class="item-text">{ words.as_str().to_owned() }</p> }
                    <p>{ if status == Some(AttendeeStatus::Present) { texts.lesson_attended } else { texts.lesson_absent } }</p>
                </>
            }
        }
        RecordData::PlanGoal(g) => html! {
            <>
                <p class="item-title">{ (texts.goal_status)(g.status) }</p>
                <p class="item-text">{ g.text.as_str().to_owned() }</p>
                if let Some(target) = g.target_date { <p>{ (texts.goal_target)(&format::date(target.date())) }</p> }
            </>
        },
        RecordData::Placement(p) => {
            let end = p.ends_on.map(|d| format::date(d.date()));
            let days: Vec<&str> = p.weekdays.as_slice().iter().map(|d| (texts.weekday_short)(d.get())).collect();
            html! {
                <>
                    <p class="item-title">{ (texts.placement_at)(&site(p.site_id)) }</p>
                    <p>{ (texts.placement_period)(&format::date(p.starts_on.date()), end.as_deref()) }</p>
                    <p>{ days.join(", ") }{ " · " }{ (texts.today_hours)(p.hours_per_day.get()) }</p>
                    if let Some(focus) = &p.focus { <p>{ focus.as_str().to_owned() }</p> }
                </>
            }
        }
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

/// Marks an open goal done.
fn complete_goal(ctx: &Ctx, record: &LocalRecord) {
    let RecordData::PlanGoal(goal) = &record.data else {
        return;
    };
    let mut value = goal.to_value();
    value["status"] = serde_json::Value::from(GoalStatus::Done.as_str());
    let Ok(data) = RecordData::parse(Kind::PlanGoal, &value) else {
        return;
    };
    let (ctx, program_id, id) = (ctx.clone(), record.program_id, record.id);
    wasm_bindgen_futures::spawn_local(async move {
        let _ = save(&ctx, program_id, id, data).await;
    });
}

#[component]
pub fn ParticipantPage(props: &ParticipantProps) -> Html {
    let texts = use_texts();
    let ctx = use_ctx();
    let Some(ctx) = ctx else {
        return html! {};
    };
    let records = ctx.records.list.clone();
    let found = Uuid::try_parse(&props.id).ok().and_then(|id| queries::participant(&records, id));
    let Some((record, person)) = found else {
        return html! {
            <section>
                <p class="notice">{ if ctx.records.loaded { texts.participant_not_found } else { texts.booting } }</p>
            </section>
        };
    };
    let pid = record.id;
    let query = format!("participant={pid}");
    let languages: Vec<&str> = person.languages.iter().map(|l| l.as_str()).collect();
    let goals = queries::open_goals(&records, pid);
    let timeline = queries::timeline(&records, pid);
    let may = |kind: Kind| ctx.may_write(kind);

    html! {
        <article class="participant" aria-labelledby="participant-name">
            <h1 id="participant-name" data-testid="participant-name">{ person.display_name.as_str().to_owned() }</h1>
            <dl class="facts">
                if !languages.is_empty() {
                    <div><dt>{ texts.languages_label }</dt><dd>{ languages.join(", ") }</dd></div>
                }
                <div><dt>{ texts.status_label }</dt><dd>{ (texts.participant_status)(person.status) }</dd></div>
                if person.needs_interpreter {
                    <div><dt class="visually-hidden">{ texts.interpreter_needed }</dt>
                        <dd class="tag">{ texts.interpreter_needed }</dd></div>
                }
            </dl>
            <div class="actions">
                if may(Kind::Visit) {
                    <RouteLink to={Route::NewVisit} query={query.clone()} testid="participant-add-visit" class="button primary">
                        { texts.add_visit }</RouteLink>
                }
                if may(Kind::MentorNote) {
                    <RouteLink to={Route::NewNote} query={query.clone()} testid="participant-add-note" class="button">
                        { texts.add_note }</RouteLink>
                }
                if may(Kind::PlanGoal) {
                    <RouteLink to={Route::NewGoal} query={query.clone()} testid="participant-add-goal" class="button">
                        { texts.add_goal }</RouteLink>
                }
                if may(Kind::Placement) {
                    <RouteLink to={Route::NewPlacement} query={query.clone()} testid="participant-add-placement" class="button">
                        { texts.add_placement }</RouteLink>
                }
            </div>
            <section aria-labelledby="goals-title">
                <h2 id="goals-title">{ texts.goals_title }</h2>
                if goals.is_empty() { <p class="muted">{ texts.goals_empty }</p> }
                <ul class="goals">
                    { for goals.iter().map(|goal| {
                        let text = match &goal.data { RecordData::PlanGoal(g) => g.text.as_str().to_owned(), _ => String::new() };
                        let onclick = {
                            let (ctx, goal) = (ctx.clone(), (*goal).clone());
                            Callback::from(move |_: MouseEvent| complete_goal(&ctx, &goal))
                        };
                        html! {
                            <li class="goal" data-record-id={goal.id.to_string()}>
                                <span>{ text }</span>
                                if may(Kind::PlanGoal) {
                                    <button type="button" class="goal-done" data-testid="goal-complete" onclick={onclick}>
                                        { texts.goal_complete }</button>
                                }
                            </li>
                        }
                    }) }
                </ul>
            </section>
            <section aria-labelledby="timeline-title">
                <h2 id="timeline-title">{ texts.timeline_title }</h2>
                if timeline.is_empty() { <p class="muted">{ texts.timeline_empty }</p> }
                <ol class="timeline">
                    { for timeline.iter().map(|item| html! {
                        <li class={classes!("timeline-item", item.conflict.then_some("conflict"))} data-testid="timeline-item"
                            data-kind={item.kind.as_str()} data-record-id={item.id.to_string()}>
                            <div class="item-head">
                                <span class="kind">{ (texts.kind_name)(item.kind) }</span>
                                <time>{ when(item) }</time>
                            </div>
                            { body(texts, &records, item, pid) }
                            if item.conflict || item.pending {
                                <p class="badges">
                                    if item.conflict { <span class="badge badge-conflict" data-testid="conflict-badge">{ texts.conflict_badge }</span> }
                                    if item.pending { <span class="badge badge-pending">{ texts.pending_badge }</span> }
                                </p>
                            }
                        </li>
                    }) }
                </ol>
            </section>
        </article>
    }
}
