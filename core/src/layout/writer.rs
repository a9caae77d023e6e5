//! Writing one image into an OCI layout.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::{IndexJson, OCI_LAYOUT, REF_NAME};
use crate::digest::Digest;
use crate::error::{Error, Result};
use crate::fs::{write_atomically, AtomicFile};
use crate::image::referrers::{merged_index, schema_tag};
use crate::image::{
    blocking, copy_verified, BlobFile, BlobOutcome, BlobRef, BoxFuture, ImageDestination, Referrer,
};
use crate::limits::Limits;
use crate::manifest::Manifest;
use crate::media_type::MediaType;

/// An OCI layout being written: blobs land under their final names as
/// they arrive; `index.json` names the image only at
/// [`commit`](ImageDestination::commit).
pub struct LayoutDestination {
    dir: PathBuf,
    name: Option<String>,
    describe: String,
    /// Referrers stored, each with its subject, named at commit.
    referrers: Mutex<Vec<(Digest, Referrer)>>,
}

impl LayoutDestination {
    /// Opens (creating it when absent) the layout in `dir` to write the
    /// image `name` (`None`: an unnamed entry). A folder that exists, is
    /// not empty and has no `oci-layout` file is refused with `IO`, so a
    /// typo cannot scatter blobs into an unrelated folder.
    pub fn create(dir: &Path, name: Option<String>, describe: String) -> Result<Self> {
        let io = |what: &str, e| Error::io(format!("{what} {}", dir.display()), e);
        let marker = dir.join("oci-layout");
        if dir.is_dir() && !marker.is_file() {
            let mut entries = std::fs::read_dir(dir).map_err(|e| io("reading", e))?;
            if entries.next().is_some() {
                return Err(Error::io(
                    format!("writing an OCI layout into {}", dir.display()),
                    std::io::Error::new(
                        std::io::ErrorKind::AlreadyExists,
                        "the folder is not empty and holds no oci-layout file",
                    ),
                ));
            }
        }
        std::fs::create_dir_all(dir.join("blobs/sha256")).map_err(|e| io("creating", e))?;
        if !marker.is_file() {
            write_atomically(&marker, OCI_LAYOUT)?;
        }
        Ok(LayoutDestination {
            dir: dir.to_path_buf(),
            name,
            describe,
            referrers: Mutex::new(Vec::new()),
        })
    }

    /// Names the referrers stored in `index`: cosign's under their tags,
    /// the others listed in their subject's `<alg>-<hex>` index (merged
    /// with the one the layout holds).
    fn name_referrers(&self, index: &mut IndexJson) -> Result<()> {
        let referrers =
            std::mem::take(&mut *self.referrers.lock().unwrap_or_else(|p| p.into_inner()));
        let mut listed: Vec<(Digest, Vec<crate::descriptor::Descriptor>)> = Vec::new();
        for (subject, referrer) in referrers {
            match &referrer.tag {
                Some(tag) => {
                    let mut entry = referrer.descriptor.clone();
                    entry.annotations = [(REF_NAME.to_string(), tag.clone())].into();
                    index.put(entry);
                }
                None => match listed.iter_mut().find(|(s, _)| s == &subject) {
                    Some((_, list)) => list.push(referrer.descriptor),
                    None => listed.push((subject, vec![referrer.descriptor])),
                },
            }
        }
        for (subject, added) in listed {
            let tag = schema_tag(&subject);
            let existing = match index.named(&tag) {
                Some(entry) => {
                    let bytes = std::fs::read(self.blob_path(&entry.digest))
                        .map_err(|e| Error::io(format!("reading the referrers index {tag}"), e))?;
                    Some(Manifest::parse(
                        &bytes,
                        Some(entry.media_type.as_str()),
                        &Limits::default(),
                    )?)
                }
                None => None,
            };
            if let Some(merged) = merged_index(existing.as_ref(), &added, &Limits::default())? {
                let digest = merged.digest();
                self.write_blob(&digest, merged.raw())?;
                index.put(IndexJson::entry_for(
                    &merged,
                    &digest,
                    [(REF_NAME.to_string(), tag)],
                ));
            }
        }
        Ok(())
    }

    fn blob_path(&self, digest: &Digest) -> PathBuf {
        self.dir
            .join("blobs")
            .join(digest.algorithm().as_str())
            .join(digest.hex())
    }

    fn write_blob(&self, digest: &Digest, bytes: &[u8]) -> Result<()> {
        let path = self.blob_path(digest);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| Error::io(format!("creating {}", parent.display()), e))?;
        }
        write_atomically(&path, bytes)
    }
}

impl ImageDestination for LayoutDestination {
    fn describe(&self) -> String {
        self.describe.clone()
    }

    fn holds_indexes(&self) -> bool {
        true
    }

    fn accepts(&self, media_type: &MediaType) -> bool {
        super::holds(media_type)
    }

    fn staging_dir(&self) -> &Path {
        &self.dir
    }

    fn follows_fetches(&self) -> bool {
        // A finished staged blob is renamed into place: no second copy.
        false
    }

    fn reuse_blob<'a>(&'a self, blob: &'a BlobRef) -> BoxFuture<'a, Result<Option<BlobOutcome>>> {
        Box::pin(async move {
            let held = tokio::fs::metadata(self.blob_path(&blob.digest)).await;
            Ok(match (held, blob.size) {
                (Ok(m), Some(size)) if m.is_file() && m.len() == size => Some(BlobOutcome::Existed),
                (Ok(m), None) if m.is_file() => Some(BlobOutcome::Existed),
                _ => None,
            })
        })
    }

    fn put_blob<'a>(
        &'a self,
        digest: &'a Digest,
        file: BlobFile,
        owned: bool,
    ) -> BoxFuture<'a, Result<()>> {
        Box::pin(async move {
            let path = self.blob_path(digest);
            if let Some(parent) = path.parent() {
                tokio::fs::create_dir_all(parent)
                    .await
                    .map_err(|e| Error::io(format!("creating {}", parent.display()), e))?;
            }
            let temp = AtomicFile::beside(&path);
            if owned && file.offset == 0 {
                // A staged download, verified when fetched but not yet
                // synced: sync it, then move it.
                let sync = |e| Error::io(format!("syncing {}", file.path.display()), e);
                tokio::fs::File::open(&file.path)
                    .await
                    .map_err(sync)?
                    .sync_all()
                    .await
                    .map_err(sync)?;
                tokio::fs::rename(&file.path, temp.path())
                    .await
                    .map_err(|e| Error::io(format!("moving {}", file.path.display()), e))?;
                temp.rename_into_place_async().await
            } else {
                let expected = digest.clone();
                blocking(move || {
                    let mut out = temp.create()?;
                    copy_verified(&file, &expected, &mut out)?;
                    temp.persist(out)
                })
                .await
            }
        })
    }

    fn put_blob_bytes<'a>(
        &'a self,
        digest: &'a Digest,
        bytes: Vec<u8>,
    ) -> BoxFuture<'a, Result<()>> {
        Box::pin(async move {
            digest.verify(&bytes)?;
            self.write_blob(digest, &bytes)
        })
    }

    fn put_manifest<'a>(&'a self, manifest: &'a Manifest) -> BoxFuture<'a, Result<()>> {
        Box::pin(async move { self.write_blob(&manifest.digest(), manifest.raw()) })
    }

    fn commit<'a>(&'a self, root: &'a Manifest) -> BoxFuture<'a, Result<Digest>> {
        Box::pin(async move {
            let digest = root.digest();
            self.write_blob(&digest, root.raw())?;
            let index_path = self.dir.join("index.json");
            let mut index = match std::fs::read(&index_path) {
                Ok(bytes) => IndexJson::parse(&bytes)?,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => IndexJson::new(),
                Err(e) => return Err(Error::io(format!("reading {}", index_path.display()), e)),
            };
            let name = self.name.iter().map(|n| (REF_NAME.to_string(), n.clone()));
            index.put(IndexJson::entry_for(root, &digest, name));
            self.name_referrers(&mut index)?;
            write_atomically(&index_path, &index.to_bytes())?;
            Ok(digest)
        })
    }

    fn holds_referrers(&self) -> bool {
        true
    }

    fn put_referrer<'a>(
        &'a self,
        subject: &'a Digest,
        referrer: &'a Referrer,
        manifest: &'a Manifest,
    ) -> BoxFuture<'a, Result<()>> {
        Box::pin(async move {
            self.write_blob(&manifest.digest(), manifest.raw())?;
            self.referrers
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .push((subject.clone(), referrer.clone()));
            Ok(())
        })
    }
}
