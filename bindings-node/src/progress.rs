//! A JavaScript callback as the core's progress sink.
//!
//! Events are queued to the JavaScript thread without blocking the
//! transfer (a threadsafe function in non-blocking mode). The operation
//! waits for every queued event to be delivered before its Promise
//! settles, so a caller sees the last event (`finished`) before the
//! result. An exception the callback throws is an uncaught exception, as
//! in any event listener.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi::Status;
use napi_derive::napi;
use tokio::sync::Notify;
use tranship::progress::{Progress, ProgressEvent as CoreEvent};

/// One progress report about one blob.
#[napi(object)]
pub struct ProgressEvent {
    /// `download` or `upload`.
    pub direction: String,
    /// The blob's digest.
    pub digest: String,
    /// `started`, `transferring`, `resumed`, `exists`, `mounted` or
    /// `finished`.
    pub phase: String,
    /// Bytes done so far.
    pub done: f64,
    /// Total bytes, when known.
    pub total: Option<f64>,
}

/// The JavaScript type of a progress callback: `(event) => void`.
pub type ProgressCallback = ThreadsafeFunction<ProgressEvent, (), ProgressEvent, Status, false>;

impl From<&CoreEvent> for ProgressEvent {
    fn from(e: &CoreEvent) -> Self {
        ProgressEvent {
            direction: e.direction.as_str().to_string(),
            digest: e.digest.to_string(),
            phase: e.phase.as_str().to_string(),
            done: e.done as f64,
            total: e.total.map(|t| t as f64),
        }
    }
}

/// Events queued to the JavaScript thread and not yet delivered.
#[derive(Default)]
struct InFlight {
    count: AtomicUsize,
    drained: Notify,
}

impl InFlight {
    fn delivered(&self) {
        if self.count.fetch_sub(1, Ordering::AcqRel) == 1 {
            self.drained.notify_waiters();
        }
    }
}

struct Callback {
    function: ProgressCallback,
    in_flight: Arc<InFlight>,
}

impl Progress for Callback {
    fn on_event(&self, event: &CoreEvent) {
        self.in_flight.count.fetch_add(1, Ordering::AcqRel);
        let in_flight = self.in_flight.clone();
        let status = self.function.call_with_return_value(
            ProgressEvent::from(event),
            ThreadsafeFunctionCallMode::NonBlocking,
            move |_, _| {
                in_flight.delivered();
                Ok(())
            },
        );
        if status != Status::Ok {
            // Not queued (the environment is closing): nothing to wait for.
            self.in_flight.delivered();
        }
    }
}

/// The core's sink for an optional callback, and what to await before
/// settling: every event it was given delivered.
pub struct Sink {
    /// The sink to hand to the client.
    pub sink: Option<Arc<dyn Progress>>,
    in_flight: Option<Arc<InFlight>>,
}

impl Sink {
    /// A sink calling `function`, or none.
    pub fn new(function: Option<ProgressCallback>) -> Self {
        match function {
            Some(function) => {
                let in_flight = Arc::new(InFlight::default());
                Sink {
                    sink: Some(Arc::new(Callback {
                        function,
                        in_flight: in_flight.clone(),
                    })),
                    in_flight: Some(in_flight),
                }
            }
            None => Sink {
                sink: None,
                in_flight: None,
            },
        }
    }

    /// Waits until every event queued so far reached the callback.
    pub async fn delivered(self) {
        let Some(in_flight) = self.in_flight else {
            return;
        };
        loop {
            let drained = in_flight.drained.notified();
            if in_flight.count.load(Ordering::Acquire) == 0 {
                return;
            }
            drained.await;
        }
    }
}
