//! `Digest` and `parse_digest`.

use pyo3::prelude::*;

use crate::error::to_py;

/// A content digest such as `sha256:2cf24d…`.
///
/// `str(d)` gives the `algorithm:hex` form; digests compare and hash by
/// value.
#[pyclass(frozen, eq, hash, str, module = "tranship")]
#[derive(PartialEq, Eq, Hash)]
pub struct Digest(tranship::Digest);

#[pymethods]
impl Digest {
    /// The algorithm: `sha256` or `sha512`.
    #[getter]
    fn algorithm(&self) -> &'static str {
        self.0.algorithm().as_str()
    }

    /// The lowercase hex encoding, without the `algorithm:` prefix.
    #[getter]
    fn hex(&self) -> &str {
        self.0.hex()
    }

    fn __repr__(&self) -> String {
        format!("Digest('{}')", self.0)
    }
}

impl std::fmt::Display for Digest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// Parses `algorithm:hex`; raises `DigestError` (`INVALID_DIGEST`).
#[pyfunction]
pub fn parse_digest(text: &str) -> PyResult<Digest> {
    text.parse().map(Digest).map_err(to_py)
}
