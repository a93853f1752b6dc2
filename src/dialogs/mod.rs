//! The editor's dialogs (drafts, export, import, speakers, settings), built as a module of their
//! own that the editor loads the first time one is wanted, so opening a post never waits for
//! them (browser-only). `src/bin/dialogs.rs` exports [`start`], [`update`] and [`open`];
//! `ui::dialog_link` is the editor's side.

mod dialog;
mod drafts_panel;
mod export_dialog;
mod import_dialog;
mod settings_dialog;
mod speakers_dialog;
mod state;

use crate::i18n::Lang;
use crate::json;
use leptos::prelude::*;
use state::DialogState;
pub use state::{Editor, DONE};
use std::cell::Cell;

/// Which dialog is open, one flag each.
#[derive(Clone, Copy)]
struct Shown {
    drafts: RwSignal<bool>,
    export: RwSignal<bool>,
    import: RwSignal<bool>,
    speakers: RwSignal<bool>,
    settings: RwSignal<bool>,
}

thread_local! {
    static STARTED: Cell<Option<(DialogState, Shown)>> = const { Cell::new(None) };
}

/// Mounts the dialogs into `root`, talking to the editor through `editor`.
pub fn start(root: web_sys::HtmlElement, editor: Editor) {
    if STARTED.with(Cell::get).is_some() {
        return;
    }
    let state = DialogState::new(editor);
    let shown = Shown {
        drafts: RwSignal::new(false),
        export: RwSignal::new(false),
        import: RwSignal::new(false),
        speakers: RwSignal::new(false),
        settings: RwSignal::new(false),
    };
    STARTED.with(|started| started.set(Some((state, shown))));
    let handle = leptos::mount::mount_to(root, move || {
        provide_context(state);
        view! {
            <Show when=opened_once(shown.speakers)>
                <speakers_dialog::SpeakersDialog open=shown.speakers />
            </Show>
            <Show when=opened_once(shown.drafts)>
                <drafts_panel::DraftsPanel open=shown.drafts />
            </Show>
            <Show when=opened_once(shown.settings)>
                <settings_dialog::SettingsDialog open=shown.settings />
            </Show>
            <Show when=opened_once(shown.export)>
                <export_dialog::ExportDialog open=shown.export />
            </Show>
            <Show when=opened_once(shown.import)>
                <import_dialog::ImportDialog open=shown.import />
            </Show>
        }
    });
    // The dialogs live as long as the page.
    handle.forget();
}

/// The editor's news: `what` is `lang`, `settings`, `speakers`, `title` or `draft` (the open
/// draft's id, sent whenever the stored drafts may have changed). Unreadable news is ignored:
/// the editor keeps the authoritative copy and sends it again on its next change.
pub fn update(what: &str, text: &str) {
    let Some((state, _)) = STARTED.with(Cell::get) else {
        return;
    };
    match what {
        "lang" => {
            if let Some(lang) = Lang::ALL.into_iter().find(|lang| lang.code() == text) {
                set_if_changed(state.lang, lang);
            }
        }
        "settings" => {
            if let Ok(settings) = json::from_text(text) {
                set_if_changed(state.settings, settings);
            }
        }
        "speakers" => {
            if let Ok(speakers) = json::from_text(text) {
                set_if_changed(state.speakers, speakers);
            }
        }
        "title" => set_if_changed(state.title, text.to_owned()),
        "draft" => {
            set_if_changed(state.draft_id, text.to_owned());
            state.drafts_changed.update(|n| *n += 1);
        }
        _ => {}
    }
}

/// News that repeats what the dialogs already show (often their own change, sent back) wakes
/// nothing, so a field being typed in is left alone.
fn set_if_changed<T: PartialEq + Send + Sync + 'static>(signal: RwSignal<T>, value: T) {
    if signal.with_untracked(|current| *current != value) {
        signal.set(value);
    }
}

/// Opens one dialog: `drafts`, `export`, `import`, `speakers` or `settings`.
pub fn open(which: &str) {
    let Some((_, shown)) = STARTED.with(Cell::get) else {
        return;
    };
    let flag = match which {
        "drafts" => shown.drafts,
        "export" => shown.export,
        "import" => shown.import,
        "speakers" => shown.speakers,
        "settings" => shown.settings,
        _ => return,
    };
    flag.set(true);
}

/// True from the first time `open` is set on: a dialog is built when first opened and kept.
fn opened_once(open: RwSignal<bool>) -> impl Fn() -> bool + Send + Sync + Clone + 'static {
    let opened =
        Memo::new(move |opened: Option<&bool>| opened.copied().unwrap_or(false) || open.get());
    move || opened.get()
}
