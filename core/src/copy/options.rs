//! What a copy may be told, with its defaults.

use std::sync::Arc;

use crate::convert::{Signing, Target};
use crate::layer::CompressOptions;
use crate::limits::Limits;
use crate::platform::Platform;
use crate::progress::Progress;

/// Blobs moved at once by default.
pub const DEFAULT_JOBS: usize = 4;

/// The choices of one copy; `CopyOptions::default()` copies what the
/// destination can hold with the artifacts that refer to it, keeps every
/// digest, and moves four blobs at once.
#[derive(Clone)]
#[non_exhaustive]
pub struct CopyOptions {
    /// Platforms to copy from an index (empty: see [`CopyOptions::all`]).
    pub platforms: Vec<Platform>,
    /// Copy every child of an index. With neither this nor platforms, a
    /// destination that holds indexes gets the whole index, and one that
    /// does not (a docker-archive) gets the host's platform.
    pub all: bool,
    /// Convert the image to this format (digests change and are
    /// reported); `None` keeps the bytes, unless the destination cannot
    /// store the format at all (schema1 into a layout or an archive is
    /// upconverted).
    pub format: Option<Target>,
    /// How a conversion to schema1 signs (default: a new ES256 key).
    pub signing: Signing,
    /// Blobs moved at once (at least 1).
    pub jobs: usize,
    /// More names for a docker-archive (`RepoTags`), each `name:tag`.
    pub additional_tags: Vec<String>,
    /// Write a docker-archive with the entries of the format before
    /// Docker 25 too (a folder per layer and `repositories`), for loaders
    /// that do not read `manifest.json`.
    pub legacy: bool,
    /// When only some children of an index are copied, rewrite the index
    /// to name just those (its digest changes) instead of keeping it as
    /// it is, sparse at the destination.
    pub strip_missing: bool,
    /// Fail before writing anything when the copy would change a digest
    /// (a conversion, a rewritten index).
    pub preserve_digests: bool,
    /// Bring the artifacts that refer to each image copied (signatures,
    /// attestations, SBOMs: the referrers API, its tag schema and cosign's
    /// tags), as they are.
    pub referrers: bool,
    /// Write the image's layers in this compression (their digests
    /// change and are reported; layers already in it are kept). Without
    /// it, plain layers going to a registry are written in gzip unless
    /// `preserve_digests` is set.
    pub compress: Option<CompressOptions>,
    /// Size caps for what is read.
    pub limits: Limits,
    /// Receives blob progress events.
    pub progress: Option<Arc<dyn Progress>>,
}

impl Default for CopyOptions {
    fn default() -> Self {
        CopyOptions {
            platforms: Vec::new(),
            all: false,
            format: None,
            signing: Signing::Key(crate::convert::sign::Schema1Key::generate()),
            jobs: DEFAULT_JOBS,
            additional_tags: Vec::new(),
            legacy: false,
            strip_missing: false,
            preserve_digests: false,
            referrers: true,
            compress: None,
            limits: Limits::default(),
            progress: None,
        }
    }
}

impl std::fmt::Debug for CopyOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CopyOptions")
            .field("platforms", &self.platforms)
            .field("all", &self.all)
            .field("format", &self.format)
            .field("jobs", &self.jobs)
            .field("additional_tags", &self.additional_tags)
            .field("legacy", &self.legacy)
            .field("strip_missing", &self.strip_missing)
            .field("preserve_digests", &self.preserve_digests)
            .field("referrers", &self.referrers)
            .field("compress", &self.compress)
            .finish_non_exhaustive()
    }
}
