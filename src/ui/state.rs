//! The editor's reactive shell: the pure [`Editor`] plus the few signals views listen to, and
//! debounced autosave (browser-only).
//!
//! A keystroke changes the editor and nothing reactive but the save status: the edited element
//! already shows the text. Changes that come from elsewhere (undo, split, formatting) bump the
//! revision of just the blocks they touched, and those re-render.

use crate::browser::dom;
use crate::browser::local_store::LocalStore;
use crate::edit::{Applied, Caret, Editor, Op, OpError};
use crate::i18n::{self, Key, Lang};
use crate::model::speakers::refresh_bubbles;
use crate::model::{BlockContent, BlockId, BlockKind, Document, SpeakerRegistry};
use crate::settings::Settings;
use crate::storage::{self, DraftStore, KeyValueStore, Notice, StoreError};
use leptos::prelude::*;
use std::collections::HashMap;
use std::time::Duration;
use wasm_bindgen::JsCast;

/// How long typing must pause before the draft is written.
pub const AUTOSAVE_DELAY: Duration = Duration::from_millis(400);

/// What the save indicator shows.
#[derive(Clone, Debug, PartialEq)]
pub enum SaveStatus {
    Saved,
    Pending,
    Failed(String),
    /// Storage is unavailable: the draft lives in this tab only.
    NotKept,
    /// Opened read-only (written by a newer version): never saved over.
    ReadOnly,
}

/// The insert menu: where it is open, how it was opened, what is typed to filter it.
#[derive(Clone, Debug, PartialEq)]
pub struct MenuState {
    pub block: BlockId,
    /// Opened by typing `/` in an empty block (the choice replaces it) rather than by `+`.
    pub slash: bool,
    pub filter: String,
    pub active: usize,
}

impl MenuState {
    /// The kinds that match the filter, in menu order.
    pub fn options(&self) -> Vec<BlockKind> {
        BlockKind::ALL
            .into_iter()
            .filter(|kind| i18n::kind_matches(*kind, &self.filter))
            .collect()
    }
}

#[derive(Clone, Copy)]
pub struct EditorState {
    editor: StoredValue<Editor>,
    /// Block ids in document order; the block list is keyed on these.
    pub order: RwSignal<Vec<BlockId>>,
    revisions: StoredValue<HashMap<BlockId, RwSignal<u64>>>,
    owner: StoredValue<Owner>,
    pub title: RwSignal<String>,
    pub can_undo: RwSignal<bool>,
    pub can_redo: RwSignal<bool>,
    pub save_status: RwSignal<SaveStatus>,
    /// A message for the author (a refused URL, a draft set aside, …).
    pub message: RwSignal<Option<String>>,
    draft_id: StoredValue<String>,
    /// Another try after a failed save.
    save_retry: StoredValue<Option<TimeoutHandle>>,
    pub lang: RwSignal<Lang>,
    pub settings: RwSignal<Settings>,
    pub speakers: RwSignal<SpeakerRegistry>,
    pub menu: RwSignal<Option<MenuState>>,
    /// Bumped when another draft is opened: the block list is rebuilt, not diffed.
    pub generation: RwSignal<u64>,
    /// Bumped when the stored drafts change (here or in another tab).
    pub drafts_changed: RwSignal<u64>,
    /// Set when another tab saved the draft open here.
    pub conflict: RwSignal<bool>,
    /// Recovery keys of drafts set aside this session, offered for download.
    pub recovered: RwSignal<Vec<String>>,
    /// The block that last had focus, and the one under the pointer: they show their controls.
    pub focused_block: RwSignal<Option<BlockId>>,
    pub hovered_block: RwSignal<Option<BlockId>>,
    /// Characters, words and reading time, recounted after typing pauses.
    pub counts: RwSignal<crate::counts::Counts>,
    /// Autosave and the counts wait for a pause in the author's changes (see `after_pause`).
    pause: StoredValue<Pause>,
    /// How many blocks, from the top, have their views built. A long post is built a slice at
    /// a time after its first screen, so it can be edited at once; `usize::MAX` once all are.
    pub built: RwSignal<usize>,
    /// Each block's share of the counts, dropped when the block changes.
    tallies: StoredValue<HashMap<BlockId, crate::counts::Tally>>,
    /// Which opening the slices belong to (another draft opening stops the old one's).
    build_run: StoredValue<u64>,
}

/// The pending wait for a pause in the author's changes.
#[derive(Default)]
struct Pause {
    timer: Option<TimeoutHandle>,
    last_change: f64,
}

fn random_seed() -> u64 {
    (js_sys::Math::random() * 9.0e15) as u64 ^ (dom::now_ms() as u64)
}

/// Bounds of a building slice's size (see `EditorState::build_next_slice`).
const MIN_SLICE: usize = 10;
const MAX_SLICE: usize = 400;

fn new_draft_id() -> String {
    format!("d{:x}", random_seed())
}

/// The current draft (or a new one) as read from localStorage, before any view exists.
pub struct StoredDraft {
    drafts: DraftStore<LocalStore>,
    available: bool,
    opened: storage::Opened,
}

impl StoredDraft {
    pub fn read() -> StoredDraft {
        let mut drafts = DraftStore::new(LocalStore::open());
        let available = drafts.store.is_available();
        let opened = drafts.open_current(&new_draft_id(), dom::now_ms());
        StoredDraft {
            drafts,
            available,
            opened,
        }
    }
}

impl EditorState {
    /// Opens a draft read from localStorage and sets up autosave.
    pub fn open(stored: StoredDraft) -> EditorState {
        let StoredDraft {
            mut drafts,
            available,
            opened,
        } = stored;
        let status = if !available {
            SaveStatus::NotKept
        } else if opened.read_only {
            SaveStatus::ReadOnly
        } else {
            SaveStatus::Saved
        };
        let state = EditorState::with_document(opened.doc, opened.id);
        let mut local = LocalStore::open();
        let (settings, settings_problem) =
            storage::load_record::<Settings>(&mut local, storage::SETTINGS_KEY);
        let (speakers, speakers_problem) =
            storage::load_record::<SpeakerRegistry>(&mut local, storage::SPEAKERS_KEY);
        let browser_language = web_sys::window()
            .and_then(|window| window.navigator().language())
            .unwrap_or_default();
        state.lang.set(settings.lang(&browser_language));
        state.settings.set(settings);
        state.speakers.set(speakers);
        state.save_status.set(status);
        state.report_notices(&opened.notices);
        // Copies kept in earlier sessions are offered again until the author deletes them.
        for key in storage::recovery_keys(&local) {
            state.offer_recovered(key);
        }
        if let Some(kept_under) = settings_problem.or(speakers_problem) {
            state.message.set(Some(i18n::messages::problem(
                state.lang.get_untracked(),
                &i18n::messages::Problem::RecordUnreadable(kept_under),
            )));
        }
        let _ = drafts.purge_trash(dom::now_ms());
        state.recount_after_paint();
        state.build_progressively();
        state.install_flush_on_hide();
        state.install_storage_listener();
        state
    }

    /// Other tabs: the drafts list follows their changes; a change to the draft open here is
    /// never overwritten silently — the author is asked.
    fn install_storage_listener(&self) {
        let state = *self;
        let listener = window_event_listener(leptos::ev::storage, move |ev| {
            let key = ev.key().unwrap_or_default();
            // Another tab's probe changes nothing; taking it for a change made two tabs with
            // their drafts lists open re-read (and so probe) back and forth without end.
            if !key.starts_with(storage::PREFIX) || key == storage::PROBE_KEY {
                return;
            }
            state.drafts_changed.update(|n| *n += 1);
            if key == storage::draft_key(&state.draft_id()) && ev.new_value().is_some() {
                state.conflict.set(true);
            }
            if key == storage::SPEAKERS_KEY {
                let (speakers, _) = storage::load_record::<SpeakerRegistry>(
                    &mut LocalStore::open(),
                    storage::SPEAKERS_KEY,
                );
                state.speakers.set(speakers);
            }
        });
        std::mem::forget(listener);
    }

    /// A state over a given document (also used by component tests).
    pub fn with_document(doc: Document, draft_id: String) -> EditorState {
        let order = doc.blocks.iter().map(|block| block.id.clone()).collect();
        let title = doc.title.clone();
        EditorState {
            editor: StoredValue::new(Editor::new(doc, random_seed())),
            order: RwSignal::new(order),
            revisions: StoredValue::new(HashMap::new()),
            owner: StoredValue::new(Owner::current().unwrap_or_default()),
            title: RwSignal::new(title),
            can_undo: RwSignal::new(false),
            can_redo: RwSignal::new(false),
            save_status: RwSignal::new(SaveStatus::Saved),
            message: RwSignal::new(None),
            draft_id: StoredValue::new(draft_id),
            save_retry: StoredValue::new(None),
            lang: RwSignal::new(Lang::En),
            settings: RwSignal::new(Settings::default()),
            speakers: RwSignal::new(SpeakerRegistry::default()),
            menu: RwSignal::new(None),
            generation: RwSignal::new(0),
            drafts_changed: RwSignal::new(0),
            conflict: RwSignal::new(false),
            recovered: RwSignal::new(Vec::new()),
            focused_block: RwSignal::new(None),
            hovered_block: RwSignal::new(None),
            counts: RwSignal::new(crate::counts::Counts::default()),
            pause: StoredValue::new(Pause::default()),
            built: RwSignal::new(usize::MAX),
            tallies: StoredValue::new(HashMap::new()),
            build_run: StoredValue::new(0),
        }
    }

    /// Recounts the post now.
    pub fn recount(&self) {
        use crate::browser::graphemes::count_graphemes;
        use crate::counts::Tally;
        // Only blocks changed since the last count are counted again (see `reflect`).
        let counts = self.with_editor(|editor| {
            let doc = editor.doc();
            let mut total = Tally::of(&doc.title, count_graphemes);
            self.tallies.update_value(|tallies| {
                for block in &doc.blocks {
                    let tally = match tallies.get(&block.id) {
                        Some(tally) => *tally,
                        None => {
                            let tally = Tally::of(&block.content.plain_text(), count_graphemes);
                            tallies.insert(block.id.clone(), tally);
                            tally
                        }
                    };
                    total = total + tally;
                }
            });
            total.counts()
        });
        if counts != self.counts.get_untracked() {
            self.counts.set(counts);
        }
    }

    /// Builds the first screen of blocks now and the rest in slices, each its own short task,
    /// so input is handled between them.
    fn build_progressively(&self) {
        const FIRST_SLICE: usize = 20;
        // The first screen: as many blocks as the window is high, at about 56 px a block (a line
        // of text with its margins is 40, cards, bubbles and longer paragraphs are taller).
        let first = web_sys::window()
            .and_then(|window| window.inner_height().ok())
            .and_then(|height| height.as_f64())
            .map_or(30, |height| (height / 56.0) as usize)
            .clamp(10, 40);
        let run = self.build_run.get_value() + 1;
        self.build_run.set_value(run);
        if self.order.with_untracked(Vec::len) <= first {
            self.built.set(usize::MAX);
            return;
        }
        self.built.set(first);
        self.build_next_slice(run, FIRST_SLICE, None);
    }

    /// Builds the next `slice` blocks in a task of its own. The size follows how long the last
    /// slice kept the page busy (from its start to this one's, which takes in the browser's own
    /// work on it), so each stays well under the 50 ms that would hold up input.
    fn build_next_slice(&self, run: u64, slice: usize, last_started: Option<f64>) {
        // Milliseconds a slice aims to keep the page busy: well under 50, because a garbage
        // collection (up to about 30 ms) or a busier machine may fall inside a slice (at 22 ms
        // one opening in ten still had a slice over 50 ms; at 16, none of twenty).
        const AIM_MS: f64 = 16.0;
        let state = *self;
        set_timeout(
            move || {
                if state.build_run.get_value() != run {
                    return;
                }
                let started = dom::performance_now();
                let slice = match last_started {
                    Some(last) if started > last => {
                        // Grows at most twofold a step: early slices run while the app's
                        // code is still being optimised, and times vary.
                        let scaled = slice as f64 * AIM_MS / (started - last);
                        (scaled as usize).clamp(MIN_SLICE, (slice * 2).min(MAX_SLICE))
                    }
                    _ => slice,
                };
                let built = state.built.get_untracked();
                let total = state.order.with_untracked(Vec::len);
                if built.saturating_add(slice) >= total {
                    state.built.set(usize::MAX);
                } else {
                    state.built.set(built + slice);
                    state.build_next_slice(run, slice, Some(started));
                }
            },
            std::time::Duration::ZERO,
        );
    }

    /// Builds blocks down to this one now (the caret is about to go there).
    pub fn reveal(&self, id: &BlockId) {
        let built = self.built.get_untracked();
        if built == usize::MAX {
            return;
        }
        if let Some(index) = self
            .order
            .with_untracked(|order| order.iter().position(|other| other == id))
        {
            if index >= built {
                self.built.set(index + 1);
            }
        }
    }

    /// Counting walks the whole post: on opening it follows the first paint instead of
    /// delaying it.
    fn recount_after_paint(&self) {
        let state = *self;
        request_animation_frame(move || {
            set_timeout(move || state.recount(), std::time::Duration::ZERO);
        });
    }

    /// Notes a change; once the changes pause for [`AUTOSAVE_DELAY`], the draft is saved and
    /// recounted. One timer serves a run of changes: a keystroke only notes the time, and a
    /// timer that fires early waits out the rest (a timer per key cost a new closure and two
    /// calls into the browser on every keystroke).
    fn after_pause(&self) {
        // A monotonic clock: a wall clock set back would hold autosave off until it caught up.
        let now = dom::performance_now();
        let armed = self
            .pause
            .try_update_value(|pause| {
                pause.last_change = now;
                pause.timer.is_some()
            })
            .unwrap_or(true);
        if !armed {
            self.wait_for_pause(AUTOSAVE_DELAY);
        }
    }

    fn wait_for_pause(&self, delay: Duration) {
        let state = *self;
        let timer = set_timeout_with_handle(move || state.pause_timer_fired(), delay).ok();
        self.pause.update_value(|pause| pause.timer = timer);
    }

    fn pause_timer_fired(&self) {
        let Some(last_change) = self.pause.try_update_value(|pause| {
            pause.timer = None;
            pause.last_change
        }) else {
            return;
        };
        let quiet_ms = dom::performance_now() - last_change;
        let delay_ms = AUTOSAVE_DELAY.as_secs_f64() * 1000.0;
        if quiet_ms < delay_ms {
            let rest_ms = (delay_ms - quiet_ms).min(delay_ms);
            self.wait_for_pause(Duration::from_secs_f64(rest_ms / 1000.0));
            return;
        }
        self.save_now();
        self.recount();
    }

    pub fn draft_id(&self) -> String {
        self.draft_id.get_value()
    }

    /// Shows another document in the editor (a different draft, or the same one re-read).
    fn show(&self, id: String, doc: Document, read_only: bool) {
        let order: Vec<BlockId> = doc.blocks.iter().map(|block| block.id.clone()).collect();
        let title = doc.title.clone();
        self.editor.update_value(|editor| editor.reset(doc));
        self.tallies.update_value(HashMap::clear);
        self.draft_id.set_value(id);
        self.menu.set(None);
        self.conflict.set(false);
        self.generation.update(|generation| *generation += 1);
        self.order.set(order);
        self.title.set(title);
        self.can_undo.set(false);
        self.can_redo.set(false);
        self.recount_after_paint();
        self.build_progressively();
        self.save_status.set(if read_only {
            SaveStatus::ReadOnly
        } else if LocalStore::open().is_available() {
            SaveStatus::Saved
        } else {
            SaveStatus::NotKept
        });
    }

    /// Saves what is unsaved and says whether the open draft may be left. It may not while its
    /// save fails (a full store) or another tab's change waits for the author's choice: its
    /// changes live only here, so the author is told and it stays open.
    pub fn flush(&self) -> bool {
        self.save_now();
        // An empty draft has nothing to lose (a new draft whose first save failed): no title,
        // and no block but empty text blocks.
        let empty = self.with_editor(|editor| {
            let doc = editor.doc();
            doc.title.trim().is_empty()
                && doc.blocks.iter().all(|block| {
                    block
                        .content
                        .rich_text()
                        .is_some_and(|text| text.to_plain().trim().is_empty())
                })
        });
        let problem = match self.save_status.get_untracked() {
            _ if empty => None,
            SaveStatus::Pending | SaveStatus::Failed(_) => {
                Some(i18n::messages::Problem::NotSavedYet)
            }
            // Nothing is stored in this browser: leaving would lose the only copy.
            SaveStatus::NotKept => Some(i18n::messages::Problem::NotKeptStays),
            SaveStatus::Saved | SaveStatus::ReadOnly => None,
        };
        if let Some(problem) = &problem {
            self.message.set(Some(i18n::messages::problem(
                self.lang.get_untracked(),
                problem,
            )));
        }
        problem.is_none()
    }

    /// Saves the open draft, then opens another from storage. Returns false, changing nothing,
    /// when the open draft may not be left (see [`EditorState::flush`]).
    pub fn open_draft(&self, id: &str) -> bool {
        if !self.flush() {
            return false;
        }
        let mut drafts = DraftStore::new(LocalStore::open());
        let opened = drafts.open(id, &new_draft_id(), dom::now_ms());
        self.report_notices(&opened.notices);
        let _ = drafts.set_current(&opened.id);
        self.show(opened.id, opened.doc, opened.read_only);
        self.drafts_changed.update(|n| *n += 1);
        true
    }

    /// Saves the open draft and starts a new, empty one; false as for [`EditorState::open_draft`].
    pub fn new_draft(&self) -> bool {
        if !self.flush() {
            return false;
        }
        self.show(new_draft_id(), Document::default(), false);
        self.store_shown_draft();
        true
    }

    /// Stores a draft just shown, so it is listed and opens next time; a failure shows in the
    /// save status and is retried like any save.
    fn store_shown_draft(&self) {
        if self.save_status.get_untracked() == SaveStatus::Saved {
            self.save_status.set(SaveStatus::Pending);
            self.save_now();
        }
        self.drafts_changed.update(|n| *n += 1);
    }

    /// Saves the open draft and opens imported blocks as a new draft (fresh block ids). Returns
    /// false, changing nothing, when the open draft may not be left (see [`EditorState::flush`]).
    pub fn import_as_new_draft(&self, title: String, blocks: Vec<BlockContent>) -> bool {
        if !self.flush() {
            return false;
        }
        let id = new_draft_id();
        let mut editor = Editor::new(Document::default(), random_seed());
        let blocks = editor.with_fresh_ids(blocks);
        let doc = Document {
            title,
            blocks,
            ..Document::default()
        };
        self.show(id, doc, false);
        self.store_shown_draft();
        true
    }

    /// Re-reads the open draft from storage (another tab's version wins).
    pub fn reload_draft(&self) {
        let id = self.draft_id();
        let mut drafts = DraftStore::new(LocalStore::open());
        let opened = drafts.open(&id, &new_draft_id(), dom::now_ms());
        self.report_notices(&opened.notices);
        self.show(opened.id, opened.doc, opened.read_only);
    }

    /// Keeps this tab's version: written over the other tab's.
    pub fn keep_this_version(&self) {
        self.conflict.set(false);
        if !self.is_read_only() {
            self.save_status.set(SaveStatus::Pending);
            self.save_now();
        }
    }

    /// Offers a kept copy for download (once).
    fn offer_recovered(&self, key: String) {
        if !self.recovered.with_untracked(|keys| keys.contains(&key)) {
            self.recovered.update(|keys| keys.push(key));
        }
    }

    /// Deletes a kept copy the author no longer needs.
    pub fn discard_recovered(&self, key: &str) {
        match LocalStore::open().remove(key) {
            Ok(()) => self
                .recovered
                .update(|keys| keys.retain(|kept| kept != key)),
            Err(error) => self.message.set(Some(i18n::messages::store(
                self.lang.get_untracked(),
                &error,
            ))),
        }
    }

    fn report_notices(&self, notices: &[Notice]) {
        for notice in notices {
            match notice {
                Notice::NotKept => self.save_status.set(SaveStatus::NotKept),
                Notice::ReadOnly { reason } => self.message.set(Some(i18n::messages::read_only(
                    self.lang.get_untracked(),
                    reason,
                ))),
                Notice::LeftInPlace { reason, .. } => self.message.set(Some(
                    i18n::messages::left_in_place(self.lang.get_untracked(), reason),
                )),
                Notice::IndexRebuilt { recovery_key } => {
                    self.offer_recovered(recovery_key.clone());
                    self.message.set(Some(i18n::messages::index_rebuilt(
                        self.lang.get_untracked(),
                        recovery_key,
                    )))
                }
                Notice::SetAside {
                    recovery_key,
                    reason,
                    ..
                } => {
                    self.offer_recovered(recovery_key.clone());
                    self.message.set(Some(i18n::messages::set_aside(
                        self.lang.get_untracked(),
                        reason,
                        recovery_key,
                    )))
                }
            }
        }
    }

    /// A UI string in the current language (reactive).
    pub fn t(&self, key: Key) -> &'static str {
        i18n::text(self.lang.get(), key)
    }

    /// A UI string as a signal, for views: every label shares one signal type, so the view code
    /// for a label is generated once rather than once per label.
    pub fn tr(&self, key: Key) -> Signal<&'static str> {
        let lang = self.lang;
        Signal::derive(move || i18n::text(lang.get(), key))
    }

    /// Changes the settings and stores them.
    pub fn update_settings(&self, change: impl FnOnce(&mut Settings)) {
        self.settings.update(change);
        self.settings_changed();
    }

    fn settings_changed(&self) {
        let settings = self.settings.get_untracked();
        let browser_language = web_sys::window()
            .and_then(|window| window.navigator().language())
            .unwrap_or_default();
        let lang = settings.lang(&browser_language);
        if self.lang.get_untracked() != lang {
            self.lang.set(lang);
        }
        if let Err(error) =
            storage::save_record(&mut LocalStore::open(), storage::SETTINGS_KEY, &settings)
        {
            self.message.set(Some(i18n::messages::store(
                self.lang.get_untracked(),
                &error,
            )));
        }
    }

    /// Changes the speaker registry, stores it, and brings every bubble's copy up to date
    /// (one undo step for the bubbles).
    pub fn update_speakers(
        &self,
        change: impl FnOnce(&mut SpeakerRegistry) -> Result<(), crate::model::speakers::RegistryError>,
    ) -> bool {
        let mut registry = self.speakers.get_untracked();
        let changed = change(&mut registry);
        self.speakers_changed(registry, changed)
    }

    fn speakers_changed(
        &self,
        registry: SpeakerRegistry,
        changed: Result<(), crate::model::speakers::RegistryError>,
    ) -> bool {
        if let Err(error) = changed {
            self.message.set(Some(i18n::messages::registry(
                self.lang.get_untracked(),
                &error,
            )));
            return false;
        }
        self.speakers.set(registry.clone());
        if let Err(error) =
            storage::save_record(&mut LocalStore::open(), storage::SPEAKERS_KEY, &registry)
        {
            self.message.set(Some(i18n::messages::store(
                self.lang.get_untracked(),
                &error,
            )));
        }
        let changes = self.with_editor(|editor| refresh_bubbles(editor.doc(), &registry));
        if !changes.is_empty() && !self.is_read_only() {
            let ops = changes
                .into_iter()
                .map(|(id, content)| Op::Replace { id, content })
                .collect();
            self.run(None, |editor, now| {
                editor.dispatch(ops, None, None, None, now)
            });
        }
        true
    }

    pub fn is_read_only(&self) -> bool {
        self.save_status.get_untracked() == SaveStatus::ReadOnly
    }

    /// Reads the editor without tracking.
    pub fn with_editor<R>(&self, read: impl FnOnce(&Editor) -> R) -> R {
        self.editor.with_value(read)
    }

    pub fn content(&self, id: &BlockId) -> Option<BlockContent> {
        self.with_content(id, BlockContent::clone)
    }

    /// Reads a block's content without copying it (a large post runs many of these on open).
    pub fn with_content<R>(
        &self,
        id: &BlockId,
        read: impl FnOnce(&BlockContent) -> R,
    ) -> Option<R> {
        self.with_editor(|editor| editor.block(id).map(|block| read(&block.content)))
    }

    /// The signal a block's view re-renders on; bumped only for changes made outside its DOM.
    pub fn revision(&self, id: &BlockId) -> RwSignal<u64> {
        if let Some(signal) = self.revisions.with_value(|map| map.get(id).copied()) {
            return signal;
        }
        let signal = self
            .owner
            .with_value(|owner| owner.with(|| RwSignal::new(0)));
        self.revisions.update_value(|map| {
            map.insert(id.clone(), signal);
        });
        signal
    }

    /// Runs a command through the editor and updates what it changed. `typed_in` names the block
    /// whose element already shows the change (typing), so it is not re-rendered.
    pub fn run(
        &self,
        typed_in: Option<&BlockId>,
        command: impl FnOnce(&mut Editor, f64) -> Result<Applied, OpError>,
    ) -> Option<Applied> {
        // Dozens of commands call this: the work lives in one copy, not one per command.
        let mut command = Some(command);
        self.run_command(typed_in, &mut |editor, now| match command.take() {
            Some(command) => command(editor, now),
            None => Ok(Applied::default()),
        })
    }

    fn run_command(
        &self,
        typed_in: Option<&BlockId>,
        command: &mut dyn FnMut(&mut Editor, f64) -> Result<Applied, OpError>,
    ) -> Option<Applied> {
        if self.is_read_only() {
            self.message.set(Some(
                i18n::messages::edit_refused(self.lang.get_untracked()).into(),
            ));
            return None;
        }
        let now = dom::now_ms();
        // Typing records its own carets; any other command is told where the author is, so
        // undoing it puts the caret back there.
        let hint = if typed_in.is_none() {
            self.author_caret()
        } else {
            None
        };
        let result = self.editor.try_update_value(|editor| {
            editor.with_caret_hint(hint, |editor| command(editor, now))
        })?;
        match result {
            Ok(applied) => {
                self.reflect(&applied, typed_in);
                Some(applied)
            }
            Err(_) => {
                self.message.set(Some(i18n::messages::problem(
                    self.lang.get_untracked(),
                    &i18n::messages::Problem::ChangeFailed,
                )));
                None
            }
        }
    }

    /// The author's caret, if it is in a block's text.
    fn author_caret(&self) -> Option<Caret> {
        let (block, element) = focused_text()?;
        let (start, _) = selection_in_text(*self, &block, &element)?;
        Some(Caret {
            block,
            offset: start,
        })
    }

    /// Like [`EditorState::run`] for commands that may decline (`Ok(None)`).
    pub fn run_optional(
        &self,
        command: impl FnOnce(&mut Editor, f64) -> Result<Option<Applied>, OpError>,
    ) -> Option<Applied> {
        let mut declined = false;
        let applied = self.run(None, |editor, now| match command(editor, now)? {
            Some(applied) => Ok(applied),
            None => {
                declined = true;
                Ok(Applied::default())
            }
        });
        if declined {
            None
        } else {
            applied
        }
    }

    pub fn undo(&self) {
        let applied = self
            .editor
            .try_update_value(|editor| editor.undo())
            .flatten();
        if let Some(applied) = applied {
            self.reflect(&applied, None);
        }
    }

    pub fn redo(&self) {
        let applied = self
            .editor
            .try_update_value(|editor| editor.redo())
            .flatten();
        if let Some(applied) = applied {
            self.reflect(&applied, None);
        }
    }

    fn reflect(&self, applied: &Applied, typed_in: Option<&BlockId>) {
        if applied == &Applied::default() {
            return;
        }
        self.tallies.update_value(|tallies| {
            for id in &applied.changed {
                tallies.remove(id);
            }
        });
        for id in &applied.changed {
            if Some(id) != typed_in {
                self.rewrite_text_element(id);
                self.revision(id).update(|revision| *revision += 1);
            }
        }
        if applied.order_changed {
            let order: Vec<BlockId> = self.with_editor(|editor| {
                editor
                    .doc()
                    .blocks
                    .iter()
                    .map(|block| block.id.clone())
                    .collect()
            });
            // While a long post is still being built, blocks added above its built part would
            // push the last built one (perhaps the one being edited) out; the part grows instead.
            let added = order
                .len()
                .saturating_sub(self.order.with_untracked(Vec::len));
            if added > 0 && self.built.get_untracked() != usize::MAX {
                self.built.update(|built| *built += added);
            }
            self.order.set(order);
        }
        if applied.title_changed {
            let title = self.with_editor(|editor| editor.doc().title.clone());
            if title != self.title.get_untracked() {
                self.title.set(title);
            }
        }
        let (can_undo, can_redo) =
            self.with_editor(|editor| (editor.can_undo(), editor.can_redo()));
        if self.can_undo.get_untracked() != can_undo {
            self.can_undo.set(can_undo);
        }
        if self.can_redo.get_untracked() != can_redo {
            self.can_redo.set(can_redo);
        }
        if let Some(caret) = &applied.caret {
            if typed_in.is_none() {
                focus_later(*self, caret.clone());
            }
        }
        self.mark_unsaved();
        self.after_pause();
    }

    /// Writes a block's text into its editable element, now (see `TextBlock`).
    fn rewrite_text_element(&self, id: &BlockId) {
        let Some(element) = dom::element_by_id(&text_element_id(id)) else {
            return;
        };
        let html = self
            .content(id)
            .and_then(|content| content.rich_text())
            .map(|text| crate::codec::inline_html::to_editable_html(&text))
            .unwrap_or_default();
        if element.inner_html() != html {
            // Rewriting a focused element would drop its caret; keep it where it was.
            let focused = dom::document()
                .and_then(|document| document.active_element())
                .is_some_and(|active| active == *element.unchecked_ref::<web_sys::Element>());
            let caret = focused.then(|| dom::selection_offsets(&element)).flatten();
            element.set_inner_html(&html);
            if let Some((start, _)) = caret {
                dom::place_caret(&element, start);
            }
        }
    }

    fn mark_unsaved(&self) {
        if matches!(
            self.save_status.get_untracked(),
            SaveStatus::NotKept | SaveStatus::ReadOnly | SaveStatus::Pending
        ) {
            return;
        }
        // After a failed save, the save at the end of this pause is the next try.
        if let Some(retry) = self.save_retry.get_value() {
            retry.clear();
            self.save_retry.set_value(None);
        }
        self.save_status.set(SaveStatus::Pending);
    }

    /// Writes the draft now if anything is pending (debounce end, page hide).
    pub fn save_now(&self) {
        if let Some(handle) = self.save_retry.get_value() {
            handle.clear();
            self.save_retry.set_value(None);
        }
        if !matches!(
            self.save_status.get_untracked(),
            SaveStatus::Pending | SaveStatus::Failed(_)
        ) {
            return;
        }
        if self.conflict.get_untracked() {
            // Another tab changed this draft: wait for the author's choice.
            return;
        }
        let id = self.draft_id.get_value();
        // Marked for the benchmark suite (and DevTools): how long an autosave takes.
        let performance = web_sys::window().and_then(|window| window.performance());
        if let Some(performance) = &performance {
            let _ = performance.mark("tsuzuri:save:start");
        }
        let result = self.with_editor(|editor| {
            DraftStore::new(LocalStore::open()).save(&id, editor.doc(), dom::now_ms())
        });
        if let Some(performance) = &performance {
            let _ = performance.mark("tsuzuri:save:end");
            let _ = performance.measure_with_start_mark_and_end_mark(
                "tsuzuri:save",
                "tsuzuri:save:start",
                "tsuzuri:save:end",
            );
        }
        match result {
            Ok(()) => {
                self.save_status.set(SaveStatus::Saved);
                self.drafts_changed.update(|n| *n += 1);
            }
            Err(StoreError::Unavailable) => self.save_status.set(SaveStatus::NotKept),
            Err(error) => {
                self.save_status
                    .set(SaveStatus::Failed(i18n::messages::store(
                        self.lang.get_untracked(),
                        &error,
                    )));
                // Keep the text in memory and try again later.
                let state = *self;
                let handle =
                    set_timeout_with_handle(move || state.save_now(), Duration::from_secs(5)).ok();
                self.save_retry.set_value(handle);
            }
        }
    }

    fn install_flush_on_hide(&self) {
        let state = *self;
        let on_hide = window_event_listener(leptos::ev::pagehide, move |_| state.save_now());
        let on_visibility = window_event_listener(leptos::ev::visibilitychange, move |_| {
            let hidden = dom::document().is_some_and(|document| {
                document.visibility_state() == web_sys::VisibilityState::Hidden
            });
            if hidden {
                state.save_now();
            }
        });
        // The listeners live as long as the page.
        std::mem::forget(on_hide);
        std::mem::forget(on_visibility);
    }
}

/// DOM id of the editable element of a block's main text.
pub fn text_element_id(id: &BlockId) -> String {
    format!("text-{id}")
}

/// The editable element holding a char offset of a block's main text, and the offset at which
/// that element starts (a list has one element per item).
pub fn text_element_for(
    state: EditorState,
    block: &BlockId,
    offset: usize,
) -> Option<(web_sys::HtmlElement, usize)> {
    if let Some(element) = dom::element_by_id(&text_element_id(block)) {
        return Some((element, 0));
    }
    let Some(BlockContent::List(list)) = state.content(block) else {
        return None;
    };
    let (item, _) = crate::edit::list::item_at(&list, offset);
    let element = dom::element_by_id(&format!("{}-{item}", text_element_id(block)))?;
    Some((element, crate::edit::list::offset_of(&list, item, 0)))
}

/// The block whose text holds the author's focus, and that text element (a list item's own).
pub fn focused_text() -> Option<(BlockId, web_sys::HtmlElement)> {
    let active = dom::document()?.active_element()?;
    let element: web_sys::HtmlElement = active.closest("[data-block]").ok()??.dyn_into().ok()?;
    Some((BlockId(element.get_attribute("data-block")?), element))
}

/// The selection in a block's text element as offsets into the block's text; a list item's
/// are counted in the list's joined text.
pub fn selection_in_text(
    state: EditorState,
    block: &BlockId,
    element: &web_sys::HtmlElement,
) -> Option<(usize, usize)> {
    let (start, end) = dom::selection_offsets(element)?;
    let Some(item) = element
        .get_attribute("data-item")
        .and_then(|item| item.parse::<usize>().ok())
    else {
        return Some((start, end));
    };
    let Some(BlockContent::List(list)) = state.content(block) else {
        return None;
    };
    let offset = |within| crate::edit::list::offset_of(&list, item, within);
    Some((offset(start), offset(end)))
}

/// Puts the caret somewhere once the DOM has caught up with the change: in a microtask queued
/// after the view updates (so the next keystroke already lands there), and again on the next
/// frame in case the block's element was only created then. It needs no reactive owner, so a
/// change landing from a timer or a frame callback (a late paste) places its caret too.
pub fn focus_later(state: EditorState, caret: Caret) {
    state.reveal(&caret.block);
    let again = caret.clone();
    let placed = std::rc::Rc::new(std::cell::Cell::new(false));
    let placed_again = placed.clone();
    queue_microtask(move || placed.set(place(state, &caret)));
    request_animation_frame(move || {
        if !placed_again.get() {
            place(state, &again);
        }
    });
}

fn place(state: EditorState, caret: &Caret) -> bool {
    if let Some((element, base)) = text_element_for(state, &caret.block, caret.offset) {
        dom::place_caret(&element, caret.offset.saturating_sub(base));
    } else if let Some(block) = dom::element_by_id(&format!("block-{}", caret.block)) {
        // A block without text (card, image, divider): its first field, else the block.
        let field = block
            .query_selector("input, textarea, select, [contenteditable=true]")
            .ok()
            .flatten()
            .and_then(|field| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(field).ok());
        let _ = field.unwrap_or(block).focus();
    } else {
        return false;
    }
    true
}

pub fn provide_editor_state(state: EditorState) {
    provide_context(state);
}

pub fn use_editor_state() -> EditorState {
    expect_context::<EditorState>()
}
