//! `signal`: an `AbortSignal` that cancels a registry call.
//!
//! The call's work races a channel that an `abort` listener on the signal
//! fires. When the signal wins, the work is dropped (its requests are
//! cancelled, a partial download is removed) and the Promise rejects with
//! the signal's `reason`, as `fetch` does. The listener is removed once the
//! call settles, so a signal shared by many calls does not collect them.

use std::cell::RefCell;

use napi::bindgen_prelude::{
    FnArgs, Function, FunctionRef, JsObjectValue, JsValue, Object, ObjectRef, Unknown,
};
use napi::Env;
use tokio::sync::oneshot;

/// A signal given to a call, as an option field: `signal?: AbortSignal`.
pub type Signal = ObjectRef<false>;

/// The `abort` listener's type: no arguments that it reads, nothing
/// returned.
type Listener = FunctionRef<(), ()>;

/// One call's hold on its signal.
pub struct Watch {
    /// Fires when the signal aborts (at once if it already had).
    pub aborted: oneshot::Receiver<()>,
    /// What to undo on the JavaScript thread when the call settles.
    pub detach: Detach,
}

/// The signal and the listener added to it.
pub struct Detach {
    signal: Signal,
    listener: Option<Listener>,
}

/// Starts watching `signal` for one call.
pub fn watch(env: &Env, signal: Signal) -> napi::Result<Watch> {
    let (fire, aborted) = oneshot::channel();
    let object = signal.get_value(env)?;
    if object.get_named_property::<bool>("aborted")? {
        let _ = fire.send(());
        let listener = None;
        return Ok(Watch {
            aborted,
            detach: Detach { signal, listener },
        });
    }
    let fire = RefCell::new(Some(fire));
    let listener = env.create_function_from_closure::<(), (), _>("onTranshipAbort", move |_| {
        if let Some(fire) = fire.borrow_mut().take() {
            // The call may be over already; then there is nobody to tell.
            let _ = fire.send(());
        }
        Ok(())
    })?;
    call_method(&object, "addEventListener", &listener)?;
    Ok(Watch {
        aborted,
        detach: Detach {
            listener: Some(listener.create_ref()?),
            signal,
        },
    })
}

impl Detach {
    /// Removes the listener and lets the signal go; returns the error the
    /// call rejects with when it was aborted (the signal's `reason`).
    pub fn finish(self, env: &Env, aborted: bool) -> napi::Result<Option<napi::Error>> {
        let object = self.signal.get_value(env)?;
        if let Some(listener) = &self.listener {
            call_method(&object, "removeEventListener", &listener.borrow_back(env)?)?;
        }
        let rejection = aborted
            .then(|| object.get_named_property::<Unknown>("reason"))
            .transpose()?
            .map(napi::Error::from);
        self.signal.unref(env)?;
        Ok(rejection)
    }
}

/// `object[method]('abort', listener)`.
fn call_method(object: &Object, method: &str, listener: &Function<(), ()>) -> napi::Result<()> {
    let method: Function<FnArgs<(&str, Unknown)>, Unknown> = object.get_named_property(method)?;
    method.apply(object, ("abort", listener.to_unknown()).into())?;
    Ok(())
}
