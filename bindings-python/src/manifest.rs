//! `Manifest` (inspect, digest, verify, select, convert, negotiate),
//! `Limits` and `parse_manifest`.
//!
//! Reports are the core's serde records turned into plain Python values
//! (dicts, lists, str, int, bool, None) with the keys of the CLI's
//! `--json` output.

use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict};
use pythonize::pythonize;

use std::collections::HashMap;

use tranship::convert::negotiate::{NegotiateSettings, Negotiation};
use tranship::convert::{ConvertOptions, ConvertSettings, KeySource};

use crate::convert::Conversion;
use crate::error::to_py;

/// Caps that keep hostile input harmless; fields left out keep their
/// defaults (4 MiB manifests and configs, 1000 layers, 1000 index
/// entries, JSON nesting 64, 16 signatures); a negative value raises
/// `ManifestError` (`INVALID_CONFIG`).
#[pyclass(frozen, eq, module = "tranship")]
#[derive(PartialEq)]
pub struct Limits(tranship::Limits);

#[pymethods]
impl Limits {
    #[new]
    #[pyo3(signature = (*, max_manifest_bytes=None, max_config_bytes=None, max_layers=None, max_children=None, max_json_depth=None, max_signatures=None))]
    fn new(
        max_manifest_bytes: Option<i64>,
        max_config_bytes: Option<i64>,
        max_layers: Option<i64>,
        max_children: Option<i64>,
        max_json_depth: Option<i64>,
        max_signatures: Option<i64>,
    ) -> PyResult<Self> {
        let settings = tranship::LimitSettings {
            max_manifest_bytes,
            max_config_bytes,
            max_layers,
            max_children,
            max_json_depth,
            max_signatures,
        };
        tranship::Limits::from_settings(&settings)
            .map(Limits)
            .map_err(to_py)
    }

    /// Largest manifest accepted, in bytes.
    #[getter]
    fn max_manifest_bytes(&self) -> u64 {
        self.0.max_manifest_bytes
    }

    /// Largest image config accepted, in bytes.
    #[getter]
    fn max_config_bytes(&self) -> u64 {
        self.0.max_config_bytes
    }

    /// Most layers (or schema1 `fsLayers`) in one manifest.
    #[getter]
    fn max_layers(&self) -> u64 {
        self.0.max_layers
    }

    /// Most entries in one index or manifest list.
    #[getter]
    fn max_children(&self) -> u64 {
        self.0.max_children
    }

    /// Deepest JSON nesting accepted.
    #[getter]
    fn max_json_depth(&self) -> u64 {
        self.0.max_json_depth
    }

    /// Most signatures on a signed schema1 manifest.
    #[getter]
    fn max_signatures(&self) -> u64 {
        self.0.max_signatures
    }

    fn __repr__(&self) -> String {
        let l = &self.0;
        format!(
            "Limits(max_manifest_bytes={}, max_config_bytes={}, max_layers={}, max_children={}, max_json_depth={}, max_signatures={})",
            l.max_manifest_bytes, l.max_config_bytes, l.max_layers, l.max_children, l.max_json_depth, l.max_signatures
        )
    }
}

/// A manifest of any generation, parsed from its exact bytes.
#[pyclass(frozen, module = "tranship")]
pub struct Manifest(tranship::manifest::Manifest);

impl Manifest {
    /// The core manifest.
    pub(crate) fn core(&self) -> &tranship::manifest::Manifest {
        &self.0
    }
}

impl From<tranship::manifest::Manifest> for Manifest {
    fn from(m: tranship::manifest::Manifest) -> Self {
        Manifest(m)
    }
}

#[pymethods]
impl Manifest {
    /// The exact bytes the manifest was read from.
    #[getter]
    fn raw<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, self.0.raw())
    }

    /// The bytes the digest covers: the raw bytes, or for signed schema1
    /// the JWS payload.
    #[getter]
    fn payload<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, self.0.payload())
    }

    /// The inspection report: format, media type, digest, size, config,
    /// layers, index entries, signatures, … as a dict.
    fn report<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(pythonize(py, &self.0.report())?)
    }

    /// The manifest digest, `algorithm:hex` (signed schema1: of the JWS
    /// payload); `algorithm` is `sha256` (default) or `sha512`.
    #[pyo3(signature = (algorithm=None))]
    fn digest(&self, algorithm: Option<&str>) -> PyResult<String> {
        let algorithm = match algorithm {
            Some(a) => a.parse().map_err(to_py)?,
            None => tranship::Algorithm::Sha256,
        };
        Ok(self.0.digest_with(algorithm).to_string())
    }

    /// Verifies every schema1 signature and returns the signers as
    /// `[{"alg", "key_id"}]`; raises `ManifestError`
    /// (`INVALID_SIGNATURE`) when unsigned or any signature fails.
    fn verify_signatures<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let signers = self.0.verify_signatures().map_err(to_py)?;
        Ok(pythonize(py, &signers)?)
    }

    /// Chooses the index entry for `platform`: returns `{"index",
    /// "media_type", "digest", "size", "platform"}`; raises
    /// `PlatformError` (`PLATFORM_NOT_FOUND`, `INVALID_PLATFORM`).
    fn select_platform<'py>(&self, py: Python<'py>, platform: &str) -> PyResult<Bound<'py, PyAny>> {
        let want: tranship::Platform = platform.parse().map_err(to_py)?;
        let (index, entry) = self.0.select_platform(&want).map_err(to_py)?;
        let entry = tranship::manifest::IndexEntryReport::from(entry);
        let selection = pythonize(py, &entry)?.cast_into::<PyDict>()?;
        selection.set_item("index", index)?;
        Ok(selection.into_any())
    }

    /// Converts to `to` (`v2s1`, `v2s2` or `oci`). `config` is the source
    /// config, `blobs` a blob store folder, `diff_ids` and `layer_sizes`
    /// are keyed by layer digest; schema1 needs `name` and `tag` and is
    /// signed with `signing_key` (PEM or JWK), a fresh key, or not at all
    /// when `unsigned`.
    #[pyo3(signature = (to, *, config=None, blobs=None, diff_ids=None, layer_sizes=None, reencode_config=false, name=None, tag=None, unsigned=false, signing_key=None))]
    #[allow(clippy::too_many_arguments)]
    fn convert(
        &self,
        py: Python<'_>,
        to: &str,
        config: Option<Vec<u8>>,
        blobs: Option<std::path::PathBuf>,
        diff_ids: Option<HashMap<String, String>>,
        layer_sizes: Option<HashMap<String, i64>>,
        reencode_config: bool,
        name: Option<&str>,
        tag: Option<&str>,
        unsigned: bool,
        signing_key: Option<&[u8]>,
    ) -> PyResult<Conversion> {
        let opts = ConvertOptions::from_settings(&ConvertSettings {
            to: to.into(),
            config,
            blobs,
            diff_ids: diff_ids.unwrap_or_default().into_iter().collect(),
            layer_sizes: layer_sizes.unwrap_or_default().into_iter().collect(),
            reencode_config,
            name: name.map(Into::into),
            tag: tag.map(Into::into),
            unsigned,
            signing_key: signing_key.map(|key| KeySource::Bytes(key.to_vec())),
            limits: tranship::LimitSettings::default(),
        })
        .map_err(to_py)?;
        // Reading blobs and computing diff_ids may take long: let other
        // Python threads run meanwhile.
        let c = py
            .detach(|| tranship::convert::convert(&self.0, &opts))
            .map_err(to_py)?;
        Ok(Conversion {
            manifest: Py::new(py, Manifest::from(c.manifest))?,
            config: c.config,
            report: c.report,
        })
    }

    /// What a registry serves for this stored manifest and request: a
    /// dict with `body` (bytes), `content_type`, `digest`, `etag`,
    /// `converted`, `selected`, `needs_empty_layer` and `report`.
    /// `contents` are the configs, child manifests and blobs the registry
    /// holds; a schema1 conversion is signed as in `convert`.
    #[pyo3(signature = (accept, *, by_digest=false, name="", tag="", contents=Vec::new(), unsigned=false, signing_key=None))]
    #[allow(clippy::too_many_arguments)]
    fn negotiate<'py>(
        &self,
        py: Python<'py>,
        accept: Vec<String>,
        by_digest: bool,
        name: &str,
        tag: &str,
        contents: Vec<Vec<u8>>,
        unsigned: bool,
        signing_key: Option<&[u8]>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let settings = NegotiateSettings {
            accept,
            by_digest,
            name: name.into(),
            tag: tag.into(),
            contents,
            unsigned,
            signing_key: signing_key.map(|k| KeySource::Bytes(k.to_vec())),
        };
        // Hashing the contents and converting run without the GIL.
        let served = py
            .detach(|| Negotiation::from_settings(settings)?.serve(&self.0))
            .map_err(to_py)?;
        let result = pythonize(py, &served)?.cast_into::<PyDict>()?;
        result.set_item("body", PyBytes::new(py, &served.bytes))?;
        Ok(result.into_any())
    }
}

/// Parses a manifest from its exact bytes. `content_type` is the
/// `Content-Type` it came with, if any; raises `ManifestError`,
/// `LimitError` or `DigestError` when the document is refused.
#[pyfunction]
#[pyo3(signature = (data, content_type=None, limits=None))]
pub fn parse_manifest(
    data: &[u8],
    content_type: Option<&str>,
    limits: Option<&Limits>,
) -> PyResult<Manifest> {
    let limits = limits.map(|l| l.0).unwrap_or_default();
    tranship::manifest::Manifest::parse(data, content_type, &limits)
        .map(Manifest)
        .map_err(to_py)
}
