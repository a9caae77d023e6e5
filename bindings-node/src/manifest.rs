//! `parseManifest`, the `Manifest` class and `Limits`.

use napi::bindgen_prelude::{Buffer, PromiseRaw, Uint8Array};
use napi::Env;
use napi_derive::napi;

use crate::background::blocking;
use crate::convert::{
    Conversion, ConvertJob, ConvertOptions, NegotiateJob, NegotiateRequest, Served,
};
use crate::error::{to_js, Result};
use crate::records::{IndexEntryReport, ManifestReport, Signer};

/// Caps that keep hostile input harmless; fields left out keep their
/// defaults (4 MiB manifests and configs, 1000 layers, 1000 index
/// entries, JSON nesting 64, 16 signatures); a negative value is refused
/// with `code` `INVALID_CONFIG`.
#[napi(object)]
#[derive(Default)]
pub struct Limits {
    /// Largest manifest accepted, in bytes.
    pub max_manifest_bytes: Option<i64>,
    /// Largest image config accepted, in bytes.
    pub max_config_bytes: Option<i64>,
    /// Most layers (or schema1 `fsLayers`) in one manifest.
    pub max_layers: Option<i64>,
    /// Most entries in one index or manifest list.
    pub max_children: Option<i64>,
    /// Deepest JSON nesting accepted.
    pub max_json_depth: Option<i64>,
    /// Most signatures on a signed schema1 manifest.
    pub max_signatures: Option<i64>,
}

impl Limits {
    /// The core's limits; refuses a negative value.
    fn core(self) -> tranship::Result<tranship::Limits> {
        tranship::Limits::from_settings(&tranship::LimitSettings {
            max_manifest_bytes: self.max_manifest_bytes,
            max_config_bytes: self.max_config_bytes,
            max_layers: self.max_layers,
            max_children: self.max_children,
            max_json_depth: self.max_json_depth,
            max_signatures: self.max_signatures,
        })
    }
}

/// The entry of an index chosen for a platform.
#[napi(object)]
pub struct PlatformSelection {
    /// Position of the entry in the index.
    pub index: u32,
    /// Media type of the child manifest.
    pub media_type: String,
    /// Digest of the child manifest.
    pub digest: String,
    /// Size of the child manifest in bytes.
    pub size: f64,
    /// The entry's normalised platform text, e.g. `linux/arm64/v8`.
    pub platform: Option<String>,
}

/// A manifest of any generation, parsed from its exact bytes.
#[napi]
pub struct Manifest(tranship::manifest::Manifest);

impl From<tranship::manifest::Manifest> for Manifest {
    fn from(m: tranship::manifest::Manifest) -> Self {
        Manifest(m)
    }
}

impl Manifest {
    /// The core's manifest.
    pub fn core(&self) -> &tranship::manifest::Manifest {
        &self.0
    }
}

#[napi]
impl Manifest {
    /// The exact bytes the manifest was read from.
    #[napi(getter)]
    pub fn raw(&self) -> Buffer {
        Buffer::from(self.0.raw())
    }

    /// The bytes the digest covers: the raw bytes, or for signed schema1
    /// the JWS payload.
    #[napi(getter)]
    pub fn payload(&self) -> Buffer {
        Buffer::from(self.0.payload())
    }

    /// Converts to `to` (`v2s1`, `v2s2` or `oci`); see `ConvertOptions`.
    /// Runs off the JavaScript thread (it may read blobs and decompress
    /// layers to compute diff_ids).
    #[napi]
    pub fn convert<'env>(
        &self,
        env: &'env Env,
        to: String,
        options: Option<ConvertOptions>,
    ) -> napi::Result<PromiseRaw<'env, Conversion>> {
        let job = ConvertJob::new(&self.0, &to, options.unwrap_or_default());
        blocking(env, move || job.run(), |c| c)
    }

    /// `convert`, blocking the JavaScript thread until done.
    #[napi]
    pub fn convert_sync(&self, to: String, options: Option<ConvertOptions>) -> Result<Conversion> {
        ConvertJob::new(&self.0, &to, options.unwrap_or_default())
            .run()
            .map_err(to_js)
    }

    /// What a registry serves for this stored manifest and `request`.
    /// Runs off the JavaScript thread (a schema1 conversion reads the
    /// contents given).
    #[napi]
    pub fn negotiate<'env>(
        &self,
        env: &'env Env,
        request: NegotiateRequest,
    ) -> napi::Result<PromiseRaw<'env, Served>> {
        let job = NegotiateJob::new(&self.0, request);
        blocking(env, move || job.run(), |s| s)
    }

    /// `negotiate`, blocking the JavaScript thread until done.
    #[napi]
    pub fn negotiate_sync(&self, request: NegotiateRequest) -> Result<Served> {
        NegotiateJob::new(&self.0, request).run().map_err(to_js)
    }

    /// The inspection report: format, media type, digest, size, config,
    /// layers, index entries, signatures, ...
    #[napi]
    pub fn report(&self) -> ManifestReport {
        self.0.report().into()
    }

    /// The manifest digest, `algorithm:hex` (signed schema1: of the JWS
    /// payload); `algorithm` is `sha256` (default) or `sha512`.
    #[napi]
    pub fn digest(&self, algorithm: Option<String>) -> Result<String> {
        let algorithm = match algorithm {
            Some(a) => a.parse().map_err(to_js)?,
            None => tranship::Algorithm::Sha256,
        };
        Ok(self.0.digest_with(algorithm).to_string())
    }

    /// Verifies every schema1 signature and returns the signers; throws
    /// with `code` `INVALID_SIGNATURE` when unsigned or any signature
    /// fails.
    #[napi]
    pub fn verify_signatures(&self) -> Result<Vec<Signer>> {
        let signers = self.0.verify_signatures().map_err(to_js)?;
        Ok(signers.into_iter().map(Into::into).collect())
    }

    /// Chooses the index entry for `platform`; throws with `code`
    /// `PLATFORM_NOT_FOUND` or `INVALID_PLATFORM`.
    #[napi]
    pub fn select_platform(&self, platform: String) -> Result<PlatformSelection> {
        let want: tranship::Platform = platform.parse().map_err(to_js)?;
        let (index, entry) = self.0.select_platform(&want).map_err(to_js)?;
        let entry = IndexEntryReport::from(tranship::manifest::IndexEntryReport::from(entry));
        Ok(PlatformSelection {
            index: u32::try_from(index).unwrap_or(u32::MAX),
            media_type: entry.media_type,
            digest: entry.digest,
            size: entry.size,
            platform: entry.platform,
        })
    }
}

/// Parses a manifest from its exact bytes. `contentType` is the
/// `Content-Type` it came with, if any; throws with the core's `code`
/// (`INVALID_MANIFEST`, `UNSUPPORTED_MEDIA_TYPE`, `LIMIT_EXCEEDED`, ...)
/// when the document is refused.
#[napi]
pub fn parse_manifest(
    data: Uint8Array,
    content_type: Option<String>,
    limits: Option<Limits>,
) -> Result<Manifest> {
    let limits = limits.unwrap_or_default().core().map_err(to_js)?;
    tranship::manifest::Manifest::parse(&data, content_type.as_deref(), &limits)
        .map(Manifest)
        .map_err(to_js)
}
