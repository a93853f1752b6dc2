//! Markdown typed in a paragraph turns into formatting as the author types. Pure.

use crate::model::{BlockContent, BlockKind, Divider, Heading, Mark, RichText};

/// A paragraph that starts with `## `, `- `, `1. `, `> `, `---` or a code fence, with the caret
/// right after that marker, becomes the matching block, keeping the rest of its text.
pub fn block_shortcut(text: &RichText, caret: usize) -> Option<BlockContent> {
    let plain = text.to_plain();
    let rest = |marker: &str| text.slice(marker.chars().count(), usize::MAX);
    if plain == "---" && caret == 3 {
        return Some(BlockContent::Divider(Divider::default()));
    }
    if plain.starts_with("```") && caret == 3 {
        return Some(BlockKind::Code.with_text(rest("```")));
    }
    for (marker, level) in [("#### ", 4), ("### ", 3), ("## ", 2), ("# ", 2)] {
        if plain.starts_with(marker) && caret == marker.chars().count() {
            return Some(BlockContent::Heading(Heading {
                level,
                text: rest(marker),
                ..Default::default()
            }));
        }
    }
    let kinds = [
        ("- ", BlockKind::List),
        ("* ", BlockKind::List),
        ("・", BlockKind::List),
        ("1. ", BlockKind::NumberedList),
        ("1) ", BlockKind::NumberedList),
        ("> ", BlockKind::Quote),
    ];
    kinds.into_iter().find_map(|(marker, kind)| {
        (plain.starts_with(marker) && caret == marker.chars().count())
            .then(|| kind.with_text(rest(marker)))
    })
}

/// `**text**` or `` `text` `` just closed before the caret becomes bold or inline code.
/// Returns the new text and caret.
pub fn inline_shortcut(text: &RichText, caret: usize) -> Option<(RichText, usize)> {
    let chars: Vec<char> = text.to_plain().chars().collect();
    if caret > chars.len() {
        return None;
    }
    let before = &chars[..caret];
    for (delimiter, mark) in [("**", Mark::Bold), ("`", Mark::Code)] {
        let width = delimiter.len();
        let delimiter: Vec<char> = delimiter.chars().collect();
        if before.len() < width * 2 + 1 || before[before.len() - width..] != delimiter[..] {
            continue;
        }
        let inner_end = before.len() - width;
        // Find the opening delimiter, with at least one character between.
        let search = &before[..inner_end];
        let Some(open) = (0..search.len().saturating_sub(width - 1))
            .rev()
            .find(|&at| search[at..at + width] == delimiter[..])
        else {
            continue;
        };
        let inner_start = open + width;
        if inner_start >= inner_end
            || chars[inner_start].is_whitespace()
            || chars[inner_end - 1].is_whitespace()
            || (mark == Mark::Bold && chars[inner_start..inner_end].contains(&'*'))
        {
            continue;
        }
        let inner = text.slice(inner_start, inner_end);
        let mut out = text.slice(0, open);
        for run in inner.runs() {
            out.push(&run.text, run.marks.clone().with(mark, true));
        }
        out.append(&text.slice(caret, usize::MAX));
        return Some((out, caret - width * 2));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_become_blocks_only_right_after_typing_them() {
        let heading = block_shortcut(&RichText::plain("## Title"), 3).unwrap();
        assert_eq!(heading.kind(), Some(BlockKind::Heading));
        assert_eq!(heading.plain_text(), "Title");
        assert!(block_shortcut(&RichText::plain("## Title"), 8).is_none());
        let BlockContent::Heading(h3) = block_shortcut(&RichText::plain("### "), 4).unwrap() else {
            panic!()
        };
        assert_eq!(h3.level, 3);
        assert_eq!(
            block_shortcut(&RichText::plain("- "), 2).unwrap().kind(),
            Some(BlockKind::List)
        );
        assert_eq!(
            block_shortcut(&RichText::plain("1. "), 3).unwrap().kind(),
            Some(BlockKind::NumberedList)
        );
        assert_eq!(
            block_shortcut(&RichText::plain("> "), 2).unwrap().kind(),
            Some(BlockKind::Quote)
        );
        assert_eq!(
            block_shortcut(&RichText::plain("---"), 3).unwrap().kind(),
            Some(BlockKind::Divider)
        );
        assert!(block_shortcut(&RichText::plain("-- "), 3).is_none());
    }

    #[test]
    fn closing_delimiters_format_the_text_between() {
        let (text, caret) = inline_shortcut(&RichText::plain("a **bold** b"), 10).unwrap();
        assert_eq!(text.to_plain(), "a bold b");
        assert!(text.has_mark(2, 6, Mark::Bold));
        assert_eq!(caret, 6);
        let (text, caret) = inline_shortcut(&RichText::plain("run `ls`"), 8).unwrap();
        assert_eq!(text.to_plain(), "run ls");
        assert!(text.has_mark(4, 6, Mark::Code));
        assert_eq!(caret, 6);
        assert!(inline_shortcut(&RichText::plain("****"), 4).is_none());
        assert!(inline_shortcut(&RichText::plain("a ** b **"), 9).is_none());
        assert!(inline_shortcut(&RichText::plain("2*3"), 3).is_none());
    }
}
