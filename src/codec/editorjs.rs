//! Editor.js saved JSON into blocks. Pure.
//!
//! `{"time": …, "blocks": [{"id": …, "type": "paragraph", "data": {"text": "<b>…</b>"}}],
//! "version": "2.31.0"}`. Text fields hold inline HTML, read through the sanitising inline
//! reader. A block type we do not know becomes a paragraph saying what it was, with its data,
//! so nothing is dropped silently.

use super::html_tree::decode_entities;
use super::{html_blocks, inline_html};
use crate::json::{self as json_text, Value};
use crate::model::{
    BlockContent, Code, Divider, Heading, Image, LinkCard, List, ListItem, Paragraph, Quote,
    RichText,
};
use crate::sanitize;

/// Why Editor.js data could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EditorJsError {
    /// Not JSON at all.
    Syntax(String),
    /// JSON without a `blocks` list.
    NoBlocks,
}

impl std::fmt::Display for EditorJsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EditorJsError::Syntax(detail) => write!(f, "This is not valid JSON: {detail}."),
            EditorJsError::NoBlocks => {
                f.write_str("This JSON has no “blocks” list, so it is not Editor.js data.")
            }
        }
    }
}

/// Reads Editor.js saved data into blocks.
pub fn from_editorjs(json: &str) -> Result<Vec<BlockContent>, EditorJsError> {
    let value = json_text::parse(json).map_err(|error| EditorJsError::Syntax(error.to_string()))?;
    let Some(Value::Array(blocks)) = value.get("blocks") else {
        return Err(EditorJsError::NoBlocks);
    };
    Ok(blocks.iter().flat_map(block).collect())
}

fn text(value: Option<&Value>) -> RichText {
    value
        .and_then(Value::as_str)
        .map(inline_html::from_html)
        .unwrap_or_default()
}

fn plain(value: Option<&Value>) -> String {
    text(value).to_plain()
}

fn string(value: Option<&Value>) -> String {
    value.and_then(Value::as_str).unwrap_or_default().to_owned()
}

fn block(block: &Value) -> Vec<BlockContent> {
    let type_name = block.get("type").and_then(Value::as_str).unwrap_or("?");
    let empty = Value::Null;
    let data = block.get("data").unwrap_or(&empty);
    let get = |key: &str| data.get(key);
    let content = match type_name {
        "paragraph" => {
            let text = text(get("text"));
            if text.to_plain().trim().is_empty() {
                return Vec::new();
            }
            BlockContent::Paragraph(Paragraph {
                text,
                ..Default::default()
            })
        }
        "header" => BlockContent::Heading(Heading {
            level: get("level")
                .and_then(Value::as_u64)
                .unwrap_or(2)
                .clamp(2, 4) as u8,
            text: text(get("text")),
            ..Default::default()
        }),
        "list" | "nestedList" | "checklist" => {
            let mut items = Vec::new();
            if let Some(Value::Array(list)) = get("items") {
                list_items(list, 0, &mut items);
            }
            BlockContent::List(List {
                ordered: get("style").and_then(Value::as_str) == Some("ordered"),
                items,
                ..Default::default()
            })
        }
        "quote" => BlockContent::Quote(Quote {
            text: text(get("text")),
            citation: plain(get("caption")),
            ..Default::default()
        }),
        "delimiter" => BlockContent::Divider(Divider::default()),
        "image" | "simpleImage" => {
            let src = get("file")
                .and_then(|file| file.get("url"))
                .or_else(|| get("url"));
            let Ok(src) = sanitize::check_image_src(&string(src)) else {
                return unsupported(type_name, data);
            };
            BlockContent::Image(Image {
                src,
                alt: plain(get("alt")),
                caption: plain(get("caption")),
                ..Default::default()
            })
        }
        "code" => BlockContent::Code(Code {
            language: string(get("language").or_else(|| get("languageCode"))),
            code: string(get("code")),
            ..Default::default()
        }),
        "linkTool" => {
            let Ok(url) = sanitize::check_card_url(&string(get("link"))) else {
                return unsupported(type_name, data);
            };
            let meta = |key: &str| get("meta").and_then(|meta| meta.get(key));
            BlockContent::LinkCard(LinkCard {
                url,
                title: decode_entities(&string(meta("title"))),
                description: decode_entities(&string(meta("description"))),
                image: meta("image")
                    .and_then(|image| image.get("url"))
                    .and_then(|url| sanitize::check_image_src(&string(Some(url))).ok())
                    .unwrap_or_default(),
                site_name: decode_entities(&string(meta("site_name"))),
                ..Default::default()
            })
        }
        "raw" => return html_blocks::from_html(&string(get("html"))),
        _ => return unsupported(type_name, data),
    };
    vec![content]
}

/// Both list formats: strings (`["a", "b"]`, also checklist `{"text": …}`), and 2.x nested
/// items (`{"content": …, "items": […]}`). Deeper nesting is flattened to one indent.
fn list_items(list: &[Value], indent: u8, items: &mut Vec<ListItem>) {
    for item in list {
        let (html, children) = match item {
            Value::String(_) => (Some(item), None),
            Value::Object(object) => (
                object.get("content").or_else(|| object.get("text")),
                object.get("items").and_then(Value::as_array),
            ),
            _ => (None, None),
        };
        items.push(ListItem {
            text: text(html),
            indent,
            ..Default::default()
        });
        if let Some(children) = children {
            list_items(children, 1, items);
        }
    }
}

fn unsupported(type_name: &str, data: &Value) -> Vec<BlockContent> {
    let text = format!("[Unsupported Editor.js block “{type_name}”] {data}");
    vec![BlockContent::Paragraph(Paragraph {
        text: RichText::plain(&text),
        ..Default::default()
    })]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Mark;

    #[test]
    fn reads_both_list_formats() {
        let old =
            r#"{"blocks":[{"type":"list","data":{"style":"ordered","items":["a","<b>b</b>"]}}]}"#;
        let new = r#"{"blocks":[{"type":"list","data":{"style":"unordered","items":[{"content":"a","items":[{"content":"b","items":[]}]}]}}]}"#;
        let BlockContent::List(old) = &from_editorjs(old).unwrap()[0] else {
            panic!()
        };
        assert!(old.ordered);
        assert!(old.items[1].text.has_mark(0, 1, Mark::Bold));
        let BlockContent::List(new) = &from_editorjs(new).unwrap()[0] else {
            panic!()
        };
        assert_eq!(new.items[1].indent, 1);
    }

    #[test]
    fn unknown_blocks_say_what_they_were() {
        let blocks =
            from_editorjs(r#"{"blocks":[{"type":"table","data":{"content":[["a"]]}}]}"#).unwrap();
        assert_eq!(
            blocks[0].plain_text(),
            "[Unsupported Editor.js block “table”] {\"content\":[[\"a\"]]}"
        );
    }

    #[test]
    fn malformed_input_is_an_error() {
        assert!(matches!(from_editorjs("{"), Err(EditorJsError::Syntax(_))));
        assert_eq!(from_editorjs("{\"x\":1}"), Err(EditorJsError::NoBlocks));
    }
}
