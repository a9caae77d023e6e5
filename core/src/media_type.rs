//! Every media type tranship knows, plus [`MediaType::Other`] for the rest.
//!
//! ```
//! use tranship::MediaType;
//! let m: MediaType = "application/vnd.oci.image.index.v1+json".into();
//! assert_eq!(m, MediaType::OciIndex);
//! assert!(m.is_index());
//! ```

use std::fmt;

/// A media type, as found in `Content-Type` headers and descriptors.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum MediaType {
    /// Docker image manifest schema 1, unsigned.
    DockerSchema1,
    /// Docker image manifest schema 1, signed (libtrust pretty JWS).
    DockerSchema1Signed,
    /// Docker image manifest schema 2.
    DockerSchema2,
    /// Docker manifest list.
    DockerManifestList,
    /// Docker image config.
    DockerConfig,
    /// Docker gzip-compressed layer.
    DockerLayerGzip,
    /// Docker uncompressed layer.
    DockerLayer,
    /// Docker foreign (non-distributable) gzip layer.
    DockerForeignLayerGzip,
    /// Docker foreign (non-distributable) uncompressed layer.
    DockerForeignLayer,
    /// Docker plugin config.
    DockerPluginConfig,
    /// OCI image manifest.
    OciManifest,
    /// OCI image index.
    OciIndex,
    /// OCI image config.
    OciConfig,
    /// OCI uncompressed layer.
    OciLayer,
    /// OCI gzip layer.
    OciLayerGzip,
    /// OCI zstd layer.
    OciLayerZstd,
    /// OCI non-distributable uncompressed layer (deprecated in OCI 1.1).
    OciNondistributableLayer,
    /// OCI non-distributable gzip layer.
    OciNondistributableLayerGzip,
    /// OCI non-distributable zstd layer.
    OciNondistributableLayerZstd,
    /// OCI empty descriptor (`{}`), used by artifacts.
    OciEmpty,
    /// Any other media type, kept verbatim.
    Other(String),
}

const KNOWN: &[(&str, MediaType)] = &[
    (
        "application/vnd.docker.distribution.manifest.v1+json",
        MediaType::DockerSchema1,
    ),
    (
        "application/vnd.docker.distribution.manifest.v1+prettyjws",
        MediaType::DockerSchema1Signed,
    ),
    (
        "application/vnd.docker.distribution.manifest.v2+json",
        MediaType::DockerSchema2,
    ),
    (
        "application/vnd.docker.distribution.manifest.list.v2+json",
        MediaType::DockerManifestList,
    ),
    (
        "application/vnd.docker.container.image.v1+json",
        MediaType::DockerConfig,
    ),
    (
        "application/vnd.docker.image.rootfs.diff.tar.gzip",
        MediaType::DockerLayerGzip,
    ),
    (
        "application/vnd.docker.image.rootfs.diff.tar",
        MediaType::DockerLayer,
    ),
    (
        "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip",
        MediaType::DockerForeignLayerGzip,
    ),
    (
        "application/vnd.docker.image.rootfs.foreign.diff.tar",
        MediaType::DockerForeignLayer,
    ),
    (
        "application/vnd.docker.plugin.v1+json",
        MediaType::DockerPluginConfig,
    ),
    (
        "application/vnd.oci.image.manifest.v1+json",
        MediaType::OciManifest,
    ),
    (
        "application/vnd.oci.image.index.v1+json",
        MediaType::OciIndex,
    ),
    (
        "application/vnd.oci.image.config.v1+json",
        MediaType::OciConfig,
    ),
    (
        "application/vnd.oci.image.layer.v1.tar",
        MediaType::OciLayer,
    ),
    (
        "application/vnd.oci.image.layer.v1.tar+gzip",
        MediaType::OciLayerGzip,
    ),
    (
        "application/vnd.oci.image.layer.v1.tar+zstd",
        MediaType::OciLayerZstd,
    ),
    (
        "application/vnd.oci.image.layer.nondistributable.v1.tar",
        MediaType::OciNondistributableLayer,
    ),
    (
        "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip",
        MediaType::OciNondistributableLayerGzip,
    ),
    (
        "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd",
        MediaType::OciNondistributableLayerZstd,
    ),
    ("application/vnd.oci.empty.v1+json", MediaType::OciEmpty),
];

impl MediaType {
    /// The media type string.
    pub fn as_str(&self) -> &str {
        match self {
            MediaType::Other(s) => s,
            known => KNOWN
                .iter()
                .find(|(_, m)| m == known)
                .map(|(s, _)| *s)
                .unwrap_or_default(),
        }
    }

    /// Parses a `Content-Type` header value: parameters after `;` are cut
    /// and surrounding white space trimmed.
    pub fn from_content_type(value: &str) -> Self {
        let essence = value.split(';').next().unwrap_or_default().trim();
        Self::from(essence)
    }

    /// True for single-image manifests (schema1, schema2, OCI manifest).
    pub fn is_image_manifest(&self) -> bool {
        matches!(
            self,
            MediaType::DockerSchema1
                | MediaType::DockerSchema1Signed
                | MediaType::DockerSchema2
                | MediaType::OciManifest
        )
    }

    /// True for Docker manifest lists and OCI indexes.
    pub fn is_index(&self) -> bool {
        matches!(self, MediaType::DockerManifestList | MediaType::OciIndex)
    }

    /// True for any manifest media type (image or index).
    pub fn is_manifest(&self) -> bool {
        self.is_image_manifest() || self.is_index()
    }

    /// True for schema1, signed or not.
    pub fn is_schema1(&self) -> bool {
        matches!(
            self,
            MediaType::DockerSchema1 | MediaType::DockerSchema1Signed
        )
    }

    /// True for layer media types (Docker and OCI, any compression).
    pub fn is_layer(&self) -> bool {
        matches!(
            self,
            MediaType::DockerLayerGzip
                | MediaType::DockerLayer
                | MediaType::DockerForeignLayerGzip
                | MediaType::DockerForeignLayer
                | MediaType::OciLayer
                | MediaType::OciLayerGzip
                | MediaType::OciLayerZstd
                | MediaType::OciNondistributableLayer
                | MediaType::OciNondistributableLayerGzip
                | MediaType::OciNondistributableLayerZstd
        )
    }

    /// True for foreign / non-distributable layers, which registries may
    /// not hold and copies skip by default.
    pub fn is_foreign_layer(&self) -> bool {
        matches!(
            self,
            MediaType::DockerForeignLayerGzip
                | MediaType::DockerForeignLayer
                | MediaType::OciNondistributableLayer
                | MediaType::OciNondistributableLayerGzip
                | MediaType::OciNondistributableLayerZstd
        )
    }
}

impl From<&str> for MediaType {
    fn from(s: &str) -> Self {
        KNOWN
            .iter()
            .find(|(k, _)| *k == s)
            .map(|(_, m)| m.clone())
            .unwrap_or_else(|| MediaType::Other(s.to_string()))
    }
}

impl fmt::Display for MediaType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for MediaType {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for MediaType {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Ok(MediaType::from(&*s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_known_type_round_trips() {
        for (s, m) in KNOWN {
            assert_eq!(MediaType::from(*s), *m);
            assert_eq!(m.as_str(), *s);
        }
    }

    #[test]
    fn content_type_parameters_are_cut() {
        assert_eq!(
            MediaType::from_content_type(" application/vnd.oci.image.index.v1+json; charset=utf-8"),
            MediaType::OciIndex
        );
        assert_eq!(
            MediaType::from_content_type("text/plain"),
            MediaType::Other("text/plain".into())
        );
    }
}
