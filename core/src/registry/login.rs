//! `login` and `logout`: storing credentials in Docker's `config.json`.
//!
//! A registry with a `credHelpers` entry, or any registry when `credsStore`
//! is set, is stored with that helper; otherwise an `auths` entry with the
//! base64 `user:password` is written. Every other key of the file is kept;
//! the file is replaced atomically and is readable only by its owner.

use std::path::Path;

use data_encoding::BASE64;
use serde_json::{Map, Value};

use super::credential_helper;
use super::credentials::{helper_server, normalise_key};
use crate::error::{Error, Result};
use crate::fs::AtomicFile;

/// Stores `username`/`password` for `registry` in the Docker config at
/// `config` (see [`docker_config_path`](super::docker_config_path)).
pub async fn save_login(
    config: &Path,
    registry: &str,
    username: &str,
    password: &str,
) -> Result<()> {
    let registry = normalise_key(registry);
    let mut doc = read_object(config).await?;
    if let Some(helper) = helper_for(&doc, &registry) {
        return credential_helper::store(&helper, &helper_server(&registry), username, password)
            .await;
    }
    let auths = doc
        .entry("auths")
        .or_insert_with(|| Value::Object(Map::new()));
    let Value::Object(auths) = auths else {
        return Err(Error::Credentials(format!(
            "{}: `auths` is not an object",
            config.display()
        )));
    };
    auths.retain(|key, _| normalise_key(key) != registry);
    let auth = BASE64.encode(format!("{username}:{password}").as_bytes());
    let mut entry = Map::new();
    entry.insert("auth".into(), Value::String(auth));
    auths.insert(helper_server(&registry), Value::Object(entry));
    write_object(config, &doc).await
}

/// Forgets `registry`'s credentials (every key spelling, and the helper's
/// entry); returns whether the config file had an entry.
pub async fn remove_login(config: &Path, registry: &str) -> Result<bool> {
    let registry = normalise_key(registry);
    let mut doc = read_object(config).await?;
    if let Some(helper) = helper_for(&doc, &registry) {
        credential_helper::erase(&helper, &helper_server(&registry)).await?;
    }
    let mut removed = false;
    if let Some(Value::Object(auths)) = doc.get_mut("auths") {
        let before = auths.len();
        auths.retain(|key, _| normalise_key(key) != registry);
        removed = auths.len() != before;
    }
    if removed {
        write_object(config, &doc).await?;
    }
    Ok(removed)
}

/// The helper that holds `registry`'s credentials, if the file names one.
fn helper_for(doc: &Map<String, Value>, registry: &str) -> Option<String> {
    let specific = doc
        .get("credHelpers")
        .and_then(Value::as_object)
        .and_then(|helpers| {
            helpers
                .iter()
                .find(|(key, _)| normalise_key(key) == registry)
                .and_then(|(_, v)| v.as_str().map(str::to_string))
        });
    specific.or_else(|| {
        doc.get("credsStore")
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    })
}

async fn read_object(path: &Path) -> Result<Map<String, Value>> {
    let bytes = match tokio::fs::read(path).await {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Map::new()),
        Err(e) => return Err(Error::io(format!("reading {}", path.display()), e)),
    };
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(Map::new());
    }
    match serde_json::from_slice(&bytes) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(Error::Credentials(format!(
            "{}: expected a JSON object",
            path.display()
        ))),
        Err(e) => Err(Error::Credentials(format!("{}: {e}", path.display()))),
    }
}

async fn write_object(path: &Path, doc: &Map<String, Value>) -> Result<()> {
    let io = |what: &str, e| Error::io(format!("{what} {}", path.display()), e);
    let mut text = serde_json::to_vec_pretty(doc).map_err(|e| Error::Credentials(e.to_string()))?;
    text.push(b'\n');
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        tokio::fs::create_dir_all(dir)
            .await
            .map_err(|e| io("creating the folder of", e))?;
    }
    // Removed on any error, and when this future is dropped unfinished.
    let temp = AtomicFile::beside(path).owner_only();
    let mut file = temp.create_async().await?;
    tokio::io::AsyncWriteExt::write_all(&mut file, &text)
        .await
        .map_err(|e| io("writing", e))?;
    temp.persist_async(file).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::credentials::{Credential, CredentialStore};

    #[tokio::test]
    async fn login_then_logout_keeps_other_keys() {
        let dir = std::env::temp_dir().join(format!("tranship-login-{}", std::process::id()));
        let config = dir.join("config.json");
        tokio::fs::create_dir_all(&dir).await.unwrap();
        tokio::fs::write(
            &config,
            r#"{"auths":{"http://localhost:5000/v2/":{"auth":"b2xkOm9sZA=="}},"psFormat":"x"}"#,
        )
        .await
        .unwrap();
        save_login(&config, "localhost:5000", "u", "p")
            .await
            .unwrap();
        let store = CredentialStore::anonymous().with_file(&config);
        let found = store.lookup("LOCALHOST:5000", "a").await.unwrap();
        assert_eq!(
            found,
            Some(Credential::Basic {
                username: "u".into(),
                password: "p".into()
            })
        );
        let text = tokio::fs::read_to_string(&config).await.unwrap();
        assert!(text.contains("psFormat"), "{text}");
        assert!(remove_login(&config, "http://localhost:5000")
            .await
            .unwrap());
        assert_eq!(store.lookup("localhost:5000", "a").await.unwrap(), None);
        assert!(!remove_login(&config, "localhost:5000").await.unwrap());
        tokio::fs::remove_dir_all(&dir).await.unwrap();
    }

    #[tokio::test]
    async fn a_failed_write_leaves_no_temporary_file() {
        let dir = std::env::temp_dir().join(format!("tranship-login-fail-{}", std::process::id()));
        let _ = tokio::fs::remove_dir_all(&dir).await;
        // A folder where the config file should go: replacing it fails.
        let config = dir.join("config.json");
        tokio::fs::create_dir_all(config.join("inside"))
            .await
            .unwrap();
        let err = write_object(&config, &Map::new()).await.unwrap_err();
        assert_eq!(err.code(), "IO", "{err}");
        let mut names = tokio::fs::read_dir(&dir).await.unwrap();
        let mut found = Vec::new();
        while let Some(entry) = names.next_entry().await.unwrap() {
            found.push(entry.file_name());
        }
        assert_eq!(found, ["config.json"]);
        tokio::fs::remove_dir_all(&dir).await.unwrap();
    }
}
