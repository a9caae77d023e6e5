//! The one place where core errors become JavaScript errors.
//!
//! A thrown error is a plain `Error` whose `message` is the core's message
//! and whose `code` is the core's stable code, e.g.
//! `err.code === 'INVALID_REFERENCE'`.

/// Result of a binding function: errors carry the core's code as `code`.
pub type Result<T> = napi::Result<T, String>;

/// Converts a core error into a JavaScript error with `code` set.
pub fn to_js(err: tranship::Error) -> napi::Error<String> {
    napi::Error::new(err.code().to_string(), err.to_string())
}
