//! Descriptors: the `{mediaType, digest, size}` pointers that manifests
//! and indexes use to name configs, layers and child manifests.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::digest::Digest;
use crate::media_type::MediaType;
use crate::platform::Platform;

/// A content descriptor (OCI image spec, "Descriptors"); Docker schema2
/// and manifest lists use the same shape.
///
/// Fields tranship does not model (e.g. `data`) are kept in
/// [`Descriptor::extra`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Descriptor {
    /// Media type of the referenced content.
    pub media_type: MediaType,
    /// Digest of the referenced content.
    pub digest: Digest,
    /// Size of the referenced content in bytes.
    pub size: u64,
    /// Alternative download locations (foreign layers).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub urls: Vec<String>,
    /// Arbitrary metadata.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
    /// Platform of a child manifest (indexes and lists only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform: Option<Platform>,
    /// Artifact type of the referenced manifest (OCI 1.1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub artifact_type: Option<String>,
    /// Any other field, kept as found.
    #[serde(flatten)]
    pub extra: BTreeMap<String, serde_json::Value>,
}
