//! Python bindings for tranship: the native module `tranship._native`.
//!
//! Every function here converts Python arguments into core types, calls
//! the core, and converts the result (or the error, see [`error`]) back.
//! The `tranship` package in `python/tranship/` re-exports this module.

use pyo3::prelude::*;

mod address;
mod convert;
mod digest;
mod error;
mod manifest;
mod platform;
mod progress;
mod reference;
mod registry;
mod runtime;

/// Native half of the `tranship` package; import `tranship` instead.
#[pymodule]
mod _native {
    #[pymodule_export]
    use crate::address::{parse_address, Address};
    #[pymodule_export]
    use crate::convert::{compress_file, decompress_file, diff_id_file, Conversion};
    #[pymodule_export]
    use crate::digest::{parse_digest, Digest};
    #[pymodule_export]
    use crate::error::{
        AddressError, ArchiveError, ConversionError, DigestError, IOError, LayerError, LimitError,
        ManifestError, PlatformError, ReferenceError, RegistryError, TranshipError,
    };
    #[pymodule_export]
    use crate::manifest::{parse_manifest, Limits, Manifest};
    #[pymodule_export]
    use crate::platform::{parse_platform, platform_matches, Platform};
    #[pymodule_export]
    use crate::reference::{parse_reference, Reference};
    #[pymodule_export]
    use crate::registry::{FetchedManifest, ManifestHead, PushedBlob, Registry};

    use pyo3::prelude::*;

    /// `tranship.aio.Registry`, kept here as `AsyncRegistry` beside the
    /// blocking `Registry`.
    #[pymodule_init]
    fn init(module: &Bound<'_, PyModule>) -> PyResult<()> {
        module.add(
            "AsyncRegistry",
            module.py().get_type::<crate::registry::AsyncRegistry>(),
        )
    }
}
