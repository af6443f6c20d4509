//! Plain text: one block per paragraph, heading, list item or
//! table row, separated by blank lines; table cells by tabs; `<pre>` kept verbatim (the
//! writer is [`crate::text::block_text`], which the stages use too).

use crate::article::Article;

/// Renders the article's body as plain text. The title is not repeated here (it is the
/// article's `title`, and the HTML body leaves it out too), as in Readability.js's and
/// dom_smoothie's text; Markdown and saved text files put it on top. Scored both ways: the
/// readability corpus (references without titles) 0.961 with it, 0.974 without; dragnet
/// (references mostly with titles) 0.937 with, 0.931 without.
pub fn render(article: &Article) -> String {
    // The byline is left to the other formats: metadata bylines ("Jane Roe, Staff Writer") rarely
    // match the page's visible author line, and repeating it costs precision (dragnet: -0.005 F1).
    crate::text::block_text(&article.content, article.content.root())
}
