//! One block in the list: its actions and the editor for its kind (browser-only).

use super::state::use_editor_state;
use super::text_block::TextBlock;
use crate::model::{BlockContent, BlockId};
use leptos::prelude::*;

/// Which editor a block gets; re-rendering happens only when this changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum View {
    Text(&'static str),
    Divider,
    Unknown,
}

fn view_for(content: &BlockContent) -> View {
    match content {
        BlockContent::Paragraph(_) => View::Text("Paragraph"),
        BlockContent::Heading(_) => View::Text("Heading"),
        BlockContent::Quote(_) => View::Text("Quote"),
        BlockContent::List(_) => View::Text("List item"),
        BlockContent::Code(_) => View::Text("Code"),
        BlockContent::Bubble(_) => View::Text("Bubble text"),
        BlockContent::Divider(_) => View::Divider,
        BlockContent::Image(_) | BlockContent::LinkCard(_) | BlockContent::Unknown(_) => {
            View::Unknown
        }
    }
}

#[component]
pub fn BlockView(id: BlockId) -> impl IntoView {
    let state = use_editor_state();
    let revision = state.revision(&id);
    let view_kind = {
        let id = id.clone();
        Memo::new(move |_| {
            revision.track();
            state.content(&id).as_ref().map(view_for)
        })
    };
    let body = {
        let id = id.clone();
        move || {
            let id = id.clone();
            match view_kind.get() {
                Some(View::Text(label)) => view! { <TextBlock id label /> }.into_any(),
                Some(View::Divider) => {
                    view! { <hr class="ts-divider" aria-label="Divider" /> }.into_any()
                }
                Some(View::Unknown) => {
                    let described = state
                        .content(&id)
                        .map(|content| match content {
                            BlockContent::Unknown(unknown) => format!(
                                "A “{}” block from another version of Tsuzuri. It is kept as it is.",
                                unknown.type_name
                            ),
                            other => other.plain_text(),
                        })
                        .unwrap_or_default();
                    view! { <div class="ts-unknown">{described}</div> }.into_any()
                }
                None => ().into_any(),
            }
        }
    };
    let delete = {
        let id = id.clone();
        move |_| {
            state.run(None, |editor, now| editor.remove(&id, now));
        }
    };
    view! {
        <div class="ts-block" id=format!("block-{id}") tabindex="-1">
            <div class="ts-block__body">{body}</div>
            <div class="ts-block__actions">
                <button
                    type="button"
                    class="ts-icon"
                    aria-label="Delete block"
                    title="Delete block"
                    on:click=delete
                >
                    "🗑"
                </button>
            </div>
        </div>
    }
}
