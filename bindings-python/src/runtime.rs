//! The one tokio runtime every registry call runs on, and the two ways a
//! call is handed to Python: blocking with the GIL released, or as an
//! asyncio future.
//!
//! The runtime is pyo3-async-runtimes' multi-thread runtime, created on
//! first use and kept for the life of the process: the HTTP connections a
//! `Client` pools belong to it, so every call, blocking or not, must run
//! on it.

use std::future::Future;
use std::time::Duration;

use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::IntoPyObjectExt;

use crate::error::to_py;

/// The process-wide runtime.
pub(crate) fn runtime() -> &'static tokio::runtime::Runtime {
    pyo3_async_runtimes::tokio::get_runtime()
}

/// How often a blocking call looks for a signal (Ctrl-C) to handle.
const SIGNAL_CHECKS: Duration = Duration::from_millis(50);

/// Runs `call` to completion on the runtime with the GIL released, so
/// other Python threads run meanwhile; core errors become exceptions.
/// Signals are handled while it waits: when a handler raises (Ctrl-C's
/// `KeyboardInterrupt`), the call is dropped, which cancels its requests
/// and removes any partial download, and the exception propagates.
pub(crate) fn blocking<T>(
    py: Python<'_>,
    call: impl Future<Output = tranship::Result<T>> + Send + 'static,
) -> PyResult<Py<PyAny>>
where
    T: for<'py> IntoPyObject<'py> + Send + 'static,
{
    // Only a progress callback runs on a runtime thread; blocking there
    // would stall the runtime (tokio refuses with a panic).
    if tokio::runtime::Handle::try_current().is_ok() {
        return Err(PyRuntimeError::new_err(
            "a blocking tranship.Registry call cannot be made from a progress callback",
        ));
    }
    let value = py.detach(|| {
        runtime().block_on(async {
            tokio::pin!(call);
            loop {
                tokio::select! {
                    done = &mut call => return done.map_err(to_py),
                    () = tokio::time::sleep(SIGNAL_CHECKS) => {
                        Python::attach(|py| py.check_signals())?;
                    }
                }
            }
        })
    })?;
    value.into_py_any(py)
}

/// Starts `call` on the runtime and returns an asyncio future of the
/// running event loop that completes with its result (cancelling it
/// drops the call).
pub(crate) fn awaitable<T>(
    py: Python<'_>,
    call: impl Future<Output = tranship::Result<T>> + Send + 'static,
) -> PyResult<Py<PyAny>>
where
    T: for<'py> IntoPyObject<'py> + Send + 'static,
{
    let future =
        pyo3_async_runtimes::tokio::future_into_py(py, async move { call.await.map_err(to_py) })?;
    Ok(future.unbind())
}
