//! `tranship manifest get ADDRESS [--raw] [--accept T]… [--platform P]`

use std::io::Write as _;

use serde_json::{json, Value};
use tranship::{Error, MediaType, Platform, Result};

use crate::cli::ManifestGetArgs;
use crate::commands::manifest::describe_with;
use crate::output::Output;
use crate::remote::block_on;
use tranship::registry::parse_address;
use tranship::transport::Address;

/// Fetches a manifest (verified against its digest) and prints a report,
/// or with `--raw` its exact bytes.
pub fn run(args: &ManifestGetArgs, out: Output) -> Result<()> {
    let platform: Option<Platform> = args.platform.as_deref().map(str::parse).transpose()?;
    let address: Address = args.reference.parse()?;
    if !matches!(address, Address::Registry(_)) {
        return local(&address, platform.as_ref(), args, out);
    }
    let r = parse_address(&args.reference)?;
    let accept: Vec<MediaType> = args
        .accept
        .iter()
        .map(|t| MediaType::from_content_type(t))
        .collect();
    let client = args.registry.client(r.registry())?;
    let got = block_on(client.resolve(&r, &accept, platform.as_ref()))?;
    let manifest = &got.fetched.manifest;
    let (index, chosen) = got
        .from_index
        .clone()
        .map(|c| (c.index_digest, c.platform))
        .unzip();
    if args.raw && !out.json {
        return std::io::stdout()
            .write_all(manifest.raw())
            .map_err(|e| Error::io("writing to standard output", e));
    }
    let mut report = serde_json::to_value(manifest.report()).unwrap_or(Value::Null);
    if let Value::Object(map) = &mut report {
        map.insert("reference".into(), json!(got.reference.to_string()));
        map.insert("content_type".into(), json!(got.fetched.content_type));
        map.insert("index_digest".into(), json!(index));
        map.insert("platform".into(), json!(chosen));
        if args.raw {
            let text = String::from_utf8_lossy(manifest.raw());
            map.insert("raw".into(), json!(text));
        }
    }
    out.emit("manifest", &report, || {
        let mut head = vec![("Reference", got.reference.to_string())];
        if let Some(choice) = &got.from_index {
            head.push(("Index", choice.index_digest.clone()));
            head.push(("Platform", choice.platform.clone()));
        }
        head.push((
            "Content-Type",
            got.fetched.content_type.clone().unwrap_or("-".into()),
        ));
        describe_with(head, &report)
    });
    Ok(())
}

/// The same for a layout or an archive (no content negotiation there).
fn local(
    address: &Address,
    platform: Option<&Platform>,
    args: &ManifestGetArgs,
    out: Output,
) -> Result<()> {
    let client = args.registry.client_for(&[])?;
    let got = block_on(tranship::places::get_manifest(
        address,
        platform,
        &client,
        tranship::Limits::default(),
    ))?;
    let manifest = &got.manifest;
    if args.raw && !out.json {
        return std::io::stdout()
            .write_all(manifest.raw())
            .map_err(|e| Error::io("writing to standard output", e));
    }
    let (index, chosen) = got
        .from_index
        .clone()
        .map(|(d, p)| (d.to_string(), p))
        .unzip();
    let mut report = serde_json::to_value(manifest.report()).unwrap_or(Value::Null);
    if let Value::Object(map) = &mut report {
        map.insert("reference".into(), json!(address.to_string()));
        map.insert("content_type".into(), json!(null));
        map.insert("index_digest".into(), json!(index));
        map.insert("platform".into(), json!(chosen));
        if args.raw {
            map.insert("raw".into(), json!(String::from_utf8_lossy(manifest.raw())));
        }
    }
    out.emit("manifest", &report, || {
        let mut head = vec![("Address", address.to_string())];
        if let Some((index, platform)) = &got.from_index {
            head.push(("Index", index.to_string()));
            head.push(("Platform", platform.clone()));
        }
        describe_with(head, &report)
    });
    Ok(())
}
