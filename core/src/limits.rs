//! Caps that keep hostile input harmless.
//!
//! Every parser takes a [`Limits`]; the defaults follow the distribution
//! registry (4 MiB manifests) and are generous for real images.

/// Bounds applied while parsing manifests and configs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest manifest accepted, in bytes (default 4 MiB).
    pub max_manifest_bytes: u64,
    /// Largest image config accepted, in bytes (default 4 MiB).
    pub max_config_bytes: u64,
    /// Most layers (or schema1 `fsLayers`) in one manifest (default 1000).
    pub max_layers: u64,
    /// Most entries in one index or manifest list (default 1000).
    pub max_children: u64,
    /// Deepest JSON nesting accepted (default 64).
    pub max_json_depth: u64,
    /// Most JWS signatures on one signed schema1 manifest (default 16;
    /// each is an ECDSA verification).
    pub max_signatures: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_manifest_bytes: 4 * 1024 * 1024,
            max_config_bytes: 4 * 1024 * 1024,
            max_layers: 1000,
            max_children: 1000,
            max_json_depth: 64,
            max_signatures: 16,
        }
    }
}

impl Limits {
    /// Fails with `LIMIT_EXCEEDED` when `found` is over `limit`.
    pub fn check(what: &'static str, found: u64, limit: u64) -> crate::Result<()> {
        if found > limit {
            Err(crate::Error::LimitExceeded { what, found, limit })
        } else {
            Ok(())
        }
    }
}
