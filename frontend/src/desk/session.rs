//! The desk's session: the bearer token, the user, and this tab's device id
//! and HLC for the desk's few writes. Kept in the tab's `sessionStorage`
//! (`crate::handoff`), never in IndexedDB; no vault, no outbox.

use std::cell::RefCell;
use std::rc::Rc;

use serde_json::Value;
use shared::Kind;
use shared::hlc::{Hlc, HlcClock};
use shared::wire::{Mutation, MutationResult, Op, PushRequest, UserInfo};
use uuid::Uuid;

use crate::api;
use crate::handoff::DeskSessionData;
use crate::platform::{self, AppError};

/// The signed-in desk; cheap to clone. Equal when it is the same session.
#[derive(Clone)]
pub struct DeskSession {
    inner: Rc<RefCell<DeskSessionData>>,
}

impl PartialEq for DeskSession {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.inner, &other.inner)
    }
}

impl DeskSession {
    /// The session this tab holds (handed over by the field app's login, or
    /// from the desk's own login before a reload).
    pub fn load() -> Option<DeskSession> {
        DeskSessionData::load().map(DeskSession::from_data)
    }

    /// A new session of a login at the desk.
    pub fn start(token: String, user: UserInfo) -> DeskSession {
        let data = DeskSessionData::new(token, user);
        // A full or disabled storage only costs the session at the next reload.
        let _ = data.store();
        DeskSession::from_data(data)
    }

    fn from_data(data: DeskSessionData) -> DeskSession {
        DeskSession { inner: Rc::new(RefCell::new(data)) }
    }

    pub fn user(&self) -> UserInfo {
        self.inner.borrow().user.clone()
    }

    /// The bearer token.
    pub fn token(&self) -> Result<String, AppError> {
        Ok(self.inner.borrow().token.clone())
    }

    /// Takes the token of a new login (after `session_expired`).
    pub fn replace_token(&self, token: String) {
        let mut data = self.inner.borrow_mut();
        data.token = token;
        let _ = data.store();
    }

    /// Forgets the session in this tab (the server's session stays unless logged out).
    pub fn forget(&self) {
        DeskSessionData::clear();
    }

    /// Logs out on the server and forgets the session here.
    pub async fn logout(&self) -> Result<(), AppError> {
        let token = self.inner.borrow().token.clone();
        let result = match api::logout(&token).await {
            // Already gone on the server: logged out all the same.
            Ok(()) | Err(AppError::SessionExpired | AppError::SessionRevoked) => Ok(()),
            Err(other) => Err(other),
        };
        if result.is_ok() {
            self.forget();
        }
        result
    }

    /// Pushes one `put` straight to the server (a conflict resolution, a
    /// follow-up): a fresh mutation id (v7), the HLC from this tab's clock
    /// (kept with the session, so it never goes back) and this tab's device
    /// id. Returns the server's result for it.
    pub async fn push_direct(
        &self,
        record_id: Uuid,
        kind: Kind,
        program_id: Uuid,
        base_version: Option<i64>,
        data: Value,
    ) -> Result<MutationResult, AppError> {
        let (token, request) = {
            let mut session = self.inner.borrow_mut();
            let device_id = session.device_id;
            let last = session.last_hlc.as_deref().and_then(|s| Hlc::parse_for_device(s, device_id).ok());
            let mut clock = HlcClock::resume(device_id, last);
            let hlc = clock.tick(platform::now_ms().max(0.0) as u64).to_string();
            session.last_hlc = Some(hlc.clone());
            let _ = session.store();
            let mutation = Mutation {
                id: Uuid::now_v7(),
                record_id,
                kind,
                program_id,
                op: Op::Put,
                base_version,
                hlc,
                data: Some(data),
            };
            (session.token.clone(), PushRequest { device_id, mutations: vec![mutation] })
        };
        let response = api::push(&token, &request).await?;
        response.results.into_iter().next().ok_or_else(|| AppError::Protocol("push answered no result".into()))
    }
}
