//! The families of error codes, and the table giving each code its family.

/// Every code [`Error::code`](super::Error::code) can return, once, with its family: the one
/// place a code is given its family. A new code is one line here.
pub const CODES: &[(&str, ErrorFamily)] = &[
    ("INVALID_REFERENCE", ErrorFamily::Reference),
    ("INVALID_ADDRESS", ErrorFamily::Address),
    ("INVALID_DIGEST", ErrorFamily::Digest),
    ("DIGEST_MISMATCH", ErrorFamily::Digest),
    ("INVALID_MANIFEST", ErrorFamily::Manifest),
    ("UNSUPPORTED_MEDIA_TYPE", ErrorFamily::Manifest),
    ("INVALID_SIGNATURE", ErrorFamily::Manifest),
    ("INVALID_KEY", ErrorFamily::Manifest),
    ("INVALID_JSON", ErrorFamily::Manifest),
    ("INVALID_TIME", ErrorFamily::Manifest),
    ("INVALID_CONFIG", ErrorFamily::Manifest),
    ("INCOMPLETE_INDEX", ErrorFamily::Manifest),
    ("INVALID_PLATFORM", ErrorFamily::Platform),
    ("PLATFORM_NOT_FOUND", ErrorFamily::Platform),
    ("CONVERSION", ErrorFamily::Conversion),
    ("DIGESTS_NOT_PRESERVED", ErrorFamily::Conversion),
    ("INVALID_LAYER", ErrorFamily::Layer),
    ("ENCODER_UNAVAILABLE", ErrorFamily::Layer),
    ("INVALID_ARCHIVE", ErrorFamily::Archive),
    ("MANIFEST_UNKNOWN", ErrorFamily::Registry),
    ("BLOB_UNKNOWN", ErrorFamily::Registry),
    ("NAME_UNKNOWN", ErrorFamily::Registry),
    ("UNAUTHORIZED", ErrorFamily::Registry),
    ("DENIED", ErrorFamily::Registry),
    ("TOO_MANY_REQUESTS", ErrorFamily::Registry),
    ("REGISTRY", ErrorFamily::Registry),
    ("NETWORK", ErrorFamily::Registry),
    ("CREDENTIALS", ErrorFamily::Registry),
    ("LIMIT_EXCEEDED", ErrorFamily::Limit),
    ("IO", ErrorFamily::Io),
];

/// A kind of failure: the codes a caller may want to catch together.
///
/// Python raises one `TranshipError` subclass per family (named in each
/// variant's documentation). Families are stable: a new code joins one of
/// them in [`CODES`]; a new family is a change every binding must make.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorFamily {
    /// A malformed image reference (Python `ReferenceError`).
    Reference,
    /// An image address (`docker://REF`, `oci:DIR[:NAME]`, ...) with an
    /// unknown transport or a malformed path or name (Python
    /// `AddressError`).
    Address,
    /// A malformed digest, or content that does not match one (Python
    /// `DigestError`).
    Digest,
    /// A manifest, image config, JSON text, time, signature, signing key or
    /// configuration that is malformed, unsupported or badly signed
    /// (Python `ManifestError`).
    Manifest,
    /// A malformed platform, or none in an index matches (Python
    /// `PlatformError`).
    Platform,
    /// A conversion the target format cannot express (Python
    /// `ConversionError`).
    Conversion,
    /// A layer blob that is not a readable (compressed) tar stream
    /// (Python `LayerError`).
    Layer,
    /// An image tarball that is malformed, truncated or unsafe (Python
    /// `ArchiveError`).
    Archive,
    /// A registry refused, could not be reached, lacks the content, or
    /// its credentials could not be had (Python `RegistryError`).
    Registry,
    /// Input past a configured limit (Python `LimitError`).
    Limit,
    /// Reading or writing a file or stream failed (Python `IOError`).
    Io,
}

impl ErrorFamily {
    /// Every family, in the order of this enum.
    pub const ALL: &[ErrorFamily] = &[
        ErrorFamily::Reference,
        ErrorFamily::Address,
        ErrorFamily::Digest,
        ErrorFamily::Manifest,
        ErrorFamily::Platform,
        ErrorFamily::Conversion,
        ErrorFamily::Layer,
        ErrorFamily::Archive,
        ErrorFamily::Registry,
        ErrorFamily::Limit,
        ErrorFamily::Io,
    ];

    /// The stable name of the family, e.g. `REGISTRY`.
    pub fn name(self) -> &'static str {
        match self {
            ErrorFamily::Reference => "REFERENCE",
            ErrorFamily::Address => "ADDRESS",
            ErrorFamily::Digest => "DIGEST",
            ErrorFamily::Manifest => "MANIFEST",
            ErrorFamily::Platform => "PLATFORM",
            ErrorFamily::Conversion => "CONVERSION",
            ErrorFamily::Layer => "LAYER",
            ErrorFamily::Archive => "ARCHIVE",
            ErrorFamily::Registry => "REGISTRY",
            ErrorFamily::Limit => "LIMIT",
            ErrorFamily::Io => "IO",
        }
    }

    /// The family of `code`, or `None` when it is not one of [`CODES`].
    pub fn of_code(code: &str) -> Option<ErrorFamily> {
        CODES
            .iter()
            .find(|(listed, _)| *listed == code)
            .map(|&(_, family)| family)
    }

    /// The codes of this family, in the order of [`CODES`].
    pub fn codes(self) -> impl Iterator<Item = &'static str> {
        CODES
            .iter()
            .filter(move |(_, family)| *family == self)
            .map(|&(code, _)| code)
    }
}

impl std::fmt::Display for ErrorFamily {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn every_family_has_a_unique_name_and_codes() {
        let all: HashSet<_> = ErrorFamily::ALL.iter().copied().collect();
        assert_eq!(all.len(), ErrorFamily::ALL.len());
        let names: HashSet<_> = all.iter().map(|f| f.name()).collect();
        assert_eq!(names.len(), all.len());
        for (_, family) in CODES {
            assert!(
                all.contains(family),
                "{family:?} is missing from ErrorFamily::ALL"
            );
        }
        for family in ErrorFamily::ALL {
            assert!(family.codes().next().is_some(), "{family} has no codes");
        }
        assert_eq!(
            ErrorFamily::Digest.codes().collect::<Vec<_>>(),
            ["INVALID_DIGEST", "DIGEST_MISMATCH"]
        );
        assert_eq!(ErrorFamily::of_code("NOT_A_CODE"), None);
    }
}
