//! Live-DOM front-end: any `web_sys::Node` in, [`Document`] out (wasm builds only).
//!
//! Input: the page's `document` (content script) or a `DOMParser` document. Output: an owned
//! copy of the tree; on a rendered page, render hints for the elements that need them. The page
//! is only read, never modified. Must not: recurse; call `getComputedStyle` on every element
//! (it costs about 10 ms per 1000 elements, half of Readability.js's whole budget).
//!
//! Which elements get hints, and why:
//! - every element: `offsetParent` (one cheap read after the first layout) tells whether it is
//!   rendered; only when it is `null` do we ask for the computed style (to tell `display:none`
//!   from `position:fixed`). A hidden element's subtree is still copied (the paywall stage may
//!   unhide it) but not measured again.
//! - elements that look like overlays (shallow under `<body>`, or named like one) and the
//!   `<html>`/`<body>` elements: position, z-index, box, overflow, blur, `user-select`.

use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, Node, Window};

use super::{Attr, Document, NodeId, PageHints, Position, Rect, RenderHints, ROOT};

/// Elements this shallow under `<body>` are measured as possible overlays.
const OVERLAY_MAX_DEPTH: usize = 4;

/// Class/id words of elements measured as possible overlays wherever they sit.
const OVERLAY_NAME_HINTS: &[&str] = &[
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
];

/// Tags whose content is never rendered text; copied without measuring.
const UNMEASURED_TAGS: &[&str] = &[
    "head", "script", "style", "template", "noscript", "meta", "link", "title", "svg", "math",
];

/// Copies the subtree under `root` (a document or an element). `measure` asks for render hints
/// (pass false for `DOMParser` documents: nothing is rendered there).
pub fn snapshot(root: &Node, measure: bool) -> Document {
    let mut doc = Document::new();
    let window = if measure { web_sys::window() } else { None };
    if let Some(w) = &window {
        doc.page = page_hints(w);
    }
    // (live node, copy of its parent, depth below <body> or None above it, inside hidden)
    let mut stack: Vec<(Node, NodeId, Option<usize>, bool)> = Vec::new();
    let start = if root.node_type() == Node::DOCUMENT_NODE {
        root.first_child()
    } else {
        Some(root.clone())
    };
    let start_depth = if root.node_type() == Node::DOCUMENT_NODE {
        None
    } else {
        depth_below_body(root)
    };
    let mut cur = start;
    while let Some(n) = cur {
        stack.push((n.clone(), ROOT, start_depth, false));
        cur = n.next_sibling();
        if root.node_type() != Node::DOCUMENT_NODE {
            break;
        }
    }
    stack.reverse();
    while let Some((node, parent, depth, hidden)) = stack.pop() {
        match node.node_type() {
            Node::TEXT_NODE | Node::CDATA_SECTION_NODE => {
                if let Some(t) = node.node_value() {
                    doc.append_text(parent, &t);
                }
            }
            Node::ELEMENT_NODE => {
                let Some(el) = node.dyn_ref::<Element>() else {
                    continue;
                };
                let tag = el.local_name();
                let tag = if el.namespace_uri().as_deref() == Some("http://www.w3.org/1999/xhtml") {
                    tag.to_ascii_lowercase()
                } else {
                    tag
                };
                let id = doc.create_element(&tag, read_attrs(el));
                doc.append(parent, id);
                let mut child_hidden = hidden;
                let child_depth = match (depth, tag.as_str()) {
                    (_, "body") => Some(0),
                    (Some(d), _) => Some(d + 1),
                    (None, _) => None,
                };
                if let (Some(w), false) =
                    (&window, hidden || UNMEASURED_TAGS.contains(&tag.as_str()))
                {
                    let hints = measure_element(w, el, &tag, child_depth);
                    if hints.visible == Some(false) {
                        child_hidden = true;
                    }
                    doc.set_hints(id, hints);
                }
                if tag == "template" {
                    continue; // inert content
                }
                push_children(&mut stack, &node, id, child_depth, child_hidden);
            }
            _ => {}
        }
    }
    doc
}

/// How far below `<body>` a node sits in the live page (`None` when it is not inside it).
fn depth_below_body(node: &Node) -> Option<usize> {
    let mut depth = 0;
    let mut cur = node.parent_element();
    while let Some(p) = cur {
        if p.local_name().eq_ignore_ascii_case("body") {
            return Some(depth);
        }
        depth += 1;
        cur = p.parent_element();
    }
    None
}

fn push_children(
    stack: &mut Vec<(Node, NodeId, Option<usize>, bool)>,
    node: &Node,
    id: NodeId,
    depth: Option<usize>,
    hidden: bool,
) {
    let start = stack.len();
    let mut c = node.first_child();
    while let Some(ch) = c {
        c = ch.next_sibling();
        stack.push((ch, id, depth, hidden));
    }
    stack[start..].reverse();
}

fn read_attrs(el: &Element) -> Vec<Attr> {
    let map = el.attributes();
    let mut out = Vec::with_capacity(map.length() as usize);
    for i in 0..map.length() {
        if let Some(a) = map.item(i) {
            out.push(Attr {
                name: a.name().to_ascii_lowercase(),
                value: a.value(),
            });
        }
    }
    out
}

fn page_hints(w: &Window) -> PageHints {
    let num = |v: Result<wasm_bindgen::JsValue, wasm_bindgen::JsValue>| {
        v.ok().and_then(|v| v.as_f64()).map(|f| f as f32)
    };
    let viewport = num(w.inner_width()).zip(num(w.inner_height()));
    let scroll_locked = w.document().and_then(|d| {
        let root = d.document_element()?;
        let body = d.body()?;
        let (_, vh) = viewport?;
        let taller = root.scroll_height() as f32 > vh + 1.0;
        let locked = [root.clone(), body.unchecked_into::<Element>()]
            .iter()
            .any(|e| {
                w.get_computed_style(e).ok().flatten().is_some_and(|s| {
                    let o = s.get_property_value("overflow-y").unwrap_or_default();
                    let p = s.get_property_value("position").unwrap_or_default();
                    o == "hidden" || o == "clip" || p == "fixed"
                })
            });
        Some(taller && locked)
    });
    PageHints {
        viewport,
        scroll_locked,
    }
}

fn looks_like_overlay_name(el: &Element) -> bool {
    let class = el
        .get_attribute("class")
        .unwrap_or_default()
        .to_ascii_lowercase();
    let id = el.id().to_ascii_lowercase();
    OVERLAY_NAME_HINTS
        .iter()
        .any(|h| class.contains(h) || id.contains(h))
}

fn measure_element(w: &Window, el: &Element, tag: &str, depth: Option<usize>) -> RenderHints {
    let mut hints = RenderHints::default();
    let Some(html_el) = el.dyn_ref::<HtmlElement>() else {
        return hints;
    };
    let in_body = depth.is_some();
    if !in_body || tag == "body" {
        return hints;
    }
    let rendered = html_el.offset_parent().is_some();
    let wants_style =
        !rendered || depth.is_some_and(|d| d <= OVERLAY_MAX_DEPTH) || looks_like_overlay_name(el);
    if !wants_style {
        hints.visible = Some(true);
        return hints;
    }
    let Some(style) = w.get_computed_style(el).ok().flatten() else {
        return hints;
    };
    let prop = |name: &str| style.get_property_value(name).unwrap_or_default();
    let display = prop("display");
    let visibility = prop("visibility");
    let position = prop("position");
    let opacity: f32 = prop("opacity").parse().unwrap_or(1.0);
    let fixed_like = position == "fixed" || position == "sticky";
    // `offsetParent` is null for fixed elements and for `display: contents`; only computed
    // display tells a hidden element apart.
    let hidden = display == "none"
        || visibility == "hidden"
        || opacity == 0.0
        || (!rendered
            && !fixed_like
            && display != "contents"
            && el.get_client_rects().length() == 0);
    hints.visible = Some(!hidden);
    hints.position = Some(match position.as_str() {
        "fixed" => Position::Fixed,
        "sticky" => Position::Sticky,
        _ => Position::Flow,
    });
    hints.z_index = prop("z-index").parse().ok();
    let overflow = format!("{} {}", prop("overflow-x"), prop("overflow-y"));
    hints.clips_overflow = Some(overflow.contains("hidden") || overflow.contains("clip"));
    hints.max_height = prop("max-height").trim_end_matches("px").parse().ok();
    hints.blurred = Some(prop("filter").contains("blur"));
    hints.no_select = Some(prop("user-select") == "none");
    if !hidden {
        let r = el.get_bounding_client_rect();
        hints.rect = Some(Rect {
            x: r.x() as f32,
            y: r.y() as f32,
            width: r.width() as f32,
            height: r.height() as f32,
        });
    }
    hints
}
