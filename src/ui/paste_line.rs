//! Pastes on their way into the post, landed one by one in the order they were made
//! (browser-only).
//!
//! A formatted paste is read by the codec worker, so its blocks may arrive after the author has
//! typed on, gone to another block, or started an IME composition. A paste therefore waits
//! for the pastes made before it and for any composition to end, goes where the author's caret
//! is now when its block changed meanwhile, and takes the caret along only if the author is
//! still in that block: it never moves focus away from where the author went.

use super::state::{text_element_id, EditorState};
use crate::browser::dom;
use crate::edit::Caret;
use crate::i18n::messages::{self, Problem};
use crate::model::{BlockContent, BlockId};
use leptos::prelude::*;
use std::collections::VecDeque;

/// Where a paste was made.
#[derive(Clone, Debug)]
pub struct Spot {
    pub block: BlockId,
    /// The block's content when the paste was made: if it differs when the paste lands, the
    /// author typed on and the selection below no longer applies.
    pub before: Option<BlockContent>,
    pub selection: (usize, usize),
    /// The draft and its opening: a paste never lands in another post than its own.
    pub post: (String, u64),
}

impl Spot {
    /// The paste being made now in `block`, at `selection`.
    pub fn here(state: EditorState, block: &BlockId, selection: (usize, usize)) -> Spot {
        Spot {
            block: block.clone(),
            before: state.content(block),
            selection,
            post: (state.draft_id(), state.generation.get_untracked()),
        }
    }
}

struct Waiting {
    ticket: u64,
    spot: Spot,
    /// `None` until the worker has read the paste.
    blocks: Option<Vec<BlockContent>>,
}

#[derive(Default)]
struct Line {
    next_ticket: u64,
    waiting: VecDeque<Waiting>,
    /// The block an IME composes in, from `compositionstart` to `compositionend`.
    composing: Option<BlockId>,
    retry_scheduled: bool,
}

/// How often a paste held back by a composition looks again, in case the composition ended
/// without a `compositionend` (its element was removed).
const RETRY_MS: i32 = 300;

#[derive(Clone, Copy)]
pub struct PasteLine(StoredValue<Line>);

impl PasteLine {
    pub fn provide() {
        provide_context(PasteLine(StoredValue::new(Line::default())));
    }

    pub fn get() -> PasteLine {
        expect_context::<PasteLine>()
    }

    /// Holds a place in line for a paste whose blocks come later (see [`PasteLine::fill`]).
    pub fn reserve(self, spot: Spot) -> u64 {
        self.0
            .try_update_value(|line| {
                let ticket = line.next_ticket;
                line.next_ticket += 1;
                line.waiting.push_back(Waiting {
                    ticket,
                    spot,
                    blocks: None,
                });
                ticket
            })
            .unwrap_or_default()
    }

    /// Gives a reserved paste its blocks, and lands every paste that can land now.
    pub fn fill(self, state: EditorState, ticket: u64, blocks: Vec<BlockContent>) {
        self.0.update_value(|line| {
            if let Some(waiting) = line.waiting.iter_mut().find(|w| w.ticket == ticket) {
                waiting.blocks = Some(blocks);
            }
        });
        self.land_ready(state);
    }

    /// A paste whose blocks are known at once: it lands now unless others are still in line.
    pub fn add(self, state: EditorState, spot: Spot, blocks: Vec<BlockContent>) {
        let ticket = self.reserve(spot);
        self.fill(state, ticket, blocks);
    }

    pub fn composition_started(self, block: &BlockId) {
        self.0
            .update_value(|line| line.composing = Some(block.clone()));
    }

    /// Called after the composed text was recorded: what waited for it lands.
    pub fn composition_ended(self, state: EditorState) {
        self.0.update_value(|line| line.composing = None);
        self.land_ready(state);
    }

    /// Whether an IME is composing in an element that still has focus.
    fn composing(self) -> bool {
        let composing = self
            .0
            .try_with_value(|line| line.composing.clone())
            .flatten();
        composing.is_some_and(|block| {
            let element = dom::element_by_id(&text_element_id(&block));
            let active = dom::document().and_then(|document| document.active_element());
            matches!((element, active), (Some(element), Some(active)) if element.contains(Some(&active)))
        })
    }

    fn land_ready(self, state: EditorState) {
        // The caret a landed paste left, so a paste behind it in the same block follows it.
        let mut after_previous: Option<Caret> = None;
        loop {
            if self.composing() {
                self.retry_later(state);
                return;
            }
            let next = self
                .0
                .try_update_value(|line| match line.waiting.front() {
                    Some(waiting) if waiting.blocks.is_some() => line.waiting.pop_front(),
                    _ => None,
                })
                .flatten();
            let Some(Waiting {
                spot,
                blocks: Some(blocks),
                ..
            }) = next
            else {
                return;
            };
            if (state.draft_id(), state.generation.get_untracked()) != spot.post {
                state.message.set(Some(messages::problem(
                    state.lang.get_untracked(),
                    &Problem::PasteNotAdded,
                )));
                continue;
            }
            after_previous = land(state, spot, blocks, after_previous);
        }
    }

    fn retry_later(self, state: EditorState) {
        let first = self
            .0
            .try_update_value(|line| !std::mem::replace(&mut line.retry_scheduled, true))
            .unwrap_or(false);
        if !first {
            return;
        }
        leptos::task::spawn_local(async move {
            dom::sleep(RETRY_MS).await;
            if self
                .0
                .try_update_value(|line| line.retry_scheduled = false)
                .is_some()
            {
                self.land_ready(state);
            }
        });
    }
}

/// Whether the author's focus is in `block`'s text, or nowhere in particular.
fn author_in(block: &BlockId) -> bool {
    let active = dom::document().and_then(|document| document.active_element());
    let Some(active) = active else {
        return true;
    };
    if active.tag_name().eq_ignore_ascii_case("body") {
        return true;
    }
    dom::element_by_id(&text_element_id(block))
        .is_some_and(|element| element.contains(Some(&active)))
}

/// Puts a paste's blocks in place as one undo step; returns where it left the caret.
fn land(
    state: EditorState,
    spot: Spot,
    blocks: Vec<BlockContent>,
    after_previous: Option<Caret>,
) -> Option<Caret> {
    if blocks.is_empty() {
        return after_previous;
    }
    let keep_caret = author_in(&spot.block);
    // Where the paste leaves the caret, kept for the next paste even when not placed.
    let mut landed = None;
    let mut record = |mut applied: crate::edit::Applied| {
        landed = applied.caret.clone();
        // The author has gone elsewhere: the paste lands without taking the caret there.
        if !keep_caret {
            applied.caret = None;
        }
        applied
    };
    let Some(content) = state.content(&spot.block) else {
        // Its block was removed meanwhile: the paste goes after the last block, not lost.
        state.run(None, |editor, now| {
            editor.seal_history();
            editor.insert_at(usize::MAX, blocks, now).map(&mut record)
        });
        return landed;
    };
    let selection = if Some(&content) == spot.before.as_ref() {
        spot.selection
    } else if let Some(caret) = after_previous.filter(|caret| caret.block == spot.block) {
        (caret.offset, caret.offset)
    } else {
        let caret = dom::element_by_id(&text_element_id(&spot.block))
            .filter(|_| keep_caret)
            .and_then(|element| dom::selection_offsets(&element));
        let length = content.rich_text().map_or(0, |text| text.len());
        caret.unwrap_or((length, length))
    };
    state.run(None, |editor, now| {
        editor.seal_history();
        editor
            .paste(&spot.block, selection.0, selection.1, blocks, now)
            .map(&mut record)
    });
    landed
}
