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
//! assert_eq!(article.title, "A day at the sea");
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
#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use article::{Article, Removal, Removed};
pub use error::{ExtractError, FormatError};

use cleanup::Cleaning;
use dom::{Document, NodeId};
use prepare::Pass;
use url::Url;

/// Default for [`Options::max_nodes`]: far above any real article page (the corpora peak near
/// 60,000), low enough that a hostile page cannot stall a tab.
pub const DEFAULT_MAX_NODES: usize = 2_000_000;

/// A first pass shorter than this (chars) is retried without class-name stripping.
const RETRY_BELOW_CHARS: usize = 120;

/// An article needs at least this many words; below it the page has no article.
const MIN_ARTICLE_WORDS: usize = 1;

/// Extraction options.
#[derive(Clone, Debug)]
pub struct Options {
    /// The page's URL, for resolving relative links and images.
    pub base_url: Option<Url>,
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
            Some(Url::parse(url.trim())?)
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
    let meta = metadata::read_page(doc, opts.base_url.as_ref());
    let prose = safety::ProseMass::measure(doc, &meta.title);
    let mut removed = Removed::keeping(opts.removal_text_chars);
    let paywall = if opts.paywall {
        paywall::strip_prompts(doc, &prose, &mut removed)
    } else {
        paywall::PaywallReport::default()
    };
    // The strict pass changes the page; the journal lets the lenient retry start from the same
    // page without copying it up front (most pages never retry).
    let pristine = doc.checkpoint();
    let removed_before = removed.clone();
    let first = select_article(doc, opts, Pass::Strict, &meta, &prose, &mut removed);
    let content = match first {
        Some(c) if text_chars(&c) >= RETRY_BELOW_CHARS => {
            doc.commit(pristine);
            c
        }
        first => {
            doc.rollback(pristine);
            let mut second_removed = removed_before;
            let second =
                select_article(doc, opts, Pass::Lenient, &meta, &prose, &mut second_removed);
            match (first, second) {
                (Some(f), Some(s)) if text_chars(&s) <= text_chars(&f) => f,
                (_, Some(s)) => {
                    removed = second_removed;
                    s
                }
                (Some(f), None) => f,
                (None, None) => return Err(ExtractError::NoArticle),
            }
        }
    };
    let words = article::count_words(&content.text_content(content.root()));
    if words < MIN_ARTICLE_WORDS || is_link_list(&content) {
        return Err(ExtractError::NoArticle);
    }
    let truncated = paywall::judge_truncation(&paywall, &meta, words);
    let excerpt = meta
        .excerpt
        .clone()
        .or_else(|| metadata::first_paragraph(&content));
    let lead_image = meta.lead_image.clone().or_else(|| first_image(&content));
    Ok(Article {
        title: meta.title,
        byline: meta.byline,
        site_name: meta.site_name,
        published: meta.published,
        excerpt,
        lead_image,
        lang: meta.lang,
        dir: meta.dir,
        url: opts.base_url.as_ref().map(Url::to_string),
        content,
        word_count: words,
        reading_minutes: article::reading_minutes(words),
        truncated,
        removed: removed.items,
    })
}

/// One pass: prepare, score, select, clean. `None` when nothing scored.
fn select_article(
    doc: &mut Document,
    opts: &Options,
    pass: Pass,
    meta: &metadata::PageMeta,
    prose: &safety::ProseMass,
    removed: &mut Removed,
) -> Option<Document> {
    prepare::strip_noise(doc, pass, opts.max_depth, prose, removed);
    let body = doc.body();
    let stats = signals::TextStats::compute(doc, body);
    let scores = score::score_blocks(doc, body, &stats);
    let wrapper = select::best_candidate(doc, body, &scores, &stats)?;
    Some(tidy_safely(doc, wrapper, meta, removed))
}

/// A cleanup that keeps less than this share of the chosen container's running prose is
/// redone gently (trafilatura keeps its boilerplate list only above 1/7; we ask for more, since
/// here every rule counts: fixture `widget-named-paragraphs`).
const MIN_CLEANUP_KEPT_SHARE: f32 = 0.5;

/// Cleans the chosen container; when the cleanup would take most of its running prose, the
/// cut is undone and redone with class and id names removing nothing by themselves.
fn tidy_safely(
    doc: &mut Document,
    wrapper: NodeId,
    meta: &metadata::PageMeta,
    removed: &mut Removed,
) -> Document {
    let before = safety::ProseMass::measure_subtree(doc, wrapper).running_total(wrapper);
    let records = removed.items.len();
    let cp = doc.checkpoint();
    let base = meta.base.as_ref();
    let full = cleanup::tidy(doc, wrapper, &meta.title, base, Cleaning::Full, removed);
    let after = safety::ProseMass::measure_subtree(&full, full.root()).running_total(full.root());
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
    cleanup::tidy(doc, wrapper, &meta.title, base, Cleaning::Gentle, removed)
}

/// Above this share of link text, the "article" is a list of links (a home or section page).
const MAX_ARTICLE_LINK_DENSITY: f32 = 0.85;

fn is_link_list(content: &Document) -> bool {
    let stats = signals::TextStats::compute(content, content.root());
    stats.link_density(content.root()) > MAX_ARTICLE_LINK_DENSITY
}

fn text_chars(doc: &Document) -> usize {
    signals::collapsed_len(&doc.text_content(doc.root()))
}

fn first_image(doc: &Document) -> Option<String> {
    let img: NodeId = doc.descendants(doc.root()).find(|&n| doc.is(n, "img"))?;
    doc.attr(img, "src").map(str::to_string)
}
