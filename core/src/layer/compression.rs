//! Which compression a layer blob uses, told from its first bytes.

use std::fmt;

/// The compression of a layer blob, detected from its magic bytes.
///
/// A tar archive has no magic number at offset 0, so anything that is not
/// recognised is read as plain (uncompressed) data.
///
/// ```
/// use tranship::layer::Compression;
/// assert_eq!(Compression::detect(&[0x1f, 0x8b, 0x08, 0, 0, 0]), Compression::Gzip);
/// assert_eq!(Compression::detect(&[0x28, 0xb5, 0x2f, 0xfd]), Compression::Zstd);
/// assert_eq!(Compression::detect(b"etc/\0\0"), Compression::None);
/// assert_eq!(Compression::Gzip.to_string(), "gzip");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Compression {
    /// Plain data, usually a tar archive.
    None,
    /// gzip (RFC 1952); concatenated members are read as one stream.
    Gzip,
    /// Zstandard; concatenated and skippable frames are allowed.
    Zstd,
    /// bzip2, found in very old images; concatenated streams are allowed.
    Bzip2,
    /// xz, found in very old images.
    Xz,
}

impl Compression {
    /// How many leading bytes [`Compression::detect`] needs to tell every
    /// compression apart (fewer are fine at the end of a short stream).
    pub const MAGIC_LEN: usize = 6;

    /// Detects the compression from the first bytes of a blob, as Docker
    /// and containers/image do: gzip `1f 8b 08`, zstd `28 b5 2f fd` (or a
    /// skippable frame `5? 2a 4d 18`), bzip2 `BZh`, xz `fd 37 7a 58 5a 00`;
    /// anything else is plain.
    pub fn detect(prefix: &[u8]) -> Compression {
        match prefix {
            [0x1f, 0x8b, 0x08, ..] => Compression::Gzip,
            [0x28, 0xb5, 0x2f, 0xfd, ..] => Compression::Zstd,
            [m, 0x2a, 0x4d, 0x18, ..] if m & 0xf0 == 0x50 => Compression::Zstd,
            [b'B', b'Z', b'h', ..] => Compression::Bzip2,
            [0xfd, b'7', b'z', b'X', b'Z', 0x00, ..] => Compression::Xz,
            _ => Compression::None,
        }
    }

    /// A short lowercase name: `none`, `gzip`, `zstd`, `bzip2` or `xz`.
    pub fn as_str(self) -> &'static str {
        match self {
            Compression::None => "none",
            Compression::Gzip => "gzip",
            Compression::Zstd => "zstd",
            Compression::Bzip2 => "bzip2",
            Compression::Xz => "xz",
        }
    }
}

impl fmt::Display for Compression {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_every_magic_and_defaults_to_plain() {
        assert_eq!(
            Compression::detect(&[0xfd, b'7', b'z', b'X', b'Z', 0]),
            Compression::Xz
        );
        assert_eq!(Compression::detect(b"BZh91AY"), Compression::Bzip2);
        assert_eq!(
            Compression::detect(&[0x5e, 0x2a, 0x4d, 0x18]),
            Compression::Zstd
        );
        // gzip with a method other than deflate is not gzip we can read.
        assert_eq!(Compression::detect(&[0x1f, 0x8b, 0x07]), Compression::None);
        assert_eq!(Compression::detect(&[0x1f]), Compression::None);
        assert_eq!(Compression::detect(&[]), Compression::None);
    }
}
