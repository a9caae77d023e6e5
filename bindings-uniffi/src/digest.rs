//! `parseDigest`.

use crate::error::TranshipError;

/// A content digest split into its parts.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Digest {
    /// The algorithm: `sha256` or `sha512`.
    pub algorithm: String,
    /// The lowercase hex encoding, without the `algorithm:` prefix.
    pub hex: String,
}

/// Parses `algorithm:hex`; fails with code `INVALID_DIGEST`.
#[uniffi::export]
pub fn parse_digest(text: String) -> Result<Digest, TranshipError> {
    let digest: tranship::Digest = text.parse()?;
    Ok(Digest {
        algorithm: digest.algorithm().as_str().to_string(),
        hex: digest.hex().to_string(),
    })
}
