//! `manifest.convert`, `manifest.negotiate` and the layer functions
//! (`diffIdFile`, `compressFile`, `decompressFile`).

use std::collections::HashMap;
use std::sync::Arc;

use tranship::convert::negotiate::{NegotiateSettings, Negotiation};
use tranship::convert::sign::KeySource;
use tranship::convert::ConvertSettings;
use tranship::layer::{CompressSettings, DiffIdOptions};

use crate::error::TranshipError;
use crate::manifest::Manifest;
use crate::records::{ConversionReport, LayerDigests};

/// How to convert: the source `config`, a `blobs` store folder, `diffIds`
/// and `layerSizes` keyed by layer digest, `name` and `tag` for schema1,
/// and its signing: `unsigned`, a `signingKey` (PEM or JWK), or else a
/// fresh key.
#[derive(Debug, Clone, Default, PartialEq, Eq, uniffi::Record)]
pub struct ConvertOptions {
    /// The source config blob.
    #[uniffi(default = None)]
    pub config: Option<Vec<u8>>,
    /// A blob store folder (`DIR/sha256/<hex>` or `DIR/blobs/sha256/<hex>`).
    #[uniffi(default = None)]
    pub blobs: Option<String>,
    /// Known diff_ids, keyed by layer blob digest.
    #[uniffi(default)]
    pub diff_ids: HashMap<String, String>,
    /// Known layer sizes, keyed by layer blob digest (a negative one is
    /// refused with `INVALID_CONFIG`).
    #[uniffi(default)]
    pub layer_sizes: HashMap<String, i64>,
    /// Re-encode an OCI config as containers/image does.
    #[uniffi(default = false)]
    pub reencode_config: bool,
    /// schema1's `name`.
    #[uniffi(default = None)]
    pub name: Option<String>,
    /// schema1's `tag`.
    #[uniffi(default = None)]
    pub tag: Option<String>,
    /// Leave a schema1 result unsigned.
    #[uniffi(default = false)]
    pub unsigned: bool,
    /// The schema1 signing key, PEM or JWK.
    #[uniffi(default = None)]
    pub signing_key: Option<Vec<u8>>,
}

/// A client's manifest request and what the registry holds, for
/// `manifest.negotiate`.
#[derive(Debug, Clone, Default, PartialEq, Eq, uniffi::Record)]
pub struct NegotiateRequest {
    /// The values of every `Accept` header sent.
    pub accept: Vec<String>,
    /// True when requested by digest.
    #[uniffi(default = false)]
    pub by_digest: bool,
    /// The repository path (schema1's `name`).
    #[uniffi(default = "")]
    pub name: String,
    /// The tag requested (schema1's `tag`).
    #[uniffi(default = "")]
    pub tag: String,
    /// The configs, child manifests and blobs the registry holds.
    #[uniffi(default)]
    pub contents: Vec<Vec<u8>>,
    /// Leave a schema1 conversion unsigned.
    #[uniffi(default = false)]
    pub unsigned: bool,
    /// The schema1 signing key, PEM or JWK.
    #[uniffi(default = None)]
    pub signing_key: Option<Vec<u8>>,
}

/// What a registry sends.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Served {
    /// The body.
    pub body: Vec<u8>,
    /// `Content-Type`.
    pub content_type: String,
    /// `Docker-Content-Digest`.
    pub digest: String,
    /// `Etag`.
    pub etag: String,
    /// True when the body is a schema1 conversion made for this request.
    pub converted: bool,
    /// The list entry served in a list's place.
    pub selected: Option<String>,
    /// True when the body needs the empty-gzip layer, which is not stored.
    pub needs_empty_layer: bool,
    /// The conversion's report, when converted.
    pub report: Option<ConversionReport>,
}

/// The outcome of `manifest.convert`.
#[derive(Debug, Clone, uniffi::Record)]
pub struct Conversion {
    /// The converted manifest.
    pub manifest: Arc<Manifest>,
    /// A config blob the conversion created, if any.
    pub config: Option<Vec<u8>>,
    /// Which digests changed and what was lost.
    pub report: ConversionReport,
}

/// Converts `manifest` to `to` (`v2s1`, `v2s2` or `oci`).
pub fn convert(
    manifest: &tranship::manifest::Manifest,
    to: &str,
    options: ConvertOptions,
) -> Result<Conversion, TranshipError> {
    let opts = tranship::convert::ConvertOptions::from_settings(&ConvertSettings {
        to: to.into(),
        config: options.config,
        blobs: options.blobs.map(Into::into),
        diff_ids: options.diff_ids.into_iter().collect(),
        layer_sizes: options.layer_sizes.into_iter().collect(),
        reencode_config: options.reencode_config,
        name: options.name,
        tag: options.tag,
        unsigned: options.unsigned,
        signing_key: options.signing_key.map(KeySource::Bytes),
        limits: tranship::LimitSettings::default(),
    })?;
    let c = tranship::convert::convert(manifest, &opts)?;
    Ok(Conversion {
        manifest: Arc::new(Manifest::from(c.manifest)),
        config: c.config,
        report: c.report.into(),
    })
}

/// What a registry serves for `manifest` and `request`.
pub fn serve(
    manifest: &tranship::manifest::Manifest,
    request: NegotiateRequest,
) -> Result<Served, TranshipError> {
    let s = Negotiation::from_settings(NegotiateSettings {
        accept: request.accept,
        by_digest: request.by_digest,
        name: request.name,
        tag: request.tag,
        contents: request.contents,
        unsigned: request.unsigned,
        signing_key: request.signing_key.map(KeySource::Bytes),
    })?
    .serve(manifest)?;
    Ok(Served {
        content_type: s.content_type.to_string(),
        digest: s.digest.to_string(),
        etag: s.etag,
        converted: s.converted,
        selected: s.selected.map(|d| d.to_string()),
        needs_empty_layer: s.needs_empty_layer,
        report: s.report.map(Into::into),
        body: s.bytes,
    })
}

/// The digests of the layer blob file at `path`; fails with code
/// `INVALID_LAYER`, `LIMIT_EXCEEDED` or `IO`.
#[uniffi::export]
pub fn diff_id_file(path: String) -> Result<LayerDigests, TranshipError> {
    Ok(tranship::layer::diff_id_file(path, &DiffIdOptions::default())?.into())
}

/// Compresses the layer file `input` (plain tar, or compressed: it is
/// decoded first) into `output` as `format` (`gzip` or `zstd`; none:
/// gzip) at `level` (none: the format's default), on `threads` threads
/// (none: every CPU; the bytes do not depend on it), written whole or not
/// at all; returns the new blob's digests. Fails with code
/// `INVALID_CONFIG`, `ENCODER_UNAVAILABLE`, `INVALID_LAYER`,
/// `LIMIT_EXCEEDED` or `IO`.
#[uniffi::export]
pub fn compress_file(
    input: String,
    output: String,
    format: Option<String>,
    level: Option<i64>,
    threads: Option<u32>,
) -> Result<LayerDigests, TranshipError> {
    let opts = tranship::layer::CompressOptions::from_settings(&CompressSettings {
        format,
        level,
        threads: threads.map(u64::from),
        ..CompressSettings::default()
    })?;
    Ok(tranship::layer::compress_file(input, output, &opts)?.into())
}

/// Decompresses the layer blob file `input` into the tar `output`,
/// written whole or not at all; returns its digests. Fails with code
/// `INVALID_LAYER`, `LIMIT_EXCEEDED` or `IO`.
#[uniffi::export]
pub fn decompress_file(input: String, output: String) -> Result<LayerDigests, TranshipError> {
    Ok(tranship::layer::decompress_file(input, output, &DiffIdOptions::default())?.into())
}
