//! Files that appear whole or not at all.
//!
//! Every file tranship writes (a blob, a downloaded layer, a Docker
//! `config.json`, an archive, an OCI layout's `index.json`) goes through
//! [`AtomicFile`]: it is written under a temporary name in the folder of
//! its destination, `.<name>.tranship-<pid>-<n>.tmp`, synced, and renamed
//! over the destination only when complete. Readers see the old file or
//! the whole new one. Until [`persist`](AtomicFile::persist) succeeds the
//! temporary file belongs to the `AtomicFile`: dropping it (an error
//! returned with `?`, a panic, a cancelled future) removes the temporary
//! file, so a failure leaves nothing behind.
//!
//! Both `std::fs::File` and `tokio::fs::File` writers are offered, and
//! [`path`](AtomicFile::path) with
//! [`rename_into_place`](AtomicFile::rename_into_place) serves code that
//! fills the temporary file itself (moves a file there, or hands the
//! file to a writer that owns it, such as a tar builder).
//!
//! ```
//! use std::io::Write;
//! use tranship::fs::AtomicFile;
//! # let dir = std::env::temp_dir().join(format!("tranship-fs-doc-{}", std::process::id()));
//! # std::fs::create_dir_all(&dir).unwrap();
//! let dest = dir.join("index.json");
//! let temp = AtomicFile::beside(&dest);
//! let mut file = temp.create()?;
//! file.write_all(b"{}").map_err(|e| tranship::Error::io("writing", e))?;
//! temp.persist(file)?;
//! assert_eq!(std::fs::read(&dest).unwrap(), b"{}");
//! # std::fs::remove_dir_all(&dir).unwrap();
//! # Ok::<(), tranship::Error>(())
//! ```

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::error::{Error, Result};

/// A temporary file beside its destination, renamed over it by
/// [`persist`](Self::persist) and removed when dropped unpersisted.
///
/// Creating an `AtomicFile` only chooses the name; [`create`](Self::create)
/// or [`create_async`](Self::create_async) makes the file. Keep the
/// `AtomicFile` alive for as long as the file is being written, and drop
/// the open file before the `AtomicFile` (declare it after), as on
/// Windows an open file cannot be removed.
#[derive(Debug)]
pub struct AtomicFile {
    temp: PathBuf,
    destination: PathBuf,
    owner_only: bool,
    persisted: bool,
}

impl AtomicFile {
    /// Chooses a temporary name in the folder of `destination`:
    /// `.<name>.tranship-<pid>-<n>.tmp`, unique within this process.
    /// Nothing is created yet; the folder must exist when the file is.
    pub fn beside(destination: impl AsRef<Path>) -> AtomicFile {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let destination = destination.as_ref().to_path_buf();
        let name = destination
            .file_name()
            .map_or_else(|| "file".into(), |n| n.to_string_lossy().into_owned());
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let temp =
            destination.with_file_name(format!(".{name}.tranship-{}-{n}.tmp", std::process::id()));
        AtomicFile {
            temp,
            destination,
            owner_only: false,
            persisted: false,
        }
    }

    /// Makes the file readable and writable only by its owner (mode
    /// `0600` on Unix; no effect elsewhere), for files holding secrets.
    /// The destination takes the temporary file's mode when renamed.
    pub fn owner_only(mut self) -> AtomicFile {
        self.owner_only = true;
        self
    }

    /// Where the temporary file is (or will be).
    pub fn path(&self) -> &Path {
        &self.temp
    }

    /// Where the file goes once persisted.
    pub fn destination(&self) -> &Path {
        &self.destination
    }

    /// Creates (or truncates) the temporary file for writing.
    pub fn create(&self) -> Result<File> {
        let mut options = OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        if self.owner_only {
            std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        }
        options
            .open(&self.temp)
            .map_err(|e| self.error("creating", e))
    }

    /// Creates (or truncates) the temporary file for writing from async
    /// code.
    pub async fn create_async(&self) -> Result<tokio::fs::File> {
        let mut options = tokio::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        if self.owner_only {
            options.mode(0o600);
        }
        options
            .open(&self.temp)
            .await
            .map_err(|e| self.error("creating", e))
    }

    /// Flushes and syncs `file` (the one [`create`](Self::create) made),
    /// closes it and renames
    /// the temporary file over the destination. On failure the temporary
    /// file is removed.
    pub fn persist(mut self, mut file: File) -> Result<()> {
        file.flush()
            .and_then(|()| file.sync_all())
            .map_err(|e| self.error("syncing", e))?;
        drop(file);
        std::fs::rename(&self.temp, &self.destination).map_err(|e| self.rename_error(e))?;
        self.persisted = true;
        Ok(())
    }

    /// [`persist`](Self::persist) for a file made by
    /// [`create_async`](Self::create_async).
    pub async fn persist_async(mut self, mut file: tokio::fs::File) -> Result<()> {
        tokio::io::AsyncWriteExt::flush(&mut file)
            .await
            .map_err(|e| self.error("writing", e))?;
        file.sync_all()
            .await
            .map_err(|e| self.error("syncing", e))?;
        drop(file);
        tokio::fs::rename(&self.temp, &self.destination)
            .await
            .map_err(|e| self.rename_error(e))?;
        self.persisted = true;
        Ok(())
    }

    /// Renames the temporary file over the destination, for a file
    /// written, synced and closed by other means: moved to
    /// [`path`](Self::path) from elsewhere, or finished by a writer that
    /// owned it. On failure the temporary file is removed.
    pub fn rename_into_place(mut self) -> Result<()> {
        std::fs::rename(&self.temp, &self.destination).map_err(|e| self.rename_error(e))?;
        self.persisted = true;
        Ok(())
    }

    /// [`rename_into_place`](Self::rename_into_place) from async code.
    pub async fn rename_into_place_async(mut self) -> Result<()> {
        tokio::fs::rename(&self.temp, &self.destination)
            .await
            .map_err(|e| self.rename_error(e))?;
        self.persisted = true;
        Ok(())
    }

    fn error(&self, what: &str, e: std::io::Error) -> Error {
        Error::io(format!("{what} {}", self.temp.display()), e)
    }

    fn rename_error(&self, e: std::io::Error) -> Error {
        Error::io(
            format!(
                "renaming {} to {}",
                self.temp.display(),
                self.destination.display()
            ),
            e,
        )
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if !self.persisted {
            // Absent when never created: nothing to do either way.
            let _ = std::fs::remove_file(&self.temp);
        }
    }
}

/// Writes `bytes` to `path` through an [`AtomicFile`]: readers see the old
/// file or the whole new one, and a failure leaves nothing behind.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let temp = AtomicFile::beside(path);
    let mut file = temp.create()?;
    file.write_all(bytes)
        .map_err(|e| Error::io(format!("writing {}", temp.path().display()), e))?;
    temp.persist(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("tranship-fs-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn temporary_names_sit_beside_the_destination_and_differ() {
        let a = AtomicFile::beside("/x/y/blob");
        let b = AtomicFile::beside("/x/y/blob");
        assert_eq!(a.path().parent(), Some(Path::new("/x/y")));
        let name = a.path().file_name().unwrap().to_string_lossy().into_owned();
        let prefix = format!(".blob.tranship-{}-", std::process::id());
        assert!(
            name.starts_with(&prefix) && name.ends_with(".tmp"),
            "{name}"
        );
        assert_ne!(a.path(), b.path());
        assert_eq!(a.destination(), Path::new("/x/y/blob"));
    }

    #[test]
    fn persist_replaces_the_destination_whole() {
        let dir = temp_dir("replace");
        let dest = dir.join("f");
        std::fs::write(&dest, b"old").unwrap();
        let temp = AtomicFile::beside(&dest);
        let mut file = temp.create().unwrap();
        file.write_all(b"new content").unwrap();
        // Until persisted, readers see the old file.
        assert_eq!(std::fs::read(&dest).unwrap(), b"old");
        temp.persist(file).unwrap();
        assert_eq!(std::fs::read(&dest).unwrap(), b"new content");
        assert_eq!(names(&dir), ["f"]);
        write_atomically(&dest, b"again").unwrap();
        assert_eq!(std::fs::read(&dest).unwrap(), b"again");
        assert_eq!(names(&dir), ["f"]);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn dropping_unpersisted_removes_the_temporary_file() {
        let dir = temp_dir("drop");
        let temp = AtomicFile::beside(dir.join("f"));
        let mut file = temp.create().unwrap();
        file.write_all(b"partial").unwrap();
        drop(file);
        assert!(temp.path().is_file());
        drop(temp);
        assert!(names(&dir).is_empty());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_failed_rename_leaves_no_temporary_file() {
        let dir = temp_dir("fail");
        // A folder cannot be replaced by a file.
        std::fs::create_dir_all(dir.join("f/inside")).unwrap();
        let err = write_atomically(&dir.join("f"), b"x").unwrap_err();
        assert_eq!(err.code(), "IO");
        assert!(err.to_string().contains("renaming"), "{err}");
        assert_eq!(names(&dir), ["f"]);
        let err = write_atomically(&dir.join("missing/f"), b"x").unwrap_err();
        assert_eq!(err.code(), "IO");
        assert_eq!(names(&dir), ["f"]);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[tokio::test]
    async fn a_file_moved_in_is_renamed_into_place() {
        let dir = temp_dir("moved");
        std::fs::write(dir.join("download"), b"verified").unwrap();
        let temp = AtomicFile::beside(dir.join("blob"));
        std::fs::rename(dir.join("download"), temp.path()).unwrap();
        temp.rename_into_place_async().await.unwrap();
        assert_eq!(std::fs::read(dir.join("blob")).unwrap(), b"verified");
        assert_eq!(names(&dir), ["blob"]);
        // Nothing was written to the temporary name: the rename fails, and
        // leaves nothing behind.
        let err = AtomicFile::beside(dir.join("other"))
            .rename_into_place()
            .unwrap_err();
        assert_eq!(err.code(), "IO");
        assert_eq!(names(&dir), ["blob"]);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[tokio::test]
    async fn async_files_persist_and_are_removed_on_drop() {
        let dir = temp_dir("async");
        let temp = AtomicFile::beside(dir.join("secret")).owner_only();
        let mut file = temp.create_async().await.unwrap();
        tokio::io::AsyncWriteExt::write_all(&mut file, b"s3cret")
            .await
            .unwrap();
        temp.persist_async(file).await.unwrap();
        assert_eq!(std::fs::read(dir.join("secret")).unwrap(), b"s3cret");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.join("secret")).unwrap().permissions();
            assert_eq!(mode.mode() & 0o777, 0o600);
        }
        let temp = AtomicFile::beside(dir.join("other"));
        let file = temp.create_async().await.unwrap();
        drop(file);
        drop(temp);
        assert_eq!(names(&dir), ["secret"]);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
