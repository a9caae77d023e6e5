//! HTTP clients per registry: TLS roots and verification, client
//! certificates, proxies from the environment, our User-Agent, no
//! automatic redirects (they are followed by hand, see `blobs`).

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::{Mutex, Once};
use std::time::Duration;

use reqwest::redirect::Policy;

use super::config::{RegistriesConfig, RegistrySettings};
use crate::error::{Error, Result};
use crate::reference::Reference;

/// The User-Agent sent with every request.
pub const USER_AGENT: &str = concat!("tranship/", env!("CARGO_PKG_VERSION"));

/// Builds and keeps one HTTP client per distinct registry.
pub(crate) struct Transport {
    config: RegistriesConfig,
    user_agent: String,
    clients: Mutex<HashMap<String, reqwest::Client>>,
    settings: Mutex<HashMap<String, RegistrySettings>>,
    /// Insecure registries found to speak only plain http.
    plain_http_found: Mutex<HashSet<String>>,
}

impl Transport {
    pub(crate) fn new(config: RegistriesConfig, user_agent: String) -> Self {
        install_crypto_provider();
        Transport {
            config,
            user_agent,
            clients: Mutex::new(HashMap::new()),
            settings: Mutex::new(HashMap::new()),
            plain_http_found: Mutex::new(HashSet::new()),
        }
    }

    /// A registry's settings, looked up once (the lookup may search
    /// certificate folders).
    pub(crate) fn settings(&self, registry: &str) -> RegistrySettings {
        let Ok(mut cache) = self.settings.lock() else {
            return self.config.get(registry);
        };
        cache
            .entry(registry.to_string())
            .or_insert_with(|| self.config.get(registry))
            .clone()
    }

    /// The HTTP client for `host` (a registry, a mirror, or a storage host).
    pub(crate) fn client(&self, host: &str) -> Result<reqwest::Client> {
        let mut clients = self
            .clients
            .lock()
            .map_err(|_| Error::InvalidConfig("HTTP client cache poisoned".into()))?;
        if let Some(client) = clients.get(host) {
            return Ok(client.clone());
        }
        let client = self.build(&self.settings(host))?;
        clients.insert(host.to_string(), client.clone());
        Ok(client)
    }

    fn build(&self, settings: &RegistrySettings) -> Result<reqwest::Client> {
        let mut builder = reqwest::Client::builder()
            .user_agent(self.user_agent.clone())
            .redirect(Policy::none())
            .connect_timeout(Duration::from_secs(30))
            .read_timeout(Duration::from_secs(300));
        if settings.insecure {
            builder = builder.tls_danger_accept_invalid_certs(true);
        }
        if let Some(dir) = &settings.cert_dir {
            builder = add_cert_dir(builder, dir)?;
        }
        builder
            .build()
            .map_err(|e| Error::InvalidConfig(format!("building the HTTP client: {e}")))
    }

    /// Whether an https connection to `host` that failed may be tried
    /// again over plain http, as podman does with `--tls-verify=false`:
    /// the registry is insecure and its scheme is not set.
    pub(crate) fn may_fall_back_to_http(&self, host: &str) -> bool {
        let settings = self.settings(host);
        settings.insecure && settings.plain_http.is_none()
    }

    /// Remembers that `host` answered over plain http, so later requests
    /// go there directly.
    pub(crate) fn found_plain_http(&self, host: &str) {
        if let Ok(mut found) = self.plain_http_found.lock() {
            found.insert(host.to_string());
        }
    }

    /// `scheme://host` of a registry: Docker Hub's API endpoint for
    /// `docker.io`, plain http for loopback hosts, when configured, or
    /// when an insecure registry was found to speak only http.
    pub(crate) fn origin(&self, registry: &str) -> String {
        let found = self
            .plain_http_found
            .lock()
            .is_ok_and(|found| found.contains(registry));
        match self.settings(registry).plain_http {
            Some(true) => format!("http://{registry}"),
            Some(false) => format!("https://{registry}"),
            None if found => format!("http://{registry}"),
            None => match format!("{registry}/x").parse::<Reference>() {
                Ok(r) if r.registry() == registry => r.endpoint(),
                _ => format!("https://{registry}"),
            },
        }
    }
}

/// rustls needs one crypto provider per process; tranship uses *ring*.
/// A provider installed earlier by the host program is kept.
fn install_crypto_provider() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        if rustls::crypto::CryptoProvider::get_default().is_none() {
            // Losing a race with another installer is fine: one is set.
            let _ = rustls::crypto::ring::default_provider().install_default();
        }
    });
}

/// Adds `*.crt` roots and a `*.cert`/`*.key` client identity from `dir`.
fn add_cert_dir(mut builder: reqwest::ClientBuilder, dir: &Path) -> Result<reqwest::ClientBuilder> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| Error::io(format!("reading certificates in {}", dir.display()), e))?;
    let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    let read = |path: &Path| {
        std::fs::read(path).map_err(|e| Error::io(format!("reading {}", path.display()), e))
    };
    let bad =
        |path: &Path, e: reqwest::Error| Error::InvalidConfig(format!("{}: {e}", path.display()));
    for path in &paths {
        match path.extension().and_then(|e| e.to_str()) {
            Some("crt") => {
                for cert in
                    reqwest::Certificate::from_pem_bundle(&read(path)?).map_err(|e| bad(path, e))?
                {
                    builder = builder.add_root_certificate(cert);
                }
            }
            Some("cert") => {
                let key = path.with_extension("key");
                let mut pem = read(path)?;
                pem.extend(read(&key)?);
                let identity = reqwest::Identity::from_pem(&pem).map_err(|e| bad(path, e))?;
                builder = builder.identity(identity);
            }
            _ => {}
        }
    }
    Ok(builder)
}
