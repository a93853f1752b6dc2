//! The primitive, invertible changes to a document. Pure.
//!
//! Every edit, however complex, is a list of these; applying one returns its inverse, which is
//! what undo applies.

use crate::model::{Block, BlockContent, BlockId, Document};

#[derive(Clone, Debug, PartialEq)]
pub enum Op {
    /// Insert a block at an index (0..=len).
    Insert {
        index: usize,
        block: Block,
    },
    /// Remove the block with this id.
    Remove {
        id: BlockId,
    },
    /// Replace the content of a block, keeping its id.
    Replace {
        id: BlockId,
        content: BlockContent,
    },
    /// Move a block so that it ends up at index `to`.
    Move {
        id: BlockId,
        to: usize,
    },
    SetTitle {
        title: String,
    },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OpError {
    NoSuchBlock(BlockId),
    IndexOutOfRange(usize),
    DuplicateId(BlockId),
}

impl std::fmt::Display for OpError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OpError::NoSuchBlock(id) => write!(f, "block {id} no longer exists"),
            OpError::IndexOutOfRange(index) => write!(f, "position {index} is out of range"),
            OpError::DuplicateId(id) => write!(f, "block {id} already exists"),
        }
    }
}

impl Op {
    /// The block this op changes, if it changes one.
    pub fn block_id(&self) -> Option<&BlockId> {
        match self {
            Op::Insert { block, .. } => Some(&block.id),
            Op::Remove { id } | Op::Replace { id, .. } | Op::Move { id, .. } => Some(id),
            Op::SetTitle { .. } => None,
        }
    }
}

/// Finds a block's index; a caller that keeps an index of positions can answer faster than a
/// scan, but must answer correctly.
pub type Locate<'a> = &'a dyn Fn(&Document, &BlockId) -> Option<usize>;

fn scan(doc: &Document, id: &BlockId) -> Option<usize> {
    doc.index_of(id)
}

/// Applies one op; on success returns the op that undoes it. On error the document is unchanged.
pub fn apply(doc: &mut Document, op: Op) -> Result<Op, OpError> {
    apply_located(doc, op, &scan)
}

fn apply_located(doc: &mut Document, op: Op, locate: Locate<'_>) -> Result<Op, OpError> {
    let find = |doc: &Document, id: &BlockId| {
        locate(doc, id).ok_or_else(|| OpError::NoSuchBlock(id.clone()))
    };
    match op {
        Op::Insert { index, block } => {
            if index > doc.blocks.len() {
                return Err(OpError::IndexOutOfRange(index));
            }
            if doc.index_of(&block.id).is_some() {
                return Err(OpError::DuplicateId(block.id));
            }
            let id = block.id.clone();
            doc.blocks.insert(index, block);
            Ok(Op::Remove { id })
        }
        Op::Remove { id } => {
            let index = find(doc, &id)?;
            let block = doc.blocks.remove(index);
            Ok(Op::Insert { index, block })
        }
        Op::Replace { id, content } => {
            let index = find(doc, &id)?;
            let old = std::mem::replace(&mut doc.blocks[index].content, content);
            Ok(Op::Replace { id, content: old })
        }
        Op::Move { id, to } => {
            let from = find(doc, &id)?;
            if to >= doc.blocks.len() {
                return Err(OpError::IndexOutOfRange(to));
            }
            let block = doc.blocks.remove(from);
            doc.blocks.insert(to, block);
            Ok(Op::Move { id, to: from })
        }
        Op::SetTitle { title } => {
            let old = std::mem::replace(&mut doc.title, title);
            Ok(Op::SetTitle { title: old })
        }
    }
}

/// Applies ops in order; if one fails, those already applied are undone and the error returned.
/// On success returns the inverse list, in the order it must be applied.
pub fn apply_all(doc: &mut Document, ops: Vec<Op>) -> Result<Vec<Op>, OpError> {
    apply_all_located(doc, ops, &scan)
}

/// [`apply_all`], finding blocks with `locate`.
pub fn apply_all_located(
    doc: &mut Document,
    ops: Vec<Op>,
    locate: Locate<'_>,
) -> Result<Vec<Op>, OpError> {
    let mut inverses = Vec::with_capacity(ops.len());
    for op in ops {
        match apply_located(doc, op, locate) {
            Ok(inverse) => inverses.push(inverse),
            Err(error) => {
                for inverse in inverses.into_iter().rev() {
                    // Inverses of ops that just applied always apply.
                    let _ = apply(doc, inverse);
                }
                return Err(error);
            }
        }
    }
    inverses.reverse();
    Ok(inverses)
}
