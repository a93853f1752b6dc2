//! A speech bubble (吹き出し): the speaker's face and name beside a balloon of rich text, with
//! pickers for speaker, expression, side and balloon style (browser-only).

use super::state::{use_editor_state, EditorState};
use super::text_block::TextBlock;
use crate::i18n::Key;
use crate::model::{BalloonStyle, BlockContent, BlockId, Bubble, IconShape, Side, SpeakerLook};
use crate::sanitize;
use leptos::prelude::*;

fn bubble_of(state: EditorState, id: &BlockId) -> Option<Bubble> {
    match state.content(id) {
        Some(BlockContent::Bubble(bubble)) => Some(bubble),
        _ => None,
    }
}

fn update_bubble(state: EditorState, id: &BlockId, change: impl FnOnce(&mut Bubble)) {
    let Some(mut bubble) = bubble_of(state, id) else {
        return;
    };
    change(&mut bubble);
    state.run(None, |editor, now| {
        editor.update_block(id, BlockContent::Bubble(bubble), None, now)
    });
}

/// The icon: the face image, or the name's first letter when there is none or it fails to load
/// (a bare WordPress filename cannot load here).
#[component]
pub fn Face(look: Signal<SpeakerLook>) -> impl IntoView {
    // The face that failed to load: a new face gets its own chance, with no effect per bubble.
    let failed = RwSignal::new(None::<String>);
    let src = move || {
        let face = look.get().face;
        (failed.read().as_deref() != Some(face.as_str()))
            .then(|| sanitize::check_image_src(&face).ok())
            .flatten()
    };
    let initial = move || {
        look.get()
            .name
            .chars()
            .next()
            .map(String::from)
            .unwrap_or_else(|| "?".into())
    };
    let square = move || look.get().shape == IconShape::Square;
    let border = move || {
        look.get()
            .border
            .border_css()
            .map(|colour| format!("border-color:{colour}"))
            .unwrap_or_else(|| "border-color:transparent".into())
    };
    view! {
        <span class="ts-face" class=("ts-face--square", square) style=border>
            {move || match src() {
                Some(src) => view! {
                    <img class="ts-face__img" src=src alt="" on:error=move |_| failed.set(Some(look.get_untracked().face)) />
                }
                .into_any(),
                None => view! { <span class="ts-face__initial" aria-hidden="true">{initial}</span> }.into_any(),
            }}
        </span>
    }
}

#[component]
pub fn BubbleBlock(id: BlockId) -> impl IntoView {
    let state = use_editor_state();
    let revision = state.revision(&id);
    let stored_id = StoredValue::new(id.clone());
    let bubble = Memo::new(move |_| {
        revision.track();
        bubble_of(state, &stored_id.get_value()).unwrap_or_default()
    });
    // Read in place: the bubble's text is not copied for each of its looks.
    let look = Signal::derive(move || bubble.with(|bubble| bubble.speaker.clone()));
    let side = move || bubble.with(|bubble| bubble.side);
    let think = move || bubble.with(|bubble| bubble.style == BalloonStyle::Think);
    let balloon_style = move || {
        let look = look.get();
        let border = look.border.border_css().unwrap_or("#d5d5d5");
        format!(
            "--ts-balloon-border:{border};--ts-balloon-bg:{}",
            look.background.background_css()
        )
    };
    let speaker_id = move || look.with(|look| look.speaker_id.clone().unwrap_or_default());
    let expressions = move || {
        let id = speaker_id();
        state
            .speakers
            .get()
            .get(&id)
            .map(|speaker| speaker.expressions.clone())
            .unwrap_or_default()
    };
    let on_speaker = move |ev: web_sys::Event| {
        let chosen = event_target_value(&ev);
        let registry = state.speakers.get_untracked();
        update_bubble(state, &stored_id.get_value(), |bubble| {
            match registry.get(&chosen) {
                Some(speaker) => {
                    let label = speaker
                        .expressions
                        .first()
                        .map(|e| e.label.clone())
                        .unwrap_or_default();
                    bubble.speaker = speaker.look(&label);
                    bubble.side = speaker.side;
                }
                None => bubble.speaker.speaker_id = None,
            }
        });
    };
    let choose_expression = move |label: String| {
        let registry = state.speakers.get_untracked();
        update_bubble(state, &stored_id.get_value(), |bubble| {
            if let Some(speaker) = bubble
                .speaker
                .speaker_id
                .as_deref()
                .and_then(|id| registry.get(id))
            {
                bubble.speaker = speaker.look(&label);
            }
        });
    };
    let name_shown = move || look.with(|look| look.show_name && !look.name.is_empty());
    view! {
        <div class="ts-bubble" class=("ts-bubble--right", move || side() == Side::Right)>
            <div class="ts-bubble__speaker">
                <Face look />
                <Show when=name_shown>
                    <span class="ts-bubble__name">{move || look.get().name}</span>
                </Show>
            </div>
            <div
                class="ts-bubble__balloon"
                class=("ts-bubble__balloon--think", think)
                style=balloon_style
            >
                <TextBlock id=id label=Key::BubbleText />
            </div>
        </div>
        <div class="ts-bubble__controls">
            <label class="ts-field ts-field--inline">
                <span class="ts-field__label">{state.tr(Key::Speaker)}</span>
                <select
                    class="ts-select"
                    aria-label=state.tr(Key::Speaker)
                    on:change=on_speaker
                >
                    <option value="" selected=move || speaker_id().is_empty()>
                        {move || {
                            let name = look.get().name;
                            if name.is_empty() { state.t(Key::NoSpeaker).to_owned() } else { name }
                        }}
                    </option>
                    <For
                        each=move || state.speakers.get().speakers
                        key=|speaker| (speaker.id.clone(), speaker.name.clone())
                        children=move |speaker| {
                            let value = speaker.id.clone();
                            let selected = move || speaker_id() == value;
                            view! {
                                <option value=speaker.id.clone() selected=selected>
                                    {speaker.name.clone()}
                                </option>
                            }
                        }
                    />
                </select>
            </label>
            <label class="ts-field ts-field--inline">
                <span class="ts-field__label">{state.tr(Key::Expression)}</span>
                <select
                    class="ts-select"
                    aria-label=state.tr(Key::Expression)
                    disabled=move || expressions().is_empty()
                    on:change=move |ev| choose_expression(event_target_value(&ev))
                >
                    {move || {
                        let current = look.get().expression;
                        expressions()
                            .into_iter()
                            .map(|expression| {
                                let selected = expression.label == current;
                                view! {
                                    <option value=expression.label.clone() selected=selected>
                                        {expression.label.clone()}
                                    </option>
                                }
                            })
                            .collect_view()
                    }}
                </select>
            </label>
            <div class="ts-bubble__faces" role="group" aria-label=state.tr(Key::Expression)>
                {move || {
                    let current = look.get().expression;
                    let base = look.get();
                    expressions()
                        .into_iter()
                        .map(|expression| {
                            let label = expression.label.clone();
                            let pressed = if label == current { "true" } else { "false" };
                            let face_look = Signal::derive({
                                let base = base.clone();
                                let image = expression.image.clone();
                                move || SpeakerLook { face: image.clone(), ..base.clone() }
                            });
                            view! {
                                <button
                                    type="button"
                                    class="ts-bubble__face-choice"
                                    title=label.clone()
                                    aria-pressed=pressed
                                    on:click=move |_| choose_expression(label.clone())
                                >
                                    <Face look=face_look />
                                    <span class="ts-visually-hidden">{expression.label.clone()}</span>
                                </button>
                            }
                        })
                        .collect_view()
                }}
            </div>
            <button
                type="button"
                class="ts-button"
                aria-label=state.tr(Key::SwitchSide)
                on:click=move |_| update_bubble(state, &stored_id.get_value(), |bubble| bubble.side = bubble.side.flipped())
            >
                "⇄ "
                {state.tr(Key::SwitchSide)}
            </button>
            <label class="ts-field ts-field--inline">
                <span class="ts-field__label">{state.tr(Key::BalloonStyle)}</span>
                <select
                    class="ts-select"
                    aria-label=state.tr(Key::BalloonStyle)
                    on:change=move |ev| {
                        let style = if event_target_value(&ev) == "think" {
                            BalloonStyle::Think
                        } else {
                            BalloonStyle::Talk
                        };
                        update_bubble(state, &stored_id.get_value(), |bubble| bubble.style = style);
                    }
                >
                    <option value="talk" selected=move || !think()>{state.tr(Key::Talk)}</option>
                    <option value="think" selected=think>{state.tr(Key::Think)}</option>
                </select>
            </label>
        </div>
    }
}
