//! The editor's side of the dialogs module (`crate::dialogs`): loads it the first time a dialog
//! is wanted, keeps its copies of the language, settings, speakers and open draft up to date,
//! and answers what its dialogs ask of the editor (browser-only).

use super::state::EditorState;
use crate::browser::{codec_worker, dom};
use crate::codec::jobs;
use crate::dialogs::DONE;
use crate::i18n::messages::{self, Problem};
use crate::json::{self, ToJson};
use crate::model::speakers::SpeakerRegistry;
use crate::settings::Settings;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Where the dialogs are mounted: an element of the editor's that its views never touch.
pub const ROOT_ID: &str = "ts-dialogs";

#[derive(Clone, Copy)]
pub struct DialogLink {
    state: EditorState,
    /// The dialogs module's exports, once it has started.
    module: StoredValue<Option<JsValue>, LocalStorage>,
    loading: StoredValue<bool>,
    /// The dialog asked for while the module loads (its button shows it is busy).
    wanted: RwSignal<Option<&'static str>>,
    /// While a dialog is asked for: listeners that forget it once the author does something
    /// else, so a slow load never opens a dialog over their typing.
    moved_on: StoredValue<Vec<WindowListenerHandle>, LocalStorage>,
    /// Loads tried: a retry asks for the module at an address of its own, as a browser may
    /// remember a failed one (the service worker ignores the query).
    attempts: StoredValue<u32>,
    loaded: RwSignal<bool>,
}

#[wasm_bindgen(inline_js = "export function import_module(url) { return import(url); }")]
extern "C" {
    #[wasm_bindgen(catch)]
    fn import_module(url: &str) -> Result<js_sys::Promise, JsValue>;
}

impl DialogLink {
    /// Sets up the link for the editor's views; nothing loads until [`DialogLink::open`] or
    /// [`DialogLink::prepare`].
    pub fn provide(state: EditorState) -> DialogLink {
        let link = DialogLink {
            state,
            module: StoredValue::new_local(None),
            loading: StoredValue::new(false),
            wanted: RwSignal::new(None),
            moved_on: StoredValue::new_local(Vec::new()),
            attempts: StoredValue::new(0),
            loaded: RwSignal::new(false),
        };
        link.follow();
        provide_context(link);
        link
    }

    /// Opens a dialog (`drafts`, `export`, `import`, `speakers`, `settings`), loading the
    /// module first if need be.
    pub fn open(&self, which: &'static str) {
        if self.loaded.get_untracked() {
            self.call("open", &[JsValue::from_str(which)]);
        } else {
            self.wanted.set(Some(which));
            self.forget_when_moved_on();
            self.prepare();
        }
    }

    fn forget_when_moved_on(&self) {
        if self.moved_on.with_value(|listeners| !listeners.is_empty()) {
            return;
        }
        let link = *self;
        // Anything but a dialog's button: the author has moved on.
        let elsewhere = move |target: Option<web_sys::EventTarget>| {
            let on_opener = target
                .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
                .and_then(|element| element.closest("[aria-haspopup=dialog]").ok().flatten())
                .is_some();
            if !on_opener {
                link.take_wanted();
            }
        };
        let keys = window_event_listener(leptos::ev::keydown, move |ev| {
            if ev.key() == "Escape" {
                link.take_wanted();
            } else {
                elsewhere(ev.target());
            }
        });
        let presses =
            window_event_listener(leptos::ev::pointerdown, move |ev| elsewhere(ev.target()));
        self.moved_on
            .update_value(|listeners| listeners.extend([keys, presses]));
    }

    /// The dialog asked for, if any, forgotten from now on.
    fn take_wanted(&self) -> Option<&'static str> {
        let listeners = self
            .moved_on
            .try_update_value(std::mem::take)
            .unwrap_or_default();
        for listener in listeners {
            listener.remove();
        }
        self.wanted.try_update(Option::take).flatten()
    }

    /// True while `which` waits for the module to load.
    pub fn is_waiting(&self, which: &'static str) -> bool {
        self.wanted.get() == Some(which)
    }

    /// Starts loading the module (a pointer over a dialog's button, or its focus, says one may
    /// be wanted soon).
    pub fn prepare(&self) {
        if self.loaded.get_untracked() || self.loading.get_value() {
            return;
        }
        self.loading.set_value(true);
        let link = *self;
        leptos::task::spawn_local(async move {
            let started = link.load().await;
            link.loading.set_value(false);
            if started.is_none() {
                // Said only to an author who asked for a dialog, not after a pointer passed by.
                if link.take_wanted().is_some() {
                    let message = messages::problem(
                        link.state.lang.get_untracked(),
                        &Problem::DialogsUnavailable,
                    );
                    link.state.message.set(Some(message));
                }
                return;
            }
            // The news below reaches the module first (effects run before timers), then the
            // dialog asked for opens.
            link.loaded.set(true);
            set_timeout(
                move || {
                    if let Some(which) = link.take_wanted() {
                        link.open(which);
                    }
                },
                std::time::Duration::ZERO,
            );
        });
    }

    /// Imports the module, starts its WebAssembly and mounts the dialogs.
    async fn load(&self) -> Option<()> {
        let document = dom::document()?;
        let script = document
            .query_selector("meta[name=tsuzuri-dialogs]")
            .ok()
            .flatten()
            .and_then(|meta| meta.get_attribute("content"))?;
        let url = web_sys::Url::new_with_base(&script, &document.base_uri().ok()??).ok()?;
        let attempt = self.attempts.get_value();
        self.attempts.set_value(attempt + 1);
        if attempt > 0 {
            url.set_search(&format!("attempt={attempt}"));
        }
        let module = JsFuture::from(import_module(&url.href()).ok()?)
            .await
            .ok()?;
        let init = js_sys::Reflect::get(&module, &"default".into()).ok()?;
        let init = init.dyn_into::<js_sys::Function>().ok()?;
        let started = init.call0(&JsValue::NULL).ok()?;
        JsFuture::from(started.dyn_into::<js_sys::Promise>().ok()?)
            .await
            .ok()?;
        let root = document.get_element_by_id(ROOT_ID)?;
        let state = self.state;
        let ask = Closure::<dyn Fn(String, String) -> String>::new(move |what: String, text| {
            answer(state, &what, text)
        });
        let job = Closure::<dyn Fn(JsValue) -> js_sys::Promise>::new(codec_worker::forward);
        self.module.set_value(Some(module));
        // Both live as long as the page, as the dialogs do.
        let (ask, job) = (ask.into_js_value(), job.into_js_value());
        self.call("start", &[root.into(), ask, job]).then_some(())
    }

    /// Calls one of the module's exports; false if it is not there or threw.
    fn call(&self, name: &str, args: &[JsValue]) -> bool {
        self.module.with_value(|module| {
            let Some(module) = module else {
                return false;
            };
            let Ok(export) = js_sys::Reflect::get(module, &name.into()) else {
                return false;
            };
            let Ok(export) = export.dyn_into::<js_sys::Function>() else {
                return false;
            };
            let args: js_sys::Array = args.iter().collect();
            export.apply(&JsValue::NULL, &args).is_ok()
        })
    }

    fn tell(&self, what: &str, text: &str) {
        self.call(
            "update",
            &[JsValue::from_str(what), JsValue::from_str(text)],
        );
    }

    /// Sends the module each change of what its dialogs show, once it is loaded. These run as
    /// effects, after the change, never inside a call from the module.
    fn follow(&self) {
        let link = *self;
        let state = self.state;
        Effect::new(move |_| {
            let lang = state.lang.get();
            if link.loaded.get() {
                link.tell("lang", lang.code());
            }
        });
        Effect::new(move |_| {
            if link.loaded.get() {
                link.tell("settings", &state.settings.with(ToJson::to_json_text));
            }
        });
        Effect::new(move |_| {
            if link.loaded.get() {
                link.tell("speakers", &state.speakers.with(ToJson::to_json_text));
            }
        });
        Effect::new(move |_| {
            if link.loaded.get() {
                state.title.with(|title| link.tell("title", title));
            }
        });
        Effect::new(move |_| {
            state.drafts_changed.track();
            if link.loaded.get() {
                link.tell("draft", &state.draft_id());
            }
        });
    }
}

pub fn use_dialog_link() -> DialogLink {
    expect_context::<DialogLink>()
}

/// Answers a dialog's request (see `crate::dialogs::state`): text, or for a change that may be
/// refused, [`DONE`] when made and else the reason.
fn answer(state: EditorState, what: &str, text: String) -> String {
    let refusal = |done: bool| {
        if done {
            DONE.to_owned()
        } else {
            state.message.get_untracked().unwrap_or_default()
        }
    };
    // The dialogs write what the editor reads, so this is a defect, said rather than lost.
    let unreadable = || {
        let message = messages::problem(state.lang.get_untracked(), &Problem::ChangeFailed);
        state.message.set(Some(message.clone()));
        message
    };
    match what {
        "say" => state.message.set(Some(text)),
        "settings" => {
            return match json::from_text::<Settings>(&text) {
                Ok(settings) => {
                    state.update_settings(|current| *current = settings);
                    DONE.to_owned()
                }
                Err(_) => unreadable(),
            }
        }
        "speakers" => {
            return match json::from_text::<SpeakerRegistry>(&text) {
                Ok(registry) => refusal(state.update_speakers(|current| {
                    *current = registry;
                    Ok(())
                })),
                Err(_) => unreadable(),
            }
        }
        "uses" => {
            let uses = state.with_editor(|editor| {
                state
                    .speakers
                    .with_untracked(|registry| registry.uses_in(&text, editor.doc()))
            });
            return uses.to_string();
        }
        "post" => {
            return state.with_editor(|editor| crate::codec::json::document_to_json(editor.doc()))
        }
        "open" => return refusal(state.open_draft(&text)),
        "new" => return refusal(state.new_draft()),
        "flush" => return refusal(state.flush()),
        "save" => state.save_now(),
        "rename" => {
            state.run(None, |editor, now| editor.set_title(text, now));
            state.save_now();
        }
        "import" => {
            return match jobs::contents_of(&text) {
                Ok((title, blocks)) => refusal(state.import_as_new_draft(title, blocks)),
                Err(problem) => messages::problem(
                    state.lang.get_untracked(),
                    &Problem::CodecFailed(problem.to_string()),
                ),
            }
        }
        _ => {}
    }
    String::new()
}
