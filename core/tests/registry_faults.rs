//! Faults injected by tests/interop/fault_proxy.py in front of the real
//! registry (Basic auth): resets mid-blob, 429 with Retry-After, 503
//! bursts, truncated bodies, redirects to another host; plus the referrers
//! API, which distribution 2.8 lacks and the proxy serves.

#![allow(clippy::unwrap_used)]

mod registry_common;

use std::time::{Duration, Instant};

use registry_common::*;
use tranship::progress::Phase;
use tranship::registry::{
    BlobSource, Client, ClientOptions, CredentialStore, PushOutcome, RetryPolicy,
};
use tranship::{Digest, MediaType, Reference};

const PROXY: &str = "TRANSHIP_TEST_FAULT_PROXY";
const BASIC: &str = "TRANSHIP_TEST_REGISTRY_BASIC";

struct Setup {
    registry: String,
    proxy: String,
    options: ClientOptions,
}

fn setup() -> Option<Setup> {
    let proxy = env_or_skip(PROXY)?;
    let registry = env_or_skip(BASIC)?;
    let user = std::env::var("TRANSHIP_TEST_USER").unwrap();
    let password = std::env::var("TRANSHIP_TEST_PASSWORD").unwrap();
    let credentials = CredentialStore::anonymous()
        .with_credential(&registry, basic(&user, &password))
        .with_credential(&proxy, basic(&user, &password));
    Some(Setup {
        registry,
        proxy,
        options: ClientOptions {
            credentials,
            ..ClientOptions::default()
        },
    })
}

impl Setup {
    fn client(&self) -> Client {
        Client::new(self.options.clone())
    }

    /// Pushes an image straight to the registry under `faults/<kind>-…`;
    /// returns the repository and the image.
    async fn seed(&self, kind: &str, layer: usize) -> (String, TestImage) {
        let repo = unique(&format!("faults/{kind}"));
        let image = TestImage::new(31, &[layer], true);
        image
            .push(&self.client(), &reference(&self.registry, &repo, "v1"))
            .await
            .unwrap();
        (repo, image)
    }

    fn via_proxy(&self, repo: &str) -> Reference {
        reference(&self.proxy, repo, "v1")
    }
}

#[tokio::test]
async fn a_reset_mid_blob_resumes_with_a_range_request() {
    let Some(s) = setup() else { return };
    let (repo, image) = s.seed("reset", 1_000_000).await;
    let events = Events::default();
    let client = Client::new(ClientOptions {
        progress: Some(events.sink()),
        ..s.options.clone()
    });
    let layer = &image.layers[0];
    let dir = temp_dir("reset");
    let path = dir.join("layer");
    let n = client
        .get_blob_to_path(
            &s.via_proxy(&repo),
            &Digest::sha256(layer),
            Some(layer.len() as u64),
            &path,
        )
        .await
        .unwrap();
    assert_eq!(n, layer.len() as u64);
    assert_eq!(std::fs::read(&path).unwrap(), *layer);
    let phases = events.phases();
    assert!(phases.contains(&Phase::Resumed), "{phases:?}");
    assert_eq!(phases.last(), Some(&Phase::Finished));
}

#[tokio::test]
async fn too_many_requests_waits_for_retry_after() {
    let Some(s) = setup() else { return };
    let (repo, image) = s.seed("ratelimit", 10).await;
    let started = Instant::now();
    let got = s
        .client()
        .get_manifest(&s.via_proxy(&repo), &[])
        .await
        .unwrap();
    assert_eq!(got.manifest.raw(), image.manifest);
    // Two 429 answers, each asking for one second.
    assert!(
        started.elapsed() >= Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_manifest_served_as_text_plain_is_detected_from_its_content() {
    let Some(s) = setup() else { return };
    let (repo, image) = s.seed("textplain", 10).await;
    let got = s
        .client()
        .get_manifest(&s.via_proxy(&repo), &[])
        .await
        .unwrap();
    assert_eq!(
        got.content_type.as_deref(),
        Some("text/plain; charset=utf-8")
    );
    assert_eq!(got.manifest.media_type(), &MediaType::OciManifest);
    assert_eq!(got.digest, image.digest());
}

#[tokio::test]
async fn a_wrong_docker_content_digest_is_a_digest_mismatch() {
    let Some(s) = setup() else { return };
    let (repo, _) = s.seed("baddigest", 10).await;
    let err = s
        .client()
        .get_manifest(&s.via_proxy(&repo), &[])
        .await
        .unwrap_err();
    assert_eq!(err.code(), "DIGEST_MISMATCH", "{err}");
}

#[tokio::test]
async fn a_burst_of_503_is_retried() {
    let Some(s) = setup() else { return };
    let (repo, image) = s.seed("burst503", 10).await;
    let layer = &image.layers[0];
    let back = s
        .client()
        .get_blob_bytes(&s.via_proxy(&repo), &Digest::sha256(layer), 1 << 20)
        .await
        .unwrap();
    assert_eq!(&back, layer);
}

#[tokio::test]
async fn endless_429_ends_in_too_many_requests_with_the_headers() {
    let Some(s) = setup() else { return };
    let client = Client::new(ClientOptions {
        retry: RetryPolicy {
            max_attempts: 3,
            base_delay: Duration::from_millis(10),
            ..RetryPolicy::default()
        },
        ..s.options.clone()
    });
    let err = client
        .get_manifest(&s.via_proxy(&unique("faults/always429")), &[])
        .await
        .unwrap_err();
    assert_eq!(err.code(), "TOO_MANY_REQUESTS", "{err}");
    let text = err.to_string();
    assert!(text.contains("slow down"), "{text}");
    assert!(text.contains("ratelimit-remaining: 0;w=21600"), "{text}");
}

#[tokio::test]
async fn a_truncated_body_is_a_digest_mismatch_and_nothing_is_kept() {
    let Some(s) = setup() else { return };
    let (repo, image) = s.seed("truncate", 50_000).await;
    let layer = &image.layers[0];
    let dir = temp_dir("truncate");
    let err = s
        .client()
        .get_blob_to_path(
            &s.via_proxy(&repo),
            &Digest::sha256(layer),
            Some(layer.len() as u64),
            &dir.join("layer"),
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), "DIGEST_MISMATCH", "{err}");
    assert_eq!(
        std::fs::read_dir(&dir).unwrap().count(),
        0,
        "a file was kept"
    );
}

#[tokio::test]
async fn a_cancelled_download_leaves_nothing() {
    let Some(s) = setup() else { return };
    let (repo, image) = s.seed("stall", 20_000).await;
    let layer = &image.layers[0];
    let dir = temp_dir("cancel");
    let client = s.client();
    let from = s.via_proxy(&repo);
    let digest = Digest::sha256(layer);
    let path = dir.join("layer");
    // Every request through the proxy waits 2 s: stop waiting before.
    let download = client.get_blob_to_path(&from, &digest, Some(layer.len() as u64), &path);
    let outcome = tokio::time::timeout(std::time::Duration::from_millis(500), download).await;
    assert!(outcome.is_err(), "the download finished within 0.5 s");
    assert_eq!(
        std::fs::read_dir(&dir).unwrap().count(),
        0,
        "a file was kept"
    );
}

#[tokio::test]
async fn a_redirect_to_another_host_gets_no_credentials() {
    let Some(s) = setup() else { return };
    let (repo, image) = s.seed("redirect", 20_000).await;
    let layer = &image.layers[0];
    let back = s
        .client()
        .get_blob_bytes(&s.via_proxy(&repo), &Digest::sha256(layer), 1 << 20)
        .await
        .unwrap();
    assert_eq!(&back, layer);
    let log: Vec<serde_json::Value> = control_get(&s.proxy, "/__control__/storage-log").await;
    assert!(!log.is_empty(), "the storage host saw no request");
    for headers in &log {
        assert!(headers.get("authorization").is_none(), "{headers}");
    }
}

#[tokio::test]
async fn the_referrers_api_is_used_when_the_registry_has_it() {
    let Some(s) = setup() else { return };
    let repo = unique("referrers-api");
    let subject = TestImage::new(41, &[10], true);
    let digest = subject
        .push(&s.client(), &reference(&s.registry, &repo, "v1"))
        .await
        .unwrap();
    let index = format!(
        r#"{{"schemaVersion":2,"mediaType":"{}","manifests":[{{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"{}","size":7,"artifactType":"application/example.sig"}}]}}"#,
        MediaType::OciIndex,
        Digest::sha256(b"sig")
    );
    control_put(&s.proxy, &format!("/__control__/referrers/{digest}"), index).await;
    let found = s
        .client()
        .referrers(
            &s.via_proxy(&repo),
            &digest,
            Some("application/example.sig"),
        )
        .await
        .unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].digest, Digest::sha256(b"sig"));
}

#[tokio::test]
async fn a_dropped_patch_resumes_from_what_the_registry_kept() {
    let Some(s) = setup() else { return };
    let client = Client::new(ClientOptions {
        chunk_size: Some(64 * 1024),
        ..s.options.clone()
    });
    let repo = unique("faults/patchreset");
    let blob = bytes(61, 200_000);
    let digest = Digest::sha256(&blob);
    let pushed = client
        .push_blob(
            &s.via_proxy(&repo),
            &digest,
            BlobSource::Bytes(blob.clone()),
            &[],
        )
        .await
        .unwrap();
    assert_eq!(pushed.outcome, PushOutcome::Uploaded);
    let back = s
        .client()
        .get_blob_bytes(&reference(&s.registry, &repo, "v1"), &digest, 1 << 20)
        .await
        .unwrap();
    assert_eq!(back, blob);
}

#[tokio::test]
async fn a_dropped_monolithic_put_starts_a_new_upload() {
    let Some(s) = setup() else { return };
    let repo = unique("faults/putreset");
    let blob = bytes(62, 100_000);
    let digest = Digest::sha256(&blob);
    let pushed = s
        .client()
        .push_blob(
            &s.via_proxy(&repo),
            &digest,
            BlobSource::Bytes(blob.clone()),
            &[],
        )
        .await
        .unwrap();
    assert_eq!(pushed.outcome, PushOutcome::Uploaded);
    assert_eq!(
        s.client()
            .blob_exists(&reference(&s.registry, &repo, "v1"), &digest)
            .await
            .unwrap(),
        Some(100_000)
    );
}

#[tokio::test]
async fn the_concurrency_limit_holds_and_the_user_agent_is_ours() {
    let Some(s) = setup() else { return };
    let repo = unique("faults/slow");
    let image = TestImage::new(63, &[1000, 2000, 3000, 4000, 5000, 6000], true);
    image
        .push(&s.client(), &reference(&s.registry, &repo, "v1"))
        .await
        .unwrap();
    let client = Client::new(ClientOptions {
        max_concurrent_requests: 2,
        ..s.options.clone()
    });
    let via = s.via_proxy(&repo);
    let pulls = image.layers.iter().map(|layer| {
        let (client, via) = (client.clone(), via.clone());
        let digest = Digest::sha256(layer);
        async move { client.get_blob_bytes(&via, &digest, 1 << 20).await }
    });
    for (got, layer) in futures_util::future::join_all(pulls)
        .await
        .into_iter()
        .zip(&image.layers)
    {
        assert_eq!(&got.unwrap(), layer);
    }
    let most: u64 = control_get(&s.proxy, "/__control__/max-in-flight").await;
    assert!(
        (1..=2).contains(&most),
        "{most} requests were in flight at once"
    );
    let agents: Vec<String> = control_get(&s.proxy, "/__control__/user-agents").await;
    assert!(
        agents.contains(&tranship::registry::USER_AGENT.to_string()),
        "{agents:?}"
    );
}

async fn control_get<T: serde::de::DeserializeOwned>(host: &str, path: &str) -> T {
    let body = raw_http(host, &format!("GET {path} HTTP/1.0\r\n\r\n")).await;
    serde_json::from_slice(&body).unwrap()
}

async fn control_put(host: &str, path: &str, body: String) {
    raw_http(
        host,
        &format!(
            "PUT {path} HTTP/1.0\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        ),
    )
    .await;
}

/// A bare HTTP/1.0 exchange with the proxy's control endpoint; the body.
async fn raw_http(host: &str, request: &str) -> Vec<u8> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(host).await.unwrap();
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.unwrap();
    let split = answer
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("an HTTP answer");
    answer[split + 4..].to_vec()
}

#[test]
fn an_archive_appends_a_blob_while_the_next_ones_download() {
    // On one thread (as the CLI runs), with every request slowed and more
    // blobs than jobs: a layer is appended as it arrives while the next
    // blobs start, whose checks must not wait on the archive. A deadlock
    // would block the runtime's only thread, so the copy runs on its own
    // thread and the test waits for it with a deadline.
    let Some(s) = setup() else { return };
    let repo = unique("faults/lag-archive");
    let image = TestImage::new(
        37,
        &[
            400_000, 300_000, 200_000, 100_000, 90_000, 80_000, 70_000, 60_000, 50_000, 40_000,
        ],
        true,
    );
    let dir = temp_dir("follow-archive");
    let archive = dir.join("image.tar");
    let (done, finished) = std::sync::mpsc::channel();
    {
        let (image, archive) = (image.clone(), archive.clone());
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            let copied = runtime.block_on(async {
                image
                    .push(&s.client(), &reference(&s.registry, &repo, "v1"))
                    .await?;
                let request = tranship::copy::CopyRequest::from_settings(
                    &format!("docker://{}", s.via_proxy(&repo)),
                    &format!("docker-archive:{}", archive.display()),
                    &tranship::copy::CopySettings::default(),
                )?;
                tranship::copy::copy(&request, &s.client()).await
            });
            let _ = done.send(copied);
        });
    }
    let copied = finished
        .recv_timeout(Duration::from_secs(60))
        .expect("the copy did not finish within 60 s (a deadlock?)")
        .unwrap();
    assert_eq!(copied.destination_digest, image.digest());
    let mut names = Vec::new();
    for entry in tar::Archive::new(std::fs::File::open(&archive).unwrap())
        .entries()
        .unwrap()
    {
        names.push(entry.unwrap().path().unwrap().display().to_string());
    }
    for layer in &image.layers {
        let name = format!("blobs/sha256/{}", Digest::sha256(layer).hex());
        assert!(names.contains(&name), "{name} is not in {names:?}");
    }
    assert_eq!(
        std::fs::read_dir(&dir).unwrap().count(),
        1,
        "a staged file was left beside the archive"
    );
}
