//! The insert menu: opened by a block's `+` button or by typing `/` in an empty block, filtered
//! by typing (English or Japanese names), chosen with arrows and Enter (browser-only).

use super::state::{focus_later, text_element_id, use_editor_state, EditorState, MenuState};
use crate::edit::Caret;
use crate::i18n::{self, Key};
use crate::model::speakers::bubble_for;
use crate::model::{BlockContent, BlockId, BlockKind};
use leptos::prelude::*;

/// A new block of a kind; a bubble starts with the first registered speaker.
pub fn new_content(state: EditorState, kind: BlockKind) -> BlockContent {
    if kind == BlockKind::Bubble {
        let registry = state.speakers.get_untracked();
        if let Some(speaker) = registry.speakers.first() {
            let label = speaker
                .expressions
                .first()
                .map(|expression| expression.label.clone())
                .unwrap_or_default();
            return BlockContent::Bubble(bubble_for(speaker, &label));
        }
    }
    kind.empty()
}

/// Carries out a menu choice: a slash menu turns its (empty) block into the kind; a `+` menu
/// inserts a new block after its block.
pub fn choose(state: EditorState, menu: &MenuState, kind: BlockKind) {
    state.menu.set(None);
    let content = new_content(state, kind);
    let applied = if menu.slash {
        let applied = state.run(None, |editor, now| {
            editor.seal_history();
            editor.update_block(&menu.block, content, None, now)
        });
        // The `/filter` text is replaced, so its caret goes too.
        applied.map(|_| Caret {
            block: menu.block.clone(),
            offset: 0,
        })
    } else {
        state
            .run(None, |editor, now| {
                editor.insert_after(Some(&menu.block), content, now)
            })
            .and_then(|applied| applied.caret)
    };
    if let Some(caret) = applied {
        focus_later(state, caret);
    }
}

/// Sets (or, with `None`, removes) a text's `aria-controls` (the menu) and
/// `aria-activedescendant` (its active option).
fn point_text_at(block: &BlockId, menu: Option<(&str, Option<&str>)>) {
    let Some(text) = crate::browser::dom::element_by_id(&text_element_id(block)) else {
        return;
    };
    let (list, active) = menu.unzip();
    for (name, value) in [
        ("aria-controls", list),
        ("aria-activedescendant", active.flatten()),
    ] {
        let _ = match value {
            Some(value) => text.set_attribute(name, value),
            None => text.remove_attribute(name),
        };
    }
}

/// The menu as shown under its block.
#[component]
pub fn InsertMenu(menu: MenuState) -> impl IntoView {
    let state = use_editor_state();
    let list_id = format!("menu-{}", menu.block);
    let stored_block = StoredValue::new(menu.block.clone());
    // Read with `try_`: a blur timer may fire after the menu (and its stored id) is gone.
    let current = move || {
        state.menu.get().filter(|open| {
            stored_block
                .try_get_value()
                .is_some_and(|block| block == open.block)
        })
    };
    let filter_field = NodeRef::<leptos::html::Input>::new();
    if !menu.slash {
        // Focus the filter as soon as it is in the page.
        Effect::new(move |_| {
            if let Some(input) = filter_field.get() {
                let _ = input.focus();
            }
        });
    }
    let on_filter_key = move |ev: web_sys::KeyboardEvent| {
        let Some(open) = current() else { return };
        let options = open.options();
        match ev.key().as_str() {
            "ArrowDown" | "ArrowUp" if !options.is_empty() => {
                ev.prevent_default();
                let step = if ev.key() == "ArrowDown" {
                    1
                } else {
                    options.len() - 1
                };
                state.menu.set(Some(MenuState {
                    active: (open.active + step) % options.len(),
                    ..open
                }));
            }
            "Enter" => {
                ev.prevent_default();
                if let Some(kind) = options.get(open.active).copied() {
                    choose(state, &open, kind);
                }
            }
            "Escape" => {
                ev.prevent_default();
                state.menu.set(None);
                focus_later(
                    state,
                    Caret {
                        block: open.block.clone(),
                        offset: 0,
                    },
                );
            }
            _ => {}
        }
    };
    let options = move || current().map(|open| open.options()).unwrap_or_default();
    let active = move || current().map(|open| open.active).unwrap_or(0);
    let stored_list_id = StoredValue::new(list_id.clone());
    let active_id = move || {
        options()
            .get(active())
            .map(|kind| format!("{}-{kind:?}", stored_list_id.get_value()))
    };
    let filter_value = move || current().map(|open| open.filter).unwrap_or_default();
    if menu.slash {
        // Typed `/` opens the menu from the text, which keeps the focus: the text points at the
        // menu and its active option while the menu is open. The block builds the menu afresh
        // for each change of it, after this one's cleanup.
        let active = menu
            .options()
            .get(menu.active)
            .map(|kind| format!("{list_id}-{kind:?}"));
        point_text_at(&menu.block, Some((&list_id, active.as_deref())));
        let block = menu.block.clone();
        on_cleanup(move || point_text_at(&block, None));
    }
    view! {
        <div class="ts-menu">
            <Show when=move || !menu.slash>
                <input
                    node_ref=filter_field
                    class="ts-input ts-menu__filter"
                    type="text"
                    role="combobox"
                    aria-expanded="true"
                    aria-autocomplete="list"
                    aria-controls=move || stored_list_id.get_value()
                    aria-activedescendant=active_id
                    aria-label=state.tr(Key::FilterBlocks)
                    placeholder=state.tr(Key::FilterBlocks)
                    prop:value=filter_value
                    on:input=move |ev| {
                        if let Some(open) = current() {
                            state
                                .menu
                                .set(
                                    Some(MenuState {
                                        filter: event_target_value(&ev),
                                        active: 0,
                                        ..open
                                    }),
                                );
                        }
                    }
                    on:keydown=on_filter_key
                    on:blur={
                        move |_| {
                            // Leave the menu open while a click on an option is under way.
                            set_timeout(
                                move || {
                                    if current().is_some_and(|open| !open.slash) {
                                        let focus_inside = crate::browser::dom::document()
                                            .and_then(|document| document.active_element())
                                            .is_some_and(|element| {
                                                element.closest(".ts-menu").ok().flatten().is_some()
                                            });
                                        if !focus_inside {
                                            state.menu.set(None);
                                        }
                                    }
                                },
                                std::time::Duration::from_millis(150),
                            );
                        }
                    }
                />
            </Show>
            <ul class="ts-menu__list" id=list_id role="listbox" aria-label=state.tr(Key::BlockMenu)>
                <For
                    each=options
                    key=|kind| *kind
                    children=move |kind| {
                        let option_id = format!("{}-{kind:?}", stored_list_id.get_value());
                        let is_active = move || options().get(active()).copied() == Some(kind);
                        view! {
                            <li
                                id=option_id
                                role="option"
                                class="ts-menu__option"
                                class=("ts-menu__option--active", is_active)
                                aria-selected=move || if is_active() { "true" } else { "false" }
                                on:mousedown=|ev: web_sys::MouseEvent| ev.prevent_default()
                                on:click=move |_| {
                                    if let Some(open) = current() {
                                        choose(state, &open, kind);
                                    }
                                }
                            >
                                <span class="ts-menu__icon" aria-hidden="true">{kind_icon(kind)}</span>
                                <span>{move || state.t(i18n::kind_key(kind))}</span>
                            </li>
                        }
                    }
                />
            </ul>
            <Show when=move || options().is_empty()>
                <p class="ts-menu__empty">{state.tr(Key::NoMatchingBlocks)}</p>
            </Show>
        </div>
    }
}

fn kind_icon(kind: BlockKind) -> &'static str {
    match kind {
        BlockKind::Paragraph => "¶",
        BlockKind::Heading => "H",
        BlockKind::List => "•",
        BlockKind::NumberedList => "1.",
        BlockKind::Quote => "❝",
        BlockKind::Divider => "—",
        BlockKind::Image => "🖼",
        BlockKind::Code => "{}",
        BlockKind::LinkCard => "🔗",
        BlockKind::Bubble => "💬",
    }
}
