//! `Platform`, `parse_platform` and `platform_matches`.

use pyo3::prelude::*;

use crate::error::to_py;

/// A normalised platform, `os[(os_version)]/arch[/variant]`.
///
/// `str(p)` gives the normalised text; platforms compare by value.
#[pyclass(frozen, eq, str, module = "tranship")]
#[derive(PartialEq)]
pub struct Platform(tranship::platform::PlatformReport);

#[pymethods]
impl Platform {
    /// Operating system, e.g. `linux`.
    #[getter]
    fn os(&self) -> &str {
        &self.0.os
    }

    /// CPU architecture, e.g. `arm64`.
    #[getter]
    fn architecture(&self) -> &str {
        &self.0.architecture
    }

    /// CPU variant, e.g. `v8`, or None.
    #[getter]
    fn variant(&self) -> Option<&str> {
        self.0.variant.as_deref()
    }

    /// Operating system version, e.g. `10.0.17763`, or None.
    #[getter]
    fn os_version(&self) -> Option<&str> {
        self.0.os_version.as_deref()
    }

    /// The normalised text, e.g. `linux/arm64/v8`.
    #[getter]
    fn text(&self) -> &str {
        &self.0.text
    }

    fn __repr__(&self) -> String {
        format!("Platform('{}')", self.0.text)
    }
}

impl std::fmt::Display for Platform {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0.text)
    }
}

fn parse(text: &str) -> PyResult<tranship::Platform> {
    text.parse().map_err(to_py)
}

/// Parses and normalises `os[(os_version)]/arch[/variant]`; raises
/// `PlatformError` (`INVALID_PLATFORM`).
#[pyfunction]
pub fn parse_platform(text: &str) -> PyResult<Platform> {
    Ok(Platform(parse(text)?.report()))
}

/// Whether the platform on offer (`have`) satisfies the one asked for
/// (`want`); raises `PlatformError` (`INVALID_PLATFORM`).
#[pyfunction]
pub fn platform_matches(want: &str, have: &str) -> PyResult<bool> {
    Ok(parse(want)?.matches(&parse(have)?))
}
