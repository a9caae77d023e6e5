//! `manifest.convert`, `manifest.negotiate`, `diffIdFile`, `compressFile`
//! and `decompressFile`: each reads
//! its arguments on the JavaScript thread and does its work (reading
//! blobs, decompressing, hashing) on a blocking thread, or on the
//! calling thread in the `...Sync` variants.

use std::collections::HashMap;

use napi::bindgen_prelude::{Buffer, PromiseRaw};
use napi::Env;
use napi_derive::napi;
use tranship::convert::negotiate::{NegotiateSettings, Negotiation};
use tranship::convert::sign::KeySource;
use tranship::convert::ConvertSettings;
use tranship::layer::{CompressSettings, DiffIdOptions};
use tranship::LimitSettings;

use crate::background::blocking;
use crate::error::{to_js, Result};
use crate::manifest::Manifest;
use crate::records::{ConversionReport, LayerDigests};

/// How to convert: the source `config`, a `blobs` store folder, `diffIds`
/// and `layerSizes` keyed by layer digest, `name` and `tag` for schema1,
/// and its signing: `unsigned`, a `signingKey` (PEM or JWK), or else a
/// fresh key.
#[napi(object)]
#[derive(Default)]
pub struct ConvertOptions {
    /// The source config blob.
    pub config: Option<Buffer>,
    /// A blob store folder (`DIR/sha256/<hex>` or `DIR/blobs/sha256/<hex>`).
    pub blobs: Option<String>,
    /// Known diff_ids, keyed by layer blob digest.
    pub diff_ids: Option<HashMap<String, String>>,
    /// Known layer sizes, keyed by layer blob digest.
    pub layer_sizes: Option<HashMap<String, i64>>,
    /// Re-encode an OCI config as containers/image does.
    pub reencode_config: Option<bool>,
    /// schema1's `name`.
    pub name: Option<String>,
    /// schema1's `tag`.
    pub tag: Option<String>,
    /// Leave a schema1 result unsigned.
    pub unsigned: Option<bool>,
    /// The schema1 signing key, PEM or JWK.
    pub signing_key: Option<Buffer>,
}

/// A client's manifest request and what the registry holds, for
/// `manifest.negotiate`.
#[napi(object)]
#[derive(Default)]
pub struct NegotiateRequest {
    /// The values of every `Accept` header sent.
    pub accept: Vec<String>,
    /// True when requested by digest.
    pub by_digest: Option<bool>,
    /// The repository path (schema1's `name`).
    pub name: Option<String>,
    /// The tag requested (schema1's `tag`).
    pub tag: Option<String>,
    /// The configs, child manifests and blobs the registry holds.
    pub contents: Option<Vec<Buffer>>,
    /// Leave a schema1 conversion unsigned.
    pub unsigned: Option<bool>,
    /// The schema1 signing key, PEM or JWK.
    pub signing_key: Option<Buffer>,
}

/// What a registry sends.
#[napi(object)]
pub struct Served {
    /// The body.
    pub body: Buffer,
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
#[napi]
pub struct Conversion {
    manifest: tranship::manifest::Manifest,
    config: Option<Vec<u8>>,
    report: tranship::convert::ConversionReport,
}

#[napi]
impl Conversion {
    /// The converted manifest.
    #[napi(getter)]
    pub fn manifest(&self) -> Manifest {
        Manifest::from(self.manifest.clone())
    }

    /// A config blob the conversion created, if any.
    #[napi(getter)]
    pub fn config(&self) -> Option<Buffer> {
        self.config.clone().map(Buffer::from)
    }

    /// Which digests changed and what was lost.
    #[napi(getter)]
    pub fn report(&self) -> ConversionReport {
        self.report.clone().into()
    }
}

/// A conversion's arguments read on the JavaScript thread (the buffers
/// copied), ready to run on any thread.
pub struct ConvertJob {
    manifest: tranship::manifest::Manifest,
    options: tranship::Result<tranship::convert::ConvertOptions>,
}

impl ConvertJob {
    /// The job converting `manifest` to `to` (`v2s1`, `v2s2` or `oci`).
    pub fn new(manifest: &tranship::manifest::Manifest, to: &str, options: ConvertOptions) -> Self {
        ConvertJob {
            manifest: manifest.clone(),
            options: convert_options(to, options),
        }
    }

    /// Converts; may read blobs and decompress layers to compute diff_ids.
    pub fn run(self) -> tranship::Result<Conversion> {
        let c = tranship::convert::convert(&self.manifest, &self.options?)?;
        Ok(Conversion {
            manifest: c.manifest,
            config: c.config,
            report: c.report,
        })
    }
}

fn convert_options(
    to: &str,
    options: ConvertOptions,
) -> tranship::Result<tranship::convert::ConvertOptions> {
    tranship::convert::ConvertOptions::from_settings(&ConvertSettings {
        to: to.into(),
        config: options.config.map(|config| config.to_vec()),
        blobs: options.blobs.map(Into::into),
        diff_ids: options.diff_ids.unwrap_or_default().into_iter().collect(),
        layer_sizes: options
            .layer_sizes
            .unwrap_or_default()
            .into_iter()
            .collect(),
        reencode_config: options.reencode_config.unwrap_or(false),
        name: options.name,
        tag: options.tag,
        unsigned: options.unsigned.unwrap_or(false),
        signing_key: options
            .signing_key
            .map(|key| KeySource::Bytes(key.to_vec())),
        limits: LimitSettings::default(),
    })
}

/// A negotiation's arguments read on the JavaScript thread, ready to run
/// on any thread.
pub struct NegotiateJob {
    manifest: tranship::manifest::Manifest,
    settings: NegotiateSettings,
}

impl NegotiateJob {
    /// The job serving `manifest` for `request`.
    pub fn new(manifest: &tranship::manifest::Manifest, request: NegotiateRequest) -> Self {
        NegotiateJob {
            manifest: manifest.clone(),
            settings: NegotiateSettings {
                accept: request.accept,
                by_digest: request.by_digest.unwrap_or(false),
                name: request.name.unwrap_or_default(),
                tag: request.tag.unwrap_or_default(),
                contents: request
                    .contents
                    .unwrap_or_default()
                    .into_iter()
                    .map(|b| b.to_vec())
                    .collect(),
                unsigned: request.unsigned.unwrap_or(false),
                signing_key: request.signing_key.map(|k| KeySource::Bytes(k.to_vec())),
            },
        }
    }

    /// Negotiates; may convert, reading the contents given.
    pub fn run(self) -> tranship::Result<Served> {
        let s = Negotiation::from_settings(self.settings)?.serve(&self.manifest)?;
        Ok(Served {
            content_type: s.content_type.to_string(),
            digest: s.digest.to_string(),
            etag: s.etag,
            converted: s.converted,
            selected: s.selected.map(|d| d.to_string()),
            needs_empty_layer: s.needs_empty_layer,
            report: s.report.map(Into::into),
            body: Buffer::from(s.bytes),
        })
    }
}

fn diff_id(path: String) -> tranship::Result<LayerDigests> {
    Ok(tranship::layer::diff_id_file(path, &DiffIdOptions::default())?.into())
}

/// The digests of the layer blob file at `path`, read and hashed off the
/// JavaScript thread; rejects with `code` `INVALID_LAYER`,
/// `LIMIT_EXCEEDED` or `IO`.
#[napi]
pub fn diff_id_file(env: &Env, path: String) -> napi::Result<PromiseRaw<'_, LayerDigests>> {
    blocking(env, move || diff_id(path), |digests| digests)
}

/// `diffIdFile`, blocking the JavaScript thread until done; throws
/// with `code` `INVALID_LAYER`, `LIMIT_EXCEEDED` or `IO`.
#[napi]
pub fn diff_id_file_sync(path: String) -> Result<LayerDigests> {
    diff_id(path).map_err(to_js)
}

/// What `compressFile` may be told; every field may be left out.
#[napi(object, object_to_js = false)]
#[derive(Default)]
pub struct CompressOptions {
    /// `gzip` (default) or `zstd`.
    pub format: Option<String>,
    /// gzip 1-9 (default 1), zstd 1-19 (default 3).
    pub level: Option<i64>,
    /// Threads compressing at once (default: every CPU; the bytes do not
    /// depend on it).
    pub threads: Option<u32>,
}

fn compress(
    input: String,
    output: String,
    options: CompressOptions,
) -> tranship::Result<LayerDigests> {
    let opts = tranship::layer::CompressOptions::from_settings(&CompressSettings {
        format: options.format,
        level: options.level,
        threads: options.threads.map(u64::from),
        ..CompressSettings::default()
    })?;
    Ok(tranship::layer::compress_file(input, output, &opts)?.into())
}

/// Compresses the layer file `input` (plain tar, or compressed: it is
/// decoded first) into `output` as gzip or zstd, off the JavaScript
/// thread, written whole or not at all; resolves to the new blob's
/// digests. The same input, format and level give the same bytes on
/// every machine. Rejects with `code` `INVALID_CONFIG`,
/// `ENCODER_UNAVAILABLE`, `INVALID_LAYER`, `LIMIT_EXCEEDED` or `IO`.
#[napi]
pub fn compress_file(
    env: &Env,
    input: String,
    output: String,
    options: Option<CompressOptions>,
) -> napi::Result<PromiseRaw<'_, LayerDigests>> {
    let options = options.unwrap_or_default();
    blocking(
        env,
        move || compress(input, output, options),
        |digests| digests,
    )
}

/// `compressFile`, blocking the JavaScript thread until done.
#[napi]
pub fn compress_file_sync(
    input: String,
    output: String,
    options: Option<CompressOptions>,
) -> Result<LayerDigests> {
    compress(input, output, options.unwrap_or_default()).map_err(to_js)
}

fn decompress(input: String, output: String) -> tranship::Result<LayerDigests> {
    Ok(tranship::layer::decompress_file(input, output, &DiffIdOptions::default())?.into())
}

/// Decompresses the layer blob file `input` into the tar `output`, off
/// the JavaScript thread, written whole or not at all; resolves to its
/// digests. Rejects with `code` `INVALID_LAYER`, `LIMIT_EXCEEDED` or `IO`.
#[napi]
pub fn decompress_file(
    env: &Env,
    input: String,
    output: String,
) -> napi::Result<PromiseRaw<'_, LayerDigests>> {
    blocking(env, move || decompress(input, output), |digests| digests)
}

/// `decompressFile`, blocking the JavaScript thread until done.
#[napi]
pub fn decompress_file_sync(input: String, output: String) -> Result<LayerDigests> {
    decompress(input, output).map_err(to_js)
}
