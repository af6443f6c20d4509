//! The article as Lucid hands it out, in one shape: [`ArticleView`] is both the CLI's
//! `--format json` and what the wasm exports return to JavaScript (plus timings there). Field
//! names are camelCase; `version` is [`JSON_VERSION`].

use serde::Serialize;

use super::Format;
use crate::article::{Article, Removal};

/// The JSON contract's version: raised when a field changes meaning or goes away (new fields do
/// not raise it).
pub const JSON_VERSION: u32 = 1;

/// Metadata, the requested renderings and the removal record of one article (fields as in
/// [`Article`]; built by [`ArticleView::new`]).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ArticleView<'a> {
    version: u32,
    title: &'a str,
    byline: Option<&'a str>,
    site_name: Option<&'a str>,
    published: Option<&'a str>,
    excerpt: Option<&'a str>,
    lead_image: Option<&'a str>,
    lang: Option<&'a str>,
    dir: Option<&'a str>,
    url: Option<&'a str>,
    /// Renderings: present when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    text: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    html: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    markdown: Option<String>,
    word_count: usize,
    reading_minutes: usize,
    truncated: bool,
    truncated_reason: Option<&'a str>,
    removed: &'a [Removal],
}

impl<'a> ArticleView<'a> {
    /// The view of `article` with the renderings `wants` asks for.
    pub fn new(article: &'a Article, wants: impl Fn(Format) -> bool) -> Self {
        let rendering = |f: Format| wants(f).then(|| super::render(article, f));
        ArticleView {
            version: JSON_VERSION,
            title: &article.meta.title,
            byline: article.meta.byline.as_deref(),
            site_name: article.meta.site_name.as_deref(),
            published: article.meta.published.as_deref(),
            excerpt: article.meta.excerpt.as_deref(),
            lead_image: article.meta.lead_image.as_deref(),
            lang: article.meta.lang.as_deref(),
            dir: article.meta.dir.as_deref(),
            url: article.url.as_deref(),
            text: rendering(Format::Text),
            html: rendering(Format::Html),
            markdown: rendering(Format::Markdown),
            word_count: article.word_count,
            reading_minutes: article.reading_minutes,
            truncated: article.truncated.is_some(),
            truncated_reason: article.truncated.as_deref(),
            removed: &article.removed,
        }
    }
}

/// Renders the article as a JSON object with all three renderings.
pub fn render(article: &Article) -> String {
    let view = ArticleView::new(article, |_| true);
    // NOTE: serializing plain strings, numbers and bools cannot fail.
    serde_json::to_string_pretty(&view).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
}
