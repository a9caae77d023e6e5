//! Writing an oci-archive or a docker-archive: one tar, written under a
//! temporary name beside the destination and renamed into place only at
//! commit, so an error or an interruption leaves the destination as it
//! was.
//!
//! Both hold an OCI layout (`oci-layout`, `blobs/sha256/…`,
//! `index.json`); a docker-archive adds Docker's `manifest.json`, as
//! Docker 25 and later write it, so that both `docker load` / `podman
//! load` and OCI tools read it and the manifest keeps its bytes and
//! digest. With `legacy`, the folders and `repositories` file of the
//! format before Docker 25 are added too (see [`super::legacy`]).

use std::collections::HashMap;
use std::io::Seek;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use super::legacy::{self, Entry};
use crate::digest::Digest;
use crate::error::{Error, Result};
use crate::fs::AtomicFile;
use crate::image::{blocking, BlobFile, BlobOutcome, BlobRef, BoxFuture, ImageDestination};
use crate::layout::{IndexJson, OCI_LAYOUT, REF_NAME};
use crate::limits::Limits;
use crate::manifest::Manifest;
use crate::media_type::MediaType;
use crate::reference::Reference;

/// The annotation containerd (and Docker 25+) name an image with.
pub const CONTAINERD_IMAGE_NAME: &str = "io.containerd.image.name";

/// Which kind of archive is written.
#[derive(Debug, Clone)]
pub enum ArchiveKind {
    /// An oci-archive; the image named in `index.json` when a name is given.
    Oci {
        /// The `org.opencontainers.image.ref.name` of the image.
        name: Option<String>,
    },
    /// A docker-archive of one image or more, each named by its tags
    /// (`RepoTags`; none for an image known only by digest).
    Docker {
        /// The tags of each image, in the order the images are committed
        /// (each a reference with a tag and no digest). The archive is
        /// renamed into place at the last image's commit; an empty list
        /// stands for one image without tags.
        images: Vec<Vec<Reference>>,
        /// Also write the entries loaders older than `manifest.json` read.
        legacy: bool,
    },
}

/// Where an entry's bytes are in the temporary tar: `(offset, len)`.
type Written = HashMap<Digest, (u64, u64)>;

/// What the archive holds so far. Locked only briefly, never while
/// bytes are appended, so the async side can always read it.
#[derive(Default)]
struct Book {
    written: Written,
    /// The root manifests committed so far.
    committed: Vec<Manifest>,
}

/// The tar being written; held while appending, on blocking threads only
/// (an append may wait for a download the async side is running).
type Tar = Arc<Mutex<Option<tar::Builder<std::fs::File>>>>;

/// An archive being written.
pub struct ArchiveDestination {
    kind: ArchiveKind,
    staging: PathBuf,
    tar: Tar,
    book: Arc<Mutex<Book>>,
    /// After `tar`, so the file is closed before it is removed.
    temp: Mutex<Option<AtomicFile>>,
    describe: String,
}

impl ArchiveDestination {
    /// Starts writing the archive that will be at `path` (replacing any
    /// file there, at commit only).
    pub fn create(path: &Path, kind: ArchiveKind, describe: String) -> Result<Self> {
        let temp = AtomicFile::beside(path);
        let file = temp.create()?;
        let mut tar = tar::Builder::new(file);
        tar.mode(tar::HeaderMode::Deterministic);
        append(&mut tar, "oci-layout", OCI_LAYOUT)?;
        let staging = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_path_buf();
        Ok(ArchiveDestination {
            kind,
            staging,
            temp: Mutex::new(Some(temp)),
            tar: Arc::new(Mutex::new(Some(tar))),
            book: Arc::default(),
            describe,
        })
    }

    /// Runs `work` on the tar writer, on a blocking thread.
    /// Runs `write`, which appends the entry of the blob `digest` (`len`
    /// bytes), unless the archive has it already, and records where its
    /// bytes are.
    async fn append_blob(
        &self,
        digest: Digest,
        len: u64,
        write: impl FnOnce(&mut tar::Builder<std::fs::File>) -> Result<()> + Send + 'static,
    ) -> Result<()> {
        let (tar, book) = (self.tar.clone(), self.book.clone());
        blocking(move || {
            let mut tar = lock(&tar)?;
            let tar = tar.as_mut().ok_or_else(|| {
                Error::io(
                    "writing an archive",
                    std::io::Error::other("already committed"),
                )
            })?;
            // Checked under the tar's lock: no blob is appended twice.
            if lock(&book)?.written.contains_key(&digest) {
                return Ok(());
            }
            write(tar)?;
            let at = data_offset(tar, len)?;
            lock(&book)?.written.insert(digest, (at, len));
            Ok(())
        })
        .await
    }

    async fn put_bytes(&self, digest: &Digest, bytes: Vec<u8>) -> Result<()> {
        let name = blob_name(digest);
        self.append_blob(digest.clone(), bytes.len() as u64, move |tar| {
            append(tar, &name, &bytes)
        })
        .await
    }
}

/// The entries that close an archive: `index.json` and, for a
/// docker-archive, `manifest.json` (and the legacy entries when asked,
/// which need the configs: they are read back from `temp`, where
/// `written` says they are). `roots` are the images, in commit order.
fn closing_entries(
    kind: &ArchiveKind,
    roots: &[Manifest],
    written: &Written,
    temp: &Path,
) -> Result<Vec<(String, Entry)>> {
    let entry = |root: &Manifest, annotations: &[(&str, String)]| {
        let annotations = annotations.iter().map(|(k, v)| (k.to_string(), v.clone()));
        IndexJson::entry_for(root, &root.digest(), annotations)
    };
    let mut index = IndexJson::new();
    let (images, legacy) = match kind {
        ArchiveKind::Oci { name } => {
            let annotations: Vec<(&str, String)> =
                name.iter().map(|n| (REF_NAME, n.clone())).collect();
            for root in roots {
                index.manifests.push(entry(root, &annotations));
            }
            return Ok(vec![("index.json".into(), Entry::File(index.to_bytes()))]);
        }
        ArchiveKind::Docker { images, legacy } => (images, *legacy),
    };
    let mut manifest = Vec::new();
    let mut entries = Vec::new();
    let mut repositories = Vec::new();
    let untagged = Vec::new();
    for (i, root) in roots.iter().enumerate() {
        let tags = images.get(i).unwrap_or(&untagged);
        for tag in tags {
            index.manifests.push(entry(
                root,
                &[
                    (CONTAINERD_IMAGE_NAME, tag.to_string()),
                    (REF_NAME, tag.tag().unwrap_or("latest").to_string()),
                ],
            ));
        }
        if tags.is_empty() {
            index.manifests.push(entry(root, &[]));
        }
        let image = root.as_image().ok_or_else(|| {
            Error::Conversion(format!(
                "a docker-archive holds single images, not a {}",
                root.format().as_str()
            ))
        })?;
        let repo_tags: Option<Vec<String>> = (!tags.is_empty()).then(|| {
            tags.iter()
                .map(|t| format!("{}:{}", docker_name(t), t.tag().unwrap_or("latest")))
                .collect()
        });
        manifest.push(DockerManifestEntry {
            config: blob_name(&image.config.digest),
            repo_tags,
            layers: image.layers.iter().map(|l| blob_name(&l.digest)).collect(),
        });
        if legacy {
            let config = &image.config.digest;
            let &(offset, len) = written.get(config).ok_or_else(|| {
                Error::io(
                    "writing the legacy entries",
                    std::io::Error::other(format!("the config {config} was not written")),
                )
            })?;
            let bytes =
                BlobFile::part(temp, offset, len).read_all(Limits::default().max_config_bytes)?;
            config.verify(&bytes)?;
            let image_entries = legacy::entries(image, &bytes)?;
            for (name, entry) in image_entries.entries {
                // Images sharing their lower layers share those folders.
                if !entries.iter().any(|(n, _)| *n == name) {
                    entries.push((name, entry));
                }
            }
            repositories.push((tags.clone(), image_entries.top_id));
        }
    }
    if legacy {
        let repositories = legacy::repositories(&repositories);
        entries.push(("repositories".into(), Entry::File(repositories)));
    }
    entries.push(("index.json".into(), Entry::File(index.to_bytes())));
    entries.push((
        "manifest.json".into(),
        Entry::File(serde_json::to_vec(&manifest).unwrap_or_default()),
    ));
    Ok(entries)
}

/// One entry of a docker-archive's `manifest.json`, fields in the order
/// `docker save` writes them.
#[derive(serde::Serialize)]
struct DockerManifestEntry {
    #[serde(rename = "Config")]
    config: String,
    #[serde(rename = "RepoTags")]
    repo_tags: Option<Vec<String>>,
    #[serde(rename = "Layers")]
    layers: Vec<String>,
}

/// Docker's short name of a reference, without tag or digest.
pub(super) fn docker_name(r: &Reference) -> String {
    let familiar = r.familiar();
    let cut = familiar.find('@').unwrap_or(familiar.len());
    let without_digest = &familiar[..cut];
    match (r.tag(), without_digest.rfind(':')) {
        (Some(tag), Some(i)) if &without_digest[i + 1..] == tag => without_digest[..i].to_string(),
        _ => without_digest.to_string(),
    }
}

/// Locks the writer's state; a panic while it was held (poisoning) is an
/// IO error, never a second panic.
fn lock<T>(mutex: &Mutex<T>) -> Result<std::sync::MutexGuard<'_, T>> {
    mutex
        .lock()
        .map_err(|_| Error::io("writing an archive", std::io::Error::other("poisoned")))
}

/// `blobs/<alg>/<hex>`.
pub(crate) fn blob_name(digest: &Digest) -> String {
    format!("blobs/{}/{}", digest.algorithm(), digest.hex())
}

/// Where the data of the entry just appended (of `len` bytes) starts:
/// the writer sits at the end of its padding to 512 bytes.
fn data_offset(tar: &mut tar::Builder<std::fs::File>, len: u64) -> Result<u64> {
    let end = tar
        .get_mut()
        .stream_position()
        .map_err(|e| Error::io("writing an archive", e))?;
    Ok(end - len.div_ceil(512) * 512)
}

/// Appends a symbolic link.
fn append_symlink(tar: &mut tar::Builder<std::fs::File>, name: &str, target: &str) -> Result<()> {
    let mut header = header(0);
    header.set_entry_type(tar::EntryType::Symlink);
    header.set_mode(0o777);
    tar.append_link(&mut header, name, target)
        .map_err(|e| Error::io(format!("writing {name} into the archive"), e))
}

/// Appends a regular file from memory.
fn append(tar: &mut tar::Builder<std::fs::File>, name: &str, bytes: &[u8]) -> Result<()> {
    let mut header = header(bytes.len() as u64);
    tar.append_data(&mut header, name, bytes)
        .map_err(|e| Error::io(format!("writing {name} into the archive"), e))
}

fn header(size: u64) -> tar::Header {
    let mut header = tar::Header::new_ustar();
    header.set_entry_type(tar::EntryType::Regular);
    header.set_size(size);
    header.set_mode(0o644);
    header.set_mtime(0);
    header
}

impl ImageDestination for ArchiveDestination {
    fn describe(&self) -> String {
        self.describe.clone()
    }

    fn holds_indexes(&self) -> bool {
        matches!(self.kind, ArchiveKind::Oci { .. })
    }

    fn accepts(&self, media_type: &MediaType) -> bool {
        match self.kind {
            ArchiveKind::Oci { .. } => crate::layout::holds(media_type),
            ArchiveKind::Docker { .. } => {
                matches!(
                    media_type,
                    MediaType::DockerSchema2 | MediaType::OciManifest
                )
            }
        }
    }

    fn staging_dir(&self) -> &Path {
        &self.staging
    }

    fn follows_fetches(&self) -> bool {
        // Appended to the tar as it arrives.
        true
    }

    fn reuse_blob<'a>(&'a self, blob: &'a BlobRef) -> BoxFuture<'a, Result<Option<BlobOutcome>>> {
        Box::pin(async move {
            let book = lock(&self.book)?;
            Ok(book
                .written
                .contains_key(&blob.digest)
                .then_some(BlobOutcome::Existed))
        })
    }

    fn put_blob<'a>(
        &'a self,
        digest: &'a Digest,
        file: BlobFile,
        owned: bool,
    ) -> BoxFuture<'a, Result<()>> {
        Box::pin(async move {
            let digest = digest.clone();
            let staged = owned.then(|| file.path.clone());
            let name = blob_name(&digest);
            let len = file.len;
            let result = self
                .append_blob(digest.clone(), len, move |tar| {
                    let mut header = header(len);
                    header
                        .set_path(&name)
                        .map_err(|e| Error::io(format!("naming {name}"), e))?;
                    header.set_cksum();
                    let appending = |e| Error::io(format!("writing {name} into the archive"), e);
                    if owned {
                        // A staged download, verified as it was fetched.
                        tar.append(&header, file.open()?).map_err(appending)?;
                    } else {
                        // The tar crate copies a reader; verify while it reads.
                        let mut pipe = VerifyingRange::new(&file, &digest)?;
                        tar.append(&header, &mut pipe).map_err(appending)?;
                        pipe.finish()?;
                    }
                    Ok(())
                })
                .await;
            if let Some(path) = staged {
                let _ = tokio::fs::remove_file(path).await;
            }
            result
        })
    }

    fn put_blob_bytes<'a>(
        &'a self,
        digest: &'a Digest,
        bytes: Vec<u8>,
    ) -> BoxFuture<'a, Result<()>> {
        Box::pin(async move {
            digest.verify(&bytes)?;
            self.put_bytes(digest, bytes).await
        })
    }

    fn put_manifest<'a>(&'a self, manifest: &'a Manifest) -> BoxFuture<'a, Result<()>> {
        Box::pin(async move {
            self.put_bytes(&manifest.digest(), manifest.raw().to_vec())
                .await
        })
    }

    fn commit<'a>(&'a self, root: &'a Manifest) -> BoxFuture<'a, Result<Digest>> {
        Box::pin(async move {
            let digest = root.digest();
            self.put_bytes(&digest, root.raw().to_vec()).await?;
            let expected = match &self.kind {
                ArchiveKind::Docker { images, .. } => images.len().max(1),
                ArchiveKind::Oci { .. } => 1,
            };
            let complete = {
                let mut book = lock(&self.book)?;
                book.committed.push(root.clone());
                book.committed.len() >= expected
            };
            if !complete {
                // More images are coming; the archive is renamed into
                // place with the last one.
                return Ok(digest);
            }
            let temp = lock(&self.temp)?.take();
            let (tar, book) = (self.tar.clone(), self.book.clone());
            let kind = self.kind.clone();
            blocking(move || {
                let (Some(mut tar), Some(temp)) = (lock(&tar)?.take(), temp) else {
                    return Err(Error::io(
                        "writing an archive",
                        std::io::Error::other("already committed"),
                    ));
                };
                let entries = {
                    let book = lock(&book)?;
                    closing_entries(&kind, &book.committed, &book.written, temp.path())?
                };
                for (name, entry) in entries {
                    match entry {
                        Entry::File(bytes) => append(&mut tar, &name, &bytes)?,
                        Entry::Symlink(target) => append_symlink(&mut tar, &name, &target)?,
                    }
                }
                let file = tar
                    .into_inner()
                    .map_err(|e| Error::io("finishing the archive", e))?;
                temp.persist(file)
            })
            .await?;
            Ok(digest)
        })
    }
}

/// A blob range read through a hasher, so an archive entry is verified
/// as it is written.
struct VerifyingRange {
    reader: Box<dyn std::io::Read>,
    hasher: Option<crate::digest::Hasher>,
    expected: Digest,
}

impl VerifyingRange {
    fn new(file: &BlobFile, digest: &Digest) -> Result<Self> {
        Ok(VerifyingRange {
            reader: Box::new(file.open()?),
            hasher: Some(digest.algorithm().hasher()),
            expected: digest.clone(),
        })
    }

    fn finish(&mut self) -> Result<()> {
        let actual = self
            .hasher
            .take()
            .map(crate::digest::Hasher::finish)
            .ok_or_else(|| {
                Error::io("verifying a blob", std::io::Error::other("finished twice"))
            })?;
        if actual == self.expected {
            Ok(())
        } else {
            Err(Error::DigestMismatch {
                expected: self.expected.clone(),
                actual,
            })
        }
    }
}

impl std::io::Read for VerifyingRange {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.reader.read(buf)?;
        if let Some(h) = &mut self.hasher {
            h.update(&buf[..n]);
        }
        Ok(n)
    }
}
