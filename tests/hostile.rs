//! Hostile input: documents whose every field is filled with attack strings export to HTML,
//! Markdown (rendered by pulldown-cmark) and WordPress text without any script, event attribute,
//! dangerous URL, broken attribute quoting or injected shortcode; and hostile text imported in
//! any format exports just as safely.
//!
//! The raw output is scanned directly (a tolerant parser would hide problems): every `<` must
//! open a well-formed tag, comment or doctype, every attribute must be allowed and quoted, and
//! `href`/`src` must not use a script or non-image `data:` scheme.
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use pulldown_cmark::{html, Options, Parser};
use tsuzuri::codec::html_export::{html_document, to_html, HtmlOptions};
use tsuzuri::codec::html_tree::decode_entities;
use tsuzuri::codec::import::{import, ImportFormat};
use tsuzuri::codec::markdown::{from_markdown, to_markdown, MarkdownFlavor};
use tsuzuri::codec::wordpress::{to_classic, to_gutenberg};
use tsuzuri::model::{
    BalloonStyle, Block, BlockContent, BlockId, Bubble, Code, Document, Heading, Image, LinkCard,
    List, ListItem, Marks, Palette, Paragraph, Quote, RichText, Side, SpeakerLook, SpeakerRegistry,
};
use tsuzuri::sanitize;

const NASTY: [&str; 35] = [
    "<script>alert(1)</script>",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " java\tscript:alert(1)",
    "jav&#x09;ascript:alert(1)",
    "&#106;avascript:alert(1)",
    "vbscript:msgbox(1)",
    "data:text/html,<script>alert(1)</script>",
    "data:text/html;base64,PHNjcmlwdD4=",
    "data:image/svg+xml;base64,PHN2Zz4=",
    "\" onerror=\"x",
    "' onmouseover='x",
    "'><img src=x onerror=alert(1)>",
    "\"><svg onload=alert(1)>",
    "</textarea>",
    "</div></div></a>",
    "]]>",
    "[/chat]",
    "[chat name=\"x\" face=\"javascript:x\"]",
    "[caption]",
    "{{< /bubble >}}",
    "{{< card url=\"javascript:x\" >}}",
    "{{% x %}}",
    "-->",
    "<!--",
    "{\"x\":1}",
    "<iframe src=javascript:x>",
    "<a href=\"javascript:x\">x</a>",
    "https://example.com/\" onclick=\"x",
    "`",
    "```",
    "\n\n<script>",
    "\n    <b onclick=x>",
    "<style>*{}</style>",
    "İİ<TITLE>İ</title>[caption]İ<img src=x>İ[/caption]",
];

fn nasty() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        3 => prop::sample::select(NASTY.to_vec()).prop_map(String::from),
        1 => "[a-z<>\"'=/&;:# \\[\\]{}()`*_-]{1,8}",
        1 => Just("https://example.com/ok".to_owned()),
    ];
    prop::collection::vec(piece, 1..4).prop_map(|pieces| pieces.concat())
}

fn rich() -> impl Strategy<Value = RichText> {
    prop::collection::vec((nasty(), prop::option::of(nasty()), any::<bool>()), 1..3).prop_map(
        |runs| {
            let mut text = RichText::default();
            for (run, link, bold) in runs {
                text.push(
                    &run,
                    Marks {
                        bold,
                        highlight: !bold,
                        link,
                        ..Default::default()
                    },
                );
            }
            text
        },
    )
}

fn palette() -> impl Strategy<Value = Palette> {
    prop::sample::select(Palette::ALL.to_vec())
}

fn hostile_doc() -> impl Strategy<Value = Document> {
    (
        (nasty(), rich(), rich(), rich(), rich(), nasty()),
        (nasty(), nasty(), nasty(), nasty(), nasty()),
        (nasty(), nasty(), nasty(), nasty(), nasty()),
        (
            nasty(),
            nasty(),
            rich(),
            palette(),
            palette(),
            any::<bool>(),
        ),
    )
        .prop_map(
            |(
                (title, paragraph, heading, item, quote, citation),
                (src, alt, caption, language, code),
                (url, card_title, description, image, site_name),
                (name, face, bubble_text, border, background, right),
            )| {
                let contents = vec![
                    BlockContent::Paragraph(Paragraph {
                        text: paragraph,
                        ..Default::default()
                    }),
                    BlockContent::Heading(Heading {
                        level: 3,
                        text: heading,
                        ..Default::default()
                    }),
                    BlockContent::List(List {
                        ordered: right,
                        items: vec![
                            ListItem {
                                text: item.clone(),
                                ..Default::default()
                            },
                            ListItem {
                                text: item,
                                indent: 1,
                                ..Default::default()
                            },
                        ],
                        ..Default::default()
                    }),
                    BlockContent::Quote(Quote {
                        text: quote,
                        citation,
                        ..Default::default()
                    }),
                    BlockContent::Image(Image {
                        src,
                        alt,
                        caption,
                        ..Default::default()
                    }),
                    BlockContent::Code(Code {
                        language,
                        code,
                        ..Default::default()
                    }),
                    BlockContent::LinkCard(LinkCard {
                        url,
                        title: card_title,
                        description,
                        image,
                        site_name,
                        ..Default::default()
                    }),
                    BlockContent::Bubble(Bubble {
                        speaker: SpeakerLook {
                            name,
                            face,
                            border,
                            background,
                            ..Default::default()
                        },
                        side: if right { Side::Right } else { Side::Left },
                        style: if right {
                            BalloonStyle::Think
                        } else {
                            BalloonStyle::Talk
                        },
                        text: bubble_text,
                        ..Default::default()
                    }),
                ];
                Document {
                    title,
                    blocks: contents
                        .into_iter()
                        .enumerate()
                        .map(|(i, content)| Block::new(BlockId(format!("b{i}")), content))
                        .collect(),
                    ..Default::default()
                }
            },
        )
}

const ATTRIBUTES: [&str; 12] = [
    "href", "src", "alt", "title", "class", "style", "width", "height", "charset", "name",
    "content", "start",
];

fn check_url(name: &str, value: &str) -> Result<(), String> {
    let cleaned: String = decode_entities(value)
        .chars()
        .filter(|ch| !ch.is_whitespace() && !ch.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    let raster = ["png", "jpeg", "jpg", "gif", "webp"]
        .iter()
        .any(|kind| cleaned.starts_with(&format!("data:image/{kind};base64,")));
    let bad = ["javascript:", "vbscript:", "data:"]
        .iter()
        .any(|scheme| cleaned.starts_with(scheme));
    if bad && !(name == "src" && raster) {
        return Err(format!("dangerous {name}={value:?}"));
    }
    Ok(())
}

/// Scans raw HTML (see the module docs).
fn check_markup(output: &str) -> Result<(), String> {
    if output.to_ascii_lowercase().contains("<script") {
        return Err("contains <script".into());
    }
    let mut rest = output;
    while let Some(at) = rest.find('<') {
        rest = &rest[at..];
        if let Some(after) = rest.strip_prefix("<!--") {
            let end = after.find("-->").ok_or("unterminated comment")?;
            rest = &after[end + 3..];
            continue;
        }
        if rest.to_ascii_lowercase().starts_with("<!doctype html>") {
            rest = &rest[15..];
            continue;
        }
        let closing = rest.starts_with("</");
        let body = &rest[if closing { 2 } else { 1 }..];
        let name_len = body
            .find(|ch: char| !ch.is_ascii_alphanumeric())
            .unwrap_or(body.len());
        if name_len == 0 {
            return Err(format!(
                "a raw `<` that opens no tag: {:?}",
                &rest[..rest.len().min(40)]
            ));
        }
        let mut tag = &body[name_len..];
        loop {
            tag = tag.trim_start();
            if let Some(after) = tag.strip_prefix("/>").or_else(|| tag.strip_prefix('>')) {
                rest = after;
                break;
            }
            if closing {
                return Err(format!(
                    "malformed closing tag near {:?}",
                    &body[..body.len().min(40)]
                ));
            }
            let attr_len = tag
                .find(|ch: char| !(ch.is_ascii_alphanumeric() || matches!(ch, '-' | '_' | ':')))
                .unwrap_or(tag.len());
            if attr_len == 0 {
                return Err(format!(
                    "stray text inside a tag: {:?}",
                    &tag[..tag.len().min(40)]
                ));
            }
            let name = tag[..attr_len].to_ascii_lowercase();
            if name.starts_with("on")
                || !(ATTRIBUTES.contains(&name.as_str()) || name.starts_with("data-"))
            {
                return Err(format!("attribute {name:?} is not allowed"));
            }
            tag = &tag[attr_len..];
            let Some(after_eq) = tag.strip_prefix('=') else {
                continue;
            };
            let quote = after_eq
                .chars()
                .next()
                .filter(|ch| *ch == '"' || *ch == '\'');
            let quote = quote.ok_or_else(|| format!("unquoted value of {name}"))?;
            let value_end = after_eq[1..]
                .find(quote)
                .ok_or_else(|| format!("unterminated value of {name}"))?;
            let value = &after_eq[1..1 + value_end];
            if value.contains('<') {
                return Err(format!("`<` inside the value of {name}: {value:?}"));
            }
            if name == "href" || name == "src" {
                check_url(&name, value)?;
            }
            if name == "style" {
                let lower = value.to_ascii_lowercase();
                if ["url(", "expression(", "javascript", "@import"]
                    .iter()
                    .any(|bad| lower.contains(bad))
                {
                    return Err(format!("unsafe style {value:?}"));
                }
            }
            tag = &after_eq[value_end + 2..];
        }
    }
    Ok(())
}

/// Every `[` in classic text opens one of our shortcodes, whose attribute values are quoted and
/// hold no quote or bracket; there are as many `[chat` as bubbles.
fn check_classic(output: &str, bubbles: usize) -> Result<(), String> {
    let mut chats = 0;
    for (at, _) in output.match_indices('[') {
        let rest = &output[at..];
        if rest.starts_with("[/chat]") || rest.starts_with("[/caption]") {
            continue;
        }
        let name = ["[chat ", "[caption "]
            .into_iter()
            .find(|open| rest.starts_with(open))
            .ok_or_else(|| format!("stray `[`: {:?}", &rest[..rest.len().min(30)]))?;
        chats += usize::from(name == "[chat ");
        let end = rest.find(']').ok_or("unterminated shortcode")?;
        let mut attrs = &rest[name.len()..end];
        while !attrs.trim().is_empty() {
            let (key, value) = attrs
                .trim_start()
                .split_once("=\"")
                .ok_or_else(|| format!("malformed shortcode attributes {attrs:?}"))?;
            if key.contains(['"', '\'', ' ']) {
                return Err(format!("malformed shortcode attribute name {key:?}"));
            }
            let close = value.find('"').ok_or("unterminated shortcode value")?;
            attrs = &value[close + 1..];
        }
    }
    let closes = output.matches("[/chat]").count();
    if chats != bubbles || closes != bubbles {
        return Err(format!(
            "{chats} [chat and {closes} [/chat] for {bubbles} bubbles"
        ));
    }
    Ok(())
}

/// Hugo shortcodes outside code fences: exactly ours. (Hugo also reads shortcodes inside code
/// blocks; Markdown cannot escape those, as `codec::markdown` documents.)
fn check_hugo(markdown: &str, expected: usize) -> Result<(), String> {
    let mut fence: Option<String> = None;
    let mut count = 0;
    for line in markdown.lines() {
        let trimmed = line.trim_start();
        match &fence {
            Some(open) if trimmed.starts_with(open.as_str()) => fence = None,
            Some(_) => {}
            None if trimmed.starts_with("```") => {
                fence = Some(trimmed.chars().take_while(|ch| *ch == '`').collect());
            }
            None => {
                if line.contains("{{%") {
                    return Err(format!("stray {{{{% in {line:?}"));
                }
                count += line.matches("{{<").count();
            }
        }
    }
    if count != expected {
        return Err(format!("{count} shortcodes, expected {expected}"));
    }
    Ok(())
}

fn rendered(markdown: &str) -> String {
    let mut out = String::new();
    html::push_html(
        &mut out,
        Parser::new_ext(markdown, Options::ENABLE_STRIKETHROUGH),
    );
    out
}

fn check_doc(doc: &Document) -> Result<(), String> {
    let labelled = |label: &str, result: Result<(), String>| {
        result.map_err(|error| format!("{label}: {error}"))
    };
    for inline_styles in [true, false] {
        let options = HtmlOptions { inline_styles };
        labelled("to_html", check_markup(&to_html(doc, &options)))?;
        labelled("html_document", check_markup(&html_document(doc, &options)))?;
    }
    for flavor in MarkdownFlavor::ALL {
        let markdown = to_markdown(doc, flavor);
        let label = format!("{flavor:?} rendered");
        labelled(&label, check_markup(&rendered(&markdown)))?;
        if flavor == MarkdownFlavor::Hugo {
            let cards = doc
                .blocks
                .iter()
                .filter(|b| matches!(&b.content, BlockContent::LinkCard(card) if sanitize::check_card_url(&card.url).is_ok()))
                .count();
            let bubbles = doc
                .blocks
                .iter()
                .filter(|b| matches!(b.content, BlockContent::Bubble(_)))
                .count();
            labelled(
                "Hugo shortcodes",
                check_hugo(&markdown, cards + 2 * bubbles),
            )?;
        }
    }
    let classic = to_classic(doc);
    labelled("classic", check_markup(&classic))?;
    let bubbles = doc
        .blocks
        .iter()
        .filter(|b| matches!(b.content, BlockContent::Bubble(_)))
        .count();
    labelled("classic shortcodes", check_classic(&classic, bubbles))?;
    let gutenberg = to_gutenberg(doc);
    labelled("gutenberg", check_markup(&gutenberg))?;
    if gutenberg.contains('[') {
        return Err("gutenberg: a `[` could open a shortcode".into());
    }
    Ok(())
}

#[test]
fn the_scanner_catches_what_it_should() {
    for bad in [
        "<p onclick=\"x\">",
        "<a href=\"javascript:x\">",
        "<a href=\"&#106;avascript:x\">",
        "<img src=\"data:text/html,x\">",
        "<img src=x>",
        "<p title=\"a\" \" onerror=\"x\">",
        "a < b",
        "<SCRIPT>",
        "<!-- open",
    ] {
        assert!(check_markup(bad).is_err(), "{bad:?} passed");
    }
    assert!(check_markup("<!doctype html><p class=\"x\">a &lt; b<br></p><!-- c -->").is_ok());
    assert!(check_classic("[chat name=\"a\"]x[/chat] [x]", 1).is_err());
    assert!(check_hugo("{{< card >}}\n```\n{{< x >}}\n```", 1).is_ok());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(150))]

    #[test]
    fn exports_stay_safe(doc in hostile_doc()) {
        if let Err(error) = check_doc(&doc) {
            prop_assert!(false, "{}", error);
        }
    }

    #[test]
    fn imports_never_panic(text in prop::collection::vec(
        prop_oneof![
            any::<String>(),
            prop::sample::select(NASTY.to_vec()).prop_map(String::from),
            Just("[chat name=”".to_owned()),
            Just("{{< bubble name=\"".to_owned()),
            Just("[caption]<img".to_owned()),
            Just("<title>".to_owned()),
            Just("\n".to_owned()),
        ],
        1..10,
    ).prop_map(|parts| parts.concat())) {
        for format in ImportFormat::ALL {
            let mut registry = SpeakerRegistry::default();
            let _ = import(&text, format, &mut registry, &mut || "s".to_owned());
        }
    }

    #[test]
    fn imports_stay_safe(text in prop::collection::vec(
        prop_oneof![
            nasty(),
            Just("[x](javascript:alert(1))".to_owned()),
            Just("![a](javascript:alert(1))".to_owned()),
            Just("<img src=x onerror=alert(1)>".to_owned()),
            Just("<a href=\"javascript:x\" onclick=\"y\">z</a>".to_owned()),
            Just("[chat face=\"javascript:x\" name=\"<b onclick=x>\"]hi[/chat]".to_owned()),
            Just("{{< card url=\"https://example.com/\" image=\"javascript:x\" >}}".to_owned()),
            Just("\n\n".to_owned()),
        ],
        1..8,
    ).prop_map(|parts| parts.concat())) {
        let mut blocks = from_markdown(&text);
        for format in ImportFormat::ALL {
            let mut registry = SpeakerRegistry::default();
            if let Ok(imported) = import(&text, format, &mut registry, &mut || "s".to_owned()) {
                blocks.extend(imported.blocks);
            }
        }
        let doc = Document {
            blocks: blocks
                .into_iter()
                .enumerate()
                .map(|(i, content)| Block::new(BlockId(format!("b{i}")), content))
                .collect(),
            ..Default::default()
        };
        if let Err(error) = check_doc(&doc) {
            prop_assert!(false, "{}", error);
        }
    }
}
