//! The one place where core errors become Python exceptions.
//!
//! Every exception derives from `tranship.TranshipError` and carries the
//! core's stable code in `.code`. Each core error family
//! (`tranship::error::ErrorFamily`, whose table `CODES` gives every code
//! its family) is one class, so callers can catch a whole kind of failure:
//!
//! | class             | family       |
//! |-------------------|--------------|
//! | `ReferenceError`  | `Reference`  |
//! | `AddressError`    | `Address`    |
//! | `DigestError`     | `Digest`     |
//! | `ManifestError`   | `Manifest`   |
//! | `PlatformError`   | `Platform`   |
//! | `ConversionError` | `Conversion` |
//! | `LayerError`      | `Layer`      |
//! | `ArchiveError`    | `Archive`    |
//! | `RegistryError`   | `Registry`   |
//! | `LimitError`      | `Limit`      |
//! | `IOError`         | `Io`         |

use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::{create_exception, PyErr};
use tranship::error::ErrorFamily;

create_exception!(
    tranship,
    TranshipError,
    PyException,
    "Base of every tranship error; `.code` is the stable error code."
);
create_exception!(
    tranship,
    ReferenceError,
    TranshipError,
    "An image reference is malformed (`INVALID_REFERENCE`)."
);
create_exception!(
    tranship,
    AddressError,
    TranshipError,
    "An image address names an unsupported transport or is malformed (`INVALID_ADDRESS`)."
);
create_exception!(
    tranship,
    DigestError,
    TranshipError,
    "A digest is malformed or content does not match it (`INVALID_DIGEST`, `DIGEST_MISMATCH`)."
);
create_exception!(
    tranship,
    ManifestError,
    TranshipError,
    "A manifest, config or signing key is malformed, unsupported or badly signed."
);
create_exception!(
    tranship,
    PlatformError,
    TranshipError,
    "A platform is malformed or no index entry matches it."
);
create_exception!(
    tranship,
    ConversionError,
    TranshipError,
    "The target format cannot express the source (`CONVERSION`)."
);
create_exception!(
    tranship,
    LayerError,
    TranshipError,
    "A layer blob is not a readable (compressed) tar stream (`INVALID_LAYER`)."
);
create_exception!(
    tranship,
    RegistryError,
    TranshipError,
    "A registry refused or could not be reached, or lacks the content."
);
create_exception!(
    tranship,
    ArchiveError,
    TranshipError,
    "A tarball is malformed, truncated or has entries that could escape it (`INVALID_ARCHIVE`)."
);
create_exception!(
    tranship,
    LimitError,
    TranshipError,
    "Input exceeds a configured limit (`LIMIT_EXCEEDED`)."
);
create_exception!(
    tranship,
    IOError,
    TranshipError,
    "Reading or writing a file or stream failed (`IO`)."
);

/// Converts a core error into the Python exception of its family, with
/// the message as its argument and the stable code as `.code`.
pub(crate) fn to_py(err: tranship::Error) -> PyErr {
    let code = err.code();
    let message = err.to_string();
    let py_err = match err.family() {
        ErrorFamily::Reference => ReferenceError::new_err(message),
        ErrorFamily::Address => AddressError::new_err(message),
        ErrorFamily::Digest => DigestError::new_err(message),
        ErrorFamily::Manifest => ManifestError::new_err(message),
        ErrorFamily::Platform => PlatformError::new_err(message),
        ErrorFamily::Conversion => ConversionError::new_err(message),
        ErrorFamily::Layer => LayerError::new_err(message),
        ErrorFamily::Archive => ArchiveError::new_err(message),
        ErrorFamily::Registry => RegistryError::new_err(message),
        ErrorFamily::Limit => LimitError::new_err(message),
        ErrorFamily::Io => IOError::new_err(message),
    };
    Python::attach(|py| match py_err.value(py).setattr("code", code) {
        Ok(()) => py_err,
        Err(setattr_failed) => setattr_failed,
    })
}
