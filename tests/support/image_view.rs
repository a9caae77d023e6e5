//! The `copy` and `check` cases' view of a result, shared by the Rust and
//! CLI corpus runners (`#[path]`): the fields of a copy summary a case
//! compares, and a check report without the address (a temporary path).

use std::path::PathBuf;

use serde_json::{Map, Value};

use super::corpus::Case;

/// The summary fields a `copy` case compares.
pub const COPY_FIELDS: &[&str] = &[
    "destination_digest",
    "media_type",
    "platforms",
    "sparse",
    "stripped",
    "manifests",
    "referrers",
];

/// The source address of a `copy` case: `oci:<source>:<name>`.
pub fn source(case: &Case) -> String {
    format!(
        "oci:{}:{}",
        case.file("source").expect("input.source").display(),
        case.str("name").expect("input.name")
    )
}

/// The `check` case's address: `oci:<layout>:<name>`.
pub fn checked(case: &Case) -> String {
    format!(
        "oci:{}:{}",
        case.file("layout").expect("input.layout").display(),
        case.str("name").expect("input.name")
    )
}

/// A fresh folder for a copy's destination layout (removed by
/// [`Scratch`]'s drop).
pub struct Scratch(pub PathBuf);

impl Scratch {
    /// A new, absent folder under the temporary directory.
    pub fn new(runner: &str) -> Scratch {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static N: AtomicUsize = AtomicUsize::new(0);
        let n = N.fetch_add(1, Ordering::Relaxed);
        Scratch(std::env::temp_dir().join(format!(
            "tranship-corpus-{runner}-{}-{n}",
            std::process::id()
        )))
    }

    /// The destination address inside it.
    pub fn destination(&self) -> String {
        format!("oci:{}:copied", self.0.display())
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The list of strings at `key` of the input (empty when absent).
pub fn strings(case: &Case, key: &str) -> Vec<String> {
    case.input
        .get(key)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(String::from)
                .collect()
        })
        .unwrap_or_default()
}

/// An optional boolean of the input.
pub fn optional_flag(case: &Case, key: &str) -> Option<bool> {
    case.input.get(key).and_then(Value::as_bool)
}

/// A boolean flag of the input (false when absent).
pub fn flag(case: &Case, key: &str) -> bool {
    case.input.get(key).and_then(Value::as_bool) == Some(true)
}

/// The compared fields of a copy summary.
pub fn copy_summary(summary: &Value) -> Value {
    let map: Map<String, Value> = COPY_FIELDS
        .iter()
        .map(|k| {
            (
                k.to_string(),
                summary.get(*k).cloned().unwrap_or(Value::Null),
            )
        })
        .collect();
    Value::Object(map)
}

/// A check report without its address.
pub fn check_report(mut report: Value) -> Value {
    if let Value::Object(map) = &mut report {
        map.remove("address");
    }
    report
}
