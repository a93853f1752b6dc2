//! Downscaling a local image file in the browser into a `data:` URL (browser-only).

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Reads an image file, scales it so neither side exceeds `max_side` pixels, and encodes it
/// (JPEG, or PNG for images that may be transparent), stepping quality down until it fits in
/// `max_bytes`. Errors are messages for the author.
pub async fn downscale(
    file: web_sys::File,
    max_side: u32,
    max_bytes: usize,
) -> Result<String, String> {
    if !file.type_().starts_with("image/") || file.type_() == "image/svg+xml" {
        return Err(format!(
            "“{}” is not a photo or picture file (PNG, JPEG, GIF or WebP).",
            file.name()
        ));
    }
    let url = web_sys::Url::create_object_url_with_blob(&file)
        .map_err(|_| "The browser could not open that file.".to_owned())?;
    let image = web_sys::HtmlImageElement::new().map_err(|_| "No image support.".to_owned())?;
    let loaded = js_sys::Promise::new(&mut |resolve, reject| {
        image.set_onload(Some(&resolve));
        image.set_onerror(Some(&reject));
    });
    image.set_src(&url);
    let result = JsFuture::from(loaded).await;
    let _ = web_sys::Url::revoke_object_url(&url);
    result.map_err(|_| format!("“{}” could not be read as an image.", file.name()))?;
    let (width, height) = (image.natural_width().max(1), image.natural_height().max(1));
    let scale = (max_side as f64 / width.max(height) as f64).min(1.0);
    let document = super::dom::document().ok_or("No document.")?;
    let canvas: web_sys::HtmlCanvasElement = document
        .create_element("canvas")
        .map_err(|_| "No canvas support.")?
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
            .ok_or("No canvas support.")?
            .unchecked_into();
        context.clear_rect(0.0, 0.0, w as f64, h as f64);
        context
            .draw_image_with_html_image_element_and_dw_and_dh(&image, 0.0, 0.0, w as f64, h as f64)
            .map_err(|_| "The image could not be drawn.")?;
        let quality = 0.86 - attempt as f64 * 0.1;
        let encoded = if keeps_alpha && attempt < 2 {
            canvas.to_data_url_with_type("image/png")
        } else {
            canvas.to_data_url_with_type_and_encoder_options(
                "image/jpeg",
                &JsValue::from_f64(quality),
            )
        }
        .map_err(|_| "The image could not be encoded.")?;
        if encoded.len() <= max_bytes {
            return Ok(encoded);
        }
        if attempt >= 2 {
            side_scale *= 0.8;
        }
    }
    Err(format!(
        "“{}” is too large to keep in the draft even after shrinking it (limit {} KB).",
        file.name(),
        max_bytes / 1024
    ))
}
