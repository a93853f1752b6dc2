//! The editor's side of the codec worker: starts it when a job first needs it, pairs each reply
//! with its request, and turns a worker that cannot start or breaks into an answer, so no job
//! waits forever, not even on a worker that hangs (browser-only).

use crate::codec::jobs::{self, Job, Outcome};
use std::cell::RefCell;
use std::collections::HashMap;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

const SCRIPT: &str = "./codec_worker_start.js";

/// How long a job may wait for its answer, starting the worker included. A worker that takes
/// longer is taken to be hung: it is retired and every job it holds is answered "unavailable".
/// Generous, because the first job may fetch the worker over a slow connection.
const ANSWER_WITHIN_MS: i32 = 30_000;

struct Client {
    worker: web_sys::Worker,
    ready: bool,
    /// Requests made before the worker could take them.
    waiting: Vec<String>,
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
}

/// Why a job got no outcome.
#[derive(Clone, Debug, PartialEq)]
pub struct Unavailable;

/// Runs a job in the worker, starting it if needed.
pub async fn run(job: &Job) -> Result<Outcome, Unavailable> {
    let mut job = Some(job);
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        let Some(job) = job.take() else {
            return;
        };
        if !send(job, &resolve) {
            let _ = resolve.call1(&JsValue::NULL, &JsValue::UNDEFINED);
        }
    });
    let reply = JsFuture::from(promise)
        .await
        .ok()
        .and_then(|v| v.as_string());
    match reply.as_deref().and_then(jobs::reply_of) {
        Some((_, outcome)) => Ok(outcome),
        None => Err(Unavailable),
    }
}

fn send(job: &Job, resolve: &js_sys::Function) -> bool {
    CLIENT.with(|cell| {
        let mut slot = cell.borrow_mut();
        if slot.as_ref().is_none_or(|client| client.broken) {
            *slot = start();
        }
        let Some(client) = slot.as_mut() else {
            return false;
        };
        let number = NEXT.with(|next| next.replace(next.get().wrapping_add(1)));
        let message = jobs::request(number, job);
        if client.ready {
            if client
                .worker
                .post_message(&JsValue::from_str(&message))
                .is_err()
            {
                return false;
            }
        } else {
            client.waiting.push(message);
        }
        client.pending.insert(number, resolve.clone());
        expire_later(number);
        true
    })
}

/// Retires the worker if request `number` is still unanswered after [`ANSWER_WITHIN_MS`].
fn expire_later(number: u32) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let expire = Closure::once_into_js(move || {
        let unanswered = CLIENT.with(|cell| {
            cell.borrow()
                .as_ref()
                .is_some_and(|client| client.pending.contains_key(&number))
        });
        if unanswered {
            fail_all();
        }
    });
    let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(
        expire.unchecked_ref(),
        ANSWER_WITHIN_MS,
    );
}

fn start() -> Option<Client> {
    let options = web_sys::WorkerOptions::new();
    options.set_type(web_sys::WorkerType::Classic);
    let worker = web_sys::Worker::new_with_options(SCRIPT, &options).ok()?;
    let on_message =
        Closure::<dyn Fn(web_sys::MessageEvent)>::new(|event: web_sys::MessageEvent| {
            if let Some(message) = event.data().as_string() {
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
    Some(Client {
        worker,
        ready: false,
        waiting: Vec::new(),
        pending: HashMap::new(),
        broken: false,
        _on_message: on_message,
        _on_error: on_error,
    })
}

fn received(message: &str) {
    if message.starts_with("failed") {
        fail_all();
        return;
    }
    let resolve = CLIENT.with(|cell| {
        let mut slot = cell.borrow_mut();
        let client = slot.as_mut()?;
        if message == jobs::READY {
            client.ready = true;
            for waiting in std::mem::take(&mut client.waiting) {
                let _ = client.worker.post_message(&JsValue::from_str(&waiting));
            }
            return None;
        }
        let number = message.split_once('\n')?.0.parse::<u32>().ok()?;
        client.pending.remove(&number)
    });
    // Resolved outside the borrow: what awaits the promise may send the next job.
    if let Some(resolve) = resolve {
        let _ = resolve.call1(&JsValue::NULL, &JsValue::from_str(message));
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
