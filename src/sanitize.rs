//! URL rules: which links and image sources may enter a post or leave it. Pure.
//!
//! Browsers ignore tabs and newlines inside URLs and trim control characters around them
//! (`java\tscript:` runs), so every check works on the cleaned form, and that form is what is kept.

use std::borrow::Cow;

/// Why a URL was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UrlError {
    Empty,
    /// The scheme is not one we allow (`javascript:`, `data:`, `file:`, …).
    SchemeNotAllowed(String),
    /// An http(s) URL without a host.
    MissingHost,
    /// Spaces or other characters that cannot be in a URL.
    Malformed,
}

impl std::fmt::Display for UrlError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The wording lives in the English catalog (crate::i18n).
        f.write_str(&crate::i18n::messages::url(crate::i18n::Lang::En, self))
    }
}

/// The URL without the characters browsers ignore: surrounding whitespace and control chars,
/// and tabs or newlines anywhere.
pub fn clean_url(url: &str) -> String {
    clean(url).into_owned()
}

/// [`clean_url`], borrowing when nothing is taken out (links are checked by the thousand on
/// export).
fn clean(url: &str) -> Cow<'_, str> {
    let trimmed = url.trim_matches(|ch: char| ch.is_whitespace() || ch.is_control());
    if trimmed
        .bytes()
        .any(|byte| matches!(byte, b'\t' | b'\n' | b'\r'))
    {
        Cow::Owned(
            trimmed
                .chars()
                .filter(|ch| !matches!(ch, '\t' | '\n' | '\r'))
                .collect(),
        )
    } else {
        Cow::Borrowed(trimmed)
    }
}

/// The scheme of a URL in lower case, or `None` for a relative URL.
pub fn scheme_of(url: &str) -> Option<String> {
    scheme_as_written(url).map(str::to_ascii_lowercase)
}

/// The scheme of a URL as written, or `None` for a relative URL.
fn scheme_as_written(url: &str) -> Option<&str> {
    let colon = url.find(':')?;
    let before = &url[..colon];
    if before.is_empty()
        || before
            .bytes()
            .any(|byte| matches!(byte, b'/' | b'?' | b'#'))
    {
        return None;
    }
    // Anything before the colon counts as a scheme, so an odd one is refused, never relative.
    Some(before)
}

/// A link target an author may use: http, https, mailto, or relative. Returns the cleaned URL.
pub fn check_link(url: &str) -> Result<String, UrlError> {
    checked_link(url).map(Cow::into_owned)
}

/// Whether a link is allowed exactly as written (nothing to clean).
pub fn link_is_clean(url: &str) -> bool {
    checked_link(url).is_ok_and(|checked| checked.len() == url.len())
}

fn checked_link(url: &str) -> Result<Cow<'_, str>, UrlError> {
    let url = clean(url);
    if url.is_empty() {
        return Err(UrlError::Empty);
    }
    // ASCII (most URLs) is checked byte by byte; `char::is_whitespace` only for the rest.
    let malformed = if url.is_ascii() {
        url.bytes()
            .any(|byte| byte.is_ascii_whitespace() || matches!(byte, b'\x0b' | b'<' | b'>'))
    } else {
        url.contains(|ch: char| ch.is_whitespace() || ch == '<' || ch == '>')
    };
    // Compared in place: export checks every link of a post.
    let scheme = scheme_as_written(&url);
    let is = |name: &str| scheme.is_some_and(|scheme| scheme.eq_ignore_ascii_case(name));
    let web = is("http") || is("https");
    if malformed && (scheme.is_none() || web || is("mailto")) {
        return Err(UrlError::Malformed);
    }
    match scheme {
        None => Ok(url),
        Some(_) if web => {
            host_of_clean(&url).ok_or(UrlError::MissingHost)?;
            Ok(url)
        }
        Some(_) if is("mailto") => Ok(url),
        Some(scheme) => Err(UrlError::SchemeNotAllowed(scheme.to_ascii_lowercase())),
    }
}

/// A link card's URL: absolute http or https only.
pub fn check_card_url(url: &str) -> Result<String, UrlError> {
    let url = clean(url);
    if url.is_empty() {
        return Err(UrlError::Empty);
    }
    match scheme_as_written(&url) {
        Some(scheme)
            if scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https") =>
        {
            if url.contains(|ch: char| ch.is_whitespace() || ch == '"' || ch == '<' || ch == '>') {
                return Err(UrlError::Malformed);
            }
            host_of_clean(&url).ok_or(UrlError::MissingHost)?;
            Ok(url.into_owned())
        }
        Some(scheme) => Err(UrlError::SchemeNotAllowed(scheme.to_ascii_lowercase())),
        None => Err(UrlError::MissingHost),
    }
}

/// An image source: http(s), relative, or an inline raster image (`data:image/png|jpeg|gif|webp`).
/// SVG is refused because it can carry script.
pub fn check_image_src(src: &str) -> Result<String, UrlError> {
    let src = clean_url(src);
    if src.is_empty() {
        return Err(UrlError::Empty);
    }
    match scheme_of(&src) {
        Some(scheme) if scheme == "data" => {
            let lower = src.to_ascii_lowercase();
            let raster = ["png", "jpeg", "jpg", "gif", "webp"]
                .iter()
                .any(|kind| lower.starts_with(&format!("data:image/{kind};base64,")));
            if raster {
                Ok(src)
            } else {
                Err(UrlError::SchemeNotAllowed(scheme))
            }
        }
        _ => check_link(&src).and_then(|url| {
            if scheme_of(&url).as_deref() == Some("mailto") {
                Err(UrlError::SchemeNotAllowed("mailto".into()))
            } else {
                Ok(url)
            }
        }),
    }
}

/// The host of an absolute http(s) URL, lower-cased, without port or credentials.
pub fn http_url_host(url: &str) -> Option<String> {
    host_of_clean(&clean_url(url)).map(|host| crate::fold::fold_case(&host))
}

/// [`http_url_host`] of a URL already cleaned, as written (links are checked by the thousand
/// on export).
fn host_of_clean(url: &str) -> Option<std::borrow::Cow<'_, str>> {
    let colon = url.find(':')?;
    let scheme = &url[..colon];
    if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
        return None;
    }
    let rest = url[colon + 1..].strip_prefix("//")?;
    let authority_end = rest
        .bytes()
        .position(|byte| matches!(byte, b'/' | b'?' | b'#'))
        .unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    let host_port = authority.rsplit('@').next().unwrap_or_default();
    let host = if host_port.starts_with('[') {
        match host_port.find(']') {
            Some(end) => std::borrow::Cow::Borrowed(&host_port[..=end]),
            None => std::borrow::Cow::Owned(format!("{host_port}]")),
        }
    } else {
        std::borrow::Cow::Borrowed(host_port.split(':').next().unwrap_or_default())
    };
    let valid = !host.is_empty()
        && host
            .chars()
            .all(|ch| ch.is_alphanumeric() || matches!(ch, '.' | '-' | '_' | '[' | ']' | ':'));
    valid.then_some(host)
}

/// Whether a line of text is a bare URL and nothing else (pasting one offers a link card).
pub fn is_bare_url(text: &str) -> bool {
    let text = text.trim();
    // Every paragraph of an export asks; nearly all are told by their first letters.
    let scheme_start = text.trim_start_matches(|ch: char| ch.is_control());
    scheme_start
        .get(..4)
        .is_some_and(|start| start.eq_ignore_ascii_case("http"))
        && !text.contains(char::is_whitespace)
        && check_card_url(text).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_allow_http_https_mailto_and_relative() {
        assert!(check_link("https://example.com/a?b#c").is_ok());
        assert!(check_link("http://example.com").is_ok());
        assert!(check_link("mailto:a@example.com").is_ok());
        assert!(check_link("/about").is_ok());
        assert!(check_link("../x.html").is_ok());
        assert!(check_link("#top").is_ok());
    }

    #[test]
    fn links_refuse_script_and_data_even_when_disguised() {
        for bad in [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            " java\tscript:alert(1)",
            "\u{1}javascript:alert(1)",
            "jav\nascript:alert(1)",
            "data:text/html,<script>",
            "vbscript:x",
            "file:///etc/passwd",
        ] {
            assert!(
                matches!(check_link(bad), Err(UrlError::SchemeNotAllowed(_))),
                "{bad:?} passed"
            );
        }
        assert_eq!(check_link("  "), Err(UrlError::Empty));
        assert_eq!(check_link("https://"), Err(UrlError::MissingHost));
        assert_eq!(check_link("a b"), Err(UrlError::Malformed));
    }

    #[test]
    fn card_urls_must_be_absolute_http() {
        assert_eq!(
            check_card_url(" https://Example.com/x ").unwrap(),
            "https://Example.com/x"
        );
        assert!(check_card_url("/relative").is_err());
        assert!(check_card_url("mailto:x@y").is_err());
        assert!(check_card_url("https://exa mple.com").is_err());
    }

    #[test]
    fn hosts_are_derived() {
        assert_eq!(
            http_url_host("https://user:pw@Blog.Example.com:8080/x").as_deref(),
            Some("blog.example.com")
        );
        assert_eq!(http_url_host("ftp://example.com"), None);
        assert_eq!(
            http_url_host("https://日本.jp/").as_deref(),
            Some("日本.jp")
        );
    }

    #[test]
    fn images_allow_raster_data_but_not_svg() {
        assert!(check_image_src("data:image/png;base64,AAAA").is_ok());
        assert!(check_image_src("data:image/svg+xml;base64,AAAA").is_err());
        assert!(check_image_src("IMG_1234.jpeg").is_ok());
        assert!(check_image_src("mailto:x@y").is_err());
    }

    #[test]
    fn bare_urls_are_recognised() {
        assert!(is_bare_url(" https://example.org/blog/guide/ "));
        assert!(!is_bare_url("see https://example.org"));
        assert!(!is_bare_url("example.org"));
    }
}
