//! A registry repository as an image source and destination.

use std::path::{Path, PathBuf};

use super::upload::BlobSource;
use super::Client;
use crate::digest::Digest;
use crate::error::{Error, Result};
use crate::image::referrers::{cosign_tags, merged_index, schema_tag};
use crate::image::{
    BlobFile, BlobOutcome, BlobRef, BoxFuture, Growth, ImageDestination, ImageSource, Referrer,
};
use crate::limits::Limits;
use crate::manifest::Manifest;
use crate::media_type::MediaType;
use crate::reference::Reference;

/// Reads an image (or index) from a registry.
pub struct RegistrySource {
    client: Client,
    reference: Reference,
}

impl RegistrySource {
    /// The image `reference` names, read through `client`.
    pub fn new(client: Client, reference: Reference) -> Self {
        RegistrySource { client, reference }
    }
}

impl ImageSource for RegistrySource {
    fn describe(&self) -> String {
        format!("docker://{}", self.reference)
    }

    fn root(&self) -> BoxFuture<'_, Result<Manifest>> {
        Box::pin(async move {
            Ok(self
                .client
                .get_manifest(&self.reference, &[])
                .await?
                .manifest)
        })
    }

    fn manifest<'a>(&'a self, digest: &'a Digest) -> BoxFuture<'a, Result<Manifest>> {
        Box::pin(async move {
            let child = self.reference.by_digest(digest.clone());
            Ok(self.client.get_manifest(&child, &[]).await?.manifest)
        })
    }

    fn local_blob(&self, _blob: &BlobRef) -> Result<Option<BlobFile>> {
        Ok(None)
    }

    fn blob_size<'a>(&'a self, blob: &'a BlobRef) -> BoxFuture<'a, Result<Option<u64>>> {
        Box::pin(self.client.blob_exists(&self.reference, &blob.digest))
    }

    fn fetch_blob<'a>(
        &'a self,
        blob: &'a BlobRef,
        path: &'a Path,
        growth: &'a Growth,
    ) -> BoxFuture<'a, Result<u64>> {
        Box::pin(async move {
            self.client
                .get_blob_to_staging(&self.reference, &blob.digest, blob.size, path, growth)
                .await
        })
    }

    fn referrers<'a>(&'a self, subject: &'a Digest) -> BoxFuture<'a, Result<Vec<Referrer>>> {
        Box::pin(async move {
            let mut found: Vec<Referrer> = self
                .client
                .referrers(&self.reference, subject, None)
                .await?
                .into_iter()
                .map(|descriptor| Referrer {
                    descriptor,
                    tag: None,
                })
                .collect();
            for tag in cosign_tags(subject) {
                match self
                    .client
                    .get_manifest(&self.reference.with_tag(&tag), &[])
                    .await
                {
                    Ok(got) => found.push(Referrer {
                        descriptor: crate::layout::IndexJson::entry_for(
                            &got.manifest,
                            &got.digest,
                            [],
                        ),
                        tag: Some(tag),
                    }),
                    Err(Error::ManifestUnknown { .. } | Error::NameUnknown { .. }) => {}
                    Err(e) => return Err(e),
                }
            }
            Ok(found)
        })
    }
}

/// Writes an image (or index) into a registry repository; the tag is
/// pushed last, once every blob and child manifest is there.
pub struct RegistryDestination {
    client: Client,
    reference: Reference,
    mount_from: Vec<Reference>,
    staging: StagingDir,
}

impl RegistryDestination {
    /// Writes to `reference`'s repository and tag (or digest), mounting
    /// blobs from `mount_from` (repositories of the same registry) when
    /// they hold them.
    pub fn new(client: Client, reference: Reference, mount_from: Vec<Reference>) -> Result<Self> {
        Ok(RegistryDestination {
            client,
            reference,
            mount_from,
            staging: StagingDir::new()?,
        })
    }
}

impl ImageDestination for RegistryDestination {
    fn describe(&self) -> String {
        format!("docker://{}", self.reference)
    }

    fn holds_indexes(&self) -> bool {
        true
    }

    fn accepts(&self, _media_type: &MediaType) -> bool {
        true
    }

    fn staging_dir(&self) -> &Path {
        &self.staging.0
    }

    fn follows_fetches(&self) -> bool {
        // Uploaded as it arrives.
        true
    }

    fn compresses_layers(&self) -> bool {
        true
    }

    fn reuse_blob<'a>(&'a self, blob: &'a BlobRef) -> BoxFuture<'a, Result<Option<BlobOutcome>>> {
        Box::pin(async move {
            if self
                .client
                .blob_exists(&self.reference, &blob.digest)
                .await?
                .is_some()
            {
                return Ok(Some(BlobOutcome::Existed));
            }
            for from in &self.mount_from {
                if self
                    .client
                    .mount_blob(&self.reference, &blob.digest, from)
                    .await?
                {
                    return Ok(Some(BlobOutcome::Mounted));
                }
            }
            Ok(None)
        })
    }

    fn put_blob<'a>(
        &'a self,
        digest: &'a Digest,
        file: BlobFile,
        owned: bool,
    ) -> BoxFuture<'a, Result<()>> {
        Box::pin(async move {
            let staged = owned.then(|| file.path.clone());
            let source = BlobSource::Part(file);
            let pushed = self
                .client
                .push_blob(&self.reference, digest, source, &[])
                .await;
            if let Some(path) = staged {
                let _ = tokio::fs::remove_file(path).await;
            }
            pushed.map(|_| ())
        })
    }

    fn put_blob_bytes<'a>(
        &'a self,
        digest: &'a Digest,
        bytes: Vec<u8>,
    ) -> BoxFuture<'a, Result<()>> {
        Box::pin(async move {
            self.client
                .push_blob(&self.reference, digest, BlobSource::Bytes(bytes), &[])
                .await
                .map(|_| ())
        })
    }

    fn put_manifest<'a>(&'a self, manifest: &'a Manifest) -> BoxFuture<'a, Result<()>> {
        Box::pin(async move {
            let child = self.reference.by_digest(manifest.digest());
            self.client.put_manifest(&child, manifest).await.map(|_| ())
        })
    }

    fn commit<'a>(&'a self, root: &'a Manifest) -> BoxFuture<'a, Result<Digest>> {
        Box::pin(async move { self.client.put_manifest(&self.reference, root).await })
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
            let by_digest = self.reference.by_digest(manifest.digest());
            self.client.put_manifest(&by_digest, manifest).await?;
            if let Some(tag) = &referrer.tag {
                let tagged = self.reference.with_tag(tag);
                return self
                    .client
                    .put_manifest(&tagged, manifest)
                    .await
                    .map(|_| ());
            }
            let listed = self
                .client
                .referrers_api(&self.reference, subject, None)
                .await?;
            if listed.is_some() {
                // The registry lists it by its subject.
                return Ok(());
            }
            let tagged = self.reference.with_tag(&schema_tag(subject));
            let existing = match self
                .client
                .get_manifest(&tagged, &[MediaType::OciIndex])
                .await
            {
                Ok(got) => Some(got.manifest),
                Err(Error::ManifestUnknown { .. }) => None,
                Err(e) => return Err(e),
            };
            let descriptor = std::slice::from_ref(&referrer.descriptor);
            if let Some(index) = merged_index(existing.as_ref(), descriptor, &Limits::default())? {
                self.client.put_manifest(&tagged, &index).await?;
            }
            Ok(())
        })
    }
}

/// A private temporary folder, removed with everything in it when dropped.
struct StagingDir(PathBuf);

impl StagingDir {
    fn new() -> Result<Self> {
        use std::sync::atomic::{AtomicU64, Ordering};
        static N: AtomicU64 = AtomicU64::new(0);
        let dir = std::env::temp_dir().join(format!(
            "tranship-copy-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir)
            .map_err(|e| Error::io(format!("creating {}", dir.display()), e))?;
        Ok(StagingDir(dir))
    }
}

impl Drop for StagingDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
