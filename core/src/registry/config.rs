//! Per-registry settings: plain http, TLS verification, certificates,
//! and mirrors tried before the origin.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::credentials::normalise_key;

/// How to reach one registry.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RegistrySettings {
    /// Skip TLS certificate verification and allow plain http
    /// (`--tls-verify=false`, registries.conf `insecure = true`).
    pub insecure: bool,
    /// Force plain http (`Some(true)`) or https (`Some(false)`); `None`
    /// uses http only for loopback addresses (`localhost`, `127.0.0.0/8`,
    /// `[::1]`).
    pub plain_http: Option<bool>,
    /// A folder of certificates as in `/etc/containers/certs.d/HOST/`:
    /// `*.crt` are extra CA roots, `*.cert` + `*.key` a client identity.
    pub cert_dir: Option<PathBuf>,
    /// Mirrors (`host[:port][/path-prefix]`) tried in order before the
    /// origin, for pulls only.
    pub mirrors: Vec<Mirror>,
}

/// A pull mirror of a registry.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Mirror {
    /// `host[:port]`, optionally followed by a path prefix for repositories.
    pub location: String,
    /// Reach the mirror without TLS verification (or over http).
    pub insecure: bool,
    /// Only use this mirror for pulls by digest (registries.conf
    /// `pull-from-mirror = "digest-only"`).
    pub digest_only: bool,
}

/// Settings for every registry the client talks to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RegistriesConfig {
    registries: BTreeMap<String, RegistrySettings>,
    /// Roots searched for `ROOT/HOST[:PORT]/` certificate folders when a
    /// registry names no `cert_dir`.
    pub certs_d: Vec<PathBuf>,
}

impl RegistriesConfig {
    /// No per-registry settings; certificate folders looked up under
    /// `/etc/containers/certs.d` and `/etc/docker/certs.d`.
    pub fn new() -> Self {
        RegistriesConfig {
            registries: BTreeMap::new(),
            certs_d: vec![
                PathBuf::from("/etc/containers/certs.d"),
                PathBuf::from("/etc/docker/certs.d"),
            ],
        }
    }

    /// Sets the settings of `registry` (any key spelling). Mirrors marked
    /// `insecure` make their own hosts insecure too.
    pub fn set(&mut self, registry: &str, settings: RegistrySettings) {
        for mirror in settings.mirrors.iter().filter(|m| m.insecure) {
            let host = mirror.location.split('/').next().unwrap_or_default();
            self.registries
                .entry(normalise_key(host))
                .or_default()
                .insecure = true;
        }
        self.registries.insert(normalise_key(registry), settings);
    }

    /// The settings of `registry`; defaults when none were given.
    pub fn get(&self, registry: &str) -> RegistrySettings {
        let mut settings = self
            .registries
            .get(&normalise_key(registry))
            .cloned()
            .unwrap_or_default();
        if settings.cert_dir.is_none() {
            settings.cert_dir = self
                .certs_d
                .iter()
                .map(|root| root.join(registry))
                .find(|dir| dir.is_dir());
        }
        settings
    }
}
