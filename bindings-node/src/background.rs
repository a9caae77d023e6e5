//! Work that must not block the JavaScript thread: registry calls run on
//! napi's tokio runtime, blob reading and hashing on its blocking pool.
//! Each is returned as a Promise that resolves with the converted result
//! or rejects with the core's error (`code` set, see [`crate::error`]).

use std::future::Future;

use napi::bindgen_prelude::{PromiseRaw, ToNapiValue};
use napi::Env;

use crate::error::rejection;

/// A Promise of `work`'s result, converted by `convert` on the JavaScript
/// thread once `work` is done.
pub fn promise<'env, T, V>(
    env: &'env Env,
    work: impl Future<Output = tranship::Result<T>> + Send + 'static,
    convert: impl FnOnce(T) -> V + 'static,
) -> napi::Result<PromiseRaw<'env, V>>
where
    T: Send + 'static,
    V: ToNapiValue,
{
    env.spawn_future_with_callback(async move { Ok(work.await) }, move |env, settled| {
        settled.map(convert).map_err(|e| rejection(env, e))
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
    promise(env, work, convert)
}
