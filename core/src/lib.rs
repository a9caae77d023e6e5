//! tranship: container images without losing track of what they are.
//!
//! The core of tranship is organised by *what a thing is*:
//!
//! - [`reference`](mod@reference): `registry/repository[:tag][@digest]`, Docker Hub rules.
//! - [`digest`]: content digests, hashing and verifying readers.
//! - [`media_type`]: every known media type.
//! - [`descriptor`]: the `{mediaType, digest, size}` pointer shared by manifests.
//! - [`platform`]: `os[(version)]/arch[/variant]`, normalised and matched.
//! - [`manifest`]: every manifest generation, parsed from exact bytes.
//! - [`convert`]: conversion between manifest generations, with reports.
//! - [`blobs`]: blobs on disk (`DIR/blobs/sha256/<hex>` or `DIR/sha256/<hex>`).
//! - [`layer`]: layer compression and diff_ids.
//! - [`limits`]: caps that keep hostile input harmless.
//! - [`registry`]: the OCI distribution API client (tokio, reqwest, rustls).
//! - [`transport`]: image addresses (`docker://`, `oci:`, `oci-archive:`, `docker-archive:`).
//! - [`progress`]: progress events for blob transfers.
//! - [`error`]: one error enum with stable codes.
//!
//! ```
//! let r: tranship::Reference = "alpine".parse().unwrap();
//! assert_eq!(r.to_string(), "docker.io/library/alpine:latest");
//! ```

pub mod blobs;
pub mod convert;
pub mod descriptor;
pub mod digest;
pub mod error;
pub mod gotime;
pub mod json;
pub mod layer;
pub mod limits;
pub mod manifest;
pub mod media_type;
pub mod platform;
pub mod progress;
pub mod reference;
pub mod registry;
pub mod transport;

pub use descriptor::Descriptor;
pub use digest::{Algorithm, Digest};
pub use error::{Error, Result};
pub use limits::Limits;
pub use media_type::MediaType;
pub use platform::Platform;
pub use reference::Reference;
pub use transport::Address;
