//! One error type for the whole core, each variant with a stable code.
//!
//! Codes are part of the public contract: the CLI prints `error[CODE]`,
//! Python raises a `TranshipError` subclass with `.code`, Node rejects with
//! `err.code`, Kotlin and Swift receive a typed error carrying `code`.
//!
//! Each code belongs to one [`ErrorFamily`], a kind of failure callers
//! catch as a whole (Python raises one exception class per family). The
//! table [`CODES`] lists every code once, with its family.
//!
//! ```
//! use tranship::error::ErrorFamily;
//! let err = "no spaces allowed".parse::<tranship::Reference>().unwrap_err();
//! assert_eq!(err.code(), "INVALID_REFERENCE");
//! assert_eq!(err.family(), ErrorFamily::Reference);
//! assert_eq!(ErrorFamily::of_code("DIGEST_MISMATCH"), Some(ErrorFamily::Digest));
//! ```

use crate::digest::Digest;

mod family;

pub use family::{ErrorFamily, CODES};

/// Result with [`Error`] as the default error type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in tranship.
///
/// Messages say what was expected and what was found; [`Error::code`]
/// gives the stable, machine-readable code.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A reference could not be parsed or violates a naming rule.
    #[error("invalid reference `{input}`: {reason}")]
    InvalidReference {
        /// The text as given.
        input: String,
        /// Which part is wrong, and why.
        reason: String,
    },
    /// An image address (`docker://REF`, `oci:DIR[:NAME]`, ...) names an
    /// unknown or unsupported transport, or its path or name is malformed.
    /// A malformed reference inside an address is
    /// [`InvalidReference`](Error::InvalidReference) instead.
    #[error("invalid address `{input}`: {reason}")]
    InvalidAddress {
        /// The text as given.
        input: String,
        /// Which part is wrong, and what was expected.
        reason: String,
    },
    /// A digest string is malformed or uses an unknown algorithm.
    #[error("invalid digest `{input}`: {reason}")]
    InvalidDigest {
        /// The text as given.
        input: String,
        /// What is wrong with it.
        reason: String,
    },
    /// Content does not hash to the digest it was expected to have.
    #[error("digest mismatch: expected {expected}, content hashes to {actual}")]
    DigestMismatch {
        /// The digest the content was expected to have.
        expected: Digest,
        /// The digest the content actually has.
        actual: Digest,
    },
    /// A manifest is not well-formed for its kind.
    #[error("invalid manifest: {0}")]
    InvalidManifest(String),
    /// A media type is known but not usable here, or not known at all.
    #[error("unsupported media type: {0}")]
    UnsupportedMediaType(String),
    /// A schema1 signature is malformed or does not verify.
    #[error("invalid signature: {0}")]
    InvalidSignature(String),
    /// A platform string or object is malformed.
    #[error("invalid platform `{input}`: {reason}")]
    InvalidPlatform {
        /// The text as given.
        input: String,
        /// What is wrong with it.
        reason: String,
    },
    /// No entry of an index matches the requested platform.
    #[error("no manifest for platform {wanted}; the index offers: {available}")]
    PlatformNotFound {
        /// The requested platform, normalised.
        wanted: String,
        /// The platforms the index lists, comma-separated.
        available: String,
    },
    /// Input exceeds a configured limit (size, count or nesting depth).
    #[error("{what} exceeds the limit: {found} > {limit}")]
    LimitExceeded {
        /// What was measured.
        what: &'static str,
        /// The measured value.
        found: u64,
        /// The configured limit.
        limit: u64,
    },
    /// The registry does not have the manifest (by tag or digest).
    #[error("manifest unknown: {message}")]
    ManifestUnknown {
        /// The registry's message, or what was asked for.
        message: String,
    },
    /// The registry does not have the blob.
    #[error("blob unknown: {message}")]
    BlobUnknown {
        /// The registry's message, or what was asked for.
        message: String,
    },
    /// The repository is not known to the registry.
    #[error("name unknown: {message}")]
    NameUnknown {
        /// The registry's message.
        message: String,
    },
    /// The registry wants credentials, or refused the ones given.
    #[error("unauthorized: {message}")]
    Unauthorized {
        /// The registry's message.
        message: String,
    },
    /// The credentials are valid but not allowed to do this.
    #[error("denied: {message}")]
    Denied {
        /// The registry's message.
        message: String,
    },
    /// The registry is rate limiting this client.
    #[error("too many requests: {message}{}", rate_limit_suffix(.rate_limit))]
    TooManyRequests {
        /// The registry's message.
        message: String,
        /// The registry's rate-limit headers (`name: value`), when present.
        rate_limit: Vec<String>,
    },
    /// Any other error the registry reported, with its own code.
    #[error("registry error {registry_code} (HTTP {status}): {message}")]
    Registry {
        /// The registry's error code, e.g. `MANIFEST_INVALID`, or `HTTP_<status>`.
        registry_code: String,
        /// The HTTP status.
        status: u16,
        /// The registry's message.
        message: String,
    },
    /// Talking to a server failed: connection, TLS, protocol or timeout.
    #[error("{context}: {message}")]
    Network {
        /// What was being done.
        context: String,
        /// What went wrong.
        message: String,
    },
    /// Credentials could not be read, stored or obtained from a helper.
    #[error("credentials: {0}")]
    Credentials(String),
    /// A configuration file or option is invalid.
    #[error("invalid configuration: {0}")]
    InvalidConfig(String),
    /// An index names children that are not there: a sparse index read
    /// for a child it lacks, or a destination that refuses an index
    /// whose children it does not hold.
    #[error("incomplete index {index}: {} not present ({}): {reason}", children(.missing.len()), .missing.join(", "))]
    IncompleteIndex {
        /// The index's digest.
        index: Digest,
        /// The absent children, each `digest (platform)`.
        missing: Vec<String>,
        /// Where they are missing, and the ways out.
        reason: String,
    },
    /// Keeping every digest was asked for, and what else was asked
    /// would change one.
    #[error("digests would change: {0}")]
    DigestsNotPreserved(String),
    /// A layer blob cannot be decompressed: corrupt or truncated data, or
    /// a compression tranship does not read.
    #[error("invalid layer {layer}: {reason}")]
    InvalidLayer {
        /// The layer: a path, a digest or another name the caller gave.
        layer: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The layer compression asked for cannot be written here with the
    /// bytes (so the digests) every other machine writes.
    #[error("encoder unavailable: {0}")]
    EncoderUnavailable(String),
    /// A layer decompresses to more bytes than allowed (a decompression
    /// bomb, or a limit set too low for a genuinely large layer).
    #[error("layer {layer} decompresses to more than {limit} bytes, the limit; raise `max_uncompressed_bytes` if it is genuine")]
    LayerTooLarge {
        /// The layer: a path, a digest or another name the caller gave.
        layer: String,
        /// The configured limit in bytes.
        limit: u64,
    },
    /// Text that should be JSON is not (as Go's encoding/json scanner
    /// judges it).
    #[error("invalid JSON: {0}")]
    InvalidJson(String),
    /// A time is not in the RFC 3339 form Go's `time.Time` reads.
    #[error("invalid time `{input}`: {reason}")]
    InvalidTime {
        /// The text as given.
        input: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A conversion was refused: the target format cannot express the
    /// source, or the source lacks what the conversion needs.
    #[error("cannot convert: {0}")]
    Conversion(String),
    /// A signing key cannot be read or is of a kind that cannot be used.
    #[error("invalid key: {0}")]
    InvalidKey(String),
    /// A tar archive is malformed, truncated, or has entries that could
    /// escape it (absolute paths, `..`, links leaving it, devices,
    /// duplicate names).
    #[error("invalid archive {archive}: {reason}")]
    InvalidArchive {
        /// The archive's path.
        archive: String,
        /// What is wrong with it.
        reason: String,
    },
    /// Reading or writing a file or stream failed.
    #[error("{context}: {source}")]
    Io {
        /// What was being done.
        context: String,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
}

impl Error {
    /// The stable code of this error, e.g. `INVALID_REFERENCE`.
    pub fn code(&self) -> &'static str {
        match self {
            Error::InvalidReference { .. } => "INVALID_REFERENCE",
            Error::InvalidAddress { .. } => "INVALID_ADDRESS",
            Error::InvalidDigest { .. } => "INVALID_DIGEST",
            Error::DigestMismatch { .. } => "DIGEST_MISMATCH",
            Error::InvalidManifest(_) => "INVALID_MANIFEST",
            Error::UnsupportedMediaType(_) => "UNSUPPORTED_MEDIA_TYPE",
            Error::InvalidSignature(_) => "INVALID_SIGNATURE",
            Error::InvalidPlatform { .. } => "INVALID_PLATFORM",
            Error::PlatformNotFound { .. } => "PLATFORM_NOT_FOUND",
            Error::LimitExceeded { .. } => "LIMIT_EXCEEDED",
            Error::InvalidLayer { .. } => "INVALID_LAYER",
            Error::LayerTooLarge { .. } => "LIMIT_EXCEEDED",
            Error::EncoderUnavailable(_) => "ENCODER_UNAVAILABLE",
            Error::InvalidJson(_) => "INVALID_JSON",
            Error::InvalidTime { .. } => "INVALID_TIME",
            Error::ManifestUnknown { .. } => "MANIFEST_UNKNOWN",
            Error::BlobUnknown { .. } => "BLOB_UNKNOWN",
            Error::Conversion(_) => "CONVERSION",
            Error::InvalidKey(_) => "INVALID_KEY",
            Error::InvalidArchive { .. } => "INVALID_ARCHIVE",
            Error::Io { .. } => "IO",
            Error::NameUnknown { .. } => "NAME_UNKNOWN",
            Error::Unauthorized { .. } => "UNAUTHORIZED",
            Error::Denied { .. } => "DENIED",
            Error::TooManyRequests { .. } => "TOO_MANY_REQUESTS",
            Error::Registry { .. } => "REGISTRY",
            Error::Network { .. } => "NETWORK",
            Error::Credentials(_) => "CREDENTIALS",
            Error::InvalidConfig(_) => "INVALID_CONFIG",
            Error::IncompleteIndex { .. } => "INCOMPLETE_INDEX",
            Error::DigestsNotPreserved(_) => "DIGESTS_NOT_PRESERVED",
        }
    }

    /// The family of this error's code, as listed in [`CODES`].
    pub fn family(&self) -> ErrorFamily {
        // Every code is listed (error::tests proves it); IO is the
        // least specific family, should one ever be missing.
        ErrorFamily::of_code(self.code()).unwrap_or(ErrorFamily::Io)
    }

    /// Wraps an I/O error with a description of what was being done.
    pub fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        Error::Io {
            context: context.into(),
            source,
        }
    }
}

/// `1 child` or `N children`.
pub(crate) fn children(n: usize) -> String {
    counted(n, "child", "children")
}

/// `1 layer`, `3 layers`.
pub(crate) fn layers(n: usize) -> String {
    counted(n, "layer", "layers")
}

fn counted(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// ` (rate limit: a; b)` when the registry sent rate-limit headers.
fn rate_limit_suffix(headers: &[String]) -> String {
    if headers.is_empty() {
        String::new()
    } else {
        format!(" (rate limit: {})", headers.join("; "))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    /// One error of each variant. The match makes a new variant fail to
    /// compile until it is listed here with a sample.
    macro_rules! one_of_each {
        ($($pattern:pat => $sample:expr,)*) => {{
            #[allow(dead_code)]
            fn exhaustive(e: &Error) {
                match e {
                    $($pattern => {})*
                }
            }
            vec![$({
                let sample = $sample;
                assert!(matches!(sample, $pattern), "{} is not a sample of {}", sample, stringify!($pattern));
                sample
            }),*]
        }};
    }

    fn samples() -> Vec<Error> {
        let text = || String::from("x");
        one_of_each! {
            Error::InvalidReference { .. } => Error::InvalidReference { input: text(), reason: text() },
            Error::InvalidAddress { .. } => Error::InvalidAddress { input: text(), reason: text() },
            Error::InvalidDigest { .. } => Error::InvalidDigest { input: text(), reason: text() },
            Error::DigestMismatch { .. } => Error::DigestMismatch {
                expected: Digest::sha256(b"a"),
                actual: Digest::sha256(b"b"),
            },
            Error::InvalidManifest(_) => Error::InvalidManifest(text()),
            Error::UnsupportedMediaType(_) => Error::UnsupportedMediaType(text()),
            Error::InvalidSignature(_) => Error::InvalidSignature(text()),
            Error::InvalidPlatform { .. } => Error::InvalidPlatform { input: text(), reason: text() },
            Error::PlatformNotFound { .. } => Error::PlatformNotFound { wanted: text(), available: text() },
            Error::LimitExceeded { .. } => Error::LimitExceeded { what: "x", found: 2, limit: 1 },
            Error::ManifestUnknown { .. } => Error::ManifestUnknown { message: text() },
            Error::BlobUnknown { .. } => Error::BlobUnknown { message: text() },
            Error::NameUnknown { .. } => Error::NameUnknown { message: text() },
            Error::Unauthorized { .. } => Error::Unauthorized { message: text() },
            Error::Denied { .. } => Error::Denied { message: text() },
            Error::TooManyRequests { .. } => Error::TooManyRequests { message: text(), rate_limit: Vec::new() },
            Error::Registry { .. } => Error::Registry { registry_code: text(), status: 500, message: text() },
            Error::Network { .. } => Error::Network { context: text(), message: text() },
            Error::Credentials(_) => Error::Credentials(text()),
            Error::InvalidConfig(_) => Error::InvalidConfig(text()),
            Error::IncompleteIndex { .. } => Error::IncompleteIndex {
                index: Digest::sha256(b"a"),
                missing: vec![text()],
                reason: text(),
            },
            Error::DigestsNotPreserved(_) => Error::DigestsNotPreserved(text()),
            Error::InvalidLayer { .. } => Error::InvalidLayer { layer: text(), reason: text() },
            Error::LayerTooLarge { .. } => Error::LayerTooLarge { layer: text(), limit: 1 },
            Error::EncoderUnavailable(_) => Error::EncoderUnavailable(text()),
            Error::InvalidJson(_) => Error::InvalidJson(text()),
            Error::InvalidTime { .. } => Error::InvalidTime { input: text(), reason: text() },
            Error::Conversion(_) => Error::Conversion(text()),
            Error::InvalidKey(_) => Error::InvalidKey(text()),
            Error::InvalidArchive { .. } => Error::InvalidArchive { archive: text(), reason: text() },
            Error::Io { .. } => Error::io("x", std::io::Error::other("x")),
        }
    }

    #[test]
    fn every_variant_has_a_code_listed_with_a_family() {
        for e in samples() {
            let family = ErrorFamily::of_code(e.code());
            assert!(family.is_some(), "{} is missing from CODES", e.code());
            assert_eq!(Some(e.family()), family);
        }
    }

    #[test]
    fn codes_are_listed_once_and_every_one_is_used() {
        let mut listed = HashSet::new();
        for (code, _) in CODES {
            assert!(listed.insert(*code), "{code} is listed twice");
            assert!(
                code.bytes().all(|b| b.is_ascii_uppercase() || b == b'_'),
                "{code}"
            );
        }
        let used: HashSet<_> = samples().iter().map(Error::code).collect();
        assert_eq!(listed, used, "CODES lists codes no variant has");
    }
}
