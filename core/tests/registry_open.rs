//! Against the real distribution registry without authentication
//! (`TRANSHIP_TEST_REGISTRY_OPEN=127.0.0.1:PORT`, see scripts/test-registry).

#![allow(clippy::unwrap_used)]

mod registry_common;

use registry_common::*;
use tranship::manifest::Manifest;
use tranship::progress::Phase;
use tranship::registry::{BlobSource, Client, ClientOptions, PushOutcome};
use tranship::{Digest, Limits, MediaType};

const OPEN: &str = "TRANSHIP_TEST_REGISTRY_OPEN";

#[tokio::test]
async fn push_then_pull_round_trip() {
    let Some(registry) = env_or_skip(OPEN) else {
        return;
    };
    let client = client();
    let repo = unique("round/trip");
    let tagged = reference(&registry, &repo, "v1");
    let image = TestImage::new(1, &[1000, 200_000], true);
    let pushed = image.push(&client, &tagged).await.unwrap();
    assert_eq!(pushed, image.digest());

    let by_tag = client.get_manifest(&tagged, &[]).await.unwrap();
    assert_eq!(by_tag.manifest.raw(), image.manifest);
    assert_eq!(by_tag.manifest.media_type(), &MediaType::OciManifest);
    assert_eq!(by_tag.digest, pushed);
    let pinned = by_digest(&registry, &repo, &pushed);
    assert_eq!(
        client
            .get_manifest(&pinned, &[])
            .await
            .unwrap()
            .manifest
            .raw(),
        image.manifest
    );

    let head = client.head_manifest(&tagged, &[]).await.unwrap();
    assert_eq!(head.digest, Some(pushed.clone()));
    assert_eq!(head.size, Some(image.manifest.len() as u64));
    assert_eq!(client.manifest_digest(&tagged, &[]).await.unwrap(), pushed);

    let config = client
        .get_blob_bytes(&tagged, &Digest::sha256(&image.config), 1 << 20)
        .await
        .unwrap();
    assert_eq!(config, image.config);
    let dir = temp_dir("pull");
    let layer = &image.layers[1];
    let path = dir.join("layer");
    let digest = Digest::sha256(layer);
    let n = client
        .get_blob_to_path(&tagged, &digest, Some(layer.len() as u64), &path)
        .await
        .unwrap();
    assert_eq!(n, layer.len() as u64);
    assert_eq!(std::fs::read(&path).unwrap(), *layer);
    assert_eq!(
        std::fs::read_dir(&dir).unwrap().count(),
        1,
        "no temp file left"
    );
    assert_eq!(
        client.blob_exists(&tagged, &digest).await.unwrap(),
        Some(layer.len() as u64)
    );
}

#[tokio::test]
async fn docker_schema2_with_a_narrowed_accept_list() {
    let Some(registry) = env_or_skip(OPEN) else {
        return;
    };
    let client = client();
    let repo = unique("accept/docker");
    let tagged = reference(&registry, &repo, "s2");
    let image = TestImage::new(2, &[100], false);
    image.push(&client, &tagged).await.unwrap();
    let got = client
        .get_manifest(&tagged, &[MediaType::DockerSchema2])
        .await
        .unwrap();
    assert_eq!(got.manifest.media_type(), &MediaType::DockerSchema2);
    assert_eq!(got.manifest.raw(), image.manifest);

    // An OCI manifest is not served to a client that does not accept it.
    let oci = reference(&registry, &repo, "oci");
    TestImage::new(3, &[100], true)
        .push(&client, &oci)
        .await
        .unwrap();
    let err = client
        .get_manifest(&oci, &[MediaType::DockerSchema2])
        .await
        .unwrap_err();
    assert_eq!(err.code(), "MANIFEST_UNKNOWN", "{err}");
}

#[tokio::test]
async fn schema1_served_by_the_registry_is_verified_by_its_payload_digest() {
    let Some(registry) = env_or_skip(OPEN) else {
        return;
    };
    let client = client();
    let repo = unique("schema1/served");
    let tagged = reference(&registry, &repo, "v1");
    TestImage::new(9, &[100, 200], false)
        .push(&client, &tagged)
        .await
        .unwrap();
    // distribution 2.8 converts schema2 to signed schema1 for clients that
    // accept only schema1; its Docker-Content-Digest is the payload's.
    let got = client
        .get_manifest(&tagged, &[MediaType::DockerSchema1Signed])
        .await
        .unwrap();
    assert_eq!(got.manifest.media_type(), &MediaType::DockerSchema1Signed);
    assert_ne!(got.digest, Digest::sha256(got.manifest.raw()));
    assert_eq!(got.digest, Digest::sha256(got.manifest.payload()));
    assert_eq!(got.manifest.verify_signatures().unwrap().len(), 1);
}

#[tokio::test]
async fn chunked_upload_mount_and_existing_blobs() {
    let Some(registry) = env_or_skip(OPEN) else {
        return;
    };
    let events = Events::default();
    let client = Client::new(ClientOptions {
        chunk_size: Some(64 * 1024),
        ..options()
    })
    .with_progress(Some(events.sink()));
    let source_repo = unique("chunked/source");
    let source = reference(&registry, &source_repo, "v1");
    let dir = temp_dir("chunked");
    let blob = bytes(7, 300_000);
    let file = dir.join("blob");
    std::fs::write(&file, &blob).unwrap();
    let digest = Digest::sha256(&blob);

    let first = client
        .push_blob(&source, &digest, BlobSource::File(file.clone()), &[])
        .await
        .unwrap();
    assert_eq!(first.outcome, PushOutcome::Uploaded);
    assert_eq!(first.size, 300_000);
    let phases = events.phases();
    assert_eq!(phases.first(), Some(&Phase::Started));
    assert_eq!(phases.last(), Some(&Phase::Finished));
    assert!(phases.iter().filter(|p| **p == Phase::Transferring).count() >= 2);

    let again = client
        .push_blob(&source, &digest, BlobSource::File(file.clone()), &[])
        .await
        .unwrap();
    assert_eq!(again.outcome, PushOutcome::Existed);

    let target = reference(&registry, &unique("chunked/target"), "v1");
    let mounted = client
        .push_blob(
            &target,
            &digest,
            BlobSource::File(file),
            std::slice::from_ref(&source),
        )
        .await
        .unwrap();
    assert_eq!(mounted.outcome, PushOutcome::Mounted);
    let back = client
        .get_blob_bytes(&target, &digest, 1 << 20)
        .await
        .unwrap();
    assert_eq!(back, blob);

    // A mount from a repository without the blob falls back to an upload.
    let other = bytes(8, 1000);
    let fallback = client
        .push_blob(
            &reference(&registry, &unique("chunked/fallback"), "v1"),
            &Digest::sha256(&other),
            BlobSource::Bytes(other),
            &[source],
        )
        .await
        .unwrap();
    assert_eq!(fallback.outcome, PushOutcome::Uploaded);
}

#[tokio::test]
async fn a_wrong_digest_is_refused_by_the_registry() {
    let Some(registry) = env_or_skip(OPEN) else {
        return;
    };
    let client = client();
    let tagged = reference(&registry, &unique("wrong/digest"), "v1");
    let err = client
        .push_blob(
            &tagged,
            &Digest::sha256(b"something else"),
            BlobSource::Bytes(b"content".to_vec()),
            &[],
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), "REGISTRY", "{err}");
    assert!(err.to_string().contains("DIGEST_INVALID"), "{err}");
}

#[tokio::test]
async fn tags_follow_pagination_and_catalog_lists_repositories() {
    let Some(registry) = env_or_skip(OPEN) else {
        return;
    };
    let client = Client::new(ClientOptions {
        page_size: 2,
        ..options()
    });
    let repo = unique("paged/tags");
    let image = TestImage::new(4, &[10], true);
    let mut expected = Vec::new();
    for tag in ["a", "b", "c", "d", "e"] {
        image
            .push(&client, &reference(&registry, &repo, tag))
            .await
            .unwrap();
        expected.push(tag.to_string());
    }
    let mut tags = client
        .list_tags(&reference(&registry, &repo, "a"))
        .await
        .unwrap();
    // distribution 2.8 pages through its tags in no particular order.
    tags.sort();
    assert_eq!(tags, expected);
    let catalog = client.catalog(&registry).await.unwrap();
    assert!(catalog.contains(&repo), "{repo} not in {catalog:?}");
}

#[tokio::test]
async fn delete_then_unknown_manifest_and_blob() {
    let Some(registry) = env_or_skip(OPEN) else {
        return;
    };
    let client = client();
    let repo = unique("delete/me");
    let tagged = reference(&registry, &repo, "v1");
    let image = TestImage::new(5, &[10], true);
    let digest = image.push(&client, &tagged).await.unwrap();
    assert_eq!(client.delete_manifest(&tagged).await.unwrap(), digest);
    let err = client
        .get_manifest(&by_digest(&registry, &repo, &digest), &[])
        .await
        .unwrap_err();
    assert_eq!(err.code(), "MANIFEST_UNKNOWN", "{err}");
    let missing = client
        .get_manifest(&reference(&registry, &repo, "never"), &[])
        .await
        .unwrap_err();
    assert_eq!(missing.code(), "MANIFEST_UNKNOWN");
    assert!(
        missing.to_string().contains("manifest unknown"),
        "{missing}"
    );

    let layer = Digest::sha256(&image.layers[0]);
    client.delete_blob(&tagged, &layer).await.unwrap();
    assert_eq!(client.blob_exists(&tagged, &layer).await.unwrap(), None);
    let err = client
        .get_blob_bytes(&tagged, &layer, 100)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "BLOB_UNKNOWN", "{err}");
    let err = client
        .list_tags(&reference(&registry, &unique("no/such"), "x"))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "NAME_UNKNOWN", "{err}");
}

#[tokio::test]
async fn referrers_fall_back_to_the_tag_schema() {
    let Some(registry) = env_or_skip(OPEN) else {
        return;
    };
    let client = client();
    let repo = unique("referrers/tags");
    let subject_ref = reference(&registry, &repo, "v1");
    let subject = TestImage::new(6, &[10], true);
    let subject_digest = subject.push(&client, &subject_ref).await.unwrap();
    assert!(client
        .referrers(&subject_ref, &subject_digest, None)
        .await
        .unwrap()
        .is_empty());

    // distribution 2.8 checks that an index's children exist.
    let artifact = TestImage::new(60, &[10], true);
    let artifact_digest = artifact
        .push(&client, &reference(&registry, &repo, "sbom"))
        .await
        .unwrap();
    let descriptor = format!(
        r#"{{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"{artifact_digest}","size":{},"artifactType":"application/example.sbom"}}"#,
        artifact.manifest.len()
    );
    let index = format!(
        r#"{{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{descriptor}]}}"#
    );
    let tag = tranship::registry::referrers_tag(&subject_digest);
    client
        .put_manifest(
            &reference(&registry, &repo, &tag),
            &Manifest::parse(index.as_bytes(), None, &Limits::default()).unwrap(),
        )
        .await
        .unwrap();
    let found = client
        .referrers(&subject_ref, &subject_digest, None)
        .await
        .unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(
        found[0].artifact_type.as_deref(),
        Some("application/example.sbom")
    );
    let filtered = client
        .referrers(&subject_ref, &subject_digest, Some("application/other"))
        .await
        .unwrap();
    assert!(filtered.is_empty());
}
