//! What registry calls return: `FetchedManifest`, `ManifestHead`,
//! `PushedBlob`, referrers as descriptor dicts, and a copy's summary as
//! a dict.
//!
//! Each is built from the core's value once the call is done; the ones
//! holding a `Manifest` are made with the GIL held, by `IntoPyObject`.

use pyo3::prelude::*;
use pyo3::types::PyDict;
use pythonize::pythonize;
use tranship::registry::Resolved;

use crate::manifest::Manifest;

/// A manifest as a registry served it.
#[pyclass(frozen, module = "tranship")]
pub struct FetchedManifest {
    /// The manifest, with the exact bytes received.
    #[pyo3(get)]
    manifest: Py<Manifest>,
    /// Its verified digest, `algorithm:hex`.
    #[pyo3(get)]
    digest: String,
    /// The `Content-Type` the registry sent, or None.
    #[pyo3(get)]
    content_type: Option<String>,
    /// The reference it was fetched with: by digest when a platform was
    /// chosen from an index.
    #[pyo3(get)]
    reference: String,
    /// The digest of the index the platform was chosen from, or None.
    #[pyo3(get)]
    index_digest: Option<String>,
    /// The chosen index entry's platform, or None.
    #[pyo3(get)]
    platform: Option<String>,
}

#[pymethods]
impl FetchedManifest {
    fn __repr__(&self) -> String {
        format!(
            "FetchedManifest(reference='{}', digest='{}', content_type={})",
            self.reference,
            self.digest,
            py_repr(&self.content_type)
        )
    }
}

/// The core's [`Resolved`], turned into a `FetchedManifest` with the GIL.
pub(crate) struct Fetched(pub(crate) Resolved);

impl<'py> IntoPyObject<'py> for Fetched {
    type Target = FetchedManifest;
    type Output = Bound<'py, FetchedManifest>;
    type Error = PyErr;

    fn into_pyobject(self, py: Python<'py>) -> PyResult<Self::Output> {
        let Resolved {
            fetched,
            reference,
            from_index,
        } = self.0;
        let (index_digest, platform) = match from_index {
            Some(choice) => (Some(choice.index_digest), Some(choice.platform)),
            None => (None, None),
        };
        Bound::new(
            py,
            FetchedManifest {
                manifest: Py::new(py, Manifest::from(fetched.manifest))?,
                digest: fetched.digest.to_string(),
                content_type: fetched.content_type,
                reference: reference.to_string(),
                index_digest,
                platform,
            },
        )
    }
}

/// What a HEAD request tells about a manifest; each field None when the
/// registry does not say.
#[pyclass(frozen, eq, module = "tranship")]
#[derive(PartialEq)]
pub struct ManifestHead {
    /// The digest the registry reports.
    #[pyo3(get)]
    digest: Option<String>,
    /// The media type the registry reports.
    #[pyo3(get)]
    media_type: Option<String>,
    /// The size in bytes.
    #[pyo3(get)]
    size: Option<u64>,
}

#[pymethods]
impl ManifestHead {
    fn __repr__(&self) -> String {
        format!(
            "ManifestHead(digest={}, media_type={}, size={})",
            py_repr(&self.digest),
            py_repr(&self.media_type),
            self.size.map_or("None".into(), |s| s.to_string())
        )
    }
}

impl From<tranship::registry::ManifestHead> for ManifestHead {
    fn from(head: tranship::registry::ManifestHead) -> Self {
        ManifestHead {
            digest: head.digest.map(|d| d.to_string()),
            media_type: head.media_type.map(|m| m.as_str().to_string()),
            size: head.size,
        }
    }
}

/// A blob the repository now has, and how it came there.
#[pyclass(frozen, eq, module = "tranship")]
#[derive(PartialEq)]
pub struct PushedBlob {
    /// The blob's digest.
    #[pyo3(get)]
    digest: String,
    /// Its size in bytes.
    #[pyo3(get)]
    size: u64,
    /// `existed`, `mounted` (from another repository) or `uploaded`.
    #[pyo3(get)]
    outcome: &'static str,
}

#[pymethods]
impl PushedBlob {
    fn __repr__(&self) -> String {
        format!(
            "PushedBlob(digest='{}', size={}, outcome='{}')",
            self.digest, self.size, self.outcome
        )
    }
}

impl From<tranship::registry::PushedBlob> for PushedBlob {
    fn from(pushed: tranship::registry::PushedBlob) -> Self {
        PushedBlob {
            digest: pushed.digest.to_string(),
            size: pushed.size,
            outcome: pushed.outcome.as_str(),
        }
    }
}

/// A referrer as a dict: `media_type`, `digest`, `size`, `artifact_type`
/// and `annotations`.
pub(crate) struct Referrer(pub(crate) tranship::Descriptor);

impl<'py> IntoPyObject<'py> for Referrer {
    type Target = PyDict;
    type Output = Bound<'py, PyDict>;
    type Error = PyErr;

    fn into_pyobject(self, py: Python<'py>) -> PyResult<Self::Output> {
        let d = self.0;
        let dict = PyDict::new(py);
        dict.set_item("media_type", d.media_type.as_str())?;
        dict.set_item("digest", d.digest.to_string())?;
        dict.set_item("size", d.size)?;
        dict.set_item("artifact_type", d.artifact_type)?;
        dict.set_item("annotations", d.annotations)?;
        Ok(dict)
    }
}

/// A core result as a dict with the keys of the CLI's `--json` output
/// (without `kind`): what `Registry.copy` (a copy summary),
/// `Registry.copy_all` (a list of them) and `Registry.check` (a check
/// report) return.
pub(crate) struct Serialized<T>(pub(crate) T);

impl<'py, T: serde::Serialize> IntoPyObject<'py> for Serialized<T> {
    type Target = PyAny;
    type Output = Bound<'py, PyAny>;
    type Error = PyErr;

    fn into_pyobject(self, py: Python<'py>) -> PyResult<Self::Output> {
        Ok(pythonize(py, &self.0)?)
    }
}

/// `'text'` or `None`, as Python's `repr` writes them (the texts here
/// are references, digests and media types: no quotes or backslashes).
fn py_repr(text: &Option<String>) -> String {
    text.as_ref()
        .map_or_else(|| "None".into(), |t| format!("'{t}'"))
}
