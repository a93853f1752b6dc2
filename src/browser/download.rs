//! Saving text as a file the author downloads (browser-only).

use wasm_bindgen::JsCast;

/// Offers `text` as a download named `file_name`. Returns false if the browser refused.
pub fn download_text(file_name: &str, mime: &str, text: &str) -> bool {
    let Some(document) = super::dom::document() else {
        return false;
    };
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
        return false;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return false;
    };
    let Some(anchor) = document
        .create_element("a")
        .ok()
        .and_then(|element| element.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    else {
        return false;
    };
    anchor.set_href(&url);
    anchor.set_download(file_name);
    anchor.set_attribute("hidden", "").ok();
    let appended = document
        .body()
        .map(|body| body.append_child(&anchor).is_ok())
        .unwrap_or(false);
    anchor.click();
    if appended {
        anchor.remove();
    }
    // Revoked later: the download starts asynchronously.
    let revoke = wasm_bindgen::closure::Closure::once(move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    });
    if let Some(window) = web_sys::window() {
        let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(
            revoke.as_ref().unchecked_ref(),
            10_000,
        );
    }
    revoke.forget();
    true
}

/// A file name made from a title: no path separators or characters file systems refuse.
pub fn file_name(title: &str, fallback: &str, extension: &str) -> String {
    let cleaned: String = title
        .trim()
        .chars()
        .map(|ch| {
            if "\\/:*?\"<>|".contains(ch) || ch.is_control() {
                '_'
            } else {
                ch
            }
        })
        .take(80)
        .collect();
    let base = if cleaned.trim().is_empty() {
        fallback
    } else {
        cleaned.trim()
    };
    format!("{base}.{extension}")
}
