//! The core's results as records, written once for this binding and the
//! Node one in `bindings-records/`: manifest and conversion reports,
//! registry and copy results, the check report.

use std::collections::HashMap;

use tranship::manifest as core;

include!("../../bindings-records/report.rs");
include!("../../bindings-records/results.rs");
include!("../../bindings-records/check.rs");

/// Sizes are `Long`/`UInt64` in Kotlin and Swift.
fn size(n: u64) -> u64 {
    n
}

report_records!(
    #[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
    size = u64,
    map = HashMap
);
result_records!(
    #[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
    size = u64,
    map = HashMap
);
check_records!(
    #[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
    size = u64
);
