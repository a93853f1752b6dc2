//! A JSON backup of one draft with the speakers its bubbles use. Pure.
//!
//! `{"format": "tsuzuri-backup", "version": 1, "document": <stored document>, "speakers": […]}`.
//! Reading also accepts a bare stored document (any version `codec::json` can migrate).

use super::json::{self, LoadError};
use crate::json::{self as json_text, Map, Value};
use crate::model::{BlockContent, Document, Speaker, SpeakerRegistry};

/// The value of the `format` field.
pub const BACKUP_FORMAT: &str = "tsuzuri-backup";
/// The backup version this build writes.
pub const BACKUP_VERSION: u64 = 1;

/// The draft and the registry's speakers referenced by its bubbles, as pretty JSON.
pub fn to_backup(doc: &Document, registry: &SpeakerRegistry) -> String {
    let used = |speaker: &&Speaker| {
        doc.blocks.iter().any(|block| {
            matches!(&block.content, BlockContent::Bubble(bubble)
                if bubble.speaker.speaker_id.as_deref() == Some(speaker.id.as_str()))
        })
    };
    let speakers: Vec<&Speaker> = registry.speakers.iter().filter(used).collect();
    let backup = Map::new()
        .with("format", BACKUP_FORMAT.into())
        .with("version", BACKUP_VERSION.into())
        .with("document", json::document_to_value(doc))
        .with("speakers", json_text::to_value(&speakers));
    Value::Object(backup).to_pretty_text()
}

/// Reads a backup, or a bare stored document (then with no speakers).
pub fn from_backup(text: &str) -> Result<(Document, Vec<Speaker>), LoadError> {
    let value = json_text::parse(text).map_err(|error| LoadError::Syntax(error.to_string()))?;
    let Value::Object(mut object) = value else {
        return Err(LoadError::Shape("expected an object".into()));
    };
    if object.get("format").and_then(Value::as_str) != Some(BACKUP_FORMAT) {
        return Ok((
            json::document_from_value(Value::Object(object))?,
            Vec::new(),
        ));
    }
    let version = json::version_of(&object)?;
    if version > BACKUP_VERSION {
        return Err(LoadError::NewerVersion(version));
    }
    let document = object
        .remove("document")
        .ok_or_else(|| LoadError::Shape("the backup holds no document".into()))?;
    let speakers = match object.remove("speakers") {
        None | Some(Value::Null) => Vec::new(),
        Some(speakers) => json_text::from_value::<Vec<Speaker>>(&speakers)
            .map_err(|error| LoadError::Shape(format!("the speakers are unreadable: {error}")))?,
    };
    Ok((json::document_from_value(document)?, speakers))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::speakers::bubble_for;
    use crate::model::{Block, BlockId};

    #[test]
    fn keeps_only_speakers_in_use_and_round_trips() {
        let mut registry = SpeakerRegistry::default();
        registry
            .add(Speaker::new("s1".into(), "ミナ".into()))
            .unwrap();
        registry
            .add(Speaker::new("s2".into(), "Ken".into()))
            .unwrap();
        let bubble = bubble_for(&registry.speakers[1], "normal");
        let doc = Document {
            title: "t".into(),
            blocks: vec![Block::new(
                BlockId("a".into()),
                BlockContent::Bubble(bubble),
            )],
            ..Default::default()
        };
        let (back, speakers) = from_backup(&to_backup(&doc, &registry)).unwrap();
        assert_eq!(back, doc);
        assert_eq!(speakers, vec![registry.speakers[1].clone()]);
    }

    #[test]
    fn reads_bare_documents_and_refuses_newer_backups() {
        let (doc, speakers) =
            from_backup(r#"{"title":"old","blocks":[{"id":"a","type":"paragraph","text":"x"}]}"#)
                .unwrap();
        assert_eq!(doc.blocks[0].content.plain_text(), "x");
        assert!(speakers.is_empty());
        assert_eq!(
            from_backup(r#"{"format":"tsuzuri-backup","version":2,"document":{}}"#),
            Err(LoadError::NewerVersion(2))
        );
    }
}
