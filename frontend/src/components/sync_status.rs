//! The header's sync status: always rendered, fixed size, `aria-live`;
//! `data-state` and `data-pending` for machines, two short lines for people.
//! A tap asks for a sync now.

use yew::prelude::*;

use crate::i18n::{Texts, format, use_texts};
use crate::state::{clock, use_ctx};
use crate::sync::{SyncState, SyncStatus};

/// The two lines: what is going on, and since when / what needs attention.
fn lines(texts: &Texts, status: &SyncStatus) -> (String, String) {
    let first = match status.state {
        SyncState::Synced => texts.sync_synced.to_owned(),
        SyncState::Pending => (texts.sync_pending)(status.pending),
        SyncState::Syncing if status.received > 0 => (texts.sync_received)(status.received, status.total_hint),
        SyncState::Syncing => texts.sync_syncing.to_owned(),
        SyncState::Offline if status.pending > 0 => {
            format!("{} · {}", texts.sync_offline, (texts.sync_pending)(status.pending))
        }
        SyncState::Offline => texts.sync_offline.to_owned(),
        SyncState::Error => texts.sync_error.to_owned(),
        SyncState::NeedsLogin => texts.sync_needs_login.to_owned(),
        SyncState::ClockSkew => texts.sync_clock_skew.to_owned(),
        SyncState::Revoked => texts.sync_revoked.to_owned(),
    };
    let mut second = vec![match status.last_success_ms {
        Some(ms) => (texts.sync_last)(&format::moment(clock::from_ms(ms))),
        None => texts.sync_never.to_owned(),
    }];
    if matches!(status.state, SyncState::Error | SyncState::Syncing | SyncState::ClockSkew) && status.pending > 0 {
        second.insert(0, (texts.sync_pending)(status.pending));
    }
    if status.rejected > 0 {
        second.push((texts.sync_rejected)(status.rejected));
    }
    if status.conflicts > 0 {
        second.push((texts.sync_conflicts)(status.conflicts));
    }
    (first, second.join(" · "))
}

#[component]
pub fn SyncStatusView() -> Html {
    let texts = use_texts();
    let ctx = use_ctx();
    let status = ctx.as_ref().and_then(|c| c.sync.status.clone());
    let onclick = {
        let ctx = ctx.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(ctx) = &ctx {
                ctx.core.sync_now();
            }
        })
    };
    let (state, pending, first, second) = match &status {
        Some(status) => {
            let (first, second) = lines(texts, status);
            (SyncState::as_str(status.state), status.pending, first, second)
        }
        None => ("pending", 0, texts.sync_starting.to_owned(), String::new()),
    };
    html! {
        <div class={classes!("sync-status", format!("sync-{state}"))} data-testid="sync-status"
             data-state={state} data-pending={pending.to_string()} role="status" aria-live="polite">
            <button type="button" class="sync-button" onclick={onclick} title={texts.sync_now_hint}>
                <span class="sync-dot" aria-hidden="true"></span>
                <span class="sync-lines">
                    <span class="sync-first">{ first }</span>
                    <span class="sync-second">{ second }</span>
                </span>
            </button>
        </div>
    }
}
