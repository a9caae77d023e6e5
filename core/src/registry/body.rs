//! Request bodies that can be produced again for a retry: nothing, bytes
//! in memory, or a range of a file streamed with progress reports.

use bytes::Bytes;
use futures_util::stream;
use tokio::io::{AsyncReadExt, AsyncSeekExt};

use crate::error::{Error, Result};
use crate::image::{BlobFile, Growth};
use crate::progress::{BlobProgress, Phase};

/// Size of the reads that feed a streamed body.
const READ_SIZE: usize = 256 * 1024;

/// A request body.
#[derive(Clone)]
pub(crate) enum Body {
    /// No body.
    Empty,
    /// Bytes in memory.
    Bytes(Bytes),
    /// A range of a file (waiting for its bytes while it is still being
    /// written); progress counts from `report_from` (the offset within
    /// the blob, which may itself start inside the file).
    File {
        file: BlobFile,
        report_from: u64,
        progress: Option<BlobProgress>,
    },
}

impl Body {
    /// A fresh `reqwest` body (a file is opened again each time).
    pub(crate) async fn to_request_body(&self) -> Result<reqwest::Body> {
        match self {
            Body::Empty => Ok(reqwest::Body::from(Bytes::new())),
            Body::Bytes(bytes) => Ok(reqwest::Body::from(bytes.clone())),
            Body::File {
                file,
                report_from,
                progress,
            } => {
                let io = |e| Error::io(format!("reading {}", file.path.display()), e);
                let mut opened = tokio::fs::File::open(&file.path).await.map_err(io)?;
                opened
                    .seek(std::io::SeekFrom::Start(file.offset))
                    .await
                    .map_err(io)?;
                let reading = Reading {
                    file: opened,
                    start: file.offset,
                    read: 0,
                    len: file.len,
                    growth: file.growth.clone(),
                };
                let state = (reading, *report_from, progress.clone());
                let chunks = stream::unfold(state, |(mut reading, done, progress)| async move {
                    match reading.next().await {
                        Ok(None) => None,
                        Ok(Some(chunk)) => {
                            let done = done + chunk.len() as u64;
                            if let Some(p) = &progress {
                                p.report(Phase::Transferring, done);
                            }
                            Some((Ok(chunk), (reading, done, progress)))
                        }
                        Err(e) => Some((Err(e), (reading, done, progress))),
                    }
                });
                Ok(reqwest::Body::wrap_stream(chunks))
            }
        }
    }

    /// The length, when known without reading.
    pub(crate) fn len(&self) -> u64 {
        match self {
            Body::Empty => 0,
            Body::Bytes(b) => b.len() as u64,
            Body::File { file, .. } => file.len,
        }
    }
}

/// The reads of one file range, following a file still being written.
struct Reading {
    file: tokio::fs::File,
    /// Where the range starts in the file.
    start: u64,
    read: u64,
    len: u64,
    growth: Option<Growth>,
}

impl Reading {
    /// The next chunk; `None` at the end of the range (or of the file).
    async fn next(&mut self) -> std::io::Result<Option<Bytes>> {
        let mut want = (self.len - self.read).min(READ_SIZE as u64);
        if want == 0 {
            return Ok(None);
        }
        if let Some(growth) = &self.growth {
            let at = self.start + self.read;
            let readable = growth.readable(at).await?;
            want = want.min(readable.saturating_sub(at));
        }
        let mut buf = vec![0u8; want as usize];
        let n = self.file.read(&mut buf).await?;
        if n == 0 {
            return Ok(None);
        }
        buf.truncate(n);
        self.read += n as u64;
        Ok(Some(Bytes::from(buf)))
    }
}
