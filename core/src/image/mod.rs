//! Where images live: the source and destination traits every place
//! implements (a registry, an OCI layout, a docker-archive, an
//! oci-archive), and the plain values they exchange.
//!
//! A source hands out manifests by their exact bytes and blobs either as
//! a range of a local file (layouts and archives already hold them on
//! disk) or by fetching them into a file. A destination takes blobs from
//! such a local range, then manifests children first, and names the
//! image last, in [`ImageDestination::commit`]: until then nothing is
//! visible at the destination.
//!
//! The traits are object-safe (their futures are boxed), so the copy
//! engine works with `Box<dyn ImageSource>` whatever the place.

use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::Pin;

use crate::descriptor::Descriptor;
use crate::digest::Digest;
use crate::error::Result;
use crate::manifest::{Manifest, ManifestKind};
use crate::media_type::MediaType;

mod growing;
pub mod referrers;

pub use growing::{GrowingWriter, Growth};
pub use referrers::Referrer;

/// A boxed, sendable future, as the traits' methods return.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A blob that an image refers to. Schema1 manifests record no sizes, so
/// `size` may be unknown until the blob is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlobRef {
    /// The blob's digest.
    pub digest: Digest,
    /// Its size in bytes, when the manifest says.
    pub size: Option<u64>,
    /// Its media type, when the manifest says (schema1 does not).
    pub media_type: Option<MediaType>,
}

/// A blob's bytes on local disk: `len` bytes of `path` from `offset`
/// (a whole file in a layout, an entry inside a tar archive), possibly
/// still being written (a download in progress, followed by `growth`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlobFile {
    /// The file holding the bytes.
    pub path: PathBuf,
    /// Where the blob starts in it.
    pub offset: u64,
    /// The blob's size in bytes.
    pub len: u64,
    /// When the file is still being written: how far it got. Readers
    /// wait for the bytes, and fail if the writing fails.
    pub growth: Option<Growth>,
}

impl BlobFile {
    /// The whole of `path`, whose size is `len`.
    pub fn whole(path: impl Into<PathBuf>, len: u64) -> Self {
        BlobFile::part(path, 0, len)
    }

    /// `len` bytes of `path` from `offset`.
    pub fn part(path: impl Into<PathBuf>, offset: u64, len: u64) -> Self {
        BlobFile {
            path: path.into(),
            offset,
            len,
            growth: None,
        }
    }

    /// The whole of `path`, still being written, of final size `len`.
    pub fn growing(path: impl Into<PathBuf>, len: u64, growth: Growth) -> Self {
        BlobFile {
            growth: Some(growth),
            ..BlobFile::whole(path, len)
        }
    }

    /// Opens the range for reading (blocking I/O; a growing file's reader
    /// waits for its bytes).
    pub fn open(&self) -> Result<BlobReader> {
        use std::io::{Seek, SeekFrom};
        let io = |e| crate::Error::io(format!("reading {}", self.path.display()), e);
        let mut file = std::fs::File::open(&self.path).map_err(io)?;
        file.seek(SeekFrom::Start(self.offset)).map_err(io)?;
        Ok(BlobReader {
            file,
            start: self.offset,
            done: 0,
            len: self.len,
            growth: self.growth.clone(),
        })
    }

    /// Reads the range into memory, refused past `limit` bytes.
    pub fn read_all(&self, limit: u64) -> Result<Vec<u8>> {
        use std::io::Read;
        crate::limits::Limits::check("blob size in bytes", self.len, limit)?;
        let mut bytes = Vec::with_capacity(self.len as usize);
        self.open()?
            .read_to_end(&mut bytes)
            .map_err(|e| crate::Error::io(format!("reading {}", self.path.display()), e))?;
        Ok(bytes)
    }

    /// The range's digest (blocking I/O).
    pub fn digest(&self, algorithm: crate::digest::Algorithm) -> Result<Digest> {
        Digest::compute_reader(algorithm, self.open()?)
            .map_err(|e| crate::Error::io(format!("reading {}", self.path.display()), e))
    }

    /// Hashes the range with `digest`'s algorithm and fails with
    /// `DIGEST_MISMATCH` unless it matches (blocking I/O).
    pub fn verify(&self, digest: &Digest) -> Result<()> {
        let actual = self.digest(digest.algorithm())?;
        if &actual == digest {
            Ok(())
        } else {
            Err(crate::Error::DigestMismatch {
                expected: digest.clone(),
                actual,
            })
        }
    }
}

/// Reads a [`BlobFile`]'s range.
pub struct BlobReader {
    file: std::fs::File,
    /// Where the range starts in the file.
    start: u64,
    done: u64,
    len: u64,
    growth: Option<Growth>,
}

impl std::io::Read for BlobReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let mut want = (self.len - self.done).min(buf.len() as u64);
        if let (Some(growth), true) = (&self.growth, want > 0) {
            let at = self.start + self.done;
            let readable = growth.readable_blocking(at)?;
            want = want.min(readable.saturating_sub(at));
        }
        let n = self.file.read(&mut buf[..want as usize])?;
        self.done += n as u64;
        Ok(n)
    }
}

/// The blobs of an image manifest: config first, then layers (schema1:
/// bottom-most first), each once; none for an index.
pub fn image_blobs(manifest: &Manifest) -> Vec<BlobRef> {
    let mut blobs: Vec<BlobRef> = Vec::new();
    let mut push = |blob: BlobRef| {
        if !blobs.iter().any(|b| b.digest == blob.digest) {
            blobs.push(blob);
        }
    };
    let described = |d: &Descriptor| BlobRef {
        digest: d.digest.clone(),
        size: Some(d.size),
        media_type: Some(d.media_type.clone()),
    };
    match manifest.kind() {
        ManifestKind::Image(image) => {
            push(described(&image.config));
            image.layers.iter().map(described).for_each(push);
        }
        ManifestKind::Schema1(s1) => {
            // Bottom-most first, as they are applied.
            for layer in s1.fs_layers.iter().rev() {
                push(BlobRef {
                    digest: layer.blob_sum.clone(),
                    size: None,
                    media_type: None,
                });
            }
        }
        ManifestKind::Index(_) => {}
    }
    blobs
}

/// How a blob came to be at the destination.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlobOutcome {
    /// It was there already; nothing moved.
    Existed,
    /// A registry mounted it from another repository; nothing moved.
    Mounted,
    /// Its bytes were written.
    Copied,
}

impl BlobOutcome {
    /// `existed`, `mounted` or `copied`.
    pub fn as_str(self) -> &'static str {
        match self {
            BlobOutcome::Existed => "existed",
            BlobOutcome::Mounted => "mounted",
            BlobOutcome::Copied => "copied",
        }
    }
}

/// Somewhere images are read from.
pub trait ImageSource: Send + Sync {
    /// The address, for messages and summaries.
    fn describe(&self) -> String;

    /// The manifest the address names (a tag resolved, an index as is),
    /// with its exact bytes.
    fn root(&self) -> BoxFuture<'_, Result<Manifest>>;

    /// A manifest by digest (a child of an index), verified.
    fn manifest<'a>(&'a self, digest: &'a Digest) -> BoxFuture<'a, Result<Manifest>>;

    /// The blob's bytes when they are on local disk already (not yet
    /// verified: the destination verifies what it copies).
    fn local_blob(&self, blob: &BlobRef) -> Result<Option<BlobFile>>;

    /// Whether the source holds `blob`, without reading it: its size, or
    /// `None` when it is absent. By default, from [`local_blob`](Self::local_blob).
    fn blob_size<'a>(&'a self, blob: &'a BlobRef) -> BoxFuture<'a, Result<Option<u64>>> {
        let found = self.local_blob(blob).map(|f| f.map(|f| f.len));
        Box::pin(async move { found })
    }

    /// Fetches a blob that is not local into `path` (created, verified
    /// against the digest, nothing left on failure); returns its size.
    /// `path` is a staging file: it need not be synced to disk, and a
    /// destination that keeps it (moves it into place) syncs it. The
    /// fetch publishes its progress to `growth` (the size once the file
    /// exists, then the bytes written), whose readers follow the file as
    /// it is written, and finishes it once the blob is complete and
    /// verified (the caller fails it when the fetch fails).
    fn fetch_blob<'a>(
        &'a self,
        blob: &'a BlobRef,
        path: &'a Path,
        growth: &'a Growth,
    ) -> BoxFuture<'a, Result<u64>>;

    /// The manifests that refer to `subject` (see [`referrers`]): by the
    /// referrers API or tag schema, then cosign's tags. None by default
    /// (archives keep none).
    fn referrers<'a>(&'a self, subject: &'a Digest) -> BoxFuture<'a, Result<Vec<Referrer>>> {
        let _ = subject;
        Box::pin(async { Ok(Vec::new()) })
    }
}

/// Somewhere images are written to.
pub trait ImageDestination: Send + Sync {
    /// The address, for messages and summaries.
    fn describe(&self) -> String;

    /// Whether the destination can hold an index (a docker-archive holds
    /// single images).
    fn holds_indexes(&self) -> bool;

    /// Whether the destination can store manifests of this media type as
    /// they are (else the copy converts them).
    fn accepts(&self, media_type: &MediaType) -> bool;

    /// A folder where blobs fetched for this destination are staged, on
    /// the destination's file system when it has one.
    fn staging_dir(&self) -> &Path;

    /// Whether [`put_blob`](Self::put_blob) should get a fetched blob
    /// while it is still arriving (the destination reads it once, as it
    /// is written) rather than once complete (the destination moves the
    /// finished file into place).
    fn follows_fetches(&self) -> bool;

    /// Whether plain (uncompressed) layers should be compressed on their
    /// way in: true for registries, as pulls move the bytes over the
    /// network (the default: no).
    fn compresses_layers(&self) -> bool {
        false
    }

    /// Makes the blob present without moving bytes when it can: `Existed`
    /// when it is there, `Mounted` when a registry mounted it; `None`
    /// when its bytes must be given to [`ImageDestination::put_blob`].
    fn reuse_blob<'a>(&'a self, blob: &'a BlobRef) -> BoxFuture<'a, Result<Option<BlobOutcome>>>;

    /// Stores a blob from a local range, verifying it against its digest.
    /// `owned` says the file is a staged copy the destination may move
    /// or delete: one [`ImageSource::fetch_blob`] verified, not synced to
    /// disk.
    fn put_blob<'a>(
        &'a self,
        digest: &'a Digest,
        file: BlobFile,
        owned: bool,
    ) -> BoxFuture<'a, Result<()>>;

    /// Stores a small blob (a config a conversion made) from memory.
    fn put_blob_bytes<'a>(
        &'a self,
        digest: &'a Digest,
        bytes: Vec<u8>,
    ) -> BoxFuture<'a, Result<()>>;

    /// Stores a manifest that the root refers to (an index's child), by
    /// digest.
    fn put_manifest<'a>(&'a self, manifest: &'a Manifest) -> BoxFuture<'a, Result<()>>;

    /// Stores the root manifest and names it (a tag, an `index.json`
    /// entry, an archive renamed into place): the copy becomes visible.
    /// Returns the digest under which the destination holds it.
    fn commit<'a>(&'a self, root: &'a Manifest) -> BoxFuture<'a, Result<Digest>>;

    /// Whether [`put_referrer`](Self::put_referrer) keeps referrers
    /// (registries and layouts do; archives do not).
    fn holds_referrers(&self) -> bool {
        false
    }

    /// Stores `manifest`, a referrer of `subject` whose blobs are there
    /// already, where readers look for it: by its subject (a registry
    /// without the referrers API, and a layout, list it in the index
    /// tagged `<alg>-<hex>`) or under its cosign tag. Visible with the
    /// image, at [`commit`](Self::commit), where the place can hold both
    /// back.
    fn put_referrer<'a>(
        &'a self,
        subject: &'a Digest,
        referrer: &'a Referrer,
        manifest: &'a Manifest,
    ) -> BoxFuture<'a, Result<()>> {
        let _ = (subject, referrer, manifest);
        Box::pin(async move {
            Err(crate::Error::Conversion(format!(
                "{} cannot hold referrers",
                self.describe()
            )))
        })
    }
}

/// Copies a local range into `out` while hashing it; fails with
/// `DIGEST_MISMATCH` (after copying) unless it hashes to `digest`.
/// Blocking I/O. Returns the bytes copied.
pub fn copy_verified(
    file: &BlobFile,
    digest: &Digest,
    out: &mut dyn std::io::Write,
) -> Result<u64> {
    use std::io::Read;
    let mut reader = file.open()?;
    let mut hasher = digest.algorithm().hasher();
    let mut buf = vec![0u8; 256 * 1024];
    let mut done = 0u64;
    loop {
        let n = reader
            .read(&mut buf)
            .map_err(|e| crate::Error::io(format!("reading {}", file.path.display()), e))?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        out.write_all(&buf[..n])
            .map_err(|e| crate::Error::io("writing a blob", e))?;
        done += n as u64;
    }
    if done != file.len {
        return Err(crate::Error::io(
            format!("reading {}", file.path.display()),
            std::io::Error::new(
                std::io::ErrorKind::UnexpectedEof,
                format!("expected {} bytes, found {done}", file.len),
            ),
        ));
    }
    let actual = hasher.finish();
    if &actual != digest {
        return Err(crate::Error::DigestMismatch {
            expected: digest.clone(),
            actual,
        });
    }
    Ok(done)
}

/// Runs blocking work (file I/O, hashing) off the async runtime.
pub(crate) async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T> + Send + 'static,
) -> Result<T> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| crate::Error::io("a blocking task", std::io::Error::other(e)))?
}
