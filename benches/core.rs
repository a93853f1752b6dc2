//! Host benchmarks of the pure core on a 10,000-block document: export to HTML and every
//! Markdown flavor, Markdown import, JSON save and load, and undo/redo of 1,000 operations,
//! beside pulldown-cmark rendering the same text as a yardstick. Run: `cargo bench`.
#![cfg_attr(target_arch = "wasm32", allow(unused))]

#[cfg(not(target_arch = "wasm32"))]
mod host {
    use criterion::{black_box, criterion_group, Criterion};
    use tsuzuri::codec::html_export::{to_html, HtmlOptions};
    use tsuzuri::codec::json::{document_from_json, document_to_json};
    use tsuzuri::codec::markdown::{from_markdown, to_markdown, MarkdownFlavor};
    use tsuzuri::edit::Editor;
    use tsuzuri::model::{
        Block, BlockContent, BlockId, BlockKind, Bubble, Document, LinkCard, List, ListItem, Mark,
        RichText, Side, SpeakerLook,
    };

    /// A deterministic post of `count` blocks: formatted paragraphs, headings, lists, bubbles
    /// and cards, in the proportions of the posts we were built for.
    pub fn post(count: usize) -> Document {
        let blocks = (0..count)
            .map(|i| {
                let text = RichText::plain(&format!(
                    "段落 {i}: 自家製酵母でパンを焼く話 with some English words and a link here."
                ))
                .toggle_mark(0, 4, Mark::Bold)
                .toggle_mark(10, 14, Mark::Highlight)
                .set_link(60, 64, Some("https://example.com/"));
                let content = match i % 10 {
                    0 => BlockKind::Heading.with_text(RichText::plain(&format!("見出し {i}"))),
                    3 => BlockContent::List(List {
                        ordered: i % 20 == 3,
                        items: (0..3)
                            .map(|n| ListItem {
                                text: RichText::plain(&format!("item {n}")),
                                indent: (n == 2) as u8,
                                ..Default::default()
                            })
                            .collect(),
                        ..Default::default()
                    }),
                    5 => BlockContent::Bubble(Bubble {
                        speaker: SpeakerLook {
                            name: "ミナ".into(),
                            face: "mina.png".into(),
                            ..Default::default()
                        },
                        side: if i % 20 == 5 { Side::Left } else { Side::Right },
                        text,
                        ..Default::default()
                    }),
                    7 => BlockContent::LinkCard(LinkCard {
                        url: format!("https://example.org/post/{i}"),
                        title: format!("記事 {i}"),
                        description: "説明文".into(),
                        ..Default::default()
                    }),
                    _ => BlockKind::Paragraph.with_text(text),
                };
                Block::new(BlockId(format!("b{i}")), content)
            })
            .collect();
        Document {
            title: "ベンチマーク".into(),
            blocks,
            ..Default::default()
        }
    }

    fn json(c: &mut Criterion) {
        let doc = post(10_000);
        let text = document_to_json(&doc);
        c.bench_function("json save 10k blocks", |b| {
            b.iter(|| document_to_json(black_box(&doc)))
        });
        c.bench_function("json load 10k blocks", |b| {
            b.iter(|| document_from_json(black_box(&text)))
        });
    }

    fn undo_redo(c: &mut Criterion) {
        c.bench_function("1,000 edits then undo all and redo all (2k blocks)", |b| {
            b.iter(|| {
                let mut editor = Editor::new(post(2_000), 1);
                for i in 0..1_000 {
                    let id = BlockId(format!("b{}", (i * 7) % 2_000));
                    let content = BlockKind::Paragraph.with_text(RichText::plain(&i.to_string()));
                    let _ = editor.update_block(&id, content, None, i as f64 * 1000.0);
                }
                while editor.undo().is_some() {}
                while editor.redo().is_some() {}
                black_box(editor.doc().blocks.len())
            })
        });
    }

    fn export(c: &mut Criterion) {
        let doc = post(10_000);
        c.bench_function("export 10k blocks: HTML (inline styles)", |b| {
            b.iter(|| to_html(black_box(&doc), &HtmlOptions::default()))
        });
        for flavor in MarkdownFlavor::ALL {
            c.bench_function(
                &format!("export 10k blocks: Markdown {}", flavor.label()),
                |b| b.iter(|| to_markdown(black_box(&doc), flavor)),
            );
        }
        // The yardstick: pulldown-cmark rendering the same post's Markdown to HTML.
        let markdown = to_markdown(&doc, MarkdownFlavor::CommonMark);
        c.bench_function(
            "yardstick: pulldown-cmark renders the 10k-block Markdown",
            |b| {
                b.iter(|| {
                    let mut html = String::with_capacity(markdown.len() * 2);
                    pulldown_cmark::html::push_html(
                        &mut html,
                        pulldown_cmark::Parser::new(black_box(&markdown)),
                    );
                    html
                })
            },
        );
        c.bench_function("import the 10k-block Markdown", |b| {
            b.iter(|| from_markdown(black_box(&markdown)))
        });
    }

    criterion_group!(benches, export, json, undo_redo);
}

#[cfg(not(target_arch = "wasm32"))]
criterion::criterion_main!(host::benches);

#[cfg(target_arch = "wasm32")]
fn main() {}
