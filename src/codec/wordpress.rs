//! WordPress: classic-editor text and Gutenberg block markup out, classic text in. Pure.
//!
//! Classic text is what the classic editor's Text tab holds: paragraphs separated by blank
//! lines and single newlines as line breaks (WordPress's `wpautop` adds the `<p>`/`<br>`),
//! `<strong>`, `<em>`, `<del>`, `<code>`, `<mark>` (which browsers show highlighted in any
//! theme) and `<a>` for marks, HTML tags for other blocks, `[caption]` for captioned images,
//! JIN-style `[chat]` shortcodes for bubbles, and bare URL lines that WordPress turns into embeds
//! or blog cards. Gutenberg markup uses the core blocks, with bubbles and cards as inline-styled
//! `wp:html` blocks; the core code block has no language, so the language is left out. `[`/`]` in text are written as `&#91;`/`&#93;` so
//! that WordPress never runs a shortcode an author typed, and a text line that is only a URL
//! gets its first colon as `&#58;` so that it stays text.
//!
//! Reading classic text: blocks are separated by blank lines (whitespace-only lines count),
//! except inside `<pre>`, lists, quotes, tables, figures, divs and `[chat]`/`[caption]`
//! shortcodes. Spacer lines (`&nbsp;` or no-break spaces only) are dropped, and each text line
//! is trimmed, as WordPress shows them. A URL line followed by a title line and an excerpt line
//! (what copying a rendered blog card leaves) gives the card its title and description when:
//! the two lines follow the URL directly or after exactly one blank line; both are plain text
//! (no HTML, no `[`, not a URL, the title at most 120 characters); and the excerpt ends with
//! `…` or `...`, or the pair is followed by a spacer or ends the text.

use super::html_export::{self, clean_language, nest_items, paragraphs, HtmlOptions};
use super::html_tree::{decode_entities, escape_attr, escape_text};
use super::inline_html::{self, InlineStyle};
use crate::model::{
    BalloonStyle, BlockContent, Bubble, Document, LinkCard, Palette, Paragraph, RichText, Side,
    SpeakerLook, SpeakerRegistry,
};
use crate::sanitize;

/// The post as classic-editor text. Unknown blocks are skipped.
pub fn to_classic(doc: &Document) -> String {
    let mut parts: Vec<String> = Vec::new();
    for block in &doc.blocks {
        let part = match &block.content {
            BlockContent::Paragraph(block) => classic_text(&block.text),
            BlockContent::Heading(block) => {
                let level = block.clamped_level();
                format!("<h{level}>{}</h{level}>", tagged(&block.text, "<br />"))
            }
            BlockContent::List(list) => {
                let tag = if list.ordered { "ol" } else { "ul" };
                let mut out = format!("<{tag}>\n");
                for (item, children) in nest_items(&list.items) {
                    out.push_str(&format!("<li>{}", tagged(&item.text, "<br />")));
                    if !children.is_empty() {
                        out.push_str(&format!("\n<{tag}>\n"));
                        for child in children {
                            out.push_str(&format!("<li>{}</li>\n", tagged(&child.text, "<br />")));
                        }
                        out.push_str(&format!("</{tag}>\n"));
                    }
                    out.push_str("</li>\n");
                }
                out.push_str(&format!("</{tag}>"));
                out
            }
            BlockContent::Quote(quote) => {
                let mut out = format!("<blockquote>{}", tagged(&quote.text, "<br />"));
                if !quote.citation.trim().is_empty() {
                    out.push_str(&format!("<cite>{}</cite>", plain(&quote.citation)));
                }
                out.push_str("</blockquote>");
                out
            }
            BlockContent::Divider(_) => "<hr />".into(),
            BlockContent::Image(image) => match sanitize::check_image_src(&image.src) {
                Ok(src) => {
                    let img = format!(
                        "<img src=\"{}\" alt=\"{}\" />",
                        attr(&src),
                        attr(&image.alt)
                    );
                    if image.caption.trim().is_empty() {
                        img
                    } else {
                        format!(
                            "[caption align=\"aligncenter\"]{img} {}[/caption]",
                            plain(&image.caption)
                        )
                    }
                }
                Err(_) => classic_text(&RichText::plain(image.caption.trim())),
            },
            // Readers drop one final newline inside <pre>; this one is theirs to drop.
            BlockContent::Code(code) => format!(
                "<pre><code{}>{}\n</code></pre>",
                language_class(&code.language),
                brackets(&escape_text(&code.code))
            ),
            // A URL may hold brackets; encoded, they cannot open a shortcode.
            BlockContent::LinkCard(card) => match sanitize::check_card_url(&card.url) {
                Ok(url) => url.replace('[', "%5B").replace(']', "%5D"),
                Err(_) => classic_text(&RichText::plain(&card.display_title())),
            },
            BlockContent::Bubble(bubble) => chat_shortcode(bubble),
            BlockContent::Unknown(_) => String::new(),
        };
        if part.is_empty() {
            continue;
        }
        // Two plain lines after a card would read back as its title and excerpt.
        let after_card = parts.last().is_some_and(|last| sanitize::is_bare_url(last));
        let caption_like = part.split_once('\n').is_some_and(|(first, second)| {
            is_plain_line(first) && is_plain_line(second) && !second.contains('\n')
        });
        parts.push(if after_card && caption_like {
            part.replacen('\n', "<br />\n", 1)
        } else {
            part
        });
    }
    parts.join("\n\n")
}

/// The post as Gutenberg block markup, for the block editor's code view.
pub fn to_gutenberg(doc: &Document) -> String {
    let mut parts = Vec::new();
    for block in &doc.blocks {
        let part = match &block.content {
            BlockContent::Paragraph(block) if block.text.is_empty() => String::new(),
            BlockContent::Paragraph(block) => wp_paragraph(&block.text),
            BlockContent::Heading(block) => {
                let level = block.clamped_level();
                let attrs = if level == 2 {
                    String::new()
                } else {
                    format!(" {{\"level\":{level}}}")
                };
                format!(
                    "<!-- wp:heading{attrs} -->\n<h{level} class=\"wp-block-heading\">{}</h{level}>\n<!-- /wp:heading -->",
                    gutenberg_inline(&block.text)
                )
            }
            BlockContent::List(list) => {
                let items: Vec<String> = nest_items(&list.items)
                    .into_iter()
                    .map(|(item, children)| {
                        let nested = if children.is_empty() {
                            String::new()
                        } else {
                            let inner: Vec<String> = children
                                .iter()
                                .map(|child| wp_list_item(&gutenberg_inline(&child.text)))
                                .collect();
                            wp_list(list.ordered, &inner)
                        };
                        wp_list_item(&format!("{}{nested}", gutenberg_inline(&item.text)))
                    })
                    .collect();
                wp_list(list.ordered, &items)
            }
            BlockContent::Quote(quote) => {
                let mut out = String::from("<!-- wp:quote -->\n<blockquote class=\"wp-block-quote\">");
                if !quote.text.is_empty() {
                    out.push_str(&wp_paragraph(&quote.text));
                }
                if !quote.citation.trim().is_empty() {
                    out.push_str(&format!("<cite>{}</cite>", plain(&quote.citation)));
                }
                out.push_str("</blockquote>\n<!-- /wp:quote -->");
                out
            }
            BlockContent::Divider(_) => "<!-- wp:separator -->\n<hr class=\"wp-block-separator has-alpha-channel-opacity\"/>\n<!-- /wp:separator -->".into(),
            BlockContent::Image(image) => match sanitize::check_image_src(&image.src) {
                Ok(src) => {
                    let caption = if image.caption.trim().is_empty() {
                        String::new()
                    } else {
                        format!(
                            "<figcaption class=\"wp-element-caption\">{}</figcaption>",
                            plain(&image.caption)
                        )
                    };
                    format!(
                        "<!-- wp:image -->\n<figure class=\"wp-block-image\"><img src=\"{}\" alt=\"{}\"/>{caption}</figure>\n<!-- /wp:image -->",
                        attr(&src),
                        attr(&image.alt)
                    )
                }
                Err(_) if image.caption.trim().is_empty() => String::new(),
                Err(_) => wp_paragraph(&RichText::plain(image.caption.trim())),
            },
            // As in classic text, readers drop one final newline: a final one of the code's own
            // is written twice.
            BlockContent::Code(code) => format!(
                "<!-- wp:code -->\n<pre class=\"wp-block-code\"><code>{}{}</code></pre>\n<!-- /wp:code -->",
                brackets(&escape_text(&code.code)),
                if code.code.ends_with('\n') { "\n" } else { "" }
            ),
            BlockContent::LinkCard(_) | BlockContent::Bubble(_) => {
                let html = html_export::block_html(&block.content, &HtmlOptions::default());
                format!("<!-- wp:html -->\n{}\n<!-- /wp:html -->", brackets(&html))
            }
            BlockContent::Unknown(_) => String::new(),
        };
        if !part.is_empty() {
            parts.push(part);
        }
    }
    parts.join("\n\n")
}

fn wp_paragraph(text: &RichText) -> String {
    format!(
        "<!-- wp:paragraph -->\n<p>{}</p>\n<!-- /wp:paragraph -->",
        gutenberg_inline(text)
    )
}

fn wp_list(ordered: bool, items: &[String]) -> String {
    let (attrs, tag) = if ordered {
        (" {\"ordered\":true}", "ol")
    } else {
        ("", "ul")
    };
    format!(
        "<!-- wp:list{attrs} -->\n<{tag} class=\"wp-block-list\">{}</{tag}>\n<!-- /wp:list -->",
        items.join("\n\n")
    )
}

fn wp_list_item(html: &str) -> String {
    format!("<!-- wp:list-item -->\n<li>{html}</li>\n<!-- /wp:list-item -->")
}

fn gutenberg_inline(text: &RichText) -> String {
    brackets(&inline_html::to_html(text, InlineStyle::Tags))
}

/// `[` and `]` as references, so WordPress runs no shortcode the author typed.
fn brackets(html: &str) -> String {
    html.replace('[', "&#91;").replace(']', "&#93;")
}

fn plain(text: &str) -> String {
    brackets(&escape_text(text)).replace('\n', "<br />")
}

/// A shortcode or HTML attribute value: escaped, brackets and typographic quotes as
/// references (WordPress's texturizer would otherwise blur them with the delimiters).
fn attr(value: &str) -> String {
    brackets(&escape_attr(value))
        .replace('”', "&#8221;")
        .replace('“', "&#8220;")
        .replace('″', "&#8243;")
        .replace('‘', "&#8216;")
        .replace('’', "&#8217;")
        .replace('\n', " ")
}

fn language_class(language: &str) -> String {
    let language = clean_language(language);
    if language.is_empty() {
        String::new()
    } else {
        format!(" class=\"language-{language}\"")
    }
}

/// Inline HTML with `breaks` between lines.
fn tagged(text: &RichText, breaks: &str) -> String {
    gutenberg_inline(text)
        .replace("<s>", "<del>")
        .replace("</s>", "</del>")
        .replace("<br>", breaks)
}

/// A paragraph of classic text: newlines as they are, URL-only lines kept as text.
fn classic_text(text: &RichText) -> String {
    tagged(text, "\n")
        .split('\n')
        .map(|line| {
            if sanitize::is_bare_url(line) {
                line.replacen(':', "&#58;", 1)
            } else {
                line.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn chat_shortcode(bubble: &Bubble) -> String {
    let speaker = &bubble.speaker;
    let mut out = String::from("[chat");
    if let Ok(face) = sanitize::check_image_src(&speaker.face) {
        out.push_str(&format!(" face=\"{}\"", attr(&face)));
    }
    out.push_str(&format!(
        " name=\"{}\" align=\"{}\" border=\"{}\" bg=\"{}\"",
        attr(&speaker.name),
        bubble.side.as_str(),
        speaker.border.as_str(),
        speaker.background.as_str()
    ));
    if bubble.style == BalloonStyle::Think {
        out.push_str(" style=\"think\"");
    }
    let text: Vec<String> = paragraphs(&bubble.text).iter().map(classic_text).collect();
    out.push_str(&format!("]{}[/chat]", text.join("\n\n")));
    out
}

// ---------------------------------------------------------------------------------------------
// Reading

/// Attributes of a shortcode (`key="value"`, `key='value'`, typographic quotes as WordPress's
/// texturizer writes them, or unquoted), with names lower-cased and references decoded.
pub(crate) fn shortcode_attrs(text: &str) -> Vec<(String, String)> {
    read_attrs(text, None).0
}

const CURLY: [&str; 15] = [
    "”", "“", "″", "‘", "’", "&#8221;", "&#8220;", "&#8243;", "&#8216;", "&#8217;", "&rdquo;",
    "&ldquo;", "&Prime;", "&lsquo;", "&rsquo;",
];
const STRAIGHT: [&str; 5] = ["\"", "'", "&quot;", "&#34;", "&#39;"];

/// The quote that opens a value, if any: (its text, whether any curly quote closes it).
fn opening_quote(text: &str) -> Option<(&'static str, bool)> {
    let find = |set: &[&'static str]| set.iter().copied().find(|quote| text.starts_with(quote));
    find(&STRAIGHT)
        .map(|quote| (quote, false))
        .or_else(|| find(&CURLY).map(|quote| (quote, true)))
}

/// Where the value opened by `quote` closes in `body`: (value length, closing quote length).
fn closing_quote(body: &str, quote: &str, curly: bool) -> Option<(usize, usize)> {
    body.char_indices().find_map(|(at, _)| {
        let rest = &body[at..];
        if curly {
            CURLY
                .iter()
                .find(|close| rest.starts_with(*close))
                .map(|close| (at, close.len()))
        } else {
            rest.starts_with(quote).then_some((at, quote.len()))
        }
    })
}

/// Reads attributes up to `end` (outside quotes); returns them and the bytes read, `end`
/// included. A value may be quoted by `"`, `'`, a typographic quote, or a reference to one.
fn read_attrs(text: &str, end: Option<char>) -> (Vec<(String, String)>, usize) {
    let mut attrs = Vec::new();
    let mut position = 0;
    loop {
        let rest = &text[position..];
        let trimmed = rest.trim_start();
        position += rest.len() - trimmed.len();
        if trimmed.is_empty() {
            return (attrs, position);
        }
        if end.is_some_and(|end| trimmed.starts_with(end)) {
            return (attrs, position + 1);
        }
        let key_len = trimmed
            .find(|ch: char| ch.is_whitespace() || ch == '=' || Some(ch) == end)
            .unwrap_or(trimmed.len())
            .max(1);
        // As WordPress reads them: its `strtolower` folds ASCII only.
        let key = trimmed[..key_len].to_ascii_lowercase();
        position += key_len;
        let Some(after_eq) = text[position..].trim_start().strip_prefix('=') else {
            attrs.push((key, String::new()));
            continue;
        };
        let value_text = after_eq.trim_start();
        position = text.len() - value_text.len();
        let value = match opening_quote(value_text) {
            Some((quote, curly)) => {
                let body = &value_text[quote.len()..];
                match closing_quote(body, quote, curly) {
                    Some((len, close)) => {
                        position += quote.len() + len + close;
                        &body[..len]
                    }
                    None => {
                        position = text.len();
                        body
                    }
                }
            }
            None => {
                let len = value_text
                    .find(|ch: char| ch.is_whitespace() || Some(ch) == end)
                    .unwrap_or(value_text.len());
                position += len;
                &value_text[..len]
            }
        };
        attrs.push((key, decode_entities(value)));
    }
}

/// Reads classic-editor text (see the module docs). Speakers are added to the registry by name,
/// each distinct face as an expression.
pub fn from_classic(
    text: &str,
    registry: &mut SpeakerRegistry,
    new_speaker_id: &mut dyn FnMut() -> String,
) -> Vec<BlockContent> {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut reader = ClassicReader {
        chunks: chunks(&text),
        index: 0,
        blocks: Vec::new(),
        registry,
        new_speaker_id,
    };
    while reader.index < reader.chunks.len() {
        let chunk = reader.chunks[reader.index].text.clone();
        reader.index += 1;
        reader.chunk(&chunk);
    }
    reader.blocks
}

struct Chunk {
    text: String,
    blank_before: usize,
}

const CONTAINERS: [&str; 7] = ["pre", "ul", "ol", "blockquote", "table", "figure", "div"];

fn count_tag(lower: &str, open: &str) -> usize {
    lower
        .match_indices(open)
        .filter(|(at, _)| {
            lower[at + open.len()..]
                .chars()
                .next()
                .is_none_or(|ch| ch.is_whitespace() || ch == '>' || ch == ']' || ch == '/')
        })
        .count()
}

/// Splits text at blank lines, except inside containers that may hold blank lines.
fn chunks(text: &str) -> Vec<Chunk> {
    let mut chunks = Vec::new();
    let mut current: Option<String> = None;
    let mut blanks = 0;
    let mut depth: isize = 0;
    for line in text.split('\n') {
        if depth <= 0 && line.trim().is_empty() {
            if let Some(text) = current.take() {
                chunks.push(Chunk {
                    text,
                    blank_before: blanks,
                });
                blanks = 0;
            }
            blanks += 1;
            continue;
        }
        let lower = line.to_ascii_lowercase();
        for name in CONTAINERS {
            depth += count_tag(&lower, &format!("<{name}")) as isize;
            depth -= lower.matches(&format!("</{name}>")).count() as isize;
        }
        for name in ["chat", "caption"] {
            depth += count_tag(&lower, &format!("[{name}")) as isize;
            depth -= lower.matches(&format!("[/{name}]")).count() as isize;
        }
        depth = depth.max(0);
        match &mut current {
            Some(text) => {
                text.push('\n');
                text.push_str(line);
            }
            None => current = Some(line.to_owned()),
        }
    }
    if let Some(text) = current {
        chunks.push(Chunk {
            text,
            blank_before: blanks,
        });
    }
    chunks
}

/// A line WordPress shows as nothing: whitespace, no-break spaces, `&nbsp;`.
fn is_spacer(text: &str) -> bool {
    decode_entities(text).trim().is_empty()
}

const BLOCK_TAGS: [&str; 17] = [
    "<p",
    "<div",
    "<h1",
    "<h2",
    "<h3",
    "<h4",
    "<h5",
    "<h6",
    "<ul",
    "<ol",
    "<li",
    "<blockquote",
    "<pre",
    "<figure",
    "<hr",
    "<img",
    "<table",
];

fn has_block_html(lower: &str) -> bool {
    lower.contains("<!--") || BLOCK_TAGS.iter().any(|tag| count_tag(lower, tag) > 0)
}

fn is_plain_line(line: &str) -> bool {
    let line = line.trim();
    !line.is_empty()
        && !line.contains(['<', '['])
        && !is_spacer(line)
        && !sanitize::is_bare_url(line)
        && line.chars().count() <= 120
}

struct ClassicReader<'a> {
    chunks: Vec<Chunk>,
    index: usize,
    blocks: Vec<BlockContent>,
    registry: &'a mut SpeakerRegistry,
    new_speaker_id: &'a mut dyn FnMut() -> String,
}

impl ClassicReader<'_> {
    fn chunk(&mut self, text: &str) {
        if is_spacer(text) {
            return;
        }
        if let Some(at) = find_chat(text) {
            self.chunk(&text[..at]);
            let rest = self.chat(&text[at..]);
            self.chunk(&rest);
            return;
        }
        let lower = text.to_ascii_lowercase();
        if has_block_html(&lower) || lower.contains("[caption") {
            self.blocks
                .extend(html_export::read_html(&captions_to_figures(text)));
            return;
        }
        let lines: Vec<&str> = text.split('\n').collect();
        let mut pending: Vec<&str> = Vec::new();
        let mut index = 0;
        while index < lines.len() {
            let line = lines[index].trim();
            index += 1;
            if !sanitize::is_bare_url(line) {
                pending.push(line);
                continue;
            }
            self.paragraph(&pending);
            pending.clear();
            let Ok(url) = sanitize::check_card_url(line) else {
                continue;
            };
            let mut card = LinkCard {
                url,
                ..Default::default()
            };
            if let Some((title, description)) = self.card_caption(&lines[index..]) {
                card.title = title;
                card.description = description;
                index = lines.len();
            }
            self.blocks.push(BlockContent::LinkCard(card));
        }
        self.paragraph(&pending);
    }

    /// The title and excerpt after a URL line (see the module docs), consuming them.
    fn card_caption(&mut self, after_url: &[&str]) -> Option<(String, String)> {
        let is_pair =
            |lines: &[&str]| lines.len() == 2 && lines.iter().all(|line| is_plain_line(line));
        let ellipsis = |excerpt: &str| {
            let excerpt = excerpt.trim();
            excerpt.ends_with('…') || excerpt.ends_with("...")
        };
        let pair_from = |lines: &[&str]| {
            (
                decode_entities(lines[0].trim()),
                decode_entities(lines[1].trim()),
            )
        };
        if !after_url.is_empty() {
            let ends_well = self
                .chunks
                .get(self.index)
                .is_none_or(|next| is_spacer(&next.text));
            return (is_pair(after_url) && (ellipsis(after_url[1]) || ends_well))
                .then(|| pair_from(after_url));
        }
        let next = self.chunks.get(self.index)?;
        let lines: Vec<&str> = next.text.split('\n').collect();
        if next.blank_before != 1 || !is_pair(&lines) {
            return None;
        }
        let ends_well = self
            .chunks
            .get(self.index + 1)
            .is_none_or(|after| is_spacer(&after.text));
        if !(ellipsis(lines[1]) || ends_well) {
            return None;
        }
        let pair = pair_from(&lines);
        self.index += 1;
        Some(pair)
    }

    fn paragraph(&mut self, lines: &[&str]) {
        let text = inline_lines(lines);
        if !text.to_plain().trim().is_empty() {
            self.blocks.push(BlockContent::Paragraph(Paragraph {
                text,
                ..Default::default()
            }));
        }
    }

    /// Reads a `[chat …]…[/chat]` at the start of `text`; returns the text after it.
    fn chat(&mut self, text: &str) -> String {
        let (attrs, used) = read_attrs(&text[5..], Some(']'));
        let body = &text[(5 + used).min(text.len())..];
        let (inner, rest) = match body.find("[/chat]") {
            Some(end) => (&body[..end], &body[end + 7..]),
            None => (body, ""),
        };
        let get = |key: &str| {
            attrs
                .iter()
                .find(|(name, _)| name == key)
                .map(|(_, value)| value.trim().to_owned())
                .unwrap_or_default()
        };
        let face = sanitize::check_image_src(&get("face")).unwrap_or_default();
        let border = Palette::parse(&get("border")).unwrap_or_default();
        let background = Palette::parse(&get("bg")).unwrap_or_default();
        let side = if get("align").eq_ignore_ascii_case("right") {
            Side::Right
        } else {
            Side::Left
        };
        let name = get("name");
        let speaker = if name.is_empty() {
            SpeakerLook {
                face: face.clone(),
                ..Default::default()
            }
        } else {
            let before = self.registry.speakers.len();
            let (id, label) = self
                .registry
                .ensure(&name, &face, &mut *self.new_speaker_id);
            // A speaker met for the first time takes this bubble's side and colours.
            if self.registry.speakers.len() > before {
                if let Some(speaker) = self.registry.get_mut(&id) {
                    speaker.side = side;
                    speaker.border = border;
                    speaker.background = background;
                }
            }
            self.registry
                .get(&id)
                .map(|speaker| speaker.look(&label))
                .unwrap_or_default()
        };
        let mut body = RichText::default();
        for paragraph in inner
            .split('\n')
            .collect::<Vec<_>>()
            .split(|l| l.trim().is_empty())
        {
            let text = inline_lines(paragraph);
            if text.is_empty() {
                continue;
            }
            if !body.is_empty() {
                body.push("\n\n", Default::default());
            }
            body.append(&text);
        }
        self.blocks.push(BlockContent::Bubble(Bubble {
            speaker: SpeakerLook {
                face,
                border,
                background,
                ..speaker
            },
            side,
            style: if get("style").eq_ignore_ascii_case("think") {
                BalloonStyle::Think
            } else {
                BalloonStyle::Talk
            },
            text: body,
            ..Default::default()
        }));
        rest.to_owned()
    }
}

fn find_chat(text: &str) -> Option<usize> {
    text.match_indices("[chat").map(|(at, _)| at).find(|at| {
        text[at + 5..]
            .chars()
            .next()
            .is_some_and(|ch| ch.is_whitespace() || ch == ']')
    })
}

/// Lines of classic text as inline text: spacer lines dropped, lines trimmed, a `<br>` at a
/// line's end not doubled with the newline after it.
fn inline_lines(lines: &[&str]) -> RichText {
    let kept: Vec<&str> = lines
        .iter()
        .map(|line| line.trim())
        .filter(|line| !is_spacer(line))
        .map(|line| {
            ["<br />", "<br/>", "<br>"]
                .iter()
                .find_map(|br| line.strip_suffix(br))
                .unwrap_or(line)
                .trim_end()
        })
        .collect();
    inline_html::from_html(&kept.join("\n"))
}

/// `[caption …]<img …> Text[/caption]` as the `<figure>` it renders to.
fn captions_to_figures(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("[caption") {
        out.push_str(&rest[..start]);
        let after = &rest[start..];
        let Some(open_end) = after.find(']') else {
            out.push_str(after);
            return out;
        };
        let body_and_rest = &after[open_end + 1..];
        let (body, tail) = match body_and_rest.find("[/caption]") {
            Some(end) => (&body_and_rest[..end], &body_and_rest[end + 10..]),
            None => (body_and_rest, ""),
        };
        let lower = body.to_ascii_lowercase();
        let media_end = lower
            .rfind("</a>")
            .map(|at| at + 4)
            .or_else(|| {
                lower
                    .find("<img")
                    .and_then(|at| lower[at..].find('>').map(|end| at + end + 1))
            })
            .unwrap_or(0);
        out.push_str(&format!(
            "<figure>{}<figcaption>{}</figcaption></figure>",
            &body[..media_end],
            body[media_end..].trim()
        ));
        rest = tail;
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_take_any_quotes() {
        let attrs =
            shortcode_attrs(" face=”a.png” name='Ken' align=right border=\"x]y\" bg=“none″");
        assert_eq!(
            attrs,
            vec![
                ("face".to_owned(), "a.png".to_owned()),
                ("name".to_owned(), "Ken".to_owned()),
                ("align".to_owned(), "right".to_owned()),
                ("border".to_owned(), "x]y".to_owned()),
                ("bg".to_owned(), "none".to_owned()),
            ]
        );
        let entities = shortcode_attrs("name=&#8221;Ken&#8221; title=\"a &#8221; b\"");
        assert_eq!(entities[0].1, "Ken");
        assert_eq!(entities[1].1, "a ” b");
        let (attrs, used) = read_attrs(" name=\"a]b\"]rest", Some(']'));
        assert_eq!(attrs[0].1, "a]b");
        assert_eq!(&" name=\"a]b\"]rest"[used..], "rest");
    }

    #[test]
    fn captions_become_figures() {
        let html = captions_to_figures("[caption id=\"x\" align=\"aligncenter\"]<img src=\"a.png\" alt=\"A\" /> The cap[/caption]");
        assert_eq!(
            html,
            "<figure><img src=\"a.png\" alt=\"A\" /><figcaption>The cap</figcaption></figure>"
        );
        // Lower-casing `İ` changes its length; offsets must still fit the original.
        let html = captions_to_figures("[caption]İİ<IMG src=\"a.png\">İ cap[/caption]");
        assert_eq!(
            html,
            "<figure>İİ<IMG src=\"a.png\"><figcaption>İ cap</figcaption></figure>"
        );
    }

    #[test]
    fn chunks_keep_blank_lines_inside_code_and_chat() {
        let chunks = chunks("a\n\n<pre>x\n\ny</pre>\n\n\n[chat name=\"A\"]p\n\nq[/chat]");
        let texts: Vec<_> = chunks
            .iter()
            .map(|c| (c.text.as_str(), c.blank_before))
            .collect();
        assert_eq!(
            texts,
            vec![
                ("a", 0),
                ("<pre>x\n\ny</pre>", 1),
                ("[chat name=\"A\"]p\n\nq[/chat]", 2)
            ]
        );
    }
}
