//! A client for the OCI distribution API (registries), async on tokio.
//!
//! - [`Client`]: manifests (GET/HEAD/PUT/DELETE), blobs (streaming GET
//!   with resume, push with mount, monolithic or chunked), tags, catalog,
//!   referrers.
//! - Authorization is anonymous, Basic, or Bearer tokens obtained from
//!   the registry's challenge, with credentials from a [`CredentialStore`].
//! - [`RetryPolicy`] bounds retries; [`RegistriesConfig`] holds
//!   per-registry transport settings and mirrors.
//!
//! Plain structs in, plain structs out, so each binding wraps an operation
//! in a few lines.

mod auth;
mod blobs;
mod body;
mod challenge;
mod client;
mod config;
mod config_file;
mod credentials;
mod download;
mod errors;
mod helpers;
mod listing;
mod login;
mod manifests;
mod redirect;
mod retry;
mod transport;
mod upload;

pub use client::{Client, ClientOptions};
pub use config::{Mirror, RegistriesConfig, RegistrySettings};
pub use credentials::{docker_config_path, normalise_key, Credential, CredentialStore};
pub use listing::referrers_tag;
pub use login::{remove_login, save_login};
pub use manifests::{FetchedManifest, ManifestHead, MANIFEST_MEDIA_TYPES};
pub use retry::RetryPolicy;
pub use transport::USER_AGENT;
pub use upload::{BlobSource, PushOutcome, PushedBlob};
