//! Cleanup: strip what is left of page furniture inside the chosen article.
//!
//! Input: the working document and the selected wrapper `div`. Output: a new [`Document`] whose
//! root holds the article's blocks, with the headline that duplicates the title removed, share
//! bars, related/newsletter/tag boxes, link lists and comment tails gone, URLs made absolute.
//! Tables, code, figures, lists and math stay. Must not: remove a data table or code; recurse.

use crate::article::Removed;
use crate::dom::{Document, NodeId};
use crate::safety;
use crate::select::Shape;
use crate::signals::{self, class_and_id, class_weight, TextStats, CLASS_HINT_WEIGHT};
use crate::text::inner_text;
use crate::weburl::WebUrl;

/// Share widgets are removed when their text is shorter than this (a long block is content).
const SHARE_MAX_CHARS: usize = 500;

/// Class/id fragments of boxes that sit inside article columns but are not the article
/// (trafilatura's boilerplate class list, `OVERALL_DISCARD_XPATH`).
const BOILERPLATE_HINTS: &[(&str, &str)] = &[
    ("related", "related stories"),
    ("most-popular", "most popular list"),
    ("mostpopular", "most popular list"),
    ("more-on", "more-on links"),
    ("-stories", "story teasers"),
    ("newsletter", "newsletter sign-up"),
    ("subscribe", "subscription box"),
    ("signup", "sign-up box"),
    ("tag-list", "tag list"),
    ("taglist", "tag list"),
    ("post-tags", "tag list"),
    ("entry-tags", "tag list"),
    ("author-bio", "author biography"),
    ("authorbio", "author biography"),
    ("about-author", "author biography"),
    ("outbrain", "sponsored links"),
    ("taboola", "sponsored links"),
    ("recommend", "recommendations"),
    ("promo", "promotion"),
    ("advert", "advertisement"),
    ("social", "social buttons"),
    ("print-", "print links"),
    ("breadcrumb", "breadcrumbs"),
    ("pagination", "page links"),
    ("post-nav", "previous/next links"),
    ("nav-links", "previous/next links"),
    ("navigation", "navigation"),
    ("rating", "rating widget"),
    ("cookie", "cookie notice"),
    ("consent", "cookie notice"),
    ("credit", "photo credit"),
    ("copyright", "copyright note"),
];

/// A named box with more text than this is only boilerplate when it is mostly links (a long
/// section whose id merely mentions "sharing" is prose).
const BOILERPLATE_MAX_PROSE_CHARS: usize = 1000;

/// Link share that makes a long named box a link list.
const BOILERPLATE_LINK_DENSITY: f32 = 0.5;

/// The boilerplate list is skipped when it would leave less than this share of the text
/// (trafilatura's safety guard).
const BOILERPLATE_MIN_KEPT_SHARE: f32 = 1.0 / 7.0;

/// In gentle cleaning, named boxes (a newsletter sign-up, related links) still go when together
/// they hold at most a tenth of the text: a theme that names every block cannot pass that.
const GENTLE_BOILERPLATE_MIN_KEPT_SHARE: f32 = 0.9;

/// Conditional cleaning leaves blocks with at least this many commas alone (they are prose).
const PROSE_MIN_COMMAS: usize = 10;

/// Link share above which a low-weight block is a link list.
const MAX_LINK_DENSITY: f32 = 0.2;

/// A block holding a paragraph this long that is not mostly links is not a link list, whatever
/// its share of links (a part of the body with a list of links in it; a teaser card's summary
/// is shorter).
const LINK_LIST_MAX_PARAGRAPH: usize = 300;

/// Link share above which even a positively named block is a link list.
const MAX_LINK_DENSITY_POSITIVE: f32 = 0.5;

/// Text shorter than this in a linked, image-poor block marks it as a widget.
const WIDGET_MAX_CHARS: usize = 25;

/// A block holding at least this share of the article's text is never cleaned conditionally.
const MAIN_BLOCK_SHARE: f32 = 0.5;

/// Exact block texts that mark ad slots and loading placeholders.
const AD_AND_LOADING_WORDS: &[&str] = &[
    "ad",
    "ads",
    "advertising",
    "advertisement",
    "pub",
    "publicité",
    "werbung",
    "anzeige",
    "reklama",
    "publicidad",
    "广告",
    "реклама",
    "anuncio",
    "loading",
    "loading...",
    "loading…",
    "正在加载",
    "загрузка",
    "chargement",
    "cargando",
];

/// Whether `text` is one of [`AD_AND_LOADING_WORDS`] alone, punctuation aside ("- Anzeige -").
fn is_ad_word(text: &str) -> bool {
    let folded = crate::text::fold(text);
    let folded = folded.trim();
    !folded.is_empty()
        && AD_AND_LOADING_WORDS
            .iter()
            .any(|w| crate::text::fold(w).trim() == folded)
}

/// No entry of [`AD_AND_LOADING_WORDS`] is longer (in characters) than this.
const AD_WORD_MAX_CHARS: usize = 16;

/// Phrases that open a comment section; the article ends before them.
const COMMENT_TERMINATORS: &[&str] = &[
    "comments",
    "comment",
    "leave a reply",
    "leave a comment",
    "post a comment",
    "add your comment",
    "add a comment",
    "reader comments",
    "trackback url",
    "trackbacks",
    "join the discussion",
    "what do you think",
    "have your say",
    "discussion",
    "responses",
    "reactions",
    // The other languages of our corpora.
    "kommentare",
    "kommentar",
    "kommentieren",
    "kommentar schreiben",
    "kommentar verfassen",
    "schreibe einen kommentar",
    "hinterlasse einen kommentar",
    "diskussion",
    "leserkommentare",
    "comentarios",
    "comentario",
    "comentar",
    "deja un comentario",
    "deja tu comentario",
    "deja una respuesta",
    "commentaires",
    "commentaire",
    "laisser un commentaire",
    "laisser une réponse",
    "réagir",
    "commenti",
    "lascia un commento",
    "lascia una risposta",
    "komentarze",
    "komentarzy",
    "dodaj komentarz",
    "reacties",
    "reactie",
    "geef een reactie",
    "comentários",
    "deixe um comentário",
    "deixe uma resposta",
];

/// Openings of a comment heading followed by anything ("Comments on …", "Leave a reply to …").
const COMMENT_TERMINATOR_PREFIXES: &[&str] = &[
    "comments on",
    "responses to",
    "one response",
    "leave a reply",
    "leave a comment",
    "kommentare zu",
    "comentarios sobre",
    "commentaires sur",
];

/// "<count> comments": a heading ending in " comments" of at most this many words.
const COUNTED_COMMENTS_MAX_WORDS: usize = 3;

/// Text a terminator block may hold at most (words).
const TERMINATOR_MAX_WORDS: usize = 6;

/// A comment tail is only cut after at least this much article text.
const TERMINATOR_MIN_BEFORE_CHARS: usize = 150;

/// Tags cleaned conditionally, in Readability's order.
const CONDITIONAL_TAGS: &[&str] = &[
    "form", "fieldset", "table", "ul", "ol", "div", "section", "dl",
];

/// Tags removed inside the article unless they hold most of it.
const SIDE_TAGS: &[&str] = &["aside"];

/// How hard cleanup may cut.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cleaning {
    /// Every rule applies.
    Full,
    /// Class and id names remove nothing by themselves, but for named boxes holding a tenth of
    /// the text at most: the second try when a full cleanup would have taken most of the
    /// article's running text (a theme that names every text block "widget").
    Gentle,
}

/// Cleans the article under `wrapper` and copies it into its own document.
pub fn tidy(
    doc: &mut Document,
    wrapper: NodeId,
    title: &str,
    base: Option<&WebUrl>,
    cleaning: Cleaning,
    shape: Shape,
    removed: &mut Removed,
) -> Document {
    remove_headline(doc, wrapper, title);
    let data_tables = mark_data_tables(doc, wrapper);
    // One measurement, kept current as blocks go (each pass sees what the previous left).
    let stats = &mut TextStats::compute(doc, wrapper);
    remove_side_content(doc, wrapper, stats, removed);
    remove_share_widgets(doc, wrapper, stats, removed);
    remove_consent_notices(doc, wrapper, stats, removed);
    remove_label_lines(doc, wrapper, stats, removed);
    let kept_share = match cleaning {
        Cleaning::Full => BOILERPLATE_MIN_KEPT_SHARE,
        Cleaning::Gentle => GENTLE_BOILERPLATE_MIN_KEPT_SHARE,
    };
    remove_boilerplate(doc, wrapper, &data_tables, kept_share, stats, removed);
    cut_comment_tail(doc, wrapper, stats, removed);
    remove_counter_lines(doc, wrapper, stats, removed);
    for tag in CONDITIONAL_TAGS {
        clean_conditionally(doc, wrapper, tag, &data_tables, cleaning, stats, removed);
    }
    clean_headings(doc, wrapper, stats, removed);
    remove_repeats(doc, wrapper, stats, removed);
    // A landing page's feature cards look like teasers; there they are the content.
    if shape == Shape::Article {
        remove_teaser_cards(doc, wrapper, stats, removed);
    }
    remove_author_box(doc, wrapper, stats, removed);
    trim_tail(doc, wrapper, stats, removed);
    remove_empty(doc, wrapper);
    let mut out = Document::new();
    let kids: Vec<NodeId> = doc.children(wrapper).collect();
    for k in kids {
        out.import_subtree(out.root(), doc, k);
    }
    let out_tables = data_tables_in(&out);
    simplify_single_cell_tables(&mut out, &out_tables);
    if let Some(base) = base {
        resolve_urls(&mut out, base);
    }
    for h1 in out
        .descendants(out.root())
        .filter(|&n| out.is(n, "h1"))
        .collect::<Vec<_>>()
    {
        out.set_tag(h1, "h2"); // the title is the page's one h1
    }
    out
}

fn remove_headline(doc: &mut Document, wrapper: NodeId, title: &str) {
    if title.is_empty() {
        return;
    }
    let found = doc
        .descendants(wrapper)
        .filter(|&n| matches!(doc.tag(n), "h1" | "h2"))
        .find(|&h| signals::reads_like_headline(doc, h, title));
    if let Some(h) = found {
        doc.detach(h);
    }
}

/// Whether a table holds data (rows and columns of facts) rather than layout.
/// A `colspan` larger than this is read as this (a malformed value must not inflate the count).
const MAX_COLSPAN: usize = 50;

/// Readability's data-table size tests: this many rows, more columns than this, or more cells
/// than this make a table data rather than layout.
const DATA_TABLE_MIN_ROWS: usize = 10;
const DATA_TABLE_MAX_LAYOUT_COLUMNS: usize = 4;
const DATA_TABLE_MAX_LAYOUT_CELLS: usize = 10;

/// Readability's test for a table that holds data (kept whole) rather than page layout.
fn is_data_table(doc: &Document, table: NodeId) -> bool {
    let Some(el) = doc.element(table) else {
        return false;
    };
    if el.attr("role") == Some("presentation") || el.attr("datatable") == Some("0") {
        return false;
    }
    if el.attr("summary").is_some() {
        return true;
    }
    let mut rows = 0;
    let mut max_cols = 0;
    for n in doc.descendants(table).skip(1) {
        match doc.tag(n) {
            "caption" if !inner_text(doc, n).is_empty() => return true,
            "col" | "colgroup" | "tfoot" | "thead" | "th" => return true,
            "table" => return false, // nested tables are layout
            "tr" => {
                rows += 1;
                let cols: usize = doc
                    .element_children(n)
                    .filter(|&c| matches!(doc.tag(c), "td" | "th"))
                    .map(|c| {
                        doc.attr(c, "colspan")
                            .and_then(|v| v.trim().parse::<usize>().ok())
                            .unwrap_or(1)
                            .min(MAX_COLSPAN)
                    })
                    .sum();
                max_cols = max_cols.max(cols);
            }
            _ => {}
        }
    }
    if rows == 1 || max_cols == 1 {
        return false;
    }
    if rows >= DATA_TABLE_MIN_ROWS || max_cols > DATA_TABLE_MAX_LAYOUT_COLUMNS {
        return true;
    }
    rows * max_cols > DATA_TABLE_MAX_LAYOUT_CELLS
}

fn mark_data_tables(doc: &Document, root: NodeId) -> Vec<NodeId> {
    doc.descendants(root)
        .filter(|&n| doc.is(n, "table") && is_data_table(doc, n))
        .collect()
}

fn data_tables_in(doc: &Document) -> Vec<NodeId> {
    mark_data_tables(doc, doc.root())
}

fn remove_side_content(
    doc: &mut Document,
    wrapper: NodeId,
    stats: &mut TextStats,
    removed: &mut Removed,
) {
    let total = stats.chars(wrapper) as f32;
    let hits: Vec<NodeId> = doc
        .descendants(wrapper)
        .skip(1)
        .filter(|&n| {
            SIDE_TAGS.contains(&doc.tag(n)) && (stats.chars(n) as f32) < total * MAIN_BLOCK_SHARE
        })
        .collect();
    detach_all(
        doc,
        stats,
        &hits,
        "aside",
        "side content next to the article",
        removed,
    );
}

/// A cookie or consent notice is never article content, whatever its markup (fixture
/// `safety-consent-notice`). Only text blocks without inner blocks are read.
fn remove_consent_notices(
    doc: &mut Document,
    wrapper: NodeId,
    stats: &mut TextStats,
    removed: &mut Removed,
) {
    // Only the blocks around a text run that names cookies are read.
    let mut hits: Vec<NodeId> = Vec::new();
    for t in doc.descendants(wrapper) {
        if !doc.text(t).is_some_and(safety::mentions_cookies) {
            continue;
        }
        let Some(block) = doc
            .ancestors(t)
            .find(|&a| signals::is_block_tag(doc.tag(a)))
            .filter(|&b| b != wrapper && !hits.contains(&b))
        else {
            continue;
        };
        let chars = stats.chars(block);
        if (CONSENT_MIN_CHARS..=safety::CONSENT_MAX_CHARS).contains(&chars)
            && doc
                .children(block)
                .all(|c| !signals::is_block_tag(doc.tag(c)))
            && {
                let text = inner_text(doc, block);
                safety::looks_like_consent_notice(&text) || safety::looks_like_cookie_line(&text)
            }
        {
            hits.push(block);
        }
    }
    detach_all(
        doc,
        stats,
        &hits,
        "consent",
        "cookie or consent notice",
        removed,
    );
}

/// Labels that open a photo credit or source line, in the languages of our corpora (the
/// trafilatura-dev pages leak "Foto: …", "Kuva: …", "Źródło: …" lines).
const CREDIT_LABELS: &[&str] = &[
    "foto:",
    "fotos:",
    "foto ©",
    "photo:",
    "photos:",
    "photo credit",
    "image:",
    "picture:",
    "credit:",
    "credits:",
    "crédit",
    "crédito:",
    "bild:",
    "bildquelle",
    "beitragsbild",
    "quelle:",
    "fuente:",
    "źródło:",
    "zdjęcie:",
    "fot.",
    "kuva:",
    "©",
];

/// Inline elements that hold a credit by themselves under a picture or at a caption's end
/// (`<small>(© Agency)</small>`, `<span>Foto: Name</span>`).
const CREDIT_INLINE_TAGS: &[&str] = &["span", "small", "em", "i", "cite"];

/// A credit line is at most this long: longer blocks are captions that mention a credit.
const CREDIT_MAX_CHARS: usize = 100;

/// Labels that open a cross-link to another story.
const READ_MORE_LABELS: &[&str] = &[
    "read more",
    "read also",
    "also read",
    "see also",
    "related:",
    "more on this",
    "lesen sie auch",
    "lesen sie mehr",
    "lesen sie hier",
    "mehr zum thema",
    "auch interessant",
    "schon gelesen",
    "weitere beiträge",
    "weiterlesen",
    "vea también",
    "lea también",
    "lee también",
    "lire aussi",
    "à lire aussi",
    "a lire aussi",
    "voir aussi",
    "leggi anche",
    "czytaj też",
    "czytaj także",
    "zobacz też",
    "zobacz także",
    "lees ook",
    "lees meer",
    "related articles",
    "related posts",
    "related stories",
    "you may also like",
    "you might also like",
    "das könnte sie auch interessieren",
    "das könnte dich auch interessieren",
    "das thema könnte",
    "empfohlene beiträge",
    "ähnliche themen",
    "ähnliche artikel",
    "ähnliche beiträge",
    "weitere artikel",
    "weiterführender link",
    "weiterführende links",
    "heute empfehlen wir",
    "le puede interesar",
    "te puede interesar",
    "puedes ver",
    "también te puede interesar",
    "sur le même sujet",
    "à voir aussi",
    "veja também",
    "leia também",
    "leia mais",
    "potrebbe interessarti",
    "czytaj również",
    "zobacz również",
    "przeczytaj też",
    "przeczytaj także",
    "dowiedz się więcej",
];

/// Lead-ins that name another section or site ("Also on Example News:", "More from Politics:"):
/// labels only as a bare line ending in a colon ("Also on Tuesday, …" is a sentence).
const LEAD_IN_LABELS: &[&str] = &["also on ", "more from "];

/// A cross-link line is at most this long, and either a bare label or partly a link.
const READ_MORE_MAX_CHARS: usize = 200;

/// A bare label ("Schon gelesen?") is at most this long.
const BARE_LABEL_MAX_CHARS: usize = 40;

/// Share of link text that makes a labelled line a cross-link.
const READ_MORE_MIN_LINK_DENSITY: f32 = 0.3;

/// Phrases of a site's advertising or liability disclosure (the site speaking about its links,
/// not an author about a conflict of interest), lowercase, in the languages of our corpora.
const DISCLOSURE_PHRASES: &[&str] = &[
    "advertising disclosure",
    "advertising disclaimer",
    "we may receive compensation",
    "we may receive a commission",
    "we may earn a commission",
    "we may earn a small commission",
    "we may earn an affiliate commission",
    "we may earn compensation",
    "contains affiliate links",
    "is not responsible for the opinions",
    "is not responsible for the content of external",
    "handelt es sich um affiliate",
    "erhalten wir eine provision",
    "erhalten wir eine kleine provision",
    "bekommen wir eine provision",
    "bekommen wir eine kleine provision",
    "podemos recibir una comisión",
    "recibimos una comisión",
    "nous pouvons percevoir une commission",
    "nous percevons une commission",
];

/// Share of link text that makes a call to action inside the article a link line, not a
/// sentence that mentions a newsletter.
const LINKED_CALL_MIN_LINK_DENSITY: f32 = 0.5;

/// A disclosure line is at most this long: a longer block discusses the subject.
const DISCLOSURE_MAX_CHARS: usize = 320;

/// Photo credits and "read more" cross-links: short text blocks that open with a known label;
/// a site's advertising or liability disclosure, wherever it stands.
fn remove_label_lines(
    doc: &mut Document,
    wrapper: NodeId,
    stats: &mut TextStats,
    removed: &mut Removed,
) {
    let total = stats.chars(wrapper);
    let mut credits: Vec<NodeId> = Vec::new();
    let mut links = Vec::new();
    let mut listed: Vec<NodeId> = Vec::new();
    let mut disclosures = Vec::new();
    let mut calls = Vec::new();
    for n in doc.descendants(wrapper).skip(1) {
        let chars = stats.chars(n);
        let tag = doc.tag(n);
        let block = signals::is_block_tag(tag);
        if chars == 0
            || chars > READ_MORE_MAX_CHARS.max(DISCLOSURE_MAX_CHARS)
            || !(block || CREDIT_INLINE_TAGS.contains(&tag))
            || doc.children(n).any(|c| signals::is_block_tag(doc.tag(c)))
            || credits.last().is_some_and(|&c| doc.contains(c, n))
            || listed.last().is_some_and(|&c| doc.contains(c, n))
        {
            continue;
        }
        if block && chars * 2 <= total && is_disclosure(doc, n) {
            disclosures.push(n);
            continue;
        }
        if block
            && chars <= CALL_TO_ACTION_MAX_CHARS
            && stats.link_density(n) >= LINKED_CALL_MIN_LINK_DENSITY
            && is_call_to_action(&inner_text(doc, n))
        {
            calls.push(n);
            continue;
        }
        if chars > READ_MORE_MAX_CHARS {
            continue;
        }
        // Labels are lowercase: the probe is lowered once, not once per label.
        let text = crate::text::lowercase(&leading_text(doc, n, LABEL_PROBE_CHARS));
        let opens = |labels: &[&str], text: &str| labels.iter().any(|l| text.starts_with(l));
        if chars <= CREDIT_MAX_CHARS && opens(CREDIT_LABELS, text.trim_start_matches(['(', '['])) {
            credits.push(n);
        } else if block
            && (opens(READ_MORE_LABELS, &text)
                || (chars <= BARE_LABEL_MAX_CHARS
                    && opens(LEAD_IN_LABELS, &text)
                    && text.trim_end().ends_with(':')))
            && (chars <= BARE_LABEL_MAX_CHARS
                || stats.link_density(n) >= READ_MORE_MIN_LINK_DENSITY)
        {
            links.push(n);
            if chars <= BARE_LABEL_MAX_CHARS {
                listed.extend(introduced_links(doc, n, stats));
            }
        }
    }
    links.append(&mut listed);
    detach_all(
        doc,
        stats,
        &calls,
        "call-to-action",
        "linked call to subscribe, share, sign up or install an app",
        removed,
    );
    detach_all(
        doc,
        stats,
        &disclosures,
        "disclosure",
        "the site's advertising or liability disclosure",
        removed,
    );
    detach_all(
        doc,
        stats,
        &credits,
        "credit",
        "photo credit or source line",
        removed,
    );
    detach_all(
        doc,
        stats,
        &links,
        "read-more",
        "link to another story",
        removed,
    );
}

/// Every entry of [`DISCLOSURE_PHRASES`] holds one of these word parts (their first letter left
/// off, so "Affiliate" and "affiliate" both pass): a screen read on the raw text before any
/// block is copied and lowered.
const DISCLOSURE_SCREEN: &[&str] = &[
    "isclos",
    "isclaim",
    "ompensation",
    "ommission",
    "ffiliate",
    "esponsible",
    "rovision",
    "omisión",
];

/// Whether the short block `n` is a site's advertising or liability disclosure.
fn is_disclosure(doc: &Document, n: NodeId) -> bool {
    static SCREEN: std::sync::OnceLock<signals::SubstringSet> = std::sync::OnceLock::new();
    static PHRASES: std::sync::OnceLock<signals::SubstringSet> = std::sync::OnceLock::new();
    let screen =
        SCREEN.get_or_init(|| signals::SubstringSet::new(DISCLOSURE_SCREEN.iter().copied()));
    if !doc
        .descendants(n)
        .any(|d| doc.text(d).is_some_and(|t| screen.any_in(t)))
    {
        return false;
    }
    let text = crate::text::lowercase(&inner_text(doc, n));
    PHRASES
        .get_or_init(|| signals::SubstringSet::new(DISCLOSURE_PHRASES.iter().copied()))
        .any_in(&text)
}

/// A line of counts ("Post Views: 1.432", "7 Comments", "5343 mal gelesen") is at most this long.
const COUNTER_LINE_MAX_CHARS: usize = 80;

/// Words that count a post's readers or comments, in the languages of our corpora.
const COUNTER_WORDS: &[&str] = &[
    "views",
    "visits",
    "aufrufe",
    "kommentare",
    "comments",
    "reads",
    "gelesen",
    "lesermeinungen",
    "visualizaciones",
    "vues",
    "wyświetleń",
    "komentarzy",
    "commenti",
    "reacties",
];

/// Lines of view and comment counts. They run after the comment cut, which a "7 Comments"
/// heading guides.
fn remove_counter_lines(
    doc: &mut Document,
    wrapper: NodeId,
    stats: &mut TextStats,
    removed: &mut Removed,
) {
    let found: Vec<NodeId> = doc
        .descendants(wrapper)
        .skip(1)
        .filter(|&n| {
            (1..=COUNTER_LINE_MAX_CHARS).contains(&stats.chars(n))
                && doc.is_element(n)
                && signals::is_block_tag(doc.tag(n))
                && doc.descendants(n).any(|d| {
                    doc.text(d)
                        .is_some_and(|t| t.bytes().any(|b| b.is_ascii_digit()))
                })
                && !doc.children(n).any(|c| signals::is_block_tag(doc.tag(c)))
                && is_counter_line(&inner_text(doc, n))
        })
        .collect();
    detach_all(
        doc,
        stats,
        &found,
        "counter",
        "view or comment count",
        removed,
    );
}

/// Whether `text` is a line of view or comment counts: a counter word next to a number ("7
/// Comments", "Views: 184", "Comments (0)"), and no sentence ("… brought 39,335 visits.").
fn is_counter_line(text: &str) -> bool {
    if text.trim_end().ends_with('.') {
        return false;
    }
    // What the previous word was: 1 a number, 2 a counter word ("mal" in "5343 mal gelesen"
    // is passed over).
    let mut prev = 0;
    for word in text.split_whitespace() {
        let w = word.trim_matches(|c: char| !c.is_alphanumeric());
        let kind = if w.starts_with(|c: char| c.is_ascii_digit()) {
            1
        } else if COUNTER_WORDS.iter().any(|c| c.eq_ignore_ascii_case(w)) {
            2
        } else if w == "mal" {
            continue;
        } else {
            0
        };
        if kind + prev == 3 {
            return true;
        }
        prev = kind;
    }
    false
}

/// The run of link lines right after a bare "read more" label: the list it introduces.
fn introduced_links(doc: &Document, label: NodeId, stats: &TextStats) -> Vec<NodeId> {
    let mut run = Vec::new();
    let mut cur = doc.next_sibling(label);
    while let Some(id) = cur {
        cur = doc.next_sibling(id);
        if let Some(t) = doc.text(id) {
            if t.trim().is_empty() {
                continue;
            }
            break;
        }
        let chars = stats.chars(id);
        if !doc.is_element(id) || chars == 0 {
            break;
        }
        let links =
            chars <= INTRODUCED_LINKS_MAX_CHARS && stats.link_density(id) >= TAIL_LINK_DENSITY;
        if !links && !is_headed_entries(doc, id) {
            break;
        }
        run.push(id);
    }
    run
}

/// Whether `id` is a list of headed entries (slides or cards: at least [`TEASER_MIN_RUN`]
/// headings, each in a list item): what a "see also" label introduces when its entries are
/// not links.
fn is_headed_entries(doc: &Document, id: NodeId) -> bool {
    let mut headed = 0;
    for h in doc.descendants(id) {
        if !matches!(doc.tag(h), "h2" | "h3" | "h4" | "h5" | "h6") {
            continue;
        }
        if !doc
            .ancestors(h)
            .take_while(|&a| a != id)
            .any(|a| doc.is(a, "li"))
        {
            return false;
        }
        headed += 1;
    }
    headed >= TEASER_MIN_RUN
}

/// The links a "read more" label introduces hold at most this much text per block.
const INTRODUCED_LINKS_MAX_CHARS: usize = 1000;

/// Enough of a block's start to hold the longest label.
const LABEL_PROBE_CHARS: usize = 24;

/// Bytes a UTF-8 character takes at most: a run of `n * UTF8_MAX_BYTES` bytes holds `n` chars.
const UTF8_MAX_BYTES: usize = 4;

/// About the first `max` characters of `id`'s text, whitespace collapsed, without reading the
/// rest of a long block.
fn leading_text(doc: &Document, id: NodeId, max: usize) -> std::borrow::Cow<'_, str> {
    let mut texts = doc.descendants(id).filter_map(|d| doc.text(d));
    let Some(first) = texts.next() else {
        return "".into();
    };
    let first = first.trim_start();
    // Most blocks open with one run long enough to hold any label: no copy.
    if first.len() >= max * UTF8_MAX_BYTES && !first.contains(['\n', '\t', '\r']) {
        return first.into();
    }
    let mut raw = first.to_string();
    for t in texts {
        raw.push_str(t);
        if raw.len() >= max * UTF8_MAX_BYTES {
            break;
        }
    }
    crate::text::normalize_space(&raw).into()
}

/// Shorter blocks are buttons ("Accept cookies"), left to the widget rules.
const CONSENT_MIN_CHARS: usize = 40;

/// Class and id words of share-button bars (the words whole, as common widgets name them).
const SHARE_WORDS: &[&str] = &[
    "share",
    "sharedaddy",
    "sharing",
    "sociable",
    "shariff",
    "addthis",
    "sharethis",
];

fn is_share_name(ci: &str) -> bool {
    ci.split(|c: char| !c.is_ascii_alphanumeric())
        .any(|w| SHARE_WORDS.contains(&w))
}

fn remove_share_widgets(
    doc: &mut Document,
    wrapper: NodeId,
    stats: &mut TextStats,
    removed: &mut Removed,
) {
    let hits: Vec<NodeId> = doc
        .descendants(wrapper)
        .skip(1)
        .filter(|&n| {
            doc.is_element(n)
                && stats.chars(n) < SHARE_MAX_CHARS
                && signals::matching_names(class_and_id(doc, n), is_share_name).is_some()
        })
        .collect();
    detach_all(doc, stats, &hits, "share", "share buttons", removed);
}

/// Detaches nodes (skipping ones already inside a detached node) and records them.
fn detach_all(
    doc: &mut Document,
    stats: &mut TextStats,
    nodes: &[NodeId],
    rule: &str,
    reason: &str,
    removed: &mut Removed,
) {
    for &n in nodes {
        if doc.parent(n).is_none() {
            continue;
        }
        removed.record(doc, n, rule, reason);
        stats.remove(doc, n);
        doc.detach(n);
    }
}

fn inside_any(doc: &Document, id: NodeId, set: &[NodeId]) -> bool {
    !set.is_empty() && (set.contains(&id) || doc.ancestors(id).any(|a| set.contains(&a)))
}

fn boilerplate_reason(doc: &Document, id: NodeId) -> Option<&'static str> {
    let ci = class_and_id(doc, id);
    if ci.is_empty()
        || signals::has_any(
            &ci,
            &[
                "article-body",
                "articlebody",
                "entry-content",
                "post-content",
            ],
        )
    {
        return None;
    }
    // One pass over the name answers for most elements: none of the fragments is in it.
    static FRAGMENTS: std::sync::OnceLock<signals::SubstringSet> = std::sync::OnceLock::new();
    let fragments = FRAGMENTS
        .get_or_init(|| signals::SubstringSet::new(BOILERPLATE_HINTS.iter().map(|(f, _)| *f)));
    let ci = signals::matching_names(ci, |c| fragments.any_in(c))?;
    BOILERPLATE_HINTS
        .iter()
        .find(|(f, _)| ci.contains(f))
        .map(|(_, r)| *r)
}

/// Removes the named boxes of [`BOILERPLATE_HINTS`] unless together they would leave less than
/// `min_kept` of the text.
fn remove_boilerplate(
    doc: &mut Document,
    wrapper: NodeId,
    data_tables: &[NodeId],
    min_kept: f32,
    stats: &mut TextStats,
    removed: &mut Removed,
) {
    let total = stats.chars(wrapper);
    let mut hits: Vec<(NodeId, &'static str)> = Vec::new();
    let mut cur = doc.first_child(wrapper);
    while let Some(id) = cur {
        let reason = doc
            .is_element(id)
            .then(|| boilerplate_reason(doc, id))
            .flatten();
        match reason {
            Some(r)
                if !inside_any(doc, id, data_tables)
                    && !matches!(doc.tag(id), "p" | "pre" | "code")
                    && (stats.chars(id) < BOILERPLATE_MAX_PROSE_CHARS
                        || stats.link_density(id) > BOILERPLATE_LINK_DENSITY) =>
            {
                hits.push((id, r));
                cur = doc.next_skipping_children(id, wrapper);
            }
            _ => cur = doc.next_in(id, wrapper),
        }
    }
    let gone: usize = hits.iter().map(|(n, _)| stats.chars(*n)).sum();
    if total > 0 && ((total - gone.min(total)) as f32) < total as f32 * min_kept {
        return;
    }
    for (n, r) in hits {
        removed.record(doc, n, "boilerplate", r);
        stats.remove(doc, n);
        doc.detach(n);
    }
}

fn normalized_terminator(text: &str) -> String {
    let t = crate::text::lowercase(text);
    let t: String = t
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == ' ' {
                c
            } else {
                ' '
            }
        })
        .collect();
    let words: Vec<&str> = t
        .split_whitespace()
        .filter(|w| !w.chars().all(|c| c.is_ascii_digit()))
        .collect();
    words.join(" ")
}

fn is_comment_terminator(text: &str) -> bool {
    if text.split_whitespace().count() > TERMINATOR_MAX_WORDS {
        return false;
    }
    let n = normalized_terminator(text);
    COMMENT_TERMINATORS
        .iter()
        .any(|t| n == *t || n.strip_suffix(" so far").is_some_and(|r| r == *t))
        || n.ends_with(" comments") && n.split_whitespace().count() <= COUNTED_COMMENTS_MAX_WORDS
        || COMMENT_TERMINATOR_PREFIXES.iter().any(|p| n.starts_with(p))
}

/// Cuts everything from a "N Comments" / "Leave a Reply" heading to the end of the article.
fn cut_comment_tail(
    doc: &mut Document,
    wrapper: NodeId,
    stats: &mut TextStats,
    removed: &mut Removed,
) {
    let mut before = 0usize;
    let mut cut_at = None;
    for n in doc.descendants(wrapper) {
        if let Some(len) = crate::text::text_len(doc, n) {
            before += len;
            continue;
        }
        let is_block = matches!(
            doc.tag(n),
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "p" | "div" | "strong" | "b" | "span"
        );
        if !is_block || before < TERMINATOR_MIN_BEFORE_CHARS {
            continue;
        }
        // Table headers ("Comment" column) and list items are data, not section openers.
        if doc
            .ancestors(n)
            .take_while(|&a| a != wrapper)
            .any(|a| matches!(doc.tag(a), "table" | "li" | "dl" | "pre" | "blockquote"))
        {
            continue;
        }
        // A terminator is a few words: longer blocks are not read whole.
        if crate::text::more_words_than(doc, n, TERMINATOR_MAX_WORDS) {
            continue;
        }
        let text = inner_text(doc, n);
        if !text.is_empty() && is_comment_terminator(&text) && is_tail_start(doc, wrapper, n) {
            cut_at = Some(n);
            break;
        }
    }
    let Some(start) = cut_at else { return };
    // Remove `start` and everything after it in document order.
    let mut node = start;
    loop {
        let mut next_siblings = Vec::new();
        let mut s = doc.next_sibling(node);
        while let Some(x) = s {
            next_siblings.push(x);
            s = doc.next_sibling(x);
        }
        let parent = doc.parent(node);
        if node == start {
            removed.record(doc, node, "comments", "comment section after the article");
            stats.remove(doc, node);
            doc.detach(node);
        }
        for x in next_siblings {
            removed.record(doc, x, "comments", "comment section after the article");
            stats.remove(doc, x);
            doc.detach(x);
        }
        match parent {
            Some(p) if p != wrapper => node = p,
            _ => break,
        }
    }
}

/// A terminator only counts when what follows it is short next to the article, or reads like
/// a comment thread (signature lines such as "Posted by: …", "… said", "Reply").
fn is_tail_start(doc: &Document, wrapper: NodeId, n: NodeId) -> bool {
    let mut after = 0usize;
    let mut signatures = 0usize;
    let mut cur = doc.next_skipping_children(n, wrapper);
    while let Some(x) = cur {
        if let Some(t) = doc.text(x) {
            after += crate::text::collapsed_len(t);
            if looks_like_comment_signature(t) {
                signatures += 1;
            }
        }
        cur = doc.next_in(x, wrapper);
    }
    let total = crate::text::collapsed_len(&doc.text_content(wrapper));
    (after as f32) < total as f32 * COMMENT_TAIL_MAX_SHARE || signatures >= MIN_COMMENT_SIGNATURES
}

/// Signature lines that open or close a reader comment.
const COMMENT_SIGNATURES: &[&str] = &[
    "posted by",
    "said...",
    "said:",
    " says:",
    " wrote:",
    "permalink",
    "reply",
    "report abuse",
    "in reply to",
];

/// A terminator followed by less than this share of the article's text ends it (what follows is
/// the thread), whatever that text looks like.
const COMMENT_TAIL_MAX_SHARE: f32 = 0.5;

/// A comment signature line is at most this many words ("Posted by Jo at 9:14").
const SIGNATURE_MAX_WORDS: usize = 15;

/// How many signature lines make the text after a terminator a comment thread.
const MIN_COMMENT_SIGNATURES: usize = 2;

fn looks_like_comment_signature(text: &str) -> bool {
    let t = text.trim();
    if t.is_empty() || t.split_whitespace().count() > SIGNATURE_MAX_WORDS {
        return false;
    }
    let lower = crate::text::lowercase(t);
    COMMENT_SIGNATURES.iter().any(|s| lower.contains(s))
}

struct BlockCounts {
    p: usize,
    img: usize,
    li: usize,
    input: usize,
    embeds: usize,
    heading_chars: usize,
    list_chars: usize,
    /// The longest paragraph that is not mostly links (characters).
    longest_prose: usize,
    has_text_block: bool,
    in_figure: bool,
}

fn count_block(doc: &Document, id: NodeId, stats: &TextStats) -> BlockCounts {
    let mut c = BlockCounts {
        p: 0,
        img: 0,
        li: 0,
        input: 0,
        embeds: 0,
        heading_chars: 0,
        list_chars: 0,
        longest_prose: 0,
        has_text_block: false,
        in_figure: doc
            .ancestors(id)
            .take(FIGURE_ANCESTOR_DEPTH)
            .any(|a| doc.is(a, "figure")),
    };
    for n in doc.descendants(id).skip(1) {
        match doc.tag(n) {
            "p" => {
                c.p += 1;
                if stats.link_density(n) <= MAX_LINK_DENSITY {
                    c.longest_prose = c.longest_prose.max(stats.chars(n));
                }
            }
            "img" => c.img += 1,
            "li" => c.li += 1,
            "input" => c.input += 1,
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => c.heading_chars += stats.chars(n),
            "ul" | "ol" => c.list_chars += stats.chars(n),
            _ => {}
        }
        if doc.attr(n, "class") == Some("lucid-embed") {
            c.embeds += 1;
        }
        let t = doc.tag(n);
        if !c.has_text_block
            && (t == "span" || t == "li" || t == "td" || signals::is_block_tag(t))
            && stats.chars(n) > 0
        {
            c.has_text_block = true;
        }
    }
    c
}

/// Ancestors checked for a `<figure>`: a block inside one is a figure's part, not a widget.
const FIGURE_ANCESTOR_DEPTH: usize = 4;

/// Ancestors checked for `<code>`/`<pre>`: a block inside code is never cleaned conditionally.
const CODE_ANCESTOR_DEPTH: usize = 8;

/// A block whose list items hold more than this share of its text counts as a list.
const LIST_TEXT_SHARE: f32 = 0.9;

/// Readability's list-item allowance: a non-list is cleaned when its `<li>`s exceed its
/// paragraphs by more than this.
const LIST_ITEM_ALLOWANCE: usize = 100;

/// Fewer paragraphs per image than this (with more than one image, outside a figure) is an
/// image strip, not article text. The test is Readability's, which it applies to `<div>`s
/// and never to a `<section>`: a section is a unit its author marked (a story's photo essay,
/// a section front's band of captioned teasers), so only its links, forms and names count
/// against it, not how many pictures it has.
const MIN_PARAGRAPHS_PER_IMAGE: f32 = 0.5;

/// More than one input per this many paragraphs makes a block a form.
const PARAGRAPHS_PER_INPUT: usize = 3;

/// A block whose headings hold at least this share of its text is a heading group, not a widget.
const HEADING_GROUP_SHARE: f32 = 0.9;

/// A short linked block with more images than this is a gallery, not a widget (one or two
/// images with a caption link are a figure).
const WIDGET_MAX_IMAGES: usize = 2;

/// Why Readability's conditional cleaning would remove this block (a widget, link list or ad
/// slot), if it would: each test below is one named predicate, and its reason is what the
/// removed list says.
fn clean_reason(
    doc: &Document,
    id: NodeId,
    stats: &TextStats,
    data_tables: &[NodeId],
    cleaning: Cleaning,
) -> Option<&'static str> {
    if inside_any(doc, id, data_tables)
        || doc.descendants(id).any(|n| data_tables.contains(&n))
        || doc
            .ancestors(id)
            .take(CODE_ANCESTOR_DEPTH)
            .any(|a| matches!(doc.tag(a), "code" | "pre"))
    {
        return None;
    }
    let weight = match cleaning {
        Cleaning::Full => class_weight(doc, id),
        Cleaning::Gentle => 0.0,
    };
    if weight < 0.0 {
        return Some("its class or id names boilerplate");
    }
    if stats.commas(id) >= PROSE_MIN_COMMAS {
        return None;
    }
    let len = stats.chars(id);
    // The per-node count never exceeds the normalised text's length: longer blocks are not
    // one of the words, and their text need not be gathered.
    if len <= AD_WORD_MAX_CHARS && is_ad_word(&inner_text(doc, id)) {
        return Some("an ad slot or loading placeholder");
    }
    let c = count_block(doc, id, stats);
    if c.embeds > 0 {
        return None; // the article's own video (Readability keeps these too)
    }
    let share = |part: usize| {
        if len > 0 {
            part as f32 / len as f32
        } else {
            0.0
        }
    };
    let is_list = matches!(doc.tag(id), "ul" | "ol") || share(c.list_chars) > LIST_TEXT_SHARE;
    let ld = stats.link_density(id);
    let positive = weight >= CLASS_HINT_WEIGHT;
    let is_strip = c.img > 1
        && (c.p as f32 / c.img as f32) < MIN_PARAGRAPHS_PER_IMAGE
        && !c.in_figure
        && !doc.is(id, "section");
    let reason = if is_strip {
        Some("more images than text (an image strip)")
    } else if !is_list && c.li > c.p + LIST_ITEM_ALLOWANCE {
        Some("list items without a list")
    } else if c.input > c.p / PARAGRAPHS_PER_INPUT {
        Some("a form (inputs among few paragraphs)")
    } else if !is_list
        && !c.in_figure
        && share(c.heading_chars) < HEADING_GROUP_SHARE
        && len < WIDGET_MAX_CHARS
        && (c.img == 0 || c.img > WIDGET_MAX_IMAGES)
        && ld > 0.0
    {
        Some("a short linked widget")
    } else if !is_list
        && !positive
        && ld > MAX_LINK_DENSITY
        && c.longest_prose < LINK_LIST_MAX_PARAGRAPH
    {
        Some("mostly links (a link list)")
    } else if positive && ld > MAX_LINK_DENSITY_POSITIVE {
        Some("mostly links, though named as content")
    } else if c.img == 0 && !c.has_text_block && len == 0 {
        Some("an empty block")
    } else {
        None
    };
    if reason.is_some() && is_list {
        // Image galleries: one image per item, nothing else.
        let items: Vec<NodeId> = doc.element_children(id).collect();
        if items.iter().all(|&i| doc.element_children(i).count() <= 1) && c.img == c.li && c.img > 0
        {
            return None;
        }
    }
    reason
}

fn clean_conditionally(
    doc: &mut Document,
    wrapper: NodeId,
    tag: &str,
    data_tables: &[NodeId],
    cleaning: Cleaning,
    stats: &mut TextStats,
    removed: &mut Removed,
) {
    let total = stats.chars(wrapper);
    let nodes: Vec<NodeId> = doc
        .descendants(wrapper)
        .skip(1)
        .filter(|&n| doc.is(n, tag))
        .collect();
    for &n in nodes.iter().rev() {
        if doc.parent(n).is_none() || !doc.contains(wrapper, n) {
            continue;
        }
        if stats.chars(n) as f32 >= total as f32 * MAIN_BLOCK_SHARE {
            continue; // the block the scorer chose (or its wrapper) is the article
        }
        if let Some(reason) = clean_reason(doc, n, stats, data_tables, cleaning) {
            removed.record(doc, n, "link-list", reason);
            stats.remove(doc, n);
            doc.detach(n);
        }
    }
}

fn clean_headings(
    doc: &mut Document,
    wrapper: NodeId,
    stats: &mut TextStats,
    removed: &mut Removed,
) {
    let heads: Vec<NodeId> = doc
        .descendants(wrapper)
        .filter(|&n| matches!(doc.tag(n), "h1" | "h2") && class_weight(doc, n) < 0.0)
        .collect();
    detach_all(
        doc,
        stats,
        &heads,
        "heading",
        "heading of a non-article block",
        removed,
    );
}

/// A line at the article's end is a link line ("back to the list", "More on …: <link>") when at
/// least this share of its text is link text.
const TAIL_LINK_DENSITY: f32 = 0.8;

/// A trailing link line is at most this long (characters); longer linked text is a sentence.
const TAIL_LINK_MAX_CHARS: usize = 120;

/// At most this many lines are trimmed from the end; a longer run of link lines is a list
/// the article ends with (its sources, its downloads) and stays whole.
const TAIL_MAX_LINES: usize = 4;

/// A repeated block has at least this much text (a line or two may recur on purpose).
const REPEAT_MIN_CHARS: usize = 100;

/// A block of several paragraphs whose text repeats an earlier block word for word: the
/// page's second copy of the story (a desktop and a mobile version, a preview and the full
/// view). The first copy stays; nothing is lost. Single paragraphs are left alone (a refrain).
fn remove_repeats(
    doc: &mut Document,
    wrapper: NodeId,
    stats: &mut TextStats,
    removed: &mut Removed,
) {
    // A block's text is read only when an earlier block has its length.
    let mut seen: Vec<(usize, NodeId, Option<String>)> = Vec::new();
    let mut repeats = Vec::new();
    let mut cur = doc.first_child(wrapper);
    while let Some(id) = cur {
        let chars = stats.chars(id);
        let several = doc.is_element(id)
            && chars >= REPEAT_MIN_CHARS
            && doc
                .element_children(id)
                .filter(|&c| signals::is_block_tag(doc.tag(c)))
                .count()
                >= 2;
        let mut repeat = false;
        if several {
            let mut text: Option<String> = None;
            for (len, first, first_text) in seen.iter_mut() {
                if *len != chars || doc.contains(*first, id) {
                    continue;
                }
                let a = first_text.get_or_insert_with(|| inner_text(doc, *first));
                if *a == *text.get_or_insert_with(|| inner_text(doc, id)) {
                    repeat = true;
                    break;
                }
            }
            if !repeat {
                seen.push((chars, id, text));
            }
        }
        if repeat {
            repeats.push(id);
            cur = doc.next_skipping_children(id, wrapper);
        } else {
            cur = doc.next_in(id, wrapper);
        }
    }
    detach_all(
        doc,
        stats,
        &repeats,
        "repeat",
        "a second copy of an earlier block",
        removed,
    );
}

/// Teaser cards come in runs of at least this many siblings of one template.
const TEASER_MIN_RUN: usize = 3;

/// A teaser card holds at most this much text (a headline and a line of summary).
const TEASER_MAX_CHARS: usize = 300;

/// A teaser's summary line is at most this long; a longer paragraph is article text.
const TEASER_MAX_PARAGRAPH_CHARS: usize = 150;

/// Runs of sibling cards of one template (same tag and class), each a short headline with a link
/// and nothing longer than a summary line: "more stories" grids inside the article's block.
fn remove_teaser_cards(
    doc: &mut Document,
    wrapper: NodeId,
    stats: &mut TextStats,
    removed: &mut Removed,
) {
    // Cards hold headings: only headings and the blocks above them are looked into.
    let mut above_heading = vec![false; doc.len()];
    for h in doc.descendants(wrapper) {
        if matches!(doc.tag(h), "h2" | "h3" | "h4" | "h5" | "h6") {
            for a in std::iter::once(h).chain(doc.ancestors(h)) {
                if above_heading[a.index()] || a == wrapper {
                    break;
                }
                above_heading[a.index()] = true;
            }
        }
    }
    above_heading[wrapper.index()] = true;
    let mut cards: Vec<NodeId> = Vec::new();
    let mut cur = Some(wrapper);
    while let Some(parent) = cur {
        if !above_heading[parent.index()] || cards.last().is_some_and(|&c| doc.contains(c, parent))
        {
            cur = doc.next_skipping_children(parent, wrapper);
            continue;
        }
        let mut run: Vec<NodeId> = Vec::new();
        for kid in doc.element_children(parent).map(Some).chain([None]) {
            let card = kid.filter(|&k| above_heading[k.index()] && is_teaser_card(doc, k, stats));
            if let (Some(c), Some(&last)) = (card, run.last()) {
                if same_template(doc, last, c) {
                    run.push(c);
                    continue;
                }
            }
            if run.len() >= TEASER_MIN_RUN {
                cards.append(&mut run);
            }
            run.clear();
            run.extend(card);
        }
        cur = doc.next_in(parent, wrapper);
    }
    detach_all(
        doc,
        stats,
        &cards,
        "teasers",
        "a run of teaser cards for other stories",
        removed,
    );
}

fn same_template(doc: &Document, a: NodeId, b: NodeId) -> bool {
    doc.tag(a) == doc.tag(b) && doc.attr(a, "class") == doc.attr(b, "class")
}

/// Whether `n` reads as a teaser card: a linked headline, at most a summary line besides.
fn is_teaser_card(doc: &Document, n: NodeId, stats: &TextStats) -> bool {
    let chars = stats.chars(n);
    if chars == 0 || chars > TEASER_MAX_CHARS || matches!(doc.tag(n), "figure" | "tr" | "td") {
        return false;
    }
    let mut heading = false;
    let mut link = false;
    for d in doc.descendants(n) {
        match doc.tag(d) {
            "h2" | "h3" | "h4" | "h5" | "h6" => heading = true,
            "a" => link |= doc.attr(d, "href").is_some(),
            "p" if stats.chars(d) > TEASER_MAX_PARAGRAPH_CHARS => return false,
            "table" | "pre" | "blockquote" => return false,
            _ => {}
        }
    }
    heading && link
}

/// An author box holds at most this much text (characters): a name and a few lines of bio.
const AUTHOR_BOX_MAX_CHARS: usize = 600;

/// A portrait's alt text names a person in at most this many words.
const NAME_MAX_WORDS: usize = 4;

/// The author box that closes an article: the block around the last text holds a portrait and
/// either a link to the author's page or the portrait's name on a line of its own over a bio.
fn remove_author_box(
    doc: &mut Document,
    wrapper: NodeId,
    stats: &mut TextStats,
    removed: &mut Removed,
) {
    let total = stats.chars(wrapper);
    let Some(last) = doc
        .descendants(wrapper)
        .filter(|&n| doc.text(n).is_some_and(|t| !t.trim().is_empty()))
        .last()
    else {
        return;
    };
    // The highest block around the last text that is still box-sized.
    let Some(boxed) = doc
        .ancestors(last)
        .take_while(|&a| a != wrapper)
        .filter(|&a| {
            let chars = stats.chars(a);
            chars <= AUTHOR_BOX_MAX_CHARS && chars * 3 <= total
        })
        .last()
    else {
        return;
    };
    if is_author_box(doc, boxed) {
        detach_all(
            doc,
            stats,
            &[boxed],
            "author-box",
            "author box after the article",
            removed,
        );
    }
}

fn is_author_box(doc: &Document, boxed: NodeId) -> bool {
    let portraits: Vec<NodeId> = doc
        .descendants(boxed)
        .filter(|&n| doc.is(n, "img"))
        .collect();
    if portraits.is_empty() {
        return false;
    }
    let author_link = doc.descendants(boxed).any(|n| {
        doc.is(n, "a")
            && (doc.attr(n, "rel").is_some_and(|r| r.contains("author"))
                || doc.attr(n, "href").is_some_and(|h| h.contains("/author/")))
    });
    if author_link {
        return true;
    }
    // Otherwise the portrait's name stands on a line of its own (not inside a caption's
    // sentence), over a bio.
    let chars = inner_text(doc, boxed).len();
    portraits.iter().any(|&img| {
        let alt = doc.attr(img, "alt").unwrap_or("").trim();
        let words: Vec<&str> = alt.split_whitespace().collect();
        (2..=NAME_MAX_WORDS).contains(&words.len())
            && words
                .iter()
                .all(|w| w.chars().next().is_some_and(char::is_uppercase))
            && chars > alt.len() * 3
            && doc
                .descendants(boxed)
                .any(|n| doc.is_element(n) && inner_text(doc, n) == alt)
    })
}

/// Content without text that ends an article as much as a paragraph does.
const TAIL_MEDIA: &[&str] = &["img", "picture", "video", "audio", "iframe", "svg", "math"];

/// Link lines and orphaned headings at the very end of the article: "zurück", "Hier geht es zur
/// …", a "Related stories" heading whose list is gone. Nothing after them is article text.
fn trim_tail(doc: &mut Document, wrapper: NodeId, stats: &mut TextStats, removed: &mut Removed) {
    let total = stats.chars(wrapper);
    let mut content: Vec<NodeId> = doc
        .descendants(wrapper)
        .filter(|&n| {
            doc.text(n).is_some_and(|t| !t.trim().is_empty()) || TAIL_MEDIA.contains(&doc.tag(n))
        })
        .collect();
    let mut tail: Vec<(NodeId, &str)> = Vec::new();
    let mut taken = 0;
    while let Some(&last) = content.last() {
        let Some(block) = block_of(doc, wrapper, last) else {
            break;
        };
        let chars = stats.chars(block);
        // A long h1–h4 is text set large, not a section title; a long h5/h6 is small print
        // (a footnote on the print edition).
        let heading = match doc.tag(block) {
            "h1" | "h2" | "h3" | "h4" => chars <= TAIL_LINK_MAX_CHARS,
            "h5" | "h6" => true,
            _ => false,
        };
        let link_line = chars <= TAIL_LINK_MAX_CHARS
            && (chars == 0 || stats.link_density(block) >= TAIL_LINK_DENSITY)
            && media_all_linked(doc, block)
            && !shows_address(doc, block);
        let mixed = tail.iter().any(|&(t, _)| doc.contains(block, t));
        if let Some(link) = line_link(doc, wrapper, last).filter(|&l| {
            block != l
                && stats.chars(l) <= TAIL_LINK_MAX_CHARS
                && (taken + stats.chars(l)) * 2 <= total
                && !shows_address(doc, l)
        }) {
            if tail.len() == TAIL_MAX_LINES {
                return;
            }
            taken += stats.chars(link);
            tail.push((link, "link line after the article's end"));
            while content.last().is_some_and(|&c| doc.contains(link, c)) {
                content.pop();
            }
            continue;
        }
        let reason = if heading {
            Some("heading with nothing after it")
        } else if link_line {
            Some("link line after the article's end")
        } else {
            closing_reason(doc, block, chars, stats)
        };
        // The tail is never most of the article, however many lines it takes.
        let Some(reason) = reason.filter(|_| !mixed && (taken + chars) * 2 <= total) else {
            break;
        };
        taken += chars;
        if tail.len() == TAIL_MAX_LINES {
            return;
        }
        tail.push((block, reason));
        while content.last().is_some_and(|&c| doc.contains(block, c)) {
            content.pop();
        }
    }
    for (block, reason) in tail {
        removed.record(doc, block, "tail", reason);
        stats.remove(doc, block);
        doc.detach(block);
    }
}

/// Words of a closing call to action (newsletter, subscription, sharing, app), in the
/// languages of our corpora.
const CALL_TO_ACTION_WORDS: &[&str] = &[
    "newsletter",
    "subscribe",
    "sign up",
    "signing up",
    "download our app",
    "our apps",
    "follow us",
    "abonnieren",
    "abonniere",
    "melden sie sich",
    "folgen sie uns",
    "folge uns",
    "suscríbete",
    "suscribirse",
    "síguenos",
    "abonnez-vous",
    "inscrivez-vous",
    "suivez-nous",
    "iscriviti",
    "seguici",
    "zapisz się",
    "obserwuj nas",
    "schrijf je in",
    "volg ons",
    "share this",
    "teilen",
    "compartir",
    "compartilhe",
    "partager",
    "condividi",
    "udostepnij",
    "deel dit",
    "registrarte",
    "registrate",
    "ios and android",
    "android and ios",
    "youtube channel",
    "youtube-kanal",
    "canal de youtube",
    "donate",
    "spenden sie",
];

/// A closing call to action is at most this long (characters).
const CALL_TO_ACTION_MAX_CHARS: usize = 250;

/// Without a link, a closing call to action is at most this long: one line ("Möchten Sie den
/// Artikel teilen?").
const UNLINKED_CALL_MAX_CHARS: usize = 120;

/// A lead-in line ("Das könnte Sie auch interessieren:") is at most this long.
const LEAD_IN_MAX_CHARS: usize = 60;

/// Why a short block at the article's very end is not article text, if it is not: a call to
/// subscribe, share or install; an ad label; a lead-in whose list is gone.
fn closing_reason(
    doc: &Document,
    block: NodeId,
    chars: usize,
    stats: &TextStats,
) -> Option<&'static str> {
    if chars == 0 || chars > CALL_TO_ACTION_MAX_CHARS {
        return None;
    }
    let text = inner_text(doc, block);
    if chars <= AD_WORD_MAX_CHARS && is_ad_word(&text) {
        return Some("ad label");
    }
    if chars <= LEAD_IN_MAX_CHARS && text.trim_end().ends_with(':') {
        return Some("lead-in with nothing after it");
    }
    if chars <= LEAD_IN_MAX_CHARS && is_author_label(&text) {
        return Some("author label with nothing after it");
    }
    if chars <= TAIL_LINK_MAX_CHARS && ends_with_pointer_link(doc, block, &text) {
        return Some("link to another page (\"… here\")");
    }
    let linked = stats.link_density(block) > 0.0;
    (is_call_to_action(&text) && (linked || chars <= UNLINKED_CALL_MAX_CHARS))
        .then_some("call to subscribe, share, sign up or install an app")
}

/// Section labels over an author box, in the languages of our corpora.
const AUTHOR_LABELS: &[&str] = &[
    "about the author",
    "about the authors",
    "über den autor",
    "über die autorin",
    "über die autoren",
    "zum autor",
    "zur autorin",
    "sobre el autor",
    "sobre la autora",
    "à propos de l'auteur",
    "l'auteur",
    "sull'autore",
    "o autorze",
    "over de auteur",
    "sobre o autor",
];

/// Whether `text` is only an author box's label ("Über den Autor").
fn is_author_label(text: &str) -> bool {
    let folded = crate::text::fold(text);
    AUTHOR_LABELS
        .iter()
        .any(|l| crate::text::fold(l).trim() == folded.trim())
}

/// Link texts that only point ("… findest Du hier", "… click here").
const POINTER_WORDS: &[&str] = &["here", "hier", "aquí", "aqui", "ici", "qui", "tutaj", "tu"];

/// Whether `block` (text `text`) ends with its one link, and that link's text only points
/// ("Alles über Wanderschuhe findest Du <a>hier</a>.").
fn ends_with_pointer_link(doc: &Document, block: NodeId, text: &str) -> bool {
    let mut links = doc.descendants(block).filter(|&n| doc.is(n, "a"));
    let (Some(link), None) = (links.next(), links.next()) else {
        return false;
    };
    let label = crate::text::lowercase(&inner_text(doc, link));
    let rest = crate::text::lowercase(text.trim_end_matches(['.', '!', ' ', ':', '»', '>']));
    POINTER_WORDS.contains(&label.as_str()) && rest.ends_with(&label)
}

/// Whether `text` asks the reader to subscribe, sign up, share, follow or install (the words
/// whole: "for subscribers, …" is an instruction, not a call).
fn is_call_to_action(text: &str) -> bool {
    static FOLDED: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    let text = crate::text::fold(text);
    FOLDED
        .get_or_init(|| {
            CALL_TO_ACTION_WORDS
                .iter()
                .map(|w| crate::text::fold(w))
                .collect()
        })
        .iter()
        .any(|w| text.contains(w.as_str()))
}

/// The link `content` stands in when that link is a line of its own at the end of a block:
/// after a line break, with nothing but line breaks after it ("…“<br><br><a>Hier geht es zur
/// neuen Vorstandsstruktur</a><br>").
fn line_link(doc: &Document, wrapper: NodeId, content: NodeId) -> Option<NodeId> {
    let link = doc
        .ancestors(content)
        .take_while(|&a| a != wrapper)
        .find(|&a| doc.is(a, "a"))?;
    let blank = |n: NodeId| doc.text(n).is_some_and(|t| t.trim().is_empty());
    let mut after = doc.next_sibling(link);
    while let Some(n) = after {
        if !(blank(n) || doc.is(n, "br")) {
            return None;
        }
        after = doc.next_sibling(n);
    }
    let mut before = doc.prev_sibling(link);
    while let Some(n) = before.filter(|&n| blank(n)) {
        before = doc.prev_sibling(n);
    }
    before.is_some_and(|n| doc.is(n, "br")).then_some(link)
}

/// The block `content` stands in: its nearest block-level ancestor (for content inside a link,
/// a teaser card, the link's), None when that is `wrapper` itself.
fn block_of(doc: &Document, wrapper: NodeId, content: NodeId) -> Option<NodeId> {
    let link = doc
        .ancestors(content)
        .take_while(|&a| a != wrapper)
        .filter(|&a| doc.is(a, "a"))
        .last();
    doc.ancestors(link.unwrap_or(content))
        .take_while(|&a| a != wrapper)
        .find(|&a| signals::is_block_tag(doc.tag(a)) || doc.is(a, "li"))
}

/// Whether `block`'s text is a web address: a source the article ends with, shown as such.
fn shows_address(doc: &Document, block: NodeId) -> bool {
    let text = inner_text(doc, block);
    let t = text.trim();
    t.contains("://") || t.starts_with("www.")
}

/// Whether every picture in `block` is a link (a teaser or a badge, not an illustration).
fn media_all_linked(doc: &Document, block: NodeId) -> bool {
    doc.descendants(block)
        .filter(|&n| TAIL_MEDIA.contains(&doc.tag(n)))
        .all(|m| {
            doc.ancestors(m)
                .take_while(|&a| a != block)
                .any(|a| doc.is(a, "a"))
                || doc.is(block, "a")
        })
}

/// Tags that may stay empty (they carry no text by nature).
const KEEP_EMPTY: &[&str] = &[
    "img", "br", "hr", "td", "th", "tr", "math", "video", "audio", "picture", "col", "colgroup",
    "iframe",
];

fn remove_empty(doc: &mut Document, wrapper: NodeId) {
    let order: Vec<NodeId> = doc.descendants(wrapper).skip(1).collect();
    for &n in order.iter().rev() {
        if !doc.is_element(n) || KEEP_EMPTY.contains(&doc.tag(n)) {
            continue;
        }
        let empty = doc
            .children(n)
            .all(|c| doc.text(c).is_some_and(|t| t.trim().is_empty()) || doc.is(c, "br"));
        if empty && !doc.children(n).any(|c| doc.is(c, "img")) {
            doc.detach(n);
        }
    }
    // A <br> right before a paragraph only adds a blank line.
    let brs: Vec<NodeId> = doc
        .descendants(wrapper)
        .filter(|&n| doc.is(n, "br"))
        .collect();
    for br in brs {
        if doc.next_element_sibling(br).is_some_and(|s| doc.is(s, "p")) {
            doc.detach(br);
        }
    }
}

/// A layout table with a single cell is just a box around its content.
fn simplify_single_cell_tables(doc: &mut Document, data_tables: &[NodeId]) {
    let tables: Vec<NodeId> = doc
        .descendants(doc.root())
        .filter(|&n| doc.is(n, "table"))
        .collect();
    for t in tables.into_iter().rev() {
        if data_tables.contains(&t) {
            continue;
        }
        let cells: Vec<NodeId> = doc
            .descendants(t)
            .filter(|&n| matches!(doc.tag(n), "td" | "th"))
            .collect();
        if cells.len() == 1 {
            let div = doc.create_element("div", vec![]);
            doc.reparent_children(cells[0], div);
            doc.replace(t, div);
        }
    }
}

/// URL-bearing attributes made absolute against the page's base.
const URL_ATTRS: &[&str] = &["href", "src", "poster", "cite"];

fn resolve_urls(doc: &mut Document, base: &WebUrl) {
    let nodes: Vec<NodeId> = doc
        .descendants(doc.root())
        .filter(|&n| doc.is_element(n))
        .collect();
    for n in nodes {
        for attr in URL_ATTRS {
            let Some(v) = doc.attr(n, attr) else { continue };
            let v = v.trim();
            if v.starts_with('#') || v.starts_with("data:") {
                continue;
            }
            if let Ok(abs) = base.join(v) {
                doc.set_attr(n, attr, abs.as_str());
            }
        }
        if let Some(srcset) = doc.attr(n, "srcset") {
            let resolved = resolve_srcset(srcset, base);
            doc.set_attr(n, "srcset", &resolved);
        }
    }
}

/// Resolves each URL of a `srcset`, keeping descriptors; junk entries are dropped.
pub fn resolve_srcset(srcset: &str, base: &WebUrl) -> String {
    srcset
        .split(',')
        .filter_map(|item| {
            let mut parts = item.split_whitespace();
            let url = parts.next()?;
            let abs = base.join(url).ok()?;
            let desc: Vec<&str> = parts.collect();
            Some(if desc.is_empty() {
                abs.to_string()
            } else {
                format!("{} {}", abs, desc.join(" "))
            })
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `clean_reason` for the element `#t` of `body` (HTML inside `<body>`).
    fn reason(body: &str, cleaning: Cleaning) -> Option<&'static str> {
        let d = crate::dom::html::parse(&format!("<html><body>{body}</body></html>"));
        let t = d
            .descendants(d.root())
            .find(|&n| d.attr(n, "id") == Some("t"))
            .expect("#t");
        let stats = TextStats::compute(&d, d.body());
        clean_reason(&d, t, &stats, &[], cleaning)
    }

    #[test]
    fn a_block_with_a_long_paragraph_of_its_own_is_not_a_link_list() {
        // A part of the body in a block of its own: a paragraph, then the events it lists.
        let prose = "We walked along the shore for hours collecting shells, and the tide came in \
                     slowly behind us. "
            .repeat(4);
        let links: Vec<String> = (0..12)
            .map(|i| format!("<a href=/e{i}>Event number {i} in the valley this weekend</a>"))
            .collect();
        let block = |p: &str| format!("<div id=t><p>{p}</p><p>{}</p></div>", links.join(" "));
        assert_eq!(reason(&block(&prose), Cleaning::Full), None);
        // A teaser card's short summary does not keep its block of links.
        assert_eq!(
            reason(&block("A short summary of another story."), Cleaning::Full),
            Some("mostly links (a link list)")
        );
    }

    #[test]
    fn clean_reason_names_the_test_that_fired() {
        let full = Cleaning::Full;
        assert_eq!(
            reason(
                r#"<div id="t" class="sidebar"><p>Some words here.</p></div>"#,
                full
            ),
            Some("its class or id names boilerplate")
        );
        assert_eq!(
            reason(
                r#"<div id="t" class="sidebar"><p>Some words here.</p></div>"#,
                Cleaning::Gentle
            ),
            None,
            "gentle cleaning ignores names"
        );
        assert_eq!(
            reason(r#"<div id="t">Advertisement</div>"#, full),
            Some("an ad slot or loading placeholder")
        );
        assert_eq!(
            reason(
                r#"<div id="t"><p>Search</p><input name="q"><input type="submit"></div>"#,
                full
            ),
            Some("a form (inputs among few paragraphs)")
        );
        assert_eq!(
            reason(r#"<div id="t"><a href="/x">Share</a></div>"#, full),
            Some("a short linked widget")
        );
        assert_eq!(
            reason(
                r#"<div id="t"><a href="/a">The first related story</a> and
                <a href="/b">the second related story</a></div>"#,
                full
            ),
            Some("mostly links (a link list)")
        );
        assert_eq!(
            reason(r#"<div id="t"><span></span></div>"#, full),
            Some("an empty block")
        );
        assert_eq!(
            reason(
                r#"<div id="t"><img src="a.jpg"><img src="b.jpg"><img src="c.jpg"></div>"#,
                full
            ),
            Some("more images than text (an image strip)")
        );
    }

    #[test]
    fn clean_reason_spares_prose_code_and_galleries() {
        let full = Cleaning::Full;
        let prose = "<p>One, two, three, four, five, six, seven, eight, nine, ten, eleven.</p>";
        assert_eq!(reason(&format!(r#"<div id="t">{prose}</div>"#), full), None);
        assert_eq!(
            reason(
                r#"<pre><div id="t"><a href="/x">Share</a></div></pre>"#,
                full
            ),
            None,
            "inside code"
        );
        assert_eq!(
            reason(
                r#"<ul id="t"><li><img src="a.jpg"></li><li><img src="b.jpg"></li><li><img src="c.jpg"></li></ul>"#,
                full
            ),
            None,
            "an image gallery: one image per item"
        );
        let band = |tag: &str| {
            let photo = r#"<figure><img src="p.jpg"><figcaption>Credit A. Photographer</figcaption></figure>"#;
            format!(
                r#"<{tag} id="t"><h2>Science</h2>{photo}{photo}{photo}
                <h3>Can the new variant last for months?</h3>
                <p>Scientists say it is too early to know how long the symptoms persist.</p></{tag}>"#
            )
        };
        assert_eq!(
            reason(&band("section"), full),
            None,
            "a section of captioned photos"
        );
        assert_eq!(
            reason(&band("div"), full),
            Some("more images than text (an image strip)")
        );
    }

    #[test]
    fn a_second_copy_of_a_block_goes_and_a_refrain_stays() {
        let run = |body: String| {
            let (text, items) = after_pass(&format!("<div id=w>{body}</div>"), remove_repeats);
            (text.matches("library open").count(), items.len())
        };
        let copy = format!("<div class=a><h3>By A. Writer</h3>{STORY}</div>");
        // The story twice (a hidden preview, then the full view): the second copy goes.
        assert_eq!(
            run(format!(
                "{copy}<div class=b><h3>By A. Writer</h3>{STORY}</div>"
            )),
            (1, 1)
        );
        // One block holding another with the same text is not a copy.
        assert_eq!(run(format!("<div>{copy}<p></p></div>")), (1, 0));
        // A paragraph said twice is the author's (a refrain, a quote then its source).
        assert_eq!(run(format!("{STORY}<p>Between.</p>{STORY}")), (2, 0));
    }

    #[test]
    fn gentle_cleaning_drops_small_named_boxes_only() {
        let run = |body: String| {
            let (mut d, w) = with_wrapper(&format!("<div id=w>{body}</div>"));
            let mut removed = Removed::keeping(200);
            let shape = Shape::Article;
            let out = tidy(&mut d, w, "", None, Cleaning::Gentle, shape, &mut removed);
            let boxes = removed.items.iter().filter(|r| r.rule == "boilerplate");
            (
                out.text_content(out.root()).contains("newsletter"),
                boxes.count(),
            )
        };
        let signup = r#"<div class="inline-signup"><p>Sign up for our newsletter.</p></div>"#;
        // A sign-up box inside a long story goes.
        assert_eq!(run(format!("{STORY}{STORY}{signup}{STORY}")), (false, 1));
        // Named boxes holding more than a tenth of the text stay (a theme that names every block).
        let named = format!(r#"<div class="related-text">{STORY}</div>"#);
        assert_eq!(run(format!("{named}{signup}{named}")), (true, 0));
    }

    #[test]
    fn a_run_of_teaser_cards_goes_and_a_gallery_stays() {
        let run = |body: String| {
            let body = format!("<div id=w>{STORY}{body}</div>");
            let (text, items) = after_pass(&body, remove_teaser_cards);
            assert!(text.contains("library open"), "the story stays: {text}");
            (text.contains("Story"), items.len())
        };
        let card = |i: usize| {
            format!(
                r#"<div class="card"><h3>Story {i}</h3><a href="/s{i}"><img src="{i}.jpg"></a></div>"#
            )
        };
        let cards = |n: usize| (1..=n).map(card).collect::<String>();
        assert_eq!(run(cards(3)), (false, 3));
        // Two cards are a pair, not a grid; cards of another template break the run.
        assert_eq!(run(cards(2)), (true, 0));
        assert_eq!(
            run(format!(
                r#"{}<div class="other">{}</div>{}"#,
                card(1),
                card(2),
                card(3)
            )),
            (true, 0)
        );
        // A gallery (figures) and sections with real paragraphs are not teasers.
        let figure = r#"<figure><h3>Story</h3><a href="/big.jpg"><img src="a.jpg"></a></figure>"#;
        assert_eq!(run(figure.repeat(3)), (true, 0));
        let words = "word ".repeat(40);
        let section = format!("<div><h3>Story part</h3><a href=\"/x\">x</a><p>{words}</p></div>");
        assert_eq!(run(section.repeat(3)), (true, 0));
    }

    #[test]
    fn counter_lines_are_counts_not_sentences() {
        for line in [
            "Post Views: 1.432",
            "37 views",
            "(Visited 215 times, 55 visits today)",
            "Posted on November 9, 2012 at 6:41 AM • 7 Comments",
            "5343 mal gelesen | 32 Kommentare",
            "Comments (0)",
        ] {
            assert!(is_counter_line(line), "{line}");
        }
        for line in [
            "At the time of writing, this page has brought 39,335 visits to this website.",
            "Step 3. Comment on at least one post",
            "Comments",
            "Her views on the 2012 budget",
        ] {
            assert!(!is_counter_line(line), "{line}");
        }
    }

    #[test]
    fn share_bars_are_known_by_their_widget_names() {
        for name in [
            "share-bar",
            "shariff",
            "sociable",
            "addthis_toolbox",
            "sharedaddy sd-block",
        ] {
            assert!(is_share_name(name), "{name}");
        }
        // Whole words only: a class that merely contains the letters is not a share bar.
        for name in ["shared-story", "socialist-history", "sharepoint"] {
            assert!(!is_share_name(name), "{name}");
        }
    }

    /// `body` parsed, and its element `#w`.
    fn with_wrapper(body: &str) -> (Document, NodeId) {
        let d = crate::dom::html::parse(&format!("<html><body>{body}</body></html>"));
        let w = d
            .descendants(d.root())
            .find(|&n| d.attr(n, "id") == Some("w"))
            .expect("#w");
        (d, w)
    }

    /// A cleanup pass over `#w` in `body`: the text left and what was removed.
    fn after_pass(
        body: &str,
        pass: fn(&mut Document, NodeId, &mut TextStats, &mut Removed),
    ) -> (String, Vec<crate::article::Removal>) {
        let (mut d, w) = with_wrapper(body);
        let mut stats = TextStats::compute(&d, w);
        let mut removed = Removed::keeping(200);
        pass(&mut d, w, &mut stats, &mut removed);
        (
            crate::text::normalize_space(&d.text_content(w)),
            removed.items,
        )
    }

    /// The text of `#w` after the tail trim, and the reasons given.
    fn trimmed(body: &str) -> (String, Vec<String>) {
        let (text, items) = after_pass(body, trim_tail);
        (text, items.into_iter().map(|r| r.reason).collect())
    }

    const STORY: &str = "<p>The council met on Monday, and after a long debate, it voted to keep \
        the library open on Sundays, as residents had asked, for another year.</p>";

    #[test]
    fn tail_trim_takes_link_lines_and_orphaned_headings() {
        let (text, rules) = trimmed(&format!(
            r#"<div id="w">{STORY}<h3>Related stories</h3>
            <p><a href="/list">Back to the list</a></p></div>"#
        ));
        assert!(text.ends_with("another year."), "{text}");
        assert_eq!(
            rules,
            [
                "link line after the article's end",
                "heading with nothing after it"
            ]
        );
        let (text, rules) = trimmed(&format!(
            r#"<div id="w">{STORY}<p>Never miss a story: <a href="/n">sign up</a> for our free
            newsletter, every Friday morning.</p></div>"#
        ));
        assert!(text.ends_with("another year."), "{text}");
        assert_eq!(
            rules,
            ["call to subscribe, share, sign up or install an app"]
        );
        // Unlinked one-line calls, an ad label and a lead-in whose list is gone.
        let (text, rules) = trimmed(&format!(
            r#"<div id="w">{STORY}<p>Möchten Sie den Artikel teilen?</p><div>- Anzeige -</div>
            <p><strong>¡Mira lo que tiene nuestro canal de YouTube!</strong></p>
            <p><strong>Das könnte Sie auch interessieren:</strong></p></div>"#
        ));
        assert!(text.ends_with("another year."), "{text}");
        assert_eq!(
            rules,
            [
                "lead-in with nothing after it",
                "call to subscribe, share, sign up or install an app",
                "ad label",
                "call to subscribe, share, sign up or install an app"
            ]
        );
        // A teaser card: a heading over a linked picture.
        let (text, _) = trimmed(&format!(
            r#"<div id="w">{STORY}<div><h3>Next story</h3><p><a href="/n"><img src="n.jpg"></a></p></div></div>"#
        ));
        assert!(text.ends_with("another year."), "{text}");
    }

    #[test]
    fn tail_trim_keeps_sentences_pictures_and_source_lists() {
        let keep = |body: String| {
            let (text, rules) = trimmed(&body);
            assert!(rules.is_empty(), "{rules:?} {text}");
        };
        keep(format!(
            r#"<div id="w">{STORY}<p>Read the <a href="/r">full report of the council's vote on the library</a> here.</p></div>"#
        ));
        keep(format!(
            r#"<div id="w">{STORY}<p>For subscribers, simply <a href="/l">log in</a> to the
            subscriber area and set your e-reader's address there.</p></div>"#
        ));
        // An invitation to the comments is the author's closing line; a colon mid-text ends
        // nothing.
        keep(format!(
            r#"<div id="w">{STORY}<p>Will you miss it? Share your thoughts in the comments below.</p></div>"#
        ));
        keep(format!(
            r#"<div id="w">{STORY}<p>The vote: 7 to 2.</p></div>"#
        ));
        // A bare address is a source.
        keep(format!(
            r#"<div id="w">{STORY}<p><a href="https://example.org/petition">https://example.org/petition</a></p></div>"#
        ));
        // A heading over a picture is the picture's title.
        keep(format!(
            r#"<div id="w">{STORY}<h3>The reading room</h3><p><img src="room.jpg"></p></div>"#
        ));
        // A long run of link lines is a list of sources.
        keep(format!(
            r#"<div id="w">{STORY}<ul>{}</ul></div>"#,
            r#"<li><a href="/s">A source</a></li>"#.repeat(TAIL_MAX_LINES + 1)
        ));
        // A long h1–h4 is text set large.
        keep(format!(
            r#"<div id="w">{STORY}<h4>Draw a poster on the theme "Keep our rivers clean" and send
            it to the council by the third of April, for everyone in the city to see.</h4></div>"#
        ));
    }

    #[test]
    fn tail_trim_takes_pointer_links_and_link_lines_after_a_break() {
        let (text, rules) = trimmed(&format!(
            r#"<div id="w">{STORY}<hr><p>Everything about hiking boots is <a href="/b">here</a>.</p></div>"#
        ));
        assert!(text.ends_with("another year."), "{text}");
        assert_eq!(rules, ["link to another page (\"… here\")"]);
        let (text, rules) = trimmed(
            r#"<div id="w"><p>The council met on Monday, and after a long debate, it voted to keep
            the library open on Sundays, as residents had asked, for another year.<br><br>
            <a href="/board.pdf">The new board structure</a><br><br></p></div>"#,
        );
        assert!(text.ends_with("another year."), "{text}");
        assert_eq!(rules, ["link line after the article's end"]);
        // A link inside the last sentence, or one that is the whole text, stays.
        for body in [
            format!(r#"<div id="w">{STORY}<p>The minutes are <a href="/m">online</a>.</p></div>"#),
            r#"<div id="w"><p>Short.<br><a href="/m">The minutes of the meeting</a></p></div>"#
                .to_string(),
        ] {
            let (text, rules) = trimmed(&body);
            assert!(rules.is_empty(), "{rules:?} {text}");
        }
    }

    /// The text of `#w` in `body` after the author-box and tail passes, and the rules that fired.
    fn unboxed(body: &str) -> (String, Vec<String>) {
        let (text, items) = after_pass(body, |d, w, stats, removed| {
            remove_author_box(d, w, stats, removed);
            trim_tail(d, w, stats, removed);
        });
        (text, items.into_iter().map(|r| r.rule).collect())
    }

    #[test]
    fn an_author_box_ends_the_article_and_a_closing_portrait_stays() {
        let story = STORY.repeat(3);
        // Named portrait over a bio; a portrait linked to the author's page, under a label.
        for boxed in [
            r#"<section><figure><img src="p.jpg" alt="Ana Ruiz"><figcaption><cite>Ana Ruiz</cite>
            </figcaption></figure><blockquote>Ana Ruiz covers city hall and has written for the
            paper since 2015.</blockquote></section>"#,
            r#"<p>About the author</p><div><p><img src="avatar.png" alt=""></p><p><a
            href="/author/ana/">Ana</a></p><p>Reporter, cyclist, reader of council minutes.</p></div>"#,
        ] {
            let (text, rules) = unboxed(&format!(r#"<div id="w">{story}{boxed}</div>"#));
            assert!(text.ends_with("another year."), "{text}");
            assert_eq!(rules[0], "author-box", "{rules:?}");
        }
        // The last picture's caption names the person it shows.
        let (text, rules) = unboxed(&format!(
            r#"<div id="w">{story}<figure><img src="m.jpg" alt="Marta Diaz"><figcaption>Marta Diaz
            opens the library on its first Sunday, to a queue of readers.</figcaption></figure></div>"#
        ));
        assert!(rules.is_empty(), "{rules:?}");
        assert!(text.ends_with("readers."), "{text}");
    }

    #[test]
    fn tail_trim_never_takes_most_of_the_article() {
        // Every line alone passes as a tail line; together they are the article.
        let (text, rules) = trimmed(
            r#"<div id="w"><p><em>And once more about water:</em></p>
            <h2>The poster contest for children</h2><h3>is held for the sixth time.</h3>
            <h4>Share your ideas.</h4></div>"#,
        );
        assert!(text.starts_with("And once more"), "{text}");
        assert!(rules.len() < 3, "{rules:?}");
    }

    /// The text left of `#w` in `body` after the label-line pass, and the rules that fired.
    fn labelled(body: &str) -> (String, Vec<String>) {
        let (text, items) = after_pass(body, remove_label_lines);
        (text, items.into_iter().map(|r| r.rule).collect())
    }

    #[test]
    fn site_disclosures_go_and_an_authors_disclosure_stays() {
        let (text, rules) = labelled(&format!(
            r#"<div id="w"><section><p>This post contains references to products from our
            advertisers. We may receive compensation when you click on links to those
            products.</p></section>{STORY}<p>Letzte Aktualisierung am 2.02.2022 / Bei den
            Verlinkungen handelt es sich um Affiliate Links</p>{STORY}<p><strong>Site</strong> is
            not responsible for the opinions presented by contributors.</p></div>"#
        ));
        assert_eq!(rules, ["disclosure"; 3], "{text}");
        assert!(
            !text.contains("compensation") && !text.contains("Affiliate"),
            "{text}"
        );
        let (_, rules) = labelled(&format!(
            r#"<div id="w">{STORY}<p>Full disclosure: I own shares in the bakery, and I don't use
            affiliate links.</p></div>"#
        ));
        assert!(rules.is_empty(), "{rules:?}");
        // A linked call to sign up goes wherever it stands; a sentence about a newsletter stays.
        let (text, rules) = labelled(&format!(
            r#"<div id="w">{STORY}<p><a href="/daily">Get our Daily Edition by email and never miss
            our top stories</a> <a href="/signup">Free Sign Up</a></p>{STORY}<p>The library's
            newsletter, which residents <a href="/n">sign up</a> for at the desk, announced the
            vote.</p></div>"#
        ));
        assert_eq!(rules, ["call-to-action"], "{text}");
        assert!(text.contains("announced the vote"), "{text}");
        // A disclosure is never most of what was selected.
        let (text, _) = labelled(
            r#"<div id="w"><p>We may earn a commission when you buy through links.</p></div>"#,
        );
        assert!(text.contains("commission"), "{text}");
    }

    #[test]
    fn a_lead_in_to_another_section_goes_with_the_slides_it_introduces() {
        let slide = |i: usize| {
            format!(
                "<li><h4>Claim {i}</h4><p>What was said about the plan, and what it does.</p></li>"
            )
        };
        let slides: String = (1..=4).map(slide).collect();
        let (text, rules) = labelled(&format!(
            r#"<div id="w">{STORY}<p>Also on Example News:</p>
            <div><div>Loading</div><ul>{slides}</ul></div></div>"#
        ));
        assert_eq!(rules, ["read-more"; 2], "{text}");
        assert!(
            !text.contains("Claim") && text.contains("library open"),
            "{text}"
        );
        // A sentence that starts the same way is the article's; slides without a label stay.
        let (text, rules) = labelled(&format!(
            r#"<div id="w">{STORY}<p>Also on Tuesday, the mayor opened the new reading room:</p>
            <ul>{slides}</ul></div>"#
        ));
        assert!(
            rules.is_empty() && text.contains("Claim 4"),
            "{rules:?} {text}"
        );
    }

    #[test]
    fn a_line_saying_the_site_uses_cookies_is_a_notice() {
        let run = |body: &str| after_pass(body, remove_consent_notices).0;
        let text = run(&format!(
            r#"<div id="w"><p>Zachęcamy do regularnych odwiedzin naszej strony. Informujemy, że
            korzystamy z cookies.</p>{STORY}</div>"#
        ));
        assert!(!text.contains("cookies"), "{text}");
        // A story about cookies says more than that.
        let text = run(&format!(
            r#"<div id="w">{STORY}<p>The council's new website, which says "we use cookies" on
            every page, was built by a local firm for twelve thousand euros and has been criticised
            by residents for its slow search and its confusing menus.</p></div>"#
        ));
        assert!(text.contains("we use cookies"), "{text}");
    }

    #[test]
    fn every_disclosure_phrase_passes_the_screen() {
        for p in DISCLOSURE_PHRASES {
            assert!(DISCLOSURE_SCREEN.iter().any(|s| p.contains(s)), "{p}");
            assert_eq!(crate::text::lowercase(p), *p, "phrases are lowercase: {p}");
        }
    }

    #[test]
    fn ad_words_fit_the_length_screen() {
        for w in AD_AND_LOADING_WORDS {
            assert!(w.chars().count() <= AD_WORD_MAX_CHARS, "{w}");
        }
    }

    macro_rules! terminator {
        ($name:ident, $text:expr, $want:expr) => {
            #[test]
            fn $name() {
                assert_eq!(is_comment_terminator($text), $want);
            }
        };
    }
    terminator!(n_comments, "12 Comments", true);
    terminator!(leave_reply, "Leave a Reply", true);
    terminator!(wordpress_de, "Schreibe einen Kommentar", true);
    terminator!(wordpress_es, "Deja una respuesta", true);
    terminator!(responses_to, "3 Responses to “A post”", true);
    terminator!(poll_header_response, "Response", false);
    terminator!(
        prose_mentioning_comments,
        "Readers left many comments about this issue last week",
        false
    );

    #[test]
    fn data_table_detection() {
        let doc = crate::dom::html::parse(
            "<table id=a><tr><th>x</th><th>y</th></tr><tr><td>1</td><td>2</td></tr></table>\
             <table id=b><tr><td>only cell</td></tr></table>",
        );
        let tables: Vec<NodeId> = doc
            .descendants(doc.root())
            .filter(|&n| doc.is(n, "table"))
            .collect();
        assert!(is_data_table(&doc, tables[0]));
        assert!(!is_data_table(&doc, tables[1]));
    }

    #[test]
    fn srcset_urls_resolve() {
        let base = WebUrl::parse("https://ex.com/a/b.html").unwrap();
        assert_eq!(
            resolve_srcset("x.jpg 1x, /y.jpg 2x", &base),
            "https://ex.com/a/x.jpg 1x, https://ex.com/y.jpg 2x"
        );
    }
}
