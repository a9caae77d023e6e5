//! `parseManifest`, the `Manifest` object and `Limits`.

use std::sync::Arc;

use crate::convert::{Conversion, ConvertOptions, NegotiateRequest, Served};
use crate::error::TranshipError;
use crate::records::{IndexEntryReport, ManifestReport, Signer};

/// Caps that keep hostile input harmless; fields left out (null) keep
/// their defaults (4 MiB manifests and configs, 1000 layers, 1000 index
/// entries, JSON nesting 64, 16 signatures); a negative value fails with
/// code `INVALID_CONFIG`.
#[derive(Debug, Clone, Default, PartialEq, Eq, uniffi::Record)]
pub struct Limits {
    /// Largest manifest accepted, in bytes.
    #[uniffi(default = None)]
    pub max_manifest_bytes: Option<i64>,
    /// Largest image config accepted, in bytes.
    #[uniffi(default = None)]
    pub max_config_bytes: Option<i64>,
    /// Most layers (or schema1 `fsLayers`) in one manifest.
    #[uniffi(default = None)]
    pub max_layers: Option<i64>,
    /// Most entries in one index or manifest list.
    #[uniffi(default = None)]
    pub max_children: Option<i64>,
    /// Deepest JSON nesting accepted.
    #[uniffi(default = None)]
    pub max_json_depth: Option<i64>,
    /// Most signatures on a signed schema1 manifest.
    #[uniffi(default = None)]
    pub max_signatures: Option<i64>,
}

impl TryFrom<Limits> for tranship::Limits {
    type Error = tranship::Error;

    fn try_from(l: Limits) -> tranship::Result<Self> {
        tranship::Limits::from_settings(&tranship::LimitSettings {
            max_manifest_bytes: l.max_manifest_bytes,
            max_config_bytes: l.max_config_bytes,
            max_layers: l.max_layers,
            max_children: l.max_children,
            max_json_depth: l.max_json_depth,
            max_signatures: l.max_signatures,
        })
    }
}

/// The entry of an index chosen for a platform.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PlatformSelection {
    /// Position of the entry in the index.
    pub index: u64,
    /// Media type of the child manifest.
    pub media_type: String,
    /// Digest of the child manifest.
    pub digest: String,
    /// Size of the child manifest in bytes.
    pub size: u64,
    /// The entry's normalised platform text, e.g. `linux/arm64/v8`.
    pub platform: Option<String>,
}

/// A manifest of any generation, parsed from its exact bytes.
#[derive(Debug, uniffi::Object)]
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

#[uniffi::export]
impl Manifest {
    /// The exact bytes the manifest was read from.
    pub fn raw(&self) -> Vec<u8> {
        self.0.raw().to_vec()
    }

    /// The bytes the digest covers: the raw bytes, or for signed schema1
    /// the JWS payload.
    pub fn payload(&self) -> Vec<u8> {
        self.0.payload().to_vec()
    }

    /// Converts to `to` (`v2s1`, `v2s2` or `oci`); see `ConvertOptions`.
    #[uniffi::method(default(options = None))]
    pub fn convert(
        &self,
        to: String,
        options: Option<ConvertOptions>,
    ) -> Result<Conversion, TranshipError> {
        crate::convert::convert(&self.0, &to, options.unwrap_or_default())
    }

    /// What a registry serves for this stored manifest and `request`.
    pub fn negotiate(&self, request: NegotiateRequest) -> Result<Served, TranshipError> {
        crate::convert::serve(&self.0, request)
    }

    /// The inspection report: format, media type, digest, size, config,
    /// layers, index entries, signatures, ...
    pub fn report(&self) -> ManifestReport {
        self.0.report().into()
    }

    /// The manifest digest, `algorithm:hex` (signed schema1: of the JWS
    /// payload); `algorithm` is `sha256` (default) or `sha512`.
    #[uniffi::method(default(algorithm = None))]
    pub fn digest(&self, algorithm: Option<String>) -> Result<String, TranshipError> {
        let algorithm = match algorithm {
            Some(a) => a.parse()?,
            None => tranship::Algorithm::Sha256,
        };
        Ok(self.0.digest_with(algorithm).to_string())
    }

    /// Verifies every schema1 signature and returns the signers; fails
    /// with code `INVALID_SIGNATURE` when unsigned or any signature fails.
    pub fn verify_signatures(&self) -> Result<Vec<Signer>, TranshipError> {
        let signers = self.0.verify_signatures()?;
        Ok(signers.into_iter().map(Into::into).collect())
    }

    /// Chooses the index entry for `platform`; fails with code
    /// `PLATFORM_NOT_FOUND` or `INVALID_PLATFORM`.
    pub fn select_platform(&self, platform: String) -> Result<PlatformSelection, TranshipError> {
        let want: tranship::Platform = platform.parse()?;
        let (index, entry) = self.0.select_platform(&want)?;
        let entry = IndexEntryReport::from(tranship::manifest::IndexEntryReport::from(entry));
        Ok(PlatformSelection {
            index: index as u64,
            media_type: entry.media_type,
            digest: entry.digest,
            size: entry.size,
            platform: entry.platform,
        })
    }
}

/// Parses a manifest from its exact bytes. `content_type` is the
/// `Content-Type` it came with, if any; fails with the core's code
/// (`INVALID_MANIFEST`, `UNSUPPORTED_MEDIA_TYPE`, `LIMIT_EXCEEDED`, ...)
/// when the document is refused.
#[uniffi::export(default(content_type = None, limits = None))]
pub fn parse_manifest(
    data: Vec<u8>,
    content_type: Option<String>,
    limits: Option<Limits>,
) -> Result<Arc<Manifest>, TranshipError> {
    let limits = limits.unwrap_or_default().try_into()?;
    let manifest = tranship::manifest::Manifest::parse(&data, content_type.as_deref(), &limits)?;
    Ok(Arc::new(Manifest(manifest)))
}
