//! The export dialog: HTML, Markdown (by flavor), WordPress or JSON, with a live preview,
//! copy, rich-text copy and download (browser-only). The work is done only while it is open.

use super::dialog::Dialog;
use super::state::use_editor_state;
use crate::browser::{clipboard, download};
use crate::codec::html_export::{self, HtmlOptions};
use crate::codec::markdown::{self, MarkdownFlavor};
use crate::codec::{backup, wordpress};
use crate::i18n::Key;
use crate::model::Document;
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

fn export(doc: &Document, registry: &crate::model::SpeakerRegistry, choice: Choice) -> String {
    let options = HtmlOptions {
        inline_styles: choice.inline_styles,
    };
    match choice.format {
        Format::Html => html_export::to_html(doc, &options),
        Format::Markdown => markdown::to_markdown(doc, choice.flavor),
        Format::WordPress if choice.gutenberg => wordpress::to_gutenberg(doc),
        Format::WordPress => wordpress::to_classic(doc),
        Format::Json => backup::to_backup(doc, registry),
    }
}

#[component]
pub fn ExportDialog(open: RwSignal<bool>) -> impl IntoView {
    let state = use_editor_state();
    let choice = RwSignal::new(Choice {
        format: Format::Html,
        flavor: MarkdownFlavor::CommonMark,
        gutenberg: false,
        inline_styles: true,
    });
    let note = RwSignal::new(None::<&'static str>);
    // A snapshot of the post when the dialog opens: exporting never runs while typing.
    let snapshot = Memo::new(move |_| {
        open.get()
            .then(|| state.with_editor(|editor| editor.doc().clone()))
    });
    let output = Memo::new(move |_| {
        let registry = state.speakers.get();
        snapshot
            .get()
            .map(|doc| export(&doc, &registry, choice.get()))
            .unwrap_or_default()
    });
    let preview = Memo::new(move |_| {
        let choice = choice.get();
        (choice.format == Format::Html)
            .then(|| {
                snapshot.get().map(|doc| {
                    html_export::html_document(
                        &doc,
                        &HtmlOptions {
                            inline_styles: choice.inline_styles,
                        },
                    )
                })
            })
            .flatten()
    });
    let set = move |change: fn(&mut Choice, String), value: String| {
        note.set(None);
        choice.update(|choice| change(choice, value));
    };
    let copy = move |rich: bool| {
        let text = output.get_untracked();
        let html = snapshot.get_untracked().map(|doc| {
            html_export::to_html(
                &doc,
                &HtmlOptions {
                    inline_styles: true,
                },
            )
        });
        leptos::task::spawn_local(async move {
            let copied = match (rich, html) {
                (true, Some(html)) => {
                    let plain = snapshot_plain(&html);
                    clipboard::copy_rich(&html, &plain).await
                }
                _ => clipboard::copy_text(&text).await,
            };
            let key = if copied { Key::Copied } else { Key::CopyFailed };
            let _ = note.try_set(Some(crate::i18n::text(state.lang.get_untracked(), key)));
        });
    };
    let save_file = move |_| {
        let Some(doc) = snapshot.get_untracked() else {
            return;
        };
        let choice = choice.get_untracked();
        let (extension, mime) = choice.format.extension(choice.flavor);
        let text = if choice.format == Format::Html {
            html_export::html_document(
                &doc,
                &HtmlOptions {
                    inline_styles: choice.inline_styles,
                },
            )
        } else {
            output.get_untracked()
        };
        let name = download::file_name(&doc.title, "tsuzuri-post", extension);
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
                prop:value=move || output.get()
            ></textarea>
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
                        on:click=move |_| {
                            download::download_text(
                                "tsuzuri.css",
                                "text/css;charset=utf-8",
                                html_export::STYLESHEET,
                            );
                        }
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
                        on:click=move |_| {
                            for (name, template) in markdown::HUGO_SHORTCODES {
                                let file = name.rsplit('/').next().unwrap_or(name);
                                download::download_text(file, "text/html;charset=utf-8", template);
                            }
                        }
                    >
                        {state.tr(Key::DownloadShortcodes)}
                    </button>
                </Show>
                <Show when=move || note.get().is_some()>
                    <span class="ts-note" role="status">{move || note.get().unwrap_or_default()}</span>
                </Show>
            </div>
            <Show when=move || preview.get().is_some()>
                // Sandboxed without scripts: the preview shows exactly the exported markup.
                <iframe
                    class="ts-export__preview"
                    sandbox=""
                    title=state.tr(Key::ExportPreview)
                    srcdoc=move || preview.get().unwrap_or_default()
                ></iframe>
            </Show>
        </Dialog>
    }
}

/// The plain-text alternative of exported HTML: its text, paragraphs kept apart.
fn snapshot_plain(html: &str) -> String {
    let blocks = crate::codec::html_blocks::from_html(html);
    blocks
        .iter()
        .map(|block| block.plain_text())
        .filter(|text| !text.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}
