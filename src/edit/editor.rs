//! The editor: a document, its history, and the one dispatch path every change goes through. Pure.
//!
//! Commands (split, merge, move, format, …) turn an author's intent into ops; [`Editor::dispatch`]
//! applies them, records the inverse, and reports what changed so views update only that.

use super::history::{Caret, GroupKey, History, Step};
use super::ops::{apply_all_located, Op, OpError};
use crate::model::{
    text_lines, Block, BlockContent, BlockId, BlockKind, Document, ListItem, Mark, RichText,
    ITEM_SEPARATOR,
};
use std::collections::HashMap;

/// What a dispatch changed, so a view can update just that.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Applied {
    /// Blocks whose content changed (including inserted ones).
    pub changed: Vec<BlockId>,
    /// Whether blocks were inserted, removed or moved.
    pub order_changed: bool,
    pub title_changed: bool,
    /// Where the caret should go now.
    pub caret: Option<Caret>,
}

impl Applied {
    fn from_ops(ops: &[Op], caret: Option<Caret>) -> Applied {
        let mut applied = Applied {
            caret,
            ..Applied::default()
        };
        for op in ops {
            match op {
                Op::Insert { block, .. } => {
                    applied.order_changed = true;
                    applied.changed.push(block.id.clone());
                }
                Op::Remove { .. } | Op::Move { .. } => applied.order_changed = true,
                Op::Replace { id, .. } => applied.changed.push(id.clone()),
                Op::SetTitle { .. } => applied.title_changed = true,
            }
        }
        applied
    }
}

/// Makes block ids: short, random-looking, deterministic for a seed, never reused in a document.
#[derive(Clone, Debug)]
pub struct IdSource {
    state: u64,
}

impl IdSource {
    pub fn new(seed: u64) -> IdSource {
        IdSource { state: seed | 1 }
    }

    pub fn fresh(&mut self, doc: &Document) -> BlockId {
        loop {
            // xorshift64*
            self.state ^= self.state >> 12;
            self.state ^= self.state << 25;
            self.state ^= self.state >> 27;
            let mut value = self.state.wrapping_mul(0x2545_f491_4f6c_dd1d);
            let mut id = String::with_capacity(8);
            for _ in 0..8 {
                let digit = (value % 36) as u32;
                value /= 36;
                id.push(char::from_digit(digit, 36).unwrap_or('x'));
            }
            let id = BlockId(id);
            if doc.index_of(&id).is_none() {
                return id;
            }
        }
    }
}

/// Where `positions` puts this block, if the document agrees.
fn checked_position(
    positions: &HashMap<BlockId, usize>,
    doc: &Document,
    id: &BlockId,
) -> Option<usize> {
    positions
        .get(id)
        .copied()
        .filter(|&index| doc.blocks.get(index).is_some_and(|block| &block.id == id))
}

pub struct Editor {
    doc: Document,
    history: History,
    ids: IdSource,
    /// Where each block is: views look blocks up by id thousands of times on a large post.
    /// Rebuilt whenever blocks are inserted, removed or moved.
    positions: HashMap<BlockId, usize>,
    /// Where the author's caret was when the command now running began (see
    /// [`Editor::with_caret_hint`]).
    caret_hint: Option<Caret>,
}

impl Editor {
    pub fn new(doc: Document, id_seed: u64) -> Editor {
        let mut editor = Editor {
            doc,
            history: History::default(),
            ids: IdSource::new(id_seed),
            positions: HashMap::new(),
            caret_hint: None,
        };
        editor.reindex();
        editor
    }

    pub fn doc(&self) -> &Document {
        &self.doc
    }

    /// The block with this id, found without scanning the post.
    pub fn block(&self, id: &BlockId) -> Option<&Block> {
        checked_position(&self.positions, &self.doc, id).map(|index| &self.doc.blocks[index])
    }

    fn reindex(&mut self) {
        self.positions.clear();
        for (index, block) in self.doc.blocks.iter().enumerate() {
            self.positions.insert(block.id.clone(), index);
        }
    }

    /// Applies ops to the document, keeping the positions current.
    fn apply(&mut self, ops: Vec<Op>) -> Result<Vec<Op>, OpError> {
        let moves = ops
            .iter()
            .any(|op| matches!(op, Op::Insert { .. } | Op::Remove { .. } | Op::Move { .. }));
        // Typing replaces one block: found through the positions, checked, else by a scan
        // (positions go stale within a batch that inserts, removes or moves).
        let positions = &self.positions;
        let locate = |doc: &Document, id: &BlockId| {
            checked_position(positions, doc, id).or_else(|| doc.index_of(id))
        };
        let result = apply_all_located(&mut self.doc, ops, &locate);
        if moves {
            self.reindex();
        }
        result
    }

    pub fn history(&self) -> &History {
        &self.history
    }

    pub fn can_undo(&self) -> bool {
        self.history.can_undo()
    }

    pub fn can_redo(&self) -> bool {
        self.history.can_redo()
    }

    /// Replaces the whole document (opening another draft); history starts afresh.
    pub fn reset(&mut self, doc: Document) {
        self.doc = doc;
        self.history = History::default();
        self.reindex();
    }

    pub fn fresh_id(&mut self) -> BlockId {
        self.ids.fresh(&self.doc)
    }

    /// Gives every block fresh ids (for pasted or imported blocks that may clash).
    pub fn with_fresh_ids(&mut self, contents: Vec<BlockContent>) -> Vec<Block> {
        let mut out: Vec<Block> = Vec::with_capacity(contents.len());
        for content in contents {
            let mut id = self.ids.fresh(&self.doc);
            while out.iter().any(|block| block.id == id) {
                id = self.ids.fresh(&self.doc);
            }
            out.push(Block::new(id, content));
        }
        out
    }

    /// Runs a command knowing where the author's caret is: a step the command records without
    /// a caret of its own returns there when undone, so undo never leaves the author without one.
    pub fn with_caret_hint<T>(
        &mut self,
        caret: Option<Caret>,
        command: impl FnOnce(&mut Editor) -> T,
    ) -> T {
        self.caret_hint = caret;
        let result = command(self);
        self.caret_hint = None;
        result
    }

    /// The single path by which the document changes: apply, record the inverse, report.
    pub fn dispatch(
        &mut self,
        ops: Vec<Op>,
        caret_before: Option<Caret>,
        caret_after: Option<Caret>,
        group: Option<GroupKey>,
        now_ms: f64,
    ) -> Result<Applied, OpError> {
        let applied = Applied::from_ops(&ops, caret_after.clone());
        let caret_before = caret_before.or_else(|| self.caret_hint.take());
        let redo = ops.clone();
        let undo = self.apply(ops)?;
        self.history.record(
            Step::new(undo, redo, caret_before, caret_after),
            group,
            now_ms,
        );
        Ok(applied)
    }

    /// Makes the next edit a separate undo step.
    pub fn seal_history(&mut self) {
        self.history.seal();
    }

    pub fn undo(&mut self) -> Option<Applied> {
        let step = self.history.take_undo()?;
        match self.apply(step.undo.clone()) {
            Ok(_) => {
                let applied = Applied::from_ops(&step.undo, step.caret_before.clone());
                self.history.push_undone(step);
                Some(applied)
            }
            // The step no longer fits the document; drop it rather than corrupt anything.
            Err(_) => None,
        }
    }

    pub fn redo(&mut self) -> Option<Applied> {
        let step = self.history.take_redo()?;
        match self.apply(step.redo.clone()) {
            Ok(_) => {
                let applied = Applied::from_ops(&step.redo, step.caret_after.clone());
                self.history.push_redone(step);
                Some(applied)
            }
            Err(_) => None,
        }
    }

    fn content(&self, id: &BlockId) -> Result<&BlockContent, OpError> {
        self.block(id)
            .map(|block| &block.content)
            .ok_or_else(|| OpError::NoSuchBlock(id.clone()))
    }

    fn index(&self, id: &BlockId) -> Result<usize, OpError> {
        checked_position(&self.positions, &self.doc, id)
            .ok_or_else(|| OpError::NoSuchBlock(id.clone()))
    }

    // ---- commands ----

    pub fn set_title(&mut self, title: String, now_ms: f64) -> Result<Applied, OpError> {
        if title == self.doc.title {
            return Ok(Applied::default());
        }
        self.dispatch(
            vec![Op::SetTitle { title }],
            None,
            None,
            Some(GroupKey::Title),
            now_ms,
        )
    }

    /// Typing: the block's content as the author's edit left it. Grouped into undo steps.
    pub fn edit_text(
        &mut self,
        id: &BlockId,
        content: BlockContent,
        caret_before: Option<usize>,
        caret_after: Option<usize>,
        now_ms: f64,
    ) -> Result<Applied, OpError> {
        if self.content(id)? == &content {
            return Ok(Applied::default());
        }
        let caret = |offset: Option<usize>| {
            offset.map(|offset| Caret {
                block: id.clone(),
                offset,
            })
        };
        self.dispatch(
            vec![Op::Replace {
                id: id.clone(),
                content,
            }],
            caret(caret_before),
            caret(caret_after),
            Some(GroupKey::Typing(id.clone())),
            now_ms,
        )
    }

    /// Any other change of one block's content (a field, a setting). `field` groups typing in it.
    pub fn update_block(
        &mut self,
        id: &BlockId,
        content: BlockContent,
        field: Option<&'static str>,
        now_ms: f64,
    ) -> Result<Applied, OpError> {
        if self.content(id)? == &content {
            return Ok(Applied::default());
        }
        self.dispatch(
            vec![Op::Replace {
                id: id.clone(),
                content,
            }],
            None,
            None,
            field.map(|field| GroupKey::Field(id.clone(), field)),
            now_ms,
        )
    }

    /// Inserts new blocks at an index (clamped); the caret goes to the start of the first.
    pub fn insert_at(
        &mut self,
        index: usize,
        contents: Vec<BlockContent>,
        now_ms: f64,
    ) -> Result<Applied, OpError> {
        let index = index.min(self.doc.blocks.len());
        let blocks = self.with_fresh_ids(contents);
        let caret = blocks.first().map(|block| Caret {
            block: block.id.clone(),
            offset: 0,
        });
        let ops = blocks
            .into_iter()
            .enumerate()
            .map(|(offset, block)| Op::Insert {
                index: index + offset,
                block,
            })
            .collect();
        self.dispatch(ops, None, caret, None, now_ms)
    }

    /// A Markdown shortcut typed at `typed_at` turns block `id` into `content`, as its own undo
    /// step that puts the caret back where the author was typing. A shortcut that leaves no
    /// text (a divider) opens an empty paragraph after it for the text that follows.
    pub fn apply_shortcut(
        &mut self,
        id: &BlockId,
        content: BlockContent,
        typed_at: usize,
        caret: usize,
        now_ms: f64,
    ) -> Result<Applied, OpError> {
        let index = self.index(id)?;
        let mut ops = Vec::new();
        let after = if content.rich_text().is_some() {
            Caret {
                block: id.clone(),
                offset: caret,
            }
        } else {
            let paragraph = Block::new(
                self.fresh_id(),
                BlockKind::Paragraph.with_text(RichText::default()),
            );
            let caret = Caret {
                block: paragraph.id.clone(),
                offset: 0,
            };
            ops.push(Op::Insert {
                index: index + 1,
                block: paragraph,
            });
            caret
        };
        ops.insert(
            0,
            Op::Replace {
                id: id.clone(),
                content,
            },
        );
        let before = Caret {
            block: id.clone(),
            offset: typed_at,
        };
        self.seal_history();
        let applied = self.dispatch(ops, Some(before), Some(after), None, now_ms)?;
        self.seal_history();
        Ok(applied)
    }

    /// Inserts one block after another (`None`: at the end).
    pub fn insert_after(
        &mut self,
        after: Option<&BlockId>,
        content: BlockContent,
        now_ms: f64,
    ) -> Result<Applied, OpError> {
        let index = match after {
            Some(id) => self.index(id)? + 1,
            None => self.doc.blocks.len(),
        };
        self.insert_at(index, vec![content], now_ms)
    }

    /// Deletes a block; the caret goes to the end of the previous text block, if any.
    pub fn remove(&mut self, id: &BlockId, now_ms: f64) -> Result<Applied, OpError> {
        let index = self.index(id)?;
        let caret = self.caret_at_end_of_neighbour(index);
        self.dispatch(
            vec![Op::Remove { id: id.clone() }],
            None,
            caret,
            None,
            now_ms,
        )
    }

    fn caret_at_end_of_neighbour(&self, index: usize) -> Option<Caret> {
        let neighbour = if index > 0 {
            self.doc.blocks.get(index - 1)
        } else {
            self.doc.blocks.get(index + 1)
        }?;
        Some(Caret {
            block: neighbour.id.clone(),
            offset: neighbour
                .content
                .rich_text()
                .map(|text| text.len())
                .unwrap_or(0),
        })
    }

    /// Enter: splits a text block at the caret. The tail becomes a paragraph (a heading's tail
    /// is body text) or the same kind for a quote or bubble.
    pub fn split(&mut self, id: &BlockId, offset: usize, now_ms: f64) -> Result<Applied, OpError> {
        let index = self.index(id)?;
        let content = self.content(id)?.clone();
        let Some(text) = content.rich_text() else {
            return self.insert_at(index + 1, vec![BlockKind::Paragraph.empty()], now_ms);
        };
        // (Not in code, where this is Ctrl+Enter leaving the block.)
        if offset == 0 && !text.is_empty() && content.kind() != Some(BlockKind::Code) {
            // Enter at the very start opens an empty paragraph above; the block keeps its kind.
            let paragraph = Block::new(self.fresh_id(), BlockKind::Paragraph.empty());
            let caret = Caret {
                block: id.clone(),
                offset: 0,
            };
            let ops = vec![Op::Insert {
                index,
                block: paragraph,
            }];
            return self.dispatch(ops, Some(caret.clone()), Some(caret), None, now_ms);
        }
        let (head, tail) = text.split_at(offset);
        let kind = content.kind().unwrap_or(BlockKind::Paragraph);
        let tail_kind = match kind {
            BlockKind::Heading | BlockKind::Code => BlockKind::Paragraph,
            other if tail.is_empty() && other == BlockKind::Quote => BlockKind::Paragraph,
            other => other,
        };
        // A bubble's second half is said by the same speaker, on the same side, in the same style.
        let tail_content = match &content {
            BlockContent::Bubble(_) => with_text(&content, tail),
            _ => tail_kind.with_text(tail),
        };
        let new_id = self.fresh_id();
        let head_content = with_text(&content, head);
        let ops = vec![
            Op::Replace {
                id: id.clone(),
                content: head_content,
            },
            Op::Insert {
                index: index + 1,
                block: Block::new(new_id.clone(), tail_content),
            },
        ];
        self.dispatch(
            ops,
            Some(Caret {
                block: id.clone(),
                offset,
            }),
            Some(Caret {
                block: new_id,
                offset: 0,
            }),
            None,
            now_ms,
        )
    }

    /// Backspace at the start: joins this block's text onto the previous text block.
    /// Returns `Ok(None)` when there is nothing to merge into.
    pub fn merge_with_previous(
        &mut self,
        id: &BlockId,
        now_ms: f64,
    ) -> Result<Option<Applied>, OpError> {
        let index = self.index(id)?;
        if index == 0 {
            return Ok(None);
        }
        let previous = self.doc.blocks[index - 1].clone();
        self.merge_pair(previous.id, id.clone(), now_ms)
    }

    /// Delete at the end: pulls the next block's text into this one.
    pub fn merge_next(&mut self, id: &BlockId, now_ms: f64) -> Result<Option<Applied>, OpError> {
        let index = self.index(id)?;
        let Some(next) = self.doc.blocks.get(index + 1).cloned() else {
            return Ok(None);
        };
        self.merge_pair(id.clone(), next.id, now_ms)
    }

    fn merge_pair(
        &mut self,
        into: BlockId,
        from: BlockId,
        now_ms: f64,
    ) -> Result<Option<Applied>, OpError> {
        let into_content = self.content(&into)?.clone();
        let from_content = self.content(&from)?.clone();
        // An empty paragraph before a block simply goes away: the block keeps its kind (a
        // heading stays a heading after Enter at its start and Backspace).
        if matches!(&into_content, BlockContent::Paragraph(p) if p.text.is_empty())
            && from_content.rich_text().is_some()
        {
            let caret = Caret {
                block: from,
                offset: 0,
            };
            let ops = vec![Op::Remove { id: into }];
            return self
                .dispatch(ops, Some(caret.clone()), Some(caret), None, now_ms)
                .map(Some);
        }
        // From a list, only its first item comes along; the rest stay a list.
        let (from_text, from_rest) = match &from_content {
            BlockContent::List(list) if list.items.len() > 1 => {
                let mut rest = list.clone();
                let first = rest.items.remove(0);
                (Some(first.text), Some(BlockContent::List(rest)))
            }
            _ => (from_content.rich_text(), None),
        };
        match (into_content.rich_text(), from_text) {
            (Some(mut text), Some(tail)) if into_content.kind() != Some(BlockKind::Code) => {
                let offset = text.len();
                text.append(&tail);
                let ops = vec![
                    Op::Replace {
                        id: into.clone(),
                        content: with_text(&into_content, text),
                    },
                    match from_rest {
                        Some(content) => Op::Replace {
                            id: from.clone(),
                            content,
                        },
                        None => Op::Remove { id: from.clone() },
                    },
                ];
                let caret = Caret {
                    block: into,
                    offset,
                };
                self.dispatch(ops, None, Some(caret), None, now_ms)
                    .map(Some)
            }
            // An empty block after a card, image or divider simply goes away; the caret goes
            // to the end of the nearest text above, else to that block.
            (None, Some(tail)) if tail.is_empty() && from_rest.is_none() => {
                let index = self.index(&into)?;
                let caret = self.doc.blocks[..=index]
                    .iter()
                    .rev()
                    .find_map(|block| {
                        block.content.rich_text().map(|text| Caret {
                            block: block.id.clone(),
                            offset: text.len(),
                        })
                    })
                    .unwrap_or(Caret {
                        block: into,
                        offset: 0,
                    });
                let before = Caret {
                    block: from.clone(),
                    offset: 0,
                };
                let ops = vec![Op::Remove { id: from }];
                self.dispatch(ops, Some(before), Some(caret), None, now_ms)
                    .map(Some)
            }
            _ => Ok(None),
        }
    }

    /// Moves a block up (negative) or down (positive) by `delta` places, clamped.
    pub fn move_by(&mut self, id: &BlockId, delta: isize, now_ms: f64) -> Result<Applied, OpError> {
        let from = self.index(id)?;
        let last = self.doc.blocks.len().saturating_sub(1);
        let to = (from as isize + delta).clamp(0, last as isize) as usize;
        self.move_to(id, to, now_ms)
    }

    pub fn move_to(&mut self, id: &BlockId, to: usize, now_ms: f64) -> Result<Applied, OpError> {
        let from = self.index(id)?;
        let to = to.min(self.doc.blocks.len().saturating_sub(1));
        if from == to {
            return Ok(Applied::default());
        }
        self.dispatch(
            vec![Op::Move { id: id.clone(), to }],
            None,
            None,
            None,
            now_ms,
        )
    }

    pub fn duplicate(&mut self, id: &BlockId, now_ms: f64) -> Result<Applied, OpError> {
        let index = self.index(id)?;
        let content = self.content(id)?.clone();
        self.insert_at(index + 1, vec![content], now_ms)
    }

    /// Turns a text block into another text kind, keeping its text.
    pub fn convert(
        &mut self,
        id: &BlockId,
        kind: BlockKind,
        now_ms: f64,
    ) -> Result<Option<Applied>, OpError> {
        let Some(content) = self.content(id)?.convert_to(kind) else {
            return Ok(None);
        };
        self.update_block(id, content, None, now_ms).map(Some)
    }

    /// Toggles a mark over a char range of a block's main text.
    pub fn toggle_mark(
        &mut self,
        id: &BlockId,
        start: usize,
        end: usize,
        mark: Mark,
        now_ms: f64,
    ) -> Result<Option<Applied>, OpError> {
        self.map_text(id, start, end, now_ms, |text| {
            text.toggle_mark(start, end, mark)
        })
    }

    /// Sets or removes a link over a char range (the href must already be checked).
    pub fn set_link(
        &mut self,
        id: &BlockId,
        start: usize,
        end: usize,
        href: Option<&str>,
        now_ms: f64,
    ) -> Result<Option<Applied>, OpError> {
        self.map_text(id, start, end, now_ms, |text| {
            text.set_link(start, end, href)
        })
    }

    fn map_text(
        &mut self,
        id: &BlockId,
        start: usize,
        end: usize,
        now_ms: f64,
        change: impl FnOnce(&RichText) -> RichText,
    ) -> Result<Option<Applied>, OpError> {
        let content = self.content(id)?.clone();
        let (Some(text), false) = (
            content.rich_text(),
            matches!(content, BlockContent::Code(_)),
        ) else {
            return Ok(None);
        };
        let changed = with_text(&content, change(&text));
        let caret = |offset| {
            Some(Caret {
                block: id.clone(),
                offset,
            })
        };
        let mut applied = self.dispatch(
            vec![Op::Replace {
                id: id.clone(),
                content: changed,
            }],
            caret(start),
            caret(end),
            None,
            now_ms,
        )?;
        // The view keeps the selection itself; a caret would collapse it.
        applied.caret = None;
        Ok(Some(applied))
    }

    /// Pastes blocks at the caret. The first pasted paragraph joins the text before the caret,
    /// the last one the text after it; other blocks go between. A lone paragraph is inline.
    /// Into code the text goes verbatim; into a list its lines become items.
    pub fn paste(
        &mut self,
        id: &BlockId,
        start: usize,
        end: usize,
        contents: Vec<BlockContent>,
        now_ms: f64,
    ) -> Result<Applied, OpError> {
        let index = self.index(id)?;
        let content = self.content(id)?.clone();
        if let BlockContent::Code(code) = &content {
            // Into code, text goes in verbatim at the caret.
            let pasted = contents
                .iter()
                .map(BlockContent::plain_text)
                .collect::<Vec<_>>()
                .join("\n\n");
            let text = RichText::plain(&code.code).replace(start, end, &pasted, Default::default());
            let caret = |offset| {
                Some(Caret {
                    block: id.clone(),
                    offset,
                })
            };
            let ops = vec![Op::Replace {
                id: id.clone(),
                content: with_text(&content, text),
            }];
            let after = start + pasted.chars().count();
            return self.dispatch(ops, caret(start), caret(after), None, now_ms);
        }
        if matches!(content, BlockContent::List(_)) {
            // Text pasted into a list becomes items, a line each; a pasted list keeps its
            // nesting.
            let lines: Option<Vec<Vec<(RichText, u8)>>> = contents
                .iter()
                .map(|pasted| match pasted {
                    BlockContent::List(list) => Some(
                        list.items
                            .iter()
                            .flat_map(|item| {
                                text_lines(&item.text, &['\n'])
                                    .into_iter()
                                    .map(move |line| (line, item.indent))
                            })
                            .collect(),
                    ),
                    other => other.rich_text().map(|text| {
                        text_lines(&text, &['\n', ITEM_SEPARATOR])
                            .into_iter()
                            .map(|line| (line, 0))
                            .collect()
                    }),
                })
                .collect();
            if let Some(lines) = lines {
                let lines = lines.into_iter().flatten().collect();
                return self.paste_lines(id, start, end, lines, now_ms);
            }
        }
        // Code and lists took their paste above; a block without text gets it after itself.
        let Some(text) = content.rich_text() else {
            return self.insert_at(index + 1, contents, now_ms);
        };
        let mut head = text.slice(0, start);
        let tail = text.slice(end, usize::MAX);
        let mut middle = contents;
        let joins_head = matches!(middle.first(), Some(BlockContent::Paragraph(_)));
        if joins_head {
            if let Some(first) = middle.first().and_then(BlockContent::rich_text) {
                head.append(&first);
            }
            middle.remove(0);
        }
        let caret = |block: &BlockId, offset| {
            Some(Caret {
                block: block.clone(),
                offset,
            })
        };
        if middle.is_empty() {
            let offset = head.len();
            let mut joined = head;
            joined.append(&tail);
            let ops = vec![Op::Replace {
                id: id.clone(),
                content: with_text(&content, joined),
            }];
            return self.dispatch(ops, caret(id, start), caret(id, offset), None, now_ms);
        }
        let mut blocks = self.with_fresh_ids(middle);
        // The text after the caret continues the last pasted paragraph, or stands alone.
        let last_offset = match blocks.last_mut() {
            Some(last) if matches!(last.content, BlockContent::Paragraph(_)) => {
                let mut text = last.content.rich_text().unwrap_or_default();
                let offset = text.len();
                text.append(&tail);
                last.content = with_text(&last.content, text);
                offset
            }
            _ => {
                if !tail.is_empty() {
                    let tail_id = loop {
                        let candidate = self.fresh_id();
                        if blocks.iter().all(|block| block.id != candidate) {
                            break candidate;
                        }
                    };
                    blocks.push(Block::new(tail_id, BlockKind::Paragraph.with_text(tail)));
                }
                0
            }
        };
        let caret_after = blocks.last().map(|block| Caret {
            block: block.id.clone(),
            offset: last_offset,
        });
        let mut ops = Vec::new();
        let mut at = index;
        if head.is_empty() {
            ops.push(Op::Remove { id: id.clone() });
        } else {
            ops.push(Op::Replace {
                id: id.clone(),
                content: with_text(&content, head),
            });
            at += 1;
        }
        for (offset, block) in blocks.into_iter().enumerate() {
            ops.push(Op::Insert {
                index: at + offset,
                block,
            });
        }
        self.dispatch(ops, caret(id, start), caret_after, None, now_ms)
    }
}

/// The same block with its main text replaced. A list's text is split into items at its item
/// separators only, so line breaks typed inside an item stay there.
pub fn with_text(content: &BlockContent, text: RichText) -> BlockContent {
    let mut content = content.clone();
    if let BlockContent::List(list) = &mut content {
        let mut items: Vec<ListItem> = text_lines(&text, &[ITEM_SEPARATOR])
            .into_iter()
            .map(|text| ListItem {
                text,
                ..Default::default()
            })
            .collect();
        // Each item keeps its nesting and stored fields where it still exists.
        for (item, old) in items.iter_mut().zip(&list.items) {
            item.indent = old.indent;
            item.extra = old.extra.clone();
        }
        list.items = items;
        return content;
    }
    let text = text.replace_char(ITEM_SEPARATOR, '\n');
    match &mut content {
        BlockContent::Paragraph(block) => block.text = text,
        BlockContent::Heading(block) => block.text = text,
        BlockContent::Quote(block) => block.text = text,
        BlockContent::Bubble(block) => block.text = text,
        BlockContent::Code(block) => block.code = text.to_plain(),
        BlockContent::List(_)
        | BlockContent::Divider(_)
        | BlockContent::Image(_)
        | BlockContent::LinkCard(_)
        | BlockContent::Unknown(_) => {}
    }
    content
}
