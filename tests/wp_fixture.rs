//! The WordPress classic sample (tests/fixtures/wp-classic-sample.txt) imports block by block.
#![cfg(not(target_arch = "wasm32"))]

use tsuzuri::codec::import::{import, summary, ImportFormat};
use tsuzuri::codec::wordpress::from_classic;
use tsuzuri::model::{BalloonStyle, BlockContent, Bubble, Mark, Palette, Side, SpeakerRegistry};

const SAMPLE: &str = include_str!("fixtures/wp-classic-sample.txt");

fn read() -> (Vec<BlockContent>, SpeakerRegistry) {
    let mut registry = SpeakerRegistry::default();
    let mut counter = 0;
    let mut next = || {
        counter += 1;
        format!("s{counter}")
    };
    let blocks = from_classic(SAMPLE, &mut registry, &mut next);
    (blocks, registry)
}

fn bubble(block: &BlockContent) -> &Bubble {
    match block {
        BlockContent::Bubble(bubble) => bubble,
        other => panic!("expected a bubble, got {other:?}"),
    }
}

#[test]
fn sample_gives_the_expected_blocks() {
    let (blocks, _) = read();
    let kinds: Vec<String> = blocks
        .iter()
        .map(|block| match block {
            BlockContent::Heading(h) => format!("h{}", h.level),
            BlockContent::List(l) => format!("list {}", l.items.len()),
            other => tsuzuri::codec::json::type_name(other).to_owned(),
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "h2",
            "bubble",
            "paragraph",
            "bubble",
            "bubble",
            "h3",
            "list 3",
            "link_card",
            "quote",
            "bubble",
            "h2",
            "paragraph"
        ]
    );
    assert_eq!(blocks[0].plain_text(), "はじめての週末ベーカリー");

    let mina = bubble(&blocks[1]);
    assert_eq!(mina.speaker.name, "パン屋のミナ");
    assert_eq!(mina.speaker.face, "baker-smile.png");
    assert_eq!(mina.speaker.expression, "smile");
    assert_eq!(
        (
            mina.side,
            mina.style,
            mina.speaker.border,
            mina.speaker.background
        ),
        (
            Side::Left,
            BalloonStyle::Talk,
            Palette::Green,
            Palette::None
        )
    );
    assert_eq!(
        mina.text.to_plain(),
        "こんにちは、ミナです。今日は天然酵母の話をします。"
    );

    let paragraph = blocks[2].rich_text().unwrap();
    let plain = paragraph.to_plain();
    assert!(plain.starts_with("先月から自家製酵母でパンを"));
    assert!(paragraph.has_mark(4, 9, Mark::Bold));
    let link_at = plain.chars().position(|ch| ch == 'こ').unwrap();
    assert_eq!(
        paragraph.link_at(link_at),
        Some("https://example.com/recipes/levain")
    );

    let ken = bubble(&blocks[3]);
    assert_eq!(ken.speaker.name, "Ken");
    assert_eq!(
        (ken.side, ken.speaker.border, ken.speaker.background),
        (Side::Right, Palette::Gray, Palette::Gray)
    );
    assert_eq!(ken.text.to_plain(), "酵母って、\nどれくらいで完成するの？");

    let two = bubble(&blocks[4]);
    assert_eq!(
        two.text.to_plain(),
        "だいたい一週間です( ﾟдﾟ)\n\n温度が大事！"
    );

    let BlockContent::List(list) = &blocks[6] else {
        panic!()
    };
    assert_eq!(list.items[0].text.to_plain(), "強力粉 300g");

    let BlockContent::LinkCard(card) = &blocks[7] else {
        panic!()
    };
    assert_eq!(
        card.url,
        "https://example.org/blog/sourdough-starter-guide/"
    );
    assert_eq!(card.title, "【保存版】酵母の起こし方ガイド");
    assert_eq!(
        card.description,
        "はじめてでも失敗しない酵母づくりの手順を、写真つきで解説します…"
    );

    assert_eq!(blocks[8].plain_text(), "パンは時間が焼いてくれる。");
    let surprised = bubble(&blocks[9]);
    assert_eq!(surprised.speaker.expression, "surprised");
    assert_eq!(surprised.speaker.face, "baker-surprised.png");
    assert_eq!(surprised.text.to_plain(), "えっ、もう売り切れ！？");
    assert_eq!(blocks[10].plain_text(), "まとめ");
    let last = blocks[11].rich_text().unwrap();
    assert_eq!(last.to_plain(), "焼きたてをぜひ試してください。");
    assert!(last.has_mark(5, 7, Mark::Italic));
}

#[test]
fn sample_adds_each_speaker_once() {
    let (blocks, registry) = read();
    let names: Vec<&str> = registry.speakers.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["パン屋のミナ", "Ken"]);
    let mina = &registry.speakers[0];
    let labels: Vec<(&str, &str)> = mina
        .expressions
        .iter()
        .map(|e| (e.label.as_str(), e.image.as_str()))
        .collect();
    assert_eq!(
        labels,
        [
            ("smile", "baker-smile.png"),
            ("surprised", "baker-surprised.png")
        ]
    );
    assert_eq!(
        (mina.side, mina.border, mina.background),
        (Side::Left, Palette::Green, Palette::None)
    );
    for block in &blocks {
        if let BlockContent::Bubble(bubble) = block {
            let id = bubble.speaker.speaker_id.as_deref().unwrap();
            assert_eq!(registry.get(id).unwrap().name, bubble.speaker.name);
        }
    }
}

#[test]
fn sample_is_detected_and_summarised() {
    let mut registry = SpeakerRegistry::default();
    let mut counter = 0;
    let mut next = || {
        counter += 1;
        format!("s{counter}")
    };
    let imported = import(SAMPLE, ImportFormat::Auto, &mut registry, &mut next).unwrap();
    assert_eq!(imported.format, ImportFormat::WordPress);
    assert_eq!(imported.new_speakers, 2);
    assert_eq!(
        summary(&imported.blocks),
        "2 paragraphs, 3 headings, 4 bubbles, 1 link card, 1 list, 1 quote"
    );
}
