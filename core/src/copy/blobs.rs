//! Moving an image's blobs: in parallel, each made present at the
//! destination without moving bytes when it can (already there, mounted),
//! else copied from the source's local file or fetched and staged first.

use std::path::PathBuf;

use futures_util::stream::{self, StreamExt, TryStreamExt};
use futures_util::TryFutureExt;

use super::CopyOptions;
use crate::descriptor::Descriptor;
use crate::digest::Digest;
use crate::error::Result;
use crate::image::{
    blocking, BlobFile, BlobOutcome, BlobRef, Growth, ImageDestination, ImageSource,
};
use crate::layer::{diff_id, DiffIdOptions};
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
    let reused = destination.reuse_blob(blob).await?;
    if let Some(outcome) = reused {
        let phase = match outcome {
            BlobOutcome::Mounted => Phase::Mounted,
            _ => Phase::Exists,
        };
        report(options, blob, phase, blob.size.unwrap_or(0), blob.size);
        if !want_diff_id {
            return Ok(Moved {
                digest: blob.digest.clone(),
                size: blob.size.unwrap_or(0),
                outcome,
                diff_id: None,
            });
        }
    }
    let using = Using {
        destination,
        blob,
        reused,
        want_diff_id,
        options,
    };
    if let Some(file) = source.local_blob(blob)? {
        return using.file(file, false).await;
    }
    let staged = Staged::new(destination, blob);
    let growth = Growth::new();
    let fetch = async {
        let fetched = source.fetch_blob(blob, &staged.0, &growth).await;
        if let Err(e) = &fetched {
            growth.finish(Err(e.to_string()));
        }
        fetched
    };
    if !destination.follows_fetches() {
        let size = fetch.await?;
        return using.file(BlobFile::whole(&staged.0, size), true).await;
    }
    // The destination and the diff_id follow the file as it arrives.
    let follow = async {
        let size = growth
            .size()
            .await
            .map_err(|e| crate::Error::io(format!("fetching {}", blob.digest), e))?;
        using
            .file(BlobFile::growing(&staged.0, size, growth.clone()), true)
            .await
    };
    // The fetch first: when it fails, its error (not a follower's) is told.
    let ((), moved) = tokio::try_join!(biased; fetch.map_ok(drop), follow)?;
    Ok(moved)
}

/// What is done with a blob's local bytes.
struct Using<'a> {
    destination: &'a dyn ImageDestination,
    blob: &'a BlobRef,
    /// How the destination already has it, if it does.
    reused: Option<BlobOutcome>,
    want_diff_id: bool,
    options: &'a CopyOptions,
}

impl Using<'_> {
    /// Computes the diff_id when wanted and stores the blob unless the
    /// destination has it, both reading `file` at once. `owned`: a staged
    /// copy, verified as it was fetched.
    async fn file(&self, file: BlobFile, owned: bool) -> Result<Moved> {
        let size = file.len;
        let diff_id = async {
            if !self.want_diff_id {
                return Ok(None);
            }
            let (file, expected) = (file.clone(), self.blob.digest.clone());
            blocking(move || {
                let digests = diff_id(file.open()?, &DiffIdOptions::default())?;
                if digests.compressed != expected {
                    return Err(crate::Error::DigestMismatch {
                        expected,
                        actual: digests.compressed,
                    });
                }
                Ok(Some(digests.diff_id))
            })
            .await
        };
        let put = async {
            if let Some(outcome) = self.reused {
                return Ok(outcome);
            }
            report(self.options, self.blob, Phase::Started, 0, Some(size));
            self.destination
                .put_blob(&self.blob.digest, file.clone(), owned)
                .await?;
            report(self.options, self.blob, Phase::Finished, size, Some(size));
            Ok(BlobOutcome::Copied)
        };
        let (diff_id, outcome) = tokio::try_join!(diff_id, put)?;
        Ok(Moved {
            digest: self.blob.digest.clone(),
            size,
            outcome,
            diff_id,
        })
    }
}

/// Reports an upload event for `blob` to the copy's progress sink.
pub(super) fn report(
    options: &CopyOptions,
    blob: &BlobRef,
    phase: Phase,
    done: u64,
    total: Option<u64>,
) {
    if let Some(sink) = &options.progress {
        sink.on_event(&ProgressEvent {
            direction: Direction::Upload,
            digest: blob.digest.clone(),
            phase,
            done,
            total,
        });
    }
}

/// The blob as a local range: the source's own file, or a staged
/// download (removed when the guard drops, unless the destination moved
/// it into place).
pub(super) async fn local_copy(
    source: &dyn ImageSource,
    destination: &dyn ImageDestination,
    blob: &BlobRef,
) -> Result<(BlobFile, Option<Staged>)> {
    if let Some(file) = source.local_blob(blob)? {
        return Ok((file, None));
    }
    let staged = Staged::new(destination, blob);
    let size = source.fetch_blob(blob, &staged.0, &Growth::new()).await?;
    Ok((BlobFile::whole(&staged.0, size), Some(staged)))
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
pub(super) struct Staged(pub(super) PathBuf);

impl Staged {
    /// A staging path for `blob` in the destination's staging folder.
    fn new(destination: &dyn ImageDestination, blob: &BlobRef) -> Staged {
        Staged::named(destination, blob.digest.hex())
    }

    /// A staging path called `what` in the destination's staging folder.
    pub(super) fn named(destination: &dyn ImageDestination, what: &str) -> Staged {
        Staged(
            destination
                .staging_dir()
                .join(format!(".tranship-stage-{}-{what}", std::process::id(),)),
        )
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}
