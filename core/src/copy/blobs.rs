//! Moving an image's blobs: in parallel, each made present at the
//! destination without moving bytes when it can (already there, mounted),
//! else copied from the source's local file or fetched and staged first.

use std::path::PathBuf;

use futures_util::stream::{self, StreamExt, TryStreamExt};

use super::CopyOptions;
use crate::descriptor::Descriptor;
use crate::digest::Digest;
use crate::error::Result;
use crate::image::{blocking, BlobFile, BlobOutcome, BlobRef, ImageDestination, ImageSource};
use crate::layer::{diff_id, DiffIdOptions};
use crate::manifest::{Manifest, ManifestKind};
use crate::progress::{Direction, Phase, ProgressEvent};

/// One blob, moved.
#[derive(Debug, Clone)]
pub(super) struct Moved {
    pub(super) digest: Digest,
    pub(super) size: u64,
    pub(super) outcome: BlobOutcome,
    /// Computed when asked (schema1 upconversion).
    pub(super) diff_id: Option<Digest>,
}

/// The blobs of an image manifest: config first, then layers, each once.
pub(super) fn image_blobs(manifest: &Manifest) -> Vec<BlobRef> {
    let mut blobs: Vec<BlobRef> = Vec::new();
    let mut push = |blob: BlobRef| {
        if !blobs.iter().any(|b| b.digest == blob.digest) {
            blobs.push(blob);
        }
    };
    let described = |d: &Descriptor| BlobRef {
        digest: d.digest.clone(),
        size: Some(d.size),
        media_type: Some(d.media_type.clone()),
    };
    match manifest.kind() {
        ManifestKind::Image(image) => {
            push(described(&image.config));
            image.layers.iter().map(described).for_each(push);
        }
        ManifestKind::Schema1(s1) => {
            // Bottom-most first, as they are applied.
            for layer in s1.fs_layers.iter().rev() {
                push(BlobRef {
                    digest: layer.blob_sum.clone(),
                    size: None,
                    media_type: None,
                });
            }
        }
        ManifestKind::Index(_) => {}
    }
    blobs
}

/// Moves `blobs`, at most `options.jobs` at once, in their order.
pub(super) async fn move_blobs(
    source: &dyn ImageSource,
    destination: &dyn ImageDestination,
    blobs: &[BlobRef],
    diff_ids: bool,
    options: &CopyOptions,
) -> Result<Vec<Moved>> {
    // The futures are made before they are streamed: a stream over a
    // borrowing closure would keep `copy`'s future from being `Send` for
    // callers that spawn it (the bindings).
    let moves: Vec<_> = blobs
        .iter()
        .map(|blob| move_blob(source, destination, blob, diff_ids, options))
        .collect();
    stream::iter(moves)
        .buffered(options.jobs.max(1))
        .try_collect()
        .await
}

async fn move_blob(
    source: &dyn ImageSource,
    destination: &dyn ImageDestination,
    blob: &BlobRef,
    want_diff_id: bool,
    options: &CopyOptions,
) -> Result<Moved> {
    let report = |phase, done, total| {
        if let Some(sink) = &options.progress {
            sink.on_event(&ProgressEvent {
                direction: Direction::Upload,
                digest: blob.digest.clone(),
                phase,
                done,
                total,
            });
        }
    };
    let reused = destination.reuse_blob(blob).await?;
    if let Some(outcome) = reused {
        let phase = match outcome {
            BlobOutcome::Mounted => Phase::Mounted,
            _ => Phase::Exists,
        };
        report(phase, blob.size.unwrap_or(0), blob.size);
        if !want_diff_id {
            return Ok(Moved {
                digest: blob.digest.clone(),
                size: blob.size.unwrap_or(0),
                outcome,
                diff_id: None,
            });
        }
    }
    let (file, staged) = local_copy(source, destination, blob).await?;
    let diff_id = if want_diff_id {
        let (file, expected) = (file.clone(), blob.digest.clone());
        Some(
            blocking(move || {
                let digests = diff_id(file.open()?, &DiffIdOptions::default())?;
                if digests.compressed != expected {
                    return Err(crate::Error::DigestMismatch {
                        expected,
                        actual: digests.compressed,
                    });
                }
                Ok(digests.diff_id)
            })
            .await?,
        )
    } else {
        None
    };
    let size = file.len;
    let outcome = match reused {
        Some(outcome) => outcome,
        None => {
            report(Phase::Started, 0, Some(size));
            destination
                .put_blob(&blob.digest, file, staged.is_some())
                .await?;
            report(Phase::Finished, size, Some(size));
            BlobOutcome::Copied
        }
    };
    drop(staged);
    Ok(Moved {
        digest: blob.digest.clone(),
        size,
        outcome,
        diff_id,
    })
}

/// The blob as a local range: the source's own file, or a staged
/// download (removed when the guard drops, unless the destination moved
/// it into place).
async fn local_copy(
    source: &dyn ImageSource,
    destination: &dyn ImageDestination,
    blob: &BlobRef,
) -> Result<(BlobFile, Option<Staged>)> {
    if let Some(file) = source.local_blob(blob)? {
        return Ok((file, None));
    }
    let path = destination.staging_dir().join(format!(
        ".tranship-stage-{}-{}",
        std::process::id(),
        blob.digest.hex()
    ));
    let staged = Staged(path.clone());
    let size = source.fetch_blob(blob, &path).await?;
    Ok((BlobFile::whole(path, size), Some(staged)))
}

/// A small blob's bytes (a config), from the source's file or fetched.
pub(super) async fn read_small(
    source: &dyn ImageSource,
    destination: &dyn ImageDestination,
    descriptor: &Descriptor,
    limit: u64,
) -> Result<Vec<u8>> {
    crate::limits::Limits::check("config size in bytes", descriptor.size, limit)?;
    let blob = BlobRef {
        digest: descriptor.digest.clone(),
        size: Some(descriptor.size),
        media_type: Some(descriptor.media_type.clone()),
    };
    let (file, _staged) = local_copy(source, destination, &blob).await?;
    let bytes = file.read_all(limit)?;
    descriptor.digest.verify(&bytes)?;
    Ok(bytes)
}

/// A staged file, removed when dropped (a no-op once it was moved).
struct Staged(PathBuf);

impl Drop for Staged {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}
