//! A link card (ブログカード), edited in place under a preview that looks like the export
//! (browser-only).

use super::state::{use_editor_state, EditorState};
use crate::i18n::messages::{self, Problem};
use crate::i18n::Key;
use crate::model::{BlockContent, BlockId, LinkCard};
use crate::sanitize;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// How long a metadata request may take before the author is told it failed.
const METADATA_TIMEOUT_MS: i32 = 8000;

fn card_of(state: EditorState, id: &BlockId) -> Option<LinkCard> {
    match state.content(id) {
        Some(BlockContent::LinkCard(card)) => Some(card),
        _ => None,
    }
}

fn update_card(
    state: EditorState,
    id: &BlockId,
    field: &'static str,
    change: impl FnOnce(&mut LinkCard),
) {
    let Some(mut card) = card_of(state, id) else {
        return;
    };
    change(&mut card);
    state.run(Some(id), |editor, now| {
        editor.update_block(id, BlockContent::LinkCard(card), Some(field), now)
    });
}

/// Which cards are waiting for metadata, and what went wrong for which.
#[derive(Clone, Copy)]
pub struct CardFetches {
    pub loading: RwSignal<Vec<BlockId>>,
    pub errors: RwSignal<Vec<(BlockId, String)>>,
}

/// When the author set a metadata endpoint, fills a card's empty fields from it.
/// With no endpoint (the default) nothing leaves the browser.
pub fn fetch_metadata_if_enabled(state: EditorState, id: BlockId) {
    let Some(card) = card_of(state, &id) else {
        return;
    };
    if sanitize::check_card_url(&card.url).is_err() {
        return;
    }
    let Some(request_url) = state.settings.get_untracked().metadata_url(&card.url) else {
        return;
    };
    let Some(fetches) = use_context::<CardFetches>() else {
        return;
    };
    let lang = state.lang.get_untracked();
    fetches.loading.update(|loading| loading.push(id.clone()));
    fetches
        .errors
        .update(|errors| errors.retain(|(other, _)| other != &id));
    leptos::task::spawn_local(async move {
        let result = fetch_json(&request_url).await;
        fetches
            .loading
            .update(|loading| loading.retain(|other| other != &id));
        let outcome = result.and_then(|body| {
            // A card deleted meanwhile needs nothing.
            let Some(mut card) = card_of(state, &id) else {
                return Ok(None);
            };
            card.fill_from_metadata(&body).map_err(Problem::Metadata)?;
            Ok(Some(card))
        });
        match outcome {
            Ok(Some(card)) => {
                state.run(None, |editor, now| {
                    editor.update_block(&id, BlockContent::LinkCard(card), None, now)
                });
            }
            Ok(None) => {}
            Err(problem) => fetches
                .errors
                .update(|errors| errors.push((id, messages::problem(lang, &problem)))),
        }
    });
}

async fn fetch_json(url: &str) -> Result<String, Problem> {
    let window = web_sys::window().ok_or(Problem::MetadataUnreachable)?;
    let controller = web_sys::AbortController::new().map_err(|_| Problem::MetadataUnreachable)?;
    let init = web_sys::RequestInit::new();
    init.set_signal(Some(&controller.signal()));
    let abort = controller.clone();
    let timer = wasm_bindgen::closure::Closure::once(move || abort.abort());
    let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(
        timer.as_ref().unchecked_ref(),
        METADATA_TIMEOUT_MS,
    );
    timer.forget();
    let response = JsFuture::from(window.fetch_with_str_and_init(url, &init))
        .await
        .map_err(|_| {
            if controller.signal().aborted() {
                Problem::MetadataTimeout((METADATA_TIMEOUT_MS / 1000) as u32)
            } else {
                Problem::MetadataUnreachable
            }
        })?;
    let response: web_sys::Response = response.unchecked_into();
    if !response.ok() {
        return Err(Problem::MetadataStatus(response.status()));
    }
    let text = JsFuture::from(response.text().map_err(|_| Problem::MetadataUnreadable)?)
        .await
        .map_err(|_| Problem::MetadataUnreadable)?;
    text.as_string().ok_or(Problem::MetadataUnreadable)
}

/// The card as readers will see it.
#[component]
pub fn CardPreview(card: Signal<LinkCard>) -> impl IntoView {
    // The image that failed to load: a new image gets its own chance, with no effect per card.
    let image_failed = RwSignal::new(None::<String>);
    let favicon_failed = RwSignal::new(None::<String>);
    let image = move || {
        let card = card.get();
        (image_failed.read().as_deref() != Some(card.image.as_str()))
            .then(|| sanitize::check_image_src(&card.image).ok())
            .flatten()
    };
    // Likewise a favicon: one that failed (a host half typed) does not stop the next one.
    let favicon = move || {
        card.get()
            .favicon()
            .filter(|src| favicon_failed.read().as_deref() != Some(src.as_str()))
    };
    view! {
        <div class="ts-card" class=("ts-card--with-image", move || image().is_some())>
            <div class="ts-card__body">
                <p class="ts-card__title">{move || card.get().display_title()}</p>
                <Show when=move || !card.get().description.trim().is_empty()>
                    <p class="ts-card__description">{move || card.get().description}</p>
                </Show>
                <p class="ts-card__site">
                    {move || {
                        favicon()
                            .map(|src| {
                                view! {
                                    <img
                                        class="ts-card__favicon"
                                        src=src
                                        alt=""
                                        width="16"
                                        height="16"
                                        on:error=move |_| favicon_failed.set(card.get_untracked().favicon())
                                    />
                                }
                            })
                    }}
                    <span>{move || card.get().display_site()}</span>
                </p>
            </div>
            {move || {
                image()
                    .map(|src| {
                        view! {
                            <img
                                class="ts-card__thumb"
                                src=src
                                alt=""
                                on:error=move |_| image_failed.set(Some(card.get_untracked().image))
                            />
                        }
                    })
            }}
        </div>
    }
}

/// A card's field: its label, its name (in element ids and undo groups), how to read and set it.
type CardField = (
    Key,
    &'static str,
    fn(&LinkCard) -> String,
    fn(&mut LinkCard, String),
);

const CARD_FIELDS: [CardField; 5] = [
    (
        Key::Url,
        "url",
        |card| card.url.clone(),
        |card, value| card.url = value,
    ),
    (
        Key::CardTitle,
        "title",
        |card| card.title.clone(),
        |card, value| card.title = value,
    ),
    (
        Key::CardDescription,
        "description",
        |card| card.description.clone(),
        |card, value| card.description = value,
    ),
    (
        Key::CardImageUrl,
        "image",
        |card| card.image.clone(),
        |card, value| card.image = value,
    ),
    (
        Key::SiteName,
        "site",
        |card| card.site_name.clone(),
        |card, value| card.site_name = value,
    ),
];

#[component]
pub fn CardBlock(id: BlockId) -> impl IntoView {
    let state = use_editor_state();
    let fetches = expect_context::<CardFetches>();
    let revision = state.revision(&id);
    let stored_id = StoredValue::new(id);
    let typed = RwSignal::new(0u64);
    let card = move || {
        revision.track();
        card_of(state, &stored_id.get_value()).unwrap_or_default()
    };
    let live = Signal::derive(move || {
        revision.track();
        typed.track();
        card_of(state, &stored_id.get_value()).unwrap_or_default()
    });
    let url_error = move || {
        let url = live.get().url;
        sanitize::check_card_url(&url)
            .err()
            .map(|error| crate::i18n::messages::url(state.lang.get(), &error))
    };
    let loading = move || fetches.loading.get().contains(&stored_id.get_value());
    let fetch_error = move || {
        fetches
            .errors
            .get()
            .into_iter()
            .find(|(other, _)| other == &stored_id.get_value())
            .map(|(_, message)| message)
    };
    // One view per field; their listeners are on the fields' container (see `CARD_FIELDS`).
    let field = move |(key, name, get, _): CardField| {
        let input_id = format!("{name}-{}", stored_id.get_value());
        let label_for = input_id.clone();
        // Only the URL can be invalid: the other fields build no effect for it.
        let invalid = (name == "url").then_some(move || url_error().is_some().then_some("true"));
        view! {
            <label class="ts-field" for=label_for>
                <span class="ts-field__label">{move || state.t(key)}</span>
                <input
                    id=input_id
                    type="text"
                    class="ts-input"
                    data-field=name
                    inputmode=if name == "url" || name == "image" { "url" } else { "text" }
                    aria-label=move || state.t(key)
                    aria-invalid=invalid
                    prop:value=move || get(&card())
                    readonly=move || state.is_read_only()
                />
            </label>
        }
    };
    // The field an event came from, and its value.
    let edited = |ev: &web_sys::Event| {
        let input = ev.target()?.dyn_into::<web_sys::HtmlInputElement>().ok()?;
        let name = input.get_attribute("data-field")?;
        let field = CARD_FIELDS.into_iter().find(|field| field.1 == name)?;
        Some((field, input.value()))
    };
    let record = move |((_, name, _, set), value): (CardField, String)| {
        update_card(state, &stored_id.get_value(), name, |card| set(card, value));
        name
    };
    // Typing is recorded as it happens, and the preview follows it.
    let record_typed = move |edit| {
        record(edit);
        typed.update(|n| *n += 1);
    };
    let on_input = move |ev: web_sys::Event| {
        if let Some(edit) = edited(&ev).filter(|_| super::settled_value(&ev).is_some()) {
            record_typed(edit);
        }
    };
    let on_composition_end = move |ev: web_sys::CompositionEvent| {
        if let Some(edit) = edited(&ev) {
            record_typed(edit);
        }
    };
    // Also records text an IME never ended its composition for.
    let on_change = move |ev: web_sys::Event| {
        if edited(&ev).map(record) == Some("url") {
            fetch_metadata_if_enabled(state, stored_id.get_value());
        }
    };
    view! {
        <div class="ts-card-editor">
            // In the editor the preview is not a link: a click edits the card instead of leaving.
            <Show when=move || sanitize::check_card_url(&live.get().url).is_ok()>
                <div
                    class="ts-card-link"
                    on:click=move |_| {
                        if let Some(block) = crate::browser::dom::element_by_id(
                            &format!("block-{}", stored_id.get_value()),
                        ) {
                            if let Ok(Some(input)) = block.query_selector("input") {
                                if let Ok(input) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(input) {
                                    let _ = input.focus();
                                }
                            }
                        }
                    }
                >
                    <CardPreview card=live />
                </div>
            </Show>
            <Show when=loading>
                <p class="ts-note" role="status">{state.tr(Key::FetchingMetadata)}</p>
            </Show>
            <Show when=move || fetch_error().is_some()>
                <p class="ts-field__error" role="alert">{move || fetch_error().unwrap_or_default()}</p>
            </Show>
            <div
                class="ts-card-editor__fields"
                on:input=on_input
                on:compositionend=on_composition_end
                on:change=on_change
            >
                {field(CARD_FIELDS[0])}
                <Show when=move || url_error().is_some()>
                    <p class="ts-field__error" role="alert">{move || url_error().unwrap_or_default()}</p>
                </Show>
                {field(CARD_FIELDS[1])}
                {field(CARD_FIELDS[2])}
                {field(CARD_FIELDS[3])}
                {field(CARD_FIELDS[4])}
            </div>
        </div>
    }
}
