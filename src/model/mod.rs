//! The document model: a title and a flat list of blocks, each with a stable id. Pure.
//!
//! Adding a block kind: add a variant to [`BlockContent`] (and its data struct in `kinds.rs`),
//! then follow the compiler through every exhaustive `match` (codecs, views, menus).

mod inline;
mod kinds;
pub mod speakers;
pub(crate) mod stored;

pub use inline::{Mark, Marks, RichText, TextRun};
pub use kinds::*;
pub use speakers::{Expression, Speaker, SpeakerRegistry};

use crate::json::{Error, FromJson, Reader, ToJson};

/// Separates a list's items in its joined text ([`BlockContent::rich_text`]). It is not a line
/// break, so an item's own line breaks (Shift+Enter) stay inside the item through every edit.
pub const ITEM_SEPARATOR: char = '\u{2029}';

/// Fields found in stored data that this version does not know; kept and written back.
pub type Extra = crate::json::Map;

/// A block's identity, stable across edits, moves and reloads.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BlockId(pub String);

/// Stored as its text.
impl FromJson for BlockId {
    fn read_json(reader: &mut Reader<'_>) -> Result<BlockId, Error> {
        String::read_json(reader).map(BlockId)
    }
}

impl ToJson for BlockId {
    fn write_json(&self, out: &mut String) {
        self.0.write_json(out);
    }
}

impl BlockId {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for BlockId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A post: its title and its blocks in order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Document {
    pub title: String,
    pub blocks: Vec<Block>,
    /// Top-level fields of the stored form that this version does not know.
    pub extra: Extra,
}

impl Document {
    pub fn index_of(&self, id: &BlockId) -> Option<usize> {
        self.blocks.iter().position(|block| &block.id == id)
    }

    pub fn block(&self, id: &BlockId) -> Option<&Block> {
        self.blocks.iter().find(|block| &block.id == id)
    }

    /// All visible text of the post, block by block (for counts and search).
    pub fn plain_text(&self) -> String {
        let mut out = self.title.clone();
        for block in &self.blocks {
            let text = block.content.plain_text();
            if !text.is_empty() {
                if !out.is_empty() {
                    out.push('\n');
                }
                out.push_str(&text);
            }
        }
        out
    }
}

/// One block: identity, content, and any stored fields this version does not know.
#[derive(Clone, Debug, PartialEq)]
pub struct Block {
    pub id: BlockId,
    pub content: BlockContent,
    pub extra: Extra,
}

impl Block {
    pub fn new(id: BlockId, content: BlockContent) -> Block {
        Block {
            id,
            content,
            extra: Extra::new(),
        }
    }
}

/// Every kind of block. Each codec and view matches on this exhaustively.
#[derive(Clone, Debug, PartialEq)]
pub enum BlockContent {
    Paragraph(Paragraph),
    Heading(Heading),
    List(List),
    Quote(Quote),
    Divider(Divider),
    Image(Image),
    Code(Code),
    LinkCard(LinkCard),
    Bubble(Bubble),
    /// A block of a type this version does not know, kept exactly as it was stored.
    Unknown(UnknownBlock),
}

/// The kinds an author can insert, in menu order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BlockKind {
    Paragraph,
    Heading,
    List,
    NumberedList,
    Quote,
    Divider,
    Image,
    Code,
    LinkCard,
    Bubble,
}

impl BlockKind {
    pub const ALL: [BlockKind; 10] = [
        BlockKind::Paragraph,
        BlockKind::Heading,
        BlockKind::List,
        BlockKind::NumberedList,
        BlockKind::Quote,
        BlockKind::Divider,
        BlockKind::Image,
        BlockKind::Code,
        BlockKind::LinkCard,
        BlockKind::Bubble,
    ];

    /// Whether the kind holds one piece of inline text that survives a conversion.
    pub fn is_textual(self) -> bool {
        matches!(
            self,
            BlockKind::Paragraph
                | BlockKind::Heading
                | BlockKind::List
                | BlockKind::NumberedList
                | BlockKind::Quote
        )
    }

    /// A new, empty block of this kind.
    pub fn empty(self) -> BlockContent {
        self.with_text(RichText::default())
    }

    /// A block of this kind holding `text` (dropped by kinds that have no inline text). A list
    /// gets an item per line; other kinds keep a list's item separators as line breaks.
    pub fn with_text(self, text: RichText) -> BlockContent {
        let text = match self {
            BlockKind::List | BlockKind::NumberedList => text,
            _ => text.replace_char(ITEM_SEPARATOR, '\n'),
        };
        match self {
            BlockKind::Paragraph => BlockContent::Paragraph(Paragraph {
                text,
                ..Default::default()
            }),
            BlockKind::Heading => BlockContent::Heading(Heading {
                level: 2,
                text,
                ..Default::default()
            }),
            BlockKind::List | BlockKind::NumberedList => BlockContent::List(List {
                ordered: self == BlockKind::NumberedList,
                items: text_lines(&text, &['\n', ITEM_SEPARATOR])
                    .into_iter()
                    .map(|text| ListItem {
                        text,
                        indent: 0,
                        ..Default::default()
                    })
                    .collect(),
                ..Default::default()
            }),
            BlockKind::Quote => BlockContent::Quote(Quote {
                text,
                ..Default::default()
            }),
            BlockKind::Divider => BlockContent::Divider(Divider::default()),
            BlockKind::Image => BlockContent::Image(Image::default()),
            BlockKind::Code => BlockContent::Code(Code {
                code: text.to_plain(),
                ..Default::default()
            }),
            BlockKind::LinkCard => BlockContent::LinkCard(LinkCard::default()),
            BlockKind::Bubble => BlockContent::Bubble(Bubble {
                text,
                ..Default::default()
            }),
        }
    }
}

/// Splits inline text at each of `separators` (marks kept).
pub fn text_lines(text: &RichText, separators: &[char]) -> Vec<RichText> {
    let plain: Vec<char> = text.to_plain().chars().collect();
    let mut lines = Vec::new();
    let mut start = 0;
    for (index, ch) in plain.iter().enumerate() {
        if separators.contains(ch) {
            lines.push(text.slice(start, index));
            start = index + 1;
        }
    }
    lines.push(text.slice(start, plain.len()));
    lines
}

impl BlockContent {
    /// The kind (`None` for a block of unknown type).
    pub fn kind(&self) -> Option<BlockKind> {
        Some(match self {
            BlockContent::Paragraph(_) => BlockKind::Paragraph,
            BlockContent::Heading(_) => BlockKind::Heading,
            BlockContent::List(list) if list.ordered => BlockKind::NumberedList,
            BlockContent::List(_) => BlockKind::List,
            BlockContent::Quote(_) => BlockKind::Quote,
            BlockContent::Divider(_) => BlockKind::Divider,
            BlockContent::Image(_) => BlockKind::Image,
            BlockContent::Code(_) => BlockKind::Code,
            BlockContent::LinkCard(_) => BlockKind::LinkCard,
            BlockContent::Bubble(_) => BlockKind::Bubble,
            BlockContent::Unknown(_) => return None,
        })
    }

    /// The main inline text of a text-like block (a list's items joined by [`ITEM_SEPARATOR`]).
    pub fn rich_text(&self) -> Option<RichText> {
        match self {
            BlockContent::Paragraph(block) => Some(block.text.clone()),
            BlockContent::Heading(block) => Some(block.text.clone()),
            BlockContent::Quote(block) => Some(block.text.clone()),
            BlockContent::Bubble(block) => Some(block.text.clone()),
            BlockContent::List(list) => {
                let mut out = RichText::default();
                for (index, item) in list.items.iter().enumerate() {
                    if index > 0 {
                        out.push(ITEM_SEPARATOR.encode_utf8(&mut [0; 4]), Marks::default());
                    }
                    out.append(&item.text);
                }
                Some(out)
            }
            BlockContent::Code(block) => Some(RichText::plain(&block.code)),
            BlockContent::Divider(_)
            | BlockContent::Image(_)
            | BlockContent::LinkCard(_)
            | BlockContent::Unknown(_) => None,
        }
    }

    /// The length in chars of [`BlockContent::rich_text`] (0 for blocks without one), without
    /// copying it: keys ask for it.
    pub fn text_len(&self) -> usize {
        match self {
            BlockContent::Paragraph(block) => block.text.len(),
            BlockContent::Heading(block) => block.text.len(),
            BlockContent::Quote(block) => block.text.len(),
            BlockContent::Bubble(block) => block.text.len(),
            BlockContent::List(list) => {
                let separators = list.items.len().saturating_sub(1);
                list.items.iter().map(|item| item.text.len()).sum::<usize>() + separators
            }
            BlockContent::Code(block) => block.code.chars().count(),
            BlockContent::Divider(_)
            | BlockContent::Image(_)
            | BlockContent::LinkCard(_)
            | BlockContent::Unknown(_) => 0,
        }
    }

    /// The main inline text with a list's items as lines, for text that moves into a block of
    /// another kind (a list read inside a quote or a bubble).
    pub fn text_as_lines(&self) -> Option<RichText> {
        self.rich_text()
            .map(|text| text.replace_char(ITEM_SEPARATOR, '\n'))
    }

    /// Visible text of the block, for counts and search.
    pub fn plain_text(&self) -> String {
        match self {
            BlockContent::Paragraph(block) => block.text.to_plain(),
            BlockContent::Heading(block) => block.text.to_plain(),
            BlockContent::List(list) => list
                .items
                .iter()
                .map(|item| item.text.to_plain())
                .collect::<Vec<_>>()
                .join("\n"),
            BlockContent::Quote(block) => {
                join_nonempty(&[block.text.to_plain(), block.citation.clone()])
            }
            BlockContent::Divider(_) => String::new(),
            BlockContent::Image(block) => block.caption.clone(),
            BlockContent::Code(block) => block.code.clone(),
            BlockContent::LinkCard(card) => join_nonempty(&[
                card.display_title(),
                card.description.clone(),
                card.site_name.clone(),
            ]),
            BlockContent::Bubble(bubble) => {
                join_nonempty(&[bubble.speaker.name.clone(), bubble.text.to_plain()])
            }
            BlockContent::Unknown(_) => String::new(),
        }
    }

    /// Whether the block holds nothing an author typed.
    pub fn is_blank(&self) -> bool {
        match self {
            BlockContent::Paragraph(block) => block.text.is_empty(),
            BlockContent::Heading(block) => block.text.is_empty(),
            BlockContent::Quote(block) => block.text.is_empty() && block.citation.is_empty(),
            BlockContent::List(list) => list.items.iter().all(|item| item.text.is_empty()),
            BlockContent::Code(block) => block.code.is_empty(),
            BlockContent::Bubble(block) => block.text.is_empty(),
            BlockContent::Image(block) => block.src.is_empty(),
            BlockContent::LinkCard(card) => card.url.is_empty(),
            BlockContent::Divider(_) | BlockContent::Unknown(_) => false,
        }
    }

    /// The same text in another kind (`None` when either side has no inline text).
    pub fn convert_to(&self, kind: BlockKind) -> Option<BlockContent> {
        if !kind.is_textual() {
            return None;
        }
        let current = self.kind()?;
        if !current.is_textual() && current != BlockKind::Code {
            return None;
        }
        // A list stays the same list, its items and their nesting kept.
        if let (BlockContent::List(list), BlockKind::List | BlockKind::NumberedList) = (self, kind)
        {
            let mut list = list.clone();
            list.ordered = kind == BlockKind::NumberedList;
            return Some(BlockContent::List(list));
        }
        let mut converted = kind.with_text(self.rich_text()?);
        if let (BlockContent::Heading(from), BlockContent::Heading(to)) = (self, &mut converted) {
            to.level = from.level;
        }
        Some(converted)
    }
}

fn join_nonempty(parts: &[String]) -> String {
    parts
        .iter()
        .filter(|part| !part.is_empty())
        .cloned()
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converting_keeps_text_and_heading_level() {
        let heading = BlockContent::Heading(Heading {
            level: 3,
            text: RichText::plain("Title"),
            ..Default::default()
        });
        let paragraph = heading.convert_to(BlockKind::Paragraph).unwrap();
        assert_eq!(paragraph.plain_text(), "Title");
        assert!(BlockContent::Divider(Divider::default())
            .convert_to(BlockKind::Paragraph)
            .is_none());
        assert!(paragraph.convert_to(BlockKind::Image).is_none());
    }

    #[test]
    fn text_len_is_the_length_of_the_rich_text() {
        let samples = [
            BlockKind::Paragraph.with_text(RichText::plain("段落です")),
            BlockKind::List.with_text(RichText::plain("one\nふたつ\n")),
            BlockKind::List.with_text(RichText::default()),
            BlockKind::Code.with_text(RichText::plain("fn main() {}\n")),
            BlockKind::Bubble.with_text(RichText::plain("こんにちは")),
            BlockContent::Divider(Divider::default()),
        ];
        for content in samples {
            let expected = content.rich_text().map_or(0, |text| text.len());
            assert_eq!(content.text_len(), expected, "{content:?}");
        }
    }

    #[test]
    fn text_with_line_breaks_becomes_list_items() {
        let list = BlockKind::List.with_text(RichText::plain("one\ntwo"));
        let BlockContent::List(list) = list else {
            panic!("expected a list");
        };
        assert_eq!(list.items.len(), 2);
        assert_eq!(list.items[1].text.to_plain(), "two");
    }

    #[test]
    fn plain_text_covers_every_block() {
        let doc = Document {
            title: "T".into(),
            blocks: vec![
                Block::new(
                    BlockId("a".into()),
                    BlockKind::Paragraph.with_text("p".into()),
                ),
                Block::new(
                    BlockId("b".into()),
                    BlockContent::LinkCard(LinkCard {
                        url: "https://example.com/x".into(),
                        ..Default::default()
                    }),
                ),
            ],
            extra: Extra::new(),
        };
        assert_eq!(doc.plain_text(), "T\np\nexample.com");
    }
}
