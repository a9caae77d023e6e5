//! `parseReference`.

use crate::error::TranshipError;

/// A parsed, normalised image reference.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Reference {
    /// The registry: `docker.io` for Docker Hub, otherwise `host[:port]`.
    pub registry: String,
    /// The repository path, e.g. `library/alpine`.
    pub repository: String,
    /// The tag (`latest` when neither tag nor digest was given).
    pub tag: Option<String>,
    /// The digest as `algorithm:hex`.
    pub digest: Option<String>,
    /// `registry/repository`, e.g. `docker.io/library/alpine`.
    pub name: String,
    /// The normalised full form, `registry/repository[:tag][@digest]`.
    pub full: String,
    /// Docker's short form, e.g. `alpine:latest`.
    pub familiar: String,
    /// The registry API's base URL, e.g. `https://registry-1.docker.io`.
    pub endpoint: String,
    /// Whether plain http may be used (loopback registries only).
    pub plain_http: bool,
}

/// Parses and normalises `[registry/]repository[:tag][@digest]`; fails
/// with code `INVALID_REFERENCE`.
#[uniffi::export]
pub fn parse_reference(text: String) -> Result<Reference, TranshipError> {
    let r = text.parse::<tranship::Reference>()?.report();
    Ok(Reference {
        registry: r.registry,
        repository: r.repository,
        tag: r.tag,
        digest: r.digest,
        name: r.name,
        full: r.full,
        familiar: r.familiar,
        endpoint: r.endpoint,
        plain_http: r.plain_http,
    })
}
