//! Caret and selection inside editable elements, in the core's char offsets (browser-only).
//!
//! Offsets are measured by walking the content before the caret with the rules that read the
//! whole block (`inline_html::counts`), so the two always agree; a component test holds them to
//! reading the serialised content before the caret.

use crate::codec::inline_html::{self, Counts};
use wasm_bindgen::JsCast;

pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// A monotonic clock for measuring durations, in milliseconds.
pub fn performance_now() -> f64 {
    web_sys::window()
        .and_then(|window| window.performance())
        .map_or_else(now_ms, |performance| performance.now())
}

/// Marks a moment on the page's performance timeline (for the benchmark suite and DevTools).
pub fn mark(name: &str) {
    if let Some(performance) = web_sys::window().and_then(|window| window.performance()) {
        let _ = performance.mark(name);
    }
}

/// Resolves after `ms` milliseconds (at once where there is no window).
pub async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        let scheduled = web_sys::window().and_then(|window| {
            window
                .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
                .ok()
        });
        if scheduled.is_none() {
            let _ = resolve.call0(&wasm_bindgen::JsValue::NULL);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Resolves once the next frame has been drawn (at once where there is no window), so what a
/// change shows is on screen before slower work that follows it.
pub async fn after_next_frame() {
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        let waiting = resolve.clone();
        let after_paint = wasm_bindgen::closure::Closure::once_into_js(move || {
            let scheduled = web_sys::window().and_then(|window| {
                window
                    .set_timeout_with_callback_and_timeout_and_arguments_0(&waiting, 0)
                    .ok()
            });
            if scheduled.is_none() {
                let _ = waiting.call0(&wasm_bindgen::JsValue::NULL);
            }
        });
        let scheduled = web_sys::window().and_then(|window| {
            window
                .request_animation_frame(after_paint.unchecked_ref())
                .ok()
        });
        if scheduled.is_none() {
            let _ = resolve.call0(&wasm_bindgen::JsValue::NULL);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

pub fn document() -> Option<web_sys::Document> {
    web_sys::window().and_then(|window| window.document())
}

pub fn element_by_id(id: &str) -> Option<web_sys::HtmlElement> {
    document()?
        .get_element_by_id(id)
        .and_then(|element| element.dyn_into().ok())
}

fn selection() -> Option<web_sys::Selection> {
    web_sys::window()?.get_selection().ok().flatten()
}

/// The text before a position, as far as its length goes: what `inline_html` would read.
#[derive(Default)]
struct Measure {
    chars: usize,
    ends_line: bool,
}

impl Measure {
    fn text(&mut self, text: &str) {
        if let Some(last) = text.chars().last() {
            self.chars += text.chars().count();
            self.ends_line = last == '\n';
        }
    }
}

/// Char offset of a DOM position (container, offset) inside `root`.
fn offset_of(root: &web_sys::HtmlElement, node: &web_sys::Node, offset: u32) -> Option<usize> {
    let mut measure = Measure::default();
    measure_before(root.as_ref(), node, offset, &mut measure);
    Some(measure.chars)
}

/// Walks `parent`'s content in order up to the position, counting as `inline_html` reads it
/// (`counts`); returns whether the position was reached.
fn measure_before(
    parent: &web_sys::Node,
    node: &web_sys::Node,
    offset: u32,
    measure: &mut Measure,
) -> bool {
    let at_parent = parent == node;
    let children = parent.child_nodes();
    for index in 0..children.length() {
        if at_parent && index >= offset {
            return true;
        }
        let Some(child) = children.get(index) else {
            continue;
        };
        match child.node_type() {
            web_sys::Node::TEXT_NODE | web_sys::Node::CDATA_SECTION_NODE => {
                let text = child.node_value().unwrap_or_default();
                if &child == node {
                    // DOM offsets count UTF-16 units; a char cut in half counts, as the half
                    // left before the offset reads as one (replacement) char.
                    let mut units = 0;
                    let before: String = text
                        .chars()
                        .take_while(|ch| {
                            let starts_at = units;
                            units += ch.len_utf16() as u32;
                            starts_at < offset
                        })
                        .collect();
                    measure.text(&before);
                    return true;
                }
                measure.text(&text);
            }
            web_sys::Node::ELEMENT_NODE => {
                let Some(element) = child.dyn_ref::<web_sys::Element>() else {
                    continue;
                };
                let counts = inline_html::counts(&element.local_name());
                match counts {
                    Counts::Break => measure.text("\n"),
                    Counts::Nothing => {}
                    Counts::NewLine | Counts::Content => {
                        if counts == Counts::NewLine && measure.chars > 0 && !measure.ends_line {
                            measure.text("\n");
                        }
                        if measure_before(&child, node, offset, measure) {
                            return true;
                        }
                    }
                }
                if &child == node {
                    return true;
                }
            }
            // A position in a comment (a view's marker) is where the comment is.
            _ if &child == node => return true,
            _ => {}
        }
    }
    at_parent
}

/// The selection inside `root` as (start, end) char offsets, if the selection is in it.
pub fn selection_offsets(root: &web_sys::HtmlElement) -> Option<(usize, usize)> {
    let selection = selection()?;
    if selection.range_count() == 0 {
        return None;
    }
    let range = selection.get_range_at(0).ok()?;
    let start_node = range.start_container().ok()?;
    let end_node = range.end_container().ok()?;
    let root_node: &web_sys::Node = root.as_ref();
    if !root_node.contains(Some(&start_node)) || !root_node.contains(Some(&end_node)) {
        return None;
    }
    let start = offset_of(root, &start_node, range.start_offset().ok()?)?;
    // A caret (the common case, once per key) is measured once.
    if range.collapsed() {
        return Some((start, start));
    }
    let end = offset_of(root, &end_node, range.end_offset().ok()?)?;
    Some((start.min(end), start.max(end)))
}

/// Where the selection in `root` ends, as a char offset, given `root`'s serialised content
/// `html` and its char length as [`inline_html::from_html`] reads it (`content_len`). Typing
/// measures this at every key: at the end of the content (as writing mostly is) the length is
/// the answer; in content of inline markup only, the browser's text of the range before it is;
/// a few calls either way, instead of a walk over every node before the caret.
pub fn selection_end(root: &web_sys::HtmlElement, html: &str, content_len: usize) -> Option<usize> {
    let selection = selection()?;
    if selection.range_count() == 0 {
        return None;
    }
    let range = selection.get_range_at(0).ok()?;
    let root_node: &web_sys::Node = root.as_ref();
    let starts_inside = range.collapsed()
        || range
            .start_container()
            .is_ok_and(|start| root_node.contains(Some(&start)));
    let end = range.end_container().ok()?;
    let end_offset = range.end_offset().ok()?;
    if starts_inside && root_node.contains(Some(&end)) {
        if ends_content(root, &end, end_offset) {
            return Some(content_len);
        }
        if inline_html::reads_as_its_text(html) {
            let before = document()?.create_range().ok()?;
            before.set_start(root_node, 0).ok()?;
            before.set_end(&end, end_offset).ok()?;
            return Some(String::from(before.to_string()).chars().count());
        }
    }
    selection_offsets(root).map(|(_, end)| end)
}

/// Whether (`node`, `offset`) is the end of a non-empty text that ends `root`'s content, inside
/// elements that count their content as text. Then the text before the position is all of it
/// (and does not end with a break a whole reading would drop).
fn ends_content(root: &web_sys::HtmlElement, node: &web_sys::Node, offset: u32) -> bool {
    let Some(text) = node.dyn_ref::<web_sys::CharacterData>() else {
        return false;
    };
    if node.node_type() != web_sys::Node::TEXT_NODE || offset == 0 || text.length() != offset {
        return false;
    }
    let root: &web_sys::Node = root.as_ref();
    let mut current = node.clone();
    loop {
        // Markers the views leave (comments) read as nothing.
        let mut next = current.next_sibling();
        while let Some(sibling) = next {
            if sibling.node_type() != web_sys::Node::COMMENT_NODE {
                return false;
            }
            next = sibling.next_sibling();
        }
        let Some(parent) = current.parent_node() else {
            return false;
        };
        if &parent == root {
            return true;
        }
        let counts_content = parent
            .dyn_ref::<web_sys::Element>()
            .is_some_and(|element| inline_html::counts(&element.local_name()) == Counts::Content);
        if !counts_content {
            return false;
        }
        current = parent;
    }
}

/// Puts the caret at a char offset in `root` (clamped to its end) and focuses it.
pub fn place_caret(root: &web_sys::HtmlElement, offset: usize) {
    let _ = root.focus();
    let Some(document) = document() else { return };
    let Some(selection) = selection() else { return };
    let Ok(range) = document.create_range() else {
        return;
    };
    let mut remaining = offset;
    if let Some((node, at)) = find_position(root.as_ref(), &mut remaining) {
        let _ = range.set_start(&node, at);
    } else {
        let _ = range.select_node_contents(root);
        range.collapse_with_to_start(false);
    }
    range.collapse_with_to_start(true);
    let _ = selection.remove_all_ranges();
    let _ = selection.add_range(&range);
}

/// Whether the caret sits on the first (or last) visual line of `root`, so that ArrowUp (or
/// ArrowDown) should leave the block.
pub fn caret_on_edge_line(root: &web_sys::HtmlElement, first: bool) -> bool {
    let Some(selection) = selection() else {
        return false;
    };
    let Ok(range) = selection.get_range_at(0) else {
        return false;
    };
    let caret = range.get_bounding_client_rect();
    let bounds = root.get_bounding_client_rect();
    if caret.height() == 0.0 && caret.top() == 0.0 {
        // A caret in an empty line has no box; an empty block is a single line.
        return root.text_content().unwrap_or_default().is_empty();
    }
    let line = caret.height().max(12.0);
    if first {
        caret.top() - bounds.top() < line
    } else {
        bounds.bottom() - caret.bottom() < line
    }
}

/// Selects the chars between two offsets in `root` and focuses it.
pub fn select_range(root: &web_sys::HtmlElement, start: usize, end: usize) {
    let _ = root.focus();
    let (Some(document), Some(selection)) = (document(), selection()) else {
        return;
    };
    let Ok(range) = document.create_range() else {
        return;
    };
    let mut remaining = start;
    let Some((start_node, start_at)) = find_position(root.as_ref(), &mut remaining) else {
        return;
    };
    let mut remaining = end;
    let Some((end_node, end_at)) = find_position(root.as_ref(), &mut remaining) else {
        return;
    };
    let _ = range.set_start(&start_node, start_at);
    let _ = range.set_end(&end_node, end_at);
    let _ = selection.remove_all_ranges();
    let _ = selection.add_range(&range);
}

/// Walks text nodes and `<br>`s in order, spending `remaining` chars; returns the DOM position.
fn find_position(node: &web_sys::Node, remaining: &mut usize) -> Option<(web_sys::Node, u32)> {
    let children = node.child_nodes();
    for index in 0..children.length() {
        let child = children.item(index)?;
        match child.node_type() {
            web_sys::Node::TEXT_NODE => {
                let text = child.text_content().unwrap_or_default();
                let chars = text.chars().count();
                if *remaining <= chars {
                    let utf16: usize = text.chars().take(*remaining).map(char::len_utf16).sum();
                    return Some((child, utf16 as u32));
                }
                *remaining -= chars;
            }
            web_sys::Node::ELEMENT_NODE => {
                let is_break = child
                    .dyn_ref::<web_sys::Element>()
                    .is_some_and(|element| element.tag_name().eq_ignore_ascii_case("br"));
                if is_break {
                    if *remaining == 0 {
                        return Some((node.clone(), index));
                    }
                    *remaining -= 1;
                } else if let Some(found) = find_position(&child, remaining) {
                    return Some(found);
                }
            }
            _ => {}
        }
    }
    if *remaining == 0 {
        return Some((node.clone(), children.length()));
    }
    None
}

/// Arrow-key navigation inside a toolbar: Left/Right move between its enabled buttons, Home and
/// End go to the ends. Returns true when the key moved focus.
pub fn toolbar_arrow(ev: &web_sys::KeyboardEvent) -> bool {
    let key = ev.key();
    if !matches!(key.as_str(), "ArrowLeft" | "ArrowRight" | "Home" | "End") {
        return false;
    }
    let Some(container) = ev
        .current_target()
        .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
    else {
        return false;
    };
    let Ok(list) = container.query_selector_all("button:not([disabled])") else {
        return false;
    };
    let buttons: Vec<web_sys::HtmlElement> = (0..list.length())
        .filter_map(|index| list.item(index))
        .filter_map(|node| node.dyn_into().ok())
        .collect();
    if buttons.is_empty() {
        return false;
    }
    let active = document().and_then(|document| document.active_element());
    let current = buttons.iter().position(|button| {
        active
            .as_ref()
            .is_some_and(|active| active == button.unchecked_ref::<web_sys::Element>())
    });
    let last = buttons.len() - 1;
    let next = match (key.as_str(), current) {
        ("Home", _) => 0,
        ("End", _) => last,
        ("ArrowRight", Some(at)) => (at + 1) % buttons.len(),
        ("ArrowLeft", Some(at)) => (at + last) % buttons.len(),
        (_, None) => 0,
        _ => return false,
    };
    let _ = buttons[next].focus();
    true
}

/// The file chosen in a file input, taken out of it so choosing the same file again fires.
pub fn take_chosen_file(input: &web_sys::HtmlInputElement) -> Option<web_sys::File> {
    let file = input.files().and_then(|files| files.get(0))?;
    input.set_value("");
    Some(file)
}
