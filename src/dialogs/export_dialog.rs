//! The export dialog: HTML, Markdown (by flavor), WordPress or JSON, with a live preview,
//! copy, rich-text copy and download (browser-only). The work is done only while it is open.

use super::dialog::Dialog;
use super::state::{use_dialog_state, DialogState};
use crate::browser::{clipboard, dom, download};
use crate::codec::html_export::{html_page, preview_page, HtmlOptions};
use crate::codec::jobs::{FileSet, Job, Outcome, Output};
use crate::codec::markdown::MarkdownFlavor;
use crate::i18n::Key;
use crate::model::SpeakerRegistry;
use leptos::prelude::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    Html,
    Markdown,
    WordPress,
    Json,
}

impl Format {
    const ALL: [Format; 4] = [
        Format::Html,
        Format::Markdown,
        Format::WordPress,
        Format::Json,
    ];

    fn label(self) -> &'static str {
        match self {
            Format::Html => "HTML",
            Format::Markdown => "Markdown",
            Format::WordPress => "WordPress",
            Format::Json => "JSON",
        }
    }

    fn extension(self, flavor: MarkdownFlavor) -> (&'static str, &'static str) {
        match self {
            Format::Html => ("html", "text/html"),
            Format::Markdown if flavor == MarkdownFlavor::Plain => ("txt", "text/plain"),
            Format::Markdown => ("md", "text/markdown"),
            Format::WordPress => ("txt", "text/plain"),
            Format::Json => ("json", "application/json"),
        }
    }
}

/// The choices that shape the output.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Choice {
    format: Format,
    flavor: MarkdownFlavor,
    gutenberg: bool,
    inline_styles: bool,
}

impl Choice {
    /// The job's output for the text box (and for Copy and, except HTML, Download).
    fn output(self) -> Output {
        match self.format {
            Format::Html => Output::Html {
                inline_styles: self.inline_styles,
            },
            Format::Markdown => Output::Markdown(self.flavor),
            Format::WordPress => Output::WordPress {
                gutenberg: self.gutenberg,
            },
            Format::Json => Output::Backup,
        }
    }
}

/// The most of the output the text box shows: the browser lays out all of a text box's text
/// when it shows (about 60 ms for 200,000 characters), and megabytes would hold the page up for
/// seconds. Copy and Download always use all of it.
const SHOWN_CHARS: usize = 50_000;

/// The beginning of `text` the text box shows, and whether that is less than all of it.
fn shown(text: &str) -> (&str, bool) {
    match text.char_indices().nth(SHOWN_CHARS) {
        Some((at, _)) => (&text[..at], true),
        None => (text, false),
    }
}

/// Runs an export in the codec worker; a failure comes back as the sentence to show.
async fn export(
    state: DialogState,
    lang: crate::i18n::Lang,
    post: String,
    speakers: SpeakerRegistry,
    output: Output,
) -> Result<Outcome, String> {
    use crate::i18n::messages::{problem, Problem};
    match state
        .run_job(&Job::Export {
            post,
            speakers,
            output,
        })
        .await
    {
        Ok(Outcome::Failed(reason)) => Err(problem(lang, &Problem::CodecFailed(reason))),
        Ok(outcome) => Ok(outcome),
        Err(_) => Err(problem(lang, &Problem::CodecsUnavailable)),
    }
}

#[component]
pub fn ExportDialog(open: RwSignal<bool>) -> impl IntoView {
    let state = use_dialog_state();
    let choice = RwSignal::new(Choice {
        format: Format::Html,
        flavor: MarkdownFlavor::CommonMark,
        gutenberg: false,
        inline_styles: true,
    });
    let note = RwSignal::new(None::<&'static str>);
    // The post as stored, taken when the dialog opens: exporting never runs while typing.
    let post = Memo::new(move |_| open.get().then(|| state.post()));
    // `None` while the worker prepares them.
    let output = RwSignal::new(None::<String>);
    let preview = RwSignal::new(None::<String>);
    let problem = RwSignal::new(None::<String>);
    // The files that go with an export are kept in the codec worker, beside the codecs.
    let download_files = move |set: FileSet, mime: &'static str| {
        use crate::i18n::messages::{problem as sentence, Problem};
        let lang = state.lang.get_untracked();
        leptos::task::spawn_local(async move {
            let failure = match state.run_job(&Job::Files(set)).await {
                Ok(Outcome::Files(files)) => {
                    for (name, text) in files {
                        download::download_text(&name, mime, &text);
                    }
                    return;
                }
                Ok(Outcome::Failed(reason)) => Problem::CodecFailed(reason),
                _ => Problem::CodecsUnavailable,
            };
            problem.try_set(Some(sentence(lang, &failure)));
        });
    };
    // Each change of choice starts a new export; an earlier, slower one may not overwrite it.
    let latest = StoredValue::new(0u32);
    Effect::new(move |_| {
        // Closing the dialog, like a new choice, makes the export under way stale: its result
        // is dropped and no page is made of it.
        let this = latest.get_value().wrapping_add(1);
        latest.set_value(this);
        let Some(post) = post.get() else {
            return;
        };
        let choice = choice.get();
        let speakers = state.speakers.get();
        let lang = state.lang.get_untracked();
        output.set(None);
        preview.set(None);
        problem.set(None);
        // For the page around an HTML export (a dialog is open, so the title stays as it is).
        let title = state.title.get_untracked();
        leptos::task::spawn_local(async move {
            let result = export(state, lang, post.clone(), speakers.clone(), choice.output()).await;
            if latest.try_get_value() != Some(this) {
                return;
            }
            match result {
                Ok(Outcome::Text(text)) => {
                    let _ = output.try_set(Some(text));
                }
                Ok(_) => {}
                Err(sentence) => {
                    let _ = problem.try_set(Some(sentence));
                    return;
                }
            }
            // HTML is also previewed and downloaded as a page: the same page the codecs would
            // make, put around the fragment at hand once the text box shows it.
            if choice.format == Format::Html {
                dom::after_next_frame().await;
                if latest.try_get_value() != Some(this) {
                    return;
                }
                let options = HtmlOptions {
                    inline_styles: choice.inline_styles,
                };
                let page = output.try_with_untracked(|fragment| {
                    fragment
                        .as_deref()
                        .map(|fragment| html_page(&title, fragment, &options))
                });
                let _ = preview.try_set(page.flatten());
            }
        });
    });
    // Waiting for the worker: neither an output nor a problem yet.
    let preparing = move || output.with(Option::is_none) && problem.with(Option::is_none);
    let set = move |change: fn(&mut Choice, String), value: String| {
        note.set(None);
        choice.update(|choice| change(choice, value));
    };
    let say = move |key: Key| {
        let _ = note.try_set(Some(crate::i18n::text(state.lang.get_untracked(), key)));
    };
    let copy = move |wants_rich: bool| {
        let Some(post) = post.get_untracked() else {
            return;
        };
        if wants_rich {
            // Made when asked for: the clipboard is claimed within the press and fills once the
            // worker has made the rich text, so opening the dialog costs one export, not two.
            let speakers = state.speakers.get_untracked();
            let lang = state.lang.get_untracked();
            let made = async move {
                match export(state, lang, post, speakers, Output::RichText).await {
                    Ok(Outcome::Rich { html, plain }) => Some((html, plain)),
                    Ok(_) => None,
                    // Why the copy failed (the codecs would not load, or failed on the post).
                    Err(sentence) => {
                        let _ = problem.try_set(Some(sentence));
                        None
                    }
                }
            };
            leptos::task::spawn_local(async move {
                let copied = clipboard::copy_rich(made).await;
                say(if copied { Key::Copied } else { Key::CopyFailed });
            });
            return;
        }
        let text = output.get_untracked();
        leptos::task::spawn_local(async move {
            let copied = match text {
                Some(text) => clipboard::copy_text(&text).await,
                None => return say(Key::Preparing),
            };
            say(if copied { Key::Copied } else { Key::CopyFailed });
        });
    };
    let save_file = move |_| {
        let choice = choice.get_untracked();
        let ready = if choice.format == Format::Html {
            preview.get_untracked()
        } else {
            output.get_untracked()
        };
        let Some(text) = ready else {
            return say(Key::Preparing);
        };
        let (extension, mime) = choice.format.extension(choice.flavor);
        let title = state.title.get_untracked();
        let name = download::file_name(&title, "tsuzuri-post", extension);
        download::download_text(&name, &format!("{mime};charset=utf-8"), &text);
    };
    let format_is = move |format: Format| move || choice.get().format == format;
    view! {
        <Dialog open title=state.tr(Key::Export) close_label=state.tr(Key::Close)>
            <div class="ts-export__choices">
                <label class="ts-field ts-field--inline">
                    <span class="ts-field__label">{state.tr(Key::Format)}</span>
                    <select
                        class="ts-select"
                        aria-label=state.tr(Key::Format)
                        on:change=move |ev| {
                            set(
                                |choice, value| {
                                    if let Some(format) = Format::ALL
                                        .into_iter()
                                        .find(|format| format.label() == value)
                                    {
                                        choice.format = format;
                                    }
                                },
                                event_target_value(&ev),
                            )
                        }
                    >
                        {Format::ALL
                            .into_iter()
                            .map(|format| {
                                view! {
                                    <option value=format.label() selected=format_is(format)>
                                        {format.label()}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </label>
                <Show when=format_is(Format::Markdown)>
                    <label class="ts-field ts-field--inline">
                        <span class="ts-field__label">{state.tr(Key::MarkdownFlavor)}</span>
                        <select
                            class="ts-select"
                            aria-label=state.tr(Key::MarkdownFlavor)
                            on:change=move |ev| {
                                set(
                                    |choice, value| {
                                        if let Some(flavor) = MarkdownFlavor::ALL
                                            .into_iter()
                                            .find(|flavor| flavor.label() == value)
                                        {
                                            choice.flavor = flavor;
                                        }
                                    },
                                    event_target_value(&ev),
                                )
                            }
                        >
                            {MarkdownFlavor::ALL
                                .into_iter()
                                .map(|flavor| {
                                    view! {
                                        <option
                                            value=flavor.label()
                                            selected=move || choice.get().flavor == flavor
                                        >
                                            {flavor.label()}
                                        </option>
                                    }
                                })
                                .collect_view()}
                        </select>
                    </label>
                </Show>
                <Show when=format_is(Format::WordPress)>
                    <label class="ts-field ts-field--inline">
                        <span class="ts-field__label">{state.tr(Key::WordPressFormat)}</span>
                        <select
                            class="ts-select"
                            aria-label=state.tr(Key::WordPressFormat)
                            on:change=move |ev| {
                                set(
                                    |choice, value| choice.gutenberg = value == "gutenberg",
                                    event_target_value(&ev),
                                )
                            }
                        >
                            <option value="classic" selected=move || !choice.get().gutenberg>
                                {state.tr(Key::ClassicEditor)}
                            </option>
                            <option value="gutenberg" selected=move || choice.get().gutenberg>
                                {state.tr(Key::BlockEditor)}
                            </option>
                        </select>
                    </label>
                </Show>
                <Show when=format_is(Format::Html)>
                    <label class="ts-check">
                        <input
                            type="checkbox"
                            prop:checked=move || choice.get().inline_styles
                            on:change=move |ev| {
                                let checked = event_target_checked(&ev);
                                note.set(None);
                                choice.update(|choice| choice.inline_styles = checked);
                            }
                        />
                        {state.tr(Key::InlineStyles)}
                    </label>
                </Show>
            </div>
            <textarea
                class="ts-input ts-export__output"
                readonly=true
                rows="10"
                aria-label=state.tr(Key::ExportOutput)
                aria-busy=move || preparing().to_string()
                placeholder=move || preparing().then(|| state.t(Key::Preparing))
                prop:value=move || {
                    output.with(|output| output.as_deref().map_or(String::new(), |text| shown(text).0.to_owned()))
                }
            ></textarea>
            <Show when=move || output.with(|output| output.as_deref().is_some_and(|text| shown(text).1))>
                <p class="ts-note">{state.tr(Key::OutputShortened)}</p>
            </Show>
            <div class="ts-export__actions">
                <button type="button" class="ts-button" on:click=move |_| copy(false)>
                    {state.tr(Key::Copy)}
                </button>
                <button type="button" class="ts-button" on:click=move |_| copy(true)>
                    {state.tr(Key::CopyRichText)}
                </button>
                <button type="button" class="ts-button ts-button--primary" on:click=save_file>
                    {state.tr(Key::Download)}
                </button>
                <Show when=move || {
                    let choice = choice.get();
                    choice.format == Format::Html && !choice.inline_styles
                }>
                    <button
                        type="button"
                        class="ts-button"
                        on:click=move |_| download_files(FileSet::Stylesheet, "text/css;charset=utf-8")
                    >
                        {state.tr(Key::DownloadStylesheet)}
                    </button>
                </Show>
                <Show when=move || {
                    let choice = choice.get();
                    choice.format == Format::Markdown && choice.flavor == MarkdownFlavor::Hugo
                }>
                    <button
                        type="button"
                        class="ts-button"
                        on:click=move |_| download_files(FileSet::HugoShortcodes, "text/html;charset=utf-8")
                    >
                        {state.tr(Key::DownloadShortcodes)}
                    </button>
                </Show>
                <Show when=move || note.get().is_some()>
                    <span class="ts-note" role="status">{move || note.get().unwrap_or_default()}</span>
                </Show>
            </div>
            <Show when=move || problem.get().is_some()>
                <p class="ts-field__error" role="alert">{move || problem.get().unwrap_or_default()}</p>
            </Show>
            <Show when=move || preview.get().is_some()>
                // Sandboxed without scripts: the preview shows the exported markup, its blocks
                // laid out as they come into view.
                <iframe
                    class="ts-export__preview"
                    sandbox=""
                    title=state.tr(Key::ExportPreview)
                    srcdoc=move || {
                        preview.with(|page| page.as_deref().map(preview_page).unwrap_or_default())
                    }
                ></iframe>
            </Show>
        </Dialog>
    }
}
