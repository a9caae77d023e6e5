//! How front ends name registry images and registries: `docker://REF` or
//! a bare `REF`, and `HOST` arguments.

use super::credentials::normalise_key;
use crate::error::{Error, Result};
use crate::reference::Reference;

/// Transports that name something other than a registry.
const OTHER_TRANSPORTS: &[&str] = &[
    "oci",
    "oci-archive",
    "docker-archive",
    "docker-daemon",
    "dir",
    "containers-storage",
];

/// The registry image an address names: `docker://REF` or a bare `REF`.
/// Other transports (`oci:`, `docker-archive:`, ...) are refused with
/// INVALID_REFERENCE.
///
/// ```
/// use tranship::registry::parse_address;
/// let r = parse_address("docker://localhost:5000/app:v1").unwrap();
/// assert_eq!(r.repository(), "app");
/// assert!(parse_address("oci:/tmp/layout").is_err());
/// ```
pub fn parse_address(address: &str) -> Result<Reference> {
    let text = address.strip_prefix("docker://").unwrap_or(address);
    if let Some((transport, rest)) = text.split_once(':') {
        let is_port = rest.starts_with(|c: char| c.is_ascii_digit());
        if OTHER_TRANSPORTS.contains(&transport) && !is_port {
            return Err(Error::InvalidReference {
                input: address.to_string(),
                reason: format!("`{transport}:` is not a registry; expected docker://REF or REF"),
            });
        }
    }
    text.parse()
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
