//! Where credentials come from: given explicitly, podman's `auth.json`,
//! Docker's `config.json`, and `docker-credential-*` helpers.
//!
//! Lookup order follows containers/image: explicit credentials, then
//! `$REGISTRY_AUTH_FILE` (or `$XDG_RUNTIME_DIR/containers/auth.json`),
//! `~/.config/containers/auth.json`, then `$DOCKER_CONFIG/config.json`
//! (or `~/.docker/config.json`). In each file a `credHelpers` entry for
//! the registry wins, then an `auths` entry (the most specific key for the
//! repository first), then the `credsStore` helper.
//!
//! Every usual key spelling matches: `https://index.docker.io/v1/`,
//! `docker.io`, `registry-1.docker.io`, `http://host:5000`,
//! `host:5000/v2/`, `host:5000/namespace`.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::fmt;
use std::path::{Path, PathBuf};

use data_encoding::BASE64;
use serde::Deserialize;

use super::credential_helper;
use crate::error::{Error, Result};

/// What proves who we are to one registry.
#[derive(Clone, PartialEq, Eq)]
pub enum Credential {
    /// A user name and password (or a personal access token).
    Basic {
        /// User name.
        username: String,
        /// Password or token.
        password: String,
    },
    /// An OAuth2 refresh token (Docker's `identitytoken`), exchanged for
    /// access tokens with a POST to the token service.
    IdentityToken(String),
    /// A bearer token sent as it is (Docker's `registrytoken`).
    RegistryToken(String),
}

impl fmt::Debug for Credential {
    /// Never shows a secret.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Credential::Basic { username, .. } => {
                write!(f, "Basic {{ username: {username:?}, password: <hidden> }}")
            }
            Credential::IdentityToken(_) => f.write_str("IdentityToken(<hidden>)"),
            Credential::RegistryToken(_) => f.write_str("RegistryToken(<hidden>)"),
        }
    }
}

/// The places credentials are looked up in, in order.
#[derive(Debug, Clone, Default)]
pub struct CredentialStore {
    explicit: BTreeMap<String, Credential>,
    files: Vec<PathBuf>,
}

impl CredentialStore {
    /// No credentials at all: every registry is used anonymously.
    pub fn anonymous() -> Self {
        Self::default()
    }

    /// The usual files, found from the environment (`REGISTRY_AUTH_FILE`,
    /// `XDG_RUNTIME_DIR`, `HOME`, `DOCKER_CONFIG`).
    pub fn from_env() -> Self {
        CredentialStore {
            explicit: BTreeMap::new(),
            files: default_files(|name| std::env::var_os(name)),
        }
    }

    /// Adds explicit credentials for `registry` (any key spelling); they
    /// win over every file.
    pub fn with_credential(mut self, registry: &str, credential: Credential) -> Self {
        self.explicit.insert(normalise_key(registry), credential);
        self
    }

    /// Adds a Docker `config.json` or podman `auth.json` file to consult
    /// after the ones already listed.
    pub fn with_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.files.push(path.into());
        self
    }

    /// The credential for `repository` on `registry`, if any place has one.
    pub async fn lookup(&self, registry: &str, repository: &str) -> Result<Option<Credential>> {
        let registry = normalise_key(registry);
        if let Some(found) = self.explicit.get(&registry) {
            return Ok(Some(found.clone()));
        }
        for path in &self.files {
            let Some(file) = AuthFile::read(path).await? else {
                continue;
            };
            if let Some(found) = file.lookup(&registry, repository).await? {
                return Ok(Some(found));
            }
        }
        Ok(None)
    }
}

/// `$DOCKER_CONFIG/config.json`, or `~/.docker/config.json`.
pub fn docker_config_path() -> PathBuf {
    docker_config_from(|name| std::env::var_os(name))
}

type Env<'a> = &'a dyn Fn(&str) -> Option<OsString>;

fn non_empty(env: Env<'_>, name: &str) -> Option<OsString> {
    env(name).filter(|v| !v.is_empty())
}

fn docker_config_from(env: impl Fn(&str) -> Option<OsString>) -> PathBuf {
    match non_empty(&env, "DOCKER_CONFIG") {
        Some(dir) => Path::new(&dir).join("config.json"),
        None => {
            let home = non_empty(&env, "HOME").unwrap_or_default();
            Path::new(&home).join(".docker/config.json")
        }
    }
}

/// The files containers/image and Docker read, in containers/image's order.
fn default_files(env: impl Fn(&str) -> Option<OsString>) -> Vec<PathBuf> {
    let mut files = Vec::new();
    if let Some(file) = non_empty(&env, "REGISTRY_AUTH_FILE") {
        files.push(PathBuf::from(file));
    } else if let Some(run) = non_empty(&env, "XDG_RUNTIME_DIR") {
        files.push(Path::new(&run).join("containers/auth.json"));
    }
    if let Some(home) = non_empty(&env, "HOME") {
        files.push(Path::new(&home).join(".config/containers/auth.json"));
    }
    files.push(docker_config_from(env));
    files
}

/// The parts of a `config.json` / `auth.json` used for lookups.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct AuthFile {
    #[serde(default)]
    auths: BTreeMap<String, AuthEntry>,
    #[serde(default)]
    cred_helpers: BTreeMap<String, String>,
    #[serde(default)]
    creds_store: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
struct AuthEntry {
    #[serde(default)]
    auth: Option<String>,
    #[serde(default)]
    username: Option<String>,
    #[serde(default)]
    password: Option<String>,
    #[serde(default)]
    identitytoken: Option<String>,
    #[serde(default)]
    registrytoken: Option<String>,
}

impl AuthFile {
    /// Reads a file; `None` when it does not exist.
    pub(crate) async fn read(path: &Path) -> Result<Option<AuthFile>> {
        let bytes = match tokio::fs::read(path).await {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(Error::io(format!("reading {}", path.display()), e)),
        };
        serde_json::from_slice(&bytes)
            .map(Some)
            .map_err(|e| Error::Credentials(format!("{}: {e}", path.display())))
    }

    /// The credential for a normalised registry and a repository.
    pub(crate) async fn lookup(
        &self,
        registry: &str,
        repository: &str,
    ) -> Result<Option<Credential>> {
        if let Some((_, helper)) = self
            .cred_helpers
            .iter()
            .find(|(key, _)| normalise_key(key) == registry)
        {
            return credential_helper::get(helper, &helper_server(registry)).await;
        }
        for wanted in candidate_keys(registry, repository) {
            let entry = self
                .auths
                .iter()
                .find(|(key, _)| normalise_key(key) == wanted);
            if let Some(Some(credential)) = entry.map(|(_, e)| e.credential()).transpose()? {
                return Ok(Some(credential));
            }
        }
        match &self.creds_store {
            Some(store) if !store.is_empty() => {
                credential_helper::get(store, &helper_server(registry)).await
            }
            _ => Ok(None),
        }
    }
}

impl AuthEntry {
    /// The entry's credential; `None` for an empty placeholder entry.
    fn credential(&self) -> Result<Option<Credential>> {
        if let Some(token) = self.registrytoken.as_ref().filter(|t| !t.is_empty()) {
            return Ok(Some(Credential::RegistryToken(token.clone())));
        }
        if let Some(token) = self.identitytoken.as_ref().filter(|t| !t.is_empty()) {
            return Ok(Some(Credential::IdentityToken(token.clone())));
        }
        if let Some(auth) = self.auth.as_ref().filter(|a| !a.is_empty()) {
            let decoded = BASE64
                .decode(auth.trim().as_bytes())
                .map_err(|e| Error::Credentials(format!("`auth` is not base64: {e}")))?;
            let text = String::from_utf8(decoded)
                .map_err(|_| Error::Credentials("`auth` is not UTF-8".into()))?;
            let (username, password) = text
                .split_once(':')
                .ok_or_else(|| Error::Credentials("`auth` has no `user:password`".into()))?;
            return Ok(Some(Credential::Basic {
                username: username.into(),
                password: password.into(),
            }));
        }
        match (&self.username, &self.password) {
            (Some(username), Some(password)) if !username.is_empty() => {
                Ok(Some(Credential::Basic {
                    username: username.clone(),
                    password: password.clone(),
                }))
            }
            _ => Ok(None),
        }
    }
}

/// Keys to try for a repository, most specific first:
/// `host/a/b`, `host/a`, `host`.
fn candidate_keys(registry: &str, repository: &str) -> Vec<String> {
    let mut keys = Vec::new();
    let mut path = repository;
    while !path.is_empty() {
        keys.push(format!("{registry}/{path}"));
        path = path.rsplit_once('/').map(|(head, _)| head).unwrap_or("");
    }
    keys.push(registry.to_string());
    keys
}

/// The server name handed to a credential helper.
pub(crate) fn helper_server(registry: &str) -> String {
    if registry == "docker.io" {
        "https://index.docker.io/v1/".into()
    } else {
        registry.into()
    }
}

/// One spelling for every way a registry key is written: scheme and API
/// path (`/v1/`, `/v2/`) dropped, host lowercased, Docker Hub's aliases
/// made `docker.io`; a namespace path (`host/ns/repo`) is kept.
pub fn normalise_key(key: &str) -> String {
    let key = key.trim();
    let (had_scheme, rest) = match key.split_once("://") {
        Some((_, rest)) => (true, rest),
        None => (false, key),
    };
    let rest = rest.trim_end_matches('/');
    let (host, path) = match rest.split_once('/') {
        Some((host, path)) => (host, path),
        None => (rest, ""),
    };
    let api_path = path.is_empty()
        || had_scheme
        || ["v1", "v2"].contains(&path)
        || path.starts_with("v1/")
        || path.starts_with("v2/");
    let host = host.to_ascii_lowercase();
    let host = match host.as_str() {
        "index.docker.io" | "registry-1.docker.io" | "registry.hub.docker.com" => "docker.io",
        other => other,
    };
    if api_path {
        host.to_string()
    } else {
        format!("{host}/{path}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_spelling_of_a_key_matches() {
        for key in [
            "https://index.docker.io/v1/",
            "index.docker.io",
            "docker.io",
            "registry-1.docker.io",
            "http://registry-1.docker.io/v2/",
        ] {
            assert_eq!(normalise_key(key), "docker.io", "{key}");
        }
        for key in [
            "localhost:5000",
            "http://localhost:5000",
            "https://localhost:5000/",
            "localhost:5000/v2/",
            "LOCALHOST:5000",
        ] {
            assert_eq!(normalise_key(key), "localhost:5000", "{key}");
        }
        assert_eq!(normalise_key("quay.io/ns/repo"), "quay.io/ns/repo");
    }

    #[test]
    fn repository_keys_go_from_specific_to_general() {
        assert_eq!(
            candidate_keys("quay.io", "a/b"),
            ["quay.io/a/b", "quay.io/a", "quay.io"]
        );
    }

    #[test]
    fn default_files_follow_the_environment() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| OsString::from(v))
            }
        };
        let all = default_files(env(&[
            ("REGISTRY_AUTH_FILE", "/a/auth.json"),
            ("XDG_RUNTIME_DIR", "/run/user/1"),
            ("HOME", "/home/u"),
            ("DOCKER_CONFIG", "/d"),
        ]));
        let expected: Vec<PathBuf> = [
            "/a/auth.json",
            "/home/u/.config/containers/auth.json",
            "/d/config.json",
        ]
        .iter()
        .map(PathBuf::from)
        .collect();
        assert_eq!(all, expected);
        let fallback = default_files(env(&[("XDG_RUNTIME_DIR", "/run/user/1"), ("HOME", "/h")]));
        let expected: Vec<PathBuf> = [
            "/run/user/1/containers/auth.json",
            "/h/.config/containers/auth.json",
            "/h/.docker/config.json",
        ]
        .iter()
        .map(PathBuf::from)
        .collect();
        assert_eq!(fallback, expected);
    }

    #[test]
    fn debug_hides_secrets() {
        let c = Credential::Basic {
            username: "u".into(),
            password: "hunter2".into(),
        };
        assert!(!format!("{c:?}").contains("hunter2"));
    }

    #[tokio::test]
    async fn auths_entries_decode_every_form() {
        let file: AuthFile = serde_json::from_str(
            r#"{"auths": {
                "https://index.docker.io/v1/": {"auth": "dTpwOnc="},
                "quay.io/team": {"identitytoken": "refresh"},
                "quay.io": {"username": "q", "password": "qp"},
                "r.example": {"registrytoken": "bearer"},
                "empty.example": {}
            }}"#,
        )
        .unwrap();
        let basic = file.lookup("docker.io", "library/alpine").await.unwrap();
        assert_eq!(
            basic,
            Some(Credential::Basic {
                username: "u".into(),
                password: "p:w".into()
            })
        );
        let scoped = file.lookup("quay.io", "team/app").await.unwrap();
        assert_eq!(scoped, Some(Credential::IdentityToken("refresh".into())));
        let general = file.lookup("quay.io", "other/app").await.unwrap();
        assert!(matches!(general, Some(Credential::Basic { .. })));
        let token = file.lookup("r.example", "x").await.unwrap();
        assert_eq!(token, Some(Credential::RegistryToken("bearer".into())));
        assert_eq!(file.lookup("empty.example", "x").await.unwrap(), None);
    }
}
