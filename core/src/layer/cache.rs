//! Results of earlier diff_id computations, keyed by blob digest.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

use super::{empty_layer, LayerDigests};
use crate::digest::Digest;

/// A thread-safe map from a blob's digest to its [`LayerDigests`], so a
/// layer shared by several images (or repeated in one schema1 manifest)
/// is decompressed once.
///
/// A new cache already knows the empty layer ([`super::EMPTY_LAYER_GZIP`]).
///
/// ```
/// use tranship::layer::{DiffIdCache, EMPTY_LAYER_DIGEST};
/// let cache = DiffIdCache::new();
/// let empty = cache.get(&EMPTY_LAYER_DIGEST.parse().unwrap()).unwrap();
/// assert_eq!(empty.uncompressed_size, 1024);
/// ```
#[derive(Debug)]
pub struct DiffIdCache {
    entries: Mutex<HashMap<Digest, LayerDigests>>,
}

impl DiffIdCache {
    /// A cache holding only the empty layer.
    pub fn new() -> Self {
        let cache = DiffIdCache {
            entries: Mutex::new(HashMap::new()),
        };
        cache.insert(empty_layer());
        cache
    }

    /// The digests recorded for the blob with digest `compressed`.
    pub fn get(&self, compressed: &Digest) -> Option<LayerDigests> {
        self.lock().get(compressed).cloned()
    }

    /// Records `digests` under its compressed digest.
    pub fn insert(&self, digests: LayerDigests) {
        self.lock().insert(digests.compressed.clone(), digests);
    }

    /// Number of blobs recorded.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether nothing is recorded (never true for a cache made by
    /// [`DiffIdCache::new`], which knows the empty layer).
    pub fn is_empty(&self) -> bool {
        self.lock().is_empty()
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<Digest, LayerDigests>> {
        // A panic elsewhere cannot leave a half-written entry behind (each
        // update is one insert), so a poisoned map is still good.
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Default for DiffIdCache {
    fn default() -> Self {
        Self::new()
    }
}
