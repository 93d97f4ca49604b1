//! The hand-over from the field app to the desk (`/desk/`, its own bundle:
//! docs/DESK.md). Office and admin users log in on the field app's login page
//! like everyone else; the field app then keeps no vault for them, puts the
//! session (token, user, a fresh device id) in this tab's `sessionStorage`
//! and opens `/desk/`, whose bundle reads it and keeps it there for the tab's
//! life. Nothing about a participant is ever in it (docs/SECURITY.md, "The
//! desk's session").

use gloo::storage::{SessionStorage, Storage};
use serde::{Deserialize, Serialize};
use shared::Role;
use shared::wire::UserInfo;
use uuid::Uuid;

use crate::platform::AppError;

/// Where the desk's page is served.
pub const DESK_PATH: &str = "/desk/";
/// The `sessionStorage` key of the desk's session.
pub const DESK_SESSION_KEY: &str = "stegvis.desk.session";

/// Whether a role gets the desk instead of the field app.
pub fn is_desk_role(role: Role) -> bool {
    matches!(role, Role::Office | Role::Admin)
}

/// The desk's session as kept in `sessionStorage`: the bearer token, the
/// user, the device id of this tab's pushes and the last HLC it stamped.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeskSessionData {
    pub token: String,
    pub user: UserInfo,
    pub device_id: Uuid,
    #[serde(default)]
    pub last_hlc: Option<String>,
}

impl DeskSessionData {
    /// A new session of a login (a fresh device id: the desk's pushes never
    /// share a device with a phone's).
    pub fn new(token: String, user: UserInfo) -> DeskSessionData {
        DeskSessionData { token, user, device_id: Uuid::new_v4(), last_hlc: None }
    }

    /// The session this tab holds, if any.
    pub fn load() -> Option<DeskSessionData> {
        SessionStorage::get::<DeskSessionData>(DESK_SESSION_KEY).ok()
    }

    /// Keeps it for the tab's life.
    pub fn store(&self) -> Result<(), AppError> {
        SessionStorage::set(DESK_SESSION_KEY, self).map_err(|e| AppError::Browser(e.to_string()))
    }

    /// Forgets it (logout, lock, a revoked session).
    pub fn clear() {
        SessionStorage::delete(DESK_SESSION_KEY);
    }
}

/// Hands a desk user's login over to the desk and opens it (replacing the
/// login page in the history).
pub fn open_desk(token: String, user: UserInfo) -> Result<(), AppError> {
    DeskSessionData::new(token, user).store()?;
    let window = web_sys::window().ok_or_else(|| AppError::Browser("no window".into()))?;
    window.location().replace(DESK_PATH).map_err(|_| AppError::Browser("cannot open the desk".into()))
}
