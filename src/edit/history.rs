//! Undo/redo history of op lists, with typing grouped by time and caret continuity. Pure.
//!
//! The clock is passed in (milliseconds), so tests are deterministic.

use super::ops::Op;
use crate::model::BlockId;
use std::collections::VecDeque;

/// Edits closer together than this (and contiguous) undo as one step.
pub const GROUP_WINDOW_MS: f64 = 500.0;

/// How many steps are kept.
pub const HISTORY_DEPTH: usize = 500;

/// A caret position: a block and a char offset in its main text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Caret {
    pub block: BlockId,
    pub offset: usize,
}

/// Which stream of small edits an edit belongs to (typing in one block, in one field).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GroupKey {
    Title,
    Typing(BlockId),
    Field(BlockId, &'static str),
}

/// One undoable step.
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    pub undo: Vec<Op>,
    pub redo: Vec<Op>,
    pub caret_before: Option<Caret>,
    pub caret_after: Option<Caret>,
    group: Option<GroupKey>,
    last_at_ms: f64,
}

impl Step {
    pub fn new(
        undo: Vec<Op>,
        redo: Vec<Op>,
        caret_before: Option<Caret>,
        caret_after: Option<Caret>,
    ) -> Step {
        Step {
            undo,
            redo,
            caret_before,
            caret_after,
            group: None,
            last_at_ms: 0.0,
        }
    }
}

#[derive(Clone, Debug, Default)]
pub struct History {
    done: VecDeque<Step>,
    undone: Vec<Step>,
    /// Set by undo/redo or an explicit break, so the next edit starts a new step.
    sealed: bool,
}

/// Consecutive replacements of one block collapse into the later one: only it matters.
fn compress(ops: Vec<Op>) -> Vec<Op> {
    let mut out: Vec<Op> = Vec::with_capacity(ops.len());
    for op in ops {
        if let (Some(Op::Replace { id: last, .. }), Op::Replace { id, .. }) = (out.last(), &op) {
            if last == id {
                out.pop();
            }
        }
        out.push(op);
    }
    out
}

impl History {
    /// Records a step, merging it into the previous one when both are the same kind of typing,
    /// close in time, and the caret did not jump in between.
    pub fn record(&mut self, mut step: Step, group: Option<GroupKey>, now_ms: f64) {
        self.undone.clear();
        let sealed = std::mem::take(&mut self.sealed);
        if let (Some(last), Some(key), false) = (self.done.back_mut(), &group, sealed) {
            let same_group = last.group.as_ref() == Some(key);
            let in_time = now_ms - last.last_at_ms < GROUP_WINDOW_MS;
            let contiguous = step.caret_before.is_none() || step.caret_before == last.caret_after;
            if same_group && in_time && contiguous {
                // The merged step is undone by the new inverse first, then the older one.
                step.undo.append(&mut last.undo);
                last.undo = compress(std::mem::take(&mut step.undo));
                last.redo.append(&mut step.redo);
                last.redo = compress(std::mem::take(&mut last.redo));
                last.caret_after = step.caret_after;
                last.last_at_ms = now_ms;
                return;
            }
        }
        step.group = group;
        step.last_at_ms = now_ms;
        self.done.push_back(step);
        if self.done.len() > HISTORY_DEPTH {
            self.done.pop_front();
        }
    }

    /// Ends the current group: the next edit is a new step even if it is typing nearby.
    pub fn seal(&mut self) {
        self.sealed = true;
    }

    pub fn take_undo(&mut self) -> Option<Step> {
        self.sealed = true;
        self.done.pop_back()
    }

    pub fn push_undone(&mut self, step: Step) {
        self.undone.push(step);
    }

    pub fn take_redo(&mut self) -> Option<Step> {
        self.sealed = true;
        self.undone.pop()
    }

    pub fn push_redone(&mut self, step: Step) {
        self.done.push_back(step);
    }

    pub fn can_undo(&self) -> bool {
        !self.done.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.undone.is_empty()
    }

    pub fn depth(&self) -> usize {
        self.done.len()
    }
}
