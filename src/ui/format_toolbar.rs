//! The floating formatting toolbar shown over a text selection, and the formatting shortcuts
//! (browser-only).

use super::state::{selection_in_text, use_editor_state, EditorState};
use crate::browser::dom;
use crate::i18n::Key;
use crate::model::{BlockContent, BlockId, Mark};
use crate::sanitize;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// What a formatting command applies to: a block and a char range of its main text (for a
/// list, of its items joined by newlines).
#[derive(Clone, Debug, PartialEq)]
pub struct FormatTarget {
    pub block: BlockId,
    pub start: usize,
    pub end: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FormatAction {
    Toggle(Mark),
    Link,
}

/// Ctrl/Cmd+B, I, Shift+S, E, K (and Shift+H for the marker).
pub fn format_shortcut(ev: &web_sys::KeyboardEvent) -> Option<FormatAction> {
    if !(ev.ctrl_key() || ev.meta_key()) || ev.alt_key() {
        return None;
    }
    let key = ev.key().to_ascii_lowercase();
    Some(match (key.as_str(), ev.shift_key()) {
        ("b", false) => FormatAction::Toggle(Mark::Bold),
        ("i", false) => FormatAction::Toggle(Mark::Italic),
        ("s", true) => FormatAction::Toggle(Mark::Strike),
        ("e", false) => FormatAction::Toggle(Mark::Code),
        ("h", true) => FormatAction::Toggle(Mark::Highlight),
        ("k", false) => FormatAction::Link,
        _ => return None,
    })
}

/// The toolbar's state, shared with the text blocks (for Ctrl+K).
#[derive(Clone, Copy)]
pub struct FormatState {
    /// The selection the toolbar is shown for, and where (viewport x, y).
    pub target: RwSignal<Option<(FormatTarget, f64, f64)>>,
    /// Set while the link field is open.
    pub link: RwSignal<Option<FormatTarget>>,
    pub link_error: RwSignal<Option<String>>,
}

pub fn apply(state: EditorState, target: &FormatTarget, action: FormatAction) {
    match action {
        FormatAction::Toggle(mark) => {
            if target.start == target.end {
                return;
            }
            let applied = state.run_optional(|editor, now| {
                editor.toggle_mark(&target.block, target.start, target.end, mark, now)
            });
            if applied.is_some() {
                select_later(state, target.clone());
            }
        }
        FormatAction::Link => {
            if let Some(format) = use_context::<FormatState>() {
                format.link_error.set(None);
                format.link.set(Some(target.clone()));
            }
        }
    }
}

/// Re-selects a range after formatting: at once (the element was rewritten synchronously, and
/// the next shortcut may follow immediately), and again next frame for a rebuilt list.
fn select_later(state: EditorState, target: FormatTarget) {
    let select = move |target: &FormatTarget| {
        if let Some((element, base)) =
            super::state::text_element_for(state, &target.block, target.start)
        {
            dom::select_range(
                &element,
                target.start.saturating_sub(base),
                target.end.saturating_sub(base),
            );
        }
    };
    select(&target);
    request_animation_frame(move || select(&target));
}

/// The block and joined-text offsets of the selection, if it is inside one text element.
fn selection_target(state: EditorState) -> Option<(FormatTarget, f64, f64)> {
    let selection = web_sys::window()?.get_selection().ok()??;
    // Collapsed is told from the selection's ends, which are known without layout; Chromium's
    // `isCollapsed` and `rangeCount` bring layout up to date first, and this runs at every
    // `selectionchange`: each key typed, and each slice of blocks added while a post opens.
    let anchor = selection.anchor_node()?;
    let focus = selection.focus_node()?;
    if anchor == focus && selection.anchor_offset() == selection.focus_offset() {
        return None;
    }
    let element = if anchor.node_type() == web_sys::Node::ELEMENT_NODE {
        anchor.dyn_into::<web_sys::Element>().ok()?
    } else {
        anchor.parent_element()?
    };
    let text_element: web_sys::HtmlElement =
        element.closest("[data-block]").ok()??.dyn_into().ok()?;
    let block = BlockId(text_element.get_attribute("data-block")?);
    let (start, end) = selection_in_text(state, &block, &text_element)?;
    if start == end {
        return None;
    }
    let rect = selection.get_range_at(0).ok()?.get_bounding_client_rect();
    Some((FormatTarget { block, start, end }, rect.left(), rect.top()))
}

#[component]
pub fn FormatToolbar() -> impl IntoView {
    let state = use_editor_state();
    let format = FormatState {
        target: RwSignal::new(None),
        link: RwSignal::new(None),
        link_error: RwSignal::new(None),
    };
    provide_context(format);
    // `selectionchange` fires on the document; follow it for as long as the page lives.
    let on_selection = Closure::<dyn Fn(web_sys::Event)>::new(move |event: web_sys::Event| {
        // A text field's own selection (a card's URL, the title) fires at the field and
        // bubbles here; only the document's selection can be formatted. A post with many
        // cards fires hundreds of these as it opens, when their fields get their values.
        let at_document = event
            .target()
            .is_some_and(|target| target.has_type::<web_sys::Document>());
        if !at_document || format.link.get_untracked().is_some() {
            return;
        }
        let target = selection_target(state).filter(|(target, _, _)| {
            !matches!(state.content(&target.block), Some(BlockContent::Code(_)))
        });
        if target != format.target.get_untracked() {
            format.target.set(target);
        }
    });
    if let Some(document) = dom::document() {
        let _ = document.add_event_listener_with_callback(
            "selectionchange",
            on_selection.as_ref().unchecked_ref(),
        );
    }
    on_selection.forget();

    let marks_active = move |mark: Mark| {
        format.target.get().is_some_and(|(target, _, _)| {
            state
                .content(&target.block)
                .and_then(|content| content.rich_text())
                .is_some_and(|text| text.has_mark(target.start, target.end, mark))
        })
    };
    let button = move |key: Key, glyph: &'static str, action: FormatAction| {
        let pressed = move || match action {
            FormatAction::Toggle(mark) => Some(if marks_active(mark) { "true" } else { "false" }),
            FormatAction::Link => None,
        };
        view! {
            <button
                type="button"
                class="ts-format__button"
                aria-label=move || state.t(key)
                title=move || state.t(key)
                aria-pressed=pressed
                on:mousedown=|ev: web_sys::MouseEvent| ev.prevent_default()
                on:click=move |_| {
                    if let Some((target, _, _)) = format.target.get_untracked() {
                        apply(state, &target, action);
                    }
                }
            >
                {glyph}
            </button>
        }
    };
    let position = move || {
        format
            .target
            .get()
            .map(|(_, x, y)| {
                // Whole pixels: formatting floats would add their formatter to the app.
                let left = x.max(8.0).round() as i32;
                let top = (y - 48.0).max(56.0).round() as i32;
                format!("left:{left}px;top:{top}px")
            })
            .unwrap_or_default()
    };
    let link_value = RwSignal::new(String::new());
    let apply_link = move || {
        let Some(target) = format.link.get_untracked() else {
            return;
        };
        match sanitize::check_link(&link_value.get_untracked()) {
            Ok(href) => {
                state.run_optional(|editor, now| {
                    editor.set_link(&target.block, target.start, target.end, Some(&href), now)
                });
                format.link.set(None);
                link_value.set(String::new());
                select_later(state, target);
            }
            Err(error) => format.link_error.set(Some(crate::i18n::messages::url(
                state.lang.get_untracked(),
                &error,
            ))),
        }
    };
    let remove_link = move || {
        if let Some(target) = format.link.get_untracked() {
            state.run_optional(|editor, now| {
                editor.set_link(&target.block, target.start, target.end, None, now)
            });
            format.link.set(None);
            select_later(state, target);
        }
    };
    let close_link = move || {
        if let Some(target) = format.link.get_untracked() {
            format.link.set(None);
            select_later(state, target);
        }
    };
    let link_field = NodeRef::<leptos::html::Input>::new();
    Effect::new(move |_| {
        if let Some(target) = format.link.get() {
            let existing = state
                .content(&target.block)
                .and_then(|content| content.rich_text())
                .and_then(|text| text.link_at(target.start).map(str::to_owned))
                .unwrap_or_default();
            link_value.set(existing);
            request_animation_frame(move || {
                if let Some(input) = link_field.try_get_untracked().flatten() {
                    let _ = input.focus();
                }
            });
        }
    });
    view! {
        <Show when=move || format.target.get().is_some() || format.link.get().is_some()>
            <div class="ts-format" style=position>
                <Show
                    when=move || format.link.get().is_some()
                    fallback=move || {
                        view! {
                            <div
                                class="ts-format__bar"
                                role="toolbar"
                                on:keydown=|ev: web_sys::KeyboardEvent| {
                                    if dom::toolbar_arrow(&ev) {
                                        ev.prevent_default();
                                    }
                                }
                                aria-label=state.tr(Key::FormatToolbar)
                            >
                                {button(Key::Bold, "B", FormatAction::Toggle(Mark::Bold))}
                                {button(Key::Italic, "I", FormatAction::Toggle(Mark::Italic))}
                                {button(Key::Strikethrough, "S", FormatAction::Toggle(Mark::Strike))}
                                {button(Key::InlineCode, "</>", FormatAction::Toggle(Mark::Code))}
                                {button(Key::Highlight, "▍", FormatAction::Toggle(Mark::Highlight))}
                                {button(Key::Link, "🔗", FormatAction::Link)}
                            </div>
                        }
                    }
                >
                    <form
                        class="ts-format__link"
                        on:submit=move |ev| {
                            ev.prevent_default();
                            apply_link();
                        }
                        on:keydown=move |ev: web_sys::KeyboardEvent| {
                            if ev.key() == "Escape" {
                                ev.prevent_default();
                                close_link();
                            }
                        }
                    >
                        <input
                            node_ref=link_field
                            type="text"
                            inputmode="url"
                            class="ts-input"
                            aria-label=state.tr(Key::LinkAddress)
                            placeholder="https://"
                            prop:value=move || link_value.get()
                            on:input=move |ev| link_value.set(event_target_value(&ev))
                        />
                        <button type="submit" class="ts-button">
                            {state.tr(Key::ApplyLink)}
                        </button>
                        <button type="button" class="ts-button" on:click=move |_| remove_link()>
                            {state.tr(Key::RemoveLink)}
                        </button>
                        <button type="button" class="ts-button" on:click=move |_| close_link()>
                            {state.tr(Key::Cancel)}
                        </button>
                        <Show when=move || format.link_error.get().is_some()>
                            <p class="ts-format__error" role="alert">
                                {move || format.link_error.get().unwrap_or_default()}
                            </p>
                        </Show>
                    </form>
                </Show>
            </div>
        </Show>
    }
}
