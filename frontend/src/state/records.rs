//! The decrypted records in memory while unlocked (dropped on lock).

use std::rc::Rc;

use yew::prelude::*;

use crate::repo::LocalRecord;

#[derive(Debug, Clone, Default)]
pub struct RecordsState {
    /// Every local record, deleted ones included (queries skip them).
    pub list: Rc<Vec<LocalRecord>>,
    /// Whether `Repo::records` has answered since unlock.
    pub loaded: bool,
}

/// Two states are equal when they hold the same list: a list is never changed
/// in place (every change makes a new one), so comparing the pointer is
/// enough, where comparing the records would walk all of them each time the
/// context is compared.
impl PartialEq for RecordsState {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.list, &other.list) && self.loaded == other.loaded
    }
}

pub enum RecordsAction {
    Loaded(Vec<LocalRecord>),
    /// A record just saved: replaces the one with its id, or is added.
    Upsert(LocalRecord),
    Clear,
}

impl Reducible for RecordsState {
    type Action = RecordsAction;

    fn reduce(self: Rc<Self>, action: RecordsAction) -> Rc<Self> {
        match action {
            RecordsAction::Loaded(list) => Rc::new(RecordsState { list: Rc::new(list), loaded: true }),
            RecordsAction::Upsert(record) => {
                let mut list: Vec<LocalRecord> = self.list.as_ref().clone();
                match list.iter_mut().find(|r| r.id == record.id) {
                    Some(slot) => *slot = record,
                    None => list.push(record),
                }
                Rc::new(RecordsState { list: Rc::new(list), loaded: self.loaded })
            }
            RecordsAction::Clear => Rc::new(RecordsState::default()),
        }
    }
}
