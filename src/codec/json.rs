//! The versioned JSON form of a document, with forward migrations. Pure.
//!
//! `{"version": 1, "title": "…", "blocks": [{"id": "…", "type": "paragraph", "data": {…}}]}`.
//! Fields and block types this version does not know are kept and written back unchanged;
//! data from a newer version is refused (the caller opens it read-only instead of overwriting).

use crate::json::{
    self as json_text, FromJson, Map, MapBuilder, ObjectWriter, Reader, ToJson, Value,
};
use crate::model::{
    Block, BlockContent, BlockId, Bubble, Code, Divider, Document, Extra, Heading, Image, LinkCard,
    List, Paragraph, Quote, UnknownBlock,
};

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
    // Through text, with the same reader as the common path: one copy of each kind's reading
    // code in the app. This path serves drafts of older versions and data written before its
    // type.
    let text = data.to_text();
    match read_content(type_name, &mut Reader::new(&text)) {
        Ok(content) => content,
        // A known type whose data we cannot read is kept verbatim, like a type we do not know.
        Err(_) => BlockContent::Unknown(UnknownBlock {
            type_name: type_name.to_owned(),
            data,
        }),
    }
}

/// A block's data read into its kind; the data of a type this version does not know is kept
/// as it is. The one place a stored type name becomes a kind.
fn read_content(type_name: &str, data: &mut Reader<'_>) -> Result<BlockContent, json_text::Error> {
    Ok(match type_name {
        "paragraph" => BlockContent::Paragraph(Paragraph::read_json(data)?),
        "heading" => BlockContent::Heading(Heading::read_json(data)?),
        "list" => BlockContent::List(List::read_json(data)?),
        "quote" => BlockContent::Quote(Quote::read_json(data)?),
        "divider" => BlockContent::Divider(Divider::read_json(data)?),
        "image" => BlockContent::Image(Image::read_json(data)?),
        "code" => BlockContent::Code(Code::read_json(data)?),
        "link_card" => BlockContent::LinkCard(LinkCard::read_json(data)?),
        "bubble" => BlockContent::Bubble(Bubble::read_json(data)?),
        other => BlockContent::Unknown(UnknownBlock {
            type_name: other.to_owned(),
            data: data.value()?,
        }),
    })
}

/// [`read_content`] in place; data a known kind cannot read is read again as it is and kept.
fn read_content_or_keep(
    type_name: &str,
    reader: &mut Reader<'_>,
) -> Result<BlockContent, json_text::Error> {
    let start = reader.position();
    match read_content(type_name, reader) {
        Ok(content) => Ok(content),
        Err(_) => {
            reader.rewind(start);
            Ok(BlockContent::Unknown(UnknownBlock {
                type_name: type_name.to_owned(),
                data: reader.value()?,
            }))
        }
    }
}

/// One block's stored form as a JSON value.
pub fn block_to_value(block: &Block) -> Value {
    json_text::to_value(&StoredBlock(block))
}

/// The stored form as a JSON value (backups nest it).
pub fn document_to_value(doc: &Document) -> Value {
    // Read back from the text instead of built by a second writer, which would add another
    // copy of every kind's code to the app; backups are rare.
    json_text::to_value(&StoredDocument(doc))
}

/// The stored text of a document, written straight from the model (the version first, then
/// the title and blocks, each block's id and type before its data).
pub fn document_to_json(doc: &Document) -> String {
    let mut out = String::with_capacity(64 + doc.blocks.len() * 160);
    StoredDocument(doc).write_json(&mut out);
    out
}

struct StoredDocument<'a>(&'a Document);

impl ToJson for StoredDocument<'_> {
    fn write_json(&self, out: &mut String) {
        let doc = self.0;
        let blocks: Vec<StoredBlock> = doc.blocks.iter().map(StoredBlock).collect();
        let mut object = ObjectWriter::new(out);
        object.field("version", &FORMAT_VERSION);
        object.field("title", &doc.title);
        object.field("blocks", &blocks);
        object.rest(&doc.extra, &["version", "title", "blocks"]);
        object.end();
    }
}

struct StoredBlock<'a>(&'a Block);

impl ToJson for StoredBlock<'_> {
    fn write_json(&self, out: &mut String) {
        let block = self.0;
        let mut object = ObjectWriter::new(out);
        object.field("id", &block.id);
        object.field("type", type_name(&block.content));
        match &block.content {
            BlockContent::Paragraph(data) => object.field("data", data),
            BlockContent::Heading(data) => object.field("data", data),
            BlockContent::List(data) => object.field("data", data),
            BlockContent::Quote(data) => object.field("data", data),
            BlockContent::Divider(data) => object.field("data", data),
            BlockContent::Image(data) => object.field("data", data),
            BlockContent::Code(data) => object.field("data", data),
            BlockContent::LinkCard(data) => object.field("data", data),
            BlockContent::Bubble(data) => object.field("data", data),
            BlockContent::Unknown(unknown) => object.field("data", &unknown.data),
        }
        object.rest(&block.extra, &["id", "type", "data"]);
        object.end();
    }
}

/// Reads a document, migrating older versions forward.
pub fn document_from_json(text: &str) -> Result<Document, LoadError> {
    match read_document(text, true) {
        Ok(Some(doc)) => Ok(doc),
        // Another version (or a shape this version cannot read, which may be one whose version
        // comes later in the text): brought forward as a value, then read as this version's.
        Ok(None) | Err(LoadError::Shape(_)) => {
            let value =
                json_text::parse(text).map_err(|error| LoadError::Syntax(error.to_string()))?;
            document_from_value(value)
        }
        Err(error) => Err(error),
    }
}

/// Reads a document held as a value, migrating older versions forward.
pub fn document_from_value(value: Value) -> Result<Document, LoadError> {
    let Value::Object(object) = value else {
        return Err(LoadError::Shape("expected an object".into()));
    };
    let text = Value::Object(migrate(object)?).to_text();
    read_document(&text, true)?.ok_or_else(|| LoadError::Shape("unreadable version".into()))
}

/// Best-effort reading of data from a newer version, for showing it read-only.
pub fn document_from_json_ignoring_version(text: &str) -> Result<Document, LoadError> {
    explained(text, read_document(text, false))?
        .ok_or_else(|| LoadError::Shape("unreadable version".into()))
}

/// Text that is not JSON at all is a syntax error wherever reading stopped: a shape error
/// found before the text's end is told as the syntax error after it.
fn explained<T>(text: &str, read: Result<T, LoadError>) -> Result<T, LoadError> {
    match read {
        Err(LoadError::Shape(shape)) => match json_text::parse(text) {
            Err(error) => Err(LoadError::Syntax(error.to_string())),
            Ok(_) => Err(LoadError::Shape(shape)),
        },
        other => other,
    }
}

/// Reads a document of this version in one pass, straight into the model; `None` for another
/// version (when `check_version`), which is migrated first.
fn read_document(text: &str, check_version: bool) -> Result<Option<Document>, LoadError> {
    let syntax = syntax_in(text);
    let mut reader = Reader::new(text);
    if reader.peek_token() != Some(b'{') {
        reader.value().map_err(syntax)?;
        return Err(LoadError::Shape("expected an object".into()));
    }
    let mut version = None;
    let mut doc = Document::default();
    let mut extra = MapBuilder::default();
    reader.begin_object().map_err(syntax)?;
    while let Some(key) = reader.next_key().map_err(syntax)? {
        match key.as_ref() {
            "version" => {
                version = reader.value().map_err(syntax)?.as_u64();
                if check_version && version != Some(FORMAT_VERSION) {
                    return Ok(None);
                }
            }
            "title" => {
                doc.title = match reader.value().map_err(syntax)? {
                    Value::String(title) => title,
                    Value::Null => String::new(),
                    _ => return Err(LoadError::Shape("the title is not text".into())),
                }
            }
            "blocks" => {
                if reader.peek_token() != Some(b'[') {
                    reader.value().map_err(syntax)?;
                    return Err(LoadError::Shape("blocks is not a list".into()));
                }
                // A repeated key's last value counts, as everywhere else.
                doc.blocks.clear();
                reader.begin_array().map_err(syntax)?;
                while reader.next_item().map_err(syntax)? {
                    let block = read_block(text, &mut reader, doc.blocks.len())?;
                    doc.blocks.push(block);
                }
            }
            _ => {
                let value = reader.value().map_err(syntax)?;
                extra.insert(key, value);
            }
        }
    }
    reader.end().map_err(syntax)?;
    doc.extra = extra.finish();
    if check_version && version != Some(FORMAT_VERSION) {
        return Ok(None);
    }
    doc.blocks = dedupe_ids(doc.blocks);
    Ok(Some(doc))
}

/// One block: data after its type (as this version writes it) is read in place.
fn read_block(text: &str, reader: &mut Reader<'_>, position: usize) -> Result<Block, LoadError> {
    let syntax = syntax_in(text);
    let number = position + 1;
    if reader.peek_token() != Some(b'{') {
        reader.value().map_err(syntax)?;
        return Err(LoadError::Shape(format!("block {number} is not an object")));
    }
    let mut id = None;
    let mut type_name: Option<String> = None;
    // The data read for the type before it, and where it starts (a type repeated after it
    // reads it again: the last value of a repeated key counts).
    let mut content: Option<(BlockContent, json_text::Position)> = None;
    let mut data_first = None;
    let mut extra = MapBuilder::default();
    reader.begin_object().map_err(syntax)?;
    while let Some(key) = reader.next_key().map_err(syntax)? {
        match key.as_ref() {
            "id" => match reader.value().map_err(syntax)? {
                Value::String(text) if !text.is_empty() => id = Some(text),
                _ => id = None,
            },
            "type" => {
                type_name = match reader.value().map_err(syntax)? {
                    Value::String(name) => Some(name),
                    _ => None,
                };
                if let Some((_, start)) = content.take() {
                    let mut again = Reader::new(text);
                    again.rewind(start);
                    data_first = Some(again.value().map_err(syntax)?);
                }
            }
            "data" => {
                data_first = None;
                match &type_name {
                    Some(name) => {
                        let start = reader.position();
                        let read = read_content_or_keep(name, reader).map_err(syntax)?;
                        content = Some((read, start));
                    }
                    None => data_first = Some(reader.value().map_err(syntax)?),
                }
            }
            _ => {
                let value = reader.value().map_err(syntax)?;
                extra.insert(key, value);
            }
        }
    }
    let type_name =
        type_name.ok_or_else(|| LoadError::Shape(format!("block {number} has no type")))?;
    let content = match content {
        Some((content, _)) => content,
        None => content_from(
            &type_name,
            data_first.unwrap_or_else(|| Value::Object(Map::new())),
        ),
    };
    Ok(Block {
        id: BlockId(id.unwrap_or_else(|| format!("block-{number}"))),
        content,
        extra: extra.finish(),
    })
}

/// A syntax error in `text`, told by line and column.
fn syntax_in(text: &str) -> impl Fn(json_text::Error) -> LoadError + Copy + '_ {
    move |error| LoadError::Syntax(json_text::locate(text, error).to_string())
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
    // Each id taken, with the next suffix to try for it, so many copies of one id take
    // linear time.
    let mut taken: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for block in &mut blocks {
        let Some(&next) = taken.get(&block.id.0) else {
            taken.insert(block.id.0.clone(), 2);
            continue;
        };
        let mut suffix = next;
        let candidate = loop {
            let candidate = format!("{}-{suffix}", block.id.0);
            suffix += 1;
            if !taken.contains_key(&candidate) {
                break candidate;
            }
        };
        taken.insert(block.id.0.clone(), suffix);
        taken.insert(candidate.clone(), 2);
        block.id.0 = candidate;
    }
    blocks
}

/// The version a stored object declares (0 when it has none: the first, unversioned form).
pub fn version_of(object: &Map) -> Result<u64, LoadError> {
    match object.get("version") {
        None => Ok(0),
        Some(Value::Number(number)) => number
            .as_u64()
            .ok_or_else(|| LoadError::Shape("the version is not a whole number".into())),
        Some(_) => Err(LoadError::Shape("the version is not a number".into())),
    }
}

/// Brings an object of any older version up to [`FORMAT_VERSION`], one step at a time.
fn migrate(mut object: Map) -> Result<Map, LoadError> {
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
    object.insert("version", Value::from(FORMAT_VERSION));
    Ok(object)
}

/// Version 0 stored each block's text as a plain string beside its type:
/// `{"id": "…", "type": "paragraph", "text": "…"}`. Version 1 nests data and uses runs.
fn migrate_v0_to_v1(mut object: Map) -> Map {
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
                    Value::String(text) if text.is_empty() => Value::Array(Vec::new()),
                    Value::String(text) => {
                        Value::Array(vec![Value::Object(Map::new().with("text", text.into()))])
                    }
                    other => other,
                };
                data.insert("text", runs);
            }
            if let Some(level) = block.remove("level") {
                data.insert("level", level);
            }
            block.insert("data", Value::Object(data));
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
        // Told by its version even when blocks it cannot read come first.
        let later = document_from_json(r#"{"blocks": [5], "version": 99}"#).unwrap_err();
        assert_eq!(later, LoadError::NewerVersion(99));
        let shown = document_from_json_ignoring_version(r#"{"version": 99, "title": "t"}"#);
        assert_eq!(shown.map(|doc| doc.title), Ok("t".into()));
    }

    #[test]
    fn shapes_it_cannot_read_are_explained() {
        for (text, expected) in [
            (r#"{"version":1,"title":5}"#, "the title is not text"),
            (r#"{"version":1,"blocks":{}}"#, "blocks is not a list"),
            (r#"{"version":1,"blocks":[1]}"#, "block 1 is not an object"),
            (
                r#"{"version":1,"blocks":[{"id":"a"}]}"#,
                "block 1 has no type",
            ),
        ] {
            assert_eq!(
                document_from_json(text),
                Err(LoadError::Shape(expected.into()))
            );
        }
        let broken = document_from_json(r#"{"version":1,"title":5,"blocks":[}"#);
        assert!(matches!(broken, Err(LoadError::Syntax(_))), "{broken:?}");
        // An id that is not text is replaced; the block is kept.
        let doc = document_from_json(r#"{"version":1,"blocks":[{"id":7,"type":"divider"}]}"#);
        assert_eq!(
            doc.map(|doc| doc.blocks[0].id.0.clone()),
            Ok("block-1".into())
        );
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
    fn a_repeated_key_counts_by_its_last_value_on_every_path() {
        let blocks = r#"{"version":1,"blocks":[{"id":"a","type":"divider"}],"blocks":[{"id":"b","type":"divider"}]}"#;
        let retyped =
            r#"{"version":1,"blocks":[{"type":"paragraph","data":{"text":[]},"type":"heading"}]}"#;
        for text in [blocks, retyped] {
            let read = document_from_json(text).unwrap();
            let general = document_from_value(json_text::parse(text).unwrap()).unwrap();
            assert_eq!(read, general, "{text}");
        }
        let doc = document_from_json(retyped).unwrap();
        assert!(matches!(doc.blocks[0].content, BlockContent::Heading(_)));
    }

    #[test]
    fn damaged_blocks_and_many_fields_read_in_one_pass() {
        let damaged: Vec<String> = (0..20_000)
            .map(|n| format!(r#"{{"id":"b{n}","type":"heading","data":{{"level":"x"}}}}"#))
            .collect();
        let text = format!(r#"{{"version":1,"blocks":[{}]}}"#, damaged.join(","));
        let doc = document_from_json(&text).unwrap();
        assert_eq!(doc.blocks.len(), 20_000);
        assert!(doc
            .blocks
            .iter()
            .all(|block| matches!(block.content, BlockContent::Unknown(_))));
        let fields: Vec<String> = (0..40_000).map(|n| format!(r#""k{n}":{n}"#)).collect();
        let text = format!(r#"{{{},"version":1,"blocks":[]}}"#, fields.join(","));
        let doc = document_from_json(&text).unwrap();
        assert_eq!(doc.extra.len(), 40_000);
        assert_eq!(document_from_json(&document_to_json(&doc)).unwrap(), doc);
    }

    #[test]
    fn duplicate_ids_are_made_unique() {
        let doc = document_from_json(
            r#"{"version":1,"blocks":[{"id":"x","type":"divider"},{"id":"x","type":"divider"}]}"#,
        )
        .unwrap();
        assert_ne!(doc.blocks[0].id, doc.blocks[1].id);
        let many: Vec<&str> = vec![r#"{"id":"x","type":"divider"}"#; 8_000];
        let text = format!(r#"{{"version":1,"blocks":[{}]}}"#, many.join(","));
        let doc = document_from_json(&text).unwrap();
        let ids: std::collections::HashSet<&str> =
            doc.blocks.iter().map(|block| block.id.as_str()).collect();
        assert_eq!(ids.len(), 8_000);
        assert_eq!(
            [
                &doc.blocks[0].id.0,
                &doc.blocks[1].id.0,
                &doc.blocks[2].id.0
            ],
            ["x", "x-2", "x-3"]
        );
    }
}
