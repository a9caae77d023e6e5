//! The one place where core errors become Kotlin and Swift errors.
//!
//! Kotlin sees `TranshipException.Failed` and Swift
//! `TranshipError.failed`, both with the core's stable `code` (e.g.
//! `INVALID_REFERENCE`) and its `message`.

/// A failed tranship operation.
#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum TranshipError {
    /// The core refused or failed; `code` is its stable error code.
    #[error("{message}")]
    Failed {
        /// The stable code, e.g. `INVALID_REFERENCE`.
        code: String,
        /// What was expected and what was found.
        message: String,
    },
}

impl From<tranship::Error> for TranshipError {
    fn from(err: tranship::Error) -> Self {
        TranshipError::Failed {
            code: err.code().to_string(),
            message: err.to_string(),
        }
    }
}
