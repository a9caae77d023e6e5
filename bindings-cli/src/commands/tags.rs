//! `tranship tags REF`

use serde_json::json;
use tranship::Result;

use crate::cli::RefArgs;
use crate::output::Output;
use crate::remote::block_on;
use tranship::registry::parse_address;

/// Lists the tags of REF's repository, one per line, in the registry's
/// order (any tag or digest in REF is ignored).
pub fn run(args: &RefArgs, out: Output) -> Result<()> {
    let r = parse_address(&args.reference)?;
    let client = args.registry.client(r.registry())?;
    let tags = block_on(client.list_tags(&r))?;
    let report = json!({ "repository": r.name(), "tags": tags });
    out.emit("tags", &report, || tags.join("\n"));
    Ok(())
}
