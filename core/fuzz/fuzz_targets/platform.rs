//! Platforms: any text must parse or be refused, never panic; normalised
//! text must parse back to itself.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tranship::Platform;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(p) = text.parse::<Platform>() {
        let again: Platform = p.to_string().parse().expect("normalised form parses");
        assert_eq!(again, p);
        assert!(p.matches(&again));
    }
});
