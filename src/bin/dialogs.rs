//! The dialogs module: drafts, export, import, speakers and settings, loaded by the editor the
//! first time one is wanted (browser-only shell over `tsuzuri::dialogs`; `ui::dialog_link` is
//! the editor's side).

#[cfg(target_arch = "wasm32")]
mod exports {
    use wasm_bindgen::prelude::*;

    /// Mounts the dialogs into `root`. `ask(what, text)` and `job(text)` are the editor's.
    #[wasm_bindgen]
    pub fn start(root: web_sys::HtmlElement, ask: js_sys::Function, job: js_sys::Function) {
        #[cfg(debug_assertions)]
        console_error_panic_hook::set_once();
        tsuzuri::dialogs::start(root, tsuzuri::dialogs::Editor { ask, job });
    }

    /// The editor's news of what the dialogs show.
    #[wasm_bindgen]
    pub fn update(what: &str, text: &str) {
        tsuzuri::dialogs::update(what, text);
    }

    #[wasm_bindgen]
    pub fn open(which: &str) {
        tsuzuri::dialogs::open(which);
    }
}

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!(
        "The dialogs module runs in the browser: trunk builds it with the app (see README.md)."
    );
}
