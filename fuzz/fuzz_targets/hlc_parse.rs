//! The hybrid logical clock's wire form: any string either is rejected or parses to a clock
//! whose canonical string reads back to the same clock and sorts the same way.

#![no_main]

use libfuzzer_sys::fuzz_target;
use shared::Hlc;

fuzz_target!(|bytes: &[u8]| {
    let Ok(text) = std::str::from_utf8(bytes) else { return };
    // Two clocks from one input, to check that `Ord` agrees with the strings' order.
    let (a, b) = text.split_once('|').unwrap_or((text, ""));
    let parsed = [a.parse::<Hlc>(), b.parse::<Hlc>()];
    for (input, hlc) in [a, b].into_iter().zip(&parsed) {
        let Ok(hlc) = hlc else { continue };
        let canonical = hlc.to_string();
        // Only the canonical form is accepted, so stored strings sort like `Ord`.
        assert_eq!(canonical, input, "a non-canonical clock string was accepted");
        assert_eq!(canonical.parse::<Hlc>().as_ref(), Ok(hlc), "{canonical}");
        assert_eq!(Hlc::parse_for_device(&canonical, hlc.device()).as_ref(), Ok(hlc));
        let json = serde_json::to_string(hlc).expect("serializes");
        assert_eq!(serde_json::from_str::<Hlc>(&json).ok().as_ref(), Some(hlc), "{json}");
    }
    if let [Ok(x), Ok(y)] = &parsed {
        assert_eq!(x.cmp(y), x.to_string().cmp(&y.to_string()), "{x} vs {y}");
    }
});
