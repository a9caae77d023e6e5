//! `Conversion` (what `Manifest.convert` returns), the signing and digest
//! arguments of conversions, and `diff_id_file`.

use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict};
use pythonize::pythonize;

use crate::error::to_py;
use crate::manifest::Manifest;

/// The outcome of `Manifest.convert`.
#[pyclass(frozen, module = "tranship")]
pub struct Conversion {
    pub(crate) manifest: Py<Manifest>,
    pub(crate) config: Option<Vec<u8>>,
    pub(crate) report: tranship::convert::ConversionReport,
}

#[pymethods]
impl Conversion {
    /// The converted manifest.
    #[getter]
    fn manifest(&self, py: Python<'_>) -> Py<Manifest> {
        self.manifest.clone_ref(py)
    }

    /// A config blob the conversion created (store it beside the
    /// manifest), or None when the config is unchanged or there is none.
    #[getter]
    fn config<'py>(&self, py: Python<'py>) -> Option<Bound<'py, PyBytes>> {
        self.config.as_deref().map(|c| PyBytes::new(py, c))
    }

    /// Which digests changed and what was lost, as a dict.
    #[getter]
    fn report<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(pythonize(py, &self.report)?)
    }
}

pub(crate) fn digest(text: &str) -> PyResult<tranship::Digest> {
    text.parse().map_err(to_py)
}

/// The digests of a layer blob file: `{"diff_id", "digest", "compression",
/// "size", "uncompressed_size"}` (`compression` is `none`, `gzip`, `zstd`,
/// `bzip2` or `xz`). Other Python threads run while it reads the file.
#[pyfunction]
pub fn diff_id_file<'py>(
    py: Python<'py>,
    path: std::path::PathBuf,
) -> PyResult<Bound<'py, PyDict>> {
    // Decompressing and hashing the whole blob runs without the GIL.
    let l = py
        .detach(|| tranship::layer::diff_id_file(path, &tranship::layer::DiffIdOptions::default()))
        .map_err(to_py)?;
    let result = PyDict::new(py);
    result.set_item("diff_id", l.diff_id.to_string())?;
    result.set_item("digest", l.compressed.to_string())?;
    result.set_item("compression", l.compression.as_str())?;
    result.set_item("size", l.compressed_size)?;
    result.set_item("uncompressed_size", l.uncompressed_size)?;
    Ok(result)
}
