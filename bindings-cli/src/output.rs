//! Printing results: human text by default, one JSON object with `--json`.

use std::io::Write as _;
use std::path::Path;

use serde::Serialize;
use serde_json::Value;
use tranship::{Error, Result};

/// Where results go and in which form.
#[derive(Debug, Clone, Copy)]
pub struct Output {
    /// Print JSON instead of text.
    pub json: bool,
}

impl Output {
    /// Prints `report` as a JSON object tagged with `kind`, or `text()` for
    /// people.
    pub fn emit(&self, kind: &str, report: &impl Serialize, text: impl FnOnce() -> String) {
        if self.json {
            let mut value = serde_json::to_value(report).unwrap_or(Value::Null);
            if let Value::Object(map) = &mut value {
                map.insert("kind".into(), Value::String(kind.into()));
            }
            println!("{value}");
        } else {
            let text = text();
            println!("{}", text.trim_end());
        }
    }
}

/// Formats `label: value` rows with the values aligned.
pub fn rows(rows: &[(&str, String)]) -> String {
    let width = rows.iter().map(|(k, _)| k.len()).max().unwrap_or(0) + 1;
    rows.iter()
        .map(|(k, v)| format!("{:<width$} {v}\n", format!("{k}:")))
        .collect()
}

/// Writes `bytes` to `path` (`-`: standard output), through a temporary
/// file renamed into place when complete, so a failed run leaves nothing
/// half-written.
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    if path.as_os_str() == "-" {
        return std::io::stdout()
            .write_all(bytes)
            .map_err(|e| Error::io("writing to standard output", e));
    }
    tranship::fs::write_atomically(path, bytes)
}
