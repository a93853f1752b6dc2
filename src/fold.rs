//! Case folding for searches and host names. Pure.
//!
//! `str::to_lowercase` brings the standard library's Unicode case table (with its code, about
//! 15 KB of the module and 7.5 KB of the gzipped first load) for searches that only meet the
//! scripts our authors write in. This folds the cased letters of those scripts: Latin (ASCII,
//! Latin-1, Latin Extended-A), Greek and Coptic, basic Cyrillic and full-width Latin. Every other
//! character is left as it is (kana and kanji have no case).

/// `text` with its letters in the scripts above lower-cased, one character for one.
pub fn fold_case(text: &str) -> String {
    text.chars().map(fold_char).collect()
}

/// One character lower-cased, or itself when it has no lower case here.
pub fn fold_char(c: char) -> char {
    let code = c as u32;
    let even = code & 1 == 0;
    let lower = match code {
        0x41..=0x5A => code + 0x20,
        0x00..=0x7F => code,
        0xC0..=0xDE if code != 0xD7 => code + 0x20,
        // Latin Extended-A pairs an upper case with the lower case after it; where the pairs
        // shift by one (Ĺ…Ň, Ź…Ž) the upper case is the odd one. İ, ı, ĸ and ŉ stand alone.
        0x0100..=0x012F | 0x0132..=0x0137 | 0x014A..=0x0177 if even => code + 1,
        0x0139..=0x0148 | 0x0179..=0x017E if !even => code + 1,
        // İ lower-cases to i and a combining dot; a search wants the i alone.
        0x0130 => 0x69,
        0x0178 => 0xFF,
        0x0370 | 0x0372 | 0x0376 | 0x03F7 | 0x03FA => code + 1,
        0x03D8..=0x03EF if even => code + 1,
        0x037F => 0x03F3,
        0x03CF => 0x03D7,
        0x03F4 => 0x03B8,
        0x03F9 => 0x03F2,
        0x03FD..=0x03FF => code - 0x82,
        0x0386 => 0x03AC,
        0x0388..=0x038A => code + 0x25,
        0x038C => 0x03CC,
        0x038E..=0x038F => code + 0x3F,
        0x0391..=0x03AB if code != 0x03A2 => code + 0x20,
        0x0400..=0x040F => code + 0x50,
        0x0410..=0x042F => code + 0x20,
        0xFF21..=0xFF3A => code + 0x20,
        _ => code,
    };
    char::from_u32(lower).unwrap_or(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// In the blocks it covers, every character folds as the standard library lower-cases it
    /// (İ to the i it starts with).
    #[test]
    fn folds_as_the_standard_library_in_the_blocks_it_covers() {
        let blocks = [0x0000..=0x017F, 0x0370..=0x045F, 0xFF00..=0xFF5E];
        let mut folded = 0;
        for code in blocks.into_iter().flatten() {
            let Some(c) = char::from_u32(code) else {
                continue;
            };
            let theirs: Vec<char> = c.to_lowercase().collect();
            assert_eq!(Some(&fold_char(c)), theirs.first(), "U+{code:04X}");
            folded += usize::from(fold_char(c) != c);
        }
        assert_eq!(folded, 250, "upper-case letters in these blocks");
    }

    #[test]
    fn folds_the_letters_authors_search_with() {
        assert_eq!(
            fold_case("Tsuzuri ÉTÉ Ελλάδα МОСКВА ＡＢＣ"),
            "tsuzuri été ελλάδα москва ａｂｃ"
        );
        assert_eq!(fold_case("吹き出し カード"), "吹き出し カード");
        assert_eq!(fold_case("EXAMPLE.com"), "example.com");
    }
}
