//! What a paste becomes: blocks from the clipboard's HTML or plain text. Pure.

use super::{html_blocks, markdown};
use crate::model::{BlockContent, Paragraph, RichText};

/// Blocks from plain text: a blank line separates paragraphs, a single newline breaks a line.
pub fn blocks_from_plain_text(text: &str) -> Vec<BlockContent> {
    let normalised = text.replace("\r\n", "\n").replace('\r', "\n");
    normalised
        .split("\n\n")
        .map(|chunk| chunk.trim_matches('\n'))
        .filter(|chunk| !chunk.trim().is_empty())
        .map(|chunk| {
            BlockContent::Paragraph(Paragraph {
                text: RichText::plain(chunk),
                ..Default::default()
            })
        })
        .collect()
}

/// Whether plain text is written in Markdown: block markers at line starts, fenced code, or
/// inline emphasis and links. Ordinary prose (and kaomoji) is not taken for Markdown.
pub fn looks_like_markdown(text: &str) -> bool {
    let block_marker = text.lines().any(|line| {
        let line = line.trim_start();
        ["# ", "## ", "### ", "#### ", "- ", "* ", "> ", "```", "1. "]
            .iter()
            .any(|marker| line.starts_with(marker))
            || line == "---"
    });
    let inline = (text.contains("**") && text.matches("**").count() >= 2)
        || (text.contains("](") && text.contains('['));
    block_marker || inline
}

/// Blocks from a clipboard: its HTML when it has any we can read, else its plain text, read as
/// Markdown when it is written in it.
pub fn blocks_from_clipboard(html: &str, plain: &str) -> Vec<BlockContent> {
    if !html.trim().is_empty() {
        let blocks = html_blocks::from_html(html);
        if !blocks.is_empty() {
            return blocks;
        }
    }
    if looks_like_markdown(plain) {
        let blocks = markdown::from_markdown(plain);
        if !blocks.is_empty() {
            return blocks;
        }
    }
    blocks_from_plain_text(plain)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_lines_separate_paragraphs() {
        let blocks = blocks_from_plain_text("one\ntwo\r\n\r\n\n three \n\n");
        assert_eq!(blocks.len(), 2);
        assert_eq!(blocks[0].plain_text(), "one\ntwo");
        assert_eq!(blocks[1].plain_text(), " three ");
    }

    #[test]
    fn markdown_text_becomes_our_kinds() {
        let blocks = blocks_from_clipboard("", "## Title\n\nSome **bold** text\n\n- a\n- b\n");
        let kinds: Vec<_> = blocks.iter().map(BlockContent::kind).collect();
        use crate::model::BlockKind::*;
        assert_eq!(kinds, vec![Some(Heading), Some(Paragraph), Some(List)]);
        let plain = blocks_from_clipboard("", "(*´ω｀*) just a face\n\n_(:3 」∠)_");
        assert_eq!(plain.len(), 2);
        assert_eq!(plain[0].plain_text(), "(*´ω｀*) just a face");
    }

    #[test]
    fn html_wins_over_plain_text() {
        let blocks = blocks_from_clipboard("<h2>T</h2><p>x</p>", "T\n\nx");
        assert_eq!(blocks[0].kind(), Some(crate::model::BlockKind::Heading));
    }
}
