//! Lucid's engine: turns an article page into a clean [`Article`].
//!
//! ```
//! let html = "<html><head><title>A day at the sea | Blog</title></head><body>\
//!   <nav><a href='/'>Home</a></nav><article><h1>A day at the sea</h1>\
//!   <p>We walked along the shore for hours, collecting shells, talking, and watching the tide.</p>\
//!   <p>Later, the wind picked up, so we found a small cafe and ordered soup and bread.</p>\
//!   </article></body></html>";
//! let mut doc = lucid::dom::html::parse(html);
//! let article = lucid::extract(&mut doc, &lucid::Options::default()).unwrap();
//! assert_eq!(article.meta.title, "A day at the sea");
//! let text = lucid::render::render(&article, lucid::render::Format::Text);
//! assert!(text.contains("collecting shells") && !text.contains("Home"));
//! ```
#![deny(unsafe_code)]
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]
#![warn(missing_docs)]

pub mod article;
pub mod cleanup;
pub mod dom;
pub mod error;
pub mod metadata;
pub mod paywall;
pub mod prepare;
pub mod render;
pub mod safety;
pub mod score;
pub mod select;
pub mod signals;
pub mod text;
#[cfg(target_arch = "wasm32")]
pub mod wasm;
pub mod weburl;

pub use article::{Article, Removal, Removed};
pub use error::{ExtractError, FormatError};

use cleanup::Cleaning;
use dom::{Document, NodeId};
use prepare::Pass;
use weburl::WebUrl;

/// Default for [`Options::max_nodes`]: far above any real article page (the corpora peak near
/// 60,000), low enough that a hostile page cannot stall a tab.
pub const DEFAULT_MAX_NODES: usize = 2_000_000;

/// An article needs at least this many words; below it the page has no article.
const MIN_ARTICLE_WORDS: usize = 1;

/// Extraction options.
#[derive(Clone, Debug)]
pub struct Options {
    /// The page's URL, for resolving relative links and images.
    pub base_url: Option<WebUrl>,
    /// Refuse documents with more nodes than this.
    pub max_nodes: usize,
    /// Flatten elements nested deeper than this.
    pub max_depth: usize,
    /// Run the paywall stage (off only to measure what it changes).
    pub paywall: bool,
    /// How many characters of each removed block's text [`Article::removed`] keeps.
    pub removal_text_chars: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            base_url: None,
            max_nodes: DEFAULT_MAX_NODES,
            max_depth: prepare::DEFAULT_MAX_DEPTH,
            paywall: true,
            removal_text_chars: article::REMOVAL_TEXT_CHARS,
        }
    }
}

impl Options {
    /// Options for a page at `url` (empty: unknown).
    pub fn for_url(url: &str) -> Result<Options, ExtractError> {
        let base_url = if url.trim().is_empty() {
            None
        } else {
            Some(WebUrl::parse(url.trim())?)
        };
        Ok(Options {
            base_url,
            ..Options::default()
        })
    }
}

fn check_limits(doc: &Document, opts: &Options) -> Result<(), ExtractError> {
    if doc.len() > opts.max_nodes {
        return Err(ExtractError::TooLarge {
            found: doc.len(),
            limit: opts.max_nodes,
        });
    }
    Ok(())
}

/// Runs the whole pipeline on a document the caller owns (it is modified).
pub fn extract(doc: &mut Document, opts: &Options) -> Result<Article, ExtractError> {
    check_limits(doc, opts)?;
    let page = metadata::read_page(doc, opts.base_url.as_ref());
    let prose = safety::ProseMass::measure(doc, &page.meta.title);
    let mut removed = Removed::keeping(opts.removal_text_chars);
    let paywall = if opts.paywall {
        paywall::strip_prompts(doc, &prose, &mut removed)
    } else {
        paywall::PaywallReport::default()
    };
    let (content, taken, words) = extract_body(doc, opts, &page, &prose, removed)?;
    removed = taken;
    let truncated = paywall::judge_truncation(&paywall, &page, words);
    let mut meta = page.meta;
    meta.excerpt = meta.excerpt.or_else(|| metadata::first_paragraph(&content));
    meta.lead_image = meta
        .lead_image
        .or_else(|| first_image(&content).filter(|u| render::is_safe_image(u)));
    Ok(Article {
        meta,
        url: opts.base_url.as_ref().map(WebUrl::to_string),
        content,
        word_count: words,
        reading_minutes: article::reading_minutes(words),
        truncated,
        removed: removed.items,
    })
}

/// The passes the safety net tries, in order, each only when the results so far are doubted.
const PASSES: [Pass; 3] = [Pass::Strict, Pass::Lenient, Pass::Rescue];

/// One pass's result and what the safety net thinks of it.
struct Attempt {
    content: Document,
    removed: Removed,
    judged: safety::Assessment,
    pass: Pass,
}

impl Attempt {
    /// Better than `other`: doubted less (a consent notice or a link list is never an article),
    /// else longer when both are near empty; otherwise the earlier, stricter pass stands.
    fn beats(&self, other: &Attempt) -> bool {
        match self.judged.rank().cmp(&other.judged.rank()) {
            std::cmp::Ordering::Equal => {
                other.judged.short && self.judged.chars > other.judged.chars
            }
            order => order.is_gt(),
        }
    }
}

/// The article body: the strict pass, and when the safety net doubts it, more lenient passes
/// from the same page (rolled back through the journal, not copied); the best result wins and
/// the decision is recorded. Returns the body, the removals and the body's word count.
fn extract_body(
    doc: &mut Document,
    opts: &Options,
    page: &metadata::PageMeta,
    prose: &safety::ProseMass,
    removed: Removed,
) -> Result<(Document, Removed, usize), ExtractError> {
    let mut best: Option<Attempt> = None;
    let mut doubts = Vec::new();
    for pass in PASSES {
        // Readmitting comment threads is only worth it to recover a known story start, or
        // when the result is near empty beside a "comment" feed that names no readers (a live
        // ticker's entries).
        if pass == Pass::Rescue
            && !prose.knows_lead()
            && !(best.as_ref().is_none_or(|b| b.judged.short) && safety::holds_uncredited_feed(doc))
        {
            break;
        }
        let start = doc.checkpoint();
        let mut taken = removed.clone();
        let (content, noise) = select_article(doc, opts, pass, page, prose, &mut taken);
        let attempt = content.map(|content| {
            let text = content.text_content(content.root());
            Attempt {
                judged: prose.assess(&content, &text, is_link_list(&content), &noise),
                content,
                removed: taken,
                pass,
            }
        });
        if attempt.as_ref().is_some_and(|a| a.judged.doubt().is_none()) {
            doc.commit(start);
        } else {
            doc.rollback(start);
        }
        if let Some(a) = attempt {
            if let Some(d) = a.judged.doubt() {
                doubts.push(d);
            }
            if best.as_ref().is_none_or(|b| a.beats(b)) {
                best = Some(a);
            }
        }
        if best.as_ref().is_some_and(|b| b.judged.doubt().is_none()) {
            break;
        }
    }
    let Some(best) = best.filter(|b| b.judged.never_an_article.is_none()) else {
        return paragraphs_fallback(doc, prose, removed, &doubts);
    };
    let mut taken = best.removed;
    if best.pass != Pass::Strict {
        let why: Vec<&str> = doubts.iter().map(|d| d.describe()).collect();
        taken.note(
            article::SPARED_RULE,
            &format!(
                "the first result was set aside ({}); a more lenient pass ({:?}) is shown",
                why.first().copied().unwrap_or("it was missing"),
                best.pass
            ),
            "",
        );
    }
    let words = words_in(&best.content);
    if words < MIN_ARTICLE_WORDS {
        // Every pass chose a block that cleanup left empty: the page's paragraphs,
        // when it has them, rather than "no article".
        return paragraphs_fallback(doc, prose, removed, &doubts);
    }
    Ok((best.content, taken, words))
}

/// No pass found a container: the page's prose paragraphs, when there are enough of them.
fn paragraphs_fallback(
    doc: &Document,
    prose: &safety::ProseMass,
    mut removed: Removed,
    doubts: &[safety::Doubt],
) -> Result<(Document, Removed, usize), ExtractError> {
    let content = prose.paragraphs(doc).ok_or(ExtractError::NoArticle)?;
    let words = words_in(&content);
    if is_link_list(&content) || words < MIN_ARTICLE_WORDS {
        return Err(ExtractError::NoArticle);
    }
    let why = doubts
        .first()
        .map_or("no container held it", |d| d.describe());
    removed.note(
        article::SPARED_RULE,
        &format!("no pass found the article ({why}); the page's paragraphs are shown"),
        "",
    );
    Ok((content, removed, words))
}

fn words_in(content: &Document) -> usize {
    article::count_words(&content.text_content(content.root()))
}

/// One pass: prepare, score, select, clean (`None` when nothing scored), and what prepare
/// removed that a later pass would keep.
fn select_article(
    doc: &mut Document,
    opts: &Options,
    pass: Pass,
    page: &metadata::PageMeta,
    prose: &safety::ProseMass,
    removed: &mut Removed,
) -> (Option<Document>, prepare::NoiseReport) {
    let noise = prepare::strip_noise(doc, pass, opts.max_depth, prose, removed);
    let body = doc.body();
    let stats = signals::TextStats::compute(doc, body);
    let mut scores = score::score_blocks(doc, body, &stats);
    scores.forgive_names(doc, &stats, |id| prose.protects(doc, id));
    let Some(choice) = select::best_candidate(doc, body, &scores, &stats, prose) else {
        return (None, noise);
    };
    select::record_unselected(doc, body, &stats, removed);
    let content = tidy_safely(doc, choice, page, &stats, removed);
    (Some(content), noise)
}

/// A cleanup that keeps less than this share of the chosen container's running prose is
/// redone gently (trafilatura keeps its boilerplate list only above 1/7; we ask for more, since
/// here every rule counts: fixture `widget-named-paragraphs`).
const MIN_CLEANUP_KEPT_SHARE: f32 = 0.5;

/// Cleans the chosen container; when the cleanup would take most of its running prose, the
/// cut is undone and redone with class and id names removing nothing by themselves.
fn tidy_safely(
    doc: &mut Document,
    choice: select::Choice,
    page: &metadata::PageMeta,
    stats: &signals::TextStats,
    removed: &mut Removed,
) -> Document {
    let wrapper = choice.wrapper;
    // The chosen blocks were measured where they stood; the wrapper is new, so sum them here.
    let before = safety::ProseMass::with_stats(doc, wrapper, stats).running(wrapper);
    let records = removed.items.len();
    let cp = doc.checkpoint();
    let base = page.base.as_ref();
    let full = cleanup::tidy(
        doc,
        wrapper,
        &page.meta.title,
        base,
        Cleaning::Full,
        choice.shape,
        removed,
    );
    let after = safety::ProseMass::measure_subtree(&full, full.root()).running(full.root());
    if before < safety::MIN_GUARDED_PROSE || after as f32 >= before as f32 * MIN_CLEANUP_KEPT_SHARE
    {
        doc.commit(cp);
        return full;
    }
    doc.rollback(cp);
    removed.items.truncate(records);
    removed.note(
        article::SPARED_RULE,
        &format!(
            "kept: cleanup by class names would have removed {}% of the article's running text",
            100 - after * 100 / before.max(1)
        ),
        "",
    );
    cleanup::tidy(
        doc,
        wrapper,
        &page.meta.title,
        base,
        Cleaning::Gentle,
        choice.shape,
        removed,
    )
}

/// Above this share of link text, the "article" is a list of links (a home or section page).
const MAX_ARTICLE_LINK_DENSITY: f32 = 0.85;

fn is_link_list(content: &Document) -> bool {
    let stats = signals::TextStats::compute(content, content.root());
    stats.link_density(content.root()) > MAX_ARTICLE_LINK_DENSITY
}

fn first_image(doc: &Document) -> Option<String> {
    let img: NodeId = doc.descendants(doc.root()).find(|&n| doc.is(n, "img"))?;
    doc.attr(img, "src").map(str::to_string)
}
