//! `SyncScheduler`: runs `sync_once` at start, on the `online` event, 3 s after a
//! save, on `sync_now`, and every 60 s while the page is visible. Failures back off
//! 1 s doubling to 10 s with ±20 % jitter; while `navigator.onLine` is false it waits
//! for `online` (probing every 60 s). 401s stop it until `sync_now` (after a new
//! login); `session_revoked` wipes the device. Status goes to a Yew `Callback`.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use futures::StreamExt;
use futures::channel::mpsc::{UnboundedReceiver, UnboundedSender, unbounded};
use futures::future::{Either, select};
use gloo::events::EventListener;
use gloo::timers::future::TimeoutFuture;
use yew::Callback;

use super::engine::{Progress, SyncReport, sync_into};
use crate::platform::{self, AppError};
use crate::repo::Repo;

/// Delay of the sync after a save.
const AFTER_SAVE_MS: f64 = 3_000.0;
/// Period while visible, and the offline probe.
const PERIOD_MS: f64 = 60_000.0;
/// First backoff step and its cap.
const BACKOFF_START_MS: f64 = 1_000.0;
const BACKOFF_CAP_MS: f64 = 10_000.0;

/// What the header shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SyncState {
    Synced,
    Pending,
    Syncing,
    Offline,
    Error,
    NeedsLogin,
    ClockSkew,
    Revoked,
}

impl SyncState {
    /// The `data-state` value of `sync-status`.
    pub fn as_str(self) -> &'static str {
        match self {
            SyncState::Synced => "synced",
            SyncState::Pending => "pending",
            SyncState::Syncing => "syncing",
            SyncState::Offline => "offline",
            SyncState::Error => "error",
            SyncState::NeedsLogin => "needs-login",
            SyncState::ClockSkew => "clock-skew",
            SyncState::Revoked => "revoked",
        }
    }
}

/// The sync status reported to the UI.
#[derive(Clone, Debug, PartialEq)]
pub struct SyncStatus {
    pub state: SyncState,
    /// Outbox entries waiting for the server.
    pub pending: usize,
    /// Outbox entries the server refused (shown with their error).
    pub rejected: usize,
    /// Records flagged `conflict`.
    pub conflicts: usize,
    pub last_success_ms: Option<f64>,
    /// Records received by the running (or last) pull.
    pub received: u64,
    pub total_hint: Option<u64>,
    /// Technical detail of an error (English; the UI shows its own text per state).
    pub message: Option<String>,
}

impl SyncStatus {
    fn new(state: SyncState) -> SyncStatus {
        SyncStatus {
            state,
            pending: 0,
            rejected: 0,
            conflicts: 0,
            last_success_ms: None,
            received: 0,
            total_hint: None,
            message: None,
        }
    }
}

enum Wake {
    /// Sync now (start, `sync_now`, `online`, page visible again).
    Now,
    /// Sync a few seconds from now (after a save).
    Soon,
    /// Went offline.
    Offline,
    /// Visibility changed.
    Visible(bool),
    Stop,
}

struct Shared {
    wake: UnboundedSender<Wake>,
    stopped: Cell<bool>,
    listeners: RefCell<Vec<EventListener>>,
}

/// Handle of the running scheduler; cheap to clone. Start it once after unlock and
/// `stop()` it on lock or logout.
#[derive(Clone)]
pub struct SyncScheduler {
    shared: Rc<Shared>,
}

impl std::fmt::Debug for SyncScheduler {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SyncScheduler").field("stopped", &self.shared.stopped.get()).finish()
    }
}

impl PartialEq for SyncScheduler {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.shared, &other.shared)
    }
}

impl SyncScheduler {
    /// Starts syncing (the first sync runs at once).
    pub fn start(repo: Repo, on_status: Callback<SyncStatus>, on_records_changed: Callback<()>) -> SyncScheduler {
        let (wake, receiver) = unbounded();
        let online = wake.clone();
        let visible = wake.clone();
        let mut listeners = platform::on_online_change(move |is_online| {
            let _ = online.unbounded_send(if is_online { Wake::Now } else { Wake::Offline });
        });
        listeners.extend(platform::on_visibility_change(move |is_visible| {
            let _ = visible.unbounded_send(Wake::Visible(is_visible));
        }));
        let shared = Rc::new(Shared { wake, stopped: Cell::new(false), listeners: RefCell::new(listeners) });
        let _ = shared.wake.unbounded_send(Wake::Now);
        let runner = Runner { repo, on_status, on_records_changed, shared: shared.clone() };
        wasm_bindgen_futures::spawn_local(runner.run(receiver));
        SyncScheduler { shared }
    }

    /// Syncs a few seconds from now (call after each save).
    pub fn nudge_after_save(&self) {
        let _ = self.shared.wake.unbounded_send(Wake::Soon);
    }

    /// Syncs now (also resumes after a 401 once the user logged in again).
    pub fn sync_now(&self) {
        let _ = self.shared.wake.unbounded_send(Wake::Now);
    }

    /// Stops the scheduler and its listeners.
    pub fn stop(&self) {
        self.shared.stopped.set(true);
        self.shared.listeners.borrow_mut().clear();
        let _ = self.shared.wake.unbounded_send(Wake::Stop);
    }
}

struct Runner {
    repo: Repo,
    on_status: Callback<SyncStatus>,
    on_records_changed: Callback<()>,
    shared: Rc<Shared>,
}

/// `min(1 s · 2^(n-1), 10 s)` with ±20 % jitter.
fn backoff_ms(failures: u32) -> f64 {
    let base = (BACKOFF_START_MS * 2f64.powi(failures.saturating_sub(1).min(10) as i32)).min(BACKOFF_CAP_MS);
    base * (0.8 + 0.4 * platform::random_unit())
}

impl Runner {
    /// Emits `state` with fresh counts.
    async fn emit(&self, state: SyncState, last_success_ms: Option<f64>, received: u64, message: Option<String>) {
        let counts = self.repo.counts().await.unwrap_or_default();
        let state = match state {
            SyncState::Synced if counts.pending > 0 => SyncState::Pending,
            other => other,
        };
        self.on_status.emit(SyncStatus {
            state,
            pending: counts.pending,
            rejected: counts.rejected,
            conflicts: counts.conflicts,
            last_success_ms,
            received,
            total_hint: None,
            message,
        });
    }

    async fn run(self, mut receiver: UnboundedReceiver<Wake>) {
        let mut last_success = self.repo.last_sync_ms().await.ok().flatten();
        let mut last_state = SyncState::Pending;
        let mut failures: u32 = 0;
        // When to sync next; `None`: only when woken.
        let mut deadline: Option<f64> = None;
        let mut visible = platform::is_visible();
        self.on_status.emit(SyncStatus::new(SyncState::Pending));
        loop {
            let wait = deadline.map(|at| (at - platform::now_ms()).max(0.0));
            let message = match wait {
                Some(ms) => {
                    let timer = TimeoutFuture::new(ms.min(f64::from(u32::MAX)) as u32);
                    match select(receiver.next(), timer).await {
                        Either::Left((message, _)) => message,
                        Either::Right(((), _)) => Some(Wake::Now),
                    }
                }
                None => receiver.next().await,
            };
            if self.shared.stopped.get() {
                return;
            }
            let halted = matches!(last_state, SyncState::NeedsLogin | SyncState::Revoked);
            match message {
                None | Some(Wake::Stop) => return,
                Some(Wake::Now) => {}
                Some(Wake::Soon) => {
                    if !halted {
                        self.emit(SyncState::Pending, last_success, 0, None).await;
                        let soon = platform::now_ms() + AFTER_SAVE_MS;
                        deadline = Some(deadline.map_or(soon, |at| at.min(soon)));
                    } else {
                        self.emit(last_state, last_success, 0, None).await;
                    }
                    continue;
                }
                Some(Wake::Offline) => {
                    last_state = SyncState::Offline;
                    self.emit(SyncState::Offline, last_success, 0, None).await;
                    deadline = Some(platform::now_ms() + PERIOD_MS);
                    continue;
                }
                Some(Wake::Visible(is_visible)) => {
                    visible = is_visible;
                    if !visible {
                        continue;
                    }
                }
            }
            if last_state == SyncState::Revoked {
                deadline = None;
                continue;
            }
            self.emit(SyncState::Syncing, last_success, 0, None).await;
            let mut report = SyncReport::default();
            let counts = self.repo.counts().await.unwrap_or_default();
            let status = self.on_status.clone();
            // Synchronous, so no progress report can arrive after the final status.
            let progress = move |progress: Progress| {
                status.emit(SyncStatus {
                    received: progress.received,
                    total_hint: progress.total,
                    pending: counts.pending,
                    rejected: counts.rejected,
                    conflicts: counts.conflicts,
                    last_success_ms: last_success,
                    ..SyncStatus::new(SyncState::Syncing)
                });
            };
            let result = sync_into(&self.repo, &mut report, &progress).await;
            if self.shared.stopped.get() {
                return;
            }
            if report.changed {
                self.on_records_changed.emit(());
            }
            let now = platform::now_ms();
            match result {
                Ok(()) if report.skipped => {
                    deadline = Some(now + AFTER_SAVE_MS);
                    continue;
                }
                Ok(()) => {
                    failures = 0;
                    last_success = Some(now);
                    last_state = if report.clock_skew { SyncState::ClockSkew } else { SyncState::Synced };
                    self.emit(last_state, last_success, report.received, None).await;
                    deadline = visible.then_some(now + PERIOD_MS);
                }
                Err(AppError::SessionExpired) => {
                    last_state = SyncState::NeedsLogin;
                    self.emit(last_state, last_success, report.received, None).await;
                    deadline = None;
                }
                Err(AppError::SessionRevoked) => {
                    if let Err(err) = self.repo.wipe_device().await {
                        web_sys::console::error_1(&format!("wiping the device failed: {err}").into());
                    }
                    last_state = SyncState::Revoked;
                    self.emit(last_state, None, 0, None).await;
                    self.on_records_changed.emit(());
                    deadline = None;
                }
                Err(AppError::Locked | AppError::NotLoggedIn) => {
                    // Nothing to sync with until unlocked; `sync_now` resumes.
                    deadline = None;
                }
                Err(err) => {
                    failures += 1;
                    let offline = err.is_offline();
                    last_state = if offline { SyncState::Offline } else { SyncState::Error };
                    let message = (!offline).then(|| err.to_string());
                    self.emit(last_state, last_success, report.received, message).await;
                    let delay = match err {
                        AppError::RateLimited { retry_after_secs: Some(secs) } => f64::from(secs) * 1000.0,
                        _ if offline && !platform::is_online() => PERIOD_MS,
                        _ => backoff_ms(failures),
                    };
                    deadline = Some(now + delay);
                }
            }
        }
    }
}
