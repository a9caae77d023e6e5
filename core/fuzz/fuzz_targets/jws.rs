//! Signed schema1: bytes that parse as a manifest go through signature
//! verification (JWS header decoding, JWK and x5c keys); it must succeed
//! or fail cleanly, never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tranship::manifest::Manifest;
use tranship::Limits;

fuzz_target!(|data: &[u8]| {
    let ct = Some("application/vnd.docker.distribution.manifest.v1+prettyjws");
    if let Ok(m) = Manifest::parse(data, ct, &Limits::default()) {
        let _ = m.verify_signatures();
    }
});
