//! ISA-L's igzip: raw deflate of one block, and a streaming gzip reader.
//!
//! The only module that calls into C, so the only one allowed `unsafe`.
//! Every call hands ISA-L a stream state it owns (boxed, so it never
//! moves) and slices that outlive the call; nothing ISA-L keeps points
//! into Rust memory between calls except the state and the level buffer,
//! both owned by the same struct.

#![allow(unsafe_code)]

use std::io::{self, BufRead, Read};

use isal_sys::igzip_lib as ffi;

/// Whether this machine runs the encoder whose output is the one
/// tranship promises: ISA-L's x86-64 code needs SSE4.2 (its hash uses
/// the `crc32` instruction), and its portable fallback chooses other
/// matches, so other digests. Decoding works everywhere.
pub(super) fn encoder_available() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        std::arch::is_x86_feature_detected!("sse4.2")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

/// A heap value of `T` with every byte zero (C state structs are large:
/// they live on the heap, and never move).
///
/// # Safety
/// All-zero bytes must be a valid `T`.
unsafe fn zeroed_box<T>() -> Box<T> {
    let layout = std::alloc::Layout::new::<T>();
    // SAFETY: the C state structs have a non-zero size.
    let ptr = unsafe { std::alloc::alloc_zeroed(layout) }.cast::<T>();
    if ptr.is_null() {
        std::alloc::handle_alloc_error(layout);
    }
    // SAFETY: allocated with T's layout by the global allocator, as Box
    // frees it; the caller vouches that zeroes are a valid T.
    unsafe { Box::from_raw(ptr) }
}

/// A raw-deflate compressor at one of ISA-L's levels (1 or 2), reused
/// block after block.
pub(super) struct Deflater {
    stream: Box<ffi::isal_zstream>,
    level: u32,
    level_buf: Vec<u8>,
}

// The raw pointers inside the stream point into `level_buf` (owned) or
// are reset before every call: moving the whole `Deflater` to another
// thread is sound.
unsafe impl Send for Deflater {}

impl Deflater {
    /// A compressor at ISA-L `level` (1 or 2).
    pub(super) fn new(level: u32) -> Deflater {
        let size = match level {
            1 => ffi::ISAL_DEF_LVL1_DEFAULT,
            _ => ffi::ISAL_DEF_LVL2_DEFAULT,
        };
        // SAFETY: isal_zstream is plain C data for which all-zero is a
        // valid (uninitialised) value; isal_deflate_init sets it up.
        let mut stream: Box<ffi::isal_zstream> = unsafe { zeroed_box() };
        unsafe { ffi::isal_deflate_init(&mut *stream) };
        Deflater {
            stream,
            level,
            level_buf: vec![0; size as usize],
        }
    }

    /// Appends `input`, compressed as raw deflate, to `out`. A block that
    /// is not `last` ends with a sync flush (an empty stored block), so
    /// blocks compressed apart concatenate into one valid stream; the
    /// `last` one sets the final-block bit. Each block starts afresh: its
    /// bytes depend on its input alone, never on the thread or on the
    /// blocks before it.
    pub(super) fn block(&mut self, input: &[u8], last: bool, out: &mut Vec<u8>) -> io::Result<()> {
        let len = u32::try_from(input.len())
            .map_err(|_| io::Error::other("a deflate block over 4 GiB"))?;
        // SAFETY: the stream was initialised by isal_deflate_init.
        unsafe { ffi::isal_deflate_reset(&mut *self.stream) };
        let stream = &mut *self.stream;
        stream.level = self.level;
        stream.level_buf = self.level_buf.as_mut_ptr();
        stream.level_buf_size = self.level_buf.len() as u32;
        stream.gzip_flag = ffi::IGZIP_DEFLATE as u16;
        stream.end_of_stream = u16::from(last);
        stream.flush = if last {
            ffi::NO_FLUSH as u16
        } else {
            ffi::SYNC_FLUSH as u16
        };
        // ISA-L never writes through next_in.
        stream.next_in = input.as_ptr().cast_mut();
        stream.avail_in = len;
        out.reserve(input.len() + input.len() / 16 + 1024);
        loop {
            let start = out.len();
            let room = (out.capacity() - start).min(u32::MAX as usize);
            // SAFETY: next_out points at `room` bytes of spare capacity
            // of `out`, which stays alive and unmoved during the call.
            stream.next_out = unsafe { out.as_mut_ptr().add(start) };
            stream.avail_out = room as u32;
            let status = unsafe { ffi::isal_deflate(stream) };
            if status != ffi::COMP_OK as i32 {
                return Err(io::Error::other(format!(
                    "ISA-L deflate failed with status {status}"
                )));
            }
            let written = room - stream.avail_out as usize;
            // SAFETY: ISA-L initialised `written` bytes after `start`.
            unsafe { out.set_len(start + written) };
            if stream.avail_out > 0 {
                return Ok(());
            }
            out.reserve(64 * 1024);
        }
    }
}

/// Reads gzip data (one member or several, concatenated) and yields the
/// decompressed bytes, checking each member's CRC-32 and length.
pub(super) struct GzipReader<R> {
    input: R,
    state: Box<ffi::inflate_state>,
    /// Inside a member (its header has begun).
    in_member: bool,
    /// Members finished.
    members: u64,
    /// Compressed bytes consumed so far, for errors.
    offset: u64,
}

impl<R: BufRead> GzipReader<R> {
    /// A reader of the gzip stream `input`.
    pub(super) fn new(input: R) -> GzipReader<R> {
        // SAFETY: inflate_state is plain C data for which all-zero is
        // valid; isal_inflate_init sets it up.
        let mut state: Box<ffi::inflate_state> = unsafe { zeroed_box() };
        unsafe { ffi::isal_inflate_init(&mut *state) };
        GzipReader {
            input,
            state,
            in_member: false,
            members: 0,
            offset: 0,
        }
    }

    fn corrupt(&self, status: i32) -> io::Error {
        let what = match status {
            ffi::ISAL_INVALID_BLOCK => "an invalid deflate block",
            ffi::ISAL_INVALID_SYMBOL => "an invalid deflate symbol",
            ffi::ISAL_INVALID_LOOKBACK => "a back-reference before the start",
            ffi::ISAL_INVALID_WRAPPER => "a bad gzip header",
            ffi::ISAL_UNSUPPORTED_METHOD => "a compression method other than deflate",
            ffi::ISAL_INCORRECT_CHECKSUM => "a CRC-32 or length that does not match the data",
            _ => "data ISA-L cannot decode",
        };
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!(
                "{what} in member {} at or before compressed byte {}",
                self.members + 1,
                self.offset
            ),
        )
    }
}

impl<R: BufRead> Read for GzipReader<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if out.is_empty() {
            return Ok(0);
        }
        loop {
            let available = self.input.fill_buf()?;
            if !self.in_member {
                if available.is_empty() {
                    return Ok(0);
                }
                // SAFETY: the state was initialised by isal_inflate_init.
                unsafe { ffi::isal_inflate_reset(&mut *self.state) };
                self.state.crc_flag = ffi::ISAL_GZIP;
                self.in_member = true;
            }
            let at_end = available.is_empty();
            let given = available.len().min(u32::MAX as usize);
            let room = out.len().min(u32::MAX as usize);
            let state = &mut *self.state;
            // ISA-L never writes through next_in.
            state.next_in = available.as_ptr().cast_mut();
            state.avail_in = given as u32;
            state.next_out = out.as_mut_ptr();
            state.avail_out = room as u32;
            // SAFETY: next_in and next_out point at live slices of the
            // lengths given, borrowed for the duration of the call.
            let status = unsafe { ffi::isal_inflate(state) };
            // At the end of the input ISA-L may hand back bytes it had
            // buffered, reporting more available than it was given.
            let consumed = given.saturating_sub(state.avail_in as usize);
            let produced = room.saturating_sub(state.avail_out as usize);
            let finished = state.block_state == ffi::isal_block_state_ISAL_BLOCK_FINISH;
            self.input.consume(consumed);
            self.offset += consumed as u64;
            if status < 0 {
                return Err(self.corrupt(status));
            }
            if finished {
                self.in_member = false;
                self.members += 1;
            } else if at_end && produced == 0 {
                return Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    format!(
                        "gzip data ends inside member {} at compressed byte {} (truncated?)",
                        self.members + 1,
                        self.offset
                    ),
                ));
            }
            if produced > 0 {
                return Ok(produced);
            }
        }
    }
}
