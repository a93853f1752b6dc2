//! The editable element of a text block: typing, IME composition, keys, shortcuts and paste
//! (browser-only).
//!
//! The element is the source of truth while the author types: each input is read back into
//! inline text and recorded; the element is re-rendered only when the change came from
//! elsewhere (undo, split, formatting). During IME composition nothing is recorded: the
//! committed text lands once, at `compositionend`.

use super::format_toolbar::{format_shortcut, FormatTarget};
use super::list_block;
use super::paste_line::{PasteLine, Spot};
use super::state::{focus_later, text_element_id, use_editor_state, EditorState, MenuState};
use crate::browser::dom;
use crate::codec::inline_html;
use crate::edit::shortcuts::{block_shortcut, inline_shortcut};
use crate::edit::{with_text, Caret, OpError};
use crate::i18n::Key;
use crate::model::{BlockContent, BlockId, BlockKind, LinkCard, Mark, Paragraph, RichText};
use crate::sanitize;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

fn element_of(id: &BlockId) -> Option<web_sys::HtmlElement> {
    dom::element_by_id(&text_element_id(id))
}

fn current(editor: &crate::edit::Editor, id: &BlockId) -> Result<BlockContent, OpError> {
    editor
        .block(id)
        .map(|block| block.content.clone())
        .ok_or_else(|| OpError::NoSuchBlock(id.clone()))
}

/// After `**bold**` turns bold, the next characters typed right after it are plain: the browser
/// would continue the bold element, so the mark is taken off them (block, offset, mark).
#[derive(Clone, Copy)]
struct ExitMark(StoredValue<Option<(BlockId, usize, Mark)>>);

fn take_exit_mark(id: &BlockId, text: RichText, caret: Option<usize>) -> (RichText, bool) {
    let Some(ExitMark(pending)) = use_context::<ExitMark>() else {
        return (text, false);
    };
    let Some((block, at, mark)) = pending.get_value() else {
        return (text, false);
    };
    pending.set_value(None);
    match caret {
        Some(caret) if &block == id && caret > at && text.has_mark(at, caret, mark) => {
            let plain = text.map_marks(at, caret, |marks| *marks = marks.clone().with(mark, false));
            (plain, true)
        }
        _ => (text, false),
    }
}

/// Provides the pending exit mark shared by all text blocks.
pub fn provide_exit_mark() {
    provide_context(ExitMark(StoredValue::new(None)));
}

/// Reads the element back into the block and records it as typing; then applies Markdown
/// shortcuts (only when text was `inserted`: deleting back to `` `b` `` formats nothing) and
/// keeps the slash menu's filter in step.
fn commit(state: EditorState, id: &BlockId, caret_before: Option<usize>, inserted: bool) {
    if let Some(element) = element_of(id) {
        commit_from(state, id, &element, CaretBefore::At(caret_before), inserted);
    }
}

/// Where the caret was before an edit, for its undo step.
#[derive(Clone, Copy, PartialEq)]
enum CaretBefore {
    At(Option<usize>),
    /// This many chars before the caret after the edit: typed text goes where the selection
    /// starts, so a character key needs no measuring at `keydown`.
    Back(usize),
}

/// [`commit`] when the element is at hand (the event's target). Returns the caret before the
/// edit, as recorded.
fn commit_from(
    state: EditorState,
    id: &BlockId,
    element: &web_sys::HtmlElement,
    caret_before: CaretBefore,
    inserted: bool,
) -> Option<usize> {
    let html = element.inner_html();
    let text = inline_html::from_html(&html);
    let caret = dom::selection_end(element, &html, text.len());
    let caret_before = match caret_before {
        CaretBefore::At(offset) => offset,
        CaretBefore::Back(chars) => caret.and_then(|caret| caret.checked_sub(chars)),
    };
    let (text, rewrite) = take_exit_mark(id, text, caret);
    if rewrite {
        element.set_inner_html(&inline_html::to_editable_html(&text));
        if let Some(caret) = caret {
            dom::place_caret(element, caret);
        }
    }
    let typed = text.clone();
    state.run(Some(id), |editor, now| {
        let updated = with_text(&current(editor, id)?, typed);
        editor.edit_text(id, updated, caret_before, caret, now)
    });
    follow_slash_menu(state, id, &text);
    if let Some(caret) = caret.filter(|_| inserted) {
        apply_typed_shortcuts(state, id, &text, caret);
    }
    caret_before
}

/// Markdown shortcuts for text just typed, the caret after it.
fn apply_typed_shortcuts(state: EditorState, id: &BlockId, text: &RichText, caret: usize) {
    let is_paragraph = state
        .with_content(id, |content| matches!(content, BlockContent::Paragraph(_)))
        .unwrap_or(false);
    if is_paragraph {
        if let Some(converted) = block_shortcut(text, caret) {
            apply_shortcut(state, id, converted, caret, 0);
            return;
        }
    }
    let formats_inline = state
        .with_content(id, |content| {
            matches!(
                content,
                BlockContent::Paragraph(_)
                    | BlockContent::Heading(_)
                    | BlockContent::Quote(_)
                    | BlockContent::Bubble(_)
            )
        })
        .unwrap_or(false);
    if formats_inline {
        if let Some((formatted, new_caret)) = inline_shortcut(text, caret) {
            let mark = formatted.runs().iter().find_map(|run| {
                [Mark::Bold, Mark::Code]
                    .into_iter()
                    .find(|mark| mark.is_set(&run.marks) && !text.has_mark(0, text.len(), *mark))
            });
            let content = state
                .content(id)
                .map(|content| with_text(&content, formatted));
            if let Some(content) = content {
                apply_shortcut(state, id, content, caret, new_caret);
                if let (Some(mark), Some(ExitMark(pending))) = (mark, use_context::<ExitMark>()) {
                    pending.set_value(Some((id.clone(), new_caret, mark)));
                }
            }
        }
    }
}

/// A shortcut is its own undo step, so one undo brings back the typed characters, with the
/// caret after them.
fn apply_shortcut(
    state: EditorState,
    id: &BlockId,
    content: BlockContent,
    typed_at: usize,
    caret: usize,
) {
    state.run(None, |editor, now| {
        editor.apply_shortcut(id, content, typed_at, caret, now)
    });
}

/// The slash menu follows the text: `/filter` filters it; anything else closes it.
fn follow_slash_menu(state: EditorState, id: &BlockId, text: &RichText) {
    let Some(menu) = state.menu.get_untracked() else {
        return;
    };
    if &menu.block != id || !menu.slash {
        return;
    }
    let plain = text.to_plain();
    match plain.strip_prefix('/') {
        Some(filter) if !filter.contains('\n') => {
            if filter != menu.filter {
                state.menu.set(Some(MenuState {
                    filter: filter.to_owned(),
                    active: 0,
                    ..menu
                }));
            }
        }
        _ => state.menu.set(None),
    }
}

fn focus_neighbour(state: EditorState, id: &BlockId, delta: isize, at_end: bool) -> bool {
    let order = state.order.get_untracked();
    let Some(index) = order.iter().position(|other| other == id) else {
        return false;
    };
    let target = index as isize + delta;
    if target < 0 || target as usize >= order.len() {
        return false;
    }
    let neighbour = order[target as usize].clone();
    let offset = if at_end {
        state
            .content(&neighbour)
            .and_then(|content| content.rich_text())
            .map(|text| text.len())
            .unwrap_or(0)
    } else {
        0
    };
    focus_later(
        state,
        Caret {
            block: neighbour,
            offset,
        },
    );
    true
}

/// Keys shared by every block: moving, duplicating, undo is handled by the app.
/// Returns true when the key was used.
/// `key` is the event's key, read once by the caller.
pub fn block_shortcut_key(
    state: EditorState,
    id: &BlockId,
    ev: &web_sys::KeyboardEvent,
    key: &str,
) -> bool {
    let modifier = ev.ctrl_key() || ev.meta_key();
    match key {
        "ArrowUp" | "ArrowDown" if ev.alt_key() && ev.shift_key() => {
            let delta = if key == "ArrowUp" { -1 } else { 1 };
            state.run(None, |editor, now| editor.move_by(id, delta, now));
            keep_focus(state, id);
            true
        }
        "d" | "D" if modifier && !ev.shift_key() && !ev.alt_key() => {
            state.run(None, |editor, now| editor.duplicate(id, now));
            true
        }
        _ => false,
    }
}

/// After a move the block's element is re-inserted; put the caret back where it was.
fn keep_focus(state: EditorState, id: &BlockId) {
    let caret = element_of(id)
        .and_then(|element| dom::selection_offsets(&element))
        .map(|(start, _)| start)
        .unwrap_or(0);
    focus_later(
        state,
        Caret {
            block: id.clone(),
            offset: caret,
        },
    );
}

/// Menu keys while the slash menu is open in this block. Returns true when used.
fn slash_menu_key(state: EditorState, id: &BlockId, key: &str) -> bool {
    let Some(menu) = state.menu.get_untracked().filter(|menu| &menu.block == id) else {
        return false;
    };
    let count = menu.options().len();
    match key {
        "ArrowDown" | "ArrowUp" if count > 0 => {
            let step = if key == "ArrowDown" { 1 } else { count - 1 };
            state.menu.set(Some(MenuState {
                active: (menu.active + step) % count,
                ..menu
            }));
            true
        }
        "Enter" | "Tab" => match menu.options().get(menu.active).copied() {
            Some(kind) => {
                super::insert_menu::choose(state, &menu, kind);
                true
            }
            // Nothing matches (`/etc/hosts`): the text was not a command; the key does its
            // usual work.
            None => {
                state.menu.set(None);
                false
            }
        },
        "Escape" => {
            state.menu.set(None);
            true
        }
        _ => false,
    }
}

/// The six listeners of every text field (text blocks and list items), held once by the block
/// list: a 10,000-block post would otherwise build 60,000 closures or more as it opens. Each
/// finds its field from the event's target; list items go on to `list_block`.
#[derive(Clone, Copy)]
pub struct TextEvents {
    state: EditorState,
    // Taken once: handlers may run where a block's context is gone (a removed block).
    line: PasteLine,
    typing: StoredValue<Typing>,
}

/// What the last key in a text field left for its `input`. One block is typed in at a time, so
/// one record serves them all; it belongs to the block it names.
#[derive(Default)]
struct Typing {
    block: Option<BlockId>,
    /// Where the caret was before the edit the next `input` records.
    caret_before: Option<usize>,
    /// Set by a character key, whose caret before is worked out at `input`.
    character_key: bool,
}

/// The text field an event happened in: a text block's element or a list item's.
enum Field {
    Text(BlockId, web_sys::HtmlElement),
    Item(BlockId, usize, web_sys::HtmlElement),
}

fn field_of(ev: &web_sys::Event) -> Option<Field> {
    let target = ev.target()?;
    let element = target
        .dyn_ref::<web_sys::Element>()?
        .closest(".ts-text")
        .ok()??;
    let block = BlockId(element.get_attribute("data-block")?);
    let item = element.get_attribute("data-item");
    let element = element.dyn_into().ok()?;
    match item {
        Some(item) => Some(Field::Item(block, item.parse().ok()?, element)),
        None => Some(Field::Text(block, element)),
    }
}

fn is_code(state: EditorState, id: &BlockId) -> bool {
    state
        .with_content(id, |content| matches!(content, BlockContent::Code(_)))
        .unwrap_or(false)
}

impl TextEvents {
    pub fn new(state: EditorState) -> TextEvents {
        TextEvents {
            state,
            line: PasteLine::get(),
            typing: StoredValue::new(Typing::default()),
        }
    }

    pub(super) fn state(self) -> EditorState {
        self.state
    }

    pub(super) fn line(self) -> PasteLine {
        self.line
    }

    pub(super) fn caret_before(self, id: &BlockId) -> Option<usize> {
        self.typing.with_value(|typing| {
            typing
                .caret_before
                .filter(|_| typing.block.as_ref() == Some(id))
        })
    }

    /// Changes the record for `id`, starting a fresh one if it was another block's.
    fn update_typing(self, id: &BlockId, change: impl FnOnce(&mut Typing)) {
        self.typing.update_value(|typing| {
            if typing.block.as_ref() != Some(id) {
                *typing = Typing {
                    block: Some(id.clone()),
                    ..Typing::default()
                };
            }
            change(typing);
        });
    }

    pub(super) fn set_caret_before(self, id: &BlockId, caret: Option<usize>) {
        self.update_typing(id, |typing| typing.caret_before = caret);
    }

    fn set_character_key(self, id: &BlockId, is_character: bool) {
        self.update_typing(id, |typing| typing.character_key = is_character);
    }

    /// Whether the last key in `id` was a character key; reading it clears it.
    fn take_character_key(self, id: &BlockId) -> bool {
        self.typing
            .try_update_value(|typing| {
                let was = typing.character_key && typing.block.as_ref() == Some(id);
                typing.character_key = false;
                was
            })
            .unwrap_or(false)
    }

    pub fn input(self, ev: web_sys::Event) {
        let (id, element) = match field_of(&ev) {
            Some(Field::Text(id, element)) => (id, element),
            Some(Field::Item(id, item, _)) => return list_block::item_input(self, &id, item, &ev),
            None => return,
        };
        let state = self.state;
        let composing = ev
            .dyn_ref::<web_sys::InputEvent>()
            .is_some_and(|input| input.is_composing());
        if !composing {
            let input = ev.dyn_ref::<web_sys::InputEvent>();
            let input_type = input.map(web_sys::InputEvent::input_type);
            let inserted = input_type
                .as_deref()
                .is_none_or(|input_type| input_type.starts_with("insert"));
            let before = if self.take_character_key(&id) {
                match input.and_then(web_sys::InputEvent::data) {
                    Some(data) if input_type.as_deref() == Some("insertText") => {
                        CaretBefore::Back(data.chars().count())
                    }
                    _ => CaretBefore::At(None),
                }
            } else {
                CaretBefore::At(self.caret_before(&id))
            };
            let recorded = commit_from(state, &id, &element, before, inserted);
            // As a key measured at keydown would have left it, for an input no key
            // announces (a spelling fix, a drop).
            if matches!(before, CaretBefore::Back(_)) {
                self.set_caret_before(&id, recorded);
            }
        }
    }

    pub fn composition_start(self, ev: web_sys::CompositionEvent) {
        let Some(field) = field_of(&ev) else {
            return;
        };
        let (Field::Text(id, element) | Field::Item(id, _, element)) = field;
        // The keys of a composition are skipped below, so the caret the undo step returns to
        // is taken here.
        self.set_caret_before(
            &id,
            dom::selection_offsets(&element).map(|(start, _)| start),
        );
        self.line.composition_started(&id);
    }

    pub fn composition_end(self, ev: web_sys::CompositionEvent) {
        let (id, element) = match field_of(&ev) {
            Some(Field::Text(id, element)) => (id, element),
            Some(Field::Item(id, item, _)) => {
                return list_block::item_composition_end(self, &id, item)
            }
            None => return,
        };
        // A composition may delete (some phone keyboards compose while deleting).
        let inserted = ev.data().is_some_and(|data| !data.is_empty());
        commit_from(
            self.state,
            &id,
            &element,
            CaretBefore::At(self.caret_before(&id)),
            inserted,
        );
        self.line.composition_ended(self.state, &id);
    }

    /// Leaving the block ends a composition, even one whose `compositionend` never came.
    pub fn focus_out(self, ev: web_sys::FocusEvent) {
        if let Some(Field::Text(id, _) | Field::Item(id, _, _)) = field_of(&ev) {
            self.line.composition_ended(self.state, &id);
        }
    }

    pub fn keydown(self, ev: web_sys::KeyboardEvent) {
        // While an IME composes, every key belongs to it.
        if ev.is_composing() || ev.key_code() == 229 {
            return;
        }
        let (id, element) = match field_of(&ev) {
            Some(Field::Text(id, element)) => (id, element),
            Some(Field::Item(id, item, element)) => {
                return list_block::item_keydown(self, &id, item, &element, &ev)
            }
            None => return,
        };
        let state = self.state;
        let key = ev.key();
        if slash_menu_key(state, &id, &key) || block_shortcut_key(state, &id, &ev, &key) {
            ev.prevent_default();
            return;
        }
        let modifier = ev.ctrl_key() || ev.meta_key();
        // A character key types over the selection: its `input` knows the caret before.
        let is_character = !modifier && key.chars().count() == 1 && key != "/";
        self.set_character_key(&id, is_character);
        if is_character {
            return;
        }
        let offsets = dom::selection_offsets(&element);
        self.set_caret_before(&id, offsets.map(|(start, _)| start));
        let (start, end) = offsets.unwrap_or((0, 0));
        // Most keys type a character and need neither the text nor its length.
        let text = || state.with_content(&id, BlockContent::rich_text).flatten();
        let length = || state.with_content(&id, BlockContent::text_len).unwrap_or(0);
        if modifier && !is_code(state, &id) {
            if let Some(action) = format_shortcut(&ev) {
                ev.prevent_default();
                commit(state, &id, None, false);
                let target = FormatTarget {
                    block: id.clone(),
                    start,
                    end,
                };
                super::format_toolbar::apply(state, &target, action);
                return;
            }
        }
        match key.as_str() {
            "/" if !modifier && length() == 0 => {
                state.menu.set(Some(MenuState {
                    block: id.clone(),
                    slash: true,
                    filter: String::new(),
                    active: 0,
                }));
            }
            "Enter" if is_code(state, &id) && !modifier => {
                // In code, Enter is a new line; Ctrl/Cmd+Enter leaves the block.
            }
            "Enter"
                if !ev.shift_key()
                    && !ev.alt_key()
                    && start == length()
                    && state.settings.get_untracked().urls_become_cards
                    && state
                        .with_content(&id, |content| matches!(content, BlockContent::Paragraph(_)))
                        .unwrap_or(false)
                    && text().is_some_and(|text| sanitize::is_bare_url(&text.to_plain())) =>
            {
                // A URL typed alone in a paragraph becomes a card, like a pasted one.
                ev.prevent_default();
                let url = text().map(|text| text.to_plain()).unwrap_or_default();
                turn_into_card(state, &id, url.trim());
            }
            "Enter" if !ev.shift_key() && !ev.alt_key() => {
                ev.prevent_default();
                state.run(None, move |editor, now| {
                    if start != end {
                        let content = current(editor, &id)?;
                        if let Some(text) = content.rich_text() {
                            let mut kept = text.slice(0, start);
                            kept.append(&text.slice(end, usize::MAX));
                            editor.edit_text(&id, with_text(&content, kept), None, None, now)?;
                        }
                    }
                    editor.split(&id, start, now)
                });
            }
            "Enter" if ev.shift_key() && !modifier => {
                // A line break inside the block, as one recorded edit.
                ev.prevent_default();
                let Some(text) = text() else { return };
                let broken = text.replace(start, end, "\n", text.marks_at(start));
                let applied = state.run(None, |editor, now| {
                    let content = with_text(&current(editor, &id)?, broken);
                    editor.edit_text(&id, content, Some(start), Some(start + 1), now)
                });
                if applied.is_some() {
                    focus_later(
                        state,
                        Caret {
                            block: id.clone(),
                            offset: start + 1,
                        },
                    );
                }
            }
            "Backspace" if start == 0 && end == 0 && !modifier => {
                let merged = state
                    .run_optional(move |editor, now| editor.merge_with_previous(&id, now))
                    .is_some();
                if merged {
                    ev.prevent_default();
                }
            }
            "Delete" if !modifier && start == end && start == length() => {
                let merged = state
                    .run_optional(move |editor, now| editor.merge_next(&id, now))
                    .is_some();
                if merged {
                    ev.prevent_default();
                }
            }
            "ArrowLeft"
                if start == 0
                    && end == 0
                    && !ev.shift_key()
                    && !ev.alt_key()
                    && focus_neighbour(state, &id, -1, true) =>
            {
                ev.prevent_default();
            }
            "ArrowUp"
                if start == end
                    && !ev.shift_key()
                    && !ev.alt_key()
                    && (start == 0 || dom::caret_on_edge_line(&element, true))
                    && focus_neighbour(state, &id, -1, true) =>
            {
                ev.prevent_default();
            }
            "ArrowRight"
                if start == end
                    && start == length()
                    && !ev.shift_key()
                    && !ev.alt_key()
                    && focus_neighbour(state, &id, 1, false) =>
            {
                ev.prevent_default();
            }
            "ArrowDown"
                if start == end
                    && !ev.shift_key()
                    && !ev.alt_key()
                    && (start == length() || dom::caret_on_edge_line(&element, false))
                    && focus_neighbour(state, &id, 1, false) =>
            {
                ev.prevent_default();
            }
            _ => {}
        }
    }

    pub fn paste(self, ev: web_sys::ClipboardEvent) {
        let (id, element) = match field_of(&ev) {
            Some(Field::Text(id, element)) => (id, element),
            Some(Field::Item(id, item, element)) => {
                return list_block::item_paste(self, &id, item, &element, &ev)
            }
            None => return,
        };
        let state = self.state;
        let Some(data) = ev.clipboard_data() else {
            return;
        };
        ev.prevent_default();
        let html = data.get_data("text/html").unwrap_or_default();
        let plain = data.get_data("text/plain").unwrap_or_default();
        let (start, end) = dom::selection_offsets(&element).unwrap_or((0, 0));
        // Anything typed but not yet recorded goes in first, so the paste is one clean step.
        commit(state, &id, None, false);
        let is_empty_paragraph = matches!(
            state.content(&id),
            Some(BlockContent::Paragraph(ref paragraph)) if paragraph.text.is_empty()
        );
        if is_empty_paragraph && sanitize::is_bare_url(&plain) {
            paste_url(state, &id, plain.trim());
            return;
        }
        let spot = Spot::here(state, &id, (start, end));
        if is_code(state, &id) {
            let blocks = vec![BlockContent::Paragraph(Paragraph {
                text: RichText::plain(&plain),
                ..Default::default()
            })];
            return self.line.add(state, spot, blocks);
        }
        self.line.paste(state, spot, html, plain);
    }
}

/// A text block's element. Its listeners are on the block list ([`TextEvents`]); the slash
/// menu points it at the menu while open (`aria-controls`, `aria-activedescendant`).
#[component]
pub fn TextBlock(id: BlockId, label: Key) -> impl IntoView {
    let state = use_editor_state();
    // Set once: later changes from outside are written by `EditorState::reflect`, because the
    // element's content is the author's while typing and must never be diffed against.
    let html = state
        .content(&id)
        .and_then(|content| content.rich_text())
        .map(|text| inline_html::to_editable_html(&text))
        .unwrap_or_default();
    let placeholder = move || {
        if label == Key::Paragraph {
            state.t(Key::ParagraphPlaceholder)
        } else {
            state.t(label)
        }
    };
    PasteLine::get().end_composition_when_removed(state, &id);
    view! {
        <div
            id=text_element_id(&id)
            data-block=id.to_string()
            class="ts-text"
            class=("ts-text--heading", label == Key::Heading)
            class=("ts-text--quote", label == Key::Quote)
            class=("ts-text--code", label == Key::Code)
            class=("ts-text--bubble", label == Key::BubbleText)
            contenteditable=move || if state.is_read_only() { "false" } else { "true" }
            spellcheck=if is_code(state, &id) { "false" } else { "true" }
            role="textbox"
            aria-multiline="true"
            aria-label=move || state.t(label)
            data-placeholder=placeholder
            inner_html=html
        ></div>
    }
}

/// A bare URL pasted into an empty paragraph: first the link (so one undo brings it back),
/// then, by default, the link card.
pub fn paste_url(state: EditorState, id: &BlockId, url: &str) {
    let linked = RichText::plain(url).set_link(0, url.chars().count(), Some(url));
    state.run(None, |editor, now| {
        let content = with_text(&current(editor, id)?, linked);
        editor.seal_history();
        editor.update_block(id, content, None, now)
    });
    if state.settings.get_untracked().urls_become_cards {
        turn_into_card(state, id, url);
    }
}

pub fn turn_into_card(state: EditorState, id: &BlockId, url: &str) {
    let card = BlockContent::LinkCard(LinkCard {
        url: url.to_owned(),
        ..Default::default()
    });
    state.run(None, |editor, now| {
        editor.seal_history();
        editor.update_block(id, card, None, now)
    });
    super::card_block::fetch_metadata_if_enabled(state, id.clone());
}

/// The kind a text block offers in its "Block type" choice.
pub fn convertible_kinds() -> [BlockKind; 5] {
    [
        BlockKind::Paragraph,
        BlockKind::Heading,
        BlockKind::Quote,
        BlockKind::List,
        BlockKind::NumberedList,
    ]
}
