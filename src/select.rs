//! Select: find the article's container and the siblings that belong with it.
//!
//! Input: the prepared document, its scores and text statistics. Output: a new detached `div`
//! (created in the same arena) holding the chosen blocks, in document order. Must not: take a
//! block that was removed; climb above `<body>`.

use crate::article::Removed;
use crate::dom::{Attr, Document, NodeId};
use crate::safety::{self, ProseMass};
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

/// Blocks left outside the article with at least this much prose are recorded, so that no
/// substantial text disappears without a trace.
const UNSELECTED_MIN_PROSE: usize = 200;

/// A block left outside is split into records of its parts only when its parts of
/// [`UNSELECTED_MIN_PROSE`] hold at least this share of its prose (a page wrapper of sidebar,
/// comments and footer); otherwise it is one record (a sidebar of short paragraphs).
const UNSELECTED_SPLIT_SHARE: f32 = 0.8;

/// When a block is split (the body always is), its smaller parts with at least this much prose
/// get records of their own (a paragraph between two big blocks), so that the split loses
/// nothing a reader would miss.
const UNSELECTED_PART_MIN_PROSE: usize = UNSELECTED_MIN_PROSE / 4;

/// Records the blocks of prose that stay behind in `body` once the article was moved out: the
/// lowest block holding [`UNSELECTED_MIN_PROSE`] whose prose is not mostly in such blocks
/// below it, so that a sidebar is one record, not one per paragraph, and a split block's
/// smaller parts are recorded too. Prose in list items and table cells counts: a landing page's
/// feature cards are short items that add up. `stats` were measured before the move: text that
/// left is no longer reached.
pub fn record_unselected(doc: &Document, body: NodeId, stats: &TextStats, removed: &mut Removed) {
    let prose = ProseMass::with_stats(doc, body, stats);
    let mut record = |n: NodeId| {
        removed.record(
            doc,
            n,
            "not-selected",
            "outside the block chosen as the article",
        )
    };
    let mut cur = doc.first_child(body);
    while let Some(n) = cur {
        let mass = prose.of(n);
        let big: usize = if mass < UNSELECTED_MIN_PROSE {
            0
        } else {
            doc.children(n)
                .map(|c| prose.of(c))
                .filter(|&p| p >= UNSELECTED_MIN_PROSE)
                .sum()
        };
        if mass >= UNSELECTED_MIN_PROSE && big as f32 >= mass as f32 * UNSELECTED_SPLIT_SHARE {
            // Split: its parts are recorded as the walk reaches them.
            cur = doc.next_in(n, body);
            continue;
        }
        // A block of prose, or (reached only inside a split block or the body) a part of one.
        if mass >= UNSELECTED_PART_MIN_PROSE {
            record(n);
        }
        cur = doc.next_skipping_children(n, body);
    }
    // Consent notices are no prose, but text a reader could look for all the same.
    let notices = prose.consent_blocks();
    for &c in notices {
        let outermost = !notices.iter().any(|&o| o != c && doc.contains(o, c));
        if outermost && doc.contains(body, c) && c != body {
            removed.record(doc, c, "consent", "cookie or consent notice");
        }
    }
}

/// What the chosen blocks are: one article, or the sections of a landing page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// A story, with the blocks that belong to it.
    Article,
    /// The main region of a page of short headed sections (feature cards, an FAQ): every
    /// section is the content, cards included.
    Sections,
}

/// The new `div` holding the chosen blocks, and what they are.
#[derive(Clone, Copy, Debug)]
pub struct Choice {
    /// The detached `div` holding the chosen blocks.
    pub wrapper: NodeId,
    /// What they are.
    pub shape: Shape,
}

/// Picks the article container and gathers it with its related siblings into a new `div`.
pub fn best_candidate(
    doc: &mut Document,
    body: NodeId,
    scores: &Scores,
    stats: &TextStats,
    prose: &ProseMass,
) -> Option<Choice> {
    let scored = scored_candidate(doc, body, scores, stats);
    let marked = marked_container(doc, body, stats);
    let marked = marked.filter(|&m| prefer_marked(doc, m, scored, stats));
    let story = marked
        .or(scored)
        .and_then(|chosen| story_instead(doc, body, chosen, stats, prose));
    let sections = story
        .or(marked)
        .or(scored)
        .and_then(|chosen| sections_block(doc, body, chosen, stats, prose));
    let parts = match (sections, story, marked, scored) {
        (Some(main), _, _, _) => vec![main],
        (None, Some(story), _, _) => gather_siblings(doc, story, scores, stats),
        (None, None, Some(m), _) => with_twins(doc, m, stats),
        (None, None, None, Some(top)) => kin_bands(doc, body, top, scores, stats)
            .unwrap_or_else(|| gather_siblings(doc, top, scores, stats)),
        // Nothing scored (a tiny page): like Readability, the body's content is the article.
        (None, None, None, None) => doc.children(body).collect(),
    };
    if parts.is_empty() {
        return None;
    }
    let mut blocks: Vec<NodeId> = lead_beside(doc, body, &parts, stats, prose)
        .into_iter()
        .collect();
    blocks.extend(parts);
    Some(Choice {
        wrapper: wrap(doc, &blocks),
        shape: if sections.is_some() {
            Shape::Sections
        } else {
            Shape::Article
        },
    })
}

/// A page of sections (a product or landing page: feature cards, an FAQ, reviews one after
/// another) rather than one story: the choice holds less than this share of the prose of the
/// page's main region…
const SECTION_CHOICE_MAX_SHARE: f32 = 0.5;

/// …the main region holds at least this share of the page's prose (prepared: menus and footers
/// are gone)…
const SECTIONS_MIN_SHARE: f32 = 0.8;

/// …with at most this share of link text (a block of teasers is mostly headline links)…
const SECTIONS_MAX_LINK_DENSITY: f32 = 0.25;

/// …and its prose outside the choice stands under at least this many headings of its own…
const SECTIONS_MIN_HEADINGS: usize = 4;

/// …at most this many characters of prose per heading (cards, not chapters of a long text).
const SECTION_MAX_PROSE: usize = 400;

/// A heading with more link text than this is a link to elsewhere (a teaser's headline).
const SECTION_HEADING_MAX_LINK_DENSITY: f32 = 0.5;

/// The page's main region (`<main>`, `role=main`) when the choice is a small part of it and the
/// rest is short headed sections: on a landing page every section is the content.
fn sections_block(
    doc: &Document,
    body: NodeId,
    chosen: NodeId,
    stats: &TextStats,
    prose: &ProseMass,
) -> Option<NodeId> {
    // A choice holding where the story starts is the story, however short.
    if prose.holds_lead(doc, chosen) {
        return None;
    }
    let main = std::iter::once(chosen)
        .chain(doc.ancestors(chosen))
        .take_while(|&a| a != body && doc.is_element(a))
        .find(|&a| doc.is(a, "main") || doc.attr(a, "role") == Some("main"))?;
    if main == chosen || stats.link_density(main) > SECTIONS_MAX_LINK_DENSITY {
        return None;
    }
    // Headings first: they are counted in one walk that steps over the choice, while prose
    // needs a pass over the page.
    let mut headings = 0;
    let mut cur = Some(main);
    while let Some(n) = cur {
        if n == chosen {
            cur = doc.next_skipping_children(n, main);
            continue;
        }
        if matches!(doc.tag(n), "h1" | "h2" | "h3" | "h4")
            && stats.link_density(n) <= SECTION_HEADING_MAX_LINK_DENSITY
        {
            headings += 1;
        }
        cur = doc.next_in(n, main);
    }
    if headings < SECTIONS_MIN_HEADINGS {
        return None;
    }
    let now = ProseMass::with_stats(doc, body, stats);
    let (page, held, chose) = (now.of(body), now.of(main), now.of(chosen));
    (page >= crate::safety::MIN_GUARDED_PROSE
        && held as f32 >= page as f32 * SECTIONS_MIN_SHARE
        && (chose as f32) < held as f32 * SECTION_CHOICE_MAX_SHARE
        && held.saturating_sub(chose) <= headings * SECTION_MAX_PROSE)
        .then_some(main)
}

/// The chosen block may be outweighed by the story the page's headline leads into: a
/// site blurb or a teaser box scoring above a single long paragraph.
const STORY_OVER_CHOICE: f32 = 1.0;

/// The block around the story's start (see [`ProseMass::story_block`]) while it stands in the
/// page below `body`.
fn story_of(doc: &Document, body: NodeId, prose: &ProseMass) -> Option<NodeId> {
    let lead = prose.lead()?;
    let story = prose.story_block()?;
    (doc.contains(body, lead) && doc.contains(story, lead) && !doc.contains(story, body))
        .then_some(story)
}

/// The story around the page's lead, when it should replace the choice: the choice lies
/// elsewhere and holds less useful text.
fn story_instead(
    doc: &Document,
    body: NodeId,
    chosen: NodeId,
    stats: &TextStats,
    prose: &ProseMass,
) -> Option<NodeId> {
    let story = story_of(doc, body, prose)?;
    (!doc.contains(story, chosen)
        && !doc.contains(chosen, story)
        && useful_chars(stats, story) >= useful_chars(stats, chosen) * STORY_OVER_CHOICE)
        .then_some(story)
}

/// Whether `id` is (in) a figure's caption or a list item, or its text is escaped markup (an
/// ad's script shown as text): none is the story's standfirst.
fn is_caption_or_markup(doc: &Document, id: NodeId) -> bool {
    let in_caption_or_item = std::iter::once(id)
        .chain(doc.ancestors(id))
        .any(|a| matches!(doc.tag(a), "figure" | "figcaption" | "caption" | "li"));
    in_caption_or_item || inner_text(doc, id).matches('<').count() >= 2
}

/// The chosen blocks sit at most this many levels below the block they share with the lead.
const LEAD_MAX_LEVELS: usize = 3;

/// The shared block holds at most this many times the useful text of the lead and the chosen
/// blocks together (more, and it is a page region, not one article).
const LEAD_COMMON_MAX_SHARE: f32 = 1.5;

/// The story's lead paragraph, when the chosen blocks miss it but it stands just before them in
/// the same article: a standfirst in the article's header, the body in a sibling block.
fn lead_beside(
    doc: &Document,
    body: NodeId,
    parts: &[NodeId],
    stats: &TextStats,
    prose: &ProseMass,
) -> Option<NodeId> {
    let lead = prose.lead()?;
    let &first = parts.first()?;
    if !doc.contains(body, lead)
        || parts
            .iter()
            .any(|&p| doc.contains(p, lead) || doc.contains(lead, p))
        || is_caption_or_markup(doc, lead)
    {
        return None;
    }
    let levels = doc.ancestors(first).position(|a| doc.contains(a, lead))?;
    let common = doc.ancestors(first).nth(levels)?;
    if doc.contains(common, body) {
        return lead_band(doc, body, first, lead, stats);
    }
    if levels >= LEAD_MAX_LEVELS {
        return None;
    }
    let side = |x: NodeId| doc.children(common).position(|c| doc.contains(c, x));
    if side(lead)? >= side(first)? {
        return None;
    }
    let together: f32 =
        parts.iter().map(|&p| useful_chars(stats, p)).sum::<f32>() + useful_chars(stats, lead);
    (useful_chars(stats, common) <= together * LEAD_COMMON_MAX_SHARE).then_some(lead)
}

/// [`lead_beside`] for a body laid out in page-wide bands: the lead, when the chosen blocks are
/// bands and the band just before the first holds little but the lead (a header band: the
/// headline, a date, the standfirst).
fn lead_band(
    doc: &Document,
    body: NodeId,
    first: NodeId,
    lead: NodeId,
    stats: &TextStats,
) -> Option<NodeId> {
    let band = doc.prev_element_sibling(first)?;
    (doc.parent(first) == Some(body)
        && doc.contains(band, lead)
        && useful_chars(stats, band) <= useful_chars(stats, lead) * LEAD_COMMON_MAX_SHARE)
        .then_some(lead)
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

/// Readability's choice: the best score, moved to a common ancestor of close runners-up (or
/// of the other parts of a split body), then climbed while parents keep scoring.
fn scored_candidate(
    doc: &Document,
    body: NodeId,
    scores: &Scores,
    stats: &TextStats,
) -> Option<NodeId> {
    let ranked = scores.best(TOP_CANDIDATES);
    let &(mut top, top_score) = ranked.first()?;
    if top == body {
        return Some(body);
    }
    let alternatives: Vec<NodeId> = ranked
        .iter()
        .skip(1)
        .filter(|(_, s)| *s >= top_score * ALTERNATIVE_SHARE)
        .map(|(id, _)| *id)
        .collect();
    let shared = (alternatives.len() >= MIN_ALTERNATIVES)
        .then(|| {
            doc.ancestors(top)
                .take_while(|&a| a != body && doc.is_element(a))
                .find(|&anc| {
                    alternatives
                        .iter()
                        .filter(|&&a| doc.contains(anc, a))
                        .count()
                        >= MIN_ALTERNATIVES
                })
        })
        .flatten();
    if let Some(anc) = shared.or_else(|| kin_block(doc, body, top, top_score, scores, stats)) {
        top = anc;
    }
    top = climb(doc, body, top, scores);
    if let Some(panels) = panel_block(doc, body, top, stats) {
        top = panels;
    }
    // A lone child says nothing its parent doesn't; the parent may hold the title or images.
    while let Some(p) = doc.parent(top) {
        if p == body || !doc.is_element(p) || doc.element_children(p).count() != 1 {
            break;
        }
        top = p;
    }
    Some(top)
}

/// A body split into parts built on one template (the same tag and classes) between ads,
/// embeds or pull quotes: candidates scoring at least this share of the best and built like
/// it are its other parts.
const KIN_SHARE: f32 = 0.5;

/// The parts' common block stands at most this many levels above the best part.
const KIN_MAX_LEVELS: usize = 6;

/// The common block holds at most this many times the parts' useful text (a split body
/// also holds its headings, pictures and a few blocks on other templates; more, and it is a
/// page region holding other things too).
const KIN_COMMON_MAX_SHARE: f32 = 2.0;

/// The other parts of a split body beside the best candidate `top`: candidates scoring at least
/// [`KIN_SHARE`] of it, built on its template, neither inside the other.
fn kin_of(doc: &Document, top: NodeId, top_score: f32, scores: &Scores) -> Vec<NodeId> {
    let Some(class) = doc.attr(top, "class").filter(|c| !c.trim().is_empty()) else {
        return Vec::new();
    };
    scores
        .all()
        .filter(|&(id, s)| {
            id != top
                && s >= top_score * KIN_SHARE
                && doc.tag(id) == doc.tag(top)
                && doc.attr(id, "class") == Some(class)
                && !doc.contains(top, id)
                && !doc.contains(id, top)
        })
        .map(|(id, _)| id)
        .collect()
}

/// The block holding the best candidate and its kin — the other parts of a split body — when
/// they are nearly all it holds.
fn kin_block(
    doc: &Document,
    body: NodeId,
    top: NodeId,
    top_score: f32,
    scores: &Scores,
    stats: &TextStats,
) -> Option<NodeId> {
    let kin = kin_of(doc, top, top_score, scores);
    if kin.is_empty() {
        return None;
    }
    let common = doc
        .ancestors(top)
        .take(KIN_MAX_LEVELS)
        .take_while(|&a| a != body && doc.is_element(a))
        .find(|&a| kin.iter().all(|&k| doc.contains(a, k)))?;
    let parts: f32 = std::iter::once(top)
        .chain(kin)
        .map(|p| useful_chars(stats, p))
        .sum();
    (useful_chars(stats, common) <= parts * KIN_COMMON_MAX_SHARE).then_some(common)
}

/// A body split into page-wide bands, one part in each (a band of text, a band with a table, a
/// band of text), so that the parts share no block but a page region or the body itself: the
/// bands from the first part to the last, with the bands between them. A band is a block of the
/// same kind (tag and class list) as the best part's band that holds the best part's kin or
/// other text that is not mostly links (an intro band; a band of teaser links is not one); the
/// run is nearly all text of the parts.
fn kin_bands(
    doc: &Document,
    body: NodeId,
    chosen: NodeId,
    scores: &Scores,
    stats: &TextStats,
) -> Option<Vec<NodeId>> {
    let &(top, top_score) = scores.best(1).first()?;
    let kin = kin_of(doc, top, top_score, scores);
    if kin.is_empty() || !doc.contains(chosen, top) || kin.iter().all(|&k| doc.contains(chosen, k))
    {
        return None;
    }
    let region = std::iter::once(top)
        .chain(doc.ancestors(top))
        .take(KIN_MAX_LEVELS + 1)
        .take_while(|&a| doc.contains(body, a) && doc.is_element(a))
        .find(|&a| kin.iter().all(|&k| doc.contains(a, k)))?;
    let band_of = |x: NodeId| doc.children(region).find(|&c| doc.contains(c, x));
    let top_band = band_of(top)?;
    let bands: Vec<NodeId> = safety::parts_beside(doc, top_band)
        .into_iter()
        .filter(|&b| stats.chars(b) > 0 && stats.link_density(b) < SIBLING_MAX_LINK_DENSITY)
        .collect();
    if !kin
        .iter()
        .all(|&k| band_of(k).is_some_and(|b| b != top_band && bands.contains(&b)))
    {
        return None;
    }
    let position = |x: NodeId| doc.children(region).position(|c| c == x);
    let first = bands.iter().filter_map(|&b| position(b)).min()?;
    let last = bands.iter().filter_map(|&b| position(b)).max()?;
    let run: Vec<NodeId> = doc
        .children(region)
        .skip(first)
        .take(last + 1 - first)
        .filter(|&c| doc.is_element(c))
        .collect();
    let parts: f32 = std::iter::once(top)
        .chain(kin)
        .map(|p| useful_chars(stats, p))
        .sum();
    let held: f32 = run.iter().map(|&b| useful_chars(stats, b)).sum();
    (held <= parts * KIN_COMMON_MAX_SHARE).then_some(run)
}

/// A body split into panels (accordion or tab sections, one list item each): the other items
/// of the chosen one's list hold at least this much useful text each…
const PANEL_MIN_CHARS: f32 = 500.0;

/// …and there are at least this many of them.
const PANEL_MIN_OTHERS: usize = 2;

/// The list whose items are the panels of a split body, when the choice is one of them; and
/// when the page has several such lists side by side (one per section), the block holding
/// them, if they hold at least half of its useful text (`KIN_COMMON_MAX_SHARE`).
fn panel_block(doc: &Document, body: NodeId, top: NodeId, stats: &TextStats) -> Option<NodeId> {
    let mut item = top;
    for _ in 0..2 {
        if doc.is(item, "li") {
            break;
        }
        item = doc.parent(item).filter(|&p| p != body)?;
    }
    let list = doc
        .parent(item)
        .filter(|&l| l != body && doc.is(item, "li"))?;
    if !matches!(doc.tag(list), "ul" | "ol") {
        return None;
    }
    let mut panels = 0;
    for c in doc.element_children(list) {
        if c != item && doc.is(c, "li") && useful_chars(stats, c) >= PANEL_MIN_CHARS {
            panels += 1;
        }
    }
    if panels < PANEL_MIN_OTHERS {
        return None;
    }
    let Some(parent) = doc.parent(list).filter(|&p| p != body) else {
        return Some(list);
    };
    let (mut lists, mut held) = (0, 0.0);
    for l in doc.element_children(parent) {
        if doc.tag(l) == doc.tag(list) && doc.attr(l, "class") == doc.attr(list, "class") {
            lists += 1;
            held += useful_chars(stats, l);
        }
    }
    Some(
        if lists >= 2 && useful_chars(stats, parent) <= held * KIN_COMMON_MAX_SHARE {
            parent
        } else {
            list
        },
    )
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

/// A marked container with the siblings of its kind (same tag, same class list) that hold text:
/// a body split into parts by ads and pull quotes, each part in a container like the first.
fn with_twins(doc: &Document, m: NodeId, stats: &TextStats) -> Vec<NodeId> {
    let (Some(parent), Some(class)) = (doc.parent(m), doc.attr(m, "class")) else {
        return vec![m];
    };
    if class.trim().is_empty() {
        return vec![m];
    }
    doc.element_children(parent)
        .filter(|&s| {
            s == m
                || (doc.tag(s) == doc.tag(m)
                    && doc.attr(s, "class") == Some(class)
                    && stats.chars(s) > 0)
        })
        .collect()
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
        let w = best_candidate(&mut doc, body, &sc, &st, &ProseMass::default()).unwrap();
        inner_text(&doc, w.wrapper)
    }

    /// Like `pick`, with the page's prose measured under `title` (so the lead is known).
    fn pick_titled(html: &str, title: &str) -> String {
        let mut doc = parse(html);
        let prose = ProseMass::measure(&doc, title);
        let body = doc.body();
        let st = TextStats::compute(&doc, body);
        let sc = score_blocks(&doc, body, &st);
        let w = best_candidate(&mut doc, body, &sc, &st, &prose).unwrap();
        inner_text(&doc, w.wrapper)
    }

    const LEAD: &str = "<p>The standfirst: what happened, told in one sentence that runs \
        longer than a dateline.</p>";

    /// A paragraph of prose for the pages of the records tests.
    const COUNCIL: &str = "<p>The council met on Monday and, after a long debate, voted to keep \
        the library open on Sundays, as residents had asked, for another year at least.</p>";

    /// The records (rule, text) of what the choice on `html` leaves behind.
    fn left_behind(html: &str) -> Vec<(String, String)> {
        let mut doc = parse(html);
        let body = doc.body();
        let st = TextStats::compute(&doc, body);
        let sc = score_blocks(&doc, body, &st);
        best_candidate(&mut doc, body, &sc, &st, &ProseMass::default()).unwrap();
        let mut removed = Removed::keeping(usize::MAX);
        record_unselected(&doc, body, &st, &mut removed);
        removed
            .items
            .into_iter()
            .map(|r| (r.rule, r.text))
            .collect()
    }

    #[test]
    fn prose_left_behind_is_recorded_list_items_too() {
        let card = "<li><h3>Sunday hours</h3><p>Open from ten to four, with the reading room \
            and the children's corner staffed by volunteers.</p></li>";
        let records = left_behind(&format!(
            "<body><article>{}</article><ul>{}</ul><aside>{COUNCIL}{COUNCIL}</aside></body>",
            COUNCIL.repeat(4),
            card.repeat(3)
        ));
        let texts: Vec<&str> = records.iter().map(|r| r.1.as_str()).collect();
        assert_eq!(texts.len(), 2, "{texts:?}");
        assert!(texts[0].starts_with("Sunday hours"), "{texts:?}");
        assert!(texts[1].starts_with("The council met"), "{texts:?}");
    }

    #[test]
    fn a_consent_notice_left_behind_is_recorded_as_one() {
        let notice = "<div class=bar><p>This website uses cookies to improve your experience. \
            We'll assume you're ok with this, but you can opt-out if you wish. Accept \
            Read more about our privacy policy and how we use cookies.</p></div>";
        let rules = left_behind(&format!(
            "<body>{notice}<article>{}</article></body>",
            COUNCIL.repeat(4)
        ));
        assert_eq!(rules.len(), 1, "{rules:?}");
        assert_eq!(rules[0].0, "consent", "{rules:?}");
        assert!(
            rules[0].1.starts_with("This website uses cookies"),
            "{rules:?}"
        );
    }

    #[test]
    fn short_prose_beside_long_prose_left_behind_is_recorded() {
        let short = "<p>A salesman without a commission is a donkey without a carrot.</p>";
        let left_behind = |html: &str| -> Vec<String> {
            left_behind(&format!(
                "<body><article>{}</article>{html}</body>",
                COUNCIL.repeat(6)
            ))
            .into_iter()
            .map(|r| r.1)
            .collect()
        };
        // A sidebar of paragraphs, long and short: one record, the short one in it.
        let texts = left_behind(&format!("<aside>{COUNCIL}{short}{COUNCIL}{short}</aside>"));
        assert_eq!(texts.len(), 1, "{texts:?}");
        assert_eq!(texts[0].matches("donkey").count(), 2, "{texts:?}");
        // A region of big blocks is split, the short paragraph between them kept on record.
        let big = format!("<div>{COUNCIL}{COUNCIL}</div>");
        let texts = left_behind(&format!("<aside>{big}{short}{big}</aside>"));
        assert_eq!(texts.len(), 3, "{texts:?}");
        assert!(texts[1].starts_with("A salesman"), "{texts:?}");
    }

    #[test]
    fn the_standfirst_joins_the_body_beside_it() {
        let html = format!(
            "<article><header><h1>Council keeps the library open</h1>{LEAD}</header>\
             <div class=body>{}</div></article><div><p>Footer.</p></div>",
            PARA.repeat(4)
        );
        let t = pick_titled(&html, "Council keeps the library open");
        assert!(
            t.starts_with("The standfirst") && t.contains("real prose"),
            "{t}"
        );
        // A caption under the headline is not a standfirst.
        let html = html.replace(
            LEAD,
            &format!("<figure><figcaption>{LEAD}</figcaption></figure>"),
        );
        let t = pick_titled(&html, "Council keeps the library open");
        assert!(!t.contains("standfirst"), "{t}");
    }

    #[test]
    fn a_landing_page_of_headed_sections_is_shown_whole() {
        let card = |i: usize, heading: &str| {
            format!(
                "<li><h2>{heading}</h2><p>Examine the structure of any page {i} and change its \
                 layout while you watch, right in the browser window.</p>\
                 <a href=/t{i}>Learn more</a></li>"
            )
        };
        let page = |linked: bool| {
            let cards = |from: usize, to: usize| -> String {
                (from..=to)
                    .map(|i| {
                        let name = format!("Tool {i}");
                        let heading = if linked {
                            format!("<a href=/t{i}>{name}</a>")
                        } else {
                            name
                        };
                        card(i, &heading)
                    })
                    .collect()
            };
            format!(
                "<body><nav><a href=/>Home</a></nav><main><section><h1>Welcome</h1>\
                 <ul>{}</ul><div class=notice><h4>Important: move your profile</h4><p>The new \
                 edition comes with a profile of its own, so that it can run beside the others. \
                 To reach your bookmarks, history and passwords, sign in to your account, or \
                 create a new one, on the first start.</p></div></section>\
                 <section><h2>Features and tools</h2><ul>{}</ul></section></main></body>",
                cards(1, 2),
                cards(3, 8)
            )
        };
        let t = pick(&page(false));
        assert!(
            t.contains("Tool 1") && t.contains("Tool 8") && t.contains("move your profile"),
            "{t}"
        );
        // Cards under linked headlines are teasers for other pages: the choice stays as it was.
        let t = pick(&page(true));
        assert!(
            !t.contains("Tool 8") && t.contains("move your profile"),
            "{t}"
        );
    }

    #[test]
    fn a_short_story_in_main_keeps_its_boxes_out() {
        let boxes: String = (1..=5)
            .map(|i| {
                format!(
                    "<div class=box><h3>Box {i}</h3><p>Our volunteers run this corner of the \
                     site: events, walks and talks for members, every month of the year.</p></div>"
                )
            })
            .collect();
        let html = format!(
            "<body><main><h1>Council keeps the library open</h1><div class=story>\
             <p>The council met on Monday and, after a long debate, voted to keep the library \
             open on Sundays for another year.</p>{}</div>{boxes}</main></body>",
            PARA.repeat(3)
        );
        let t = pick_titled(&html, "Council keeps the library open");
        assert!(t.contains("voted to keep") && !t.contains("Box 1"), "{t}");
    }

    #[test]
    fn the_story_after_the_headline_beats_a_busier_blurb() {
        let story = "Long story text without many commas that goes on and on about the event \
            and what the people there said about it afterwards. "
            .repeat(8);
        let blurb = "A magazine, a guide, a newsletter, a shop, a podcast, events, awards, \
            jobs, courses, videos, photos, maps, and more, every month. "
            .repeat(3);
        let html = format!(
            "<div><h1>The event</h1><div class=a>{LEAD}<p>{story}</p></div></div>\
             <div class=b><p>{blurb}</p></div>"
        );
        let t = pick_titled(&html, "The event");
        assert!(t.contains("Long story") && !t.contains("magazine"), "{t}");
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

    #[test]
    fn a_marked_body_split_by_ads_keeps_all_its_parts() {
        let part = |name: &str, paragraphs: usize| {
            format!(
                "<div class=\"entry-content clearfix\">{}</div>",
                PARA.repeat(paragraphs).replace("prose", name)
            )
        };
        let html = format!(
            "<article><h1>Headline</h1>{}<div class=row><div class=ad-slot>Advertisement</div>\
             </div>{}<div class=row><blockquote class=pull>A quote.</blockquote></div>{}\
             </article><div class=entry-list><div class=\"entry-content clearfix\">\
             <a href=/x>Another story</a></div></div>",
            part("first", 5),
            part("second", 2),
            part("third", 2)
        );
        let t = pick(&html);
        for name in ["first", "second", "third"] {
            assert!(t.contains(name), "{name}: {t}");
        }
        assert!(!t.contains("Another story"), "{t}");
    }

    #[test]
    fn a_body_split_by_embeds_is_taken_whole() {
        let page = |classes: [&str; 3]| {
            let part = |i: usize, name: &str| {
                format!(
                    "<section><div class=inner><div class=col><div class={}>{}</div></div>\
                     </div></section><section><div class=embed><p>Embedded post, load it?</p></div></section>",
                    classes[i],
                    PARA.repeat(4 - i).replace("prose", name)
                )
            };
            format!(
                "<div class=wrap><div class=parts>{}{}{}</div></div><div><p>Footer.</p></div>",
                part(0, "first"),
                part(1, "second"),
                part(2, "third")
            )
        };
        let t = pick(&page(["rich", "rich", "rich"]));
        assert!(
            t.contains("first") && t.contains("second") && t.contains("third"),
            "{t}"
        );
        // Blocks on other templates are other things: the best part stands alone.
        let t = pick(&page(["rich", "box", "box"]));
        assert!(t.contains("first") && !t.contains("second"), "{t}");
    }

    #[test]
    fn a_body_split_into_page_wide_bands_is_taken_whole() {
        // Each part in a band of its own at the body's level (a heading row, then the text's
        // row), a table band between: the parts share no block but the body.
        let page = |third_band: &str| {
            let band = |class: &str, text: &str| {
                format!(
                    "<div class='{class}'><div class=wrap><div class=row><div class=full></div>\
                     </div><div class=row><div class=col>{text}</div></div></div></div>"
                )
            };
            let part = |name: &str, n: usize| PARA.repeat(n).replace("prose", name);
            let teasers = "<p><a href=/1>One more story worth a read today</a> \
                           <a href=/2>And another story to read after this one</a></p>";
            format!(
                "<nav><a href=/>Home</a> <a href=/a>About</a></nav>{}\
                 <div class=wide><table><tr><td>Formula</td><td>C2H6O</td></tr></table></div>\
                 {}<div class=wide><p>Embedded post, load it?</p></div>{}{}\
                 <footer><p>Footer.</p></footer>",
                band("strip", &part("intro", 1)),
                band("strip", &part("second", 4)),
                band(third_band, &part("third", 4)),
                band("strip", teasers),
            )
        };
        let t = pick(&page("strip"));
        for part in ["intro", "C2H6O", "second", "third"] {
            assert!(t.contains(part), "{part} missing: {t}");
        }
        for furniture in ["About", "One more story", "Footer"] {
            assert!(!t.contains(furniture), "{furniture} kept: {t}");
        }
        // A band of another kind is another region: the best part stands alone.
        let t = pick(&page("strip promo"));
        assert!(t.contains("second") && !t.contains("third"), "{t}");
        // The standfirst in the header band just before the first band leads the story.
        let title = "Council keeps the library open";
        let header = format!("<div class=hero><h1>{title}</h1>{LEAD}</div>");
        let t = pick_titled(
            &page("strip").replace("</nav>", &format!("</nav>{header}")),
            title,
        );
        assert!(
            t.starts_with("The standfirst") && t.contains("third"),
            "{t}"
        );
        // Not when that band holds more than the standfirst (a promo band with a story of its own).
        let promo = header.replace("</div>", &format!("{PARA}{PARA}</div>"));
        let t = pick_titled(
            &page("strip").replace("</nav>", &format!("</nav>{promo}")),
            title,
        );
        assert!(!t.contains("The standfirst") && t.contains("third"), "{t}");
    }

    #[test]
    fn a_body_in_accordion_panels_is_taken_whole() {
        // Two lists of panels (one per section), each panel a toggle link and its text.
        let panel = |name: &str, n: usize| {
            format!(
                "<li><a href=\"#\">{name}</a><div>{}</div></li>",
                PARA.repeat(n).replace("prose", name)
            )
        };
        let list = |names: [&str; 3], sizes: [usize; 3]| {
            format!(
                "<ul class=toggles>{}{}{}</ul>",
                panel(names[0], sizes[0]),
                panel(names[1], sizes[1]),
                panel(names[2], sizes[2])
            )
        };
        let page = |sizes: [usize; 3]| {
            format!(
                "<div class=page><h2>Modules</h2>{}<h2>Classes</h2>{}</div>                 <div class=foot><p>Footer text of the school, its address.</p></div>",
                list(["alpha", "beta", "gamma"], sizes),
                list(["delta", "epsilon", "zeta"], [sizes[0], sizes[1], sizes[2] * 3])
            )
        };
        let t = pick(&page([7, 8, 9]));
        for part in ["alpha", "beta", "gamma", "delta", "epsilon", "zeta"] {
            assert!(t.contains(part), "{part} missing: {t}");
        }
        assert!(!t.contains("Footer"), "{t}");
        // One long item among short ones is an article in a list, not a panel of many.
        let t = pick(&page([1, 1, 9]));
        assert!(t.contains("zeta") && !t.contains("alpha"), "{t}");
    }
}
