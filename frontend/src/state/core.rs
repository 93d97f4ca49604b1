//! `Core`: the handles of the core the UI drives, the `Repo` and, while
//! unlocked, the `SyncScheduler`, shared by context.

use std::cell::RefCell;
use std::rc::Rc;

use yew::Callback;

use crate::repo::Repo;
use crate::sync::{SyncScheduler, SyncStatus};

/// The repo and the scheduler (started after unlock, stopped on lock).
#[derive(Clone)]
pub struct Core {
    pub repo: Repo,
    scheduler: Rc<RefCell<Option<SyncScheduler>>>,
}

impl PartialEq for Core {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.scheduler, &other.scheduler)
    }
}

impl Core {
    pub fn new(repo: Repo) -> Core {
        Core { repo, scheduler: Rc::new(RefCell::new(None)) }
    }

    /// Starts syncing (once; a running scheduler is stopped first).
    pub fn start_sync(&self, on_status: Callback<SyncStatus>, on_records_changed: Callback<()>) {
        self.stop_sync();
        let scheduler = SyncScheduler::start(self.repo.clone(), on_status, on_records_changed);
        *self.scheduler.borrow_mut() = Some(scheduler);
        #[cfg(feature = "bench")]
        crate::bench_hook::install(self.clone());
    }

    pub fn stop_sync(&self) {
        if let Some(scheduler) = self.scheduler.borrow_mut().take() {
            scheduler.stop();
        }
    }

    /// Asks for a sync a few seconds after a save.
    pub fn nudge(&self) {
        if let Some(scheduler) = self.scheduler.borrow().as_ref() {
            scheduler.nudge_after_save();
        }
    }

    pub fn sync_now(&self) {
        if let Some(scheduler) = self.scheduler.borrow().as_ref() {
            scheduler.sync_now();
        }
    }
}
