//! The latest sync status reported by the scheduler, for the header.

use std::rc::Rc;

use yew::prelude::*;

use crate::sync::SyncStatus;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct SyncView {
    /// `None` until the scheduler reports for the first time.
    pub status: Option<SyncStatus>,
}

pub enum SyncAction {
    Status(SyncStatus),
    Reset,
}

impl Reducible for SyncView {
    type Action = SyncAction;

    fn reduce(self: Rc<Self>, action: SyncAction) -> Rc<Self> {
        match action {
            SyncAction::Status(status) => Rc::new(SyncView { status: Some(status) }),
            SyncAction::Reset => Rc::new(SyncView::default()),
        }
    }
}
