//! The body of one blob download: hashed and written as it arrives,
//! resumed across dropped connections, kept only when verified.

use reqwest::header::CONTENT_RANGE;
use reqwest::StatusCode;
use tokio::io::{AsyncWrite, AsyncWriteExt};

use super::client::Answer;
use crate::error::{Error, Result};
use crate::progress::{BlobProgress, Phase};

/// Why copying a body stopped early.
pub(crate) enum Interrupted {
    /// The connection dropped: resume.
    Dropped(reqwest::Error),
    /// Anything else: give up.
    Fatal(Error),
}

/// The state of one blob download across resumed requests.
pub(crate) struct Download {
    pub(crate) hasher: crate::digest::Hasher,
    pub(crate) done: u64,
    pub(crate) size: Option<u64>,
}

impl Download {
    /// Copies an answer's body into `writer`, skipping what an answer to a
    /// range request repeats when the server ignored the range.
    pub(crate) async fn copy<W: AsyncWrite + Unpin + Send + ?Sized>(
        &mut self,
        mut answer: Answer,
        writer: &mut W,
        progress: &BlobProgress,
    ) -> std::result::Result<(), Interrupted> {
        let mut skip = match answer.status() {
            StatusCode::PARTIAL_CONTENT => {
                check_range_start(&answer, self.done).map_err(Interrupted::Fatal)?;
                0
            }
            _ => self.done,
        };
        loop {
            let chunk = match answer.response.chunk().await {
                Ok(Some(chunk)) => chunk,
                Ok(None) => return Ok(()),
                Err(e) => return Err(Interrupted::Dropped(e)),
            };
            let mut data = &chunk[..];
            let skipped = data.len().min(usize::try_from(skip).unwrap_or(usize::MAX));
            data = &data[skipped..];
            skip -= skipped as u64;
            if data.is_empty() {
                continue;
            }
            let done = self.done + data.len() as u64;
            if let Some(size) = self.size {
                crate::limits::Limits::check("blob size", done, size)
                    .map_err(Interrupted::Fatal)?;
            }
            self.hasher.update(data);
            writer
                .write_all(data)
                .await
                .map_err(|e| Interrupted::Fatal(Error::io("writing the blob", e)))?;
            self.done = done;
            progress.report(Phase::Transferring, done);
        }
    }
}

/// A `206` must continue exactly where we stopped.
fn check_range_start(answer: &Answer, done: u64) -> Result<()> {
    let range = answer
        .headers()
        .get(CONTENT_RANGE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let start = range
        .strip_prefix("bytes ")
        .and_then(|r| r.split('-').next())
        .and_then(|s| s.trim().parse::<u64>().ok());
    if start == Some(done) {
        Ok(())
    } else {
        Err(Error::Network {
            context: "resuming a download".into(),
            message: format!("asked for bytes from {done}, got Content-Range `{range}`"),
        })
    }
}

/// An in-memory writer that refuses to grow past a limit.
pub(crate) struct LimitedBuffer {
    pub(crate) data: Vec<u8>,
    pub(crate) limit: u64,
}

impl AsyncWrite for LimitedBuffer {
    fn poll_write(
        mut self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
        buf: &[u8],
    ) -> std::task::Poll<std::io::Result<usize>> {
        let total = (self.data.len() + buf.len()) as u64;
        if total > self.limit {
            return std::task::Poll::Ready(Err(std::io::Error::other(format!(
                "blob exceeds the limit: {total} > {}",
                self.limit
            ))));
        }
        self.data.extend_from_slice(buf);
        std::task::Poll::Ready(Ok(buf.len()))
    }

    fn poll_flush(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::task::Poll::Ready(Ok(()))
    }

    fn poll_shutdown(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::task::Poll::Ready(Ok(()))
    }
}
