//! Live-DOM front-end: any `web_sys::Node` in, [`Document`] out (wasm builds only).
//!
//! Input: the page's `document` (content script) or a `DOMParser` document. Output: an owned
//! copy of the tree; on a rendered page, render hints for the elements that need them. The page
//! is only read, never modified. Must not: recurse; call `getComputedStyle` on every element
//! (it costs about 10 ms per 1000 elements, half of Readability.js's whole budget).
//!
//! Crossing the JS/wasm boundary per node costs 8–14 ms per corpus page, and serializing the tree
//! from JavaScript (the previous design) cost 5–7 ms where `outerHTML` plus UTF-8 encoding takes
//! 1–2 ms (median corpus page, headless Chromium). So the browser serializes the tree itself
//! (`outerHTML`, native code, sent over as UTF-8 bytes) and [`markup::parse`] reads it back;
//! a separate walk over the elements only (`live.js`) measures the hints, one code per element
//! in document order, which is the order `markup::parse` creates them in. Three crossings per
//! page. When the two do not line up (a script left markup that does not serialize back, such
//! as a comment holding `-->`), the copy is still used, without hints.
//!
//! Which elements get hints, and why:
//! - every element: `checkVisibility()` (style only, no layout) tells whether it has a box;
//!   without one, the computed `display` tells `none` from `contents`. A hidden element's subtree
//!   is still copied (the paywall stage may unhide it) but not measured again.
//! - elements that may be layers (shallow under `<body>`, named like an overlay, or under one of
//!   a few sample points of the viewport, which any layer over a quarter of it covers): position;
//!   fixed, sticky and named ones also z-index, box, overflow, max-height, blur, `user-select`.

use wasm_bindgen::prelude::*;

use super::{markup, Document, NodeId, PageHints, Position, Rect, RenderHints};

#[wasm_bindgen(module = "/src/dom/live.js")]
extern "C" {
    #[wasm_bindgen(js_name = lucidPageHints)]
    fn page_hints_js(root: &web_sys::Node) -> String;
    #[wasm_bindgen(js_name = lucidMarkup)]
    fn markup_js(root: &web_sys::Node) -> Vec<u8>;
    #[wasm_bindgen(js_name = lucidWalk)]
    fn walk_js(root: &web_sys::Node, want_hints: bool, elements: &JsValue) -> String;
    #[wasm_bindgen(js_name = lucidMeasure)]
    fn measure_js(elements: &JsValue, requests: &[u32]) -> String;
}

/// Milliseconds since the page's time origin (`performance.now()`, or the epoch without it).
pub fn now() -> f64 {
    let perf = js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("performance")).ok();
    perf.and_then(|p| {
        let now = js_sys::Reflect::get(&p, &JsValue::from_str("now")).ok()?;
        now.dyn_into::<js_sys::Function>()
            .ok()?
            .call0(&p)
            .ok()?
            .as_f64()
    })
    .unwrap_or_else(js_sys::Date::now)
}

/// Copies the subtree under `root` (a document or an element). `measure` asks for render hints
/// (pass false for `DOMParser` documents: nothing is rendered there).
pub fn snapshot(root: &web_sys::Node, measure: bool) -> Document {
    snapshot_with_stats(root, measure).0
}

/// How a snapshot went: where its time went, in milliseconds, and whether the serialization
/// read back exactly (otherwise the copy carries no hints).
#[derive(Clone, Copy, Debug, Default)]
pub struct SnapshotStats {
    /// The browser serializing the tree (and encoding it as UTF-8).
    pub serialize_ms: f64,
    /// The element walk that measures render hints, and the page-wide hints.
    pub walk_ms: f64,
    /// Reading the serialization back into a [`Document`] and attaching the hints.
    pub read_ms: f64,
    /// Whether the read-back elements lined up with the walk's.
    pub exact: bool,
}

/// [`snapshot`], with how it went.
pub fn snapshot_with_stats(root: &web_sys::Node, measure: bool) -> (Document, SnapshotStats) {
    let (doc, _, stats) = copy(root, measure, &JsValue::UNDEFINED);
    (doc, stats)
}

/// A snapshot that can point back at the page: [`LiveElements::get`] maps a node of the copy
/// to the element it was copied from, [`LiveElements::ordinal`] to its position among the
/// page's elements in document order. `measure` as for [`snapshot`]. When the copy did not
/// line up with the page (see the module docs), no node maps back.
pub fn snapshot_linked(root: &web_sys::Node, measure: bool) -> (Document, LiveElements) {
    let elements = js_sys::Array::new();
    let (doc, nodes, stats) = copy(root, measure, &elements);
    let mut ordinals = vec![u32::MAX; doc.len()];
    if stats.exact {
        for (ordinal, &node) in nodes.iter().enumerate() {
            ordinals[node.index()] = ordinal as u32;
        }
    }
    (doc, LiveElements { elements, ordinals })
}

/// The copy and its elements in document order (the walk's order when `exact`).
fn copy(
    root: &web_sys::Node,
    measure: bool,
    elements: &JsValue,
) -> (Document, Vec<NodeId>, SnapshotStats) {
    let t0 = now();
    let bytes = markup_js(root);
    let t1 = now();
    // The full measurements point back at elements by ordinal: keep them even if the caller
    // did not ask.
    let own;
    let elements = if measure && !elements.is_array() {
        own = JsValue::from(js_sys::Array::new());
        &own
    } else {
        elements
    };
    let codes = walk_js(root, measure, elements);
    let mut walk_ms = now() - t1;
    let t2 = now();
    // TextEncoder only writes UTF-8.
    let markup = String::from_utf8(bytes).unwrap_or_default();
    let markup::Parsed {
        mut doc,
        elements: nodes,
        exact,
    } = markup::parse(&markup);
    let exact = exact && codes.len() == nodes.len();
    let mut read_ms = now() - t2;
    if exact && measure {
        let t3 = now();
        let requests = full_measure_requests(&doc, &nodes, codes.as_bytes());
        let records = measure_js(elements, &requests);
        doc.page = parse_page_hints(&page_hints_js(root));
        let t4 = now();
        attach_hints(&mut doc, &nodes, codes.as_bytes(), &requests, &records);
        walk_ms += t4 - t3;
        read_ms += now() - t4;
    }
    let stats = SnapshotStats {
        serialize_ms: t1 - t0,
        walk_ms,
        read_ms,
        exact,
    };
    (doc, nodes, stats)
}

/// Elements this deep below `<body>` or shallower are asked for their position: page-wide
/// layers (paywalls, consent banners) sit near the top of the tree.
const LAYER_MAX_DEPTH: usize = 4;

/// Class or id fragments of overlays, blurs and truncation wrappers: such elements get a full
/// record wherever they are.
static LAYER_NAMES: crate::signals::Fragments = crate::signals::Fragments::new(&[
    "modal",
    "overlay",
    "popup",
    "paywall",
    "backdrop",
    "consent",
    "cookie",
    "gate",
    "wall",
    "dialog",
    "lightbox",
    "subscribe",
    "regwall",
    "piano",
    "tp-",
    "fc-",
    "blur",
    "fade",
    "truncat",
]);

/// Bits of a request to `lucidMeasure` besides the ordinal.
const NAMED: u32 = 1 << 31;
const BOXED: u32 = 1 << 30;

/// Which walked elements need a full record, as `lucidMeasure` requests: those the walk found
/// under a sample point or displayed as contents, and boxed ones that are shallow or named
/// like a layer.
fn full_measure_requests(doc: &Document, nodes: &[NodeId], codes: &[u8]) -> Vec<u32> {
    // Depth below <body> per node (0 = not below it); parents are created before children.
    let mut depth = vec![0u8; doc.len()];
    let mut requests = Vec::new();
    for (ordinal, (&node, &code)) in nodes.iter().zip(codes).enumerate() {
        let parent_depth = match doc.parent(node) {
            Some(p) if doc.is(p, "body") => 1,
            Some(p) if depth[p.index()] > 0 => depth[p.index()].saturating_add(1),
            _ => 0,
        };
        depth[node.index()] = parent_depth;
        if !matches!(code, b'1' | b'f' | b'c') {
            continue;
        }
        let named = (doc.attr(node, "class").is_some() || doc.attr(node, "id").is_some())
            && LAYER_NAMES.any_in(&crate::signals::class_and_id(doc, node));
        let shallow = parent_depth > 0 && usize::from(parent_depth) <= LAYER_MAX_DEPTH;
        if code != b'1' || named || shallow {
            let mut request = ordinal as u32;
            if named {
                request |= NAMED;
            }
            if code != b'c' {
                request |= BOXED;
            }
            requests.push(request);
        }
    }
    requests
}

/// Sets the hints the walk's codes and the full records (one per request, in order) give.
fn attach_hints(
    doc: &mut Document,
    nodes: &[NodeId],
    codes: &[u8],
    requests: &[u32],
    records: &str,
) {
    let mut records = records.split('\n');
    let mut next = requests.iter().map(|r| r & !(NAMED | BOXED)).peekable();
    for (ordinal, (&node, &code)) in nodes.iter().zip(codes).enumerate() {
        let hints = if next.peek() == Some(&(ordinal as u32)) {
            next.next();
            parse_hints(records.next().unwrap_or(""))
        } else {
            match code {
                b'1' | b'f' => RenderHints {
                    visible: Some(true),
                    ..RenderHints::default()
                },
                b'0' => RenderHints {
                    visible: Some(false),
                    ..RenderHints::default()
                },
                _ => continue,
            }
        };
        doc.set_hints(node, hints);
    }
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
