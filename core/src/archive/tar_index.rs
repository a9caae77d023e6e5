//! Reading a tar archive without unpacking it: one pass records where
//! each regular file's bytes are, refusing entries that could escape or
//! confuse (absolute paths, `..`, links leaving the archive, devices,
//! duplicate names). Blobs are then read in place, as byte ranges.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Component, Path, PathBuf};

use crate::error::{Error, Result};
use crate::image::BlobFile;

/// Most entries an archive may have.
const MAX_ENTRIES: usize = 100_000;

/// The regular files of a tar archive, by normalised name.
#[derive(Debug)]
pub struct TarIndex {
    path: PathBuf,
    /// The archive as the caller named it (messages name this one).
    archive: PathBuf,
    entries: BTreeMap<String, (u64, u64)>,
    /// A decompressed copy that this index owns (removed when dropped).
    owned: bool,
}

impl Drop for TarIndex {
    fn drop(&mut self) {
        if self.owned {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

impl TarIndex {
    /// Indexes the archive at `path`. A gzip-compressed archive (as
    /// `docker save | gzip` makes) is first decompressed into a file in
    /// `scratch`, removed when the index is dropped. Fails with
    /// `INVALID_ARCHIVE` naming the offending entry.
    pub fn open(path: &Path, scratch: &Path) -> Result<TarIndex> {
        let io = |e| Error::io(format!("reading {}", path.display()), e);
        let mut file = std::fs::File::open(path).map_err(io)?;
        let mut magic = [0u8; 2];
        let n = file.read(&mut magic).map_err(io)?;
        if n == 2 && magic == [0x1f, 0x8b] {
            let plain = scratch.join(format!(
                ".tranship-archive-{}-{}.tar",
                std::process::id(),
                crate::digest::Digest::sha256(path.to_string_lossy().as_bytes()).hex()[..12]
                    .to_owned()
            ));
            let result = decompress(path, &plain).and_then(|()| Self::scan(&plain, path));
            return match result {
                Ok(mut index) => {
                    index.owned = true;
                    Ok(index)
                }
                Err(e) => {
                    let _ = std::fs::remove_file(&plain);
                    Err(e)
                }
            };
        }
        Self::scan(path, path)
    }

    /// The archive file the ranges point into (for a gzip-compressed
    /// archive, its decompressed copy).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The archive that was opened, as given to [`TarIndex::open`].
    pub fn archive(&self) -> &Path {
        &self.archive
    }

    /// The regular file `name` (leading `./` ignored), if present.
    pub fn entry(&self, name: &str) -> Option<BlobFile> {
        let name = normalise(Path::new(name)).ok()?;
        self.entries
            .get(&name)
            .map(|&(offset, len)| BlobFile::part(&self.path, offset, len))
    }

    /// Every regular file's name, sorted.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.entries.keys().map(String::as_str)
    }

    fn scan(plain: &Path, shown: &Path) -> Result<TarIndex> {
        let bad = |reason: String| Error::InvalidArchive {
            archive: shown.display().to_string(),
            reason,
        };
        let file = std::fs::File::open(plain)
            .map_err(|e| Error::io(format!("reading {}", shown.display()), e))?;
        let file_len = file
            .metadata()
            .map_err(|e| Error::io(format!("reading {}", shown.display()), e))?
            .len();
        let mut archive = tar::Archive::new(file);
        let mut entries = BTreeMap::new();
        let mut links: Vec<(String, String)> = Vec::new();
        let mut seen = std::collections::BTreeSet::new();
        let iter = archive
            .entries_with_seek()
            .map_err(|e| bad(format!("not a tar archive: {}", printable(&e))))?;
        for entry in iter {
            let entry =
                entry.map_err(|e| bad(format!("truncated or corrupt: {}", printable(&e))))?;
            if seen.len() >= MAX_ENTRIES {
                return Err(bad(format!("more than {MAX_ENTRIES} entries")));
            }
            let raw = entry
                .path()
                .map_err(|e| bad(format!("an entry name is not valid: {e}")))?
                .into_owned();
            let name = normalise(&raw)
                .map_err(|reason| bad(format!("entry {}: {reason}", raw.display())))?;
            if name.is_empty() {
                continue;
            }
            if !seen.insert(name.clone()) {
                return Err(bad(format!("entry {name} appears twice")));
            }
            use tar::EntryType as T;
            match entry.header().entry_type() {
                T::Regular | T::Continuous => {
                    let end = entry.raw_file_position().saturating_add(entry.size());
                    if end > file_len {
                        return Err(bad(format!(
                            "truncated: entry {name} ends {} bytes past the end of the archive",
                            end - file_len
                        )));
                    }
                    entries.insert(name, (entry.raw_file_position(), entry.size()));
                }
                T::Directory => {}
                T::Symlink | T::Link => {
                    let target = entry
                        .link_name()
                        .map_err(|e| bad(format!("entry {name}: bad link: {e}")))?
                        .ok_or_else(|| bad(format!("entry {name}: a link without a target")))?;
                    let target = if entry.header().entry_type() == T::Symlink {
                        // Relative to the link's folder.
                        let base = Path::new(&name).parent().unwrap_or(Path::new(""));
                        join_inside(base, &target)
                    } else {
                        normalise(&target)
                    }
                    .map_err(|reason| {
                        bad(format!(
                            "entry {name}: link target {}: {reason}",
                            target.display()
                        ))
                    })?;
                    links.push((name, target));
                }
                T::XGlobalHeader | T::XHeader | T::GNULongName | T::GNULongLink => {}
                other => {
                    return Err(bad(format!(
                        "entry {name} is a {other:?}, not a file, folder or link"
                    )))
                }
            }
        }
        for (name, target) in links {
            // One level of links, as docker save writes them (shared layers).
            match entries.get(&target).copied() {
                Some(range) => {
                    entries.insert(name, range);
                }
                None => {
                    return Err(bad(format!(
                        "entry {name} links to {target}, which is not a file in the archive"
                    )))
                }
            }
        }
        Ok(TarIndex {
            path: plain.to_path_buf(),
            archive: shown.to_path_buf(),
            entries,
            owned: false,
        })
    }
}

/// An error of the tar reader, which may quote the bytes of a corrupt
/// header: those that are not printable are shown as `?`.
fn printable(e: &std::io::Error) -> String {
    e.to_string()
        .chars()
        .map(|c| {
            if c.is_control() || c == char::REPLACEMENT_CHARACTER {
                '?'
            } else {
                c
            }
        })
        .collect()
}

/// `a/b/c` from an entry name; refuses absolute paths and `..`.
fn normalise(path: &Path) -> std::result::Result<String, String> {
    let mut parts = Vec::new();
    for c in path.components() {
        match c {
            Component::Normal(p) => parts.push(
                p.to_str()
                    .ok_or_else(|| "the name is not UTF-8".to_string())?
                    .to_string(),
            ),
            Component::CurDir => {}
            Component::ParentDir => return Err("`..` would leave the archive".into()),
            Component::RootDir | Component::Prefix(_) => {
                return Err("an absolute path would leave the archive".into())
            }
        }
    }
    Ok(parts.join("/"))
}

/// `base` joined with a relative link target, `..` allowed while it stays
/// inside the archive.
fn join_inside(base: &Path, target: &Path) -> std::result::Result<String, String> {
    let mut parts: Vec<String> = base
        .components()
        .filter_map(|c| match c {
            Component::Normal(p) => p.to_str().map(str::to_string),
            _ => None,
        })
        .collect();
    for c in target.components() {
        match c {
            Component::Normal(p) => parts.push(
                p.to_str()
                    .ok_or_else(|| "the name is not UTF-8".to_string())?
                    .to_string(),
            ),
            Component::CurDir => {}
            Component::ParentDir => {
                if parts.pop().is_none() {
                    return Err("it leaves the archive".into());
                }
            }
            Component::RootDir | Component::Prefix(_) => {
                return Err("an absolute link leaves the archive".into())
            }
        }
    }
    Ok(parts.join("/"))
}

fn decompress(path: &Path, plain: &Path) -> Result<()> {
    let input = std::fs::File::open(path)
        .map_err(|e| Error::io(format!("reading {}", path.display()), e))?;
    let mut decoder = flate2::read::MultiGzDecoder::new(std::io::BufReader::new(input));
    let mut out = std::fs::File::create(plain)
        .map_err(|e| Error::io(format!("creating {}", plain.display()), e))?;
    std::io::copy(&mut decoder, &mut out).map_err(|e| Error::InvalidArchive {
        archive: path.display().to_string(),
        reason: format!("gzip data is corrupt or truncated: {e}"),
    })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tar_with(entries: &[(&str, tar::EntryType, &[u8], Option<&str>)]) -> Vec<u8> {
        let mut b = tar::Builder::new(Vec::new());
        for (name, kind, data, link) in entries {
            let mut h = tar::Header::new_gnu();
            h.set_entry_type(*kind);
            h.set_size(data.len() as u64);
            h.set_mode(0o644);
            // Bypass the builder's own path checks to write hostile names.
            let bytes = name.as_bytes();
            h.as_old_mut().name[..bytes.len()].copy_from_slice(bytes);
            if let Some(link) = link {
                h.set_link_name(link).unwrap();
            }
            h.set_cksum();
            b.append(&h, *data).unwrap();
        }
        b.into_inner().unwrap()
    }

    fn index_of(bytes: &[u8]) -> Result<TarIndex> {
        let dir = std::env::temp_dir().join(format!(
            "tranship-tar-{}-{}",
            std::process::id(),
            crate::Digest::sha256(bytes).hex()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("a.tar");
        std::fs::write(&path, bytes).unwrap();
        TarIndex::open(&path, &dir)
    }

    #[test]
    fn finds_files_and_follows_inner_links() {
        let t = tar_with(&[
            ("./x/layer.tar", tar::EntryType::Regular, b"hello", None),
            (
                "y/layer.tar",
                tar::EntryType::Symlink,
                b"",
                Some("../x/layer.tar"),
            ),
        ]);
        let index = index_of(&t).unwrap();
        let x = index.entry("x/layer.tar").unwrap();
        assert_eq!(x.read_all(10).unwrap(), b"hello");
        assert_eq!(index.entry("y/layer.tar"), Some(x));
        assert!(index.entry("z").is_none());
    }

    #[test]
    fn refuses_escapes_devices_and_duplicates() {
        use tar::EntryType as T;
        for (entries, says) in [
            (
                vec![("/etc/passwd", T::Regular, &b"x"[..], None)],
                "absolute",
            ),
            (vec![("a/../../b", T::Regular, &b"x"[..], None)], "`..`"),
            (
                vec![("l", T::Symlink, &b""[..], Some("../../etc"))],
                "leaves",
            ),
            (
                vec![("l", T::Symlink, &b""[..], Some("/etc/passwd"))],
                "absolute",
            ),
            (vec![("d", T::Char, &b""[..], None)], "not a file"),
            (
                vec![
                    ("a", T::Regular, &b"x"[..], None),
                    ("./a", T::Regular, &b"y"[..], None),
                ],
                "twice",
            ),
            (
                vec![("l", T::Symlink, &b""[..], Some("missing"))],
                "not a file",
            ),
        ] {
            let err = index_of(&tar_with(&entries)).unwrap_err();
            assert_eq!(err.code(), "INVALID_ARCHIVE", "{err}");
            assert!(err.to_string().contains(says), "{err} should say {says}");
        }
    }

    #[test]
    fn refuses_truncated_archives_and_reads_gzipped_ones() {
        let t = tar_with(&[("a", tar::EntryType::Regular, &[7u8; 3000], None)]);
        let err = index_of(&t[..1000]).unwrap_err();
        assert_eq!(err.code(), "INVALID_ARCHIVE", "{err}");
        let mut garbage = vec![0xffu8; 512];
        garbage[..4].copy_from_slice(b"junk");
        let err = index_of(&garbage).unwrap_err().to_string();
        assert!(err.contains("corrupt"), "{err}");
        assert!(!err.contains(char::REPLACEMENT_CHARACTER), "{err}");
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut gz, &t).unwrap();
        let index = index_of(&gz.finish().unwrap()).unwrap();
        let plain = index.path().to_path_buf();
        assert_ne!(plain, index.archive(), "read from a decompressed copy");
        assert_eq!(
            index.entry("a").unwrap().read_all(4000).unwrap(),
            vec![7u8; 3000]
        );
        drop(index);
        assert!(!plain.exists(), "the decompressed copy is removed");
    }
}
