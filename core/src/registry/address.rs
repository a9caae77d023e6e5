//! How front ends name registry images and registries: `docker://REF` or
//! a bare `REF`, and `HOST` arguments.

use super::credentials::normalise_key;
use crate::error::{Error, Result};
use crate::reference::Reference;
use crate::transport::Address;

/// The registry image an address names: `docker://REF` or a bare `REF`
/// (the rules of [`crate::transport::Address`]). Addresses of other
/// places (`oci:`, `docker-archive:`, ...) are refused with
/// INVALID_REFERENCE, as registry commands need a registry.
///
/// ```
/// use tranship::registry::parse_address;
/// let r = parse_address("docker://localhost:5000/app:v1").unwrap();
/// assert_eq!(r.repository(), "app");
/// assert!(parse_address("oci:/tmp/layout").is_err());
/// ```
pub fn parse_address(address: &str) -> Result<Reference> {
    match address.parse::<Address>()? {
        Address::Registry(r) => Ok(r),
        other => Err(Error::InvalidReference {
            input: address.to_string(),
            reason: format!(
                "`{}:` is not a registry; expected docker://REF or REF",
                other.transport()
            ),
        }),
    }
}

/// The registry a `HOST` argument names (`docker.io`, `localhost:5000`;
/// a scheme or `/v2/` is dropped).
///
/// ```
/// assert_eq!(tranship::registry::registry_host("https://localhost:5000/v2/"), "localhost:5000");
/// ```
pub fn registry_host(text: &str) -> String {
    let key = normalise_key(text);
    key.split('/').next().unwrap_or_default().to_string()
}
