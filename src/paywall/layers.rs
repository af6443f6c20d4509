//! The layer work: fixed or sticky overlays and backdrops, scroll locks on `<html>`/`<body>`, and
//! lifting the hiding a wall puts on article text.

use super::*;

/// A fixed or sticky element covering at least this share of the viewport is an overlay.
pub(super) const OVERLAY_MIN_VIEWPORT_SHARE: f32 = 0.25;

/// Scroll-lock classes on `<html>`/`<body>`.
pub(super) const SCROLL_LOCK_CLASSES: &[&str] = &[
    "modal-open",
    "tp-modal-open",
    "mailmunch-pop-open",
    "overflow-hidden",
    "locked",
    "js-overflow-hidden",
    "no-scroll",
    "noscroll",
    "scroll-lock",
];

/// Makes a hidden wrapper and its hidden descendants visible again (attributes, inline styles,
/// measured visibility), so later stages keep the text.
pub(super) fn lift_hiding(doc: &mut Document, id: NodeId) {
    let nodes: Vec<NodeId> = doc.descendants(id).filter(|&n| doc.is_element(n)).collect();
    for n in nodes {
        doc.remove_attr(n, "hidden");
        doc.remove_attr(n, "amp-access-hide");
        if doc.attr(n, "aria-hidden") == Some("true") {
            doc.remove_attr(n, "aria-hidden");
        }
        if let Some(style) = doc.attr(n, "style") {
            if crate::signals::style_hides(style) {
                doc.remove_attr(n, "style");
            }
        }
        if let Some(el) = doc.element_mut(n) {
            if let Some(h) = el.hints.as_mut() {
                if h.visible == Some(false) {
                    h.visible = Some(true);
                }
            }
        }
    }
}

/// Fixed/sticky layers that cover a good part of the viewport (render hints only), with prompt
/// text or no text at all (a backdrop).
pub(super) fn remove_overlays(
    doc: &mut Document,
    prose: &ProseMass,
    removed: &mut Removed,
    report: &mut PaywallReport,
) {
    let Some((vw, vh)) = doc.page.viewport else {
        return;
    };
    let viewport_area = (vw * vh).max(1.0);
    let candidates: Vec<NodeId> = doc
        .descendants(doc.root())
        .filter(|&n| {
            doc.hints(n).is_some_and(|h| {
                matches!(h.position, Some(Position::Fixed) | Some(Position::Sticky))
                    && h.visible != Some(false)
                    && h.rect.is_some_and(|r| {
                        (r.width * r.height) / viewport_area >= OVERLAY_MIN_VIEWPORT_SHARE
                    })
            })
        })
        .collect();
    for id in candidates {
        if doc.parent(id).is_none() || doc.is(id, "body") || doc.is(id, "html") {
            continue;
        }
        let text = block_text(doc, id);
        let words = text.split_whitespace().count();
        // Geometry is strong evidence already: any block of the layer reading as a prompt will do.
        let prompt = prompt_phrase(&text).is_some()
            || doc.descendants(id).any(|d| {
                crate::signals::is_block_tag(doc.tag(d))
                    && prompt_phrase(&block_text(doc, d)).is_some()
            });
        // Two signals: geometry plus prompt words, or geometry plus being an empty backdrop.
        if prompt && prose.protects_block(doc, id) {
            removed.spare(doc, id, "paywall:overlay");
        } else if prompt || words == 0 {
            let reason = if prompt {
                "full-screen prompt layer"
            } else {
                "backdrop over the page"
            };
            record_prompt(doc, id, "overlay", reason, removed);
            report.removed(id, removed);
            doc.detach(id);
        }
    }
}

pub(super) fn note_scroll_locks(doc: &Document, removed: &mut Removed, report: &mut PaywallReport) {
    let html = doc.find_first(doc.root(), "html");
    let body = doc.body();
    for id in [html, Some(body)].into_iter().flatten() {
        let class_lock = class_tokens(doc, id).any(|c| SCROLL_LOCK_CLASSES.contains(&c));
        let style_lock = doc.attr(id, "style").is_some_and(|s| {
            let s: String = s
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect::<String>()
                .to_ascii_lowercase();
            s.contains("overflow:hidden") || s.contains("position:fixed")
        });
        let measured = doc.page.scroll_locked == Some(true);
        if class_lock || style_lock || measured {
            report.scroll_lock = true;
            removed.note(
                "paywall:scroll-lock",
                "page scrolling was locked by a prompt",
                "",
            );
            return;
        }
    }
}
