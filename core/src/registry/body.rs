//! Request bodies that can be produced again for a retry: nothing, bytes
//! in memory, or a range of a file streamed with progress reports.

use std::path::PathBuf;

use bytes::Bytes;
use futures_util::stream;
use tokio::io::{AsyncReadExt, AsyncSeekExt};

use crate::error::{Error, Result};
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
    /// `len` bytes of a file from `offset`; progress counts from
    /// `report_from` (the offset within the blob, which may itself start
    /// inside the file).
    File {
        path: PathBuf,
        offset: u64,
        report_from: u64,
        len: u64,
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
                path,
                offset,
                report_from,
                len,
                progress,
            } => {
                let io = |e| Error::io(format!("reading {}", path.display()), e);
                let mut file = tokio::fs::File::open(path).await.map_err(io)?;
                file.seek(std::io::SeekFrom::Start(*offset))
                    .await
                    .map_err(io)?;
                let state = (file.take(*len), *report_from, progress.clone());
                let chunks = stream::unfold(state, |(mut file, done, progress)| async move {
                    let mut buf = vec![0u8; READ_SIZE];
                    match file.read(&mut buf).await {
                        Ok(0) => None,
                        Ok(n) => {
                            buf.truncate(n);
                            let done = done + n as u64;
                            if let Some(p) = &progress {
                                p.report(Phase::Transferring, done);
                            }
                            Some((
                                Ok::<_, std::io::Error>(Bytes::from(buf)),
                                (file, done, progress),
                            ))
                        }
                        Err(e) => Some((Err(e), (file, done, progress))),
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
            Body::File { len, .. } => *len,
        }
    }
}
