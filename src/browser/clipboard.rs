//! Copying to the clipboard: plain text, or HTML with a plain-text alternative (browser-only).

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

fn clipboard() -> Option<JsValue> {
    let navigator = web_sys::window()?.navigator();
    js_sys::Reflect::get(&navigator, &"clipboard".into())
        .ok()
        .filter(|value| !value.is_undefined())
}

fn call(target: &JsValue, method: &str, argument: &JsValue) -> Option<js_sys::Promise> {
    let function: js_sys::Function = js_sys::Reflect::get(target, &method.into())
        .ok()?
        .dyn_into()
        .ok()?;
    function.call1(target, argument).ok()?.dyn_into().ok()
}

/// Copies plain text. Returns whether the browser accepted it.
pub async fn copy_text(text: &str) -> bool {
    let Some(clipboard) = clipboard() else {
        return false;
    };
    match call(&clipboard, "writeText", &JsValue::from_str(text)) {
        Some(promise) => JsFuture::from(promise).await.is_ok(),
        None => false,
    }
}

/// Copies HTML as rich text (`text/html`) with `text/plain` beside it, so a WYSIWYG editor
/// keeps the formatting and a plain field gets the text. The clipboard is claimed at once,
/// inside the press (some browsers allow a write nowhere else), for the two texts `made` is
/// still making; it fills when they are ready, and nothing is written if they fail. Returns
/// whether the browser took them.
pub async fn copy_rich(made: impl std::future::Future<Output = Option<(String, String)>>) -> bool {
    let Some(clipboard) = clipboard() else {
        return false;
    };
    let Some(constructor) = js_sys::Reflect::get(&js_sys::global(), &"ClipboardItem".into())
        .ok()
        .and_then(|value| value.dyn_into::<js_sys::Function>().ok())
    else {
        return false;
    };
    let (Some((html_promise, html_settle)), Some((plain_promise, plain_settle))) =
        (pending(), pending())
    else {
        return false;
    };
    let items = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&items, &"text/html".into(), &html_promise);
    let _ = js_sys::Reflect::set(&items, &"text/plain".into(), &plain_promise);
    let Ok(item) = js_sys::Reflect::construct(&constructor, &js_sys::Array::of1(&items)) else {
        return false;
    };
    let Some(written) = call(&clipboard, "write", &js_sys::Array::of1(&item)) else {
        return false;
    };
    let blob = |text: &str, mime: &str| -> Option<web_sys::Blob> {
        let parts = js_sys::Array::of1(&JsValue::from_str(text));
        let options = web_sys::BlobPropertyBag::new();
        options.set_type(mime);
        web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).ok()
    };
    let blobs = made
        .await
        .and_then(|(html, plain)| Some((blob(&html, "text/html")?, blob(&plain, "text/plain")?)));
    match blobs {
        Some((html, plain)) => {
            html_settle.resolve(&html);
            plain_settle.resolve(&plain);
        }
        None => {
            html_settle.reject();
            plain_settle.reject();
        }
    }
    JsFuture::from(written).await.is_ok()
}

/// How a promise made by [`pending`] is settled.
struct Settle {
    resolve: js_sys::Function,
    reject: js_sys::Function,
}

impl Settle {
    fn resolve(&self, value: &JsValue) {
        let _ = self.resolve.call1(&JsValue::NULL, value);
    }

    fn reject(&self) {
        let _ = self.reject.call0(&JsValue::NULL);
    }
}

/// A promise to be settled later, and the means to settle it.
fn pending() -> Option<(js_sys::Promise, Settle)> {
    let mut settle = None;
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        settle = Some(Settle { resolve, reject });
    });
    settle.map(|settle| (promise, settle))
}
