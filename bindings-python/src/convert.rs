//! `Conversion` (what `Manifest.convert` returns), the signing and digest
//! arguments of conversions, and the layer functions (`diff_id_file`,
//! `compress_file`, `decompress_file`).

use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict};
use pythonize::pythonize;

use tranship::layer::{CompressOptions, CompressSettings, DiffIdOptions, LayerDigests};

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
        .detach(|| tranship::layer::diff_id_file(path, &DiffIdOptions::default()))
        .map_err(to_py)?;
    layer_dict(py, &l)
}

/// Compresses the layer file `input` (plain tar, or compressed: it is
/// decoded first) into `output` as gzip (default, level 1) or zstd
/// (level 3), written whole or not at all; returns `diff_id_file`'s dict
/// for the new blob. The same input, format and level give the same
/// bytes on every machine and for any `threads`.
#[pyfunction]
#[pyo3(signature = (input, output, *, format=None, level=None, threads=None))]
pub fn compress_file<'py>(
    py: Python<'py>,
    input: std::path::PathBuf,
    output: std::path::PathBuf,
    format: Option<String>,
    level: Option<i64>,
    threads: Option<u64>,
) -> PyResult<Bound<'py, PyDict>> {
    let opts = CompressOptions::from_settings(&CompressSettings {
        format,
        level,
        threads,
        ..CompressSettings::default()
    })
    .map_err(to_py)?;
    let l = py
        .detach(|| tranship::layer::compress_file(input, output, &opts))
        .map_err(to_py)?;
    layer_dict(py, &l)
}

/// Decompresses the layer blob file `input` into the tar `output`,
/// written whole or not at all; returns `diff_id_file`'s dict for it.
#[pyfunction]
pub fn decompress_file<'py>(
    py: Python<'py>,
    input: std::path::PathBuf,
    output: std::path::PathBuf,
) -> PyResult<Bound<'py, PyDict>> {
    let l = py
        .detach(|| tranship::layer::decompress_file(input, output, &DiffIdOptions::default()))
        .map_err(to_py)?;
    layer_dict(py, &l)
}

/// A layer's digests as a dict.
fn layer_dict<'py>(py: Python<'py>, l: &LayerDigests) -> PyResult<Bound<'py, PyDict>> {
    let result = PyDict::new(py);
    result.set_item("diff_id", l.diff_id.to_string())?;
    result.set_item("digest", l.compressed.to_string())?;
    result.set_item("compression", l.compression.as_str())?;
    result.set_item("size", l.compressed_size)?;
    result.set_item("uncompressed_size", l.uncompressed_size)?;
    Ok(result)
}
