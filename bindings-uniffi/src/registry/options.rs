//! What `Registry(options)` accepts.

use std::collections::HashMap;

use tranship::registry::{ClientSettings, Credential};

/// A username and password for one registry (HTTP Basic, or exchanged
/// for a token when the registry asks).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Login {
    /// The user name.
    pub username: String,
    /// The password or token.
    pub password: String,
}

/// How a `Registry` reaches registries; every field has a default.
#[derive(Debug, Clone, Default, PartialEq, Eq, uniffi::Record)]
pub struct RegistryOptions {
    /// Credentials per registry (`host[:port]`); they win over every file.
    #[uniffi(default)]
    pub credentials: HashMap<String, Login>,
    /// A credentials file (podman's `auth.json` or Docker's
    /// `config.json`), read before Docker's config.
    #[uniffi(default = None)]
    pub authfile: Option<String>,
    /// A registries.conf file: per-registry settings and mirrors.
    #[uniffi(default = None)]
    pub registries_conf: Option<String>,
    /// Registries reached without TLS verification (and over plain http
    /// when they do not speak https).
    #[uniffi(default)]
    pub insecure: Vec<String>,
    /// Certificate folders per registry (`*.crt` CA roots, `*.cert` +
    /// `*.key` a client identity).
    #[uniffi(default)]
    pub cert_dirs: HashMap<String, String>,
    /// Most requests in flight at once (default 6).
    #[uniffi(default = None)]
    pub max_concurrent_requests: Option<u32>,
    /// Upload blobs in chunks of this many bytes instead of one request.
    #[uniffi(default = None)]
    pub chunk_size: Option<u64>,
}

impl From<RegistryOptions> for ClientSettings {
    fn from(o: RegistryOptions) -> Self {
        ClientSettings {
            credentials: o
                .credentials
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
            insecure: o.insecure,
            cert_dirs: o
                .cert_dirs
                .into_iter()
                .map(|(registry, dir)| (registry, dir.into()))
                .collect(),
            max_concurrent_requests: o.max_concurrent_requests.map(|n| n as usize),
            chunk_size: o.chunk_size,
            ..ClientSettings::default()
        }
    }
}
