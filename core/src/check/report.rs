//! What a check found, for people (the CLI's text) and tools (`--json`,
//! the bindings' result objects).

use serde::Serialize;

use crate::digest::Digest;

/// The state of one manifest or blob an image names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckState {
    /// There, with the size and (when hashed) the digest it should have.
    Present,
    /// Not there.
    Missing,
    /// There, but its bytes hash to another digest.
    DigestMismatch,
    /// There, but of another size than its descriptor says.
    SizeMismatch,
}

impl CheckState {
    /// `present`, `missing`, `digest_mismatch` or `size_mismatch`.
    pub fn as_str(self) -> &'static str {
        match self {
            CheckState::Present => "present",
            CheckState::Missing => "missing",
            CheckState::DigestMismatch => "digest_mismatch",
            CheckState::SizeMismatch => "size_mismatch",
        }
    }
}

/// A child manifest of an index.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChildCheck {
    /// Its digest, as the index names it.
    pub digest: Digest,
    /// Its platform as the index gives it (normalised text), if any.
    pub platform: Option<String>,
    /// What was found.
    pub state: CheckState,
}

/// A blob (config or layer) of an image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BlobCheck {
    /// Its digest.
    pub digest: Digest,
    /// The size its descriptor gives (schema1 layers give none).
    pub size: Option<u64>,
    /// The size found, when it is there.
    pub found_size: Option<u64>,
    /// What was found.
    pub state: CheckState,
}

/// The outcome of a check: every child and blob the image names, once
/// each, in the order they are named (children first, then each image's
/// config and layers).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckReport {
    /// The address checked.
    pub address: String,
    /// The digest of what the address names.
    pub digest: Digest,
    /// Its media type.
    pub media_type: String,
    /// True when every child and blob is present.
    pub complete: bool,
    /// True when blob contents were hashed; false when only their
    /// presence and size were checked (registries, unless asked).
    pub hashed: bool,
    /// The children of an index (empty for a single image).
    pub children: Vec<ChildCheck>,
    /// The blobs of every image present.
    pub blobs: Vec<BlobCheck>,
}

impl CheckReport {
    /// How many children and blobs are in `state`.
    pub fn count(&self, state: CheckState) -> usize {
        self.children.iter().filter(|c| c.state == state).count()
            + self.blobs.iter().filter(|b| b.state == state).count()
    }
}
