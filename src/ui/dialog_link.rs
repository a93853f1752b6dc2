//! The editor's side of the dialogs module (`crate::dialogs`): loads it the first time a dialog
//! is wanted, keeps its copies of the language, settings, speakers and open draft up to date,
//! and answers what its dialogs ask of the editor (browser-only).

use super::state::EditorState;
use crate::browser::{codec_worker, dom};
use crate::codec::jobs;
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
    loaded: RwSignal<bool>,
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
            self.prepare();
        }
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
                link.wanted.set(None);
                let message = messages::problem(
                    link.state.lang.get_untracked(),
                    &Problem::DialogsUnavailable,
                );
                link.state.message.set(Some(message));
                return;
            }
            // The news below reaches the module first (effects run before timers), then the
            // dialog asked for opens.
            link.loaded.set(true);
            set_timeout(
                move || {
                    if let Some(which) = link.wanted.try_update(Option::take).flatten() {
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
        let import = js_sys::Function::new_with_args("url", "return import(url)");
        let imported = import.call1(&JsValue::NULL, &url.href().into()).ok()?;
        let module = JsFuture::from(imported.dyn_into::<js_sys::Promise>().ok()?)
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
        let job = Closure::<dyn Fn(String) -> js_sys::Promise>::new(codec_worker::forward);
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

/// Answers a dialog's request (see `crate::dialogs::state`): text, empty when there is nothing
/// to say; for a request that may be refused, empty when done, else the reason.
fn answer(state: EditorState, what: &str, text: String) -> String {
    let refusal = |done: bool| {
        if done {
            String::new()
        } else {
            state.message.get_untracked().unwrap_or_default()
        }
    };
    match what {
        "say" => state.message.set(Some(text)),
        "settings" => {
            if let Ok(settings) = json::from_text::<Settings>(&text) {
                state.update_settings(|current| *current = settings);
            }
        }
        "speakers" => {
            if let Ok(registry) = json::from_text::<SpeakerRegistry>(&text) {
                state.update_speakers(|current| {
                    *current = registry;
                    Ok(())
                });
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
