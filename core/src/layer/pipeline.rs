//! The decompressing side of [`super::diff_id`]: detects the compression,
//! reads the blob and decompresses it on the calling thread, handing
//! every buffer of compressed and decompressed bytes to a [`Link`] to be
//! hashed (see [`super::hashing`]).

use std::io::{self, BufRead, Read, Write};

use super::codec::{self, Sink};
use super::hashing::{carry, Chunk, Link};
use super::Compression;
use crate::error::{Error, Result};

/// What the decompressing side learnt about a blob.
pub(super) struct Decoded {
    pub(super) compression: Compression,
    pub(super) compressed_size: u64,
    pub(super) uncompressed_size: u64,
}

/// The decompressing side: detects the compression, decompresses `source`
/// into buffers for the hasher and forwards the compressed bytes too.
/// Fails with `LIMIT_EXCEEDED` past `limit` decompressed bytes.
pub(super) fn decode<R: Read>(source: R, link: &Link, name: &str, limit: u64) -> Result<Decoded> {
    let mut input = Input::new(source, link, name)?;
    input.prefill(Compression::MAGIC_LEN)?;
    let compression = Compression::detect(input.buffered());
    let uncompressed_size = if compression == Compression::None {
        input.make_plain(limit)?;
        None
    } else {
        let mut output = Output::new(link, name, limit)?;
        codec::decode(compression, &mut input, &mut output)
            .map_err(|e| codec::bad_data(e, name, compression, input.total))?;
        Some(output.finish()?)
    };
    // Whatever follows the compressed stream still belongs to the blob and
    // its digest (plain blobs are read here entirely).
    input.drain()?;
    let compressed_size = input.total;
    Ok(Decoded {
        compression,
        compressed_size,
        uncompressed_size: uncompressed_size.unwrap_or(compressed_size),
    })
}

/// The blob as the decoder reads it: a `BufRead` over pooled buffers.
/// Each buffer, once consumed, goes to the hasher as compressed bytes.
struct Input<'l, 'a, R> {
    source: R,
    link: &'l Link<'a>,
    name: &'l str,
    buf: Vec<u8>,
    pos: usize,
    len: usize,
    eof: bool,
    total: u64,
    /// Set for plain blobs: the bytes are the decompressed content too,
    /// and this bounds them.
    plain_limit: Option<u64>,
}

impl<'l, 'a, R: Read> Input<'l, 'a, R> {
    fn new(source: R, link: &'l Link<'a>, name: &'l str) -> Result<Self> {
        Ok(Input {
            source,
            link,
            name,
            buf: link.take().map_err(Error::from_io)?,
            pos: 0,
            len: 0,
            eof: false,
            total: 0,
            plain_limit: None,
        })
    }

    fn buffered(&self) -> &[u8] {
        &self.buf[self.pos..self.len]
    }

    /// Reads until at least `min` bytes are buffered or the blob ends.
    fn prefill(&mut self, min: usize) -> Result<()> {
        while self.len < min && !self.eof {
            self.read_more().map_err(Error::from_io)?;
        }
        Ok(())
    }

    /// Marks the blob as plain: its bytes are the content, bounded by
    /// `limit`.
    fn make_plain(&mut self, limit: u64) -> Result<()> {
        self.plain_limit = Some(limit);
        self.check_plain_limit().map_err(Error::from_io)
    }

    fn check_plain_limit(&self) -> io::Result<()> {
        match self.plain_limit {
            Some(limit) if self.total > limit => Err(carry(Error::LayerTooLarge {
                layer: self.name.to_string(),
                limit,
            })),
            _ => Ok(()),
        }
    }

    /// Reads the rest of the blob, forwarding every byte.
    fn drain(&mut self) -> Result<()> {
        while !self.eof {
            if self.len == self.buf.len() {
                self.forward().map_err(Error::from_io)?;
            }
            self.read_more().map_err(Error::from_io)?;
        }
        self.forward().map_err(Error::from_io)
    }

    /// Sends the current buffer's bytes to the hasher and starts a new one.
    fn forward(&mut self) -> io::Result<()> {
        if self.len > 0 {
            let full = std::mem::replace(&mut self.buf, self.link.take()?);
            let chunk = match self.plain_limit {
                Some(_) => Chunk::Plain(full, self.len),
                None => Chunk::Compressed(full, self.len),
            };
            self.link.send(chunk)?;
        }
        self.pos = 0;
        self.len = 0;
        Ok(())
    }

    /// One read from the source into the free end of the buffer.
    fn read_more(&mut self) -> io::Result<()> {
        if self.link.cancelled() {
            return Err(carry(Error::io(
                format!("reading layer {}", self.name),
                io::Error::new(
                    io::ErrorKind::Interrupted,
                    "cancelled: another layer failed",
                ),
            )));
        }
        loop {
            match self.source.read(&mut self.buf[self.len..]) {
                Ok(0) => {
                    self.eof = true;
                    return Ok(());
                }
                Ok(n) => {
                    self.len += n;
                    self.total += n as u64;
                    return self.check_plain_limit();
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(carry(Error::io(format!("reading layer {}", self.name), e))),
            }
        }
    }
}

impl<R: Read> Read for Input<'_, '_, R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(out.len());
        out[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: Read> BufRead for Input<'_, '_, R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.pos == self.len && !self.eof {
            self.forward()?;
            self.read_more()?;
        }
        Ok(&self.buf[self.pos..self.len])
    }

    fn consume(&mut self, amt: usize) {
        self.pos = (self.pos + amt).min(self.len);
    }
}

/// Where decompressed bytes go: pooled buffers sent to the hasher when
/// full, with the running total checked against the limit.
struct Output<'l, 'a> {
    link: &'l Link<'a>,
    name: &'l str,
    buf: Vec<u8>,
    len: usize,
    total: u64,
    limit: u64,
}

impl<'l, 'a> Output<'l, 'a> {
    fn new(link: &'l Link<'a>, name: &'l str, limit: u64) -> Result<Self> {
        Ok(Output {
            link,
            name,
            buf: link.take().map_err(Error::from_io)?,
            len: 0,
            total: 0,
            limit,
        })
    }

    fn advance(&mut self, n: usize) -> io::Result<()> {
        self.len += n;
        self.total += n as u64;
        if self.total > self.limit {
            return Err(carry(Error::LayerTooLarge {
                layer: self.name.to_string(),
                limit: self.limit,
            }));
        }
        Ok(())
    }

    /// Sends the filled buffer to the hasher and starts a new one.
    fn ship(&mut self) -> io::Result<()> {
        let full = std::mem::replace(&mut self.buf, self.link.take()?);
        self.link.send(Chunk::Uncompressed(full, self.len))?;
        self.len = 0;
        Ok(())
    }

    /// Sends what is left and returns the decompressed size.
    fn finish(mut self) -> Result<u64> {
        if self.len > 0 {
            let full = std::mem::take(&mut self.buf);
            self.link
                .send(Chunk::Uncompressed(full, self.len))
                .map_err(Error::from_io)?;
        }
        Ok(self.total)
    }
}

impl Sink for Output<'_, '_> {
    /// Reads `decoder` to its end straight into the pooled buffers.
    fn fill_from(&mut self, decoder: &mut dyn Read) -> io::Result<()> {
        loop {
            if self.len == self.buf.len() {
                self.ship()?;
            }
            match decoder.read(&mut self.buf[self.len..]) {
                Ok(0) => return Ok(()),
                Ok(n) => self.advance(n)?,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        }
    }
}

impl Write for Output<'_, '_> {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        if self.len == self.buf.len() {
            self.ship()?;
        }
        let n = data.len().min(self.buf.len() - self.len);
        self.buf[self.len..self.len + n].copy_from_slice(&data[..n]);
        self.advance(n)?;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}
