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
    let text = doc.plain_text();
    let words = latin_words(&text);
    let cjk = text.chars().filter(|ch| is_cjk(*ch)).count();
    Counts {
        characters: graphemes(&text),
        words,
        minutes: reading_minutes(cjk, words),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Block, BlockContent, BlockId, BlockKind, Bubble, LinkCard, RichText};

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
