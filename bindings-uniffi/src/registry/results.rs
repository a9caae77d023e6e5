//! What registry calls return, as records.

use std::collections::HashMap;
use std::sync::Arc;

use tranship::registry::Resolved;

use crate::manifest::Manifest;
use crate::report::ConversionReport;

/// A manifest fetched from a registry.
#[derive(Debug, Clone, uniffi::Record)]
pub struct FetchedManifest {
    /// The manifest, with the exact bytes the registry sent.
    pub manifest: Arc<Manifest>,
    /// Its digest, checked against the bytes.
    pub digest: String,
    /// The `Content-Type` the registry sent.
    pub content_type: Option<String>,
    /// What was fetched: the reference asked for, or the chosen child by
    /// digest when a platform was chosen from an index.
    pub reference: String,
    /// The index's digest, when a platform was chosen from one.
    pub index_digest: Option<String>,
    /// The chosen entry's platform, when one was chosen.
    pub platform: Option<String>,
}

impl From<Resolved> for FetchedManifest {
    fn from(r: Resolved) -> Self {
        let (index_digest, platform) = match r.from_index {
            Some(choice) => (Some(choice.index_digest), Some(choice.platform)),
            None => (None, None),
        };
        FetchedManifest {
            manifest: Arc::new(Manifest::from(r.fetched.manifest)),
            digest: r.fetched.digest.to_string(),
            content_type: r.fetched.content_type,
            reference: r.reference.to_string(),
            index_digest,
            platform,
        }
    }
}

/// What a HEAD request says about a manifest.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ManifestHead {
    /// `Docker-Content-Digest`, when sent.
    pub digest: Option<String>,
    /// The media type (`Content-Type`), when sent.
    pub media_type: Option<String>,
    /// The size in bytes (`Content-Length`), when sent.
    pub size: Option<u64>,
}

impl From<tranship::registry::ManifestHead> for ManifestHead {
    fn from(h: tranship::registry::ManifestHead) -> Self {
        ManifestHead {
            digest: h.digest.map(|d| d.to_string()),
            media_type: h.media_type.map(|m| m.as_str().to_string()),
            size: h.size,
        }
    }
}

/// A blob the repository now has.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PushedBlob {
    /// The blob's digest.
    pub digest: String,
    /// Its size in bytes.
    pub size: u64,
    /// `existed`, `mounted` or `uploaded`.
    pub outcome: String,
}

impl From<tranship::registry::PushedBlob> for PushedBlob {
    fn from(p: tranship::registry::PushedBlob) -> Self {
        PushedBlob {
            digest: p.digest.to_string(),
            size: p.size,
            outcome: p.outcome.as_str().to_string(),
        }
    }
}

/// A descriptor: what a referrer listing holds.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Descriptor {
    /// Media type of the content.
    pub media_type: String,
    /// Digest of the content.
    pub digest: String,
    /// Size in bytes.
    pub size: u64,
    /// The artifact's type (OCI 1.1), when given.
    pub artifact_type: Option<String>,
    /// The descriptor's annotations.
    pub annotations: HashMap<String, String>,
}

impl From<tranship::Descriptor> for Descriptor {
    fn from(d: tranship::Descriptor) -> Self {
        Descriptor {
            media_type: d.media_type.as_str().to_string(),
            digest: d.digest.to_string(),
            size: d.size,
            artifact_type: d.artifact_type,
            annotations: d.annotations.into_iter().collect(),
        }
    }
}

/// What a copy did.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CopySummary {
    /// The source address.
    pub source: String,
    /// The destination address.
    pub destination: String,
    /// The digest of what the source address named (an index or image).
    pub source_digest: String,
    /// The digest of what the destination now holds under its name;
    /// equal to `sourceDigest` unless something was converted or a
    /// platform was picked out of an index.
    pub destination_digest: String,
    /// The media type written at the destination.
    pub media_type: String,
    /// The platforms copied out of an index (empty for a single image).
    pub platforms: Vec<String>,
    /// Why those (or why the whole index).
    pub platform_reason: String,
    /// Children the written index names but that were not copied: the
    /// index is kept as it is (same digest), sparse at the destination.
    pub sparse: Vec<String>,
    /// Children dropped from the index because they were not copied
    /// (`stripMissing`): the index was rewritten, its digest changed.
    pub stripped: Vec<String>,
    /// Every conversion, with old and new digests.
    pub conversions: Vec<ConversionReport>,
    /// Every blob, once each.
    pub blobs: Vec<BlobSummary>,
    /// Bytes written to the destination (blobs that existed or were
    /// mounted count for nothing).
    pub bytes_copied: u64,
    /// Manifests written, children first, the named one last.
    pub manifests: Vec<String>,
}

/// One blob of a copy.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct BlobSummary {
    /// Its digest.
    pub digest: String,
    /// Its size in bytes.
    pub size: u64,
    /// `existed`, `mounted` or `copied`.
    pub outcome: String,
}

impl From<tranship::copy::CopySummary> for CopySummary {
    fn from(s: tranship::copy::CopySummary) -> Self {
        CopySummary {
            source: s.source,
            destination: s.destination,
            source_digest: s.source_digest.to_string(),
            destination_digest: s.destination_digest.to_string(),
            media_type: s.media_type,
            platforms: s.platforms,
            platform_reason: s.platform_reason,
            sparse: s.sparse.iter().map(ToString::to_string).collect(),
            stripped: s.stripped.iter().map(ToString::to_string).collect(),
            conversions: s.conversions.into_iter().map(Into::into).collect(),
            blobs: s
                .blobs
                .into_iter()
                .map(|b| BlobSummary {
                    digest: b.digest.to_string(),
                    size: b.size,
                    outcome: b.outcome.to_string(),
                })
                .collect(),
            bytes_copied: s.bytes_copied,
            manifests: s.manifests.iter().map(ToString::to_string).collect(),
        }
    }
}
