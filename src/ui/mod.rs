//! The app's views: shell, block list, block editors (browser-only).

mod block;
mod bubble_block;
mod card_block;
mod dialog_link;
mod format_toolbar;
mod insert_menu;
mod list_block;
mod media_blocks;
mod paste_line;
pub mod state;
mod text_block;

use crate::edit::groups::Groups;
use crate::i18n::Key;
use crate::model::BlockKind;
use block::DragState;
use card_block::CardFetches;
use format_toolbar::FormatToolbar;
use leptos::prelude::*;
use state::{provide_editor_state, EditorState, SaveStatus, StoredDraft};

pub use block::BlockView;
pub use bubble_block::Face;

/// Reads the draft, then mounts the app into `<body>`, each in a task of its own: the module's
/// start, reading a long draft and building the first screen each take tens of milliseconds,
/// and any two together kept the page from answering input for over 50 ms.
pub fn mount() {
    crate::browser::dom::mark("tsuzuri:start");
    set_timeout(
        || {
            let stored = StoredDraft::read();
            crate::browser::dom::mark("tsuzuri:read");
            set_timeout(move || show(stored), std::time::Duration::ZERO);
        },
        std::time::Duration::ZERO,
    );
}

fn show(stored: StoredDraft) {
    leptos::mount::mount_to_body(move || {
        let state = EditorState::open(stored);
        view! { <Editor state /> }
    });
    crate::browser::dom::mark("tsuzuri:shown");
    // The page's loading note (index.html) has done its job once the editor is in the page.
    if let Some(note) = crate::browser::dom::document()
        .and_then(|document| document.query_selector(".ts-loading").ok().flatten())
    {
        note.remove();
    }
}

/// The app on the draft in localStorage, read and built at once.
#[component]
pub fn App() -> impl IntoView {
    let state = EditorState::open(StoredDraft::read());
    view! { <Editor state /> }
}

/// The editor for one state: title, toolbar, blocks, status.
#[component]
pub fn Editor(state: EditorState) -> impl IntoView {
    provide_editor_state(state);
    let drag = DragState {
        dragging: RwSignal::new(None),
        target: RwSignal::new(None),
    };
    provide_context(drag);
    provide_context(CardFetches {
        loading: RwSignal::new(Vec::new()),
        errors: RwSignal::new(Vec::new()),
    });
    text_block::provide_exit_mark();
    paste_line::PasteLine::provide();
    provide_context(block::ActiveBlocks::new(state, drag));
    dialog_link::DialogLink::provide(state);
    let update_ready = RwSignal::new(false);
    // The page's language and colour scheme follow the settings.
    Effect::new(move |_| {
        if let Some(root) = crate::browser::dom::document().and_then(|d| d.document_element()) {
            let _ = root.set_attribute("lang", state.lang.get().code());
            match state.settings.get().theme {
                crate::settings::Theme::System => {
                    let _ = root.remove_attribute("data-theme");
                }
                theme => {
                    let _ = root.set_attribute("data-theme", theme.as_str());
                }
            }
        }
    });
    crate::browser::local_store::request_persistence();
    // Installing the offline copy fetches and stores every file of the app, so it waits until
    // the post is built rather than compete with the opening for the machine.
    Effect::new(move |registered: Option<bool>| {
        if registered == Some(true) {
            return true;
        }
        if state.built.get() != usize::MAX {
            return false;
        }
        crate::browser::service_worker::register(move || {
            let _ = update_ready.try_set(true);
        });
        true
    });
    let on_keydown = move |ev: web_sys::KeyboardEvent| {
        let modifier = ev.ctrl_key() || ev.meta_key();
        if !modifier || ev.is_composing() || ev.default_prevented() {
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
    // With nothing focused (a block's element was rebuilt, or the author clicked the page's
    // margin) the keys reach the page, not the app: they still undo and redo the post, and never
    // set off the browser's own undo of an editable element.
    let on_page_keydown = window_event_listener(leptos::ev::keydown, move |ev| {
        let on_page = ev
            .target()
            .and_then(|target| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(target).ok())
            .is_some_and(|element| matches!(element.tag_name().as_str(), "BODY" | "HTML"));
        if on_page {
            on_keydown(ev);
        }
    });
    on_cleanup(move || on_page_keydown.remove());
    view! {
        <div class="ts-app" on:keydown=on_keydown>
            <header class="ts-bar">
                <h1 class="ts-bar__brand">
                    <span aria-hidden="true">"綴"</span>
                    <span class="ts-visually-hidden">{state.tr(Key::AppName)}</span>
                </h1>
                <div
                    class="ts-bar__tools"
                    role="toolbar"
                    aria-label=state.tr(Key::EditorToolbar)
                    on:keydown=|ev: web_sys::KeyboardEvent| {
                        if crate::browser::dom::toolbar_arrow(&ev) {
                            ev.prevent_default();
                        }
                    }
                >
                    <button
                        type="button"
                        class="ts-button"
                        aria-label=state.tr(Key::Undo)
                        title=move || format!("{} (Ctrl+Z)", state.t(Key::Undo))
                        disabled=move || !state.can_undo.get()
                        on:click=move |_| state.undo()
                    >
                        "↶"
                    </button>
                    <button
                        type="button"
                        class="ts-button"
                        aria-label=state.tr(Key::Redo)
                        title=move || format!("{} (Ctrl+Shift+Z)", state.t(Key::Redo))
                        disabled=move || !state.can_redo.get()
                        on:click=move |_| state.redo()
                    >
                        "↷"
                    </button>
                    <OpensDialog label=state.tr(Key::Drafts) which="drafts" />
                    <OpensDialog label=state.tr(Key::Export) which="export" />
                    <OpensDialog label=state.tr(Key::Import) which="import" />
                    <OpensDialog label=state.tr(Key::Speakers) which="speakers" />
                    <OpensDialog label=state.tr(Key::Settings) which="settings" />
                </div>
                <SaveIndicator />
            </header>
            <MessageBar />
            <Show when=move || update_ready.get()>
                <div class="ts-message ts-message--info" role="status">
                    <span>{state.tr(Key::UpdateReady)}</span>
                    <button
                        type="button"
                        class="ts-button ts-button--primary"
                        on:click=move |_| {
                            // Nothing unsaved is lost: the draft is written before the reload,
                            // and the reload waits while it cannot be.
                            if state.flush() {
                                crate::browser::service_worker::activate_update();
                            }
                        }
                    >
                        {state.tr(Key::ReloadToUpdate)}
                    </button>
                </div>
            </Show>
            <Show when=move || state.conflict.get()>
                <div class="ts-message" role="alert">
                    <span>{state.tr(Key::ConflictMessage)}</span>
                    <button type="button" class="ts-button" on:click=move |_| state.reload_draft()>
                        {state.tr(Key::LoadOtherVersion)}
                    </button>
                    <button type="button" class="ts-button" on:click=move |_| state.keep_this_version()>
                        {state.tr(Key::KeepThisVersion)}
                    </button>
                </div>
            </Show>
            <For
                each=move || state.recovered.get()
                key=|key| key.clone()
                children=move |key| {
                    let download_key = key.clone();
                    view! {
                        <div class="ts-message ts-message--info">
                            <button
                                type="button"
                                class="ts-button"
                                on:click=move |_| {
                                    use crate::storage::KeyValueStore;
                                    let text = crate::browser::local_store::LocalStore::open()
                                        .get(&download_key)
                                        .ok()
                                        .flatten()
                                        .unwrap_or_default();
                                    let name = download_key.replace(':', "-");
                                    crate::browser::download::download_text(
                                        &format!("{name}.json"),
                                        "application/json",
                                        &text,
                                    );
                                }
                            >
                                {state.tr(Key::DownloadRecovered)}
                            </button>
                            <button
                                type="button"
                                class="ts-button"
                                on:click={
                                    let key = key.clone();
                                    move |_| state.discard_recovered(&key)
                                }
                            >
                                {state.tr(Key::DiscardRecovered)}
                            </button>
                            <span class="ts-note">{key.clone()}</span>
                        </div>
                    }
                }
            />
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
                    {state.tr(Key::AddParagraph)}
                </button>
            </main>
            <StatusBar />
            <FormatToolbar />
            // The dialogs module mounts here once loaded (ui::dialog_link).
            <div id=dialog_link::ROOT_ID></div>
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
            aria-label=state.tr(Key::Title)
            placeholder=state.tr(Key::Title)
            prop:value=move || state.title.get()
            readonly=move || state.save_status.get() == SaveStatus::ReadOnly
            on:input=move |ev| {
                if let Some(title) = settled_value(&ev) {
                    state.run(None, move |editor, now| editor.set_title(title, now));
                }
            }
            on:compositionend=move |ev| {
                let title = event_target_value(&ev);
                state.run(None, move |editor, now| editor.set_title(title, now));
            }
            // In case an IME never ends its composition: leaving the field records it.
            on:change=move |ev| {
                let title = event_target_value(&ev);
                state.run(None, move |editor, now| editor.set_title(title, now));
            }
        />
    }
}

#[component]
fn BlockList() -> impl IntoView {
    let state = state::use_editor_state();
    // Which block has the focus and which the pointer is over, followed here for every block:
    // three listeners on the list rather than three on each block, so opening a long post
    // builds that many fewer closures.
    let on_focus_in = move |ev: web_sys::FocusEvent| {
        let id = block_of_event(&ev);
        if id.is_some() && state.focused_block.get_untracked() != id {
            state.focused_block.set(id);
        }
    };
    let on_pointer_over = move |ev: web_sys::PointerEvent| {
        let id = block_of_event(&ev);
        if state.hovered_block.get_untracked() != id {
            state.hovered_block.set(id);
        }
    };
    let on_pointer_leave = move |_: web_sys::PointerEvent| {
        if state.hovered_block.get_untracked().is_some() {
            state.hovered_block.set(None);
        }
    };
    let text_events = text_block::TextEvents::new(state);
    // Rebuilt whole when another draft opens: block ids may repeat across drafts.
    view! {
        <div
            class="ts-blocks"
            on:input=move |ev| text_events.input(ev)
            on:compositionstart=move |ev| text_events.composition_start(ev)
            on:compositionend=move |ev| text_events.composition_end(ev)
            on:focusout=move |ev| text_events.focus_out(ev)
            on:keydown=move |ev| text_events.keydown(ev)
            on:paste=move |ev| text_events.paste(ev)
            on:focusin=on_focus_in
            on:pointerover=on_pointer_over
            on:pointerleave=on_pointer_leave
        >
            {move || {
                state.generation.track();
                view! { <GroupedBlocks /> }
            }}
        </div>
    }
}

/// The block an event happened in (its element is `block-{id}`).
fn block_of_event(ev: &web_sys::Event) -> Option<crate::model::BlockId> {
    let target = ev.target()?;
    let element = wasm_bindgen::JsCast::dyn_ref::<web_sys::Element>(&target)?;
    let block = element.closest(".ts-block").ok()??;
    let id = block.id();
    id.strip_prefix("block-")
        .map(|id| crate::model::BlockId(id.to_owned()))
}

/// The built blocks in groups (see `edit::groups`): a keystroke's layout and each frame's
/// visibility check walk the groups, not every block. Only a group whose blocks change
/// updates its list.
#[component]
fn GroupedBlocks() -> impl IntoView {
    let state = state::use_editor_state();
    let groups = Memo::new(move |before: Option<&Groups>| {
        let built = state.built.get();
        let focused = state.focused_block.get_untracked();
        state.order.with(|order| {
            let shown = &order[..built.min(order.len())];
            match before {
                Some(before) => before.follow(shown, focused.as_ref()),
                None => Groups::default().follow(shown, focused.as_ref()),
            }
        })
    });
    view! {
        <For
            each=move || groups.with(|groups| groups.groups.iter().map(|group| group.key).collect::<Vec<_>>())
            key=|key| *key
            let:key
        >
            {
                let ids = Memo::new(move |_| {
                    groups.with(|groups| {
                        groups
                            .groups
                            .iter()
                            .find(|group| group.key == key)
                            .map(|group| group.ids.clone())
                            .unwrap_or_default()
                    })
                });
                // Until a group out of view is first shown, it takes the height of its blocks
                // at 3.9rem each (a one-line paragraph), so the scrollbar matches the post.
                let estimate = move || {
                    let tenths = ids.with(|ids| ids.len()) * 39;
                    format!("auto {}.{}rem", tenths / 10, tenths % 10)
                };
                view! {
                    <div class="ts-group" style:contain-intrinsic-size=estimate>
                        <For each=move || ids.with(|ids| ids.to_vec()) key=|id| id.clone() let:id>
                            <BlockView id />
                        </For>
                    </div>
                }
            }
        </For>
    }
}

/// The value a text field's `input` event leaves, or `None` while an IME composes in it: the
/// committed text is recorded at `compositionend` instead, so undo never brings back
/// half-converted text (`かんじ` on its way to `漢字`).
pub fn settled_value(ev: &web_sys::Event) -> Option<String> {
    let composing = wasm_bindgen::JsCast::dyn_ref::<web_sys::InputEvent>(ev)
        .is_some_and(|input| input.is_composing());
    (!composing).then(|| event_target_value(ev))
}

/// A toolbar button that opens a dialog; pointing at it or focusing it starts loading the
/// dialogs, so they are usually there by the click.
#[component]
fn OpensDialog(label: Signal<&'static str>, which: &'static str) -> impl IntoView {
    let link = dialog_link::use_dialog_link();
    view! {
        <button
            type="button"
            class="ts-button"
            aria-haspopup="dialog"
            aria-busy=move || link.is_waiting(which).then_some("true")
            on:pointerenter=move |_| link.prepare()
            on:focus=move |_| link.prepare()
            on:click=move |_| link.open(which)
        >
            {label}
        </button>
    }
}

/// A small button showing a glyph; `label` names it for assistive technology and as a tooltip.
#[component]
pub fn IconButton(
    label: Signal<&'static str>,
    glyph: &'static str,
    #[prop(into)] on_click: Callback<()>,
) -> impl IntoView {
    view! {
        <button
            type="button"
            class="ts-icon"
            aria-label=label
            title=label
            on:click=move |_| on_click.run(())
        >
            {glyph}
        </button>
    }
}

/// A button that opens the file picker. The file input it drives is kept out of sight and out of
/// the tab order, so the styled button is the one control people and assistive technology see.
/// `on_file` gets the chosen file (the input is cleared, so the same file can be chosen again).
#[component]
pub fn ChooseFile(
    label: Signal<&'static str>,
    accept: &'static str,
    #[prop(optional, into)] disabled: Signal<bool>,
    #[prop(into)] on_file: Callback<web_sys::File>,
) -> impl IntoView {
    let file_input = NodeRef::<leptos::html::Input>::new();
    view! {
        <input
            node_ref=file_input
            type="file"
            accept=accept
            class="ts-visually-hidden"
            tabindex="-1"
            aria-hidden="true"
            on:change=move |_| {
                if let Some(file) = file_input
                    .get_untracked()
                    .and_then(|input| crate::browser::dom::take_chosen_file(&input))
                {
                    on_file.run(file);
                }
            }
        />
        <button
            type="button"
            class="ts-button"
            disabled=move || disabled.get()
            on:click=move |_| {
                if let Some(input) = file_input.get_untracked() {
                    input.click();
                }
            }
        >
            {label}
        </button>
    }
}

#[component]
fn StatusBar() -> impl IntoView {
    let state = state::use_editor_state();
    view! {
        <footer class="ts-status" role="contentinfo" aria-label=state.tr(Key::StatusBar)>
            <span>
                {move || state.counts.get().characters} " " {state.tr(Key::Characters)}
            </span>
            <span>{move || state.counts.get().words} " " {state.tr(Key::Words)}</span>
            <span>{move || state.counts.get().minutes} " " {state.tr(Key::ReadingTime)}</span>
        </footer>
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
    let pastes = paste_line::PasteLine::get();
    view! {
        <div class="ts-bar__status" role="status">
            <span class="ts-save" class:ts-save--error=failing>
                {text}
            </span>
            {move || {
                pastes
                    .waiting()
                    .then(|| view! { <span class="ts-save">{state.t(Key::ReadingPaste)}</span> })
            }}
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
                    aria-label=state.tr(Key::DismissMessage)
                    on:click=move |_| state.message.set(None)
                >
                    "×"
                </button>
            </div>
        </Show>
    }
}
