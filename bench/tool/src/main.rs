//! The programs `bench/registry.sh` times against skopeo and crane:
//!
//! ```text
//! tranship-bench pull REF LAYOUT   # registry image -> OCI layout
//! tranship-bench push LAYOUT REF   # OCI layout -> registry, prints the digest
//! ```
//!
//! Every blob moves concurrently (the client's limit of requests in
//! flight applies); downloads are verified against their digests and
//! written atomically. Registries on loopback addresses are reached over
//! plain http, as the core does by default for `localhost`,
//! `127.0.0.0/8` and `[::1]`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use futures_util::future::try_join_all;
use serde_json::{json, Value};
use tranship::fs::write_atomically;
use tranship::manifest::Manifest;
use tranship::registry::{parse_address, BlobSource, Client, ClientSettings};
use tranship::{Digest, Error, Limits, Reference, Result};

/// The annotation naming an image in an OCI layout's index.
const REF_NAME: &str = "org.opencontainers.image.ref.name";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let run = || -> Result<()> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .map_err(|e| Error::io("starting the async runtime", e))?;
        let client = ClientSettings::default().client()?;
        match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
            ["pull", from, layout] => {
                runtime.block_on(pull(&client, &parse_address(from)?, Path::new(layout)))
            }
            ["push", layout, to] => {
                let digest =
                    runtime.block_on(push(&client, Path::new(layout), &parse_address(to)?))?;
                println!("{digest}");
                Ok(())
            }
            _ => Err(Error::InvalidConfig(
                "usage: tranship-bench pull REF LAYOUT | push LAYOUT REF".into(),
            )),
        }
    };
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error[{}]: {e}", e.code());
            ExitCode::FAILURE
        }
    }
}

fn blob_path(layout: &Path, digest: &Digest) -> PathBuf {
    layout
        .join("blobs")
        .join(digest.algorithm().as_str())
        .join(digest.hex())
}

/// Pulls the image `from` names (an image manifest, not an index) into
/// the OCI layout `layout`, tagged with `from`'s tag.
async fn pull(client: &Client, from: &Reference, layout: &Path) -> Result<()> {
    let fetched = client.get_manifest(from, &[]).await?;
    let image = fetched.manifest.as_image().ok_or_else(|| {
        Error::InvalidConfig(format!("{from} is not an image manifest (an index?)"))
    })?;
    let blobs = std::iter::once(&image.config).chain(&image.layers);
    let dir = blob_path(layout, &fetched.digest);
    if let Some(parent) = dir.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| Error::io(format!("creating {}", parent.display()), e))?;
    }
    try_join_all(blobs.map(|d| async move {
        let path = blob_path(layout, &d.digest);
        client
            .get_blob_to_path(from, &d.digest, Some(d.size), &path)
            .await
    }))
    .await?;
    write_atomically(&blob_path(layout, &fetched.digest), fetched.manifest.raw())?;
    write_atomically(
        &layout.join("oci-layout"),
        br#"{"imageLayoutVersion":"1.0.0"}"#,
    )?;
    let index = json!({
        "schemaVersion": 2,
        "manifests": [{
            "mediaType": fetched.manifest.media_type().as_str(),
            "digest": fetched.digest.to_string(),
            "size": fetched.manifest.raw().len(),
            "annotations": {REF_NAME: from.tag().unwrap_or("latest")},
        }],
    });
    write_atomically(&layout.join("index.json"), index.to_string().as_bytes())
}

/// Pushes the first image of the OCI layout `layout` to `to`: blobs
/// first, concurrently, then the manifest. Returns its digest.
async fn push(client: &Client, layout: &Path, to: &Reference) -> Result<Digest> {
    let read = |path: &Path| {
        std::fs::read(path).map_err(|e| Error::io(format!("reading {}", path.display()), e))
    };
    let index: Value = serde_json::from_slice(&read(&layout.join("index.json"))?)
        .map_err(|e| Error::InvalidConfig(format!("{}/index.json: {e}", layout.display())))?;
    let digest: Digest = index["manifests"][0]["digest"]
        .as_str()
        .ok_or_else(|| Error::InvalidConfig(format!("{}: no manifest", layout.display())))?
        .parse()?;
    let media_type = index["manifests"][0]["mediaType"].as_str();
    let bytes = read(&blob_path(layout, &digest))?;
    digest.verify(&bytes)?;
    let manifest = Manifest::parse(&bytes, media_type, &Limits::default())?;
    let image = manifest.as_image().ok_or_else(|| {
        Error::InvalidConfig(format!("{}: not an image manifest", layout.display()))
    })?;
    let blobs = std::iter::once(&image.config).chain(&image.layers);
    try_join_all(blobs.map(|d| {
        let source = BlobSource::File(blob_path(layout, &d.digest));
        client.push_blob(to, &d.digest, source, &[])
    }))
    .await?;
    client.put_manifest(to, &manifest).await
}
