//! The manifest a registry call fetched, as an object (the other results
//! are in [`crate::records`]).

use napi_derive::napi;
use tranship::registry::Resolved;

use crate::manifest::Manifest;

/// A manifest fetched from a registry.
#[napi(object, object_from_js = false)]
pub struct FetchedManifest {
    /// The manifest, with the exact bytes the registry sent.
    pub manifest: Manifest,
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
            manifest: Manifest::from(r.fetched.manifest),
            digest: r.fetched.digest.to_string(),
            content_type: r.fetched.content_type,
            reference: r.reference.to_string(),
            index_digest,
            platform,
        }
    }
}
