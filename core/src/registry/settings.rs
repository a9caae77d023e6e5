//! What a front end (the CLI, a binding) lets its user say about
//! registries, turned into a [`Client`] in one place so every front end
//! means the same thing by the same setting.

use std::path::PathBuf;
use std::sync::Arc;

use super::client::{Client, ClientOptions};
use super::config::RegistriesConfig;
use super::credentials::{docker_config_path, Credential, CredentialStore};
use super::http_log::HttpLog;
use crate::error::Result;

/// Registry settings as a user gives them; [`ClientSettings::client`]
/// makes the client. The default reads credentials from the usual files
/// and verifies TLS everywhere.
///
/// ```
/// use tranship::registry::{ClientSettings, Credential};
/// let settings = ClientSettings {
///     credentials: vec![("localhost:5000".into(), Credential::Basic {
///         username: "me".into(),
///         password: "secret".into(),
///     })],
///     insecure: vec!["registry.lan:5000".into()],
///     ..ClientSettings::default()
/// };
/// let client = settings.client().unwrap();
/// # drop(client);
/// ```
#[derive(Clone, Default)]
pub struct ClientSettings {
    /// Credentials per registry (`host[:port]`, any key spelling); they
    /// win over every file.
    pub credentials: Vec<(String, Credential)>,
    /// A credentials file (podman's `auth.json` or Docker's
    /// `config.json`), read instead of podman's usual files and before
    /// Docker's config.
    pub authfile: Option<PathBuf>,
    /// Read no credentials file at all: only `credentials`.
    pub no_credential_files: bool,
    /// Per-registry settings and mirrors, in registries.conf form.
    pub registries_conf: Option<PathBuf>,
    /// Registries reached without TLS verification, and over plain http
    /// when they do not speak https (`--tls-verify=false`).
    pub insecure: Vec<String>,
    /// Certificate folders per registry (`*.crt` CA roots, `*.cert` +
    /// `*.key` a client identity); they imply https even on loopback.
    pub cert_dirs: Vec<(String, PathBuf)>,
    /// Most requests in flight at once (default 6).
    pub max_concurrent_requests: Option<usize>,
    /// Upload blobs in chunks of this many bytes instead of one PUT.
    pub chunk_size: Option<u64>,
    /// Receives method, URL and status of each request.
    pub http_log: Option<Arc<dyn HttpLog>>,
}

impl std::fmt::Debug for ClientSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientSettings")
            .field("credentials", &self.credentials)
            .field("authfile", &self.authfile)
            .field("no_credential_files", &self.no_credential_files)
            .field("registries_conf", &self.registries_conf)
            .field("insecure", &self.insecure)
            .field("cert_dirs", &self.cert_dirs)
            .field("max_concurrent_requests", &self.max_concurrent_requests)
            .field("chunk_size", &self.chunk_size)
            .field("http_log", &self.http_log.is_some())
            .finish()
    }
}

impl ClientSettings {
    /// The client these settings describe. Fails only when the
    /// registries.conf file cannot be read or parsed.
    pub fn client(&self) -> Result<Client> {
        let mut credentials = match (&self.authfile, self.no_credential_files) {
            (_, true) => CredentialStore::anonymous(),
            (Some(file), false) => CredentialStore::anonymous()
                .with_file(file)
                .with_file(docker_config_path()),
            (None, false) => CredentialStore::from_env(),
        };
        for (registry, credential) in &self.credentials {
            credentials = credentials.with_credential(registry, credential.clone());
        }
        let mut registries = match &self.registries_conf {
            Some(file) => RegistriesConfig::load(file)?,
            None => RegistriesConfig::new(),
        };
        for registry in &self.insecure {
            let mut settings = registries.get(registry);
            settings.insecure = true;
            registries.set(registry, settings);
        }
        for (registry, dir) in &self.cert_dirs {
            let mut settings = registries.get(registry);
            settings.cert_dir = Some(dir.clone());
            settings.plain_http = Some(false);
            registries.set(registry, settings);
        }
        let defaults = ClientOptions::default();
        Ok(Client::new(ClientOptions {
            credentials,
            registries,
            max_concurrent_requests: self
                .max_concurrent_requests
                .unwrap_or(defaults.max_concurrent_requests),
            chunk_size: self.chunk_size,
            http_log: self.http_log.clone(),
            ..defaults
        }))
    }
}
