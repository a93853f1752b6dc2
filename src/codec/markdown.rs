//! Markdown out, in six flavors, and in, through pulldown-cmark. Pure.
//!
//! Export guarantees that every character renders exactly as typed: ASCII punctuation that
//! could start inline syntax is backslash-escaped everywhere, block markers at a line's start
//! are escaped, and spaces at a line's edges are written as `&#32;`. Marks are written as
//! delimiters (`**`, `*`, `~~`, `` ` ``, `[…](…)`), and each piece of inline text is parsed back
//! with pulldown-cmark before it is used: when delimiters cannot express the marks exactly
//! (CommonMark's flanking rules), the flavors that allow HTML get `<strong>`-style tags instead,
//! and the others keep the text with fewer marks.
//!
//! Per flavor: CommonMark has no strikethrough syntax, so strike is `<del>`; GFM, Zenn, Qiita
//! and Hugo use `~~`. Highlight is `<mark>` where raw HTML is allowed (not in Plain, and not in
//! Hugo, whose Goldmark renderer omits raw HTML by default), else dropped. Bubbles and cards are
//! inline-styled HTML blocks, except: Zenn cards `@[card](URL)`, Qiita cards a bare URL line,
//! Hugo shortcodes (see [`HUGO_SHORTCODES`]), and Plain, which has no HTML at all. Hugo runs
//! shortcodes before Markdown, so Hugo text escapes every `{`, inline code holding `{{` is
//! written as text, and a code block that contains `{{<` is still read by Hugo as a shortcode
//! (nothing in Markdown can escape it).
//!
//! Import reads soft line breaks as line breaks (as Zenn, Qiita and WordPress authors expect),
//! maps h1 to level 2 and h5/h6 to level 4, and reads a paragraph that is only a URL, or Zenn's
//! `@[card](URL)`, as a link card. Raw HTML goes through the sanitising HTML reader, which also
//! recognises this crate's own bubbles and cards.

use super::html_export::{self, clean_language, nest_items, paragraphs, BubbleFrames, HtmlOptions};
use super::html_tree::{self, escape_attr, Node};
use super::wordpress::shortcode_attrs;
use crate::model::{
    BalloonStyle, BlockContent, Bubble, Code, Divider, Document, Heading, IconShape, Image,
    LinkCard, List, ListItem, Mark, Marks, Palette, Paragraph, Quote, RichText, Side, SpeakerLook,
    TextRun,
};
use crate::sanitize;
use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, LinkType, Options, Parser, Tag};
use std::borrow::Cow;
use std::ops::Range;

/// Which Markdown dialect an export targets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MarkdownFlavor {
    CommonMark,
    Gfm,
    Zenn,
    Qiita,
    Hugo,
    Plain,
}

crate::json::named_enum!(MarkdownFlavor {
    CommonMark = "commonmark",
    Gfm = "gfm",
    Zenn = "zenn",
    Qiita = "qiita",
    Hugo = "hugo",
    Plain = "plain",
});

impl MarkdownFlavor {
    pub const ALL: [MarkdownFlavor; 6] = [
        MarkdownFlavor::CommonMark,
        MarkdownFlavor::Gfm,
        MarkdownFlavor::Zenn,
        MarkdownFlavor::Qiita,
        MarkdownFlavor::Hugo,
        MarkdownFlavor::Plain,
    ];

    pub fn label(self) -> &'static str {
        match self {
            MarkdownFlavor::CommonMark => "CommonMark",
            MarkdownFlavor::Gfm => "GFM",
            MarkdownFlavor::Zenn => "Zenn",
            MarkdownFlavor::Qiita => "Qiita",
            MarkdownFlavor::Hugo => "Hugo",
            MarkdownFlavor::Plain => "Plain",
        }
    }

    fn allows_html(self) -> bool {
        !matches!(self, MarkdownFlavor::Hugo | MarkdownFlavor::Plain)
    }

    fn has_math(self) -> bool {
        matches!(self, MarkdownFlavor::Zenn | MarkdownFlavor::Qiita)
    }
}

/// The Hugo shortcode templates the Hugo flavor needs: (path in the site, template text).
/// Attribute values arrive HTML-escaped (so they never contain quotes or braces) and are
/// unescaped, then re-escaped by Hugo's contextual `html/template` escaping.
pub const HUGO_SHORTCODES: &[(&str, &str)] = &[
    (
        "layouts/shortcodes/bubble.html",
        r##"{{- $borders := dict "gray" "#d5d5d5" "blue" "#7cb3e9" "red" "#ee8d8d" "green" "#8cc98f" "yellow" "#e6c65c" "none" "transparent" -}}
{{- $backgrounds := dict "gray" "#f3f3f3" "blue" "#eaf4fd" "red" "#fdeeee" "green" "#edf8ee" "yellow" "#fdf8e4" "none" "#ffffff" -}}
{{- $name := .Get "name" | default "" | htmlUnescape -}}
{{- $face := .Get "face" | default "" | htmlUnescape -}}
{{- $right := eq (.Get "side") "right" -}}
{{- $think := eq (.Get "style") "think" -}}
{{- $border := index $borders (.Get "border" | default "gray") | default "#d5d5d5" -}}
{{- $bg := index $backgrounds (.Get "bg" | default "gray") | default "#f3f3f3" -}}
{{- $round := cond (eq (.Get "shape") "square") "10px" "50%" -}}
{{- $side := cond $right "right" "left" -}}
<div style="display:flex;flex-direction:{{ cond $right "row-reverse" "row" }};align-items:flex-start;gap:14px;margin:1.5em 0">
<div style="flex:0 0 72px;width:72px;text-align:center">
{{- with $face }}<img src="{{ . }}" alt="{{ $name }}" width="72" height="72" style="display:block;width:72px;height:72px;margin:0 auto;border-radius:{{ $round }};object-fit:cover;border:2px solid {{ $border }};background:{{ $bg }};box-sizing:border-box">{{ end -}}
{{- if and $name (ne (.Get "show_name") "false") }}<div style="margin-top:4px;font-size:11px;line-height:1.3;color:#666;word-break:break-all">{{ $name }}</div>{{ end -}}
</div>
<div style="position:relative;flex:1 1 auto;min-width:0;padding:12px 16px;border:2px {{ cond $think "dashed" "solid" }} {{ $border }};border-radius:{{ cond $think "24px" "10px" }};background:{{ $bg }};color:#333;line-height:1.7;box-sizing:border-box">
{{- if $think }}
<span style="position:absolute;top:26px;{{ $side }}:-16px;width:12px;height:12px;border:2px dashed {{ $border }};border-radius:50%;background:{{ $bg }};box-sizing:border-box"></span>
<span style="position:absolute;top:36px;{{ $side }}:-26px;width:8px;height:8px;border:2px dashed {{ $border }};border-radius:50%;background:{{ $bg }};box-sizing:border-box"></span>
{{- else }}
<span style="position:absolute;top:22px;{{ $side }}:-12px;width:0;height:0;border-style:solid;border-width:{{ cond $right "8px 0 8px 12px" "8px 12px 8px 0" }};border-color:{{ cond $right (printf "transparent transparent transparent %s" $border) (printf "transparent %s transparent transparent" $border) }}"></span>
<span style="position:absolute;top:24px;{{ $side }}:-9px;width:0;height:0;border-style:solid;border-width:{{ cond $right "6px 0 6px 9px" "6px 9px 6px 0" }};border-color:{{ cond $right (printf "transparent transparent transparent %s" $bg) (printf "transparent %s transparent transparent" $bg) }}"></span>
{{- end }}
<div>{{ .Inner | .Page.RenderString (dict "display" "block") }}</div>
</div>
</div>
"##,
    ),
    (
        "layouts/shortcodes/card.html",
        r##"{{- $url := .Get "url" | default "" | htmlUnescape -}}
{{- $title := .Get "title" | default "" | htmlUnescape -}}
{{- $description := .Get "description" | default "" | htmlUnescape -}}
{{- $image := .Get "image" | default "" | htmlUnescape -}}
{{- $host := (urls.Parse $url).Host -}}
{{- $site := .Get "site" | default "" | htmlUnescape | default $host -}}
<div style="margin:1.5em 0">
<a href="{{ $url }}" style="display:flex;align-items:stretch;border:1px solid #dcdcdc;border-radius:8px;overflow:hidden;background:#fff;color:inherit;text-decoration:none;box-shadow:0 1px 3px rgba(0,0,0,0.06)">
<span style="display:flex;flex-direction:column;justify-content:center;gap:4px;flex:1 1 auto;min-width:0;padding:12px 16px">
<span style="display:-webkit-box;-webkit-box-orient:vertical;-webkit-line-clamp:2;overflow:hidden;font-weight:bold;font-size:15px;line-height:1.4;color:#222">{{ $title | default $host | default $url }}</span>
{{- with $description }}
<span style="display:-webkit-box;-webkit-box-orient:vertical;-webkit-line-clamp:2;overflow:hidden;font-size:13px;line-height:1.5;color:#666">{{ . }}</span>
{{- end }}
{{- with $site }}
<span style="display:flex;align-items:center;gap:6px;font-size:12px;color:#888">{{ with $host }}<img src="https://{{ . }}/favicon.ico" alt="" width="16" height="16" style="width:16px;height:16px;flex:0 0 16px;border-radius:2px">{{ end }}<span>{{ . }}</span></span>
{{- end }}
</span>
{{- with $image }}
<span style="flex:0 0 120px;width:120px;background:#f3f3f3"><img src="{{ . }}" alt="" style="display:block;width:120px;height:100%;min-height:90px;object-fit:cover"></span>
{{- end }}
</a>
</div>
"##,
    ),
];

/// The post as Markdown: the title as `# Title` when there is one, then the blocks separated by
/// blank lines. Unknown blocks are skipped.
pub fn to_markdown(doc: &Document, flavor: MarkdownFlavor) -> String {
    // Blocks are written into one string, a blank line apart, with room for a typical post.
    let mut out = String::with_capacity(doc.blocks.len() * 160 + 64);
    if !doc.title.trim().is_empty() {
        out.push_str("# ");
        out.push_str(&inline_md(&RichText::plain(&doc.title), flavor, true));
    }
    // Two lists in a row would merge; alternating the marker keeps them apart.
    let mut last_list: Option<(bool, bool)> = None;
    let mut frames = BubbleFrames::default();
    for block in &doc.blocks {
        let mut list_marker = None;
        let part = match &block.content {
            BlockContent::Paragraph(block) => paragraph_md(&block.text, flavor),
            BlockContent::Heading(block) => format!(
                "{} {}",
                "#".repeat(block.clamped_level().into()),
                inline_md(&block.text, flavor, true)
            )
            .trim_end_matches(' ')
            .to_owned(),
            BlockContent::List(list) => {
                let alternate = last_list == Some((list.ordered, false));
                list_marker = Some((list.ordered, alternate));
                list_md(list, flavor, alternate)
            }
            BlockContent::Quote(quote) => quote_md(quote, flavor),
            // At the very start `---` would open front matter (Hugo, Zenn).
            BlockContent::Divider(_) if out.is_empty() => "***".into(),
            BlockContent::Divider(_) => "---".into(),
            BlockContent::Image(image) => image_md(image, flavor),
            BlockContent::Code(code) => code_md(code),
            BlockContent::LinkCard(card) => card_md(card, flavor),
            BlockContent::Bubble(bubble) => bubble_md(bubble, flavor, &mut frames),
            BlockContent::Unknown(_) => String::new(),
        };
        if !part.is_empty() {
            if !out.is_empty() {
                out.push_str("\n\n");
            }
            out.push_str(&part);
            last_list = list_marker;
        }
    }
    out.push('\n');
    out
}

fn paragraph_md(text: &RichText, flavor: MarkdownFlavor) -> String {
    if text.is_empty() {
        return String::new();
    }
    let md = inline_md(text, flavor, false);
    // A paragraph that is only a URL would come back as a link card.
    if sanitize::is_bare_url(&md) {
        return md.replacen(':', "\\:", 1);
    }
    md
}

fn list_md(list: &List, flavor: MarkdownFlavor, alternate: bool) -> String {
    let marker = |number: usize| match (list.ordered, alternate) {
        (false, false) => "-".to_owned(),
        (false, true) => "*".to_owned(),
        (true, false) => format!("{number}."),
        (true, true) => format!("{number})"),
    };
    let mut lines = Vec::new();
    let item = |lines: &mut Vec<String>, indent: &str, marker: String, text: &RichText| {
        let body = inline_md(text, flavor, false);
        let continuation = format!("{indent}{}", " ".repeat(marker.len() + 1));
        for (index, line) in body.split('\n').enumerate() {
            if index == 0 {
                lines.push(
                    format!("{indent}{marker} {line}")
                        .trim_end_matches(' ')
                        .to_owned(),
                );
            } else {
                lines.push(format!("{continuation}{line}"));
            }
        }
    };
    for (number, (top, children)) in nest_items(&list.items).into_iter().enumerate() {
        let top_marker = marker(number + 1);
        // Nested items sit at the item's content column; ordered ones at least 4 spaces in,
        // which older renderers need.
        let minimum = if list.ordered { 4 } else { 2 };
        let indent = " ".repeat((top_marker.len() + 1).max(minimum));
        item(&mut lines, "", top_marker, &top.text);
        for (sub, child) in children.into_iter().enumerate() {
            item(&mut lines, &indent, marker(sub + 1), &child.text);
        }
    }
    lines.join("\n")
}

fn quote_md(quote: &Quote, flavor: MarkdownFlavor) -> String {
    let mut lines: Vec<String> = Vec::new();
    if !quote.text.is_empty() {
        lines.extend(
            inline_md(&quote.text, flavor, false)
                .split('\n')
                .map(quoted),
        );
    }
    if !quote.citation.trim().is_empty() {
        if !lines.is_empty() {
            lines.push(">".into());
        }
        let citation = format!("— {}", quote.citation.replace('\n', " "));
        lines.push(quoted(&inline_md(
            &RichText::plain(&citation),
            flavor,
            false,
        )));
    }
    lines.join("\n")
}

fn quoted(line: &str) -> String {
    if line.is_empty() {
        ">".into()
    } else {
        format!("> {line}")
    }
}

fn image_md(image: &Image, flavor: MarkdownFlavor) -> String {
    let Ok(src) = sanitize::check_image_src(&image.src) else {
        return paragraph_md(&RichText::plain(image.caption.trim()), flavor);
    };
    let mut alt = String::new();
    push_escaped(
        &mut alt,
        &image.alt.replace('\n', " "),
        flavor,
        false,
        false,
        false,
    );
    let title = if image.caption.is_empty() {
        String::new()
    } else {
        let mut title = String::from(" \"");
        for ch in image.caption.chars() {
            match ch {
                '\\' | '"' | '&' | '`' | '{' | '}' => {
                    title.push('\\');
                    title.push(ch);
                }
                '\n' | '\r' => title.push(' '),
                _ => title.push(ch),
            }
        }
        title.push('"');
        title
    };
    format!("![{alt}]({}{title})", destination(&src))
}

fn code_md(code: &Code) -> String {
    let fence = "`".repeat(longest_run(&code.code, '`').max(2) + 1);
    let body = if code.code.is_empty() {
        String::new()
    } else {
        format!("{}\n", code.code)
    };
    format!("{fence}{}\n{body}{fence}", clean_language(&code.language))
}

fn card_md(card: &LinkCard, flavor: MarkdownFlavor) -> String {
    let url = sanitize::check_card_url(&card.url).ok();
    match (flavor, url) {
        (MarkdownFlavor::Zenn, Some(url)) => format!("@[card]({})", inert_url(&url)),
        (MarkdownFlavor::Qiita, Some(url)) => inert_url(&url),
        (MarkdownFlavor::Hugo, Some(url)) => {
            let mut out = format!("{{{{< card url=\"{}\"", hugo_attr(&url));
            for (name, value) in [
                ("title", &card.title),
                ("description", &card.description),
                ("image", &checked_image(&card.image)),
                ("site", &card.site_name),
            ] {
                if !value.trim().is_empty() {
                    out.push_str(&format!(" {name}=\"{}\"", hugo_attr(value)));
                }
            }
            out.push_str(" >}}");
            out
        }
        (MarkdownFlavor::Plain, url) | (MarkdownFlavor::Hugo, url) => {
            let title = card.display_title().replace('\n', " ");
            let mut text =
                RichText::plain(&title).set_link(0, title.chars().count(), url.as_deref());
            if !card.description.trim().is_empty() {
                text.push("\n", Marks::default());
                text.push(&card.description.replace('\n', " "), Marks::default());
            }
            paragraph_md(&text, flavor)
        }
        (MarkdownFlavor::CommonMark | MarkdownFlavor::Gfm, _)
        | (MarkdownFlavor::Zenn | MarkdownFlavor::Qiita, None) => html_export::block_html(
            &BlockContent::LinkCard(card.clone()),
            &HtmlOptions::default(),
        ),
    }
}

fn checked_image(src: &str) -> String {
    sanitize::check_image_src(src).unwrap_or_default()
}

fn bubble_md(bubble: &Bubble, flavor: MarkdownFlavor, frames: &mut BubbleFrames) -> String {
    let texts: Vec<String> = paragraphs(&bubble.text)
        .iter()
        .map(|paragraph| inline_md(paragraph, flavor, false))
        .collect();
    match flavor {
        MarkdownFlavor::Hugo => {
            let speaker = &bubble.speaker;
            let mut out = format!("{{{{< bubble name=\"{}\"", hugo_attr(&speaker.name));
            let face = checked_image(&speaker.face);
            if !face.is_empty() {
                out.push_str(&format!(" face=\"{}\"", hugo_attr(&face)));
            }
            out.push_str(&format!(
                " side=\"{}\" border=\"{}\" bg=\"{}\" style=\"{}\"",
                bubble.side.as_str(),
                speaker.border.as_str(),
                speaker.background.as_str(),
                match bubble.style {
                    BalloonStyle::Talk => "talk",
                    BalloonStyle::Think => "think",
                }
            ));
            if speaker.shape == IconShape::Square {
                out.push_str(" shape=\"square\"");
            }
            if !speaker.show_name {
                out.push_str(" show_name=\"false\"");
            }
            out.push_str(&format!(" >}}}}{}{{{{< /bubble >}}}}", texts.join("\n\n")));
            out
        }
        MarkdownFlavor::Plain => {
            let name = bubble.speaker.name.trim().replace('\n', " ");
            let mut lead = RichText::default();
            if !name.is_empty() {
                lead.push(&name, Marks::default().with(Mark::Bold, true));
                lead.push(": ", Marks::default());
            }
            let mut parts = paragraphs(&bubble.text);
            if parts.is_empty() {
                parts.push(RichText::default());
            }
            lead.append(&parts[0]);
            parts[0] = lead;
            parts
                .iter()
                .map(|part| {
                    inline_md(part, flavor, false)
                        .split('\n')
                        .map(quoted)
                        .collect::<Vec<_>>()
                        .join("\n")
                })
                .collect::<Vec<_>>()
                .join("\n>\n")
        }
        MarkdownFlavor::CommonMark
        | MarkdownFlavor::Gfm
        | MarkdownFlavor::Zenn
        | MarkdownFlavor::Qiita => frames.bubble_html(bubble, &HtmlOptions::default()),
    }
}

/// A Hugo shortcode attribute value: HTML-escaped (the templates unescape it), free of the
/// braces, backslashes and newlines Hugo's shortcode lexer would act on, and of Markdown's link
/// and code syntax (for renderers that see the shortcode as text).
fn hugo_attr(value: &str) -> String {
    let mut out = String::new();
    for ch in escape_attr(value).chars() {
        match ch {
            '{' | '}' | '\\' | '\n' | '\r' | '[' | ']' | '(' | ')' | '`' => {
                out.push_str(&format!("&#{};", ch as u32))
            }
            _ => out.push(ch),
        }
    }
    out
}

fn longest_run(text: &str, target: char) -> usize {
    let (mut longest, mut current) = (0, 0);
    for ch in text.chars() {
        current = if ch == target { current + 1 } else { 0 };
        longest = longest.max(current);
    }
    longest
}

/// A URL written bare (a Qiita or Zenn card) with the characters Markdown would act on
/// percent-encoded, which leaves the address the same.
fn inert_url(url: &str) -> String {
    let mut out = String::new();
    for ch in url.chars() {
        match ch {
            '[' | ']' | '(' | ')' | '<' | '>' | '`' | '*' | '\\' | '|' | '~' | '{' | '}' => {
                out.push_str(&format!("%{:02X}", ch as u32))
            }
            _ => out.push(ch),
        }
    }
    out
}

/// A link or image destination, in `<…>` form when it holds parentheses or spaces. Braces are
/// percent-encoded (they are not valid in URLs, and Hugo would read `{{<` as a shortcode).
fn destination(url: &str) -> Cow<'_, str> {
    let plain = |byte: u8| {
        !matches!(
            byte,
            b'{' | b'}' | b'(' | b')' | b' ' | b'\\' | b'&' | b'<' | b'>' | b'`'
        )
    };
    if url.bytes().all(plain) {
        return Cow::Borrowed(url);
    }
    let url = url.replace('{', "%7B").replace('}', "%7D");
    let pointy = url.contains(['(', ')', ' ']);
    let mut out = String::new();
    for ch in url.chars() {
        if matches!(ch, '\\' | '&' | '<' | '>' | '`') || (!pointy && matches!(ch, '(' | ')')) {
            out.push('\\');
        }
        out.push(ch);
    }
    Cow::Owned(if pointy { format!("<{out}>") } else { out })
}

// ---------------------------------------------------------------------------------------------
// Inline text out

#[derive(Clone, Copy, PartialEq, Eq)]
enum Syntax {
    Delimiters,
    Tags,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Wrap<'a> {
    Link(&'a str),
    Bold,
    Italic,
    Strike,
    Highlight,
}

enum Token<'a> {
    Text {
        text: &'a str,
        marks: &'a Marks,
        line_start: bool,
        line_end: bool,
    },
    Break,
}

/// Inline text as Markdown, checked by parsing it back (see the module docs).
fn inline_md(text: &RichText, flavor: MarkdownFlavor, heading: bool) -> String {
    let write = |text: &RichText, syntax| write_inline(text, flavor, heading, syntax);
    let wanted = representable(text, flavor, heading);
    let mut runs = Vec::new();
    let md = write_recording(&wanted, flavor, heading, Syntax::Delimiters, &mut runs);
    // Parsing back costs more than writing; most text is certain without it.
    if certainly_reads_back(&md, &wanted, &runs) || reads_back(&md, &wanted, heading) {
        return md;
    }
    if flavor.allows_html() {
        let md = write(&wanted, Syntax::Tags);
        if reads_back(&md, &wanted, heading) {
            return md;
        }
    }
    // Keep every run's marks that delimiters can express, one run at a time from plain text.
    let runs: Vec<TextRun> = tidy_edges(&wanted).into();
    let mut kept: Vec<TextRun> = runs
        .iter()
        .map(|run| TextRun {
            text: run.text.clone(),
            marks: Marks::default(),
        })
        .collect();
    let plain = RichText::from(kept.clone());
    if !reads_back(&write(&plain, Syntax::Delimiters), &plain, heading) {
        // Only breaks at the very edges cannot be written without HTML.
        let trimmed = plain.to_plain();
        return write(
            &RichText::plain(trimmed.trim_matches('\n')),
            Syntax::Delimiters,
        );
    }
    for (index, run) in runs.iter().enumerate() {
        if run.marks.is_plain() {
            continue;
        }
        let mut candidate = kept.clone();
        candidate[index].marks = run.marks.clone();
        let text = RichText::from(candidate.clone());
        if reads_back(&write(&text, Syntax::Delimiters), &text, heading) {
            kept = candidate;
        }
    }
    write(&RichText::from(kept), Syntax::Delimiters)
}

/// The text with only the marks the flavor can carry, links checked, breaks unmarked.
fn representable(text: &RichText, flavor: MarkdownFlavor, heading: bool) -> Cow<'_, RichText> {
    // Most text already is: no breaks to unmark, every mark writable, every link allowed.
    let unchanged = text.runs().iter().all(|run| {
        let marks = &run.marks;
        !run.text.bytes().any(|byte| byte == b'\n' || byte == b'\r')
            && (!marks.highlight || flavor.allows_html())
            && (!marks.strike || flavor != MarkdownFlavor::Plain)
            && !(marks.code && flavor == MarkdownFlavor::Hugo && run.text.contains("{{"))
            && marks.link.as_deref().is_none_or(sanitize::link_is_clean)
    });
    if unchanged {
        return Cow::Borrowed(text);
    }
    let mut out = RichText::default();
    for run in text.runs() {
        let mut marks = run.marks.clone();
        if let Some(link) = &marks.link {
            if !sanitize::link_is_clean(link) {
                marks.link = sanitize::check_link(link).ok();
            }
        }
        marks.highlight &= flavor.allows_html();
        marks.strike &= flavor != MarkdownFlavor::Plain;
        // Hugo reads `{{` even in code, which cannot be escaped; as text it can.
        marks.code &= !(flavor == MarkdownFlavor::Hugo && run.text.contains("{{"));
        let breaks = if heading {
            run.text.contains(['\n', '\r'])
        } else {
            run.text.contains('\n')
        };
        if !breaks {
            out.push(&run.text, marks);
            continue;
        }
        let body = if heading {
            run.text.replace(['\n', '\r'], " ")
        } else {
            run.text.clone()
        };
        for (index, piece) in body.split('\n').enumerate() {
            if index > 0 {
                out.push("\n", Marks::default());
            }
            out.push(piece, marks.clone());
        }
    }
    Cow::Owned(out)
}

/// Moves whitespace at the edges of bold, italic and strike spans out of them (invisible, and
/// what delimiters need).
fn tidy_edges(text: &RichText) -> RichText {
    let mut chars: Vec<(char, Marks)> = text
        .runs()
        .iter()
        .flat_map(|run| run.text.chars().map(move |ch| (ch, run.marks.clone())))
        .collect();
    let flags: [fn(&mut Marks) -> &mut bool; 3] =
        [|m| &mut m.bold, |m| &mut m.italic, |m| &mut m.strike];
    let mut changed = true;
    while changed {
        changed = false;
        for index in 0..chars.len() {
            if !chars[index].0.is_whitespace() {
                continue;
            }
            for flag in flags {
                let has = |i: Option<usize>, chars: &mut Vec<(char, Marks)>| {
                    i.and_then(|i| chars.get_mut(i))
                        .is_some_and(|(_, marks)| *flag(marks))
                };
                if !*flag(&mut chars[index].1) {
                    continue;
                }
                if !has(index.checked_sub(1), &mut chars) || !has(Some(index + 1), &mut chars) {
                    *flag(&mut chars[index].1) = false;
                    changed = true;
                }
            }
        }
    }
    let mut out = RichText::default();
    for (ch, marks) in chars {
        out.push(ch.encode_utf8(&mut [0; 4]), marks);
    }
    out
}

fn tokens(text: &RichText) -> Vec<Token<'_>> {
    let mut tokens = Vec::new();
    for run in text.runs() {
        for (index, piece) in run.text.split('\n').enumerate() {
            if index > 0 {
                tokens.push(Token::Break);
            }
            if !piece.is_empty() {
                let line_start = matches!(tokens.last(), None | Some(Token::Break));
                tokens.push(Token::Text {
                    text: piece,
                    marks: &run.marks,
                    line_start,
                    line_end: false,
                });
            }
        }
    }
    for index in 0..tokens.len() {
        let next_is_break = matches!(tokens.get(index + 1), None | Some(Token::Break));
        if let Token::Text { line_end, .. } = &mut tokens[index] {
            *line_end = next_is_break;
        }
    }
    tokens
}

fn write_inline(text: &RichText, flavor: MarkdownFlavor, heading: bool, syntax: Syntax) -> String {
    write_recording(text, flavor, heading, syntax, &mut Vec::new())
}

/// One run of emphasis or strikethrough delimiters written by [`write_recording`].
struct DelimiterRun {
    /// Byte range in the written Markdown.
    start: usize,
    end: usize,
    opens: bool,
}

/// [`write_inline`], also noting where each `*` or `~` delimiter run went.
fn write_recording(
    text: &RichText,
    flavor: MarkdownFlavor,
    heading: bool,
    syntax: Syntax,
    runs: &mut Vec<DelimiterRun>,
) -> String {
    let length: usize = text.runs().iter().map(|run| run.text.len()).sum();
    let mut out = String::with_capacity(length + length / 4 + 16);
    let mut open: Vec<Wrap<'_>> = Vec::new();
    let mut close_to = |out: &mut String, open: &mut Vec<Wrap<'_>>, keep: usize| {
        while open.len() > keep {
            if let Some(wrap) = open.pop() {
                let start = out.len();
                match (wrap, syntax) {
                    // The commonest closing, written in place.
                    (Wrap::Link(url), Syntax::Delimiters) => {
                        out.push_str("](");
                        out.push_str(&destination(url));
                        out.push(')');
                    }
                    _ => out.push_str(&closing(&wrap, flavor, syntax)),
                }
                note_run(out, start, false, runs);
            }
        }
    };
    let mut opened = Vec::new();
    for token in tokens(text) {
        match token {
            Token::Break => {
                close_to(&mut out, &mut open, 0);
                out.push_str(match syntax {
                    Syntax::Delimiters => "\\\n",
                    Syntax::Tags => "<br>",
                });
            }
            Token::Text {
                text,
                marks,
                line_start,
                line_end,
            } => {
                let wanted = wraps(marks);
                let common = open
                    .iter()
                    .zip(wanted.iter())
                    .take_while(|(a, b)| a == b)
                    .count();
                close_to(&mut out, &mut open, common);
                for wrap in &wanted[common..] {
                    let start = out.len();
                    out.push_str(&opening(wrap, flavor, syntax));
                    opened.push(start);
                    open.push(*wrap);
                }
                match (marks.code, syntax) {
                    (true, Syntax::Delimiters) => out.push_str(&code_span(text)),
                    (true, Syntax::Tags) => {
                        out.push_str("<code>");
                        push_escaped(&mut out, text, flavor, heading, line_start, line_end);
                        out.push_str("</code>");
                    }
                    (false, _) => {
                        push_escaped(&mut out, text, flavor, heading, line_start, line_end)
                    }
                }
            }
        }
    }
    close_to(&mut out, &mut open, 0);
    for start in opened {
        note_run(&out, start, true, runs);
    }
    out
}

/// Records the delimiter run written at `start`, if what was written there is one.
fn note_run(out: &str, start: usize, opens: bool, runs: &mut Vec<DelimiterRun>) {
    let written = &out.as_bytes()[start..];
    let Some(&first) = written.first() else {
        return;
    };
    if first != b'*' && first != b'~' {
        return;
    }
    let len = written.iter().take_while(|&&byte| byte == first).count();
    runs.push(DelimiterRun {
        start,
        end: start + len,
        opens,
    });
}

/// How CommonMark's flanking rules see the character beside a delimiter run.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Neighbour {
    Space,
    Punctuation,
    Other,
}

/// The classes a neighbouring character may have. Outside ASCII only letters and digits are
/// certain without Unicode tables; anything else may be any of the three.
fn classes(ch: Option<char>) -> &'static [Neighbour] {
    match ch {
        None | Some(' ' | '\t' | '\n' | '\r' | '\u{c}') => &[Neighbour::Space],
        Some(ch) if ch.is_ascii_punctuation() => &[Neighbour::Punctuation],
        Some(ch) if ch.is_ascii() || ch.is_alphanumeric() => &[Neighbour::Other],
        Some(_) => &[Neighbour::Space, Neighbour::Punctuation, Neighbour::Other],
    }
}

fn left_flanking(before: Neighbour, after: Neighbour) -> bool {
    after != Neighbour::Space
        && (after != Neighbour::Punctuation
            || before == Neighbour::Space
            || before == Neighbour::Punctuation)
}

fn right_flanking(before: Neighbour, after: Neighbour) -> bool {
    before != Neighbour::Space
        && (before != Neighbour::Punctuation
            || after == Neighbour::Space
            || after == Neighbour::Punctuation)
}

/// Whether delimiter-written text certainly reads back as `wanted` without parsing it: nothing
/// but text, breaks inside lines, links not after a `!` and with a plain destination, and `*`/`~`
/// runs that each belong to one mark, open where they are left-flanking and close where they
/// are right-flanking (CommonMark 6.2), whatever class a non-ASCII neighbour turns out to have.
/// Marks are properly nested and pairs have equal length, so such runs pair up as written;
/// a `*` run may be flanking on both sides (emphasis inside a Japanese sentence), because the
/// multiple-of-3 rule keeps it from pairing with a run of the other length.
fn certainly_reads_back(md: &str, wanted: &RichText, runs: &[DelimiterRun]) -> bool {
    let plain_edges = wanted
        .runs()
        .first()
        .is_some_and(|run| !run.text.starts_with('\n'))
        && wanted
            .runs()
            .last()
            .is_some_and(|run| !run.text.ends_with('\n'));
    let simple_marks = wanted.runs().iter().all(|run| {
        !run.marks.code
            && run.marks.link.as_deref().is_none_or(|url| {
                // Links were checked: ASCII without spaces, or else looked at closely.
                !url.bytes().any(|byte| matches!(byte, b'{' | b'}'))
                    && (url.is_ascii() && !url.bytes().any(|byte| byte <= b' ' || byte == 0x7f)
                        || !url.contains(|ch: char| ch.is_whitespace() || ch.is_control()))
            })
    });
    let no_tag_at_line_start = md.split('\n').all(|line| !line.starts_with('<'));
    // Text `[` is always escaped, so `![` can only be a link that would read as an image.
    let no_image = !md.contains("![");
    plain_edges
        && simple_marks
        && no_tag_at_line_start
        && no_image
        && runs.iter().all(|run| {
            let delimiter = md.as_bytes()[run.start] as char;
            let before = md[..run.start].chars().next_back();
            let after = md[run.end..].chars().next();
            if before == Some(delimiter) || after == Some(delimiter) {
                return false;
            }
            let strict = delimiter == '~';
            classes(before).iter().all(|&before| {
                classes(after).iter().all(|&after| {
                    let (left, right) =
                        (left_flanking(before, after), right_flanking(before, after));
                    if run.opens {
                        left && !(strict && right)
                    } else {
                        right && !(strict && left)
                    }
                })
            })
        })
}

/// The wraps a run's marks need, outermost first (at most five: no allocation per run).
struct Wraps<'a> {
    items: [Wrap<'a>; 5],
    len: usize,
}

impl<'a> std::ops::Deref for Wraps<'a> {
    type Target = [Wrap<'a>];
    fn deref(&self) -> &[Wrap<'a>] {
        &self.items[..self.len]
    }
}

fn wraps(marks: &Marks) -> Wraps<'_> {
    let mut wraps = Wraps {
        items: [Wrap::Bold; 5],
        len: 0,
    };
    let mut push = |wrap| {
        wraps.items[wraps.len] = wrap;
        wraps.len += 1;
    };
    if let Some(link) = &marks.link {
        push(Wrap::Link(link));
    }
    for (on, wrap) in [
        (marks.bold, Wrap::Bold),
        (marks.italic, Wrap::Italic),
        (marks.strike, Wrap::Strike),
        (marks.highlight, Wrap::Highlight),
    ] {
        if on {
            push(wrap);
        }
    }
    wraps
}

fn opening(wrap: &Wrap<'_>, flavor: MarkdownFlavor, syntax: Syntax) -> Cow<'static, str> {
    match (wrap, syntax) {
        (Wrap::Link(_), Syntax::Delimiters) => "[".into(),
        (Wrap::Link(url), Syntax::Tags) => format!("<a href=\"{}\">", escape_attr(url)).into(),
        (Wrap::Bold, Syntax::Delimiters) => "**".into(),
        (Wrap::Italic, Syntax::Delimiters) => "*".into(),
        (Wrap::Strike, Syntax::Delimiters) if flavor != MarkdownFlavor::CommonMark => "~~".into(),
        (Wrap::Bold, Syntax::Tags) => "<strong>".into(),
        (Wrap::Italic, Syntax::Tags) => "<em>".into(),
        (Wrap::Strike, _) => "<del>".into(),
        (Wrap::Highlight, _) => "<mark>".into(),
    }
}

fn closing(wrap: &Wrap<'_>, flavor: MarkdownFlavor, syntax: Syntax) -> Cow<'static, str> {
    match (wrap, syntax) {
        (Wrap::Link(url), Syntax::Delimiters) => format!("]({})", destination(url)).into(),
        (Wrap::Link(_), Syntax::Tags) => "</a>".into(),
        (Wrap::Bold, Syntax::Delimiters) => "**".into(),
        (Wrap::Italic, Syntax::Delimiters) => "*".into(),
        (Wrap::Strike, Syntax::Delimiters) if flavor != MarkdownFlavor::CommonMark => "~~".into(),
        (Wrap::Bold, Syntax::Tags) => "</strong>".into(),
        (Wrap::Italic, Syntax::Tags) => "</em>".into(),
        (Wrap::Strike, _) => "</del>".into(),
        (Wrap::Highlight, _) => "</mark>".into(),
    }
}

/// A code span with a fence longer than any backtick run inside, padded when the code starts or
/// ends with a backtick or a space (CommonMark strips one space from each side).
fn code_span(code: &str) -> String {
    let fence = "`".repeat(longest_run(code, '`') + 1);
    let pad = code.starts_with('`')
        || code.ends_with('`')
        || (code.starts_with(' ') && code.ends_with(' ') && !code.trim().is_empty());
    let pad = if pad { " " } else { "" };
    format!("{fence}{pad}{code}{pad}{fence}")
}

/// Escapes text so that it renders as typed (see the module docs).
fn push_escaped(
    out: &mut String,
    text: &str,
    flavor: MarkdownFlavor,
    heading: bool,
    line_start: bool,
    line_end: bool,
) {
    // Spaces and tabs are ASCII, so the edges can be measured in bytes.
    let is_space = |byte: &u8| *byte == b' ' || *byte == b'\t';
    let bytes = text.as_bytes();
    let lead = if line_start {
        bytes.iter().take_while(|byte| is_space(byte)).count()
    } else {
        0
    };
    let trail = if line_end {
        bytes.len()
            - bytes[lead..]
                .iter()
                .rev()
                .take_while(|byte| is_space(byte))
                .count()
    } else {
        bytes.len()
    };
    // Whether every character since the line's first is an ASCII digit (`1.` starts a list).
    let mut digits_so_far = true;
    // Characters that need nothing are copied a stretch at a time.
    let mut copied = 0;
    for (index, ch) in text.char_indices() {
        let replacement = if index < lead || index >= trail {
            Some(if ch == '\t' { "&#9;" } else { "&#32;" })
        } else {
            let first = line_start && index == lead;
            let after_digits = line_start && index > lead && digits_so_far;
            digits_so_far &= ch.is_ascii_digit();
            let escape = match ch {
                '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '&' | '~' | '|' => true,
                '$' => flavor.has_math(),
                '{' | '}' if flavor == MarkdownFlavor::Hugo => true,
                '#' => heading || first,
                '>' | '+' | '-' | '=' | '{' => first,
                ':' => first && flavor.has_math(),
                '.' | ')' => after_digits,
                '\r' => true,
                _ => false,
            };
            match ch {
                _ if !escape => None,
                '\r' => Some("&#13;"),
                _ => {
                    out.push_str(&text[copied..index]);
                    out.push('\\');
                    copied = index;
                    None
                }
            }
        };
        if let Some(replacement) = replacement {
            out.push_str(&text[copied..index]);
            out.push_str(replacement);
            copied = index + ch.len_utf8();
        }
    }
    out.push_str(&text[copied..]);
}

/// Whether Markdown parses back into exactly this text (as a paragraph, or a heading).
fn reads_back(md: &str, wanted: &RichText, heading: bool) -> bool {
    let source = if heading {
        format!("## {md}")
    } else {
        md.to_owned()
    };
    let tree = tree(&source);
    let [MdNode::Node { tag, children, .. }] = tree.as_slice() else {
        return wanted.is_empty() && tree.is_empty();
    };
    let right_kind = if heading {
        matches!(tag, Tag::Heading { .. })
    } else {
        matches!(tag, Tag::Paragraph)
    };
    let mut reader = InlineReader::default();
    reader.read(children, &Marks::default());
    right_kind && reader.text == *wanted
}

// ---------------------------------------------------------------------------------------------
// Reading

/// The pulldown-cmark events as a tree, each node with its source range.
enum MdNode<'a> {
    Node {
        tag: Tag<'a>,
        range: Range<usize>,
        children: Vec<MdNode<'a>>,
    },
    Leaf(Event<'a>),
}

fn options() -> Options {
    Options::ENABLE_STRIKETHROUGH
}

fn tree(text: &str) -> Vec<MdNode<'_>> {
    let mut stack: Vec<(Tag<'_>, Range<usize>, Vec<MdNode<'_>>)> = Vec::new();
    let mut root = Vec::new();
    fn push<'a>(
        stack: &mut [(Tag<'a>, Range<usize>, Vec<MdNode<'a>>)],
        root: &mut Vec<MdNode<'a>>,
        node: MdNode<'a>,
    ) {
        match stack.last_mut() {
            Some((_, _, children)) => children.push(node),
            None => root.push(node),
        }
    }
    for (event, range) in Parser::new_ext(text, options()).into_offset_iter() {
        match event {
            Event::Start(tag) => stack.push((tag, range, Vec::new())),
            Event::End(_) => {
                if let Some((tag, range, children)) = stack.pop() {
                    push(
                        &mut stack,
                        &mut root,
                        MdNode::Node {
                            tag,
                            range,
                            children,
                        },
                    );
                }
            }
            other => push(&mut stack, &mut root, MdNode::Leaf(other)),
        }
    }
    while let Some((tag, range, children)) = stack.pop() {
        let node = MdNode::Node {
            tag,
            range,
            children,
        };
        push(&mut stack, &mut root, node);
    }
    root
}

/// Reads inline nodes into text; inline HTML tags for marks (`<mark>`, `<del>`, …) count too.
#[derive(Default)]
struct InlineReader {
    text: RichText,
    /// Marks opened by inline HTML tags and not yet closed.
    html_marks: Vec<Mark>,
    /// Links opened by `<a>` tags (`None` for a refused URL).
    html_links: Vec<Option<String>>,
}

impl InlineReader {
    fn marks(&self, outer: &Marks) -> Marks {
        let mut marks = outer.clone();
        for mark in &self.html_marks {
            marks = marks.with(*mark, true);
        }
        if marks.link.is_none() {
            marks.link = self.html_links.iter().rev().find_map(Clone::clone);
        }
        marks
    }

    fn read(&mut self, nodes: &[MdNode<'_>], marks: &Marks) {
        for node in nodes {
            match node {
                MdNode::Leaf(Event::Text(text)) => self.text.push(text, self.marks(marks)),
                MdNode::Leaf(Event::Code(code)) => {
                    let mut marks = self.marks(marks);
                    marks.code = true;
                    self.text.push(code, marks);
                }
                MdNode::Leaf(Event::SoftBreak | Event::HardBreak) => {
                    self.text.push("\n", Marks::default())
                }
                MdNode::Leaf(Event::InlineHtml(html)) => self.html_tag(html),
                MdNode::Leaf(_) => {}
                MdNode::Node { tag, children, .. } => {
                    let mut inner = marks.clone();
                    match tag {
                        Tag::Emphasis => inner.italic = true,
                        Tag::Strong => inner.bold = true,
                        Tag::Strikethrough => inner.strike = true,
                        Tag::Link {
                            link_type,
                            dest_url,
                            ..
                        } => {
                            let url = if *link_type == LinkType::Email {
                                format!("mailto:{dest_url}")
                            } else {
                                dest_url.to_string()
                            };
                            inner.link = sanitize::check_link(&url).ok();
                        }
                        _ => {}
                    }
                    self.read(children, &inner);
                }
            }
        }
    }

    fn html_tag(&mut self, html: &str) {
        let html = html.trim();
        let closing = html.starts_with("</");
        let name: String = html
            .trim_start_matches(['<', '/'])
            .chars()
            .take_while(|ch| ch.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        let mark = match name.as_str() {
            "strong" | "b" => Mark::Bold,
            "em" | "i" => Mark::Italic,
            "del" | "s" | "strike" => Mark::Strike,
            "mark" => Mark::Highlight,
            "code" => Mark::Code,
            "br" => {
                self.text.push("\n", Marks::default());
                return;
            }
            "a" if closing => {
                self.html_links.pop();
                return;
            }
            "a" => {
                let href = html_tree::parse(html)
                    .into_iter()
                    .find_map(|node| match node {
                        Node::Element(element) => element.attr("href").map(str::to_owned),
                        Node::Text(_) => None,
                    });
                self.html_links
                    .push(href.and_then(|href| sanitize::check_link(&href).ok()));
                return;
            }
            _ => return,
        };
        if closing {
            if let Some(at) = self.html_marks.iter().rposition(|open| *open == mark) {
                self.html_marks.remove(at);
            }
        } else if !html.ends_with("/>") {
            self.html_marks.push(mark);
        }
    }
}

/// Reads Markdown into blocks (a leading `# Title` becomes a level-2 heading).
pub fn from_markdown(text: &str) -> Vec<BlockContent> {
    read(text).blocks
}

/// Reads Markdown into the title (from a leading level-1 heading, else empty) and the blocks.
pub fn from_markdown_with_title(text: &str) -> (String, Vec<BlockContent>) {
    let mut read = read(text);
    if read.leading_h1 && !read.blocks.is_empty() {
        let title = read.blocks.remove(0).plain_text();
        return (title, read.blocks);
    }
    (String::new(), read.blocks)
}

struct Read {
    blocks: Vec<BlockContent>,
    leading_h1: bool,
}

fn read(text: &str) -> Read {
    let text = text.replace("\r\n", "\n");
    let mut blocks = Vec::new();
    let mut leading_h1 = false;
    for piece in split_shortcodes(&text) {
        match piece {
            Piece::Markdown(source) => {
                let mut reader = Reader {
                    source,
                    blocks: Vec::new(),
                    first_is_h1: false,
                    cards: true,
                };
                reader.blocks(&tree(source));
                if blocks.is_empty() && reader.first_is_h1 {
                    leading_h1 = true;
                }
                blocks.extend(reader.blocks);
            }
            Piece::Block(block) => blocks.push(block),
        }
    }
    Read { blocks, leading_h1 }
}

struct Reader<'s> {
    source: &'s str,
    blocks: Vec<BlockContent>,
    first_is_h1: bool,
    /// Whether a paragraph that is only a URL is a link card (not inside a quote).
    cards: bool,
}

impl Reader<'_> {
    fn blocks(&mut self, nodes: &[MdNode<'_>]) {
        for node in nodes {
            match node {
                MdNode::Leaf(Event::Rule) => {
                    self.blocks.push(BlockContent::Divider(Divider::default()))
                }
                MdNode::Leaf(Event::Text(_) | Event::Code(_) | Event::InlineHtml(_)) => {
                    self.inline_paragraph(std::slice::from_ref(node))
                }
                MdNode::Leaf(_) => {}
                MdNode::Node {
                    tag,
                    range,
                    children,
                } => self.node(tag, range, children),
            }
        }
    }

    fn node(&mut self, tag: &Tag<'_>, range: &Range<usize>, children: &[MdNode<'_>]) {
        match tag {
            Tag::Paragraph => self.paragraph(range, children),
            Tag::Heading { level, .. } => {
                if self.blocks.is_empty() && *level == HeadingLevel::H1 {
                    self.first_is_h1 = true;
                }
                let level = match level {
                    HeadingLevel::H1 | HeadingLevel::H2 => 2,
                    HeadingLevel::H3 => 3,
                    HeadingLevel::H4 | HeadingLevel::H5 | HeadingLevel::H6 => 4,
                };
                self.blocks.push(BlockContent::Heading(Heading {
                    level,
                    text: inline_text(children),
                    ..Default::default()
                }));
            }
            Tag::List(start) => {
                let mut items = Vec::new();
                list_items(children, 0, &mut items);
                self.blocks.push(BlockContent::List(List {
                    ordered: start.is_some(),
                    items,
                    ..Default::default()
                }));
            }
            Tag::BlockQuote(_) => self.quote(children),
            Tag::CodeBlock(kind) => {
                let mut code = String::new();
                for child in children {
                    if let MdNode::Leaf(Event::Text(text)) = child {
                        code.push_str(text);
                    }
                }
                if code.ends_with('\n') {
                    code.pop();
                }
                let language = match kind {
                    CodeBlockKind::Fenced(info) => info
                        .split(|ch: char| ch.is_whitespace() || ch == ',' || ch == '{')
                        .next()
                        .unwrap_or_default()
                        .to_owned(),
                    CodeBlockKind::Indented => String::new(),
                };
                self.blocks.push(BlockContent::Code(Code {
                    language,
                    code,
                    ..Default::default()
                }));
            }
            Tag::HtmlBlock => {
                let mut html = String::new();
                for child in children {
                    if let MdNode::Leaf(Event::Html(text) | Event::Text(text)) = child {
                        html.push_str(text);
                    }
                }
                self.blocks.extend(html_export::read_html(&html));
            }
            _ => self.blocks(children),
        }
    }

    fn paragraph(&mut self, range: &Range<usize>, children: &[MdNode<'_>]) {
        let raw = self.source.get(range.clone()).unwrap_or_default().trim();
        let card_url = if !self.cards {
            None
        } else if sanitize::is_bare_url(raw) {
            Some(raw)
        } else {
            raw.strip_prefix("@[card](")
                .and_then(|rest| rest.strip_suffix(')'))
                .filter(|url| sanitize::is_bare_url(url))
        };
        if let Some(url) = card_url.and_then(|url| sanitize::check_card_url(url).ok()) {
            self.blocks.push(BlockContent::LinkCard(LinkCard {
                url,
                ..Default::default()
            }));
            return;
        }
        // Images get blocks of their own; the text around them stays paragraphs.
        let mut pending: Vec<&MdNode<'_>> = Vec::new();
        for child in children {
            if let MdNode::Node {
                tag: Tag::Image {
                    dest_url, title, ..
                },
                children: alt,
                ..
            } = child
            {
                self.inline_paragraph_refs(&std::mem::take(&mut pending));
                if let Ok(src) = sanitize::check_image_src(dest_url) {
                    self.blocks.push(BlockContent::Image(Image {
                        src,
                        alt: inline_text(alt).to_plain(),
                        caption: title.to_string(),
                        ..Default::default()
                    }));
                }
            } else {
                pending.push(child);
            }
        }
        self.inline_paragraph_refs(&pending);
    }

    fn inline_paragraph_refs(&mut self, nodes: &[&MdNode<'_>]) {
        let mut reader = InlineReader::default();
        for node in nodes {
            reader.read(std::slice::from_ref(*node), &Marks::default());
        }
        self.push_paragraph(reader.text);
    }

    fn inline_paragraph(&mut self, nodes: &[MdNode<'_>]) {
        self.push_paragraph(inline_text(nodes));
    }

    fn push_paragraph(&mut self, text: RichText) {
        if text.to_plain().trim().is_empty() {
            return;
        }
        self.blocks.push(BlockContent::Paragraph(Paragraph {
            text,
            ..Default::default()
        }));
    }

    fn quote(&mut self, children: &[MdNode<'_>]) {
        let mut inner = Reader {
            source: self.source,
            blocks: Vec::new(),
            first_is_h1: false,
            cards: false,
        };
        inner.blocks(children);
        let mut texts: Vec<RichText> = inner
            .blocks
            .iter()
            .map(|block| {
                block
                    .text_as_lines()
                    .unwrap_or_else(|| RichText::plain(&block.plain_text()))
            })
            .filter(|text| !text.is_empty())
            .collect();
        let mut citation = String::new();
        if texts.len() >= 2 {
            if let Some(cite) = texts
                .last()
                .and_then(|last| last.to_plain().strip_prefix("— ").map(str::to_owned))
            {
                citation = cite;
                texts.pop();
            }
        }
        let mut text = RichText::default();
        for (index, part) in texts.iter().enumerate() {
            if index > 0 {
                text.push("\n", Marks::default());
            }
            text.append(part);
        }
        self.blocks.push(BlockContent::Quote(Quote {
            text,
            citation,
            ..Default::default()
        }));
    }
}

fn inline_text(nodes: &[MdNode<'_>]) -> RichText {
    let mut reader = InlineReader::default();
    reader.read(nodes, &Marks::default());
    reader.text
}

fn list_items(nodes: &[MdNode<'_>], indent: u8, items: &mut Vec<ListItem>) {
    for node in nodes {
        let MdNode::Node {
            tag: Tag::Item,
            children,
            ..
        } = node
        else {
            continue;
        };
        let mut reader = InlineReader::default();
        let mut nested = Vec::new();
        for child in children {
            match child {
                MdNode::Node {
                    tag: Tag::List(_),
                    children,
                    ..
                } => nested.push(children),
                MdNode::Node {
                    tag: Tag::Paragraph,
                    children,
                    ..
                } => {
                    if !reader.text.is_empty() {
                        reader.text.push("\n", Marks::default());
                    }
                    reader.read(children, &Marks::default());
                }
                other => reader.read(std::slice::from_ref(other), &Marks::default()),
            }
        }
        items.push(ListItem {
            text: reader.text,
            indent,
            ..Default::default()
        });
        for children in nested {
            list_items(children, 1, items);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Hugo shortcodes

enum Piece<'a> {
    Markdown(&'a str),
    Block(BlockContent),
}

/// Splits the source around Hugo `bubble` and `card` shortcodes that start a line outside code
/// fences.
fn split_shortcodes(text: &str) -> Vec<Piece<'_>> {
    let mut pieces = Vec::new();
    let (mut start, mut position) = (0, 0);
    let mut fence: Option<(char, usize)> = None;
    while position < text.len() {
        let line_end = text[position..]
            .find('\n')
            .map_or(text.len(), |at| position + at + 1);
        let line = &text[position..line_end];
        let trimmed = line.trim_start();
        let fence_char = trimmed.chars().next().filter(|ch| *ch == '`' || *ch == '~');
        let fence_len = fence_char.map_or(0, |ch| trimmed.chars().take_while(|c| *c == ch).count());
        match fence {
            Some((ch, len))
                if fence_char == Some(ch)
                    && fence_len >= len
                    && trimmed[fence_len..].trim().is_empty() =>
            {
                fence = None
            }
            Some(_) => {}
            None if fence_len >= 3 => fence = fence_char.map(|ch| (ch, fence_len)),
            None if trimmed.starts_with("{{<") => {
                let at = position + (line.len() - trimmed.len());
                if let Some((block, used)) = read_shortcode(&text[at..]) {
                    pieces.push(Piece::Markdown(&text[start..position]));
                    pieces.extend(block.map(Piece::Block));
                    position = at + used;
                    let rest = &text[position..];
                    if let Some(newline) = rest.find('\n').filter(|n| rest[..*n].trim().is_empty())
                    {
                        position += newline + 1;
                    }
                    start = position;
                    continue;
                }
            }
            None => {}
        }
        position = line_end;
    }
    pieces.push(Piece::Markdown(&text[start..]));
    pieces
}

/// A shortcode at the start of `text`: the block it makes (if any) and the bytes it spans.
fn read_shortcode(text: &str) -> Option<(Option<BlockContent>, usize)> {
    let body_start = 3;
    let close = find_outside_quotes(&text[body_start..], ">}}")? + body_start;
    let inside = text[body_start..close].trim();
    let name_end = inside.find(char::is_whitespace).unwrap_or(inside.len());
    let (name, attrs) = inside.split_at(name_end);
    let attrs = shortcode_attrs(attrs);
    let get = |key: &str| {
        attrs
            .iter()
            .find(|(name, _)| name == key)
            .map(|(_, value)| value.as_str())
            .unwrap_or_default()
    };
    let after_open = close + 3;
    match name {
        "card" => {
            let block = sanitize::check_card_url(get("url")).ok().map(|url| {
                BlockContent::LinkCard(LinkCard {
                    url,
                    title: get("title").to_owned(),
                    description: get("description").to_owned(),
                    image: checked_image(get("image")),
                    site_name: get("site").to_owned(),
                    ..Default::default()
                })
            });
            Some((block, after_open))
        }
        "bubble" => {
            let rest = &text[after_open..];
            let (inner_end, close_len) = find_closing(rest, "bubble")?;
            let mut body = RichText::default();
            for block in from_markdown(rest[..inner_end].trim()) {
                if let Some(text) = block.text_as_lines() {
                    if !body.is_empty() {
                        body.push("\n\n", Marks::default());
                    }
                    body.append(&text);
                }
            }
            let palette = |key: &str| Palette::parse(get(key)).unwrap_or_default();
            let bubble = Bubble {
                speaker: SpeakerLook {
                    name: get("name").to_owned(),
                    face: checked_image(get("face")),
                    border: palette("border"),
                    background: palette("bg"),
                    shape: if get("shape") == "square" {
                        IconShape::Square
                    } else {
                        IconShape::Circle
                    },
                    show_name: get("show_name") != "false",
                    ..Default::default()
                },
                side: if get("side") == "right" {
                    Side::Right
                } else {
                    Side::Left
                },
                style: if get("style") == "think" {
                    BalloonStyle::Think
                } else {
                    BalloonStyle::Talk
                },
                text: body,
                ..Default::default()
            };
            Some((
                Some(BlockContent::Bubble(bubble)),
                after_open + inner_end + close_len,
            ))
        }
        _ => None,
    }
}

fn find_outside_quotes(text: &str, needle: &str) -> Option<usize> {
    let mut quote = None;
    for (at, ch) in text.char_indices() {
        match quote {
            Some(open) if ch == open => quote = None,
            Some(_) => {}
            None if ch == '"' => quote = Some(ch),
            None if text[at..].starts_with(needle) => return Some(at),
            None => {}
        }
    }
    None
}

/// Where `{{< /name >}}` starts in `text`, and its length.
fn find_closing(text: &str, name: &str) -> Option<(usize, usize)> {
    let mut from = 0;
    while let Some(at) = text[from..].find("{{<").map(|at| from + at) {
        let rest = text[at + 3..].trim_start();
        if let Some(rest) = rest.strip_prefix('/') {
            let rest = rest.trim_start();
            if let Some(rest) = rest.strip_prefix(name) {
                if let Some(end) = rest.trim_start().strip_prefix(">}}") {
                    return Some((at, text.len() - at - end.len()));
                }
            }
        }
        from = at + 3;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shortcut that skips parsing back must never claim text that does not read back.
    /// Random text from characters that stress the flanking rules (ASCII and Japanese
    /// punctuation, spaces of both widths, emoji, breaks) under random marks and links.
    #[test]
    fn certainty_without_parsing_is_never_wrong() {
        const PIECES: [&str; 22] = [
            "a", "語", "1", ".", "*", "~", "_", " ", "\u{3000}", "、", "「", "」", "😀", "\n", "[",
            "]", "(", "!", "\\", "#", "-", "é",
        ];
        let mut seed: u64 = 0x5eed;
        let mut next = move |bound: usize| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((seed >> 33) as usize) % bound
        };
        let (mut certain, mut checked) = (0, 0);
        for _ in 0..10_000 {
            let mut text = RichText::default();
            for _ in 0..1 + next(6) {
                let piece: String = (0..1 + next(4))
                    .map(|_| PIECES[next(PIECES.len())])
                    .collect();
                let marks = Marks {
                    bold: next(3) == 0,
                    italic: next(4) == 0,
                    strike: next(5) == 0,
                    code: next(9) == 0,
                    highlight: next(9) == 0,
                    link: (next(6) == 0).then(|| {
                        [
                            "https://example.com/a",
                            "https://example.com/(x)",
                            "/p?q=1&r=2",
                        ][next(3)]
                        .to_owned()
                    }),
                };
                text.push(&piece, marks);
            }
            for flavor in MarkdownFlavor::ALL {
                for heading in [false, true] {
                    let wanted = representable(&text, flavor, heading);
                    let mut runs = Vec::new();
                    let md =
                        write_recording(&wanted, flavor, heading, Syntax::Delimiters, &mut runs);
                    checked += 1;
                    if certainly_reads_back(&md, &wanted, &runs) {
                        certain += 1;
                        assert!(
                            reads_back(&md, &wanted, heading),
                            "claimed certain but reads back differently ({flavor:?}, heading {heading}): {md:?} for {wanted:?}"
                        );
                    }
                }
            }
        }
        // The shortcut must also be worth having, even on text this hostile.
        assert!(
            certain * 8 > checked,
            "only {certain} of {checked} were certain"
        );
    }

    fn roundtrip(text: &RichText, flavor: MarkdownFlavor) -> RichText {
        let md = inline_md(text, flavor, false);
        let blocks = from_markdown(&md);
        let [BlockContent::Paragraph(paragraph)] = blocks.as_slice() else {
            panic!("{md:?} gave {blocks:?}");
        };
        paragraph.text.clone()
    }

    #[test]
    fn kaomoji_come_back_exactly() {
        for text in [
            "(*´ω｀*)",
            "_(:3 」∠)_",
            "(´・ω・`)",
            "＼(^o^)／ *_* <3",
            "1. not a list",
            "# not a heading",
            "  leading and trailing  ",
            "ends with \\",
            "&amp; | [x] ~~no~~",
        ] {
            assert_eq!(
                roundtrip(&RichText::plain(text), MarkdownFlavor::Gfm).to_plain(),
                text
            );
        }
    }

    #[test]
    fn awkward_marks_fall_back_to_tags() {
        let text = RichText::plain("a (b) c").toggle_mark(1, 6, Mark::Bold);
        let md = inline_md(&text, MarkdownFlavor::CommonMark, false);
        assert!(md.contains("<strong>"), "{md}");
        assert_eq!(roundtrip(&text, MarkdownFlavor::CommonMark), text);
        let plain = inline_md(&text, MarkdownFlavor::Plain, false);
        assert!(!plain.contains('<'), "{plain}");
    }

    #[test]
    fn code_spans_hold_backticks() {
        assert_eq!(code_span("a`b"), "``a`b``");
        assert_eq!(code_span("`x"), "`` `x ``");
        let text = RichText::plain("``` x").toggle_mark(0, 5, Mark::Code);
        assert_eq!(roundtrip(&text, MarkdownFlavor::Gfm), text);
    }

    #[test]
    fn hugo_shortcodes_read_back() {
        let md = "{{< card url=\"https://example.com/\" title=\"A &quot;B&quot;\" >}}\n\n{{< bubble name=\"Ken\" side=\"right\" border=\"blue\" bg=\"none\" style=\"think\" >}}one\n\n**two**{{< /bubble >}}\n";
        let blocks = from_markdown(md);
        assert_eq!(blocks.len(), 2);
        let BlockContent::LinkCard(card) = &blocks[0] else {
            panic!()
        };
        assert_eq!(card.title, "A \"B\"");
        let BlockContent::Bubble(bubble) = &blocks[1] else {
            panic!()
        };
        assert_eq!(bubble.side, Side::Right);
        assert_eq!(bubble.style, BalloonStyle::Think);
        assert_eq!(bubble.text.to_plain(), "one\n\ntwo");
        assert!(bubble.text.has_mark(5, 8, Mark::Bold));
    }
}
