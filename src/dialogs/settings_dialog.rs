//! The settings dialog: language, theme, link-card metadata, and storage use (browser-only).

use super::dialog::Dialog;
use super::state::use_dialog_state;
use crate::i18n::{Key, Lang};
use crate::settings::Theme;
use leptos::prelude::*;
use wasm_bindgen_futures::JsFuture;

/// Storage use as the browser reports it: (used bytes, quota bytes, persistent).
async fn storage_report() -> Option<(f64, f64, bool)> {
    let manager = web_sys::window()?.navigator().storage();
    let estimate = JsFuture::from(manager.estimate().ok()?).await.ok()?;
    let estimate: web_sys::StorageEstimate = estimate.into();
    let persisted = match manager.persisted() {
        Ok(promise) => JsFuture::from(promise)
            .await
            .ok()?
            .as_bool()
            .unwrap_or(false),
        Err(_) => false,
    };
    Some((
        estimate.get_usage().unwrap_or(0.0),
        estimate.get_quota().unwrap_or(0.0),
        persisted,
    ))
}

fn human_bytes(bytes: f64) -> String {
    // Tenths by integer arithmetic: formatting floats would add their formatter to the app.
    let tenths = |unit: f64| {
        let tenths = (bytes / unit * 10.0).round() as u64;
        format!("{}.{}", tenths / 10, tenths % 10)
    };
    if bytes >= 1024.0 * 1024.0 * 1024.0 {
        format!("{} GB", tenths(1024.0 * 1024.0 * 1024.0))
    } else if bytes >= 1024.0 * 1024.0 {
        format!("{} MB", tenths(1024.0 * 1024.0))
    } else {
        format!("{} KB", (bytes / 1024.0).ceil() as u64)
    }
}

#[component]
pub fn SettingsDialog(open: RwSignal<bool>) -> impl IntoView {
    let state = use_dialog_state();
    let report = RwSignal::new(None::<(f64, f64, bool)>);
    Effect::new(move |_| {
        if open.get() {
            leptos::task::spawn_local(async move {
                let measured = storage_report().await;
                let _ = report.try_set(measured);
            });
        }
    });
    let language = move || state.lang.get();
    let theme = move || state.settings.get().theme;
    view! {
        <Dialog
            open
            title=state.tr(Key::Settings)
            close_label=state.tr(Key::Close)
        >
            <label class="ts-field">
                <span class="ts-field__label">{state.tr(Key::Language)}</span>
                <select
                    class="ts-select"
                    aria-label=state.tr(Key::Language)
                    on:change=move |ev| {
                        let code = event_target_value(&ev);
                        state.update_settings(|settings| settings.language = Some(code));
                    }
                >
                    {Lang::ALL
                        .into_iter()
                        .map(|lang| {
                            view! {
                                <option value=lang.code() lang=lang.code() selected=move || language() == lang>
                                    {lang.native_name()}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </label>
            <label class="ts-field">
                <span class="ts-field__label">{state.tr(Key::Theme)}</span>
                <select
                    class="ts-select"
                    aria-label=state.tr(Key::Theme)
                    on:change=move |ev| {
                        let value = event_target_value(&ev);
                        let chosen = Theme::ALL.into_iter().find(|theme| theme.as_str() == value);
                        if let Some(chosen) = chosen {
                            state.update_settings(|settings| settings.theme = chosen);
                        }
                    }
                >
                    {Theme::ALL
                        .into_iter()
                        .map(|option| {
                            let key = match option {
                                Theme::System => Key::ThemeSystem,
                                Theme::Light => Key::ThemeLight,
                                Theme::Dark => Key::ThemeDark,
                            };
                            view! {
                                <option value=option.as_str() selected=move || theme() == option>
                                    {move || state.t(key)}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </label>
            <label class="ts-field">
                <span class="ts-field__label">{state.tr(Key::MetadataEndpoint)}</span>
                <input
                    type="url"
                    class="ts-input"
                    aria-label=state.tr(Key::MetadataEndpoint)
                    aria-describedby="ts-endpoint-help"
                    placeholder="https://my.site/ogp?url={url}"
                    prop:value=move || state.settings.get().metadata_endpoint
                    on:change=move |ev| {
                        let value = event_target_value(&ev);
                        state.update_settings(|settings| settings.metadata_endpoint = value.trim().to_owned());
                    }
                />
                <span class="ts-note" id="ts-endpoint-help">{state.tr(Key::MetadataEndpointHelp)}</span>
            </label>
            <label class="ts-check">
                <input
                    type="checkbox"
                    prop:checked=move || state.settings.get().urls_become_cards
                    on:change=move |ev| {
                        let checked = event_target_checked(&ev);
                        state.update_settings(|settings| settings.urls_become_cards = checked);
                    }
                />
                {state.tr(Key::UrlsBecomeCards)}
            </label>
            <section class="ts-storage">
                <h3 class="ts-trash__title">{state.tr(Key::StorageUsage)}</h3>
                {move || match report.get() {
                    Some((used, quota, persistent)) => view! {
                        <p class="ts-storage__usage">{format!("{} / {}", human_bytes(used), human_bytes(quota))}</p>
                        <p class="ts-note">
                            {move || state.t(if persistent { Key::StoragePersistent } else { Key::StorageNotPersistent })}
                        </p>
                    }
                    .into_any(),
                    None => view! { <p class="ts-note">"…"</p> }.into_any(),
                }}
            </section>
        </Dialog>
    }
}
