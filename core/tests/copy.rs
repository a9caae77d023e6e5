//! `copy` between OCI layouts and archives, in process: digests kept,
//! names written as `docker save` writes them, nothing left behind by a
//! copy that fails.

#![allow(clippy::unwrap_used)]
use std::path::{Path, PathBuf};

use serde_json::{json, Value};
use tranship::copy::{copy, copy_all, CopyRequest, CopySettings, CopySummary};
use tranship::registry::{Client, ClientOptions};
use tranship::Digest;

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("tranship-copy-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Writes `bytes` as a blob of the layout in `dir`; returns a descriptor.
fn blob(dir: &Path, media_type: &str, bytes: &[u8]) -> Value {
    let d = Digest::sha256(bytes);
    std::fs::create_dir_all(dir.join("blobs/sha256")).unwrap();
    std::fs::write(dir.join("blobs/sha256").join(d.hex()), bytes).unwrap();
    json!({"mediaType": media_type, "digest": d.to_string(), "size": bytes.len()})
}

fn gzip(data: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

/// An image for `arch` in the layout `dir`: two gzip layers and a config.
fn image(dir: &Path, arch: &str) -> Value {
    let layers: Vec<Vec<u8>> = (0..2)
        .map(|i| gzip(format!("{arch} layer {i}").repeat(100).as_bytes()))
        .collect();
    let diff_ids: Vec<String> = (0..2)
        .map(|i| Digest::sha256(format!("{arch} layer {i}").repeat(100).as_bytes()).to_string())
        .collect();
    let config = json!({"architecture": arch, "os": "linux",
        "rootfs": {"type": "layers", "diff_ids": diff_ids}, "config": {}});
    let config = blob(
        dir,
        "application/vnd.oci.image.config.v1+json",
        &serde_json::to_vec(&config).unwrap(),
    );
    let layers: Vec<Value> = layers
        .iter()
        .map(|l| blob(dir, "application/vnd.oci.image.layer.v1.tar+gzip", l))
        .collect();
    let manifest = json!({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": config, "layers": layers});
    let mut d = blob(
        dir,
        "application/vnd.oci.image.manifest.v1+json",
        &serde_json::to_vec(&manifest).unwrap(),
    );
    d["platform"] = json!({"architecture": arch, "os": "linux"});
    d
}

/// A layout holding an index of two platforms, named `multi`, and the
/// amd64 image alone, named `single`.
fn layout(dir: &Path) -> (Value, Value) {
    let amd = image(dir, "amd64");
    let arm = image(dir, "arm64");
    let index = json!({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
        "manifests": [amd, arm]});
    let index = blob(
        dir,
        "application/vnd.oci.image.index.v1+json",
        &serde_json::to_vec(&index).unwrap(),
    );
    let mut named_index = index.clone();
    named_index["annotations"] = json!({"org.opencontainers.image.ref.name": "multi"});
    let mut single = amd.clone();
    single.as_object_mut().unwrap().remove("platform");
    single["annotations"] = json!({"org.opencontainers.image.ref.name": "single"});
    std::fs::write(dir.join("oci-layout"), br#"{"imageLayoutVersion":"1.0.0"}"#).unwrap();
    std::fs::write(
        dir.join("index.json"),
        serde_json::to_vec(&json!({"schemaVersion": 2, "manifests": [named_index, single]}))
            .unwrap(),
    )
    .unwrap();
    (index, amd)
}

async fn run(
    source: &str,
    destination: &str,
    settings: CopySettings,
) -> tranship::Result<CopySummary> {
    let request = CopyRequest::from_settings(source, destination, &settings)?;
    copy(&request, &Client::new(ClientOptions::default())).await
}

fn digest_of(d: &Value) -> String {
    d["digest"].as_str().unwrap().to_string()
}

fn tar_file(archive: &Path, name: &str) -> Vec<u8> {
    let mut a = tar::Archive::new(std::fs::File::open(archive).unwrap());
    for entry in a.entries().unwrap() {
        let mut entry = entry.unwrap();
        if entry.path().unwrap().to_str() == Some(name) {
            let mut out = Vec::new();
            std::io::Read::read_to_end(&mut entry, &mut out).unwrap();
            return out;
        }
    }
    panic!("{name} not in {}", archive.display());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn layouts_and_archives_keep_every_digest() {
    let dir = temp("round-trip");
    let src = dir.join("src");
    let (index, amd) = layout(&src);
    let src = src.display();

    // A whole index into a layout and an oci-archive, and back.
    let s = run(
        &format!("oci:{src}:multi"),
        &format!("oci:{}/out:multi", dir.display()),
        CopySettings::default(),
    )
    .await
    .unwrap();
    assert_eq!(s.destination_digest.to_string(), digest_of(&index));
    assert_eq!(s.platforms, ["linux/amd64", "linux/arm64"]);
    assert_eq!(
        s.blobs.len(),
        6,
        "two configs and four layers: {:?}",
        s.blobs
    );
    let archive = dir.join("multi.tar");
    run(
        &format!("oci:{src}:multi"),
        &format!("oci-archive:{}", archive.display()),
        CopySettings::default(),
    )
    .await
    .unwrap();
    let back = run(
        &format!("oci-archive:{}", archive.display()),
        &format!("oci:{}/back", dir.display()),
        CopySettings::default(),
    )
    .await
    .unwrap();
    assert_eq!(back.destination_digest.to_string(), digest_of(&index));

    // One platform into a docker-archive: named as docker save names it.
    let tarball = dir.join("app.tar");
    let settings = CopySettings {
        platforms: vec!["linux/amd64".into()],
        ..CopySettings::default()
    };
    let s = run(
        &format!("oci:{src}:multi"),
        &format!(
            "docker-archive:{}:example.com/team/app:v1",
            tarball.display()
        ),
        settings,
    )
    .await
    .unwrap();
    assert_eq!(s.destination_digest.to_string(), digest_of(&amd));
    let listing: Value = serde_json::from_slice(&tar_file(&tarball, "manifest.json")).unwrap();
    assert_eq!(listing[0]["RepoTags"], json!(["example.com/team/app:v1"]));
    let index_json: Value = serde_json::from_slice(&tar_file(&tarball, "index.json")).unwrap();
    assert_eq!(
        index_json["manifests"][0]["annotations"],
        json!({
        "io.containerd.image.name": "example.com/team/app:v1",
        "org.opencontainers.image.ref.name": "v1"})
    );
    // Read back by tag, by index and as the only image: the same digest.
    for address in [":example.com/team/app:v1", ":@0", ""] {
        let s = run(
            &format!("docker-archive:{}{address}", tarball.display()),
            &format!("oci:{}/again", dir.display()),
            CopySettings::default(),
        )
        .await
        .unwrap();
        assert_eq!(
            s.destination_digest.to_string(),
            digest_of(&amd),
            "{address}"
        );
    }
    let wrong = run(
        &format!("docker-archive:{}:other:v1", tarball.display()),
        &format!("oci:{}/again", dir.display()),
        CopySettings::default(),
    )
    .await
    .unwrap_err();
    assert_eq!(wrong.code(), "MANIFEST_UNKNOWN", "{wrong}");

    // A docker-archive without a name has no RepoTags and a bare entry.
    let bare = dir.join("bare.tar");
    run(
        &format!("oci:{src}:single"),
        &format!("docker-archive:{}", bare.display()),
        CopySettings::default(),
    )
    .await
    .unwrap();
    let listing: Value = serde_json::from_slice(&tar_file(&bare, "manifest.json")).unwrap();
    assert_eq!(listing[0]["RepoTags"], Value::Null);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_layout_keeps_other_names_and_a_name_is_replaced() {
    let dir = temp("names");
    let src = dir.join("src");
    layout(&src);
    let out = dir.join("out");
    let to = |name: &str| format!("oci:{}:{name}", out.display());
    let from = |name: &str| format!("oci:{}:{name}", src.display());
    run(&from("single"), &to("a"), CopySettings::default())
        .await
        .unwrap();
    let s = run(&from("single"), &to("b"), CopySettings::default())
        .await
        .unwrap();
    assert!(
        s.blobs.iter().all(|b| b.outcome == "existed"),
        "shared blobs are stored once: {:?}",
        s.blobs
    );
    run(&from("multi"), &to("a"), CopySettings::default())
        .await
        .unwrap();
    let index: Value =
        serde_json::from_slice(&std::fs::read(out.join("index.json")).unwrap()).unwrap();
    let names: Vec<(&str, &str)> = index["manifests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["annotations"]["org.opencontainers.image.ref.name"]
                    .as_str()
                    .unwrap(),
                d["mediaType"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        names,
        [
            ("b", "application/vnd.oci.image.manifest.v1+json"),
            ("a", "application/vnd.oci.image.index.v1+json")
        ]
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_copy_names_nothing() {
    let dir = temp("failed");
    let src = dir.join("src");
    let (_, amd) = layout(&src);
    // Break the amd64 image: its manifest's second layer goes missing.
    let manifest: Value = serde_json::from_slice(
        &std::fs::read(src.join("blobs/sha256").join(&digest_of(&amd)[7..])).unwrap(),
    )
    .unwrap();
    let layer = digest_of(&manifest["layers"][1]);
    std::fs::remove_file(src.join("blobs/sha256").join(&layer[7..])).unwrap();
    let archive = dir.join("out.tar");
    let err = run(
        &format!("oci:{}:single", src.display()),
        &format!("docker-archive:{}:app:v1", archive.display()),
        CopySettings::default(),
    )
    .await
    .unwrap_err();
    assert_eq!(err.code(), "BLOB_UNKNOWN", "{err}");
    let left: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left, ["src"], "no archive and no temporary file: {left:?}");
    let out = dir.join("layout");
    let err = run(
        &format!("oci:{}:single", src.display()),
        &format!("oci:{}:app", out.display()),
        CopySettings::default(),
    )
    .await
    .unwrap_err();
    assert_eq!(err.code(), "BLOB_UNKNOWN", "{err}");
    assert!(
        !out.join("index.json").exists(),
        "no index.json entry names the broken image"
    );
    // A corrupted blob is caught, not copied.
    std::fs::write(src.join("blobs/sha256").join(&layer[7..]), b"not the layer").unwrap();
    let err = run(
        &format!("oci:{}:single", src.display()),
        &format!("oci-archive:{}", archive.display()),
        CopySettings::default(),
    )
    .await
    .unwrap_err();
    assert_eq!(err.code(), "DIGEST_MISMATCH", "{err}");
    assert!(!archive.exists());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_bundled_schema1_image_is_upconverted_for_archives() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/hello-schema1");
    let dir = temp("schema1");
    let tarball = dir.join("hello.tar");
    let s = run(
        &format!("oci:{}:v1", root.display()),
        &format!("docker-archive:{}:examples/hello:v1", tarball.display()),
        CopySettings::default(),
    )
    .await
    .unwrap();
    assert_eq!(
        s.source_digest.to_string(),
        std::fs::read_to_string(root.join("manifest.digest"))
            .unwrap()
            .trim()
    );
    assert_eq!(s.conversions.len(), 1);
    assert_eq!(s.conversions[0].result_digest, s.destination_digest);
    assert_eq!(
        s.media_type,
        "application/vnd.docker.distribution.manifest.v2+json"
    );
    // The same conversion `convert` makes from the bundled blobs.
    let layout = dir.join("layout");
    let o = run(
        &format!("oci:{}:v1", root.display()),
        &format!("oci:{}", layout.display()),
        CopySettings::default(),
    )
    .await
    .unwrap();
    assert_eq!(o.media_type, "application/vnd.oci.image.manifest.v1+json");
    assert_eq!(
        o.conversions[0].result_config_digest,
        s.conversions[0].result_config_digest
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Every entry of a tar: name, type and link target.
fn tar_listing(archive: &Path) -> Vec<(String, tar::EntryType, Option<String>)> {
    let mut a = tar::Archive::new(std::fs::File::open(archive).unwrap());
    a.entries()
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let link = e.link_name().unwrap().map(|l| l.display().to_string());
            (
                e.path().unwrap().display().to_string(),
                e.header().entry_type(),
                link,
            )
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_legacy_docker_archive_adds_layer_folders_and_repositories() {
    let dir = temp("legacy");
    let src = dir.join("src");
    let (_, amd) = layout(&src);
    let tarball = dir.join("legacy.tar");
    let settings = CopySettings {
        legacy: true,
        additional_tags: vec!["team/app:latest".into()],
        ..CopySettings::default()
    };
    let s = run(
        &format!("oci:{}:single", src.display()),
        &format!("docker-archive:{}:team/app:v1", tarball.display()),
        settings,
    )
    .await
    .unwrap();
    assert_eq!(s.destination_digest.to_string(), digest_of(&amd));
    let repositories: Value = serde_json::from_slice(&tar_file(&tarball, "repositories")).unwrap();
    let top = repositories["team/app"]["v1"].as_str().unwrap().to_string();
    assert_eq!(repositories["team/app"]["latest"], top.as_str());
    // The top layer's json carries the config; its parent is the base,
    // and each layer.tar links to the layer's blob, stored once.
    let top_json: Value =
        serde_json::from_slice(&tar_file(&tarball, &format!("{top}/json"))).unwrap();
    assert_eq!(top_json["id"], top.as_str());
    assert_eq!(top_json["architecture"], "amd64");
    let base = top_json["parent"].as_str().unwrap().to_string();
    let base_json: Value =
        serde_json::from_slice(&tar_file(&tarball, &format!("{base}/json"))).unwrap();
    assert!(base_json.get("parent").is_none(), "{base_json}");
    assert_eq!(tar_file(&tarball, &format!("{base}/VERSION")), b"1.0");
    let listing = tar_listing(&tarball);
    let layers: Vec<String> = serde_json::from_slice::<Value>(&tar_file(&tarball, "manifest.json"))
        .unwrap()[0]["Layers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap().to_string())
        .collect();
    for (id, layer) in [(&base, &layers[0]), (&top, &layers[1])] {
        let name = format!("{id}/layer.tar");
        let entry = listing.iter().find(|(n, _, _)| *n == name).unwrap();
        assert_eq!(entry.1, tar::EntryType::Symlink);
        assert_eq!(entry.2.as_deref(), Some(format!("../{layer}").as_str()));
    }
    let names: Vec<&String> = listing.iter().map(|(n, _, _)| n).collect();
    let unique: std::collections::HashSet<_> = names.iter().collect();
    assert_eq!(unique.len(), names.len(), "no entry twice: {names:?}");
    // Read back: the same manifest digest.
    let back = run(
        &format!("docker-archive:{}:team/app:latest", tarball.display()),
        &format!("oci:{}/back", dir.display()),
        CopySettings::default(),
    )
    .await
    .unwrap();
    assert_eq!(back.destination_digest.to_string(), digest_of(&amd));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn several_sources_share_one_docker_archive() {
    let dir = temp("several");
    let src = dir.join("src");
    let (_, amd) = layout(&src);
    let arm_only = CopySettings {
        platforms: vec!["linux/arm64".into()],
        ..CopySettings::default()
    };
    let (amd_tar, arm_tar) = (dir.join("amd.tar"), dir.join("arm.tar"));
    run(
        &format!("oci:{}:single", src.display()),
        &format!("docker-archive:{}:team/app:amd", amd_tar.display()),
        CopySettings::default(),
    )
    .await
    .unwrap();
    let arm = run(
        &format!("oci:{}:multi", src.display()),
        &format!("docker-archive:{}:team/app:arm", arm_tar.display()),
        arm_only,
    )
    .await
    .unwrap();
    // Both, and the amd64 image once more under the tag it had: each
    // image named by its source, every blob stored once.
    let both = dir.join("both.tar");
    let sources = [
        format!("docker-archive:{}:team/app:amd", amd_tar.display()),
        format!("docker-archive:{}", arm_tar.display()),
        format!("oci:{}:single", src.display()),
    ];
    let request = CopyRequest::for_sources(
        &sources,
        &format!("docker-archive:{}", both.display()),
        &CopySettings {
            legacy: true,
            ..CopySettings::default()
        },
    )
    .unwrap();
    let summaries = copy_all(&request, &Client::new(ClientOptions::default()))
        .await
        .unwrap();
    let digests: Vec<String> = summaries
        .iter()
        .map(|s| s.destination_digest.to_string())
        .collect();
    assert_eq!(
        digests,
        [
            digest_of(&amd),
            arm.destination_digest.to_string(),
            digest_of(&amd)
        ]
    );
    assert!(summaries[2].blobs.iter().all(|b| b.outcome == "existed"));
    let listing: Value = serde_json::from_slice(&tar_file(&both, "manifest.json")).unwrap();
    assert_eq!(listing[0]["RepoTags"], json!(["team/app:amd"]));
    assert_eq!(
        listing[1]["RepoTags"],
        Value::Null,
        "no tag was given for arm.tar"
    );
    assert_eq!(listing[2]["RepoTags"], Value::Null);
    let names: Vec<String> = tar_listing(&both).into_iter().map(|(n, _, _)| n).collect();
    let unique: std::collections::HashSet<_> = names.iter().collect();
    assert_eq!(unique.len(), names.len(), "no entry twice: {names:?}");
    let repositories: Value = serde_json::from_slice(&tar_file(&both, "repositories")).unwrap();
    assert!(
        repositories["team/app"]["amd"].is_string(),
        "{repositories}"
    );
    // Each image reads back by index.
    for (i, want) in digests.iter().enumerate() {
        let back = run(
            &format!("docker-archive:{}:@{i}", both.display()),
            &format!("oci:{}/back", dir.display()),
            CopySettings::default(),
        )
        .await
        .unwrap();
        assert_eq!(&back.destination_digest.to_string(), want);
    }
    // A source that fails leaves no archive, though others were copied.
    let never = dir.join("never.tar");
    let request = CopyRequest::for_sources(
        &[sources[0].clone(), format!("oci:{}/absent", dir.display())],
        &format!("docker-archive:{}", never.display()),
        &CopySettings::default(),
    )
    .unwrap();
    let err = copy_all(&request, &Client::new(ClientOptions::default()))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "IO", "{err}");
    assert!(!never.exists());
    assert!(std::fs::read_dir(&dir).unwrap().all(|e| !e
        .unwrap()
        .file_name()
        .to_string_lossy()
        .contains(".tmp")));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn several_sources_are_refused_where_they_cannot_go() {
    let settings = CopySettings::default();
    let two = ["oci:/a:x", "oci:/b:y"];
    for (sources, dst, settings, code) in [
        (&two[..], "oci:/y", settings.clone(), "INVALID_CONFIG"),
        (
            &two[..],
            "docker-archive:/y.tar:app:v1",
            settings.clone(),
            "INVALID_CONFIG",
        ),
        (
            &two[..],
            "docker-archive:/y.tar",
            CopySettings {
                additional_tags: vec!["app:v2".into()],
                ..settings.clone()
            },
            "INVALID_CONFIG",
        ),
        (
            &["a:v1", "a:v1"][..],
            "docker-archive:/y.tar",
            settings.clone(),
            "INVALID_CONFIG",
        ),
        (
            &[][..],
            "docker-archive:/y.tar",
            settings.clone(),
            "INVALID_CONFIG",
        ),
    ] {
        let err = CopyRequest::for_sources(sources, dst, &settings).unwrap_err();
        assert_eq!(err.code(), code, "{sources:?} {dst}: {err}");
    }
    let one = CopyRequest::for_sources(&["oci:/a:x"], "oci:/y", &settings).unwrap();
    assert_eq!(one.sources().count(), 1);
}

#[test]
fn bad_requests_are_refused_before_anything_is_written() {
    for (src, dst, settings, code) in [
        (
            "dir:/x",
            "oci:/y",
            CopySettings::default(),
            "INVALID_ADDRESS",
        ),
        (
            "oci:/x",
            "docker-archive:/y.tar:@0",
            CopySettings::default(),
            "INVALID_ADDRESS",
        ),
        (
            "oci:/x",
            "oci:/y",
            CopySettings {
                all: true,
                platforms: vec!["linux/amd64".into()],
                ..CopySettings::default()
            },
            "INVALID_CONFIG",
        ),
        (
            "oci:/x",
            "oci:/y",
            CopySettings {
                format: Some("v3".into()),
                ..CopySettings::default()
            },
            "UNSUPPORTED_MEDIA_TYPE",
        ),
        (
            "oci:/x",
            "oci:/y",
            CopySettings {
                unsigned: true,
                ..CopySettings::default()
            },
            "INVALID_CONFIG",
        ),
        (
            "oci:/x",
            "docker-archive:/y.tar",
            CopySettings {
                additional_tags: vec!["a@sha256:".into()],
                ..CopySettings::default()
            },
            "INVALID_REFERENCE",
        ),
        (
            "oci:/x",
            "oci-archive:/y.tar",
            CopySettings {
                legacy: true,
                ..CopySettings::default()
            },
            "INVALID_CONFIG",
        ),
    ] {
        let err = CopyRequest::from_settings(src, dst, &settings).unwrap_err();
        assert_eq!(err.code(), code, "{src} {dst}: {err}");
    }
}
