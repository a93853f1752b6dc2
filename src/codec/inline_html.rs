//! Inline text to and from HTML: what a text block's editable element holds, and how marks are
//! written in exported HTML. Pure.

use super::html_tree::{self, write_escaped, Escape, Node};
use crate::model::{Marks, RichText};
use crate::sanitize;

/// How marks are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InlineStyle {
    /// Plain semantic tags, styled by the app's stylesheet (the editor, class-based export).
    Tags,
    /// Tags with inline `style` attributes, for CMSs that strip stylesheets and classes.
    Inline,
}

pub const HIGHLIGHT_CSS: &str =
    "background:linear-gradient(transparent 55%,#fff3a0 55%);color:inherit;padding:0 1px";
pub const CODE_CSS: &str = "font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:#f2f2f2;border-radius:3px;padding:0.1em 0.3em;font-size:0.9em";
pub const LINK_CSS: &str = "color:#1a6fc4;text-decoration:underline";

/// Writes inline text as HTML. Line breaks become `<br>`; links with refused URLs lose the link.
pub fn to_html(text: &RichText, style: InlineStyle) -> String {
    let mut out = String::new();
    // Writing into a String cannot fail.
    let _ = write_html(&mut out, text, style, Escape::Text);
    out
}

/// HTML for an editable element: like [`to_html`], plus the extra `<br>` browsers need to show
/// a final empty line.
pub fn to_editable_html(text: &RichText) -> String {
    let mut html = to_html(text, InlineStyle::Tags);
    if text.to_plain().ends_with('\n') {
        html.push_str("<br>");
    }
    html
}

/// Appends inline text as HTML (see [`to_html`]); `escape` says how the text between tags is
/// escaped (export also writes carriage returns as references).
pub fn write_html<W: std::fmt::Write + ?Sized>(
    out: &mut W,
    text: &RichText,
    style: InlineStyle,
    escape: Escape,
) -> std::fmt::Result {
    for run in text.runs() {
        write_run(out, &run.text, &run.marks, style, escape)?;
    }
    Ok(())
}

fn write_run<W: std::fmt::Write + ?Sized>(
    out: &mut W,
    text: &str,
    marks: &Marks,
    style: InlineStyle,
    escape: Escape,
) -> std::fmt::Result {
    let styled = |out: &mut W, css: &str| {
        if style == InlineStyle::Inline {
            out.write_str(" style=\"")?;
            out.write_str(css)?;
            out.write_str("\"")?;
        }
        Ok(())
    };
    let mut closing: [&str; 6] = [""; 6];
    let mut open = 0;
    if let Some(href) = marks
        .link
        .as_deref()
        .and_then(|href| sanitize::check_link(href).ok())
    {
        out.write_str("<a href=\"")?;
        write_escaped(out, &href, Escape::Attr)?;
        out.write_str("\"")?;
        styled(out, LINK_CSS)?;
        out.write_str(">")?;
        closing[open] = "</a>";
        open += 1;
    }
    for (on, tag, close) in [
        (marks.bold, "<strong>", "</strong>"),
        (marks.italic, "<em>", "</em>"),
        (marks.strike, "<s>", "</s>"),
    ] {
        if on {
            out.write_str(tag)?;
            closing[open] = close;
            open += 1;
        }
    }
    for (on, tag, css, close) in [
        (marks.highlight, "<mark", HIGHLIGHT_CSS, "</mark>"),
        (marks.code, "<code", CODE_CSS, "</code>"),
    ] {
        if on {
            out.write_str(tag)?;
            styled(out, css)?;
            out.write_str(">")?;
            closing[open] = close;
            open += 1;
        }
    }
    for (index, line) in text.split('\n').enumerate() {
        if index > 0 {
            out.write_str("<br>")?;
        }
        write_escaped(out, line, escape)?;
    }
    for tag in closing[..open].iter().rev() {
        out.write_str(tag)?;
    }
    Ok(())
}

/// Reads inline text from HTML: the marks we know (from tags or inline styles, as Word and
/// Google Docs write them), line breaks, and nothing else. A final `<br>` is taken as the
/// browser's placeholder and dropped.
pub fn from_html(html: &str) -> RichText {
    from_nodes(&html_tree::parse(html), true)
}

/// Like [`from_html`] but keeps a final `<br>` (for measuring text before the caret).
pub fn from_html_keeping_final_break(html: &str) -> RichText {
    from_nodes(&html_tree::parse(html), false)
}

pub fn from_nodes(nodes: &[Node], drop_final_break: bool) -> RichText {
    let mut text = RichText::default();
    let mut ended_with_break = false;
    walk(nodes, &Marks::default(), &mut text, &mut ended_with_break);
    if drop_final_break && ended_with_break {
        let len = text.len();
        text = text.slice(0, len.saturating_sub(1));
    }
    text
}

const BLOCKISH: [&str; 14] = [
    "p",
    "div",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "pre",
    "tr",
    "ul",
    "ol",
];

/// How an element counts when text is read (and measured, see `browser::dom`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Counts {
    /// One line break.
    Break,
    /// Nothing, content included.
    Nothing,
    /// A line break before it unless the text is empty or already ends one; then its content.
    NewLine,
    /// Its content.
    Content,
}

/// How an element (by lowercase tag name) counts when read.
pub fn counts(name: &str) -> Counts {
    match name {
        "br" => Counts::Break,
        "img" => Counts::Nothing,
        _ if super::html_tree::is_dropped(name) => Counts::Nothing,
        _ if BLOCKISH.contains(&name) => Counts::NewLine,
        _ => Counts::Content,
    }
}

/// Whether every element in serialised `html` counts its content (no breaks, blocks, images or
/// dropped elements), so that it reads as its text nodes joined, as the browser's own text of a
/// range gives it. Errs towards false: anything like a tag that is not such an element.
pub fn reads_as_its_text(html: &str) -> bool {
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        rest = &rest[open + 1..];
        if let Some(comment) = rest.strip_prefix("!--") {
            match comment.find("-->") {
                Some(end) => rest = &comment[end + 3..],
                None => return false,
            }
            continue;
        }
        let name_and_rest = rest.strip_prefix('/').unwrap_or(rest);
        let name_len = name_and_rest
            .find(|ch: char| !ch.is_ascii_alphanumeric())
            .unwrap_or(name_and_rest.len());
        let name = &name_and_rest[..name_len];
        if name.is_empty() || !name.starts_with(|ch: char| ch.is_ascii_lowercase()) {
            return false;
        }
        if counts(name) != Counts::Content {
            return false;
        }
    }
    true
}

fn walk(nodes: &[Node], marks: &Marks, out: &mut RichText, ended_with_break: &mut bool) {
    for node in nodes {
        match node {
            Node::Text(text) => {
                if !text.is_empty() {
                    out.push(text, marks.clone());
                    *ended_with_break = false;
                }
            }
            Node::Element(element) => {
                match counts(element.name.as_str()) {
                    Counts::Break => {
                        out.push("\n", Marks::default());
                        *ended_with_break = true;
                        continue;
                    }
                    Counts::Nothing => continue,
                    Counts::NewLine if !out.is_empty() && !out.to_plain().ends_with('\n') => {
                        out.push("\n", Marks::default());
                    }
                    Counts::NewLine | Counts::Content => {}
                }
                let inner = marks_for(element, marks);
                walk(&element.children, &inner, out, ended_with_break);
            }
        }
    }
}

fn marks_for(element: &html_tree::Element, outer: &Marks) -> Marks {
    let mut marks = outer.clone();
    match element.name.as_str() {
        "strong" | "b" => marks.bold = true,
        "em" | "i" | "cite" => marks.italic = true,
        "s" | "del" | "strike" => marks.strike = true,
        "code" | "kbd" | "tt" | "samp" => marks.code = true,
        "mark" => marks.highlight = true,
        "a" => {
            marks.link = element
                .attr("href")
                .and_then(|href| sanitize::check_link(href).ok())
        }
        _ => {}
    }
    if let Some(style) = element.attr("style") {
        apply_style(style, &mut marks);
    }
    marks
}

/// Marks expressed as inline CSS (Google Docs writes `font-weight:700`, Word `font-weight:bold`).
fn apply_style(style: &str, marks: &mut Marks) {
    for declaration in style.split(';') {
        let Some((property, value)) = declaration.split_once(':') else {
            continue;
        };
        let property = property.trim().to_ascii_lowercase();
        let value = value.trim().to_ascii_lowercase();
        match property.as_str() {
            "font-weight" => {
                let weight: u32 = value.parse().unwrap_or(0);
                marks.bold = value == "bold" || value == "bolder" || weight >= 600;
            }
            "font-style" => marks.italic = value == "italic" || value == "oblique",
            "text-decoration" | "text-decoration-line" if value.contains("line-through") => {
                marks.strike = true;
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn inline_markup_reads_as_its_text_and_lines_or_images_do_not() {
        for html in [
            "",
            "plain &amp; &lt;b&gt;",
            "a<b>bold</b> <i>it<s>al</s></i><mark>m</mark><a href=\"https://example.com/\">l</a>",
            "<span style=\"color: red\">s</span><code>c</code>x<!---->y<!-- a <br> -->",
        ] {
            assert!(super::reads_as_its_text(html), "{html}");
        }
        for html in [
            "line<br>next",
            "a<div>b</div>",
            "<img src=\"x\">",
            "<script>x</script>",
            "<p>p</p>",
            "broken <!-- comment",
            "<B>upper</B>",
            "< spaced",
        ] {
            assert!(!super::reads_as_its_text(html), "{html}");
        }
    }

    use super::*;
    use crate::model::Mark;

    #[test]
    fn round_trips_marks_and_breaks() {
        let text = RichText::plain("a <b> & c\nnext")
            .toggle_mark(0, 1, Mark::Bold)
            .toggle_mark(2, 5, Mark::Code)
            .set_link(10, 14, Some("https://example.com/?a=1&b=\"2\""));
        let html = to_html(&text, InlineStyle::Tags);
        assert!(html.contains("&lt;b&gt;"));
        assert_eq!(from_html(&html), text);
    }

    #[test]
    fn editable_html_keeps_a_final_empty_line() {
        let text = RichText::plain("line\n");
        let html = to_editable_html(&text);
        assert_eq!(html, "line<br><br>");
        assert_eq!(from_html(&html), text);
        assert_eq!(from_html("<br>"), RichText::default());
    }

    #[test]
    fn reads_google_docs_and_word_styles() {
        let html = r#"<b style="font-weight:normal"><span style="font-weight:700">B</span><span style="font-style:italic">I</span></b>"#;
        let text = from_html(html);
        assert_eq!(
            text.runs()[0].marks,
            Marks::default().with(Mark::Bold, true)
        );
        assert_eq!(
            text.runs()[1].marks,
            Marks::default().with(Mark::Italic, true)
        );
    }

    #[test]
    fn refuses_script_links() {
        let text = from_html(r#"<a href="javascript:alert(1)" onclick="x()">x</a>"#);
        assert_eq!(text, RichText::plain("x"));
        let unsafe_text = RichText::plain("y").set_link(0, 1, Some("javascript:alert(1)"));
        assert_eq!(to_html(&unsafe_text, InlineStyle::Inline), "y");
    }

    #[test]
    fn browser_divs_become_line_breaks() {
        assert_eq!(from_html("one<div>two</div>").to_plain(), "one\ntwo");
    }
}
