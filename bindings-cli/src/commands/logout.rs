//! `tranship logout HOST`

use serde_json::json;
use tranship::registry::remove_login;
use tranship::Result;

use crate::cli::LogoutArgs;
use crate::output::Output;
use crate::remote::block_on;

/// Forgets the registry's credentials in Docker's config (or
/// `--authfile`), and in its credential helper when it has one. Not
/// being logged in is not an error.
pub fn run(args: &LogoutArgs, out: Output) -> Result<()> {
    let file = args.registry.login_file();
    let removed = block_on(remove_login(&file, &args.host))?;
    let report = json!({
        "registry": args.host,
        "removed": removed,
        "file": file.display().to_string(),
    });
    out.emit("logout", &report, || {
        if removed {
            format!("Removed login credentials for {}", args.host)
        } else {
            format!("Not logged in to {}", args.host)
        }
    });
    Ok(())
}
