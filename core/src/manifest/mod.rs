//! Manifests of every generation, parsed from their exact bytes.
//!
//! A [`Manifest`] keeps the bytes it was read from; nothing is ever
//! re-serialised, and the digest is computed from those bytes (for signed
//! schema1, from the JWS payload; see `docs/formats.md`).
//!
//! ```
//! use tranship::{manifest::{Manifest, ManifestFormat}, Limits};
//! let body = br#"{"schemaVersion":2,"manifests":[]}"#;
//! let m = Manifest::parse(body, Some("application/json"), &Limits::default()).unwrap();
//! assert_eq!(m.format(), ManifestFormat::OciIndex);
//! assert_eq!(m.digest(), tranship::Digest::sha256(body));
//! ```
//!
//! - [`detect`]: which kind a body is (Content-Type, then content).
//! - [`schema1`] and [`jws`]: Docker schema 1 and its libtrust signatures.
//! - [`image`]: Docker schema 2 and OCI image manifests.
//! - [`index`]: Docker manifest lists and OCI indexes.
//! - [`report`]: the inspection report.

pub mod detect;
mod fields;
pub mod image;
pub mod index;
pub mod jws;
mod keys;
pub mod report;
pub mod schema1;

use serde::Serialize;
use serde_json::{Map, Value};

pub use detect::DetectedFrom;
pub use image::ImageManifest;
pub use index::Index;
pub use jws::{key_id, Jws, JwsSignature, SignatureReport, Signer};
pub use report::{DescriptorReport, IndexEntryReport, ManifestReport, Schema1Report};
pub use schema1::{FsLayer, History, Schema1};

use crate::descriptor::Descriptor;
use crate::digest::{Algorithm, Digest};
use crate::error::{Error, Result};
use crate::limits::Limits;
use crate::media_type::MediaType;
use crate::platform::Platform;

/// A manifest: its exact bytes, its media type and its parsed body.
#[derive(Debug, Clone, PartialEq)]
pub struct Manifest {
    raw: Vec<u8>,
    media_type: MediaType,
    detected_from: DetectedFrom,
    kind: ManifestKind,
}

/// The parsed body of a manifest.
#[derive(Debug, Clone, PartialEq)]
#[allow(clippy::large_enum_variant)] // one per manifest; boxing buys nothing
pub enum ManifestKind {
    /// Docker schema 1, signed or not.
    Schema1(Schema1),
    /// Docker schema 2 or OCI image manifest (artifacts included).
    Image(ImageManifest),
    /// Docker manifest list or OCI image index.
    Index(Index),
}

/// The six manifest formats, as named in reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum ManifestFormat {
    /// Unsigned Docker schema 1.
    #[serde(rename = "schema1")]
    Schema1,
    /// Signed Docker schema 1 (libtrust pretty JWS).
    #[serde(rename = "schema1-signed")]
    Schema1Signed,
    /// Docker schema 2.
    #[serde(rename = "schema2")]
    Schema2,
    /// Docker manifest list.
    #[serde(rename = "docker-list")]
    DockerList,
    /// OCI image manifest.
    #[serde(rename = "oci-manifest")]
    OciManifest,
    /// OCI image index.
    #[serde(rename = "oci-index")]
    OciIndex,
}

impl ManifestFormat {
    /// The name used in reports, e.g. `schema1-signed`.
    pub fn as_str(self) -> &'static str {
        match self {
            ManifestFormat::Schema1 => "schema1",
            ManifestFormat::Schema1Signed => "schema1-signed",
            ManifestFormat::Schema2 => "schema2",
            ManifestFormat::DockerList => "docker-list",
            ManifestFormat::OciManifest => "oci-manifest",
            ManifestFormat::OciIndex => "oci-index",
        }
    }
}

impl std::fmt::Display for ManifestFormat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Parses `bytes` as JSON and requires an object; `what` names the
/// document in errors. Depth is checked before parsing.
pub(crate) fn parse_object(
    bytes: &[u8],
    what: &str,
    limits: &Limits,
) -> Result<Map<String, Value>> {
    crate::json::check_depth(bytes, limits.max_json_depth)?;
    match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(other) => Err(Error::InvalidManifest(format!(
            "{what} must be a JSON object, found {}",
            fields::json_type(&other)
        ))),
        Err(e) => Err(Error::InvalidManifest(format!("{what} is not JSON: {e}"))),
    }
}

impl Manifest {
    /// Parses a manifest from its exact bytes.
    ///
    /// `content_type` is the `Content-Type` it came with, if any: when it
    /// names a manifest type it decides (and the body must agree); when it
    /// is missing, `application/json`, `text/plain` or unknown, the type is
    /// detected from the body (`docs/formats.md`, "Media types and
    /// detection"). `limits` caps size, nesting depth, layer and entry
    /// counts.
    ///
    /// Errors: `LIMIT_EXCEEDED`, `INVALID_MANIFEST` (not JSON, ambiguous,
    /// header and body disagree, a field is wrong — the message names it),
    /// `UNSUPPORTED_MEDIA_TYPE` (unknown `schemaVersion` or `mediaType`).
    pub fn parse(bytes: &[u8], content_type: Option<&str>, limits: &Limits) -> Result<Manifest> {
        Limits::check(
            "manifest size in bytes",
            bytes.len() as u64,
            limits.max_manifest_bytes,
        )?;
        let body = parse_object(bytes, "the manifest", limits)?;
        let (media_type, detected_from) = detect::detect(&body, content_type)?;
        let kind = match media_type {
            MediaType::DockerSchema1 | MediaType::DockerSchema1Signed => {
                ManifestKind::Schema1(Schema1::parse(bytes, body, limits)?)
            }
            MediaType::DockerSchema2 | MediaType::OciManifest => {
                ManifestKind::Image(ImageManifest::parse(fields::Fields::new(body, ""), limits)?)
            }
            MediaType::DockerManifestList | MediaType::OciIndex => {
                ManifestKind::Index(Index::parse(fields::Fields::new(body, ""), limits)?)
            }
            other => {
                return Err(Error::UnsupportedMediaType(format!(
                    "`{other}` is not a manifest type"
                )))
            }
        };
        Ok(Manifest {
            raw: bytes.to_vec(),
            media_type,
            detected_from,
            kind,
        })
    }

    /// The exact bytes the manifest was read from.
    pub fn raw(&self) -> &[u8] {
        &self.raw
    }

    /// The bytes the digest covers: the raw bytes, or for signed schema1
    /// the JWS payload.
    pub fn payload(&self) -> &[u8] {
        match &self.kind {
            ManifestKind::Schema1(Schema1 { jws: Some(jws), .. }) => &jws.payload,
            _ => &self.raw,
        }
    }

    /// The media type the manifest was read as.
    pub fn media_type(&self) -> &MediaType {
        &self.media_type
    }

    /// Whether the media type came from the `Content-Type` or the body.
    pub fn detected_from(&self) -> DetectedFrom {
        self.detected_from
    }

    /// The format, as named in reports.
    pub fn format(&self) -> ManifestFormat {
        match (&self.kind, &self.media_type) {
            (ManifestKind::Schema1(s), _) if s.is_signed() => ManifestFormat::Schema1Signed,
            (ManifestKind::Schema1(_), _) => ManifestFormat::Schema1,
            (ManifestKind::Image(_), MediaType::DockerSchema2) => ManifestFormat::Schema2,
            (ManifestKind::Image(_), _) => ManifestFormat::OciManifest,
            (ManifestKind::Index(_), MediaType::DockerManifestList) => ManifestFormat::DockerList,
            (ManifestKind::Index(_), _) => ManifestFormat::OciIndex,
        }
    }

    /// The SHA-256 digest (signed schema1: of the JWS payload).
    pub fn digest(&self) -> Digest {
        self.digest_with(Algorithm::Sha256)
    }

    /// The digest with the given algorithm, over [`Manifest::payload`].
    pub fn digest_with(&self, algorithm: Algorithm) -> Digest {
        Digest::compute(algorithm, self.payload())
    }

    /// The parsed body.
    pub fn kind(&self) -> &ManifestKind {
        &self.kind
    }

    /// The body as an index or list, if it is one.
    pub fn as_index(&self) -> Option<&Index> {
        match &self.kind {
            ManifestKind::Index(i) => Some(i),
            _ => None,
        }
    }

    /// Chooses the entry of this index or manifest list for `want` (see
    /// [`crate::platform::select`]); fails with `INVALID_MANIFEST` when this
    /// is not an index and `PLATFORM_NOT_FOUND` when no entry matches.
    ///
    /// ```
    /// use tranship::{manifest::Manifest, Limits, Platform};
    /// let index = br#"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json",
    ///   "manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","size":7,
    ///   "digest":"sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824",
    ///   "platform":{"architecture":"arm64","os":"linux","variant":"v8"}}]}"#;
    /// let m = Manifest::parse(index, None, &Limits::default()).unwrap();
    /// let want: Platform = "linux/aarch64".parse().unwrap();
    /// let (position, entry) = m.select_platform(&want).unwrap();
    /// assert_eq!((position, entry.size), (0, 7));
    /// ```
    pub fn select_platform(&self, want: &Platform) -> Result<(usize, &Descriptor)> {
        let index = self.as_index().ok_or_else(|| {
            Error::InvalidManifest(format!(
                "a {} is not an index or manifest list: it has no platforms to choose from",
                self.format()
            ))
        })?;
        crate::platform::select(&index.manifests, want)
    }

    /// The body as a schema 2 / OCI image manifest, if it is one.
    pub fn as_image(&self) -> Option<&ImageManifest> {
        match &self.kind {
            ManifestKind::Image(m) => Some(m),
            _ => None,
        }
    }

    /// The body as a schema1 manifest, if it is one.
    pub fn as_schema1(&self) -> Option<&Schema1> {
        match &self.kind {
            ManifestKind::Schema1(m) => Some(m),
            _ => None,
        }
    }

    /// Verifies every schema1 signature and returns the signers.
    ///
    /// Fails with `INVALID_SIGNATURE` when the manifest carries no
    /// signatures or any of them does not verify (the message names it
    /// and says why). Certificate chains are not checked against any
    /// trust root, as in libtrust's `Verify`.
    pub fn verify_signatures(&self) -> Result<Vec<Signer>> {
        let jws = match &self.kind {
            ManifestKind::Schema1(Schema1 { jws: Some(jws), .. }) => jws,
            ManifestKind::Schema1(_) => {
                return Err(Error::InvalidSignature(
                    "this schema1 manifest is not signed".into(),
                ))
            }
            _ => {
                return Err(Error::InvalidSignature(format!(
                    "a {} manifest carries no signatures; only signed schema1 does",
                    self.format()
                )))
            }
        };
        jws.check()
            .into_iter()
            .enumerate()
            .map(|(i, report)| match (&report.key_id, report.verified) {
                (Some(key_id), true) => Ok(Signer {
                    alg: report.alg.clone(),
                    key_id: key_id.clone(),
                }),
                _ => Err(jws::failure(i, &report)),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests;
