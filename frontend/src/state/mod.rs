//! App state as `Reducible`s with `Action` enums, provided by context in
//! `app.rs`: the session and lock (`session`), the decrypted records while
//! unlocked (`records`), the sync status (`sync_view`), banners and toasts
//! (`ui`), the settings (`settings`), and the core handles (`core`); `Ctx`
//! bundles the handles the pages use. `queries` answers the pages'
//! questions about the records; `clock` is the device's time.

pub mod clock;
pub mod core;
pub mod queries;
pub mod records;
pub mod session;
pub mod settings;
pub mod sync_view;
pub mod ui;

pub use self::core::Core;
pub use records::{RecordsAction, RecordsState};
pub use session::{Phase, SessionAction, SessionState};
pub use settings::{Settings, SettingsAction};
pub use sync_view::{SyncAction, SyncView};
pub use ui::{UiAction, UiState};

use std::rc::Rc;

use shared::Kind;
use yew::prelude::*;

use crate::repo::Session;

/// What the pages of the unlocked app get from context.
#[derive(Clone, PartialEq)]
pub struct Ctx {
    pub core: Core,
    pub user: Rc<Session>,
    pub session: UseReducerHandle<SessionState>,
    pub records: UseReducerHandle<RecordsState>,
    pub sync: UseReducerHandle<SyncView>,
    pub ui: UseReducerHandle<UiState>,
    pub settings: UseReducerHandle<Settings>,
}

impl Ctx {
    /// Whether the user's role may write records of `kind`.
    pub fn may_write(&self, kind: Kind) -> bool {
        self.user.user.role.may_write(kind)
    }

    /// Drops the decrypted records and the key and shows the unlock screen.
    pub fn lock(&self) {
        self.core.stop_sync();
        self.core.repo.lock();
        self.records.dispatch(RecordsAction::Clear);
        self.sync.dispatch(SyncAction::Reset);
        self.session.dispatch(SessionAction::Lock);
    }
}

/// The unlocked app's context (`None` outside it).
#[hook]
pub fn use_ctx() -> Option<Ctx> {
    use_context::<Ctx>()
}
