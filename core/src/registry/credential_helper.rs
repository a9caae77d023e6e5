//! `docker-credential-<name>` helper programs: `get`, `store`, `erase`.
//!
//! The protocol (docker/docker-credential-helpers): the verb is the only
//! argument; `get` and `erase` read the server URL on stdin, `store` reads
//! `{"ServerURL","Username","Secret"}`; `get` prints the same object. A
//! `Username` of `<token>` marks `Secret` as an identity token.

use std::process::Stdio;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use tokio::io::AsyncWriteExt;
use tokio::process::Command;

use super::credentials::Credential;
use crate::error::{Error, Result};

/// How long a helper may take (it may ask the user to unlock a keyring).
const HELPER_TIMEOUT: Duration = Duration::from_secs(60);

#[derive(Serialize, Deserialize)]
struct HelperCredential {
    #[serde(rename = "ServerURL", default)]
    server_url: String,
    #[serde(rename = "Username", default)]
    username: String,
    #[serde(rename = "Secret", default)]
    secret: String,
}

/// Asks `docker-credential-<helper>` for `server`'s credential; `None`
/// when the helper has none.
pub(crate) async fn get(helper: &str, server: &str) -> Result<Option<Credential>> {
    let out = run(helper, "get", server.as_bytes()).await?;
    if !out.status.success() {
        let said = String::from_utf8_lossy(&out.stdout).to_string()
            + &String::from_utf8_lossy(&out.stderr);
        if said.to_lowercase().contains("credentials not found") {
            return Ok(None);
        }
        return Err(helper_failed(helper, "get", &said));
    }
    let found: HelperCredential = serde_json::from_slice(&out.stdout)
        .map_err(|e| Error::Credentials(format!("docker-credential-{helper} get: {e}")))?;
    if found.secret.is_empty() {
        return Ok(None);
    }
    Ok(Some(if found.username == "<token>" {
        Credential::IdentityToken(found.secret)
    } else {
        Credential::Basic {
            username: found.username,
            password: found.secret,
        }
    }))
}

/// Stores a user name and secret for `server` with the helper.
pub(crate) async fn store(helper: &str, server: &str, username: &str, secret: &str) -> Result<()> {
    let input = serde_json::to_vec(&HelperCredential {
        server_url: server.into(),
        username: username.into(),
        secret: secret.into(),
    })
    .map_err(|e| Error::Credentials(e.to_string()))?;
    let out = run(helper, "store", &input).await?;
    if out.status.success() {
        Ok(())
    } else {
        Err(helper_failed(
            helper,
            "store",
            &String::from_utf8_lossy(&out.stderr),
        ))
    }
}

/// Removes `server`'s credential from the helper; a missing one is fine.
pub(crate) async fn erase(helper: &str, server: &str) -> Result<()> {
    let out = run(helper, "erase", server.as_bytes()).await?;
    let said =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    if out.status.success() || said.to_lowercase().contains("credentials not found") {
        Ok(())
    } else {
        Err(helper_failed(helper, "erase", &said))
    }
}

fn helper_failed(helper: &str, verb: &str, said: &str) -> Error {
    Error::Credentials(format!(
        "docker-credential-{helper} {verb} failed: {}",
        said.trim()
    ))
}

async fn run(helper: &str, verb: &str, input: &[u8]) -> Result<std::process::Output> {
    let program = format!("docker-credential-{helper}");
    let mut child = Command::new(&program)
        .arg(verb)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| Error::Credentials(format!("cannot run {program}: {e}")))?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin
            .write_all(input)
            .await
            .map_err(|e| Error::Credentials(format!("writing to {program}: {e}")))?;
    }
    tokio::time::timeout(HELPER_TIMEOUT, child.wait_with_output())
        .await
        .map_err(|_| Error::Credentials(format!("{program} {verb} did not finish in 60 s")))?
        .map_err(|e| Error::Credentials(format!("{program} {verb}: {e}")))
}
