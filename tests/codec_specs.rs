//! Runs every codec spec under tests/specs/<codec>/*.txt.
//!
//! A spec file is a header, then two sections:
//!
//! ```text
//! codec: markdown-export gfm
//! note: free text (optional, any number of lines)
//! --- input
//! <a stored JSON document for exports, source text for imports>
//! --- expected
//! <the exact output; trailing whitespace at the end is ignored>
//! ```
//!
//! Codecs: `html-export inline|classes`, `html-document inline|classes`,
//! `markdown-export commonmark|gfm|zenn|qiita|hugo|plain`, `wordpress-classic`,
//! `wordpress-gutenberg`, `markdown-import`, `wordpress-import`, `editorjs-import`, `html-import`
//! and `import auto|wordpress|markdown|html|json|editorjs`. Imports print one block per line as
//! its stored JSON (`{"type": …, "data": …}`); `wordpress-import` adds the registry's speakers
//! and `import` the format, title, summary and new speaker count.
//!
//! `TSUZURI_BLESS=1 cargo test --test codec_specs` rewrites the expected sections from the
//! actual output (review the diff before committing).
#![cfg(not(target_arch = "wasm32"))]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use tsuzuri::codec::html_export::{html_document, to_html, HtmlOptions};
use tsuzuri::codec::import::{import, summary, ImportFormat};
use tsuzuri::codec::json::{block_to_value, document_from_json};
use tsuzuri::codec::markdown::{from_markdown, to_markdown, MarkdownFlavor};
use tsuzuri::codec::wordpress::{from_classic, to_classic, to_gutenberg};
use tsuzuri::codec::{editorjs, html_export};
use tsuzuri::model::{Block, BlockContent, BlockId, SpeakerRegistry};

struct Spec {
    path: PathBuf,
    codec: Vec<String>,
    input: String,
    expected: String,
}

fn parse(path: &Path) -> Result<Spec, String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let (header, rest) = text
        .split_once("--- input\n")
        .ok_or("no `--- input` section")?;
    let (input, expected) = rest
        .split_once("--- expected\n")
        .or_else(|| rest.split_once("--- expected").map(|(a, _)| (a, "")))
        .ok_or("no `--- expected` section")?;
    let codec = header
        .lines()
        .find_map(|line| line.strip_prefix("codec:"))
        .ok_or("no `codec:` line")?
        .split_whitespace()
        .map(str::to_owned)
        .collect();
    Ok(Spec {
        path: path.to_owned(),
        codec,
        input: input.strip_suffix('\n').unwrap_or(input).to_owned(),
        expected: expected.to_owned(),
    })
}

fn flavor(name: &str) -> Result<MarkdownFlavor, String> {
    Ok(match name {
        "commonmark" => MarkdownFlavor::CommonMark,
        "gfm" => MarkdownFlavor::Gfm,
        "zenn" => MarkdownFlavor::Zenn,
        "qiita" => MarkdownFlavor::Qiita,
        "hugo" => MarkdownFlavor::Hugo,
        "plain" => MarkdownFlavor::Plain,
        other => return Err(format!("unknown flavor {other:?}")),
    })
}

fn html_options(mode: Option<&str>) -> Result<HtmlOptions, String> {
    match mode {
        Some("inline") => Ok(HtmlOptions {
            inline_styles: true,
        }),
        Some("classes") => Ok(HtmlOptions {
            inline_styles: false,
        }),
        other => Err(format!(
            "html mode must be inline or classes, not {other:?}"
        )),
    }
}

fn dump_blocks(out: &mut String, blocks: &[BlockContent]) {
    for content in blocks {
        let mut value = block_to_value(&Block::new(BlockId(String::new()), content.clone()));
        if let Some(object) = value.as_object_mut() {
            object.remove("id");
        }
        // Keys sorted (serde_json's maps sort them), so a spec does not depend on key order.
        let sorted: serde_json::Value =
            serde_json::from_str(&value.to_text()).expect("blocks are written as JSON");
        let _ = writeln!(out, "{sorted}");
    }
}

fn next_ids() -> impl FnMut() -> String {
    let mut counter = 0;
    move || {
        counter += 1;
        format!("s{counter}")
    }
}

fn run(spec: &Spec) -> Result<String, String> {
    let codec: Vec<&str> = spec.codec.iter().map(String::as_str).collect();
    let doc = || document_from_json(&spec.input).map_err(|e| format!("bad input document: {e}"));
    let mut out = String::new();
    match codec.as_slice() {
        ["html-export", mode] => out = to_html(&doc()?, &html_options(Some(mode))?),
        ["html-document", mode] => out = html_document(&doc()?, &html_options(Some(mode))?),
        ["markdown-export", name] => out = to_markdown(&doc()?, flavor(name)?),
        ["wordpress-classic"] => out = to_classic(&doc()?),
        ["wordpress-gutenberg"] => out = to_gutenberg(&doc()?),
        ["markdown-import"] => dump_blocks(&mut out, &from_markdown(&spec.input)),
        ["html-import"] => dump_blocks(&mut out, &html_export::read_html(&spec.input)),
        ["editorjs-import"] => match editorjs::from_editorjs(&spec.input) {
            Ok(blocks) => dump_blocks(&mut out, &blocks),
            Err(error) => out = format!("error: {error}"),
        },
        ["wordpress-import"] => {
            let mut registry = SpeakerRegistry::default();
            let blocks = from_classic(&spec.input, &mut registry, &mut next_ids());
            dump_blocks(&mut out, &blocks);
            for speaker in &registry.speakers {
                let faces: Vec<String> = speaker
                    .expressions
                    .iter()
                    .map(|e| format!("{}={}", e.label, e.image))
                    .collect();
                let _ = writeln!(
                    out,
                    "speaker {}: {} ({}, {}/{}) {}",
                    speaker.id,
                    speaker.name,
                    speaker.side.as_str(),
                    speaker.border.as_str(),
                    speaker.background.as_str(),
                    faces.join(" ")
                );
            }
        }
        ["import", name] => {
            let format = ImportFormat::ALL
                .into_iter()
                .find(|format| format.label().eq_ignore_ascii_case(name))
                .ok_or_else(|| format!("unknown import format {name:?}"))?;
            let mut registry = SpeakerRegistry::default();
            match import(&spec.input, format, &mut registry, &mut next_ids()) {
                Ok(imported) => {
                    let _ = writeln!(out, "format: {}", imported.format.label());
                    let _ = writeln!(out, "title: {}", imported.title);
                    let _ = writeln!(out, "summary: {}", summary(&imported.blocks));
                    let _ = writeln!(out, "new speakers: {}", imported.new_speakers);
                    dump_blocks(&mut out, &imported.blocks);
                }
                Err(error) => out = format!("error: {error}"),
            }
        }
        other => return Err(format!("unknown codec {other:?}")),
    }
    Ok(out)
}

fn spec_files(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            spec_files(&path, files);
        } else if path.extension().is_some_and(|ext| ext == "txt") {
            files.push(path);
        }
    }
}

fn first_difference(expected: &str, actual: &str) -> String {
    let (expected, actual): (Vec<&str>, Vec<&str>) =
        (expected.lines().collect(), actual.lines().collect());
    for index in 0..expected.len().max(actual.len()) {
        let (e, a) = (expected.get(index), actual.get(index));
        if e != a {
            return format!(
                "first difference at line {}:\n  expected: {}\n  actual:   {}",
                index + 1,
                e.map_or("<end>".into(), |l| format!("{l:?}")),
                a.map_or("<end>".into(), |l| format!("{l:?}"))
            );
        }
    }
    String::new()
}

#[test]
fn codec_specs() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/specs");
    let mut files = Vec::new();
    spec_files(&root, &mut files);
    files.sort();
    assert!(!files.is_empty(), "no specs under {}", root.display());
    let bless = std::env::var_os("TSUZURI_BLESS").is_some();
    let mut failures = Vec::new();
    for path in &files {
        let name = path
            .strip_prefix(&root)
            .unwrap_or(path)
            .display()
            .to_string();
        let result = parse(path).and_then(|spec| run(&spec).map(|actual| (spec, actual)));
        let (spec, actual) = match result {
            Ok(pair) => pair,
            Err(error) => {
                failures.push(format!("{name}: {error}"));
                continue;
            }
        };
        if actual.trim_end() == spec.expected.trim_end() {
            continue;
        }
        if bless {
            let text = std::fs::read_to_string(&spec.path).unwrap_or_default();
            if let Some((head, _)) = text.split_once("--- expected") {
                let _ = std::fs::write(
                    &spec.path,
                    format!("{head}--- expected\n{}\n", actual.trim_end()),
                );
            }
            continue;
        }
        failures.push(format!(
            "{name}: output differs\n{}\n--- expected\n{}\n--- actual\n{}\n",
            first_difference(&spec.expected, &actual),
            spec.expected.trim_end(),
            actual.trim_end()
        ));
    }
    println!("{} specs run", files.len());
    assert!(
        failures.is_empty(),
        "{} of {} specs failed:\n\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
}
