//! What registry calls return, as records.

use std::collections::HashMap;
use std::sync::Arc;

use tranship::registry::Resolved;

use crate::manifest::Manifest;

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
