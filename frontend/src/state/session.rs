//! The session and lock state: booting, needs login, locked, unlocked.

use std::rc::Rc;

use yew::prelude::*;

use crate::repo::{BootState, Session};

/// Where the app is between boot and the unlocked main UI.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Phase {
    /// `Repo::boot` has not answered yet.
    #[default]
    Booting,
    /// The local database could not be opened.
    BootFailed(String),
    /// No device session: log in online. `vanished`: the database had been
    /// cleared by the browser; `revoked`: the admin cut this device off.
    NeedsLogin {
        vanished: bool,
        revoked: bool,
    },
    /// A device session exists; the password unlocks it offline.
    Locked {
        username: String,
        display_name: String,
    },
    Unlocked(Rc<Session>),
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct SessionState {
    pub phase: Phase,
}

pub enum SessionAction {
    Booted(BootState),
    BootFailed(String),
    SignedIn(Session),
    Lock,
    SignedOut { revoked: bool },
}

impl Reducible for SessionState {
    type Action = SessionAction;

    fn reduce(self: Rc<Self>, action: SessionAction) -> Rc<Self> {
        let phase = match action {
            SessionAction::Booted(BootState::NeedsLogin) => Phase::NeedsLogin { vanished: false, revoked: false },
            SessionAction::Booted(BootState::DatabaseVanished) => Phase::NeedsLogin { vanished: true, revoked: false },
            SessionAction::Booted(BootState::Locked { username, display_name }) => {
                Phase::Locked { username, display_name }
            }
            SessionAction::BootFailed(message) => Phase::BootFailed(message),
            SessionAction::SignedIn(session) => Phase::Unlocked(Rc::new(session)),
            SessionAction::Lock => match &self.phase {
                Phase::Unlocked(session) => Phase::Locked {
                    username: session.user.username.clone(),
                    display_name: session.user.display_name.clone(),
                },
                other => other.clone(),
            },
            SessionAction::SignedOut { revoked } => Phase::NeedsLogin { vanished: false, revoked },
        };
        Rc::new(SessionState { phase })
    }
}
