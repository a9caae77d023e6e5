//! `tranship blob get REPO@DIGEST -o FILE`

use serde_json::json;
use tranship::{Error, Result};

use crate::cli::{BlobCommand, BlobGetArgs};
use crate::output::{rows, Output};
use crate::progress::{blob_bar, sink};
use crate::remote::block_on;
use tranship::registry::parse_address;

/// Runs one `blob` subcommand.
pub fn run(cmd: BlobCommand, out: Output) -> Result<()> {
    match cmd {
        BlobCommand::Get(args) => get(&args, out),
    }
}

/// Downloads a blob to a file: written under a temporary name, verified,
/// then renamed; nothing is left behind on failure. A progress bar is
/// drawn on standard error when it is a terminal.
fn get(args: &BlobGetArgs, out: Output) -> Result<()> {
    let r = parse_address(&args.reference)?;
    let Some(digest) = r.digest().cloned() else {
        return Err(Error::InvalidReference {
            input: args.reference.clone(),
            reason: "a blob is named by digest: REPOSITORY@DIGEST".into(),
        });
    };
    let client = args.registry.client(r.registry())?;
    let size = block_on(async {
        // A bar needs the size: ask for it only when one is drawn.
        let bar = match blob_bar(None) {
            None => None,
            Some(_) => {
                let size = client.blob_exists(&r, &digest).await?;
                let Some(size) = size else {
                    return Err(Error::BlobUnknown {
                        message: digest.to_string(),
                    });
                };
                blob_bar(Some(size))
            }
        };
        let client = client.with_progress(bar.as_ref().map(sink));
        let size = client
            .get_blob_to_path(&r, &digest, None, &args.output)
            .await;
        if let Some(bar) = bar {
            bar.finish_and_clear();
        }
        size
    })?;
    let file = args.output.display().to_string();
    let report = json!({ "digest": digest.to_string(), "size": size, "file": file });
    out.emit("blob", &report, || {
        rows(&[
            ("Digest", digest.to_string()),
            ("Size", format!("{size} bytes")),
            ("Written", file.clone()),
        ])
    });
    Ok(())
}
