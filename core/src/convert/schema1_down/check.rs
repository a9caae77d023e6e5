//! What schema1 can carry: which manifests convert, and what is lost.

use crate::error::{Error, Result};
use crate::manifest::{ImageManifest, Manifest, ManifestKind};
use crate::media_type::MediaType;

/// The image manifest to convert, once it is known that schema1 can
/// express it: an image (not an artifact) whose layers are gzip or plain
/// tar and distributable.
pub(super) fn convertible(manifest: &Manifest) -> Result<&ImageManifest> {
    let refuse = |why: String| Err(Error::Conversion(why));
    let image = match manifest.kind() {
        ManifestKind::Image(image) => image,
        ManifestKind::Schema1(_) => return refuse("the manifest is already schema1".into()),
        ManifestKind::Index(_) => {
            return refuse(format!(
                "a {} lists manifests; choose one platform's manifest and convert that",
                manifest.format()
            ))
        }
    };
    if !matches!(
        image.config.media_type,
        MediaType::DockerConfig | MediaType::OciConfig
    ) {
        return refuse(format!(
            "the config is `{}`, not an image config; an artifact has no schema1 form",
            image.config.media_type
        ));
    }
    if let Some(artifact_type) = &image.artifact_type {
        return refuse(format!(
            "the manifest is an artifact (`{artifact_type}`); it has no schema1 form"
        ));
    }
    for (i, layer) in image.layers.iter().enumerate() {
        let media_type = &layer.media_type;
        let why = match media_type {
            MediaType::DockerLayerGzip
            | MediaType::DockerLayer
            | MediaType::OciLayer
            | MediaType::OciLayerGzip => continue,
            MediaType::OciLayerZstd | MediaType::OciNondistributableLayerZstd => {
                "is zstd-compressed; schema1 clients read only gzip and plain tar layers"
            }
            m if m.is_foreign_layer() => {
                "is a foreign (non-distributable) layer; schema1 cannot say where to fetch it"
            }
            m if m.as_str().contains("+encrypted") => {
                "is encrypted; schema1 cannot carry what decrypting it needs"
            }
            _ => "is not an image layer type",
        };
        return refuse(format!("layers[{i}] (`{media_type}`) {why}"));
    }
    Ok(image)
}

/// What the schema1 result cannot carry, one short phrase each.
pub(super) fn lost(image: &ImageManifest) -> Vec<String> {
    let mut lost = vec!["config digest".to_string()];
    if !image.layers.is_empty() {
        lost.extend(["diff_ids".to_string(), "layer sizes".to_string()]);
    }
    let descriptors = || std::iter::once(&image.config).chain(&image.layers);
    if !image.annotations.is_empty() || descriptors().any(|d| !d.annotations.is_empty()) {
        lost.push("annotations".into());
    }
    if descriptors().any(|d| !d.urls.is_empty()) {
        lost.push("urls".into());
    }
    if image.subject.is_some() {
        lost.push("subject".into());
    }
    lost
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::limits::Limits;

    fn manifest(layer_type: &str) -> Manifest {
        let d = format!("sha256:{}", "a".repeat(64));
        let body = format!(
            r#"{{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",
            "config":{{"mediaType":"application/vnd.oci.image.config.v1+json","size":1,"digest":"{d}"}},
            "layers":[{{"mediaType":"{layer_type}","size":1,"digest":"{d}","annotations":{{"a":"b"}}}}]}}"#
        );
        Manifest::parse(body.as_bytes(), None, &Limits::default()).unwrap()
    }

    #[test]
    fn layer_types() {
        let ok = manifest("application/vnd.oci.image.layer.v1.tar+gzip");
        let image = convertible(&ok).unwrap();
        assert_eq!(
            lost(image),
            ["config digest", "diff_ids", "layer sizes", "annotations"]
        );
        for (media_type, says) in [
            ("application/vnd.oci.image.layer.v1.tar+zstd", "zstd"),
            (
                "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip",
                "foreign",
            ),
            (
                "application/vnd.oci.image.layer.v1.tar+gzip+encrypted",
                "encrypted",
            ),
            (
                "application/vnd.cncf.helm.chart.content.v1.tar+gzip",
                "not an image layer",
            ),
        ] {
            let e = convertible(&manifest(media_type)).unwrap_err();
            assert_eq!(e.code(), "CONVERSION");
            assert!(e.to_string().contains(says), "{e}");
        }
    }
}
