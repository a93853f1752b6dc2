//! Grapheme counting with the browser's `Intl.Segmenter`, falling back to the pure counter
//! (browser-only).

use crate::counts::{standalone_characters, visible_characters};
use wasm_bindgen::JsValue;

thread_local! {
    static SEGMENTER: Option<JsValue> = make_segmenter();
}

fn make_segmenter() -> Option<JsValue> {
    let intl = js_sys::Reflect::get(&js_sys::global(), &"Intl".into()).ok()?;
    let constructor = js_sys::Reflect::get(&intl, &"Segmenter".into()).ok()?;
    let constructor: js_sys::Function = constructor.dyn_into().ok()?;
    let options = js_sys::Object::new();
    js_sys::Reflect::set(&options, &"granularity".into(), &"grapheme".into()).ok()?;
    let args = js_sys::Array::of2(&JsValue::UNDEFINED, &options);
    js_sys::Reflect::construct(&constructor, &args).ok()
}

use wasm_bindgen::JsCast;

/// Visible characters of `text` (grapheme clusters, whitespace excluded).
pub fn count_graphemes(text: &str) -> usize {
    // Segmenting crosses into JavaScript per character; most text needs none of it.
    if let Some(count) = standalone_characters(text) {
        return count;
    }
    SEGMENTER.with(|segmenter| {
        let Some(segmenter) = segmenter else {
            return visible_characters(text);
        };
        let counted = (|| {
            let segment: js_sys::Function = js_sys::Reflect::get(segmenter, &"segment".into())
                .ok()?
                .dyn_into()
                .ok()?;
            let segments = segment.call1(segmenter, &JsValue::from_str(text)).ok()?;
            let mut count = 0;
            for item in js_sys::try_iter(&segments).ok()?? {
                let item = item.ok()?;
                let piece = js_sys::Reflect::get(&item, &"segment".into())
                    .ok()?
                    .as_string()
                    .unwrap_or_default();
                if !piece.trim().is_empty() {
                    count += 1;
                }
            }
            Some(count)
        })();
        counted.unwrap_or_else(|| visible_characters(text))
    })
}
