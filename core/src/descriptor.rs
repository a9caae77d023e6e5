//! Descriptors: the `{mediaType, digest, size}` pointers that manifests
//! and indexes use to name configs, layers and child manifests.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize};

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
    #[serde(
        default,
        deserialize_with = "null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub urls: Vec<String>,
    /// Arbitrary metadata.
    #[serde(
        default,
        deserialize_with = "null_as_default",
        skip_serializing_if = "BTreeMap::is_empty"
    )]
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

/// Reads JSON `null` as the empty value: Go writes nil slices and maps as
/// `null`, and such manifests exist.
fn null_as_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn null_urls_and_annotations_read_as_empty() {
        let d: Descriptor = serde_json::from_str(&format!(
            r#"{{"mediaType":"a/b","digest":"sha256:{}","size":1,"urls":null,"annotations":null}}"#,
            "a".repeat(64)
        ))
        .unwrap();
        assert!(d.urls.is_empty() && d.annotations.is_empty() && d.extra.is_empty());
    }
}
