//! `tranship address ADDRESS`

use tranship::{Address, Result};

use crate::output::{rows, Output};

/// Parses `text` and prints its parts.
pub fn run(text: &str, out: Output) -> Result<()> {
    let address: Address = text.parse()?;
    let report = address.report();
    out.emit("address", &report, || {
        let or_none = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into());
        rows(&[
            ("Address", report.text.clone()),
            ("Transport", report.transport.clone()),
            ("Path", or_none(&report.path)),
            ("Name", or_none(&report.name)),
            ("Reference", or_none(&report.reference)),
            ("Index", or_none(&report.index.map(|i| i.to_string()))),
        ])
    });
    Ok(())
}
