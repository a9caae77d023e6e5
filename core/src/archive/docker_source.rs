//! Reading one image of a docker-archive.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use serde::Deserialize;

use super::TarIndex;
use crate::digest::Digest;
use crate::error::{Error, Result};
use crate::image::{BlobFile, BlobRef, BoxFuture, Growth, ImageSource};
use crate::layout::{IndexJson, LayoutFiles, LayoutSource};
use crate::limits::Limits;
use crate::manifest::Manifest;
use crate::reference::Reference;

/// One entry of `manifest.json`.
#[derive(Debug, Clone, Deserialize)]
struct Entry {
    #[serde(rename = "Config")]
    config: String,
    #[serde(rename = "RepoTags", default)]
    repo_tags: Option<Vec<String>>,
    #[serde(rename = "Layers", default)]
    layers: Vec<String>,
}

/// An image of a docker-archive.
pub struct DockerArchiveSource {
    describe: String,
    repo_tags: Vec<String>,
    inner: Inner,
}

enum Inner {
    /// Docker 25+: the OCI layout in the same tar has the manifest.
    Layout(Box<LayoutSource>),
    /// Older archives: a schema 2 manifest made from `manifest.json`.
    Legacy(Box<Legacy>),
}

/// A legacy archive's image.
struct Legacy {
    manifest: Manifest,
    blobs: BTreeMap<Digest, BlobFile>,
    /// Held while the blobs are read: a gzip-compressed archive's
    /// decompressed copy, which the ranges point into, lives as long.
    _tar: Arc<TarIndex>,
}

impl DockerArchiveSource {
    /// Opens the image of the archive at `path` that `tag` names (one of
    /// its `RepoTags`), or the `index`-th of `manifest.json`, or, with
    /// neither, its only image. `scratch` is where a gzip-compressed
    /// archive is decompressed.
    pub fn open(
        path: &Path,
        tag: Option<&Reference>,
        index: Option<usize>,
        scratch: &Path,
        describe: String,
        limits: Limits,
    ) -> Result<DockerArchiveSource> {
        let tar = Arc::new(TarIndex::open(path, scratch)?);
        let bad = |reason: String| Error::InvalidArchive {
            archive: path.display().to_string(),
            reason,
        };
        let files = LayoutFiles::Archive(tar.clone());
        let listing = files
            .file("manifest.json")?
            .ok_or_else(|| bad("no manifest.json: not a docker-archive".into()))?
            .read_all(limits.max_manifest_bytes)?;
        let entries: Vec<Entry> =
            serde_json::from_slice(&listing).map_err(|e| bad(format!("manifest.json: {e}")))?;
        let chosen = choose(&entries, tag, index, &describe)?;
        let entry = &entries[chosen];
        let repo_tags = entry.repo_tags.clone().unwrap_or_default();
        let config_file = tar.entry(&entry.config).ok_or_else(|| {
            bad(format!(
                "manifest.json names {}, which it lacks",
                entry.config
            ))
        })?;
        let config = config_file.read_all(limits.max_config_bytes)?;
        let config_digest = Digest::sha256(&config);
        if files.file("index.json")?.is_some() && files.file("oci-layout")?.is_some() {
            if let Some(source) = layout_entry(&files, &config_digest, &describe, &limits)? {
                return Ok(DockerArchiveSource {
                    describe,
                    repo_tags,
                    inner: Inner::Layout(Box::new(source)),
                });
            }
        }
        let diff_ids = diff_ids(&config);
        let mut blobs = BTreeMap::new();
        blobs.insert(config_digest.clone(), config_file);
        let mut layers = Vec::new();
        for (i, name) in entry.layers.iter().enumerate() {
            let file = tar
                .entry(name)
                .ok_or_else(|| bad(format!("manifest.json names {name}, which it lacks")))?;
            let (digest, media_type) = layer_digest(&file, diff_ids.get(i), path)?;
            layers.push(format!(
                r#"{{"mediaType":"{media_type}","size":{},"digest":"{digest}"}}"#,
                file.len
            ));
            blobs.insert(digest, file);
        }
        let text = format!(
            r#"{{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json","config":{{"mediaType":"application/vnd.docker.container.image.v1+json","size":{},"digest":"{config_digest}"}},"layers":[{}]}}"#,
            config.len(),
            layers.join(",")
        );
        let manifest = Manifest::parse(text.as_bytes(), None, &limits)?;
        Ok(DockerArchiveSource {
            describe,
            repo_tags,
            inner: Inner::Legacy(Box::new(Legacy {
                manifest,
                blobs,
                _tar: tar,
            })),
        })
    }

    /// The `RepoTags` of the chosen image, as the archive wrote them.
    pub fn repo_tags(&self) -> &[String] {
        &self.repo_tags
    }
}

/// Which `manifest.json` entry the address asks for.
fn choose(
    entries: &[Entry],
    tag: Option<&Reference>,
    index: Option<usize>,
    describe: &str,
) -> Result<usize> {
    let unknown = |message: String| Error::ManifestUnknown { message };
    if let Some(i) = index {
        return if i < entries.len() {
            Ok(i)
        } else {
            Err(unknown(format!(
                "{describe}: the archive holds {} image(s), so @{i} is out of range",
                entries.len()
            )))
        };
    }
    match tag {
        Some(want) => entries
            .iter()
            .position(|e| {
                e.repo_tags.iter().flatten().any(|t| {
                    t.parse::<Reference>()
                        .is_ok_and(|r| r.name() == want.name() && r.tag() == want.tag())
                })
            })
            .ok_or_else(|| {
                let tags: Vec<&str> = entries
                    .iter()
                    .flat_map(|e| e.repo_tags.iter().flatten().map(String::as_str))
                    .collect();
                unknown(format!(
                    "{describe}: no image is tagged so; the archive has {}",
                    if tags.is_empty() {
                        "no tags".to_string()
                    } else {
                        tags.join(", ")
                    }
                ))
            }),
        None if entries.len() == 1 => Ok(0),
        None => Err(unknown(format!(
            "{describe}: the archive holds {} images; name one by tag or as @INDEX",
            entries.len()
        ))),
    }
}

/// The entry of the archive's OCI layout whose image has this config.
fn layout_entry(
    files: &LayoutFiles,
    config: &Digest,
    describe: &str,
    limits: &Limits,
) -> Result<Option<LayoutSource>> {
    let index = IndexJson::parse(&files.read("index.json", limits.max_manifest_bytes)?)?;
    for entry in &index.manifests {
        let Some(file) = files.blob(&entry.digest)? else {
            continue;
        };
        let bytes = file.read_all(limits.max_manifest_bytes)?;
        let Ok(manifest) = Manifest::parse(&bytes, Some(entry.media_type.as_str()), limits) else {
            continue;
        };
        if manifest
            .as_image()
            .is_some_and(|m| &m.config.digest == config)
        {
            return Ok(Some(LayoutSource::from_entry(
                files.clone(),
                entry.clone(),
                describe.to_string(),
                *limits,
            )));
        }
    }
    Ok(None)
}

/// `rootfs.diff_ids` of a config, when it has them.
fn diff_ids(config: &[u8]) -> Vec<Digest> {
    #[derive(Deserialize)]
    struct RootFs {
        #[serde(default)]
        diff_ids: Vec<Digest>,
    }
    #[derive(Deserialize)]
    struct Config {
        rootfs: Option<RootFs>,
    }
    serde_json::from_slice::<Config>(config)
        .ok()
        .and_then(|c| c.rootfs)
        .map(|r| r.diff_ids)
        .unwrap_or_default()
}

/// A layer file's digest and media type: a plain tar is named by its
/// diff_id (checked when it is copied); a compressed one is hashed.
fn layer_digest(
    file: &BlobFile,
    diff_id: Option<&Digest>,
    archive: &Path,
) -> Result<(Digest, &'static str)> {
    use std::io::Read;
    let mut prefix = [0u8; 8];
    let mut reader = file.open()?;
    let n = reader
        .read(&mut prefix)
        .map_err(|e| Error::io(format!("reading {}", archive.display()), e))?;
    let compression = crate::layer::Compression::detect(&prefix[..n]);
    let media_type = match compression {
        crate::layer::Compression::None => "application/vnd.docker.image.rootfs.diff.tar",
        crate::layer::Compression::Gzip => "application/vnd.docker.image.rootfs.diff.tar.gzip",
        other => {
            return Err(Error::InvalidArchive {
                archive: archive.display().to_string(),
                reason: format!(
                    "a layer is {}-compressed, which a docker-archive cannot describe",
                    other.as_str()
                ),
            })
        }
    };
    let digest = match (compression, diff_id) {
        (crate::layer::Compression::None, Some(d)) => d.clone(),
        _ => Digest::compute_reader(crate::digest::Algorithm::Sha256, file.open()?)
            .map_err(|e| Error::io(format!("reading {}", archive.display()), e))?,
    };
    Ok((digest, media_type))
}

impl ImageSource for DockerArchiveSource {
    fn describe(&self) -> String {
        self.describe.clone()
    }

    fn root(&self) -> BoxFuture<'_, Result<Manifest>> {
        match &self.inner {
            Inner::Layout(l) => l.root(),
            Inner::Legacy(legacy) => {
                let m = legacy.manifest.clone();
                Box::pin(async move { Ok(m) })
            }
        }
    }

    fn manifest<'a>(&'a self, digest: &'a Digest) -> BoxFuture<'a, Result<Manifest>> {
        match &self.inner {
            Inner::Layout(l) => l.manifest(digest),
            Inner::Legacy(_) => Box::pin(async move {
                Err(Error::ManifestUnknown {
                    message: format!("{} has no manifest {digest}", self.describe),
                })
            }),
        }
    }

    fn local_blob(&self, blob: &BlobRef) -> Result<Option<BlobFile>> {
        match &self.inner {
            Inner::Layout(l) => l.local_blob(blob),
            Inner::Legacy(legacy) => Ok(legacy.blobs.get(&blob.digest).cloned()),
        }
    }

    fn fetch_blob<'a>(
        &'a self,
        blob: &'a BlobRef,
        path: &'a Path,
        growth: &'a Growth,
    ) -> BoxFuture<'a, Result<u64>> {
        match &self.inner {
            Inner::Layout(l) => l.fetch_blob(blob, path, growth),
            Inner::Legacy(_) => Box::pin(async move {
                Err(Error::BlobUnknown {
                    message: format!("{} has no blob {}", self.describe, blob.digest),
                })
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn append(b: &mut tar::Builder<Vec<u8>>, name: &str, data: &[u8]) {
        let mut h = tar::Header::new_ustar();
        h.set_size(data.len() as u64);
        h.set_mode(0o644);
        b.append_data(&mut h, name, data).unwrap();
    }

    /// A `docker save` archive of the legacy form (no OCI layout): one
    /// uncompressed layer named by folder, as podman and skopeo write.
    fn legacy_archive() -> (Vec<u8>, Vec<u8>) {
        let mut layer = tar::Builder::new(Vec::new());
        append(&mut layer, "hello", b"hello\n");
        let layer = layer.into_inner().unwrap();
        let config = format!(
            r#"{{"architecture":"amd64","os":"linux","rootfs":{{"type":"layers","diff_ids":["{}"]}}}}"#,
            Digest::sha256(&layer)
        );
        let mut b = tar::Builder::new(Vec::new());
        append(
            &mut b,
            "manifest.json",
            br#"[{"Config":"c.json","RepoTags":["t/img:v1"],"Layers":["l/layer.tar"]}]"#,
        );
        append(&mut b, "c.json", config.as_bytes());
        append(&mut b, "l/layer.tar", &layer);
        (b.into_inner().unwrap(), layer)
    }

    #[tokio::test]
    async fn a_gzipped_legacy_archive_stays_readable_while_open() {
        let (plain, layer) = legacy_archive();
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut gz, &plain).unwrap();
        let dir = std::env::temp_dir().join(format!("tranship-docker-src-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("img.tar.gz");
        std::fs::write(&path, gz.finish().unwrap()).unwrap();
        let want: Reference = "t/img:v1".parse().unwrap();
        let source = DockerArchiveSource::open(
            &path,
            Some(&want),
            None,
            &dir,
            "x".into(),
            Limits::default(),
        )
        .unwrap();
        assert_eq!(source.repo_tags(), ["t/img:v1"]);
        let root = source.root().await.unwrap();
        let image = root.as_image().unwrap();
        let digest = Digest::sha256(&layer);
        assert_eq!(image.layers[0].digest, digest);
        let blob = BlobRef {
            digest: digest.clone(),
            size: None,
            media_type: None,
        };
        // The layer is read from the decompressed copy, which the source
        // keeps until it is dropped.
        let file = source.local_blob(&blob).unwrap().unwrap();
        assert_eq!(file.read_all(1 << 20).unwrap(), layer);
        drop(source);
        assert!(!file.path.exists(), "the decompressed copy is removed");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
