//! diff_ids of many layers at once: in parallel, deduplicated, cached.

use std::collections::HashMap;
use std::fmt;
use std::fs::File;
use std::io::Read;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;

use super::diff_id::compute;
use super::hashing::{Hashing, SpareCpus};
use super::{DiffIdCache, DiffIdOptions, LayerDigests};
use crate::digest::{Algorithm, Digest};
use crate::error::{Error, Result};

/// One layer blob to compute a diff_id for: a file (opened only when its
/// turn comes) or a reader, optionally with the digest it should have.
///
/// ```
/// use tranship::layer::{diff_ids, DiffIdCache, DiffIdOptions, LayerSource, EMPTY_LAYER_GZIP};
/// let sources = vec![LayerSource::reader("empty", &EMPTY_LAYER_GZIP[..])];
/// let digests = diff_ids(sources, &DiffIdCache::new(), &DiffIdOptions::default()).unwrap();
/// assert_eq!(digests[0].uncompressed_size, 1024);
/// ```
pub struct LayerSource<'a> {
    name: String,
    digest: Option<Digest>,
    open: Open<'a>,
}

enum Open<'a> {
    File(PathBuf),
    Reader(Box<dyn Read + Send + 'a>),
}

impl<'a> LayerSource<'a> {
    /// The blob stored in the file at `path`; errors name the path.
    pub fn file(path: impl Into<PathBuf>) -> Self {
        let path = path.into();
        LayerSource {
            name: path.display().to_string(),
            digest: None,
            open: Open::File(path),
        }
    }

    /// The size of the blob when known without reading it (a file's), or 0.
    fn size_hint(&self) -> u64 {
        match &self.open {
            Open::File(path) => std::fs::metadata(path).map_or(0, |m| m.len()),
            Open::Reader(_) => 0,
        }
    }

    /// The blob read from `reader`; `name` appears in errors.
    pub fn reader(name: impl Into<String>, reader: impl Read + Send + 'a) -> Self {
        LayerSource {
            name: name.into(),
            digest: None,
            open: Open::Reader(Box::new(reader)),
        }
    }

    /// Declares the digest the blob should have (a manifest's layer
    /// digest or schema1 `blobSum`). A cached result for it is used
    /// without reading the blob; otherwise the blob is checked against it
    /// and a mismatch fails with `DIGEST_MISMATCH`.
    pub fn with_digest(mut self, digest: Digest) -> Self {
        self.digest = Some(digest);
        self
    }

    /// The name used in errors.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The declared digest, if any.
    pub fn digest(&self) -> Option<&Digest> {
        self.digest.as_ref()
    }

    fn compute(
        self,
        opts: &DiffIdOptions,
        cancel: &AtomicBool,
        hashing: Hashing<'_>,
    ) -> Result<LayerDigests> {
        let algorithm = self
            .digest
            .as_ref()
            .map_or(Algorithm::Sha256, Digest::algorithm);
        let name = &self.name;
        let found = match self.open {
            Open::File(path) => {
                let file =
                    File::open(&path).map_err(|e| Error::io(format!("opening layer {name}"), e))?;
                compute(file, name, algorithm, opts, Some(cancel), hashing)?
            }
            Open::Reader(reader) => compute(reader, name, algorithm, opts, Some(cancel), hashing)?,
        };
        match self.digest {
            Some(expected) if expected != found.compressed => Err(Error::DigestMismatch {
                expected,
                actual: found.compressed,
            }),
            _ => Ok(found),
        }
    }
}

impl fmt::Debug for LayerSource<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LayerSource")
            .field("name", &self.name)
            .field("digest", &self.digest)
            .finish_non_exhaustive()
    }
}

/// Computes the diff_ids of `sources`, returned in the same order.
///
/// Blobs whose declared digest is in `cache` are not read; blobs declared
/// more than once are read once; up to [`DiffIdOptions::parallelism`]
/// layers are decompressed at the same time. Every result is added to
/// `cache`. The first failure stops the layers still running and is
/// returned.
pub fn diff_ids(
    sources: Vec<LayerSource<'_>>,
    cache: &DiffIdCache,
    opts: &DiffIdOptions,
) -> Result<Vec<LayerDigests>> {
    let count = sources.len();
    let mut results: Vec<Option<LayerDigests>> = vec![None; count];
    let mut first_with: HashMap<Digest, usize> = HashMap::new();
    let mut repeats = Vec::new();
    let mut work = Vec::new();
    for (index, source) in sources.into_iter().enumerate() {
        if let Some(digest) = source.digest() {
            if let Some(hit) = cache.get(digest) {
                results[index] = Some(hit);
                continue;
            }
            if let Some(&first) = first_with.get(digest) {
                repeats.push((index, first));
                continue;
            }
            first_with.insert(digest.clone(), index);
        }
        work.push((index, source));
    }
    // Largest first: the last layers to finish are then small ones, so
    // no large layer runs alone at the end while other CPUs idle.
    work.sort_by_key(|(_, source)| std::cmp::Reverse(source.size_hint()));
    for (index, digests) in run_parallel(work, opts)? {
        cache.insert(digests.clone());
        results[index] = Some(digests);
    }
    for (index, first) in repeats {
        results[index] = results[first].clone();
    }
    let results: Vec<LayerDigests> = results.into_iter().flatten().collect();
    debug_assert_eq!(results.len(), count);
    Ok(results)
}

/// Runs `work` on up to `opts.parallelism` threads; the first error
/// cancels the rest.
fn run_parallel(
    work: Vec<(usize, LayerSource<'_>)>,
    opts: &DiffIdOptions,
) -> Result<Vec<(usize, LayerDigests)>> {
    let workers = opts.parallelism.max(1).min(work.len());
    let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
    let queue = Mutex::new(work.into_iter());
    let running = AtomicUsize::new(0);
    // CPUs no worker uses, now or once workers run out of layers: a layer
    // hashing inline claims one for a hashing thread of its own.
    let spare = SpareCpus::default();
    for _ in workers..cpus {
        spare.add();
    }
    let done = Mutex::new(Vec::new());
    let failure: Mutex<Option<Error>> = Mutex::new(None);
    let cancel = AtomicBool::new(false);
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| loop {
                if cancel.load(Ordering::Relaxed) {
                    return;
                }
                let (next, waiting) = {
                    let mut queue = queue.lock().unwrap_or_else(|e| e.into_inner());
                    (queue.next(), queue.len())
                };
                let Some((index, source)) = next else {
                    spare.add();
                    return;
                };
                // Layers that will run side by side from now on: when they
                // fill the CPUs, a hashing thread per layer only adds
                // hand-over costs, so they hash inline until a CPU frees
                // up (a worker runs out of layers); the first layer to see
                // it takes it for a hashing thread.
                let side_by_side =
                    (running.fetch_add(1, Ordering::Relaxed) + 1 + waiting).min(workers);
                let hashing = if 2 * side_by_side <= cpus {
                    Hashing::OwnThread
                } else {
                    Hashing::Inline {
                        spare: Some(&spare),
                    }
                };
                let result = source.compute(opts, &cancel, hashing);
                running.fetch_sub(1, Ordering::Relaxed);
                match result {
                    Ok(digests) => done
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .push((index, digests)),
                    Err(err) => {
                        // Only the first failure is reported: the others
                        // are mostly layers stopped because of it.
                        if !cancel.swap(true, Ordering::Relaxed) {
                            *failure.lock().unwrap_or_else(|e| e.into_inner()) = Some(err);
                        }
                        return;
                    }
                }
            });
        }
    });
    match failure.into_inner().unwrap_or_else(|e| e.into_inner()) {
        Some(err) => Err(err),
        None => Ok(done.into_inner().unwrap_or_else(|e| e.into_inner())),
    }
}
