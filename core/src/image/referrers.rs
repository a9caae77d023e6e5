//! Manifests that refer to others, and where places keep them.
//!
//! Signatures, attestations and SBOMs live beside the image they are
//! about, in one of three ways, and every place reads and writes them the
//! same way:
//!
//! - the OCI 1.1 referrers API: a manifest whose `subject` names the
//!   image, listed by `GET /v2/<name>/referrers/<digest>`;
//! - the referrers tag schema, for registries without that API (and in
//!   OCI layouts): an index tagged `<alg>-<hex>` listing those manifests;
//! - cosign's tags: the manifest tagged `<alg>-<hex>.sig`, `.att` or
//!   `.sbom`.
//!
//! A referrer is copied as it is, never converted: a signature covers
//! exact bytes.

use crate::descriptor::Descriptor;
use crate::digest::Digest;
use crate::error::Result;
use crate::limits::Limits;
use crate::manifest::Manifest;
use crate::media_type::MediaType;

/// The suffixes of cosign's tags: signatures, attestations, SBOMs.
pub const COSIGN_SUFFIXES: &[&str] = &["sig", "att", "sbom"];

/// A manifest that refers to another.
#[derive(Debug, Clone, PartialEq)]
pub struct Referrer {
    /// Its descriptor as listed (media type, digest, size, and for
    /// subject referrers the artifact type and annotations).
    pub descriptor: Descriptor,
    /// The cosign tag it is found under; `None` for a referrer found by
    /// its `subject` (the API or the tag schema).
    pub tag: Option<String>,
}

/// The tag the referrers tag schema gives the index of `subject`'s
/// referrers: `sha256-<hex>`.
pub fn schema_tag(subject: &Digest) -> String {
    format!("{}-{}", subject.algorithm(), subject.hex())
}

/// cosign's tags for `subject`: `sha256-<hex>.sig`, `.att`, `.sbom`.
pub fn cosign_tags(subject: &Digest) -> Vec<String> {
    COSIGN_SUFFIXES
        .iter()
        .map(|suffix| format!("{}.{suffix}", schema_tag(subject)))
        .collect()
}

/// True when `name` is one of the tags referrers are kept under (the
/// schema's `<alg>-<hex>`, or cosign's with a suffix): it names no image.
pub fn is_referrer_tag(name: &str) -> bool {
    let base = COSIGN_SUFFIXES
        .iter()
        .find_map(|suffix| name.strip_suffix(&format!(".{suffix}")))
        .unwrap_or(name);
    match base.split_once('-') {
        Some(("sha256", hex)) => hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit()),
        Some(("sha512", hex)) => hex.len() == 128 && hex.bytes().all(|b| b.is_ascii_hexdigit()),
        _ => false,
    }
}

/// The referrers index with `added` listed too: `existing` (the index
/// the schema tag holds, if any) with each new descriptor appended, or a
/// new OCI index. `None` when every one is listed already.
pub fn merged_index(
    existing: Option<&Manifest>,
    added: &[Descriptor],
    limits: &Limits,
) -> Result<Option<Manifest>> {
    let mut manifests: Vec<Descriptor> = existing
        .and_then(Manifest::as_index)
        .map(|index| index.manifests.clone())
        .unwrap_or_default();
    let before = manifests.len();
    for d in added {
        if !manifests.iter().any(|m| m.digest == d.digest) {
            manifests.push(d.clone());
        }
    }
    if existing.is_some() && manifests.len() == before {
        return Ok(None);
    }
    let body = serde_json::json!({
        "schemaVersion": 2,
        "mediaType": MediaType::OciIndex.as_str(),
        "manifests": manifests,
    });
    let bytes = serde_json::to_vec(&body).unwrap_or_default();
    Manifest::parse(&bytes, Some(MediaType::OciIndex.as_str()), limits).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn descriptor(content: &[u8]) -> Descriptor {
        serde_json::from_value(serde_json::json!({
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "digest": Digest::sha256(content).to_string(),
            "size": content.len(),
            "artifactType": "application/example",
        }))
        .unwrap()
    }

    #[test]
    fn tags_follow_the_schema_and_cosign() {
        let d = Digest::sha256(b"x");
        assert_eq!(schema_tag(&d), format!("sha256-{}", d.hex()));
        assert_eq!(cosign_tags(&d)[0], format!("sha256-{}.sig", d.hex()));
        assert!(is_referrer_tag(&schema_tag(&d)));
        assert!(is_referrer_tag(&cosign_tags(&d)[2]));
        assert!(!is_referrer_tag("v1"));
        assert!(!is_referrer_tag("sha256-abc"));
        assert!(!is_referrer_tag(&format!("sha256-{}.tar", d.hex())));
    }

    #[test]
    fn a_merge_appends_once() {
        let limits = Limits::default();
        let (a, b) = (descriptor(b"a"), descriptor(b"b"));
        let first = merged_index(None, std::slice::from_ref(&a), &limits)
            .unwrap()
            .unwrap();
        assert_eq!(first.as_index().unwrap().manifests, vec![a.clone()]);
        assert!(
            merged_index(Some(&first), std::slice::from_ref(&a), &limits)
                .unwrap()
                .is_none()
        );
        let second = merged_index(Some(&first), &[b.clone(), a.clone()], &limits)
            .unwrap()
            .unwrap();
        assert_eq!(second.as_index().unwrap().manifests, vec![a, b]);
    }
}
