//! Drafts in a key-value store: an index plus one key per draft, versioned, fault-tolerant. Pure.
//!
//! The browser's localStorage is one implementation of [`KeyValueStore`]; tests use
//! [`MemoryStore`], which can be made to fail like a full or broken browser store.
//! Nothing here ever overwrites stored data it could not read: unreadable drafts are set aside
//! under a recovery key, and drafts from a newer version are opened read-only.

use crate::codec::json::{self, LoadError, FORMAT_VERSION};
use crate::json::{self as json_text, FromJson, ToJson};
use crate::model::stored::open_record;
use crate::model::Document;
use std::collections::BTreeMap;

pub const PREFIX: &str = "tsuzuri:";
/// Written and removed once per page to learn whether the store takes writes; other tabs see
/// it as a storage event and must not take it for a change.
pub const PROBE_KEY: &str = "tsuzuri:probe";
pub const INDEX_KEY: &str = "tsuzuri:index";

pub const SETTINGS_KEY: &str = "tsuzuri:settings";
pub const SPEAKERS_KEY: &str = "tsuzuri:speakers";

/// Reads a small JSON record (settings, the speaker registry); unreadable data is set aside
/// under a recovery key (returned) and the default used, so the app always starts.
pub fn load_record<T: FromJson + Default>(
    store: &mut impl KeyValueStore,
    key: &str,
) -> (T, Option<String>) {
    let Ok(Some(text)) = store.get(key) else {
        return (T::default(), None);
    };
    match json_text::from_text(&text) {
        Ok(value) => (value, None),
        Err(_) => {
            // Kept for the author; the key it is kept under is returned.
            let recovery = format!("{key}:unreadable");
            let _ = store.set(&recovery, &text);
            (T::default(), Some(recovery))
        }
    }
}

pub fn save_record<T: ToJson>(
    store: &mut impl KeyValueStore,
    key: &str,
    value: &T,
) -> Result<(), StoreError> {
    store.set(key, &value.to_json_text())
}

pub fn draft_key(id: &str) -> String {
    format!("{PREFIX}draft:{id}")
}

/// A stable 64-bit FNV-1a hash: the same text always gets the same name.
fn fingerprint(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The copies of unreadable drafts, lists and records kept in the store, oldest name first.
pub fn recovery_keys(store: &impl KeyValueStore) -> Vec<String> {
    let prefix = format!("{PREFIX}recovery:");
    let mut keys: Vec<String> = store
        .keys()
        .unwrap_or_default()
        .into_iter()
        .filter(|key| key.starts_with(&prefix))
        .collect();
    keys.sort();
    keys
}

pub fn recovery_key(id: &str, at_ms: f64) -> String {
    format!("{PREFIX}recovery:{id}:{}", at_ms as u64)
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StoreError {
    /// Storage cannot be used at all (private mode, disabled by policy).
    Unavailable,
    /// The quota is used up.
    QuotaExceeded,
    Other(String),
}

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The wording lives in the English catalog (crate::i18n).
        f.write_str(&crate::i18n::messages::store(crate::i18n::Lang::En, self))
    }
}

/// A string key-value store (localStorage's shape).
pub trait KeyValueStore {
    fn get(&self, key: &str) -> Result<Option<String>, StoreError>;
    fn set(&mut self, key: &str, value: &str) -> Result<(), StoreError>;
    fn remove(&mut self, key: &str) -> Result<(), StoreError>;
    /// Every key in the store.
    fn keys(&self) -> Result<Vec<String>, StoreError>;
}

/// An in-memory store with an optional byte quota and a switch to make it unavailable.
#[derive(Clone, Debug, Default)]
pub struct MemoryStore {
    pub entries: BTreeMap<String, String>,
    /// Total bytes (keys + values, as UTF-16 like browsers count) allowed; `None` is unlimited.
    pub quota: Option<usize>,
    pub unavailable: bool,
}

impl MemoryStore {
    fn used_without(&self, key: &str) -> usize {
        self.entries
            .iter()
            .filter(|(k, _)| k.as_str() != key)
            .map(|(k, v)| k.encode_utf16().count() + v.encode_utf16().count())
            .sum()
    }
}

impl KeyValueStore for MemoryStore {
    fn get(&self, key: &str) -> Result<Option<String>, StoreError> {
        if self.unavailable {
            return Err(StoreError::Unavailable);
        }
        Ok(self.entries.get(key).cloned())
    }

    fn set(&mut self, key: &str, value: &str) -> Result<(), StoreError> {
        if self.unavailable {
            return Err(StoreError::Unavailable);
        }
        if let Some(quota) = self.quota {
            let needed = key.encode_utf16().count() + value.encode_utf16().count();
            if self.used_without(key) + needed > quota {
                return Err(StoreError::QuotaExceeded);
            }
        }
        self.entries.insert(key.to_owned(), value.to_owned());
        Ok(())
    }

    fn remove(&mut self, key: &str) -> Result<(), StoreError> {
        if self.unavailable {
            return Err(StoreError::Unavailable);
        }
        self.entries.remove(key);
        Ok(())
    }

    fn keys(&self) -> Result<Vec<String>, StoreError> {
        if self.unavailable {
            return Err(StoreError::Unavailable);
        }
        Ok(self.entries.keys().cloned().collect())
    }
}

/// A moment as the browser's clock gives it: whole milliseconds since 1970. Stored as a JSON
/// integer; any JSON number is read (drafts stored before wrote `1764500000000.0`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Millis(pub u64);

impl Millis {
    /// The nearest whole millisecond; a time before 1970, or none, is 0.
    pub fn from_ms(ms: f64) -> Millis {
        // `as` saturates: a time past u64's range is its largest value.
        Millis(if ms > 0.0 { ms.round() as u64 } else { 0 })
    }

    pub fn as_ms(self) -> f64 {
        self.0 as f64
    }
}

impl FromJson for Millis {
    fn read_json(reader: &mut json_text::Reader<'_>) -> Result<Millis, json_text::Error> {
        reader
            .number()
            .map(|text| Millis(json_text::rounded_whole(text)))
    }
}

impl ToJson for Millis {
    fn write_json(&self, out: &mut String) {
        self.0.write_json(out);
    }
}

open_record!(DraftMeta requires(id) {
    id = String::new();
    title = String::new();
    updated_ms = Millis::default();
    chars = 0;
    deleted_ms = None, skip if Option::is_none;
});

/// What the index knows of one draft, for listing without loading it.
#[derive(Clone, Debug, PartialEq)]
pub struct DraftMeta {
    pub id: String,
    pub title: String,
    pub updated_ms: Millis,
    pub chars: usize,
    /// When it was moved to the trash.
    pub deleted_ms: Option<Millis>,
    pub extra: crate::model::Extra,
}

open_record!(DraftIndex requires(version) {
    version = FORMAT_VERSION;
    current = None;
    drafts = Vec::new();
});

/// The list of drafts and which one is open.
#[derive(Clone, Debug, PartialEq)]
pub struct DraftIndex {
    pub version: u64,
    pub current: Option<String>,
    pub drafts: Vec<DraftMeta>,
    pub extra: crate::model::Extra,
}

impl Default for DraftIndex {
    fn default() -> Self {
        DraftIndex {
            version: FORMAT_VERSION,
            current: None,
            drafts: Vec::new(),
            extra: Default::default(),
        }
    }
}

/// Something the author must be told after opening.
#[derive(Clone, Debug, PartialEq)]
pub enum Notice {
    /// A draft could not be read; its raw text is kept under `recovery_key`.
    SetAside {
        draft_id: String,
        recovery_key: String,
        reason: String,
    },
    /// The draft was written by a newer version: shown read-only.
    ReadOnly { reason: String },
    /// A draft could not be read and there was no room to set it aside: it is left as it was.
    LeftInPlace { draft_id: String, reason: String },
    /// The list of drafts could not be read; it was rebuilt from the stored drafts and its
    /// text kept under `recovery_key`.
    IndexRebuilt { recovery_key: String },
    /// Storage is unavailable: nothing will be kept.
    NotKept,
}

/// The draft that was opened.
#[derive(Clone, Debug, PartialEq)]
pub struct Opened {
    pub id: String,
    pub doc: Document,
    /// True when saving would overwrite data this version cannot fully represent.
    pub read_only: bool,
    pub notices: Vec<Notice>,
}

/// Counts visible characters (grapheme-ish: chars that are not whitespace).
pub fn char_count(doc: &Document) -> usize {
    doc.plain_text()
        .chars()
        .filter(|ch| !ch.is_whitespace())
        .count()
}

pub struct DraftStore<S: KeyValueStore> {
    pub store: S,
    /// Set when [`DraftStore::index`] had to rebuild the index: where its text was kept.
    index_rebuilt: Option<String>,
    /// Set when an unreadable index could not be copied aside: it must not be overwritten.
    keep_index: bool,
}

impl<S: KeyValueStore> DraftStore<S> {
    pub fn new(store: S) -> Self {
        DraftStore {
            store,
            index_rebuilt: None,
            keep_index: false,
        }
    }

    /// Reads the index. An unreadable one is kept under a recovery key and rebuilt from the
    /// drafts stored, so none of them drops out of the list.
    pub fn index(&mut self) -> Result<DraftIndex, StoreError> {
        let Some(text) = self.store.get(INDEX_KEY)? else {
            return Ok(DraftIndex::default());
        };
        match json_text::from_text::<DraftIndex>(&text) {
            Ok(index) => Ok(index),
            Err(_) => {
                // Named by its content: reading the same text again keeps one copy, not many.
                let key = format!("{PREFIX}recovery:index:{:016x}", fingerprint(&text));
                let index = self.rebuilt_index()?;
                // The unreadable text is only replaced once a copy of it is kept.
                self.keep_index = self.store.set(&key, &text).is_err();
                if !self.keep_index {
                    let _ = self.write_index(&index);
                    self.index_rebuilt = Some(key);
                }
                Ok(index)
            }
        }
    }

    /// Lists drafts that are stored but not in the index (a save whose index write failed),
    /// so none is out of reach. Done when the editor starts.
    fn adopt_unlisted(&mut self, mut index: DraftIndex) -> Result<DraftIndex, StoreError> {
        let unlisted = self.stored_drafts_except(&index)?;
        if !unlisted.is_empty() {
            index.drafts.extend(unlisted);
            let _ = self.write_index(&index);
        }
        Ok(index)
    }

    /// An index listing every draft in the store, with the titles and sizes read from them.
    fn rebuilt_index(&self) -> Result<DraftIndex, StoreError> {
        Ok(DraftIndex {
            drafts: self.stored_drafts_except(&DraftIndex::default())?,
            ..DraftIndex::default()
        })
    }

    /// The drafts stored but missing from `index`, described from their own text.
    fn stored_drafts_except(&self, index: &DraftIndex) -> Result<Vec<DraftMeta>, StoreError> {
        let prefix = draft_key("");
        let mut drafts = Vec::new();
        for key in self.store.keys()? {
            let Some(id) = key.strip_prefix(&prefix) else {
                continue;
            };
            if index.drafts.iter().any(|draft| draft.id == id) {
                continue;
            }
            let doc = self
                .store
                .get(&key)?
                .and_then(|text| json::document_from_json_ignoring_version(&text).ok());
            drafts.push(DraftMeta {
                id: id.to_owned(),
                title: doc
                    .as_ref()
                    .map(|doc| doc.title.clone())
                    .unwrap_or_default(),
                updated_ms: Millis::default(),
                chars: doc.as_ref().map_or(0, char_count),
                deleted_ms: None,
                extra: Default::default(),
            });
        }
        Ok(drafts)
    }

    fn write_index(&mut self, index: &DraftIndex) -> Result<(), StoreError> {
        if self.keep_index {
            // The unreadable index has no copy yet: writing would lose it. A full store is
            // what kept the copy from being made, so that is the error.
            return Err(StoreError::QuotaExceeded);
        }
        self.store.set(INDEX_KEY, &index.to_json_text())
    }

    /// Opens the current draft, or a new empty one (with id `new_id`) when there is none or it
    /// could not be read. Never fails: an unavailable store opens an in-memory draft.
    pub fn open_current(&mut self, new_id: &str, now_ms: f64) -> Opened {
        let mut opened = self.open_current_draft(new_id, now_ms);
        if let Some(recovery_key) = self.index_rebuilt.take() {
            opened.notices.push(Notice::IndexRebuilt { recovery_key });
        }
        opened
    }

    fn open_current_draft(&mut self, new_id: &str, now_ms: f64) -> Opened {
        let index = match self.index().and_then(|index| self.adopt_unlisted(index)) {
            Ok(index) => index,
            Err(_) => {
                return Opened {
                    id: new_id.to_owned(),
                    doc: Document::default(),
                    read_only: false,
                    notices: vec![Notice::NotKept],
                }
            }
        };
        let current = index.current.clone().or_else(|| {
            index
                .drafts
                .iter()
                .find(|d| d.deleted_ms.is_none())
                .map(|d| d.id.clone())
        });
        match current {
            Some(id) => self.open(&id, new_id, now_ms),
            None => Opened {
                id: new_id.to_owned(),
                doc: Document::default(),
                read_only: false,
                notices: Vec::new(),
            },
        }
    }

    /// Opens one draft by id; see [`DraftStore::open_current`] for how faults are handled.
    pub fn open(&mut self, id: &str, new_id: &str, now_ms: f64) -> Opened {
        let fresh = |notices| Opened {
            id: new_id.to_owned(),
            doc: Document::default(),
            read_only: false,
            notices,
        };
        let text = match self.store.get(&draft_key(id)) {
            Ok(Some(text)) => text,
            Ok(None) => return fresh(Vec::new()),
            Err(_) => return fresh(vec![Notice::NotKept]),
        };
        match json::document_from_json(&text) {
            Ok(doc) => Opened {
                id: id.to_owned(),
                doc,
                read_only: false,
                notices: Vec::new(),
            },
            Err(LoadError::NewerVersion(version)) => {
                let reason = LoadError::NewerVersion(version).to_string();
                // Never set aside: the newer version that wrote it still reads it. What this
                // version cannot read is shown empty, and read-only keeps it from being written.
                let doc = json::document_from_json_ignoring_version(&text).unwrap_or_default();
                Opened {
                    id: id.to_owned(),
                    doc,
                    read_only: true,
                    notices: vec![Notice::ReadOnly { reason }],
                }
            }
            Err(error) => self.set_aside(id, &text, error, new_id, now_ms),
        }
    }

    fn set_aside(
        &mut self,
        id: &str,
        text: &str,
        error: LoadError,
        new_id: &str,
        now_ms: f64,
    ) -> Opened {
        let key = recovery_key(id, now_ms);
        // The raw text moves to the recovery key first; only once it is there is the draft's key
        // freed, so a failure here leaves the original where it was.
        if self.store.set(&key, text).is_err() {
            return Opened {
                id: new_id.to_owned(),
                doc: Document::default(),
                read_only: false,
                notices: vec![Notice::LeftInPlace {
                    draft_id: id.to_owned(),
                    reason: error.to_string(),
                }],
            };
        }
        let _ = self.store.remove(&draft_key(id));
        if let Ok(mut index) = self.index() {
            index.drafts.retain(|draft| draft.id != id);
            if index.current.as_deref() == Some(id) {
                index.current = None;
            }
            let _ = self.write_index(&index);
        }
        Opened {
            id: new_id.to_owned(),
            doc: Document::default(),
            read_only: false,
            notices: vec![Notice::SetAside {
                draft_id: id.to_owned(),
                recovery_key: key,
                reason: error.to_string(),
            }],
        }
    }

    /// Saves one draft (its own key, then its index entry). On error nothing stored is damaged:
    /// the draft key is written whole or not at all, and the index only after it.
    pub fn save(&mut self, id: &str, doc: &Document, now_ms: f64) -> Result<(), StoreError> {
        let text = json::document_to_json(doc);
        self.store.set(&draft_key(id), &text)?;
        let mut index = self.index()?;
        let meta = DraftMeta {
            id: id.to_owned(),
            title: doc.title.clone(),
            updated_ms: Millis::from_ms(now_ms),
            chars: char_count(doc),
            deleted_ms: None,
            extra: Default::default(),
        };
        match index.drafts.iter_mut().find(|draft| draft.id == id) {
            Some(existing) => {
                let extra = std::mem::take(&mut existing.extra);
                *existing = DraftMeta { extra, ..meta };
            }
            None => index.drafts.insert(0, meta),
        }
        index.current = Some(id.to_owned());
        self.write_index(&index)
    }
}

/// How long a deleted draft stays in the trash.
pub const TRASH_DAYS: f64 = 30.0;
const DAY_MS: f64 = 24.0 * 60.0 * 60.0 * 1000.0;

/// The name a draft is listed under: its title, else its first line, else `fallback`.
pub fn display_title(doc: &Document, fallback: &str) -> String {
    if !doc.title.trim().is_empty() {
        return doc.title.trim().to_owned();
    }
    doc.blocks
        .iter()
        .map(|block| block.content.plain_text())
        .find_map(|text| {
            text.lines()
                .map(str::trim)
                .find(|line| !line.is_empty())
                .map(|line| line.chars().take(60).collect::<String>())
        })
        .unwrap_or_else(|| fallback.to_owned())
}

impl<S: KeyValueStore> DraftStore<S> {
    /// Reads one stored draft (for duplicating, renaming, searching).
    pub fn load(&mut self, id: &str) -> Result<Document, LoadError> {
        let text = self
            .store
            .get(&draft_key(id))
            .map_err(|error| LoadError::Shape(error.to_string()))?
            .ok_or_else(|| LoadError::Shape(format!("draft {id} is not stored")))?;
        json::document_from_json(&text)
    }

    fn edit_index(&mut self, change: impl FnOnce(&mut DraftIndex)) -> Result<(), StoreError> {
        let mut index = self.index()?;
        change(&mut index);
        self.write_index(&index)
    }

    /// Makes a draft the one that opens next time.
    pub fn set_current(&mut self, id: &str) -> Result<(), StoreError> {
        self.edit_index(|index| index.current = Some(id.to_owned()))
    }

    /// Copies a draft under a new id, its title marked as a copy.
    pub fn duplicate(
        &mut self,
        id: &str,
        new_id: &str,
        copy_suffix: &str,
        now_ms: f64,
    ) -> Result<(), StoreError> {
        let mut doc = self
            .load(id)
            .map_err(|error| StoreError::Other(error.to_string()))?;
        doc.title = format!("{}{copy_suffix}", display_title(&doc, ""));
        let current = self.index()?.current;
        self.save(new_id, &doc, now_ms)?;
        // Saving makes the copy current; the author stays where they were.
        self.edit_index(|index| index.current = current)
    }

    /// Renames a stored draft (the open one is renamed through the editor instead).
    pub fn rename(&mut self, id: &str, title: &str, now_ms: f64) -> Result<(), StoreError> {
        let mut doc = self
            .load(id)
            .map_err(|error| StoreError::Other(error.to_string()))?;
        doc.title = title.to_owned();
        let current = self.index()?.current;
        self.save(id, &doc, now_ms)?;
        self.edit_index(|index| index.current = current)
    }

    /// Moves a draft to the trash (kept [`TRASH_DAYS`] days, restorable).
    pub fn trash(&mut self, id: &str, now_ms: f64) -> Result<(), StoreError> {
        self.edit_index(|index| {
            if let Some(draft) = index.drafts.iter_mut().find(|draft| draft.id == id) {
                draft.deleted_ms = Some(Millis::from_ms(now_ms));
            }
            if index.current.as_deref() == Some(id) {
                index.current = None;
            }
        })
    }

    pub fn restore(&mut self, id: &str) -> Result<(), StoreError> {
        self.edit_index(|index| {
            if let Some(draft) = index.drafts.iter_mut().find(|draft| draft.id == id) {
                draft.deleted_ms = None;
            }
        })
    }

    /// Deletes for good the drafts that have been in the trash longer than [`TRASH_DAYS`].
    /// Returns how many went.
    pub fn purge_trash(&mut self, now_ms: f64) -> Result<usize, StoreError> {
        let mut index = self.index()?;
        let expired: Vec<String> = index
            .drafts
            .iter()
            .filter(|draft| {
                draft
                    .deleted_ms
                    .is_some_and(|deleted| now_ms - deleted.as_ms() > TRASH_DAYS * DAY_MS)
            })
            .map(|draft| draft.id.clone())
            .collect();
        if expired.is_empty() {
            return Ok(0);
        }
        index.drafts.retain(|draft| !expired.contains(&draft.id));
        self.write_index(&index)?;
        for id in &expired {
            self.store.remove(&draft_key(id))?;
        }
        Ok(expired.len())
    }

    /// Ids of the drafts (not in the trash) whose title or text contains the query
    /// (case-insensitive), most recently edited first.
    pub fn search(&mut self, query: &str) -> Result<Vec<String>, StoreError> {
        let query = crate::fold::fold_case(query.trim());
        let mut drafts: Vec<DraftMeta> = self
            .index()?
            .drafts
            .into_iter()
            .filter(|draft| draft.deleted_ms.is_none())
            .collect();
        drafts.sort_by_key(|draft| std::cmp::Reverse(draft.updated_ms));
        let mut found = Vec::new();
        for draft in drafts {
            let matches = query.is_empty()
                || crate::fold::fold_case(&draft.title).contains(&query)
                || self
                    .load(&draft.id)
                    .is_ok_and(|doc| crate::fold::fold_case(&doc.plain_text()).contains(&query));
            if matches {
                found.push(draft.id);
            }
        }
        Ok(found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Block, BlockId, BlockKind, RichText};

    #[test]
    fn drafts_are_listed_duplicated_renamed_searched() {
        let mut drafts = DraftStore::new(MemoryStore::default());
        drafts.save("a", &doc("sourdough starter"), 1.0).unwrap();
        drafts.save("b", &doc("baguette"), 2.0).unwrap();
        drafts.duplicate("a", "c", " (copy)", 3.0).unwrap();
        assert_eq!(drafts.index().unwrap().current.as_deref(), Some("b"));
        assert_eq!(drafts.load("c").unwrap().title, "t (copy)");
        drafts.rename("b", "Bread", 4.0).unwrap();
        assert_eq!(drafts.load("b").unwrap().title, "Bread");
        assert_eq!(drafts.search("SOURDOUGH").unwrap(), vec!["c", "a"]);
        assert_eq!(drafts.search("bread").unwrap(), vec!["b"]);
        assert_eq!(drafts.search("").unwrap().len(), 3);
        // Saving one draft never rewrites another.
        let before = drafts.store.get(&draft_key("a")).unwrap();
        drafts.save("b", &doc("changed"), 5.0).unwrap();
        assert_eq!(drafts.store.get(&draft_key("a")).unwrap(), before);
    }

    #[test]
    fn trash_keeps_drafts_thirty_days() {
        let mut drafts = DraftStore::new(MemoryStore::default());
        drafts.save("a", &doc("x"), 0.0).unwrap();
        drafts.trash("a", 0.0).unwrap();
        assert_eq!(drafts.index().unwrap().current, None);
        assert!(drafts.search("").unwrap().is_empty());
        drafts.restore("a").unwrap();
        assert_eq!(drafts.search("").unwrap(), vec!["a"]);
        drafts.trash("a", 0.0).unwrap();
        assert_eq!(drafts.purge_trash(29.0 * DAY_MS).unwrap(), 0);
        assert_eq!(drafts.purge_trash(31.0 * DAY_MS).unwrap(), 1);
        assert!(drafts.store.get(&draft_key("a")).unwrap().is_none());
        assert!(drafts.index().unwrap().drafts.is_empty());
    }

    #[test]
    fn titles_fall_back_to_the_first_line() {
        let mut untitled = doc("  \n first line\nsecond");
        untitled.title = String::new();
        assert_eq!(display_title(&untitled, "Untitled"), "first line");
        assert_eq!(display_title(&Document::default(), "Untitled"), "Untitled");
    }

    fn doc(text: &str) -> Document {
        Document {
            title: "t".into(),
            blocks: vec![Block::new(
                BlockId("a".into()),
                BlockKind::Paragraph.with_text(RichText::plain(text)),
            )],
            ..Default::default()
        }
    }

    #[test]
    fn save_then_open_restores_the_draft() {
        let mut drafts = DraftStore::new(MemoryStore::default());
        drafts.save("d1", &doc("こんにちは"), 1.0).unwrap();
        let opened = drafts.open_current("new", 2.0);
        assert_eq!(opened.id, "d1");
        assert_eq!(opened.doc, doc("こんにちは"));
        assert!(opened.notices.is_empty());
    }

    #[test]
    fn first_start_opens_an_empty_draft() {
        let mut drafts = DraftStore::new(MemoryStore::default());
        let opened = drafts.open_current("new", 0.0);
        assert_eq!(opened.id, "new");
        assert!(opened.doc.blocks.is_empty());
    }

    #[test]
    fn quota_failure_leaves_stored_draft_intact() {
        let mut drafts = DraftStore::new(MemoryStore::default());
        drafts.save("d1", &doc("kept"), 1.0).unwrap();
        let before = drafts.store.entries.clone();
        drafts.store.quota = Some(10);
        let error = drafts.save("d1", &doc(&"x".repeat(1000)), 2.0).unwrap_err();
        assert_eq!(error, StoreError::QuotaExceeded);
        assert_eq!(drafts.store.entries, before);
        assert!(error.to_string().contains("Not saved: storage is full"));
    }

    /// A store whose draft `d1` was cut off mid-write.
    fn with_corrupt_draft() -> DraftStore<MemoryStore> {
        let mut drafts = DraftStore::new(MemoryStore::default());
        drafts.save("d1", &doc("x"), 1.0).unwrap();
        drafts
            .store
            .set(&draft_key("d1"), "{\"version\":1,\"blocks\":[{")
            .unwrap();
        drafts
    }

    #[test]
    fn corrupt_draft_is_set_aside_with_its_raw_text() {
        let mut drafts = with_corrupt_draft();
        let opened = drafts.open_current("new", 5.0);
        assert_eq!(opened.id, "new");
        let Notice::SetAside { recovery_key, .. } = &opened.notices[0] else {
            panic!("expected a set-aside notice, got {:?}", opened.notices);
        };
        assert_eq!(
            drafts.store.get(recovery_key).unwrap().as_deref(),
            Some("{\"version\":1,\"blocks\":[{")
        );
    }

    #[test]
    fn newer_draft_opens_read_only() {
        let mut drafts = DraftStore::new(MemoryStore::default());
        drafts.save("d1", &doc("x"), 1.0).unwrap();
        let newer =
            r#"{"version":7,"title":"future","blocks":[{"id":"a","type":"hologram","data":{}}]}"#;
        drafts.store.set(&draft_key("d1"), newer).unwrap();
        let opened = drafts.open_current("new", 2.0);
        assert!(opened.read_only);
        assert_eq!(opened.doc.title, "future");
        assert_eq!(
            drafts.store.get(&draft_key("d1")).unwrap().as_deref(),
            Some(newer)
        );
    }

    #[test]
    fn unreadable_index_is_rebuilt_from_the_stored_drafts() {
        let mut drafts = DraftStore::new(MemoryStore::default());
        drafts.save("d1", &doc("一つ目"), 1.0).unwrap();
        drafts
            .save(
                "d2",
                &Document {
                    title: "二つ目".into(),
                    ..doc("x")
                },
                2.0,
            )
            .unwrap();
        drafts
            .store
            .set(INDEX_KEY, "{\"version\":1,\"drafts\":[{")
            .unwrap();
        let opened = drafts.open_current("new", 3.0);
        assert!(["d1", "d2"].contains(&opened.id.as_str()), "{}", opened.id);
        let Some(Notice::IndexRebuilt { recovery_key }) = opened.notices.last() else {
            panic!("expected an index notice, got {:?}", opened.notices);
        };
        assert_eq!(
            drafts.store.get(recovery_key).unwrap().as_deref(),
            Some("{\"version\":1,\"drafts\":[{")
        );
        let index = drafts.index().unwrap();
        let mut listed: Vec<_> = index
            .drafts
            .iter()
            .map(|d| (d.id.as_str(), d.title.as_str()))
            .collect();
        listed.sort();
        assert_eq!(listed, vec![("d1", "t"), ("d2", "二つ目")]);
        // Rebuilt once: opening again finds a readable index and says nothing.
        assert!(drafts.open_current("new", 4.0).notices.is_empty());
    }

    #[test]
    fn recovery_copies_are_found_again() {
        let mut drafts = with_corrupt_draft();
        let opened = drafts.open_current("new", 5.0);
        let Notice::SetAside { recovery_key, .. } = &opened.notices[0] else {
            panic!("expected a set-aside notice");
        };
        assert_eq!(recovery_keys(&drafts.store), vec![recovery_key.clone()]);
    }

    #[test]
    fn a_stored_draft_missing_from_the_index_is_listed_again() {
        let mut drafts = DraftStore::new(MemoryStore::default());
        drafts.save("d1", &doc("listed"), 1.0).unwrap();
        // A save whose index write failed: the draft is stored, the index does not know it.
        let text = json::document_to_json(&Document {
            title: "迷子".into(),
            ..doc("x")
        });
        drafts.store.set(&draft_key("d2"), &text).unwrap();
        let opened = drafts.open_current("new", 2.0);
        assert_eq!(opened.id, "d1");
        let index = drafts.index().unwrap();
        let titles: Vec<_> = index
            .drafts
            .iter()
            .map(|d| (d.id.as_str(), d.title.as_str()))
            .collect();
        assert_eq!(titles, vec![("d1", "t"), ("d2", "迷子")]);
    }

    #[test]
    fn unreadable_index_with_a_full_store_is_not_replaced() {
        let mut drafts = DraftStore::new(MemoryStore::default());
        drafts.save("d1", &doc("x"), 1.0).unwrap();
        drafts.store.set(INDEX_KEY, "not json").unwrap();
        drafts.store.quota = Some(0);
        let index = drafts.index().unwrap();
        assert_eq!(index.drafts.len(), 1);
        assert_eq!(
            drafts.store.get(INDEX_KEY).unwrap().as_deref(),
            Some("not json")
        );
        // Nor by what writes the index back, while no copy of it can be made.
        assert_eq!(drafts.set_current("d1"), Err(StoreError::QuotaExceeded));
        assert_eq!(
            drafts.store.get(INDEX_KEY).unwrap().as_deref(),
            Some("not json")
        );
    }

    #[test]
    fn newer_draft_this_version_cannot_read_is_kept_and_opened_read_only() {
        let mut drafts = DraftStore::new(MemoryStore::default());
        drafts.save("d1", &doc("x"), 1.0).unwrap();
        let newer = r#"{"version":2,"title":{"runs":[{"text":"future"}]},"blocks":[]}"#;
        drafts.store.set(&draft_key("d1"), newer).unwrap();
        let opened = drafts.open_current("new", 2.0);
        assert_eq!(opened.id, "d1");
        assert!(opened.read_only);
        assert!(matches!(opened.notices[..], [Notice::ReadOnly { .. }]));
        assert_eq!(
            drafts.store.get(&draft_key("d1")).unwrap().as_deref(),
            Some(newer)
        );
        assert_eq!(drafts.index().unwrap().drafts.len(), 1);
    }

    #[test]
    fn corrupt_draft_without_room_to_set_it_aside_is_left_in_place() {
        let mut drafts = with_corrupt_draft();
        drafts.store.quota = Some(0);
        let opened = drafts.open_current("new", 5.0);
        assert_eq!(opened.id, "new");
        assert!(matches!(opened.notices[..], [Notice::LeftInPlace { .. }]));
        assert_eq!(
            drafts.store.get(&draft_key("d1")).unwrap().as_deref(),
            Some("{\"version\":1,\"blocks\":[{")
        );
    }

    #[test]
    fn unavailable_store_opens_in_memory() {
        let mut drafts = DraftStore::new(MemoryStore {
            unavailable: true,
            ..Default::default()
        });
        let opened = drafts.open_current("new", 0.0);
        assert_eq!(opened.notices, vec![Notice::NotKept]);
        assert_eq!(
            drafts.save("new", &doc("x"), 1.0),
            Err(StoreError::Unavailable)
        );
    }

    #[test]
    fn times_are_stored_as_whole_milliseconds_and_older_float_times_still_read() {
        let stored = r#"{"id":"a","updated_ms":1764500000000.0,"deleted_ms":1764500000123.6}"#;
        let meta: DraftMeta = json_text::from_text(stored).unwrap();
        assert_eq!(meta.updated_ms, Millis(1_764_500_000_000));
        assert_eq!(meta.deleted_ms, Some(Millis(1_764_500_000_124)));
        let written = meta.to_json_text();
        assert!(
            written.contains(r#""updated_ms":1764500000000,"#),
            "{written}"
        );
        assert!(
            written.contains(r#""deleted_ms":1764500000124"#),
            "{written}"
        );
        assert_eq!(Millis::from_ms(-5.0), Millis(0));
        assert_eq!(Millis::from_ms(f64::NAN), Millis(0));
        assert_eq!(Millis::from_ms(2.4).as_ms(), 2.0);
    }
}
