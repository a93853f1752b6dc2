//! A modal dialog that traps focus, closes on Escape, and gives focus back to what opened it
//! (browser-only).

use crate::browser::dom;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

const FOCUSABLE: &str = "button:not([disabled]), input:not([disabled]):not([type=hidden]):not([tabindex='-1']), select:not([disabled]), textarea:not([disabled]), a[href], [contenteditable=true], [tabindex='0']";

fn focusables(panel: &web_sys::HtmlElement) -> Vec<web_sys::HtmlElement> {
    let Ok(list) = panel.query_selector_all(FOCUSABLE) else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|index| list.item(index))
        .filter_map(|node| node.dyn_into::<web_sys::HtmlElement>().ok())
        .filter(|element| element.offset_parent().is_some())
        .collect()
}

/// Focuses the dialog's first field after its close button, or the panel itself.
fn focus_into(panel: &web_sys::HtmlElement) {
    match focusables(panel).into_iter().nth(1) {
        Some(first) => {
            let _ = first.focus();
        }
        None => {
            let _ = panel.focus();
        }
    }
}

/// A modal dialog. `open` controls it; closing (Escape, the close button) sets it false.
#[component]
pub fn Dialog(
    open: RwSignal<bool>,
    /// The dialog's accessible name and heading.
    title: Signal<&'static str>,
    /// The close button's label.
    close_label: Signal<&'static str>,
    children: ChildrenFn,
) -> impl IntoView {
    let panel = NodeRef::<leptos::html::Div>::new();
    let opener = StoredValue::new_local(None::<web_sys::HtmlElement>);
    let heading_id = format!("dialog-{}", (js_sys::Math::random() * 1e9) as u64);
    // Focus moves in as soon as the panel is in the page (each opening builds it anew), not a
    // frame later: a key pressed in between would otherwise go to the page behind the dialog.
    Effect::new(move |_| {
        let Some(panel) = panel.get() else {
            return;
        };
        if !open.get_untracked() {
            return;
        }
        let panel: web_sys::HtmlElement = panel.unchecked_into();
        let active = dom::document().and_then(|document| document.active_element());
        if !active
            .as_ref()
            .is_some_and(|active| panel.contains(Some(active)))
        {
            opener.set_value(active.and_then(|element| element.dyn_into().ok()));
        }
        focus_into(&panel);
    });
    Effect::new(move |was_open: Option<bool>| {
        let is_open = open.get();
        if !is_open && was_open == Some(true) {
            if let Some(element) = opener.get_value() {
                let _ = element.focus();
            }
        }
        is_open
    });
    let on_keydown = move |ev: web_sys::KeyboardEvent| {
        if ev.key() == "Escape" {
            ev.prevent_default();
            ev.stop_propagation();
            open.set(false);
            return;
        }
        if ev.key() != "Tab" {
            return;
        }
        let Some(panel) = panel.get_untracked() else {
            return;
        };
        let panel: web_sys::HtmlElement = panel.unchecked_into();
        let items = focusables(&panel);
        let (Some(first), Some(last)) = (items.first(), items.last()) else {
            return;
        };
        let active = dom::document().and_then(|document| document.active_element());
        let at = |element: &web_sys::HtmlElement| {
            active
                .as_ref()
                .is_some_and(|active| active == element.unchecked_ref::<web_sys::Element>())
        };
        if ev.shift_key() && at(first) {
            ev.prevent_default();
            let _ = last.focus();
        } else if !ev.shift_key() && at(last) {
            ev.prevent_default();
            let _ = first.focus();
        }
    };
    // Keys that reach the page while the dialog is open belong to it: focus lost inside it (the
    // focused row was deleted) or still behind it. The first one brings focus back in.
    let on_page_keydown = window_event_listener(leptos::ev::keydown, move |ev| {
        if !open.get_untracked() {
            return;
        }
        let in_a_dialog = dom::document()
            .and_then(|document| document.active_element())
            .is_some_and(|element| element.closest(".ts-dialog").ok().flatten().is_some());
        if in_a_dialog {
            return;
        }
        if let Some(panel) = panel.get_untracked() {
            let panel: web_sys::HtmlElement = panel.unchecked_into();
            let _ = panel.focus();
        }
        if ev.key() == "Escape" {
            ev.prevent_default();
            open.set(false);
        }
    });
    on_cleanup(move || on_page_keydown.remove());
    let heading_for_panel = heading_id.clone();
    view! {
        <Show when=move || open.get()>
            <div class="ts-dialog__backdrop" on:click=move |_| open.set(false)></div>
            <div
                node_ref=panel
                class="ts-dialog"
                role="dialog"
                aria-modal="true"
                aria-labelledby=heading_for_panel.clone()
                tabindex="-1"
                on:keydown=on_keydown
            >
                <div class="ts-dialog__header">
                    <h2 class="ts-dialog__title" id=heading_id.clone()>{move || title.get()}</h2>
                    <button
                        type="button"
                        class="ts-icon"
                        aria-label=move || close_label.get()
                        on:click=move |_| open.set(false)
                    >
                        "×"
                    </button>
                </div>
                <div class="ts-dialog__body">{children()}</div>
            </div>
        </Show>
    }
}
