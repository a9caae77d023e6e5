//! Manifests written as containers/image serialises its structures
//! (`json.Marshal` of `manifest.Schema2`, `Schema2List` and of the OCI
//! image-spec 1.1.0-rc structs skopeo 1.9 uses): compact, fields in
//! declaration order, `omitempty` honoured, strings HTML-escaped.

use super::gotyped::{GoStruct, Json};
use crate::descriptor::Descriptor;
use crate::digest::Digest;
use crate::media_type::MediaType;
use crate::platform::Platform;

/// The parts of a descriptor a conversion writes.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Desc<'a> {
    pub(crate) media_type: &'a str,
    pub(crate) size: u64,
    pub(crate) digest: &'a Digest,
    pub(crate) urls: &'a [String],
}

impl<'a> Desc<'a> {
    /// `d` with its media type replaced.
    pub(crate) fn of(d: &'a Descriptor, media_type: &'a str) -> Desc<'a> {
        Desc {
            media_type,
            size: d.size,
            digest: &d.digest,
            urls: &d.urls,
        }
    }
}

/// `manifest.Schema2Descriptor`: mediaType, size, digest, urls.
pub(crate) fn docker_descriptor(d: Desc<'_>) -> GoStruct {
    let mut s = GoStruct::default();
    s.field("mediaType", &d.media_type.to_string())
        .field("size", &d.size)
        .field("digest", &d.digest.to_string())
        .omitempty("urls", &d.urls.to_vec());
    s
}

/// image-spec `Descriptor`: mediaType, digest, size, urls (then
/// annotations, data, platform, artifactType, which conversions to OCI
/// only write for index entries' platforms).
pub(crate) fn oci_descriptor(d: Desc<'_>) -> GoStruct {
    let mut s = GoStruct::default();
    s.field("mediaType", &d.media_type.to_string())
        .field("digest", &d.digest.to_string())
        .field("size", &d.size)
        .omitempty("urls", &d.urls.to_vec());
    s
}

/// `manifest.Schema2`; `layers` is `None` for Go's nil slice.
pub(crate) fn docker_manifest(config: Desc<'_>, layers: Option<&[Desc<'_>]>) -> String {
    let layers = match layers {
        None => "null".to_string(),
        Some(l) => array(l.iter().map(|d| docker_descriptor(*d).finish())),
    };
    let mut m = GoStruct::default();
    m.field("schemaVersion", &2u64)
        .field("mediaType", &MediaType::DockerSchema2.as_str().to_string())
        .field("config", &Json(&docker_descriptor(config).finish()))
        .field("layers", &Json(&layers));
    m.finish()
}

/// image-spec `Manifest` as containers/image makes it from components.
pub(crate) fn oci_manifest(config: Desc<'_>, layers: &[Desc<'_>]) -> String {
    let layers = array(layers.iter().map(|d| oci_descriptor(*d).finish()));
    let mut m = GoStruct::default();
    m.field("schemaVersion", &2u64)
        .field("mediaType", &MediaType::OciManifest.as_str().to_string())
        .field("config", &Json(&oci_descriptor(config).finish()))
        .field("layers", &Json(&layers));
    m.finish()
}

/// `manifest.Schema2PlatformSpec`.
pub(crate) fn docker_platform(p: &Platform) -> String {
    let mut s = GoStruct::default();
    s.field("architecture", &p.architecture)
        .field("os", &p.os)
        .omitempty("os.version", &p.os_version.clone().unwrap_or_default())
        .omitempty("os.features", &p.os_features)
        .omitempty("variant", &p.variant.clone().unwrap_or_default())
        .omitempty("features", &p.features);
    s.finish()
}

/// image-spec `Platform` (CPU `features` have no place in it).
pub(crate) fn oci_platform(p: &Platform) -> String {
    let mut s = GoStruct::default();
    s.field("architecture", &p.architecture)
        .field("os", &p.os)
        .omitempty("os.version", &p.os_version.clone().unwrap_or_default())
        .omitempty("os.features", &p.os_features)
        .omitempty("variant", &p.variant.clone().unwrap_or_default());
    s.finish()
}

/// `manifest.Schema2List` or image-spec `Index` with `entries` already
/// written.
pub(crate) fn list(media_type: &MediaType, entries: Vec<String>) -> String {
    let mut m = GoStruct::default();
    m.field("schemaVersion", &2u64)
        .field("mediaType", &media_type.as_str().to_string())
        .field("manifests", &Json(&array(entries.into_iter())));
    m.finish()
}

fn array(items: impl Iterator<Item = String>) -> String {
    format!("[{}]", items.collect::<Vec<_>>().join(","))
}
