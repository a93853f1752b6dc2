//! What the dialogs module knows of the editor, and how it asks the editor for changes
//! (browser-only). The editor keeps its copies of the language, settings, speakers and open
//! draft up to date here (`super::update`); every change a dialog makes goes back through the
//! editor's own paths (storage, undo, the status line) by a call to the editor.

use crate::browser::codec_worker::{self, Unavailable};
use crate::codec::jobs::{Job, Outcome};
use crate::i18n::{self, Key, Lang};
use crate::json::ToJson;
use crate::model::speakers::RegistryError;
use crate::model::SpeakerRegistry;
use crate::settings::Settings;
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

/// The editor's answer to a request it carried out (anything else is why not).
pub const DONE: &str = "done";

/// The editor's two entry points: `ask(what, text)` answers at once with text, `job(text)`
/// runs a codec job in the editor's codec worker and answers with a promise of its reply.
pub struct Editor {
    pub ask: js_sys::Function,
    pub job: js_sys::Function,
}

#[derive(Clone, Copy)]
pub struct DialogState {
    pub lang: RwSignal<Lang>,
    pub settings: RwSignal<Settings>,
    pub speakers: RwSignal<SpeakerRegistry>,
    /// The open draft's title, as typed (not yet saved, perhaps).
    pub title: RwSignal<String>,
    pub draft_id: RwSignal<String>,
    /// Bumped whenever the stored drafts may have changed.
    pub drafts_changed: RwSignal<u64>,
    editor: StoredValue<Editor, LocalStorage>,
}

impl DialogState {
    pub fn new(editor: Editor) -> DialogState {
        DialogState {
            lang: RwSignal::new(Lang::En),
            settings: RwSignal::new(Settings::default()),
            speakers: RwSignal::new(SpeakerRegistry::default()),
            title: RwSignal::new(String::new()),
            draft_id: RwSignal::new(String::new()),
            drafts_changed: RwSignal::new(0),
            editor: StoredValue::new_local(editor),
        }
    }

    /// A UI string in the current language (reactive).
    pub fn t(&self, key: Key) -> &'static str {
        i18n::text(self.lang.get(), key)
    }

    /// A UI string as a signal, for views (one signal type for every label).
    pub fn tr(&self, key: Key) -> Signal<&'static str> {
        let lang = self.lang;
        Signal::derive(move || i18n::text(lang.get(), key))
    }

    pub fn draft_id(&self) -> String {
        self.draft_id.get_untracked()
    }

    /// Asks the editor. A call that throws answers nothing (and so is never taken for done).
    fn ask(&self, what: &str, text: &str) -> String {
        self.editor
            .with_value(|editor| {
                editor
                    .ask
                    .call2(
                        &JsValue::NULL,
                        &JsValue::from_str(what),
                        &JsValue::from_str(text),
                    )
                    .ok()
            })
            .and_then(|answer| answer.as_string())
            .unwrap_or_default()
    }

    /// An editor's answer to a request that may be refused: [`DONE`] when done, else why not.
    fn done(&self, what: &str, text: &str) -> Result<(), String> {
        match self.ask(what, text) {
            answer if answer == DONE => Ok(()),
            answer if answer.is_empty() => Err(i18n::messages::problem(
                self.lang.get_untracked(),
                &i18n::messages::Problem::ChangeFailed,
            )),
            refusal => Err(refusal),
        }
    }

    /// Shows a message in the editor's status line.
    pub fn say(&self, message: String) {
        self.ask("say", &message);
    }

    /// Changes the settings through the editor, which stores them; a change it refuses is
    /// taken back here too (the editor says why).
    pub fn update_settings(&self, change: impl FnOnce(&mut Settings)) {
        let before = self.settings.get_untracked();
        self.settings.update(change);
        let text = self.settings.with_untracked(ToJson::to_json_text);
        if self.done("settings", &text).is_err() {
            self.settings.set(before);
        }
    }

    /// Changes the speaker registry through the editor, which stores it and brings the bubbles
    /// up to date. False, with a message, when the change is refused.
    pub fn update_speakers(
        &self,
        change: impl FnOnce(&mut SpeakerRegistry) -> Result<(), RegistryError>,
    ) -> bool {
        let mut registry = self.speakers.get_untracked();
        if let Err(error) = change(&mut registry) {
            self.say(i18n::messages::registry(self.lang.get_untracked(), &error));
            return false;
        }
        let text = registry.to_json_text();
        let before = std::mem::replace(&mut *self.speakers.write(), registry);
        if self.done("speakers", &text).is_err() {
            self.speakers.set(before);
            return false;
        }
        true
    }

    /// How many bubbles of the open post a speaker speaks in.
    pub fn speaker_uses(&self, id: &str) -> usize {
        self.ask("uses", id).parse().unwrap_or(0)
    }

    /// The open post as stored (`codec::json::document_to_json`).
    pub fn post(&self) -> String {
        self.ask("post", "")
    }

    pub fn open_draft(&self, id: &str) -> Result<(), String> {
        self.done("open", id)
    }

    pub fn new_draft(&self) -> Result<(), String> {
        self.done("new", "")
    }

    /// Saves the open draft; `Err` says why it may not be left (see the editor's `flush`).
    pub fn flush(&self) -> Result<(), String> {
        self.done("flush", "")
    }

    pub fn save_now(&self) {
        self.ask("save", "");
    }

    /// Renames the open draft (one undo step in the editor).
    pub fn rename_open(&self, title: &str) {
        self.ask("rename", title);
    }

    /// Opens a post read by an import (stored JSON, as the codec worker gives it) as a new
    /// draft; the editor reads it as it arrived.
    pub fn import_as_new_draft(&self, post: &str) -> Result<(), String> {
        self.done("import", post)
    }

    /// Runs a job in the editor's codec worker.
    pub async fn run_job(&self, job: &Job) -> Result<Outcome, Unavailable> {
        let promise = self.editor.with_value(|editor| {
            editor
                .job
                .call1(&JsValue::NULL, &JsValue::from_str(&job.to_json_text()))
                .ok()
                .and_then(|promise| promise.dyn_into::<js_sys::Promise>().ok())
        });
        match promise {
            Some(promise) => codec_worker::outcome_of(promise).await,
            None => Err(Unavailable),
        }
    }
}

pub fn use_dialog_state() -> DialogState {
    expect_context::<DialogState>()
}
