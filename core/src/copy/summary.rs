//! What a copy did, for people (the CLI's text) and tools (`--json`,
//! the bindings' result objects).

use serde::Serialize;

use crate::convert::ConversionReport;
use crate::digest::Digest;
use crate::layer::LayerFormat;

/// The outcome of one copy.
#[derive(Debug, Clone, Serialize)]
pub struct CopySummary {
    /// The source address.
    pub source: String,
    /// The destination address.
    pub destination: String,
    /// The digest of what the source address named (an index or image).
    pub source_digest: Digest,
    /// The digest of what the destination now holds under its name;
    /// equal to `source_digest` unless something was converted or a
    /// platform was picked out of an index.
    pub destination_digest: Digest,
    /// The media type written at the destination.
    pub media_type: String,
    /// The platforms copied out of an index (empty for a single image).
    pub platforms: Vec<String>,
    /// Why those (or why the whole index).
    pub platform_reason: String,
    /// Children the written index names but that were not copied: the
    /// index is kept as it is (same digest) and is sparse at the
    /// destination.
    pub sparse: Vec<Digest>,
    /// Children dropped from the index because they were not copied
    /// (strip-missing): the index was rewritten and its digest changed.
    pub stripped: Vec<Digest>,
    /// The signatures, attestations and other artifacts copied because
    /// they refer to an image copied.
    pub referrers: Vec<ReferrerSummary>,
    /// What the copy left behind, and why (referrers of a converted
    /// image, a destination that cannot hold referrers).
    pub warnings: Vec<String>,
    /// Every conversion, with old and new digests.
    pub conversions: Vec<ConversionReport>,
    /// Every layer written in another compression, with its old and new
    /// digest (the diff_id is unchanged).
    pub recompressed: Vec<RecompressedLayer>,
    /// Every blob, once each.
    pub blobs: Vec<BlobSummary>,
    /// Bytes written to the destination (blobs that existed or were
    /// mounted count for nothing).
    pub bytes_copied: u64,
    /// Manifests written, children first, the named one last.
    pub manifests: Vec<Digest>,
}

/// One blob of a copy.
#[derive(Debug, Clone, Serialize)]
pub struct BlobSummary {
    /// Its digest.
    pub digest: Digest,
    /// Its size in bytes.
    pub size: u64,
    /// `existed`, `mounted` or `copied`.
    pub outcome: &'static str,
}

/// A layer a copy wrote in another compression.
#[derive(Debug, Clone, Serialize)]
pub struct RecompressedLayer {
    /// The source blob's digest.
    pub source: Digest,
    /// The source blob's size.
    pub source_size: u64,
    /// The new blob's digest, as the written manifest names it.
    pub digest: Digest,
    /// The new blob's size.
    pub size: u64,
    /// The diff_id, the same for both.
    pub diff_id: Digest,
    /// The new blob's compression.
    pub compression: LayerFormat,
}

/// An artifact copied because it refers to an image copied.
#[derive(Debug, Clone, Serialize)]
pub struct ReferrerSummary {
    /// The image it refers to.
    pub subject: Digest,
    /// The referrer's own digest.
    pub digest: Digest,
    /// Its artifact type, when it declares one.
    pub artifact_type: Option<String>,
    /// The cosign tag it was found under (`sha256-<hex>.sig`, ...), or
    /// none when found by its subject.
    pub tag: Option<String>,
}
