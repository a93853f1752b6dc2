//! The speaker registry dialog: add, edit, reorder and delete speakers and their expressions
//! (browser-only). Every change is stored at once and followed by the bubbles that use it.

use super::dialog::Dialog;
use super::state::{use_dialog_state, DialogState};
use crate::browser::image::downscale;
use crate::i18n::Key;
use crate::model::speakers::RegistryError;
use crate::model::{Expression, IconShape, Palette, Side, Speaker, SpeakerLook};
use crate::ui::ChooseFile;
use crate::ui::Face;
use leptos::prelude::*;

/// Faces are small: downscaled to this side and size.
const FACE_MAX_SIDE: u32 = 160;
const FACE_MAX_BYTES: usize = 96 * 1024;

fn new_speaker_id() -> String {
    format!("s{:x}", (js_sys::Math::random() * 1.0e15) as u64)
}

fn edit_speaker(state: DialogState, id: &str, change: impl FnOnce(&mut Speaker)) {
    state.update_speakers(|registry| {
        let mut speaker = registry
            .get(id)
            .cloned()
            .ok_or_else(|| RegistryError::NoSuchSpeaker(id.to_owned()))?;
        change(&mut speaker);
        registry.update(speaker)
    });
}

fn palette_select(
    state: DialogState,
    key: Key,
    current: impl Fn() -> Palette + Send + Sync + 'static + Copy,
    set: impl Fn(Palette) + Send + Sync + 'static + Copy,
) -> impl IntoView {
    view! {
        <label class="ts-field ts-field--inline">
            <span class="ts-field__label">{move || state.t(key)}</span>
            <select
                class="ts-select"
                aria-label=move || state.t(key)
                on:change=move |ev| {
                    if let Some(palette) = Palette::parse(&event_target_value(&ev)) {
                        set(palette);
                    }
                }
            >
                {Palette::ALL
                    .into_iter()
                    .map(|palette| {
                        view! {
                            <option value=palette.as_str() selected=move || current() == palette>
                                {palette.as_str()}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </label>
    }
}

#[component]
fn SpeakerEditor(id: String) -> impl IntoView {
    let state = use_dialog_state();
    let stored_id = StoredValue::new(id);
    let speaker = move || state.speakers.get().get(&stored_id.get_value()).cloned();
    let value =
        move |get: fn(&Speaker) -> String| move || speaker().map(|s| get(&s)).unwrap_or_default();
    let busy = RwSignal::new(false);
    let delete = move |_| {
        let id = stored_id.get_value();
        let uses = state.speaker_uses(&id);
        if uses > 0 {
            let confirmed = web_sys::window()
                .and_then(|window| {
                    window
                        .confirm_with_message(state.t(Key::ConfirmDeleteSpeaker))
                        .ok()
                })
                .unwrap_or(false);
            if !confirmed {
                return;
            }
        }
        state.update_speakers(|registry| registry.remove(&id).map(|_| ()));
    };
    let expressions = move || speaker().map(|s| s.expressions).unwrap_or_default();
    let face_look = move |image: String| {
        let base = speaker();
        Signal::derive(move || {
            let base = base.clone();
            SpeakerLook {
                name: base.as_ref().map(|s| s.name.clone()).unwrap_or_default(),
                face: image.clone(),
                shape: base.as_ref().map(|s| s.shape).unwrap_or_default(),
                border: base.as_ref().map(|s| s.border).unwrap_or_default(),
                ..SpeakerLook::default()
            }
        })
    };
    let choose_face = move |index: usize, file: web_sys::File| {
        busy.set(true);
        let id = stored_id.get_value();
        leptos::task::spawn_local(async move {
            let result = downscale(file, FACE_MAX_SIDE, FACE_MAX_BYTES).await;
            // The dialog may have closed meanwhile; its signals then are gone too.
            let _ = busy.try_set(false);
            match result {
                Ok(data_url) => edit_speaker(state, &id, |speaker| {
                    if let Some(expression) = speaker.expressions.get_mut(index) {
                        expression.image = data_url;
                    }
                }),
                Err(problem) => state.say(crate::i18n::messages::problem(
                    state.lang.get_untracked(),
                    &problem,
                )),
            }
        });
    };
    view! {
        <li class="ts-speaker">
            <div class="ts-speaker__row">
                <label class="ts-field">
                    <span class="ts-field__label">{state.tr(Key::SpeakerName)}</span>
                    <input
                        type="text"
                        class="ts-input"
                        aria-label=state.tr(Key::SpeakerName)
                        prop:value=value(|s| s.name.clone())
                        on:change=move |ev| {
                            let name = event_target_value(&ev);
                            edit_speaker(state, &stored_id.get_value(), |speaker| speaker.name = name);
                        }
                    />
                </label>
                <button type="button" class="ts-icon" aria-label=state.tr(Key::MoveSpeakerUp)
                    on:click=move |_| { state.update_speakers(|registry| registry.move_by(&stored_id.get_value(), -1)); }>
                    "↑"
                </button>
                <button type="button" class="ts-icon" aria-label=state.tr(Key::MoveSpeakerDown)
                    on:click=move |_| { state.update_speakers(|registry| registry.move_by(&stored_id.get_value(), 1)); }>
                    "↓"
                </button>
                <button type="button" class="ts-button ts-button--danger" on:click=delete>
                    {state.tr(Key::DeleteSpeaker)}
                </button>
            </div>
            <div class="ts-speaker__row">
                <label class="ts-field ts-field--inline">
                    <span class="ts-field__label">{state.tr(Key::DefaultSide)}</span>
                    <select
                        class="ts-select"
                        aria-label=state.tr(Key::DefaultSide)
                        on:change=move |ev| {
                            let side = if event_target_value(&ev) == "right" { Side::Right } else { Side::Left };
                            edit_speaker(state, &stored_id.get_value(), |speaker| speaker.side = side);
                        }
                    >
                        <option value="left" selected=move || speaker().is_some_and(|s| s.side == Side::Left)>
                            {state.tr(Key::Left)}
                        </option>
                        <option value="right" selected=move || speaker().is_some_and(|s| s.side == Side::Right)>
                            {state.tr(Key::Right)}
                        </option>
                    </select>
                </label>
                {palette_select(
                    state,
                    Key::BorderColour,
                    move || speaker().map(|s| s.border).unwrap_or_default(),
                    move |palette| edit_speaker(state, &stored_id.get_value(), |speaker| speaker.border = palette),
                )}
                {palette_select(
                    state,
                    Key::BackgroundColour,
                    move || speaker().map(|s| s.background).unwrap_or_default(),
                    move |palette| edit_speaker(state, &stored_id.get_value(), |speaker| speaker.background = palette),
                )}
                <label class="ts-field ts-field--inline">
                    <span class="ts-field__label">{state.tr(Key::IconShape)}</span>
                    <select
                        class="ts-select"
                        aria-label=state.tr(Key::IconShape)
                        on:change=move |ev| {
                            let shape = if event_target_value(&ev) == "square" { IconShape::Square } else { IconShape::Circle };
                            edit_speaker(state, &stored_id.get_value(), |speaker| speaker.shape = shape);
                        }
                    >
                        <option value="circle" selected=move || speaker().is_some_and(|s| s.shape == IconShape::Circle)>
                            {state.tr(Key::Circle)}
                        </option>
                        <option value="square" selected=move || speaker().is_some_and(|s| s.shape == IconShape::Square)>
                            {state.tr(Key::Square)}
                        </option>
                    </select>
                </label>
                <label class="ts-check">
                    <input
                        type="checkbox"
                        prop:checked=move || speaker().is_some_and(|s| s.show_name)
                        on:change=move |ev| {
                            let checked = event_target_checked(&ev);
                            edit_speaker(state, &stored_id.get_value(), |speaker| speaker.show_name = checked);
                        }
                    />
                    {state.tr(Key::ShowName)}
                </label>
            </div>
            <ul class="ts-speaker__expressions">
                {move || {
                    expressions()
                        .into_iter()
                        .enumerate()
                        .map(|(index, expression)| {
                            let label_value = expression.label.clone();
                            let image_value = expression.image.clone();
                            view! {
                                <li class="ts-expression">
                                    <Face look=face_look(expression.image.clone()) />
                                    <label class="ts-field">
                                        <span class="ts-field__label">{state.tr(Key::ExpressionLabel)}</span>
                                        <input
                                            type="text"
                                            class="ts-input"
                                            aria-label=state.tr(Key::ExpressionLabel)
                                            prop:value=label_value
                                            on:change=move |ev| {
                                                let label = event_target_value(&ev);
                                                edit_speaker(state, &stored_id.get_value(), |speaker| {
                                                    if let Some(expression) = speaker.expressions.get_mut(index) {
                                                        expression.label = label;
                                                    }
                                                });
                                            }
                                        />
                                    </label>
                                    <label class="ts-field">
                                        <span class="ts-field__label">{state.tr(Key::FaceImageUrl)}</span>
                                        <input
                                            type="text"
                                            class="ts-input"
                                            aria-label=state.tr(Key::FaceImageUrl)
                                            prop:value=if image_value.starts_with("data:") { String::new() } else { image_value }
                                            placeholder="https://… / IMG_1234.jpeg"
                                            on:change=move |ev| {
                                                let image = event_target_value(&ev);
                                                edit_speaker(state, &stored_id.get_value(), |speaker| {
                                                    if let Some(expression) = speaker.expressions.get_mut(index) {
                                                        expression.image = image.trim().to_owned();
                                                    }
                                                });
                                            }
                                        />
                                    </label>
                                    <ChooseFile
                                        label=state.tr(Key::ChooseFaceFile)
                                        accept="image/png,image/jpeg,image/gif,image/webp"
                                        disabled=busy
                                        on_file=move |file| choose_face(index, file)
                                        attr:data-expression=index.to_string()
                                    />
                                    <button
                                        type="button"
                                        class="ts-icon"
                                        aria-label=state.tr(Key::DeleteExpression)
                                        on:click=move |_| edit_speaker(state, &stored_id.get_value(), |speaker| {
                                            if speaker.expressions.len() > 1 {
                                                speaker.expressions.remove(index);
                                            }
                                        })
                                    >
                                        "×"
                                    </button>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
            <button
                type="button"
                class="ts-button"
                on:click=move |_| edit_speaker(state, &stored_id.get_value(), |speaker| {
                    let label = format!("face {}", speaker.expressions.len() + 1);
                    speaker.expressions.push(Expression { label, ..Default::default() });
                })
            >
                {state.tr(Key::AddExpression)}
            </button>
        </li>
    }
}

#[component]
pub fn SpeakersDialog(open: RwSignal<bool>) -> impl IntoView {
    let state = use_dialog_state();
    let add = move |_| {
        let base = state.t(Key::NewSpeakerName);
        state.update_speakers(|registry| {
            let mut name = base.to_owned();
            let mut counter = 2;
            while registry.by_name(&name).is_some() {
                name = format!("{base} {counter}");
                counter += 1;
            }
            registry.add(Speaker::new(new_speaker_id(), name))
        });
        request_animation_frame(|| {
            let last = crate::browser::dom::document().and_then(|document| {
                document
                    .query_selector(".ts-speaker:last-of-type input[type=text]")
                    .ok()
                    .flatten()
            });
            if let Some(input) = last
                .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlInputElement>(e).ok())
            {
                let _ = input.focus();
                input.select();
            }
        });
    };
    view! {
        <Dialog
            open
            title=state.tr(Key::Speakers)
            close_label=state.tr(Key::Close)
        >
            <ul class="ts-speakers">
                <For
                    each=move || state.speakers.get().speakers
                    key=|speaker| speaker.id.clone()
                    children=move |speaker| view! { <SpeakerEditor id=speaker.id /> }
                />
            </ul>
            <button type="button" class="ts-button ts-button--primary" on:click=add>
                {state.tr(Key::AddSpeaker)}
            </button>
        </Dialog>
    }
}
