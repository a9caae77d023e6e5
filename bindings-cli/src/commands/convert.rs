//! `tranship convert --to v2s1|v2s2|oci --file MANIFEST …`

use std::io::{IsTerminal, Write};
use std::path::Path;

use serde_json::json;
use tranship::convert::{
    convert, Conversion, ConversionReport, ConvertOptions, ConvertSettings, KeySource,
};
use tranship::{Error, Result};

use crate::cli::ConvertArgs;
use crate::commands::manifest::load;
use crate::input::read_document;
use crate::output::{rows, write_file, Output};

/// Converts the manifest, stores a new config in the blob store, writes
/// the manifest to standard output (or `-o`) and the report to standard
/// error (or everything into the `--json` object).
pub fn run(args: &ConvertArgs, out: Output) -> Result<()> {
    let manifest = load(&args.file, args.content_type.as_deref(), &args.limits)?;
    let opts = options(args)?;
    let c = convert(&manifest, &opts)?;
    let stored = match (&c.config, &opts.blobs) {
        (Some(config), Some(store)) => Some(store.path(&store.write(config)?)),
        (Some(config), None) if !out.json => {
            return Err(Error::BlobUnknown { message: format!(
                "the result points at a new config blob ({}) with nowhere to keep it: give --blobs DIR (or --json to print it)",
                tranship::Digest::sha256(config)
            ) })
        }
        _ => None,
    };
    if let Some(path) = &args.output {
        write_file(path, c.manifest.raw())?;
    }
    if out.json {
        let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
        let report = json!({
            "manifest": text(c.manifest.raw()),
            "config": c.config.as_deref().map(text),
            "report": c.report,
        });
        out.emit("convert", &report, String::new);
        return Ok(());
    }
    if args.output.is_none() {
        // The exact bytes (their digest is the manifest's); a terminal also
        // gets a newline so the report starts on a line of its own.
        let mut stdout = std::io::stdout().lock();
        let newline: &[u8] = if stdout.is_terminal() { b"\n" } else { b"" };
        stdout
            .write_all(c.manifest.raw())
            .and_then(|()| stdout.write_all(newline))
            .and_then(|()| stdout.flush())
            .map_err(|e| Error::io("writing the manifest", e))?;
    }
    eprint!("{}", describe(&c, stored.as_deref()));
    Ok(())
}

fn options(args: &ConvertArgs) -> Result<ConvertOptions> {
    let limits = args.limits.limits()?;
    let config = args
        .config
        .as_ref()
        .map(|path| read_document(path, limits.max_config_bytes))
        .transpose()?;
    ConvertOptions::from_settings(&ConvertSettings {
        to: args.to.clone(),
        config,
        blobs: args.blobs.clone(),
        diff_ids: args.diff_ids.clone(),
        layer_sizes: args.layer_sizes.clone(),
        reencode_config: args.reencode_config,
        name: args.name.clone(),
        tag: args.tag.clone(),
        unsigned: args.signing.unsigned,
        signing_key: args.signing.signing_key.clone().map(KeySource::File),
        limits: args.limits.settings(),
    })
}

/// The report for people, on standard error.
fn describe(c: &Conversion, stored: Option<&Path>) -> String {
    let mut rows_ = report_rows(&c.report);
    if let Some(path) = stored {
        rows_.push(("Stored", path.display().to_string()));
    }
    rows(&rows_)
}

/// A conversion report for people, as `label: value` rows.
pub fn report_rows(r: &ConversionReport) -> Vec<(&'static str, String)> {
    let config = |d: &Option<tranship::Digest>| d.as_ref().map_or("-".into(), ToString::to_string);
    let unchanged = if r.config_changed() {
        ""
    } else {
        " (unchanged)"
    };
    let lost = if r.lost.is_empty() {
        "nothing".to_string()
    } else {
        r.lost.join(", ")
    };
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
                "{} -> {}{unchanged}",
                config(&r.source_config_digest),
                config(&r.result_config_digest)
            ),
        ),
        ("Lost", lost),
    ]
}
