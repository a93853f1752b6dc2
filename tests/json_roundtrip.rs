//! Host tests of the stored JSON form: exact round trips, preserved unknown data, migrations.
#![cfg(not(target_arch = "wasm32"))]

use serde_json::{json, Value};
use tsuzuri::codec::json::{document_from_json, document_to_json, document_to_value};
use tsuzuri::json::ToJson;
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
    let written: Value = serde_json::from_str(&document_to_value(&doc).to_text()).unwrap();
    assert_eq!(written, stored);
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
    let json = text.to_json_text();
    assert_eq!(tsuzuri::json::from_text::<RichText>(&json).unwrap(), text);
}

mod against_serde_json {
    //! Our JSON reader and writer held to serde_json's on random values and random text.
    use proptest::prelude::*;
    use serde_json::Value as Oracle;

    fn oracle_value() -> impl Strategy<Value = Oracle> {
        let leaf = prop_oneof![
            Just(Oracle::Null),
            any::<bool>().prop_map(Oracle::Bool),
            any::<i64>().prop_map(Oracle::from),
            any::<u64>().prop_map(Oracle::from),
            (-1e12f64..1e12).prop_map(Oracle::from),
            any::<String>().prop_map(Oracle::String),
            "[\u{0}-\u{1f}\"\\\\/a-zぁ-ん😀]{0,8}".prop_map(Oracle::String),
        ];
        leaf.prop_recursive(4, 48, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(Oracle::Array),
                prop::collection::btree_map("[a-z\"\\\\ñ]{0,4}", inner, 0..6)
                    .prop_map(|map| Oracle::Object(map.into_iter().collect())),
            ]
        })
    }

    fn json_like_text() -> impl Strategy<Value = String> {
        prop::collection::vec(
            prop::sample::select(vec![
                "{",
                "}",
                "[",
                "]",
                ",",
                ":",
                "\"a\"",
                "\"\\u00e9\"",
                "\"\\ud83d\\ude00\"",
                "\"\\x\"",
                "1",
                "-0.5",
                "01",
                "1.",
                "true",
                "nul",
                "null",
                " ",
                "\n",
                "\"",
            ]),
            0..12,
        )
        .prop_map(|tokens| tokens.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]

        #[test]
        fn reads_and_writes_what_serde_json_does(value in oracle_value()) {
            let text = serde_json::to_string(&value).unwrap();
            let ours = tsuzuri::json::parse(&text).map_err(|e| TestCaseError::fail(format!("{e}: {text}")))?;
            // Compared as serde_json reads both texts (its float reading is not exact, so a
            // float may not come back from its own text as the value it wrote).
            let expected: Oracle = serde_json::from_str(&text).unwrap();
            prop_assert_eq!(ours.to_text(), text);
            let pretty: Oracle = serde_json::from_str(&ours.to_pretty_text()).unwrap();
            prop_assert_eq!(&pretty, &expected);
            prop_assert_eq!(ours.to_pretty_text(), serde_json::to_string_pretty(&value).unwrap());
        }

        #[test]
        fn accepts_and_refuses_the_text_serde_json_does(text in json_like_text()) {
            let oracle = serde_json::from_str::<Oracle>(&text);
            let ours = tsuzuri::json::parse(&text);
            prop_assert_eq!(oracle.is_ok(), ours.is_ok(), "{:?}: {:?} / {:?}", text, oracle, ours);
            if let (Ok(oracle), Ok(ours)) = (oracle, ours) {
                let back: Oracle = serde_json::from_str(&ours.to_text()).unwrap();
                prop_assert_eq!(back, oracle);
            }
        }
    }
}
