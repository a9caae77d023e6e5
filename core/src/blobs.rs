//! Blobs on disk, found as an OCI blob store: `DIR/blobs/<alg>/<hex>` (an
//! OCI image layout) or `DIR/<alg>/<hex>`.
//!
//! Reads are verified against the digest that names the blob; writes go
//! to a temporary name in the same folder and are renamed into place only
//! when complete, so no reader ever sees half a blob.
//!
//! ```
//! use tranship::blobs::BlobStore;
//! # let dir = std::env::temp_dir().join(format!("tranship-blobs-doc-{}", std::process::id()));
//! # std::fs::create_dir_all(dir.join("blobs/sha256")).unwrap();
//! let store = BlobStore::open(&dir)?;
//! let digest = store.write(b"{}")?;
//! assert_eq!(store.read(&digest, 1024)?, b"{}");
//! assert_eq!(store.size(&digest)?, 2);
//! # std::fs::remove_dir_all(&dir).unwrap();
//! # Ok::<(), tranship::Error>(())
//! ```

use std::fs::{self, File};
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::digest::{Digest, VerifyingReader};
use crate::error::{Error, Result};

/// A folder of content-addressed blobs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlobStore {
    /// The folder holding the `sha256/` (and `sha512/`) folders.
    root: PathBuf,
}

impl BlobStore {
    /// Opens the blob store in `dir`: `dir/blobs/` when it exists (an OCI
    /// layout), else `dir` itself when it holds `sha256/`. Fails with `IO`
    /// when `dir` has neither, naming both places looked at.
    pub fn open(dir: impl AsRef<Path>) -> Result<BlobStore> {
        let dir = dir.as_ref();
        let layout = dir.join("blobs");
        let root = if layout.is_dir() {
            layout
        } else if dir.join("sha256").is_dir() {
            dir.to_path_buf()
        } else {
            return Err(Error::io(
                format!("opening blob store {}", dir.display()),
                std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    format!(
                        "found neither {} nor {}",
                        layout.join("sha256").display(),
                        dir.join("sha256").display()
                    ),
                ),
            ));
        };
        Ok(BlobStore { root })
    }

    /// The folder holding the per-algorithm folders.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Where the blob with `digest` is (or would be) stored.
    pub fn path(&self, digest: &Digest) -> PathBuf {
        self.root
            .join(digest.algorithm().as_str())
            .join(digest.hex())
    }

    /// Whether the store holds a file for `digest` (not verified).
    pub fn contains(&self, digest: &Digest) -> bool {
        self.path(digest).is_file()
    }

    /// The size in bytes of the stored blob, from the file system.
    /// Fails with `BLOB_UNKNOWN` when it is absent.
    pub fn size(&self, digest: &Digest) -> Result<u64> {
        let path = self.path(digest);
        match fs::metadata(&path) {
            Ok(m) if m.is_file() => Ok(m.len()),
            Ok(_) => Err(self.unknown(digest)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(self.unknown(digest)),
            Err(e) => Err(Error::io(format!("reading {}", path.display()), e)),
        }
    }

    /// Opens the blob for streaming. The reader fails with
    /// `DIGEST_MISMATCH` at the end of the stream when the content does
    /// not hash to `digest`. Fails with `BLOB_UNKNOWN` when it is absent.
    pub fn reader(&self, digest: &Digest) -> Result<VerifyingReader<File>> {
        let path = self.path(digest);
        let file = File::open(&path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => self.unknown(digest),
            _ => Error::io(format!("opening {}", path.display()), e),
        })?;
        Ok(VerifyingReader::new(file, digest.clone()))
    }

    /// Reads a whole blob of at most `max` bytes (a config, a manifest),
    /// verified against `digest`. Fails with `LIMIT_EXCEEDED` past `max`.
    pub fn read(&self, digest: &Digest, max: u64) -> Result<Vec<u8>> {
        crate::limits::Limits::check("blob size in bytes", self.size(digest)?, max)?;
        let mut bytes = Vec::new();
        self.reader(digest)?
            .take(max.saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(Error::from_io)?;
        crate::limits::Limits::check("blob size in bytes", bytes.len() as u64, max)?;
        Ok(bytes)
    }

    /// Stores `bytes` under their SHA-256 digest and returns it. The file
    /// is written through an [`AtomicFile`](crate::fs::AtomicFile), so it
    /// appears whole or not at all and a failure leaves nothing behind. A
    /// blob already present with the right content is left alone.
    pub fn write(&self, bytes: &[u8]) -> Result<Digest> {
        let digest = Digest::sha256(bytes);
        let path = self.path(&digest);
        if fs::read(&path).is_ok_and(|held| held == bytes) {
            return Ok(digest);
        }
        let dir = path.parent().unwrap_or(&self.root);
        fs::create_dir_all(dir).map_err(|e| Error::io(format!("creating {}", dir.display()), e))?;
        crate::fs::write_atomically(&path, bytes)?;
        Ok(digest)
    }

    fn unknown(&self, digest: &Digest) -> Error {
        Error::BlobUnknown {
            message: format!(
                "{digest} is not in the blob store (looked for {})",
                self.path(digest).display()
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("tranship-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn finds_both_layouts_and_refuses_neither() {
        let dir = temp_dir("blobs-layouts");
        fs::create_dir_all(dir.join("plain/sha256")).unwrap();
        fs::create_dir_all(dir.join("oci/blobs/sha256")).unwrap();
        fs::create_dir_all(dir.join("empty")).unwrap();
        assert_eq!(
            BlobStore::open(dir.join("plain")).unwrap().root(),
            dir.join("plain")
        );
        assert_eq!(
            BlobStore::open(dir.join("oci")).unwrap().root(),
            dir.join("oci/blobs")
        );
        let err = BlobStore::open(dir.join("empty")).unwrap_err();
        assert_eq!(err.code(), "IO");
        assert!(err.to_string().contains("found neither"), "{err}");
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn reads_are_verified_and_writes_leave_no_temporary_files() {
        let dir = temp_dir("blobs-verify");
        fs::create_dir_all(dir.join("sha256")).unwrap();
        let store = BlobStore::open(&dir).unwrap();
        let d = store.write(b"hello").unwrap();
        assert_eq!(store.write(b"hello").unwrap(), d);
        let names: Vec<_> = fs::read_dir(dir.join("sha256")).unwrap().collect();
        assert_eq!(names.len(), 1);
        fs::write(store.path(&d), b"hullo").unwrap();
        assert_eq!(store.read(&d, 100).unwrap_err().code(), "DIGEST_MISMATCH");
        assert_eq!(store.read(&d, 2).unwrap_err().code(), "LIMIT_EXCEEDED");
        let missing = Digest::sha256(b"absent");
        assert_eq!(store.size(&missing).unwrap_err().code(), "BLOB_UNKNOWN");
        assert_eq!(store.read(&missing, 9).unwrap_err().code(), "BLOB_UNKNOWN");
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_failed_write_leaves_no_temporary_file() {
        let dir = temp_dir("blobs-fail");
        let store_dir = dir.join("sha256");
        fs::create_dir_all(&store_dir).unwrap();
        let store = BlobStore::open(&dir).unwrap();
        // A folder where the blob should go: the rename into place fails.
        let digest = Digest::sha256(b"blocked");
        fs::create_dir_all(store.path(&digest).join("inside")).unwrap();
        assert_eq!(store.write(b"blocked").unwrap_err().code(), "IO");
        let names: Vec<_> = fs::read_dir(&store_dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, [std::ffi::OsString::from(digest.hex())]);
        fs::remove_dir_all(&dir).unwrap();
    }
}
