//! The versioned JSON form of a document, with forward migrations. Pure.
//!
//! `{"version": 1, "title": "…", "blocks": [{"id": "…", "type": "paragraph", "data": {…}}]}`.
//! Fields and block types this version does not know are kept and written back unchanged;
//! data from a newer version is refused (the caller opens it read-only instead of overwriting).

use crate::model::stored::Key;
use crate::model::{
    Block, BlockContent, BlockId, Bubble, Code, Divider, Document, Extra, Heading, Image, LinkCard,
    List, Paragraph, Quote, UnknownBlock,
};
use serde::de::{DeserializeSeed, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{json, Map, Value};

/// The version this build writes.
pub const FORMAT_VERSION: u64 = 1;

/// Why stored JSON could not be read as a document.
#[derive(Clone, Debug, PartialEq)]
pub enum LoadError {
    /// Not JSON at all (truncated, corrupted).
    Syntax(String),
    /// JSON, but not shaped like a document.
    Shape(String),
    /// Written by a newer version of the app.
    NewerVersion(u64),
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The wording lives in the English catalog (crate::i18n).
        f.write_str(&crate::i18n::messages::load(crate::i18n::Lang::En, self))
    }
}

/// The name each kind is stored under.
pub fn type_name(content: &BlockContent) -> &str {
    match content {
        BlockContent::Paragraph(_) => "paragraph",
        BlockContent::Heading(_) => "heading",
        BlockContent::List(_) => "list",
        BlockContent::Quote(_) => "quote",
        BlockContent::Divider(_) => "divider",
        BlockContent::Image(_) => "image",
        BlockContent::Code(_) => "code",
        BlockContent::LinkCard(_) => "link_card",
        BlockContent::Bubble(_) => "bubble",
        BlockContent::Unknown(unknown) => &unknown.type_name,
    }
}

fn content_from(type_name: &str, data: Value) -> BlockContent {
    // Through text, with the same reader as the fast path: one copy of each kind's reading
    // code in the app. This path only serves drafts written with their keys in another order.
    let text = data.to_string();
    let mut reader = serde_json::Deserializer::from_str(&text);
    // A known type whose data we cannot read is kept verbatim, like a type we do not know.
    read_content(type_name, &mut reader).unwrap_or_else(|_| {
        BlockContent::Unknown(UnknownBlock {
            type_name: type_name.to_owned(),
            data,
        })
    })
}

/// A block's data read into its kind; the data of a type this version does not know is kept
/// as it is. The one place a stored type name becomes a kind.
fn read_content<'de, D: Deserializer<'de>>(
    type_name: &str,
    data: D,
) -> Result<BlockContent, D::Error> {
    Ok(match type_name {
        "paragraph" => BlockContent::Paragraph(Paragraph::deserialize(data)?),
        "heading" => BlockContent::Heading(Heading::deserialize(data)?),
        "list" => BlockContent::List(List::deserialize(data)?),
        "quote" => BlockContent::Quote(Quote::deserialize(data)?),
        "divider" => BlockContent::Divider(Divider::deserialize(data)?),
        "image" => BlockContent::Image(Image::deserialize(data)?),
        "code" => BlockContent::Code(Code::deserialize(data)?),
        "link_card" => BlockContent::LinkCard(LinkCard::deserialize(data)?),
        "bubble" => BlockContent::Bubble(Bubble::deserialize(data)?),
        other => BlockContent::Unknown(UnknownBlock {
            type_name: other.to_owned(),
            data: Value::deserialize(data)?,
        }),
    })
}

/// [`read_content`] for a value inside a map being read.
struct ContentOf<'a>(&'a str);

impl<'de> DeserializeSeed<'de> for ContentOf<'_> {
    type Value = BlockContent;
    fn deserialize<D: Deserializer<'de>>(self, data: D) -> Result<BlockContent, D::Error> {
        read_content(self.0, data)
    }
}

pub fn block_from_value(value: Value, position: usize) -> Result<Block, LoadError> {
    let Value::Object(mut object) = value else {
        return Err(LoadError::Shape(format!(
            "block {} is not an object",
            position + 1
        )));
    };
    let id = match object.remove("id") {
        Some(Value::String(id)) if !id.is_empty() => id,
        _ => format!("block-{}", position + 1),
    };
    let type_name = match object.remove("type") {
        Some(Value::String(name)) => name,
        _ => {
            return Err(LoadError::Shape(format!(
                "block {} has no type",
                position + 1
            )))
        }
    };
    let data = object.remove("data").unwrap_or_else(|| json!({}));
    Ok(Block {
        id: BlockId(id),
        content: content_from(&type_name, data),
        extra: object,
    })
}

/// One block's stored form as a JSON value.
pub fn block_to_value(block: &Block) -> Value {
    serde_json::to_value(StoredBlock(block)).unwrap_or(Value::Null)
}

/// The stored form as a JSON value (backups nest it).
pub fn document_to_value(doc: &Document) -> Value {
    // Read back from the text instead of built by a second serialiser, which would add another
    // copy of every kind's serialisation code to the app; backups are rare.
    serde_json::from_str(&document_to_json(doc)).unwrap_or(Value::Null)
}

/// The stored text of a document, written straight from the model (the version first, each
/// block's type before its data, so [`document_from_json`] can read the data in place).
pub fn document_to_json(doc: &Document) -> String {
    // Strings, numbers, booleans and maps with string keys cannot fail to serialise.
    serde_json::to_string(&StoredDocument(doc)).unwrap_or_default()
}

/// Reads a document, migrating older versions forward.
pub fn document_from_json(text: &str) -> Result<Document, LoadError> {
    if let Some(doc) = current_document_from_json(text) {
        return Ok(doc);
    }
    let value: Value =
        serde_json::from_str(text).map_err(|error| LoadError::Syntax(error.to_string()))?;
    document_from_value(value)
}

/// The common case read in one pass: a well-formed document of the current version. Anything
/// else (older or newer versions, a damaged block, malformed JSON) returns `None` and is read
/// through the general path, which migrates, keeps what it cannot read and explains errors.
fn current_document_from_json(text: &str) -> Option<Document> {
    let read: CurrentDocument = serde_json::from_str(text).ok()?;
    if read.version != Some(FORMAT_VERSION) {
        return None;
    }
    let blocks = read
        .blocks
        .into_iter()
        .enumerate()
        .map(|(position, block)| Block {
            id: BlockId(if block.id.is_empty() {
                format!("block-{}", position + 1)
            } else {
                block.id
            }),
            content: block.content,
            extra: block.extra,
        })
        .collect();
    Some(Document {
        title: read.title.unwrap_or_default(),
        blocks: dedupe_ids(blocks),
        extra: read.extra,
    })
}

struct StoredDocument<'a>(&'a Document);

impl Serialize for StoredDocument<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let doc = self.0;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("version", &FORMAT_VERSION)?;
        map.serialize_entry("title", &doc.title)?;
        map.serialize_entry("blocks", &StoredBlocks(&doc.blocks))?;
        for (key, value) in &doc.extra {
            if !["version", "title", "blocks"].contains(&key.as_str()) {
                map.serialize_entry(key, value)?;
            }
        }
        map.end()
    }
}

struct StoredBlocks<'a>(&'a [Block]);

impl Serialize for StoredBlocks<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(StoredBlock))
    }
}

struct StoredBlock<'a>(&'a Block);

impl Serialize for StoredBlock<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let block = self.0;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("id", &block.id.0)?;
        map.serialize_entry("type", type_name(&block.content))?;
        match &block.content {
            BlockContent::Paragraph(data) => map.serialize_entry("data", data)?,
            BlockContent::Heading(data) => map.serialize_entry("data", data)?,
            BlockContent::List(data) => map.serialize_entry("data", data)?,
            BlockContent::Quote(data) => map.serialize_entry("data", data)?,
            BlockContent::Divider(data) => map.serialize_entry("data", data)?,
            BlockContent::Image(data) => map.serialize_entry("data", data)?,
            BlockContent::Code(data) => map.serialize_entry("data", data)?,
            BlockContent::LinkCard(data) => map.serialize_entry("data", data)?,
            BlockContent::Bubble(data) => map.serialize_entry("data", data)?,
            BlockContent::Unknown(unknown) => map.serialize_entry("data", &unknown.data)?,
        }
        for (key, value) in &block.extra {
            if !["id", "type", "data"].contains(&key.as_str()) {
                map.serialize_entry(key, value)?;
            }
        }
        map.end()
    }
}

/// A document as the fast path reads it; see [`current_document_from_json`].
struct CurrentDocument {
    version: Option<u64>,
    title: Option<String>,
    blocks: Vec<CurrentBlock>,
    extra: Extra,
}

struct CurrentBlock {
    id: String,
    content: BlockContent,
    extra: Extra,
}

impl<'de> Deserialize<'de> for CurrentDocument {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct DocumentVisitor;
        impl<'de> Visitor<'de> for DocumentVisitor {
            type Value = CurrentDocument;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a document")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<CurrentDocument, A::Error> {
                let mut doc = CurrentDocument {
                    version: None,
                    title: None,
                    blocks: Vec::new(),
                    extra: Extra::new(),
                };
                while let Some(key) = map.next_key::<Key<'de>>()? {
                    match key.0.as_ref() {
                        "version" => doc.version = Some(map.next_value()?),
                        "title" => doc.title = map.next_value()?,
                        "blocks" => doc.blocks = map.next_value()?,
                        _ => {
                            doc.extra.insert(key.0.into_owned(), map.next_value()?);
                        }
                    }
                }
                Ok(doc)
            }
        }
        deserializer.deserialize_map(DocumentVisitor)
    }
}

impl<'de> Deserialize<'de> for CurrentBlock {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct BlockVisitor;
        impl<'de> Visitor<'de> for BlockVisitor {
            type Value = CurrentBlock;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a block")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<CurrentBlock, A::Error> {
                let mut id = String::new();
                let mut type_name: Option<String> = None;
                let mut content = None;
                let mut data_first = None;
                let mut extra = Extra::new();
                while let Some(key) = map.next_key::<Key<'de>>()? {
                    match key.0.as_ref() {
                        "id" => id = map.next_value()?,
                        "type" => type_name = Some(map.next_value()?),
                        "data" => match &type_name {
                            // Data after its type (as this version writes it) is read in place;
                            // data a known kind cannot read fails the fast path, so the general
                            // path keeps it verbatim instead.
                            Some(name) => content = Some(map.next_value_seed(ContentOf(name))?),
                            None => data_first = Some(map.next_value::<Value>()?),
                        },
                        _ => {
                            extra.insert(key.0.into_owned(), map.next_value()?);
                        }
                    }
                }
                let type_name = type_name.ok_or_else(|| serde::de::Error::missing_field("type"))?;
                let content = match content {
                    Some(content) => content,
                    None => content_from(
                        &type_name,
                        data_first.unwrap_or_else(|| Value::Object(Extra::new())),
                    ),
                };
                Ok(CurrentBlock { id, content, extra })
            }
        }
        deserializer.deserialize_map(BlockVisitor)
    }
}

pub fn document_from_value(value: Value) -> Result<Document, LoadError> {
    let Value::Object(object) = value else {
        return Err(LoadError::Shape("expected an object".into()));
    };
    document_from_object(migrate(object)?)
}

/// Best-effort reading of data from a newer version, for showing it read-only.
pub fn document_from_json_ignoring_version(text: &str) -> Result<Document, LoadError> {
    let value: Value =
        serde_json::from_str(text).map_err(|error| LoadError::Syntax(error.to_string()))?;
    let Value::Object(object) = value else {
        return Err(LoadError::Shape("expected an object".into()));
    };
    document_from_object(object)
}

fn document_from_object(mut object: Map<String, Value>) -> Result<Document, LoadError> {
    object.remove("version");
    let title = match object.remove("title") {
        Some(Value::String(title)) => title,
        None | Some(Value::Null) => String::new(),
        Some(_) => return Err(LoadError::Shape("the title is not text".into())),
    };
    let blocks = match object.remove("blocks") {
        Some(Value::Array(blocks)) => blocks,
        None => Vec::new(),
        Some(_) => return Err(LoadError::Shape("blocks is not a list".into())),
    };
    let blocks = blocks
        .into_iter()
        .enumerate()
        .map(|(position, value)| block_from_value(value, position))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Document {
        title,
        blocks: dedupe_ids(blocks),
        extra: object,
    })
}

/// Ids must be unique; a duplicated one (hand-edited or merged data) gets a suffix.
fn dedupe_ids(mut blocks: Vec<Block>) -> Vec<Block> {
    // Ids are almost always unique already: checked first without copying any (a long post's
    // opening spent its time copying each id twice).
    let mut distinct = std::collections::HashSet::with_capacity(blocks.len());
    if blocks
        .iter()
        .all(|block| distinct.insert(block.id.0.as_str()))
    {
        return blocks;
    }
    drop(distinct);
    let mut seen = std::collections::HashSet::new();
    for block in &mut blocks {
        let mut candidate = block.id.0.clone();
        let mut counter = 2;
        while !seen.insert(candidate.clone()) {
            candidate = format!("{}-{counter}", block.id.0);
            counter += 1;
        }
        block.id.0 = candidate;
    }
    blocks
}

/// The version a stored object declares (0 when it has none: the first, unversioned form).
pub fn version_of(object: &Map<String, Value>) -> Result<u64, LoadError> {
    match object.get("version") {
        None => Ok(0),
        Some(Value::Number(number)) => number
            .as_u64()
            .ok_or_else(|| LoadError::Shape("the version is not a whole number".into())),
        Some(_) => Err(LoadError::Shape("the version is not a number".into())),
    }
}

/// Brings an object of any older version up to [`FORMAT_VERSION`], one step at a time.
fn migrate(mut object: Map<String, Value>) -> Result<Map<String, Value>, LoadError> {
    let mut version = version_of(&object)?;
    if version > FORMAT_VERSION {
        return Err(LoadError::NewerVersion(version));
    }
    while version < FORMAT_VERSION {
        object = match version {
            0 => migrate_v0_to_v1(object),
            // Each future format adds its step here.
            _ => object,
        };
        version += 1;
    }
    object.insert("version".into(), json!(FORMAT_VERSION));
    Ok(object)
}

/// Version 0 stored each block's text as a plain string beside its type:
/// `{"id": "…", "type": "paragraph", "text": "…"}`. Version 1 nests data and uses runs.
fn migrate_v0_to_v1(mut object: Map<String, Value>) -> Map<String, Value> {
    if let Some(Value::Array(blocks)) = object.get_mut("blocks") {
        for block in blocks.iter_mut() {
            let Value::Object(block) = block else {
                continue;
            };
            if block.contains_key("data") {
                continue;
            }
            let mut data = Extra::new();
            if let Some(text) = block.remove("text") {
                let runs = match text {
                    Value::String(text) if text.is_empty() => json!([]),
                    Value::String(text) => json!([{ "text": text }]),
                    other => other,
                };
                data.insert("text".into(), runs);
            }
            if let Some(level) = block.remove("level") {
                data.insert("level".into(), level);
            }
            block.insert("data".into(), Value::Object(data));
        }
    }
    object
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{BlockKind, RichText};

    #[test]
    fn round_trip_is_exact() {
        let doc = Document {
            title: "週末".into(),
            blocks: vec![Block::new(
                BlockId("a".into()),
                BlockKind::Heading.with_text(RichText::plain("見出し")),
            )],
            extra: Extra::new(),
        };
        let json = document_to_json(&doc);
        assert!(json.contains(r#""version":1"#));
        assert_eq!(document_from_json(&json).unwrap(), doc);
    }

    #[test]
    fn newer_versions_are_refused() {
        let error = document_from_json(r#"{"version": 99, "blocks": []}"#).unwrap_err();
        assert_eq!(error, LoadError::NewerVersion(99));
    }

    #[test]
    fn garbage_is_a_syntax_error() {
        assert!(matches!(
            document_from_json("{\"version\":1,\"blo"),
            Err(LoadError::Syntax(_))
        ));
        assert!(matches!(
            document_from_json("[1,2]"),
            Err(LoadError::Shape(_))
        ));
    }

    #[test]
    fn duplicate_ids_are_made_unique() {
        let doc = document_from_json(
            r#"{"version":1,"blocks":[{"id":"x","type":"divider"},{"id":"x","type":"divider"}]}"#,
        )
        .unwrap();
        assert_ne!(doc.blocks[0].id, doc.blocks[1].id);
    }
}
