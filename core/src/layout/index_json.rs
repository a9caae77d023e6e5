//! `index.json`, the entry point of an OCI layout: an OCI index whose
//! entries are the layout's images, named by annotation.

use serde::{Deserialize, Serialize};

use crate::descriptor::Descriptor;
use crate::digest::Digest;
use crate::error::{Error, Result};
use crate::manifest::Manifest;
use crate::media_type::MediaType;

/// The annotation that names an image in a layout's `index.json`.
pub const REF_NAME: &str = "org.opencontainers.image.ref.name";

/// A layout's `index.json`, its entries kept in order.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IndexJson {
    /// Always 2.
    pub schema_version: u64,
    /// `application/vnd.oci.image.index.v1+json` when written by us.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_type: Option<MediaType>,
    /// The layout's images.
    #[serde(default)]
    pub manifests: Vec<Descriptor>,
    /// Anything else, kept as found.
    #[serde(flatten)]
    pub extra: std::collections::BTreeMap<String, serde_json::Value>,
}

impl IndexJson {
    /// An empty index.
    pub fn new() -> Self {
        IndexJson {
            schema_version: 2,
            media_type: Some(MediaType::OciIndex),
            manifests: Vec::new(),
            extra: Default::default(),
        }
    }

    /// The entry naming `manifest` (stored under `digest`) with these
    /// annotations.
    pub fn entry_for(
        manifest: &Manifest,
        digest: &Digest,
        annotations: impl IntoIterator<Item = (String, String)>,
    ) -> Descriptor {
        Descriptor {
            media_type: manifest.media_type().clone(),
            digest: digest.clone(),
            size: manifest.raw().len() as u64,
            urls: Vec::new(),
            annotations: annotations.into_iter().collect(),
            platform: None,
            artifact_type: None,
            extra: Default::default(),
        }
    }

    /// Parses `index.json`; fails with `INVALID_MANIFEST` saying why.
    pub fn parse(bytes: &[u8]) -> Result<Self> {
        serde_json::from_slice(bytes)
            .map_err(|e| Error::InvalidManifest(format!("index.json of the layout: {e}")))
    }

    /// The bytes to write: compact JSON.
    pub fn to_bytes(&self) -> Vec<u8> {
        serde_json::to_vec(self).unwrap_or_default()
    }

    /// The entry named `name`, or with no name the only entry (entries
    /// under a referrers tag, `<alg>-<hex>[.sig|.att|.sbom]`, aside). Fails with
    /// `MANIFEST_UNKNOWN` listing what the layout holds.
    pub fn select(&self, name: Option<&str>, describe: &str) -> Result<&Descriptor> {
        let found: Vec<&Descriptor> = match name {
            Some(name) => self
                .manifests
                .iter()
                .filter(|d| d.annotations.get(REF_NAME).map(String::as_str) == Some(name))
                .collect(),
            // Referrers' entries name no image.
            None => self
                .manifests
                .iter()
                .filter(|d| {
                    !d.annotations
                        .get(REF_NAME)
                        .is_some_and(|n| crate::image::referrers::is_referrer_tag(n))
                })
                .collect(),
        };
        match found.as_slice() {
            [one] => Ok(one),
            [] if name.is_some() => Err(Error::ManifestUnknown {
                message: format!("{describe}: no image is named so; {}", self.held()),
            }),
            [] => Err(Error::ManifestUnknown {
                message: format!("{describe}: the layout holds no image"),
            }),
            _ if name.is_none() => Err(Error::ManifestUnknown {
                message: format!(
                    "{describe}: the layout holds {} images, name one ({})",
                    found.len(),
                    self.held()
                ),
            }),
            _ => Ok(found[found.len() - 1]),
        }
    }

    /// The entry named `name`, if any.
    pub fn named(&self, name: &str) -> Option<&Descriptor> {
        self.manifests
            .iter()
            .rev()
            .find(|d| d.annotations.get(REF_NAME).map(String::as_str) == Some(name))
    }

    /// Adds `entry`, first removing the entries it replaces: those with
    /// the same name, or (when it has no name) unnamed ones with the same
    /// digest.
    pub fn put(&mut self, entry: Descriptor) {
        let name = entry.annotations.get(REF_NAME).cloned();
        self.manifests.retain(|d| match &name {
            Some(name) => d.annotations.get(REF_NAME) != Some(name),
            None => d.annotations.contains_key(REF_NAME) || d.digest != entry.digest,
        });
        self.manifests.push(entry);
    }

    /// `holds: a, b (and 1 unnamed)`, for messages.
    fn held(&self) -> String {
        let names: Vec<&str> = self
            .manifests
            .iter()
            .filter_map(|d| d.annotations.get(REF_NAME).map(String::as_str))
            .collect();
        let unnamed = self.manifests.len() - names.len();
        let mut text = if names.is_empty() {
            "it names no image".to_string()
        } else {
            format!("it holds {}", names.join(", "))
        };
        if unnamed > 0 {
            text.push_str(&format!(" ({unnamed} unnamed)"));
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Digest;

    fn entry(name: Option<&str>, content: &[u8]) -> Descriptor {
        let mut d: Descriptor = serde_json::from_value(serde_json::json!({
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "digest": Digest::sha256(content).to_string(),
            "size": content.len(),
        }))
        .unwrap();
        if let Some(name) = name {
            d.annotations.insert(REF_NAME.into(), name.into());
        }
        d
    }

    #[test]
    fn putting_a_name_replaces_that_entry_only() {
        let mut index = IndexJson::new();
        index.put(entry(Some("a"), b"1"));
        index.put(entry(Some("b"), b"2"));
        index.put(entry(None, b"3"));
        index.put(entry(Some("a"), b"4"));
        index.put(entry(None, b"3"));
        let names: Vec<_> = index
            .manifests
            .iter()
            .map(|d| d.annotations.get(REF_NAME).cloned())
            .collect();
        assert_eq!(names, [Some("b".into()), Some("a".into()), None]);
        assert_eq!(
            index.select(Some("a"), "x").unwrap().digest,
            Digest::sha256(b"4")
        );
        let err = index.select(None, "oci:x").unwrap_err();
        assert_eq!(err.code(), "MANIFEST_UNKNOWN");
        assert!(err.to_string().contains("holds b, a (1 unnamed)"), "{err}");
        let err = index.select(Some("c"), "oci:x").unwrap_err();
        assert!(err.to_string().contains("no image is named so"), "{err}");
    }

    #[test]
    fn round_trips_unknown_fields() {
        let text = br#"{"schemaVersion":2,"manifests":[],"annotations":{"k":"v"}}"#;
        let index = IndexJson::parse(text).unwrap();
        assert_eq!(index.to_bytes(), text.to_vec());
        assert_eq!(
            IndexJson::parse(b"[]").unwrap_err().code(),
            "INVALID_MANIFEST"
        );
    }
}
