//! `tranship layer diff-id FILE...`

use serde_json::{json, Value};
use tranship::layer::{diff_ids, DiffIdCache, DiffIdOptions, LayerDigests, LayerSource};
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
    }
    Ok(())
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
