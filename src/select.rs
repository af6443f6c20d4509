//! Select: find the article's container and the siblings that belong with it.
//!
//! Input: the prepared document, its scores and text statistics. Output: a new detached `div`
//! (created in the same arena) holding the chosen blocks, in document order. Must not: take a
//! block that was removed; climb above `<body>`.

use crate::article::Removed;
use crate::dom::{Attr, Document, NodeId};
use crate::safety::ProseMass;
use crate::score::Scores;
use crate::signals::TextStats;
use crate::text::inner_text;

/// How many top-scored candidates are compared.
const TOP_CANDIDATES: usize = 5;

/// Candidates within this share of the best count as alternatives for the common-ancestor rule.
const ALTERNATIVE_SHARE: f32 = 0.75;

/// The common-ancestor rule needs at least this many alternatives.
const MIN_ALTERNATIVES: usize = 3;

/// A climbing parent must score at least this share of the start.
const CLIMB_MIN_SHARE: f32 = 1.0 / 3.0;

/// Siblings join when they score this share of the top candidate (or [`SIBLING_MIN_SCORE`]).
const SIBLING_SHARE: f32 = 0.2;

/// Floor for the sibling threshold.
const SIBLING_MIN_SCORE: f32 = 10.0;

/// A sibling paragraph longer than this joins when its links are below [`SIBLING_MAX_LINK_DENSITY`].
const SIBLING_LONG_PARAGRAPH_CHARS: usize = 80;

/// Link share allowed in a long sibling paragraph.
const SIBLING_MAX_LINK_DENSITY: f32 = 0.25;

/// Class/id names that mark the article body explicitly (trafilatura's first body query,
/// `BODY_XPATH`; measured on the trafilatura-dev corpus, `./build.sh eval`).
const BODY_MARKER_FRAGMENTS: &[&str] = &[
    "entry-content",
    "article-content",
    "article__content",
    "article-body",
    "articlebody",
    "article_body",
    "article__body",
    "body-text",
    "post-text",
    "post-body",
    "post-entry",
    "post-content",
    "postcontent",
    "article-text",
    "articletext",
    "text-content",
    "story-body",
    "storybody",
    "story-content",
    "entry-body",
    "blog-post-body",
    "article-main",
];

/// Exact class/id values that mark a single post.
const BODY_MARKER_NAMES: &[&str] = &[
    "post",
    "entry",
    "articlecontent",
    "article",
    "story",
    "storytext",
];

/// An explicit container needs at least this much text to be trusted.
const MIN_MARKED_CHARS: usize = 200;

/// A marked container wins unless the scored candidate has more than this many times its text.
const MARKED_MAX_SHORTFALL: f32 = 3.0;

/// Blocks left outside the article with at least this much running prose are recorded, so that
/// no substantial text disappears without a trace.
const UNSELECTED_MIN_PROSE: usize = 200;

/// Records the blocks of prose that stay behind in `body` once the article was moved out (the
/// lowest block holding [`UNSELECTED_MIN_PROSE`], so that a sidebar is one record, not one per
/// paragraph). `stats` were measured before the move: text that left is no longer reached.
pub fn record_unselected(doc: &Document, body: NodeId, stats: &TextStats, removed: &mut Removed) {
    let prose = ProseMass::with_stats(doc, body, stats);
    let mut cur = doc.first_child(body);
    while let Some(n) = cur {
        if prose.running(n) < UNSELECTED_MIN_PROSE {
            cur = doc.next_skipping_children(n, body);
        } else if doc
            .children(n)
            .all(|c| prose.running(c) < UNSELECTED_MIN_PROSE)
        {
            removed.record(
                doc,
                n,
                "not-selected",
                "outside the block chosen as the article",
            );
            cur = doc.next_skipping_children(n, body);
        } else {
            cur = doc
                .first_child(n)
                .or_else(|| doc.next_skipping_children(n, body));
        }
    }
}

/// Picks the article container and gathers it with its related siblings into a new `div`.
pub fn best_candidate(
    doc: &mut Document,
    body: NodeId,
    scores: &Scores,
    stats: &TextStats,
) -> Option<NodeId> {
    let scored = scored_candidate(doc, body, scores);
    let marked = marked_container(doc, body, stats);
    match (scored, marked) {
        (_, Some(m)) if prefer_marked(doc, m, scored, stats) => Some(wrap(doc, &[m])),
        (Some(top), _) => {
            let parts = gather_siblings(doc, top, scores, stats);
            Some(wrap(doc, &parts))
        }
        (None, None) => {
            // Nothing scored (a tiny page): like Readability, the body's content is the article.
            let kids: Vec<NodeId> = doc.children(body).collect();
            (!kids.is_empty()).then(|| wrap(doc, &kids))
        }
        (None, Some(m)) => Some(wrap(doc, &[m])),
    }
}

fn useful_chars(stats: &TextStats, id: NodeId) -> f32 {
    stats.chars(id) as f32 * (1.0 - stats.link_density(id))
}

fn prefer_marked(
    doc: &Document,
    marked: NodeId,
    scored: Option<NodeId>,
    stats: &TextStats,
) -> bool {
    let Some(top) = scored else { return true };
    if doc.contains(marked, top) {
        return true; // the marker names the whole body the scorer found part of
    }
    useful_chars(stats, top) <= useful_chars(stats, marked) * MARKED_MAX_SHORTFALL
}

fn is_body_marker(doc: &Document, id: NodeId) -> bool {
    let Some(el) = doc.element(id) else {
        return false;
    };
    if el
        .attr("itemprop")
        .is_some_and(|v| v.contains("articleBody"))
    {
        return true;
    }
    if !matches!(&*el.tag, "div" | "section" | "article" | "main" | "td") {
        return false;
    }
    for name in ["class", "id"] {
        let Some(v) = el.attr(name) else { continue };
        let v = v.to_ascii_lowercase();
        if BODY_MARKER_NAMES.contains(&v.trim()) {
            return true;
        }
        if v.split_ascii_whitespace()
            .any(|w| BODY_MARKER_FRAGMENTS.iter().any(|f| w.contains(f)))
        {
            return true;
        }
    }
    false
}

/// The explicitly marked body container with the most useful text, if one has enough.
fn marked_container(doc: &Document, body: NodeId, stats: &TextStats) -> Option<NodeId> {
    let mut best: Option<(NodeId, f32)> = None;
    for id in doc.descendants(body) {
        if !is_body_marker(doc, id) || stats.chars(id) < MIN_MARKED_CHARS {
            continue;
        }
        let useful = useful_chars(stats, id);
        match best {
            // An inner marker that holds nearly all of an outer one is the tighter choice.
            Some((b, bu)) if doc.contains(b, id) && useful >= bu * 0.8 => best = Some((id, useful)),
            Some((_, bu)) if useful <= bu => {}
            _ => best = Some((id, useful)),
        }
    }
    best.map(|(id, _)| id)
}

/// Readability's choice: the best score, moved to a common ancestor of close runners-up, then
/// climbed while parents keep scoring.
fn scored_candidate(doc: &Document, body: NodeId, scores: &Scores) -> Option<NodeId> {
    let ranked = scores.ranked();
    let &(mut top, top_score) = ranked.first()?;
    if top == body {
        return Some(body);
    }
    let alternatives: Vec<NodeId> = ranked
        .iter()
        .skip(1)
        .take(TOP_CANDIDATES - 1)
        .filter(|(_, s)| *s >= top_score * ALTERNATIVE_SHARE)
        .map(|(id, _)| *id)
        .collect();
    if alternatives.len() >= MIN_ALTERNATIVES {
        for anc in doc.ancestors(top) {
            if anc == body || !doc.is_element(anc) {
                break;
            }
            let held = alternatives
                .iter()
                .filter(|&&a| doc.contains(anc, a))
                .count();
            if held >= MIN_ALTERNATIVES {
                top = anc;
                break;
            }
        }
    }
    top = climb(doc, body, top, scores);
    // A lone child says nothing its parent doesn't; the parent may hold the title or images.
    while let Some(p) = doc.parent(top) {
        if p == body || !doc.is_element(p) || doc.element_children(p).count() != 1 {
            break;
        }
        top = p;
    }
    Some(top)
}

fn climb(doc: &Document, body: NodeId, start: NodeId, scores: &Scores) -> NodeId {
    let mut last = scores.get(start).unwrap_or(0.0);
    let threshold = last * CLIMB_MIN_SHARE;
    let mut parent = doc.parent(start);
    while let Some(p) = parent {
        if p == body || !doc.is_element(p) {
            break;
        }
        let Some(ps) = scores.get(p) else {
            parent = doc.parent(p);
            continue;
        };
        if ps < threshold {
            break;
        }
        if ps > last {
            return p;
        }
        last = ps;
        parent = doc.parent(p);
    }
    start
}

fn ends_sentence(text: &str) -> bool {
    text.ends_with('.') || text.contains(". ")
}

/// The top candidate plus the siblings that score close to it or read like its paragraphs.
fn gather_siblings(doc: &Document, top: NodeId, scores: &Scores, stats: &TextStats) -> Vec<NodeId> {
    let Some(parent) = doc.parent(top).filter(|&p| doc.is_element(p)) else {
        return vec![top];
    };
    let top_score = scores.get(top).unwrap_or(0.0);
    let threshold = SIBLING_MIN_SCORE.max(top_score * SIBLING_SHARE);
    let top_class = doc.attr(top, "class").unwrap_or("").to_string();
    let mut kept = Vec::new();
    for sib in doc.element_children(parent) {
        if sib == top {
            kept.push(sib);
            continue;
        }
        let bonus = if !top_class.is_empty() && doc.attr(sib, "class") == Some(top_class.as_str()) {
            top_score * SIBLING_SHARE
        } else {
            0.0
        };
        let by_score = scores.get(sib).is_some_and(|s| s + bonus >= threshold);
        let by_prose = doc.is(sib, "p") && {
            let len = stats.chars(sib);
            let ld = stats.link_density(sib);
            (len > SIBLING_LONG_PARAGRAPH_CHARS && ld < SIBLING_MAX_LINK_DENSITY)
                || (len > 0
                    && len <= SIBLING_LONG_PARAGRAPH_CHARS
                    && ld == 0.0
                    && ends_sentence(&inner_text(doc, sib)))
        };
        if by_score || by_prose {
            kept.push(sib);
        }
    }
    kept
}

/// Moves the chosen blocks into a new detached `div`.
fn wrap(doc: &mut Document, parts: &[NodeId]) -> NodeId {
    let div = doc.create_element(
        "div",
        vec![Attr {
            name: "id".into(),
            value: "lucid-article".into(),
        }],
    );
    for &p in parts {
        doc.append(div, p);
    }
    div
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dom::html::parse;
    use crate::score::score_blocks;

    fn pick(html: &str) -> String {
        let mut doc = parse(html);
        let body = doc.body();
        let st = TextStats::compute(&doc, body);
        let sc = score_blocks(&doc, body, &st);
        let w = best_candidate(&mut doc, body, &sc, &st).unwrap();
        inner_text(&doc, w)
    }

    const PARA: &str =
        "<p>Long enough paragraph text, with commas, to be scored as real prose here.</p>";

    #[test]
    fn marked_body_wins_over_a_bigger_wrapper() {
        let html = format!(
            "<div><div class=entry-content>{}</div><div class=x>{}</div></div>",
            PARA.repeat(3).replace("prose", "body"),
            PARA.repeat(2).replace("prose", "other")
        );
        let t = pick(&html);
        assert!(t.contains("body") && !t.contains("other"), "{t}");
    }

    #[test]
    fn sibling_paragraphs_join() {
        let html = format!(
            "<div><div>{}</div><p>A short closing line.</p><p>menu</p></div>",
            PARA.repeat(4)
        );
        let t = pick(&html);
        assert!(t.contains("closing line") && !t.contains("menu"), "{t}");
    }
}
