//! Live-DOM front-end: any `web_sys::Node` in, [`Document`] out (wasm builds only).
//!
//! Input: a rendered document (tests) or a `DOMParser` document (the playground's pasted HTML).
//! The extension does not use this: its content script snapshots the page with the very same
//! JavaScript (`extension/common/snapshot.js`) and sends the snapshot to the warm engine, which
//! reads it with [`super::snapshot`]. Here wasm calls that script directly, so the tests exercise
//! the content script's snapshot. The page is only read, never modified.
//!
//! Crossing the JS/wasm boundary per node costs 8–14 ms per corpus page; the browser's own
//! serialization (`outerHTML`, native code) plus [`super::markup`] is several times faster, and one
//! walk over the elements measures the hints, one code per element in document order. Which
//! elements get full records (`getComputedStyle` on every element would cost about 10 ms per 1000
//! elements) is the script's rule: elements that may be layers (shallow under `<body>`, named like
//! an overlay, under one of a few viewport sample points, or `display: contents`).

use wasm_bindgen::prelude::*;

use super::snapshot::{self, Snapshot};
use super::Document;

#[wasm_bindgen(module = "/extension/common/snapshot.js")]
extern "C" {
    /// `[html, codes, records, page, serializeMs, walkMs]`.
    #[wasm_bindgen(js_name = lucidSnapshot)]
    fn snapshot_js(root: &web_sys::Node, want_hints: bool, elements: &JsValue) -> js_sys::Array;
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
    /// The browser serializing the tree.
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
    let parts = snapshot_js(root, measure, &JsValue::UNDEFINED);
    let text = |i: u32| parts.get(i).as_string().unwrap_or_default();
    let (html, codes, records, page) = (text(0), text(1), text(2), text(3));
    let t0 = now();
    let read = snapshot::read(&Snapshot {
        html: &html,
        codes: &codes,
        records: &records,
        page: &page,
    });
    let stats = SnapshotStats {
        serialize_ms: parts.get(4).as_f64().unwrap_or(0.0),
        walk_ms: parts.get(5).as_f64().unwrap_or(0.0),
        read_ms: now() - t0,
        exact: read.exact && (!measure || read.hinted),
    };
    (read.doc, stats)
}
