//! Sizes and diff_ids of layer blobs for an upconversion: schema1 records
//! neither, so they come from what the caller knows, the diff_id cache,
//! or the blobs themselves.
//!
//! - size: [`ConvertOptions::layer_sizes`], else the blob store's file,
//!   else the cache; otherwise `BLOB_UNKNOWN` naming the blob (a size is
//!   never guessed);
//! - diff_id: [`ConvertOptions::diff_ids`], else the cache, else computed
//!   from the blob store (in parallel, verified against the blob digest,
//!   and added to the cache); otherwise `BLOB_UNKNOWN`.

use super::ConvertOptions;
use crate::digest::Digest;
use crate::error::{Error, Result};
use crate::layer::{diff_ids, LayerSource};

/// What a schema 2 layer descriptor and the config's `rootfs` need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LayerInfo {
    pub(crate) size: u64,
    pub(crate) diff_id: Digest,
}

/// Sizes and diff_ids of `blobs` (in order; repeats allowed).
pub(crate) fn resolve(blobs: &[&Digest], opts: &ConvertOptions) -> Result<Vec<LayerInfo>> {
    let store = opts.blobs.as_ref();
    let in_store = |d: &Digest| store.is_some_and(|s| s.contains(d));
    let missing = |d: &Digest, what: &str| {
        let place = match store {
            Some(s) => format!("it is not in the blob store {}", s.root().display()),
            None => "no blob store was given".to_string(),
        };
        Error::BlobUnknown {
            message: format!("layer {d}: its {what} is needed (schema1 records none) and {place}"),
        }
    };
    let mut sizes = Vec::with_capacity(blobs.len());
    let mut known = Vec::with_capacity(blobs.len());
    let mut to_compute = Vec::new();
    for (i, &blob) in blobs.iter().enumerate() {
        let cached = opts.cache.get(blob);
        let size = match (opts.layer_sizes.get(blob), store) {
            (Some(&n), _) => n,
            (None, Some(s)) if in_store(blob) => s.size(blob)?,
            _ => match &cached {
                Some(c) => c.compressed_size,
                None => return Err(missing(blob, "size")),
            },
        };
        sizes.push(size);
        let diff_id = opts
            .diff_ids
            .get(blob)
            .cloned()
            .or_else(|| cached.map(|c| c.diff_id));
        match (diff_id, store) {
            (Some(d), _) => known.push(Some(d)),
            (None, Some(s)) if in_store(blob) => {
                known.push(None);
                to_compute.push((i, LayerSource::file(s.path(blob)).with_digest(blob.clone())));
            }
            _ => return Err(missing(blob, "diff_id")),
        }
    }
    let (positions, sources): (Vec<usize>, Vec<LayerSource<'_>>) = to_compute.into_iter().unzip();
    for (i, computed) in
        positions
            .into_iter()
            .zip(diff_ids(sources, &opts.cache, &opts.diff_id_options)?)
    {
        known[i] = Some(computed.diff_id);
    }
    sizes
        .into_iter()
        .zip(known)
        .zip(blobs)
        .map(|((size, diff_id), blob)| match diff_id {
            Some(diff_id) => Ok(LayerInfo { size, diff_id }),
            None => Err(missing(blob, "diff_id")),
        })
        .collect()
}
