//! Host tests of the stored JSON form: exact round trips, preserved unknown data, migrations.
#![cfg(not(target_arch = "wasm32"))]

use serde_json::{json, Value};
use tsuzuri::codec::json::{document_from_json, document_to_json, document_to_value};
use tsuzuri::model::{BlockContent, Mark, RichText};

#[test]
fn unknown_fields_and_block_types_survive_a_resave() {
    let stored = json!({
        "version": 1,
        "title": "未来",
        "theme": {"accent": "teal"},
        "blocks": [
            {"id": "a", "type": "paragraph", "pinned": true,
             "data": {"text": [{"text": "hi", "bold": true}], "align": "center"}},
            {"id": "b", "type": "hologram", "data": {"frames": [1, 2, 3]}},
            {"id": "c", "type": "heading", "data": {"level": "not a number"}}
        ]
    });
    let doc = document_from_json(&stored.to_string()).unwrap();
    assert!(matches!(doc.blocks[1].content, BlockContent::Unknown(_)));
    // A known type whose data this version cannot read is kept verbatim, not dropped.
    assert!(matches!(doc.blocks[2].content, BlockContent::Unknown(_)));
    let resaved: Value = serde_json::from_str(&document_to_json(&doc)).unwrap();
    assert_eq!(resaved, stored);
}

#[test]
fn every_kind_round_trips_exactly() {
    let stored = json!({
        "version": 1,
        "title": "All kinds",
        "blocks": [
            {"id": "1", "type": "paragraph", "data": {"text": [{"text": "p "}, {"text": "link", "link": "https://example.com"}]}},
            {"id": "2", "type": "heading", "data": {"level": 3, "text": [{"text": "h"}]}},
            {"id": "3", "type": "list", "data": {"ordered": true, "items": [{"text": [{"text": "one"}]}, {"text": [{"text": "sub"}], "indent": 1}]}},
            {"id": "4", "type": "quote", "data": {"text": [{"text": "q"}], "citation": "who"}},
            {"id": "5", "type": "divider", "data": {}},
            {"id": "6", "type": "image", "data": {"src": "https://example.com/a.png", "alt": "a", "caption": "c"}},
            {"id": "7", "type": "code", "data": {"language": "rust", "code": "fn x() {}"}},
            {"id": "8", "type": "link_card", "data": {"url": "https://example.org/", "title": "T", "description": "D", "image": "https://example.org/i.png", "site_name": "S"}},
            {"id": "9", "type": "bubble", "data": {
                "speaker": {"speaker_id": "s1", "name": "ミナ", "expression": "smile", "face": "baker-smile.png",
                            "border": "green", "background": "none", "shape": "circle", "show_name": true},
                "side": "right", "style": "think", "text": [{"text": "( ﾟдﾟ)"}]}}
        ]
    });
    let doc = document_from_json(&stored.to_string()).unwrap();
    assert!(doc
        .blocks
        .iter()
        .all(|block| !matches!(block.content, BlockContent::Unknown(_))));
    assert_eq!(document_to_value(&doc), stored);
}

#[test]
fn version_0_drafts_are_migrated() {
    let old = r#"{"title": "old", "blocks": [
        {"id": "a", "type": "paragraph", "text": "plain text"},
        {"id": "b", "type": "heading", "text": "head", "level": 3}
    ]}"#;
    let doc = document_from_json(old).unwrap();
    assert_eq!(doc.blocks[0].content.plain_text(), "plain text");
    let BlockContent::Heading(heading) = &doc.blocks[1].content else {
        panic!("expected a heading")
    };
    assert_eq!(heading.level, 3);
    assert!(document_to_json(&doc).contains("\"version\":1"));
}

#[test]
fn marks_are_kept() {
    let text = RichText::plain("abc").toggle_mark(1, 2, Mark::Highlight);
    let json = serde_json::to_string(&text).unwrap();
    assert_eq!(serde_json::from_str::<RichText>(&json).unwrap(), text);
}
