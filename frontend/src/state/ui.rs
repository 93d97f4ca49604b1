//! Banners and the saved toast.

use std::rc::Rc;

use yew::prelude::*;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct UiState {
    /// The saved toast, with a number so an old timer never hides a newer toast.
    pub toast: Option<u32>,
    toast_seq: u32,
    /// The last IndexedDB error, shown until dismissed or the next good save.
    pub storage_error: Option<String>,
    /// The local database had vanished at boot: say so until the first sync.
    pub db_vanished: bool,
    /// A new app version is waiting.
    pub update_ready: bool,
    /// Saves started and not yet resolved (no reload for an update meanwhile).
    pub saves_in_flight: u32,
}

pub enum UiAction {
    /// A save resolved: show the toast.
    Saved,
    /// A save started: hide any earlier toast.
    Saving,
    /// A save failed: show why.
    SaveFailed(String),
    HideToast(u32),
    /// A form found a problem: an earlier "saved" must not seem to answer it.
    ClearToast,
    StorageError(String),
    DismissStorageError,
    DbVanished(bool),
    UpdateReady,
}

impl Reducible for UiState {
    type Action = UiAction;

    fn reduce(self: Rc<Self>, action: UiAction) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            UiAction::Saved => {
                next.toast_seq = next.toast_seq.wrapping_add(1);
                next.toast = Some(next.toast_seq);
                next.storage_error = None;
                next.saves_in_flight = next.saves_in_flight.saturating_sub(1);
            }
            UiAction::Saving => {
                next.toast = None;
                next.saves_in_flight = next.saves_in_flight.saturating_add(1);
            }
            UiAction::SaveFailed(message) => {
                next.storage_error = Some(message);
                next.saves_in_flight = next.saves_in_flight.saturating_sub(1);
            }
            UiAction::HideToast(seq) => {
                if next.toast == Some(seq) {
                    next.toast = None;
                }
            }
            UiAction::ClearToast => next.toast = None,
            UiAction::StorageError(message) => next.storage_error = Some(message),
            UiAction::DismissStorageError => next.storage_error = None,
            UiAction::DbVanished(on) => next.db_vanished = on,
            UiAction::UpdateReady => next.update_ready = true,
        }
        Rc::new(next)
    }
}
