//! HTML (a web page, Word, Google Docs, a CMS) into blocks, keeping only our kinds and marks.
//! Pure.
//!
//! Scripts, styles, event handlers and unknown tags never survive: the tree parser drops
//! script-like elements, and this reader keeps text, the marks we know, and checked URLs only.

use super::html_tree::{self, Element, Node};
use super::inline_html;
use crate::model::{
    BlockContent, Code, Divider, Heading, Image, List, ListItem, Paragraph, Quote, RichText,
};
use crate::sanitize;

/// Reads HTML into blocks.
pub fn from_html(html: &str) -> Vec<BlockContent> {
    let mut nodes = html_tree::parse(html);
    collapse_whitespace(&mut nodes);
    let mut reader = Reader::default();
    reader.blocks_of(&nodes);
    reader.flush();
    reader.blocks
}

/// HTML collapses runs of whitespace to one space (except inside `<pre>`).
fn collapse_whitespace(nodes: &mut [Node]) {
    for node in nodes {
        match node {
            Node::Text(text) => {
                let mut out = String::with_capacity(text.len());
                let mut in_space = false;
                for ch in text.chars() {
                    if ch.is_ascii_whitespace() {
                        if !in_space {
                            out.push(' ');
                        }
                        in_space = true;
                    } else {
                        out.push(ch);
                        in_space = false;
                    }
                }
                *text = out;
            }
            Node::Element(element) if element.name != "pre" => {
                collapse_whitespace(&mut element.children)
            }
            Node::Element(_) => {}
        }
    }
}

/// Trims spaces around each line of inline text (left over from collapsed markup whitespace).
fn trim_text(text: RichText) -> RichText {
    let plain: Vec<char> = text.to_plain().chars().collect();
    let mut keep = vec![true; plain.len()];
    let mut line_start = 0;
    for index in 0..=plain.len() {
        if index == plain.len() || plain[index] == '\n' {
            let mut start = line_start;
            while start < index && plain[start] == ' ' {
                keep[start] = false;
                start += 1;
            }
            let mut end = index;
            while end > start && plain[end - 1] == ' ' {
                keep[end - 1] = false;
                end -= 1;
            }
            line_start = index + 1;
        }
    }
    let mut out = RichText::default();
    let mut position = 0;
    for run in text.runs() {
        let kept: String = run
            .text
            .chars()
            .filter(|_| {
                let keep_it = keep[position];
                position += 1;
                keep_it
            })
            .collect();
        out.push(&kept, run.marks.clone());
    }
    // Drop empty lines at the start and end.
    let plain = out.to_plain();
    let leading = plain.chars().take_while(|ch| *ch == '\n').count();
    let trailing = plain.chars().rev().take_while(|ch| *ch == '\n').count();
    let len = out.len();
    if leading + trailing >= len {
        return RichText::default();
    }
    out.slice(leading, len - trailing)
}

fn inline_of(nodes: &[Node]) -> RichText {
    trim_text(inline_html::from_nodes(nodes, true))
}

const CONTAINERS: [&str; 16] = [
    "html", "body", "div", "section", "article", "main", "header", "footer", "aside", "nav",
    "center", "form", "details", "summary", "dl", "tbody",
];

#[derive(Default)]
struct Reader {
    blocks: Vec<BlockContent>,
    inline: Vec<Node>,
    /// The last block is a list made of Word's list paragraphs, which the next one continues.
    in_word_list: bool,
}

/// A Word list paragraph (`mso-list` in its style): its nesting and its text without the
/// bullet or number Word writes in front, and whether that marker is a number.
fn word_list_item(element: &Element) -> Option<(ListItem, bool)> {
    let style = element.attr("style")?.to_ascii_lowercase();
    let at = style.find("mso-list:")?;
    let level = style[at..]
        .split_whitespace()
        .find_map(|part| part.strip_prefix("level"))
        .and_then(|digits| {
            digits
                .trim_end_matches(|ch: char| !ch.is_ascii_digit())
                .parse::<u8>()
                .ok()
        })
        .unwrap_or(1);
    // The marker is the first element, holding only a short bullet or number and spaces.
    let is_space = |ch: char| ch.is_whitespace() || ch == '\u{a0}';
    let mut children = element.children.clone();
    let marker_at = children.iter().position(|child| match child {
        Node::Element(marker) => {
            let text = marker.text();
            let text = text.trim_matches(is_space);
            !text.is_empty() && text.chars().count() <= 4
        }
        Node::Text(text) => !text.trim_matches(is_space).is_empty(),
    });
    let mut ordered = false;
    if let Some(Node::Element(marker)) = marker_at.map(|at| &children[at]) {
        let text = marker.text();
        let text = text.trim_matches(is_space);
        ordered = text.ends_with(['.', ')']) && text.chars().any(|ch| ch.is_alphanumeric());
        if let Some(at) = marker_at {
            children.remove(at);
        }
    }
    let text = inline_of(&children);
    let text = text.slice(
        text.to_plain()
            .chars()
            .take_while(|ch| is_space(*ch))
            .count(),
        usize::MAX,
    );
    let item = ListItem {
        text,
        indent: u8::from(level > 1),
        ..Default::default()
    };
    Some((item, ordered))
}

impl Reader {
    fn flush(&mut self) {
        if self.inline.is_empty() {
            return;
        }
        let nodes = std::mem::take(&mut self.inline);
        let text = inline_of(&nodes);
        if !text.to_plain().trim().is_empty() {
            self.blocks.push(BlockContent::Paragraph(Paragraph {
                text,
                ..Default::default()
            }));
            self.in_word_list = false;
        }
    }

    fn push(&mut self, block: BlockContent) {
        self.flush();
        self.blocks.push(block);
        self.in_word_list = false;
    }

    /// One of Word's list paragraphs: it joins the list the paragraphs before it made.
    fn word_list_item(&mut self, item: ListItem, ordered: bool) {
        self.flush();
        if self.in_word_list {
            if let Some(BlockContent::List(list)) = self.blocks.last_mut() {
                if list.ordered == ordered {
                    list.items.push(item);
                    return;
                }
            }
        }
        self.push(BlockContent::List(List {
            ordered,
            items: vec![item],
            ..Default::default()
        }));
        self.in_word_list = true;
    }

    fn blocks_of(&mut self, nodes: &[Node]) {
        for node in nodes {
            match node {
                Node::Text(_) => self.inline.push(node.clone()),
                Node::Element(element) => self.element(element, node),
            }
        }
    }

    fn element(&mut self, element: &Element, node: &Node) {
        match element.name.as_str() {
            "p" => {
                if let Some((item, ordered)) = word_list_item(element) {
                    return self.word_list_item(item, ordered);
                }
                self.flush();
                self.blocks_of(&element.children);
                self.flush();
            }
            name if CONTAINERS.contains(&name) => {
                self.flush();
                self.blocks_of(&element.children);
                self.flush();
            }
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                let level = match element.name.as_str() {
                    "h1" | "h2" => 2,
                    "h3" => 3,
                    _ => 4,
                };
                let text = inline_of(&element.children);
                if !text.is_empty() {
                    self.push(BlockContent::Heading(Heading {
                        level,
                        text,
                        ..Default::default()
                    }));
                }
            }
            "ul" | "ol" => {
                let mut items = Vec::new();
                list_items(element, 0, &mut items);
                if !items.is_empty() {
                    self.push(BlockContent::List(List {
                        ordered: element.name == "ol",
                        items,
                        ..Default::default()
                    }));
                }
            }
            "blockquote" => {
                let (body, citation): (Vec<Node>, Vec<Node>) =
                    element.children.iter().cloned().partition(|child| {
                        !matches!(child, Node::Element(e) if e.name == "cite" || e.name == "footer")
                    });
                // The quote's paragraphs are set apart by a blank line, as they are shown.
                let mut quote_text = RichText::default();
                for block in from_nodes_as_blocks(&body) {
                    if let Some(text) = block.text_as_lines() {
                        if !quote_text.is_empty() {
                            quote_text.push("\n\n", Default::default());
                        }
                        quote_text.append(&text);
                    }
                }
                let citation = inline_of(&citation).to_plain();
                if !quote_text.is_empty() || !citation.is_empty() {
                    self.push(BlockContent::Quote(Quote {
                        text: quote_text,
                        citation,
                        ..Default::default()
                    }));
                }
            }
            "pre" => {
                let code = element.text();
                let code = code.strip_suffix('\n').unwrap_or(&code).to_owned();
                let language = find_language(element).unwrap_or_default();
                self.push(BlockContent::Code(Code {
                    language,
                    code,
                    ..Default::default()
                }));
            }
            "hr" => self.push(BlockContent::Divider(Divider::default())),
            "img" => {
                if let Some(image) = image_of(element, String::new()) {
                    self.push(image);
                }
            }
            "figure" => {
                let caption = find(element, "figcaption")
                    .map(|caption| inline_of(&caption.children).to_plain())
                    .unwrap_or_default();
                match find(element, "img").and_then(|img| image_of(img, caption)) {
                    Some(image) => self.push(image),
                    None => {
                        self.flush();
                        self.blocks_of(&element.children);
                        self.flush();
                    }
                }
            }
            "table" | "thead" | "tfoot" => {
                self.flush();
                self.blocks_of(&element.children);
                self.flush();
            }
            "tr" => {
                let cells: Vec<String> = element
                    .children
                    .iter()
                    .filter_map(|child| match child {
                        Node::Element(cell) if cell.name == "td" || cell.name == "th" => {
                            Some(inline_of(&cell.children).to_plain())
                        }
                        _ => None,
                    })
                    .collect();
                let line = cells.join(" | ");
                if !line.trim().is_empty() {
                    self.push(BlockContent::Paragraph(Paragraph {
                        text: RichText::plain(&line),
                        ..Default::default()
                    }));
                }
            }
            "br" => {
                // Two breaks in a row separate paragraphs; one is a line break.
                if matches!(self.inline.last(), Some(Node::Element(e)) if e.name == "br") {
                    self.inline.pop();
                    self.flush();
                } else {
                    self.inline.push(node.clone());
                }
            }
            "li" => {
                // A stray item outside a list: read as a one-item list.
                let text = inline_of(&element.children);
                self.push(BlockContent::List(List {
                    items: vec![ListItem {
                        text,
                        ..Default::default()
                    }],
                    ..Default::default()
                }));
            }
            _ if has_block_descendant(element) => {
                // An inline wrapper around blocks (Google Docs wraps a whole paste in `<b>`).
                self.flush();
                self.blocks_of(&element.children);
                self.flush();
            }
            _ => self.inline.push(node.clone()),
        }
    }
}

const BLOCK_LEVEL: [&str; 19] = [
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "li",
    "blockquote",
    "pre",
    "table",
    "figure",
    "hr",
    "section",
    "article",
    "img",
];

fn has_block_descendant(element: &Element) -> bool {
    element.children.iter().any(|child| match child {
        Node::Element(child) => {
            (BLOCK_LEVEL.contains(&child.name.as_str()) && child.name != "img")
                || has_block_descendant(child)
        }
        Node::Text(_) => false,
    })
}

fn from_nodes_as_blocks(nodes: &[Node]) -> Vec<BlockContent> {
    let mut reader = Reader::default();
    reader.blocks_of(nodes);
    reader.flush();
    reader.blocks
}

fn list_items(list: &Element, indent: u8, items: &mut Vec<ListItem>) {
    for child in &list.children {
        let Node::Element(item) = child else { continue };
        if item.name != "li" {
            if item.name == "ul" || item.name == "ol" {
                list_items(item, 1, items);
            }
            continue;
        }
        let (nested, own): (Vec<Node>, Vec<Node>) =
            item.children.iter().cloned().partition(
                |node| matches!(node, Node::Element(e) if e.name == "ul" || e.name == "ol"),
            );
        items.push(ListItem {
            text: inline_of(&own),
            indent,
            ..Default::default()
        });
        for node in nested {
            if let Node::Element(sub) = node {
                list_items(&sub, 1, items);
            }
        }
    }
}

fn find<'a>(element: &'a Element, name: &str) -> Option<&'a Element> {
    for child in &element.children {
        if let Node::Element(child) = child {
            if child.name == name {
                return Some(child);
            }
            if let Some(found) = find(child, name) {
                return Some(found);
            }
        }
    }
    None
}

fn find_language(pre: &Element) -> Option<String> {
    let class = find(pre, "code")
        .and_then(|code| code.attr("class"))
        .or_else(|| pre.attr("class"))?;
    class
        .split_whitespace()
        .find_map(|name| {
            name.strip_prefix("language-")
                .or(name.strip_prefix("lang-"))
        })
        .map(str::to_owned)
}

fn image_of(img: &Element, caption: String) -> Option<BlockContent> {
    let src = sanitize::check_image_src(img.attr("src")?).ok()?;
    Some(BlockContent::Image(Image {
        src,
        alt: img.attr("alt").unwrap_or_default().to_owned(),
        caption,
        ..Default::default()
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Mark;

    #[test]
    fn reads_a_web_page() {
        let html = r#"
            <html><head><title>x</title><style>p{color:red}</style></head><body>
            <h1>Main</h1>
            <p onclick="steal()">Hello <b>bold</b>
               <a href="javascript:alert(1)">bad</a> <a href="/ok">ok</a></p>
            <script>alert(1)</script>
            <ul><li>one<ul><li>nested</li></ul></li><li>two</li></ul>
            <blockquote><p>Wise words</p><cite>Someone</cite></blockquote>
            <pre><code class="language-rust">fn main() {}
</code></pre>
            <hr>
            <figure><img src="https://example.com/a.png" alt="A"><figcaption>Cap</figcaption></figure>
            <img src="javascript:alert(1)">
            </body></html>"#;
        let blocks = from_html(html);
        let kinds: Vec<_> = blocks.iter().map(|block| block.kind()).collect();
        use crate::model::BlockKind::*;
        assert_eq!(
            kinds,
            vec![
                Some(Heading),
                Some(Paragraph),
                Some(List),
                Some(Quote),
                Some(Code),
                Some(Divider),
                Some(Image)
            ]
        );
        let paragraph = blocks[1].rich_text().unwrap();
        assert_eq!(paragraph.to_plain(), "Hello bold bad ok");
        assert!(paragraph.has_mark(6, 10, Mark::Bold));
        assert_eq!(paragraph.link_at(11), None);
        assert_eq!(paragraph.link_at(15), Some("/ok"));
        let BlockContent::List(list) = &blocks[2] else {
            panic!()
        };
        assert_eq!(list.items.len(), 3);
        assert_eq!(list.items[1].indent, 1);
        let BlockContent::Quote(quote) = &blocks[3] else {
            panic!()
        };
        assert_eq!(quote.citation, "Someone");
        let BlockContent::Code(code) = &blocks[4] else {
            panic!()
        };
        assert_eq!(
            (code.language.as_str(), code.code.as_str()),
            ("rust", "fn main() {}")
        );
    }

    #[test]
    fn reads_google_docs_spans() {
        let html = r#"<meta charset="utf-8"><b style="font-weight:normal;" id="docs-internal-guid-1"><p dir="ltr"><span style="font-weight:700;">Bold</span><span> plain</span></p><br><p><span style="font-style:italic;">It</span></p></b>"#;
        let blocks = from_html(html);
        assert_eq!(blocks.len(), 2);
        let first = blocks[0].rich_text().unwrap();
        assert!(first.has_mark(0, 4, Mark::Bold));
        assert!(!first.has_mark(4, 10, Mark::Bold));
    }

    #[test]
    fn a_list_inside_a_quote_becomes_lines_of_the_quote() {
        let blocks = from_html("<blockquote><ul><li>one</li><li>two</li></ul></blockquote>");
        let BlockContent::Quote(quote) = &blocks[0] else {
            panic!("{blocks:?}")
        };
        assert_eq!(quote.text.to_plain(), "one\ntwo");
    }

    #[test]
    fn reads_word_list_paragraphs_as_a_list() {
        let html = "<p class=MsoNormal>前</p>\
            <p class=MsoListParagraphCxSpFirst style='text-indent:-18.0pt;mso-list:l0 level1 lfo1'><![if !supportLists]><span style='font-family:Symbol'>·<span style='font:7.0pt \"Times New Roman\"'>&nbsp;&nbsp;&nbsp;&nbsp;&nbsp; </span></span><![endif]>箇条<b>一</b></p>\
            <p class=MsoListParagraphCxSpMiddle style='mso-list:l0 level2 lfo1'><![if !supportLists]><span style='font-family:\"Courier New\"'>o<span>&nbsp;&nbsp; </span></span><![endif]>箇条二（子）</p>\
            <p class=MsoListParagraphCxSpLast style='mso-list:l0 level1 lfo1'><![if !supportLists]><span>·<span>&nbsp;&nbsp; </span></span><![endif]>箇条三</p>\
            <p class=MsoNormal>後</p>\
            <p style='mso-list:l1 level1 lfo2'><![if !supportLists]><span>1.<span>&nbsp; </span></span><![endif]>番号</p>";
        let blocks = from_html(html);
        let summary: Vec<String> = blocks.iter().map(BlockContent::plain_text).collect();
        assert_eq!(
            summary,
            ["前", "箇条一\n箇条二（子）\n箇条三", "後", "番号"]
        );
        let BlockContent::List(list) = &blocks[1] else {
            panic!("{blocks:?}")
        };
        assert!(!list.ordered);
        let indents: Vec<u8> = list.items.iter().map(|item| item.indent).collect();
        assert_eq!(indents, [0, 1, 0]);
        assert!(list.items[0].text.has_mark(2, 3, Mark::Bold));
        assert!(matches!(&blocks[3], BlockContent::List(numbered) if numbered.ordered));
    }

    #[test]
    fn keeps_kaomoji_and_entities() {
        let blocks = from_html("<p>(*´ω｀*) &amp; _(:3 」∠)_</p>");
        assert_eq!(blocks[0].plain_text(), "(*´ω｀*) & _(:3 」∠)_");
    }
}
