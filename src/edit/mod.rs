//! Editing: invertible ops, undo history, and the editor's commands. Pure.

pub mod editor;
pub mod groups;
pub mod history;
pub mod list;
pub mod ops;
pub mod shortcuts;

pub use editor::{with_text, Applied, Editor};
pub use history::{Caret, GroupKey};
pub use ops::{Op, OpError};
