//! The editor's side of the codec worker: starts it when a job first needs it, pairs each reply
//! with its request, and turns a worker that cannot start or breaks into an answer, so no job
//! waits forever, not even on a worker that hangs (browser-only).

use crate::codec::jobs::{self, Job, Outcome};
use crate::json::ToJson;
use std::cell::RefCell;
use std::collections::HashMap;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// The worker's start script: named in index.html, where the build gives it a hashed name, so
/// a page and the worker it starts always come from the same build.
fn script_url() -> String {
    crate::browser::dom::document()
        .and_then(|document| {
            document
                .query_selector("meta[name=tsuzuri-codec-worker]")
                .ok()
                .flatten()
        })
        .and_then(|meta| meta.get_attribute("content"))
        .unwrap_or_else(|| "./codec_worker_start.js".to_owned())
}

/// How long a job may wait for its answer once the worker is running. A worker that takes
/// longer is taken to be hung: it is retired and every job it holds is answered "unavailable".
const ANSWER_WITHIN_MS: i32 = 30_000;
/// How long the worker may take to start: generous, because it may be fetched over a slow
/// connection.
const START_WITHIN_MS: i32 = 90_000;

struct Client {
    /// Tells this worker from the ones started before it.
    serial: u32,
    worker: web_sys::Worker,
    ready: bool,
    /// Requests made before the worker could take them.
    waiting: Vec<js_sys::JsString>,
    /// The `resolve` of each request's promise, by request number.
    pending: HashMap<u32, js_sys::Function>,
    /// Set when the worker failed; the next job starts a new one.
    broken: bool,
    _on_message: Closure<dyn Fn(web_sys::MessageEvent)>,
    _on_error: Closure<dyn Fn(web_sys::Event)>,
}

thread_local! {
    static CLIENT: RefCell<Option<Client>> = const { RefCell::new(None) };
    /// Request numbers run on across workers, so a late reply from a retired one matches nothing.
    static NEXT: std::cell::Cell<u32> = const { std::cell::Cell::new(1) };
    static STARTED: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// Why a job got no outcome.
#[derive(Clone, Debug, PartialEq)]
pub struct Unavailable;

/// Runs a job in the worker, starting it if needed.
pub async fn run(job: &Job) -> Result<Outcome, Unavailable> {
    outcome_of(forward(JsValue::from_str(&job.to_json_text()))).await
}

/// The outcome of a job [`forward`] (here or from the dialogs module) promised.
pub async fn outcome_of(promise: js_sys::Promise) -> Result<Outcome, Unavailable> {
    let reply = JsFuture::from(promise)
        .await
        .ok()
        .and_then(|v| v.as_string());
    match reply.as_deref().and_then(jobs::reply_of) {
        Some((_, outcome)) => Ok(outcome),
        None => Err(Unavailable),
    }
}

/// Runs a job given as JSON text (`Job::to_json_text`); the promise resolves with the worker's
/// reply (`jobs::reply_of` reads it), or with `undefined` when the job got none. The job and the
/// reply stay the browser's strings on the way: a long post's are megabytes, and this module
/// needs no more of them than the request number.
pub fn forward(job: JsValue) -> js_sys::Promise {
    let mut job = job.dyn_into::<js_sys::JsString>().ok();
    js_sys::Promise::new(&mut |resolve, _reject| {
        let sent = job.take().is_some_and(|job| send(&job, &resolve));
        if !sent {
            let _ = resolve.call1(&JsValue::NULL, &JsValue::UNDEFINED);
        }
    })
}

fn send(job: &js_sys::JsString, resolve: &js_sys::Function) -> bool {
    CLIENT.with(|cell| {
        let mut slot = cell.borrow_mut();
        if slot.as_ref().is_none_or(|client| client.broken) {
            *slot = start();
        }
        let Some(client) = slot.as_mut() else {
            return false;
        };
        let number = NEXT.with(|next| next.replace(next.get().wrapping_add(1)));
        // The request's head (its number), then the job as it came.
        let message = js_sys::JsString::from(jobs::request(number, "")).concat(job);
        if client.ready {
            if client.worker.post_message(&message).is_err() {
                return false;
            }
        } else {
            client.waiting.push(message);
        }
        client.pending.insert(number, resolve.clone());
        if client.ready {
            give_up_unless(ANSWER_WITHIN_MS, move |client| {
                !client.pending.contains_key(&number)
            });
        }
        true
    })
}

/// Retires the current worker after `ms` unless `fine` says otherwise by then.
fn give_up_unless(ms: i32, fine: impl FnOnce(&Client) -> bool + 'static) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let check = Closure::once_into_js(move || {
        let hung = CLIENT.with(|cell| {
            cell.borrow()
                .as_ref()
                .is_some_and(|client| !client.broken && !fine(client))
        });
        if hung {
            fail_all();
        }
    });
    let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(check.unchecked_ref(), ms);
}

fn start() -> Option<Client> {
    let options = web_sys::WorkerOptions::new();
    options.set_type(web_sys::WorkerType::Classic);
    let worker = web_sys::Worker::new_with_options(&script_url(), &options).ok()?;
    let on_message =
        Closure::<dyn Fn(web_sys::MessageEvent)>::new(|event: web_sys::MessageEvent| {
            if let Ok(message) = event.data().dyn_into::<js_sys::JsString>() {
                received(&message);
            }
        });
    let on_error = Closure::<dyn Fn(web_sys::Event)>::new(|event: web_sys::Event| {
        // Handled here: the page's console gets no uncaught error for it.
        event.prevent_default();
        fail_all();
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    let serial = STARTED.with(|started| started.get().wrapping_add(1));
    STARTED.with(|started| started.set(serial));
    give_up_unless(START_WITHIN_MS, move |client| {
        client.serial != serial || client.ready
    });
    Some(Client {
        serial,
        worker,
        ready: false,
        waiting: Vec::new(),
        pending: HashMap::new(),
        broken: false,
        _on_message: on_message,
        _on_error: on_error,
    })
}

fn received(message: &js_sys::JsString) {
    if message.starts_with("failed", 0) {
        fail_all();
        return;
    }
    let resolve = CLIENT.with(|cell| {
        let mut slot = cell.borrow_mut();
        let client = slot.as_mut()?;
        // Compared in place: converting to a Rust string would copy a whole reply.
        let ready =
            message.length() as usize == jobs::READY.len() && message.starts_with(jobs::READY, 0);
        if ready {
            client.ready = true;
            for waiting in std::mem::take(&mut client.waiting) {
                let _ = client.worker.post_message(&waiting);
            }
            for &number in client.pending.keys() {
                give_up_unless(ANSWER_WITHIN_MS, move |client| {
                    !client.pending.contains_key(&number)
                });
            }
            return None;
        }
        let end = u32::try_from(message.index_of("\n", 0)).ok()?;
        let number = String::from(message.slice(0, end)).parse::<u32>().ok()?;
        client.pending.remove(&number)
    });
    // Resolved outside the borrow: what awaits the promise may send the next job.
    if let Some(resolve) = resolve {
        let _ = resolve.call1(&JsValue::NULL, message);
    }
}

/// Answers every waiting job with "unavailable" and retires the worker.
fn fail_all() {
    let pending = CLIENT.with(|cell| {
        let mut slot = cell.borrow_mut();
        let Some(client) = slot.as_mut() else {
            return Vec::new();
        };
        client.broken = true;
        client.worker.set_onmessage(None);
        client.worker.set_onerror(None);
        client.worker.terminate();
        client.waiting.clear();
        client.pending.drain().map(|(_, resolve)| resolve).collect()
    });
    for resolve in pending {
        let _ = resolve.call1(&JsValue::NULL, &JsValue::UNDEFINED);
    }
}
