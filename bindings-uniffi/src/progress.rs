//! A Kotlin or Swift listener as the core's progress sink.

use std::sync::Arc;

use tranship::progress::{Progress, ProgressEvent as CoreEvent};

/// One progress report about one blob.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ProgressEvent {
    /// `download` or `upload`.
    pub direction: String,
    /// The blob's digest.
    pub digest: String,
    /// `started`, `transferring`, `resumed`, `exists`, `mounted` or
    /// `finished`.
    pub phase: String,
    /// Bytes done so far.
    pub done: u64,
    /// Total bytes, when known.
    pub total: Option<u64>,
}

impl From<&CoreEvent> for ProgressEvent {
    fn from(e: &CoreEvent) -> Self {
        ProgressEvent {
            direction: e.direction.as_str().to_string(),
            digest: e.digest.to_string(),
            phase: e.phase.as_str().to_string(),
            done: e.done,
            total: e.total,
        }
    }
}

/// Receives the progress events of one transfer, implemented in Kotlin
/// or Swift. It is called on the thread moving the bytes, often: keep it
/// cheap, and hand the event to the UI thread if it updates a UI.
#[uniffi::export(with_foreign)]
pub trait ProgressListener: Send + Sync {
    /// Receives one event.
    fn on_event(&self, event: ProgressEvent);
}

struct Listener(Arc<dyn ProgressListener>);

impl Progress for Listener {
    fn on_event(&self, event: &CoreEvent) {
        self.0.on_event(event.into());
    }
}

/// The core's sink for an optional listener.
pub fn sink(listener: Option<Arc<dyn ProgressListener>>) -> Option<Arc<dyn Progress>> {
    listener.map(|l| Arc::new(Listener(l)) as Arc<dyn Progress>)
}
