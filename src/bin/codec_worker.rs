//! The codec worker: runs exports, imports and pastes off the editor's thread, in a module the
//! editor loads only when one is first needed (browser-only shell over `codec::jobs`).

#[cfg(target_arch = "wasm32")]
fn main() {
    use tsuzuri::codec::jobs;
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;

    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let replies = scope.clone();
    let on_message =
        Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
            // Anything but text is not ours to answer; the editor only sends text.
            let Some(message) = event.data().as_string() else {
                return;
            };
            let mut new_id = || format!("s{:x}", (js_sys::Math::random() * 1.0e15) as u64);
            let reply = jobs::answer(&message, &mut new_id);
            // A worker that can no longer post has no one to tell.
            let _ = replies.post_message(&JsValue::from_str(&reply));
        });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The handler lives as long as the worker.
    on_message.forget();
    let _ = scope.post_message(&JsValue::from_str(jobs::READY));
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!(
        "The codec worker runs in the browser: trunk builds it with the app (see README.md)."
    );
}
