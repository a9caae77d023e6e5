//! Work that must not block the JavaScript thread: registry calls run on
//! napi's tokio runtime, blob reading and hashing on its blocking pool.
//! Each is returned as a Promise that resolves with the converted result
//! or rejects with the core's error (`code` set, see [`crate::error`]).

use std::future::Future;

use napi::bindgen_prelude::{PromiseRaw, ToNapiValue};
use napi::Env;

use crate::abort::{self, Signal};
use crate::error::rejection;

/// A Promise of `work`'s result, converted by `convert` on the JavaScript
/// thread once `work` is done. With `signal`, aborting it drops `work`
/// and rejects with the signal's `reason` (see [`crate::abort`]).
pub fn promise<'env, T, V>(
    env: &'env Env,
    signal: Option<Signal>,
    work: impl Future<Output = tranship::Result<T>> + Send + 'static,
    convert: impl FnOnce(T) -> V + 'static,
) -> napi::Result<PromiseRaw<'env, V>>
where
    T: Send + 'static,
    V: ToNapiValue,
{
    let (aborted, detach) = match signal.map(|s| abort::watch(env, s)).transpose()? {
        Some(watch) => (Some(watch.aborted), Some(watch.detach)),
        None => (None, None),
    };
    // `None`: aborted before the work was done.
    let work = async move {
        let Some(aborted) = aborted else {
            return Ok(Some(work.await));
        };
        tokio::select! {
            // A signal that has fired wins over work that is done too.
            biased;
            Ok(()) = aborted => Ok(None),
            result = work => Ok(Some(result)),
        }
    };
    env.spawn_future_with_callback(work, move |env, settled| {
        let reason = match detach {
            Some(detach) => detach.finish(env, settled.is_none())?,
            None => None,
        };
        match settled {
            Some(result) => result.map(convert).map_err(|e| rejection(env, e)),
            None => Err(reason.unwrap_or_else(|| napi::Error::from_reason("aborted"))),
        }
    })
}

/// A Promise of `work`, a blocking computation (reading, decompressing,
/// hashing), run on a thread of the blocking pool.
pub fn blocking<'env, T, V>(
    env: &'env Env,
    work: impl FnOnce() -> tranship::Result<T> + Send + 'static,
    convert: impl FnOnce(T) -> V + 'static,
) -> napi::Result<PromiseRaw<'env, V>>
where
    T: Send + 'static,
    V: ToNapiValue,
{
    let work = async move {
        tokio::task::spawn_blocking(work)
            .await
            .map_err(|e| tranship::Error::io("running blocking work", std::io::Error::other(e)))?
    };
    promise(env, None, work, convert)
}
