//! References: any text must parse or be refused, never panic; what
//! parses must print back to a reference that parses to the same thing.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tranship::Reference;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(r) = text.parse::<Reference>() {
        let again: Reference = r.to_string().parse().expect("normalised form parses");
        assert_eq!(again.to_string(), r.to_string());
        let _ = (r.familiar(), r.endpoint(), r.report());
    }
});
