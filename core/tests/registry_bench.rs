//! Benchmark, run by `scripts/test-registry` (not with `--quick`): a ~1 GB, 8-layer
//! image pushed to a local registry, pulled into an OCI layout, and pushed
//! from there to an empty registry, next to `skopeo copy` (and `crane`
//! when it is installed) doing the same.
//!
//! Needs `TRANSHIP_BENCH_SOURCE`, `TRANSHIP_BENCH_TARGET`,
//! `TRANSHIP_BENCH_PEER_TARGET` (registries, the last two empty) and
//! `TRANSHIP_BENCH_DIR`; without them it does nothing.

#![allow(clippy::unwrap_used)]

mod registry_common;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use registry_common::*;
use tranship::manifest::Manifest;
use tranship::registry::{BlobSource, Client};
use tranship::{Digest, Limits, MediaType, Reference};

const LAYERS: usize = 8;

struct Bench {
    source: String,
    target: String,
    peer_target: String,
    dir: PathBuf,
    layer_bytes: usize,
}

fn bench() -> Option<Bench> {
    let var = |n: &str| std::env::var(n).ok().filter(|v| !v.is_empty());
    let (Some(source), Some(target), Some(peer_target), Some(dir)) = (
        var("TRANSHIP_BENCH_SOURCE"),
        var("TRANSHIP_BENCH_TARGET"),
        var("TRANSHIP_BENCH_PEER_TARGET"),
        var("TRANSHIP_BENCH_DIR"),
    ) else {
        eprintln!("benchmark not requested (scripts/test-registry runs it)");
        return None;
    };
    let total_mb: usize = var("TRANSHIP_BENCH_MB")
        .and_then(|v| v.parse().ok())
        .unwrap_or(1024);
    Some(Bench {
        source,
        target,
        peer_target,
        dir: dir.into(),
        layer_bytes: total_mb * 1024 * 1024 / LAYERS,
    })
}

/// Writes random layer files; returns (path, digest, size) per layer.
fn make_layers(dir: &Path, layer_bytes: usize) -> Vec<(PathBuf, Digest, u64)> {
    let mut random = std::fs::File::open("/dev/urandom").unwrap();
    (0..LAYERS)
        .map(|i| {
            let mut data = vec![0u8; layer_bytes];
            random.read_exact(&mut data).unwrap();
            let path = dir.join(format!("layer{i}"));
            std::fs::write(&path, &data).unwrap();
            (path, Digest::sha256(&data), layer_bytes as u64)
        })
        .collect()
}

fn manifest_for(config: &[u8], layers: &[(PathBuf, Digest, u64)]) -> Manifest {
    let layer_list: Vec<String> = layers
        .iter()
        .map(|(_, d, s)| {
            format!(r#"{{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"{d}","size":{s}}}"#)
        })
        .collect();
    let text = format!(
        r#"{{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{}","size":{}}},"layers":[{}]}}"#,
        Digest::sha256(config),
        config.len(),
        layer_list.join(",")
    );
    Manifest::parse(text.as_bytes(), None, &Limits::default()).unwrap()
}

/// Pushes every blob concurrently, then the manifest.
async fn push(
    client: &Client,
    to: &Reference,
    config: &[u8],
    blobs: &[(PathBuf, Digest, u64)],
    manifest: &Manifest,
) {
    let config_digest = Digest::sha256(config);
    let config_push = client.push_blob(to, &config_digest, BlobSource::Bytes(config.to_vec()), &[]);
    let layer_pushes = blobs
        .iter()
        .map(|(path, digest, _)| client.push_blob(to, digest, BlobSource::File(path.clone()), &[]));
    config_push.await.unwrap();
    for result in futures_util::future::join_all(layer_pushes).await {
        result.unwrap();
    }
    client.put_manifest(to, manifest).await.unwrap();
}

/// Pulls an image into `layout` (blobs, `index.json`, `oci-layout`).
async fn pull(client: &Client, from: &Reference, layout: &Path) -> Vec<(PathBuf, Digest, u64)> {
    let blobs_dir = layout.join("blobs/sha256");
    std::fs::create_dir_all(&blobs_dir).unwrap();
    let fetched = client.get_manifest(from, &[]).await.unwrap();
    let image = fetched.manifest.as_image().unwrap();
    let config = &image.config;
    client
        .get_blob_to_path(
            from,
            &config.digest,
            Some(config.size),
            &blobs_dir.join(config.digest.hex()),
        )
        .await
        .unwrap();
    let layers: Vec<(PathBuf, Digest, u64)> = image
        .layers
        .iter()
        .map(|l| (blobs_dir.join(l.digest.hex()), l.digest.clone(), l.size))
        .collect();
    let downloads = layers
        .iter()
        .map(|(path, digest, size)| client.get_blob_to_path(from, digest, Some(*size), path));
    for result in futures_util::future::join_all(downloads).await {
        result.unwrap();
    }
    std::fs::write(blobs_dir.join(fetched.digest.hex()), fetched.manifest.raw()).unwrap();
    std::fs::write(
        layout.join("oci-layout"),
        r#"{"imageLayoutVersion":"1.0.0"}"#,
    )
    .unwrap();
    std::fs::write(
        layout.join("index.json"),
        format!(
            r#"{{"schemaVersion":2,"manifests":[{{"mediaType":"{}","digest":"{}","size":{},"annotations":{{"org.opencontainers.image.ref.name":"v1"}}}}]}}"#,
            MediaType::OciManifest,
            fetched.digest,
            fetched.manifest.raw().len()
        ),
    )
    .unwrap();
    layers
}

fn run(program: &str, args: &[&str]) -> Option<Duration> {
    let started = Instant::now();
    match Command::new(program).args(args).output() {
        Ok(out) if out.status.success() => Some(started.elapsed()),
        Ok(out) => panic!(
            "{program} {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ),
        Err(e) => {
            eprintln!("{program} not run: {e}");
            None
        }
    }
}

fn report(what: &str, mb: f64, took: Option<Duration>) {
    match took {
        Some(t) => eprintln!(
            "bench: {what:<44} {:>7.2} s {:>8.1} MB/s",
            t.as_secs_f64(),
            mb / t.as_secs_f64()
        ),
        None => eprintln!("bench: {what:<44} not run"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pull_into_a_layout_and_push_to_an_empty_registry() {
    let Some(b) = bench() else { return };
    let client = client();
    let work = b.dir.join(unique("bench"));
    std::fs::create_dir_all(&work).unwrap();
    let layers = make_layers(&work, b.layer_bytes);
    let config =
        br#"{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}"#;
    let manifest = manifest_for(config, &layers);
    let mb = (b.layer_bytes * LAYERS) as f64 / (1024.0 * 1024.0);
    eprintln!("bench: image of {LAYERS} layers, {mb:.0} MiB in all");

    let source = reference(&b.source, "bench/image", "v1");
    let started = Instant::now();
    push(&client, &source, config, &layers, &manifest).await;
    report(
        "tranship push (files -> registry)",
        mb,
        Some(started.elapsed()),
    );

    let layout = work.join("layout-tranship");
    let started = Instant::now();
    let pulled = pull(&client, &source, &layout).await;
    report(
        "tranship pull (registry -> OCI layout)",
        mb,
        Some(started.elapsed()),
    );

    let target = reference(&b.target, "bench/image", "v1");
    let started = Instant::now();
    push(&client, &target, config, &pulled, &manifest).await;
    report(
        "tranship push (OCI layout -> empty registry)",
        mb,
        Some(started.elapsed()),
    );
    assert_eq!(
        client.manifest_digest(&target, &[]).await.unwrap(),
        manifest.digest()
    );

    let skopeo_layout = format!("oci:{}:v1", work.join("layout-skopeo").display());
    let from = format!("docker://{}/bench/image:v1", b.source);
    let took = run(
        "skopeo",
        &[
            "copy",
            "-q",
            "--src-tls-verify=false",
            &from,
            &skopeo_layout,
        ],
    );
    report("skopeo copy (registry -> OCI layout)", mb, took);
    let to = format!("docker://{}/bench/skopeo:v1", b.peer_target);
    let took = run(
        "skopeo",
        &["copy", "-q", "--dest-tls-verify=false", &skopeo_layout, &to],
    );
    report("skopeo copy (OCI layout -> empty registry)", mb, took);

    let crane_layout = work.join("layout-crane");
    let crane_from = format!("{}/bench/image:v1", b.source);
    let took = run(
        "crane",
        &[
            "pull",
            "--insecure",
            "--format=oci",
            &crane_from,
            &crane_layout.display().to_string(),
        ],
    );
    report("crane pull (registry -> OCI layout)", mb, took);
    if took.is_some() {
        let crane_to = format!("{}/bench/crane:v1", b.peer_target);
        let took = run(
            "crane",
            &[
                "push",
                "--insecure",
                &crane_layout.display().to_string(),
                &crane_to,
            ],
        );
        report("crane push (OCI layout -> empty registry)", mb, took);
    }
    std::fs::remove_dir_all(&work).unwrap();
}
