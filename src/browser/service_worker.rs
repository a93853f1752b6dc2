//! Registers the offline service worker and reports when an update is waiting (browser-only).

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// The registration a promise gives, if any: browsers (or policies) that block service workers
/// may answer with nothing at all.
async fn registration_from(promise: js_sys::Promise) -> Option<web_sys::ServiceWorkerRegistration> {
    JsFuture::from(promise).await.ok()?.dyn_into().ok()
}

/// Registers `sw.js`; calls `on_update` when a new version is installed and waiting.
pub fn register(on_update: impl Fn() + 'static) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let navigator = window.navigator();
    if !js_sys::Reflect::has(&navigator, &"serviceWorker".into()).unwrap_or(false) {
        return;
    }
    let container = navigator.service_worker();
    let on_update = std::rc::Rc::new(on_update);
    leptos::task::spawn_local(async move {
        let Some(registration) = registration_from(container.register("sw.js")).await else {
            return;
        };
        // A version that finished installing before this page loaded.
        if registration.waiting().is_some() && container.controller().is_some() {
            on_update();
        }
        let watched = registration.clone();
        let container_for_install = container.clone();
        let on_found = Closure::<dyn Fn()>::new(move || {
            let Some(installing) = watched.installing() else {
                return;
            };
            let worker = installing.clone();
            let container = container_for_install.clone();
            let on_update = on_update.clone();
            let on_state = Closure::<dyn Fn()>::new(move || {
                let installed = worker.state() == web_sys::ServiceWorkerState::Installed;
                if installed && container.controller().is_some() {
                    on_update();
                }
            });
            installing.set_onstatechange(Some(on_state.as_ref().unchecked_ref()));
            on_state.forget();
        });
        registration.set_onupdatefound(Some(on_found.as_ref().unchecked_ref()));
        on_found.forget();
    });
}

/// Activates the waiting version and reloads once it controls the page.
pub fn activate_update() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let container = window.navigator().service_worker();
    let reload = Closure::<dyn Fn()>::new(move || {
        if let Some(window) = web_sys::window() {
            let _ = window.location().reload();
        }
    });
    container.set_oncontrollerchange(Some(reload.as_ref().unchecked_ref()));
    reload.forget();
    leptos::task::spawn_local(async move {
        let Some(registration) = registration_from(container.get_registration()).await else {
            return;
        };
        if let Some(waiting) = registration.waiting() {
            let _ = waiting.post_message(&JsValue::from_str("skip-waiting"));
        }
    });
}
