//! The editable element of a text block: typing, IME composition, keys and paste (browser-only).
//!
//! The element is the source of truth while the author types: each input is read back into
//! inline text and recorded; the element is re-rendered only when the change came from
//! elsewhere (undo, split, formatting). During IME composition nothing is recorded: the
//! committed text lands once, at `compositionend`.

use super::state::{focus_later, text_element_id, use_editor_state, EditorState};
use crate::browser::dom;
use crate::codec::{inline_html, paste};
use crate::edit::{with_text, Caret};
use crate::model::{BlockContent, BlockId};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

fn element_of(id: &BlockId) -> Option<web_sys::HtmlElement> {
    dom::element_by_id(&text_element_id(id))
}

/// Reads the element back into the block and records it as typing.
fn commit(state: EditorState, id: &BlockId, caret_before: Option<usize>) {
    let Some(element) = element_of(id) else {
        return;
    };
    let text = inline_html::from_html(&element.inner_html());
    let caret = dom::selection_offsets(&element).map(|(_, end)| end);
    state.run(Some(id), |editor, now| {
        let current = editor
            .doc()
            .block(id)
            .map(|block| block.content.clone())
            .ok_or_else(|| crate::edit::OpError::NoSuchBlock(id.clone()))?;
        let updated = with_text(&current, text);
        editor.edit_text(id, updated, caret_before, caret, now)
    });
}

fn focus_neighbour(state: EditorState, id: &BlockId, delta: isize, at_end: bool) -> bool {
    let order = state.order.get_untracked();
    let Some(index) = order.iter().position(|other| other == id) else {
        return false;
    };
    let target = index as isize + delta;
    if target < 0 || target as usize >= order.len() {
        return false;
    }
    let neighbour = order[target as usize].clone();
    let offset = if at_end {
        state
            .content(&neighbour)
            .and_then(|content| content.rich_text())
            .map(|text| text.len())
            .unwrap_or(0)
    } else {
        0
    };
    focus_later(Caret {
        block: neighbour,
        offset,
    });
    true
}

#[component]
pub fn TextBlock(id: BlockId, label: &'static str) -> impl IntoView {
    let state = use_editor_state();
    let revision = state.revision(&id);
    let caret_before = StoredValue::new(None::<usize>);
    let html = {
        let id = id.clone();
        move || {
            revision.track();
            state
                .content(&id)
                .and_then(|content| content.rich_text())
                .map(|text| inline_html::to_editable_html(&text))
                .unwrap_or_default()
        }
    };
    let stored_id = StoredValue::new(id.clone());
    let is_code = move || {
        matches!(
            state.content(&stored_id.get_value()),
            Some(BlockContent::Code(_))
        )
    };
    let on_input = {
        let id = id.clone();
        move |ev: web_sys::Event| {
            let composing = ev
                .dyn_ref::<web_sys::InputEvent>()
                .is_some_and(|input| input.is_composing());
            if !composing {
                commit(state, &id, caret_before.get_value());
            }
        }
    };
    let on_composition_end = {
        let id = id.clone();
        move |_: web_sys::CompositionEvent| commit(state, &id, caret_before.get_value())
    };
    let on_keydown = {
        let id = id.clone();
        move |ev: web_sys::KeyboardEvent| {
            // While an IME composes, every key belongs to it.
            if ev.is_composing() || ev.key_code() == 229 {
                return;
            }
            let Some(element) = element_of(&id) else {
                return;
            };
            let offsets = dom::selection_offsets(&element);
            caret_before.set_value(offsets.map(|(start, _)| start));
            let (start, end) = offsets.unwrap_or((0, 0));
            let length = state
                .content(&id)
                .and_then(|content| content.rich_text())
                .map(|text| text.len())
                .unwrap_or(0);
            let modifier = ev.ctrl_key() || ev.meta_key();
            match ev.key().as_str() {
                "Enter" if !ev.shift_key() && !modifier && !ev.alt_key() => {
                    ev.prevent_default();
                    let id = id.clone();
                    state.run(None, move |editor, now| {
                        if start != end {
                            let content = editor
                                .doc()
                                .block(&id)
                                .map(|block| block.content.clone())
                                .ok_or_else(|| crate::edit::OpError::NoSuchBlock(id.clone()))?;
                            if let Some(text) = content.rich_text() {
                                let mut kept = text.slice(0, start);
                                kept.append(&text.slice(end, usize::MAX));
                                editor.edit_text(
                                    &id,
                                    with_text(&content, kept),
                                    None,
                                    None,
                                    now,
                                )?;
                            }
                        }
                        editor.split(&id, start, now)
                    });
                }
                "Backspace" if start == 0 && end == 0 && !modifier => {
                    let id = id.clone();
                    if state
                        .run_optional(move |editor, now| editor.merge_with_previous(&id, now))
                        .is_some()
                    {
                        ev.prevent_default();
                    }
                }
                "Delete" if start == length && end == length && !modifier => {
                    let id = id.clone();
                    if state
                        .run_optional(move |editor, now| editor.merge_next(&id, now))
                        .is_some()
                    {
                        ev.prevent_default();
                    }
                }
                "ArrowUp" | "ArrowLeft"
                    if start == 0
                        && end == 0
                        && !ev.shift_key()
                        && !ev.alt_key()
                        && focus_neighbour(state, &id, -1, true) =>
                {
                    ev.prevent_default();
                }
                "ArrowDown" | "ArrowRight"
                    if start == length
                        && end == length
                        && !ev.shift_key()
                        && !ev.alt_key()
                        && focus_neighbour(state, &id, 1, false) =>
                {
                    ev.prevent_default();
                }
                _ => {}
            }
        }
    };
    let on_paste = {
        let id = id.clone();
        move |ev: web_sys::ClipboardEvent| {
            let Some(data) = ev.clipboard_data() else {
                return;
            };
            ev.prevent_default();
            let html = data.get_data("text/html").unwrap_or_default();
            let plain = data.get_data("text/plain").unwrap_or_default();
            let blocks = if is_code() {
                vec![BlockContent::Paragraph(crate::model::Paragraph {
                    text: crate::model::RichText::plain(&plain),
                    ..Default::default()
                })]
            } else {
                paste::blocks_from_clipboard(&html, &plain)
            };
            if blocks.is_empty() {
                return;
            }
            let Some(element) = element_of(&id) else {
                return;
            };
            let (start, end) = dom::selection_offsets(&element).unwrap_or((0, 0));
            // Anything typed but not yet recorded goes in first, so the paste is one clean step.
            commit(state, &id, None);
            let id = id.clone();
            state.run(None, move |editor, now| {
                editor.seal_history();
                editor.paste(&id, start, end, blocks, now)
            });
        }
    };
    view! {
        <div
            id=text_element_id(&id)
            class="ts-text"
            class=("ts-text--heading", label == "Heading")
            class=("ts-text--quote", label == "Quote")
            class=("ts-text--code", label == "Code")
            contenteditable="true"
            spellcheck=move || if is_code() { "false" } else { "true" }
            role="textbox"
            aria-multiline="true"
            aria-label=label
            data-placeholder=if label == "Paragraph" { "Type, or press / for blocks" } else { label }
            inner_html=html
            on:input=on_input
            on:compositionend=on_composition_end
            on:keydown=on_keydown
            on:paste=on_paste
        ></div>
    }
}
