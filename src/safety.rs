//! Safety: what the page holds, so that no guess loses the article.
//!
//! Input: the untouched page, before any stage removes anything. Output: [`ProseMass`], how much
//! paragraph text (prose) each node holds, measured once. Stages ask it before a class or layout
//! guess removes a block ([`ProseMass::protects`]); `lib.rs` asks it whether a finished result
//! shows enough of the page's prose or must be compared with a conservative second extraction.
//! Must not: change the document.
//!
//! Prose is the text of paragraph-like blocks (`p`, `pre`, `blockquote`, list items, table
//! cells) that are long enough to be sentences and are not mostly links, plus long unlinked text
//! runs sitting directly in a container (pages that separate paragraphs with `<br>`). Hidden
//! blocks hold none: text the reader cannot see is not what the page is about.

use crate::dom::{Document, NodeId};
use crate::signals::{
    credits_readers, is_block_tag, is_comment_container, is_hidden, reads_like_headline, TextStats,
};
use crate::text::{collapsed_len, inner_text, normalize_space};

/// Blocks whose text counts as prose when long enough and not mostly links.
const PROSE_TAGS: &[&str] = &["p", "pre", "blockquote", "li", "dd", "td"];

/// A prose block is at least this long (Readability's shortest scored paragraph).
const MIN_PROSE_BLOCK_CHARS: usize = 25;

/// A container without prose blocks counts its own text as prose from this length on (`<br>`
/// separated posts).
const MIN_LOOSE_TEXT_CHARS: usize = 200;

/// Above this share of link text a block is navigation, not prose.
const MAX_PROSE_LINK_DENSITY: f32 = 0.5;

/// Loose text must be nearly unlinked to count.
const MAX_LOOSE_LINK_DENSITY: f32 = 0.3;

/// A removal guess may not take a block holding at least this share of the page's prose: "a
/// class word is evidence, not proof" (a wrapper classed `modal-enabled` that holds the story).
pub const PROTECTED_PROSE_SHARE: f32 = 0.5;

/// Blocks with less prose than this are not guarded (a share of almost nothing says nothing,
/// and a single notice can be most of a short page's prose).
pub const MIN_GUARDED_PROSE: usize = 400;

/// How far apart (in sibling elements) the parts of a split body may sit: an ad, a pull quote
/// and a related-links box between two parts are common.
const MAX_PART_GAP: usize = 4;

/// A body is split into a few parts; a longer run of blocks of one kind is a list (and reading
/// it whole for every one of its blocks would cost the square of its length).
const MAX_PARTS: usize = 6;

/// The parts of a body split by ads, pull quotes or related links: `id` and the siblings of
/// the same tag and class list, each within [`MAX_PART_GAP`] elements of the next.
pub fn parts_beside(doc: &Document, id: NodeId) -> Vec<NodeId> {
    let Some(class) = doc.attr(id, "class").filter(|c| !c.trim().is_empty()) else {
        return vec![id];
    };
    let same = |s: NodeId| doc.tag(s) == doc.tag(id) && doc.attr(s, "class") == Some(class);
    let mut parts = vec![id];
    for back in [true, false] {
        let step = |s| {
            if back {
                doc.prev_element_sibling(s)
            } else {
                doc.next_element_sibling(s)
            }
        };
        let mut cur = step(id);
        let mut gap = 0;
        while let Some(s) = cur.filter(|_| parts.len() < MAX_PARTS) {
            if same(s) {
                parts.push(s);
                gap = 0;
            } else {
                gap += 1;
                if gap >= MAX_PART_GAP {
                    break;
                }
            }
            cur = step(s);
        }
    }
    parts
}

/// Blocks whose prose is an item of a list or table rather than running text.
const ITEM_TAGS: &[&str] = &["li", "dd", "dt", "td", "th"];

/// A protected block holds at least this share of its prose in running paragraphs.
const MIN_RUNNING_SHARE: f32 = 0.5;

/// How many characters of the lead an output must contain.
const LEAD_PROBE_CHARS: usize = 60;

/// A result shorter than this (characters) is retried more leniently (Readability retries
/// below 500; most short results here are real short posts, so only near-empty ones retry).
pub const MIN_CONFIDENT_CHARS: usize = 120;

/// A result is doubted when a class-name guess took a block holding most of the page's prose
/// and this many times the result's text: what is left is the page around a lost article.
/// (A short post beside a long sidebar the guess rightly took holds a fifth of it or more on
/// our corpora; a page whose article went holds a fortieth.)
const LOST_PROSE_FACTOR: usize = 8;

/// ... or when the running `<p>` paragraphs it took (not list items, cells or captions) hold
/// this many times the result's text: an article body looks like that, where a sidebar, a
/// teaser stream or a gallery the guess rightly took holds its prose in other blocks (dragnet
/// R32, readability yahoo-3 and bug-1255978 hold none in running paragraphs; bodies taken
/// under a layout flag by `./build.sh stress` hold 3.8 to 6.5 times the result).
const LOST_PARAGRAPHS_FACTOR: usize = 2;

/// A consent notice is short: longer texts that mention cookies are articles about them.
pub const CONSENT_MAX_CHARS: usize = 700;

/// What a consent notice asks for, in the languages of our corpora.
const CONSENT_AGREE_WORDS: &[&str] = &[
    "consent",
    "accept",
    "agree",
    "einwillig",
    "zustimm",
    "akzept",
    "einverstanden",
    "consentement",
    "accepte",
    "consentimiento",
    "acepta",
    "consenso",
    "accett",
    "zgod",
    "akcept",
    "toestemming",
    "accepteer",
    "akkoord",
];

/// What a consent notice says of itself: that the site uses cookies, or where its policy is.
const CONSENT_SELF_WORDS: &[&str] = &[
    "we use",
    "this site uses",
    "this website uses",
    "uses cookies",
    "privacy policy",
    "cookie policy",
    "verwenden cookies",
    "nutzt cookies",
    "setzt cookies",
    "datenschutz",
    "utilise des cookies",
    "utilisons des cookies",
    "confidentialité",
    "utiliza cookies",
    "utilizamos cookies",
    "privacidad",
    "utilizza cookie",
    "utilizziamo",
    "używa",
    "używamy",
    "prywatności",
    "gebruikt cookies",
    "gebruiken cookies",
    "privacybeleid",
    // The ad-consent frameworks' own voice: "We and our partners use cookies …".
    "our partners",
    "unsere partner",
    "nos partenaires",
    "nuestros socios",
    "i nostri partner",
    "nasi partnerzy",
    "onze partners",
];

/// Why a result is doubted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Doubt {
    /// A cookie or consent notice: never an article.
    ConsentNotice,
    /// Mostly links: a home or section page, never an article.
    LinkList,
    /// Near empty.
    Short,
    /// The page shows where its story starts, and the result lacks it.
    MissesLead,
    /// A class-name guess took a block holding most of the page's prose and eight times the
    /// result's text (`LOST_PROSE_FACTOR`), or twice it in running paragraphs
    /// (`LOST_PARAGRAPHS_FACTOR`).
    LostProse,
}

impl Doubt {
    /// In words, for the removal record.
    pub fn describe(self) -> &'static str {
        match self {
            Doubt::ConsentNotice => "it was a cookie or consent notice",
            Doubt::LinkList => "it was a list of links",
            Doubt::Short => "it was nearly empty",
            Doubt::MissesLead => "it lacked the paragraph that follows the headline",
            Doubt::LostProse => "a class name took a block holding most of the page's prose",
        }
    }
}

/// The safety net's view of one result.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Assessment {
    /// Set when the result is no article at all.
    pub never_an_article: Option<Doubt>,
    /// Near empty ([`MIN_CONFIDENT_CHARS`]).
    pub short: bool,
    /// The page shows where its story starts, and the result lacks it.
    pub misses_lead: bool,
    /// A class-name guess took a block holding most of the page's prose and eight times the
    /// result's text (`LOST_PROSE_FACTOR`), or twice it in running paragraphs
    /// (`LOST_PARAGRAPHS_FACTOR`) (see [`crate::prepare::NoiseReport::took_prose`]).
    pub lost_prose: bool,
    /// The result's text length, whitespace runs counted once.
    pub chars: usize,
}

impl Assessment {
    /// The worst thing about the result, if anything.
    pub fn doubt(&self) -> Option<Doubt> {
        self.never_an_article
            .or(self.misses_lead.then_some(Doubt::MissesLead))
            .or(self.lost_prose.then_some(Doubt::LostProse))
            .or(self.short.then_some(Doubt::Short))
    }

    /// Higher is better: an article over no article, the story's start (or the prose a name
    /// guess took) over a result that lacks it, a real length over a near-empty one.
    pub fn rank(&self) -> u8 {
        if self.never_an_article.is_some() {
            return 0;
        }
        1 + 2 * u8::from(!self.misses_lead && !self.lost_prose) + u8::from(!self.short)
    }
}

/// Every consent notice names cookies (any case): a cheap screen before reading blocks.
pub fn mentions_cookies(text: &str) -> bool {
    text.contains("ookie") || text.contains("OOKIE")
}

/// Whether most of `out`'s text (`chars` long) stands in blocks that read as consent notices.
fn is_mostly_consent_notice(out: &Document, chars: usize) -> bool {
    let mut notice = 0;
    let mut cur = out.first_child(out.root());
    while let Some(n) = cur {
        let leaf_block = out.is_element(n)
            && out
                .descendants(n)
                .skip(1)
                .all(|d| !is_block_tag(out.tag(d)));
        if leaf_block {
            let text = inner_text(out, n);
            if looks_like_consent_notice(&text) {
                notice += text.chars().count();
            }
            cur = out.next_skipping_children(n, out.root());
        } else {
            cur = out.next_in(n, out.root());
        }
    }
    chars > 0 && notice as f32 >= chars as f32 * CONSENT_MIN_SHARE
}

/// Whether the block `id` (`chars` of shown text) reads as a cookie or consent notice: never
/// the article, so never prose. Only blocks that mention cookies are read whole.
fn is_consent_block(doc: &Document, id: NodeId, chars: usize) -> bool {
    chars <= CONSENT_MAX_CHARS
        && doc
            .descendants(id)
            .filter_map(|d| doc.text(d))
            .any(mentions_cookies)
        && looks_like_consent_notice(&inner_text(doc, id))
}

/// A result is a consent notice when at least this share of its text reads as one.
const CONSENT_MIN_SHARE: f32 = 0.5;

/// Whether `text` (whitespace collapsed) is a cookie or consent notice rather than an article.
pub fn looks_like_consent_notice(text: &str) -> bool {
    if text.chars().count() > CONSENT_MAX_CHARS {
        return false;
    }
    let lower = crate::text::lowercase(text);
    lower.contains("cookie")
        && CONSENT_AGREE_WORDS.iter().any(|w| lower.contains(w))
        && CONSENT_SELF_WORDS.iter().any(|w| lower.contains(w))
}

/// A line that only informs that the site uses cookies (no button to agree) is at most this long.
const COOKIE_LINE_MAX_CHARS: usize = 200;

/// A site saying it uses cookies, lowercase, in the languages of our corpora.
const COOKIE_USE_STATEMENTS: &[&str] = &[
    "we use cookies",
    "this site uses cookies",
    "this website uses cookies",
    "wir verwenden cookies",
    "nutzt cookies",
    "verwendet cookies",
    "nous utilisons des cookies",
    "utilise des cookies",
    "utilizamos cookies",
    "utiliza cookies",
    "utilizziamo i cookie",
    "utilizza i cookie",
    "korzystamy z cookies",
    "korzystamy z plików cookie",
    "używamy plików cookie",
    "wij gebruiken cookies",
    "gebruikt cookies",
];

/// Whether `text` is a short line saying that the site uses cookies ("Informujemy, że
/// korzystamy z cookies."): a notice even without a button to agree.
pub fn looks_like_cookie_line(text: &str) -> bool {
    if text.chars().count() > COOKIE_LINE_MAX_CHARS {
        return false;
    }
    let lower = crate::text::lowercase(text);
    COOKIE_USE_STATEMENTS.iter().any(|s| lower.contains(s))
}

/// The story around the lead holds at least this much running prose (two guarded blocks).
const MIN_STORY_PROSE: usize = 2 * MIN_GUARDED_PROSE;

/// Paragraph text held by every node of the page as it was delivered.
#[derive(Clone, Debug, Default)]
pub struct ProseMass {
    prose: Vec<u32>,
    /// The part of `prose` that stands in running paragraphs, not in list items or table cells
    /// (a stream of teasers, a slideshow's captions, a comment list).
    running: Vec<u32>,
    total: u32,
    /// The first prose block after the headline: where the story starts.
    lead: Option<NodeId>,
    /// The lowest block around the lead that holds a story's worth of running prose, however much
    /// of the page that is: where selection looks for the story.
    story_block: Option<NodeId>,
    /// `story_block` when it is not most of the page: a guess may not take most of it (the lead
    /// may sit in a header, the story in a sibling block).
    story: Option<NodeId>,
    /// The start of the lead's text, whitespace collapsed: an output without it missed the story.
    lead_text: Option<String>,
    /// Blocks of text that read as cookie or consent notices (no prose), in document order.
    consent: Vec<NodeId>,
}

impl ProseMass {
    /// Measures the whole document (call it before any stage removes anything); `title` is the
    /// page's title, to find the headline the story follows (empty: unknown).
    pub fn measure(doc: &Document, title: &str) -> ProseMass {
        let mut m = ProseMass::measure_subtree(doc, doc.root());
        m.lead = headline(doc, title).and_then(|h| first_prose_after(doc, h, &m.prose));
        m.story_block = m.lead.and_then(|l| {
            doc.ancestors(l)
                .find(|&a| m.running(a) >= MIN_STORY_PROSE && doc.is_element(a))
        });
        // A "story" that is most of the page would shelter its sidebars too (dragnet R32).
        let page = m.running(doc.root()) as f32;
        m.story = m
            .story_block
            .filter(|&s| (m.running(s) as f32) < page * PROTECTED_PROSE_SHARE);
        m.lead_text = m.lead.map(|l| {
            let text = inner_text(doc, l);
            text.chars().take(LEAD_PROBE_CHARS).collect()
        });
        m
    }

    /// Measures `root`'s subtree only (no headline: `protects` then judges by share alone).
    pub fn measure_subtree(doc: &Document, root: NodeId) -> ProseMass {
        ProseMass::with_stats(doc, root, &TextStats::compute(doc, root))
    }

    /// Measures `root`'s subtree from text statistics already taken.
    pub fn with_stats(doc: &Document, root: NodeId, stats: &TextStats) -> ProseMass {
        // Children first (see `TextStats::compute`): until a node is reached, its slots hold
        // the sums of its children's.
        let mut prose = vec![0u32; doc.len()];
        let mut running = vec![0u32; doc.len()];
        // Text under the node that is not shown as text: it counts in `stats` but is no prose.
        let mut unshown = vec![0u32; doc.len()];
        let mut consent = Vec::new();
        for id in doc.post_order(root) {
            let i = id.index();
            let parent = doc.parent(id).filter(|_| id != root).map(NodeId::index);
            let tag = doc.tag(id);
            // A script's text (JSON-LD's `articleBody` is the article again) is never shown,
            // nor is a frame's fallback markup; a `<noscript>`'s markup shows what it would show.
            let raw = matches!(tag, "script" | "style" | "template" | "iframe" | "noscript");
            if doc.text(id).is_some() || raw || is_hidden(doc, id) {
                let own = if tag == "noscript" && !is_hidden(doc, id) {
                    noscript_prose(doc, id)
                } else {
                    0
                };
                (prose[i], running[i]) = (own, own);
                if let Some(p) = parent.filter(|_| doc.is_element(id)) {
                    prose[p] += own;
                    running[p] += own;
                    unshown[p] += stats.chars(id) as u32;
                }
                continue;
            }
            let (inner, inner_running) = (prose[i], running[i]);
            let all = stats.chars(id);
            let chars = all.saturating_sub(unshown[i] as usize);
            // Link text is shown text: the density of what is shown.
            let ld = if chars == 0 {
                0.0
            } else {
                (stats.link_density(id) * all as f32 / chars as f32).min(1.0)
            };
            let is_paragraph = PROSE_TAGS.contains(&tag)
                && chars >= MIN_PROSE_BLOCK_CHARS
                && ld <= MAX_PROSE_LINK_DENSITY;
            let loose = if chars >= MIN_LOOSE_TEXT_CHARS && ld <= MAX_LOOSE_LINK_DENSITY {
                loose_chars(doc, id, stats)
            } else {
                0
            };
            let is_loose_text = loose >= MIN_LOOSE_TEXT_CHARS;
            // Text written straight into a container beside its paragraphs (a paragraph the
            // parser closed at a heading or an image, the rest of the story after it) counts too.
            let own_loose = if is_loose_text { loose as u32 } else { 0 };
            let own = if inner > 0 {
                inner + own_loose
            } else if (is_paragraph || is_loose_text) && is_consent_block(doc, id, chars) {
                consent.push(id);
                0
            } else if is_paragraph || is_loose_text {
                unlinked(chars, ld)
            } else {
                0
            };
            prose[i] = own;
            running[i] = if ITEM_TAGS.contains(&tag) {
                0
            } else if inner > 0 {
                inner_running + own_loose
            } else {
                own
            };
            if let Some(p) = parent {
                prose[p] += prose[i];
                running[p] += running[i];
                unshown[p] += unshown[i];
            }
        }
        ProseMass {
            total: prose[root.index()],
            prose,
            running,
            lead: None,
            story_block: None,
            story: None,
            lead_text: None,
            consent,
        }
    }

    /// The prose `id` holds in running paragraphs (not list items or cells), in characters.
    pub fn running(&self, id: NodeId) -> usize {
        self.running.get(id.index()).copied().unwrap_or(0) as usize
    }

    /// The page's prose, in characters.
    pub fn total(&self) -> usize {
        self.total as usize
    }

    /// Prose held by `id` when the page was measured (0 for nodes made later).
    pub fn of(&self, id: NodeId) -> usize {
        self.prose.get(id.index()).copied().unwrap_or(0) as usize
    }

    /// Whether a guess from names or roles must leave `id` in place. Where the page shows
    /// where its story starts (the first prose after the headline), the block holding that
    /// start, or most of the story around it, with a story's worth of running prose; elsewhere
    /// the block holding most of the page's running prose. Inside it, other guesses still apply.
    /// A part of a body split by ads or pull quotes into siblings of the same kind is protected
    /// with a part that is, or when the parts together would be.
    pub fn protects(&self, doc: &Document, id: NodeId) -> bool {
        if self.protects_block(doc, id) {
            return true;
        }
        // A part with an id of its own is a region of its own (a page header classed like the
        // content column), not a part.
        if self.running(id) == 0 || doc.attr(id, "id").is_some() {
            return false;
        }
        // The parts together hold at least what any one of them does.
        let parts = parts_beside(doc, id);
        parts.len() > 1 && self.guards(doc, &parts)
    }

    /// [`ProseMass::protects`] for `id` alone, not as a part of a split body: the guard against
    /// a prompt's own words, which are stronger evidence than a class name (a prompt often
    /// sits in a container like the body's, after its last part).
    pub fn protects_block(&self, doc: &Document, id: NodeId) -> bool {
        self.guards(doc, &[id])
    }

    /// Whether `blocks` (one block, or the parts of a split body: siblings) hold where the story
    /// starts, or most of the story around it, with a story's worth of running prose; on a
    /// page without a headline, most of the page's running prose.
    fn guards(&self, doc: &Document, blocks: &[NodeId]) -> bool {
        let running: usize = blocks.iter().map(|&b| self.running(b)).sum();
        let Some(lead) = self.lead else {
            // In running paragraphs: a teaser stream or a slideshow can outweigh a short story,
            // but it holds its text in list items.
            let prose: usize = blocks.iter().map(|&b| self.of(b)).sum();
            return self.holds_most_of(prose) && running as f32 >= prose as f32 * MIN_RUNNING_SHARE;
        };
        let holds_lead =
            running >= MIN_GUARDED_PROSE && blocks.iter().any(|&b| doc.contains(b, lead));
        // A story block that is most of the page may hold the sidebar too, when the lead is a
        // short post written into its container (dragnet R32); when the lead is a paragraph,
        // the story goes on in the paragraphs after it.
        let story = self.story.or(self
            .story_block
            .filter(|_| PROSE_TAGS.contains(&doc.tag(lead))));
        let most_of_story = story.is_some_and(|s| {
            running >= MIN_GUARDED_PROSE
                && doc.contains(s, blocks[0])
                && running as f32 >= self.running(s) as f32 * PROTECTED_PROSE_SHARE
        });
        holds_lead || most_of_story
    }

    /// The last resort when no pass found an article container: the page's visible prose
    /// blocks outside comment threads, in document order, each as a paragraph (trafilatura's
    /// `baseline()`). `None` when they add up to less than [`MIN_CONFIDENT_CHARS`].
    pub fn paragraphs(&self, doc: &Document) -> Option<Document> {
        let root = doc.root();
        let leaves: Vec<NodeId> = doc
            .descendants(root)
            .filter(|&n| {
                self.of(n) > 0
                    && self.running.get(n.index()).is_some_and(|&r| r > 0)
                    && doc.children(n).all(|c| self.of(c) == 0)
                    && lead_unless_comment(doc, n).is_some()
                    && !looks_like_consent_notice(&inner_text(doc, n))
            })
            .collect();
        let chars: usize = leaves.iter().map(|&n| self.of(n)).sum();
        if chars < MIN_CONFIDENT_CHARS {
            return None;
        }
        let mut out = Document::new();
        for n in leaves {
            let copy = out.import_subtree(out.root(), doc, n);
            if !matches!(out.tag(copy), "p" | "pre" | "blockquote") {
                out.set_tag(copy, "p");
            }
        }
        Some(out)
    }

    /// Where the story starts: the first prose block after the headline.
    pub fn lead(&self) -> Option<NodeId> {
        self.lead
    }

    /// The lowest block around the lead holding a story's worth of running prose.
    pub fn story_block(&self) -> Option<NodeId> {
        self.story_block
    }

    /// Whether `id` holds where the story starts.
    pub fn holds_lead(&self, doc: &Document, id: NodeId) -> bool {
        self.lead.is_some_and(|l| doc.contains(id, l))
    }

    /// Whether the page shows where its story starts (a headline followed by prose).
    pub fn knows_lead(&self) -> bool {
        self.lead_text.is_some()
    }

    /// What the safety net thinks of an extraction result's text (`link_list`: its text is
    /// mostly links; `noise`: what the pass's name rules took — the story's start, which a
    /// missing lead is only worth another pass for, or most of the page's prose).
    pub fn assess(
        &self,
        out: &Document,
        text: &str,
        link_list: bool,
        noise: &crate::prepare::NoiseReport,
    ) -> Assessment {
        let chars = collapsed_len(text);
        Assessment {
            never_an_article: if link_list {
                Some(Doubt::LinkList)
            } else if mentions_cookies(text) && is_mostly_consent_notice(out, chars) {
                Some(Doubt::ConsentNotice)
            } else {
                None
            },
            short: chars < MIN_CONFIDENT_CHARS,
            misses_lead: noise.took_lead
                && self
                    .lead_text
                    .as_ref()
                    .is_some_and(|lead| !normalize_space(text).contains(lead.as_str())),
            lost_prose: chars * LOST_PROSE_FACTOR < noise.took_prose
                || chars * LOST_PARAGRAPHS_FACTOR < noise.took_paragraphs,
            chars,
        }
    }

    /// The blocks that read as cookie or consent notices: text that is no prose, but that a
    /// record of what was left out must still name.
    pub fn consent_blocks(&self) -> &[NodeId] {
        &self.consent
    }

    /// The prose `id` holds in running `<p>` paragraphs (not inside list items or cells).
    pub fn in_paragraphs(&self, doc: &Document, id: NodeId) -> usize {
        // List items and cells hold no running prose, so the walk leaves them with every other
        // block that holds none.
        let mut sum = 0;
        let mut cur = doc.first_child(id);
        while let Some(n) = cur {
            let is_p = doc.is(n, "p");
            if is_p || self.running(n) == 0 {
                sum += if is_p { self.running(n) } else { 0 };
                cur = doc.next_skipping_children(n, id);
            } else {
                cur = doc.next_in(n, id);
            }
        }
        sum
    }

    /// Whether `id` held most of the page's prose (in paragraphs, list items or table cells
    /// alike), and a story's worth of it.
    pub fn holds_most_prose(&self, id: NodeId) -> bool {
        self.holds_most_of(self.of(id))
    }

    fn holds_most_of(&self, prose: usize) -> bool {
        prose >= MIN_GUARDED_PROSE && prose as f32 >= self.total as f32 * PROTECTED_PROSE_SHARE
    }
}

/// The page's headline: the first `h1` (else `h2`, else `h3`: blog themes) that reads like the
/// title.
fn headline(doc: &Document, title: &str) -> Option<NodeId> {
    if title.trim().is_empty() {
        return None;
    }
    // One pass: the first match of the highest level wins.
    let mut best: Option<(u8, NodeId)> = None;
    for n in doc.descendants(doc.root()) {
        let level = match doc.tag(n) {
            "h1" => 1,
            "h2" => 2,
            "h3" => 3,
            _ => continue,
        };
        if best.is_some_and(|(l, _)| l <= level) {
            continue;
        }
        if reads_like_headline(doc, n, title) {
            best = Some((level, n));
        }
    }
    best.map(|(_, n)| n)
}

/// A lead paragraph is at least this long (a dateline or a photo credit is not the story).
const MIN_LEAD_CHARS: u32 = 80;

/// Blocks where a story does not start, though they may stand between the headline and it:
/// a link (to the previous post), a photo and its caption, a form and its labels, an aside,
/// navigation, and markup whose text is not shown as such (a `<noscript>`'s text is raw HTML).
const NOT_A_LEAD_TAGS: &[&str] = &[
    "a",
    "figure",
    "figcaption",
    "noscript",
    "form",
    "label",
    "button",
    "select",
    "textarea",
    "aside",
    "nav",
    "script",
    "style",
    "template",
];

/// The first prose block after `headline` in document order.
fn first_prose_after(doc: &Document, headline: NodeId, prose: &[u32]) -> Option<NodeId> {
    let root = doc.root();
    let mut cur = doc.next_skipping_children(headline, root);
    while let Some(n) = cur {
        if NOT_A_LEAD_TAGS.contains(&doc.tag(n)) {
            cur = doc.next_skipping_children(n, root);
            continue;
        }
        let own = prose.get(n.index()).copied().unwrap_or(0);
        let inner: u32 = doc
            .children(n)
            .map(|c| prose.get(c.index()).copied().unwrap_or(0))
            .sum();
        if own >= MIN_LEAD_CHARS && inner == 0 {
            return lead_unless_comment(doc, n);
        }
        // A short post written straight into its container, too short to count as prose.
        let loose: usize = doc
            .children(n)
            .filter_map(|c| doc.text(c))
            .map(collapsed_len)
            .sum();
        if loose >= MIN_LEAD_CHARS as usize && !is_hidden(doc, n) {
            return lead_unless_comment(doc, n);
        }
        cur = doc.next_in(n, root);
    }
    None
}

/// Whether the page has a block named like a comment thread, with text enough for an article,
/// that credits none of its entries to readers (see [`credits_readers`]): a live ticker or a
/// match commentary, which is the article when nothing else is.
pub fn holds_uncredited_feed(doc: &Document) -> bool {
    let mut cur = Some(doc.root());
    while let Some(n) = cur {
        if doc.is_element(n) && is_comment_container(doc, n) {
            if collapsed_len(&inner_text(doc, n)) >= MIN_CONFIDENT_CHARS && !credits_readers(doc, n)
            {
                return true;
            }
            cur = doc.next_skipping_children(n, doc.root());
        } else {
            cur = doc.next_in(n, doc.root());
        }
    }
    false
}

/// A post too short for a lead paragraph is followed by its comments: the first comment is not
/// where the story starts (dragnet R371).
fn lead_unless_comment(doc: &Document, n: NodeId) -> Option<NodeId> {
    let in_thread = doc
        .ancestors(n)
        .any(|a| doc.is_element(a) && is_comment_container(doc, a));
    (!in_thread).then_some(n)
}

fn unlinked(chars: usize, link_density: f32) -> u32 {
    let n = chars as f32 * (1.0 - link_density);
    n.clamp(0.0, u32::MAX as f32) as u32
}

/// The prose a `<noscript>` would show: its text is raw markup, so tags (and the contents of
/// styles and scripts inside it) are skipped and link text is told apart, then it counts like
/// loose text. A tracking pixel or an image fallback shows nothing; an article written into
/// the fallback shows all of it.
fn noscript_prose(doc: &Document, id: NodeId) -> u32 {
    let (mut shown, mut linked) = (0usize, 0usize);
    for raw in doc.children(id).filter_map(|c| doc.text(c)) {
        let (s, l) = markup_text_chars(raw);
        shown += s;
        linked += l;
    }
    if shown < MIN_LOOSE_TEXT_CHARS {
        return 0;
    }
    let ld = linked as f32 / shown as f32;
    if ld > MAX_LOOSE_LINK_DENSITY {
        return 0;
    }
    unlinked(shown, ld)
}

/// How many characters of text `markup` shows (ASCII whitespace runs count once), and how many
/// of them sit inside links.
fn markup_text_chars(markup: &str) -> (usize, usize) {
    let b = markup.as_bytes();
    let (mut shown, mut linked, mut in_link, mut space) = (0, 0, false, true);
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'<' {
            let name = |n: &[u8]| {
                b.get(i + 1..i + 1 + n.len())
                    .is_some_and(|w| w.eq_ignore_ascii_case(n))
                    && !b
                        .get(i + 1 + n.len())
                        .is_some_and(u8::is_ascii_alphanumeric)
            };
            if name(b"a") || name(b"/a") {
                in_link = name(b"a");
            }
            // Past the tag, or (a style or a script) on to its end tag.
            let (until, past): (&[u8], usize) = if name(b"script") {
                (b"</script", 0)
            } else if name(b"style") {
                (b"</style", 0)
            } else {
                (b">", 1)
            };
            i = b[i + 1..]
                .windows(until.len())
                .position(|w| w.eq_ignore_ascii_case(until))
                .map_or(b.len(), |at| i + 1 + at + past);
            continue;
        }
        let is_space = b[i].is_ascii_whitespace();
        // A character starts at any byte that does not continue one.
        if b[i] & 0xC0 != 0x80 && !(is_space && space) {
            shown += 1;
            linked += usize::from(in_link);
            space = is_space;
        }
        i += 1;
    }
    (shown, linked)
}

/// The length of the text `id` holds as its own (not through child elements).
fn loose_chars(doc: &Document, id: NodeId, stats: &TextStats) -> usize {
    doc.children(id)
        .filter(|&c| doc.text(c).is_some())
        .map(|c| stats.chars(c))
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dom::html::parse;
    use crate::prepare::NoiseReport;

    const PARA: &str = "<p>A sentence long enough to count as prose, with a comma or two.</p>";

    fn node_with_id(doc: &Document, want: &str) -> NodeId {
        doc.descendants(doc.root())
            .find(|&n| doc.attr(n, "id") == Some(want))
            .unwrap()
    }

    #[test]
    fn paragraphs_count_and_links_do_not() {
        let html = format!(
            "<div id=a>{}</div><ul id=nav><li><a href=/x>A long link text that is only navigation</a></li></ul>",
            PARA.repeat(3)
        );
        let doc = parse(&html);
        let m = ProseMass::measure(&doc, "");
        assert_eq!(m.of(node_with_id(&doc, "nav")), 0);
        assert_eq!(m.of(node_with_id(&doc, "a")), m.total());
        assert!(m.total() > 150, "{}", m.total());
    }

    #[test]
    fn hidden_text_is_not_prose() {
        let html = format!(
            "<div id=a>{PARA}</div><div id=h hidden>{}</div>",
            PARA.repeat(5)
        );
        let doc = parse(&html);
        let m = ProseMass::measure(&doc, "");
        assert_eq!(m.of(node_with_id(&doc, "h")), 0);
        assert_eq!(m.of(node_with_id(&doc, "a")), m.total());
    }

    #[test]
    fn br_separated_text_counts() {
        let line = "A line of a post that separates its paragraphs with breaks only";
        let html = format!("<div id=a>{line}<br><br>{line}<br><br>{line}<br><br>{line}</div>");
        let doc = parse(&html);
        let m = ProseMass::measure(&doc, "");
        assert!(m.of(node_with_id(&doc, "a")) >= MIN_LOOSE_TEXT_CHARS);
    }

    #[test]
    fn the_wrapper_of_most_prose_is_protected_and_a_side_box_is_not() {
        let html = format!(
            "<div id=main class=modal-enabled>{}</div><div id=side>{PARA}</div>",
            PARA.repeat(8)
        );
        let doc = parse(&html);
        let m = ProseMass::measure(&doc, "");
        assert!(m.protects(&doc, node_with_id(&doc, "main")));
        assert!(!m.protects(&doc, node_with_id(&doc, "side")));
    }

    #[test]
    fn tiny_pages_are_not_judged() {
        let doc = parse(&format!("<div id=a>{PARA}</div>"));
        assert!(!ProseMass::measure(&doc, "").protects(&doc, node_with_id(&doc, "a")));
    }

    #[test]
    fn consent_notices_are_told_from_articles_about_cookies() {
        let cases = [
            ("We use cookies to improve your visit. By clicking Accept you agree to our privacy policy.", true),
            ("Wir verwenden Cookies. Mit der Nutzung stimmen Sie zu (Einwilligung), siehe Datenschutz.", true),
            ("We and our partners use cookies to store and access information on your device. By clicking Accept all you consent to this.", true),
            ("Browsers let you block third-party cookies, and you can accept the trade-off of a broken site.", false),
            ("Fetch sends cookies only when you ask it to, and servers must agree to credentials.", false),
        ];
        for (text, want) in cases {
            assert_eq!(looks_like_consent_notice(text), want, "{text}");
        }
    }

    #[test]
    fn a_result_without_the_lead_ranks_below_one_with_it() {
        let html = format!(
            "<h1>River towns plan a shared ferry</h1><div id=a>{}</div><div id=b>{}</div>",
            PARA.replace("A sentence", "Three towns along the lower river"),
            PARA.repeat(6)
        );
        let doc = parse(&html);
        let m = ProseMass::measure(&doc, "River towns plan a shared ferry");
        assert!(m.knows_lead());
        let empty = Document::new();
        let took_lead = NoiseReport {
            took_lead: true,
            ..NoiseReport::default()
        };
        let with_lead = m.assess(
            &empty,
            &inner_text(&doc, node_with_id(&doc, "a")),
            false,
            &took_lead,
        );
        let without = m.assess(
            &empty,
            &inner_text(&doc, node_with_id(&doc, "b")),
            false,
            &took_lead,
        );
        assert!(!with_lead.misses_lead && without.misses_lead);
        assert!(with_lead.rank() > without.rank());
        let links = m.assess(&empty, "anything", true, &NoiseReport::default());
        assert_eq!(links.rank(), 0);
    }

    #[test]
    fn loose_text_beside_paragraphs_is_prose() {
        // The story goes on as text written into its container after a paragraph.
        let loose = "More of the story, written straight into the container. ".repeat(10);
        let html = format!("<div id=\"a\">{PARA}{loose}<br>{loose}</div><div>{PARA}</div>");
        let doc = parse(&html);
        let m = ProseMass::measure(&doc, "");
        let a = node_with_id(&doc, "a");
        let para = collapsed_len("A sentence long enough to count as prose, with a comma or two.");
        assert!(m.of(a) > 2 * collapsed_len(&loose), "{}", m.of(a));
        assert_eq!(m.total(), m.of(a) + para);
    }

    #[test]
    fn text_in_scripts_is_no_prose() {
        // JSON-LD repeats the article as `articleBody`: counted, it would halve the body's share.
        let body = PARA.repeat(8).replace("<p>", "").replace("</p>", " ");
        let html = format!(
            "<script type=\"application/ld+json\">{{\"articleBody\": \"{body}\"}}</script>\
             <div id=\"a\">{}</div><div>{PARA}</div>",
            PARA.repeat(8)
        );
        let doc = parse(&html);
        let m = ProseMass::measure(&doc, "");
        let article = node_with_id(&doc, "a");
        assert_eq!(m.total(), m.of(article) + m.of(article) / 8);
        assert!(m.holds_most_prose(article) && m.protects(&doc, article));
    }

    #[test]
    fn fallback_markup_counts_for_what_it_would_show() {
        // A preview card's `<noscript>` image and a frame's fallback script are long strings of
        // markup that show no prose; counted as text, a teaser rail outweighed the article.
        let img = format!(
            "<img class=\"wp-image\" src=\"/u/{}.jpg\" alt=\"\" srcset=\"{}\">",
            "x".repeat(60),
            "/u/a.jpg 300w, ".repeat(20)
        );
        let frame = format!(
            "<script>document.write('<a href=\"/ad\">{}</a>')</script>",
            "y".repeat(400)
        );
        let html = format!(
            "<div id=\"a\">{}</div>\
             <div id=\"cards\"><noscript>{img}</noscript><noscript>{img}</noscript>\
             <iframe>{frame}</iframe></div>\
             <table><tr><td id=\"ad\"><script>{frame}</script><noscript>{img}</noscript></td></tr></table>\
             <div id=\"js\"><noscript><p>{}</p><p>{}</p></noscript></div>",
            PARA.repeat(4),
            "Shown to readers without scripts, a fallback paragraph of the story. ".repeat(3),
            "A second fallback <a href=\"/x\">paragraph</a>, with a link in it. ".repeat(3)
        );
        let doc = parse(&html);
        let m = ProseMass::measure(&doc, "");
        assert_eq!(m.of(node_with_id(&doc, "cards")), 0);
        // Nor does a cell whose only text is an ad's script and its fallback.
        assert_eq!(m.of(node_with_id(&doc, "ad")), 0);
        let js = m.of(node_with_id(&doc, "js"));
        assert!((300..360).contains(&js), "{js}"); // 354 shown, 27 in links
        assert_eq!(
            markup_text_chars("<p>a <a href=x>b</a></p><style>p{}</style>c"),
            (4, 1)
        );
        assert_eq!(markup_text_chars("<SCRIPT>x</SCRIPT>z<"), (1, 0));
    }

    #[test]
    fn running_paragraphs_are_told_from_teasers_and_captions() {
        // A body's paragraphs count; a stream of teasers or a gallery holds its `<p>`s in list
        // items, and a sidebar widget its text in other blocks.
        let html = format!(
            "<div id=body>{PARA}<div>{PARA}</div></div>\
             <ul id=stream><li>{PARA}</li><li><div>{PARA}</div></li></ul>\
             <div id=side><span>{0}</span><div>{0}</div></div>",
            PARA.replace("<p>", "").replace("</p>", "").repeat(4)
        );
        let doc = parse(&html);
        let m = ProseMass::measure(&doc, "");
        let body = node_with_id(&doc, "body");
        assert!(m.of(body) > 0);
        assert_eq!(m.in_paragraphs(&doc, body), m.of(body));
        assert_eq!(m.in_paragraphs(&doc, node_with_id(&doc, "stream")), 0);
        let side = node_with_id(&doc, "side");
        assert!(m.of(side) > 0);
        assert_eq!(m.in_paragraphs(&doc, side), 0);
    }

    #[test]
    fn a_consent_notice_is_no_prose() {
        // Two notices (one at each end of the page) outweighed a landing page's short sections.
        let notice = "<div id=n><p>We and our partners use cookies and similar technologies to store \
                      and access information on your device. By clicking Accept all you consent to \
                      the processing of your data for these purposes.</p><button>Accept all</button></div>";
        let html = format!("{notice}<div id=a>{}</div>", PARA.repeat(4));
        let doc = parse(&html);
        let m = ProseMass::measure(&doc, "");
        let n = node_with_id(&doc, "n");
        assert_eq!(m.of(n), 0);
        assert_eq!(m.total(), m.of(node_with_id(&doc, "a")));
        assert_eq!(m.consent_blocks(), &[doc.first_child(n).unwrap()]);
    }

    #[test]
    fn a_short_notice_is_not_most_of_a_short_page() {
        // A video page whose only long text is a browser-upgrade notice: the notice outweighs
        // the clip's caption, but a single block shorter than a story is not sheltered.
        let notice = "This page is best viewed in an up-to-date web browser with style \
                      sheets enabled; please consider upgrading your browser software. ";
        let html = format!(
            "<div id=\"caption\"><p>{}</p></div><div id=\"notice\"><p>{}</p></div>",
            "People came from all over the world to see the games this summer. ".repeat(3),
            notice.repeat(2)
        );
        let doc = parse(&html);
        let m = ProseMass::measure(&doc, "");
        let n = node_with_id(&doc, "notice");
        assert!(m.total() >= MIN_GUARDED_PROSE && m.of(n) * 2 > m.total());
        assert!(!m.holds_most_prose(n) && !m.protects(&doc, n));
    }

    #[test]
    fn a_feed_that_names_no_readers_is_told_from_reader_comments() {
        let entry =
            |by: &str| format!("<div class=comment>{by}<div class=comment-body>{PARA}</div></div>");
        let ticker = parse(&format!(
            "<h1>Match</h1><div class=live-comments>{}</div>",
            entry("<span class=time>93'</span>").repeat(3)
        ));
        assert!(holds_uncredited_feed(&ticker));
        for by in [
            "<cite>Sam</cite>",
            "<span class=comment-author>Sam</span>",
            "<img class=avatar src=a.png>",
        ] {
            let thread = parse(&format!(
                "<h1>Post</h1><div id=comments>{}</div>",
                entry(by).repeat(3)
            ));
            assert!(!holds_uncredited_feed(&thread), "{by}");
        }
        // Too little text to be an article either way.
        let stub = parse(&format!("<div class=live-comments>{}</div>", entry("")));
        assert!(!holds_uncredited_feed(&stub));
    }

    #[test]
    fn the_paragraphs_fallback_skips_comments_and_notices() {
        let html = format!(
            "<div>{PARA}{PARA}</div><div id=comments>{}</div>\
             <p>We use cookies on this site; by clicking Accept you agree to our cookie policy.</p>",
            PARA.replace("A sentence", "A reader wrote")
        );
        let doc = parse(&html);
        let out = ProseMass::measure(&doc, "").paragraphs(&doc).unwrap();
        let text = out.text_content(out.root());
        assert!(
            text.contains("A sentence") && !text.contains("A reader") && !text.contains("cookies")
        );
    }

    #[test]
    fn the_body_beside_the_lead_is_protected_but_not_the_sidebar() {
        // The lead paragraph sits in the story's header; the body is a sibling block.
        let html = format!(
            "<div id=page><article id=story><h1>River towns plan a shared ferry</h1>\
             <p>Three towns along the lower river agreed on Tuesday to run a shared ferry service.</p>\
             <div id=body class=banner-text>{}</div></article>\
             <div id=side>{}</div><div id=more>{}</div></div>",
            PARA.repeat(12),
            PARA.repeat(12),
            PARA.repeat(12)
        );
        let doc = parse(&html);
        let m = ProseMass::measure(&doc, "River towns plan a shared ferry");
        assert!(m.knows_lead());
        assert!(!m.holds_lead(&doc, node_with_id(&doc, "body")));
        assert!(m.protects(&doc, node_with_id(&doc, "body")));
        assert!(!m.protects(&doc, node_with_id(&doc, "side")));
    }

    #[test]
    fn the_parts_of_a_split_body_are_protected_together() {
        // No part is most of the story; the three together are. A region with an id of its own
        // that shares their class is not a part.
        let ad = "<div class=row><div class=ad>Advertisement</div></div>";
        let related = "<div class=row><ul><li><a href=/a>Another story</a></li></ul></div>";
        let part = |n| format!("<div class=\"banner-text\">{}</div>", PARA.repeat(n));
        let html = format!(
            "<div id=page><article id=story><h1>River towns plan a shared ferry</h1>\
             <p>Three towns along the lower river agreed on Tuesday to run a shared ferry service.</p>\
             <div id=body>{}{ad}{related}{}{ad}{related}{}\
             <div id=promo class=\"banner-text\">{PARA}{PARA}</div></div></article>\
             <div id=side>{}</div></div>",
            part(5),
            part(4),
            part(5),
            PARA.repeat(3)
        );
        let doc = parse(&html);
        let m = ProseMass::measure(&doc, "River towns plan a shared ferry");
        let parts: Vec<NodeId> = doc
            .descendants(doc.root())
            .filter(|&n| doc.attr(n, "class") == Some("banner-text") && doc.attr(n, "id").is_none())
            .collect();
        assert_eq!(parts.len(), 3);
        for &p in &parts {
            assert!(!m.guards(&doc, &[p]));
            assert!(m.protects(&doc, p));
        }
        assert!(!m.protects(&doc, node_with_id(&doc, "promo")));
        assert!(!m.protects(&doc, node_with_id(&doc, "side")));
    }

    #[test]
    fn the_body_after_a_standfirst_is_protected_when_the_story_is_most_of_the_page() {
        let html = format!(
            "<div id=page><article id=story><header><h1>River towns plan a shared ferry</h1>\
             <p>Three towns along the lower river agreed on Tuesday to run a shared ferry service.</p>\
             </header><div id=body class=comments-open>{}</div></article>\
             <div id=side>{}</div></div>",
            PARA.repeat(12),
            PARA.repeat(2)
        );
        let doc = parse(&html);
        let m = ProseMass::measure(&doc, "River towns plan a shared ferry");
        assert!(m.protects(&doc, node_with_id(&doc, "body")));
        assert!(!m.protects(&doc, node_with_id(&doc, "side")));
        // A short post written into its container, beside a sidebar that outweighs it: the
        // sidebar is not sheltered by the story block around both.
        let loose =
            "No matter how long I stare at this, I still cannot believe it is a pencil drawing.";
        let html = format!(
            "<div id=page><div id=main><h3>River towns plan a shared ferry</h3>\
             <div id=post>{loose} {loose}</div></div><div id=side class=sidebar>{}</div></div>",
            PARA.repeat(14)
        );
        let doc = parse(&html);
        let m = ProseMass::measure(&doc, "River towns plan a shared ferry");
        assert_eq!(m.lead(), Some(node_with_id(&doc, "post")));
        assert!(!m.protects(&doc, node_with_id(&doc, "side")));
    }

    #[test]
    fn the_story_starts_after_captions_links_and_forms() {
        let long =
            "a line long enough to be taken for the start of a story, if nothing said otherwise";
        let html = format!(
            "<h1>River towns plan a shared ferry</h1>\
             <a href=/prev>Previous post: {long}</a>\
             <figure><img src=f.jpg><figcaption>The ferry at the south landing, {long}.</figcaption></figure>\
             <noscript>&lt;img src=pixel.gif alt=\"{long}\"&gt;</noscript>\
             <form><label>By signing up you agree to {long}</label><input></form>\
             <div id=body><p id=lead>Three towns along the lower river agreed on Tuesday to run a \
             shared ferry service, ending a long dispute.</p>{}</div>",
            PARA.repeat(6)
        );
        let doc = parse(&html);
        let m = ProseMass::measure(&doc, "River towns plan a shared ferry");
        assert_eq!(m.lead(), Some(node_with_id(&doc, "lead")));
    }
}
