//! Codec jobs: the exports, imports and pastes the editor hands to its codec worker, and the
//! messages that carry them there and back. Pure.
//!
//! The codecs (Markdown with its parser, WordPress, Editor.js, HTML in and out) are most of the
//! app's code but are needed only when a post leaves or arrives. They run in a second module,
//! loaded the first time one is needed, so the editor itself loads and starts with less. A post
//! travels in its stored JSON form, which reads back exactly (tests/roundtrip.rs).
//!
//! A message is `<request number>\n<JSON>`: the number pairs a reply with its request even when
//! the JSON cannot be read.

use super::html_export::{self, HtmlOptions};
use super::import::{self, ImportError, ImportFormat};
use super::json::{self, LoadError};
use super::markdown::{self, MarkdownFlavor};
use super::{backup, html_blocks, paste, wordpress};
use crate::json::{self as json_text, named_enum, Error, FromJson, ObjectWriter, Reader, ToJson};
use crate::model::{Block, BlockContent, BlockId, Document, SpeakerRegistry};
use std::borrow::Cow;

/// The first message a worker sends once it can take jobs.
pub const READY: &str = "ready";

/// What a post is exported as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Output {
    /// The post's HTML, to paste into a CMS.
    Html {
        inline_styles: bool,
    },
    Markdown(MarkdownFlavor),
    WordPress {
        gutenberg: bool,
    },
    /// A backup of the post with the speakers it uses.
    Backup,
    /// HTML with inline styles and its plain text, for the clipboard's two kinds.
    RichText,
}

/// One piece of work for the codec worker.
#[derive(Clone, Debug, PartialEq)]
pub enum Job {
    /// `post` is the post's stored JSON (`json::document_to_json`).
    Export {
        post: String,
        speakers: SpeakerRegistry,
        output: Output,
    },
    Import {
        text: String,
        format: ImportFormat,
        speakers: SpeakerRegistry,
    },
    /// What a paste becomes, from the clipboard's HTML or plain text.
    Paste { html: String, plain: String },
    /// Files that go with an export, for the author's site.
    Files(FileSet),
}

/// Files that go with an export: kept in the worker with the codecs that need them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileSet {
    /// The stylesheet for HTML exported with classes instead of inline styles.
    Stylesheet,
    /// The Hugo shortcodes that Hugo-flavoured Markdown uses.
    HugoShortcodes,
}

/// A job's result.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    Text(String),
    /// HTML and the same post as plain text.
    Rich {
        html: String,
        plain: String,
    },
    /// Blocks, as a post's stored JSON (their ids mean nothing).
    Blocks(String),
    /// A post read from text, as stored JSON with its title; `speakers` includes the new ones.
    Imported {
        format: ImportFormat,
        post: String,
        speakers: SpeakerRegistry,
        new_speakers: usize,
    },
    ImportFailed(ImportError),
    /// Files to download: each one's name and text.
    Files(Vec<(String, String)>),
    /// The job could not be read or its post could not be loaded (a sentence, in English).
    Failed(String),
}

/// Does one job. `new_id` names speakers an import adds.
pub fn run(job: Job, new_id: &mut dyn FnMut() -> String) -> Outcome {
    match job {
        Job::Export {
            post,
            speakers,
            output,
        } => match json::document_from_json(&post) {
            Ok(doc) => export(&doc, &speakers, output),
            Err(problem) => Outcome::Failed(problem.to_string()),
        },
        Job::Import {
            text,
            format,
            mut speakers,
        } => match import::import(&text, format, &mut speakers, new_id) {
            Ok(imported) => Outcome::Imported {
                format: imported.format,
                post: post_of(imported.title, imported.blocks),
                speakers,
                new_speakers: imported.new_speakers,
            },
            Err(problem) => Outcome::ImportFailed(problem),
        },
        Job::Paste { html, plain } => Outcome::Blocks(post_of(
            String::new(),
            paste::blocks_from_clipboard(&html, &plain),
        )),
        Job::Files(set) => Outcome::Files(files(set)),
    }
}

fn files(set: FileSet) -> Vec<(String, String)> {
    match set {
        FileSet::Stylesheet => vec![("tsuzuri.css".into(), html_export::STYLESHEET.into())],
        FileSet::HugoShortcodes => markdown::HUGO_SHORTCODES
            .iter()
            .map(|(path, template)| {
                let name = path.rsplit('/').next().unwrap_or(path);
                (name.to_owned(), (*template).to_owned())
            })
            .collect(),
    }
}

fn export(doc: &Document, speakers: &SpeakerRegistry, output: Output) -> Outcome {
    let styled = |inline_styles| HtmlOptions { inline_styles };
    Outcome::Text(match output {
        Output::Html { inline_styles } => html_export::to_html(doc, &styled(inline_styles)),
        Output::Markdown(flavor) => markdown::to_markdown(doc, flavor),
        Output::WordPress { gutenberg: true } => wordpress::to_gutenberg(doc),
        Output::WordPress { gutenberg: false } => wordpress::to_classic(doc),
        Output::Backup => backup::to_backup(doc, speakers),
        Output::RichText => {
            let html = html_export::to_html(doc, &styled(true));
            let plain = plain_text_of(&html);
            return Outcome::Rich { html, plain };
        }
    })
}

/// The plain-text alternative of exported HTML: its text, paragraphs kept apart.
fn plain_text_of(html: &str) -> String {
    html_blocks::from_html(html)
        .iter()
        .map(BlockContent::plain_text)
        .filter(|text| !text.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// Blocks as a post's stored JSON, so they cross to the editor in the form it reads fastest.
pub fn post_of(title: String, contents: Vec<BlockContent>) -> String {
    let blocks = contents
        .into_iter()
        .enumerate()
        .map(|(at, content)| Block::new(BlockId(format!("b{at}")), content))
        .collect();
    json::document_to_json(&Document {
        title,
        blocks,
        ..Default::default()
    })
}

/// The title and block contents of a post that crossed from the worker.
pub fn contents_of(post: &str) -> Result<(String, Vec<BlockContent>), LoadError> {
    let doc = json::document_from_json(post)?;
    Ok((
        doc.title,
        doc.blocks.into_iter().map(|block| block.content).collect(),
    ))
}

/// The message that asks for a job, given as its JSON (`Job::to_json_text`).
pub fn request(number: u32, job: &str) -> String {
    format!("{number}\n{job}")
}

/// The worker's side: the reply to one message.
pub fn answer(message: &str, new_id: &mut dyn FnMut() -> String) -> String {
    let (number, body) = message.split_once('\n').unwrap_or(("0", message));
    let outcome = match json_text::from_text::<Job>(body) {
        Ok(job) => run(job, new_id),
        Err(problem) => Outcome::Failed(format!("The job could not be read: {problem}.")),
    };
    format!("{number}\n{}", outcome.to_json_text())
}

/// The editor's side: which request a reply answers, and its outcome.
pub fn reply_of(message: &str) -> Option<(u32, Outcome)> {
    let (number, body) = message.split_once('\n')?;
    let number = number.parse().ok()?;
    let outcome = json_text::from_text(body).unwrap_or_else(|problem| {
        Outcome::Failed(format!("The reply could not be read: {problem}."))
    });
    Some((number, outcome))
}

// ---- the messages' JSON: each value an object naming its variant, then its fields ----

/// Begins an object whose first member names its variant under `tag` (as these messages are
/// written); its other members follow.
fn variant<'a>(reader: &mut Reader<'a>, tag: &str) -> Result<Cow<'a, str>, Error> {
    reader.begin_object()?;
    match reader.next_key()? {
        Some(key) if key == tag => reader.text(),
        _ => Err(Error::missing(tag)),
    }
}

/// A member that must have been there.
fn need<T>(value: Option<T>, key: &str) -> Result<T, Error> {
    value.ok_or_else(|| Error::missing(key))
}

fn unknown(what: &str, name: &str) -> Error {
    Error::shape(format!("unknown {what} `{name}`"))
}

named_enum!(FileSet { Stylesheet = "stylesheet", HugoShortcodes = "hugo_shortcodes" });

impl ToJson for Output {
    fn write_json(&self, out: &mut String) {
        let mut object = ObjectWriter::new(out);
        match self {
            Output::Html { inline_styles } => {
                object.field("to", "html");
                object.field("inline_styles", inline_styles);
            }
            Output::Markdown(flavor) => {
                object.field("to", "markdown");
                object.field("flavor", flavor);
            }
            Output::WordPress { gutenberg } => {
                object.field("to", "wordpress");
                object.field("gutenberg", gutenberg);
            }
            Output::Backup => object.field("to", "backup"),
            Output::RichText => object.field("to", "rich_text"),
        }
        object.end();
    }
}

impl FromJson for Output {
    fn read_json(reader: &mut Reader<'_>) -> Result<Output, Error> {
        let name = variant(reader, "to")?;
        let (mut inline_styles, mut flavor, mut gutenberg) = (None, None, None);
        while let Some(key) = reader.next_key()? {
            match key.as_ref() {
                "inline_styles" => inline_styles = Some(reader.boolean()?),
                "flavor" => flavor = Some(MarkdownFlavor::read_json(reader)?),
                "gutenberg" => gutenberg = Some(reader.boolean()?),
                _ => {
                    reader.value()?;
                }
            }
        }
        Ok(match name.as_ref() {
            "html" => Output::Html {
                inline_styles: need(inline_styles, "inline_styles")?,
            },
            "markdown" => Output::Markdown(need(flavor, "flavor")?),
            "wordpress" => Output::WordPress {
                gutenberg: need(gutenberg, "gutenberg")?,
            },
            "backup" => Output::Backup,
            "rich_text" => Output::RichText,
            other => return Err(unknown("output", other)),
        })
    }
}

impl ToJson for Job {
    fn write_json(&self, out: &mut String) {
        let mut object = ObjectWriter::new(out);
        match self {
            Job::Export {
                post,
                speakers,
                output,
            } => {
                object.field("job", "export");
                object.field("post", post);
                object.field("speakers", speakers);
                object.field("output", output);
            }
            Job::Import {
                text,
                format,
                speakers,
            } => {
                object.field("job", "import");
                object.field("text", text);
                object.field("format", format);
                object.field("speakers", speakers);
            }
            Job::Paste { html, plain } => {
                object.field("job", "paste");
                object.field("html", html);
                object.field("plain", plain);
            }
            Job::Files(set) => {
                object.field("job", "files");
                object.field("set", set);
            }
        }
        object.end();
    }
}

impl FromJson for Job {
    fn read_json(reader: &mut Reader<'_>) -> Result<Job, Error> {
        let name = variant(reader, "job")?;
        let (mut post, mut speakers, mut output, mut text) = (None, None, None, None);
        let (mut format, mut html, mut plain, mut set) = (None, None, None, None);
        while let Some(key) = reader.next_key()? {
            match key.as_ref() {
                "post" => post = Some(String::read_json(reader)?),
                "speakers" => speakers = Some(SpeakerRegistry::read_json(reader)?),
                "output" => output = Some(Output::read_json(reader)?),
                "text" => text = Some(String::read_json(reader)?),
                "format" => format = Some(ImportFormat::read_json(reader)?),
                "html" => html = Some(String::read_json(reader)?),
                "plain" => plain = Some(String::read_json(reader)?),
                "set" => set = Some(FileSet::read_json(reader)?),
                _ => {
                    reader.value()?;
                }
            }
        }
        Ok(match name.as_ref() {
            "export" => Job::Export {
                post: need(post, "post")?,
                speakers: need(speakers, "speakers")?,
                output: need(output, "output")?,
            },
            "import" => Job::Import {
                text: need(text, "text")?,
                format: need(format, "format")?,
                speakers: need(speakers, "speakers")?,
            },
            "paste" => Job::Paste {
                html: need(html, "html")?,
                plain: need(plain, "plain")?,
            },
            "files" => Job::Files(need(set, "set")?),
            other => return Err(unknown("job", other)),
        })
    }
}

impl ToJson for ImportError {
    fn write_json(&self, out: &mut String) {
        let mut object = ObjectWriter::new(out);
        match self {
            ImportError::Empty => object.field("error", "empty"),
            ImportError::InvalidJson(reason) => {
                object.field("error", "invalid_json");
                object.field("reason", reason);
            }
            ImportError::Unreadable(reason) => {
                object.field("error", "unreadable");
                object.field("reason", reason);
            }
            ImportError::NoBlocks(format) => {
                object.field("error", "no_blocks");
                object.field("format", format);
            }
        }
        object.end();
    }
}

impl FromJson for ImportError {
    fn read_json(reader: &mut Reader<'_>) -> Result<ImportError, Error> {
        let name = variant(reader, "error")?;
        let (mut reason, mut format) = (None, None);
        while let Some(key) = reader.next_key()? {
            match key.as_ref() {
                "reason" => reason = Some(String::read_json(reader)?),
                "format" => format = Some(ImportFormat::read_json(reader)?),
                _ => {
                    reader.value()?;
                }
            }
        }
        Ok(match name.as_ref() {
            "empty" => ImportError::Empty,
            "invalid_json" => ImportError::InvalidJson(need(reason, "reason")?),
            "unreadable" => ImportError::Unreadable(need(reason, "reason")?),
            "no_blocks" => ImportError::NoBlocks(need(format, "format")?),
            other => return Err(unknown("import error", other)),
        })
    }
}

impl ToJson for Outcome {
    fn write_json(&self, out: &mut String) {
        let mut object = ObjectWriter::new(out);
        match self {
            Outcome::Text(text) => {
                object.field("outcome", "text");
                object.field("text", text);
            }
            Outcome::Rich { html, plain } => {
                object.field("outcome", "rich");
                object.field("html", html);
                object.field("plain", plain);
            }
            Outcome::Blocks(post) => {
                object.field("outcome", "blocks");
                object.field("post", post);
            }
            Outcome::Imported {
                format,
                post,
                speakers,
                new_speakers,
            } => {
                object.field("outcome", "imported");
                object.field("format", format);
                object.field("post", post);
                object.field("speakers", speakers);
                object.field("new_speakers", new_speakers);
            }
            Outcome::ImportFailed(problem) => {
                object.field("outcome", "import_failed");
                object.field("problem", problem);
            }
            Outcome::Files(files) => {
                object.field("outcome", "files");
                object.field("files", files);
            }
            Outcome::Failed(reason) => {
                object.field("outcome", "failed");
                object.field("reason", reason);
            }
        }
        object.end();
    }
}

impl FromJson for Outcome {
    fn read_json(reader: &mut Reader<'_>) -> Result<Outcome, Error> {
        let name = variant(reader, "outcome")?;
        let (mut text, mut html, mut plain, mut post) = (None, None, None, None);
        let (mut format, mut speakers, mut new_speakers) = (None, None, None);
        let (mut problem, mut files, mut reason) = (None, None, None);
        while let Some(key) = reader.next_key()? {
            match key.as_ref() {
                "text" => text = Some(String::read_json(reader)?),
                "html" => html = Some(String::read_json(reader)?),
                "plain" => plain = Some(String::read_json(reader)?),
                "post" => post = Some(String::read_json(reader)?),
                "format" => format = Some(ImportFormat::read_json(reader)?),
                "speakers" => speakers = Some(SpeakerRegistry::read_json(reader)?),
                "new_speakers" => new_speakers = Some(usize::read_json(reader)?),
                "problem" => problem = Some(ImportError::read_json(reader)?),
                "files" => files = Some(Vec::<(String, String)>::read_json(reader)?),
                "reason" => reason = Some(String::read_json(reader)?),
                _ => {
                    reader.value()?;
                }
            }
        }
        Ok(match name.as_ref() {
            "text" => Outcome::Text(need(text, "text")?),
            "rich" => Outcome::Rich {
                html: need(html, "html")?,
                plain: need(plain, "plain")?,
            },
            "blocks" => Outcome::Blocks(need(post, "post")?),
            "imported" => Outcome::Imported {
                format: need(format, "format")?,
                post: need(post, "post")?,
                speakers: need(speakers, "speakers")?,
                new_speakers: need(new_speakers, "new_speakers")?,
            },
            "import_failed" => Outcome::ImportFailed(need(problem, "problem")?),
            "files" => Outcome::Files(need(files, "files")?),
            "failed" => Outcome::Failed(need(reason, "reason")?),
            other => return Err(unknown("outcome", other)),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Paragraph, RichText};

    fn sample() -> Document {
        json::document_from_json(include_str!("../../tests/fixtures/sample-post.json"))
            .expect("the sample post loads")
    }

    fn through_messages(job: Job) -> Outcome {
        let mut ids = (0..).map(|n| format!("new{n}"));
        let message = request(7, &job.to_json_text());
        let reply = answer(&message, &mut || ids.next().unwrap_or_default());
        let (number, outcome) = reply_of(&reply).expect("a reply names its request");
        assert_eq!(number, 7);
        outcome
    }

    #[test]
    fn every_export_through_the_worker_equals_the_codec_called_directly() {
        let doc = sample();
        let speakers = SpeakerRegistry::default();
        let post = json::document_to_json(&doc);
        let cases = [
            (
                Output::Html {
                    inline_styles: true,
                },
                html_export::to_html(
                    &doc,
                    &HtmlOptions {
                        inline_styles: true,
                    },
                ),
            ),
            (
                Output::Markdown(MarkdownFlavor::Zenn),
                markdown::to_markdown(&doc, MarkdownFlavor::Zenn),
            ),
            (
                Output::WordPress { gutenberg: false },
                wordpress::to_classic(&doc),
            ),
            (
                Output::WordPress { gutenberg: true },
                wordpress::to_gutenberg(&doc),
            ),
            (Output::Backup, backup::to_backup(&doc, &speakers)),
        ];
        for (output, expected) in cases {
            let outcome = through_messages(Job::Export {
                post: post.clone(),
                speakers: speakers.clone(),
                output,
            });
            assert_eq!(outcome, Outcome::Text(expected), "{output:?}");
        }
        // The page to download is the export dialog's: the worker's fragment inside
        // `html_page`, the same as the codec's whole page.
        let options = HtmlOptions {
            inline_styles: false,
        };
        let Outcome::Text(fragment) = through_messages(Job::Export {
            post,
            speakers,
            output: Output::Html {
                inline_styles: false,
            },
        }) else {
            panic!("an HTML export is text");
        };
        assert_eq!(
            html_export::html_page(&doc.title, &fragment, &options),
            html_export::html_document(&doc, &options)
        );
    }

    #[test]
    fn rich_text_carries_html_and_its_plain_text() {
        let doc = Document {
            title: "t".into(),
            blocks: vec![
                Block::new(
                    BlockId("a".into()),
                    BlockContent::Paragraph(Paragraph {
                        text: RichText::plain("first"),
                        ..Default::default()
                    }),
                ),
                Block::new(
                    BlockId("b".into()),
                    BlockContent::Paragraph(Paragraph {
                        text: RichText::plain("second"),
                        ..Default::default()
                    }),
                ),
            ],
            ..Default::default()
        };
        let outcome = through_messages(Job::Export {
            post: json::document_to_json(&doc),
            speakers: SpeakerRegistry::default(),
            output: Output::RichText,
        });
        let Outcome::Rich { html, plain } = outcome else {
            panic!("rich text expected, got {outcome:?}");
        };
        assert!(html.contains("first") && html.contains("style="), "{html}");
        assert_eq!(plain, "first\n\nsecond");
    }

    #[test]
    fn a_paste_crosses_as_the_blocks_the_clipboard_holds() {
        let outcome = through_messages(Job::Paste {
            html: "<h2>T</h2><p>x <b>y</b></p>".into(),
            plain: "T\n\nx y".into(),
        });
        let Outcome::Blocks(post) = outcome else {
            panic!("blocks expected, got {outcome:?}");
        };
        let (_, contents) = contents_of(&post).expect("the blocks load");
        assert_eq!(
            contents,
            paste::blocks_from_clipboard("<h2>T</h2><p>x <b>y</b></p>", "T\n\nx y")
        );
    }

    #[test]
    fn an_import_returns_its_post_and_the_speakers_it_added() {
        let text = "[chat face=\"a.png\" name=\"Mina\"]Hello[/chat]\n\nText";
        let outcome = through_messages(Job::Import {
            text: text.into(),
            format: ImportFormat::Auto,
            speakers: SpeakerRegistry::default(),
        });
        let mut registry = SpeakerRegistry::default();
        let mut ids = (0..).map(|n| format!("new{n}"));
        let expected = import::import(text, ImportFormat::Auto, &mut registry, &mut || {
            ids.next().unwrap_or_default()
        })
        .expect("the sample imports");
        let Outcome::Imported {
            format,
            post,
            speakers,
            new_speakers,
        } = outcome
        else {
            panic!("an import expected, got {outcome:?}");
        };
        assert_eq!(format, ImportFormat::WordPress);
        assert_eq!(new_speakers, 1);
        assert_eq!(speakers, registry);
        let (title, contents) = contents_of(&post).expect("the post loads");
        assert_eq!((title, contents), (expected.title, expected.blocks));
    }

    #[test]
    fn the_files_that_go_with_an_export_come_from_the_worker() {
        let Outcome::Files(css) = through_messages(Job::Files(FileSet::Stylesheet)) else {
            panic!("no stylesheet");
        };
        assert_eq!(
            css,
            [(
                "tsuzuri.css".to_string(),
                html_export::STYLESHEET.to_string()
            )]
        );
        let Outcome::Files(shortcodes) = through_messages(Job::Files(FileSet::HugoShortcodes))
        else {
            panic!("no shortcodes");
        };
        assert_eq!(shortcodes.len(), markdown::HUGO_SHORTCODES.len());
        for ((name, text), (path, template)) in shortcodes.iter().zip(markdown::HUGO_SHORTCODES) {
            assert!(path.ends_with(&format!("/{name}")), "{name} names {path}");
            assert_eq!(text, template);
        }
    }

    #[test]
    fn failures_come_back_as_outcomes_never_as_silence() {
        let empty = through_messages(Job::Import {
            text: "  ".into(),
            format: ImportFormat::Auto,
            speakers: SpeakerRegistry::default(),
        });
        assert_eq!(empty, Outcome::ImportFailed(ImportError::Empty));
        let broken = through_messages(Job::Export {
            post: "{\"version\": 1, \"blo".into(),
            speakers: SpeakerRegistry::default(),
            output: Output::Backup,
        });
        assert!(matches!(broken, Outcome::Failed(_)), "{broken:?}");
        let reply = answer("3\nnot json", &mut String::new);
        let (number, outcome) = reply_of(&reply).expect("still a reply");
        assert_eq!(number, 3);
        assert!(matches!(outcome, Outcome::Failed(_)));
        assert_eq!(reply_of("no number"), None);
    }
}
