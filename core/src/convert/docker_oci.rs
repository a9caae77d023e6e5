//! Docker schema 2 <-> OCI image manifests (`docs/formats.md`, "Docker and
//! OCI"), written as
//! containers/image writes them.
//!
//! - Layer media types map one to one: gzip and plain tar, foreign <->
//!   non-distributable. zstd and encrypted layers have no Docker form and
//!   are refused (`CONVERSION`); unknown ones are `UNSUPPORTED_MEDIA_TYPE`.
//! - Docker -> OCI keeps the config bytes by default (only the
//!   descriptor's media type changes, so the image ID survives); with
//!   [`super::ConvertOptions::reencode_oci_config`] the config is
//!   re-encoded as containers/image does ([`super::oci_config`]).
//! - OCI -> Docker needs an OCI image config (artifacts are refused) and
//!   loses annotations, `subject` and `artifactType`.

use super::go_manifest::{docker_manifest, oci_manifest, Desc};
use super::oci_config;
use crate::descriptor::Descriptor;
use crate::digest::Digest;
use crate::error::{Error, Result};
use crate::manifest::ImageManifest;
use crate::media_type::MediaType;

/// A converted image manifest.
#[derive(Debug, Clone)]
pub(crate) struct Converted {
    /// The new manifest text.
    pub(crate) manifest: String,
    /// A new config blob, when the config was re-encoded.
    pub(crate) config: Option<String>,
    /// What the result cannot carry.
    pub(crate) lost: Vec<String>,
}

/// Docker layer media type -> OCI.
fn oci_layer(m: &MediaType) -> Option<MediaType> {
    Some(match m {
        MediaType::DockerLayerGzip => MediaType::OciLayerGzip,
        MediaType::DockerLayer => MediaType::OciLayer,
        MediaType::DockerForeignLayer => MediaType::OciNondistributableLayer,
        MediaType::DockerForeignLayerGzip => MediaType::OciNondistributableLayerGzip,
        _ => return None,
    })
}

/// OCI layer media type -> Docker; `Err` says why there is none.
fn docker_layer(m: &MediaType, at: &str) -> Result<MediaType> {
    Ok(match m {
        MediaType::OciLayerGzip => MediaType::DockerLayerGzip,
        MediaType::OciLayer => MediaType::DockerLayer,
        MediaType::OciNondistributableLayer => MediaType::DockerForeignLayer,
        MediaType::OciNondistributableLayerGzip => MediaType::DockerForeignLayerGzip,
        MediaType::OciLayerZstd | MediaType::OciNondistributableLayerZstd => {
            return Err(Error::Conversion(format!(
                "{at} is zstd-compressed (`{m}`); Docker schema 2 has no zstd layers"
            )))
        }
        other if other.as_str().ends_with("+encrypted") => {
            return Err(Error::Conversion(format!(
                "{at} is encrypted (`{m}`); Docker schema 2 has no encrypted layers"
            )))
        }
        other => {
            return Err(Error::UnsupportedMediaType(format!(
                "{at} has media type `{other}`, which has no Docker schema 2 equivalent"
            )))
        }
    })
}

/// Fields of a descriptor the target's descriptor has no place for.
fn descriptor_losses(at: &str, d: &Descriptor, lost: &mut Vec<String>) {
    let mut push = |field: &str| {
        let phrase = format!("{at}.{field}");
        if !lost.contains(&phrase) {
            lost.push(phrase);
        }
    };
    if !d.annotations.is_empty() {
        push("annotations");
    }
    if d.platform.is_some() {
        push("platform");
    }
    if d.artifact_type.is_some() {
        push("artifactType");
    }
    d.extra.keys().for_each(|k| push(k));
}

/// Fields of an image manifest neither target writes.
fn manifest_losses(m: &ImageManifest, lost: &mut Vec<String>) {
    descriptor_losses("config", &m.config, lost);
    m.layers
        .iter()
        .for_each(|l| descriptor_losses("layers", l, lost));
    if !m.annotations.is_empty() {
        lost.push("annotations".into());
    }
    if m.subject.is_some() {
        lost.push("subject".into());
    }
    if m.artifact_type.is_some() {
        lost.push("artifactType".into());
    }
    lost.extend(m.extra.keys().cloned());
}

/// Docker schema 2 -> OCI. `config` supplies the config bytes when they
/// are re-encoded (`reencode`); otherwise it is not called.
pub(crate) fn to_oci(
    m: &ImageManifest,
    config: impl FnOnce() -> Result<Vec<u8>>,
    reencode: bool,
) -> Result<Converted> {
    let media_types = m
        .layers
        .iter()
        .enumerate()
        .map(|(i, l)| {
            oci_layer(&l.media_type).ok_or_else(|| {
                Error::UnsupportedMediaType(format!(
                    "layers[{i}] has media type `{}`, which has no OCI equivalent",
                    l.media_type
                ))
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let mut lost = Vec::new();
    manifest_losses(m, &mut lost);
    let (new_config, config_digest, config_size) = if reencode {
        let (text, dropped) = oci_config::reencode(&config()?)?;
        lost.extend(dropped);
        let digest = Digest::sha256(text.as_bytes());
        let size = text.len() as u64;
        (Some(text), digest, size)
    } else {
        (None, m.config.digest.clone(), m.config.size)
    };
    let config_desc = Desc {
        media_type: MediaType::OciConfig.as_str(),
        size: config_size,
        digest: &config_digest,
        // containers/image describes a re-encoded config afresh.
        urls: if reencode { &[] } else { &m.config.urls },
    };
    let layers: Vec<Desc<'_>> = m
        .layers
        .iter()
        .zip(&media_types)
        .map(|(l, t)| Desc::of(l, t.as_str()))
        .collect();
    Ok(Converted {
        manifest: oci_manifest(config_desc, &layers),
        config: new_config,
        lost,
    })
}

/// OCI image manifest -> Docker schema 2 (config bytes unchanged).
pub(crate) fn to_docker(m: &ImageManifest) -> Result<Converted> {
    if m.config.media_type != MediaType::OciConfig {
        return Err(Error::Conversion(format!(
            "the config has media type `{}`, not `{}`: this is an artifact, not an image, and Docker schema 2 carries only images",
            m.config.media_type,
            MediaType::OciConfig
        )));
    }
    let media_types = m
        .layers
        .iter()
        .enumerate()
        .map(|(i, l)| docker_layer(&l.media_type, &format!("layers[{i}]")))
        .collect::<Result<Vec<_>>>()?;
    let mut lost = Vec::new();
    manifest_losses(m, &mut lost);
    let config = Desc::of(&m.config, MediaType::DockerConfig.as_str());
    let layers: Vec<Desc<'_>> = m
        .layers
        .iter()
        .zip(&media_types)
        .map(|(l, t)| Desc::of(l, t.as_str()))
        .collect();
    Ok(Converted {
        manifest: docker_manifest(config, Some(&layers)),
        config: None,
        lost,
    })
}
