//! Shared set-up for the tests against real registries started by
//! `scripts/test-registry` (which exports the addresses below).
//!
//! Without those variables each test prints `skipped: ...` and passes, so
//! a plain `cargo test` stays green; with `TRANSHIP_TEST_REQUIRE_REGISTRIES`
//! set, a missing variable fails the test instead.

#![allow(dead_code, clippy::unwrap_used)]

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use tranship::manifest::Manifest;
use tranship::progress::{Phase, ProgressEvent};
use tranship::registry::{BlobSource, Client, ClientOptions, Credential, CredentialStore};
use tranship::{Digest, Limits, MediaType, Reference};

/// The value of `name`, or `None` after printing why the test is skipped.
pub fn env_or_skip(name: &str) -> Option<String> {
    match std::env::var(name) {
        Ok(v) if !v.is_empty() => Some(v),
        _ => {
            if std::env::var_os("TRANSHIP_TEST_REQUIRE_REGISTRIES").is_some() {
                panic!("{name} is not set but registries are required");
            }
            eprintln!("skipped: {name} is not set (run scripts/test-registry)");
            None
        }
    }
}

/// A repository name no other test uses.
pub fn unique(prefix: &str) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!("{prefix}-{}-{n}", std::process::id())
}

pub fn reference(registry: &str, repository: &str, tag: &str) -> Reference {
    format!("{registry}/{repository}:{tag}").parse().unwrap()
}

pub fn by_digest(registry: &str, repository: &str, digest: &Digest) -> Reference {
    format!("{registry}/{repository}@{digest}").parse().unwrap()
}

/// Options without the machine's credential files.
pub fn options() -> ClientOptions {
    ClientOptions {
        credentials: CredentialStore::anonymous(),
        ..ClientOptions::default()
    }
}

pub fn client() -> Client {
    Client::new(options())
}

pub fn client_with(registry: &str, credential: Credential) -> Client {
    Client::new(ClientOptions {
        credentials: CredentialStore::anonymous().with_credential(registry, credential),
        ..ClientOptions::default()
    })
}

pub fn basic(user: &str, password: &str) -> Credential {
    Credential::Basic {
        username: user.into(),
        password: password.into(),
    }
}

/// Deterministic pseudo-random bytes.
pub fn bytes(seed: u64, len: usize) -> Vec<u8> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

/// A small image: a config, some layers, and an OCI or Docker manifest.
#[derive(Clone)]
pub struct TestImage {
    pub config: Vec<u8>,
    pub layers: Vec<Vec<u8>>,
    pub manifest: Vec<u8>,
    pub media_type: MediaType,
}

impl TestImage {
    pub fn new(seed: u64, layer_sizes: &[usize], oci: bool) -> Self {
        let layers: Vec<Vec<u8>> = layer_sizes
            .iter()
            .enumerate()
            .map(|(i, size)| bytes(seed * 100 + i as u64, *size))
            .collect();
        // Layers are random bytes, not tar: their diff_ids stand in as
        // digests of the bytes themselves.
        let diff_ids: Vec<String> = layers
            .iter()
            .map(|l| format!("\"{}\"", Digest::sha256(l)))
            .collect();
        let history: Vec<String> = (0..layers.len())
            .map(|i| {
                format!(
                    r#"{{"created":"2024-01-02T03:04:0{}Z","created_by":"/bin/sh -c step {i}"}}"#,
                    i % 10
                )
            })
            .collect();
        let config = format!(
            r#"{{"architecture":"amd64","os":"linux","config":{{"Env":["SEED={seed}"]}},"rootfs":{{"type":"layers","diff_ids":[{}]}},"history":[{}]}}"#,
            diff_ids.join(","),
            history.join(",")
        )
        .into_bytes();
        let (media_type, config_type, layer_type) = if oci {
            (
                MediaType::OciManifest,
                "application/vnd.oci.image.config.v1+json",
                "application/vnd.oci.image.layer.v1.tar+gzip",
            )
        } else {
            (
                MediaType::DockerSchema2,
                "application/vnd.docker.container.image.v1+json",
                "application/vnd.docker.image.rootfs.diff.tar.gzip",
            )
        };
        let descriptor = |t: &str, b: &[u8]| {
            format!(
                r#"{{"mediaType":"{t}","digest":"{}","size":{}}}"#,
                Digest::sha256(b),
                b.len()
            )
        };
        let layer_list: Vec<String> = layers.iter().map(|l| descriptor(layer_type, l)).collect();
        let manifest = format!(
            r#"{{"schemaVersion":2,"mediaType":"{media_type}","config":{},"layers":[{}]}}"#,
            descriptor(config_type, &config),
            layer_list.join(",")
        )
        .into_bytes();
        TestImage {
            config,
            layers,
            manifest,
            media_type,
        }
    }

    pub fn parsed(&self) -> Manifest {
        Manifest::parse(
            &self.manifest,
            Some(self.media_type.as_str()),
            &Limits::default(),
        )
        .unwrap()
    }

    pub fn digest(&self) -> Digest {
        Digest::sha256(&self.manifest)
    }

    /// Pushes blobs and manifest; returns the manifest digest.
    pub async fn push(&self, client: &Client, reference: &Reference) -> tranship::Result<Digest> {
        for blob in std::iter::once(&self.config).chain(&self.layers) {
            client
                .push_blob(
                    reference,
                    &Digest::sha256(blob),
                    BlobSource::Bytes(blob.clone()),
                    &[],
                )
                .await?;
        }
        client.put_manifest(reference, &self.parsed()).await
    }
}

/// Collects progress events.
#[derive(Clone, Default)]
pub struct Events(pub Arc<Mutex<Vec<ProgressEvent>>>);

impl Events {
    pub fn sink(&self) -> Arc<dyn tranship::progress::Progress> {
        let events = self.0.clone();
        Arc::new(move |e: &ProgressEvent| events.lock().unwrap().push(e.clone()))
    }

    pub fn phases(&self) -> Vec<Phase> {
        self.0.lock().unwrap().iter().map(|e| e.phase).collect()
    }
}

/// A fresh empty folder under the system temp folder.
pub fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(unique(&format!("tranship-test-{name}")));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
