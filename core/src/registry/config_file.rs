//! Reading a registries config file: the `[[registry]]` tables of
//! containers' `registries.conf` (v2), plus two tranship keys.
//!
//! ```toml
//! [[registry]]
//! location = "registry.example:5000"   # or prefix = "..."
//! insecure = true                      # no TLS verification, http allowed
//! plain-http = false                   # tranship: force http (true) or https (false)
//! cert-dir = "/etc/tranship/certs.d/registry.example:5000"   # tranship
//! pull-from-mirror = "all"             # or "digest-only"
//!
//! [[registry.mirror]]
//! location = "mirror.example/prefix"
//! insecure = false
//! ```
//!
//! Settings for a namespace (`prefix = "host/ns"`) or a `location` that
//! differs from the prefix are refused rather than half applied.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::config::{Mirror, RegistriesConfig, RegistrySettings};
use crate::error::{Error, Result};

#[derive(Deserialize)]
struct File {
    #[serde(default)]
    registry: Vec<Entry>,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct Entry {
    #[serde(default)]
    prefix: Option<String>,
    #[serde(default)]
    location: Option<String>,
    #[serde(default)]
    insecure: bool,
    #[serde(default)]
    plain_http: Option<bool>,
    #[serde(default)]
    cert_dir: Option<PathBuf>,
    #[serde(default)]
    mirror_by_digest_only: bool,
    #[serde(default)]
    pull_from_mirror: Option<String>,
    #[serde(default)]
    mirror: Vec<MirrorEntry>,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct MirrorEntry {
    location: String,
    #[serde(default)]
    insecure: bool,
    #[serde(default)]
    pull_from_mirror: Option<String>,
}

impl RegistriesConfig {
    /// Reads a registries config file (see the module docs for the format).
    pub fn load(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| Error::io(format!("reading {}", path.display()), e))?;
        Self::from_toml(&text).map_err(|e| Error::InvalidConfig(format!("{}: {e}", path.display())))
    }

    /// Parses the text of a registries config file.
    pub fn from_toml(text: &str) -> Result<Self> {
        let file: File = toml::from_str(text).map_err(|e| Error::InvalidConfig(e.to_string()))?;
        let mut config = RegistriesConfig::new();
        for entry in file.registry {
            let (host, settings) = entry.settings()?;
            config.set(&host, settings);
        }
        Ok(config)
    }
}

impl Entry {
    /// The registry host and its settings.
    fn settings(self) -> Result<(String, RegistrySettings)> {
        let host = match (&self.prefix, &self.location) {
            (Some(p), Some(l)) if p != l => {
                return Err(Error::InvalidConfig(format!(
                    "registry `{p}` at location `{l}`: redirecting a prefix is not supported"
                )))
            }
            (Some(h), _) | (None, Some(h)) => h.clone(),
            (None, None) => {
                return Err(Error::InvalidConfig(
                    "a [[registry]] needs a `location` or a `prefix`".into(),
                ))
            }
        };
        if host.contains('/') {
            return Err(Error::InvalidConfig(format!(
                "`{host}`: settings for a namespace are not supported, only for a whole registry"
            )));
        }
        let registry_digest_only =
            self.mirror_by_digest_only || digest_only(self.pull_from_mirror.as_deref(), &host)?;
        let mut mirrors = Vec::new();
        for m in self.mirror {
            let only = match m.pull_from_mirror.as_deref() {
                Some(mode) => digest_only(Some(mode), &m.location)?,
                None => registry_digest_only,
            };
            mirrors.push(Mirror {
                location: m.location,
                insecure: m.insecure,
                digest_only: only,
            });
        }
        let settings = RegistrySettings {
            insecure: self.insecure,
            plain_http: self.plain_http,
            cert_dir: self.cert_dir,
            mirrors,
        };
        Ok((host, settings))
    }
}

/// `pull-from-mirror`: `all` (or absent) and `digest-only` are supported;
/// `tag-only` is refused.
fn digest_only(mode: Option<&str>, what: &str) -> Result<bool> {
    match mode {
        None | Some("all") => Ok(false),
        Some("digest-only") => Ok(true),
        Some(other) => Err(Error::InvalidConfig(format!(
            "`{what}`: pull-from-mirror = `{other}` is not supported (use `all` or `digest-only`)"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_registries_and_mirrors() {
        let config = RegistriesConfig::from_toml(
            r#"
            unqualified-search-registries = ["docker.io"]
            [[registry]]
            location = "origin.example:5000"
            insecure = true
            plain-http = false
            pull-from-mirror = "digest-only"
            [[registry.mirror]]
            location = "mirror.example/cache"
            insecure = true
            [[registry.mirror]]
            location = "second.example"
            pull-from-mirror = "all"
            "#,
        )
        .unwrap();
        let origin = config.get("origin.example:5000");
        assert!(origin.insecure);
        assert_eq!(origin.plain_http, Some(false));
        assert_eq!(origin.mirrors.len(), 2);
        assert!(origin.mirrors[0].digest_only);
        assert!(!origin.mirrors[1].digest_only);
        assert_eq!(origin.mirrors[0].location, "mirror.example/cache");
        assert!(config.get("mirror.example").insecure);
        assert!(!config.get("second.example").insecure);
    }

    #[test]
    fn refuses_what_it_cannot_apply() {
        for text in [
            "[[registry]]\nprefix = \"a.example/ns\"",
            "[[registry]]\nprefix = \"a.example\"\nlocation = \"b.example\"",
            "[[registry]]\ninsecure = true",
            "[[registry]]\nlocation = \"a.example\"\npull-from-mirror = \"tag-only\"",
            "[[registry]\n",
        ] {
            let err = RegistriesConfig::from_toml(text).unwrap_err();
            assert_eq!(err.code(), "INVALID_CONFIG", "{text}: {err}");
        }
    }
}
