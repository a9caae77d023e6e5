//! `Registry` (blocking calls that release the GIL) and its asyncio twin
//! `tranship.aio.Registry` (native name `AsyncRegistry`): the same
//! constructor and methods over one core `Client`, every call run on the
//! process-wide runtime (see `runtime`).

mod operations;
mod results;

use std::collections::HashMap;
use std::path::PathBuf;

use pyo3::prelude::*;
use tranship::copy::CopySettings;
use tranship::registry::{BlobSource, Client, ClientSettings, Credential};

use crate::error::to_py;
use crate::manifest::Manifest;
use crate::runtime::{awaitable, blocking};

pub use results::{FetchedManifest, ManifestHead, PushedBlob};

/// The client the constructor's keyword arguments describe.
#[allow(clippy::too_many_arguments)]
fn client(
    credentials: Option<HashMap<String, (String, String)>>,
    authfile: Option<PathBuf>,
    registries_conf: Option<PathBuf>,
    insecure: Option<Vec<String>>,
    cert_dirs: Option<HashMap<String, PathBuf>>,
    max_concurrent_requests: Option<usize>,
    chunk_size: Option<u64>,
) -> PyResult<Client> {
    let credentials = credentials
        .unwrap_or_default()
        .into_iter()
        .map(|(registry, (username, password))| {
            (registry, Credential::Basic { username, password })
        })
        .collect();
    ClientSettings {
        credentials,
        authfile,
        registries_conf,
        insecure: insecure.unwrap_or_default(),
        cert_dirs: cert_dirs.unwrap_or_default().into_iter().collect(),
        max_concurrent_requests,
        chunk_size,
        ..ClientSettings::default()
    }
    .client()
    .map_err(to_py)
}

/// The constructor and methods of a registry class; `$run` hands each
/// call's future to Python (`blocking` or `awaitable`).
macro_rules! registry_methods {
    ($class:ident, $run:ident) => {
        #[pymethods]
        impl $class {
            #[new]
            #[pyo3(signature = (*, credentials=None, authfile=None, registries_conf=None, insecure=None, cert_dirs=None, max_concurrent_requests=None, chunk_size=None))]
            #[allow(clippy::too_many_arguments)]
            fn new(
                credentials: Option<HashMap<String, (String, String)>>,
                authfile: Option<PathBuf>,
                registries_conf: Option<PathBuf>,
                insecure: Option<Vec<String>>,
                cert_dirs: Option<HashMap<String, PathBuf>>,
                max_concurrent_requests: Option<usize>,
                chunk_size: Option<u64>,
            ) -> PyResult<Self> {
                Ok($class(client(
                    credentials,
                    authfile,
                    registries_conf,
                    insecure,
                    cert_dirs,
                    max_concurrent_requests,
                    chunk_size,
                )?))
            }

            /// Fetches the manifest `reference` names, offering `accept`
            /// (media types; every known one when None); when it is an
            /// index and `platform` is given, that platform's manifest.
            #[pyo3(signature = (reference, accept=None, platform=None))]
            fn get_manifest(
                &self,
                py: Python<'_>,
                reference: &str,
                accept: Option<Vec<String>>,
                platform: Option<&str>,
            ) -> PyResult<Py<PyAny>> {
                $run(py, operations::get_manifest(&self.0, reference, accept, platform)?)
            }

            /// A manifest's digest, media type and size, from a HEAD request.
            fn head_manifest(&self, py: Python<'_>, reference: &str) -> PyResult<Py<PyAny>> {
                $run(py, operations::head_manifest(&self.0, reference)?)
            }

            /// The digest of the manifest `reference` names, checked to exist.
            fn manifest_digest(&self, py: Python<'_>, reference: &str) -> PyResult<Py<PyAny>> {
                $run(py, operations::manifest_digest(&self.0, reference)?)
            }

            /// Uploads the manifest's exact bytes under the reference's tag
            /// (or digest); returns the digest.
            fn put_manifest(
                &self,
                py: Python<'_>,
                reference: &str,
                manifest: PyRef<'_, Manifest>,
            ) -> PyResult<Py<PyAny>> {
                $run(py, operations::put_manifest(&self.0, reference, &manifest)?)
            }

            /// Deletes a manifest (a tag is resolved to its digest first);
            /// returns the deleted digest.
            fn delete_manifest(&self, py: Python<'_>, reference: &str) -> PyResult<Py<PyAny>> {
                $run(py, operations::delete_manifest(&self.0, reference)?)
            }

            /// The blob's size when the repository has it, else None.
            fn blob_exists(
                &self,
                py: Python<'_>,
                reference: &str,
                digest: &str,
            ) -> PyResult<Py<PyAny>> {
                $run(py, operations::blob_exists(&self.0, reference, digest)?)
            }

            /// A blob's bytes, verified against `digest`.
            fn get_blob(
                &self,
                py: Python<'_>,
                reference: &str,
                digest: &str,
            ) -> PyResult<Py<PyAny>> {
                $run(py, operations::get_blob(&self.0, reference, digest)?)
            }

            /// Downloads a blob to `path`, verified, resuming a dropped
            /// connection; nothing is left behind on failure.
            #[pyo3(signature = (reference, digest, path, progress=None))]
            fn get_blob_to_file(
                &self,
                py: Python<'_>,
                reference: &str,
                digest: &str,
                path: PathBuf,
                progress: Option<Py<PyAny>>,
            ) -> PyResult<Py<PyAny>> {
                let call =
                    operations::get_blob_to_file(&self.0, reference, digest, path, progress)?;
                $run(py, call)
            }

            /// Makes sure the repository has the blob `data`: it existed,
            /// was mounted from one of `mount_from`, or is uploaded.
            #[pyo3(signature = (reference, data, digest=None, mount_from=None, progress=None))]
            fn push_blob(
                &self,
                py: Python<'_>,
                reference: &str,
                data: Vec<u8>,
                digest: Option<&str>,
                mount_from: Option<Vec<String>>,
                progress: Option<Py<PyAny>>,
            ) -> PyResult<Py<PyAny>> {
                let source = BlobSource::Bytes(data);
                let call = operations::push_blob(
                    &self.0, reference, source, digest, mount_from, progress,
                )?;
                $run(py, call)
            }

            /// `push_blob` for a file, streamed from disk.
            #[pyo3(signature = (reference, path, digest=None, mount_from=None, progress=None))]
            fn push_blob_file(
                &self,
                py: Python<'_>,
                reference: &str,
                path: PathBuf,
                digest: Option<&str>,
                mount_from: Option<Vec<String>>,
                progress: Option<Py<PyAny>>,
            ) -> PyResult<Py<PyAny>> {
                let source = BlobSource::File(path);
                let call = operations::push_blob(
                    &self.0, reference, source, digest, mount_from, progress,
                )?;
                $run(py, call)
            }

            /// The repository's tags.
            fn tags(&self, py: Python<'_>, reference: &str) -> PyResult<Py<PyAny>> {
                $run(py, operations::tags(&self.0, reference)?)
            }

            /// The repositories of the registry `host`.
            fn catalog(&self, py: Python<'_>, host: &str) -> PyResult<Py<PyAny>> {
                $run(py, operations::catalog(&self.0, host)?)
            }

            /// The manifests whose subject is `subject_digest`, optionally
            /// only those of `artifact_type`, as descriptor dicts.
            #[pyo3(signature = (reference, subject_digest, artifact_type=None))]
            fn referrers(
                &self,
                py: Python<'_>,
                reference: &str,
                subject_digest: &str,
                artifact_type: Option<String>,
            ) -> PyResult<Py<PyAny>> {
                let call =
                    operations::referrers(&self.0, reference, subject_digest, artifact_type)?;
                $run(py, call)
            }

            /// Copies the image `source` names to `destination` (each
            /// `docker://REF` or `REF`, `oci:DIR[:NAME]`,
            /// `oci-archive:FILE[:NAME]` or
            /// `docker-archive:FILE[:NAME:TAG|:@INDEX]`), converting when
            /// `format` asks or the destination cannot hold the source's;
            /// returns the summary as a dict. Nothing is named at the
            /// destination unless the whole copy succeeds.
            #[pyo3(signature = (source, destination, *, platforms=None, all=false, format=None, jobs=None, additional_tags=None, legacy=false, signing_key=None, unsigned=false, strip_missing=false, preserve_digests=false, referrers=None, compress_format=None, compress_level=None, progress=None))]
            #[allow(clippy::too_many_arguments)]
            fn copy(
                &self,
                py: Python<'_>,
                source: &str,
                destination: &str,
                platforms: Option<Vec<String>>,
                all: bool,
                format: Option<String>,
                jobs: Option<usize>,
                additional_tags: Option<Vec<String>>,
                legacy: bool,
                signing_key: Option<PathBuf>,
                unsigned: bool,
                strip_missing: bool,
                preserve_digests: bool,
                referrers: Option<bool>,
                compress_format: Option<String>,
                compress_level: Option<i64>,
                progress: Option<Py<PyAny>>,
            ) -> PyResult<Py<PyAny>> {
                let settings = CopySettings {
                    platforms: platforms.unwrap_or_default(),
                    all,
                    format,
                    jobs,
                    additional_tags: additional_tags.unwrap_or_default(),
                    legacy,
                    signing_key,
                    unsigned,
                    strip_missing,
                    preserve_digests,
                    referrers,
                    compress_format,
                    compress_level,
                };
                let call = operations::copy(&self.0, source, destination, &settings, progress)?;
                $run(py, call)
            }

            /// Checks that the image `address` names is whole there:
            /// every child of an index and every blob present, of its
            /// size and (layouts and archives always; registries with
            /// `full`) its digest. Returns the report as a dict; its
            /// `complete` is true only when nothing is missing or damaged.
            #[pyo3(signature = (address, *, full=false))]
            fn check(&self, py: Python<'_>, address: &str, full: bool) -> PyResult<Py<PyAny>> {
                let call = operations::check(&self.0, address, full)?;
                $run(py, call)
            }

            /// Copies several images into one docker-archive, like
            /// `docker save A B`: each named by its own source, shared
            /// blobs stored once, the archive renamed into place only
            /// when every image is in it. Takes `copy`'s options;
            /// returns a summary dict per image, in order.
            #[pyo3(signature = (sources, destination, *, platforms=None, all=false, format=None, jobs=None, legacy=false, signing_key=None, unsigned=false, strip_missing=false, preserve_digests=false, referrers=None, compress_format=None, compress_level=None, progress=None))]
            #[allow(clippy::too_many_arguments)]
            fn copy_all(
                &self,
                py: Python<'_>,
                sources: Vec<String>,
                destination: &str,
                platforms: Option<Vec<String>>,
                all: bool,
                format: Option<String>,
                jobs: Option<usize>,
                legacy: bool,
                signing_key: Option<PathBuf>,
                unsigned: bool,
                strip_missing: bool,
                preserve_digests: bool,
                referrers: Option<bool>,
                compress_format: Option<String>,
                compress_level: Option<i64>,
                progress: Option<Py<PyAny>>,
            ) -> PyResult<Py<PyAny>> {
                let settings = CopySettings {
                    platforms: platforms.unwrap_or_default(),
                    all,
                    format,
                    jobs,
                    additional_tags: Vec::new(),
                    legacy,
                    signing_key,
                    unsigned,
                    strip_missing,
                    preserve_digests,
                    referrers,
                    compress_format,
                    compress_level,
                };
                let call = operations::copy_all(&self.0, sources, destination, &settings, progress)?;
                $run(py, call)
            }
        }
    };
}

/// A registry client: credentials, TLS and concurrency settings, pooled
/// connections and tokens. Methods block, with the GIL released, until
/// done; share one instance between threads.
#[pyclass(frozen, module = "tranship")]
pub struct Registry(Client);

registry_methods!(Registry, blocking);

/// `tranship.Registry` with asyncio methods: each returns an asyncio
/// future of the running event loop.
#[pyclass(frozen, name = "Registry", module = "tranship.aio")]
pub struct AsyncRegistry(Client);

registry_methods!(AsyncRegistry, awaitable);
