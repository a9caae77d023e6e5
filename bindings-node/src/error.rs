//! The one place where core errors become JavaScript errors.
//!
//! A thrown error, or the error a Promise rejects with, is a plain `Error`
//! whose `message` is the core's message and whose `code` is the core's
//! stable code, e.g. `err.code === 'INVALID_REFERENCE'`.

use napi::{Env, JsError};

/// Result of a binding function: errors carry the core's code as `code`.
pub type Result<T> = napi::Result<T, String>;

/// Converts a core error into a JavaScript error with `code` set.
pub fn to_js(err: tranship::Error) -> napi::Error<String> {
    napi::Error::new(err.code().to_string(), err.to_string())
}

/// The error a Promise rejects with for a core error: the same object
/// [`to_js`] throws. napi rejects with a `Status` code unless the error
/// already is a JavaScript object, so the object is made here, on the
/// JavaScript thread.
pub fn rejection(env: &Env, err: tranship::Error) -> napi::Error {
    napi::Error::from(JsError::from(to_js(err)).into_unknown(*env))
}
