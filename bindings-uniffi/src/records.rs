//! Result records written once for this binding and the Node one, in
//! `bindings-records/`.

include!("../../bindings-records/check.rs");

/// Sizes are `Long`/`UInt64` in Kotlin and Swift.
fn size(n: u64) -> u64 {
    n
}

check_records!(
    #[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
    size = u64
);
