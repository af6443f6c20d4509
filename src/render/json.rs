//! JSON: one object with the metadata, the three renderings and the removal record.

use serde::Serialize;

use crate::article::{Article, Removal};

#[derive(Serialize)]
struct ArticleJson<'a> {
    title: &'a str,
    byline: Option<&'a str>,
    site_name: Option<&'a str>,
    published: Option<&'a str>,
    excerpt: Option<&'a str>,
    lead_image: Option<&'a str>,
    lang: Option<&'a str>,
    dir: Option<&'a str>,
    url: Option<&'a str>,
    text: String,
    html: String,
    markdown: String,
    word_count: usize,
    reading_minutes: usize,
    truncated: bool,
    truncated_reason: Option<&'a str>,
    removed: &'a [Removal],
}

/// Renders the article as a JSON object.
pub fn render(article: &Article) -> String {
    let j = ArticleJson {
        title: &article.title,
        byline: article.byline.as_deref(),
        site_name: article.site_name.as_deref(),
        published: article.published.as_deref(),
        excerpt: article.excerpt.as_deref(),
        lead_image: article.lead_image.as_deref(),
        lang: article.lang.as_deref(),
        dir: article.dir.as_deref(),
        url: article.url.as_deref(),
        text: super::text::render(article),
        html: super::html::render(article),
        markdown: super::markdown::render(article),
        word_count: article.word_count,
        reading_minutes: article.reading_minutes,
        truncated: article.truncated.is_some(),
        truncated_reason: article.truncated.as_deref(),
        removed: &article.removed,
    };
    // NOTE: serializing plain strings, numbers and bools cannot fail.
    serde_json::to_string_pretty(&j).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
}
