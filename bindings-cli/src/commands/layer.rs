//! `tranship layer diff-id FILE...`, `layer compress`, `layer decompress`

use serde_json::{json, Value};
use tranship::layer::{
    compress_file, decompress_file, diff_ids, CompressOptions, CompressSettings, DiffIdCache,
    DiffIdOptions, LayerDigests, LayerSource,
};
use tranship::Result;

use crate::cli::LayerCommand;
use crate::output::Output;

/// Runs one `layer` subcommand.
pub fn run(cmd: LayerCommand, out: Output) -> Result<()> {
    match cmd {
        LayerCommand::DiffId { files } => {
            let sources = files
                .iter()
                .map(|f| match f.to_str() {
                    Some("-") => LayerSource::reader("standard input", std::io::stdin()),
                    _ => LayerSource::file(f),
                })
                .collect();
            let layers = diff_ids(sources, &DiffIdCache::new(), &DiffIdOptions::default())?;
            let report: Vec<Value> = files
                .iter()
                .zip(&layers)
                .map(|(f, l)| {
                    let mut v = layer_report(l);
                    v["file"] = json!(f.display().to_string());
                    v
                })
                .collect();
            out.emit("layer_diff_id", &json!({ "layers": report }), || {
                layers.iter().map(|l| format!("{}\n", l.diff_id)).collect()
            });
        }
        LayerCommand::Compress {
            file,
            output,
            format,
            level,
            threads,
        } => {
            let opts = CompressOptions::from_settings(&CompressSettings {
                format,
                level,
                threads,
                ..CompressSettings::default()
            })?;
            let output = output.unwrap_or_else(|| {
                let mut name = file.clone().into_os_string();
                name.push(".");
                name.push(opts.format.extension());
                name.into()
            });
            let layer = compress_file(&file, &output, &opts)?;
            emit_written(out, "layer_compress", &layer, &output);
        }
        LayerCommand::Decompress { file, output } => {
            let layer = decompress_file(&file, &output, &DiffIdOptions::default())?;
            emit_written(out, "layer_decompress", &layer, &output);
        }
    }
    Ok(())
}

/// Reports a layer written to `output`.
fn emit_written(out: Output, kind: &str, layer: &LayerDigests, output: &std::path::Path) {
    let mut report = layer_report(layer);
    report["file"] = json!(output.display().to_string());
    out.emit(kind, &report, || {
        format!(
            "{}\ndigest:  {} ({} bytes, {})\ndiff_id: {} ({} bytes)\n",
            output.display(),
            layer.compressed,
            layer.compressed_size,
            layer.compression,
            layer.diff_id,
            layer.uncompressed_size
        )
    });
}

/// A layer's digests as the `--json` output and the corpus name them.
pub fn layer_report(l: &LayerDigests) -> Value {
    json!({
        "diff_id": l.diff_id.to_string(),
        "digest": l.compressed.to_string(),
        "compression": l.compression.as_str(),
        "size": l.compressed_size,
        "uncompressed_size": l.uncompressed_size,
    })
}
