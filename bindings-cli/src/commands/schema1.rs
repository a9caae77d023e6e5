//! Schema1 results: signing options, writing the body, and
//! `tranship convert --to v2s1`.

use std::io::Write as _;
use std::path::Path;

use serde_json::{json, Value};
use tranship::convert::schema1_down::to_schema1;
use tranship::convert::sign::{Schema1Key, Signing};
use tranship::convert::ConversionReport;
use tranship::{Error, Limits, Result};

use crate::cli::{ConvertArgs, SigningArgs};
use crate::commands::manifest::load;
use crate::input::read_document;
use crate::output::{rows, Output};

impl SigningArgs {
    /// The signing the flags ask for: the key file, none, or a fresh key.
    pub fn signing(&self) -> Result<Signing> {
        if self.unsigned {
            return Ok(Signing::Unsigned);
        }
        let key = match &self.signing_key {
            Some(path) => Schema1Key::from_bytes(&read_document(path, 1 << 20)?)?,
            None => Schema1Key::generate(),
        };
        Ok(Signing::Key(key))
    }
}

/// Writes `bytes` to `path` (`-`: standard output) through a temporary
/// file renamed into place, so a failed run leaves nothing half-written.
pub fn write_body(path: &Path, bytes: &[u8]) -> Result<()> {
    let name = path.display().to_string();
    if name == "-" {
        return std::io::stdout()
            .write_all(bytes)
            .map_err(|e| Error::io("writing to standard output", e));
    }
    let mut partial = path.as_os_str().to_owned();
    partial.push(format!(".partial-{}", std::process::id()));
    std::fs::write(&partial, bytes).map_err(|e| Error::io(format!("writing {name}"), e))?;
    std::fs::rename(&partial, path).map_err(|e| Error::io(format!("renaming into {name}"), e))
}

/// `tranship convert --to v2s1`: prints the schema1 manifest (or writes it
/// to `-o`), and the conversion report on standard error.
pub fn convert(args: &ConvertArgs, out: Output) -> Result<()> {
    let manifest = load(&args.file, None, &Default::default())?;
    let config = read_document(&args.config, Limits::default().max_config_bytes)?;
    let signing = args.signing.signing()?;
    let conversion = to_schema1(&manifest, &config, &args.name, &args.tag, &signing)?;
    let bytes = conversion.manifest.raw();
    if let Some(path) = &args.output {
        write_body(path, bytes)?;
    }
    let text = String::from_utf8_lossy(bytes).into_owned();
    let report = serde_json::to_value(&conversion.report).unwrap_or(Value::Null);
    let result = json!({ "manifest": text, "config": null, "report": report });
    if out.json {
        out.emit("convert", &result, String::new);
    } else {
        eprint!("{}", rows(&report_rows(&conversion.report)));
        if args.output.is_none() {
            write_body(Path::new("-"), bytes)?;
        }
    }
    Ok(())
}

/// A conversion report for people, as `label: value` rows.
pub fn report_rows(r: &ConversionReport) -> Vec<(&'static str, String)> {
    let config = |d: &Option<tranship::Digest>| d.as_ref().map_or("-".into(), ToString::to_string);
    vec![
        (
            "Converted",
            format!("{} -> {}", r.source_format, r.result_format),
        ),
        (
            "Digest",
            format!("{} -> {}", r.source_digest, r.result_digest),
        ),
        (
            "Config",
            format!(
                "{} -> {}",
                config(&r.source_config_digest),
                config(&r.result_config_digest)
            ),
        ),
        ("Lost", r.lost.join(", ")),
    ]
}
