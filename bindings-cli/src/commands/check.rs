//! `tranship check ADDRESS`

use tranship::check::{check, CheckReport, CheckRequest, CheckSettings, CheckState};
use tranship::transport::Address;
use tranship::Result;

use crate::cli::CheckArgs;
use crate::output::{rows, Output};
use crate::remote::block_on;

/// Prints what is there and what is not; exits with status 1 when the
/// image is incomplete.
pub fn run(args: &CheckArgs, out: Output) -> Result<()> {
    let settings = CheckSettings {
        full: args.full,
        limits: args.limits.settings(),
    };
    let request = CheckRequest::from_settings(&args.address, &settings)?;
    let registries: Vec<&str> = match &request.address {
        Address::Registry(r) => vec![r.registry()],
        _ => Vec::new(),
    };
    let client = args.registry.client_for(&registries)?;
    let report = block_on(check(&request, &client))?;
    out.emit("check", &report, || text(&report));
    if !report.complete {
        std::process::exit(1);
    }
    Ok(())
}

fn text(r: &CheckReport) -> String {
    let counts = [
        CheckState::Present,
        CheckState::Missing,
        CheckState::SizeMismatch,
        CheckState::DigestMismatch,
    ]
    .iter()
    .map(|s| format!("{} {}", r.count(*s), s.as_str().replace('_', " ")))
    .collect::<Vec<_>>()
    .join(", ");
    let mut text = rows(&[
        ("Checked", r.address.clone()),
        ("Digest", r.digest.to_string()),
        ("Media type", r.media_type.clone()),
        (
            "Complete",
            if r.complete { "yes" } else { "no" }.to_string(),
        ),
        (
            "Found",
            format!(
                "{counts}{}",
                if r.hashed {
                    ""
                } else {
                    " (blobs not hashed: --full does)"
                }
            ),
        ),
    ]);
    for c in &r.children {
        let platform = c.platform.as_deref().unwrap_or("no platform");
        text.push_str(&format!(
            "  child {} ({platform}): {}\n",
            c.digest,
            c.state.as_str()
        ));
    }
    for b in r.blobs.iter().filter(|b| b.state != CheckState::Present) {
        let sizes = match (b.size, b.found_size) {
            (Some(want), Some(found)) if want != found => format!(" ({found} bytes, not {want})"),
            _ => String::new(),
        };
        text.push_str(&format!(
            "  blob {}: {}{sizes}\n",
            b.digest,
            b.state.as_str()
        ));
    }
    text
}
