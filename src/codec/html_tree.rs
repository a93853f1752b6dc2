//! A small, tolerant HTML parser into a tree, for reading edited, pasted and imported markup. Pure.
//!
//! It never fails: broken markup gives the best tree it can. Script, style and similar elements
//! are dropped with their content, comments vanish, and entities are decoded.

/// A parsed node.
#[derive(Clone, Debug, PartialEq)]
pub enum Node {
    Text(String),
    Element(Element),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Element {
    /// Lower-case tag name.
    pub name: String,
    /// Attributes with lower-case names and decoded values, in source order.
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Node>,
}

impl Element {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// The concatenated text of every descendant.
    pub fn text(&self) -> String {
        let mut out = String::new();
        collect_text(&self.children, &mut out);
        out
    }
}

pub fn collect_text(nodes: &[Node], out: &mut String) {
    for node in nodes {
        match node {
            Node::Text(text) => out.push_str(text),
            Node::Element(element) => {
                if element.name == "br" {
                    out.push('\n');
                }
                collect_text(&element.children, out);
            }
        }
    }
}

const VOID: [&str; 14] = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr", "param",
];

/// Elements dropped together with everything inside them.
const DROPPED: [&str; 11] = [
    "script", "style", "template", "noscript", "iframe", "object", "svg", "math", "head", "title",
    "textarea",
];

/// Whether an element is dropped with its content when read.
pub fn is_dropped(name: &str) -> bool {
    DROPPED.contains(&name)
}

/// Parses a fragment or document into its top-level nodes.
pub fn parse(html: &str) -> Vec<Node> {
    let mut stack: Vec<Element> = vec![Element {
        name: String::new(),
        attrs: Vec::new(),
        children: Vec::new(),
    }];
    let mut rest = html;
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            push_text(&mut stack, rest);
            break;
        };
        if lt > 0 {
            push_text(&mut stack, &rest[..lt]);
            rest = &rest[lt..];
        }
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |end| &after[end + 3..]);
            continue;
        }
        if rest.starts_with("<!") || rest.starts_with("<?") {
            rest = rest.find('>').map_or("", |end| &rest[end + 1..]);
            continue;
        }
        if let Some(after) = rest.strip_prefix("</") {
            let end = after.find('>').unwrap_or(after.len());
            let name = after[..end].trim().to_ascii_lowercase();
            rest = after.get(end + 1..).unwrap_or("");
            close(&mut stack, &name);
            continue;
        }
        let starts_tag = rest[1..]
            .chars()
            .next()
            .is_some_and(|ch| ch.is_ascii_alphabetic());
        if !starts_tag {
            push_text(&mut stack, "<");
            rest = &rest[1..];
            continue;
        }
        let (tag, after) = read_tag(&rest[1..]);
        rest = after;
        if DROPPED.contains(&tag.name.as_str()) {
            if !tag.self_closing {
                rest = skip_raw(rest, &tag.name);
            }
            continue;
        }
        let element = Element {
            name: tag.name,
            attrs: tag.attrs,
            children: Vec::new(),
        };
        if tag.self_closing || VOID.contains(&element.name.as_str()) {
            push_node(&mut stack, Node::Element(element));
        } else {
            auto_close_for(&mut stack, &element.name);
            stack.push(element);
        }
    }
    while stack.len() > 1 {
        pop_into_parent(&mut stack);
    }
    stack.pop().map(|root| root.children).unwrap_or_default()
}

/// Opening a `<p>` or `<li>` implicitly closes an open one, as browsers do.
fn auto_close_for(stack: &mut Vec<Element>, name: &str) {
    let closes: &[&str] = match name {
        "p" | "div" | "ul" | "ol" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "blockquote"
        | "pre" | "table" | "hr" => &["p"],
        "li" => &["li"],
        _ => &[],
    };
    if closes.is_empty() {
        return;
    }
    if let Some(top) = stack.last() {
        if stack.len() > 1 && closes.contains(&top.name.as_str()) {
            pop_into_parent(stack);
        }
    }
}

fn pop_into_parent(stack: &mut Vec<Element>) {
    if let Some(element) = stack.pop() {
        push_node(stack, Node::Element(element));
    }
}

fn close(stack: &mut Vec<Element>, name: &str) {
    if let Some(position) = stack.iter().rposition(|element| element.name == name) {
        if position == 0 {
            return;
        }
        while stack.len() > position {
            pop_into_parent(stack);
        }
    }
}

fn push_node(stack: &mut [Element], node: Node) {
    if let Some(top) = stack.last_mut() {
        top.children.push(node);
    }
}

fn push_text(stack: &mut [Element], raw: &str) {
    let text = decode_entities(raw);
    if let Some(top) = stack.last_mut() {
        if let Some(Node::Text(last)) = top.children.last_mut() {
            last.push_str(&text);
            return;
        }
        top.children.push(Node::Text(text));
    }
}

fn skip_raw<'a>(rest: &'a str, name: &str) -> &'a str {
    let lower = rest.to_ascii_lowercase();
    let closing = format!("</{name}");
    match lower.find(&closing) {
        Some(at) => {
            let after = &rest[at..];
            after.find('>').map_or("", |end| &after[end + 1..])
        }
        None => "",
    }
}

struct Tag {
    name: String,
    attrs: Vec<(String, String)>,
    self_closing: bool,
}

/// Reads a start tag after its `<`; returns it and the text after its `>`.
fn read_tag(input: &str) -> (Tag, &str) {
    let name_end = input
        .find(|ch: char| ch.is_whitespace() || ch == '>' || ch == '/')
        .unwrap_or(input.len());
    let name = input[..name_end].to_ascii_lowercase();
    let mut rest = &input[name_end..];
    let mut attrs = Vec::new();
    let mut self_closing = false;
    loop {
        rest = rest.trim_start();
        if rest.is_empty() {
            break;
        }
        if let Some(after) = rest.strip_prefix('>') {
            rest = after;
            break;
        }
        if let Some(after) = rest.strip_prefix('/') {
            self_closing = after.trim_start().starts_with('>');
            rest = after;
            continue;
        }
        let key_end = rest
            .find(|ch: char| ch.is_whitespace() || ch == '=' || ch == '>' || ch == '/')
            .unwrap_or(rest.len())
            .max(1);
        let key = rest[..key_end].to_ascii_lowercase();
        rest = rest[key_end..].trim_start();
        let mut value = String::new();
        if let Some(after) = rest.strip_prefix('=') {
            let after = after.trim_start();
            if let Some(quote) = after.chars().next().filter(|ch| *ch == '"' || *ch == '\'') {
                let body = &after[1..];
                let end = body.find(quote).unwrap_or(body.len());
                value = decode_entities(&body[..end]);
                rest = body.get(end + 1..).unwrap_or("");
            } else {
                let end = after
                    .find(|ch: char| ch.is_whitespace() || ch == '>')
                    .unwrap_or(after.len());
                value = decode_entities(&after[..end]);
                rest = &after[end..];
            }
        }
        if !attrs.iter().any(|(existing, _)| existing == &key) {
            attrs.push((key, value));
        }
    }
    (
        Tag {
            name,
            attrs,
            self_closing,
        },
        rest,
    )
}

/// Decodes character references: numeric ones and the named ones posts actually contain.
pub fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let end = rest[1..]
            .find(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '#'))
            .map(|i| i + 1)
            .unwrap_or(rest.len());
        let name = &rest[1..end];
        let decoded = if let Some(number) = name.strip_prefix('#') {
            let code = if let Some(hex) = number.strip_prefix(['x', 'X']) {
                u32::from_str_radix(hex, 16).ok()
            } else {
                number.parse().ok()
            };
            code.map(|code| char::from_u32(code).unwrap_or('\u{fffd}').to_string())
        } else {
            named_entity(name).map(str::to_owned)
        };
        match decoded {
            Some(decoded) => {
                out.push_str(&decoded);
                rest = &rest[end..];
                rest = rest.strip_prefix(';').unwrap_or(rest);
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn named_entity(name: &str) -> Option<&'static str> {
    Some(match name {
        "amp" => "&",
        "lt" => "<",
        "gt" => ">",
        "quot" => "\"",
        "apos" => "'",
        "nbsp" => "\u{a0}",
        "hellip" => "…",
        "mdash" => "—",
        "ndash" => "–",
        "lsquo" => "‘",
        "rsquo" => "’",
        "ldquo" => "“",
        "rdquo" => "”",
        "laquo" => "«",
        "raquo" => "»",
        "copy" => "©",
        "reg" => "®",
        "trade" => "™",
        "middot" => "·",
        "times" => "×",
        "yen" => "¥",
        "euro" => "€",
        "deg" => "°",
        "shy" => "\u{ad}",
        "zwj" => "\u{200d}",
        "zwnj" => "\u{200c}",
        _ => return None,
    })
}

/// Escapes text content (`&`, `<`, `>`).
pub fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_escaped(&mut out, text, Escape::Text);
    out
}

/// Escapes text for a double-quoted attribute value.
pub fn escape_attr(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_escaped(&mut out, text, Escape::Attr);
    out
}

/// What [`push_escaped`] replaces with references.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Escape {
    /// `&`, `<`, `>`: text content.
    Text,
    /// Also `"` and `'`: attribute values.
    Attr,
    /// Text content kept on one line: line breaks become `&#10;`/`&#13;` (shown as spaces,
    /// read back as breaks).
    TextOneLine,
    /// Attribute values kept on one line.
    AttrOneLine,
}

/// Appends `text` escaped.
pub fn push_escaped(out: &mut String, text: &str, escape: Escape) {
    // Writing into a String cannot fail.
    let _ = write_escaped(out, text, escape);
}

/// Writes `text` escaped. Export writes megabytes through here, so unescaped stretches are
/// copied whole rather than character by character.
pub fn write_escaped<W: std::fmt::Write + ?Sized>(
    out: &mut W,
    text: &str,
    escape: Escape,
) -> std::fmt::Result {
    const TEXT: u8 = 1;
    const ATTR: u8 = 2;
    const LINE: u8 = 4;
    const SPECIAL: [u8; 256] = {
        let mut table = [0; 256];
        table[b'&' as usize] = TEXT;
        table[b'<' as usize] = TEXT;
        table[b'>' as usize] = TEXT;
        table[b'"' as usize] = ATTR;
        table[b'\'' as usize] = ATTR;
        table[b'\n' as usize] = LINE;
        table[b'\r' as usize] = LINE;
        table
    };
    let mask = match escape {
        Escape::Text => TEXT,
        Escape::Attr => TEXT | ATTR,
        Escape::TextOneLine => TEXT | LINE,
        Escape::AttrOneLine => TEXT | ATTR | LINE,
    };
    let mut copied = 0;
    for (index, &byte) in text.as_bytes().iter().enumerate() {
        if SPECIAL[byte as usize] & mask == 0 {
            continue;
        }
        let reference = match byte {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            b'\n' => "&#10;",
            _ => "&#13;",
        };
        // Every special byte is ASCII, so `index` is a character boundary.
        out.write_str(&text[copied..index])?;
        out.write_str(reference)?;
        copied = index + 1;
    }
    out.write_str(&text[copied..])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn element(node: &Node) -> &Element {
        match node {
            Node::Element(element) => element,
            Node::Text(text) => panic!("expected an element, got text {text:?}"),
        }
    }

    #[test]
    fn parses_nested_markup_and_attributes() {
        let nodes = parse(r#"<p class=x>a <b>bold</b> <a href='/y?a=1&amp;b=2'>link</a></p>"#);
        let p = element(&nodes[0]);
        assert_eq!(p.attr("class"), Some("x"));
        assert_eq!(p.text(), "a bold link");
        let a = element(&p.children[3]);
        assert_eq!(a.attr("href"), Some("/y?a=1&b=2"));
    }

    #[test]
    fn drops_script_style_and_comments() {
        let nodes = parse("a<script>alert('<b>')</script><!-- x --><style>p{}</style>b");
        assert_eq!(nodes, vec![Node::Text("ab".into())]);
    }

    #[test]
    fn survives_broken_markup() {
        let nodes = parse("<p>one<p>two</div></b><li>x<li>y");
        assert_eq!(nodes.len(), 2);
        assert_eq!(element(&nodes[1]).text(), "twoxy");
        let nodes = parse("<a href=\"unterminated");
        assert_eq!(nodes.len(), 1);
        assert!(parse("< 3 and <")
            .iter()
            .all(|n| matches!(n, Node::Text(_))));
    }

    #[test]
    fn decodes_entities() {
        assert_eq!(
            decode_entities("&lt;&#x41;&#66;&nbsp;&unknown; & x"),
            "<AB\u{a0}&unknown; & x"
        );
    }
}
