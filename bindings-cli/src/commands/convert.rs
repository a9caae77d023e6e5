//! `tranship convert --to v2s1|v2s2|oci --file MANIFEST …`

use std::io::{IsTerminal, Write};
use std::path::Path;

use serde_json::json;
use tranship::blobs::BlobStore;
use tranship::convert::{convert, Conversion, ConvertOptions, Signing, Target};
use tranship::{Error, Result};

use crate::cli::ConvertArgs;
use crate::commands::manifest::load;
use crate::input::read_document;
use crate::output::Output;

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
            return Err(Error::BlobUnknown(format!(
                "the result points at a new config blob ({}) with nowhere to keep it: give --blobs DIR (or --json to print it)",
                tranship::Digest::sha256(config)
            )))
        }
        _ => None,
    };
    if let Some(path) = &args.output {
        write_atomically(path, c.manifest.raw())?;
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
    let mut opts = ConvertOptions::new(args.to.parse::<Target>()?)
        .with_reencode_oci_config(args.reencode_config);
    opts.limits = args.limits.limits();
    if let Some(path) = &args.config {
        let config = read_document(path, opts.limits.max_config_bytes)?;
        opts = opts.with_config(config);
    }
    if let Some(dir) = &args.blobs {
        opts = opts.with_blobs(BlobStore::open(dir)?);
    }
    for (blob, diff_id) in &args.diff_ids {
        opts = opts.with_diff_id(blob.clone(), diff_id.clone());
    }
    for (blob, size) in &args.layer_sizes {
        opts = opts.with_layer_size(blob.clone(), *size);
    }
    if let (Some(name), Some(tag)) = (&args.name, &args.tag) {
        opts = opts.with_name_and_tag(name, tag);
    }
    if args.unsigned {
        opts = opts.with_signing(Signing::Unsigned);
    } else if let Some(key) = &args.signing_key {
        let bytes = std::fs::read(key)
            .map_err(|e| Error::io(format!("reading signing key {}", key.display()), e))?;
        opts = opts.with_signing(Signing::Key(bytes));
    }
    Ok(opts)
}

/// Writes `bytes` to a temporary file beside `path`, then renames it.
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let name = path
        .file_name()
        .map_or_else(|| "manifest".into(), |n| n.to_string_lossy().into_owned());
    let temp = path.with_file_name(format!(".{name}.tmp-{}", std::process::id()));
    std::fs::write(&temp, bytes)
        .and_then(|()| std::fs::rename(&temp, path))
        .map_err(|e| {
            let _ = std::fs::remove_file(&temp);
            Error::io(format!("writing {}", path.display()), e)
        })
}

/// The report for people, on standard error.
fn describe(c: &Conversion, stored: Option<&Path>) -> String {
    let r = &c.report;
    let digest = |d: &Option<tranship::Digest>| d.as_ref().map_or("-".into(), ToString::to_string);
    let mut s = format!(
        "converted {} {}\n       to {} {}\n",
        r.source_format, r.source_digest, r.result_format, r.result_digest
    );
    s += &format!(
        "config:   {} -> {}{}\n",
        digest(&r.source_config_digest),
        digest(&r.result_config_digest),
        if r.config_changed() {
            ""
        } else {
            " (unchanged)"
        }
    );
    if let Some(path) = stored {
        s += &format!("stored:   {}\n", path.display());
    }
    if !r.lost.is_empty() {
        s += &format!("lost:     {}\n", r.lost.join(", "));
    }
    s
}
