//! `parseDigest`.

use napi_derive::napi;

use crate::error::{to_js, Result};

/// A content digest split into its parts.
#[napi(object)]
pub struct Digest {
    /// The algorithm: `sha256` or `sha512`.
    pub algorithm: String,
    /// The lowercase hex encoding, without the `algorithm:` prefix.
    pub hex: String,
}

/// Parses `algorithm:hex`; throws with `code` `INVALID_DIGEST`.
#[napi]
pub fn parse_digest(text: String) -> Result<Digest> {
    let digest: tranship::Digest = text.parse().map_err(to_js)?;
    Ok(Digest {
        algorithm: digest.algorithm().as_str().to_string(),
        hex: digest.hex().to_string(),
    })
}
