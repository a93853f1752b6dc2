//! Codecs: the stored JSON form and the formats a post is exported to or imported from. Pure.

pub mod backup;
pub mod editorjs;
pub mod html_blocks;
pub mod html_export;
pub mod html_tree;
pub mod import;
pub mod inline_html;
pub mod jobs;
pub mod json;
pub mod markdown;
pub mod paste;
pub mod wordpress;
