//! Result records written once for this binding and the uniffi one, in
//! `bindings-records/`.

use napi_derive::napi;

include!("../../bindings-records/check.rs");

/// Sizes are numbers in JavaScript.
fn size(n: u64) -> f64 {
    n as f64
}

check_records!(
    #[napi(object, object_from_js = false)]
    size = f64
);
