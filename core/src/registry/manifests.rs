//! Manifests: GET and HEAD by tag or digest, PUT, DELETE.
//!
//! A manifest fetched by digest must hash to it, and any
//! `Docker-Content-Digest` the registry sends must match the content (for
//! signed schema1, the JWS payload). When the registry answers
//! `application/json`, `text/plain` or an unknown type, the kind is
//! detected from the content ([`Manifest::parse`]).

use reqwest::header::{HeaderMap, ACCEPT, CONTENT_LENGTH, CONTENT_TYPE};
use reqwest::Method;

use super::body::Body;
use super::client::{Call, Client, Endpoint};
use super::errors::Subject;
use crate::digest::Digest;
use crate::error::{Error, Result};
use crate::manifest::Manifest;
use crate::media_type::MediaType;
use crate::reference::Reference;

/// The header in which registries report a manifest's digest.
pub(crate) const DOCKER_CONTENT_DIGEST: &str = "docker-content-digest";

/// Every manifest media type tranship reads, in order of preference.
pub const MANIFEST_MEDIA_TYPES: &[MediaType] = &[
    MediaType::OciIndex,
    MediaType::DockerManifestList,
    MediaType::OciManifest,
    MediaType::DockerSchema2,
    MediaType::DockerSchema1Signed,
    MediaType::DockerSchema1,
];

/// A manifest as the registry served it.
#[derive(Debug, Clone, PartialEq)]
pub struct FetchedManifest {
    /// The manifest, with the exact bytes received ([`Manifest::raw`]).
    pub manifest: Manifest,
    /// The verified digest, with the algorithm asked for (SHA-256 unless a
    /// digest of another algorithm was asked for or reported).
    pub digest: Digest,
    /// The `Content-Type` the registry sent, when it sent one.
    pub content_type: Option<String>,
}

/// What a HEAD request tells about a manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManifestHead {
    /// The digest the registry reports, when it reports one.
    pub digest: Option<Digest>,
    /// The media type the registry reports.
    pub media_type: Option<MediaType>,
    /// The size in bytes, when reported.
    pub size: Option<u64>,
}

/// The tag or digest to ask for; the digest wins when both are given.
fn reference_part(reference: &Reference) -> Result<String> {
    match (reference.digest(), reference.tag()) {
        (Some(d), _) => Ok(d.to_string()),
        (None, Some(t)) => Ok(t.to_string()),
        (None, None) => Err(Error::InvalidReference {
            input: reference.to_string(),
            reason: "a tag or a digest is needed".into(),
        }),
    }
}

/// The `Accept` value: `accept`, or every known manifest type if empty.
fn accept_header(accept: &[MediaType]) -> String {
    let list = if accept.is_empty() {
        MANIFEST_MEDIA_TYPES
    } else {
        accept
    };
    list.iter()
        .map(MediaType::as_str)
        .collect::<Vec<_>>()
        .join(", ")
}

fn reported_digest(headers: &HeaderMap) -> Result<Option<Digest>> {
    headers
        .get(DOCKER_CONTENT_DIGEST)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.trim().parse::<Digest>())
        .transpose()
}

impl Client {
    /// Fetches a manifest by tag or digest, offering `accept` (every known
    /// manifest type when empty). Mirrors are tried before the origin.
    pub async fn get_manifest(
        &self,
        reference: &Reference,
        accept: &[MediaType],
    ) -> Result<FetchedManifest> {
        let mut last = None;
        for endpoint in self.pull_endpoints(reference, reference.digest().is_some()) {
            match self.get_manifest_at(&endpoint, reference, accept).await {
                Ok(found) => return Ok(found),
                Err(e) => last = Some(e),
            }
        }
        Err(last.unwrap_or_else(|| Error::ManifestUnknown {
            message: reference.to_string(),
        }))
    }

    async fn get_manifest_at(
        &self,
        endpoint: &Endpoint,
        reference: &Reference,
        accept: &[MediaType],
    ) -> Result<FetchedManifest> {
        let url = endpoint.url(&format!("manifests/{}", reference_part(reference)?))?;
        let call = Call::new(Method::GET, url, endpoint, &["pull"])
            .subject(Subject::Manifest)
            .header(ACCEPT, &accept_header(accept))?;
        let answer = self.send_expecting(&call, &[200]).await?;
        let headers = answer.headers().clone();
        let limit = self.inner.options.limits.max_manifest_bytes;
        let bytes = answer.bytes(limit, "manifest size").await?;
        let content_type = headers
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let manifest =
            Manifest::parse(&bytes, content_type.as_deref(), &self.inner.options.limits)?;
        let digest = verify(&manifest, reference.digest(), reported_digest(&headers)?)?;
        Ok(FetchedManifest {
            manifest,
            digest,
            content_type,
        })
    }

    /// Asks the origin registry for a manifest's digest, type and size
    /// without its body.
    pub async fn head_manifest(
        &self,
        reference: &Reference,
        accept: &[MediaType],
    ) -> Result<ManifestHead> {
        let endpoint = self.origin(reference);
        let url = endpoint.url(&format!("manifests/{}", reference_part(reference)?))?;
        let call = Call::new(Method::HEAD, url, &endpoint, &["pull"])
            .subject(Subject::Manifest)
            .header(ACCEPT, &accept_header(accept))?;
        let answer = self.send_expecting(&call, &[200]).await?;
        let headers = answer.headers();
        Ok(ManifestHead {
            digest: reported_digest(headers)?,
            media_type: headers
                .get(CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .map(MediaType::from_content_type),
            size: headers
                .get(CONTENT_LENGTH)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.parse().ok()),
        })
    }

    /// The digest of the manifest a reference names, checked to exist:
    /// the registry's `Docker-Content-Digest` from a HEAD, or the digest of
    /// the fetched (and verified) bytes when the registry reports none.
    pub async fn manifest_digest(
        &self,
        reference: &Reference,
        accept: &[MediaType],
    ) -> Result<Digest> {
        match self.head_manifest(reference, accept).await?.digest {
            Some(digest) if reference.digest().is_none_or(|asked| *asked == digest) => Ok(digest),
            _ => Ok(self.get_manifest(reference, accept).await?.digest),
        }
    }

    /// Uploads a manifest's exact bytes with its media type as
    /// `Content-Type`, under the reference's tag (or its digest when it has
    /// no tag); returns the digest the registry reports (or ours when it
    /// reports none).
    pub async fn put_manifest(&self, reference: &Reference, manifest: &Manifest) -> Result<Digest> {
        let computed = manifest.digest();
        let target = match (reference.tag(), reference.digest()) {
            (Some(tag), _) => tag.to_string(),
            (None, Some(digest)) => {
                let actual = manifest.digest_with(digest.algorithm());
                if actual != *digest {
                    return Err(Error::DigestMismatch {
                        expected: digest.clone(),
                        actual,
                    });
                }
                digest.to_string()
            }
            (None, None) => computed.to_string(),
        };
        let endpoint = self.origin(reference);
        let url = endpoint.url(&format!("manifests/{target}"))?;
        let call = Call::new(Method::PUT, url, &endpoint, &["pull", "push"])
            .subject(Subject::Manifest)
            .header(CONTENT_TYPE, manifest.media_type().as_str())?
            .body(Body::Bytes(bytes::Bytes::copy_from_slice(manifest.raw())));
        let answer = self.send_expecting(&call, &[200, 201, 202]).await?;
        Ok(reported_digest(answer.headers())?.unwrap_or(computed))
    }

    /// Deletes a manifest (a tag is first resolved to its digest, as the
    /// distribution API deletes by digest); returns the deleted digest.
    pub async fn delete_manifest(&self, reference: &Reference) -> Result<Digest> {
        let digest = self.manifest_digest(reference, &[]).await?;
        let endpoint = self.origin(reference);
        let url = endpoint.url(&format!("manifests/{digest}"))?;
        let call =
            Call::new(Method::DELETE, url, &endpoint, &["delete"]).subject(Subject::Manifest);
        self.send_expecting(&call, &[200, 202]).await?;
        Ok(digest)
    }
}

/// Checks a fetched manifest against the digest asked for and the one the
/// registry reported; returns the manifest's digest.
fn verify(manifest: &Manifest, asked: Option<&Digest>, reported: Option<Digest>) -> Result<Digest> {
    for expected in asked.into_iter().chain(reported.as_ref()) {
        let actual = manifest.digest_with(expected.algorithm());
        if actual != *expected {
            return Err(Error::DigestMismatch {
                expected: expected.clone(),
                actual,
            });
        }
    }
    Ok(match (asked, reported) {
        (Some(asked), _) => asked.clone(),
        (None, Some(reported)) => reported,
        (None, None) => manifest.digest(),
    })
}
