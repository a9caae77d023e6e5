//! Checking that an image is whole where it is: every child of an index
//! and every blob of every image, each reported present, missing, of the
//! wrong size or with the wrong digest.
//!
//! A sparse index (one whose children are not all there, as mirrors of
//! a few platforms keep them) reads fine and is reported incomplete with
//! exactly the children it lacks. Layouts and archives are on disk, so
//! every blob is hashed; a registry's blobs are checked for presence and
//! size (a `HEAD` each) unless [`CheckSettings::full`] asks to download
//! and hash them too. Manifests are always read and their digests
//! verified.
//!
//! ```no_run
//! # async fn run() -> tranship::Result<()> {
//! use tranship::check::{check, CheckRequest, CheckSettings};
//! let request = CheckRequest::from_settings("oci:mirror:app", &CheckSettings::default())?;
//! let client = tranship::registry::Client::new(Default::default());
//! let report = check(&request, &client).await?;
//! for child in report.children.iter().filter(|c| c.state.as_str() == "missing") {
//!     println!("missing {} ({:?})", child.digest, child.platform);
//! }
//! # Ok(()) }
//! ```

mod report;

pub use report::{BlobCheck, CheckReport, CheckState, ChildCheck};

use crate::error::{Error, Result};
use crate::fs::AtomicFile;
use crate::image::{blocking, image_blobs, BlobRef, Growth, ImageSource};
use crate::limits::{LimitSettings, Limits};
use crate::manifest::Manifest;
use crate::places::open_source;
use crate::registry::Client;
use crate::transport::Address;

/// How deep indexes may nest inside one another.
const MAX_NESTING: usize = 4;

/// A check's choices as plain values, as front ends collect them.
#[derive(Debug, Clone, Default)]
pub struct CheckSettings {
    /// Download and hash a registry's blobs too (layouts and archives
    /// are always hashed).
    pub full: bool,
    /// Size caps for the manifests read.
    pub limits: LimitSettings,
}

/// One check: the address and whether blob contents are hashed.
#[derive(Debug, Clone)]
pub struct CheckRequest {
    /// What to check.
    pub address: Address,
    /// Whether every blob's bytes are hashed.
    pub hash_blobs: bool,
    /// Size caps for the manifests read.
    pub limits: Limits,
}

impl CheckRequest {
    /// A check of `address` as `settings` ask. Fails with
    /// `INVALID_ADDRESS` or `INVALID_REFERENCE` when the address cannot
    /// be parsed, `INVALID_CONFIG` for a bad limit.
    ///
    /// ```
    /// use tranship::check::{CheckRequest, CheckSettings};
    /// let r = CheckRequest::from_settings("oci:/tmp/l:app", &CheckSettings::default())?;
    /// assert!(r.hash_blobs);
    /// let r = CheckRequest::from_settings("localhost:5000/app:v1", &CheckSettings::default())?;
    /// assert!(!r.hash_blobs);
    /// # Ok::<(), tranship::Error>(())
    /// ```
    pub fn from_settings(address: &str, settings: &CheckSettings) -> Result<CheckRequest> {
        let address: Address = address.parse()?;
        let hash_blobs = settings.full || !matches!(address, Address::Registry(_));
        Ok(CheckRequest {
            address,
            hash_blobs,
            limits: Limits::from_settings(&settings.limits)?,
        })
    }
}

/// Checks what `request.address` names; registries are reached through
/// `client`. The report says what is there and what is not; an error is
/// returned only when the named manifest itself cannot be read (absent:
/// `MANIFEST_UNKNOWN`; not what its digest says: `DIGEST_MISMATCH`) or
/// the place cannot be reached.
pub async fn check(request: &CheckRequest, client: &Client) -> Result<CheckReport> {
    let source = open_source(&request.address, client, request.limits, None)?;
    let root = source.root().await?;
    let mut walk = Walk {
        source: source.as_ref(),
        hash: request.hash_blobs,
        children: Vec::new(),
        blobs: Vec::new(),
    };
    walk.manifest(&root, 0).await?;
    let complete = walk.children.iter().all(|c| c.state == CheckState::Present)
        && walk.blobs.iter().all(|b| b.state == CheckState::Present);
    Ok(CheckReport {
        address: source.describe(),
        digest: root.digest(),
        media_type: root.media_type().to_string(),
        complete,
        hashed: request.hash_blobs,
        children: walk.children,
        blobs: walk.blobs,
    })
}

/// A check in progress.
struct Walk<'a> {
    source: &'a dyn ImageSource,
    hash: bool,
    children: Vec<ChildCheck>,
    blobs: Vec<BlobCheck>,
}

impl Walk<'_> {
    /// Checks `manifest`'s children (an index) or blobs (an image).
    async fn manifest(&mut self, manifest: &Manifest, depth: usize) -> Result<()> {
        let Some(index) = manifest.as_index() else {
            for blob in image_blobs(manifest) {
                if !self.blobs.iter().any(|b| b.digest == blob.digest) {
                    let checked = self.blob(&blob).await?;
                    self.blobs.push(checked);
                }
            }
            return Ok(());
        };
        if depth >= MAX_NESTING {
            return Err(Error::InvalidManifest(format!(
                "indexes nested more than {MAX_NESTING} deep"
            )));
        }
        for entry in &index.manifests {
            if self.children.iter().any(|c| c.digest == entry.digest) {
                continue;
            }
            let (state, child) = match self.source.manifest(&entry.digest).await {
                Ok(child) if child.raw().len() as u64 != entry.size => {
                    (CheckState::SizeMismatch, Some(child))
                }
                Ok(child) => (CheckState::Present, Some(child)),
                Err(Error::ManifestUnknown { .. } | Error::BlobUnknown { .. }) => {
                    (CheckState::Missing, None)
                }
                Err(Error::DigestMismatch { .. }) => (CheckState::DigestMismatch, None),
                Err(e) => return Err(e),
            };
            self.children.push(ChildCheck {
                digest: entry.digest.clone(),
                platform: entry.platform.as_ref().map(ToString::to_string),
                state,
            });
            if let Some(child) = child {
                Box::pin(self.manifest(&child, depth + 1)).await?;
            }
        }
        Ok(())
    }

    /// Checks one blob: there, of its size, and (when hashing) of its
    /// digest.
    async fn blob(&self, blob: &BlobRef) -> Result<BlobCheck> {
        let local = self.source.local_blob(blob)?;
        let found_size = match &local {
            Some(file) => Some(file.len),
            None => self.source.blob_size(blob).await?,
        };
        let state = match found_size {
            None => CheckState::Missing,
            Some(found) if blob.size.is_some_and(|want| want != found) => CheckState::SizeMismatch,
            Some(_) if !self.hash => CheckState::Present,
            Some(_) => match local {
                Some(file) => {
                    let digest = blob.digest.clone();
                    hashed(blocking(move || file.verify(&digest)).await)?
                }
                None => hashed(self.fetched(blob).await)?,
            },
        };
        Ok(BlobCheck {
            digest: blob.digest.clone(),
            size: blob.size,
            found_size,
            state,
        })
    }

    /// Downloads `blob` into a scratch file (verified as it arrives),
    /// then removes it.
    async fn fetched(&self, blob: &BlobRef) -> Result<()> {
        // Never persisted: removed when dropped.
        let scratch = AtomicFile::beside(std::env::temp_dir().join(blob.digest.hex()));
        self.source
            .fetch_blob(blob, scratch.path(), &Growth::new())
            .await
            .map(|_| ())
    }
}

/// The state a verification's outcome gives.
fn hashed(verified: Result<()>) -> Result<CheckState> {
    match verified {
        Ok(()) => Ok(CheckState::Present),
        Err(Error::DigestMismatch { .. }) => Ok(CheckState::DigestMismatch),
        Err(Error::BlobUnknown { .. }) => Ok(CheckState::Missing),
        Err(e) => Err(e),
    }
}
