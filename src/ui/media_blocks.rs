//! Editors for image blocks and a code block's language (browser-only).

use super::state::{use_editor_state, EditorState};
use super::ChooseFile;
use crate::browser::image::downscale;
use crate::i18n::Key;
use crate::model::{BlockContent, BlockId, Code, Image};
use crate::sanitize;
use leptos::prelude::*;

/// The largest local image kept in a draft, as a `data:` URL.
pub const IMAGE_MAX_BYTES: usize = 1024 * 1024;
pub const IMAGE_MAX_SIDE: u32 = 1600;

fn image_of(state: EditorState, id: &BlockId) -> Option<Image> {
    match state.content(id) {
        Some(BlockContent::Image(image)) => Some(image),
        _ => None,
    }
}

fn update_image(
    state: EditorState,
    id: &BlockId,
    field: &'static str,
    change: impl FnOnce(&mut Image),
) {
    let Some(mut image) = image_of(state, id) else {
        return;
    };
    change(&mut image);
    state.run(Some(id), |editor, now| {
        editor.update_block(id, BlockContent::Image(image), Some(field), now)
    });
}

#[component]
pub fn ImageBlock(id: BlockId) -> impl IntoView {
    let state = use_editor_state();
    let revision = state.revision(&id);
    let stored_id = StoredValue::new(id);
    // Fields re-read the block when it changes from outside (undo); typing does not re-render.
    let image = move || {
        revision.track();
        image_of(state, &stored_id.get_value()).unwrap_or_default()
    };
    let typed = RwSignal::new(0u64);
    // The preview and the messages follow typing and changes from outside (a chosen file, undo).
    let current = move || {
        typed.track();
        revision.track();
        image_of(state, &stored_id.get_value()).unwrap_or_default()
    };
    let src_error = move || {
        let src = current().src;
        (!src.is_empty())
            .then(|| sanitize::check_image_src(&src).err())
            .flatten()
            .map(|error| crate::i18n::messages::url(state.lang.get(), &error))
    };
    let shown_src = move || {
        let src = current().src;
        sanitize::check_image_src(&src).ok()
    };
    let alt_missing = move || {
        let image = current();
        !image.src.is_empty() && image.alt.trim().is_empty()
    };
    let busy = RwSignal::new(false);
    let on_file = move |file: web_sys::File| {
        busy.set(true);
        let id = stored_id.get_value();
        leptos::task::spawn_local(async move {
            let result = downscale(file, IMAGE_MAX_SIDE, IMAGE_MAX_BYTES).await;
            // The block may have been removed meanwhile; its signals then are gone too.
            let _ = busy.try_set(false);
            match result {
                Ok(data_url) => {
                    update_image(state, &id, "src", |image| image.src = data_url);
                    state.revision(&id).update(|revision| *revision += 1);
                }
                Err(problem) => state.message.set(Some(crate::i18n::messages::problem(
                    state.lang.get_untracked(),
                    &problem,
                ))),
            }
        });
    };
    let field = move |key: Key,
                      field: &'static str,
                      get: fn(&Image) -> String,
                      set: fn(&mut Image, String)| {
        view! {
            <label class="ts-field">
                <span class="ts-field__label">{move || state.t(key)}</span>
                <input
                    type="text"
                    class="ts-input"
                    aria-label=move || state.t(key)
                    prop:value=move || get(&image())
                    readonly=move || state.is_read_only()
                    on:input=move |ev| {
                        if let Some(value) = super::settled_value(&ev) {
                            update_image(state, &stored_id.get_value(), field, |image| set(image, value));
                            typed.update(|n| *n += 1);
                        }
                    }
                    on:compositionend=move |ev| {
                        let value = event_target_value(&ev);
                        update_image(state, &stored_id.get_value(), field, |image| set(image, value));
                        typed.update(|n| *n += 1);
                    }
                    on:change=move |ev| {
                        let value = event_target_value(&ev);
                        update_image(state, &stored_id.get_value(), field, |image| set(image, value));
                    }
                />
            </label>
        }
    };
    view! {
        <figure class="ts-image">
            {move || {
                shown_src()
                    .map(|src| {
                        view! {
                            <img
                                class="ts-image__preview"
                                src=src
                                alt=move || current().alt
                            />
                        }
                    })
            }}
            <div class="ts-image__fields">
                {field(Key::ImageAddress, "src", |image| image.src.clone(), |image, value| image.src = value)}
                <Show when=move || src_error().is_some()>
                    <p class="ts-field__error" role="alert">{move || src_error().unwrap_or_default()}</p>
                </Show>
                <div class="ts-image__file">
                    <ChooseFile
                        label=state.tr(Key::ChooseImageFile)
                        accept="image/png,image/jpeg,image/gif,image/webp"
                        disabled=Signal::derive(move || busy.get() || state.is_read_only())
                        on_file=on_file
                    />
                    <span class="ts-note">{state.tr(Key::ImageSizeNote)}</span>
                </div>
                {field(Key::ImageAlt, "alt", |image| image.alt.clone(), |image, value| image.alt = value)}
                <Show when=alt_missing>
                    <p class="ts-field__warning">{state.tr(Key::ImageAltMissing)}</p>
                </Show>
                {field(Key::ImageCaption, "caption", |image| image.caption.clone(), |image, value| image.caption = value)}
            </div>
        </figure>
    }
}

#[component]
pub fn CodeLanguage(id: BlockId) -> impl IntoView {
    let state = use_editor_state();
    let revision = state.revision(&id);
    let stored_id = StoredValue::new(id);
    let language = move || {
        revision.track();
        match state.content(&stored_id.get_value()) {
            Some(BlockContent::Code(code)) => code.language,
            _ => String::new(),
        }
    };
    view! {
        <input
            type="text"
            class="ts-input ts-code__language"
            aria-label=state.tr(Key::CodeLanguage)
            placeholder=state.tr(Key::CodeLanguage)
            prop:value=language
            on:input=move |ev| {
                let value = event_target_value(&ev);
                let id = stored_id.get_value();
                if let Some(BlockContent::Code(code)) = state.content(&id) {
                    let content = BlockContent::Code(Code { language: value, ..code });
                    state.run(Some(&id), |editor, now| {
                        editor.update_block(&id, content, Some("language"), now)
                    });
                }
            }
        />
    }
}
