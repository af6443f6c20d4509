//! Score: Readability-style content scores for every block that holds paragraphs.
//!
//! Input: a prepared document and its text statistics. Output: [`Scores`], the content score of
//! each candidate container (already scaled by `1 - link density`). Must not: mutate the
//! document; walk more than [`MAX_ANCESTOR_LEVELS`] ancestors per paragraph.

use crate::dom::{Document, NodeId};
#[cfg(test)]
use crate::signals::CLASS_HINT_WEIGHT;
use crate::signals::{class_penalty, class_weight, TextStats};

/// Elements whose own text is scored as a paragraph.
const SCORED_TAGS: &[&str] = &["p", "pre", "td", "h2", "h3", "h4", "h5", "h6"];

/// Paragraphs shorter than this (normalised chars) are captions, buttons or crumbs.
const MIN_PARAGRAPH_CHARS: usize = 25;

/// Every hundred characters adds a point, up to this many.
const MAX_LENGTH_POINTS: f32 = 3.0;

/// Characters per length point.
const CHARS_PER_POINT: usize = 100;

/// A paragraph's score reaches this many ancestors (parent, grandparent, then decaying).
const MAX_ANCESTOR_LEVELS: usize = 5;

/// Starting score of a container by tag: divs usually wrap prose, lists and headings rarely do.
fn tag_prior(tag: &str) -> f32 {
    match tag {
        "div" | "article" | "main" | "section" => 5.0,
        "pre" | "td" | "blockquote" => 3.0,
        "address" | "ol" | "ul" | "dl" | "dd" | "dt" | "li" | "form" => -3.0,
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "th" => -5.0,
        // Side content only wins when it clearly holds the most prose (some sites put the
        // article in an <aside>).
        "aside" => -25.0,
        _ => 0.0,
    }
}

/// Content scores of candidate containers.
pub struct Scores {
    score: Vec<f32>,
    scored: Vec<bool>,
    /// Candidates in the order they were first scored.
    pub candidates: Vec<NodeId>,
}

impl Scores {
    /// The final score of `id`, if it is a candidate.
    pub fn get(&self, id: NodeId) -> Option<f32> {
        let i = id.index();
        (self.scored.get(i).copied().unwrap_or(false)).then(|| self.score[i])
    }

    /// The `n` best candidates, best first (ties keep the order they were scored in). A few
    /// passes of "take the first maximum" instead of a full sort: only the head is read.
    pub fn best(&self, n: usize) -> Vec<(NodeId, f32)> {
        let mut all: Vec<(NodeId, f32)> = self.all().collect();
        let mut out = Vec::with_capacity(n);
        while out.len() < n {
            let Some(i) = (0..all.len()).reduce(|b, i| if all[i].1 > all[b].1 { i } else { b })
            else {
                break;
            };
            out.push(all.remove(i));
        }
        out
    }

    /// Every candidate with its score, in the order they were scored.
    pub fn all(&self) -> impl Iterator<Item = (NodeId, f32)> + '_ {
        self.candidates.iter().map(|&c| (c, self.score[c.index()]))
    }

    /// Takes back the penalty of boilerplate words in the names of the candidates `protected`
    /// holds (the block holding the story): a class word is evidence, not proof, and a body
    /// flagged `comments-open` should not lose to its own standfirst.
    pub fn forgive_names(
        &mut self,
        doc: &Document,
        stats: &TextStats,
        protected: impl Fn(NodeId) -> bool,
    ) {
        for &c in &self.candidates {
            let penalty = class_penalty(doc, c);
            if penalty > 0.0 && protected(c) {
                self.score[c.index()] += penalty * (1.0 - stats.link_density(c));
            }
        }
    }

    fn init(&mut self, doc: &Document, id: NodeId) {
        let i = id.index();
        if !self.scored[i] {
            self.scored[i] = true;
            self.score[i] = tag_prior(doc.tag(id)) + class_weight(doc, id);
            self.candidates.push(id);
        }
    }
}

/// The score one paragraph contributes: one, plus its comma-separated pieces, plus length.
pub fn paragraph_score(chars: usize, commas: usize) -> f32 {
    let length = ((chars / CHARS_PER_POINT) as f32).min(MAX_LENGTH_POINTS);
    1.0 + (commas + 1) as f32 + length
}

/// Scores every container of a scorable paragraph under `root`.
pub fn score_blocks(doc: &Document, root: NodeId, stats: &TextStats) -> Scores {
    let n = doc.len();
    let mut s = Scores {
        score: vec![0.0; n],
        scored: vec![false; n],
        candidates: Vec::new(),
    };
    let paragraphs: Vec<NodeId> = doc
        .descendants(root)
        .filter(|&id| SCORED_TAGS.contains(&doc.tag(id)))
        .collect();
    for p in paragraphs {
        let chars = stats.chars(p);
        if chars < MIN_PARAGRAPH_CHARS {
            continue;
        }
        if !doc.parent(p).is_some_and(|a| doc.is_element(a)) {
            continue;
        }
        let points = paragraph_score(chars, stats.commas(p));
        for (level, anc) in doc.ancestors(p).take(MAX_ANCESTOR_LEVELS).enumerate() {
            if !doc.is_element(anc) || doc.parent(anc).is_none() {
                break;
            }
            s.init(doc, anc);
            let divider = match level {
                0 => 1.0,
                1 => 2.0,
                l => (l * 3) as f32,
            };
            s.score[anc.index()] += points / divider;
        }
    }
    for &c in &s.candidates {
        s.score[c.index()] *= 1.0 - stats.link_density(c);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dom::html::parse;

    #[test]
    fn paragraph_points() {
        assert_eq!(paragraph_score(30, 0), 2.0);
        assert_eq!(paragraph_score(250, 2), 6.0);
        assert_eq!(paragraph_score(5000, 0), 5.0);
    }

    #[test]
    fn prose_container_outscores_link_list() {
        let prose =
            "<p>This is a long sentence, with commas, that reads like an article paragraph.</p>"
                .repeat(3);
        let links =
            "<p><a href=/a>This is a long link text that goes somewhere else entirely</a></p>"
                .repeat(3);
        let doc = parse(&format!("<div id=a>{prose}</div><div id=b>{links}</div>"));
        let st = TextStats::compute(&doc, doc.root());
        let s = score_blocks(&doc, doc.root(), &st);
        let best = s.best(1)[0].0;
        assert_eq!(doc.attr(best, "id"), Some("a"));
    }

    #[test]
    fn a_protected_body_is_forgiven_its_boilerplate_words_only() {
        // The body's own names say "article" and "comments-open": the two cancel out, and the
        // body, its paragraphs wrapped one level deeper, loses to its standfirst.
        let para =
            "<p>This is a long sentence, with commas, that reads like an article paragraph.</p>";
        let doc = parse(&format!(
            "<div id=s class=standfirst>{}</div>\
             <div id=m class=\"article-text comments-open\">{}</div>",
            para.repeat(2),
            format!("<div class=graf>{para}</div>").repeat(4)
        ));
        let st = TextStats::compute(&doc, doc.root());
        let body = doc
            .descendants(doc.root())
            .find(|&n| doc.attr(n, "id") == Some("m"))
            .unwrap();
        assert_eq!(class_weight(&doc, body), 0.0);
        assert_eq!(class_penalty(&doc, body), CLASS_HINT_WEIGHT);
        let mut s = score_blocks(&doc, doc.root(), &st);
        let before = s.get(body).unwrap();
        assert_eq!(doc.attr(s.best(1)[0].0, "id"), Some("s"));
        s.forgive_names(&doc, &st, |n| n != body);
        assert_eq!(s.get(body), Some(before));
        s.forgive_names(&doc, &st, |n| n == body);
        assert_eq!(s.get(body), Some(before + CLASS_HINT_WEIGHT));
        assert_eq!(s.best(1)[0].0, body);
    }

    #[test]
    fn short_paragraphs_are_not_scored() {
        let doc = parse("<div><p>tiny</p></div>");
        let st = TextStats::compute(&doc, doc.root());
        assert!(score_blocks(&doc, doc.root(), &st).candidates.is_empty());
    }
}
