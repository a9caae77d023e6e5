//! Transport settings against the real registry: TLS with a CA from a
//! certificate folder or without verification, a registries config file,
//! and mirrors tried before the origin. See scripts/test-registry.

#![allow(clippy::unwrap_used)]

mod registry_common;

use registry_common::*;
use tranship::registry::{
    Client, ClientOptions, Mirror, RegistriesConfig, RegistrySettings, RetryPolicy,
};
use tranship::Digest;

const TLS: &str = "TRANSHIP_TEST_REGISTRY_TLS";
const OPEN: &str = "TRANSHIP_TEST_REGISTRY_OPEN";

/// A loopback address where nothing listens: an origin that is down.
const DEAD_ORIGIN: &str = "127.0.0.1:9";

fn client_for(config: RegistriesConfig) -> Client {
    Client::new(ClientOptions {
        registries: config,
        retry: RetryPolicy::none(),
        ..options()
    })
}

fn https(registry: &str, settings: RegistrySettings) -> Client {
    let mut config = RegistriesConfig::new();
    config.set(
        registry,
        RegistrySettings {
            plain_http: Some(false),
            ..settings
        },
    );
    client_for(config)
}

#[tokio::test]
async fn tls_needs_the_ca_from_a_certificate_folder() {
    let Some(registry) = env_or_skip(TLS) else {
        return;
    };
    let Some(certs_d) = env_or_skip("TRANSHIP_TEST_CERTS_D") else {
        return;
    };
    let tagged = reference(&registry, &unique("tls/ca"), "v1");
    let image = TestImage::new(51, &[3000], true);

    let unverified = https(&registry, RegistrySettings::default());
    let err = image.push(&unverified, &tagged).await.unwrap_err();
    assert_eq!(err.code(), "NETWORK", "{err}");
    assert!(
        err.to_string().to_lowercase().contains("certificate"),
        "{err}"
    );

    let with_ca = https(
        &registry,
        RegistrySettings {
            cert_dir: Some(std::path::Path::new(&certs_d).join(&registry)),
            ..RegistrySettings::default()
        },
    );
    let digest = image.push(&with_ca, &tagged).await.unwrap();
    assert_eq!(
        with_ca.get_manifest(&tagged, &[]).await.unwrap().digest,
        digest
    );

    // The same folder found under a certs.d root.
    let mut config = RegistriesConfig::new();
    config.certs_d = vec![certs_d.into()];
    config.set(
        &registry,
        RegistrySettings {
            plain_http: Some(false),
            ..RegistrySettings::default()
        },
    );
    let found = client_for(config);
    assert_eq!(
        found.get_manifest(&tagged, &[]).await.unwrap().digest,
        digest
    );
}

#[tokio::test]
async fn tls_verification_can_be_turned_off() {
    let Some(registry) = env_or_skip(TLS) else {
        return;
    };
    let insecure = https(
        &registry,
        RegistrySettings {
            insecure: true,
            ..RegistrySettings::default()
        },
    );
    let tagged = reference(&registry, &unique("tls/insecure"), "v1");
    let image = TestImage::new(52, &[100], true);
    let digest = image.push(&insecure, &tagged).await.unwrap();
    assert_eq!(
        insecure.manifest_digest(&tagged, &[]).await.unwrap(),
        digest
    );
}

#[tokio::test]
async fn mirrors_are_tried_before_the_origin() {
    let Some(mirror) = env_or_skip(OPEN) else {
        return;
    };
    let repo = unique("mirrored/app");
    let image = TestImage::new(53, &[5000], true);
    // The mirror keeps the origin's repositories under a path prefix.
    image
        .push(
            &client(),
            &reference(&mirror, &format!("cache/{repo}"), "v1"),
        )
        .await
        .unwrap();
    let config = RegistriesConfig::from_toml(&format!(
        "[[registry]]\nlocation = \"{DEAD_ORIGIN}\"\n\n[[registry.mirror]]\nlocation = \"{mirror}/cache\"\n"
    ))
    .unwrap();
    let client = client_for(config);
    let tagged = reference(DEAD_ORIGIN, &repo, "v1");
    let got = client.get_manifest(&tagged, &[]).await.unwrap();
    assert_eq!(got.digest, image.digest());
    let layer = &image.layers[0];
    let back = client
        .get_blob_bytes(&tagged, &Digest::sha256(layer), 1 << 20)
        .await
        .unwrap();
    assert_eq!(&back, layer);
}

#[tokio::test]
async fn digest_only_mirrors_are_skipped_for_tags() {
    let Some(mirror) = env_or_skip(OPEN) else {
        return;
    };
    let repo = unique("mirrored/digest-only");
    let image = TestImage::new(54, &[10], true);
    let digest = image
        .push(&client(), &reference(&mirror, &repo, "v1"))
        .await
        .unwrap();
    let mut config = RegistriesConfig::new();
    config.set(
        DEAD_ORIGIN,
        RegistrySettings {
            mirrors: vec![Mirror {
                location: mirror.clone(),
                insecure: false,
                digest_only: true,
            }],
            ..RegistrySettings::default()
        },
    );
    let client = client_for(config);
    let err = client
        .get_manifest(&reference(DEAD_ORIGIN, &repo, "v1"), &[])
        .await
        .unwrap_err();
    assert_eq!(err.code(), "NETWORK", "{err}");
    let pinned = by_digest(DEAD_ORIGIN, &repo, &digest);
    assert_eq!(
        client.get_manifest(&pinned, &[]).await.unwrap().digest,
        digest
    );
}
