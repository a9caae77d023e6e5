//! `tranship config REF [--platform P]`

use std::io::Write as _;

use serde_json::{json, Value};
use tranship::{Error, Platform, Result};

use crate::cli::ConfigArgs;
use crate::output::Output;
use crate::remote::block_on;
use tranship::registry::parse_address;

/// Largest config blob read into memory.
const MAX_CONFIG_BYTES: u64 = 16 * 1024 * 1024;

/// Prints the config blob of an image (for an index, of `--platform`'s
/// image) as its exact bytes, verified against its digest.
pub fn run(args: &ConfigArgs, out: Output) -> Result<()> {
    let r = parse_address(&args.reference)?;
    let platform: Option<Platform> = args.platform.as_deref().map(str::parse).transpose()?;
    let client = args.registry.client(r.registry())?;
    let (got, digest, bytes) = block_on(async {
        let got = client.resolve(&r, &[], platform.as_ref()).await?;
        let manifest = &got.fetched.manifest;
        if let Some(index) = manifest.as_index() {
            let offers: Vec<String> = index
                .manifests
                .iter()
                .map(|d| d.platform.as_ref().map_or("-".into(), ToString::to_string))
                .collect();
            return Err(Error::PlatformNotFound {
                wanted: "<none; choose one with --platform>".into(),
                available: offers.join(", "),
            });
        }
        let Some(image) = manifest.as_image() else {
            return Err(Error::UnsupportedMediaType(format!(
                "a {} manifest has no config blob",
                manifest.format()
            )));
        };
        let digest = image.config.digest.clone();
        let bytes = client
            .get_blob_bytes(&got.reference, &digest, MAX_CONFIG_BYTES)
            .await?;
        Ok((got, digest, bytes))
    })?;
    if !out.json {
        return std::io::stdout()
            .write_all(&bytes)
            .map_err(|e| Error::io("writing to standard output", e));
    }
    let config: Value = serde_json::from_slice(&bytes)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()));
    let report = json!({
        "reference": got.reference.to_string(),
        "manifest_digest": got.fetched.digest.to_string(),
        "digest": digest.to_string(),
        "size": bytes.len(),
        "config": config,
    });
    out.emit("config", &report, String::new);
    Ok(())
}
