//! A client for the OCI distribution API (registries), async on tokio.
//!
//! - [`Client`]: manifests (GET/HEAD/PUT/DELETE), blobs (streaming GET
//!   with resume, push with mount, monolithic or chunked), tags, catalog,
//!   referrers.
//! - Authorization is anonymous, Basic, or Bearer tokens obtained from
//!   the registry's challenge, with credentials from a [`CredentialStore`].
//! - [`RetryPolicy`] bounds retries; [`RegistriesConfig`] holds
//!   per-registry transport settings and mirrors.
//! - [`HttpLog`] receives method, URL and status of each request, for
//!   `--debug` (never headers, bodies or credentials).
//!
//! [`ClientSettings`] is what front ends let their users say (credentials,
//! insecure registries, certificate folders); it makes the [`Client`].
//!
//! Plain structs in, plain structs out, so each binding wraps an operation
//! in a few lines. The CLI commands map to one call each:
//!
//! | command | call |
//! |---|---|
//! | `manifest get REF [--raw]` | [`Client::resolve`] (`.fetched.manifest.raw()`) |
//! | `config REF` | `get_manifest`, then [`Client::get_blob_bytes`] of its config |
//! | `blob get REF@DIGEST -o F` | [`Client::get_blob_to_path`] |
//! | `tags REF` | [`Client::list_tags`] |
//! | `catalog HOST` | [`Client::catalog`] |
//! | `digest REF` | [`Client::manifest_digest`] |
//! | `login HOST` | [`Client::ping`] with the credential, then [`save_login`] |
//! | `logout HOST` | [`remove_login`] |
//! | `delete REF` | [`Client::delete_manifest`] |

mod address;
mod auth;
mod blobs;
mod body;
mod challenge;
mod client;
mod config;
mod config_file;
mod credential_helper;
mod credentials;
mod download;
mod errors;
mod http_log;
mod image;
mod listing;
mod login;
mod manifests;
mod redirect;
mod resolve;
mod retry;
mod settings;
mod transport;
mod upload;

pub use address::{parse_address, registry_host};
pub use client::{Client, ClientOptions};
pub use config::{Mirror, RegistriesConfig, RegistrySettings};
pub use credentials::{docker_config_path, normalise_key, Credential, CredentialStore};
pub use http_log::{HttpExchange, HttpLog};
pub use image::{RegistryDestination, RegistrySource};
pub use listing::referrers_tag;
pub use login::{remove_login, save_login};
pub use manifests::{FetchedManifest, ManifestHead, MANIFEST_MEDIA_TYPES};
pub use resolve::{IndexChoice, Resolved};
pub use retry::RetryPolicy;
pub use settings::ClientSettings;
pub use transport::USER_AGENT;
pub use upload::{BlobSource, PushOutcome, PushedBlob};
