//! The app's views: shell, block list, block editors (browser-only).

mod block;
pub mod state;
mod text_block;

use crate::model::BlockKind;
use leptos::prelude::*;
use state::{provide_editor_state, EditorState, SaveStatus};

pub use block::BlockView;

/// Mounts the app into `<body>`.
pub fn mount() {
    leptos::mount::mount_to_body(App);
}

#[component]
pub fn App() -> impl IntoView {
    let state = EditorState::open();
    view! { <Editor state /> }
}

/// The editor for one state: title, toolbar, blocks, status.
#[component]
pub fn Editor(state: EditorState) -> impl IntoView {
    provide_editor_state(state);
    let on_keydown = move |ev: web_sys::KeyboardEvent| {
        let modifier = ev.ctrl_key() || ev.meta_key();
        if !modifier || ev.is_composing() {
            return;
        }
        match ev.key().to_ascii_lowercase().as_str() {
            "z" if ev.shift_key() => {
                ev.prevent_default();
                state.redo();
            }
            "z" => {
                ev.prevent_default();
                state.undo();
            }
            "y" => {
                ev.prevent_default();
                state.redo();
            }
            _ => {}
        }
    };
    view! {
        <div class="ts-app" on:keydown=on_keydown>
            <header class="ts-bar">
                <span class="ts-bar__brand" aria-hidden="true">"綴"</span>
                <div class="ts-bar__tools" role="toolbar" aria-label="Editor">
                    <button
                        type="button"
                        class="ts-button"
                        aria-label="Undo"
                        title="Undo (Ctrl+Z)"
                        disabled=move || !state.can_undo.get()
                        on:click=move |_| state.undo()
                    >
                        "↶"
                    </button>
                    <button
                        type="button"
                        class="ts-button"
                        aria-label="Redo"
                        title="Redo (Ctrl+Shift+Z)"
                        disabled=move || !state.can_redo.get()
                        on:click=move |_| state.redo()
                    >
                        "↷"
                    </button>
                </div>
                <SaveIndicator />
            </header>
            <MessageBar />
            <main class="ts-page">
                <TitleField />
                <BlockList />
                <button
                    type="button"
                    class="ts-add"
                    on:click=move |_| {
                        state
                            .run(
                                None,
                                |editor, now| {
                                    editor.insert_after(None, BlockKind::Paragraph.empty(), now)
                                },
                            );
                    }
                >
                    <span aria-hidden="true">"+ "</span>
                    "Add paragraph"
                </button>
            </main>
        </div>
    }
}

#[component]
fn TitleField() -> impl IntoView {
    let state = state::use_editor_state();
    view! {
        <input
            class="ts-title"
            type="text"
            aria-label="Title"
            placeholder="Title"
            prop:value=move || state.title.get()
            readonly=move || state.save_status.get() == SaveStatus::ReadOnly
            on:input=move |ev| {
                let title = event_target_value(&ev);
                state.run(None, move |editor, now| editor.set_title(title, now));
            }
        />
    }
}

#[component]
fn BlockList() -> impl IntoView {
    let state = state::use_editor_state();
    view! {
        <div class="ts-blocks">
            <For each=move || state.order.get() key=|id| id.clone() let:id>
                <BlockView id />
            </For>
        </div>
    }
}

#[component]
fn SaveIndicator() -> impl IntoView {
    let state = state::use_editor_state();
    let text = move || match state.save_status.get() {
        SaveStatus::Saved => "Saved".to_owned(),
        SaveStatus::Pending => "Saving…".to_owned(),
        SaveStatus::Failed(reason) => reason,
        SaveStatus::NotKept => "Not saved: browser storage is unavailable".to_owned(),
        SaveStatus::ReadOnly => "Read-only".to_owned(),
    };
    let failing = move || {
        matches!(
            state.save_status.get(),
            SaveStatus::Failed(_) | SaveStatus::NotKept
        )
    };
    view! {
        <div class="ts-save" class:ts-save--error=failing role="status">
            {text}
        </div>
    }
}

#[component]
fn MessageBar() -> impl IntoView {
    let state = state::use_editor_state();
    view! {
        <Show when=move || state.message.get().is_some()>
            <div class="ts-message" role="alert">
                <span>{move || state.message.get().unwrap_or_default()}</span>
                <button
                    type="button"
                    class="ts-button"
                    aria-label="Dismiss message"
                    on:click=move |_| state.message.set(None)
                >
                    "×"
                </button>
            </div>
        </Show>
    }
}
