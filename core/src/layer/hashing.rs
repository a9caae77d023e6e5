//! Where the bytes of a layer are hashed, and the buffers they travel in.
//!
//! The compressed and the decompressed bytes are hashed either on a
//! second thread (so hashing overlaps decompression: the fastest way
//! through one layer) or on the spot (when every CPU already has a layer
//! to decompress, a second thread per layer would only add hand-over
//! costs). Either way, compressed bytes wait in their buffer for the next
//! decompressed chunk and the two are hashed together (see
//! [`super::sha256_pair`]). Buffers come from a small pool (at most `BUFFERS` of
//! `CHUNK_BYTES`), so memory stays constant whatever the layer size.

use std::cell::{Cell, RefCell};
use std::io;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, Sender, SyncSender};
use std::thread::JoinHandle;

use super::sha256_pair::Sha256;
use crate::digest::{Algorithm, Digest, Hasher};
use crate::error::Error;

/// Size of one buffer of compressed or decompressed bytes.
const CHUNK_BYTES: usize = 256 * 1024;
/// Buffers one layer may have in flight (compressed and decompressed).
const BUFFERS: usize = 8;

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
#[derive(Debug, Clone, Copy)]
pub(super) enum Hashing<'a> {
    /// On a thread of its own, overlapping decompression.
    OwnThread,
    /// On the decompressing thread, chunk by chunk, until a CPU of
    /// `spare` frees up: then on a thread of its own.
    Inline { spare: Option<&'a SpareCpus> },
}

/// CPUs left idle by the threads of a batch that ran out of layers. A
/// layer hashing inline claims one to move its hashing onto a thread of
/// its own, which then overlaps its decompression.
#[derive(Debug, Default)]
pub(super) struct SpareCpus(AtomicUsize);

impl SpareCpus {
    /// One more CPU is idle.
    pub(super) fn add(&self) {
        self.0.fetch_add(1, Ordering::Relaxed);
    }

    /// How many CPUs are idle.
    #[cfg(test)]
    pub(super) fn idle(&self) -> usize {
        self.0.load(Ordering::Relaxed)
    }

    /// Takes an idle CPU, if there is one.
    fn claim(&self) -> bool {
        self.0.load(Ordering::Relaxed) > 0
            && self
                .0
                .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| n.checked_sub(1))
                .is_ok()
    }
}

/// How filled buffers reach the hashes and come back.
enum Handoff<'a> {
    Thread {
        to_hasher: SyncSender<Chunk>,
        free: Receiver<Vec<u8>>,
        hasher: JoinHandle<Hashes>,
    },
    Inline {
        hashes: Box<HashState>,
        free: Vec<Vec<u8>>,
        spare: Option<&'a SpareCpus>,
    },
}

impl Handoff<'_> {
    /// Moves inline hashing, state and spare buffers, onto a new thread.
    fn move_to_thread(&mut self) {
        let Handoff::Inline { hashes, free, .. } = self else {
            return;
        };
        let (to_hasher, chunks) = mpsc::sync_channel(BUFFERS);
        let (give_back, free_rx) = mpsc::channel();
        for buf in free.drain(..) {
            // Cannot fail: the receiver is right here.
            let _ = give_back.send(buf);
        }
        let state = std::mem::take(hashes);
        let hasher = std::thread::spawn(move || state.hash_chunks(chunks, give_back));
        *self = Handoff::Thread {
            to_hasher,
            free: free_rx,
            hasher,
        };
    }
}

/// The decompressing side's end of the buffer exchange.
pub(super) struct Link<'a> {
    handoff: RefCell<Handoff<'a>>,
    allocated: Cell<usize>,
    cancel: Option<&'a AtomicBool>,
}

impl<'a> Link<'a> {
    /// Hashes chunks as they are handed over: on a thread of its own
    /// with [`Hashing::OwnThread`], else inline, moving to a thread of its
    /// own once it can claim a CPU of `spare`; see [`Link::into_hashes`].
    pub(super) fn new(
        compressed_algorithm: Algorithm,
        hashing: Hashing<'a>,
        cancel: Option<&'a AtomicBool>,
    ) -> Self {
        let spare = match hashing {
            Hashing::Inline { spare } => spare,
            Hashing::OwnThread => None,
        };
        let mut handoff = Handoff::Inline {
            hashes: Box::new(HashState::new(compressed_algorithm)),
            free: Vec::new(),
            spare,
        };
        if let Hashing::OwnThread = hashing {
            handoff.move_to_thread();
        }
        Link {
            handoff: RefCell::new(handoff),
            allocated: Cell::new(0),
            cancel,
        }
    }

    /// The digests, once every chunk is handed over; `None` when the
    /// hashing thread failed.
    pub(super) fn into_hashes(self) -> Option<Hashes> {
        match self.handoff.into_inner() {
            Handoff::Inline { hashes, .. } => Some(hashes.finish()),
            Handoff::Thread {
                to_hasher, hasher, ..
            } => {
                // Closing the channel ends the thread.
                drop(to_hasher);
                hasher.join().ok()
            }
        }
    }

    /// A free buffer: a returned one, a new one while fewer than
    /// [`BUFFERS`] exist, or else the next one the hasher gives back.
    pub(super) fn take(&self) -> io::Result<Vec<u8>> {
        let mut handoff = self.handoff.borrow_mut();
        let returned = match &mut *handoff {
            Handoff::Thread { free, .. } => free.try_recv().ok(),
            Handoff::Inline { free, .. } => free.pop(),
        };
        if let Some(buf) = returned {
            return Ok(buf);
        }
        if self.allocated.get() < BUFFERS {
            self.allocated.set(self.allocated.get() + 1);
            return Ok(vec![0; CHUNK_BYTES]);
        }
        match &*handoff {
            Handoff::Thread { free, .. } => free.recv().map_err(|_| hasher_gone()),
            // Inline, every buffer is back as soon as it is hashed, but
            // for one of compressed bytes waiting to be paired.
            Handoff::Inline { .. } => Ok(vec![0; CHUNK_BYTES]),
        }
    }

    pub(super) fn send(&self, chunk: Chunk) -> io::Result<()> {
        let mut handoff = self.handoff.borrow_mut();
        if let Handoff::Inline {
            spare: Some(spare), ..
        } = &*handoff
        {
            if spare.claim() {
                handoff.move_to_thread();
            }
        }
        match &mut *handoff {
            Handoff::Thread { to_hasher, .. } => to_hasher.send(chunk).map_err(|_| hasher_gone()),
            Handoff::Inline { hashes, free, .. } => {
                hashes.absorb(chunk, &mut |buf| free.push(buf));
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
    compressed: CompressedHash,
    uncompressed: Sha256,
    /// Compressed bytes waiting to be hashed alongside decompressed ones.
    waiting: Option<Waiting>,
    plain: bool,
}

/// How the compressed bytes are hashed.
enum CompressedHash {
    /// sha256, two streams at once with the decompressed bytes; for a
    /// plain blob the diff_id is the compressed digest too, hashed once.
    Paired(Sha256),
    /// Another algorithm, on its own.
    Alone(Hasher),
}

/// A buffer of compressed bytes, `from..to` not hashed yet.
struct Waiting {
    buf: Vec<u8>,
    from: usize,
    to: usize,
}

impl Default for HashState {
    fn default() -> Self {
        HashState::new(Algorithm::Sha256)
    }
}

impl HashState {
    fn new(compressed_algorithm: Algorithm) -> Self {
        let compressed = match compressed_algorithm {
            Algorithm::Sha256 => CompressedHash::Paired(Sha256::new()),
            other => CompressedHash::Alone(other.hasher()),
        };
        HashState {
            compressed,
            uncompressed: Sha256::new(),
            waiting: None,
            plain: false,
        }
    }

    /// Hashes one chunk, or keeps compressed bytes to hash with the next
    /// decompressed ones, and gives back every buffer it is done with.
    fn absorb(&mut self, chunk: Chunk, give_back: &mut impl FnMut(Vec<u8>)) {
        match (chunk, &mut self.compressed) {
            (Chunk::Compressed(buf, n), CompressedHash::Alone(hasher)) => {
                hasher.update(&buf[..n]);
                give_back(buf);
            }
            (Chunk::Compressed(buf, n), CompressedHash::Paired(hasher)) => {
                if let Some(w) = self.waiting.take() {
                    hasher.update(&w.buf[w.from..w.to]);
                    give_back(w.buf);
                }
                self.waiting = Some(Waiting {
                    buf,
                    from: 0,
                    to: n,
                });
            }
            (Chunk::Uncompressed(buf, n), CompressedHash::Paired(hasher)) => {
                let Some(w) = self.waiting.as_mut() else {
                    self.uncompressed.update(&buf[..n]);
                    give_back(buf);
                    return;
                };
                let together = (w.to - w.from).min(n);
                Sha256::update_pair(
                    hasher,
                    &w.buf[w.from..w.from + together],
                    &mut self.uncompressed,
                    &buf[..together],
                );
                self.uncompressed.update(&buf[together..n]);
                w.from += together;
                if w.from == w.to {
                    give_back(std::mem::take(&mut w.buf));
                    self.waiting = None;
                }
                give_back(buf);
            }
            (Chunk::Uncompressed(buf, n), CompressedHash::Alone(_)) => {
                self.uncompressed.update(&buf[..n]);
                give_back(buf);
            }
            (Chunk::Plain(buf, n), compressed) => {
                self.plain = true;
                self.uncompressed.update(&buf[..n]);
                if let CompressedHash::Alone(hasher) = compressed {
                    hasher.update(&buf[..n]);
                }
                give_back(buf);
            }
        }
    }

    /// Hashes every chunk `chunks` brings, giving each buffer back
    /// through `free`, until the sender is dropped.
    fn hash_chunks(mut self, chunks: Receiver<Chunk>, free: Sender<Vec<u8>>) -> Hashes {
        // The decompressing side may be gone already; then buffers are
        // simply dropped.
        let mut give_back = |buf| {
            let _ = free.send(buf);
        };
        for chunk in chunks {
            self.absorb(chunk, &mut give_back);
        }
        self.finish()
    }

    fn finish(self) -> Hashes {
        let uncompressed = self.uncompressed.finish();
        let compressed = match self.compressed {
            CompressedHash::Paired(_) if self.plain => uncompressed.clone(),
            CompressedHash::Paired(mut hasher) => {
                if let Some(w) = self.waiting {
                    hasher.update(&w.buf[w.from..w.to]);
                }
                hasher.finish()
            }
            CompressedHash::Alone(hasher) => hasher.finish(),
        };
        Hashes {
            compressed,
            uncompressed,
        }
    }
}
