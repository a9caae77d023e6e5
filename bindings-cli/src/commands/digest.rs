//! `tranship digest REF`, `tranship digest --file F`,
//! `tranship digest --parse DIGEST`

use serde_json::json;
use tranship::{Algorithm, Digest, Result};

use crate::cli::DigestArgs;
use crate::commands::manifest::load;
use crate::output::Output;
use crate::remote::block_on;
use tranship::registry::parse_address;

/// Prints the digest of a manifest document (for signed schema1, of its
/// JWS payload, as registries compute it).
pub fn run(args: &DigestArgs, out: Output) -> Result<()> {
    if let Some(address) = &args.reference {
        return remote(address, args, out);
    }
    let Some(file) = &args.file else {
        return parse(args.parse.as_deref().unwrap_or_default(), out);
    };
    let manifest = load(file, args.content_type.as_deref(), &args.limits)?;
    let algorithm: Algorithm = args.algorithm.parse()?;
    let digest = manifest.digest_with(algorithm).to_string();
    out.emit("digest", &json!({ "digest": digest }), || digest.clone());
    Ok(())
}

/// Validates a digest string and prints its algorithm and hex.
fn parse(text: &str, out: Output) -> Result<()> {
    let d: Digest = text.parse()?;
    let report = json!({ "algorithm": d.algorithm().as_str(), "hex": d.hex() });
    out.emit("digest_parse", &report, || {
        format!("{}\n{}", d.algorithm(), d.hex())
    });
    Ok(())
}

/// The registry's digest of the manifest `address` names: its
/// `Docker-Content-Digest` from a HEAD request (the manifest is fetched
/// and hashed when the registry reports none, or another one).
fn remote(address: &str, args: &DigestArgs, out: Output) -> Result<()> {
    let r = parse_address(address)?;
    let client = args.registry.client(r.registry())?;
    let digest = block_on(client.manifest_digest(&r, &[]))?.to_string();
    let report = json!({ "digest": digest, "reference": r.to_string() });
    out.emit("digest", &report, || digest.clone());
    Ok(())
}
