//! References and image addresses: any text must parse or be refused,
//! never panic; what parses must print back to text that parses to the
//! same thing.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tranship::{Address, Reference};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(r) = text.parse::<Reference>() {
        let again: Reference = r.to_string().parse().expect("normalised form parses");
        assert_eq!(again.to_string(), r.to_string());
        let _ = (r.familiar(), r.endpoint(), r.report());
    }
    if let Ok(a) = text.parse::<Address>() {
        let again: Address = a.to_string().parse().expect("canonical address parses");
        assert_eq!(again, a);
        let _ = a.report();
    }
});
