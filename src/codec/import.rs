//! Importing a post from pasted or opened text: detecting its format, reading it into blocks
//! through the format's codec, and describing what was found. Pure.
//!
//! Nothing is created when an import fails or finds no blocks. A leading level-1 heading
//! (Markdown, HTML) or a `<title>` becomes the post's title rather than a block.

use super::html_tree::{self, decode_entities, Element, Node};
use super::json::LoadError;
use super::{backup, editorjs, html_export, markdown, wordpress};
use crate::json::{self as json_text, Value};
use crate::model::{BlockContent, BlockKind, SpeakerRegistry};
use crate::sanitize;
use std::collections::HashMap;

/// The formats a post can be imported from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ImportFormat {
    /// Detect the format from the text.
    Auto,
    WordPress,
    Markdown,
    Html,
    /// A Tsuzuri backup or stored document.
    Json,
    EditorJs,
}

crate::json::named_enum!(ImportFormat {
    Auto = "auto",
    WordPress = "wordpress",
    Markdown = "markdown",
    Html = "html",
    Json = "json",
    EditorJs = "editorjs",
});

impl ImportFormat {
    pub const ALL: [ImportFormat; 6] = [
        ImportFormat::Auto,
        ImportFormat::WordPress,
        ImportFormat::Markdown,
        ImportFormat::Html,
        ImportFormat::Json,
        ImportFormat::EditorJs,
    ];

    pub fn label(self) -> &'static str {
        match self {
            ImportFormat::Auto => "Auto",
            ImportFormat::WordPress => "WordPress",
            ImportFormat::Markdown => "Markdown",
            ImportFormat::Html => "HTML",
            ImportFormat::Json => "JSON",
            ImportFormat::EditorJs => "Editor.js",
        }
    }
}

/// What an import produced.
#[derive(Clone, Debug, PartialEq)]
pub struct Imported {
    /// The format that was read (never `Auto`).
    pub format: ImportFormat,
    /// The post's title when the text had one, else empty.
    pub title: String,
    pub blocks: Vec<BlockContent>,
    /// How many speakers were added to the registry.
    pub new_speakers: usize,
}

/// Why an import produced nothing.
#[derive(Clone, Debug, PartialEq)]
pub enum ImportError {
    Empty,
    InvalidJson(String),
    /// JSON that is not a Tsuzuri document (the reason, as a sentence).
    Unreadable(String),
    NoBlocks(ImportFormat),
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The wording lives in the English catalog (crate::i18n).
        f.write_str(&crate::i18n::messages::import(crate::i18n::Lang::En, self))
    }
}

/// The format the text most likely is (never `Auto`).
pub fn detect(text: &str) -> ImportFormat {
    let trimmed = text.trim_start();
    if trimmed.starts_with('{') {
        return match json_text::parse(trimmed) {
            Ok(Value::Object(object))
                if object.get("blocks").is_some_and(Value::is_array)
                    && (object.get("time").is_some_and(Value::is_number)
                        || object.get("version").is_some_and(Value::is_string)) =>
            {
                ImportFormat::EditorJs
            }
            _ => ImportFormat::Json,
        };
    }
    // Code shows markup without being markup: a Markdown post about HTML is still Markdown.
    let prose = without_code(trimmed);
    let lower = prose.to_ascii_lowercase();
    let has_chat = lower.match_indices("[chat").any(|(at, _)| {
        let after = lower[at + 5..].chars().next();
        let escaped = lower[..at].ends_with('\\');
        !escaped && after.is_some_and(|ch| ch.is_whitespace() || ch == ']')
    });
    if has_chat || lower.contains("<!-- wp:") {
        return ImportFormat::WordPress;
    }
    if lower.starts_with("<!doctype") || lower.starts_with("<html") {
        return ImportFormat::Html;
    }
    let lines: Vec<&str> = prose
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect();
    let html_lines = lines.iter().filter(|line| line.starts_with('<')).count();
    // Mostly markup is HTML, unless it is the classic editor's text: paragraphs are lines of
    // their own there, never wrapped in <p>.
    let has_paragraph_tags = lower.contains("<p>") || lower.contains("<p ");
    if !lines.is_empty()
        && html_lines * 10 >= lines.len() * 6
        && (has_paragraph_tags || html_lines == lines.len())
    {
        return ImportFormat::Html;
    }
    let has_tags = lower.contains("</") || lower.contains("<br") || lower.contains("<img");
    let nbsp_lines = lines.contains(&"&nbsp;");
    let bare_urls = lines.iter().any(|line| sanitize::is_bare_url(line));
    let strong_markdown = text.contains("](")
        || text.contains("**")
        || text.lines().map(str::trim_start).any(|line| {
            ["#", "```", "~~~"]
                .iter()
                .any(|marker| line.starts_with(marker))
        });
    let markdownish = strong_markdown
        || lines.iter().any(|line| {
            let digits = line.chars().take_while(char::is_ascii_digit).count();
            ["- ", "* ", "> "]
                .iter()
                .any(|marker| line.starts_with(marker))
                || (digits > 0 && line[digits..].starts_with(". "))
        });
    if has_tags && (nbsp_lines || (bare_urls && !strong_markdown) || !markdownish) {
        return ImportFormat::WordPress;
    }
    ImportFormat::Markdown
}

/// The text without its fenced code blocks and inline code spans (for telling formats apart).
fn without_code(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut fence: Option<&str> = None;
    for line in text.lines() {
        let opening = ["```", "~~~"]
            .into_iter()
            .find(|marker| line.trim_start().starts_with(marker));
        match (fence, opening) {
            (None, Some(marker)) => fence = Some(marker),
            (Some(open), Some(marker)) if open == marker => fence = None,
            (Some(_), _) => {}
            (None, None) => {
                // Text between pairs of backticks is code; after an unpaired one it is not.
                let ticks = line.matches('`').count();
                for (index, part) in line.split('`').enumerate() {
                    if index % 2 == 0 || (ticks % 2 == 1 && index == ticks) {
                        out.push_str(part);
                    }
                }
                out.push('\n');
            }
        }
    }
    out
}

/// Reads text in a format (or the detected one). Speakers found are added to the registry;
/// `new_id` names new speakers.
pub fn import(
    text: &str,
    format: ImportFormat,
    registry: &mut SpeakerRegistry,
    new_id: &mut dyn FnMut() -> String,
) -> Result<Imported, ImportError> {
    if text.trim().is_empty() {
        return Err(ImportError::Empty);
    }
    let format = match format {
        ImportFormat::Auto => detect(text),
        other => other,
    };
    let speakers_before = registry.speakers.len();
    let (title, blocks, new_speakers) = match format {
        ImportFormat::Auto | ImportFormat::Markdown => {
            let (title, blocks) = markdown::from_markdown_with_title(text);
            (title, blocks, 0)
        }
        ImportFormat::WordPress => {
            let blocks = wordpress::from_classic(text, registry, new_id);
            (
                String::new(),
                blocks,
                registry.speakers.len() - speakers_before,
            )
        }
        ImportFormat::Html => {
            let (title, blocks) = from_html_with_title(text);
            (title, blocks, 0)
        }
        ImportFormat::EditorJs => {
            let blocks = editorjs::from_editorjs(text).map_err(|error| match error {
                editorjs::EditorJsError::Syntax(detail) => ImportError::InvalidJson(detail),
                editorjs::EditorJsError::NoBlocks => ImportError::NoBlocks(format),
            })?;
            (String::new(), blocks, 0)
        }
        ImportFormat::Json => {
            let (doc, speakers) = backup::from_backup(text).map_err(|error| match error {
                LoadError::Syntax(detail) => ImportError::InvalidJson(detail),
                other => ImportError::Unreadable(other.to_string()),
            })?;
            let mut blocks: Vec<BlockContent> =
                doc.blocks.into_iter().map(|block| block.content).collect();
            let added = merge_speakers(speakers, &mut blocks, registry, new_id);
            (doc.title, blocks, added)
        }
    };
    if blocks.is_empty() {
        return Err(ImportError::NoBlocks(format));
    }
    let mut blocks = blocks;
    let linked = link_speakers(&mut blocks, registry, new_id);
    Ok(Imported {
        format,
        title,
        blocks,
        new_speakers: new_speakers + linked,
    })
}

/// Links each named bubble that has no speaker (read from HTML, Markdown or Gutenberg) to the
/// registry's speaker of that name, adding it, and its face as an expression, when missing.
/// Returns how many speakers were added.
fn link_speakers(
    blocks: &mut [BlockContent],
    registry: &mut SpeakerRegistry,
    new_id: &mut dyn FnMut() -> String,
) -> usize {
    let before = registry.speakers.len();
    for block in blocks {
        let BlockContent::Bubble(bubble) = block else {
            continue;
        };
        let look = &mut bubble.speaker;
        if look.speaker_id.is_some() || look.name.trim().is_empty() {
            continue;
        }
        let known = registry.speakers.len();
        let (id, label) = registry.ensure(&look.name, &look.face, &mut *new_id);
        // A speaker met for the first time takes this bubble's side and look.
        let added = registry.speakers.len() > known;
        if let Some(speaker) = registry.get_mut(&id).filter(|_| added) {
            speaker.side = bubble.side;
            speaker.border = look.border;
            speaker.background = look.background;
            speaker.shape = look.shape;
            speaker.show_name = look.show_name;
        }
        look.speaker_id = Some(id);
        look.expression = label;
    }
    registry.speakers.len() - before
}

/// Adds a backup's speakers to the registry (a speaker with the same id or name is reused) and
/// points the bubbles at them; bubbles whose speaker is nowhere keep their look without a link.
fn merge_speakers(
    speakers: Vec<crate::model::Speaker>,
    blocks: &mut [BlockContent],
    registry: &mut SpeakerRegistry,
    new_id: &mut dyn FnMut() -> String,
) -> usize {
    let mut ids: HashMap<String, String> = HashMap::new();
    let mut added = 0;
    for mut speaker in speakers {
        let old = speaker.id.clone();
        let existing = registry
            .get(&speaker.id)
            .filter(|found| found.name.trim() == speaker.name.trim())
            .or_else(|| registry.by_name(&speaker.name))
            .map(|found| found.id.clone());
        let id = match existing {
            Some(id) => id,
            None => {
                if registry.get(&speaker.id).is_some() {
                    speaker.id = new_id();
                }
                let id = speaker.id.clone();
                if registry.add(speaker).is_err() {
                    continue;
                }
                added += 1;
                id
            }
        };
        ids.insert(old, id);
    }
    for block in blocks {
        if let BlockContent::Bubble(bubble) = block {
            let Some(old) = bubble.speaker.speaker_id.take() else {
                continue;
            };
            bubble.speaker.speaker_id = ids
                .get(&old)
                .cloned()
                .or_else(|| registry.get(&old).map(|speaker| speaker.id.clone()));
        }
    }
    added
}

/// HTML blocks with the title from `<title>`, else from a leading `<h1>` (which is then not a
/// block).
fn from_html_with_title(html: &str) -> (String, Vec<BlockContent>) {
    let lower = html.to_ascii_lowercase();
    let mut title = lower
        .find("<title")
        .and_then(|start| {
            let open_end = start + lower[start..].find('>')? + 1;
            let close = open_end + lower[open_end..].find("</title")?;
            Some(decode_entities(html[open_end..close].trim()))
        })
        .unwrap_or_default();
    let mut blocks = html_export::read_html(html);
    let nodes = html_tree::parse(html);
    if let Some(h1) = first_block(&nodes).filter(|element| element.name == "h1") {
        let text = h1.text().split_whitespace().collect::<Vec<_>>().join(" ");
        if title.is_empty() {
            title = text.clone();
        }
        let first_is_it = blocks.first().is_some_and(|block| {
            block.kind() == Some(BlockKind::Heading) && block.plain_text() == text
        });
        if first_is_it && title == text {
            blocks.remove(0);
        }
    }
    (title, blocks)
}

const BLOCK_NAMES: [&str; 14] = [
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "p",
    "ul",
    "ol",
    "blockquote",
    "pre",
    "figure",
    "img",
    "hr",
];

fn first_block(nodes: &[Node]) -> Option<&Element> {
    for node in nodes {
        match node {
            Node::Text(text) if text.trim().is_empty() => {}
            Node::Text(_) => return None,
            Node::Element(element) if BLOCK_NAMES.contains(&element.name.as_str()) => {
                return Some(element)
            }
            Node::Element(element) => {
                if let Some(found) = first_block(&element.children) {
                    return Some(found);
                }
                if !element.text().trim().is_empty() {
                    return None;
                }
            }
        }
    }
    None
}

/// What blocks hold, in words: "12 paragraphs, 6 bubbles, 4 link cards".
pub fn summary(blocks: &[BlockContent]) -> String {
    let counts = summary_counts(blocks);
    const NAMES: [(&str, &str); 10] = [
        ("paragraph", "paragraphs"),
        ("heading", "headings"),
        ("bubble", "bubbles"),
        ("link card", "link cards"),
        ("list", "lists"),
        ("quote", "quotes"),
        ("image", "images"),
        ("code block", "code blocks"),
        ("divider", "dividers"),
        ("unsupported block", "unsupported blocks"),
    ];
    let parts: Vec<String> = counts
        .iter()
        .zip(NAMES)
        .filter(|(count, _)| **count > 0)
        .map(|(count, (one, many))| format!("{count} {}", if *count == 1 { one } else { many }))
        .collect();
    if parts.is_empty() {
        "nothing to import".into()
    } else {
        parts.join(", ")
    }
}

/// How many blocks of each kind, in the summary's order: paragraphs, headings, bubbles, link
/// cards, lists, quotes, images, code blocks, dividers, unsupported blocks.
pub fn summary_counts(blocks: &[BlockContent]) -> [usize; 10] {
    let mut counts = [0usize; 10];
    for block in blocks {
        let slot = match block {
            BlockContent::Paragraph(_) => 0,
            BlockContent::Heading(_) => 1,
            BlockContent::Bubble(_) => 2,
            BlockContent::LinkCard(_) => 3,
            BlockContent::List(_) => 4,
            BlockContent::Quote(_) => 5,
            BlockContent::Image(_) => 6,
            BlockContent::Code(_) => 7,
            BlockContent::Divider(_) => 8,
            BlockContent::Unknown(_) => 9,
        };
        counts[slot] += 1;
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Divider, Paragraph};

    #[test]
    fn detects_formats() {
        assert_eq!(
            detect(r#"{"time":1,"blocks":[],"version":"2.31.0"}"#),
            ImportFormat::EditorJs
        );
        assert_eq!(detect(r#"{"version":1,"blocks":[]}"#), ImportFormat::Json);
        assert_eq!(detect("{broken"), ImportFormat::Json);
        assert_eq!(
            detect("[chat name=\"A\"]hi[/chat]"),
            ImportFormat::WordPress
        );
        assert_eq!(
            detect("Hello <strong>there</strong>\n\nhttps://example.com/\n\n&nbsp;"),
            ImportFormat::WordPress
        );
        assert_eq!(detect("<!DOCTYPE html><p>x</p>"), ImportFormat::Html);
        assert_eq!(detect("<h2>a</h2>\n<p>b</p>"), ImportFormat::Html);
        assert_eq!(detect("# Title\n\n- a <b>b</b>"), ImportFormat::Markdown);
        assert_eq!(detect("just text"), ImportFormat::Markdown);
        // Markup inside code does not make Markdown into HTML or WordPress.
        assert_eq!(
            detect("## はじめに\n\nタグは `<p>` を使う。\n\nhttps://example.org/a/\n\n```html\n<p>hi</p>\n```\n"),
            ImportFormat::Markdown
        );
        // The classic editor's text: headings and lists in markup, paragraphs as plain lines.
        assert_eq!(
            detect("<h2>材料</h2>\n一つ目の段落。\n\n二つ目の段落。\n<ul>\n<li>粉</li>\n<li>水</li>\n<li>塩</li>\n</ul>\n<h2>手順</h2>\n三つ目の段落。"),
            ImportFormat::WordPress
        );
        assert_eq!(
            detect("<h2>材料</h2>\n<p>段落</p>\n<ul>\n<li>粉</li>\n</ul>\nhttps://example.org/"),
            ImportFormat::Html
        );
    }

    #[test]
    fn summaries_count_in_a_fixed_order() {
        let paragraph = BlockContent::Paragraph(Paragraph::default());
        let divider = BlockContent::Divider(Divider::default());
        assert_eq!(
            summary(&[divider.clone(), paragraph.clone(), paragraph]),
            "2 paragraphs, 1 divider"
        );
        assert_eq!(summary(&[]), "nothing to import");
    }

    #[test]
    fn empty_input_creates_nothing() {
        let mut registry = SpeakerRegistry::default();
        let mut id = || "x".to_owned();
        for (text, format) in [
            ("  \n ", ImportFormat::Auto),
            ("<!-- only a comment -->", ImportFormat::Html),
        ] {
            let error = import(text, format, &mut registry, &mut id).unwrap_err();
            assert!(!error.to_string().is_empty());
        }
        assert_eq!(
            import("{", ImportFormat::Auto, &mut registry, &mut id).unwrap_err(),
            ImportError::InvalidJson("EOF while parsing an object at line 1 column 1".into())
        );
    }

    #[test]
    fn html_titles_come_from_title_or_h1() {
        let mut registry = SpeakerRegistry::default();
        let mut id = || "x".to_owned();
        let page = "<html><head><title>A &amp; B</title></head><body><h1>A &amp; B</h1><p>x</p></body></html>";
        let imported = import(page, ImportFormat::Auto, &mut registry, &mut id).unwrap();
        assert_eq!(imported.title, "A & B");
        assert_eq!(imported.blocks.len(), 1);
        let odd = "<html><head>İİ<TITLE>İ</TITLE></head><p>x</p></html>";
        let imported = import(odd, ImportFormat::Html, &mut registry, &mut id).unwrap();
        assert_eq!(imported.title, "İ");
        let md = import("# T\n\ntext", ImportFormat::Auto, &mut registry, &mut id).unwrap();
        assert_eq!((md.title.as_str(), md.blocks.len()), ("T", 1));
    }
}
