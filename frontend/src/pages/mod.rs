//! One module per screen. Pages know `repo` (through `state::Ctx`), `state`
//! and `i18n`; never `idb`, `crypto` or HTTP. `form` holds what the forms share.

pub mod form;
pub mod goal_form;
pub mod lesson_form;
pub mod login;
pub mod not_found;
pub mod note_form;
pub mod outbox;
pub mod participant;
pub mod participant_form;
pub mod participants;
pub mod placement_form;
pub mod settings;
pub mod site_form;
pub mod today;
pub mod unlock;
pub mod visit_form;
