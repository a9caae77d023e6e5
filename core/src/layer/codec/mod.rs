//! The one place layers are compressed and decompressed.
//!
//! Decoding reads gzip (concatenated members too) with ISA-L, zstd,
//! bzip2 and xz; encoding writes gzip or zstd at a level. Encoding one
//! layer is a single pass over its input that yields the new blob's
//! digest and size and the diff_id and size of the content (the input is
//! decoded first when it is compressed, so this recompresses too).
//!
//! The bytes written depend on the input, the format and the level only:
//! gzip is cut into fixed 1 MiB blocks compressed on every core (see
//! [`CompressOptions::threads`]) and zstd always runs its multi-threaded
//! mode, whose output does not depend on the number of workers. As a
//! layer's digest is part of its image, a different encoder would mean
//! different images: where ISA-L's fast x86-64 code cannot run, gzip
//! levels 1 and 2 refuse with `ENCODER_UNAVAILABLE` rather than write
//! other bytes.
//!
//! ```
//! use tranship::layer::{compress, CompressOptions, CompressSettings};
//! let opts = CompressOptions::from_settings(&CompressSettings {
//!     format: Some("zstd".into()),
//!     level: Some(3),
//!     ..CompressSettings::default()
//! })?;
//! let mut blob = Vec::new();
//! let layer = compress(&b"some tar bytes"[..], &mut blob, &opts)?;
//! assert_eq!(layer.uncompressed_size, 14);
//! assert_eq!(layer.compressed_size, blob.len() as u64);
//! # Ok::<(), tranship::Error>(())
//! ```

mod gzip;
mod isal;
mod options;

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::Path;

pub use options::{CompressOptions, CompressSettings, LayerFormat};

use super::{Compression, DiffIdOptions, LayerDigests};
use crate::digest::{Algorithm, Digest, Hasher};
use crate::error::{Error, Result};
use crate::fs::AtomicFile;

/// Where a decoder puts what it decodes. [`Sink::fill_from`] lets a sink
/// with buffers of its own have a reader decode straight into them.
pub(crate) trait Sink: Write {
    /// Reads `reader` to its end into the sink.
    fn fill_from(&mut self, reader: &mut dyn Read) -> io::Result<()> {
        let mut buf = vec![0; 256 * 1024];
        loop {
            match reader.read(&mut buf) {
                Ok(0) => return Ok(()),
                Ok(n) => self.write_all(&buf[..n])?,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        }
    }
}

/// Decodes `input`, compressed with `compression`, into `sink`.
pub(crate) fn decode(
    compression: Compression,
    mut input: impl BufRead,
    sink: &mut impl Sink,
) -> io::Result<()> {
    match compression {
        Compression::None => sink.fill_from(&mut input),
        Compression::Gzip => sink.fill_from(&mut isal::GzipReader::new(input)),
        Compression::Zstd => sink.fill_from(&mut zstd::stream::read::Decoder::with_buffer(input)?),
        Compression::Bzip2 => sink.fill_from(&mut bzip2::bufread::MultiBzDecoder::new(input)),
        Compression::Xz => lzma_rs::xz_decompress(&mut input, sink).map_err(|e| match e {
            lzma_rs::error::Error::IoError(e) | lzma_rs::error::Error::HeaderTooShort(e) => e,
            other => io::Error::new(io::ErrorKind::InvalidData, other.to_string()),
        }),
    }
}

/// Compresses a layer read from `input` (plain, or compressed in any way
/// tranship reads: it is decoded first) into `output`, in one pass.
/// Returns the new blob's digest and size and the content's diff_id and
/// size.
///
/// Fails with `ENCODER_UNAVAILABLE` where the format and level cannot be
/// written with the bytes promised, `INVALID_LAYER` on corrupt input
/// (naming the byte offset), `LIMIT_EXCEEDED` past
/// [`CompressOptions::max_uncompressed_bytes`] and `IO`.
pub fn compress<R: Read, W: Write + Send>(
    input: R,
    mut output: W,
    opts: &CompressOptions,
) -> Result<LayerDigests> {
    Ok(encode(input, "stream", &mut output, opts)?.layer)
}

/// [`compress`] from the file at `input` to the file at `output`,
/// written whole or not at all (a temporary file beside it is renamed
/// into place). Errors name the input file.
pub fn compress_file(
    input: impl AsRef<Path>,
    output: impl AsRef<Path>,
    opts: &CompressOptions,
) -> Result<LayerDigests> {
    let input = input.as_ref();
    let name = input.display().to_string();
    let file = File::open(input).map_err(|e| Error::io(format!("opening layer {name}"), e))?;
    Ok(recompress(file, &name, output.as_ref(), opts)?.layer)
}

/// A layer written by [`encode`]: the new blob and content, and the
/// digest and size of the input as read.
pub(crate) struct Encoded {
    pub(crate) layer: LayerDigests,
    pub(crate) input: Digest,
    pub(crate) input_size: u64,
}

/// Compresses the layer read from `input` (called `name` in errors) into
/// the file at `output`, written whole or not at all, also returning
/// what the input was (a copy checks it against the digest the source
/// gave).
pub(crate) fn recompress(
    input: impl Read,
    name: &str,
    output: &Path,
    opts: &CompressOptions,
) -> Result<Encoded> {
    let target = AtomicFile::beside(output);
    let mut out = io::BufWriter::with_capacity(256 * 1024, target.create()?);
    let encoded = encode(input, name, &mut out, opts)?;
    let out = out
        .into_inner()
        .map_err(|e| Error::io(format!("writing {}", output.display()), e.into_error()))?;
    target.persist(out)?;
    Ok(encoded)
}

/// Decodes `input` and encodes its content into `output` as `opts` say,
/// hashing the input, the content and the output on the way.
fn encode(
    input: impl Read,
    name: &str,
    output: &mut (dyn Write + Send),
    opts: &CompressOptions,
) -> Result<Encoded> {
    opts.check_available()?;
    let mut written = Counted::new(output);
    let produce = |sink: &mut dyn Write| read_into(input, name, opts.max_uncompressed_bytes, sink);
    let (source, content) = match opts.format {
        LayerFormat::Gzip => gzip::encode(opts.level as u32, opts.threads, &mut written, produce),
        LayerFormat::Zstd => zstd_encode(opts, &mut written, produce),
    }
    .map_err(|e| layer_error(e, name))?;
    Ok(Encoded {
        layer: LayerDigests {
            compressed: written.digest(),
            compressed_size: written.count,
            diff_id: content.digest,
            uncompressed_size: content.size,
            compression: opts.format.compression(),
        },
        input: source.digest,
        input_size: source.size,
    })
}

/// Decompresses the layer blob at `input` (any compression tranship
/// reads, or none) into the file at `output`, written whole or not at
/// all. Returns the blob's digest and size and the content's diff_id and
/// size; fails with `INVALID_LAYER` on corrupt or truncated data, naming
/// the byte offset, and `LIMIT_EXCEEDED` past
/// [`DiffIdOptions::max_uncompressed_bytes`].
pub fn decompress_file(
    input: impl AsRef<Path>,
    output: impl AsRef<Path>,
    opts: &DiffIdOptions,
) -> Result<LayerDigests> {
    let (input, output) = (input.as_ref(), output.as_ref());
    let name = input.display().to_string();
    let file = File::open(input).map_err(|e| Error::io(format!("opening layer {name}"), e))?;
    let target = AtomicFile::beside(output);
    let mut out = io::BufWriter::with_capacity(256 * 1024, target.create()?);
    let (source, content) = read_into(file, &name, opts.max_uncompressed_bytes, &mut out)
        .map_err(|e| layer_error(e, &name))?;
    let out = out
        .into_inner()
        .map_err(|e| Error::io(format!("writing {}", output.display()), e.into_error()))?;
    target.persist(out)?;
    Ok(LayerDigests {
        compressed: source.digest,
        compressed_size: source.size,
        diff_id: content.digest,
        uncompressed_size: content.size,
        compression: source.compression,
    })
}

/// What was hashed of a stream.
struct Hashed {
    digest: Digest,
    size: u64,
    compression: Compression,
}

/// Reads the blob `input`, detects its compression, and writes its
/// decoded content to `sink`, hashing both sides. A plain blob is its
/// content, so it is hashed once. Errors of ours travel inside
/// `io::Error`s (see [`layer_error`]).
fn read_into(
    input: impl Read,
    name: &str,
    limit: u64,
    sink: &mut dyn Write,
) -> io::Result<(Hashed, Hashed)> {
    let mut carried = Carried { inner: input, name };
    let mut head = [0u8; MAGIC_BYTES];
    let got = read_up_to(&mut carried, &mut head)?;
    let compression = Compression::detect(&head[..got]);
    let mut source = Counted::new((&head[..got]).chain(carried));
    if compression == Compression::None {
        source.hasher = None;
    }
    let mut buffered = BufReader::with_capacity(256 * 1024, &mut source);
    let mut content = Bounded {
        inner: Counted::new(sink),
        limit,
        name,
    };
    decode(compression, &mut buffered, &mut content).map_err(|e| {
        let offset = buffered.get_ref().count;
        locate(e, compression, offset)
    })?;
    // Whatever follows the compressed stream still belongs to the blob.
    io::copy(&mut buffered, &mut io::sink())?;
    drop(buffered);
    let mut content = content.inner;
    let content = Hashed {
        digest: content.digest(),
        size: content.count,
        compression: Compression::None,
    };
    let source = Hashed {
        digest: match source.hasher {
            Some(hasher) => hasher.finish(),
            None => content.digest.clone(),
        },
        size: source.count,
        compression,
    };
    Ok((source, content))
}

/// How many leading bytes [`Compression::detect`] looks at (xz's magic
/// is the longest).
const MAGIC_BYTES: usize = 6;

/// Reads into `buf` until it is full or the input ends; returns how many
/// bytes were read.
fn read_up_to(input: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut got = 0;
    while got < buf.len() {
        match input.read(&mut buf[got..])? {
            0 => break,
            n => got += n,
        }
    }
    Ok(got)
}

/// Marks a decoder's own error (not one of ours carried through it) as
/// bad data, naming the compression and how far the input was read.
fn locate(e: io::Error, compression: Compression, offset: u64) -> io::Error {
    if e.get_ref().is_some_and(|inner| inner.is::<Error>()) {
        return e;
    }
    let reason = match e.kind() {
        io::ErrorKind::UnexpectedEof => {
            format!("{compression} data ends too early, read up to byte {offset} (truncated?): {e}")
        }
        _ => format!("{compression} data is corrupt, read up to byte {offset}: {e}"),
    };
    io::Error::new(io::ErrorKind::InvalidData, reason)
}

/// The error for a decoder's failure on the layer `name` after `offset`
/// bytes of it were read: one of ours carried through the decoder (I/O,
/// a limit, a cancellation) comes back as it was; the decoder's own
/// means the data is bad (`INVALID_LAYER`).
pub(crate) fn bad_data(e: io::Error, name: &str, compression: Compression, offset: u64) -> Error {
    layer_error(locate(e, compression, offset), name)
}

/// Turns the `io::Error` out of a codec pass into a tranship error: one
/// of ours comes back as it was, bad data is `INVALID_LAYER`.
fn layer_error(e: io::Error, name: &str) -> Error {
    if e.get_ref().is_some_and(|inner| inner.is::<Error>()) {
        return Error::from_io(e);
    }
    match e.kind() {
        io::ErrorKind::InvalidData => Error::InvalidLayer {
            layer: name.to_string(),
            reason: e.to_string(),
        },
        _ => Error::io(format!("reading layer {name}"), e),
    }
}

/// The size of the jobs zstd's workers compress apart. Fixed, as the
/// bytes depend on it; 4 MiB (zstd's default at level 3 is 8 MiB) keeps
/// the jobs in flight, so memory, about halved at the same speed.
const ZSTD_JOB_BYTES: u32 = 4 << 20;

/// zstd at `opts.level`, always in zstd's multi-threaded mode with jobs
/// of [`ZSTD_JOB_BYTES`]: its output is the same for any number of
/// workers, and differs from the single-threaded mode's.
fn zstd_encode<T>(
    opts: &CompressOptions,
    output: &mut (dyn Write + Send),
    produce: impl FnOnce(&mut dyn Write) -> io::Result<T>,
) -> io::Result<T> {
    let mut encoder = zstd::stream::write::Encoder::new(output, opts.level)?;
    encoder.multithread(opts.threads.max(1) as u32)?;
    encoder.set_parameter(zstd::zstd_safe::CParameter::JobSize(ZSTD_JOB_BYTES))?;
    let value = produce(&mut encoder)?;
    encoder.finish()?.flush()?;
    Ok(value)
}

/// A reader or writer that counts and hashes (sha256) what passes; with
/// no hasher it only counts.
struct Counted<T> {
    inner: T,
    hasher: Option<Hasher>,
    count: u64,
}

impl<T> Counted<T> {
    fn new(inner: T) -> Self {
        Counted {
            inner,
            hasher: Some(Algorithm::Sha256.hasher()),
            count: 0,
        }
    }

    /// The digest of what passed (of nothing when it was not hashed);
    /// hashing stops here.
    fn digest(&mut self) -> Digest {
        self.hasher
            .take()
            .unwrap_or_else(|| Algorithm::Sha256.hasher())
            .finish()
    }

    fn pass(&mut self, bytes: &[u8]) {
        if let Some(hasher) = &mut self.hasher {
            hasher.update(bytes);
        }
        self.count += bytes.len() as u64;
    }
}

impl<T: Read> Read for Counted<T> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.pass(&buf[..n]);
        Ok(n)
    }
}

impl<T: Write> Write for Counted<T> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.pass(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// The blob as read: a failure to read it is carried through the
/// decoders as what it is (`IO`), not taken for bad data.
struct Carried<'a, R> {
    inner: R,
    name: &'a str,
}

impl<R: Read> Read for Carried<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            match self.inner.read(buf) {
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    return Err(super::hashing::carry(Error::io(
                        format!("reading layer {}", self.name),
                        e,
                    )))
                }
                Ok(n) => return Ok(n),
            }
        }
    }
}

/// The decoded content on its way to the encoder: counted, hashed into
/// the diff_id and bounded (a decompression bomb stops at the limit).
struct Bounded<'a, W> {
    inner: Counted<W>,
    limit: u64,
    name: &'a str,
}

impl<W: Write> Write for Bounded<'_, W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.inner.count + buf.len() as u64 > self.limit {
            return Err(super::hashing::carry(Error::LayerTooLarge {
                layer: self.name.to_string(),
                limit: self.limit,
            }));
        }
        self.inner.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

impl<W: Write> Sink for Bounded<'_, W> {}

#[cfg(test)]
mod tests;
