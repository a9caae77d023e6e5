//! Progress events for blob transfers, consumed by the CLI and the bindings.
//!
//! A [`Progress`] sink receives plain [`ProgressEvent`] values; any
//! `Fn(&ProgressEvent) + Send + Sync` closure is one.
//!
//! ```
//! use std::sync::{Arc, Mutex};
//! use tranship::progress::{Progress, ProgressEvent};
//! let seen = Arc::new(Mutex::new(Vec::new()));
//! let sink = {
//!     let seen = seen.clone();
//!     move |e: &ProgressEvent| seen.lock().unwrap().push(e.done)
//! };
//! let event = ProgressEvent {
//!     direction: tranship::progress::Direction::Download,
//!     digest: tranship::Digest::sha256(b""),
//!     phase: tranship::progress::Phase::Transferring,
//!     done: 5,
//!     total: Some(10),
//! };
//! sink.on_event(&event);
//! assert_eq!(*seen.lock().unwrap(), vec![5]);
//! ```

use std::sync::Arc;

use crate::digest::Digest;

/// Which way the bytes go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// From a registry to here.
    Download,
    /// From here to a registry.
    Upload,
}

impl Direction {
    /// `download` or `upload`, as the bindings report it.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Download => "download",
            Direction::Upload => "upload",
        }
    }
}

/// Where a transfer stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// The transfer begins; `done` is 0.
    Started,
    /// Bytes moved; `done` counts them so far.
    Transferring,
    /// A dropped connection was resumed at `done` bytes.
    Resumed,
    /// Nothing to move: the registry already had the blob.
    Exists,
    /// Nothing to move: the blob was mounted from another repository.
    Mounted,
    /// The blob is complete and verified.
    Finished,
}

impl Phase {
    /// `started`, `transferring`, `resumed`, `exists`, `mounted` or
    /// `finished`, as the bindings report it.
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Started => "started",
            Phase::Transferring => "transferring",
            Phase::Resumed => "resumed",
            Phase::Exists => "exists",
            Phase::Mounted => "mounted",
            Phase::Finished => "finished",
        }
    }
}

/// One progress report about one blob.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgressEvent {
    /// Download or upload.
    pub direction: Direction,
    /// The blob.
    pub digest: Digest,
    /// Where the transfer stands.
    pub phase: Phase,
    /// Bytes done so far.
    pub done: u64,
    /// Total bytes, when known.
    pub total: Option<u64>,
}

/// A sink for progress events; must be cheap, it is called often.
pub trait Progress: Send + Sync {
    /// Receives one event.
    fn on_event(&self, event: &ProgressEvent);
}

impl<F: Fn(&ProgressEvent) + Send + Sync> Progress for F {
    fn on_event(&self, event: &ProgressEvent) {
        self(event)
    }
}

/// Reports the events of one blob's transfer to an optional sink.
#[derive(Clone)]
pub(crate) struct BlobProgress {
    sink: Option<Arc<dyn Progress>>,
    direction: Direction,
    digest: Digest,
    total: Option<u64>,
}

impl BlobProgress {
    pub(crate) fn new(
        sink: Option<Arc<dyn Progress>>,
        direction: Direction,
        digest: &Digest,
        total: Option<u64>,
    ) -> Self {
        BlobProgress {
            sink,
            direction,
            digest: digest.clone(),
            total,
        }
    }

    pub(crate) fn report(&self, phase: Phase, done: u64) {
        if let Some(sink) = &self.sink {
            sink.on_event(&ProgressEvent {
                direction: self.direction,
                digest: self.digest.clone(),
                phase,
                done,
                total: self.total,
            });
        }
    }
}
