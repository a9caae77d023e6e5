//! `tranship digest --file F`

use serde_json::json;
use tranship::{Algorithm, Digest, Result};

use crate::cli::DigestArgs;
use crate::commands::manifest::load;
use crate::output::Output;

/// Prints the digest of a manifest document (for signed schema1, of its
/// JWS payload, as registries compute it).
pub fn run(args: &DigestArgs, out: Output) -> Result<()> {
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
