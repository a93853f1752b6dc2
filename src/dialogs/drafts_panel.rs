//! The drafts panel: every draft with its title, last edit and size; search, create, open,
//! rename, duplicate, delete to the trash and restore (browser-only).

use super::dialog::Dialog;
use super::state::use_dialog_state;
use crate::browser::dom;
use crate::browser::local_store::LocalStore;
use crate::i18n::Key;
use crate::storage::{DraftMeta, DraftStore};
use crate::ui::IconButton;
use leptos::prelude::*;

fn drafts() -> DraftStore<LocalStore> {
    DraftStore::new(LocalStore::open())
}

/// "2026-11-24 21:05" in the author's time zone.
fn edited_at(ms: f64) -> String {
    if ms <= 0.0 {
        return String::new();
    }
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms));
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}",
        date.get_full_year(),
        date.get_month() + 1,
        date.get_date(),
        date.get_hours(),
        date.get_minutes()
    )
}

/// Set by a row when the open draft could not be left.
#[derive(Clone, Copy)]
struct Refused(RwSignal<Option<String>>);

#[component]
fn DraftRow(meta: DraftMeta, in_trash: bool) -> impl IntoView {
    let state = use_dialog_state();
    let Refused(refused) = expect_context::<Refused>();
    let renaming = RwSignal::new(false);
    let id = StoredValue::new(meta.id.clone());
    // Tracked: opening another draft moves the highlight even in rows that stay.
    let is_open = move || state.draft_id.with(|open| *open == id.get_value());
    let title = if meta.title.trim().is_empty() {
        None
    } else {
        Some(meta.title.clone())
    };
    let shown_title = {
        let title = title.clone();
        move || {
            title
                .clone()
                .unwrap_or_else(|| state.t(Key::Untitled).to_owned())
        }
    };
    let name_value = RwSignal::new(meta.title.clone());
    let rename = move || {
        renaming.set(false);
        let title = name_value.get_untracked();
        let id = id.get_value();
        if id == state.draft_id() {
            state.rename_open(&title);
        } else if let Err(error) = drafts().rename(&id, &title, dom::now_ms()) {
            state.say(crate::i18n::messages::store(
                state.lang.get_untracked(),
                &error,
            ));
        }
        state.drafts_changed.update(|n| *n += 1);
    };
    let updated = edited_at(meta.updated_ms.as_ms());
    let chars = meta.chars;
    view! {
        <li class="ts-draft" class=("ts-draft--open", is_open)>
            <Show
                when=move || renaming.get()
                fallback=move || {
                    let shown_title = shown_title.clone();
                    view! {
                        <button
                            type="button"
                            class="ts-draft__open"
                            disabled=in_trash
                            aria-current=move || is_open().then_some("true")
                            on:click=move |_| {
                                if state.draft_id() == id.get_value() {
                                    return;
                                }
                                if let Err(why) = state.open_draft(&id.get_value()) {
                                    refused.set(Some(why));
                                }
                            }
                        >
                            {shown_title.clone()}
                        </button>
                    }
                }
            >
                <form
                    class="ts-draft__rename"
                    on:submit=move |ev| {
                        ev.prevent_default();
                        rename();
                    }
                >
                    <input
                        type="text"
                        class="ts-input"
                        aria-label=state.tr(Key::DraftTitle)
                        prop:value=move || name_value.get()
                        on:input=move |ev| name_value.set(event_target_value(&ev))
                        on:keydown=move |ev: web_sys::KeyboardEvent| {
                            if ev.key() == "Escape" {
                                ev.prevent_default();
                                ev.stop_propagation();
                                renaming.set(false);
                            }
                        }
                    />
                </form>
            </Show>
            <span class="ts-draft__meta">
                {state.tr(Key::EditedAt)} " " {updated.clone()} " · " {chars} " "
                {state.tr(Key::Characters)}
            </span>
            <span class="ts-draft__actions">
                <Show
                    when=move || !in_trash
                    fallback=move || {
                        view! {
                            <button
                                type="button"
                                class="ts-button"
                                on:click=move |_| {
                                    let _ = drafts().restore(&id.get_value());
                                    state.drafts_changed.update(|n| *n += 1);
                                }
                            >
                                {state.tr(Key::RestoreDraft)}
                            </button>
                        }
                    }
                >
                    <IconButton
                        label=state.tr(Key::RenameDraft)
                        glyph="✎"
                        on_click=move |_| {
                            renaming.set(true);
                            request_animation_frame(|| {
                                if let Some(input) = dom::document()
                                    .and_then(|d| d.query_selector(".ts-draft__rename input").ok().flatten())
                                    .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlInputElement>(e).ok())
                                {
                                    let _ = input.focus();
                                    input.select();
                                }
                            });
                        }
                    />
                    <IconButton
                        label=state.tr(Key::DuplicateDraft)
                        glyph="⧉"
                        on_click=move |_| {
                            state.save_now();
                            let new_id = format!("d{:x}", (js_sys::Math::random() * 1.0e15) as u64);
                            if let Err(error) = drafts()
                                .duplicate(&id.get_value(), &new_id, state.t(Key::CopySuffix), dom::now_ms())
                            {
                                state.say(crate::i18n::messages::store(state.lang.get_untracked(), &error));
                            }
                            state.drafts_changed.update(|n| *n += 1);
                        }
                    />
                    <IconButton
                        label=state.tr(Key::DeleteDraft)
                        glyph="🗑"
                        on_click=move |_| {
                            let id = id.get_value();
                            // The open draft is left only once what was typed in it is saved.
                            if id == state.draft_id() {
                                if let Err(why) = state.flush() {
                                    refused.set(Some(why));
                                    return;
                                }
                            }
                            if let Err(error) = drafts().trash(&id, dom::now_ms()) {
                                state.say(crate::i18n::messages::store(state.lang.get_untracked(), &error));
                                return;
                            }
                            if id == state.draft_id() {
                                // The open draft went to the trash: open the next one, or a new one.
                                let next = drafts().search("").ok().and_then(|ids| ids.into_iter().next());
                                // Saved just above, so leaving it is allowed.
                                let _ = match next {
                                    Some(next) => state.open_draft(&next),
                                    None => state.new_draft(),
                                };
                            }
                            state.drafts_changed.update(|n| *n += 1);
                        }
                    />
                </Show>
            </span>
        </li>
    }
}

#[component]
pub fn DraftsPanel(open: RwSignal<bool>) -> impl IntoView {
    let state = use_dialog_state();
    // Why the open draft could not be left, said inside the panel (the page behind is inert).
    let refused = RwSignal::new(None::<String>);
    provide_context(Refused(refused));
    Effect::new(move |_| {
        if !open.get() {
            refused.set(None);
        }
    });
    let query = RwSignal::new(String::new());
    // The lists are read from storage when the panel is open and whenever drafts change.
    let listing = Memo::new(move |_| {
        state.drafts_changed.track();
        if !open.get() {
            return (Vec::new(), Vec::new());
        }
        let mut store = drafts();
        let index = store.index().unwrap_or_default();
        let matching = store.search(&query.get()).unwrap_or_default();
        let mut live: Vec<DraftMeta> = matching
            .iter()
            .filter_map(|id| index.drafts.iter().find(|draft| &draft.id == id).cloned())
            .collect();
        // The open draft is listed with its unsaved title.
        for draft in &mut live {
            if draft.id == state.draft_id() {
                draft.title = state.title.get();
            }
        }
        let mut trash: Vec<DraftMeta> = index
            .drafts
            .into_iter()
            .filter(|draft| draft.deleted_ms.is_some())
            .collect();
        trash.sort_by_key(|draft| std::cmp::Reverse(draft.deleted_ms));
        (live, trash)
    });
    view! {
        <Dialog
            open
            title=state.tr(Key::Drafts)
            close_label=state.tr(Key::Close)
        >
            <div class="ts-drafts__top">
                <input
                    type="search"
                    class="ts-input"
                    aria-label=state.tr(Key::SearchDrafts)
                    placeholder=state.tr(Key::SearchDrafts)
                    prop:value=move || query.get()
                    on:input=move |ev| query.set(event_target_value(&ev))
                />
                <button
                    type="button"
                    class="ts-button ts-button--primary"
                    on:click=move |_| {
                        match state.new_draft() {
                            Ok(()) => open.set(false),
                            Err(why) => refused.set(Some(why)),
                        }
                    }
                >
                    {state.tr(Key::NewDraft)}
                </button>
            </div>
            <Show when=move || refused.get().is_some()>
                <p class="ts-field__error" role="alert">{move || refused.get().unwrap_or_default()}</p>
            </Show>
            <ul class="ts-drafts">
                <For
                    each=move || listing.get().0
                    key=|draft| (draft.id.clone(), draft.title.clone(), draft.updated_ms, draft.chars)
                    children=move |meta| view! { <DraftRow meta in_trash=false /> }
                />
            </ul>
            <Show when=move || listing.get().0.is_empty()>
                <p class="ts-note">{state.tr(Key::NoDrafts)}</p>
            </Show>
            <section class="ts-trash" aria-labelledby="ts-trash-heading">
                <h3 id="ts-trash-heading" class="ts-trash__title">{state.tr(Key::Trash)}</h3>
                <p class="ts-note">{state.tr(Key::TrashNote)}</p>
                <ul class="ts-drafts">
                    <For
                        each=move || listing.get().1
                        key=|draft| (draft.id.clone(), draft.deleted_ms)
                        children=move |meta| view! { <DraftRow meta in_trash=true /> }
                    />
                </ul>
            </section>
        </Dialog>
    }
}
