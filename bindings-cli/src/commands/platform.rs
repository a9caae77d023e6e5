//! `tranship platform parse|match|select`

use serde_json::json;
use tranship::{Platform, Result};

use crate::cli::{LimitArgs, PlatformCommand};
use crate::commands::manifest::load;
use crate::output::{rows, Output};

/// Runs one `platform` subcommand.
pub fn run(cmd: PlatformCommand, out: Output) -> Result<()> {
    match cmd {
        PlatformCommand::Parse { platform } => {
            let p: Platform = platform.parse()?;
            let report = p.report();
            out.emit("platform", &report, || report.text.clone());
        }
        PlatformCommand::Match { want, have } => {
            let (want, have): (Platform, Platform) = (want.parse()?, have.parse()?);
            let matches = want.matches(&have);
            out.emit("platform_match", &json!({ "matches": matches }), || {
                let verdict = if matches { "matches" } else { "does not match" };
                format!("{have} {verdict} {want}")
            });
        }
        PlatformCommand::Select { file, platform } => {
            let want: Platform = platform.parse()?;
            let manifest = load(&file, None, &LimitArgs::default())?;
            let (index, entry) = manifest.select_platform(&want)?;
            let chosen = entry.platform.as_ref().map(ToString::to_string);
            let report = json!({
                "index": index,
                "digest": entry.digest.to_string(),
                "platform": chosen,
            });
            out.emit("platform_select", &report, || {
                rows(&[
                    ("Entry", index.to_string()),
                    ("Digest", entry.digest.to_string()),
                    ("Platform", chosen.clone().unwrap_or_default()),
                ])
            });
        }
    }
    Ok(())
}
