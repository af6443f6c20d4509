//! Live-DOM front-end: any `web_sys::Node` in, [`Document`] out (wasm builds only).
//!
//! Input: the page's `document` (content script) or a `DOMParser` document. Output: an owned
//! copy of the tree; on a rendered page, render hints for the elements that need them. The page
//! is only read, never modified. Must not: recurse; call `getComputedStyle` on every element
//! (it costs about 10 ms per 1000 elements, half of Readability.js's whole budget).
//!
//! Crossing the JS/wasm boundary once per node and attribute cost 8–14 ms per corpus page, so a
//! small JS walker (`live.js`) serializes the tree, with the hints it measured, into one string
//! that [`parse_serialized`] reads back: one crossing per page.
//!
//! Which elements get hints, and why:
//! - every element: `offsetParent` (one cheap read after the first layout) tells whether it is
//!   rendered; only when it is `null` do we ask for the computed style (to tell `display:none`
//!   from `position:fixed`). A hidden element's subtree is still copied (the paywall stage may
//!   unhide it) but not measured again.
//! - elements that look like overlays (shallow under `<body>`, or named like one): position,
//!   z-index, box, overflow, max-height, blur, `user-select`.

use wasm_bindgen::prelude::*;

use super::{intern, Attr, Document, NodeId, PageHints, Position, Rect, RenderHints, ROOT};

#[wasm_bindgen(module = "/src/dom/live.js")]
extern "C" {
    #[wasm_bindgen(js_name = lucidSerialize)]
    fn serialize(root: &web_sys::Node, want_hints: bool, elements: &JsValue) -> String;
    #[wasm_bindgen(js_name = lucidPageHints)]
    fn page_hints_js(root: &web_sys::Node) -> String;
}

/// Copies the subtree under `root` (a document or an element). `measure` asks for render hints
/// (pass false for `DOMParser` documents: nothing is rendered there).
pub fn snapshot(root: &web_sys::Node, measure: bool) -> Document {
    let mut doc = parse_serialized(&serialize(root, measure, &JsValue::UNDEFINED));
    if measure {
        doc.page = parse_page_hints(&page_hints_js(root));
    }
    doc
}

/// A snapshot that can point back at the page: [`LiveElements::get`] maps a node of the copy
/// to the element it was copied from, [`LiveElements::ordinal`] to its position among the
/// page's elements in document order. `measure` as for [`snapshot`].
pub fn snapshot_linked(root: &web_sys::Node, measure: bool) -> (Document, LiveElements) {
    let elements = js_sys::Array::new();
    let mut doc = parse_serialized(&serialize(root, measure, &elements));
    if measure {
        doc.page = parse_page_hints(&page_hints_js(root));
    }
    let mut ordinals = vec![u32::MAX; doc.len()];
    let mut next = 0;
    for (i, slot) in ordinals.iter_mut().enumerate() {
        if doc.is_element(NodeId(i as u32)) {
            *slot = next;
            next += 1;
        }
    }
    (doc, LiveElements { elements, ordinals })
}

/// The live elements behind a [`snapshot_linked`] copy.
pub struct LiveElements {
    elements: js_sys::Array,
    ordinals: Vec<u32>,
}

impl LiveElements {
    /// The live element `id` was copied from (None for nodes created after the snapshot).
    pub fn get(&self, id: NodeId) -> Option<JsValue> {
        self.ordinal(id).map(|o| self.elements.get(o))
    }

    /// The position of `id`'s element among all elements of the page, in document order.
    pub fn ordinal(&self, id: NodeId) -> Option<u32> {
        let ordinal = *self.ordinals.get(id.index())?;
        (ordinal != u32::MAX && ordinal < self.elements.length()).then_some(ordinal)
    }
}

const OPEN: char = '\u{1}';
const ATTR_NAME: char = '\u{2}';
const ATTR_VALUE: char = '\u{3}';
const CLOSE: char = '\u{4}';
const OPEN_END: char = '\u{5}';
const HINTS: char = '\u{6}';
const TEXT: char = '\u{7}';

fn is_marker(c: char) -> bool {
    ('\u{1}'..='\u{7}').contains(&c)
}

/// Builds a [`Document`] from `live.js`'s serialization (never panics on malformed input: an
/// unexpected record is skipped).
pub fn parse_serialized(s: &str) -> Document {
    let mut doc = Document::new();
    let mut parents: Vec<NodeId> = vec![ROOT];
    let mut rest = s;
    // The element whose start record is being read.
    let mut open: Option<NodeId> = None;
    let mut pending_attr: Option<super::Name> = None;
    while let Some(marker) = rest.chars().next() {
        rest = &rest[marker.len_utf8()..];
        let end = rest.find(is_marker).unwrap_or(rest.len());
        let field = &rest[..end];
        rest = &rest[end..];
        let parent = parents.last().copied().unwrap_or(ROOT);
        match marker {
            OPEN => {
                let id = doc.create_element(field, Vec::new());
                doc.append(parent, id);
                open = Some(id);
            }
            ATTR_NAME => pending_attr = Some(intern(field)),
            ATTR_VALUE => {
                if let (Some(id), Some(name)) = (open, pending_attr.take()) {
                    if let Some(el) = doc.element_mut(id) {
                        el.attrs.push(Attr {
                            name,
                            value: field.to_string(),
                        });
                    }
                }
            }
            HINTS => {
                if let Some(id) = open {
                    doc.set_hints(id, parse_hints(field));
                }
            }
            OPEN_END => {
                if let Some(id) = open.take() {
                    parents.push(id);
                }
            }
            CLOSE if parents.len() > 1 => {
                parents.pop();
            }
            TEXT => doc.append_text(parent, field),
            _ => {}
        }
    }
    doc
}

fn parse_hints(s: &str) -> RenderHints {
    let mut h = RenderHints::default();
    for part in s.split(';') {
        let (key, value) = part.split_at(part.len().min(1));
        match key {
            "v" => h.visible = Some(value == "1"),
            "p" => {
                h.position = Some(match value {
                    "f" => Position::Fixed,
                    "s" => Position::Sticky,
                    _ => Position::Flow,
                })
            }
            "z" => h.z_index = value.parse().ok(),
            "o" => h.clips_overflow = Some(value == "1"),
            "m" => h.max_height = value.parse().ok(),
            "b" => h.blurred = Some(value == "1"),
            "s" => h.no_select = Some(value == "1"),
            "r" => {
                let n: Vec<f32> = value.split(',').filter_map(|x| x.parse().ok()).collect();
                if let [x, y, width, height] = n[..] {
                    h.rect = Some(Rect {
                        x,
                        y,
                        width,
                        height,
                    });
                }
            }
            _ => {}
        }
    }
    h
}

fn parse_page_hints(s: &str) -> PageHints {
    let n: Vec<f32> = s.split(',').filter_map(|x| x.parse().ok()).collect();
    match n[..] {
        [w, h, locked] => PageHints {
            viewport: Some((w, h)),
            scroll_locked: Some(locked == 1.0),
        },
        _ => PageHints::default(),
    }
}
