//! The core's results as records, written once for this binding and the
//! uniffi one in `bindings-records/`: manifest and conversion reports,
//! registry and copy results, the check report.

use std::collections::BTreeMap;

use napi_derive::napi;
use tranship::manifest as core;

include!("../../bindings-records/report.rs");
include!("../../bindings-records/results.rs");
include!("../../bindings-records/check.rs");

/// Sizes are numbers in JavaScript.
fn size(n: u64) -> f64 {
    n as f64
}

report_records!(
    #[napi(object)]
    size = f64,
    map = BTreeMap
);
result_records!(
    #[napi(object)]
    size = f64,
    map = BTreeMap
);
check_records!(
    #[napi(object, object_from_js = false)]
    size = f64
);
