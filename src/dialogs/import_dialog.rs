//! The import dialog: paste text or choose a file, see what was found, and import it as a new
//! draft (browser-only). Malformed input gets a message and creates nothing.

use super::dialog::Dialog;
use super::state::{use_dialog_state, DialogState};
use crate::codec::import::ImportFormat;
use crate::codec::jobs::{self, Job, Outcome};
use crate::i18n::messages::{self, Problem};
use crate::i18n::{Key, Lang};
use crate::model::{BlockContent, SpeakerRegistry};
use crate::ui::ChooseFile;
use leptos::prelude::*;
use wasm_bindgen_futures::JsFuture;

/// What the codec worker found in the text: the draft an import would create.
#[derive(Clone, Debug, PartialEq)]
struct Found {
    format: ImportFormat,
    /// The post as stored JSON, title and all, handed to the editor as it came.
    post: String,
    /// Its blocks, for the summary.
    blocks: Vec<BlockContent>,
    /// The registry with the speakers the import adds.
    speakers: SpeakerRegistry,
    new_speakers: usize,
}

/// Reads the text in the codec worker. `Err` holds the sentence to show.
async fn find(
    state: DialogState,
    lang: Lang,
    text: String,
    format: ImportFormat,
    speakers: SpeakerRegistry,
) -> Result<Found, String> {
    let outcome = state
        .run_job(&Job::Import {
            text,
            format,
            speakers,
        })
        .await
        .map_err(|_| messages::problem(lang, &Problem::CodecsUnavailable))?;
    match outcome {
        Outcome::Imported {
            format,
            post,
            speakers,
            new_speakers,
        } => {
            let (_, blocks) = jobs::contents_of(&post).map_err(|problem| {
                messages::problem(lang, &Problem::CodecFailed(problem.to_string()))
            })?;
            Ok(Found {
                format,
                post,
                blocks,
                speakers,
                new_speakers,
            })
        }
        Outcome::ImportFailed(problem) => Err(messages::import(lang, &problem)),
        Outcome::Failed(reason) => Err(messages::problem(lang, &Problem::CodecFailed(reason))),
        _ => Err(messages::problem(lang, &Problem::CodecsUnavailable)),
    }
}

/// How long the text must rest before the worker reads it.
const READ_AFTER_MS: i32 = 250;

#[component]
pub fn ImportDialog(open: RwSignal<bool>) -> impl IntoView {
    let state = use_dialog_state();
    let text = RwSignal::new(String::new());
    let format = RwSignal::new(ImportFormat::Auto);
    let error = RwSignal::new(None::<String>);
    // What the import would create, read again when the text or the format changes; `None`
    // while there is no text or the worker is still reading it.
    let preview = RwSignal::new(None::<Result<Found, String>>);
    let reading = RwSignal::new(false);
    let latest = StoredValue::new(0u32);
    Effect::new(move |_| {
        let text = text.get();
        let format = format.get();
        let this = latest.get_value().wrapping_add(1);
        latest.set_value(this);
        preview.set(None);
        if !open.get() || text.trim().is_empty() {
            reading.set(false);
            return;
        }
        reading.set(true);
        // Tracked: speakers changed meanwhile (another tab) are read again, never overwritten.
        let speakers = state.speakers.get();
        let lang = state.lang.get_untracked();
        leptos::task::spawn_local(async move {
            // Typing sends the text once it pauses, not the whole text again per key.
            crate::browser::dom::sleep(READ_AFTER_MS).await;
            if latest.try_get_value() != Some(this) {
                return;
            }
            let found = find(state, lang, text, format, speakers).await;
            if latest.try_get_value() == Some(this) {
                let _ = preview.try_set(Some(found));
                let _ = reading.try_set(false);
            }
        });
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
        let Some(Ok(found)) = preview.get_untracked() else {
            return;
        };
        // Refused while the open draft has unsaved changes; the dialog keeps the text and says why.
        if let Err(why) = state.import_as_new_draft(&found.post) {
            error.set(Some(why));
            return;
        }
        if found.new_speakers > 0 {
            let speakers = found.speakers;
            state.update_speakers(move |current| {
                *current = speakers;
                Ok(())
            });
        }
        text.set(String::new());
        error.set(None);
        open.set(false);
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
                    Some(Ok(found)) => {
                        format!(
                            "{}: {} ({})",
                            state.t(Key::ImportFound),
                            messages::summary(state.lang.get(), &found.blocks),
                            found.format.label(),
                        )
                    }
                    _ if reading.get() => state.t(Key::Preparing).to_string(),
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
                                Some(Err(problem)) => Some(problem),
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
