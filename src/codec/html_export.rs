//! A post as HTML that pastes into any CMS and looks like the editor's view, and the reader of
//! that HTML's bubbles and cards. Pure.
//!
//! Two modes: inline `style` attributes on every element (the default: CMSs strip `<style>` and
//! classes), or `class="tsz-…"` names styled by [`STYLESHEET`]. Text is always escaped, only URLs
//! that pass [`crate::sanitize`] are written, and no script or event attribute is ever produced.
//! Bubbles and cards carry `data-tsz-…` attributes so that other codecs can read them back.

use super::html_blocks;
use super::html_tree::{self, escape_text, write_escaped, Element, Escape, Node};
use super::inline_html::{self, InlineStyle};
use crate::model::{
    BalloonStyle, BlockContent, Bubble, Code, Document, IconShape, Image, LinkCard, List, ListItem,
    Palette, Quote, RichText, Side, SpeakerLook,
};
use crate::sanitize;
use std::fmt::{self, Write as _};

/// How exported HTML is styled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HtmlOptions {
    /// Inline `style` attributes (true) or `class` names plus [`STYLESHEET`] (false).
    pub inline_styles: bool,
}

impl Default for HtmlOptions {
    fn default() -> Self {
        HtmlOptions {
            inline_styles: true,
        }
    }
}

/// The CSS for class mode. Each palette class sets a custom property; the colours must match
/// `Palette::border_css`/`background_css` (a test checks them).
pub const STYLESHEET: &str = r#".tsz-post{color:#333;line-height:1.8}
.tsz-p{margin:0 0 1em}
.tsz-h{margin:1.6em 0 0.6em;line-height:1.4}
.tsz-h2{font-size:1.5em;border-bottom:2px solid #e5e5e5;padding-bottom:0.2em}
.tsz-h3{font-size:1.25em;border-left:4px solid #ccc;padding-left:0.5em}
.tsz-h4{font-size:1.1em}
.tsz-list{margin:0 0 1em;padding-left:1.6em}
.tsz-list .tsz-list{margin:0.2em 0 0}
.tsz-quote{margin:1.5em 0;padding:0.8em 1em;border-left:4px solid #ccc;background:#f7f7f7;color:#555}
.tsz-quote p{margin:0}
.tsz-cite{display:block;margin-top:0.5em;font-size:0.9em;color:#777;font-style:normal}
.tsz-hr{border:none;border-top:1px solid #ddd;margin:2em 0}
.tsz-figure{margin:1.5em 0;text-align:center}
.tsz-img{max-width:100%;height:auto}
.tsz-caption{margin-top:0.4em;font-size:0.85em;color:#666}
.tsz-code{background:#f6f8fa;border:1px solid #e5e5e5;border-radius:6px;padding:12px 16px;overflow:auto;font-size:13px;line-height:1.6;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
.tsz-code code{font-family:inherit;background:none;padding:0}
.tsz-post mark{background:linear-gradient(transparent 55%,#fff3a0 55%);color:inherit;padding:0 1px}
.tsz-post :not(pre)>code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:#f2f2f2;border-radius:3px;padding:0.1em 0.3em;font-size:0.9em}
.tsz-post a{color:#1a6fc4;text-decoration:underline}
.tsz-card{margin:1.5em 0}
.tsz-post .tsz-card-box{display:flex;align-items:stretch;border:1px solid #dcdcdc;border-radius:8px;overflow:hidden;background:#fff;color:inherit;text-decoration:none;box-shadow:0 1px 3px rgba(0,0,0,0.06)}
.tsz-card-body{display:flex;flex-direction:column;justify-content:center;gap:4px;flex:1 1 auto;min-width:0;padding:12px 16px}
.tsz-card-title{display:-webkit-box;-webkit-box-orient:vertical;-webkit-line-clamp:2;overflow:hidden;font-weight:bold;font-size:15px;line-height:1.4;color:#222}
.tsz-card-desc{display:-webkit-box;-webkit-box-orient:vertical;-webkit-line-clamp:2;overflow:hidden;font-size:13px;line-height:1.5;color:#666}
.tsz-card-site{display:flex;align-items:center;gap:6px;font-size:12px;color:#888}
.tsz-card-favicon{width:16px;height:16px;flex:0 0 16px;border-radius:2px}
.tsz-card-thumb{flex:0 0 120px;width:120px;background:#f3f3f3}
.tsz-card-thumb img{display:block;width:120px;height:100%;min-height:90px;object-fit:cover}
.tsz-bubble{--tsz-border:#d5d5d5;--tsz-bg:#f3f3f3;display:flex;flex-direction:row;align-items:flex-start;gap:14px;margin:1.5em 0}
.tsz-bubble.tsz-right{flex-direction:row-reverse}
.tsz-face{flex:0 0 72px;width:72px;text-align:center}
.tsz-face-img{display:block;width:72px;height:72px;margin:0 auto;border-radius:50%;object-fit:cover;border:2px solid var(--tsz-border);background:var(--tsz-bg);box-sizing:border-box}
.tsz-face-initial{display:flex;align-items:center;justify-content:center;color:#888;font-size:28px;font-weight:bold}
.tsz-square .tsz-face-img{border-radius:10px}
.tsz-name{margin-top:4px;font-size:11px;line-height:1.3;color:#666;word-break:break-all}
.tsz-balloon{position:relative;flex:1 1 auto;min-width:0;padding:12px 16px;border:2px solid var(--tsz-border);border-radius:10px;background:var(--tsz-bg);color:#333;line-height:1.7;box-sizing:border-box}
.tsz-balloon p{margin:0}
.tsz-balloon p+p{margin-top:0.8em}
.tsz-think .tsz-balloon{border-style:dashed;border-radius:24px}
.tsz-tail,.tsz-tail-inner{position:absolute;width:0;height:0;border-style:solid;border-color:transparent}
.tsz-tail{top:22px;left:-12px;border-width:8px 12px 8px 0;border-right-color:var(--tsz-border)}
.tsz-tail-inner{top:24px;left:-9px;border-width:6px 9px 6px 0;border-right-color:var(--tsz-bg)}
.tsz-right .tsz-tail{left:auto;right:-12px;border-width:8px 0 8px 12px;border-color:transparent transparent transparent var(--tsz-border)}
.tsz-right .tsz-tail-inner{left:auto;right:-9px;border-width:6px 0 6px 9px;border-color:transparent transparent transparent var(--tsz-bg)}
.tsz-think .tsz-tail,.tsz-think .tsz-tail-inner{border:2px dashed var(--tsz-border);border-radius:50%;background:var(--tsz-bg);box-sizing:border-box}
.tsz-think .tsz-tail{top:26px;left:-16px;width:12px;height:12px}
.tsz-think .tsz-tail-inner{top:36px;left:-26px;width:8px;height:8px}
.tsz-think.tsz-right .tsz-tail{left:auto;right:-16px}
.tsz-think.tsz-right .tsz-tail-inner{left:auto;right:-26px}
.tsz-border-none .tsz-face-img{border-color:#e5e5e5}
.tsz-border-none.tsz-think .tsz-tail,.tsz-border-none.tsz-think .tsz-tail-inner{border-color:#cccccc}
.tsz-border-gray{--tsz-border:#d5d5d5}
.tsz-border-blue{--tsz-border:#7cb3e9}
.tsz-border-red{--tsz-border:#ee8d8d}
.tsz-border-green{--tsz-border:#8cc98f}
.tsz-border-yellow{--tsz-border:#e6c65c}
.tsz-border-none{--tsz-border:transparent}
.tsz-bg-gray{--tsz-bg:#f3f3f3}
.tsz-bg-blue{--tsz-bg:#eaf4fd}
.tsz-bg-red{--tsz-bg:#fdeeee}
.tsz-bg-green{--tsz-bg:#edf8ee}
.tsz-bg-yellow{--tsz-bg:#fdf8e4}
.tsz-bg-none{--tsz-bg:#ffffff}
"#;

const FONT_MONO: &str = "ui-monospace,SFMono-Regular,Menlo,Consolas,monospace";

/// The post's blocks as an HTML fragment, one block per line (the title is left to the CMS).
/// Unknown blocks are skipped.
pub fn to_html(doc: &Document, options: &HtmlOptions) -> String {
    let mut out =
        String::with_capacity(doc.blocks.len() * if options.inline_styles { 900 } else { 300 });
    if !options.inline_styles {
        out.push_str("<div class=\"tsz-post\">\n");
    }
    let mut first = true;
    let mut frames = BubbleFrames::default();
    for block in &doc.blocks {
        let html = match &block.content {
            BlockContent::Bubble(bubble) => frames.bubble_html(bubble, options),
            content => block_html(content, options),
        };
        if html.is_empty() {
            continue;
        }
        if !first {
            out.push('\n');
        }
        first = false;
        out.push_str(&html);
    }
    if !options.inline_styles {
        out.push_str("\n</div>");
    }
    out
}

/// A complete HTML page: charset, escaped title, the stylesheet in class mode, the title as
/// `<h1>`, and the fragment.
pub fn html_document(doc: &Document, options: &HtmlOptions) -> String {
    html_page(&doc.title, &to_html(doc, options), options)
}

/// The page of [`html_document`] around a fragment [`to_html`] made with the same options, so
/// the export dialog makes the page of the fragment it already has instead of a second export.
pub fn html_page(title: &str, fragment: &str, options: &HtmlOptions) -> String {
    let escaped = escape_text(title);
    let heading = if title.trim().is_empty() {
        String::new()
    } else {
        format!("<h1>{escaped}</h1>\n")
    };
    let (style, body_attr) = if options.inline_styles {
        (
            String::new(),
            " style=\"max-width:720px;margin:2em auto;padding:0 1em;font-family:sans-serif;line-height:1.8;color:#333\"",
        )
    } else {
        (
            format!("<style>\nbody{{max-width:720px;margin:2em auto;padding:0 1em;font-family:sans-serif}}\n{STYLESHEET}</style>\n"),
            "",
        )
    };
    format!(
        "<!doctype html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{escaped}</title>\n{style}</head>\n<body{body_attr}>\n{heading}{fragment}\n</body>\n</html>\n"
    )
}

/// The page of [`html_document`] as the export dialog previews it: each block of the post is
/// laid out only once it scrolls near the preview's view, so a long post's preview shows at
/// once. The page itself (copied or downloaded) is left as it is.
pub fn preview_page(page: &str) -> String {
    const LAZY_BLOCKS: &str = "<style>body>:not(.tsz-post),.tsz-post>*{content-visibility:auto;contain-intrinsic-size:auto 3em}</style>\n";
    let mut out = String::with_capacity(page.len() + LAZY_BLOCKS.len());
    match page.find("</head>") {
        Some(at) => {
            out.push_str(&page[..at]);
            out.push_str(LAZY_BLOCKS);
            out.push_str(&page[at..]);
        }
        None => {
            out.push_str(LAZY_BLOCKS);
            out.push_str(page);
        }
    }
    out
}

/// One block as HTML on a single line (no newline inside, so it also works as a Markdown HTML
/// block); empty for blocks that export nothing.
pub fn block_html(content: &BlockContent, options: &HtmlOptions) -> String {
    let o = options;
    match content {
        BlockContent::Paragraph(block) => {
            if block.text.is_empty() {
                return String::new();
            }
            format!(
                "<p{}>{}</p>",
                look(o, "tsz-p", "margin:0 0 1em;line-height:1.8"),
                inline(&block.text, o)
            )
        }
        BlockContent::Heading(block) => {
            let level = block.clamped_level();
            let css = match level {
                2 => "margin:1.6em 0 0.6em;font-size:1.5em;line-height:1.4;border-bottom:2px solid #e5e5e5;padding-bottom:0.2em",
                3 => "margin:1.6em 0 0.6em;font-size:1.25em;line-height:1.4;border-left:4px solid #ccc;padding-left:0.5em",
                _ => "margin:1.6em 0 0.6em;font-size:1.1em;line-height:1.4",
            };
            format!(
                "<h{level}{}>{}</h{level}>",
                look(o, &format!("tsz-h tsz-h{level}"), css),
                inline(&block.text, o)
            )
        }
        BlockContent::List(list) => list_html(list, o),
        BlockContent::Quote(quote) => quote_html(quote, o),
        BlockContent::Divider(_) => format!(
            "<hr{}>",
            look(
                o,
                "tsz-hr",
                "border:none;border-top:1px solid #ddd;margin:2em 0"
            )
        ),
        BlockContent::Image(image) => image_html(image, o),
        BlockContent::Code(code) => code_html(code, o),
        BlockContent::LinkCard(card) => card_html(card, o),
        BlockContent::Bubble(bubble) => BubbleFrames::default().bubble_html(bubble, o),
        BlockContent::Unknown(_) => String::new(),
    }
}

/// ` class="…"` or ` style="…"`, by mode.
fn look<'a>(options: &HtmlOptions, class: &'a str, css: &'a str) -> Look<'a> {
    Look {
        inline_styles: options.inline_styles,
        class,
        css,
    }
}

/// Written straight into the output by `format!`/`write!`, so export builds no string per
/// attribute.
struct Look<'a> {
    inline_styles: bool,
    class: &'a str,
    css: &'a str,
}

impl fmt::Display for Look<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (name, value) = if self.inline_styles {
            (" style=\"", self.css)
        } else {
            (" class=\"", self.class)
        };
        f.write_str(name)?;
        write_escaped(f, value, Escape::AttrOneLine)?;
        f.write_str("\"")
    }
}

/// Text escaped as it is written.
struct Escaped<'a>(&'a str, Escape);

impl fmt::Display for Escaped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_escaped(f, self.0, self.1)
    }
}

/// An attribute value that also keeps the element on one line.
fn attr(value: &str) -> Escaped<'_> {
    Escaped(value, Escape::AttrOneLine)
}

/// Escaped text whose newlines are references (shown as spaces, read back as newlines).
fn one_line(text: &str) -> Escaped<'_> {
    Escaped(text, Escape::TextOneLine)
}

/// Inline text as HTML, written as it is formatted.
struct Inline<'a> {
    text: &'a RichText,
    style: InlineStyle,
}

impl fmt::Display for Inline<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Breaks are `<br>`; what is left to keep the line whole is a carriage return.
        inline_html::write_html(f, self.text, self.style, Escape::TextOneLine)
    }
}

fn inline<'a>(text: &'a RichText, options: &HtmlOptions) -> Inline<'a> {
    Inline {
        text,
        style: if options.inline_styles {
            InlineStyle::Inline
        } else {
            InlineStyle::Tags
        },
    }
}

/// Items grouped under their top-level item: an indented item nests under the one before it
/// (a leading indented item has nothing to nest under and counts as top-level).
pub(crate) fn nest_items(items: &[ListItem]) -> Vec<(&ListItem, Vec<&ListItem>)> {
    let mut groups: Vec<(&ListItem, Vec<&ListItem>)> = Vec::new();
    for item in items {
        match groups.last_mut() {
            Some((_, children)) if item.indent > 0 => children.push(item),
            _ => groups.push((item, Vec::new())),
        }
    }
    groups
}

/// A bubble's text split into paragraphs at blank lines.
pub(crate) fn paragraphs(text: &RichText) -> Vec<RichText> {
    if !text.runs().iter().any(|run| run.text.contains('\n')) {
        return if text.is_empty() {
            Vec::new()
        } else {
            vec![text.clone()]
        };
    }
    let plain: Vec<char> = text.to_plain().chars().collect();
    let mut out = Vec::new();
    let (mut start, mut index) = (0, 0);
    while index < plain.len() {
        if plain[index] == '\n' && plain.get(index + 1) == Some(&'\n') {
            let mut end = index;
            while end < plain.len() && plain[end] == '\n' {
                end += 1;
            }
            out.push(text.slice(start, index));
            start = end;
            index = end;
        } else {
            index += 1;
        }
    }
    out.push(text.slice(start, plain.len()));
    out.retain(|paragraph| !paragraph.is_empty());
    out
}

fn list_html(list: &List, o: &HtmlOptions) -> String {
    let tag = if list.ordered { "ol" } else { "ul" };
    let list_look = look(o, "tsz-list", "margin:0 0 1em;padding-left:1.6em");
    let nested_look = look(o, "tsz-list", "margin:0.2em 0 0;padding-left:1.6em");
    let item_look = if o.inline_styles {
        " style=\"margin:0.2em 0\""
    } else {
        ""
    };
    let mut out = format!("<{tag}{list_look}>");
    for (item, children) in nest_items(&list.items) {
        out.push_str(&format!("<li{item_look}>{}", inline(&item.text, o)));
        if !children.is_empty() {
            out.push_str(&format!("<{tag}{nested_look}>"));
            for child in children {
                out.push_str(&format!("<li{item_look}>{}</li>", inline(&child.text, o)));
            }
            out.push_str(&format!("</{tag}>"));
        }
        out.push_str("</li>");
    }
    out.push_str(&format!("</{tag}>"));
    out
}

fn quote_html(quote: &Quote, o: &HtmlOptions) -> String {
    let mut out = format!(
        "<blockquote{}>",
        look(
            o,
            "tsz-quote",
            "margin:1.5em 0;padding:0.8em 1em;border-left:4px solid #ccc;background:#f7f7f7;color:#555"
        )
    );
    if !quote.text.is_empty() {
        let p_look = if o.inline_styles {
            " style=\"margin:0\""
        } else {
            ""
        };
        out.push_str(&format!("<p{p_look}>{}</p>", inline(&quote.text, o)));
    }
    if !quote.citation.trim().is_empty() {
        out.push_str(&format!(
            "<cite{}>{}</cite>",
            look(
                o,
                "tsz-cite",
                "display:block;margin-top:0.5em;font-size:0.9em;color:#777;font-style:normal"
            ),
            inline(&RichText::plain(&quote.citation), o)
        ));
    }
    out.push_str("</blockquote>");
    out
}

fn image_html(image: &Image, o: &HtmlOptions) -> String {
    let src = sanitize::check_image_src(&image.src).ok();
    if src.is_none() && image.caption.trim().is_empty() {
        return String::new();
    }
    let mut out = format!(
        "<figure{}>",
        look(o, "tsz-figure", "margin:1.5em 0;text-align:center")
    );
    if let Some(src) = src {
        out.push_str(&format!(
            "<img src=\"{}\" alt=\"{}\"{}>",
            attr(&src),
            attr(&image.alt),
            look(o, "tsz-img", "max-width:100%;height:auto")
        ));
    }
    if !image.caption.trim().is_empty() {
        out.push_str(&format!(
            "<figcaption{}>{}</figcaption>",
            look(
                o,
                "tsz-caption",
                "margin-top:0.4em;font-size:0.85em;color:#666"
            ),
            inline(&RichText::plain(&image.caption), o)
        ));
    }
    out.push_str("</figure>");
    out
}

/// A code language safe in a class name and an info string.
pub(crate) fn clean_language(language: &str) -> String {
    language
        .chars()
        .filter(|ch| ch.is_ascii_alphanumeric() || matches!(ch, '-' | '_' | '+' | '.' | '#'))
        .collect()
}

fn code_html(code: &Code, o: &HtmlOptions) -> String {
    let language = clean_language(&code.language);
    let class = if language.is_empty() {
        String::new()
    } else {
        format!(" class=\"language-{language}\"")
    };
    let code_style = if o.inline_styles {
        " style=\"font-family:inherit;background:none;padding:0\""
    } else {
        ""
    };
    // Newlines inside <pre> are content; as references they keep the element on one line.
    let body = one_line(&code.code);
    // A newline just before `</code>` ends the last line rather than adding one, for browsers
    // and for our reader alike; a final newline of the code's own is written once more.
    let last_line_end = if code.code.ends_with('\n') {
        "&#10;"
    } else {
        ""
    };
    format!(
        "<pre{}><code{class}{code_style}>{body}{last_line_end}</code></pre>",
        look(
            o,
            "tsz-code",
            &format!("background:#f6f8fa;border:1px solid #e5e5e5;border-radius:6px;padding:12px 16px;overflow:auto;font-size:13px;line-height:1.6;font-family:{FONT_MONO}")
        )
    )
}

fn card_html(card: &LinkCard, o: &HtmlOptions) -> String {
    // Written in order into one string: a post may hold hundreds of cards.
    let mut out = String::with_capacity(if o.inline_styles { 1600 } else { 600 });
    // Writing into a String cannot fail.
    let _ = write_card(&mut out, card, o);
    out
}

fn write_card(out: &mut String, card: &LinkCard, o: &HtmlOptions) -> fmt::Result {
    let url = sanitize::check_card_url(&card.url).ok();
    let box_look = look(
        o,
        "tsz-card-box",
        "display:flex;align-items:stretch;border:1px solid #dcdcdc;border-radius:8px;overflow:hidden;background:#fff;color:inherit;text-decoration:none;box-shadow:0 1px 3px rgba(0,0,0,0.06)",
    );
    write!(
        out,
        "<div data-tsz=\"card\"{}>",
        look(o, "tsz-card", "margin:1.5em 0")
    )?;
    let close = match &url {
        Some(url) => {
            write!(out, "<a href=\"{}\"{box_look}>", attr(url))?;
            "</a>"
        }
        None => {
            write!(out, "<div{box_look}>")?;
            "</div>"
        }
    };
    write!(
        out,
        "<span{}>",
        look(
            o,
            "tsz-card-body",
            "display:flex;flex-direction:column;justify-content:center;gap:4px;flex:1 1 auto;min-width:0;padding:12px 16px"
        )
    )?;
    let own_title = !card.title.trim().is_empty();
    write!(
        out,
        "<span data-tsz-part=\"{}\"{}>{}</span>",
        if own_title { "title" } else { "domain" },
        look(
            o,
            "tsz-card-title",
            "display:-webkit-box;-webkit-box-orient:vertical;-webkit-line-clamp:2;overflow:hidden;font-weight:bold;font-size:15px;line-height:1.4;color:#222"
        ),
        one_line(&card.display_title())
    )?;
    if !card.description.trim().is_empty() {
        write!(
            out,
            "<span data-tsz-part=\"description\"{}>{}</span>",
            look(
                o,
                "tsz-card-desc",
                "display:-webkit-box;-webkit-box-orient:vertical;-webkit-line-clamp:2;overflow:hidden;font-size:13px;line-height:1.5;color:#666"
            ),
            one_line(&card.description)
        )?;
    }
    let site = card.display_site();
    if !site.trim().is_empty() {
        write!(
            out,
            "<span{}>",
            look(
                o,
                "tsz-card-site",
                "display:flex;align-items:center;gap:6px;font-size:12px;color:#888"
            )
        )?;
        if let Some(icon) = card
            .favicon()
            .and_then(|icon| sanitize::check_image_src(&icon).ok())
        {
            write!(
                out,
                "<img src=\"{}\" alt=\"\" width=\"16\" height=\"16\"{}>",
                attr(&icon),
                look(
                    o,
                    "tsz-card-favicon",
                    "width:16px;height:16px;flex:0 0 16px;border-radius:2px"
                )
            )?;
        }
        let part = if card.site_name.trim().is_empty() {
            "domain"
        } else {
            "site"
        };
        write!(
            out,
            "<span data-tsz-part=\"{part}\">{}</span></span>",
            one_line(&site)
        )?;
    }
    out.push_str("</span>");
    if let Ok(image) = sanitize::check_image_src(&card.image) {
        let img_style = if o.inline_styles {
            " style=\"display:block;width:120px;height:100%;min-height:90px;object-fit:cover\""
        } else {
            ""
        };
        write!(
            out,
            "<span{}><img data-tsz-part=\"image\" src=\"{}\" alt=\"\"{img_style}></span>",
            look(
                o,
                "tsz-card-thumb",
                "flex:0 0 120px;width:120px;background:#f3f3f3"
            ),
            attr(&image)
        )?;
    }
    out.push_str(close);
    out.push_str("</div>");
    Ok(())
}

/// Everything of a bubble's HTML before its text.
fn bubble_frame(bubble: &Bubble, o: &HtmlOptions) -> String {
    let speaker = &bubble.speaker;
    let right = bubble.side == Side::Right;
    let think = bubble.style == BalloonStyle::Think;
    let border = speaker.border.border_css();
    let background = speaker.background.background_css();
    let round = if speaker.shape == IconShape::Square {
        "10px"
    } else {
        "50%"
    };
    let data = format!(
        " data-tsz=\"bubble\" data-tsz-name=\"{}\" data-tsz-side=\"{}\" data-tsz-style=\"{}\" data-tsz-border=\"{}\" data-tsz-bg=\"{}\" data-tsz-shape=\"{}\" data-tsz-show-name=\"{}\"",
        attr(&speaker.name),
        bubble.side.as_str(),
        if think { "think" } else { "talk" },
        speaker.border.as_str(),
        speaker.background.as_str(),
        if speaker.shape == IconShape::Square { "square" } else { "circle" },
        speaker.show_name,
    );
    let classes = format!(
        "tsz-bubble tsz-{}{}{} tsz-border-{} tsz-bg-{}",
        bubble.side.as_str(),
        if think { " tsz-think" } else { "" },
        if speaker.shape == IconShape::Square {
            " tsz-square"
        } else {
            ""
        },
        speaker.border.as_str(),
        speaker.background.as_str()
    );
    let row = look(
        o,
        &classes,
        if right {
            "display:flex;flex-direction:row-reverse;align-items:flex-start;gap:14px;margin:1.5em 0"
        } else {
            "display:flex;flex-direction:row;align-items:flex-start;gap:14px;margin:1.5em 0"
        },
    );
    let face_css = format!(
        "display:block;width:72px;height:72px;margin:0 auto;border-radius:{round};object-fit:cover;border:2px solid {};background:{background};box-sizing:border-box",
        border.unwrap_or("#e5e5e5")
    );
    let face = match sanitize::check_image_src(&speaker.face) {
        Ok(src) => format!(
            "<img data-tsz-part=\"face\" src=\"{}\" alt=\"{}\" width=\"72\" height=\"72\"{}>",
            attr(&src),
            attr(&speaker.name),
            look(o, "tsz-face-img", &face_css)
        ),
        Err(_) => format!(
            "<span{}>{}</span>",
            look(
                o,
                "tsz-face-img tsz-face-initial",
                &format!("{face_css};display:flex;align-items:center;justify-content:center;color:#888;font-size:28px;font-weight:bold")
            ),
            one_line(&initial(speaker))
        ),
    };
    let name = if speaker.show_name && !speaker.name.trim().is_empty() {
        format!(
            "<div{}>{}</div>",
            look(
                o,
                "tsz-name",
                "margin-top:4px;font-size:11px;line-height:1.3;color:#666;word-break:break-all"
            ),
            inline(&RichText::plain(&speaker.name), o)
        )
    } else {
        String::new()
    };
    let balloon_css = format!(
            "position:relative;flex:1 1 auto;min-width:0;padding:12px 16px;border:{};border-radius:{};background:{background};color:#333;line-height:1.7;box-sizing:border-box",
            match border {
                Some(color) => format!("2px {} {color}", if think { "dashed" } else { "solid" }),
                None => "none".into(),
            },
            if think { "24px" } else { "10px" }
        );
    let balloon = look(o, "tsz-balloon", &balloon_css);
    format!(
        "<div{data}{row}><div{}>{face}{name}</div><div{balloon}>{}<div data-tsz-part=\"text\">",
        look(o, "tsz-face", "flex:0 0 72px;width:72px;text-align:center"),
        tail(o, right, think, border, background),
    )
}

/// What closes a bubble after its text.
const BUBBLE_END: &str = "</div></div></div>";

/// A bubble's text, one `<p>` per paragraph.
fn write_bubble_text(out: &mut String, bubble: &Bubble, o: &HtmlOptions) {
    for (index, paragraph) in paragraphs(&bubble.text).iter().enumerate() {
        let p_look = match (o.inline_styles, index) {
            (false, _) => "",
            (true, 0) => " style=\"margin:0\"",
            (true, _) => " style=\"margin:0.8em 0 0\"",
        };
        // Writing into a String cannot fail.
        let _ = write!(out, "<p{p_look}>{}</p>", inline(paragraph, o));
    }
}

/// The bubble frames one export has written. Everything around a bubble's text depends only
/// on its look, and a post's bubbles come from a handful of speakers, so each frame is built
/// once.
#[derive(Default)]
pub(crate) struct BubbleFrames {
    frames: Vec<(SpeakerLook, Side, BalloonStyle, bool, String)>,
}

impl BubbleFrames {
    const KEPT: usize = 16;

    pub(crate) fn bubble_html(&mut self, bubble: &Bubble, o: &HtmlOptions) -> String {
        let same = |(speaker, side, style, inline_styles, _): &(
            SpeakerLook,
            Side,
            BalloonStyle,
            bool,
            String,
        )| {
            speaker == &bubble.speaker
                && *side == bubble.side
                && *style == bubble.style
                && *inline_styles == o.inline_styles
        };
        let index = match self.frames.iter().position(same) {
            Some(index) => index,
            None => {
                if self.frames.len() == Self::KEPT {
                    self.frames.remove(0);
                }
                self.frames.push((
                    bubble.speaker.clone(),
                    bubble.side,
                    bubble.style,
                    o.inline_styles,
                    bubble_frame(bubble, o),
                ));
                self.frames.len() - 1
            }
        };
        let frame = &self.frames[index].4;
        let mut out = String::with_capacity(frame.len() + 256);
        out.push_str(frame);
        write_bubble_text(&mut out, bubble, o);
        out.push_str(BUBBLE_END);
        out
    }
}

fn initial(speaker: &SpeakerLook) -> String {
    speaker
        .name
        .trim()
        .chars()
        .next()
        .map(String::from)
        .unwrap_or_else(|| "?".into())
}

/// The balloon's tail: a border-coloured triangle under a background-coloured one (pseudo
/// elements cannot be inline), or two small dots for a thought.
fn tail(
    o: &HtmlOptions,
    right: bool,
    think: bool,
    border: Option<&str>,
    background: &str,
) -> String {
    let side = if right { "right" } else { "left" };
    let (outer, inner) = if think {
        let edge = border.unwrap_or("#cccccc");
        let dot = |top: u8, offset: u8, size: u8| {
            format!("position:absolute;top:{top}px;{side}:-{offset}px;width:{size}px;height:{size}px;border:2px dashed {edge};border-radius:50%;background:{background};box-sizing:border-box")
        };
        (dot(26, 16, 12), dot(36, 26, 8))
    } else {
        let triangle = |top: u8, offset: u8, half: u8, color: &str| {
            let (widths, colors) = if right {
                (
                    format!("{half}px 0 {half}px {offset}px"),
                    format!("transparent transparent transparent {color}"),
                )
            } else {
                (
                    format!("{half}px {offset}px {half}px 0"),
                    format!("transparent {color} transparent transparent"),
                )
            };
            format!("position:absolute;top:{top}px;{side}:-{offset}px;width:0;height:0;border-style:solid;border-width:{widths};border-color:{colors}")
        };
        (
            triangle(22, 12, 8, border.unwrap_or(background)),
            triangle(24, 9, 6, background),
        )
    };
    format!(
        "<span{}></span><span{}></span>",
        look(o, "tsz-tail", &outer),
        look(o, "tsz-tail-inner", &inner)
    )
}

/// Reads HTML that may hold blocks written by [`block_html`]: each line that is exactly one of
/// our bubbles or cards becomes that block; everything else goes through the sanitising reader.
pub fn read_html(html: &str) -> Vec<BlockContent> {
    let mut blocks = Vec::new();
    let mut pending = String::new();
    for line in html.lines() {
        if let Some(block) = read_block_html(line) {
            blocks.extend(html_blocks::from_html(&std::mem::take(&mut pending)));
            blocks.push(block);
        } else {
            pending.push_str(line);
            pending.push('\n');
        }
    }
    blocks.extend(html_blocks::from_html(&pending));
    blocks
}

/// A bubble or card written by [`block_html`], when the HTML is exactly one of them.
pub fn read_block_html(html: &str) -> Option<BlockContent> {
    let html = html.trim();
    if !html.starts_with("<div") || !html.contains("data-tsz=") {
        return None;
    }
    let nodes = html_tree::parse(html);
    let [Node::Element(element)] = nodes.as_slice() else {
        return None;
    };
    match element.attr("data-tsz")? {
        "bubble" => Some(read_bubble(element)),
        "card" => read_card(element),
        _ => None,
    }
}

fn read_bubble(element: &Element) -> BlockContent {
    let get = |name: &str| element.attr(name).unwrap_or_default();
    let palette = |name: &str| Palette::parse(get(name)).unwrap_or_default();
    let face = find_part(element, "face")
        .and_then(|img| img.attr("src"))
        .and_then(|src| sanitize::check_image_src(src).ok())
        .unwrap_or_default();
    let text = find_part(element, "text")
        .map(|text| {
            let mut out = RichText::default();
            for child in &text.children {
                if let Node::Element(p) = child {
                    if !out.is_empty() {
                        out.push("\n\n", Default::default());
                    }
                    out.append(&inline_html::from_nodes(&p.children, false));
                }
            }
            out
        })
        .unwrap_or_default();
    BlockContent::Bubble(Bubble {
        speaker: SpeakerLook {
            name: get("data-tsz-name").to_owned(),
            face,
            border: palette("data-tsz-border"),
            background: palette("data-tsz-bg"),
            shape: if get("data-tsz-shape") == "square" {
                IconShape::Square
            } else {
                IconShape::Circle
            },
            show_name: get("data-tsz-show-name") != "false",
            ..Default::default()
        },
        side: if get("data-tsz-side") == "right" {
            Side::Right
        } else {
            Side::Left
        },
        style: if get("data-tsz-style") == "think" {
            BalloonStyle::Think
        } else {
            BalloonStyle::Talk
        },
        text,
        ..Default::default()
    })
}

fn read_card(element: &Element) -> Option<BlockContent> {
    let url = find_tag(element, "a")
        .and_then(|a| a.attr("href"))
        .and_then(|href| sanitize::check_card_url(href).ok())?;
    let text_of = |part: &str| {
        find_part(element, part)
            .map(|found| found.text())
            .unwrap_or_default()
    };
    Some(BlockContent::LinkCard(LinkCard {
        url,
        title: text_of("title"),
        description: text_of("description"),
        site_name: text_of("site"),
        image: find_part(element, "image")
            .and_then(|img| img.attr("src"))
            .and_then(|src| sanitize::check_image_src(src).ok())
            .unwrap_or_default(),
        ..Default::default()
    }))
}

fn find_part<'a>(element: &'a Element, part: &str) -> Option<&'a Element> {
    find_where(element, &|e| e.attr("data-tsz-part") == Some(part))
}

fn find_tag<'a>(element: &'a Element, name: &str) -> Option<&'a Element> {
    find_where(element, &|e| e.name == name)
}

fn find_where<'a>(element: &'a Element, test: &dyn Fn(&Element) -> bool) -> Option<&'a Element> {
    element.children.iter().find_map(|child| match child {
        Node::Element(child) if test(child) => Some(child),
        Node::Element(child) => find_where(child, test),
        Node::Text(_) => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Block, BlockId, BlockKind, Mark, Palette};

    fn bubble(side: Side, style: BalloonStyle) -> BlockContent {
        BlockContent::Bubble(Bubble {
            speaker: SpeakerLook {
                name: "ミナ".into(),
                face: "IMG_1234.jpeg".into(),
                border: Palette::Green,
                background: Palette::None,
                ..Default::default()
            },
            side,
            style,
            text: RichText::plain("一行目\n二行目\n\n( ﾟдﾟ) <b>").toggle_mark(0, 3, Mark::Bold),
            ..Default::default()
        })
    }

    #[test]
    fn the_preview_lays_out_blocks_lazily_and_keeps_the_page() {
        let doc = Document {
            title: "Lazy".into(),
            blocks: vec![Block::new(
                BlockId("a".into()),
                BlockKind::Paragraph.with_text(RichText::plain("one")),
            )],
            ..Default::default()
        };
        let rule = "<style>body>:not(.tsz-post),.tsz-post>*{content-visibility:auto;contain-intrinsic-size:auto 3em}</style>\n";
        for inline_styles in [false, true] {
            let options = HtmlOptions { inline_styles };
            let page = html_document(&doc, &options);
            // The export dialog puts the page around the fragment it has.
            assert_eq!(
                html_page(&doc.title, &to_html(&doc, &options), &options),
                page
            );
            let preview = preview_page(&page);
            let at = preview.find(rule).expect("the preview's rule");
            assert_eq!(
                preview.find("</head>"),
                Some(at + rule.len()),
                "last in the head"
            );
            assert_eq!(
                preview.replacen(rule, "", 1),
                page,
                "the page otherwise unchanged"
            );
        }
        assert_eq!(
            preview_page("<p>no head</p>"),
            format!("{rule}<p>no head</p>")
        );
    }

    #[test]
    fn stylesheet_matches_every_palette() {
        for palette in Palette::ALL {
            let name = palette.as_str();
            let border = palette.border_css().unwrap_or("transparent");
            let rules = [
                format!(".tsz-border-{name}{{--tsz-border:{border}}}"),
                format!(".tsz-bg-{name}{{--tsz-bg:{}}}", palette.background_css()),
            ];
            for rule in rules {
                assert!(STYLESHEET.contains(&rule), "{rule}");
            }
        }
    }

    #[test]
    fn bubbles_are_one_line_and_read_back() {
        for side in [Side::Left, Side::Right] {
            for style in [BalloonStyle::Talk, BalloonStyle::Think] {
                for inline_styles in [true, false] {
                    let content = bubble(side, style);
                    let html = block_html(&content, &HtmlOptions { inline_styles });
                    assert!(!html.contains('\n'));
                    assert!(html.contains("src=\"IMG_1234.jpeg\""));
                    assert_eq!(read_block_html(&html), Some(content));
                }
            }
        }
    }

    #[test]
    fn right_bubbles_are_mirrored() {
        let html = block_html(
            &bubble(Side::Right, BalloonStyle::Talk),
            &HtmlOptions::default(),
        );
        assert!(html.contains("flex-direction:row-reverse"));
        assert!(html.contains("right:-12px"));
        assert!(html.contains("transparent transparent transparent #8cc98f"));
    }

    #[test]
    fn a_card_with_only_a_url_shows_its_domain() {
        let card = BlockContent::LinkCard(LinkCard {
            url: "https://example.org/a(b)".into(),
            ..Default::default()
        });
        let html = block_html(&card, &HtmlOptions::default());
        assert!(html.contains(">example.org</span>"));
        assert!(html.contains("https://example.org/favicon.ico"));
        assert_eq!(read_block_html(&html), Some(card));
    }
}
