//! Content digests: `algorithm:hex`, hashing, and verifying readers.
//!
//! ```
//! use tranship::Digest;
//! let d = Digest::sha256(b"hello");
//! assert_eq!(
//!     d.to_string(),
//!     "sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"
//! );
//! assert!(d.verify(b"hello").is_ok());
//! assert_eq!(d.verify(b"bye").unwrap_err().code(), "DIGEST_MISMATCH");
//! ```

use std::fmt;
use std::io::{self, Read};
use std::str::FromStr;

use data_encoding::HEXLOWER;
use sha2::Digest as _;

use crate::error::{Error, Result};

/// A digest algorithm tranship can compute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Algorithm {
    /// SHA-256, the registry default.
    Sha256,
    /// SHA-512.
    Sha512,
}

impl Algorithm {
    /// The name used in digest strings (`sha256`, `sha512`).
    pub fn as_str(self) -> &'static str {
        match self {
            Algorithm::Sha256 => "sha256",
            Algorithm::Sha512 => "sha512",
        }
    }

    /// Number of hex characters in an encoded digest of this algorithm.
    pub fn hex_len(self) -> usize {
        match self {
            Algorithm::Sha256 => 64,
            Algorithm::Sha512 => 128,
        }
    }

    /// Starts an incremental hash.
    pub fn hasher(self) -> Hasher {
        match self {
            Algorithm::Sha256 => Hasher::Sha256(sha2::Sha256::new()),
            Algorithm::Sha512 => Hasher::Sha512(sha2::Sha512::new()),
        }
    }
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Algorithm {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        match s {
            "sha256" => Ok(Algorithm::Sha256),
            "sha512" => Ok(Algorithm::Sha512),
            other => Err(Error::InvalidDigest {
                input: other.to_string(),
                reason: "unknown algorithm; expected `sha256` or `sha512`".into(),
            }),
        }
    }
}

/// An incremental hash for one [`Algorithm`].
#[derive(Clone)]
pub enum Hasher {
    /// SHA-256 state.
    Sha256(sha2::Sha256),
    /// SHA-512 state.
    Sha512(sha2::Sha512),
}

impl Hasher {
    /// Feeds bytes into the hash.
    pub fn update(&mut self, data: &[u8]) {
        match self {
            Hasher::Sha256(h) => h.update(data),
            Hasher::Sha512(h) => h.update(data),
        }
    }

    /// Finishes the hash and returns the digest.
    pub fn finish(self) -> Digest {
        match self {
            Hasher::Sha256(h) => Digest {
                algorithm: Algorithm::Sha256,
                hex: HEXLOWER.encode(&h.finalize()),
            },
            Hasher::Sha512(h) => Digest {
                algorithm: Algorithm::Sha512,
                hex: HEXLOWER.encode(&h.finalize()),
            },
        }
    }
}

/// A content digest such as `sha256:2cf24d…`.
///
/// Only `sha256` (64 hex) and `sha512` (128 hex) with lowercase hex are
/// accepted, as the OCI image spec registers them.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Digest {
    algorithm: Algorithm,
    hex: String,
}

impl Digest {
    /// Computes the digest of `data` with `algorithm`.
    pub fn compute(algorithm: Algorithm, data: &[u8]) -> Self {
        let mut h = algorithm.hasher();
        h.update(data);
        h.finish()
    }

    /// Computes the SHA-256 digest of `data`.
    pub fn sha256(data: &[u8]) -> Self {
        Self::compute(Algorithm::Sha256, data)
    }

    /// Computes the digest of everything `reader` yields, in constant
    /// memory.
    pub fn compute_reader(algorithm: Algorithm, mut reader: impl Read) -> io::Result<Self> {
        let mut h = algorithm.hasher();
        let mut buffer = vec![0u8; 256 * 1024];
        loop {
            match reader.read(&mut buffer) {
                Ok(0) => return Ok(h.finish()),
                Ok(n) => h.update(&buffer[..n]),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
    }

    /// Computes the digest of the file at `path`, in constant memory.
    pub fn compute_file(algorithm: Algorithm, path: &std::path::Path) -> Result<Self> {
        let what = || format!("reading {}", path.display());
        let file = std::fs::File::open(path).map_err(|e| Error::io(what(), e))?;
        Self::compute_reader(algorithm, file).map_err(|e| Error::io(what(), e))
    }

    /// The sha256 digest made of `bytes`.
    pub(crate) fn from_sha256_bytes(bytes: &[u8; 32]) -> Self {
        Digest {
            algorithm: Algorithm::Sha256,
            hex: HEXLOWER.encode(bytes),
        }
    }

    /// The algorithm.
    pub fn algorithm(&self) -> Algorithm {
        self.algorithm
    }

    /// The lowercase hex encoding, without the `algorithm:` prefix.
    pub fn hex(&self) -> &str {
        &self.hex
    }

    /// Checks that `data` hashes to this digest.
    pub fn verify(&self, data: &[u8]) -> Result<()> {
        let actual = Self::compute(self.algorithm, data);
        if actual == *self {
            Ok(())
        } else {
            Err(Error::DigestMismatch {
                expected: self.clone(),
                actual,
            })
        }
    }
}

impl fmt::Display for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.algorithm, self.hex)
    }
}

impl FromStr for Digest {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        let invalid = |reason: String| Error::InvalidDigest {
            input: s.to_string(),
            reason,
        };
        let (alg, hex) = s
            .split_once(':')
            .ok_or_else(|| invalid("expected `algorithm:hex`, found no `:`".into()))?;
        let algorithm = match alg {
            "sha256" => Algorithm::Sha256,
            "sha512" => Algorithm::Sha512,
            _ => {
                return Err(invalid(format!(
                    "unknown algorithm `{alg}`; expected `sha256` or `sha512`"
                )))
            }
        };
        if hex.len() != algorithm.hex_len() {
            return Err(invalid(format!(
                "{alg} needs {} hex characters, found {}",
                algorithm.hex_len(),
                hex.len()
            )));
        }
        if let Some(c) = hex.chars().find(|c| !matches!(c, '0'..='9' | 'a'..='f')) {
            return Err(invalid(format!(
                "`{c}` is not a lowercase hex digit (0-9, a-f)"
            )));
        }
        Ok(Digest {
            algorithm,
            hex: hex.to_string(),
        })
    }
}

impl serde::Serialize for Digest {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Digest {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// A reader that hashes what passes through it and, at end of stream,
/// fails with `DIGEST_MISMATCH` (as an [`io::Error`] wrapping [`Error`])
/// unless the content matched the expected digest.
///
/// ```
/// use std::io::Read;
/// use tranship::{digest::VerifyingReader, Digest};
/// let mut r = VerifyingReader::new(&b"hello"[..], Digest::sha256(b"hello"));
/// let mut out = Vec::new();
/// r.read_to_end(&mut out).unwrap();
///
/// let mut bad = VerifyingReader::new(&b"hullo"[..], Digest::sha256(b"hello"));
/// let err = bad.read_to_end(&mut Vec::new()).unwrap_err();
/// assert_eq!(tranship::Error::from_io(err).code(), "DIGEST_MISMATCH");
/// ```
pub struct VerifyingReader<R> {
    inner: R,
    hasher: Option<Hasher>,
    expected: Digest,
}

impl<R: Read> VerifyingReader<R> {
    /// Wraps `inner`, expecting its whole content to hash to `expected`.
    pub fn new(inner: R, expected: Digest) -> Self {
        VerifyingReader {
            inner,
            hasher: Some(expected.algorithm().hasher()),
            expected,
        }
    }
}

impl<R: Read> Read for VerifyingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n > 0 {
            if let Some(h) = self.hasher.as_mut() {
                h.update(&buf[..n]);
            }
        } else if !buf.is_empty() {
            if let Some(h) = self.hasher.take() {
                let actual = h.finish();
                if actual != self.expected {
                    return Err(io::Error::new(
                        io::ErrorKind::InvalidData,
                        Error::DigestMismatch {
                            expected: self.expected.clone(),
                            actual,
                        },
                    ));
                }
            }
        }
        Ok(n)
    }
}

impl Error {
    /// Recovers a tranship error carried inside an [`io::Error`] (as
    /// [`VerifyingReader`] produces), or wraps a plain I/O error as `IO`.
    pub fn from_io(err: io::Error) -> Self {
        if !err.get_ref().is_some_and(|e| e.is::<Error>()) {
            return Error::io("reading stream", err);
        }
        let kind = err.kind();
        match err.into_inner().map(|e| e.downcast::<Error>()) {
            Some(Ok(e)) => *e,
            Some(Err(other)) => Error::io("reading stream", io::Error::new(kind, other)),
            None => Error::io("reading stream", kind.into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_match_slices() {
        let data: Vec<u8> = (0..600_000u32).map(|i| (i % 251) as u8).collect();
        let streamed = Digest::compute_reader(Algorithm::Sha512, &data[..]).unwrap();
        assert_eq!(streamed, Digest::compute(Algorithm::Sha512, &data));
        let path = std::env::temp_dir().join(format!("tranship-digest-{}", std::process::id()));
        std::fs::write(&path, &data).unwrap();
        let from_file = Digest::compute_file(Algorithm::Sha256, &path).unwrap();
        std::fs::remove_file(&path).unwrap();
        assert_eq!(from_file, Digest::sha256(&data));
        let missing = Digest::compute_file(Algorithm::Sha256, &path).unwrap_err();
        assert_eq!(missing.code(), "IO");
    }

    #[test]
    fn parses_and_prints() {
        let s = format!("sha512:{}", "ab".repeat(64));
        let d: Digest = s.parse().unwrap();
        assert_eq!(d.algorithm(), Algorithm::Sha512);
        assert_eq!(d.to_string(), s);
    }

    #[test]
    fn rejects_uppercase_and_wrong_length() {
        let up = format!("sha256:{}", "A".repeat(64));
        assert!(up
            .parse::<Digest>()
            .unwrap_err()
            .to_string()
            .contains("`A`"));
        let short = format!("sha256:{}", "a".repeat(63));
        assert!(short.parse::<Digest>().is_err());
        assert!("md5:abc".parse::<Digest>().is_err());
    }

    #[test]
    fn verifying_reader_passes_good_content() {
        let mut r = VerifyingReader::new(&b"abc"[..], Digest::sha256(b"abc"));
        let mut out = Vec::new();
        r.read_to_end(&mut out).unwrap();
        assert_eq!(out, b"abc");
    }
}
