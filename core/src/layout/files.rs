//! The files of a layout, wherever they are: in a folder, or entries of
//! an indexed tar archive (an oci-archive, a Docker 25+ `docker save`).

use std::path::PathBuf;
use std::sync::Arc;

use crate::archive::TarIndex;
use crate::digest::Digest;
use crate::error::{Error, Result};
use crate::image::BlobFile;

/// Where a layout's files are read from.
#[derive(Debug, Clone)]
pub enum LayoutFiles {
    /// A folder on disk.
    Dir(PathBuf),
    /// The entries of a tar archive, indexed.
    Archive(Arc<TarIndex>),
}

impl LayoutFiles {
    /// The file `name` (relative to the layout's root), if present.
    pub fn file(&self, name: &str) -> Result<Option<BlobFile>> {
        match self {
            LayoutFiles::Dir(dir) => {
                let path = dir.join(name);
                match std::fs::metadata(&path) {
                    Ok(m) if m.is_file() => Ok(Some(BlobFile::whole(path, m.len()))),
                    Ok(_) => Ok(None),
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
                    Err(e) => Err(Error::io(format!("reading {}", path.display()), e)),
                }
            }
            LayoutFiles::Archive(index) => Ok(index.entry(name)),
        }
    }

    /// Reads the file `name` whole, refused past `limit` bytes; fails
    /// with `IO` (not found) naming the layout when it is absent.
    pub fn read(&self, name: &str, limit: u64) -> Result<Vec<u8>> {
        match self.file(name)? {
            Some(file) => file.read_all(limit),
            None => Err(Error::io(
                format!("reading {name} of {}", self.describe()),
                std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    "not an OCI layout: no such file",
                ),
            )),
        }
    }

    /// The blob `digest`, if present (`blobs/<alg>/<hex>`).
    pub fn blob(&self, digest: &Digest) -> Result<Option<BlobFile>> {
        self.file(&format!("blobs/{}/{}", digest.algorithm(), digest.hex()))
    }

    /// Checks `oci-layout` says version 1.x.
    pub fn check_layout_version(&self) -> Result<()> {
        let bytes = self.read("oci-layout", 64 * 1024)?;
        let value: serde_json::Value = serde_json::from_slice(&bytes).map_err(|e| {
            Error::InvalidManifest(format!("oci-layout of {}: {e}", self.describe()))
        })?;
        match value.get("imageLayoutVersion").and_then(|v| v.as_str()) {
            Some(v) if v.starts_with("1.") => Ok(()),
            other => Err(Error::InvalidManifest(format!(
                "oci-layout of {}: imageLayoutVersion {other:?}, expected 1.x",
                self.describe()
            ))),
        }
    }

    fn describe(&self) -> String {
        match self {
            LayoutFiles::Dir(dir) => dir.display().to_string(),
            LayoutFiles::Archive(index) => index.archive().display().to_string(),
        }
    }
}
