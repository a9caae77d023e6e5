//! A Kotlin or Swift listener as the core's progress sink.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
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
/// cheap, and hand the event to the UI thread if it updates a UI. An
/// exception it throws cannot stop the transfer: it is reported once on
/// stderr and the listener is not called again for that operation.
#[uniffi::export(with_foreign)]
pub trait ProgressListener: Send + Sync {
    /// Receives one event.
    fn on_event(&self, event: ProgressEvent);
}

struct Listener {
    listener: Arc<dyn ProgressListener>,
    failed: AtomicBool,
}

impl Progress for Listener {
    fn on_event(&self, event: &CoreEvent) {
        if self.failed.load(Ordering::Relaxed) {
            return;
        }
        // uniffi turns an exception the listener throws into a panic once
        // the call is back in Rust (its message goes to stderr); stopping
        // it here keeps the transfer, and the client's state, intact.
        let called = catch_unwind(AssertUnwindSafe(|| self.listener.on_event(event.into())));
        if called.is_err() {
            self.failed.store(true, Ordering::Relaxed);
        }
    }
}

/// The core's sink for an optional listener.
pub fn sink(listener: Option<Arc<dyn ProgressListener>>) -> Option<Arc<dyn Progress>> {
    listener.map(|listener| {
        Arc::new(Listener {
            listener,
            failed: AtomicBool::new(false),
        }) as Arc<dyn Progress>
    })
}
