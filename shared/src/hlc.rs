//! The hybrid logical clock of the sync protocol.
//!
//! Wire form: `"<unix ms, 13 digits>:<counter, 5 digits>:<device id>"`. The
//! fixed-width fields make the strings sort in time order, and `Hlc`'s `Ord`
//! agrees with that string order.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use uuid::Uuid;

/// Largest counter value that fits the 5-digit field.
pub const MAX_COUNTER: u32 = 99_999;
/// Largest physical time that fits the 13-digit field.
pub const MAX_MILLIS: u64 = 9_999_999_999_999;

/// One hybrid-logical-clock timestamp.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Hlc {
    millis: u64,
    counter: u32,
    device: Uuid,
}

/// Why a string is not an HLC.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum HlcError {
    #[error("expected \"<13-digit unix ms>:<5-digit counter>:<device uuid>\"")]
    Format,
    #[error("the device id must be the pushing device's device_id")]
    WrongDevice,
}

impl Hlc {
    pub fn new(millis: u64, counter: u32, device: Uuid) -> Option<Hlc> {
        (millis <= MAX_MILLIS && counter <= MAX_COUNTER).then_some(Hlc { millis, counter, device })
    }

    pub fn millis(&self) -> u64 {
        self.millis
    }

    pub fn counter(&self) -> u32 {
        self.counter
    }

    pub fn device(&self) -> Uuid {
        self.device
    }

    /// Parses and checks that the clock belongs to `device`.
    pub fn parse_for_device(s: &str, device: Uuid) -> Result<Hlc, HlcError> {
        let hlc: Hlc = s.parse()?;
        if hlc.device != device {
            return Err(HlcError::WrongDevice);
        }
        Ok(hlc)
    }
}

impl Ord for Hlc {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        // Same order as the canonical strings: the device part compares as its
        // lowercase hyphenated text, which orders like the raw bytes.
        (self.millis, self.counter, self.device.as_bytes()).cmp(&(other.millis, other.counter, other.device.as_bytes()))
    }
}

impl PartialOrd for Hlc {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Hlc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:013}:{:05}:{}", self.millis, self.counter, self.device.hyphenated())
    }
}

impl FromStr for Hlc {
    type Err = HlcError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut parts = s.splitn(3, ':');
        let (Some(ms), Some(counter), Some(device)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(HlcError::Format);
        };
        let digits = |p: &str, n: usize| p.len() == n && p.bytes().all(|b| b.is_ascii_digit());
        // The canonical device form is lowercase and hyphenated (36 chars), so the
        // strings sort in the same order as `Ord`.
        let canonical_device = device.len() == 36 && !device.bytes().any(|b| b.is_ascii_uppercase());
        if !digits(ms, 13) || !digits(counter, 5) || !canonical_device {
            return Err(HlcError::Format);
        }
        let millis = ms.parse().map_err(|_| HlcError::Format)?;
        let counter = counter.parse().map_err(|_| HlcError::Format)?;
        let device = Uuid::parse_str(device).map_err(|_| HlcError::Format)?;
        Ok(Hlc { millis, counter, device })
    }
}

impl Serialize for Hlc {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Hlc {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// A device's clock: issues strictly increasing timestamps and folds in the
/// timestamps it receives, so causally later edits always sort later.
#[derive(Clone, Debug)]
pub struct HlcClock {
    device: Uuid,
    last: Option<Hlc>,
}

impl HlcClock {
    pub fn new(device: Uuid) -> HlcClock {
        HlcClock { device, last: None }
    }

    /// Restores a clock from the last timestamp it issued (kept in storage).
    pub fn resume(device: Uuid, last: Option<Hlc>) -> HlcClock {
        HlcClock { device, last }
    }

    pub fn last(&self) -> Option<Hlc> {
        self.last
    }

    /// The next timestamp, given the wall clock in unix milliseconds.
    pub fn tick(&mut self, now_millis: u64) -> Hlc {
        let now = now_millis.min(MAX_MILLIS);
        let next = match self.last {
            Some(last) if last.millis >= now => {
                if last.counter < MAX_COUNTER {
                    Hlc { millis: last.millis, counter: last.counter + 1, device: self.device }
                } else {
                    Hlc { millis: (last.millis + 1).min(MAX_MILLIS), counter: 0, device: self.device }
                }
            }
            _ => Hlc { millis: now, counter: 0, device: self.device },
        };
        self.last = Some(next);
        next
    }

    /// Takes a timestamp seen from elsewhere into account: the next `tick` sorts after it.
    pub fn observe(&mut self, seen: Hlc) {
        let seen_here = Hlc { device: self.device, ..seen };
        if self.last.is_none_or(|last| (last.millis, last.counter) < (seen.millis, seen.counter)) {
            self.last = Some(seen_here);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn dev(n: u128) -> Uuid {
        Uuid::from_u128(n)
    }

    #[test]
    fn formats_in_the_wire_form() {
        let hlc = Hlc::new(1_764_000_000_000, 7, dev(0xab)).unwrap_or_else(|| unreachable!());
        assert_eq!(hlc.to_string(), "1764000000000:00007:00000000-0000-0000-0000-0000000000ab");
        assert_eq!(hlc.to_string().parse::<Hlc>(), Ok(hlc));
    }

    #[test]
    fn rejects_malformed_strings() {
        for bad in [
            "",
            "1764000000000:00007",
            "176400000000:00007:00000000-0000-0000-0000-0000000000ab",
            "1764000000000:7:00000000-0000-0000-0000-0000000000ab",
            "1764000000000:00007:not-a-uuid",
            "1764000000000:00007:00000000-0000-0000-0000-0000000000AB",
            "1764000000000:00007:000000000000000000000000000000ab",
            "+764000000000:00007:00000000-0000-0000-0000-0000000000ab",
        ] {
            assert_eq!(bad.parse::<Hlc>(), Err(HlcError::Format), "{bad}");
        }
    }

    #[test]
    fn checks_the_device() {
        let s = "1764000000000:00000:00000000-0000-0000-0000-000000000001";
        assert!(Hlc::parse_for_device(s, dev(1)).is_ok());
        assert_eq!(Hlc::parse_for_device(s, dev(2)), Err(HlcError::WrongDevice));
    }

    #[test]
    fn clock_never_goes_back() {
        let mut clock = HlcClock::new(dev(1));
        let a = clock.tick(1000);
        let b = clock.tick(900);
        let c = clock.tick(1000);
        assert!(a < b && b < c);
        clock.observe(Hlc::new(5000, 3, dev(2)).unwrap_or_else(|| unreachable!()));
        let d = clock.tick(1000);
        assert_eq!((d.millis(), d.counter()), (5000, 4));
    }

    proptest! {
        #[test]
        fn string_order_is_time_order(a in 0..MAX_MILLIS, ca in 0..=MAX_COUNTER, da: u128,
                                      b in 0..MAX_MILLIS, cb in 0..=MAX_COUNTER, db: u128) {
            let x = Hlc::new(a, ca, dev(da)).unwrap_or_else(|| unreachable!());
            let y = Hlc::new(b, cb, dev(db)).unwrap_or_else(|| unreachable!());
            prop_assert_eq!(x.cmp(&y), x.to_string().cmp(&y.to_string()));
        }

        #[test]
        fn ticks_strictly_increase(nows in proptest::collection::vec(0u64..2_000, 1..200)) {
            let mut clock = HlcClock::new(dev(9));
            let mut prev: Option<Hlc> = None;
            for now in nows {
                let t = clock.tick(now);
                if let Some(p) = prev { prop_assert!(p < t); }
                prev = Some(t);
            }
        }

        #[test]
        fn arbitrary_text_never_panics(s in ".*") {
            let _ = s.parse::<Hlc>();
        }
    }
}
