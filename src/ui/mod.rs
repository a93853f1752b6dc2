//! The app's views: shell, block list, block editors (browser-only).

mod block;
mod bubble_block;
mod card_block;
mod dialog;
mod format_toolbar;
mod insert_menu;
mod list_block;
mod media_blocks;
mod speakers_dialog;
pub mod state;
mod text_block;

use crate::i18n::Key;
use crate::model::BlockKind;
use block::DragState;
use card_block::CardFetches;
use format_toolbar::FormatToolbar;
use leptos::prelude::*;
use speakers_dialog::SpeakersDialog;
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
    provide_context(DragState {
        dragging: RwSignal::new(None),
        target: RwSignal::new(None),
    });
    provide_context(CardFetches {
        loading: RwSignal::new(Vec::new()),
        errors: RwSignal::new(Vec::new()),
    });
    text_block::provide_exit_mark();
    let speakers_open = RwSignal::new(false);
    Effect::new(move |_| {
        if let Some(root) = crate::browser::dom::document().and_then(|d| d.document_element()) {
            let _ = root.set_attribute("lang", state.lang.get().code());
        }
    });
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
                <div class="ts-bar__tools" role="toolbar" aria-label=move || state.t(Key::EditorToolbar)>
                    <button
                        type="button"
                        class="ts-button"
                        aria-label=move || state.t(Key::Undo)
                        title=move || format!("{} (Ctrl+Z)", state.t(Key::Undo))
                        disabled=move || !state.can_undo.get()
                        on:click=move |_| state.undo()
                    >
                        "↶"
                    </button>
                    <button
                        type="button"
                        class="ts-button"
                        aria-label=move || state.t(Key::Redo)
                        title=move || format!("{} (Ctrl+Shift+Z)", state.t(Key::Redo))
                        disabled=move || !state.can_redo.get()
                        on:click=move |_| state.redo()
                    >
                        "↷"
                    </button>
                    <button
                        type="button"
                        class="ts-button"
                        aria-haspopup="dialog"
                        on:click=move |_| speakers_open.set(true)
                    >
                        {move || state.t(Key::Speakers)}
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
                    {move || state.t(Key::AddParagraph)}
                </button>
            </main>
            <FormatToolbar />
            <SpeakersDialog open=speakers_open />
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
            aria-label=move || state.t(Key::Title)
            placeholder=move || state.t(Key::Title)
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
        SaveStatus::Saved => state.t(Key::Saved).to_owned(),
        SaveStatus::Pending => state.t(Key::Saving).to_owned(),
        SaveStatus::Failed(reason) => reason,
        SaveStatus::NotKept => state.t(Key::StorageUnavailable).to_owned(),
        SaveStatus::ReadOnly => state.t(Key::ReadOnly).to_owned(),
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
                    aria-label=move || state.t(Key::DismissMessage)
                    on:click=move |_| state.message.set(None)
                >
                    "×"
                </button>
            </div>
        </Show>
    }
}
