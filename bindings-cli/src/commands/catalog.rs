//! `tranship catalog HOST`

use serde_json::json;
use tranship::Result;

use crate::cli::CatalogArgs;
use crate::output::Output;
use crate::remote::block_on;
use tranship::registry::registry_host;

/// Lists the repositories a registry serves, one per line.
pub fn run(args: &CatalogArgs, out: Output) -> Result<()> {
    let registry = registry_host(&args.host);
    let client = args.registry.client(&registry)?;
    let repositories = block_on(client.catalog(&registry))?;
    let report = json!({ "registry": registry, "repositories": repositories });
    out.emit("catalog", &report, || repositories.join("\n"));
    Ok(())
}
