//! Today: my participants with a placement today, grouped by site, with
//! one-tap attendance (hours prefilled from the placement), the last visit,
//! and the way into the visit form.

use std::collections::HashSet;
use std::rc::Rc;

use serde_json::Value;
use shared::records::AttendanceStatus;
use shared::{Kind, RecordData};
use uuid::Uuid;
use yew::prelude::*;

use crate::app::Route;
use crate::components::RouteLink;
use crate::i18n::{format, use_texts};
use crate::pages::form::{object, save};
use crate::repo::attendance_record_id;
use crate::state::queries::{self, TodayRow};
use crate::state::{Ctx, clock, use_ctx};

/// The attendance record's `data` for tapping `status` on `row` today,
/// keeping a note already written on that day.
fn attendance_data(ctx: &Ctx, row: &TodayRow, status: AttendanceStatus, day: time::Date) -> Option<RecordData> {
    let id = attendance_record_id(row.placement_id, day);
    let note = ctx.records.list.iter().find(|r| r.id == id).and_then(|r| match &r.data {
        RecordData::Attendance(a) => a.note.as_ref().map(|n| n.as_str().to_owned()),
        _ => None,
    });
    let hours = if status.attended() { Value::from(row.hours_per_day) } else { Value::Null };
    let data = object(vec![
        ("placement_id", Value::from(row.placement_id.to_string())),
        ("participant_id", Value::from(row.participant_id.to_string())),
        ("date", Value::from(format::date(day))),
        ("status", Value::from(status.as_str())),
        ("hours", hours),
        ("note", note.map(Value::from).unwrap_or(Value::Null)),
    ]);
    RecordData::parse(Kind::Attendance, &data).ok()
}

/// Which rows' attendance writes are in flight, and which completed here.
#[derive(Default, PartialEq)]
struct Rows {
    busy: HashSet<Uuid>,
    saved: HashSet<Uuid>,
}

enum RowAction {
    Start(Uuid),
    Done { placement: Uuid, ok: bool },
}

impl Reducible for Rows {
    type Action = RowAction;

    fn reduce(self: Rc<Self>, action: RowAction) -> Rc<Self> {
        let (mut busy, mut saved) = (self.busy.clone(), self.saved.clone());
        match action {
            RowAction::Start(placement) => {
                busy.insert(placement);
                saved.remove(&placement);
            }
            RowAction::Done { placement, ok } => {
                busy.remove(&placement);
                if ok {
                    saved.insert(placement);
                }
            }
        }
        Rc::new(Rows { busy, saved })
    }
}

#[component]
pub fn TodayPage() -> Html {
    let texts = use_texts();
    let ctx = use_ctx();
    let rows = use_reducer(Rows::default);
    let Some(ctx) = ctx else {
        return html! {};
    };
    let today = clock::today();
    let groups = queries::today_groups(&ctx.records.list, ctx.user.user.id, today);
    let may_attend = ctx.may_write(Kind::Attendance);
    let may_visit = ctx.may_write(Kind::Visit);

    let mark = {
        let (ctx, rows) = (ctx.clone(), rows.clone());
        Callback::from(move |(row, status): (TodayRow, AttendanceStatus)| {
            let Some(data) = attendance_data(&ctx, &row, status, today) else {
                return;
            };
            let placement = row.placement_id;
            if rows.busy.contains(&placement) {
                return;
            }
            rows.dispatch(RowAction::Start(placement));
            let (ctx, rows) = (ctx.clone(), rows.dispatcher());
            wasm_bindgen_futures::spawn_local(async move {
                let id = attendance_record_id(placement, today);
                let ok = save(&ctx, row.program_id, id, data).await.is_ok();
                rows.dispatch(RowAction::Done { placement, ok });
            });
        })
    };

    let row_html = |row: &TodayRow| {
        let pid = row.participant_id.to_string();
        let is_busy = rows.busy.contains(&row.placement_id);
        let buttons = AttendanceStatus::ALL.iter().map(|status| {
            let pressed = row.attendance == Some(*status);
            let onclick = {
                let (mark, row, status) = (mark.clone(), row.clone(), *status);
                Callback::from(move |_: MouseEvent| mark.emit((row.clone(), status)))
            };
            html! {
                <button type="button" class={classes!("att", format!("att-{}", status.as_str()))}
                    data-testid={format!("attendance-{}", status.as_str())}
                    aria-pressed={if pressed { "true" } else { "false" }}
                    disabled={is_busy} onclick={onclick}>
                    { (texts.attendance_label)(*status) }
                </button>
            }
        });
        let last = match row.last_visit {
            Some(at) => (texts.last_visit)(&format::moment_words(texts, at)),
            None => texts.no_visit_yet.to_owned(),
        };
        let visit_query = format!("participant={pid}&site={}&back=today", row.site_id);
        html! {
            <li class="today-row" data-testid="today-row" data-participant-id={pid.clone()}
                data-placement-id={row.placement_id.to_string()}>
                <div class="row-head">
                    <RouteLink to={Route::Participant { id: pid.clone() }} testid="today-participant" class="person">
                        { row.name.clone() }
                    </RouteLink>
                    <span class="hours">{ (texts.today_hours)(row.hours_per_day) }</span>
                </div>
                <p class="last-visit" data-testid="today-last-visit">{ last }</p>
                if may_attend {
                    <div class="attendance" role="group" aria-label={(texts.attendance_group)(&row.name)}>
                        { for buttons }
                    </div>
                }
                if may_attend || may_visit || row.conflict {
                    <div class="row-foot">
                        <span class="saved-slot" aria-live="polite">
                            if rows.saved.contains(&row.placement_id) {
                                <span class="saved-mark" data-testid="attendance-saved">
                                    <span aria-hidden="true">{ "✓ " }</span>{ texts.attendance_saved }
                                </span>
                            }
                            if row.conflict {
                                <span class="badge badge-conflict" data-testid="conflict-badge">{ texts.conflict_badge }</span>
                            }
                        </span>
                        if may_visit {
                            <RouteLink to={Route::NewVisit} query={visit_query} testid="today-visit" class="button visit-button">
                                { texts.log_visit }
                            </RouteLink>
                        }
                    </div>
                }
            </li>
        }
    };

    html! {
        <section class="today" data-testid="today" aria-labelledby="today-title">
            <h1 id="today-title">
                { texts.today_title }
                <span class="subtitle">{ format::long_date(texts, today) }</span>
            </h1>
            if !ctx.records.loaded {
                <p class="muted">{ texts.booting }</p>
            } else if groups.is_empty() {
                <p class="empty">{ texts.today_empty }</p>
            }
            { for groups.iter().map(|group| html! {
                <section class="today-site" data-testid="today-site" data-site-id={group.site_id.to_string()}
                    aria-label={group.site_name.clone().unwrap_or_else(|| texts.no_site.to_owned())}>
                    <h2>{ group.site_name.clone().unwrap_or_else(|| texts.no_site.to_owned()) }</h2>
                    <ul class="today-rows">
                        { for group.rows.iter().map(&row_html) }
                    </ul>
                </section>
            }) }
        </section>
    }
}
