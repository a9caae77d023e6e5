//! The `Registry` class: the core's registry client, every method a
//! Promise run on napi's tokio runtime, so the JavaScript thread stays
//! free while bytes move.
//!
//! Arguments are read inside the Promise: a bad reference or digest
//! rejects (with `code`) like any other failure.

mod options;
mod results;

use std::path::PathBuf;

use napi::bindgen_prelude::{PromiseRaw, Uint8Array};
use napi::Env;
use napi_derive::napi;
use tranship::copy::CopyRequest;
use tranship::registry::{parse_address, registry_host, BlobSource, Client, ClientSettings};
use tranship::{Digest, MediaType, Platform, Reference};

pub use crate::records::{BlobSummary, CopySummary, Descriptor, ManifestHead, PushedBlob};
pub use options::{
    CallOptions, CheckOptions, CopyOptions, GetManifestOptions, Login, PushBlobOptions,
    RegistryOptions, TransferOptions,
};
pub use results::FetchedManifest;

use crate::background::promise;
use crate::error::{to_js, Result};
use crate::manifest::Manifest;
use crate::progress::Sink;
use crate::records::CheckReport;

/// A client for registries (the OCI distribution API). One client shares
/// its connections, tokens and concurrency limit between calls: make one
/// and reuse it; calls may run concurrently.
#[napi]
pub struct Registry(Client);

fn digest(text: &str) -> tranship::Result<Digest> {
    text.parse()
}

fn addresses(texts: &[String]) -> tranship::Result<Vec<Reference>> {
    texts.iter().map(|t| parse_address(t)).collect()
}

/// The digest of a blob about to be pushed: the one given, or computed
/// from its content on a blocking thread.
async fn blob_digest(
    given: Option<String>,
    source: BlobSource,
) -> tranship::Result<(Digest, BlobSource)> {
    if let Some(text) = given {
        return Ok((digest(&text)?, source));
    }
    source.sha256().await
}

#[napi]
impl Registry {
    /// A client with these options; nothing is contacted yet. Throws with
    /// `code` `INVALID_CONFIG` or `IO` when `registriesConf` cannot be read.
    #[napi(constructor)]
    pub fn new(options: Option<RegistryOptions>) -> Result<Self> {
        let settings = ClientSettings::from(options.unwrap_or_default());
        Ok(Registry(settings.client().map_err(to_js)?))
    }

    /// Fetches the manifest `reference` names (`docker://REF` or `REF`);
    /// with `platform`, an index's entry for that platform instead.
    #[napi]
    pub fn get_manifest<'env>(
        &self,
        env: &'env Env,
        reference: String,
        options: Option<GetManifestOptions>,
    ) -> napi::Result<PromiseRaw<'env, FetchedManifest>> {
        let client = self.0.clone();
        let mut options = options.unwrap_or_default();
        let signal = options.signal.take();
        let work = async move {
            let reference = parse_address(&reference)?;
            let accept: Vec<MediaType> = options
                .accept
                .unwrap_or_default()
                .iter()
                .map(|t| MediaType::from_content_type(t))
                .collect();
            let platform: Option<Platform> =
                options.platform.as_deref().map(str::parse).transpose()?;
            client.resolve(&reference, &accept, platform.as_ref()).await
        };
        promise(env, signal, work, FetchedManifest::from)
    }

    /// The manifest's digest, media type and size, from a HEAD request.
    #[napi]
    pub fn head_manifest<'env>(
        &self,
        env: &'env Env,
        reference: String,
        options: Option<CallOptions>,
    ) -> napi::Result<PromiseRaw<'env, ManifestHead>> {
        let signal = options.and_then(|o| o.signal);
        let client = self.0.clone();
        let work = async move { client.head_manifest(&parse_address(&reference)?, &[]).await };
        promise(env, signal, work, ManifestHead::from)
    }

    /// The digest of the manifest `reference` names, checked to exist.
    #[napi]
    pub fn manifest_digest<'env>(
        &self,
        env: &'env Env,
        reference: String,
        options: Option<CallOptions>,
    ) -> napi::Result<PromiseRaw<'env, String>> {
        let signal = options.and_then(|o| o.signal);
        let client = self.0.clone();
        let work = async move {
            client
                .manifest_digest(&parse_address(&reference)?, &[])
                .await
        };
        promise(env, signal, work, |d| d.to_string())
    }

    /// Uploads `manifest`'s exact bytes under the reference's tag (or
    /// digest); resolves with the digest.
    #[napi]
    pub fn put_manifest<'env>(
        &self,
        env: &'env Env,
        reference: String,
        manifest: &Manifest,
        options: Option<CallOptions>,
    ) -> napi::Result<PromiseRaw<'env, String>> {
        let signal = options.and_then(|o| o.signal);
        let client = self.0.clone();
        let manifest = manifest.core().clone();
        let work = async move {
            client
                .put_manifest(&parse_address(&reference)?, &manifest)
                .await
        };
        promise(env, signal, work, |d| d.to_string())
    }

    /// Deletes the manifest (a tag is resolved to its digest first);
    /// resolves with the deleted digest.
    #[napi]
    pub fn delete_manifest<'env>(
        &self,
        env: &'env Env,
        reference: String,
        options: Option<CallOptions>,
    ) -> napi::Result<PromiseRaw<'env, String>> {
        let signal = options.and_then(|o| o.signal);
        let client = self.0.clone();
        let work = async move { client.delete_manifest(&parse_address(&reference)?).await };
        promise(env, signal, work, |d| d.to_string())
    }

    /// The blob's size when the repository has it, else `null`.
    #[napi(ts_return_type = "Promise<number | null>")]
    pub fn blob_exists<'env>(
        &self,
        env: &'env Env,
        reference: String,
        digest: String,
        options: Option<CallOptions>,
    ) -> napi::Result<PromiseRaw<'env, Option<f64>>> {
        let signal = options.and_then(|o| o.signal);
        let client = self.0.clone();
        let work = async move {
            let (reference, blob) = (parse_address(&reference)?, self::digest(&digest)?);
            client.blob_exists(&reference, &blob).await
        };
        promise(env, signal, work, |size| size.map(|s| s as f64))
    }

    /// The blob's bytes, verified against its digest.
    #[napi]
    pub fn get_blob<'env>(
        &self,
        env: &'env Env,
        reference: String,
        digest: String,
        options: Option<CallOptions>,
    ) -> napi::Result<PromiseRaw<'env, napi::bindgen_prelude::Buffer>> {
        let signal = options.and_then(|o| o.signal);
        let client = self.0.clone();
        let work = async move {
            let (reference, blob) = (parse_address(&reference)?, self::digest(&digest)?);
            // The caller asked for the bytes in memory: no cap beyond that.
            client.get_blob_bytes(&reference, &blob, u64::MAX).await
        };
        promise(env, signal, work, napi::bindgen_prelude::Buffer::from)
    }

    /// Downloads the blob to `path`: verified, written under a temporary
    /// name and renamed when complete (a dropped connection is resumed
    /// where it stopped); nothing is left behind on failure.
    #[napi(ts_return_type = "Promise<void>")]
    pub fn get_blob_to_file<'env>(
        &self,
        env: &'env Env,
        reference: String,
        digest: String,
        path: String,
        options: Option<TransferOptions>,
    ) -> napi::Result<PromiseRaw<'env, ()>> {
        let options = options.unwrap_or_default();
        let (progress, signal) = (Sink::new(options.progress), options.signal);
        let client = self.0.with_progress(progress.sink.clone());
        let work = async move {
            let result = async {
                let (reference, blob) = (parse_address(&reference)?, self::digest(&digest)?);
                client
                    .get_blob_to_path(&reference, &blob, None, &PathBuf::from(path))
                    .await
            }
            .await;
            drop(client);
            progress.delivered().await;
            result.map(|_| ())
        };
        promise(env, signal, work, |()| ())
    }

    /// Makes sure the repository has the blob `data`: it existed, was
    /// mounted from one of `mountFrom`, or was uploaded.
    #[napi]
    pub fn push_blob<'env>(
        &self,
        env: &'env Env,
        reference: String,
        data: Uint8Array,
        options: Option<PushBlobOptions>,
    ) -> napi::Result<PromiseRaw<'env, PushedBlob>> {
        push(
            &self.0,
            env,
            reference,
            BlobSource::Bytes(data.to_vec()),
            options,
        )
    }

    /// `pushBlob` for the content of the file at `path`, streamed from
    /// disk.
    #[napi]
    pub fn push_blob_file<'env>(
        &self,
        env: &'env Env,
        reference: String,
        path: String,
        options: Option<PushBlobOptions>,
    ) -> napi::Result<PromiseRaw<'env, PushedBlob>> {
        push(
            &self.0,
            env,
            reference,
            BlobSource::File(path.into()),
            options,
        )
    }

    /// The repository's tags, every page.
    #[napi]
    pub fn tags<'env>(
        &self,
        env: &'env Env,
        reference: String,
        options: Option<CallOptions>,
    ) -> napi::Result<PromiseRaw<'env, Vec<String>>> {
        let signal = options.and_then(|o| o.signal);
        let client = self.0.clone();
        let work = async move { client.list_tags(&parse_address(&reference)?).await };
        promise(env, signal, work, |tags| tags)
    }

    /// The registry's repositories (`host[:port]`), every page.
    #[napi]
    pub fn catalog<'env>(
        &self,
        env: &'env Env,
        host: String,
        options: Option<CallOptions>,
    ) -> napi::Result<PromiseRaw<'env, Vec<String>>> {
        let signal = options.and_then(|o| o.signal);
        let client = self.0.clone();
        let work = async move { client.catalog(&registry_host(&host)).await };
        promise(env, signal, work, |repositories| repositories)
    }

    /// The manifests whose subject is `subjectDigest`, optionally only
    /// those of `artifactType` (the referrers API, or the tag schema's
    /// `sha256-<hex>` index when the registry has no such API).
    #[napi]
    pub fn referrers<'env>(
        &self,
        env: &'env Env,
        reference: String,
        subject_digest: String,
        artifact_type: Option<String>,
        options: Option<CallOptions>,
    ) -> napi::Result<PromiseRaw<'env, Vec<Descriptor>>> {
        let signal = options.and_then(|o| o.signal);
        let client = self.0.clone();
        let work = async move {
            let (reference, subject) = (parse_address(&reference)?, digest(&subject_digest)?);
            client
                .referrers(&reference, &subject, artifact_type.as_deref())
                .await
        };
        promise(env, signal, work, |found| {
            found.into_iter().map(Descriptor::from).collect::<Vec<_>>()
        })
    }

    /// Copies the image `source` names to `destination` (each
    /// `docker://REF` or `REF`, `oci:DIR[:NAME]`, `oci-archive:FILE[:NAME]`
    /// or `docker-archive:FILE[:NAME:TAG|:@INDEX]`), converting when
    /// `format` asks or the destination cannot hold the source's format.
    /// Nothing is named at the destination unless the whole copy
    /// succeeds.
    #[napi]
    pub fn copy<'env>(
        &self,
        env: &'env Env,
        source: String,
        destination: String,
        options: Option<CopyOptions>,
    ) -> napi::Result<PromiseRaw<'env, CopySummary>> {
        let (settings, progress, signal) = options.unwrap_or_default().into_settings();
        let (client, sink) = (self.0.clone(), progress.sink.clone());
        let work = async move {
            let result = async {
                let mut request = CopyRequest::from_settings(&source, &destination, &settings)?;
                request.options.progress = sink;
                tranship::copy::copy(&request, &client).await
            }
            .await;
            progress.delivered().await;
            result
        };
        promise(env, signal, work, CopySummary::from)
    }

    /// Checks that the image `address` names is whole there: every child
    /// of an index and every blob present, of its size and (layouts and
    /// archives always; registries with `full`) its digest. The report's
    /// `complete` is true only when nothing is missing or damaged.
    #[napi]
    pub fn check<'env>(
        &self,
        env: &'env Env,
        address: String,
        options: Option<CheckOptions>,
    ) -> napi::Result<PromiseRaw<'env, CheckReport>> {
        let options = options.unwrap_or_default();
        let settings = tranship::check::CheckSettings {
            full: options.full.unwrap_or_default(),
            ..Default::default()
        };
        let client = self.0.clone();
        let work = async move {
            let request = tranship::check::CheckRequest::from_settings(&address, &settings)?;
            tranship::check::check(&request, &client).await
        };
        promise(env, options.signal, work, CheckReport::from)
    }

    /// Copies several images into one docker-archive, like `docker save
    /// A B`: each named by its own source, shared blobs stored once, the
    /// archive renamed into place only when every image is in it. Takes
    /// `copy`'s options; resolves to a summary per image, in order.
    #[napi]
    pub fn copy_all<'env>(
        &self,
        env: &'env Env,
        sources: Vec<String>,
        destination: String,
        options: Option<CopyOptions>,
    ) -> napi::Result<PromiseRaw<'env, Vec<CopySummary>>> {
        let (settings, progress, signal) = options.unwrap_or_default().into_settings();
        let (client, sink) = (self.0.clone(), progress.sink.clone());
        let work = async move {
            let result = async {
                let mut request = CopyRequest::for_sources(&sources, &destination, &settings)?;
                request.options.progress = sink;
                tranship::copy::copy_all(&request, &client).await
            }
            .await;
            progress.delivered().await;
            result
        };
        promise(env, signal, work, |all| {
            all.into_iter().map(CopySummary::from).collect::<Vec<_>>()
        })
    }
}

/// `pushBlob` and `pushBlobFile`.
fn push<'env>(
    client: &Client,
    env: &'env Env,
    reference: String,
    source: BlobSource,
    options: Option<PushBlobOptions>,
) -> napi::Result<PromiseRaw<'env, PushedBlob>> {
    let options = options.unwrap_or_default();
    let (progress, signal) = (Sink::new(options.progress), options.signal);
    let client = client.with_progress(progress.sink.clone());
    let (given, mount_from) = (options.digest, options.mount_from.unwrap_or_default());
    let work = async move {
        let result = async {
            let reference = parse_address(&reference)?;
            let mount_from = addresses(&mount_from)?;
            let (blob, source) = blob_digest(given, source).await?;
            client
                .push_blob(&reference, &blob, source, &mount_from)
                .await
        }
        .await;
        drop(client);
        progress.delivered().await;
        result
    };
    promise(env, signal, work, PushedBlob::from)
}
