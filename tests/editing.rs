//! Host tests of the editor's commands and their undo, including a property test: any sequence
//! of operations, undone, restores the document exactly, and redone, reproduces it.
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use tsuzuri::edit::{Caret, Editor};
use tsuzuri::model::{Block, BlockContent, BlockId, BlockKind, Document, Mark, RichText};

fn paragraph(text: &str) -> BlockContent {
    BlockKind::Paragraph.with_text(RichText::plain(text))
}

fn doc_of(texts: &[&str]) -> Document {
    Document {
        title: "t".into(),
        blocks: texts
            .iter()
            .enumerate()
            .map(|(i, text)| Block::new(BlockId(format!("b{i}")), paragraph(text)))
            .collect(),
        ..Default::default()
    }
}

fn texts(editor: &Editor) -> Vec<String> {
    editor
        .doc()
        .blocks
        .iter()
        .map(|block| block.content.plain_text())
        .collect()
}

fn id(editor: &Editor, index: usize) -> BlockId {
    editor.doc().blocks[index].id.clone()
}

#[test]
fn split_and_merge_are_inverse_and_undoable() {
    let mut editor = Editor::new(doc_of(&["日本語の文章"]), 1);
    let first = id(&editor, 0);
    let applied = editor.split(&first, 3, 0.0).unwrap();
    assert_eq!(texts(&editor), ["日本語", "の文章"]);
    let second = id(&editor, 1);
    assert_eq!(
        applied.caret,
        Some(Caret {
            block: second.clone(),
            offset: 0
        })
    );
    editor
        .merge_with_previous(&second, 1000.0)
        .unwrap()
        .unwrap();
    assert_eq!(texts(&editor), ["日本語の文章"]);
    editor.undo();
    assert_eq!(texts(&editor), ["日本語", "の文章"]);
    editor.undo();
    assert_eq!(texts(&editor), ["日本語の文章"]);
    editor.redo();
    editor.redo();
    assert_eq!(texts(&editor), ["日本語の文章"]);
}

#[test]
fn splitting_a_heading_continues_with_a_paragraph() {
    let mut doc = doc_of(&[]);
    doc.blocks.push(Block::new(
        BlockId("h".into()),
        BlockKind::Heading.with_text(RichText::plain("Title")),
    ));
    let mut editor = Editor::new(doc, 1);
    editor.split(&BlockId("h".into()), 5, 0.0).unwrap();
    assert_eq!(
        editor.doc().blocks[1].content.kind(),
        Some(BlockKind::Paragraph)
    );
}

#[test]
fn enter_at_the_start_opens_a_paragraph_above_and_keeps_the_kind() {
    let heading = BlockContent::Heading(tsuzuri::model::Heading {
        level: 2,
        text: RichText::plain("タイトル"),
        ..Default::default()
    });
    let mut editor = Editor::new(
        Document {
            blocks: vec![Block::new(BlockId("h".into()), heading.clone())],
            ..Default::default()
        },
        1,
    );
    let applied = editor.split(&BlockId("h".into()), 0, 0.0).unwrap();
    assert_eq!(texts(&editor), ["", "タイトル"]);
    assert_eq!(editor.doc().blocks[1].content, heading);
    assert_eq!(
        applied.caret,
        Some(Caret {
            block: BlockId("h".into()),
            offset: 0
        })
    );
    editor.undo();
    assert_eq!(texts(&editor), ["タイトル"]);
}

#[test]
fn backspace_after_enter_at_the_start_removes_the_empty_paragraph_and_keeps_the_kind() {
    let heading = BlockContent::Heading(tsuzuri::model::Heading {
        level: 3,
        text: RichText::plain("見出し"),
        ..Default::default()
    });
    let mut editor = Editor::new(
        Document {
            blocks: vec![
                Block::new(BlockId("p".into()), paragraph("intro")),
                Block::new(BlockId("h".into()), heading.clone()),
            ],
            ..Default::default()
        },
        1,
    );
    let h = BlockId("h".into());
    editor.split(&h, 0, 0.0).unwrap();
    let applied = editor.merge_with_previous(&h, 0.0).unwrap().unwrap();
    assert_eq!(texts(&editor), ["intro", "見出し"]);
    assert_eq!(editor.doc().blocks[1].content, heading);
    assert_eq!(
        applied.caret,
        Some(Caret {
            block: h,
            offset: 0
        })
    );
    editor.undo();
    assert_eq!(texts(&editor), ["intro", "", "見出し"]);
}

#[test]
fn splitting_a_bubble_keeps_its_speaker_side_and_style() {
    use tsuzuri::model::{BalloonStyle, Bubble, Side, SpeakerLook};
    let bubble = Bubble {
        speaker: SpeakerLook {
            name: "ミナ".into(),
            ..Default::default()
        },
        side: Side::Right,
        style: BalloonStyle::Think,
        text: RichText::plain("HelloWorld"),
        ..Default::default()
    };
    let mut editor = Editor::new(
        Document {
            blocks: vec![Block::new(
                BlockId("b".into()),
                BlockContent::Bubble(bubble.clone()),
            )],
            ..Default::default()
        },
        1,
    );
    editor.split(&BlockId("b".into()), 5, 0.0).unwrap();
    let BlockContent::Bubble(second) = &editor.doc().blocks[1].content else {
        panic!("the second half is not a bubble");
    };
    assert_eq!(second.text.to_plain(), "World");
    assert_eq!(
        (&second.speaker, second.side, second.style),
        (&bubble.speaker, Side::Right, BalloonStyle::Think)
    );
}

#[test]
fn a_command_without_a_caret_of_its_own_undoes_to_where_the_author_was() {
    let mut editor = Editor::new(doc_of(&["alpha", "beta"]), 1);
    let beta = id(&editor, 1);
    let at = Caret {
        block: beta.clone(),
        offset: 2,
    };
    editor.with_caret_hint(Some(at.clone()), |editor| {
        editor.move_by(&beta, -1, 0.0).unwrap()
    });
    assert_eq!(texts(&editor), ["beta", "alpha"]);
    let undone = editor.undo().unwrap();
    assert_eq!(texts(&editor), ["alpha", "beta"]);
    assert_eq!(undone.caret, Some(at));
}

#[test]
fn a_paste_into_code_goes_in_verbatim_at_the_caret() {
    let code = BlockContent::Code(tsuzuri::model::Code {
        language: "js".into(),
        code: "let x = ;".into(),
        ..Default::default()
    });
    let mut editor = Editor::new(
        Document {
            blocks: vec![Block::new(BlockId("c".into()), code)],
            ..Default::default()
        },
        1,
    );
    let c = BlockId("c".into());
    let applied = editor
        .paste(&c, 8, 8, vec![paragraph("1;\nconsole.log(x)")], 0.0)
        .unwrap();
    assert_eq!(texts(&editor), ["let x = 1;\nconsole.log(x);"]);
    assert_eq!(editor.doc().blocks.len(), 1);
    assert_eq!(
        applied.caret.unwrap().offset,
        8 + "1;\nconsole.log(x)".chars().count()
    );
    editor.undo();
    assert_eq!(texts(&editor), ["let x = ;"]);
}

#[test]
fn a_divider_shortcut_opens_a_paragraph_for_what_follows() {
    let mut editor = Editor::new(doc_of(&["intro", "---"]), 1);
    let rule = id(&editor, 1);
    let divider = BlockContent::Divider(Default::default());
    let applied = editor
        .apply_shortcut(&rule, divider.clone(), 3, 0, 0.0)
        .unwrap();
    assert_eq!(editor.doc().blocks.len(), 3);
    assert_eq!(editor.doc().blocks[1].content, divider);
    let caret = applied.caret.expect("a caret");
    assert_eq!(caret.block, id(&editor, 2));
    assert_eq!(caret.offset, 0);
    // One undo brings back the typed characters, with the caret after them.
    let undone = editor.undo().expect("undone");
    assert_eq!(texts(&editor), ["intro", "---"]);
    assert_eq!(
        undone.caret,
        Some(Caret {
            block: rule,
            offset: 3
        })
    );
}

#[test]
fn backspace_in_an_empty_block_after_a_divider_goes_to_the_text_above() {
    let mut editor = Editor::new(doc_of(&["intro"]), 1);
    let intro = id(&editor, 0);
    editor
        .insert_after(Some(&intro), BlockContent::Divider(Default::default()), 0.0)
        .unwrap();
    let rule = id(&editor, 1);
    editor
        .insert_after(Some(&rule), paragraph(""), 0.0)
        .unwrap();
    let empty = id(&editor, 2);
    let applied = editor
        .merge_with_previous(&empty, 0.0)
        .unwrap()
        .expect("merged");
    assert_eq!(editor.doc().blocks.len(), 2);
    assert_eq!(
        applied.caret,
        Some(Caret {
            block: intro,
            offset: 5
        })
    );
}

#[test]
fn delete_at_end_pulls_in_the_next_block() {
    let mut editor = Editor::new(doc_of(&["a", "b"]), 1);
    let first = id(&editor, 0);
    editor.merge_next(&first, 0.0).unwrap().unwrap();
    assert_eq!(texts(&editor), ["ab"]);
    assert!(editor.merge_next(&first, 0.0).unwrap().is_none());
}

#[test]
fn typing_groups_by_pause_and_caret_jump() {
    let mut editor = Editor::new(doc_of(&[""]), 1);
    let block = id(&editor, 0);
    let mut typed = String::new();
    for (i, ch) in "hello".chars().enumerate() {
        typed.push(ch);
        editor
            .edit_text(
                &block,
                paragraph(&typed),
                Some(i),
                Some(i + 1),
                i as f64 * 100.0,
            )
            .unwrap();
    }
    // A pause of more than 500 ms starts a new group.
    editor
        .edit_text(&block, paragraph("hello!"), Some(5), Some(6), 2000.0)
        .unwrap();
    // A caret jump (typing at the start) starts another even without a pause.
    editor
        .edit_text(&block, paragraph(">hello!"), Some(0), Some(1), 2100.0)
        .unwrap();
    assert_eq!(editor.history().depth(), 3);
    editor.undo();
    assert_eq!(texts(&editor), ["hello!"]);
    editor.undo();
    assert_eq!(texts(&editor), ["hello"]);
    let applied = editor.undo().unwrap();
    assert_eq!(texts(&editor), [""]);
    assert_eq!(applied.caret.map(|caret| caret.offset), Some(0));
}

#[test]
fn history_keeps_at_least_200_steps() {
    let mut editor = Editor::new(doc_of(&[]), 1);
    for i in 0..250 {
        editor
            .insert_after(None, paragraph(&i.to_string()), i as f64 * 1000.0)
            .unwrap();
    }
    let mut undone = 0;
    while editor.undo().is_some() {
        undone += 1;
    }
    assert!(undone >= 200, "only {undone} steps");
}

#[test]
fn move_duplicate_and_convert() {
    let mut editor = Editor::new(doc_of(&["a", "b", "c"]), 1);
    let a = id(&editor, 0);
    editor.move_by(&a, 1, 0.0).unwrap();
    assert_eq!(texts(&editor), ["b", "a", "c"]);
    editor.move_by(&a, 10, 0.0).unwrap();
    assert_eq!(texts(&editor), ["b", "c", "a"]);
    editor.duplicate(&a, 0.0).unwrap();
    assert_eq!(texts(&editor), ["b", "c", "a", "a"]);
    assert_ne!(id(&editor, 2), id(&editor, 3));
    editor
        .convert(&a, BlockKind::Heading, 0.0)
        .unwrap()
        .unwrap();
    assert_eq!(
        editor.doc().block(&a).unwrap().content.kind(),
        Some(BlockKind::Heading)
    );
    assert_eq!(editor.doc().block(&a).unwrap().content.plain_text(), "a");
}

#[test]
fn formatting_is_one_undo_step() {
    let mut editor = Editor::new(doc_of(&["bold words"]), 1);
    let block = id(&editor, 0);
    editor.toggle_mark(&block, 0, 4, Mark::Bold, 0.0).unwrap();
    let text = editor.doc().blocks[0].content.rich_text().unwrap();
    assert!(text.has_mark(0, 4, Mark::Bold));
    editor.undo();
    assert_eq!(editor.doc().blocks[0].content, paragraph("bold words"));
}

#[test]
fn pasting_several_blocks_splits_the_block_around_them() {
    let mut editor = Editor::new(doc_of(&["headtail"]), 1);
    let block = id(&editor, 0);
    editor
        .paste(&block, 4, 4, vec![paragraph("one"), paragraph("two")], 0.0)
        .unwrap();
    assert_eq!(texts(&editor), ["headone", "twotail"]);
    editor.undo();
    assert_eq!(texts(&editor), ["headtail"]);
    editor
        .paste(&block, 4, 4, vec![paragraph("-mid-")], 0.0)
        .unwrap();
    assert_eq!(texts(&editor), ["head-mid-tail"]);
    editor.undo();
    let divider = BlockKind::Divider.empty();
    editor
        .paste(
            &block,
            4,
            4,
            vec![paragraph("a"), divider, paragraph("b")],
            0.0,
        )
        .unwrap();
    assert_eq!(texts(&editor), ["heada", "", "btail"]);
}

// ---- property: every operation sequence undoes to the start and redoes to the end ----

#[derive(Clone, Debug)]
enum Action {
    Type(usize, String),
    Split(usize, usize),
    MergePrevious(usize),
    Insert(usize),
    Remove(usize),
    Move(usize, isize),
    Duplicate(usize),
    Convert(usize, u8),
    Bold(usize, usize, usize),
    Title(String),
}

fn action() -> impl Strategy<Value = Action> {
    let text = "[a-zあ-ん ]{0,6}";
    prop_oneof![
        (any::<usize>(), text).prop_map(|(i, t)| Action::Type(i, t)),
        (any::<usize>(), 0usize..8).prop_map(|(i, o)| Action::Split(i, o)),
        any::<usize>().prop_map(Action::MergePrevious),
        any::<usize>().prop_map(Action::Insert),
        any::<usize>().prop_map(Action::Remove),
        (any::<usize>(), -3isize..4).prop_map(|(i, d)| Action::Move(i, d)),
        any::<usize>().prop_map(Action::Duplicate),
        (any::<usize>(), 0u8..5).prop_map(|(i, k)| Action::Convert(i, k)),
        (any::<usize>(), 0usize..6, 0usize..6).prop_map(|(i, a, b)| Action::Bold(i, a, b)),
        text.prop_map(Action::Title),
    ]
}

fn perform(editor: &mut Editor, action: &Action, now: f64) {
    let count = editor.doc().blocks.len();
    let pick = |i: usize| (count > 0).then(|| editor.doc().blocks[i % count].id.clone());
    let _ = match action.clone() {
        Action::Type(i, text) => pick(i).map(|b| {
            editor
                .edit_text(&b, paragraph(&text), None, None, now)
                .map(|_| ())
        }),
        Action::Split(i, offset) => pick(i).map(|b| editor.split(&b, offset, now).map(|_| ())),
        Action::MergePrevious(i) => {
            pick(i).map(|b| editor.merge_with_previous(&b, now).map(|_| ()))
        }
        Action::Insert(i) => Some(
            editor
                .insert_at(i % (count + 1), vec![paragraph("new")], now)
                .map(|_| ()),
        ),
        Action::Remove(i) => pick(i).map(|b| editor.remove(&b, now).map(|_| ())),
        Action::Move(i, delta) => pick(i).map(|b| editor.move_by(&b, delta, now).map(|_| ())),
        Action::Duplicate(i) => pick(i).map(|b| editor.duplicate(&b, now).map(|_| ())),
        Action::Convert(i, kind) => {
            let kind = [
                BlockKind::Paragraph,
                BlockKind::Heading,
                BlockKind::Quote,
                BlockKind::List,
                BlockKind::NumberedList,
            ][kind as usize];
            pick(i).map(|b| editor.convert(&b, kind, now).map(|_| ()))
        }
        Action::Bold(i, a, b) => pick(i).map(|id| {
            editor
                .toggle_mark(&id, a.min(b), a.max(b), Mark::Bold, now)
                .map(|_| ())
        }),
        Action::Title(title) => Some(editor.set_title(title, now).map(|_| ())),
    };
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]
    #[test]
    fn undo_all_restores_and_redo_all_reproduces(actions in prop::collection::vec(action(), 0..40), spaced in any::<bool>()) {
        let start = doc_of(&["first", "二番目"]);
        let mut editor = Editor::new(start.clone(), 7);
        for (i, action) in actions.iter().enumerate() {
            // Either every action is its own step, or typing may group.
            let now = if spaced { i as f64 * 1000.0 } else { i as f64 * 10.0 };
            perform(&mut editor, action, now);
        }
        let end = editor.doc().clone();
        prop_assert!(finds_every_block(&editor));
        while editor.undo().is_some() {}
        prop_assert_eq!(editor.doc(), &start);
        prop_assert!(finds_every_block(&editor));
        while editor.redo().is_some() {}
        prop_assert_eq!(editor.doc(), &end);
        prop_assert!(finds_every_block(&editor));
    }
}

/// The editor's lookup by id (kept apart from the document for speed) agrees with the document,
/// and finds nothing for ids that are gone.
fn finds_every_block(editor: &Editor) -> bool {
    let doc = editor.doc();
    doc.blocks
        .iter()
        .all(|block| editor.block(&block.id) == Some(block))
        && editor.block(&BlockId("gone".into())).is_none()
}

/// A change to the block list: insert a run of new blocks, remove a run, or move one.
#[derive(Clone, Debug)]
enum ListChange {
    Insert { at: usize, count: usize },
    Remove { at: usize, count: usize },
    Move { from: usize, to: usize },
}

fn list_change() -> impl Strategy<Value = ListChange> {
    prop_oneof![
        (any::<usize>(), 1usize..70).prop_map(|(at, count)| ListChange::Insert { at, count }),
        (any::<usize>(), 1usize..40).prop_map(|(at, count)| ListChange::Remove { at, count }),
        (any::<usize>(), any::<usize>()).prop_map(|(from, to)| ListChange::Move { from, to }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]
    /// Whatever happens to the list, its groups hold every block once, in order, under unique
    /// keys, none empty or past the limit.
    #[test]
    fn groups_follow_any_list_changes(
        start in 0usize..300,
        changes in prop::collection::vec((list_change(), any::<usize>()), 0..30),
    ) {
        use tsuzuri::edit::groups::{Groups, MAX};
        let mut next_id = 0;
        let mut fresh = || {
            next_id += 1;
            BlockId(format!("n{next_id}"))
        };
        let mut order: Vec<BlockId> = (0..start).map(|_| fresh()).collect();
        let mut groups = Groups::default().follow(&order, None);
        for (change, focus) in changes {
            let moved = matches!(change, ListChange::Move { .. });
            match change {
                ListChange::Insert { at, count } => {
                    let at = at % (order.len() + 1);
                    for offset in 0..count {
                        order.insert(at + offset, fresh());
                    }
                }
                ListChange::Remove { at, count } if !order.is_empty() => {
                    let at = at % order.len();
                    let end = (at + count).min(order.len());
                    order.drain(at..end);
                }
                ListChange::Move { from, to } if !order.is_empty() => {
                    let block = order.remove(from % order.len());
                    order.insert(to % (order.len() + 1), block);
                }
                _ => {}
            }
            let focused = (!order.is_empty()).then(|| order[focus % order.len()].clone());
            let key_before = focused.as_ref().and_then(|focused| {
                groups.groups.iter().find(|g| g.ids.contains(focused)).map(|g| g.key)
            });
            let next = groups.follow(&order, focused.as_ref());
            let flat: Vec<BlockId> = next.groups.iter().flat_map(|g| g.ids.iter().cloned()).collect();
            prop_assert_eq!(&flat, &order);
            let mut keys = std::collections::HashSet::new();
            for group in &next.groups {
                prop_assert!(keys.insert(group.key), "key {} used twice", group.key);
                prop_assert!(!group.ids.is_empty() && group.ids.len() <= MAX);
            }
            // Inserting and removing never move the block being edited to another group (a
            // move rebuilds the moved block's view anyway, and places its caret again).
            if let (Some(focused), Some(key), false) = (&focused, key_before, moved) {
                let key_after = next.groups.iter().find(|g| g.ids.contains(focused)).map(|g| g.key);
                prop_assert_eq!(key_after, Some(key));
            }
            groups = next;
        }
    }
}
