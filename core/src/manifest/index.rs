//! Multi-image manifests: Docker manifest lists and OCI image indexes.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::fields::Fields;
use crate::descriptor::Descriptor;
use crate::error::Result;
use crate::limits::Limits;
use crate::media_type::MediaType;

/// A Docker manifest list or an OCI image index.
///
/// Unknown fields are kept in [`Index::extra`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Index {
    /// Always 2.
    pub schema_version: u64,
    /// The `mediaType` field as found (optional in OCI indexes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_type: Option<MediaType>,
    /// The artifact type (OCI 1.1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub artifact_type: Option<String>,
    /// The child manifests, each usually with a platform.
    #[serde(default)]
    pub manifests: Vec<Descriptor>,
    /// The manifest this index refers to (OCI 1.1 referrers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<Descriptor>,
    /// Arbitrary metadata.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
    /// Any other field, kept as found.
    #[serde(flatten)]
    pub extra: BTreeMap<String, Value>,
}

impl Index {
    /// Reads the fields of a body already known to be an index or list.
    pub(crate) fn parse(mut f: Fields, limits: &Limits) -> Result<Index> {
        let schema_version = f.u64("schemaVersion")?.unwrap_or(2);
        let media_type = f.media_type("mediaType")?;
        let artifact_type = f.string("artifactType")?;
        let manifests = f.descriptors(
            "manifests",
            ("number of index entries", limits.max_children),
        )?;
        let subject = f.descriptor("subject")?;
        let annotations = f.string_map("annotations")?;
        Ok(Index {
            schema_version,
            media_type,
            artifact_type,
            manifests,
            subject,
            annotations,
            extra: f.rest(),
        })
    }
}
