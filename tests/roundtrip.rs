//! Property tests: exporting a random document and importing the result gives back every
//! block's kind, text and marks. Markdown (CommonMark and GFM) carries every kind exactly;
//! WordPress classic text carries the text as WordPress shows it (single spaces, trimmed lines)
//! and a card's URL.
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use tsuzuri::codec::json::{
    document_from_json, document_from_value, document_to_json, document_to_value,
};
use tsuzuri::codec::markdown::{from_markdown, to_markdown, MarkdownFlavor};
use tsuzuri::codec::wordpress::{from_classic, to_classic, to_gutenberg};
use tsuzuri::json::{parse, Value};
use tsuzuri::model::{
    BalloonStyle, Block, BlockContent, BlockId, Bubble, Code, Divider, Document, Extra, Heading,
    IconShape, Image, LinkCard, List, ListItem, Marks, Palette, Paragraph, Quote, RichText, Side,
    SpeakerLook, SpeakerRegistry, UnknownBlock,
};

const LINKS: [&str; 4] = [
    "https://example.com/a",
    "https://example.com/a_(b)?x=1&y=2#top",
    "/relative/path",
    "mailto:someone@example.com",
];

/// Words an author might type, heavy in punctuation, Japanese and kaomoji.
fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "パン",
            "酵母",
            "です。",
            "(*´ω｀*)",
            "_(:3 」∠)_",
            "(´・ω・`)",
            "( ﾟдﾟ)",
            "＼(^o^)／",
            "*_*",
            "<3",
            "&amp;",
            "[x]",
            "#1",
            "1.",
            "-",
            "+",
            ">",
            "|",
            "~~",
            "`",
            "\\",
            "a<b>",
            "\"q\"",
            "'s",
            "https://example.org/",
            "{{<",
            "[chat]",
            "50%",
            "$5",
            "!",
            "@",
        ])
        .prop_map(String::from),
        "[a-zA-Z0-9]{1,8}",
    ]
}

/// Words joined by single spaces, or line breaks where `breaks` allows.
fn line_text(breaks: bool) -> impl Strategy<Value = String> {
    prop::collection::vec((word(), prop::bool::weighted(0.15)), 1..8).prop_map(move |words| {
        let mut out = String::new();
        for (index, (word, newline)) in words.into_iter().enumerate() {
            if index > 0 {
                out.push(if breaks && newline { '\n' } else { ' ' });
            }
            out.push_str(&word);
        }
        out
    })
}

fn marks() -> impl Strategy<Value = Marks> {
    (
        prop::bool::weighted(0.25),
        prop::bool::weighted(0.25),
        prop::bool::weighted(0.15),
        prop::bool::weighted(0.15),
        prop::bool::weighted(0.15),
        prop::option::weighted(0.2, prop::sample::select(LINKS.to_vec())),
    )
        .prop_map(|(bold, italic, strike, code, highlight, link)| Marks {
            bold,
            italic,
            strike,
            code,
            highlight,
            link: link.map(str::to_owned),
        })
}

/// Rich text: runs of text, each with random marks.
fn rich(breaks: bool) -> impl Strategy<Value = RichText> {
    prop::collection::vec((line_text(breaks), marks()), 1..4).prop_map(|runs| {
        let mut text = RichText::default();
        for (index, (run, marks)) in runs.into_iter().enumerate() {
            if index > 0 {
                text.push(" ", Marks::default());
            }
            text.push(&run, marks);
        }
        text
    })
}

/// Rich text whose marked runs may start or end with spaces and touch each other (what
/// Markdown's delimiters cannot always express).
fn loose_rich(breaks: bool) -> impl Strategy<Value = RichText> {
    let run = (
        prop::sample::select(vec!["", " ", "  "]),
        line_text(breaks),
        prop::sample::select(vec!["", " "]),
        marks(),
    );
    prop::collection::vec(run, 1..5).prop_map(|runs| {
        let mut text = RichText::default();
        for (before, body, after, marks) in runs {
            text.push(&format!("{before}{body}{after}"), marks);
        }
        text
    })
}

fn list(text: BoxedStrategy<RichText>) -> impl Strategy<Value = BlockContent> {
    (
        any::<bool>(),
        prop::collection::vec((text, any::<bool>()), 1..5),
    )
        .prop_map(|(ordered, items)| {
            let items = items
                .into_iter()
                .enumerate()
                .map(|(index, (text, nested))| ListItem {
                    text,
                    indent: u8::from(index > 0 && nested),
                    ..Default::default()
                })
                .collect();
            BlockContent::List(List {
                ordered,
                items,
                ..Default::default()
            })
        })
}

fn code() -> impl Strategy<Value = BlockContent> {
    (
        "[a-z]{0,6}",
        prop::collection::vec("[ -~]{0,20}|[あ-ん]{1,5}", 1..4),
    )
        .prop_map(|(language, lines)| {
            BlockContent::Code(Code {
                language,
                code: lines.join("\n"),
                ..Default::default()
            })
        })
}

fn card(full: bool) -> impl Strategy<Value = BlockContent> {
    (
        prop::sample::select(vec![
            "https://example.org/blog/guide/",
            "https://example.com/a_(b)?q=1&r=2",
            "http://例え.jp/パス",
        ]),
        line_text(false),
        line_text(false),
        prop::sample::select(vec!["", "https://example.org/t.jpg", "thumb.png"]),
        line_text(false),
    )
        .prop_map(move |(url, title, description, image, site_name)| {
            let card = LinkCard {
                url: url.to_owned(),
                ..Default::default()
            };
            BlockContent::LinkCard(if full {
                LinkCard {
                    title,
                    description,
                    image: image.to_owned(),
                    site_name,
                    ..card
                }
            } else {
                card
            })
        })
}

fn palette() -> impl Strategy<Value = Palette> {
    prop::sample::select(Palette::ALL.to_vec())
}

fn bubble() -> impl Strategy<Value = BlockContent> {
    (
        prop::sample::select(vec!["パン屋のミナ", "Ken", "A \"quoted\" [name]", "x&y"]),
        prop::sample::select(vec!["", "baker-smile.png", "https://example.com/f.png"]),
        (palette(), palette(), any::<bool>(), any::<bool>()),
        prop::collection::vec(rich(true), 1..3),
    )
        .prop_map(
            |(name, face, (border, background, right, think), paragraphs)| {
                let mut text = RichText::default();
                for (index, paragraph) in paragraphs.iter().enumerate() {
                    if index > 0 {
                        text.push("\n\n", Marks::default());
                    }
                    text.append(paragraph);
                }
                BlockContent::Bubble(Bubble {
                    speaker: SpeakerLook {
                        name: name.to_owned(),
                        face: face.to_owned(),
                        border,
                        background,
                        ..Default::default()
                    },
                    side: if right { Side::Right } else { Side::Left },
                    style: if think {
                        BalloonStyle::Think
                    } else {
                        BalloonStyle::Talk
                    },
                    text,
                    ..Default::default()
                })
            },
        )
}

fn heading() -> impl Strategy<Value = BlockContent> {
    (2u8..=4, rich(false)).prop_map(|(level, text)| {
        BlockContent::Heading(Heading {
            level,
            text,
            ..Default::default()
        })
    })
}

fn paragraph(breaks: bool) -> impl Strategy<Value = BlockContent> {
    rich(breaks).prop_map(paragraph_of)
}

fn loose_paragraph() -> impl Strategy<Value = BlockContent> {
    loose_rich(true).prop_map(paragraph_of)
}

fn paragraph_of(text: RichText) -> BlockContent {
    BlockContent::Paragraph(Paragraph {
        text,
        ..Default::default()
    })
}

fn quote(text: BoxedStrategy<RichText>) -> impl Strategy<Value = BlockContent> {
    (text, prop::option::of(line_text(false))).prop_map(|(text, citation)| {
        BlockContent::Quote(Quote {
            text,
            citation: citation.unwrap_or_default(),
            ..Default::default()
        })
    })
}

fn markdown_block() -> impl Strategy<Value = BlockContent> {
    prop_oneof![
        3 => loose_paragraph(),
        1 => heading(),
        1 => list(loose_rich(true).boxed()),
        1 => quote(loose_rich(true).boxed()),
        1 => code(),
        1 => Just(BlockContent::Divider(Divider::default())),
        1 => (line_text(false), prop::option::of(line_text(false))).prop_map(|(alt, caption)| {
            BlockContent::Image(Image {
                src: "https://example.com/a_(1).png".into(),
                alt,
                caption: caption.unwrap_or_default(),
                ..Default::default()
            })
        }),
        1 => card(true),
        1 => bubble(),
    ]
}

fn wordpress_block() -> impl Strategy<Value = BlockContent> {
    prop_oneof![
        3 => paragraph(true),
        1 => heading(),
        1 => list(rich(false).boxed()),
        1 => quote(rich(false).boxed()),
        1 => code(),
        1 => Just(BlockContent::Divider(Divider::default())),
        1 => card(false),
        2 => bubble(),
    ]
}

fn doc(blocks: Vec<BlockContent>) -> Document {
    Document {
        blocks: blocks
            .into_iter()
            .enumerate()
            .map(|(index, content)| Block::new(BlockId(format!("b{index}")), content))
            .collect(),
        ..Default::default()
    }
}

/// Line breaks carry no marks once read back (as in `inline_html`).
fn unmarked_breaks(text: &RichText) -> RichText {
    let mut out = RichText::default();
    for run in text.runs() {
        for (index, piece) in run.text.split('\n').enumerate() {
            if index > 0 {
                out.push("\n", Marks::default());
            }
            out.push(piece, run.marks.clone());
        }
    }
    out
}

/// What survives any export: breaks unmarked, and a bubble's link to the registry (which is
/// compared separately).
fn comparable(block: &BlockContent) -> BlockContent {
    let mut block = block.clone();
    match &mut block {
        BlockContent::Paragraph(p) => p.text = unmarked_breaks(&p.text),
        BlockContent::Heading(h) => h.text = unmarked_breaks(&h.text),
        BlockContent::Quote(q) => q.text = unmarked_breaks(&q.text),
        BlockContent::List(l) => {
            for item in &mut l.items {
                item.text = unmarked_breaks(&item.text);
            }
        }
        BlockContent::Bubble(b) => {
            b.text = unmarked_breaks(&b.text);
            b.speaker.speaker_id = None;
            b.speaker.expression.clear();
        }
        BlockContent::Divider(_)
        | BlockContent::Image(_)
        | BlockContent::Code(_)
        | BlockContent::LinkCard(_)
        | BlockContent::Unknown(_) => {}
    }
    block
}

fn same_blocks(expected: &[BlockContent], actual: &[BlockContent]) -> Result<(), TestCaseError> {
    prop_assert_eq!(expected.len(), actual.len(), "block counts differ");
    for (expected, actual) in expected.iter().zip(actual) {
        prop_assert_eq!(comparable(expected), comparable(actual));
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn markdown_round_trips(blocks in prop::collection::vec(markdown_block(), 1..8)) {
        let doc = doc(blocks.clone());
        for flavor in [MarkdownFlavor::CommonMark, MarkdownFlavor::Gfm] {
            let markdown = to_markdown(&doc, flavor);
            let back = from_markdown(&markdown);
            same_blocks(&blocks, &back).map_err(|error| {
                TestCaseError::fail(format!("{flavor:?}: {error}\n--- markdown\n{markdown}"))
            })?;
        }
    }

    #[test]
    fn wordpress_classic_round_trips(blocks in prop::collection::vec(wordpress_block(), 1..8)) {
        let classic = to_classic(&doc(blocks.clone()));
        let mut registry = SpeakerRegistry::default();
        let mut counter = 0;
        let mut next = || {
            counter += 1;
            format!("s{counter}")
        };
        let back = from_classic(&classic, &mut registry, &mut next);
        same_blocks(&blocks, &back)
            .map_err(|error| TestCaseError::fail(format!("{error}\n--- classic\n{classic}")))?;
        for block in &back {
            if let BlockContent::Bubble(bubble) = block {
                let speaker = bubble.speaker.speaker_id.as_deref().and_then(|id| registry.get(id));
                prop_assert_eq!(speaker.map(|s| s.name.as_str()), Some(bubble.speaker.name.as_str()));
                prop_assert_eq!(speaker.map(|s| s.shape), Some(IconShape::Circle));
            }
        }
    }
}

/// Fields a newer version might have written, at every level the stored form has.
fn unknown_fields() -> impl Strategy<Value = Extra> {
    prop::collection::btree_map(
        prop::sample::select(vec!["align", "pinned", "z", "a", "meta", "テーマ"]),
        prop::sample::select(vec!["true", "\"center\"", "[1,{\"k\":null}]", "2.5"]),
        0..3,
    )
    .prop_map(|fields| {
        fields
            .into_iter()
            .map(|(k, v)| (k.to_owned(), parse(v).unwrap_or_default()))
            .collect()
    })
}

/// A stored document: every kind, unknown fields in documents, blocks and data, and blocks of
/// a type this version does not know.
fn stored_document() -> impl Strategy<Value = Document> {
    let block = prop_oneof![
        8 => (markdown_block(), unknown_fields(), unknown_fields()).prop_map(|(content, data_extra, extra)| {
            let mut content = content;
            let target = match &mut content {
                BlockContent::Paragraph(data) => Some(&mut data.extra),
                BlockContent::Heading(data) => Some(&mut data.extra),
                BlockContent::List(data) => Some(&mut data.extra),
                BlockContent::Quote(data) => Some(&mut data.extra),
                BlockContent::Code(data) => Some(&mut data.extra),
                BlockContent::Bubble(data) => Some(&mut data.extra),
                _ => None,
            };
            if let Some(target) = target {
                *target = data_extra;
            }
            (content, extra)
        }),
        1 => (unknown_fields(), unknown_fields()).prop_map(|(data, extra)| {
            (BlockContent::Unknown(UnknownBlock { type_name: "hologram".into(), data: Value::Object(data) }), extra)
        }),
    ];
    (
        line_text(false),
        prop::collection::vec(block, 0..8),
        unknown_fields(),
    )
        .prop_map(|(title, blocks, extra)| Document {
            title,
            blocks: blocks
                .into_iter()
                .enumerate()
                .map(|(index, (content, extra))| Block {
                    id: BlockId(format!("b{index}")),
                    content,
                    extra,
                })
                .collect(),
            extra,
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Drafts read back exactly, whether written by this version or with keys in any other
    /// order (as earlier versions wrote them), and the value read equals the value written.
    #[test]
    fn json_round_trips_exactly(doc in stored_document()) {
        let written = document_to_json(&doc);
        // The same members with every object's keys sorted (serde_json's maps sort them).
        let sorted = serde_json::from_str::<serde_json::Value>(&written).unwrap().to_string();
        for text in [&written, &sorted] {
            let read = document_from_json(text).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
            prop_assert_eq!(&read, &doc);
            let general = document_from_value(parse(text).unwrap()).unwrap();
            prop_assert_eq!(&general, &doc);
        }
        let as_value: Value = parse(&written).unwrap();
        prop_assert_eq!(as_value, document_to_value(&doc));
    }
}

#[test]
fn a_quote_of_only_a_url_stays_a_quote() {
    let quote = BlockContent::Quote(Quote {
        text: RichText::plain("https://example.org/"),
        ..Default::default()
    });
    let markdown = to_markdown(&doc(vec![quote.clone()]), MarkdownFlavor::Gfm);
    assert_eq!(from_markdown(&markdown), vec![quote]);
}

#[test]
fn two_lines_after_a_card_stay_a_paragraph() {
    let blocks = vec![
        BlockContent::LinkCard(LinkCard {
            url: "https://example.org/".into(),
            ..Default::default()
        }),
        BlockContent::Paragraph(Paragraph {
            text: RichText::plain("パン\nおいしい…"),
            ..Default::default()
        }),
    ];
    let classic = to_classic(&doc(blocks.clone()));
    assert!(classic.contains("パン<br />\n"), "{classic}");
    let back = from_classic(&classic, &mut SpeakerRegistry::default(), &mut String::new);
    assert_eq!(back, blocks);
}

/// Exports one block to HTML (both styles), classic and block WordPress and Markdown, and
/// reads each back: it must come back as `blocks`, or as `from_gutenberg` from block WordPress.
fn assert_survives_every_format(blocks: &[BlockContent], from_gutenberg: &[BlockContent]) {
    use tsuzuri::codec::html_blocks::from_html;
    use tsuzuri::codec::html_export::{to_html, HtmlOptions};
    let post = doc(blocks.to_vec());
    for inline_styles in [false, true] {
        let html = to_html(&post, &HtmlOptions { inline_styles });
        assert_eq!(from_html(&html), blocks, "HTML: {html}");
    }
    let classic = to_classic(&post);
    let back = from_classic(&classic, &mut SpeakerRegistry::default(), &mut String::new);
    assert_eq!(back, blocks, "classic: {classic}");
    let gutenberg = to_gutenberg(&post);
    assert_eq!(
        from_html(&gutenberg),
        from_gutenberg,
        "Gutenberg: {gutenberg}"
    );
    for flavor in [MarkdownFlavor::CommonMark, MarkdownFlavor::Gfm] {
        let markdown = to_markdown(&post, flavor);
        assert_eq!(from_markdown(&markdown), blocks, "{flavor:?}: {markdown}");
    }
}

#[test]
fn code_keeps_its_final_newlines_through_every_format() {
    for text in ["let x = 1;\n", "a\n\n", "b", "\nc"] {
        let code = |language: &str| {
            vec![BlockContent::Code(Code {
                language: language.into(),
                code: text.into(),
                ..Default::default()
            })]
        };
        // The Gutenberg code block carries no language.
        assert_survives_every_format(&code("rust"), &code(""));
    }
}

#[test]
fn a_quotes_blank_line_survives_every_format() {
    // Runs of blank lines come back as one: readers take `<br><br>` for a paragraph's end.
    for text in ["一行目\n\n三行目", "a\nb", "a\n\nb\nc"] {
        let blocks = vec![BlockContent::Quote(Quote {
            text: RichText::plain(text),
            ..Default::default()
        })];
        assert_survives_every_format(&blocks, &blocks);
    }
}

#[test]
fn a_quotes_paragraphs_are_set_apart_by_a_blank_line() {
    use tsuzuri::codec::html_blocks::from_html;
    let quote = BlockContent::Quote(Quote {
        text: RichText::plain("一つ目\n\n二つ目"),
        ..Default::default()
    });
    assert_eq!(
        from_html("<blockquote><p>一つ目</p><p>二つ目</p></blockquote>"),
        vec![quote]
    );
}
