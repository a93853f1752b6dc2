//! Pastes on their way into the post, landed one by one in the order they were made
//! (browser-only).
//!
//! A formatted paste is read by the codec worker, so its blocks may arrive after the author has
//! typed on, gone to another block, or started an IME composition. A paste therefore waits
//! for the pastes made before it and for any composition to end. It goes where it was made if
//! that block is unchanged; else after the paste made before it there; else at the author's
//! caret if they are in the block, or at the block's end. It takes the caret along only if the
//! author is still in that block: it never moves focus away from where the author went.

use super::state::{focused_text, selection_in_text, EditorState};
use crate::browser::{codec_worker, dom};
use crate::codec::jobs::{self, Job, Outcome};
use crate::codec::paste;
use crate::edit::Caret;
use crate::i18n::messages::{self, Problem};
use crate::model::{BlockContent, BlockId};
use leptos::prelude::*;
use std::collections::VecDeque;

/// Where a paste was made.
pub struct Spot {
    block: BlockId,
    /// The block's content when the paste was made: if it differs when the paste lands, the
    /// author typed on and the selection below no longer applies.
    before: Option<BlockContent>,
    selection: (usize, usize),
    /// The draft and its opening: a paste never lands in another post than its own.
    post: (String, u64),
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

/// The last paste that landed, for the pastes made before it landed in the same block: they
/// follow it, even into the block where it left the caret (a paste of several blocks) or when
/// it replaced their block.
struct Landed {
    origin: BlockId,
    caret: Caret,
    /// The content of the caret's block just after the paste.
    content: Option<BlockContent>,
    /// Tickets below this were handed out before the paste landed.
    before_ticket: u64,
}

#[derive(Default)]
struct Line {
    next_ticket: u64,
    waiting: VecDeque<Waiting>,
    /// The block an IME composes in, from `compositionstart` to `compositionend` (or until the
    /// block loses focus, in case `compositionend` never comes).
    composing: Option<BlockId>,
    retry_scheduled: bool,
    /// Set while the next paste waits for the frame after the last one landed.
    landing_scheduled: bool,
    last: Option<Landed>,
}

/// How often a paste held back by a composition looks again, in case the composition ended
/// without a `compositionend` (its element was removed).
const RETRY_MS: i32 = 300;

#[derive(Clone, Copy)]
pub struct PasteLine(StoredValue<Line>, RwSignal<bool>);

impl PasteLine {
    pub fn provide() {
        provide_context(PasteLine(
            StoredValue::new(Line::default()),
            RwSignal::new(false),
        ));
    }

    /// Whether a paste is waiting to land (the status bar says so).
    pub fn waiting(self) -> bool {
        self.1.get()
    }

    fn update_waiting(self) {
        let waiting = self
            .0
            .try_with_value(|line| !line.waiting.is_empty())
            .unwrap_or(false);
        if self.1.try_get_untracked() != Some(waiting) {
            self.1.try_set(waiting);
        }
    }

    pub fn get() -> PasteLine {
        expect_context::<PasteLine>()
    }

    /// Holds a place in line for a paste whose blocks come later (see [`PasteLine::fill`]).
    pub fn reserve(self, spot: Spot) -> u64 {
        let ticket = self.push(spot);
        self.update_waiting();
        ticket
    }

    fn push(self, spot: Spot) -> u64 {
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

    /// Gives a reserved paste its blocks, and lands what can land now.
    pub fn fill(self, state: EditorState, ticket: u64, blocks: Vec<BlockContent>) {
        self.0.update_value(|line| {
            if let Some(waiting) = line.waiting.iter_mut().find(|w| w.ticket == ticket) {
                waiting.blocks = Some(blocks);
            }
        });
        self.land_ready(state);
    }

    /// Puts what the clipboard holds in line: plain text at once; formatted text (HTML or
    /// Markdown) once the codec worker has read it, or as plain text if it cannot.
    pub fn paste(self, state: EditorState, spot: Spot, html: String, plain: String) {
        if html.trim().is_empty() && !paste::looks_like_markdown(&plain) {
            return self.add(state, spot, paste::blocks_from_plain_text(&plain));
        }
        // Until the worker answers, the block is as it was.
        let ticket = self.reserve(spot);
        leptos::task::spawn_local(async move {
            let blocks = match codec_worker::run(&Job::Paste {
                html,
                plain: plain.clone(),
            })
            .await
            {
                Ok(Outcome::Blocks(post)) => {
                    jobs::contents_of(&post).ok().map(|(_, blocks)| blocks)
                }
                _ => None,
            };
            // Nothing is lost when the worker cannot read it: the text goes in as typed.
            let blocks = blocks.unwrap_or_else(|| {
                state.message.set(Some(messages::problem(
                    state.lang.get_untracked(),
                    &Problem::PastedAsPlainText,
                )));
                paste::blocks_from_plain_text(&plain)
            });
            self.fill(state, ticket, blocks);
        });
    }

    /// A paste whose blocks are known at once: it lands now, unless earlier pastes or a
    /// composition hold it back.
    pub fn add(self, state: EditorState, spot: Spot, blocks: Vec<BlockContent>) {
        let ticket = self.push(spot);
        self.fill(state, ticket, blocks);
    }

    pub fn composition_started(self, block: &BlockId) {
        self.0
            .update_value(|line| line.composing = Some(block.clone()));
    }

    /// Called after the composed text was recorded, or when `block` loses focus: what waited
    /// for the composition lands.
    pub fn composition_ended(self, state: EditorState, block: &BlockId) {
        let was_composing = self
            .0
            .try_update_value(|line| {
                let here = line.composing.as_ref() == Some(block);
                if here {
                    line.composing = None;
                }
                here
            })
            .unwrap_or(false);
        if was_composing {
            self.land_ready(state);
        }
    }

    /// For a view of `block`: when the view goes while an IME composes in it, no
    /// `compositionend` comes, and its `focusout` may fire outside the page, so what waited for
    /// the composition lands after the view is gone.
    pub fn end_composition_when_removed(self, state: EditorState, block: &BlockId) {
        let block = block.clone();
        on_cleanup(move || {
            let composing_here = self
                .0
                .try_with_value(|line| line.composing.as_ref() == Some(&block))
                .unwrap_or(false);
            if composing_here {
                set_timeout(
                    move || self.composition_ended(state, &block),
                    std::time::Duration::ZERO,
                );
            }
        });
    }

    /// Whether an IME is composing in an element that still has focus.
    fn composing(self) -> bool {
        let composing = self
            .0
            .try_with_value(|line| line.composing.clone())
            .flatten();
        composing.is_some_and(|block| focused_text().is_some_and(|(focused, _)| focused == block))
    }

    /// Lands the first paste in line if it is ready. The next one waits for the following
    /// frame, when the caret this one placed is in the page and tells where the author is.
    fn land_ready(self, state: EditorState) {
        self.land_first(state);
        self.update_waiting();
    }

    fn land_first(self, state: EditorState) {
        if self.composing() {
            self.retry_later(state);
            return;
        }
        let post = (state.draft_id(), state.generation.get_untracked());
        let mut dropped = false;
        let next = self
            .0
            .try_update_value(|line| {
                if line.landing_scheduled {
                    return None;
                }
                // Pastes made in a post that is no longer open are not added (nor waited for).
                while line.waiting.front().is_some_and(|w| w.spot.post != post) {
                    line.waiting.pop_front();
                    dropped = true;
                }
                let ready = line.waiting.front()?.blocks.is_some();
                let next = if ready {
                    line.waiting.pop_front()
                } else {
                    None
                };
                line.landing_scheduled =
                    next.is_some() && line.waiting.front().is_some_and(|w| w.blocks.is_some());
                next.map(|waiting| (waiting, line.last.take()))
            })
            .flatten();
        if dropped {
            state.message.set(Some(messages::problem(
                state.lang.get_untracked(),
                &Problem::PasteNotAdded,
            )));
        }
        let Some((
            Waiting {
                ticket,
                spot,
                blocks: Some(blocks),
            },
            last,
        )) = next
        else {
            return;
        };
        let follows = last.filter(|last| last.origin == spot.block && ticket < last.before_ticket);
        let origin = spot.block.clone();
        let landed = land(state, spot, blocks, follows);
        self.0.update_value(|line| {
            line.last = landed.map(|(caret, content)| Landed {
                origin,
                caret,
                content,
                before_ticket: line.next_ticket,
            });
        });
        let more = self.0.try_with_value(|line| line.landing_scheduled);
        if more == Some(true) {
            request_animation_frame(move || {
                if self
                    .0
                    .try_update_value(|line| line.landing_scheduled = false)
                    .is_some()
                {
                    self.land_ready(state);
                }
            });
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
    focused_text().is_some_and(|(focused, _)| &focused == block)
}

/// The author's caret in `block`, if they are there; else the block's end.
fn caret_or_end(
    state: EditorState,
    block: &BlockId,
    content: &BlockContent,
    author_here: bool,
) -> (usize, usize) {
    let caret = focused_text()
        .filter(|(focused, _)| author_here && focused == block)
        .and_then(|(_, element)| selection_in_text(state, block, &element));
    let length = content.rich_text().map_or(0, |text| text.len());
    caret.unwrap_or((length, length))
}

/// Puts a paste's blocks in place as one undo step. Returns where it left the caret and the
/// content of that caret's block.
fn land(
    state: EditorState,
    spot: Spot,
    blocks: Vec<BlockContent>,
    follows: Option<Landed>,
) -> Option<(Caret, Option<BlockContent>)> {
    if blocks.is_empty() {
        return follows.map(|last| (last.caret, last.content));
    }
    // Where it goes: where it was made if nothing changed there since; after the paste made
    // before it there, if that one changed the block; else at the author's caret in the
    // block, or at the block's end.
    let target = match state.content(&spot.block) {
        Some(content) if Some(&content) == spot.before.as_ref() => {
            Some((spot.block.clone(), spot.selection, author_in(&spot.block)))
        }
        _ => match follows {
            Some(last) => state.content(&last.caret.block).map(|content| {
                let block = last.caret.block;
                let here = author_in(&block);
                let selection = if content.rich_text().is_none() || here {
                    caret_or_end(state, &block, &content, here)
                } else if Some(&content) == last.content.as_ref() {
                    (last.caret.offset, last.caret.offset)
                } else {
                    caret_or_end(state, &block, &content, false)
                };
                (block, selection, here)
            }),
            None => state.content(&spot.block).map(|content| {
                let here = author_in(&spot.block);
                let selection = caret_or_end(state, &spot.block, &content, here);
                (spot.block.clone(), selection, here)
            }),
        },
    };
    let mut landed = None;
    let mut record = |keep_caret: bool, mut applied: crate::edit::Applied| {
        landed = applied.caret.clone();
        // The author has gone elsewhere: the paste lands without taking the caret there.
        if !keep_caret {
            applied.caret = None;
        }
        applied
    };
    match target {
        Some((block, (start, end), keep_caret)) => {
            state.run(None, |editor, now| {
                editor.seal_history();
                editor
                    .paste(&block, start, end, blocks, now)
                    .map(|applied| record(keep_caret, applied))
            });
        }
        None => {
            // Its block was removed meanwhile: the paste goes after the last block, not lost.
            let keep_caret = author_in(&spot.block);
            state.run(None, |editor, now| {
                editor.seal_history();
                editor
                    .insert_at(usize::MAX, blocks, now)
                    .map(|applied| record(keep_caret, applied))
            });
        }
    }
    let caret = landed?;
    let content = state.content(&caret.block);
    Some((caret, content))
}
