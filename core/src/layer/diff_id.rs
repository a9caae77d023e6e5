//! diff_id of one layer: the digest of its decompressed content.

use std::fs::File;
use std::io::Read;
use std::path::Path;
use std::sync::atomic::AtomicBool;

#[cfg(test)]
use super::hashing::SpareCpus;
use super::hashing::{Hashing, Link};
use super::pipeline;
use super::Compression;
use crate::digest::{Algorithm, Digest};
use crate::error::{Error, Result};

/// Bounds and parallelism for computing diff_ids.
///
/// ```
/// use tranship::layer::DiffIdOptions;
/// let opts = DiffIdOptions::default()
///     .with_max_uncompressed_bytes(1 << 40)
///     .with_parallelism(4);
/// assert_eq!(opts.max_uncompressed_bytes, 1 << 40);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct DiffIdOptions {
    /// Most decompressed bytes accepted from one layer (default 32 GiB).
    /// Past it the layer fails with `LIMIT_EXCEEDED`, which stops
    /// decompression bombs; `u64::MAX` removes the bound.
    pub max_uncompressed_bytes: u64,
    /// Most layers decompressed at once by [`super::diff_ids`] (default:
    /// the number of CPUs). Zero counts as one. While there are CPUs to
    /// spare, a layer hashes on a second thread, overlapping
    /// decompression; when the layers fill the CPUs, each hashes on the
    /// thread that decompresses it, until CPUs free up near the end and
    /// the layers still running take them for hashing threads.
    pub parallelism: usize,
}

impl DiffIdOptions {
    /// The default bound on one layer's decompressed size: 32 GiB.
    pub const DEFAULT_MAX_UNCOMPRESSED_BYTES: u64 = 32 << 30;

    /// Sets [`DiffIdOptions::max_uncompressed_bytes`].
    pub fn with_max_uncompressed_bytes(mut self, bytes: u64) -> Self {
        self.max_uncompressed_bytes = bytes;
        self
    }

    /// Sets [`DiffIdOptions::parallelism`].
    pub fn with_parallelism(mut self, layers: usize) -> Self {
        self.parallelism = layers;
        self
    }
}

impl Default for DiffIdOptions {
    fn default() -> Self {
        DiffIdOptions {
            max_uncompressed_bytes: Self::DEFAULT_MAX_UNCOMPRESSED_BYTES,
            parallelism: std::thread::available_parallelism().map_or(1, |n| n.get()),
        }
    }
}

/// Both digests of a layer, with sizes and the compression found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LayerDigests {
    /// Digest of the blob as stored (a manifest's layer `digest`, a
    /// schema1 `blobSum`).
    pub compressed: Digest,
    /// Size of the blob as stored.
    pub compressed_size: u64,
    /// sha256 of the decompressed content (the config's `rootfs.diff_ids`).
    pub diff_id: Digest,
    /// Size of the decompressed content.
    pub uncompressed_size: u64,
    /// The compression detected.
    pub compression: Compression,
}

/// Computes the diff_id of a layer read from `reader`, together with the
/// digest of the bytes as read, in one streaming pass with constant
/// memory. The compression (gzip, zstd, bzip2, xz or none) is detected
/// from the first bytes.
///
/// Decompression runs on the calling thread and hashing on a second one,
/// overlapping it.
/// Fails with `INVALID_LAYER` on corrupt or truncated data,
/// `LIMIT_EXCEEDED` past [`DiffIdOptions::max_uncompressed_bytes`] and
/// `IO` when reading fails.
///
/// ```
/// use tranship::layer::{diff_id, DiffIdOptions, Compression, EMPTY_LAYER_GZIP};
/// let d = diff_id(&EMPTY_LAYER_GZIP[..], &DiffIdOptions::default()).unwrap();
/// assert_eq!(d.compression, Compression::Gzip);
/// assert_eq!(d.uncompressed_size, 1024);
/// assert_eq!(
///     d.diff_id.to_string(),
///     "sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef"
/// );
/// ```
pub fn diff_id<R: Read>(reader: R, opts: &DiffIdOptions) -> Result<LayerDigests> {
    compute(
        reader,
        "stream",
        Algorithm::Sha256,
        opts,
        None,
        Hashing::OwnThread,
    )
}

/// Computes the diff_id of the layer blob stored in the file at `path`;
/// see [`diff_id`]. Errors name the file.
pub fn diff_id_file(path: impl AsRef<Path>, opts: &DiffIdOptions) -> Result<LayerDigests> {
    let path = path.as_ref();
    let name = path.display().to_string();
    let file = File::open(path).map_err(|e| Error::io(format!("opening layer {name}"), e))?;
    compute(
        file,
        &name,
        Algorithm::Sha256,
        opts,
        None,
        Hashing::OwnThread,
    )
}

/// The engine behind every public entry point: `name` appears in errors,
/// `algorithm` is the one for the compressed digest, `cancel` (when set by
/// another thread) stops the work early, and `hashing` says where hashing
/// runs.
pub(super) fn compute<R: Read>(
    reader: R,
    name: &str,
    algorithm: Algorithm,
    opts: &DiffIdOptions,
    cancel: Option<&AtomicBool>,
    hashing: Hashing,
) -> Result<LayerDigests> {
    let link = Link::new(algorithm, hashing, cancel);
    let decoded = pipeline::decode(reader, &link, name, opts.max_uncompressed_bytes)?;
    let hashes = link.into_hashes().ok_or_else(|| {
        Error::io(
            format!("hashing layer {name}"),
            std::io::Error::other("the hashing thread failed"),
        )
    })?;
    Ok(LayerDigests {
        compressed: hashes.compressed,
        compressed_size: decoded.compressed_size,
        diff_id: hashes.uncompressed,
        uncompressed_size: decoded.uncompressed_size,
        compression: decoded.compression,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_ways_of_hashing_agree() -> Result<()> {
        use std::io::Write;
        let plain: Vec<u8> = (0..3_000_000u32).map(|i| (i % 251) as u8).collect();
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(&plain).map_err(|e| Error::io("gzip", e))?;
        let gz = gz.finish().map_err(|e| Error::io("gzip", e))?;
        let opts = DiffIdOptions::default();
        for blob in [&plain, &gz] {
            for algorithm in [Algorithm::Sha256, Algorithm::Sha512] {
                let inline = compute(
                    &blob[..],
                    "t",
                    algorithm,
                    &opts,
                    None,
                    Hashing::Inline { spare: None },
                )?;
                let threaded = compute(&blob[..], "t", algorithm, &opts, None, Hashing::OwnThread)?;
                assert_eq!(inline, threaded);
                assert_eq!(inline.diff_id, Digest::sha256(&plain));
                assert_eq!(inline.compressed, Digest::compute(algorithm, blob));
            }
        }
        let small = opts.with_max_uncompressed_bytes(1000);
        let err = compute(
            &plain[..],
            "t",
            Algorithm::Sha256,
            &small,
            None,
            Hashing::Inline { spare: None },
        );
        assert_eq!(err.map_err(|e| e.code()), Err("LIMIT_EXCEEDED"));
        Ok(())
    }

    /// A reader that frees a CPU once `at` bytes have been read.
    struct FreesACpu<'s, R> {
        inner: R,
        read: usize,
        at: usize,
        spare: &'s SpareCpus,
    }

    impl<R: Read> Read for FreesACpu<'_, R> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = self.inner.read(buf)?;
            if self.read <= self.at && self.at < self.read + n {
                self.spare.add();
            }
            self.read += n;
            Ok(n)
        }
    }

    #[test]
    fn inline_hashing_moves_to_a_freed_cpu_at_any_point() -> Result<()> {
        use std::io::Write;
        // Barely compressible, so that the blob spans many buffers.
        let mut x = 0x2545_f491_4f6c_dd1du64;
        let plain: Vec<u8> = (0..3_000_000)
            .map(|i| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                if i % 3 == 0 {
                    b'a'
                } else {
                    x as u8
                }
            })
            .collect();
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(&plain).map_err(|e| Error::io("gzip", e))?;
        let gz = gz.finish().map_err(|e| Error::io("gzip", e))?;
        let opts = DiffIdOptions::default();
        for blob in [&plain, &gz] {
            for at in [0, 300_000, blob.len() / 2, blob.len() - 1, usize::MAX] {
                let spare = SpareCpus::default();
                let reader = FreesACpu {
                    inner: &blob[..],
                    read: 0,
                    at,
                    spare: &spare,
                };
                let hashing = Hashing::Inline {
                    spare: Some(&spare),
                };
                let found = compute(reader, "t", Algorithm::Sha256, &opts, None, hashing)?;
                assert_eq!(found.diff_id, Digest::sha256(&plain), "at {at}");
                assert_eq!(found.compressed, Digest::sha256(blob), "at {at}");
                // Every read is followed by a chunk handed over, which
                // takes the CPU freed (`usize::MAX`: none is).
                assert_eq!(spare.idle(), 0, "at {at}");
            }
        }
        Ok(())
    }
}
