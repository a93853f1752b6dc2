//! Counting a post: characters (grapheme clusters, whitespace excluded), Latin words, and
//! reading time. Pure; the browser may count graphemes with `Intl.Segmenter` instead.

use crate::model::Document;

/// The post's counts, as the status bar shows them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub characters: usize,
    pub words: usize,
    pub minutes: usize,
}

/// Visible characters of text in which every character stands alone (ASCII, Latin, kana,
/// kanji, CJK punctuation, full-width forms), without segmenting; `None` when some character
/// may join its neighbours (combining marks, emoji sequences, other scripts), which needs a
/// real grapheme segmenter. Most Japanese and English posts take this path.
pub fn standalone_characters(text: &str) -> Option<usize> {
    let mut count = 0;
    for ch in text.chars() {
        let standalone = matches!(ch as u32,
            0x0000..=0x02FF | 0x3000..=0x3098 | 0x309B..=0x30FF | 0x3400..=0x4DBF
            | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFF9D | 0xFFA0..=0xFFEF);
        if !standalone || ch == '\r' {
            return None;
        }
        if !ch.is_whitespace() {
            count += 1;
        }
    }
    Some(count)
}

/// Characters that join the previous one into a single visible character.
fn extends_previous(ch: char) -> bool {
    matches!(ch as u32,
        0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F
        | 0x3099..=0x309A | 0xFE00..=0xFE0F | 0xE0100..=0xE01EF | 0x1F3FB..=0x1F3FF
        | 0xE0020..=0xE007F | 0x200C | 0x0E31 | 0x0E34..=0x0E3A | 0x0E47..=0x0E4E
        | 0x0900..=0x0903 | 0x093A..=0x094F | 0x0951..=0x0957 | 0x0962..=0x0963)
}

fn is_regional_indicator(ch: char) -> bool {
    (0x1F1E6..=0x1F1FF).contains(&(ch as u32))
}

/// Grapheme clusters that are not whitespace. Handles combining marks, variation selectors,
/// emoji modifiers and ZWJ sequences, and flags (regional-indicator pairs).
pub fn visible_characters(text: &str) -> usize {
    let mut count = 0;
    let mut joined = false;
    let mut pending_flag = false;
    for ch in text.chars() {
        if ch.is_whitespace() {
            joined = false;
            pending_flag = false;
            continue;
        }
        if ch == '\u{200D}' {
            joined = true;
            continue;
        }
        if joined || extends_previous(ch) {
            joined = false;
            continue;
        }
        if is_regional_indicator(ch) {
            if pending_flag {
                pending_flag = false;
                continue;
            }
            pending_flag = true;
        } else {
            pending_flag = false;
        }
        count += 1;
    }
    count
}

fn is_latin_word_char(ch: char) -> bool {
    ch.is_ascii_alphanumeric() || matches!(ch as u32, 0x00C0..=0x024F) || ch == '\'' || ch == '’'
}

/// Words of Latin-script text (Japanese has no spaces between words, so it is not counted).
pub fn latin_words(text: &str) -> usize {
    text.split(|ch: char| !is_latin_word_char(ch))
        .filter(|word| {
            word.chars()
                .any(|ch| ch.is_alphabetic() || ch.is_ascii_digit())
        })
        .count()
}

/// Characters read at Japanese speed: kana, kanji and full-width forms.
fn is_cjk(ch: char) -> bool {
    matches!(ch as u32, 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF | 0x3000..=0x303F)
}

/// Minutes to read: about 500 Japanese characters or 200 English words a minute (at least one
/// minute for any text).
pub fn reading_minutes(cjk_characters: usize, words: usize) -> usize {
    let minutes = cjk_characters as f64 / 500.0 + words as f64 / 200.0;
    if cjk_characters + words == 0 {
        0
    } else {
        minutes.ceil().max(1.0) as usize
    }
}

/// Counts everything visible in a post: title, text of every block, bubbles and cards.
pub fn count(doc: &Document, graphemes: impl Fn(&str) -> usize) -> Counts {
    let mut total = Tally::of(&doc.title, &graphemes);
    for block in &doc.blocks {
        total = total + Tally::of(&block.content.plain_text(), &graphemes);
    }
    total.counts()
}

/// What one piece of text (the title, a block) adds to a post's counts. Pieces add up to the
/// whole, so an editor can keep each block's tally and recount only the blocks that changed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    characters: usize,
    words: usize,
    cjk: usize,
}

impl Tally {
    pub fn of(text: &str, graphemes: impl Fn(&str) -> usize) -> Tally {
        if text.is_empty() {
            return Tally::default();
        }
        Tally {
            characters: graphemes(text),
            words: latin_words(text),
            cjk: text.chars().filter(|ch| is_cjk(*ch)).count(),
        }
    }

    pub fn counts(self) -> Counts {
        Counts {
            characters: self.characters,
            words: self.words,
            minutes: reading_minutes(self.cjk, self.words),
        }
    }
}

impl std::ops::Add for Tally {
    type Output = Tally;

    fn add(self, other: Tally) -> Tally {
        Tally {
            characters: self.characters + other.characters,
            words: self.words + other.words,
            cjk: self.cjk + other.cjk,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Block, BlockContent, BlockId, BlockKind, Bubble, LinkCard, RichText};

    #[test]
    fn standalone_characters_agree_with_the_segmenting_count() {
        for text in [
            "日本語の文章です。",
            "Hello, wörld! 2026",
            "全角ＡＢＣ　ｶﾀｶﾅ",
            "( ﾟдﾟ)",
            "",
        ] {
            if let Some(count) = standalone_characters(text) {
                assert_eq!(count, visible_characters(text), "{text}");
            }
        }
        assert_eq!(standalone_characters("日本語の文章です。"), Some(9));
        for joined in ["か\u{3099}", "e\u{301}", "👍🏽", "🇯🇵", "ｶﾞ", "a\r\nb"] {
            assert_eq!(standalone_characters(joined), None, "{joined}");
        }
    }

    #[test]
    fn tallies_of_pieces_add_up_to_the_whole() {
        let pieces = [
            "日本語の文章です。",
            "Hello world, again.",
            "",
            "e\u{301} 👩‍👩‍👧 🇯🇵 it's",
        ];
        let whole = pieces.join("\n");
        let sum = pieces.iter().fold(Tally::default(), |total, piece| {
            total + Tally::of(piece, visible_characters)
        });
        assert_eq!(sum.counts(), Tally::of(&whole, visible_characters).counts());
        assert_eq!(sum.counts().characters, 9 + 17 + 7);
    }

    #[test]
    fn characters_are_grapheme_clusters_without_whitespace() {
        assert_eq!(visible_characters("日本語 の\n文章"), 6);
        assert_eq!(visible_characters("e\u{301}"), 1);
        assert_eq!(visible_characters("👩‍👩‍👧"), 1);
        assert_eq!(visible_characters("👍🏽"), 1);
        assert_eq!(visible_characters("🇯🇵🇺🇸"), 2);
        assert_eq!(visible_characters("か\u{3099}"), 1);
        assert_eq!(visible_characters("( ﾟдﾟ)"), 5);
    }

    #[test]
    fn words_count_latin_text_only() {
        assert_eq!(latin_words("Hello, world! It's 2026."), 4);
        assert_eq!(latin_words("日本語の文章"), 0);
        assert_eq!(latin_words("café au lait"), 3);
    }

    #[test]
    fn reading_time_mixes_both_speeds() {
        assert_eq!(reading_minutes(0, 0), 0);
        assert_eq!(reading_minutes(10, 0), 1);
        assert_eq!(reading_minutes(1000, 0), 2);
        assert_eq!(reading_minutes(500, 200), 2);
    }

    #[test]
    fn counts_cover_bubbles_and_cards() {
        let doc = Document {
            title: "題".into(),
            blocks: vec![
                Block::new(
                    BlockId("a".into()),
                    BlockKind::Paragraph.with_text(RichText::plain("本文 text")),
                ),
                Block::new(
                    BlockId("b".into()),
                    BlockContent::Bubble(Bubble {
                        text: RichText::plain("吹き出し"),
                        ..Default::default()
                    }),
                ),
                Block::new(
                    BlockId("c".into()),
                    BlockContent::LinkCard(LinkCard {
                        url: "https://example.com/".into(),
                        title: "カード".into(),
                        ..Default::default()
                    }),
                ),
            ],
            ..Default::default()
        };
        let counts = count(&doc, visible_characters);
        assert_eq!(counts.characters, 1 + 2 + 4 + 4 + 3);
        assert_eq!(counts.words, 1);
        assert_eq!(counts.minutes, 1);
    }
}
