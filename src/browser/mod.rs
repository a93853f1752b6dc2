//! Thin wrappers over browser APIs: storage, DOM selection, time (browser-only).

pub mod clipboard;
pub mod codec_worker;
pub mod dom;
pub mod download;
pub mod graphemes;
pub mod image;
pub mod local_store;
pub mod service_worker;
