//! Blobs: HEAD, streaming GET with digest and size checks, resume after a
//! dropped connection, DELETE.
//!
//! Redirects (registries send blobs from storage hosts) are followed by
//! hand (see `redirect`): our `Authorization` header goes only to the
//! registry's own host.

use std::path::Path;

use reqwest::header::{CONTENT_LENGTH, RANGE};
use reqwest::{Method, StatusCode};
use tokio::io::{AsyncWrite, AsyncWriteExt};

use super::client::{Answer, Call, Client, Endpoint};
use super::download::{Download, Interrupted, LimitedBuffer};
use super::errors::{self, Subject};
use super::retry::Backoff;
use crate::digest::Digest;
use crate::error::{Error, Result};
use crate::fs::AtomicFile;
use crate::image::{GrowingWriter, Growth};
use crate::progress::{BlobProgress, Direction, Phase};
use crate::reference::Reference;

impl Client {
    /// The blob's size when the repository has it, `None` when it does not.
    pub async fn blob_exists(&self, reference: &Reference, digest: &Digest) -> Result<Option<u64>> {
        let endpoint = self.origin(reference);
        let url = endpoint.url(&format!("blobs/{digest}"))?;
        let call = Call::new(Method::HEAD, url, &endpoint, &["pull"]).subject(Subject::Blob);
        let answer = self.follow(call, &endpoint).await?;
        match answer.status() {
            StatusCode::OK => Ok(answer
                .headers()
                .get(CONTENT_LENGTH)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.parse().ok())
                .or(Some(0))),
            StatusCode::NOT_FOUND => Ok(None),
            _ => Err(answer.into_error(Subject::Blob, "HEAD blob").await),
        }
    }

    /// Streams a blob into `writer`, verifying its digest (and `size`,
    /// when given); returns the number of bytes written. A dropped
    /// connection is resumed with a `Range` request. On error, `writer`
    /// may hold part of the blob: use [`get_blob_to_path`](Self::get_blob_to_path)
    /// to keep nothing.
    pub async fn get_blob<W: AsyncWrite + Unpin + Send + ?Sized>(
        &self,
        reference: &Reference,
        digest: &Digest,
        size: Option<u64>,
        writer: &mut W,
    ) -> Result<u64> {
        let mut last = None;
        for endpoint in self.pull_endpoints(reference, true) {
            match self.get_blob_at(&endpoint, digest, size, writer).await {
                Ok(n) => return Ok(n),
                // Bytes may have been written: only an untouched writer can
                // be handed to the next endpoint.
                Err((e, 0)) => last = Some(e),
                Err((e, _)) => return Err(e),
            }
        }
        Err(last.unwrap_or_else(|| Error::BlobUnknown {
            message: digest.to_string(),
        }))
    }

    /// Downloads a blob to `path`: written under a temporary name beside
    /// it and renamed only once complete and verified; nothing is left
    /// behind on failure. Returns the size.
    pub async fn get_blob_to_path(
        &self,
        reference: &Reference,
        digest: &Digest,
        size: Option<u64>,
        path: &Path,
    ) -> Result<u64> {
        self.get_blob_into(reference, digest, size, AtomicFile::beside(path))
            .await
    }

    /// Downloads a blob into the staging file `path` (created; removed on
    /// failure), publishing to `growth` as it is written, so readers can
    /// follow it, and finishing it once verified. Not synced to disk: a destination
    /// that keeps the file syncs it. A blob of unknown size is asked its
    /// size first, so followers know where it ends.
    pub(crate) async fn get_blob_to_staging(
        &self,
        reference: &Reference,
        digest: &Digest,
        size: Option<u64>,
        path: &Path,
        growth: &Growth,
    ) -> Result<u64> {
        let result = self.stage_blob(reference, digest, size, path, growth).await;
        if result.is_err() {
            let _ = tokio::fs::remove_file(path).await;
        }
        result
    }

    async fn stage_blob(
        &self,
        reference: &Reference,
        digest: &Digest,
        size: Option<u64>,
        path: &Path,
        growth: &Growth,
    ) -> Result<u64> {
        let file = tokio::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path)
            .await
            .map_err(|e| Error::io(format!("creating {}", path.display()), e))?;
        let size = match size {
            Some(size) => Some(size),
            None => self
                .blob_exists(reference, digest)
                .await?
                .filter(|&n| n > 0),
        };
        if let Some(size) = size {
            growth.set_size(size);
        }
        let mut writer = GrowingWriter::new(file, growth.clone());
        let n = self.get_blob(reference, digest, size, &mut writer).await?;
        writer
            .flush()
            .await
            .map_err(|e| Error::io(format!("writing {}", path.display()), e))?;
        // Before the writer drops, which would fail the followers.
        growth.finish(Ok(n));
        Ok(n)
    }

    async fn get_blob_into(
        &self,
        reference: &Reference,
        digest: &Digest,
        size: Option<u64>,
        temp: AtomicFile,
    ) -> Result<u64> {
        // Removed on any error, and when this future is dropped unfinished.
        let mut file = temp.create_async().await?;
        let n = self.get_blob(reference, digest, size, &mut file).await?;
        temp.persist_async(file).await?;
        Ok(n)
    }

    /// Fetches a small blob (a config) into memory, verified; refused past
    /// `limit` bytes.
    pub async fn get_blob_bytes(
        &self,
        reference: &Reference,
        digest: &Digest,
        limit: u64,
    ) -> Result<Vec<u8>> {
        let mut out = LimitedBuffer {
            data: Vec::new(),
            limit,
        };
        self.get_blob(reference, digest, None, &mut out).await?;
        Ok(out.data)
    }

    /// Deletes a blob from the repository.
    pub async fn delete_blob(&self, reference: &Reference, digest: &Digest) -> Result<()> {
        let endpoint = self.origin(reference);
        let url = endpoint.url(&format!("blobs/{digest}"))?;
        let call = Call::new(Method::DELETE, url, &endpoint, &["delete"]).subject(Subject::Blob);
        self.send_expecting(&call, &[200, 202]).await?;
        Ok(())
    }

    /// One endpoint's attempt; on error also says how many bytes were
    /// already written.
    async fn get_blob_at<W: AsyncWrite + Unpin + Send + ?Sized>(
        &self,
        endpoint: &Endpoint,
        digest: &Digest,
        size: Option<u64>,
        writer: &mut W,
    ) -> std::result::Result<u64, (Error, u64)> {
        let progress = BlobProgress::new(self.progress.clone(), Direction::Download, digest, size);
        let mut download = Download {
            hasher: digest.algorithm().hasher(),
            done: 0,
            size,
        };
        let mut backoff = Backoff::new(self.inner.options.retry);
        progress.report(Phase::Started, 0);
        loop {
            let answer = self
                .open_blob(endpoint, digest, download.done)
                .await
                .map_err(|e| (e, download.done))?;
            match download.copy(answer, writer, &progress).await {
                Ok(()) => break,
                Err(Interrupted::Fatal(e)) => return Err((e, download.done)),
                Err(Interrupted::Dropped(e)) => match backoff.next_delay(None) {
                    Some(delay) => {
                        tokio::time::sleep(delay).await;
                        progress.report(Phase::Resumed, download.done);
                    }
                    None => {
                        let what = format!("downloading {digest}");
                        return Err((errors::network(&what, &e), download.done));
                    }
                },
            }
        }
        let done = download.done;
        let actual = download.hasher.finish();
        if actual != *digest {
            return Err((
                Error::DigestMismatch {
                    expected: digest.clone(),
                    actual,
                },
                done,
            ));
        }
        progress.report(Phase::Finished, done);
        Ok(done)
    }

    /// GETs a blob from byte `from` on, following redirects; the answer is
    /// `200` or `206`.
    async fn open_blob(&self, endpoint: &Endpoint, digest: &Digest, from: u64) -> Result<Answer> {
        let url = endpoint.url(&format!("blobs/{digest}"))?;
        let mut call = Call::new(Method::GET, url, endpoint, &["pull"]).subject(Subject::Blob);
        if from > 0 {
            call = call.header(RANGE, &format!("bytes={from}-"))?;
        }
        let answer = self.follow(call, endpoint).await?;
        match answer.status() {
            StatusCode::OK | StatusCode::PARTIAL_CONTENT => Ok(answer),
            _ => Err(answer
                .into_error(Subject::Blob, &format!("GET blob {digest}"))
                .await),
        }
    }
}

#[cfg(test)]
mod tests {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    use super::*;
    use crate::registry::ClientOptions;

    /// A server on 127.0.0.1 answering every request with `200` and `body`.
    async fn serve(body: &'static [u8]) -> String {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap().to_string();
        tokio::spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                let mut request = Vec::new();
                let mut buf = [0; 1024];
                while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                    match socket.read(&mut buf).await {
                        Ok(0) | Err(_) => break,
                        Ok(n) => request.extend_from_slice(&buf[..n]),
                    }
                }
                let head = format!(
                    "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                let _ = socket.write_all(head.as_bytes()).await;
                let _ = socket.write_all(body).await;
            }
        });
        address
    }

    #[tokio::test]
    async fn a_failed_download_leaves_no_temporary_file() {
        let registry = serve(b"hullo").await;
        let dir = std::env::temp_dir().join(format!("tranship-download-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let client = Client::new(ClientOptions::default());
        let reference: Reference = format!("{registry}/app:v1").parse().unwrap();
        let err = client
            .get_blob_to_path(
                &reference,
                &Digest::sha256(b"hello"),
                None,
                &dir.join("blob"),
            )
            .await
            .unwrap_err();
        assert_eq!(err.code(), "DIGEST_MISMATCH", "{err}");
        assert_eq!(
            std::fs::read_dir(&dir).unwrap().count(),
            0,
            "a file was kept"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
