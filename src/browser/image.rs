//! Downscaling a local image file in the browser into a `data:` URL (browser-only).

use crate::i18n::messages::Problem;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Reads an image file, scales it so neither side exceeds `max_side` pixels, and encodes it
/// (JPEG, or PNG for images that may be transparent), stepping quality down until it fits in
/// `max_bytes`.
pub async fn downscale(
    file: web_sys::File,
    max_side: u32,
    max_bytes: usize,
) -> Result<String, Problem> {
    if !file.type_().starts_with("image/") || file.type_() == "image/svg+xml" {
        return Err(Problem::NotAPicture(file.name()));
    }
    let unreadable = || Problem::ImageUnreadable(file.name());
    let url = web_sys::Url::create_object_url_with_blob(&file).map_err(|_| unreadable())?;
    let image = web_sys::HtmlImageElement::new().map_err(|_| Problem::NoImageSupport)?;
    let loaded = js_sys::Promise::new(&mut |resolve, reject| {
        image.set_onload(Some(&resolve));
        image.set_onerror(Some(&reject));
    });
    image.set_src(&url);
    let result = JsFuture::from(loaded).await;
    let _ = web_sys::Url::revoke_object_url(&url);
    result.map_err(|_| unreadable())?;
    let (width, height) = (image.natural_width().max(1), image.natural_height().max(1));
    let scale = (max_side as f64 / width.max(height) as f64).min(1.0);
    let document = super::dom::document().ok_or(Problem::NoImageSupport)?;
    let canvas: web_sys::HtmlCanvasElement = document
        .create_element("canvas")
        .map_err(|_| Problem::NoImageSupport)?
        .unchecked_into();
    let keeps_alpha =
        file.type_() == "image/png" || file.type_() == "image/gif" || file.type_() == "image/webp";
    let mut side_scale = scale;
    for attempt in 0..6 {
        let w = ((width as f64 * side_scale).round() as u32).max(1);
        let h = ((height as f64 * side_scale).round() as u32).max(1);
        canvas.set_width(w);
        canvas.set_height(h);
        let context: web_sys::CanvasRenderingContext2d = canvas
            .get_context("2d")
            .ok()
            .flatten()
            .ok_or(Problem::NoImageSupport)?
            .unchecked_into();
        context.clear_rect(0.0, 0.0, w as f64, h as f64);
        context
            .draw_image_with_html_image_element_and_dw_and_dh(&image, 0.0, 0.0, w as f64, h as f64)
            .map_err(|_| unreadable())?;
        let quality = 0.86 - attempt as f64 * 0.1;
        let encoded = if keeps_alpha && attempt < 2 {
            canvas.to_data_url_with_type("image/png")
        } else {
            canvas.to_data_url_with_type_and_encoder_options(
                "image/jpeg",
                &JsValue::from_f64(quality),
            )
        }
        .map_err(|_| unreadable())?;
        if encoded.len() <= max_bytes {
            return Ok(encoded);
        }
        if attempt >= 2 {
            side_scale *= 0.8;
        }
    }
    Err(Problem::ImageTooLarge {
        name: file.name(),
        limit_kb: max_bytes / 1024,
    })
}
