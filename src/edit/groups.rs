//! How the block list is cut into groups for the view, and how groups follow edits. Pure.
//!
//! The browser lays out and checks the visibility of a long list child by child. With blocks in
//! groups of about [`TARGET`], a keystroke's layout and each frame's visibility pass walk a few
//! hundred groups instead of every block. A block keeps its group across edits wherever it can,
//! because moving a block to another group rebuilds its view.

use crate::model::BlockId;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// Blocks per group when groups are cut afresh.
pub const TARGET: usize = 50;
/// A group that grows past this is split.
pub const MAX: usize = 2 * TARGET;
/// New blocks together up to this many join a neighbouring group; more form their own.
pub const ADOPT: usize = TARGET / 5;

/// One group: a stable key (for the keyed view) and its blocks in order. The blocks are shared,
/// so a group that did not change is neither copied nor compared block by block.
#[derive(Clone, Debug, PartialEq)]
pub struct Group {
    pub key: u64,
    pub ids: Arc<Vec<BlockId>>,
}

/// The groups of a list, and the next unused key.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Groups {
    pub groups: Vec<Group>,
    next_key: u64,
}

impl Groups {
    /// Groups for `order`, following `self` (the groups of the list before an edit):
    /// - blocks stay in their group;
    /// - a few new blocks together, or a block moved alone between two blocks of one group,
    ///   join their neighbours' group;
    /// - a group that comes apart keeps its key for its first part;
    /// - one grown past [`MAX`] is split, and the part with `focused` (else the part holding
    ///   most of its earlier blocks) keeps the key, so the block being edited keeps its view.
    ///
    /// A group whose blocks did not change keeps its shared list, so the view sees no change.
    pub fn follow(&self, order: &[BlockId], focused: Option<&BlockId>) -> Groups {
        if let Some(grown) = self.grown_at_end(order) {
            return grown;
        }
        let before: HashMap<&BlockId, u64> = self
            .groups
            .iter()
            .flat_map(|group| group.ids.iter().map(move |id| (id, group.key)))
            .collect();
        let mut keys: Vec<Option<u64>> = order.iter().map(|id| before.get(id).copied()).collect();
        // A block moved alone into another group's run joins that run.
        for i in 1..keys.len().saturating_sub(1) {
            if keys[i - 1].is_some() && keys[i - 1] == keys[i + 1] && keys[i] != keys[i - 1] {
                keys[i] = keys[i - 1];
            }
        }
        // New blocks inside a group join it (it may then split), as do a few together at a
        // group's edge (joining the group before them, or after them at the start); more at an
        // edge (the next slice of a post being built, a paste between groups) make their own.
        let mut start = 0;
        while start < keys.len() {
            if keys[start].is_some() {
                start += 1;
                continue;
            }
            let end = (start..keys.len())
                .find(|&i| keys[i].is_some())
                .unwrap_or(keys.len());
            let inside = start > 0 && end < keys.len() && keys[start - 1] == keys[end];
            if inside || end - start <= ADOPT {
                let neighbour = if start > 0 {
                    keys[start - 1]
                } else {
                    keys.get(end).copied().flatten()
                };
                keys[start..end].fill(neighbour);
            }
            start = end;
        }
        let mut next = Groups {
            groups: Vec::new(),
            next_key: self.next_key,
        };
        let mut used = HashSet::new();
        let mut start = 0;
        while start < order.len() {
            let key = keys[start];
            let mut end = start + 1;
            while end < order.len() && keys[end] == key {
                end += 1;
            }
            let run = &order[start..end];
            // A key already used by an earlier run (its group came apart) is not reused.
            let kept = key.filter(|key| used.insert(*key));
            let unchanged = kept
                .and_then(|key| self.groups.iter().find(|group| group.key == key))
                .filter(|group| group.ids.as_slice() == run);
            match unchanged {
                Some(group) => next.groups.push(group.clone()),
                None => next.push_run(run, kept, focused, &before),
            }
            start = end;
        }
        next
    }

    /// The common case while a long post is built, kept cheap: only blocks added at the end.
    /// The groups before stay as they are; the new blocks fill up the last group (to [`TARGET`],
    /// or to [`MAX`] for a few), then make groups of their own.
    fn grown_at_end(&self, order: &[BlockId]) -> Option<Groups> {
        let known: usize = self.groups.iter().map(|group| group.ids.len()).sum();
        let tail = order.get(known..)?;
        let unchanged = self
            .groups
            .iter()
            .flat_map(|group| group.ids.iter())
            .eq(order[..known].iter());
        if !unchanged {
            return None;
        }
        let mut grown = self.clone();
        let mut rest = tail;
        if let Some(last) = grown.groups.last_mut() {
            let limit = if rest.len() <= ADOPT { MAX } else { TARGET };
            let take = limit.saturating_sub(last.ids.len()).min(rest.len());
            if take > 0 {
                let mut ids = Vec::with_capacity(last.ids.len() + take);
                ids.extend_from_slice(&last.ids);
                ids.extend_from_slice(&rest[..take]);
                last.ids = Arc::new(ids);
                rest = &rest[take..];
            }
        }
        for part in rest.chunks(TARGET) {
            let key = grown.fresh_key();
            grown.groups.push(Group {
                key,
                ids: Arc::new(part.to_vec()),
            });
        }
        Some(grown)
    }

    /// Adds one run of blocks that share a group, splitting it when it is too long.
    fn push_run(
        &mut self,
        run: &[BlockId],
        kept: Option<u64>,
        focused: Option<&BlockId>,
        before: &HashMap<&BlockId, u64>,
    ) {
        let whole = match kept {
            Some(_) => run.len() <= MAX,
            None => run.len() <= TARGET,
        };
        if whole {
            let key = kept.unwrap_or_else(|| self.fresh_key());
            self.groups.push(Group {
                key,
                ids: Arc::new(run.to_vec()),
            });
            return;
        }
        let parts: Vec<&[BlockId]> = run.chunks(TARGET).collect();
        let keeper = kept.map(|key| {
            parts
                .iter()
                .position(|part| focused.is_some_and(|focused| part.contains(focused)))
                .unwrap_or_else(|| {
                    let earlier = |part: &&[BlockId]| {
                        part.iter()
                            .filter(|id| before.get(id) == Some(&key))
                            .count()
                    };
                    // The first part holding the most earlier blocks.
                    let most = parts.iter().map(earlier).max().unwrap_or(0);
                    parts
                        .iter()
                        .position(|part| earlier(part) == most)
                        .unwrap_or(0)
                })
        });
        for (index, part) in parts.iter().enumerate() {
            let key = match (kept, keeper) {
                (Some(key), Some(keeper)) if keeper == index => key,
                _ => self.fresh_key(),
            };
            self.groups.push(Group {
                key,
                ids: Arc::new(part.to_vec()),
            });
        }
    }

    fn fresh_key(&mut self) -> u64 {
        self.next_key += 1;
        self.next_key
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(range: std::ops::Range<usize>) -> Vec<BlockId> {
        range.map(|n| BlockId(format!("b{n}"))).collect()
    }

    fn flat(groups: &Groups) -> Vec<BlockId> {
        groups
            .groups
            .iter()
            .flat_map(|g| g.ids.iter().cloned())
            .collect()
    }

    fn group_of(groups: &Groups, id: &str) -> u64 {
        groups
            .groups
            .iter()
            .find(|g| g.ids.iter().any(|i| i.0 == id))
            .map(|g| g.key)
            .unwrap()
    }

    #[test]
    fn a_fresh_list_is_cut_into_target_sized_groups() {
        let order = ids(0..230);
        let groups = Groups::default().follow(&order, None);
        let sizes: Vec<usize> = groups.groups.iter().map(|g| g.ids.len()).collect();
        assert_eq!(sizes, vec![50, 50, 50, 50, 30]);
        assert_eq!(flat(&groups), order);
    }

    #[test]
    fn a_list_that_grows_at_its_end_keeps_its_groups() {
        let first = Groups::default().follow(&ids(0..30), None);
        let grown = first.follow(&ids(0..110), None);
        assert_eq!(grown.groups[0].key, first.groups[0].key);
        assert_eq!(*grown.groups[0].ids, ids(0..50));
        let sizes: Vec<usize> = grown.groups.iter().map(|g| g.ids.len()).collect();
        assert_eq!(sizes, vec![50, 50, 10]);
        // Slices of a post being built fill the last group up before starting another.
        let more = grown.follow(&ids(0..130), None);
        let sizes: Vec<usize> = more.groups.iter().map(|g| g.ids.len()).collect();
        assert_eq!(sizes, vec![50, 50, 30]);
        assert_eq!(flat(&grown), ids(0..110));
    }

    #[test]
    fn an_inserted_block_joins_its_neighbours_and_nothing_else_moves() {
        let groups = Groups::default().follow(&ids(0..120), None);
        let mut order = ids(0..120);
        order.insert(60, BlockId("new".into()));
        let next = groups.follow(&order, None);
        assert_eq!(group_of(&next, "new"), group_of(&groups, "b59"));
        for n in 0..120 {
            let id = format!("b{n}");
            assert_eq!(group_of(&next, &id), group_of(&groups, &id), "{id} moved");
        }
        assert_eq!(flat(&next), order);
    }

    #[test]
    fn a_group_the_edit_did_not_touch_keeps_its_shared_list() {
        let groups = Groups::default().follow(&ids(0..150), None);
        let mut order = ids(0..150);
        order.remove(120);
        let next = groups.follow(&order, None);
        assert!(Arc::ptr_eq(&next.groups[0].ids, &groups.groups[0].ids));
        assert!(Arc::ptr_eq(&next.groups[1].ids, &groups.groups[1].ids));
        assert!(!Arc::ptr_eq(&next.groups[2].ids, &groups.groups[2].ids));
        assert_eq!(flat(&next), order);
    }

    #[test]
    fn a_block_moved_across_a_boundary_joins_the_group_it_lands_in() {
        let groups = Groups::default().follow(&ids(0..100), None);
        let mut order = ids(0..100);
        // b50 (first of the second group) moves up one place.
        order.swap(49, 50);
        let next = groups.follow(&order, None);
        assert_eq!(group_of(&next, "b50"), group_of(&groups, "b0"));
        assert_eq!(group_of(&next, "b49"), group_of(&groups, "b0"));
        assert_eq!(group_of(&next, "b51"), group_of(&groups, "b99"));
        assert_eq!(flat(&next), order);
        assert_eq!(next.groups.len(), 2);
    }

    #[test]
    fn a_group_that_comes_apart_gets_a_new_key_for_its_later_part() {
        let groups = Groups::default().follow(&ids(0..100), None);
        let mut order = ids(0..100);
        // Three blocks of the first group move to the end: not alone, so they keep a group of
        // their own, under a new key.
        let moved: Vec<BlockId> = order.drain(10..13).collect();
        order.extend(moved);
        let next = groups.follow(&order, None);
        let keys: Vec<u64> = next.groups.iter().map(|g| g.key).collect();
        let unique: std::collections::HashSet<u64> = keys.iter().copied().collect();
        assert_eq!(unique.len(), keys.len(), "keys are unique: {keys:?}");
        assert_eq!(flat(&next), order);
    }

    #[test]
    fn a_split_keeps_the_focused_block_in_its_group() {
        let groups = Groups::default().follow(&ids(0..50), None);
        let key = groups.groups[0].key;
        let mut order = ids(0..50);
        let mut groups = groups;
        for n in 0..60 {
            // One at a time, as typed.
            order.insert(10, BlockId(format!("n{n}")));
            if n < 59 {
                groups = groups.follow(&order, None);
            }
        }
        let focused = BlockId("b40".into());
        let next = groups.follow(&order, Some(&focused));
        assert_eq!(group_of(&next, "b40"), key);
        assert!(next.groups.iter().all(|g| g.ids.len() <= MAX));
        assert_eq!(flat(&next), order);
    }

    #[test]
    fn removing_blocks_empties_no_group_into_the_view() {
        let groups = Groups::default().follow(&ids(0..100), None);
        let next = groups.follow(&ids(0..50), None);
        assert_eq!(next.groups.len(), 1);
        assert_eq!(next.groups[0].key, groups.groups[0].key);
        assert!(Groups::default().follow(&[], None).groups.is_empty());
    }
}
