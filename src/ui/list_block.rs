//! A bulleted or numbered list: one editable element per item, nesting one level deep
//! (browser-only).

use super::format_toolbar::{format_shortcut, FormatTarget};
use super::paste_line::{PasteLine, Spot};
use super::state::{focus_later, text_element_id, use_editor_state, EditorState};
use super::text_block::{block_shortcut_key, TextEvents};
use crate::browser::dom;
use crate::codec::inline_html;
use crate::edit::list::offset_of;
use crate::edit::Caret;
use crate::i18n::Key;
use crate::model::{BlockContent, BlockId, List};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

fn item_element(id: &BlockId, item: usize) -> Option<web_sys::HtmlElement> {
    dom::element_by_id(&format!("{}-{item}", text_element_id(id)))
}

fn list_of(state: EditorState, id: &BlockId) -> Option<List> {
    match state.content(id) {
        Some(BlockContent::List(list)) => Some(list),
        _ => None,
    }
}

/// The markers shown before each item (`•`, `◦`, or numbers counted per level).
fn markers(list: &List) -> Vec<String> {
    let mut top = 0;
    let mut nested = 0;
    list.items
        .iter()
        .map(|item| match (list.ordered, item.indent) {
            (true, 0) => {
                top += 1;
                nested = 0;
                format!("{top}.")
            }
            (true, _) => {
                nested += 1;
                format!("{}.", char::from(b'a' + ((nested - 1) % 26) as u8))
            }
            (false, 0) => "•".into(),
            (false, _) => "◦".into(),
        })
        .collect()
}

fn commit_item(state: EditorState, id: &BlockId, item: usize, caret_before: Option<usize>) {
    let Some(element) = item_element(id, item) else {
        return;
    };
    let html = element.inner_html();
    let text = inline_html::from_html(&html);
    let caret = dom::selection_end(&element, &html, text.len());
    state.run(Some(id), |editor, now| {
        editor.edit_list_item(id, item, text, caret_before, caret, now)
    });
}

#[component]
pub fn ListBlock(id: BlockId) -> impl IntoView {
    let state = use_editor_state();
    let revision = state.revision(&id);
    let stored_id = StoredValue::new(id);
    PasteLine::get().end_composition_when_removed(state, &stored_id.get_value());
    // Keyed by revision: a change from outside rebuilds the items rather than diffing the
    // elements, whose content is the author's while typing.
    let items = move || {
        let revision = revision.get();
        let id = stored_id.get_value();
        let Some(list) = list_of(state, &id) else {
            return Vec::new();
        };
        let markers = markers(&list);
        list.items
            .into_iter()
            .zip(markers)
            .enumerate()
            .map(|(index, (item, marker))| (revision, index, item.indent, marker, item.text))
            .collect::<Vec<_>>()
    };
    let ordered = move || {
        revision.track();
        list_of(state, &stored_id.get_value()).is_some_and(|list| list.ordered)
    };
    view! {
        <div class="ts-list" class=("ts-list--ordered", ordered)>
            <For
                each=items
                key=|(revision, index, _, _, _)| (*revision, *index)
                children=move |(_, index, indent, marker, text)| {
                        let id = stored_id.get_value();
                        view! {
                            <div class="ts-list__item" class=("ts-list__item--nested", indent > 0)>
                                <span class="ts-list__marker" aria-hidden="true">{marker}</span>
                                <div
                                    id=format!("{}-{index}", text_element_id(&id))
                                    data-block=id.to_string()
                                    data-item=index.to_string()
                                    class="ts-text ts-list__text"
                                    contenteditable=move || if state.is_read_only() { "false" } else { "true" }
                                    role="textbox"
                                    aria-multiline="false"
                                    aria-label=state.tr(Key::ListItem)
                                    data-placeholder=state.tr(Key::ListItem)
                                    inner_html=inline_html::to_editable_html(&text)
                                ></div>
                            </div>
                        }
                }
            />
        </div>
    }
}

/// An `input` in list item `item`: recorded, unless an IME is composing.
pub(super) fn item_input(events: TextEvents, id: &BlockId, item: usize, ev: &web_sys::Event) {
    let composing = ev
        .dyn_ref::<web_sys::InputEvent>()
        .is_some_and(|input| input.is_composing());
    if !composing {
        commit_item(events.state(), id, item, events.caret_before(id));
    }
}

pub(super) fn item_composition_end(events: TextEvents, id: &BlockId, item: usize) {
    commit_item(events.state(), id, item, events.caret_before(id));
    events.line().composition_ended(events.state(), id);
}

/// A key in list item `item` (its element at hand), outside an IME composition (see
/// [`TextEvents::keydown`]).
pub(super) fn item_keydown(
    events: TextEvents,
    id: &BlockId,
    item: usize,
    element: &web_sys::HtmlElement,
    ev: &web_sys::KeyboardEvent,
) {
    let state = events.state();
    if block_shortcut_key(state, id, ev, &ev.key()) {
        ev.prevent_default();
        return;
    }
    let Some(list) = list_of(state, id) else {
        return;
    };
    let offsets = dom::selection_offsets(element);
    events.set_caret_before(id, offsets.map(|(start, _)| start));
    let (start, end) = offsets.unwrap_or((0, 0));
    let length = list.items.get(item).map_or(0, |item| item.text.len());
    let modifier = ev.ctrl_key() || ev.meta_key();
    if let Some(action) = format_shortcut(ev) {
        ev.prevent_default();
        commit_item(state, id, item, None);
        let target = FormatTarget {
            block: id.clone(),
            start: offset_of(&list, item, start),
            end: offset_of(&list, item, end),
        };
        super::format_toolbar::apply(state, &target, action);
        return;
    }
    match ev.key().as_str() {
        "Enter" if !ev.shift_key() && !modifier => {
            ev.prevent_default();
            state.run(None, |editor, now| {
                if start != end {
                    let mut list = list.clone();
                    let text = &list.items[item].text;
                    let mut kept = text.slice(0, start);
                    kept.append(&text.slice(end, usize::MAX));
                    list.items[item].text = kept.clone();
                    editor.edit_list_item(id, item, kept, None, None, now)?;
                }
                editor.split_list_item(id, item, start, now)
            });
        }
        "Delete" if start == length && end == length && !modifier => {
            ev.prevent_default();
            state.run_optional(|editor, now| editor.list_delete(id, item, now));
        }
        "Backspace" if start == 0 && end == 0 && !modifier => {
            ev.prevent_default();
            state.run(None, |editor, now| editor.list_backspace(id, item, now));
        }
        "Tab" if !modifier => {
            ev.prevent_default();
            state.run_optional(|editor, now| {
                editor.list_indent(id, item, !ev.shift_key(), start, now)
            });
        }
        "ArrowUp" | "ArrowLeft"
            if start == end
                && !ev.shift_key()
                && !ev.alt_key()
                && (start == 0
                    || (ev.key() == "ArrowUp" && dom::caret_on_edge_line(element, true))) =>
        {
            let joined = offset_of(&list, item, 0);
            if item > 0 {
                ev.prevent_default();
                focus_later(
                    state,
                    Caret {
                        block: id.clone(),
                        offset: joined - 1,
                    },
                );
            } else if focus_previous_block(state, id) {
                ev.prevent_default();
            }
        }
        "ArrowDown" | "ArrowRight"
            if start == end
                && !ev.shift_key()
                && !ev.alt_key()
                && (start == length
                    || (ev.key() == "ArrowDown" && dom::caret_on_edge_line(element, false))) =>
        {
            if item + 1 < list.items.len() {
                ev.prevent_default();
                focus_later(
                    state,
                    Caret {
                        block: id.clone(),
                        offset: offset_of(&list, item + 1, 0),
                    },
                );
            } else if focus_next_block(state, id) {
                ev.prevent_default();
            }
        }
        _ => {}
    }
}

/// A paste goes in line behind any paste still being read; its lines become items.
pub(super) fn item_paste(
    events: TextEvents,
    id: &BlockId,
    item: usize,
    element: &web_sys::HtmlElement,
    ev: &web_sys::ClipboardEvent,
) {
    let state = events.state();
    let Some(data) = ev.clipboard_data() else {
        return;
    };
    ev.prevent_default();
    let html = data.get_data("text/html").unwrap_or_default();
    let plain = data.get_data("text/plain").unwrap_or_default();
    let (start, end) = dom::selection_offsets(element).unwrap_or((0, 0));
    // Anything typed but not yet recorded goes in first, so the paste is one clean step.
    commit_item(state, id, item, None);
    let Some(list) = list_of(state, id) else {
        return;
    };
    let selection = (offset_of(&list, item, start), offset_of(&list, item, end));
    events
        .line()
        .paste(state, Spot::here(state, id, selection), html, plain);
}

fn focus_previous_block(state: EditorState, id: &BlockId) -> bool {
    focus_neighbour(state, id, -1)
}

fn focus_next_block(state: EditorState, id: &BlockId) -> bool {
    focus_neighbour(state, id, 1)
}

fn focus_neighbour(state: EditorState, id: &BlockId, delta: isize) -> bool {
    let order = state.order.get_untracked();
    let Some(index) = order.iter().position(|other| other == id) else {
        return false;
    };
    let Some(neighbour) = order.get((index as isize + delta).max(0) as usize).cloned() else {
        return false;
    };
    if &neighbour == id {
        return false;
    }
    let offset = if delta < 0 {
        state
            .content(&neighbour)
            .and_then(|content| content.rich_text())
            .map_or(0, |text| text.len())
    } else {
        0
    };
    focus_later(
        state,
        Caret {
            block: neighbour,
            offset,
        },
    );
    true
}
