//! Rich inline text: runs of characters carrying marks (bold, italic, link, …). Pure.
//!
//! Offsets everywhere in the core count Unicode scalar values (`char`s), never bytes or UTF-16
//! units; the browser layer converts DOM offsets at its edge.

use crate::json::{Error, FromJson, ObjectWriter, Reader, ToJson};

/// The formatting a run of text carries. A link is a mark too: its target is `link`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Marks {
    pub bold: bool,
    pub italic: bool,
    pub strike: bool,
    pub code: bool,
    pub highlight: bool,
    pub link: Option<String>,
}

/// One of the toggleable marks (a link is set with [`RichText::set_link`] instead).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mark {
    Bold,
    Italic,
    Strike,
    Code,
    Highlight,
}

impl Mark {
    pub const ALL: [Mark; 5] = [
        Mark::Bold,
        Mark::Italic,
        Mark::Strike,
        Mark::Code,
        Mark::Highlight,
    ];

    fn flag(self, marks: &mut Marks) -> &mut bool {
        match self {
            Mark::Bold => &mut marks.bold,
            Mark::Italic => &mut marks.italic,
            Mark::Strike => &mut marks.strike,
            Mark::Code => &mut marks.code,
            Mark::Highlight => &mut marks.highlight,
        }
    }

    pub fn is_set(self, marks: &Marks) -> bool {
        let mut copy = marks.clone();
        *self.flag(&mut copy)
    }
}

impl Marks {
    pub fn is_plain(&self) -> bool {
        *self == Marks::default()
    }

    pub fn with(mut self, mark: Mark, on: bool) -> Marks {
        *mark.flag(&mut self) = on;
        self
    }
}

/// A run of text that carries one set of marks.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TextRun {
    pub text: String,
    pub marks: Marks,
}

/// Stored as `{"text": "…", "bold": true, …}` with only the marks that are set; fields a run
/// does not know are ignored, as marks this version cannot show have no place to go.
impl ToJson for TextRun {
    fn write_json(&self, out: &mut String) {
        let marks = &self.marks;
        let mut object = ObjectWriter::new(out);
        object.field("text", &self.text);
        for (name, on) in [
            ("bold", marks.bold),
            ("italic", marks.italic),
            ("strike", marks.strike),
            ("code", marks.code),
            ("highlight", marks.highlight),
        ] {
            if on {
                object.field(name, &true);
            }
        }
        if let Some(link) = &marks.link {
            object.field("link", link);
        }
        object.end();
    }
}

impl FromJson for TextRun {
    fn read_json(reader: &mut Reader<'_>) -> Result<TextRun, Error> {
        let mut text = None;
        let mut marks = Marks::default();
        // Members it does not know are dropped (see above).
        crate::json::read_members(reader, None, &mut |key, reader| {
            match key {
                "text" => text = Some(String::read_json(reader)?),
                "bold" => marks.bold = reader.boolean()?,
                "italic" => marks.italic = reader.boolean()?,
                "strike" => marks.strike = reader.boolean()?,
                "code" => marks.code = reader.boolean()?,
                "highlight" => marks.highlight = reader.boolean()?,
                "link" => marks.link = FromJson::read_json(reader)?,
                _ => return Ok(false),
            }
            Ok(true)
        })?;
        let text = text.ok_or_else(|| Error::missing("text"))?;
        Ok(TextRun { text, marks })
    }
}

/// Inline content: a normalised list of runs (no empty runs, no two neighbours with equal marks).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RichText {
    runs: Vec<TextRun>,
}

impl ToJson for RichText {
    fn write_json(&self, out: &mut String) {
        self.runs.write_json(out);
    }
}

/// Runs read from storage are normalised, whatever wrote them.
impl FromJson for RichText {
    fn read_json(reader: &mut Reader<'_>) -> Result<RichText, Error> {
        Vec::<TextRun>::read_json(reader).map(RichText::from)
    }
}

impl From<Vec<TextRun>> for RichText {
    fn from(runs: Vec<TextRun>) -> Self {
        // Stored runs are almost always normalised already: then they are kept as they are.
        let normal = runs.iter().all(|run| !run.text.is_empty())
            && runs.windows(2).all(|pair| pair[0].marks != pair[1].marks);
        if normal {
            return RichText { runs };
        }
        let mut text = RichText::default();
        for run in runs {
            text.push(&run.text, run.marks);
        }
        text
    }
}

impl From<RichText> for Vec<TextRun> {
    fn from(text: RichText) -> Self {
        text.runs
    }
}

impl From<&str> for RichText {
    fn from(plain: &str) -> Self {
        RichText::plain(plain)
    }
}

impl RichText {
    pub fn plain(text: &str) -> RichText {
        let mut rich = RichText::default();
        rich.push(text, Marks::default());
        rich
    }

    pub fn runs(&self) -> &[TextRun] {
        &self.runs
    }

    /// Appends text, merging with the last run when the marks are equal.
    pub fn push(&mut self, text: &str, marks: Marks) {
        if text.is_empty() {
            return;
        }
        if let Some(last) = self.runs.last_mut() {
            if last.marks == marks {
                last.text.push_str(text);
                return;
            }
        }
        self.runs.push(TextRun {
            text: text.to_owned(),
            marks,
        });
    }

    pub fn append(&mut self, other: &RichText) {
        for run in &other.runs {
            self.push(&run.text, run.marks.clone());
        }
    }

    pub fn is_empty(&self) -> bool {
        self.runs.is_empty()
    }

    /// The same text with every `from` written as `to`, marks kept.
    pub fn replace_char(&self, from: char, to: char) -> RichText {
        if !self.runs.iter().any(|run| run.text.contains(from)) {
            return self.clone();
        }
        let mut text = RichText::default();
        for run in &self.runs {
            text.push(
                &run.text.replace(from, to.encode_utf8(&mut [0; 4])),
                run.marks.clone(),
            );
        }
        text
    }

    /// Length in chars.
    pub fn len(&self) -> usize {
        self.runs.iter().map(|run| run.text.chars().count()).sum()
    }

    pub fn to_plain(&self) -> String {
        self.runs.iter().map(|run| run.text.as_str()).collect()
    }

    /// The part between two char offsets (clamped), marks kept.
    pub fn slice(&self, start: usize, end: usize) -> RichText {
        let mut out = RichText::default();
        let mut position = 0;
        for run in &self.runs {
            let count = run.text.chars().count();
            let run_start = position;
            let run_end = position + count;
            position = run_end;
            if run_end <= start || run_start >= end {
                continue;
            }
            let from = start.saturating_sub(run_start);
            let to = end.min(run_end) - run_start;
            let piece: String = run.text.chars().skip(from).take(to - from).collect();
            out.push(&piece, run.marks.clone());
        }
        out
    }

    /// Splits at a char offset into (before, after).
    pub fn split_at(&self, offset: usize) -> (RichText, RichText) {
        (self.slice(0, offset), self.slice(offset, usize::MAX))
    }

    /// Applies `change` to the marks of every run between two char offsets.
    pub fn map_marks(&self, start: usize, end: usize, change: impl Fn(&mut Marks)) -> RichText {
        let mut out = self.slice(0, start);
        for run in self.slice(start, end).runs {
            let mut marks = run.marks;
            change(&mut marks);
            out.push(&run.text, marks);
        }
        out.append(&self.slice(end, usize::MAX));
        out
    }

    /// Whether every char in the range carries the mark (false for an empty range).
    pub fn has_mark(&self, start: usize, end: usize, mark: Mark) -> bool {
        let part = self.slice(start, end);
        !part.is_empty() && part.runs.iter().all(|run| mark.is_set(&run.marks))
    }

    /// Turns a mark on over the range, or off when the whole range already has it.
    pub fn toggle_mark(&self, start: usize, end: usize, mark: Mark) -> RichText {
        let on = !self.has_mark(start, end, mark);
        self.map_marks(start, end, |marks| *mark.flag(marks) = on)
    }

    /// Sets (or with `None` removes) the link over the range.
    pub fn set_link(&self, start: usize, end: usize, href: Option<&str>) -> RichText {
        self.map_marks(start, end, |marks| marks.link = href.map(str::to_owned))
    }

    /// The link target at a char offset, if the char there is linked.
    pub fn link_at(&self, offset: usize) -> Option<&str> {
        let mut position = 0;
        for run in &self.runs {
            let count = run.text.chars().count();
            if offset >= position && offset < position + count {
                return run.marks.link.as_deref();
            }
            position += count;
        }
        None
    }

    /// Replaces the chars between two offsets with plain text carrying `marks`.
    pub fn replace(&self, start: usize, end: usize, text: &str, marks: Marks) -> RichText {
        let mut out = self.slice(0, start);
        out.push(text, marks);
        out.append(&self.slice(end, usize::MAX));
        out
    }

    /// The marks a char typed at `offset` would take (those of the char before it).
    pub fn marks_at(&self, offset: usize) -> Marks {
        if offset == 0 {
            return Marks::default();
        }
        self.slice(offset - 1, offset)
            .runs
            .first()
            .map(|run| run.marks.clone())
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bold() -> Marks {
        Marks::default().with(Mark::Bold, true)
    }

    #[test]
    fn push_merges_equal_marks_and_skips_empty_text() {
        let mut text = RichText::default();
        text.push("ab", Marks::default());
        text.push("", bold());
        text.push("cd", Marks::default());
        assert_eq!(text.runs().len(), 1);
        assert_eq!(text.to_plain(), "abcd");
    }

    #[test]
    fn slice_counts_chars_not_bytes() {
        let mut text = RichText::plain("日本");
        text.push("語です", bold());
        assert_eq!(text.len(), 5);
        let part = text.slice(1, 3);
        assert_eq!(part.to_plain(), "本語");
        assert_eq!(part.runs()[1].marks, bold());
    }

    #[test]
    fn toggle_mark_turns_on_then_off() {
        let text = RichText::plain("hello world");
        let on = text.toggle_mark(0, 5, Mark::Bold);
        assert!(on.has_mark(0, 5, Mark::Bold));
        assert!(!on.has_mark(0, 6, Mark::Bold));
        let off = on.toggle_mark(0, 5, Mark::Bold);
        assert_eq!(off, text);
    }

    #[test]
    fn toggle_over_partly_marked_range_marks_all() {
        let text = RichText::plain("abcdef").toggle_mark(0, 2, Mark::Italic);
        let all = text.toggle_mark(0, 4, Mark::Italic);
        assert!(all.has_mark(0, 4, Mark::Italic));
    }

    #[test]
    fn links_set_and_remove() {
        let text = RichText::plain("see here").set_link(4, 8, Some("https://example.com"));
        assert_eq!(text.link_at(5), Some("https://example.com"));
        assert_eq!(text.link_at(1), None);
        assert_eq!(text.set_link(0, 8, None), RichText::plain("see here"));
    }

    #[test]
    fn json_form_is_a_list_of_runs() {
        let mut text = RichText::plain("a");
        text.push("b", bold());
        let json = text.to_json_text();
        assert_eq!(json, r#"[{"text":"a"},{"text":"b","bold":true}]"#);
        let back: RichText = crate::json::from_text(&json).unwrap();
        assert_eq!(back, text);
    }

    #[test]
    fn deserialising_normalises_runs() {
        let text: RichText =
            crate::json::from_text(r#"[{"text":"a"},{"text":""},{"text":"b"}]"#).unwrap();
        assert_eq!(text.runs().len(), 1);
    }
}
