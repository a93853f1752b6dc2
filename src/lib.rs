//! Tsuzuri (綴り): a block editor for blog posts that runs entirely in the browser.
//!
//! Layers, with dependencies pointing downward only:
//! - `ui` (browser-only): the Leptos app shell, block editors and menus;
//! - `dialogs` (browser-only): the drafts, export, import, speakers and settings dialogs, built
//!   as a module of their own that `ui` loads when one is first wanted;
//! - `browser` (browser-only): localStorage, DOM selection, clipboard, downloads;
//! - `edit`, `codec`, `storage`, `sanitize`, `fold` (pure): editing commands with undo, formats,
//!   the draft store, URL rules, case folding for searches;
//! - `model` (pure): the document, its blocks and inline text;
//! - `json` (pure): JSON values and text, for everything stored or sent to the codec worker.
//!
//! The pure layers import nothing from Leptos or web-sys and are tested with `cargo test`.
//!
//! Adding a block kind: add a variant to `model::BlockContent` and `model::BlockKind`, then let
//! the compiler list every exhaustive `match` to extend (codecs, views, menus).

#![forbid(unsafe_code)]

/// Talc instead of the default dlmalloc: opening a long post spends much of its time allocating
/// (each block's views and reactive nodes), and talc does that faster in less code.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

pub mod codec;
pub mod counts;
pub mod edit;
pub mod fold;
pub mod i18n;
pub mod json;
pub mod model;
pub mod sanitize;
pub mod settings;
pub mod storage;

#[cfg(target_arch = "wasm32")]
pub mod browser;
#[cfg(target_arch = "wasm32")]
pub mod dialogs;
#[cfg(target_arch = "wasm32")]
pub mod ui;
