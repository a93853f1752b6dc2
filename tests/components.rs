//! Component tests in headless Chromium (wasm-bindgen-test): mount the app, act on the DOM,
//! assert on the DOM and on localStorage.
#![cfg(target_arch = "wasm32")]

use tsuzuri::ui::App;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

fn storage() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

/// Mounts the app into a fresh container; unmounted when the handle drops.
fn mount_app() -> (web_sys::HtmlElement, impl Drop) {
    let container: web_sys::HtmlElement =
        document().create_element("div").unwrap().unchecked_into();
    document().body().unwrap().append_child(&container).unwrap();
    let handle = leptos::mount::mount_to(container.clone(), App);
    (container, handle)
}

/// Elements matching a selector whose accessible name (aria-label, else text) is `name`.
fn by_name(root: &web_sys::HtmlElement, selector: &str, name: &str) -> Vec<web_sys::HtmlElement> {
    let list = root.query_selector_all(selector).unwrap();
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|node| node.dyn_into::<web_sys::HtmlElement>().ok())
        .filter(|element| {
            let label = element.get_attribute("aria-label").unwrap_or_else(|| {
                // The text a screen reader would read: without aria-hidden parts.
                let copy: web_sys::Element =
                    element.clone_node_with_deep(true).unwrap().unchecked_into();
                let hidden = copy.query_selector_all("[aria-hidden=true]").unwrap();
                for i in 0..hidden.length() {
                    let node = hidden.item(i).unwrap();
                    node.parent_node().unwrap().remove_child(&node).unwrap();
                }
                copy.text_content().unwrap_or_default()
            });
            label.trim() == name
        })
        .collect()
}

/// Types as the browser reports it: an `input` that bubbles (the block list listens for the
/// text fields).
fn type_into(element: &web_sys::HtmlElement, html: &str) {
    element.set_inner_html(html);
    let init = web_sys::InputEventInit::new();
    init.set_bubbles(true);
    init.set_input_type("insertText");
    let event = web_sys::InputEvent::new_with_event_init_dict("input", &init).unwrap();
    element.dispatch_event(&event).unwrap();
}

fn flush_saves() {
    web_sys::window()
        .unwrap()
        .dispatch_event(&web_sys::Event::new("pagehide").unwrap())
        .unwrap();
}

fn stored_draft() -> String {
    let index = storage()
        .get_item("tsuzuri:index")
        .unwrap()
        .unwrap_or_default();
    let index = tsuzuri::json::parse(&index).unwrap();
    let id = index
        .get("current")
        .and_then(|id| id.as_str())
        .unwrap()
        .to_owned();
    storage()
        .get_item(&format!("tsuzuri:draft:{id}"))
        .unwrap()
        .unwrap()
}

#[wasm_bindgen_test]
async fn adding_and_typing_a_paragraph_is_saved() {
    storage().clear().unwrap();
    let (root, _app) = mount_app();
    leptos::task::tick().await;
    assert!(by_name(&root, "[role=textbox][aria-label=Paragraph]", "Paragraph").is_empty());

    by_name(&root, "button", "Add paragraph")[0].click();
    leptos::task::tick().await;
    let paragraphs = by_name(&root, "[role=textbox]", "Paragraph");
    assert_eq!(paragraphs.len(), 1);

    type_into(&paragraphs[0], "こんにちは <b>world</b>");
    leptos::task::tick().await;
    let status = root.query_selector("[role=status]").unwrap().unwrap();
    assert_eq!(status.text_content().unwrap(), "Saving…");

    flush_saves();
    leptos::task::tick().await;
    assert_eq!(status.text_content().unwrap(), "Saved");
    let stored = tsuzuri::json::parse(&stored_draft()).unwrap();
    let text = stored
        .get("blocks")
        .and_then(|blocks| blocks.as_array()?.first()?.get("data")?.get("text"))
        .map(|text| text.to_text());
    assert_eq!(
        text.as_deref(),
        Some(r#"[{"text":"こんにちは "},{"text":"world","bold":true}]"#)
    );
    root.remove();
}

#[wasm_bindgen_test]
async fn a_reopened_app_shows_the_stored_draft() {
    storage().clear().unwrap();
    {
        let (root, _app) = mount_app();
        leptos::task::tick().await;
        let title = by_name(&root, "input", "Title")[0].clone();
        let title: web_sys::HtmlInputElement = title.unchecked_into();
        title.set_value("Stored title");
        title
            .dispatch_event(&web_sys::Event::new("input").unwrap())
            .unwrap();
        by_name(&root, "button", "Add paragraph")[0].click();
        leptos::task::tick().await;
        type_into(&by_name(&root, "[role=textbox]", "Paragraph")[0], "kept");
        flush_saves();
        root.remove();
    }
    let (root, _app) = mount_app();
    leptos::task::tick().await;
    let title: web_sys::HtmlInputElement =
        by_name(&root, "input", "Title")[0].clone().unchecked_into();
    assert_eq!(title.value(), "Stored title");
    let paragraphs = by_name(&root, "[role=textbox]", "Paragraph");
    assert_eq!(paragraphs.len(), 1);
    assert_eq!(paragraphs[0].text_content().unwrap(), "kept");
    root.remove();
}

#[wasm_bindgen_test]
async fn deleting_a_block_and_undoing_it() {
    storage().clear().unwrap();
    let (root, _app) = mount_app();
    leptos::task::tick().await;
    by_name(&root, "button", "Add paragraph")[0].click();
    leptos::task::tick().await;
    let paragraph = by_name(&root, "[role=textbox]", "Paragraph")[0].clone();
    type_into(&paragraph, "gone soon");
    // A block shows its controls while it has focus.
    paragraph.focus().unwrap();
    leptos::task::tick().await;
    by_name(&root, "button", "Delete block")[0].click();
    leptos::task::tick().await;
    assert!(by_name(&root, "[role=textbox]", "Paragraph").is_empty());

    by_name(&root, "button", "Undo")[0].click();
    leptos::task::tick().await;
    let paragraphs = by_name(&root, "[role=textbox]", "Paragraph");
    assert_eq!(paragraphs.len(), 1);
    assert_eq!(paragraphs[0].text_content().unwrap(), "gone soon");
    root.remove();
}

#[wasm_bindgen_test]
async fn a_corrupt_draft_is_set_aside_and_reported() {
    storage().clear().unwrap();
    storage()
        .set_item(
            "tsuzuri:index",
            r#"{"version":1,"current":"bad","drafts":[{"id":"bad"}]}"#,
        )
        .unwrap();
    storage()
        .set_item("tsuzuri:draft:bad", "{\"version\":1,\"blo")
        .unwrap();
    let (root, _app) = mount_app();
    leptos::task::tick().await;
    let alert = root
        .query_selector("[role=alert]")
        .unwrap()
        .expect("a message is shown");
    assert!(alert.text_content().unwrap().contains("could not be read"));
    let kept = (0..storage().length().unwrap())
        .filter_map(|i| storage().key(i).unwrap())
        .find(|key| key.starts_with("tsuzuri:recovery:bad"))
        .expect("the raw text is kept under a recovery key");
    assert_eq!(
        storage().get_item(&kept).unwrap().unwrap(),
        "{\"version\":1,\"blo"
    );
    root.remove();
}

/// Every DOM position in `element`, as (container, offset), in document order.
fn positions(node: &web_sys::Node, out: &mut Vec<(web_sys::Node, u32)>) {
    let length = if node.node_type() == web_sys::Node::TEXT_NODE {
        node.node_value().unwrap_or_default().encode_utf16().count() as u32
    } else {
        node.child_nodes().length()
    };
    for offset in 0..=length {
        out.push((node.clone(), offset));
        if node.node_type() != web_sys::Node::TEXT_NODE && offset < length {
            positions(&node.child_nodes().get(offset).unwrap(), out);
        }
    }
}

#[wasm_bindgen_test]
fn caret_offsets_agree_with_reading_the_text_before_the_caret() {
    let element: web_sys::HtmlElement = document().create_element("div").unwrap().unchecked_into();
    element.set_attribute("contenteditable", "true").unwrap();
    document().body().unwrap().append_child(&element).unwrap();
    let samples = [
        "",
        "plain",
        "a<b>bold</b> and <i>it<s>al</s></i>ic",
        "line<br>next<br><br>",
        "one<div>two</div><div><br></div><div>four</div>",
        "𝐀😀 wide<span> chars</span>",
        "<a href=\"https://example.com/\">link</a><img src=\"x\">after",
        "x<p>para</p>y<ul><li>a</li><li>b</li></ul>",
        "text\nwith newline<div>block</div>",
        "<code>&lt;tag&gt; &amp;</code>&nbsp;nbsp",
        "a<br><script>x</script>",
        "end<br><b>bold <i>last</i></b>",
        "<div>block</div>tail",
        "a<!---->b<b>c<!----></b><!---->",
        "<span>𝐀😀</span> x <mark>mark</mark>",
    ];
    for html in samples {
        element.set_inner_html(html);
        let mut all = Vec::new();
        positions(element.as_ref(), &mut all);
        for (node, offset) in all {
            let range = document().create_range().unwrap();
            range.select_node_contents(&element).unwrap();
            range.set_end(&node, offset).unwrap();
            let holder = document().create_element("div").unwrap();
            holder
                .append_child(&range.clone_contents().unwrap())
                .unwrap();
            let expected =
                tsuzuri::codec::inline_html::from_html_keeping_final_break(&holder.inner_html())
                    .len();
            range.collapse_with_to_start(false);
            let selection = web_sys::window().unwrap().get_selection().unwrap().unwrap();
            selection.remove_all_ranges().unwrap();
            selection.add_range(&range).unwrap();
            let measured = tsuzuri::browser::dom::selection_offsets(&element);
            assert_eq!(
                measured,
                Some((expected, expected)),
                "{html:?} at offset {offset} of {:?}",
                node.node_name()
            );
            // The shortcuts (the end of the content; inline markup only) agree with the walk.
            let html_now = element.inner_html();
            let content_len = tsuzuri::codec::inline_html::from_html(&html_now).len();
            assert_eq!(
                tsuzuri::browser::dom::selection_end(&element, &html_now, content_len),
                Some(expected),
                "selection_end: {html:?} at offset {offset} of {:?}",
                node.node_name()
            );
        }
    }
    element.remove();
}
