//! The one place where core errors become Python exceptions.
//!
//! Every exception derives from `tranship.TranshipError` and carries the
//! core's stable code in `.code`. Codes are grouped into families so
//! callers can catch a whole kind of failure:
//!
//! | class            | codes |
//! |------------------|-------|
//! | `ReferenceError` | `INVALID_REFERENCE` |
//! | `AddressError`   | `INVALID_ADDRESS` |
//! | `DigestError`    | `INVALID_DIGEST`, `DIGEST_MISMATCH` |
//! | `ManifestError`  | `INVALID_MANIFEST`, `UNSUPPORTED_MEDIA_TYPE`, `INVALID_SIGNATURE`, `INVALID_KEY`, `INVALID_JSON`, `INVALID_CONFIG`, `INVALID_TIME` |
//! | `PlatformError`  | `INVALID_PLATFORM`, `PLATFORM_NOT_FOUND` |
//! | `ConversionError`| `CONVERSION` |
//! | `LayerError`     | `INVALID_LAYER` |
//! | `RegistryError`  | `MANIFEST_UNKNOWN`, `BLOB_UNKNOWN`, `NAME_UNKNOWN`, `UNAUTHORIZED`, `DENIED`, `TOO_MANY_REQUESTS`, `REGISTRY`, `NETWORK`, `CREDENTIALS` |
//! | `LimitError`     | `LIMIT_EXCEEDED` |
//! | `IOError`        | `IO` |
//!
//! A code without a family (one added to the core later) raises
//! `TranshipError` itself, still with its `.code`.

use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::{create_exception, PyErr};

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
    let py_err = match code {
        "INVALID_REFERENCE" => ReferenceError::new_err(message),
        "INVALID_ADDRESS" => AddressError::new_err(message),
        "INVALID_DIGEST" | "DIGEST_MISMATCH" => DigestError::new_err(message),
        "INVALID_MANIFEST"
        | "UNSUPPORTED_MEDIA_TYPE"
        | "INVALID_SIGNATURE"
        | "INVALID_KEY"
        | "INVALID_JSON"
        | "INVALID_CONFIG"
        | "INVALID_TIME" => ManifestError::new_err(message),
        "CONVERSION" => ConversionError::new_err(message),
        "INVALID_LAYER" => LayerError::new_err(message),
        "MANIFEST_UNKNOWN" | "BLOB_UNKNOWN" | "NAME_UNKNOWN" | "UNAUTHORIZED" | "DENIED"
        | "TOO_MANY_REQUESTS" | "REGISTRY" | "NETWORK" | "CREDENTIALS" => {
            RegistryError::new_err(message)
        }
        "INVALID_PLATFORM" | "PLATFORM_NOT_FOUND" => PlatformError::new_err(message),
        "LIMIT_EXCEEDED" => LimitError::new_err(message),
        "IO" => IOError::new_err(message),
        _ => TranshipError::new_err(message),
    };
    Python::attach(|py| match py_err.value(py).setattr("code", code) {
        Ok(()) => py_err,
        Err(setattr_failed) => setattr_failed,
    })
}
