//! One block in the list: its actions (insert, move, drag, duplicate, delete, change kind) and
//! the editor for its kind (browser-only).

use super::bubble_block::BubbleBlock;
use super::card_block::CardBlock;
use super::insert_menu::InsertMenu;
use super::list_block::ListBlock;
use super::media_blocks::{CodeLanguage, ImageBlock};
use super::state::{focus_later, use_editor_state, EditorState, MenuState};
use super::text_block::{convertible_kinds, TextBlock};
use super::IconButton;
use crate::edit::Caret;
use crate::i18n::{self, Key};
use crate::model::{BlockContent, BlockId, BlockKind, Heading};
use leptos::prelude::*;
use leptos::reactive::computed::Selector;
use wasm_bindgen::JsCast;

/// Which editor a block gets; the editor is rebuilt only when this changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum View {
    Text(Key),
    Code,
    List,
    Divider,
    Image,
    Card,
    Bubble,
    Unknown,
}

fn view_for(content: &BlockContent) -> View {
    match content {
        BlockContent::Paragraph(_) => View::Text(Key::Paragraph),
        BlockContent::Heading(_) => View::Text(Key::Heading),
        BlockContent::Quote(_) => View::Text(Key::Quote),
        BlockContent::List(_) => View::List,
        BlockContent::Code(_) => View::Code,
        BlockContent::Bubble(_) => View::Bubble,
        BlockContent::Divider(_) => View::Divider,
        BlockContent::Image(_) => View::Image,
        BlockContent::LinkCard(_) => View::Card,
        BlockContent::Unknown(_) => View::Unknown,
    }
}

/// What a block's chrome depends on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Shape {
    view: View,
    kind: Option<BlockKind>,
    level: Option<u8>,
}

/// Which blocks show their heavier controls (kind and level pickers): the focused one and the
/// hovered one. Selectors notify only the two blocks whose state changes, not every block.
#[derive(Clone)]
pub struct ActiveBlocks {
    pub focused: Selector<Option<BlockId>>,
    pub hovered: Selector<Option<BlockId>>,
    /// The block the insert menu belongs to: typing in the menu's filter touches that block only.
    pub menu: Selector<Option<BlockId>>,
    /// The block being dragged, and the one it would land before: a drag's start and each move
    /// of its target touch those blocks only, rather than every block looking for its place
    /// in the order (which made starting a drag at 10,000 blocks take 10 s).
    pub dragged: Selector<Option<BlockId>>,
    pub drop_before: Selector<Option<BlockId>>,
}

impl ActiveBlocks {
    pub fn new(state: EditorState, drag: DragState) -> ActiveBlocks {
        ActiveBlocks {
            dragged: Selector::new(move || drag.dragging.get()),
            drop_before: Selector::new(move || {
                drag.dragging.with(Option::is_some).then_some(())?;
                let index = drag.target.get()?;
                state.order.with(|order| order.get(index).cloned())
            }),
            focused: Selector::new(move || state.focused_block.get()),
            hovered: Selector::new(move || state.hovered_block.get()),
            menu: Selector::new(move || {
                state
                    .menu
                    .with(|menu| menu.as_ref().map(|menu| menu.block.clone()))
            }),
        }
    }
}

/// Drag-and-drop reordering shared by all blocks: which block is dragged, where it would land.
#[derive(Clone, Copy)]
pub struct DragState {
    pub dragging: RwSignal<Option<BlockId>>,
    pub target: RwSignal<Option<usize>>,
}

/// The index a pointer at `y` (viewport) would drop a block at: after every block whose middle
/// is above it. The blocks stand in order down the page, so a binary search measures a few of
/// them, not all (each measure may lay out a group that is out of view).
fn drop_index(y: f64) -> Option<usize> {
    let document = crate::browser::dom::document()?;
    let blocks = document.query_selector_all(".ts-blocks .ts-block").ok()?;
    let middle_above = |position: u32| {
        blocks
            .item(position)
            .and_then(|node| node.dyn_into::<web_sys::Element>().ok())
            .is_some_and(|element| {
                let rect = element.get_bounding_client_rect();
                y > rect.top() + rect.height() / 2.0
            })
    };
    let (mut low, mut high) = (0, blocks.length());
    while low < high {
        let middle = low + (high - low) / 2;
        if middle_above(middle) {
            low = middle + 1;
        } else {
            high = middle;
        }
    }
    Some(low as usize)
}

fn move_block(state: EditorState, id: &BlockId, delta: isize) {
    state.run(None, |editor, now| editor.move_by(id, delta, now));
    let id = id.clone();
    request_animation_frame(move || {
        if let Some(button) = crate::browser::dom::document().and_then(|document| {
            document
                .query_selector(&format!("#block-{id} .ts-drag"))
                .ok()
                .flatten()
        }) {
            if let Ok(button) = button.dyn_into::<web_sys::HtmlElement>() {
                let _ = button.focus();
            }
        }
    });
}

/// A quote's optional citation (who said it, or where it is from).
#[component]
fn CitationField(id: BlockId) -> impl IntoView {
    let state = use_editor_state();
    let revision = state.revision(&id);
    let stored_id = StoredValue::new(id);
    let citation = move || {
        revision.track();
        match state.content(&stored_id.get_value()) {
            Some(BlockContent::Quote(quote)) => quote.citation,
            _ => String::new(),
        }
    };
    let set_citation = move |value: String| {
        let id = stored_id.get_value();
        if let Some(BlockContent::Quote(quote)) = state.content(&id) {
            let content = BlockContent::Quote(crate::model::Quote {
                citation: value,
                ..quote
            });
            state.run(Some(&id), |editor, now| {
                editor.update_block(&id, content, Some("citation"), now)
            });
        }
    };
    view! {
        <input
            type="text"
            class="ts-input ts-quote__citation"
            aria-label=state.tr(Key::Citation)
            placeholder=state.tr(Key::Citation)
            prop:value=citation
            readonly=move || state.is_read_only()
            on:input=move |ev| {
                if let Some(value) = super::settled_value(&ev) {
                    set_citation(value);
                }
            }
            on:compositionend=move |ev| set_citation(event_target_value(&ev))
            on:change=move |ev| set_citation(event_target_value(&ev))
        />
    }
}

#[component]
pub fn BlockView(id: BlockId) -> impl IntoView {
    let state = use_editor_state();
    let drag = expect_context::<DragState>();
    let active_blocks = expect_context::<ActiveBlocks>();
    let revision = state.revision(&id);
    let stored_id = StoredValue::new(id.clone());
    // One lookup per change for everything the chrome shows; the editor itself is rebuilt
    // only when its view changes.
    let shape = Memo::new(move |_| {
        revision.track();
        state.with_content(&stored_id.get_value(), |content| Shape {
            view: view_for(content),
            kind: content.kind(),
            level: match content {
                BlockContent::Heading(heading) => Some(heading.clamped_level()),
                _ => None,
            },
        })
    });
    let view_kind = Memo::new(move |_| shape.get().map(|shape| shape.view));
    let body = move || {
        let id = stored_id.get_value();
        match view_kind.get() {
            Some(View::Text(Key::Quote)) => view! {
                <div class="ts-quote">
                    <TextBlock id=id.clone() label=Key::Quote />
                    <CitationField id />
                </div>
            }
            .into_any(),
            Some(View::Text(label)) => view! { <TextBlock id label /> }.into_any(),
            Some(View::Code) => view! {
                <div class="ts-code">
                    <CodeLanguage id=id.clone() />
                    <TextBlock id label=Key::Code />
                </div>
            }
            .into_any(),
            Some(View::List) => view! { <ListBlock id /> }.into_any(),
            Some(View::Divider) => view! {
                <hr class="ts-divider" aria-label=state.tr(Key::Divider) />
            }
            .into_any(),
            Some(View::Image) => view! { <ImageBlock id /> }.into_any(),
            Some(View::Card) => view! { <CardBlock id /> }.into_any(),
            Some(View::Bubble) => view! { <BubbleBlock id /> }.into_any(),
            Some(View::Unknown) => {
                let described = match state.content(&id) {
                    Some(BlockContent::Unknown(unknown)) => crate::i18n::messages::problem(
                        state.lang.get_untracked(),
                        &crate::i18n::messages::Problem::UnknownBlock(unknown.type_name),
                    ),
                    _ => String::new(),
                };
                view! { <div class="ts-unknown">{described}</div> }.into_any()
            }
            None => ().into_any(),
        }
    };
    // Only the focused or hovered block builds its pickers; the others keep an empty slot of
    // the same size, so nothing moves and a large post carries far fewer elements.
    let active = {
        let key = Some(id.clone());
        Memo::new(move |_| {
            active_blocks.focused.selected(&key) || active_blocks.hovered.selected(&key)
        })
    };
    let kind = move || shape.get().and_then(|shape| shape.kind);
    let heading_level = move || shape.get().and_then(|shape| shape.level);
    let menu_here = {
        let key = Some(id.clone());
        Memo::new(move |_| active_blocks.menu.selected(&key))
    };
    let menu = move || {
        if menu_here.get() {
            state.menu.get()
        } else {
            None
        }
    };
    let block_class = {
        let key = Some(id.clone());
        move || match (
            active_blocks.dragged.selected(&key),
            active_blocks.drop_before.selected(&key),
        ) {
            (false, false) => "ts-block",
            (true, false) => "ts-block ts-block--dragged",
            (false, true) => "ts-block ts-block--drop-before",
            (true, true) => "ts-block ts-block--dragged ts-block--drop-before",
        }
    };
    let on_pointer_down = move |ev: web_sys::PointerEvent| {
        if ev.button() != 0 {
            return;
        }
        ev.prevent_default();
        if let Some(target) = ev
            .target()
            .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
        {
            let _ = target.set_pointer_capture(ev.pointer_id());
        }
        drag.dragging.set(Some(stored_id.get_value()));
        drag.target.set(drop_index(ev.client_y() as f64));
    };
    let on_pointer_move = move |ev: web_sys::PointerEvent| {
        if drag.dragging.get_untracked().is_some() {
            let target = drop_index(ev.client_y() as f64);
            if target != drag.target.get_untracked() {
                drag.target.set(target);
            }
        }
    };
    let on_pointer_up = move |_: web_sys::PointerEvent| {
        let (Some(id), Some(target)) = (drag.dragging.get_untracked(), drag.target.get_untracked())
        else {
            drag.dragging.set(None);
            return;
        };
        drag.dragging.set(None);
        drag.target.set(None);
        let order = state.order.get_untracked();
        let Some(from) = order.iter().position(|other| other == &id) else {
            return;
        };
        // Dropping below itself: the block's own removal shifts the slot up by one.
        let to = if target > from { target - 1 } else { target };
        if to != from {
            state.run(None, |editor, now| editor.move_to(&id, to, now));
        }
    };
    let on_handle_key = move |ev: web_sys::KeyboardEvent| match ev.key().as_str() {
        "ArrowUp" => {
            ev.prevent_default();
            move_block(state, &stored_id.get_value(), -1);
        }
        "ArrowDown" => {
            ev.prevent_default();
            move_block(state, &stored_id.get_value(), 1);
        }
        _ => {}
    };
    let on_block_type = move |ev: web_sys::Event| {
        let value = event_target_value(&ev);
        let Some(kind) = BlockKind::ALL
            .into_iter()
            .find(|kind| format!("{kind:?}") == value)
        else {
            return;
        };
        let id = stored_id.get_value();
        state.run_optional(|editor, now| editor.convert(&id, kind, now));
        focus_later(
            state,
            Caret {
                block: id,
                offset: 0,
            },
        );
    };
    let on_heading_level = move |ev: web_sys::Event| {
        let Ok(level) = event_target_value(&ev).parse::<u8>() else {
            return;
        };
        let id = stored_id.get_value();
        if let Some(BlockContent::Heading(heading)) = state.content(&id) {
            let content = BlockContent::Heading(Heading { level, ..heading });
            state.run(None, |editor, now| {
                editor.update_block(&id, content, None, now)
            });
        }
    };
    view! {
        <div
            class=block_class
            id=format!("block-{id}")
            tabindex="-1"
        >
            <div class="ts-block__gutter">
                {move || active.get().then(|| view! {
                <button
                    type="button"
                    class="ts-icon ts-drag"
                    aria-label=state.tr(Key::DragBlock)
                    title=state.tr(Key::DragBlock)
                    aria-roledescription="drag handle"
                    on:pointerdown=on_pointer_down
                    on:pointermove=on_pointer_move
                    on:pointerup=on_pointer_up
                    on:pointercancel=move |_| {
                        drag.dragging.set(None);
                        drag.target.set(None);
                    }
                    on:keydown=on_handle_key
                >
                    "⠿"
                </button>
                <button
                    type="button"
                    class="ts-icon"
                    aria-label=state.tr(Key::InsertBlock)
                    title=state.tr(Key::InsertBlock)
                    aria-haspopup="listbox"
                    aria-expanded=move || if menu().is_some() { "true" } else { "false" }
                    on:click=move |_| {
                        if menu().is_some() {
                            state.menu.set(None);
                        } else {
                            state
                                .menu
                                .set(
                                    Some(MenuState {
                                        block: stored_id.get_value(),
                                        slash: false,
                                        filter: String::new(),
                                        active: 0,
                                    }),
                                );
                        }
                    }
                >
                    "+"
                </button>
                })}
            </div>
            <div class="ts-block__body">
                {body}
                {move || menu().map(|menu| view! { <InsertMenu menu /> })}
            </div>
            <div class="ts-block__actions">
                {move || match (active.get(), kind().is_some_and(BlockKind::is_textual)) {
                    (_, false) => None,
                    (false, true) => Some(view! { <span class="ts-picker-slot" aria-hidden="true"></span> }.into_any()),
                    (true, true) => Some(view! {
                    <select
                        class="ts-select ts-select--small"
                        aria-label=state.tr(Key::BlockType)
                        on:change=on_block_type
                    >
                        {convertible_kinds()
                            .into_iter()
                            .map(|option| {
                                view! {
                                    <option
                                        value=format!("{option:?}")
                                        selected=move || kind() == Some(option)
                                    >
                                        {move || state.t(i18n::kind_key(option))}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                    }.into_any()),
                }}
                {move || match (active.get(), heading_level().is_some()) {
                    (_, false) => None,
                    (false, true) => Some(view! { <span class="ts-picker-slot ts-picker-slot--level" aria-hidden="true"></span> }.into_any()),
                    (true, true) => Some(view! {
                    <select
                        class="ts-select ts-select--small"
                        aria-label=state.tr(Key::HeadingLevel)
                        on:change=on_heading_level
                    >
                        {Heading::LEVELS
                            .into_iter()
                            .map(|level| {
                                view! {
                                    <option
                                        value=level.to_string()
                                        selected=move || heading_level() == Some(level)
                                    >
                                        {format!("H{level}")}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                    }.into_any()),
                }}
                {move || active.get().then(|| view! {
                <IconButton
                    label=state.tr(Key::MoveBlockUp)
                    glyph="↑"
                    on_click=move |_| move_block(state, &stored_id.get_value(), -1)
                />
                <IconButton
                    label=state.tr(Key::MoveBlockDown)
                    glyph="↓"
                    on_click=move |_| move_block(state, &stored_id.get_value(), 1)
                />
                <IconButton
                    label=state.tr(Key::DuplicateBlock)
                    glyph="⧉"
                    on_click=move |_| {
                    state.run(None, |editor, now| editor.duplicate(&stored_id.get_value(), now));
                }
                />
                <IconButton
                    label=state.tr(Key::DeleteBlock)
                    glyph="🗑"
                    on_click=move |_| {
                    state.run(None, |editor, now| editor.remove(&stored_id.get_value(), now));
                }
                />
                })}
            </div>
        </div>
    }
}
