//! The `Registry` object: the core's registry client, every method
//! `suspend` in Kotlin and `async` in Swift, run in a tokio context.

mod options;
mod results;

use std::path::PathBuf;
use std::sync::Arc;

use tranship::copy::{CopyRequest, CopySettings};
use tranship::registry::{parse_address, registry_host, BlobSource, Client, ClientSettings};
use tranship::{Digest, MediaType, Platform, Reference};

pub use crate::records::{BlobSummary, CopySummary, Descriptor, ManifestHead, PushedBlob};
pub use options::{Login, RegistryOptions};
pub use results::FetchedManifest;

use crate::error::TranshipError;
use crate::manifest::Manifest;
use crate::progress::{sink, ProgressListener};
use crate::records::CheckReport;

/// A client for registries (the OCI distribution API). One client shares
/// its connections, tokens and concurrency limit between calls: make one
/// and reuse it; calls may run concurrently.
#[derive(uniffi::Object)]
pub struct Registry(Client);

impl std::fmt::Debug for Registry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Registry")
    }
}

fn address(text: &str) -> Result<Reference, TranshipError> {
    Ok(parse_address(text)?)
}

fn digest(text: &str) -> Result<Digest, TranshipError> {
    Ok(text.parse()?)
}

/// The digest of a blob about to be pushed: the one given, or computed
/// from its content on a blocking thread.
async fn blob_digest(
    given: Option<String>,
    source: BlobSource,
) -> Result<(Digest, BlobSource), TranshipError> {
    if let Some(text) = given {
        return Ok((digest(&text)?, source));
    }
    Ok(source.sha256().await?)
}

#[uniffi::export(async_runtime = "tokio")]
impl Registry {
    /// A client with these options; nothing is contacted yet. Fails with
    /// code `INVALID_CONFIG` or `IO` when `registriesConf` cannot be read.
    #[uniffi::constructor(default(options = None))]
    pub fn new(options: Option<RegistryOptions>) -> Result<Arc<Self>, TranshipError> {
        let settings = ClientSettings::from(options.unwrap_or_default());
        Ok(Arc::new(Registry(settings.client()?)))
    }

    /// Fetches the manifest `reference` names (`docker://REF` or `REF`),
    /// offering `accept` (every known manifest type when null); with
    /// `platform`, an index's entry for that platform instead.
    #[uniffi::method(default(accept = None, platform = None))]
    pub async fn get_manifest(
        &self,
        reference: String,
        accept: Option<Vec<String>>,
        platform: Option<String>,
    ) -> Result<FetchedManifest, TranshipError> {
        let reference = address(&reference)?;
        let accept: Vec<MediaType> = accept
            .unwrap_or_default()
            .iter()
            .map(|t| MediaType::from_content_type(t))
            .collect();
        let platform: Option<Platform> = platform.as_deref().map(str::parse).transpose()?;
        let resolved = self
            .0
            .resolve(&reference, &accept, platform.as_ref())
            .await?;
        Ok(resolved.into())
    }

    /// The manifest's digest, media type and size, from a HEAD request.
    pub async fn head_manifest(&self, reference: String) -> Result<ManifestHead, TranshipError> {
        let head = self.0.head_manifest(&address(&reference)?, &[]).await?;
        Ok(head.into())
    }

    /// The digest of the manifest `reference` names, checked to exist.
    pub async fn manifest_digest(&self, reference: String) -> Result<String, TranshipError> {
        let digest = self.0.manifest_digest(&address(&reference)?, &[]).await?;
        Ok(digest.to_string())
    }

    /// Uploads `manifest`'s exact bytes under the reference's tag (or
    /// digest); returns the digest.
    pub async fn put_manifest(
        &self,
        reference: String,
        manifest: Arc<Manifest>,
    ) -> Result<String, TranshipError> {
        let digest = self
            .0
            .put_manifest(&address(&reference)?, manifest.core())
            .await?;
        Ok(digest.to_string())
    }

    /// Deletes the manifest (a tag is resolved to its digest first);
    /// returns the deleted digest.
    pub async fn delete_manifest(&self, reference: String) -> Result<String, TranshipError> {
        let digest = self.0.delete_manifest(&address(&reference)?).await?;
        Ok(digest.to_string())
    }

    /// The blob's size when the repository has it, else null.
    pub async fn blob_exists(
        &self,
        reference: String,
        digest: String,
    ) -> Result<Option<u64>, TranshipError> {
        let (reference, blob) = (address(&reference)?, self::digest(&digest)?);
        Ok(self.0.blob_exists(&reference, &blob).await?)
    }

    /// The blob's bytes, verified against its digest.
    pub async fn get_blob(
        &self,
        reference: String,
        digest: String,
    ) -> Result<Vec<u8>, TranshipError> {
        let (reference, blob) = (address(&reference)?, self::digest(&digest)?);
        // The caller asked for the bytes in memory: no cap beyond that.
        Ok(self.0.get_blob_bytes(&reference, &blob, u64::MAX).await?)
    }

    /// Downloads the blob to `path`: verified, written under a temporary
    /// name and renamed when complete (a dropped connection is resumed
    /// where it stopped); nothing is left behind on failure.
    #[uniffi::method(default(progress = None))]
    pub async fn get_blob_to_file(
        &self,
        reference: String,
        digest: String,
        path: String,
        progress: Option<Arc<dyn ProgressListener>>,
    ) -> Result<(), TranshipError> {
        let (reference, blob) = (address(&reference)?, self::digest(&digest)?);
        self.0
            .with_progress(sink(progress))
            .get_blob_to_path(&reference, &blob, None, &PathBuf::from(path))
            .await?;
        Ok(())
    }

    /// Makes sure the repository has the blob `data`: it existed, was
    /// mounted from one of `mountFrom`, or was uploaded. `digest` is
    /// computed when null.
    #[uniffi::method(default(digest = None, mount_from = None, progress = None))]
    pub async fn push_blob(
        &self,
        reference: String,
        data: Vec<u8>,
        digest: Option<String>,
        mount_from: Option<Vec<String>>,
        progress: Option<Arc<dyn ProgressListener>>,
    ) -> Result<PushedBlob, TranshipError> {
        self.push(
            reference,
            BlobSource::Bytes(data),
            digest,
            mount_from,
            progress,
        )
        .await
    }

    /// `pushBlob` for the content of the file at `path`, streamed from
    /// disk.
    #[uniffi::method(default(digest = None, mount_from = None, progress = None))]
    pub async fn push_blob_file(
        &self,
        reference: String,
        path: String,
        digest: Option<String>,
        mount_from: Option<Vec<String>>,
        progress: Option<Arc<dyn ProgressListener>>,
    ) -> Result<PushedBlob, TranshipError> {
        let source = BlobSource::File(path.into());
        self.push(reference, source, digest, mount_from, progress)
            .await
    }

    /// The repository's tags, every page.
    pub async fn tags(&self, reference: String) -> Result<Vec<String>, TranshipError> {
        Ok(self.0.list_tags(&address(&reference)?).await?)
    }

    /// The registry's repositories (`host[:port]`), every page.
    pub async fn catalog(&self, host: String) -> Result<Vec<String>, TranshipError> {
        Ok(self.0.catalog(&registry_host(&host)).await?)
    }

    /// The manifests whose subject is `subjectDigest`, optionally only
    /// those of `artifactType` (the referrers API, or the tag schema's
    /// `sha256-<hex>` index when the registry has no such API).
    #[uniffi::method(default(artifact_type = None))]
    pub async fn referrers(
        &self,
        reference: String,
        subject_digest: String,
        artifact_type: Option<String>,
    ) -> Result<Vec<Descriptor>, TranshipError> {
        let (reference, subject) = (address(&reference)?, digest(&subject_digest)?);
        let found = self
            .0
            .referrers(&reference, &subject, artifact_type.as_deref())
            .await?;
        Ok(found.into_iter().map(Descriptor::from).collect())
    }

    /// Copies the image `source` names to `destination` (each
    /// `docker://REF` or `REF`, `oci:DIR[:NAME]`, `oci-archive:FILE[:NAME]`
    /// or `docker-archive:FILE[:NAME:TAG|:@INDEX]`), converting when
    /// `format` (`v2s1`, `v2s2` or `oci`) asks or the destination cannot
    /// hold the source's format. `platforms` or `all` choose what an
    /// index gives; `jobs` blobs move at once (default 4);
    /// `additionalTags` name a docker-archive's image too, `legacy` adds
    /// its pre-Docker 25 entries for old loaders; `signingKey`
    /// (a PEM or JWK file) or `unsigned` finish a schema1 result.
    /// Nothing is named at the destination unless the whole copy
    /// succeeds; cancelling the call stops it.
    #[uniffi::method(default(
        platforms = [],
        all = false,
        format = None,
        jobs = None,
        additional_tags = [],
        legacy = false,
        signing_key = None,
        unsigned = false,
        strip_missing = false,
        preserve_digests = false,
        referrers = None,
        compress_format = None,
        compress_level = None,
        progress = None
    ))]
    #[allow(clippy::too_many_arguments)]
    pub async fn copy(
        &self,
        source: String,
        destination: String,
        platforms: Vec<String>,
        all: bool,
        format: Option<String>,
        jobs: Option<u32>,
        additional_tags: Vec<String>,
        legacy: bool,
        signing_key: Option<String>,
        unsigned: bool,
        strip_missing: bool,
        preserve_digests: bool,
        referrers: Option<bool>,
        compress_format: Option<String>,
        compress_level: Option<i64>,
        progress: Option<Arc<dyn ProgressListener>>,
    ) -> Result<CopySummary, TranshipError> {
        let settings = CopySettings {
            platforms,
            all,
            format,
            jobs: jobs.map(|n| n as usize),
            additional_tags,
            legacy,
            signing_key: signing_key.map(Into::into),
            unsigned,
            strip_missing,
            preserve_digests,
            referrers,
            compress_format,
            compress_level,
        };
        let mut request = CopyRequest::from_settings(&source, &destination, &settings)?;
        request.options.progress = sink(progress);
        Ok(tranship::copy::copy(&request, &self.0).await?.into())
    }

    /// Checks that the image `address` names is whole there: every child
    /// of an index and every blob present, of its size and (layouts and
    /// archives always; registries with `full`) its digest. The report's
    /// `complete` is true only when nothing is missing or damaged.
    #[uniffi::method(default(full = false))]
    pub async fn check(&self, address: String, full: bool) -> Result<CheckReport, TranshipError> {
        let settings = tranship::check::CheckSettings {
            full,
            ..Default::default()
        };
        let request = tranship::check::CheckRequest::from_settings(&address, &settings)?;
        Ok(tranship::check::check(&request, &self.0).await?.into())
    }

    /// Copies several images into one docker-archive, like `docker save
    /// A B`: each named by its own source, shared blobs stored once, the
    /// archive renamed into place only when every image is in it. Takes
    /// `copy`'s options; returns a summary per image, in order.
    #[uniffi::method(default(
        platforms = [],
        all = false,
        format = None,
        jobs = None,
        legacy = false,
        signing_key = None,
        unsigned = false,
        strip_missing = false,
        preserve_digests = false,
        referrers = None,
        compress_format = None,
        compress_level = None,
        progress = None
    ))]
    #[allow(clippy::too_many_arguments)]
    pub async fn copy_all(
        &self,
        sources: Vec<String>,
        destination: String,
        platforms: Vec<String>,
        all: bool,
        format: Option<String>,
        jobs: Option<u32>,
        legacy: bool,
        signing_key: Option<String>,
        unsigned: bool,
        strip_missing: bool,
        preserve_digests: bool,
        referrers: Option<bool>,
        compress_format: Option<String>,
        compress_level: Option<i64>,
        progress: Option<Arc<dyn ProgressListener>>,
    ) -> Result<Vec<CopySummary>, TranshipError> {
        let settings = CopySettings {
            platforms,
            all,
            format,
            jobs: jobs.map(|n| n as usize),
            additional_tags: Vec::new(),
            legacy,
            signing_key: signing_key.map(Into::into),
            unsigned,
            strip_missing,
            preserve_digests,
            referrers,
            compress_format,
            compress_level,
        };
        let mut request = CopyRequest::for_sources(&sources, &destination, &settings)?;
        request.options.progress = sink(progress);
        let summaries = tranship::copy::copy_all(&request, &self.0).await?;
        Ok(summaries.into_iter().map(CopySummary::from).collect())
    }
}

impl Registry {
    async fn push(
        &self,
        reference: String,
        source: BlobSource,
        digest: Option<String>,
        mount_from: Option<Vec<String>>,
        progress: Option<Arc<dyn ProgressListener>>,
    ) -> Result<PushedBlob, TranshipError> {
        let reference = address(&reference)?;
        let mount_from = mount_from
            .unwrap_or_default()
            .iter()
            .map(|r| address(r))
            .collect::<Result<Vec<_>, _>>()?;
        let (blob, source) = blob_digest(digest, source).await?;
        let pushed = self
            .0
            .with_progress(sink(progress))
            .push_blob(&reference, &blob, source, &mount_from)
            .await?;
        Ok(pushed.into())
    }
}
