//! `tranship delete REF`

use serde_json::json;
use tranship::Result;

use crate::cli::RefArgs;
use crate::output::{rows, Output};
use crate::remote::block_on;
use tranship::registry::parse_address;

/// Deletes the manifest REF names (a tag is resolved to its digest first,
/// so every tag pointing to it goes too).
pub fn run(args: &RefArgs, out: Output) -> Result<()> {
    let r = parse_address(&args.reference)?;
    let client = args.registry.client(r.registry())?;
    let digest = block_on(client.delete_manifest(&r))?;
    let report = json!({ "reference": r.to_string(), "digest": digest.to_string() });
    out.emit("delete", &report, || {
        rows(&[("Deleted", format!("{}@{digest}", r.name()))])
    });
    Ok(())
}
