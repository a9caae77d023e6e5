//! `parseAddress`.

use crate::error::TranshipError;

/// Where an image is: `docker://REF` (or a bare `REF`), `oci:DIR[:NAME]`,
/// `oci-archive:FILE[:NAME]` or `docker-archive:FILE[:REF|:@INDEX]`.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Address {
    /// The transport: `docker`, `oci`, `oci-archive` or `docker-archive`.
    pub transport: String,
    /// The directory or file; null for a registry image.
    pub path: Option<String>,
    /// The OCI image name (`org.opencontainers.image.ref.name`).
    pub name: Option<String>,
    /// The normalised reference of a registry image or a `docker-archive`
    /// tag.
    pub reference: Option<String>,
    /// The position in a `docker-archive`'s `manifest.json` (`@N`).
    pub index: Option<u64>,
    /// The canonical text, e.g. `docker://docker.io/library/alpine:latest`.
    pub text: String,
}

/// Parses an image address; fails with code `INVALID_ADDRESS`, or
/// `INVALID_REFERENCE` when its reference is malformed.
#[uniffi::export]
pub fn parse_address(text: String) -> Result<Address, TranshipError> {
    let r = text.parse::<tranship::Address>()?.report();
    Ok(Address {
        transport: r.transport,
        path: r.path,
        name: r.name,
        reference: r.reference,
        index: r.index.map(|i| u64::try_from(i).unwrap_or(u64::MAX)),
        text: r.text,
    })
}
