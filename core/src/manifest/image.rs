//! Single-image manifests with a config: Docker schema 2 and OCI image
//! manifests (artifacts included).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::fields::Fields;
use crate::descriptor::Descriptor;
use crate::error::Result;
use crate::limits::Limits;
use crate::media_type::MediaType;

/// A Docker schema 2 or OCI image manifest.
///
/// The same shape serves both; OCI adds `artifactType`, `subject` and
/// `annotations`. Unknown fields are kept in [`ImageManifest::extra`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImageManifest {
    /// Always 2.
    pub schema_version: u64,
    /// The `mediaType` field as found (optional in OCI manifests).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_type: Option<MediaType>,
    /// The artifact type (OCI 1.1 artifacts).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub artifact_type: Option<String>,
    /// The config blob.
    pub config: Descriptor,
    /// The layers, base first (`null` reads as empty).
    #[serde(default)]
    pub layers: Vec<Descriptor>,
    /// The manifest this one refers to (OCI 1.1 referrers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<Descriptor>,
    /// Arbitrary metadata.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
    /// Any other field, kept as found.
    #[serde(flatten)]
    pub extra: BTreeMap<String, Value>,
}

impl ImageManifest {
    /// Reads the fields of a body already known to be an image manifest.
    pub(crate) fn parse(mut f: Fields, limits: &Limits) -> Result<ImageManifest> {
        let schema_version = f.u64("schemaVersion")?.unwrap_or(2);
        let media_type = f.media_type("mediaType")?;
        let artifact_type = f.string("artifactType")?;
        let config = f.descriptor("config")?.ok_or_else(|| f.missing("config"))?;
        let layers = f.descriptors("layers", ("number of layers", limits.max_layers))?;
        let subject = f.descriptor("subject")?;
        let annotations = f.string_map("annotations")?;
        Ok(ImageManifest {
            schema_version,
            media_type,
            artifact_type,
            config,
            layers,
            subject,
            annotations,
            extra: f.rest(),
        })
    }
}
