//! Editing inside a list block: items, nesting, and caret offsets across items. Pure.
//!
//! A caret in a list is an offset into the list's joined text (items separated by one newline),
//! so undo can restore it like any other block's.

use super::editor::Editor;
use super::history::Caret;
use super::ops::{Op, OpError};
use super::Applied;
use crate::model::{Block, BlockContent, BlockId, BlockKind, List, ListItem, RichText};

/// (item index, offset in that item) for an offset into the joined text.
pub fn item_at(list: &List, offset: usize) -> (usize, usize) {
    let mut remaining = offset;
    for (index, item) in list.items.iter().enumerate() {
        let len = item.text.len();
        if remaining <= len {
            return (index, remaining);
        }
        remaining -= len + 1;
    }
    let last = list.items.len().saturating_sub(1);
    (last, list.items.get(last).map_or(0, |item| item.text.len()))
}

/// The offset into the joined text of a position in an item.
pub fn offset_of(list: &List, item: usize, offset: usize) -> usize {
    list.items
        .iter()
        .take(item)
        .map(|item| item.text.len() + 1)
        .sum::<usize>()
        + offset
}

impl Editor {
    fn list(&self, id: &BlockId) -> Result<List, OpError> {
        match self.block(id).map(|block| &block.content) {
            Some(BlockContent::List(list)) => Ok(list.clone()),
            _ => Err(OpError::NoSuchBlock(id.clone())),
        }
    }

    fn replace_list(
        &mut self,
        id: &BlockId,
        list: List,
        caret: Option<(usize, usize)>,
        now_ms: f64,
    ) -> Result<Applied, OpError> {
        let caret = caret.map(|(item, offset)| Caret {
            block: id.clone(),
            offset: offset_of(&list, item, offset),
        });
        self.dispatch(
            vec![Op::Replace {
                id: id.clone(),
                content: BlockContent::List(list),
            }],
            None,
            caret,
            None,
            now_ms,
        )
    }

    /// Typing in one item (grouped like typing anywhere).
    pub fn edit_list_item(
        &mut self,
        id: &BlockId,
        item: usize,
        text: RichText,
        caret_before: Option<usize>,
        caret_after: Option<usize>,
        now_ms: f64,
    ) -> Result<Applied, OpError> {
        let mut list = self.list(id)?;
        let Some(slot) = list.items.get_mut(item) else {
            return Err(OpError::IndexOutOfRange(item));
        };
        slot.text = text;
        let before = caret_before.map(|offset| offset_of(&list, item, offset));
        let after = caret_after.map(|offset| offset_of(&list, item, offset));
        self.edit_text(id, BlockContent::List(list), before, after, now_ms)
    }

    /// Enter in an item: splits it; Enter in an empty last item leaves the list for a paragraph.
    pub fn split_list_item(
        &mut self,
        id: &BlockId,
        item: usize,
        offset: usize,
        now_ms: f64,
    ) -> Result<Applied, OpError> {
        let mut list = self.list(id)?;
        let Some(current) = list.items.get(item).cloned() else {
            return Err(OpError::IndexOutOfRange(item));
        };
        let is_last = item + 1 == list.items.len();
        // Enter in a list's only item, empty, turns the list back into a paragraph.
        if current.text.is_empty() && list.items.len() == 1 {
            let caret = Caret {
                block: id.clone(),
                offset: 0,
            };
            return self.dispatch(
                vec![Op::Replace {
                    id: id.clone(),
                    content: BlockKind::Paragraph.empty(),
                }],
                None,
                Some(caret),
                None,
                now_ms,
            );
        }
        if current.text.is_empty() && is_last && list.items.len() > 1 {
            if current.indent > 0 {
                list.items[item].indent = 0;
                return self.replace_list(id, list, Some((item, 0)), now_ms);
            }
            list.items.pop();
            let index = self.doc().index_of(id).unwrap_or(0);
            let paragraph = Block::new(self.fresh_id(), BlockKind::Paragraph.empty());
            let caret = Caret {
                block: paragraph.id.clone(),
                offset: 0,
            };
            return self.dispatch(
                vec![
                    Op::Replace {
                        id: id.clone(),
                        content: BlockContent::List(list),
                    },
                    Op::Insert {
                        index: index + 1,
                        block: paragraph,
                    },
                ],
                None,
                Some(caret),
                None,
                now_ms,
            );
        }
        let (head, tail) = current.text.split_at(offset);
        list.items[item].text = head;
        list.items.insert(
            item + 1,
            ListItem {
                text: tail,
                indent: current.indent,
                ..Default::default()
            },
        );
        self.replace_list(id, list, Some((item + 1, 0)), now_ms)
    }

    /// Backspace at the start of an item: outdents a nested item, else joins it to the previous
    /// item; in the first item, turns the list's first item into a paragraph before the list.
    pub fn list_backspace(
        &mut self,
        id: &BlockId,
        item: usize,
        now_ms: f64,
    ) -> Result<Applied, OpError> {
        let mut list = self.list(id)?;
        let Some(current) = list.items.get(item).cloned() else {
            return Err(OpError::IndexOutOfRange(item));
        };
        if current.indent > 0 {
            list.items[item].indent = 0;
            return self.replace_list(id, list, Some((item, 0)), now_ms);
        }
        if item > 0 {
            let previous_len = list.items[item - 1].text.len();
            list.items[item - 1].text.append(&current.text);
            list.items.remove(item);
            return self.replace_list(id, list, Some((item - 1, previous_len)), now_ms);
        }
        // The first item leaves the list as a paragraph.
        let index = self.doc().index_of(id).unwrap_or(0);
        let paragraph = Block::new(
            self.fresh_id(),
            BlockKind::Paragraph.with_text(current.text),
        );
        let caret = Caret {
            block: paragraph.id.clone(),
            offset: 0,
        };
        list.items.remove(0);
        let mut ops = vec![Op::Insert {
            index,
            block: paragraph,
        }];
        if list.items.is_empty() {
            ops.push(Op::Remove { id: id.clone() });
        } else {
            ops.push(Op::Replace {
                id: id.clone(),
                content: BlockContent::List(list),
            });
        }
        self.dispatch(ops, None, Some(caret), None, now_ms)
    }

    /// Pastes lines of text over `start..end` of the list's joined text: the first line joins
    /// the text before it, the last the text after it, and each line between is an item at the
    /// nesting of the item pasted into, deeper by its own nesting (a pasted list's). Line
    /// breaks already inside items are left alone.
    pub(super) fn paste_lines(
        &mut self,
        id: &BlockId,
        start: usize,
        end: usize,
        lines: Vec<(RichText, u8)>,
        now_ms: f64,
    ) -> Result<Applied, OpError> {
        let mut list = self.list(id)?;
        let (first, first_offset) = item_at(&list, start);
        let (last, last_offset) = item_at(&list, end.max(start));
        let (Some(template), Some(after)) = (list.items.get(first), list.items.get(last)) else {
            return Err(OpError::IndexOutOfRange(first));
        };
        let tail = after.text.slice(last_offset, usize::MAX);
        let mut items: Vec<ListItem> = Vec::with_capacity(lines.len().max(1));
        for (index, (line, nesting)) in lines.into_iter().enumerate() {
            // The first line joins the item it lands in, at its level.
            let nesting = if index == 0 { 0 } else { nesting };
            let mut item = ListItem {
                indent: template.indent.saturating_add(nesting).min(1),
                ..Default::default()
            };
            if index == 0 {
                item.text = template.text.slice(0, first_offset);
                item.extra = template.extra.clone();
            }
            item.text.append(&line);
            items.push(item);
        }
        if items.is_empty() {
            items.push(ListItem {
                text: template.text.slice(0, first_offset),
                ..template.clone()
            });
        }
        let caret_item = first + items.len() - 1;
        let caret_offset = items.last().map_or(0, |item| item.text.len());
        if let Some(item) = items.last_mut() {
            item.text.append(&tail);
        }
        list.items.splice(first..=last, items);
        let before = Caret {
            block: id.clone(),
            offset: start,
        };
        let after = Caret {
            block: id.clone(),
            offset: offset_of(&list, caret_item, caret_offset),
        };
        self.dispatch(
            vec![Op::Replace {
                id: id.clone(),
                content: BlockContent::List(list),
            }],
            Some(before),
            Some(after),
            None,
            now_ms,
        )
    }

    /// Delete at the end of an item: pulls the next item in, or from the last item the next
    /// block's text. `Ok(None)` when there is nothing after it.
    pub fn list_delete(
        &mut self,
        id: &BlockId,
        item: usize,
        now_ms: f64,
    ) -> Result<Option<Applied>, OpError> {
        let mut list = self.list(id)?;
        if item + 1 >= list.items.len() {
            return self.merge_next(id, now_ms);
        }
        let next = list.items.remove(item + 1);
        let Some(current) = list.items.get_mut(item) else {
            return Err(OpError::IndexOutOfRange(item));
        };
        let offset = current.text.len();
        current.text.append(&next.text);
        self.replace_list(id, list, Some((item, offset)), now_ms)
            .map(Some)
    }

    /// Tab / Shift+Tab: nests an item under the previous one, or brings it back out.
    pub fn list_indent(
        &mut self,
        id: &BlockId,
        item: usize,
        nested: bool,
        caret: usize,
        now_ms: f64,
    ) -> Result<Option<Applied>, OpError> {
        let mut list = self.list(id)?;
        let Some(current) = list.items.get_mut(item) else {
            return Err(OpError::IndexOutOfRange(item));
        };
        let indent = if nested && item > 0 { 1 } else { 0 };
        if current.indent == indent {
            return Ok(None);
        }
        current.indent = indent;
        self.replace_list(id, list, Some((item, caret)), now_ms)
            .map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Document;

    fn editor_with_list(items: &[&str]) -> (Editor, BlockId) {
        let list = BlockKind::List.with_text(RichText::plain(&items.join("\n")));
        let id = BlockId("l".into());
        let doc = Document {
            blocks: vec![Block::new(id.clone(), list)],
            ..Default::default()
        };
        (Editor::new(doc, 3), id)
    }

    fn items(editor: &Editor, id: &BlockId) -> Vec<(String, u8)> {
        let BlockContent::List(list) = &editor.doc().block(id).unwrap().content else {
            return Vec::new();
        };
        list.items
            .iter()
            .map(|item| (item.text.to_plain(), item.indent))
            .collect()
    }

    /// A list whose items may hold line breaks (Shift+Enter), then a paragraph after it.
    fn editor_with_items(items: &[&str]) -> (Editor, BlockId) {
        let list = List {
            items: items
                .iter()
                .map(|text| ListItem {
                    text: RichText::plain(text),
                    ..Default::default()
                })
                .collect(),
            ..Default::default()
        };
        let id = BlockId("l".into());
        let doc = Document {
            blocks: vec![
                Block::new(id.clone(), BlockContent::List(list)),
                Block::new(
                    BlockId("p".into()),
                    BlockKind::Paragraph.with_text(RichText::plain("tail")),
                ),
            ],
            ..Default::default()
        };
        (Editor::new(doc, 3), id)
    }

    #[test]
    fn line_breaks_inside_items_survive_merging_formatting_and_converting() {
        let (mut editor, id) = editor_with_items(&["one\nline", "two"]);
        let expected = |last: &str| vec![("one\nline".to_string(), 0), (last.to_string(), 0)];
        editor
            .toggle_mark(&id, 0, 12, crate::model::Mark::Bold, 0.0)
            .unwrap();
        assert_eq!(items(&editor, &id), expected("two"));
        editor.merge_next(&id, 0.0).unwrap().unwrap();
        assert_eq!(items(&editor, &id), expected("twotail"));
        editor.convert(&id, BlockKind::NumberedList, 0.0).unwrap();
        assert_eq!(items(&editor, &id), expected("twotail"));
        // Leaving the list, its items become lines of one paragraph.
        editor.convert(&id, BlockKind::Paragraph, 0.0).unwrap();
        let text = editor.doc().block(&id).unwrap().content.plain_text();
        assert_eq!(text, "one\nline\ntwotail");
    }

    #[test]
    fn delete_at_the_end_of_a_block_above_a_list_pulls_in_only_its_first_item() {
        let (mut editor, list) = editor_with_items(&["one", "two", "three"]);
        editor
            .insert_at(
                0,
                vec![BlockKind::Paragraph.with_text(RichText::plain("intro"))],
                0.0,
            )
            .unwrap();
        let intro_id = editor.doc().blocks[0].id.clone();
        let applied = editor.merge_next(&intro_id, 0.0).unwrap().unwrap();
        assert_eq!(editor.doc().blocks[0].content.plain_text(), "introone");
        assert_eq!(
            items(&editor, &list),
            [("two".into(), 0), ("three".into(), 0)]
        );
        assert_eq!(applied.caret.unwrap().offset, 5);
        editor.undo().unwrap();
        assert_eq!(items(&editor, &list).len(), 3);
    }

    #[test]
    fn delete_at_the_end_of_an_item_pulls_in_the_next_item_then_the_next_block() {
        let (mut editor, id) = editor_with_items(&["one", "two"]);
        let applied = editor.list_delete(&id, 0, 0.0).unwrap().unwrap();
        assert_eq!(items(&editor, &id), [("onetwo".into(), 0)]);
        assert_eq!(applied.caret.unwrap().offset, 3);
        editor.list_delete(&id, 0, 0.0).unwrap().unwrap();
        assert_eq!(items(&editor, &id), [("onetwotail".into(), 0)]);
        assert_eq!(editor.doc().blocks.len(), 1);
        assert!(editor.list_delete(&id, 0, 0.0).unwrap().is_none());
    }

    #[test]
    fn enter_in_the_only_empty_item_turns_the_list_into_a_paragraph() {
        let (mut editor, id) = editor_with_list(&[""]);
        editor.split_list_item(&id, 0, 0, 0.0).unwrap();
        assert_eq!(
            editor.doc().block(&id).unwrap().content,
            BlockKind::Paragraph.empty()
        );
        editor.undo().unwrap();
        assert_eq!(items(&editor, &id), [(String::new(), 0)]);
    }

    #[test]
    fn a_pasted_list_keeps_its_nesting() {
        let (mut editor, id) = editor_with_list(&["x"]);
        let pasted = List {
            items: [("一", 0), ("一の子", 1), ("二", 0)]
                .iter()
                .map(|(text, indent)| ListItem {
                    text: RichText::plain(text),
                    indent: *indent,
                    ..Default::default()
                })
                .collect(),
            ..Default::default()
        };
        editor
            .paste(&id, 1, 1, vec![BlockContent::List(pasted)], 0.0)
            .unwrap();
        assert_eq!(
            items(&editor, &id),
            [("x一".into(), 0), ("一の子".into(), 1), ("二".into(), 0)]
        );
    }

    #[test]
    fn converting_between_list_kinds_keeps_nesting() {
        let (mut editor, id) = editor_with_list(&["a", "b"]);
        editor.list_indent(&id, 1, true, 0, 0.0).unwrap();
        editor.convert(&id, BlockKind::NumberedList, 0.0).unwrap();
        assert_eq!(items(&editor, &id), [("a".into(), 0), ("b".into(), 1)]);
    }

    #[test]
    fn pasted_lines_become_items_at_the_caret_and_undo_in_one_step() {
        let (mut editor, id) = editor_with_items(&["first", "ab\ncd"]);
        editor.list_indent(&id, 1, true, 0, 0.0).unwrap();
        editor.seal_history();
        // The caret sits after "ab\n" in the second item: joined offset 6 + 3.
        let pasted = BlockKind::Paragraph.with_text(RichText::plain("x\ny"));
        let applied = editor.paste(&id, 9, 9, vec![pasted], 0.0).unwrap();
        assert_eq!(
            items(&editor, &id),
            [("first".into(), 0), ("ab\nx".into(), 1), ("ycd".into(), 1)]
        );
        assert_eq!(applied.caret.unwrap().offset, 6 + 5 + 1);
        // A selection across items is replaced.
        let pasted = BlockKind::Paragraph.with_text(RichText::plain("Z"));
        editor.paste(&id, 2, 13, vec![pasted], 0.0).unwrap();
        assert_eq!(items(&editor, &id), [("fiZd".into(), 0)]);
        editor.undo().unwrap();
        editor.undo().unwrap();
        assert_eq!(
            items(&editor, &id),
            [("first".into(), 0), ("ab\ncd".into(), 1)]
        );
    }

    #[test]
    fn offsets_map_across_items() {
        let (editor, id) = editor_with_list(&["ab", "cde"]);
        let list = editor.list(&id).unwrap();
        assert_eq!(item_at(&list, 0), (0, 0));
        assert_eq!(item_at(&list, 2), (0, 2));
        assert_eq!(item_at(&list, 3), (1, 0));
        assert_eq!(item_at(&list, 99), (1, 3));
        assert_eq!(offset_of(&list, 1, 2), 5);
    }

    #[test]
    fn enter_splits_and_enter_on_empty_last_item_leaves_the_list() {
        let (mut editor, id) = editor_with_list(&["onetwo"]);
        editor.split_list_item(&id, 0, 3, 0.0).unwrap();
        assert_eq!(items(&editor, &id), [("one".into(), 0), ("two".into(), 0)]);
        editor.split_list_item(&id, 1, 3, 0.0).unwrap();
        let applied = editor.split_list_item(&id, 2, 0, 0.0).unwrap();
        assert_eq!(items(&editor, &id).len(), 2);
        assert_eq!(editor.doc().blocks.len(), 2);
        assert_eq!(applied.caret.unwrap().block, editor.doc().blocks[1].id);
    }

    #[test]
    fn tab_nests_and_backspace_outdents_then_joins() {
        let (mut editor, id) = editor_with_list(&["a", "b"]);
        editor.list_indent(&id, 1, true, 0, 0.0).unwrap().unwrap();
        assert_eq!(items(&editor, &id)[1].1, 1);
        assert!(editor.list_indent(&id, 0, true, 0, 0.0).unwrap().is_none());
        editor.list_backspace(&id, 1, 0.0).unwrap();
        assert_eq!(items(&editor, &id)[1].1, 0);
        editor.list_backspace(&id, 1, 0.0).unwrap();
        assert_eq!(items(&editor, &id), [("ab".into(), 0)]);
        editor.list_backspace(&id, 0, 0.0).unwrap();
        assert_eq!(editor.doc().blocks.len(), 1);
        assert_eq!(
            editor.doc().blocks[0].content.kind(),
            Some(BlockKind::Paragraph)
        );
        while editor.undo().is_some() {}
        assert_eq!(items(&editor, &id), [("a".into(), 0), ("b".into(), 0)]);
    }
}
