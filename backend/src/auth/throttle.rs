//! Login throttling: failed logins are counted per account and per client
//! address in a sliding window; past the limit, login answers 429 with
//! `Retry-After`, even for the right password, until the window has room.
//!
//! Kept in memory per server instance: several instances each enforce the
//! limit, so a region's effective limit is at most limit × instances.

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Failed logins allowed per account in [`WINDOW`].
pub const PER_ACCOUNT: usize = 10;
/// Failed logins allowed per client address in [`WINDOW`].
pub const PER_CLIENT: usize = 30;
/// The sliding window.
pub const WINDOW: Duration = Duration::from_secs(15 * 60);
/// Entries kept at most (oldest dropped), so a flood cannot exhaust memory.
const MAX_KEYS: usize = 100_000;

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Key {
    Account(String),
    Client(IpAddr),
}

#[derive(Debug, Default)]
pub struct LoginThrottle {
    failures: Mutex<HashMap<Key, VecDeque<Instant>>>,
}

impl LoginThrottle {
    /// `Err(retry_after)` when the account or the client is over its limit.
    pub fn check(&self, username: &str, client: IpAddr, now: Instant) -> Result<(), Duration> {
        let Ok(mut map) = self.failures.lock() else {
            return Ok(());
        };
        let mut wait = Duration::ZERO;
        for (key, limit) in [(account(username), PER_ACCOUNT), (Key::Client(client), PER_CLIENT)] {
            if let Some(times) = map.get_mut(&key) {
                prune(times, now);
                if times.len() >= limit
                    && let Some(oldest) = times.front()
                {
                    wait = wait.max(WINDOW.saturating_sub(now.duration_since(*oldest)));
                }
            }
        }
        if wait.is_zero() { Ok(()) } else { Err(wait.max(Duration::from_secs(1))) }
    }

    pub fn record_failure(&self, username: &str, client: IpAddr, now: Instant) {
        let Ok(mut map) = self.failures.lock() else {
            return;
        };
        if map.len() >= MAX_KEYS {
            map.retain(|_, times| {
                prune(times, now);
                !times.is_empty()
            });
        }
        for key in [account(username), Key::Client(client)] {
            map.entry(key).or_default().push_back(now);
        }
    }

    /// A successful login clears the account's failures (not the client's).
    pub fn record_success(&self, username: &str) {
        if let Ok(mut map) = self.failures.lock() {
            map.remove(&account(username));
        }
    }
}

fn account(username: &str) -> Key {
    Key::Account(username.trim().to_lowercase())
}

fn prune(times: &mut VecDeque<Instant>, now: Instant) {
    while times.front().is_some_and(|t| now.duration_since(*t) >= WINDOW) {
        times.pop_front();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const IP: IpAddr = IpAddr::V4(std::net::Ipv4Addr::LOCALHOST);

    #[test]
    fn an_account_locks_after_its_limit_and_frees_after_the_window() {
        let t = LoginThrottle::default();
        let start = Instant::now();
        for _ in 0..PER_ACCOUNT {
            assert!(t.check("anna", IP, start).is_ok());
            t.record_failure("anna", IP, start);
        }
        let wait = t.check("Anna", IP, start).err();
        assert!(wait.is_some_and(|w| w > Duration::from_secs(60)), "{wait:?}");
        assert!(t.check("bertil", IpAddr::V4(std::net::Ipv4Addr::new(10, 0, 0, 2)), start).is_ok());
        assert!(t.check("anna", IP, start + WINDOW).is_ok());
    }

    #[test]
    fn a_client_locks_across_accounts() {
        let t = LoginThrottle::default();
        let now = Instant::now();
        for i in 0..PER_CLIENT {
            t.record_failure(&format!("user{i}"), IP, now);
        }
        assert!(t.check("someone-new", IP, now).is_err());
    }

    #[test]
    fn success_clears_the_account() {
        let t = LoginThrottle::default();
        let now = Instant::now();
        for _ in 0..PER_ACCOUNT - 1 {
            t.record_failure("anna", IP, now);
        }
        t.record_success("anna");
        t.record_failure("anna", IP, now);
        assert!(t.check("anna", IP, now).is_ok());
    }
}
