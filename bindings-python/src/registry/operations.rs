//! Each registry method as a future of the core's result: the arguments
//! are read (and refused) while the caller holds the GIL, the future owns
//! everything it needs and runs on the shared runtime.

use std::future::Future;
use std::path::PathBuf;

use pyo3::prelude::*;
use tranship::copy::{CopyRequest, CopySettings};
use tranship::registry::{parse_address, registry_host, BlobSource, Client};
use tranship::{MediaType, Platform, Reference};

use super::results::{Fetched, ManifestHead, PushedBlob, Referrer, Serialized};
use crate::convert::digest;
use crate::error::to_py;
use crate::manifest::Manifest;
use crate::progress::sink;

/// A call's future: `Send`, owning its arguments.
pub(crate) trait Call<T>: Future<Output = tranship::Result<T>> + Send + 'static {}
impl<T, F: Future<Output = tranship::Result<T>> + Send + 'static> Call<T> for F {}

fn address(text: &str) -> PyResult<Reference> {
    parse_address(text).map_err(to_py)
}

fn addresses(texts: Option<Vec<String>>) -> PyResult<Vec<Reference>> {
    texts
        .unwrap_or_default()
        .iter()
        .map(|t| address(t))
        .collect()
}

pub(crate) fn get_manifest(
    client: &Client,
    reference: &str,
    accept: Option<Vec<String>>,
    platform: Option<&str>,
) -> PyResult<impl Call<Fetched>> {
    let (client, reference) = (client.clone(), address(reference)?);
    let accept: Vec<MediaType> = accept
        .unwrap_or_default()
        .iter()
        .map(|t| MediaType::from_content_type(t))
        .collect();
    let platform: Option<Platform> = platform.map(str::parse).transpose().map_err(to_py)?;
    Ok(async move {
        let resolved = client
            .resolve(&reference, &accept, platform.as_ref())
            .await?;
        Ok(Fetched(resolved))
    })
}

pub(crate) fn head_manifest(client: &Client, reference: &str) -> PyResult<impl Call<ManifestHead>> {
    let (client, reference) = (client.clone(), address(reference)?);
    Ok(async move { Ok(client.head_manifest(&reference, &[]).await?.into()) })
}

pub(crate) fn manifest_digest(client: &Client, reference: &str) -> PyResult<impl Call<String>> {
    let (client, reference) = (client.clone(), address(reference)?);
    Ok(async move { Ok(client.manifest_digest(&reference, &[]).await?.to_string()) })
}

pub(crate) fn put_manifest(
    client: &Client,
    reference: &str,
    manifest: &Manifest,
) -> PyResult<impl Call<String>> {
    let (client, reference) = (client.clone(), address(reference)?);
    let manifest = manifest.core().clone();
    Ok(async move {
        Ok(client
            .put_manifest(&reference, &manifest)
            .await?
            .to_string())
    })
}

pub(crate) fn delete_manifest(client: &Client, reference: &str) -> PyResult<impl Call<String>> {
    let (client, reference) = (client.clone(), address(reference)?);
    Ok(async move { Ok(client.delete_manifest(&reference).await?.to_string()) })
}

pub(crate) fn blob_exists(
    client: &Client,
    reference: &str,
    blob: &str,
) -> PyResult<impl Call<Option<u64>>> {
    let (client, reference, blob) = (client.clone(), address(reference)?, digest(blob)?);
    Ok(async move { client.blob_exists(&reference, &blob).await })
}

pub(crate) fn get_blob(
    client: &Client,
    reference: &str,
    blob: &str,
) -> PyResult<impl Call<Vec<u8>>> {
    let (client, reference, blob) = (client.clone(), address(reference)?, digest(blob)?);
    // The caller asked for the bytes in memory: no cap beyond that.
    Ok(async move { client.get_blob_bytes(&reference, &blob, u64::MAX).await })
}

pub(crate) fn get_blob_to_file(
    client: &Client,
    reference: &str,
    blob: &str,
    path: PathBuf,
    progress: Option<Py<PyAny>>,
) -> PyResult<impl Call<()>> {
    let client = client.with_progress(sink(progress));
    let (reference, blob) = (address(reference)?, digest(blob)?);
    Ok(async move {
        client
            .get_blob_to_path(&reference, &blob, None, &path)
            .await?;
        Ok(())
    })
}

/// `push_blob` and `push_blob_file`; the digest, when not given, is
/// computed on a blocking thread.
pub(crate) fn push_blob(
    client: &Client,
    reference: &str,
    source: BlobSource,
    blob: Option<&str>,
    mount_from: Option<Vec<String>>,
    progress: Option<Py<PyAny>>,
) -> PyResult<impl Call<PushedBlob>> {
    let client = client.with_progress(sink(progress));
    let reference = address(reference)?;
    let blob = blob.map(digest).transpose()?;
    let mount_from = addresses(mount_from)?;
    Ok(async move {
        let (source, blob) = match blob {
            Some(blob) => (source, blob),
            None => {
                let (blob, source) = source.sha256().await?;
                (source, blob)
            }
        };
        let pushed = client
            .push_blob(&reference, &blob, source, &mount_from)
            .await?;
        Ok(pushed.into())
    })
}

pub(crate) fn tags(client: &Client, reference: &str) -> PyResult<impl Call<Vec<String>>> {
    let (client, reference) = (client.clone(), address(reference)?);
    Ok(async move { client.list_tags(&reference).await })
}

pub(crate) fn catalog(client: &Client, host: &str) -> PyResult<impl Call<Vec<String>>> {
    let (client, host) = (client.clone(), registry_host(host));
    Ok(async move { client.catalog(&host).await })
}

pub(crate) fn referrers(
    client: &Client,
    reference: &str,
    subject_digest: &str,
    artifact_type: Option<String>,
) -> PyResult<impl Call<Vec<Referrer>>> {
    let (client, reference) = (client.clone(), address(reference)?);
    let subject = digest(subject_digest)?;
    Ok(async move {
        let found = client
            .referrers(&reference, &subject, artifact_type.as_deref())
            .await?;
        Ok(found.into_iter().map(Referrer).collect())
    })
}

/// `copy`: every choice is read and checked by the core's
/// `CopyRequest::from_settings` before the call starts.
pub(crate) fn copy(
    client: &Client,
    source: &str,
    destination: &str,
    settings: &CopySettings,
    progress: Option<Py<PyAny>>,
) -> PyResult<impl Call<Serialized<tranship::copy::CopySummary>>> {
    let mut request = CopyRequest::from_settings(source, destination, settings).map_err(to_py)?;
    request.options.progress = sink(progress);
    let client = client.clone();
    Ok(async move { Ok(Serialized(tranship::copy::copy(&request, &client).await?)) })
}

/// `Registry.check`: the request is checked before the call starts.
pub(crate) fn check(
    client: &Client,
    address: &str,
    full: bool,
) -> PyResult<impl Call<Serialized<tranship::check::CheckReport>>> {
    let settings = tranship::check::CheckSettings {
        full,
        ..Default::default()
    };
    let request =
        tranship::check::CheckRequest::from_settings(address, &settings).map_err(to_py)?;
    let client = client.clone();
    Ok(async move { Ok(Serialized(tranship::check::check(&request, &client).await?)) })
}

/// `Registry.copy_all`: several sources into one docker-archive, a
/// summary each.
pub(crate) fn copy_all(
    client: &Client,
    sources: Vec<String>,
    destination: &str,
    settings: &CopySettings,
    progress: Option<Py<PyAny>>,
) -> PyResult<impl Call<Serialized<Vec<tranship::copy::CopySummary>>>> {
    let mut request = CopyRequest::for_sources(&sources, destination, settings).map_err(to_py)?;
    request.options.progress = sink(progress);
    let client = client.clone();
    Ok(async move {
        Ok(Serialized(
            tranship::copy::copy_all(&request, &client).await?,
        ))
    })
}
