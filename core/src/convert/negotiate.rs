//! What a registry must send for a stored manifest, given how it was
//! requested and the client's `Accept` header(s): content negotiation as
//! distribution v2.8's `GetManifest` does it (`docs/formats.md`,
//! "Content negotiation").
//!
//! - A Docker schema 2 manifest requested by tag by a client that does not
//!   accept schema 2 is served as schema 1 ([`super::schema1_down`]), with
//!   that payload's digest as `Docker-Content-Digest` and ETag.
//! - A Docker manifest list requested by tag by a client that does not
//!   accept lists is replaced by its first `linux`/`amd64` entry (exact
//!   strings, variant ignored), converted as above when it is schema 2 and
//!   schema 2 is not accepted; `MANIFEST_UNKNOWN` when there is none.
//! - An OCI manifest, or an OCI index with a `mediaType` field, whose type
//!   is not accepted is `MANIFEST_UNKNOWN`, by tag or by digest. (An OCI
//!   index without `mediaType` is served whatever the client accepts:
//!   distribution classifies it by that field.)
//! - Everything else, and every other request by digest, is served as
//!   stored.
//!
//! A Python registry (Pulp) calls [`negotiate`] with plain data: the stored
//! manifest, a [`Request`] and a [`ContentSource`] over its storage.
//!
//! ```
//! use tranship::convert::negotiate::{negotiate, MemorySource, Request};
//! use tranship::convert::sign::Signing;
//! use tranship::manifest::Manifest;
//! let body = br#"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[]}"#;
//! let stored = Manifest::parse(body, None, &Default::default()).unwrap();
//! let request = Request { accept: vec!["application/vnd.oci.image.index.v1+json".into()],
//!                         by_digest: false, name: "team/app".into(), tag: "v1".into() };
//! let served = negotiate(&stored, &request, &MemorySource::new(), &Signing::Unsigned).unwrap();
//! assert_eq!(served.etag, format!("\"{}\"", stored.digest()));
//! let refused = Request { accept: vec!["*/*".into()], ..request };
//! let e = negotiate(&stored, &refused, &MemorySource::new(), &Signing::Unsigned).unwrap_err();
//! assert_eq!(e.code(), "MANIFEST_UNKNOWN");
//! ```

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use super::accept::Accept;
use super::schema1_down::to_schema1;
use super::sign::{KeySource, Signing};
use super::ConversionReport;
use crate::digest::Digest;
use crate::error::{Error, Result};
use crate::layer::EMPTY_LAYER_GZIP;
use crate::limits::Limits;
use crate::manifest::{Manifest, ManifestFormat};
use crate::media_type::MediaType;

/// How a client asked for a manifest.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Request {
    /// The values of every `Accept` header sent (none: accepts nothing).
    pub accept: Vec<String>,
    /// True when requested by digest, false when by tag.
    pub by_digest: bool,
    /// The repository path, e.g. `team/app`: schema1's `name`.
    pub name: String,
    /// The tag requested: schema1's `tag` (unused by digest).
    pub tag: String,
}

/// Where the registry keeps what negotiation may need besides the stored
/// manifest: configs (to convert to schema1), child manifests of lists,
/// and whether the empty-gzip layer blob is present.
pub trait ContentSource {
    /// The config blob with this digest, if stored.
    fn config(&self, digest: &Digest) -> Result<Option<Vec<u8>>>;
    /// The manifest with this digest, if stored.
    fn manifest(&self, digest: &Digest) -> Result<Option<Vec<u8>>>;
    /// True when a blob with this digest is stored.
    fn has_blob(&self, digest: &Digest) -> Result<bool>;
}

/// A [`ContentSource`] in memory: blobs and manifests by digest, plus
/// digests known to be stored without their bytes at hand.
#[derive(Debug, Clone, Default)]
pub struct MemorySource {
    contents: HashMap<Digest, Vec<u8>>,
    present: HashSet<Digest>,
}

impl MemorySource {
    /// An empty source.
    pub fn new() -> Self {
        MemorySource::default()
    }

    /// Stores a config, manifest or blob; returns its SHA-256 digest.
    pub fn insert(&mut self, bytes: Vec<u8>) -> Digest {
        let digest = Digest::sha256(&bytes);
        self.contents.insert(digest.clone(), bytes);
        digest
    }

    /// Records that a blob is stored, without its bytes.
    pub fn mark_present(&mut self, digest: Digest) {
        self.present.insert(digest);
    }
}

impl ContentSource for MemorySource {
    fn config(&self, digest: &Digest) -> Result<Option<Vec<u8>>> {
        Ok(self.contents.get(digest).cloned())
    }

    fn manifest(&self, digest: &Digest) -> Result<Option<Vec<u8>>> {
        Ok(self.contents.get(digest).cloned())
    }

    fn has_blob(&self, digest: &Digest) -> Result<bool> {
        Ok(self.contents.contains_key(digest) || self.present.contains(digest))
    }
}

/// What to send: the body and the headers that go with it.
///
/// Serialised (for reports and the CLI) without the body.
#[derive(Debug, Clone, Serialize)]
pub struct Served {
    /// The body.
    #[serde(skip)]
    pub bytes: Vec<u8>,
    /// `Content-Type`.
    pub content_type: MediaType,
    /// `Docker-Content-Digest` (for schema1, of the payload).
    pub digest: Digest,
    /// `Etag`: the digest in double quotes, as distribution sends it.
    pub etag: String,
    /// True when the body is a schema1 conversion made for this request.
    pub converted: bool,
    /// The entry of a stored manifest list served in its place.
    pub selected: Option<Digest>,
    /// True when the body refers to the empty-gzip layer
    /// ([`crate::layer::EMPTY_LAYER_GZIP`]) and the source does not hold
    /// it: store it before serving (distribution does so itself).
    pub needs_empty_layer: bool,
    /// The conversion's report, when converted.
    pub report: Option<ConversionReport>,
}

/// A negotiation's inputs as plain values, as front ends collect them
/// (see [`Negotiation::from_settings`]).
#[derive(Debug, Clone, Default)]
pub struct NegotiateSettings {
    /// The values of every `Accept` header sent.
    pub accept: Vec<String>,
    /// True when requested by digest.
    pub by_digest: bool,
    /// The repository path (schema1's `name`).
    pub name: String,
    /// The tag requested (schema1's `tag`).
    pub tag: String,
    /// The configs, child manifests and blobs the registry holds, each
    /// known by its digest.
    pub contents: Vec<Vec<u8>>,
    /// Leave a schema1 conversion unsigned.
    pub unsigned: bool,
    /// Sign a schema1 conversion with this key (PEM or JWK).
    pub signing_key: Option<KeySource>,
}

/// A negotiation checked and ready to serve manifests.
#[derive(Debug, Clone)]
pub struct Negotiation {
    /// How the client asked.
    pub request: Request,
    /// How a schema1 conversion is signed.
    pub signing: Signing,
    /// What the registry holds (from [`NegotiateSettings::contents`]).
    pub contents: MemorySource,
}

impl Negotiation {
    /// The negotiation `settings` ask for; the contents are hashed here.
    /// Fails with `INVALID_CONFIG` when a signing key is given with
    /// `unsigned`, `INVALID_KEY` when the key cannot be read.
    ///
    /// ```
    /// use tranship::convert::negotiate::{NegotiateSettings, Negotiation};
    /// use tranship::manifest::Manifest;
    /// let body = br#"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[]}"#;
    /// let stored = Manifest::parse(body, None, &Default::default())?;
    /// let settings = NegotiateSettings {
    ///     accept: vec!["application/vnd.oci.image.index.v1+json".into()],
    ///     ..NegotiateSettings::default()
    /// };
    /// let served = Negotiation::from_settings(settings)?.serve(&stored)?;
    /// assert_eq!(served.digest, stored.digest());
    /// # Ok::<(), tranship::Error>(())
    /// ```
    pub fn from_settings(settings: NegotiateSettings) -> Result<Negotiation> {
        let signing = Signing::choose(settings.signing_key.as_ref(), settings.unsigned)?;
        let mut contents = MemorySource::new();
        for bytes in settings.contents {
            contents.insert(bytes);
        }
        Ok(Negotiation {
            request: Request {
                accept: settings.accept,
                by_digest: settings.by_digest,
                name: settings.name,
                tag: settings.tag,
            },
            signing,
            contents,
        })
    }

    /// What a registry holding the contents sends for `stored` (see
    /// [`negotiate`]).
    pub fn serve(&self, stored: &Manifest) -> Result<Served> {
        negotiate(stored, &self.request, &self.contents, &self.signing)
    }
}

/// Decides what a registry serves for `stored` (see the [module
/// documentation](self)); `signing` signs schema1 conversions.
///
/// Errors: `MANIFEST_UNKNOWN` as distribution answers it; `BLOB_UNKNOWN`
/// when a conversion needs a config the source lacks; `DIGEST_MISMATCH`
/// when the source returns content that is not what was asked for;
/// conversion errors (`CONVERSION`, `INVALID_REFERENCE` for the name or
/// tag) when schema1 is needed and cannot be made.
pub fn negotiate(
    stored: &Manifest,
    request: &Request,
    source: &dyn ContentSource,
    signing: &Signing,
) -> Result<Served> {
    let accept = Accept::parse(&request.accept);
    let by_tag = !request.by_digest;
    let unknown = |message: &str| {
        Err(Error::ManifestUnknown {
            message: message.to_string(),
        })
    };
    match stored.format() {
        ManifestFormat::OciManifest if !accept.accepts(&MediaType::OciManifest) => {
            unknown("OCI manifest found, but accept header does not support OCI manifests")
        }
        ManifestFormat::OciIndex
            if has_media_type_field(stored) && !accept.accepts(&MediaType::OciIndex) =>
        {
            unknown("OCI index found, but accept header does not support OCI indexes")
        }
        ManifestFormat::Schema2 if by_tag && !accept.accepts(&MediaType::DockerSchema2) => {
            convert(stored, None, request, source, signing)
        }
        ManifestFormat::DockerList if by_tag && !accept.accepts(&MediaType::DockerManifestList) => {
            serve_list_entry(stored, &accept, request, source, signing)
        }
        _ => Ok(as_stored(stored, stored.digest(), None)),
    }
}

/// Distribution tells OCI indexes from other documents by the body's
/// `mediaType` field.
fn has_media_type_field(stored: &Manifest) -> bool {
    stored.as_index().is_some_and(|i| i.media_type.is_some())
}

fn as_stored(manifest: &Manifest, digest: Digest, selected: Option<Digest>) -> Served {
    Served {
        bytes: manifest.raw().to_vec(),
        content_type: manifest.media_type().clone(),
        etag: format!("\"{digest}\""),
        digest,
        converted: false,
        selected,
        needs_empty_layer: false,
        report: None,
    }
}

/// Serves a list's first `linux`/`amd64` entry to a client that does not
/// accept lists.
fn serve_list_entry(
    list: &Manifest,
    accept: &Accept,
    request: &Request,
    source: &dyn ContentSource,
    signing: &Signing,
) -> Result<Served> {
    let entries = list
        .as_index()
        .map(|i| i.manifests.as_slice())
        .unwrap_or_default();
    let entry = entries
        .iter()
        .find(|d| {
            d.platform
                .as_ref()
                .is_some_and(|p| p.os == "linux" && p.architecture == "amd64")
        })
        .ok_or_else(|| Error::ManifestUnknown {
            message: "the manifest list has no linux/amd64 entry and the client does not accept manifest lists".into(),
        })?;
    let bytes = source
        .manifest(&entry.digest)?
        .ok_or_else(|| Error::ManifestUnknown {
            message: format!(
                "the list's linux/amd64 entry {} is not stored",
                entry.digest
            ),
        })?;
    entry.digest.verify(&bytes)?;
    let child = Manifest::parse(&bytes, None, &Limits::default())?;
    if child.format() == ManifestFormat::Schema2 && !accept.accepts(&MediaType::DockerSchema2) {
        convert(&child, Some(entry.digest.clone()), request, source, signing)
    } else {
        Ok(as_stored(
            &child,
            entry.digest.clone(),
            Some(entry.digest.clone()),
        ))
    }
}

/// Serves a schema 2 manifest as schema 1.
fn convert(
    manifest: &Manifest,
    selected: Option<Digest>,
    request: &Request,
    source: &dyn ContentSource,
    signing: &Signing,
) -> Result<Served> {
    let config_digest = manifest
        .as_image()
        .map(|image| image.config.digest.clone())
        .ok_or_else(|| Error::Conversion("only image manifests convert to schema1".into()))?;
    let config = source
        .config(&config_digest)?
        .ok_or_else(|| Error::BlobUnknown {
            message: format!(
                "config {config_digest} of manifest {} is not stored; schema1 is made from it",
                manifest.digest()
            ),
        })?;
    let conversion = to_schema1(manifest, &config, &request.name, &request.tag, signing)?;
    let result = &conversion.manifest;
    let empty = Digest::sha256(&EMPTY_LAYER_GZIP);
    let uses_empty = result
        .as_schema1()
        .is_some_and(|s| s.fs_layers.iter().any(|l| l.blob_sum == empty));
    let digest = result.digest();
    Ok(Served {
        bytes: result.raw().to_vec(),
        content_type: result.media_type().clone(),
        etag: format!("\"{digest}\""),
        digest,
        converted: true,
        selected,
        needs_empty_layer: uses_empty && !source.has_blob(&empty)?,
        report: Some(conversion.report),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::convert::sign::Schema1Key;

    const NEGOTIATE: &str = "../tests/corpus/negotiate/data";

    fn stored_schema2() -> (Manifest, MemorySource) {
        let read = |p: &str| std::fs::read(format!("{NEGOTIATE}/{p}")).unwrap();
        let stored = Manifest::parse(&read("schema2.json"), None, &Limits::default()).unwrap();
        let config = &stored.as_image().unwrap().config.digest;
        let mut source = MemorySource::new();
        source.insert(read(&format!("store/blobs/sha256/{}", config.hex())));
        (stored, source)
    }

    #[test]
    fn a_blob_marked_present_needs_no_copy() {
        let (stored, mut source) = stored_schema2();
        let request = Request {
            name: "team/app".into(),
            tag: "v1".into(),
            ..Request::default()
        };
        let signing = Signing::Key(Schema1Key::generate());
        let served = negotiate(&stored, &request, &source, &signing).unwrap();
        assert!(served.converted && served.needs_empty_layer);
        assert_eq!(served.content_type, MediaType::DockerSchema1Signed);
        source.mark_present(Digest::sha256(&EMPTY_LAYER_GZIP));
        let served = negotiate(&stored, &request, &source, &signing).unwrap();
        assert!(!served.needs_empty_layer);
    }

    #[test]
    fn conversion_needs_a_valid_tag_only_when_converting() {
        let (stored, source) = stored_schema2();
        let bad = Request {
            name: "team/app".into(),
            tag: "-bad".into(),
            ..Request::default()
        };
        let e = negotiate(&stored, &bad, &source, &Signing::Unsigned).unwrap_err();
        assert_eq!(e.code(), "INVALID_REFERENCE");
        let by_digest = Request {
            by_digest: true,
            ..bad
        };
        let served = negotiate(&stored, &by_digest, &source, &Signing::Unsigned).unwrap();
        assert_eq!(served.bytes, stored.raw());
    }
}
