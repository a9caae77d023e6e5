//! The inspection report of a manifest: the shape every binding and the
//! CLI's `--json` print (tests/corpus/README.md, "The `manifest` report").

use std::collections::BTreeMap;

use serde::Serialize;

use super::jws::SignatureReport;
use super::{DetectedFrom, Manifest, ManifestFormat, ManifestKind};
use crate::descriptor::Descriptor;
use crate::digest::Digest;
use crate::media_type::MediaType;
use crate::platform::Platform;

/// What `tranship manifest inspect` reports; keys are snake_case.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ManifestReport {
    /// `schema1`, `schema1-signed`, `schema2`, `docker-list`,
    /// `oci-manifest` or `oci-index`.
    pub format: ManifestFormat,
    /// The media type the manifest was read as.
    pub media_type: MediaType,
    /// Whether the type came from the `Content-Type` or the body.
    pub detected_from: DetectedFrom,
    /// The manifest digest (signed schema1: of the JWS payload).
    pub digest: Digest,
    /// Length of the raw bytes.
    pub size: u64,
    /// The config descriptor (image manifests only).
    pub config: Option<DescriptorReport>,
    /// The layers; for schema1 the `fsLayers` in manifest order.
    pub layers: Vec<DescriptorReport>,
    /// The entries of an index or list.
    pub manifests: Vec<IndexEntryReport>,
    /// The `artifactType` field (OCI 1.1).
    pub artifact_type: Option<String>,
    /// The `subject` descriptor (OCI 1.1).
    pub subject: Option<DescriptorReport>,
    /// The top-level annotations.
    pub annotations: BTreeMap<String, String>,
    /// schema1 naming fields; `None` for other formats.
    pub schema1: Option<Schema1Report>,
    /// One entry per JWS signature (signed schema1 only).
    pub signatures: Vec<SignatureReport>,
}

/// A descriptor in a report; schema1 layers have no media type or size.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DescriptorReport {
    /// Media type, or `None` for schema1 layers.
    pub media_type: Option<MediaType>,
    /// Digest of the content.
    pub digest: Digest,
    /// Size in bytes, or `None` for schema1 layers.
    pub size: Option<u64>,
}

/// An entry of an index or list in a report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IndexEntryReport {
    /// Media type of the child manifest.
    pub media_type: MediaType,
    /// Digest of the child manifest.
    pub digest: Digest,
    /// Size of the child manifest in bytes.
    pub size: u64,
    /// Normalised platform text `os[(os_version)]/arch[/variant]`, or
    /// `None` when the entry has no platform.
    pub platform: Option<String>,
}

/// The naming fields of a schema1 manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Schema1Report {
    /// Repository path.
    pub name: String,
    /// Tag.
    pub tag: String,
    /// CPU architecture.
    pub architecture: String,
}

impl From<&Descriptor> for DescriptorReport {
    fn from(d: &Descriptor) -> Self {
        DescriptorReport {
            media_type: Some(d.media_type.clone()),
            digest: d.digest.clone(),
            size: Some(d.size),
        }
    }
}

impl From<&Descriptor> for IndexEntryReport {
    fn from(d: &Descriptor) -> Self {
        IndexEntryReport {
            media_type: d.media_type.clone(),
            digest: d.digest.clone(),
            size: d.size,
            platform: d.platform.as_ref().map(Platform::to_string),
        }
    }
}

impl Manifest {
    /// The inspection report (the corpus `manifest` operation).
    pub fn report(&self) -> ManifestReport {
        let mut report = ManifestReport {
            format: self.format(),
            media_type: self.media_type().clone(),
            detected_from: self.detected_from(),
            digest: self.digest(),
            size: self.raw().len() as u64,
            config: None,
            layers: Vec::new(),
            manifests: Vec::new(),
            artifact_type: None,
            subject: None,
            annotations: BTreeMap::new(),
            schema1: None,
            signatures: Vec::new(),
        };
        match self.kind() {
            ManifestKind::Schema1(m) => {
                report.layers = m
                    .fs_layers
                    .iter()
                    .map(|l| DescriptorReport {
                        media_type: None,
                        digest: l.blob_sum.clone(),
                        size: None,
                    })
                    .collect();
                report.schema1 = Some(Schema1Report {
                    name: m.name.clone(),
                    tag: m.tag.clone(),
                    architecture: m.architecture.clone(),
                });
                report.signatures = m.jws.as_ref().map(|j| j.check()).unwrap_or_default();
            }
            ManifestKind::Image(m) => {
                report.config = Some((&m.config).into());
                report.layers = m.layers.iter().map(Into::into).collect();
                report.artifact_type = m.artifact_type.clone();
                report.subject = m.subject.as_ref().map(Into::into);
                report.annotations = m.annotations.clone();
            }
            ManifestKind::Index(m) => {
                report.manifests = m.manifests.iter().map(Into::into).collect();
                report.artifact_type = m.artifact_type.clone();
                report.subject = m.subject.as_ref().map(Into::into);
                report.annotations = m.annotations.clone();
            }
        }
        report
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_entries_use_the_normalised_platform_text() {
        let d = Descriptor {
            media_type: MediaType::OciManifest,
            digest: Digest::sha256(b"x"),
            size: 1,
            urls: vec![],
            annotations: BTreeMap::new(),
            platform: Some(Platform {
                os: "linux".into(),
                architecture: "armhf".into(),
                ..Platform::default()
            }),
            artifact_type: None,
            extra: BTreeMap::new(),
        };
        let entry = IndexEntryReport::from(&d);
        assert_eq!(entry.platform.as_deref(), Some("linux/arm/v7"));
    }
}
