//! gzip encoding on every core into one member, as pigz does.
//!
//! The input is cut into blocks of [`BLOCK_BYTES`] (fixed: never derived
//! from the number of threads, so the output is the same on any machine).
//! Each block is compressed on its own as raw deflate ending in a sync
//! flush, the last one with the final-block bit; concatenated behind one
//! gzip header and followed by the CRC-32 (combined from the blocks') and
//! the length, they form a single valid member. Levels 1 and 2 are ISA-L's
//! (level 1, the default, is what `igzip -1` writes); 3 to 9 are zlib's
//! levels, through zlib-rs. (ISA-L's level 3 is not used: its AVX-512
//! and AVX2 code choose different matches, so its bytes depend on the
//! CPU.)

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::{Arc, Mutex};

use super::isal::Deflater;

/// The fixed size of the blocks compressed apart.
pub(super) const BLOCK_BYTES: usize = 1 << 20;

/// The gzip header written: deflate, no name, no time, `XFL` 0, OS
/// "unknown" (255), as Go's writer does.
const HEADER: [u8; 10] = [0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 0xff];

/// Whether gzip `level` is written by ISA-L (levels 1 and 2); the others
/// are zlib-rs's.
pub(super) fn by_isal(level: i32) -> bool {
    level <= 2
}

/// One block's compressor.
enum BlockCompressor {
    Isal(Deflater),
    Zlib(flate2::Compress),
}

impl BlockCompressor {
    fn new(level: u32) -> BlockCompressor {
        if by_isal(level as i32) {
            BlockCompressor::Isal(Deflater::new(level))
        } else {
            BlockCompressor::Zlib(flate2::Compress::new(
                flate2::Compression::new(level),
                false,
            ))
        }
    }

    fn block(&mut self, input: &[u8], last: bool) -> io::Result<Vec<u8>> {
        let mut out = Vec::new();
        match self {
            BlockCompressor::Isal(deflater) => deflater.block(input, last, &mut out)?,
            BlockCompressor::Zlib(z) => {
                // Each block starts afresh, as a new stream would.
                z.reset();
                let flush = if last {
                    flate2::FlushCompress::Finish
                } else {
                    flate2::FlushCompress::Sync
                };
                out.reserve(input.len() + input.len() / 16 + 1024);
                loop {
                    let read = z.total_in() as usize;
                    let status = z
                        .compress_vec(&input[read..], &mut out, flush)
                        .map_err(io::Error::other)?;
                    let done = match status {
                        flate2::Status::StreamEnd => true,
                        _ => z.total_in() as usize == input.len() && out.len() < out.capacity(),
                    };
                    if done {
                        break;
                    }
                    out.reserve(64 * 1024);
                }
            }
        }
        Ok(out)
    }
}

/// A block to compress: its place, its bytes, whether it is the last.
struct Job {
    index: u64,
    data: Vec<u8>,
    last: bool,
}

/// A block compressed.
struct Done {
    index: u64,
    deflated: io::Result<Vec<u8>>,
    crc: crc32fast::Hasher,
    len: u64,
    last: bool,
}

/// Compresses what `produce` writes into its sink, at `level`, on
/// `threads` threads, writing one gzip member to `output`. Returns what
/// `produce` returned once every byte is written.
pub(super) fn encode<T>(
    level: u32,
    threads: usize,
    output: &mut (dyn Write + Send),
    produce: impl FnOnce(&mut dyn Write) -> io::Result<T>,
) -> io::Result<T> {
    let threads = threads.max(1);
    // At most this many blocks are read and not yet written: memory
    // stays bounded whatever the input size and however slow one block.
    let window = 2 * threads + 2;
    let (tickets, ticket_box) = sync_channel::<()>(window);
    for _ in 0..window {
        tickets
            .send(())
            .map_err(|_| io::Error::other("the gzip window closed"))?;
    }
    let (jobs, job_box) = sync_channel::<Job>(threads);
    let job_box = Arc::new(Mutex::new(job_box));
    let (done, done_box) = sync_channel::<Done>(window);
    std::thread::scope(|scope| {
        for _ in 0..threads {
            let (job_box, done) = (Arc::clone(&job_box), done.clone());
            scope.spawn(move || work(level, &job_box, &done));
        }
        drop(done);
        let writer = scope.spawn(move || write_blocks(output, done_box, tickets));
        let mut sink = Blocks {
            jobs,
            tickets: ticket_box,
            pending: Vec::with_capacity(BLOCK_BYTES),
            next: 0,
        };
        let produced = produce(&mut sink).and_then(|value| sink.finish().map(|()| value));
        drop(sink);
        let written = writer
            .join()
            .unwrap_or_else(|_| Err(io::Error::other("the gzip writer panicked")));
        // A failure to write (or to compress) explains a failure to hand
        // over blocks, so it is told first; a stream left unfinished
        // because the input failed tells the input's error.
        match (written?, produced) {
            (_, Err(e)) => Err(e),
            (true, Ok(value)) => Ok(value),
            (false, Ok(_)) => Err(io::Error::other(
                "the gzip stream stopped before its last block",
            )),
        }
    })
}

/// A worker: compresses blocks until there are none.
fn work(level: u32, jobs: &Mutex<Receiver<Job>>, done: &SyncSender<Done>) {
    let mut compressor = BlockCompressor::new(level);
    loop {
        let job = match jobs.lock() {
            Ok(jobs) => jobs.recv(),
            Err(_) => return,
        };
        let Ok(job) = job else { return };
        let mut crc = crc32fast::Hasher::new();
        crc.update(&job.data);
        let deflated = compressor.block(&job.data, job.last);
        let finished = Done {
            index: job.index,
            deflated,
            crc,
            len: job.data.len() as u64,
            last: job.last,
        };
        if done.send(finished).is_err() {
            return;
        }
    }
}

/// Writes the header, the blocks in their order and the trailer; false
/// when the blocks stopped before the last one (the input failed).
fn write_blocks(
    output: &mut (dyn Write + Send),
    done: Receiver<Done>,
    tickets: SyncSender<()>,
) -> io::Result<bool> {
    output.write_all(&HEADER)?;
    let mut waiting = BTreeMap::new();
    let mut next = 0;
    let mut crc = crc32fast::Hasher::new();
    let mut len: u64 = 0;
    for block in done {
        waiting.insert(block.index, block);
        while let Some(block) = waiting.remove(&next) {
            output.write_all(&block.deflated?)?;
            crc.combine(&block.crc);
            len += block.len;
            next += 1;
            // The reader may be gone already (it failed): nothing waits.
            let _ = tickets.send(());
            if block.last {
                output.write_all(&crc.clone().finalize().to_le_bytes())?;
                // ISIZE is the length modulo 2^32, as RFC 1952 says.
                output.write_all(&(len as u32).to_le_bytes())?;
                output.flush()?;
                return Ok(true);
            }
        }
    }
    Ok(false)
}

/// The sink `produce` writes to: cuts the bytes into blocks.
struct Blocks {
    jobs: SyncSender<Job>,
    tickets: Receiver<()>,
    pending: Vec<u8>,
    next: u64,
}

impl Blocks {
    fn send(&mut self, last: bool) -> io::Result<()> {
        let stopped = || io::Error::new(io::ErrorKind::BrokenPipe, "the gzip writer stopped");
        self.tickets.recv().map_err(|_| stopped())?;
        let data = std::mem::replace(
            &mut self.pending,
            Vec::with_capacity(if last { 0 } else { BLOCK_BYTES }),
        );
        let job = Job {
            index: self.next,
            data,
            last,
        };
        self.next += 1;
        self.jobs.send(job).map_err(|_| stopped())
    }

    /// Sends what is left as the last block (empty for empty input).
    fn finish(&mut self) -> io::Result<()> {
        self.send(true)
    }
}

impl Write for Blocks {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        if self.pending.len() == BLOCK_BYTES {
            self.send(false)?;
        }
        let n = data.len().min(BLOCK_BYTES - self.pending.len());
        self.pending.extend_from_slice(&data[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}
