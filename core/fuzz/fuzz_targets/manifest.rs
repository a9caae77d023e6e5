//! Manifests: any bytes, with or without a Content-Type, must parse or be
//! refused with an error, never panic; what parses must report.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tranship::manifest::Manifest;
use tranship::Limits;

const TYPES: [Option<&str>; 4] = [
    None,
    Some("application/json"),
    Some("application/vnd.oci.image.index.v1+json"),
    Some("application/vnd.docker.distribution.manifest.v1+prettyjws"),
];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, body)) = data.split_first() else {
        return;
    };
    let content_type = TYPES[usize::from(pick) % TYPES.len()];
    if let Ok(m) = Manifest::parse(body, content_type, &Limits::default()) {
        let _ = (m.digest(), m.report());
    }
});
