//! What `new Registry(options)` and the methods' option objects accept.

use std::collections::HashMap;

use napi_derive::napi;
use tranship::registry::{ClientSettings, Credential};

use crate::abort::Signal;
use crate::progress::{ProgressCallback, Sink};

/// A username and password for one registry (HTTP Basic, or exchanged
/// for a token when the registry asks).
#[napi(object)]
pub struct Login {
    /// The user name.
    pub username: String,
    /// The password or token.
    pub password: String,
}

/// How a `Registry` reaches registries; every field may be left out.
#[napi(object)]
#[derive(Default)]
pub struct RegistryOptions {
    /// Credentials per registry (`host[:port]`); they win over every file.
    pub credentials: Option<HashMap<String, Login>>,
    /// A credentials file (podman's `auth.json` or Docker's
    /// `config.json`), read before Docker's config.
    pub authfile: Option<String>,
    /// A registries.conf file: per-registry settings and mirrors.
    pub registries_conf: Option<String>,
    /// Registries reached without TLS verification (and over plain http
    /// when they do not speak https).
    pub insecure: Option<Vec<String>>,
    /// Certificate folders per registry (`*.crt` CA roots, `*.cert` +
    /// `*.key` a client identity).
    pub cert_dirs: Option<HashMap<String, String>>,
    /// Most requests in flight at once (default 6).
    pub max_concurrent_requests: Option<u32>,
    /// Upload blobs in chunks of this many bytes instead of one request;
    /// a negative value counts as 0.
    pub chunk_size: Option<i64>,
}

impl From<RegistryOptions> for ClientSettings {
    fn from(o: RegistryOptions) -> Self {
        ClientSettings {
            credentials: o
                .credentials
                .unwrap_or_default()
                .into_iter()
                .map(|(registry, login)| {
                    let credential = Credential::Basic {
                        username: login.username,
                        password: login.password,
                    };
                    (registry, credential)
                })
                .collect(),
            authfile: o.authfile.map(Into::into),
            registries_conf: o.registries_conf.map(Into::into),
            insecure: o.insecure.unwrap_or_default(),
            cert_dirs: o
                .cert_dirs
                .unwrap_or_default()
                .into_iter()
                .map(|(registry, dir)| (registry, dir.into()))
                .collect(),
            max_concurrent_requests: o.max_concurrent_requests.map(|n| n as usize),
            chunk_size: o.chunk_size.map(|n| u64::try_from(n).unwrap_or(0)),
            ..ClientSettings::default()
        }
    }
}

/// What `getManifest` may be told.
#[napi(object, object_to_js = false)]
#[derive(Default)]
pub struct GetManifestOptions {
    /// Media types to offer (every known manifest type when left out).
    pub accept: Option<Vec<String>>,
    /// When the reference names an index, fetch this platform's manifest
    /// (`os/arch[/variant]`) instead.
    pub platform: Option<String>,
    /// Aborting it cancels the call; the Promise rejects with its
    /// `reason`.
    #[napi(ts_type = "AbortSignal")]
    pub signal: Option<Signal>,
}

/// What `pushBlob` and `pushBlobFile` may be told.
#[napi(object, object_to_js = false)]
#[derive(Default)]
pub struct PushBlobOptions {
    /// The blob's digest; computed from the content when left out.
    pub digest: Option<String>,
    /// Repositories of the same registry to mount the blob from before
    /// uploading it.
    pub mount_from: Option<Vec<String>>,
    /// Called with each `ProgressEvent` of the transfer.
    #[napi(ts_type = "(event: ProgressEvent) => void")]
    pub progress: Option<ProgressCallback>,
    /// Aborting it cancels the call (a partial download is removed); the
    /// Promise rejects with its `reason`.
    #[napi(ts_type = "AbortSignal")]
    pub signal: Option<Signal>,
}

/// What `getBlobToFile` may be told.
#[napi(object, object_to_js = false)]
#[derive(Default)]
pub struct TransferOptions {
    /// Called with each `ProgressEvent` of the transfer.
    #[napi(ts_type = "(event: ProgressEvent) => void")]
    pub progress: Option<ProgressCallback>,
    /// Aborting it cancels the call (a partial download is removed); the
    /// Promise rejects with its `reason`.
    #[napi(ts_type = "AbortSignal")]
    pub signal: Option<Signal>,
}

/// What `copy` may be told; every field may be left out (the core's
/// defaults: what the destination can hold, every digest kept, four blobs
/// at once).
#[napi(object, object_to_js = false)]
#[derive(Default)]
pub struct CopyOptions {
    /// Platforms to copy out of an index (`os/arch[/variant]`).
    pub platforms: Option<Vec<String>>,
    /// Copy every platform of an index.
    pub all: Option<bool>,
    /// Convert to `v2s1`, `v2s2` or `oci` (digests change and are
    /// reported).
    pub format: Option<String>,
    /// Blobs moved at once (default 4).
    pub jobs: Option<u32>,
    /// More `NAME:TAG`s for a docker-archive destination.
    pub additional_tags: Option<Vec<String>>,
    /// Also write a docker-archive's pre-Docker 25 entries (a folder per
    /// layer, `repositories`) for loaders that do not read
    /// `manifest.json`.
    pub legacy: Option<bool>,
    /// Sign a schema1 result with this key file (PEM or JWK).
    pub signing_key: Option<String>,
    /// Leave a schema1 result unsigned.
    pub unsigned: Option<bool>,
    /// With `platforms`, rewrite the index to name only the children
    /// copied (its digest changes) instead of keeping it as it is, sparse.
    pub strip_missing: Option<bool>,
    /// Fail before writing anything if the copy would change a digest.
    pub preserve_digests: Option<bool>,
    /// Bring the signatures, attestations and other artifacts that refer
    /// to the images copied (default true).
    pub referrers: Option<bool>,
    /// Write the layers in this compression, `gzip` or `zstd` (their
    /// digests change and are reported; layers already in it are kept).
    pub compress_format: Option<String>,
    /// The level of that compression (gzip 1-9, zstd 1-19).
    pub compress_level: Option<i64>,
    /// Called with each `ProgressEvent` of the blobs moved.
    #[napi(ts_type = "(event: ProgressEvent) => void")]
    pub progress: Option<ProgressCallback>,
    /// Aborting it cancels the copy (nothing is named at the
    /// destination); the Promise rejects with its `reason`.
    #[napi(ts_type = "AbortSignal")]
    pub signal: Option<Signal>,
}

/// What `check` may be told.
#[napi(object, object_to_js = false)]
#[derive(Default)]
pub struct CheckOptions {
    /// Download and hash a registry's blobs too (layouts and archives are
    /// always hashed).
    pub full: Option<bool>,
    /// Aborting it cancels the check; the Promise rejects with its
    /// `reason`.
    #[napi(ts_type = "AbortSignal")]
    pub signal: Option<Signal>,
}

/// Options every registry call takes.
#[napi(object, object_to_js = false)]
#[derive(Default)]
pub struct CallOptions {
    /// Aborting it cancels the call; the Promise rejects with its
    /// `reason`.
    #[napi(ts_type = "AbortSignal")]
    pub signal: Option<Signal>,
}

impl CopyOptions {
    /// The core's settings, the progress sink and the abort signal.
    pub fn into_settings(self) -> (tranship::copy::CopySettings, Sink, Option<Signal>) {
        let settings = tranship::copy::CopySettings {
            platforms: self.platforms.unwrap_or_default(),
            all: self.all.unwrap_or_default(),
            format: self.format,
            jobs: self.jobs.map(|n| n as usize),
            additional_tags: self.additional_tags.unwrap_or_default(),
            legacy: self.legacy.unwrap_or_default(),
            signing_key: self.signing_key.map(Into::into),
            unsigned: self.unsigned.unwrap_or_default(),
            strip_missing: self.strip_missing.unwrap_or_default(),
            preserve_digests: self.preserve_digests.unwrap_or_default(),
            referrers: self.referrers,
            compress_format: self.compress_format,
            compress_level: self.compress_level,
        };
        (settings, Sink::new(self.progress), self.signal)
    }
}
