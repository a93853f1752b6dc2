//! The import dialog: paste text or choose a file, see what was found, and import it as a new
//! draft (browser-only). Malformed input gets a message and creates nothing.

use super::dialog::Dialog;
use super::state::use_editor_state;
use super::ChooseFile;
use crate::codec::import::{self, ImportFormat};
use crate::i18n::Key;
use leptos::prelude::*;
use wasm_bindgen_futures::JsFuture;

fn new_speaker_id() -> String {
    format!("s{:x}", (js_sys::Math::random() * 1.0e15) as u64)
}

#[component]
pub fn ImportDialog(open: RwSignal<bool>) -> impl IntoView {
    let state = use_editor_state();
    let text = RwSignal::new(String::new());
    let format = RwSignal::new(ImportFormat::Auto);
    let error = RwSignal::new(None::<String>);
    // What the import would create, recomputed when the text or the format changes.
    let preview = Memo::new(move |_| {
        let text = text.get();
        if text.trim().is_empty() {
            return None;
        }
        let mut registry = state.speakers.get_untracked();
        let mut ids = new_speaker_id;
        Some(
            import::import(&text, format.get(), &mut registry, &mut ids).map(|imported| {
                format!(
                    "{} ({})",
                    crate::i18n::messages::summary(state.lang.get(), &imported.blocks),
                    imported.format.label()
                )
            }),
        )
    });
    let on_file = move |file: web_sys::File| {
        leptos::task::spawn_local(async move {
            match JsFuture::from(file.text()).await {
                Ok(content) => {
                    let _ = text.try_set(content.as_string().unwrap_or_default());
                    let _ = error.try_set(None);
                }
                Err(_) => {
                    let problem = crate::i18n::messages::Problem::FileUnreadable(file.name());
                    let message =
                        crate::i18n::messages::problem(state.lang.get_untracked(), &problem);
                    let _ = error.try_set(Some(message));
                }
            }
        });
    };
    let confirm = move |_| {
        let mut registry = state.speakers.get_untracked();
        let mut ids = new_speaker_id;
        match import::import(
            &text.get_untracked(),
            format.get_untracked(),
            &mut registry,
            &mut ids,
        ) {
            Ok(imported) => {
                if imported.new_speakers > 0 {
                    state.update_speakers(move |current| {
                        *current = registry;
                        Ok(())
                    });
                }
                state.import_as_new_draft(imported.title, imported.blocks);
                text.set(String::new());
                error.set(None);
                open.set(false);
            }
            Err(problem) => error.set(Some(crate::i18n::messages::import(
                state.lang.get_untracked(),
                &problem,
            ))),
        }
    };
    view! {
        <Dialog open title=state.tr(Key::Import) close_label=state.tr(Key::Close)>
            <p class="ts-note">{state.tr(Key::ImportHint)}</p>
            <textarea
                class="ts-input ts-import__text"
                rows="10"
                aria-label=state.tr(Key::ImportText)
                prop:value=move || text.get()
                on:input=move |ev| {
                    error.set(None);
                    text.set(event_target_value(&ev));
                }
            ></textarea>
            <div class="ts-export__choices">
                <ChooseFile
                    label=state.tr(Key::ChooseFile)
                    accept=".txt,.md,.markdown,.html,.htm,.json,text/*,application/json"
                    on_file=on_file
                />
                <label class="ts-field ts-field--inline">
                    <span class="ts-field__label">{state.tr(Key::ImportFormat)}</span>
                    <select
                        class="ts-select"
                        aria-label=state.tr(Key::ImportFormat)
                        on:change=move |ev| {
                            let value = event_target_value(&ev);
                            if let Some(chosen) = ImportFormat::ALL
                                .into_iter()
                                .find(|option| option.label() == value)
                            {
                                format.set(chosen);
                            }
                        }
                    >
                        {ImportFormat::ALL
                            .into_iter()
                            .map(|option| {
                                view! {
                                    <option value=option.label() selected=move || format.get() == option>
                                        {move || {
                                            if option == ImportFormat::Auto {
                                                state.t(Key::Auto)
                                            } else {
                                                option.label()
                                            }
                                        }}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </label>
            </div>
            <p class="ts-import__found" role="status">
                {move || match preview.get() {
                    Some(Ok(found)) => format!("{}: {found}", state.t(Key::ImportFound)),
                    _ => String::new(),
                }}
            </p>
            <Show when=move || {
                error.get().is_some() || matches!(preview.get(), Some(Err(_)))
            }>
                <p class="ts-field__error" role="alert">
                    {move || {
                        error
                            .get()
                            .or_else(|| match preview.get() {
                                Some(Err(problem)) => Some(crate::i18n::messages::import(state.lang.get(), &problem)),
                                _ => None,
                            })
                            .unwrap_or_default()
                    }}
                </p>
            </Show>
            <button
                type="button"
                class="ts-button ts-button--primary"
                disabled=move || !matches!(preview.get(), Some(Ok(_)))
                on:click=confirm
            >
                {state.tr(Key::ImportAsNewDraft)}
            </button>
        </Dialog>
    }
}
