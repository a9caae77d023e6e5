//! Layer blobs: any bytes must give a diff_id or an error, never a
//! panic (gzip goes through ISA-L's C decoder); what decodes must encode
//! again, and the blob written must decode to the same content.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tranship::layer::{compress, diff_id, CompressOptions, CompressSettings, DiffIdOptions};

fuzz_target!(|data: &[u8]| {
    let bounded = DiffIdOptions::default().with_max_uncompressed_bytes(1 << 24);
    let Ok(read) = diff_id(data, &bounded) else {
        return;
    };
    for format in ["gzip", "zstd"] {
        let settings = CompressSettings {
            format: Some(format.into()),
            threads: Some(2),
            max_uncompressed_bytes: Some(1 << 24),
            ..CompressSettings::default()
        };
        let opts = CompressOptions::from_settings(&settings).expect("valid settings");
        let mut blob = Vec::new();
        let written = compress(data, &mut blob, &opts).expect("what decodes encodes");
        assert_eq!(written.diff_id, read.diff_id);
        let again = diff_id(&blob[..], &bounded).expect("what we write decodes");
        assert_eq!(again.diff_id, read.diff_id);
        assert_eq!(again.compressed, written.compressed);
    }
});
