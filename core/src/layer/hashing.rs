//! Where the bytes of a layer are hashed, and the buffers they travel in.
//!
//! The compressed and the decompressed bytes are hashed either on a
//! second thread (so hashing overlaps decompression: the fastest way
//! through one layer) or on the spot (when every CPU already has a layer
//! to decompress, a second thread per layer would only add hand-over
//! costs). Buffers come from a small pool (at most `BUFFERS` of
//! `CHUNK_BYTES`), so memory stays constant whatever the layer size.

use std::cell::{Cell, RefCell};
use std::io;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender, SyncSender};

use crate::digest::{Algorithm, Digest, Hasher};
use crate::error::Error;

/// Size of one buffer of compressed or decompressed bytes.
const CHUNK_BYTES: usize = 256 * 1024;
/// Buffers one layer may have in flight (compressed and decompressed).
pub(super) const BUFFERS: usize = 8;

/// A filled buffer on its way to be hashed: the buffer and how many of its
/// bytes count.
pub(super) enum Chunk {
    /// Bytes of the blob as stored.
    Compressed(Vec<u8>, usize),
    /// Decompressed bytes.
    Uncompressed(Vec<u8>, usize),
    /// Bytes of a blob that is not compressed: both at once.
    Plain(Vec<u8>, usize),
}

/// Where the hashing happens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Hashing {
    /// On a thread of its own, overlapping decompression.
    OwnThread,
    /// On the decompressing thread, chunk by chunk.
    Inline,
}

/// How filled buffers reach the hashes and come back.
enum Handoff {
    Thread {
        to_hasher: SyncSender<Chunk>,
        free: Receiver<Vec<u8>>,
    },
    Inline {
        hashes: Box<RefCell<HashState>>,
        free: RefCell<Vec<Vec<u8>>>,
    },
}

/// The decompressing side's end of the buffer exchange.
pub(super) struct Link<'a> {
    handoff: Handoff,
    allocated: Cell<usize>,
    cancel: Option<&'a AtomicBool>,
}

impl<'a> Link<'a> {
    /// Hands chunks to a hashing thread running [`hash_chunks`].
    pub(super) fn threaded(
        to_hasher: SyncSender<Chunk>,
        free: Receiver<Vec<u8>>,
        cancel: Option<&'a AtomicBool>,
    ) -> Self {
        Self::with(Handoff::Thread { to_hasher, free }, cancel)
    }

    /// Hashes chunks as they are handed over; see [`Link::into_hashes`].
    pub(super) fn inline(compressed_algorithm: Algorithm, cancel: Option<&'a AtomicBool>) -> Self {
        let handoff = Handoff::Inline {
            hashes: Box::new(RefCell::new(HashState::new(compressed_algorithm))),
            free: RefCell::new(Vec::new()),
        };
        Self::with(handoff, cancel)
    }

    fn with(handoff: Handoff, cancel: Option<&'a AtomicBool>) -> Self {
        Link {
            handoff,
            allocated: Cell::new(0),
            cancel,
        }
    }

    /// The digests of an inline link; `None` for a threaded one (its
    /// hashing thread has them).
    pub(super) fn into_hashes(self) -> Option<Hashes> {
        match self.handoff {
            Handoff::Inline { hashes, .. } => Some(hashes.into_inner().finish()),
            Handoff::Thread { .. } => None,
        }
    }

    /// A free buffer: a returned one, a new one while fewer than
    /// [`BUFFERS`] exist, or else the next one the hasher gives back.
    pub(super) fn take(&self) -> io::Result<Vec<u8>> {
        let returned = match &self.handoff {
            Handoff::Thread { free, .. } => free.try_recv().ok(),
            Handoff::Inline { free, .. } => free.borrow_mut().pop(),
        };
        if let Some(buf) = returned {
            return Ok(buf);
        }
        if self.allocated.get() < BUFFERS {
            self.allocated.set(self.allocated.get() + 1);
            return Ok(vec![0; CHUNK_BYTES]);
        }
        match &self.handoff {
            Handoff::Thread { free, .. } => free.recv().map_err(|_| hasher_gone()),
            // Inline, every buffer is back as soon as it is hashed.
            Handoff::Inline { .. } => Ok(vec![0; CHUNK_BYTES]),
        }
    }

    pub(super) fn send(&self, chunk: Chunk) -> io::Result<()> {
        match &self.handoff {
            Handoff::Thread { to_hasher, .. } => to_hasher.send(chunk).map_err(|_| hasher_gone()),
            Handoff::Inline { hashes, free } => {
                let buf = hashes.borrow_mut().absorb(chunk);
                free.borrow_mut().push(buf);
                Ok(())
            }
        }
    }

    pub(super) fn cancelled(&self) -> bool {
        self.cancel.is_some_and(|c| c.load(Ordering::Relaxed))
    }
}

fn hasher_gone() -> io::Error {
    carry(Error::io(
        "hashing layer",
        io::Error::new(io::ErrorKind::BrokenPipe, "the hashing thread stopped"),
    ))
}

/// Wraps a tranship error so that it survives a trip through a decoder's
/// `io::Result` and is recovered by [`Error::from_io`].
pub(super) fn carry(err: Error) -> io::Error {
    io::Error::other(err)
}

/// The digests of a blob.
pub(super) struct Hashes {
    pub(super) compressed: Digest,
    pub(super) uncompressed: Digest,
}

/// Both running hashes of a blob.
struct HashState {
    compressed: Hasher,
    uncompressed: Hasher,
    /// The compressed digest is sha256 too: for a plain blob it is the
    /// diff_id, hashed once.
    share: bool,
    plain: bool,
}

impl HashState {
    fn new(compressed_algorithm: Algorithm) -> Self {
        HashState {
            compressed: compressed_algorithm.hasher(),
            uncompressed: Algorithm::Sha256.hasher(),
            share: compressed_algorithm == Algorithm::Sha256,
            plain: false,
        }
    }

    /// Hashes one chunk and gives its buffer back.
    fn absorb(&mut self, chunk: Chunk) -> Vec<u8> {
        match chunk {
            Chunk::Compressed(buf, n) => {
                self.compressed.update(&buf[..n]);
                buf
            }
            Chunk::Uncompressed(buf, n) => {
                self.uncompressed.update(&buf[..n]);
                buf
            }
            Chunk::Plain(buf, n) => {
                self.plain = true;
                self.uncompressed.update(&buf[..n]);
                if !self.share {
                    self.compressed.update(&buf[..n]);
                }
                buf
            }
        }
    }

    fn finish(self) -> Hashes {
        let uncompressed = self.uncompressed.finish();
        let compressed = if self.plain && self.share {
            uncompressed.clone()
        } else {
            self.compressed.finish()
        };
        Hashes {
            compressed,
            uncompressed,
        }
    }
}

/// The hashing thread: hashes every chunk it receives, in order, and gives
/// each buffer back. Ends when the decompressing side drops its sender.
pub(super) fn hash_chunks(
    chunks: Receiver<Chunk>,
    free: Sender<Vec<u8>>,
    compressed_algorithm: Algorithm,
) -> Hashes {
    let mut state = HashState::new(compressed_algorithm);
    for chunk in chunks {
        // The decompressing side may be gone already; then the buffer is
        // simply dropped.
        let _ = free.send(state.absorb(chunk));
    }
    state.finish()
}
