//! The empty layer: the 32-byte gzip blob Docker and distribution use for
//! layers that change nothing ("throwaway" schema1 entries).

use super::{Compression, LayerDigests};
use crate::digest::Digest;

/// The empty-layer blob: gzip of 1024 zero bytes (an empty tar archive),
/// byte for byte as distribution and Docker write it.
pub const EMPTY_LAYER_GZIP: [u8; 32] = [
    0x1f, 0x8b, 0x08, 0x00, 0x00, 0x09, 0x6e, 0x88, 0x00, 0xff, 0x62, 0x18, 0x05, 0xa3, 0x60, 0x14,
    0x8c, 0x58, 0x00, 0x08, 0x00, 0x00, 0xff, 0xff, 0x2e, 0xaf, 0xb5, 0xef, 0x00, 0x04, 0x00, 0x00,
];

/// Digest of [`EMPTY_LAYER_GZIP`], the `blobSum` of throwaway entries.
pub const EMPTY_LAYER_DIGEST: &str =
    "sha256:a3ed95caeb02ffe68cdd9fd84406680ae93d633cb16422d00e8a7c22955b46d4";

/// diff_id of [`EMPTY_LAYER_GZIP`]: sha256 of 1024 zero bytes.
pub const EMPTY_LAYER_DIFF_ID: &str =
    "sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef";

/// The digests of [`EMPTY_LAYER_GZIP`], without decompressing anything.
pub fn empty_layer() -> LayerDigests {
    LayerDigests {
        compressed: Digest::sha256(&EMPTY_LAYER_GZIP),
        compressed_size: EMPTY_LAYER_GZIP.len() as u64,
        diff_id: Digest::sha256(&[0u8; 1024]),
        uncompressed_size: 1024,
        compression: Compression::Gzip,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constants_agree_with_the_bytes() {
        let e = empty_layer();
        assert_eq!(e.compressed.to_string(), EMPTY_LAYER_DIGEST);
        assert_eq!(e.diff_id.to_string(), EMPTY_LAYER_DIFF_ID);
    }
}
