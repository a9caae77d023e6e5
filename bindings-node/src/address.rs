//! `parseAddress`.

use napi_derive::napi;

use crate::error::{to_js, Result};

/// Where an image is: `docker://REF` (or a bare `REF`), `oci:DIR[:NAME]`,
/// `oci-archive:FILE[:NAME]` or `docker-archive:FILE[:REF|:@INDEX]`.
#[napi(object)]
pub struct Address {
    /// The transport: `docker`, `oci`, `oci-archive` or `docker-archive`.
    pub transport: String,
    /// The directory or file; absent for a registry image.
    pub path: Option<String>,
    /// The OCI image name (`org.opencontainers.image.ref.name`).
    pub name: Option<String>,
    /// The normalised reference of a registry image or a `docker-archive`
    /// tag.
    pub reference: Option<String>,
    /// The position in a `docker-archive`'s `manifest.json` (`@N`).
    pub index: Option<u32>,
    /// The canonical text, e.g. `docker://docker.io/library/alpine:latest`.
    pub text: String,
}

/// Parses an image address; throws with `code` `INVALID_ADDRESS`, or
/// `INVALID_REFERENCE` when its reference is malformed.
#[napi]
pub fn parse_address(text: String) -> Result<Address> {
    let address: tranship::Address = text.parse().map_err(to_js)?;
    let r = address.report();
    Ok(Address {
        transport: r.transport,
        path: r.path,
        name: r.name,
        reference: r.reference,
        // The core accepts indexes up to u32::MAX only.
        index: r.index.map(|i| u32::try_from(i).unwrap_or(u32::MAX)),
        text: r.text,
    })
}
