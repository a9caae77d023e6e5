//! A Python callable as the core's progress sink.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use pyo3::prelude::*;
use pyo3::types::PyDict;
use tranship::progress::{Progress, ProgressEvent};

/// Calls a Python callable with one dict per event: `{"direction",
/// "digest", "phase", "done", "total"}`. It runs on whichever thread
/// drives the transfer (a runtime worker, or a blocking caller while it
/// waits), holding the GIL only for the call.
///
/// An exception the callable raises cannot stop the transfer (the core
/// does not ask its sink): it goes to `sys.unraisablehook`, once, and the
/// callable is not called again for the rest of the operation.
struct Callback {
    callable: Py<PyAny>,
    failed: AtomicBool,
}

impl Progress for Callback {
    fn on_event(&self, event: &ProgressEvent) {
        if self.failed.load(Ordering::Relaxed) {
            return;
        }
        Python::attach(|py| {
            let called = event_dict(py, event).and_then(|e| self.callable.call1(py, (e,)));
            if let Err(err) = called {
                if !self.failed.swap(true, Ordering::Relaxed) {
                    err.write_unraisable(py, Some(self.callable.bind(py)));
                }
            }
        });
    }
}

/// The sink for an optional `progress` argument.
pub(crate) fn sink(callable: Option<Py<PyAny>>) -> Option<Arc<dyn Progress>> {
    callable.map(|callable| {
        Arc::new(Callback {
            callable,
            failed: AtomicBool::new(false),
        }) as Arc<dyn Progress>
    })
}

fn event_dict<'py>(py: Python<'py>, event: &ProgressEvent) -> PyResult<Bound<'py, PyDict>> {
    let dict = PyDict::new(py);
    dict.set_item("direction", event.direction.as_str())?;
    dict.set_item("digest", event.digest.to_string())?;
    dict.set_item("phase", event.phase.as_str())?;
    dict.set_item("done", event.done)?;
    dict.set_item("total", event.total)?;
    Ok(dict)
}
