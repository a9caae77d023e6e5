//! `Address` and `parse_address`.

use pyo3::prelude::*;

use crate::error::to_py;

/// Where an image is: `docker://REF` (or a bare `REF`), `oci:DIR[:NAME]`,
/// `oci-archive:FILE[:NAME]` or `docker-archive:FILE[:REF|:@INDEX]`.
///
/// `str(a)` gives the canonical text; addresses compare and hash by value.
#[pyclass(frozen, eq, hash, str, module = "tranship")]
#[derive(PartialEq, Eq, Hash)]
pub struct Address(tranship::transport::AddressReport);

#[pymethods]
impl Address {
    /// The transport: `docker`, `oci`, `oci-archive` or `docker-archive`.
    #[getter]
    fn transport(&self) -> &str {
        &self.0.transport
    }

    /// The directory or file, or None for a registry image.
    #[getter]
    fn path(&self) -> Option<&str> {
        self.0.path.as_deref()
    }

    /// The OCI image name (`org.opencontainers.image.ref.name`), or None.
    #[getter]
    fn name(&self) -> Option<&str> {
        self.0.name.as_deref()
    }

    /// The normalised reference of a registry image or a `docker-archive`
    /// tag, or None.
    #[getter]
    fn reference(&self) -> Option<&str> {
        self.0.reference.as_deref()
    }

    /// The position in a `docker-archive`'s `manifest.json` (`@N`), or None.
    #[getter]
    fn index(&self) -> Option<usize> {
        self.0.index
    }

    /// The canonical text, e.g. `docker://docker.io/library/alpine:latest`.
    #[getter]
    fn text(&self) -> &str {
        &self.0.text
    }

    fn __repr__(&self) -> String {
        format!("Address('{}')", self.0.text)
    }
}

impl std::fmt::Display for Address {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0.text)
    }
}

/// Parses an image address; raises `AddressError` (`INVALID_ADDRESS`), or
/// `ReferenceError` (`INVALID_REFERENCE`) when its reference is malformed.
#[pyfunction]
pub fn parse_address(text: &str) -> PyResult<Address> {
    let address: tranship::Address = text.parse().map_err(to_py)?;
    Ok(Address(address.report()))
}
