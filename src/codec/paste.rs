//! What a paste becomes: blocks from the clipboard's HTML or plain text. Pure.

use super::html_blocks;
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

/// Blocks from a clipboard: its HTML when it has any we can read, else its plain text.
pub fn blocks_from_clipboard(html: &str, plain: &str) -> Vec<BlockContent> {
    if !html.trim().is_empty() {
        let blocks = html_blocks::from_html(html);
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
    fn html_wins_over_plain_text() {
        let blocks = blocks_from_clipboard("<h2>T</h2><p>x</p>", "T\n\nx");
        assert_eq!(blocks[0].kind(), Some(crate::model::BlockKind::Heading));
    }
}
