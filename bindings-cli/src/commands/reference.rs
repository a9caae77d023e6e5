//! `tranship ref REF`

use tranship::{Reference, Result};

use crate::output::{rows, Output};

/// Parses `text` and prints its parts.
pub fn run(text: &str, out: Output) -> Result<()> {
    let r: Reference = text.parse()?;
    let report = r.report();
    out.emit("reference", &report, || {
        let none = || "-".to_string();
        rows(&[
            ("Reference", report.full.clone()),
            ("Familiar", report.familiar.clone()),
            ("Registry", report.registry.clone()),
            ("Repository", report.repository.clone()),
            ("Tag", report.tag.clone().unwrap_or_else(none)),
            ("Digest", report.digest.clone().unwrap_or_else(none)),
            ("Endpoint", report.endpoint.clone()),
            (
                "Plain HTTP",
                if report.plain_http { "allowed" } else { "no" }.into(),
            ),
        ])
    });
    Ok(())
}
