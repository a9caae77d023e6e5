//! `HTTP_PROXY` from the environment is used (this test binary holds one
//! test, as it changes the process environment). The fault proxy acts as
//! the forward proxy in front of the real Basic-auth registry.

#![allow(clippy::unwrap_used)]

mod registry_common;

use registry_common::*;
use tranship::registry::{
    Client, ClientOptions, CredentialStore, RegistriesConfig, RegistrySettings,
};

/// A registry name that only the proxy can reach.
const PROXIED: &str = "proxied.example:5000";

#[tokio::test]
async fn http_proxy_from_the_environment_is_used() {
    let Some(proxy) = env_or_skip("TRANSHIP_TEST_FAULT_PROXY") else {
        return;
    };
    let user = std::env::var("TRANSHIP_TEST_USER").unwrap();
    let password = std::env::var("TRANSHIP_TEST_PASSWORD").unwrap();
    std::env::set_var("HTTP_PROXY", format!("http://{proxy}"));
    let mut registries = RegistriesConfig::new();
    registries.set(
        PROXIED,
        RegistrySettings {
            plain_http: Some(true),
            ..RegistrySettings::default()
        },
    );
    let client = Client::new(ClientOptions {
        credentials: CredentialStore::anonymous().with_credential(PROXIED, basic(&user, &password)),
        registries,
        ..ClientOptions::default()
    });
    let tagged = reference(PROXIED, &unique("proxied/app"), "v1");
    let image = TestImage::new(71, &[2000], true);
    let digest = image.push(&client, &tagged).await.unwrap();
    assert_eq!(
        client.get_manifest(&tagged, &[]).await.unwrap().digest,
        digest
    );
    let forwarded = control_forwarded(&proxy).await;
    assert!(
        forwarded >= 5,
        "only {forwarded} requests went through the proxy"
    );
}

async fn control_forwarded(proxy: &str) -> u64 {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(proxy).await.unwrap();
    stream
        .write_all(b"GET /__control__/forwarded HTTP/1.0\r\n\r\n")
        .await
        .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.unwrap();
    answer
        .rsplit("\r\n\r\n")
        .next()
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}
