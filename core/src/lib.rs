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
//! - [`fs`]: files written under a temporary name and renamed when complete.
//! - [`layer`]: layer compression and diff_ids.
//! - [`limits`]: caps that keep hostile input harmless.
//! - [`registry`]: the OCI distribution API client (tokio, reqwest, rustls).
//! - [`transport`]: image addresses (`docker://`, `oci:`, `oci-archive:`, `docker-archive:`).
//! - [`image`]: the source and destination traits every place implements.
//! - [`layout`]: OCI image layouts (`oci:DIR[:NAME]`).
//! - [`archive`]: oci-archive and docker-archive tarballs.
//! - [`places`]: an address opened as a source or destination.
//! - [`copy`]: moving an image between any two places.
//! - [`progress`]: progress events for blob transfers.
//! - [`error`]: one error enum with stable codes, grouped in families.
//!
//! ```
//! let r: tranship::Reference = "alpine".parse().unwrap();
//! assert_eq!(r.to_string(), "docker.io/library/alpine:latest");
//! ```

pub mod archive;
pub mod blobs;
pub mod check;
pub mod convert;
pub mod copy;
pub mod descriptor;
pub mod digest;
pub mod error;
pub mod fs;
pub mod gotime;
pub mod image;
pub mod json;
pub mod layer;
pub mod layout;
pub mod limits;
pub mod manifest;
pub mod media_type;
pub mod places;
pub mod platform;
pub mod progress;
pub mod reference;
pub mod registry;
pub mod transport;

/// The Rust guide (`docs/rust.md`), included so that `cargo test --doc`
/// runs its examples.
#[doc = include_str!("../../docs/rust.md")]
#[cfg(doctest)]
pub struct RustGuide;

pub use descriptor::Descriptor;
pub use digest::{Algorithm, Digest};
pub use error::{Error, Result};
pub use limits::{LimitSettings, Limits};
pub use media_type::MediaType;
pub use platform::Platform;
pub use reference::Reference;
pub use transport::Address;
