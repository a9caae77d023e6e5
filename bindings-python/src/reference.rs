//! `Reference` and `parse_reference`.

use pyo3::prelude::*;

use crate::error::to_py;

/// A parsed, normalised image reference such as
/// `docker.io/library/alpine:latest`.
///
/// `str(r)` gives the normalised full form; references compare and hash
/// by value.
#[pyclass(frozen, eq, hash, str, module = "tranship")]
#[derive(PartialEq, Eq, Hash)]
pub struct Reference(tranship::Reference);

#[pymethods]
impl Reference {
    /// The registry: `docker.io` for Docker Hub, otherwise `host[:port]`.
    #[getter]
    fn registry(&self) -> &str {
        self.0.registry()
    }

    /// The repository path, e.g. `library/alpine`.
    #[getter]
    fn repository(&self) -> &str {
        self.0.repository()
    }

    /// The tag (`latest` when neither tag nor digest was given), or None.
    #[getter]
    fn tag(&self) -> Option<&str> {
        self.0.tag()
    }

    /// The digest as `algorithm:hex`, or None.
    #[getter]
    fn digest(&self) -> Option<String> {
        self.0.digest().map(ToString::to_string)
    }

    /// `registry/repository`, e.g. `docker.io/library/alpine`.
    #[getter]
    fn name(&self) -> String {
        self.0.name()
    }

    /// The normalised full form, `registry/repository[:tag][@digest]`.
    #[getter]
    fn full(&self) -> String {
        self.0.to_string()
    }

    /// Docker's short form, e.g. `alpine:latest`.
    #[getter]
    fn familiar(&self) -> String {
        self.0.familiar()
    }

    /// The registry API's base URL, e.g. `https://registry-1.docker.io`.
    #[getter]
    fn endpoint(&self) -> String {
        self.0.endpoint()
    }

    /// Whether plain http may be used (loopback registries only).
    #[getter]
    fn plain_http(&self) -> bool {
        self.0.plain_http()
    }

    fn __repr__(&self) -> String {
        format!("Reference('{}')", self.0)
    }
}

impl std::fmt::Display for Reference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// Parses and normalises `[registry/]repository[:tag][@digest]`; raises
/// `ReferenceError` (`INVALID_REFERENCE`).
#[pyfunction]
pub fn parse_reference(text: &str) -> PyResult<Reference> {
    text.parse().map(Reference).map_err(to_py)
}
