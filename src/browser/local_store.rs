//! localStorage as a [`KeyValueStore`] (browser-only).

use crate::storage::{KeyValueStore, StoreError, PROBE_KEY};
use std::cell::Cell;
use wasm_bindgen::JsValue;

thread_local! {
    /// Whether the store takes writes, learned once per page: each probe is a write that
    /// every other tab hears about.
    static WRITABLE: Cell<Option<bool>> = const { Cell::new(None) };
}

/// The page's localStorage; every call reports failure instead of panicking.
pub struct LocalStore {
    storage: Option<web_sys::Storage>,
}

impl LocalStore {
    pub fn open() -> LocalStore {
        let storage = web_sys::window().and_then(|window| window.local_storage().ok().flatten());
        // Private modes may hand out a store that throws on every write; probe it. A full
        // store throws too, but it is still there (and reads work).
        let storage = storage.filter(|storage| {
            WRITABLE.get().unwrap_or_else(|| {
                let writable = match storage.set_item(PROBE_KEY, "1") {
                    Ok(()) => storage.remove_item(PROBE_KEY).is_ok(),
                    Err(error) => to_error(error) == StoreError::QuotaExceeded,
                };
                WRITABLE.set(Some(writable));
                writable
            })
        });
        LocalStore { storage }
    }

    pub fn is_available(&self) -> bool {
        self.storage.is_some()
    }

    fn storage(&self) -> Result<&web_sys::Storage, StoreError> {
        self.storage.as_ref().ok_or(StoreError::Unavailable)
    }
}

fn to_error(error: JsValue) -> StoreError {
    let name = js_sys::Reflect::get(&error, &JsValue::from_str("name"))
        .ok()
        .and_then(|name| name.as_string())
        .unwrap_or_default();
    if name == "QuotaExceededError" || name == "NS_ERROR_DOM_QUOTA_REACHED" {
        StoreError::QuotaExceeded
    } else {
        let message = js_sys::Reflect::get(&error, &JsValue::from_str("message"))
            .ok()
            .and_then(|message| message.as_string())
            .unwrap_or_else(|| "the browser refused to store it".into());
        StoreError::Other(message)
    }
}

impl KeyValueStore for LocalStore {
    fn get(&self, key: &str) -> Result<Option<String>, StoreError> {
        self.storage()?.get_item(key).map_err(to_error)
    }

    fn set(&mut self, key: &str, value: &str) -> Result<(), StoreError> {
        self.storage()?.set_item(key, value).map_err(to_error)
    }

    fn remove(&mut self, key: &str) -> Result<(), StoreError> {
        self.storage()?.remove_item(key).map_err(to_error)
    }

    fn keys(&self) -> Result<Vec<String>, StoreError> {
        let storage = self.storage()?;
        let length = storage.length().map_err(to_error)?;
        Ok((0..length)
            .filter_map(|index| storage.key(index).ok().flatten())
            .collect())
    }
}

/// Asks the browser to keep this site's storage (drafts live nowhere else).
pub fn request_persistence() {
    wasm_bindgen_futures::spawn_local(async {
        if let Some(window) = web_sys::window() {
            if let Ok(promise) = window.navigator().storage().persist() {
                let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
            }
        }
    });
}
