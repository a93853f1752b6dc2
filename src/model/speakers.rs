//! The speaker registry shared by all drafts: who can speak in a bubble, with which faces. Pure.
//!
//! Bubbles refer to a speaker by id and keep a copy of its look ([`SpeakerLook`]), so a post stays
//! readable when exported, imported, or after the speaker is deleted; [`refresh_bubbles`] brings
//! those copies up to date after the registry changes.

use super::stored::open_record;
use super::{BlockContent, Document, Extra, IconShape, Palette, Side, SpeakerLook};

// How speakers are stored: their fields in order and the default of each.
open_record!(Expression { label = String::new(); image = String::new(); });
open_record!(Speaker requires(id) {
    id = String::new();
    name = String::new();
    expressions = Vec::new();
    side = Side::default();
    border = Palette::default();
    background = Palette::default();
    shape = IconShape::default();
    show_name = true;
});
open_record!(SpeakerRegistry {
    version = registry_version();
    speakers = Vec::new();
});

/// A face a speaker can make.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Expression {
    /// `normal`, `smile`, `surprised`, …
    pub label: String,
    /// A URL, a downscaled `data:` image, or a bare filename kept as-is for WordPress.
    pub image: String,
    pub extra: Extra,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Speaker {
    pub id: String,
    pub name: String,
    pub expressions: Vec<Expression>,
    pub side: Side,
    pub border: Palette,
    pub background: Palette,
    pub shape: IconShape,
    pub show_name: bool,
    pub extra: Extra,
}

impl Speaker {
    pub fn new(id: String, name: String) -> Speaker {
        Speaker {
            id,
            name,
            expressions: vec![Expression {
                label: "normal".into(),
                ..Default::default()
            }],
            side: Side::Left,
            border: Palette::Gray,
            background: Palette::Gray,
            shape: IconShape::Circle,
            show_name: true,
            extra: Extra::new(),
        }
    }

    /// The expression with this label, else the first one.
    pub fn expression(&self, label: &str) -> Option<&Expression> {
        self.expressions
            .iter()
            .find(|expression| expression.label == label)
            .or_else(|| self.expressions.first())
    }

    /// What a bubble showing this speaker with this expression keeps.
    pub fn look(&self, expression_label: &str) -> SpeakerLook {
        let expression = self.expression(expression_label);
        SpeakerLook {
            speaker_id: Some(self.id.clone()),
            name: self.name.clone(),
            expression: expression.map(|e| e.label.clone()).unwrap_or_default(),
            face: expression.map(|e| e.image.clone()).unwrap_or_default(),
            border: self.border,
            background: self.background,
            shape: self.shape,
            show_name: self.show_name,
        }
    }
}

/// Why a registry change was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RegistryError {
    NoSuchSpeaker(String),
    EmptyName,
    DuplicateName(String),
}

impl std::fmt::Display for RegistryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The wording lives in the English catalog (crate::i18n).
        f.write_str(&crate::i18n::messages::registry_text(
            crate::i18n::Lang::En,
            self,
        ))
    }
}

/// All speakers, in the author's order. Stored versioned under its own key.
#[derive(Clone, Debug, PartialEq)]
pub struct SpeakerRegistry {
    pub version: u64,
    pub speakers: Vec<Speaker>,
    pub extra: Extra,
}

fn registry_version() -> u64 {
    1
}

impl Default for SpeakerRegistry {
    fn default() -> Self {
        SpeakerRegistry {
            version: registry_version(),
            speakers: Vec::new(),
            extra: Extra::new(),
        }
    }
}

impl SpeakerRegistry {
    pub fn get(&self, id: &str) -> Option<&Speaker> {
        self.speakers.iter().find(|speaker| speaker.id == id)
    }

    pub fn get_mut(&mut self, id: &str) -> Option<&mut Speaker> {
        self.speakers.iter_mut().find(|speaker| speaker.id == id)
    }

    pub fn by_name(&self, name: &str) -> Option<&Speaker> {
        let name = name.trim();
        self.speakers
            .iter()
            .find(|speaker| speaker.name.trim() == name)
    }

    /// Adds a speaker; names must be non-empty and unique.
    pub fn add(&mut self, speaker: Speaker) -> Result<(), RegistryError> {
        if speaker.name.trim().is_empty() {
            return Err(RegistryError::EmptyName);
        }
        if self.by_name(&speaker.name).is_some() {
            return Err(RegistryError::DuplicateName(speaker.name));
        }
        self.speakers.push(speaker);
        Ok(())
    }

    /// Replaces a speaker (same id), keeping names unique.
    pub fn update(&mut self, speaker: Speaker) -> Result<(), RegistryError> {
        if speaker.name.trim().is_empty() {
            return Err(RegistryError::EmptyName);
        }
        if let Some(other) = self.by_name(&speaker.name) {
            if other.id != speaker.id {
                return Err(RegistryError::DuplicateName(speaker.name));
            }
        }
        let slot = self
            .get_mut(&speaker.id)
            .ok_or_else(|| RegistryError::NoSuchSpeaker(speaker.id.clone()))?;
        *slot = speaker;
        Ok(())
    }

    pub fn remove(&mut self, id: &str) -> Result<Speaker, RegistryError> {
        let index = self
            .speakers
            .iter()
            .position(|speaker| speaker.id == id)
            .ok_or_else(|| RegistryError::NoSuchSpeaker(id.to_owned()))?;
        Ok(self.speakers.remove(index))
    }

    /// Moves a speaker up (negative) or down (positive) in the list.
    pub fn move_by(&mut self, id: &str, delta: isize) -> Result<(), RegistryError> {
        let from = self
            .speakers
            .iter()
            .position(|speaker| speaker.id == id)
            .ok_or_else(|| RegistryError::NoSuchSpeaker(id.to_owned()))?;
        let last = self.speakers.len() as isize - 1;
        let to = (from as isize + delta).clamp(0, last.max(0)) as usize;
        let speaker = self.speakers.remove(from);
        self.speakers.insert(to, speaker);
        Ok(())
    }

    /// Finds a speaker by name or adds one, and makes sure it has an expression with this face
    /// (import: each distinct face becomes an expression). Returns (speaker id, expression label).
    pub fn ensure(
        &mut self,
        name: &str,
        face: &str,
        new_id: impl FnOnce() -> String,
    ) -> (String, String) {
        let name = name.trim();
        let index = match self.speakers.iter().position(|s| s.name.trim() == name) {
            Some(index) => index,
            None => {
                let mut speaker = Speaker::new(new_id(), name.to_owned());
                speaker.expressions.clear();
                self.speakers.push(speaker);
                self.speakers.len() - 1
            }
        };
        let speaker = &mut self.speakers[index];
        if let Some(existing) = speaker.expressions.iter().find(|e| e.image == face) {
            return (speaker.id.clone(), existing.label.clone());
        }
        let label = expression_label_for(face, speaker.expressions.len());
        let mut unique = label.clone();
        let mut counter = 2;
        while speaker.expressions.iter().any(|e| e.label == unique) {
            unique = format!("{label}-{counter}");
            counter += 1;
        }
        speaker.expressions.push(Expression {
            label: unique.clone(),
            image: face.to_owned(),
            extra: Extra::new(),
        });
        (speaker.id.clone(), unique)
    }

    /// How many bubbles in a document show this speaker.
    pub fn uses_in(&self, id: &str, doc: &Document) -> usize {
        doc.blocks
            .iter()
            .filter(|block| {
                matches!(&block.content, BlockContent::Bubble(bubble)
                    if bubble.speaker.speaker_id.as_deref() == Some(id))
            })
            .count()
    }
}

/// A label for a face found in imported text: from its filename (`baker-smile.png` → `smile`),
/// else `normal` for the first and `face N` after.
fn expression_label_for(face: &str, existing: usize) -> String {
    let file = face.rsplit('/').next().unwrap_or(face);
    let stem = file.split('.').next().unwrap_or(file);
    let known = [
        "normal",
        "smile",
        "happy",
        "surprised",
        "sad",
        "angry",
        "think",
        "cry",
    ];
    if let Some(word) = stem
        .split(['-', '_', ' '])
        .rev()
        .find(|part| known.contains(&part.to_ascii_lowercase().as_str()))
    {
        return word.to_ascii_lowercase();
    }
    if existing == 0 {
        "normal".into()
    } else {
        format!("face {}", existing + 1)
    }
}

/// New contents for every bubble whose copy of its speaker differs from the registry. Bubbles
/// whose speaker was deleted keep their copy (they stay readable), but lose the reference.
pub fn refresh_bubbles(
    doc: &Document,
    registry: &SpeakerRegistry,
) -> Vec<(super::BlockId, BlockContent)> {
    let mut changes = Vec::new();
    for block in &doc.blocks {
        let BlockContent::Bubble(bubble) = &block.content else {
            continue;
        };
        let Some(id) = bubble.speaker.speaker_id.as_deref() else {
            continue;
        };
        let look = match registry.get(id) {
            Some(speaker) => speaker.look(&bubble.speaker.expression),
            None => SpeakerLook {
                speaker_id: None,
                ..bubble.speaker.clone()
            },
        };
        if look != bubble.speaker {
            let mut updated = bubble.clone();
            updated.speaker = look;
            changes.push((block.id.clone(), BlockContent::Bubble(updated)));
        }
    }
    changes
}

/// A bubble for a speaker, on the speaker's default side.
pub fn bubble_for(speaker: &Speaker, expression: &str) -> super::Bubble {
    super::Bubble {
        speaker: speaker.look(expression),
        side: speaker.side,
        ..Default::default()
    }
}

/// Which side a bubble is drawn on, for callers that only know the speaker.
pub fn default_side(registry: &SpeakerRegistry, id: &str) -> Side {
    registry.get(id).map(|s| s.side).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Block, BlockId, RichText};

    #[test]
    fn stored_speakers_keep_unknown_fields_and_need_an_id() {
        let text = r#"{"version":1,"speakers":[{"id":"s1","name":"ミナ","mood":{"a":[1]},"expressions":[{"label":"smile","image":"a.png","alt":"x"}]}],"sync":true}"#;
        let registry: SpeakerRegistry = crate::json::from_text(text).unwrap();
        let speaker = &registry.speakers[0];
        assert_eq!(speaker.name, "ミナ");
        assert!(speaker.show_name);
        assert_eq!(speaker.expressions[0].extra.len(), 1);
        let written = crate::json::ToJson::to_json_text(&registry);
        let again: SpeakerRegistry = crate::json::from_text(&written).unwrap();
        assert_eq!(again, registry);
        assert!(written.contains(r#""mood":{"a":[1]}"#) && written.contains(r#""sync":true"#));
        let nameless = r#"{"speakers":[{"name":"no id"}]}"#;
        let error = crate::json::from_text::<SpeakerRegistry>(nameless).unwrap_err();
        assert_eq!(error.to_string(), "missing field `id`");
    }

    fn registry_with_mina() -> SpeakerRegistry {
        let mut registry = SpeakerRegistry::default();
        let mut mina = Speaker::new("s1".into(), "ミナ".into());
        mina.expressions = vec![
            Expression {
                label: "normal".into(),
                image: "mina.png".into(),
                ..Default::default()
            },
            Expression {
                label: "smile".into(),
                image: "mina-smile.png".into(),
                ..Default::default()
            },
        ];
        registry.add(mina).unwrap();
        registry
    }

    #[test]
    fn names_are_required_and_unique() {
        let mut registry = registry_with_mina();
        assert_eq!(
            registry.add(Speaker::new("s2".into(), " ".into())),
            Err(RegistryError::EmptyName)
        );
        assert_eq!(
            registry.add(Speaker::new("s2".into(), "ミナ".into())),
            Err(RegistryError::DuplicateName("ミナ".into()))
        );
    }

    #[test]
    fn renaming_updates_every_bubble_and_deleting_keeps_them_readable() {
        let mut registry = registry_with_mina();
        let speaker = registry.get("s1").unwrap().clone();
        let mut bubble = bubble_for(&speaker, "smile");
        bubble.text = RichText::plain("やあ");
        let doc = Document {
            blocks: vec![
                Block::new(BlockId("a".into()), BlockContent::Bubble(bubble.clone())),
                Block::new(BlockId("b".into()), BlockContent::Bubble(bubble)),
            ],
            ..Default::default()
        };
        assert_eq!(registry.uses_in("s1", &doc), 2);
        let mut renamed = speaker.clone();
        renamed.name = "ミナ先生".into();
        registry.update(renamed).unwrap();
        let changes = refresh_bubbles(&doc, &registry);
        assert_eq!(changes.len(), 2);
        let BlockContent::Bubble(updated) = &changes[0].1 else {
            panic!()
        };
        assert_eq!(updated.speaker.name, "ミナ先生");
        assert_eq!(updated.speaker.face, "mina-smile.png");

        registry.remove("s1").unwrap();
        let changes = refresh_bubbles(&doc, &registry);
        let BlockContent::Bubble(orphan) = &changes[0].1 else {
            panic!()
        };
        assert_eq!(orphan.speaker.speaker_id, None);
        assert_eq!(orphan.speaker.name, "ミナ");
    }

    #[test]
    fn ensure_adds_each_distinct_face_once() {
        let mut registry = SpeakerRegistry::default();
        let mut counter = 0;
        let mut next = || {
            counter += 1;
            format!("s{counter}")
        };
        let a = registry.ensure("パン屋のミナ", "baker-smile.png", &mut next);
        let b = registry.ensure("パン屋のミナ", "baker-surprised.png", &mut next);
        let c = registry.ensure("パン屋のミナ", "baker-smile.png", &mut next);
        assert_eq!(a, ("s1".into(), "smile".into()));
        assert_eq!(b, ("s1".into(), "surprised".into()));
        assert_eq!(a, c);
        assert_eq!(registry.speakers.len(), 1);
        assert_eq!(registry.speakers[0].expressions.len(), 2);
    }
}
