//! Exported Markdown, rendered by pulldown-cmark, shows every character exactly as typed: in
//! paragraphs (with line breaks), headings, list items and quotes, for every flavor.
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use pulldown_cmark::{html, Options, Parser};
use tsuzuri::codec::html_tree::decode_entities;
use tsuzuri::codec::markdown::{to_markdown, MarkdownFlavor};
use tsuzuri::model::{
    Block, BlockContent, BlockId, Document, Heading, List, ListItem, Paragraph, Quote, RichText,
};

const KAOMOJI: [&str; 20] = [
    "(*´ω｀*)",
    "_(:3 」∠)_",
    "(´・ω・`)",
    "( ﾟдﾟ)",
    "＼(^o^)／",
    "*_*",
    "<3",
    "1. not a list",
    "# not a heading",
    "- not a list",
    "+",
    ">",
    "|",
    "[x]",
    "&amp;",
    "   leading spaces",
    "trailing backslash\\",
    "~~not struck~~ `not code` **not bold**",
    "<b>not bold</b> <!-- not a comment --> &copy;",
    "1) x\n2. y\n---\n===\n    four spaces",
];

fn render(markdown: &str, flavor: MarkdownFlavor) -> String {
    let options = match flavor {
        MarkdownFlavor::CommonMark | MarkdownFlavor::Plain => Options::empty(),
        _ => Options::ENABLE_STRIKETHROUGH,
    };
    let mut out = String::new();
    html::push_html(&mut out, Parser::new_ext(markdown, options));
    out
}

/// The text a reader sees: tags removed, breaks as newlines, references decoded.
fn visible(html: &str) -> String {
    let html = html.replace("<br />\n", "\n");
    let mut text = String::new();
    let mut in_tag = false;
    for ch in html.chars() {
        match ch {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => text.push(ch),
            _ => {}
        }
    }
    decode_entities(text.trim_matches('\n'))
}

fn doc(content: BlockContent) -> Document {
    Document {
        blocks: vec![Block::new(BlockId("a".into()), content)],
        ..Default::default()
    }
}

fn contexts(text: &str) -> Vec<(BlockContent, String)> {
    let rich = RichText::plain(text);
    let single_line = text.replace('\n', " ");
    vec![
        (
            BlockContent::Paragraph(Paragraph {
                text: rich.clone(),
                ..Default::default()
            }),
            text.to_owned(),
        ),
        (
            BlockContent::Heading(Heading {
                level: 3,
                text: RichText::plain(&single_line),
                ..Default::default()
            }),
            single_line,
        ),
        (
            BlockContent::List(List {
                ordered: true,
                items: vec![ListItem {
                    text: rich.clone(),
                    ..Default::default()
                }],
                ..Default::default()
            }),
            text.to_owned(),
        ),
        (
            BlockContent::Quote(Quote {
                text: rich,
                ..Default::default()
            }),
            text.to_owned(),
        ),
    ]
}

fn check(text: &str) -> Result<(), String> {
    for flavor in MarkdownFlavor::ALL {
        for (content, expected) in contexts(text) {
            let markdown = to_markdown(&doc(content), flavor);
            let shown = visible(&render(&markdown, flavor));
            if shown != expected {
                return Err(format!(
                    "{flavor:?}: {expected:?} was written as {markdown:?} and shows as {shown:?}"
                ));
            }
        }
    }
    Ok(())
}

#[test]
fn kaomoji_render_exactly_as_typed() {
    for text in KAOMOJI {
        check(text).unwrap();
    }
    check(&KAOMOJI.join(" ")).unwrap();
}

fn nasty_text() -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        4 => prop::sample::select(
            "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~ 0123456789aZ"
                .chars()
                .collect::<Vec<_>>()
        )
        .prop_map(String::from),
        2 => prop::sample::select(
            "日本語のテキストですω｀´・ﾟд」∠＼／（）\u{3000}…—"
                .chars()
                .collect::<Vec<_>>()
        )
        .prop_map(String::from),
        1 => prop::sample::select(KAOMOJI.to_vec()).prop_map(String::from),
        1 => Just("\n".to_owned()),
        1 => Just("\t".to_owned()),
    ];
    prop::collection::vec(pieces, 1..24)
        .prop_map(|pieces| pieces.concat())
        .prop_filter("text with edge line breaks or only blanks", |text| {
            !text.starts_with('\n') && !text.ends_with('\n') && !text.trim().is_empty()
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn any_text_renders_exactly_as_typed(text in nasty_text()) {
        if let Err(message) = check(&text) {
            prop_assert!(false, "{}", message);
        }
    }
}
