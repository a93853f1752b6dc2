//! The author's settings, stored versioned under their own key. Pure.

use crate::i18n::Lang;
use crate::json::named_enum;
use crate::model::stored::open_record;
use crate::model::Extra;

/// Light, dark, or whatever the system prefers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Theme {
    #[default]
    System,
    Light,
    Dark,
}

impl Theme {
    pub const ALL: [Theme; 3] = [Theme::System, Theme::Light, Theme::Dark];
}

named_enum!(Theme { System = "system", Light = "light", Dark = "dark" });

// How settings are stored: their fields in order, the default of each, and which are left out
// while they hold it.
open_record!(Settings {
    version = settings_version();
    language = None, skip if Option::is_none;
    theme = Theme::default();
    metadata_endpoint = String::new();
    urls_become_cards = true;
});

#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    pub version: u64,
    /// `en` or `ja`; `None` until the author chooses (the browser's language is used).
    pub language: Option<String>,
    pub theme: Theme,
    /// A URL template with `{url}` that returns a page's title, description, image and site name
    /// as JSON. Empty: link cards never contact anything.
    pub metadata_endpoint: String,
    /// Whether a bare URL pasted or typed alone in an empty paragraph becomes a link card.
    pub urls_become_cards: bool,
    pub extra: Extra,
}

fn settings_version() -> u64 {
    1
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            version: settings_version(),
            language: None,
            theme: Theme::System,
            metadata_endpoint: String::new(),
            urls_become_cards: true,
            extra: Extra::new(),
        }
    }
}

impl Settings {
    /// The UI language: the chosen one, else the browser's.
    pub fn lang(&self, browser_language: &str) -> Lang {
        self.language
            .as_deref()
            .and_then(Lang::from_code)
            .unwrap_or_else(|| Lang::from_browser(browser_language))
    }

    /// The metadata request URL for a page, when an endpoint is set.
    pub fn metadata_url(&self, page_url: &str) -> Option<String> {
        let template = self.metadata_endpoint.trim();
        if template.is_empty() || !template.contains("{url}") {
            return None;
        }
        Some(template.replace("{url}", &percent_encode(page_url)))
    }
}

/// Percent-encodes everything but unreserved characters (RFC 3986).
pub fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3);
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_comes_from_choice_then_browser() {
        let mut settings = Settings::default();
        assert_eq!(settings.lang("ja-JP"), Lang::Ja);
        settings.language = Some("en".into());
        assert_eq!(settings.lang("ja-JP"), Lang::En);
    }

    #[test]
    fn metadata_url_needs_a_template() {
        let mut settings = Settings::default();
        assert_eq!(settings.metadata_url("https://a.example/"), None);
        settings.metadata_endpoint = "https://my.site/ogp?url={url}".into();
        assert_eq!(
            settings.metadata_url("https://a.example/x?y=1").as_deref(),
            Some("https://my.site/ogp?url=https%3A%2F%2Fa.example%2Fx%3Fy%3D1")
        );
    }

    #[test]
    fn unknown_fields_are_kept() {
        let settings: Settings =
            crate::json::from_text(r#"{"version":1,"theme":"dark","future":true}"#).unwrap();
        assert_eq!(settings.theme, Theme::Dark);
        assert!(crate::json::ToJson::to_json_text(&settings).contains("future"));
    }
}
