//! A file that is still being written (a blob being downloaded) and the
//! readers that follow it: a copy hands a blob to its destination while
//! the blob is still arriving, so fetching and storing overlap instead of
//! taking turns.
//!
//! The writer publishes how many bytes are on disk and, at the end,
//! whether the blob was complete and verified. A reader that catches up
//! waits; when the writing fails (or its writer is dropped half-way) every
//! reader fails too, so no destination keeps bytes that were not verified.

use std::fmt;
use std::io;
use std::pin::Pin;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::task::{Context, Poll};

use tokio::io::AsyncWrite;
use tokio::sync::Notify;

/// Bytes the writer may hold back before publishing them (a reader lags
/// by at most this much).
const PUBLISH_EVERY: u64 = 1024 * 1024;

/// The shared progress of one file being written. Cloning gives another
/// handle on the same file.
#[derive(Clone, Default)]
pub struct Growth(Arc<Shared>);

#[derive(Default)]
struct Shared {
    state: Mutex<State>,
    changed: Condvar,
    notify: Notify,
}

#[derive(Default)]
struct State {
    /// Bytes written and visible to readers of the file.
    written: u64,
    /// The final size, once known (before or after the writing starts).
    size: Option<u64>,
    /// How the writing ended: its size, or why it failed.
    end: Option<std::result::Result<u64, String>>,
}

impl Growth {
    /// A file that is not there yet.
    pub fn new() -> Growth {
        Growth::default()
    }

    /// Records the final size, once the file exists (followers open it
    /// when the size is known).
    pub fn set_size(&self, size: u64) {
        self.update(|s| s.size = Some(size));
    }

    /// Ends the writing: complete and verified with `Ok(size)`, else
    /// failed (readers get `why`). Only the first end counts.
    pub fn finish(&self, result: std::result::Result<u64, String>) {
        self.update(|s| {
            if s.end.is_none() {
                if let Ok(size) = result {
                    s.written = size;
                    s.size = Some(size);
                }
                s.end = Some(result);
            }
        });
    }

    /// Waits until the final size is known (and the file exists).
    pub async fn size(&self) -> io::Result<u64> {
        self.wait(|s| match (s.size, &s.end) {
            (Some(size), _) => Some(Ok(size)),
            (None, Some(end)) => Some(ended(end)),
            (None, None) => None,
        })
        .await
    }

    /// Waits (asynchronously) until bytes past `pos` are readable or the
    /// writing ended; returns how many bytes from the start are readable.
    /// The last byte of a blob of known size is readable only once the
    /// writing ended well.
    pub async fn readable(&self, pos: u64) -> io::Result<u64> {
        self.wait(|s| readable(s, pos)).await
    }

    /// [`readable`](Self::readable), blocking the thread.
    pub fn readable_blocking(&self, pos: u64) -> io::Result<u64> {
        let mut state = self.lock();
        loop {
            if let Some(answer) = readable(&state, pos) {
                return answer;
            }
            state = self
                .0
                .changed
                .wait(state)
                .unwrap_or_else(|poisoned| poisoned.into_inner());
        }
    }

    async fn wait<T>(&self, check: impl Fn(&State) -> Option<io::Result<T>>) -> io::Result<T> {
        loop {
            let notified = self.0.notify.notified();
            tokio::pin!(notified);
            // Registered before the check, so no change is missed.
            notified.as_mut().enable();
            if let Some(answer) = check(&self.lock()) {
                return answer;
            }
            notified.await;
        }
    }

    fn advance(&self, written: u64) {
        self.update(|s| s.written = s.written.max(written));
    }

    fn update(&self, change: impl FnOnce(&mut State)) {
        change(&mut self.lock());
        self.0.changed.notify_all();
        self.0.notify.notify_waiters();
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.0
            .state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

fn ended(end: &std::result::Result<u64, String>) -> io::Result<u64> {
    end.clone().map_err(io::Error::other)
}

fn readable(state: &State, pos: u64) -> Option<io::Result<u64>> {
    if let Some(end) = &state.end {
        return Some(ended(end));
    }
    // The last byte waits for the end: no reader reaches the end of a
    // blob that was not verified.
    let held = state.size.map_or(state.written, |size| {
        state.written.min(size.saturating_sub(1))
    });
    (held > pos).then_some(Ok(held))
}

impl fmt::Debug for Growth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.lock();
        f.debug_struct("Growth")
            .field("written", &state.written)
            .field("size", &state.size)
            .field("ended", &state.end.is_some())
            .finish()
    }
}

/// Two handles are equal when they follow the same file.
impl PartialEq for Growth {
    fn eq(&self, other: &Growth) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl Eq for Growth {}

/// Writes a growing file: what it flushes becomes readable. Dropped
/// before [`Growth::finish`], it fails the file for its readers.
pub struct GrowingWriter<W> {
    inner: W,
    growth: Growth,
    /// Bytes handed to `inner`.
    accepted: u64,
    /// Bytes published to readers.
    published: u64,
}

impl<W: AsyncWrite + Unpin> GrowingWriter<W> {
    /// Writes through `inner`, publishing to `growth`.
    pub fn new(inner: W, growth: Growth) -> Self {
        GrowingWriter {
            inner,
            growth,
            accepted: 0,
            published: 0,
        }
    }

    fn poll_publish(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        if self.published < self.accepted {
            std::task::ready!(Pin::new(&mut self.inner).poll_flush(cx))?;
            self.published = self.accepted;
            self.growth.advance(self.published);
        }
        Poll::Ready(Ok(()))
    }
}

impl<W: AsyncWrite + Unpin> AsyncWrite for GrowingWriter<W> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        if self.accepted - self.published >= PUBLISH_EVERY {
            std::task::ready!(self.poll_publish(cx))?;
        }
        let n = std::task::ready!(Pin::new(&mut self.inner).poll_write(cx, buf))?;
        self.accepted += n as u64;
        Poll::Ready(Ok(n))
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.poll_publish(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        std::task::ready!(self.poll_publish(cx))?;
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

impl<W> Drop for GrowingWriter<W> {
    fn drop(&mut self) {
        self.growth
            .finish(Err("the download stopped before the end".into()));
    }
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use tokio::io::AsyncWriteExt;

    use super::*;
    use crate::image::BlobFile;

    #[tokio::test]
    async fn readers_wait_for_published_bytes_and_see_the_end() {
        let growth = Growth::new();
        growth.set_size(5);
        let mut writer = GrowingWriter::new(Vec::new(), growth.clone());
        writer.write_all(b"hello").await.unwrap();
        // Written but not flushed: nothing is readable yet.
        let early =
            tokio::time::timeout(std::time::Duration::from_millis(20), growth.readable(0)).await;
        assert!(early.is_err(), "bytes were readable before a flush");
        writer.flush().await.unwrap();
        // All five bytes are written; the last waits for the end.
        assert_eq!(growth.readable(0).await.unwrap(), 4);
        let follower = {
            let growth = growth.clone();
            std::thread::spawn(move || growth.readable_blocking(4))
        };
        growth.finish(Ok(5));
        assert_eq!(follower.join().unwrap().unwrap(), 5);
        assert_eq!(growth.size().await.unwrap(), 5);
    }

    #[tokio::test]
    async fn a_dropped_writer_fails_its_readers() {
        let growth = Growth::new();
        growth.set_size(10);
        let writer = GrowingWriter::new(Vec::new(), growth.clone());
        assert_eq!(growth.size().await.unwrap(), 10);
        drop(writer);
        let err = growth.readable(0).await.unwrap_err();
        assert!(err.to_string().contains("stopped"), "{err}");
        // A later success does not undo the failure.
        growth.finish(Ok(10));
        assert!(growth.readable_blocking(0).is_err());
    }

    /// A reader of part of a growing file gets exactly its range, waiting
    /// for bytes as the writer publishes them.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_range_of_a_growing_file_is_read_as_it_arrives() {
        let dir = std::env::temp_dir().join(format!("tranship-growing-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("blob");
        let data: Vec<u8> = (0..3 * PUBLISH_EVERY as usize).map(|i| i as u8).collect();
        let growth = Growth::new();
        let file = tokio::fs::File::create(&path).await.unwrap();
        growth.set_size(data.len() as u64);
        let range = BlobFile {
            offset: 1000,
            len: 2 * PUBLISH_EVERY,
            ..BlobFile::growing(&path, data.len() as u64, growth.clone())
        };
        let reader = std::thread::spawn(move || {
            let mut out = Vec::new();
            range.open().unwrap().read_to_end(&mut out).unwrap();
            out
        });
        let mut writer = GrowingWriter::new(file, growth.clone());
        for piece in data.chunks(100_000) {
            writer.write_all(piece).await.unwrap();
            tokio::time::sleep(std::time::Duration::from_millis(1)).await;
        }
        writer.flush().await.unwrap();
        growth.finish(Ok(data.len() as u64));
        drop(writer);
        let got = reader.join().unwrap();
        let start = 1000;
        assert_eq!(got, &data[start..start + 2 * PUBLISH_EVERY as usize]);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
