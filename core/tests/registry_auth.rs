//! Authentication against the real distribution registry: htpasswd Basic
//! auth, token auth through our issuer (GET with Basic credentials, OAuth2
//! POST with a refresh token, several scopes for a mount), credential
//! helpers and Docker config files. See scripts/test-registry.

#![allow(clippy::unwrap_used)]

mod registry_common;

use registry_common::*;
use tranship::registry::{
    save_login, BlobSource, Client, ClientOptions, Credential, CredentialStore, HttpExchange,
    PushOutcome,
};
use tranship::Digest;

const BASIC: &str = "TRANSHIP_TEST_REGISTRY_BASIC";
const TOKEN: &str = "TRANSHIP_TEST_REGISTRY_TOKEN";

fn user() -> (String, String) {
    (
        std::env::var("TRANSHIP_TEST_USER").unwrap(),
        std::env::var("TRANSHIP_TEST_PASSWORD").unwrap(),
    )
}

fn token_log() -> Vec<serde_json::Value> {
    let path = std::env::var("TRANSHIP_TEST_TOKEN_LOG").unwrap();
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// Pushes and pulls an image in a new repository; returns its name.
async fn round_trip(client: &Client, registry: &str, prefix: &str) -> String {
    let repo = unique(prefix);
    let tagged = reference(registry, &repo, "v1");
    let image = TestImage::new(11, &[5000, 70_000], true);
    let digest = image.push(client, &tagged).await.unwrap();
    let got = client.get_manifest(&tagged, &[]).await.unwrap();
    assert_eq!(got.digest, digest);
    let layer = &image.layers[1];
    let back = client
        .get_blob_bytes(&tagged, &Digest::sha256(layer), 1 << 20)
        .await
        .unwrap();
    assert_eq!(&back, layer);
    assert_eq!(client.list_tags(&tagged).await.unwrap(), ["v1"]);
    repo
}

#[tokio::test]
async fn basic_auth_round_trip() {
    let Some(registry) = env_or_skip(BASIC) else {
        return;
    };
    let (name, password) = user();
    let client = client_with(&registry, basic(&name, &password));
    round_trip(&client, &registry, "basic/trip").await;
    let catalog = client.catalog(&registry).await.unwrap();
    assert!(!catalog.is_empty());
}

#[tokio::test]
async fn basic_auth_refuses_wrong_and_missing_credentials() {
    let Some(registry) = env_or_skip(BASIC) else {
        return;
    };
    let target = reference(&registry, "basic/nobody", "v1");
    let wrong = client_with(&registry, basic("tester", "wrong"));
    let err = wrong.get_manifest(&target, &[]).await.unwrap_err();
    assert_eq!(err.code(), "UNAUTHORIZED", "{err}");
    let err = client().get_manifest(&target, &[]).await.unwrap_err();
    assert_eq!(err.code(), "UNAUTHORIZED", "{err}");
    assert!(err.to_string().contains("authentication required"), "{err}");
    assert_eq!(
        wrong.ping(&registry).await.unwrap_err().code(),
        "UNAUTHORIZED"
    );
    let (name, password) = user();
    client_with(&registry, basic(&name, &password))
        .ping(&registry)
        .await
        .unwrap();
}

#[tokio::test]
async fn token_auth_round_trip_with_basic_credentials() {
    let Some(registry) = env_or_skip(TOKEN) else {
        return;
    };
    let (name, password) = user();
    let client = client_with(&registry, basic(&name, &password));
    let repo = round_trip(&client, &registry, "token/trip").await;
    // Tokens are cached per repository and actions: one for pulling, one
    // for pushing, however many requests used them.
    let asked: Vec<serde_json::Value> = token_log()
        .into_iter()
        .filter(|r| r["how"] == "GET" && r["account"] == name.as_str())
        .filter(|r| {
            r["scopes"]
                .to_string()
                .contains(&format!("repository:{repo}:"))
        })
        .collect();
    assert_eq!(asked.len(), 2, "{asked:?}");
    client.ping(&registry).await.unwrap();
}

/// `--debug` logs: every request with its status, the token request
/// marked as such, and never a credential.
#[tokio::test]
async fn the_http_log_shows_exchanges_but_no_secrets() {
    let Some(registry) = env_or_skip(TOKEN) else {
        return;
    };
    let (name, password) = user();
    let lines = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let sink = {
        let lines = lines.clone();
        move |e: &HttpExchange| lines.lock().unwrap().push(e.to_string())
    };
    let client = Client::new(ClientOptions {
        credentials: CredentialStore::anonymous()
            .with_credential(&registry, basic(&name, &password)),
        http_log: Some(std::sync::Arc::new(sink)),
        ..ClientOptions::default()
    });
    let repo = unique("token/log");
    let tagged = reference(&registry, &repo, "v1");
    let err = client.get_manifest(&tagged, &[]).await.unwrap_err();
    assert!(
        matches!(err.code(), "NAME_UNKNOWN" | "MANIFEST_UNKNOWN"),
        "{err}"
    );
    let lines = lines.lock().unwrap().clone();
    let url = format!("http://{registry}/v2/{repo}/manifests/v1");
    assert_eq!(lines[0], format!("GET {url} -> 401"), "{lines:?}");
    assert!(lines[1].contains("(token) -> 200"), "{lines:?}");
    assert!(
        lines[2].starts_with(&format!("GET {url} -> 404")),
        "{lines:?}"
    );
    assert!(lines.iter().all(|l| !l.contains(&password)), "{lines:?}");
}

#[tokio::test]
async fn token_auth_refuses_anonymous_clients() {
    let Some(registry) = env_or_skip(TOKEN) else {
        return;
    };
    let err = client()
        .get_manifest(&reference(&registry, "token/nobody", "v1"), &[])
        .await
        .unwrap_err();
    assert_eq!(err.code(), "UNAUTHORIZED", "{err}");
    let wrong = client_with(&registry, basic("tester", "wrong"));
    let err = wrong
        .get_manifest(&reference(&registry, "token/nobody", "v1"), &[])
        .await
        .unwrap_err();
    assert_eq!(err.code(), "UNAUTHORIZED", "{err}");
    assert!(err.to_string().contains("token service"), "{err}");
}

#[tokio::test]
async fn a_token_service_refusal_is_denied() {
    let Some(registry) = env_or_skip(TOKEN) else {
        return;
    };
    let blocked = client_with(&registry, basic("blocked", "whatever"));
    let err = blocked
        .get_manifest(&reference(&registry, "token/blocked", "v1"), &[])
        .await
        .unwrap_err();
    assert_eq!(err.code(), "DENIED", "{err}");
    assert!(err.to_string().contains("account blocked"), "{err}");
}

#[tokio::test]
async fn token_auth_with_an_identity_token_uses_oauth2_post() {
    let Some(registry) = env_or_skip(TOKEN) else {
        return;
    };
    let refresh = std::env::var("TRANSHIP_TEST_REFRESH_TOKEN").unwrap();
    let client = client_with(&registry, Credential::IdentityToken(refresh));
    round_trip(&client, &registry, "token/oauth").await;
    assert!(token_log()
        .iter()
        .any(|r| r["how"] == "POST refresh_token" && r["refused"].is_null()));
}

#[tokio::test]
async fn token_mount_asks_for_both_repositories_at_once() {
    let Some(registry) = env_or_skip(TOKEN) else {
        return;
    };
    let (name, password) = user();
    let client = client_with(&registry, basic(&name, &password));
    let source_repo = unique("token/mount-source");
    let target_repo = unique("token/mount-target");
    let source = reference(&registry, &source_repo, "v1");
    let blob = bytes(21, 10_000);
    let digest = Digest::sha256(&blob);
    client
        .push_blob(&source, &digest, BlobSource::Bytes(blob.clone()), &[])
        .await
        .unwrap();
    let target = reference(&registry, &target_repo, "v1");
    let pushed = client
        .push_blob(&target, &digest, BlobSource::Bytes(blob), &[source])
        .await
        .unwrap();
    assert_eq!(pushed.outcome, PushOutcome::Mounted);
    let both = token_log().into_iter().any(|r| {
        let scopes: Vec<String> = r["scopes"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|s| s.as_str().unwrap_or("").to_string())
                    .collect()
            })
            .unwrap_or_default();
        scopes.contains(&format!("repository:{source_repo}:pull"))
            && scopes.contains(&format!("repository:{target_repo}:pull,push"))
    });
    assert!(both, "no token request named both repositories");
}

#[tokio::test]
async fn credential_helper_from_a_docker_config() {
    let Some(registry) = env_or_skip(BASIC) else {
        return;
    };
    let Some(helper) = env_or_skip("TRANSHIP_TEST_CRED_HELPER") else {
        return;
    };
    let dir = temp_dir("helper");
    let config = dir.join("config.json");
    std::fs::write(
        &config,
        format!(r#"{{"credHelpers":{{"http://{registry}/v2/":"{helper}"}}}}"#),
    )
    .unwrap();
    let client = Client::new(ClientOptions {
        credentials: CredentialStore::anonymous().with_file(&config),
        ..options()
    });
    round_trip(&client, &registry, "helper/specific").await;

    // credsStore applies to every registry without a credHelpers entry.
    std::fs::write(&config, format!(r#"{{"credsStore":"{helper}"}}"#)).unwrap();
    let client = Client::new(ClientOptions {
        credentials: CredentialStore::anonymous().with_file(&config),
        ..options()
    });
    round_trip(&client, &registry, "helper/store").await;
    let log = std::fs::read_to_string(std::env::var("TRANSHIP_TEST_HELPER_LOG").unwrap()).unwrap();
    assert!(log.contains(&format!("get {registry}")), "{log}");

    // A helper that has nothing for a registry means anonymous access.
    let store = CredentialStore::anonymous().with_file(&config);
    assert_eq!(store.lookup("other.example", "a").await.unwrap(), None);
}

#[tokio::test]
async fn login_writes_a_docker_config_that_is_then_used() {
    let Some(registry) = env_or_skip(BASIC) else {
        return;
    };
    let (name, password) = user();
    let dir = temp_dir("login");
    let config = dir.join("config.json");
    save_login(&config, &format!("http://{registry}"), &name, &password)
        .await
        .unwrap();
    let client = Client::new(ClientOptions {
        credentials: CredentialStore::anonymous().with_file(&config),
        ..options()
    });
    round_trip(&client, &registry, "login/then").await;
}
