//! Pushing blobs: a HEAD check, a cross-repository mount with fallback,
//! then a monolithic (one PUT) or chunked (PATCH + Content-Range) upload.
//!
//! An upload is never repeated blindly: a failed PATCH is followed by a
//! status request that says how much the registry kept (or, when the
//! registry no longer knows the session, by a new upload), and a failed
//! monolithic PUT starts a new upload session.

use std::path::PathBuf;

use bytes::Bytes;
use reqwest::header::{CONTENT_RANGE, CONTENT_TYPE, LOCATION, RANGE};
use reqwest::{Method, StatusCode, Url};

use super::body::Body;
use super::challenge::Scope;
use super::client::{Answer, Call, Client, Endpoint};
use super::errors::Subject;
use super::retry::Backoff;
use crate::digest::{Algorithm, Digest};
use crate::error::{Error, Result};
use crate::image::BlobFile;
use crate::progress::{BlobProgress, Direction, Phase};
use crate::reference::Reference;

/// The content of a blob to push.
#[derive(Debug, Clone)]
pub enum BlobSource {
    /// Bytes in memory.
    Bytes(Vec<u8>),
    /// A file, streamed from disk.
    File(PathBuf),
    /// A range of a local file: an entry of a tar archive, or a download
    /// still being written (streamed as it arrives).
    Part(BlobFile),
}

/// How a blob came to be in the repository.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PushOutcome {
    /// It was already there.
    Existed,
    /// It was mounted from another repository of the same registry.
    Mounted,
    /// Its bytes were uploaded.
    Uploaded,
}

impl PushOutcome {
    /// `existed`, `mounted` or `uploaded`, as the bindings report it.
    pub fn as_str(self) -> &'static str {
        match self {
            PushOutcome::Existed => "existed",
            PushOutcome::Mounted => "mounted",
            PushOutcome::Uploaded => "uploaded",
        }
    }
}

/// The result of [`Client::push_blob`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushedBlob {
    /// The blob's digest.
    pub digest: Digest,
    /// Its size in bytes.
    pub size: u64,
    /// Whether it existed, was mounted or was uploaded.
    pub outcome: PushOutcome,
}

impl BlobSource {
    /// Computes the content's SHA-256 digest on a blocking thread (a blob
    /// may be large), handing the source back with it: for callers that
    /// push a blob without knowing its digest.
    pub async fn sha256(self) -> Result<(Digest, BlobSource)> {
        tokio::task::spawn_blocking(move || {
            let digest = match &self {
                BlobSource::Bytes(data) => Digest::sha256(data),
                BlobSource::File(path) => Digest::compute_file(Algorithm::Sha256, path)?,
                BlobSource::Part(file) => file.digest(Algorithm::Sha256)?,
            };
            Ok((digest, self))
        })
        .await
        .map_err(|e| Error::io("computing a blob digest", std::io::Error::other(e)))?
    }

    async fn size(&self) -> Result<u64> {
        match self {
            BlobSource::Bytes(b) => Ok(b.len() as u64),
            BlobSource::File(path) => tokio::fs::metadata(path)
                .await
                .map(|m| m.len())
                .map_err(|e| Error::io(format!("reading {}", path.display()), e)),
            BlobSource::Part(file) => Ok(file.len),
        }
    }

    fn range(&self, offset: u64, len: u64, progress: &BlobProgress) -> Body {
        match self {
            BlobSource::Bytes(b) => {
                let start = usize::try_from(offset).unwrap_or(b.len()).min(b.len());
                let end = usize::try_from(offset + len)
                    .unwrap_or(b.len())
                    .min(b.len());
                Body::Bytes(Bytes::copy_from_slice(&b[start..end]))
            }
            BlobSource::File(path) => Body::File {
                file: BlobFile::part(path, offset, len),
                report_from: offset,
                progress: Some(progress.clone()),
            },
            BlobSource::Part(file) => Body::File {
                file: BlobFile {
                    offset: file.offset + offset,
                    len,
                    ..file.clone()
                },
                report_from: offset,
                progress: Some(progress.clone()),
            },
        }
    }
}

impl Client {
    /// Makes sure the repository has the blob `digest`: nothing to do if
    /// it exists, else a mount from each of `mount_from` (same registry)
    /// is tried, else the bytes are uploaded. `digest` must be the
    /// content's digest: the registry checks it.
    pub async fn push_blob(
        &self,
        reference: &Reference,
        digest: &Digest,
        source: BlobSource,
        mount_from: &[Reference],
    ) -> Result<PushedBlob> {
        let size = source.size().await?;
        let progress =
            BlobProgress::new(self.progress.clone(), Direction::Upload, digest, Some(size));
        let pushed = |outcome| PushedBlob {
            digest: digest.clone(),
            size,
            outcome,
        };
        if self.blob_exists(reference, digest).await?.is_some() {
            progress.report(Phase::Exists, size);
            return Ok(pushed(PushOutcome::Existed));
        }
        let endpoint = self.origin(reference);
        let mut session = None;
        for from in mount_from
            .iter()
            .filter(|f| f.registry() == reference.registry())
        {
            match self.try_mount(&endpoint, digest, from).await? {
                Mount::Done => {
                    progress.report(Phase::Mounted, size);
                    return Ok(pushed(PushOutcome::Mounted));
                }
                Mount::Session(url) => {
                    session = Some(url);
                    break;
                }
                Mount::Refused => {}
            }
        }
        progress.report(Phase::Started, 0);
        let mut backoff = Backoff::new(self.inner.options.retry);
        loop {
            let url = match session.take() {
                Some(url) => url,
                None => self.start_upload(&endpoint).await?,
            };
            let result = match self.inner.options.chunk_size {
                Some(chunk) => {
                    self.upload_chunked(
                        &endpoint,
                        url,
                        digest,
                        &source,
                        size,
                        chunk.max(1),
                        &progress,
                    )
                    .await
                }
                None => {
                    self.upload_monolithic(&endpoint, url, digest, &source, size, &progress)
                        .await
                }
            };
            match result {
                Err(Error::Network { .. }) if backoff.next_delay(None).is_some() => continue,
                Err(e) => return Err(e),
                Ok(()) => break,
            }
        }
        progress.report(Phase::Finished, size);
        Ok(pushed(PushOutcome::Uploaded))
    }

    /// Mounts the blob `digest` from the repository of `from` (same
    /// registry) into the repository of `reference`, moving no bytes;
    /// `false` when the registry refused (an upload session it opened
    /// instead is abandoned).
    pub async fn mount_blob(
        &self,
        reference: &Reference,
        digest: &Digest,
        from: &Reference,
    ) -> Result<bool> {
        if from.registry() != reference.registry() {
            return Ok(false);
        }
        let endpoint = self.origin(reference);
        Ok(matches!(
            self.try_mount(&endpoint, digest, from).await?,
            Mount::Done
        ))
    }

    /// POST `?mount=&from=`: `201` mounted, `202` an upload session to use.
    async fn try_mount(
        &self,
        endpoint: &Endpoint,
        digest: &Digest,
        from: &Reference,
    ) -> Result<Mount> {
        let mut url = endpoint.url("blobs/uploads/")?;
        url.query_pairs_mut()
            .append_pair("mount", &digest.to_string())
            .append_pair("from", from.repository());
        let mut call =
            Call::new(Method::POST, url, endpoint, &["pull", "push"]).subject(Subject::Blob);
        call.scopes
            .push(Scope::repository(from.repository(), &["pull"]));
        let answer = self.send(&call).await?;
        match answer.status() {
            StatusCode::CREATED => Ok(Mount::Done),
            StatusCode::ACCEPTED => Ok(Mount::Session(location(&call.url, &answer)?)),
            _ => Ok(Mount::Refused),
        }
    }

    /// POST a new upload session; returns its URL.
    async fn start_upload(&self, endpoint: &Endpoint) -> Result<Url> {
        let url = endpoint.url("blobs/uploads/")?;
        let call = Call::new(Method::POST, url, endpoint, &["pull", "push"]).subject(Subject::Blob);
        let answer = self.send_expecting(&call, &[202]).await?;
        location(&call.url, &answer)
    }

    async fn upload_monolithic(
        &self,
        endpoint: &Endpoint,
        session: Url,
        digest: &Digest,
        source: &BlobSource,
        size: u64,
        progress: &BlobProgress,
    ) -> Result<()> {
        let call = Call::new(
            Method::PUT,
            with_digest(session, digest),
            endpoint,
            &["pull", "push"],
        )
        .subject(Subject::Blob)
        .header(CONTENT_TYPE, "application/octet-stream")?
        .body(source.range(0, size, progress))
        .not_idempotent();
        self.send_expecting(&call, &[201, 204]).await?;
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    async fn upload_chunked(
        &self,
        endpoint: &Endpoint,
        mut session: Url,
        digest: &Digest,
        source: &BlobSource,
        size: u64,
        chunk: u64,
        progress: &BlobProgress,
    ) -> Result<()> {
        let mut offset = 0;
        let mut backoff = Backoff::new(self.inner.options.retry);
        while offset < size {
            let len = chunk.min(size - offset);
            let call = Call::new(Method::PATCH, session.clone(), endpoint, &["pull", "push"])
                .subject(Subject::Blob)
                .header(CONTENT_TYPE, "application/octet-stream")?
                .header(CONTENT_RANGE, &format!("{offset}-{}", offset + len - 1))?
                .body(source.range(offset, len, progress));
            match self.send_expecting(&call, &[202]).await {
                Ok(answer) => {
                    session = location(&session, &answer)?;
                    offset = received(&answer).unwrap_or(offset + len);
                }
                Err(dropped @ Error::Network { .. }) if backoff.next_delay(None).is_some() => {
                    // Ask what the registry kept; a session it no longer
                    // recognises (distribution signs the offset into the
                    // URL) makes the caller start a new upload.
                    match self.upload_status(endpoint, &session).await {
                        Ok((url, kept)) => {
                            session = url;
                            offset = kept;
                        }
                        Err(_) => return Err(dropped),
                    }
                }
                Err(e) => return Err(e),
            }
        }
        let call = Call::new(
            Method::PUT,
            with_digest(session, digest),
            endpoint,
            &["pull", "push"],
        )
        .subject(Subject::Blob);
        self.send_expecting(&call, &[201, 204]).await?;
        Ok(())
    }

    /// GET on an upload session: its URL and how many bytes it holds.
    async fn upload_status(&self, endpoint: &Endpoint, session: &Url) -> Result<(Url, u64)> {
        let call = Call::new(Method::GET, session.clone(), endpoint, &["pull", "push"])
            .subject(Subject::Blob);
        let answer = self.send_expecting(&call, &[204]).await?;
        let url = location(session, &answer).unwrap_or_else(|_| session.clone());
        Ok((url, received(&answer).unwrap_or(0)))
    }
}

enum Mount {
    Done,
    Session(Url),
    Refused,
}

/// The upload URL an answer points to, resolved against the request's.
fn location(base: &Url, answer: &Answer) -> Result<Url> {
    let value = answer
        .headers()
        .get(LOCATION)
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| Error::Registry {
            registry_code: "NO_LOCATION".into(),
            status: answer.status().as_u16(),
            message: "the registry started an upload without a Location".into(),
        })?;
    base.join(value).map_err(|e| Error::Registry {
        registry_code: "BAD_LOCATION".into(),
        status: answer.status().as_u16(),
        message: format!("upload Location `{value}`: {e}"),
    })
}

/// Bytes the registry holds, from `Range: 0-<last>`.
fn received(answer: &Answer) -> Option<u64> {
    let range = answer.headers().get(RANGE)?.to_str().ok()?;
    let last = range.rsplit('-').next()?.trim().parse::<u64>().ok()?;
    Some(last + 1)
}

fn with_digest(mut url: Url, digest: &Digest) -> Url {
    url.query_pairs_mut()
        .append_pair("digest", &digest.to_string());
    url
}
