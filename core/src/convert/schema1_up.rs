//! schema1 -> schema2 "upconversion" (`docs/formats.md`), as
//! containers/image's `convertToManifestSchema2` does it, so the config
//! digest (the image ID) equals the one `skopeo copy --format v2s2` gives.
//!
//! 1. The history is read and checked ([`super::schema1_history::read`]);
//!    adjacent entries with the same id lose their upper one.
//! 2. From the base up, every entry that is not `throwaway` becomes a
//!    layer `{mediaType: ...rootfs.diff.tar.gzip, size, digest: blobSum}`
//!    with its diff_id ([`super::layer_info::resolve`]). The media type is
//!    always gzip, as containers/image writes it, whatever the blob's
//!    compression.
//! 3. The config is built from the top entry ([`super::schema1_config`]).

use super::go_manifest::{docker_manifest, Desc};
use super::{layer_info, schema1_config, schema1_history, ConvertOptions};
use crate::digest::Digest;
use crate::error::Result;
use crate::manifest::Schema1;
use crate::media_type::MediaType;

/// A schema 2 manifest made from a schema1 one, with its new config.
#[derive(Debug, Clone)]
pub(crate) struct Upconverted {
    /// The schema 2 manifest text.
    pub(crate) manifest: String,
    /// The config blob it points at.
    pub(crate) config: String,
    /// What the result cannot carry.
    pub(crate) lost: Vec<String>,
}

/// Converts `s1` to schema 2.
pub(crate) fn to_schema2(s1: &Schema1, opts: &ConvertOptions) -> Result<Upconverted> {
    let entries = schema1_history::read(s1)?;
    let blobs: Vec<&Digest> = entries
        .iter()
        .rev()
        .filter(|e| !e.throwaway)
        .map(|e| e.blob_sum)
        .collect();
    let layers = layer_info::resolve(&blobs, opts)?;
    let diff_ids: Vec<Digest> = layers.iter().map(|l| l.diff_id.clone()).collect();
    let config = schema1_config::build(&entries, &diff_ids)?;
    let config_digest = Digest::sha256(config.text.as_bytes());
    let gzip = MediaType::DockerLayerGzip.as_str();
    let descriptors: Vec<Desc<'_>> = blobs
        .iter()
        .zip(&layers)
        .map(|(digest, info)| Desc {
            media_type: gzip,
            size: info.size,
            digest,
            urls: &[],
        })
        .collect();
    let config_desc = Desc {
        media_type: MediaType::DockerConfig.as_str(),
        size: config.text.len() as u64,
        digest: &config_digest,
        urls: &[],
    };
    // containers/image appends to a nil slice: no layers is `null`.
    let layers = (!descriptors.is_empty()).then_some(descriptors.as_slice());
    let manifest = docker_manifest(config_desc, layers);
    let mut lost = Vec::new();
    for (field, value) in [("name", &s1.name), ("tag", &s1.tag)] {
        if !value.is_empty() {
            lost.push(field.to_string());
        }
    }
    if s1.is_signed() {
        lost.push("signatures".into());
    }
    lost.extend(config.lost);
    Ok(Upconverted {
        manifest,
        config: config.text,
        lost,
    })
}
