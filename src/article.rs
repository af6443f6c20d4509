//! The extracted article and the record of what was removed.

use crate::dom::{Document, NodeId};
use crate::text::{chars_capped, normalize_space};

/// How much of a removed block's text is kept in its [`Removal`] record.
pub const REMOVAL_TEXT_CHARS: usize = 160;

/// The rule name of a record that says a block was kept against a rule (see [`Removed::spare`]).
pub const SPARED_RULE: &str = "safety";

/// One thing the pipeline dropped, and the rule that took it.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Removal {
    /// Short rule name, e.g. `comments`, `paywall:piano-modal`.
    pub rule: String,
    /// Why the rule exists, in words a reader understands.
    pub reason: String,
    /// The start of the removed text (may be empty for images or widgets).
    pub text: String,
    /// Characters of text the removed block held (whitespace collapsed), clipped or not.
    pub chars: usize,
}

/// What went, in the order it went.
#[derive(Clone, Debug)]
pub struct Removed {
    /// The records.
    pub items: Vec<Removal>,
    /// How much of each removed block's text a record keeps.
    text_limit: usize,
}

impl Default for Removed {
    fn default() -> Self {
        Removed::keeping(REMOVAL_TEXT_CHARS)
    }
}

impl Removed {
    /// An empty record whose entries keep up to `text_limit` characters of text (the eval tool
    /// keeps whole blocks, to find the rule that took a missing passage).
    pub fn keeping(text_limit: usize) -> Removed {
        Removed {
            items: Vec::new(),
            text_limit,
        }
    }

    /// Records that `id`'s subtree was dropped by `rule`.
    pub fn record(&mut self, doc: &Document, id: NodeId, rule: &str, reason: &str) {
        let mut text = String::new();
        for n in doc.descendants(id) {
            if let Some(t) = doc.text(n) {
                text.push_str(t);
                text.push(' ');
                if text.len() > self.text_limit.saturating_mul(4) {
                    break;
                }
            }
        }
        let text = normalize_space(&text);
        if text.is_empty() && !doc.descendants(id).any(|n| doc.is(n, "img")) {
            return; // nothing a reader would miss
        }
        self.items.push(Removal {
            rule: rule.into(),
            reason: reason.into(),
            chars: chars_capped(doc, id, usize::MAX),
            text: clip(&text, self.text_limit),
        });
    }

    /// Records that `rule` wanted `id`'s subtree but it stayed: it holds most of the page's
    /// prose (see [`crate::safety::ProseMass::protects`]).
    pub fn spare(&mut self, doc: &Document, id: NodeId, rule: &str) {
        let before = self.items.len();
        self.record(doc, id, SPARED_RULE, "");
        if let Some(r) = self.items.get_mut(before) {
            r.reason =
                format!("kept: \u{201c}{rule}\u{201d} would have removed most of the page's text");
        }
    }

    /// Records a removal that is not a subtree (e.g. a lifted scroll lock).
    pub fn note(&mut self, rule: &str, reason: &str, text: &str) {
        self.items.push(Removal {
            rule: rule.into(),
            reason: reason.into(),
            chars: text.chars().count(),
            text: clip(text, self.text_limit),
        });
    }
}

fn clip(text: &str, limit: usize) -> String {
    if text.chars().count() <= limit {
        return text.to_string();
    }
    let mut s: String = text.chars().take(limit).collect();
    s.push('…');
    s
}

/// What is known about an article besides its body: read from the page's metadata and markup
/// ([`crate::metadata::read_page`]), then completed from the body (an excerpt, a lead image).
#[derive(Clone, Debug, Default)]
pub struct Meta {
    /// Headline.
    pub title: String,
    /// Author line, when found.
    pub byline: Option<String>,
    /// Publication or site name.
    pub site_name: Option<String>,
    /// Publication date as the page states it (ISO 8601 when the page gives it so).
    pub published: Option<String>,
    /// Short summary.
    pub excerpt: Option<String>,
    /// Absolute URL of the lead image.
    pub lead_image: Option<String>,
    /// Language tag from the page.
    pub lang: Option<String>,
    /// Text direction: `ltr` or `rtl`.
    pub dir: Option<String>,
}

/// The article as the reader view shows it.
#[derive(Clone, Debug)]
pub struct Article {
    /// Title, byline, site, date, excerpt, lead image, language and direction.
    pub meta: Meta,
    /// The page URL, when known.
    pub url: Option<String>,
    /// The cleaned article body: the root's children are the article's blocks.
    pub content: Document,
    /// Words in the body (CJK characters count as words).
    pub word_count: usize,
    /// Estimated reading time in minutes (at least 1).
    pub reading_minutes: usize,
    /// Why we think the page delivered only part of the article, if we do.
    pub truncated: Option<String>,
    /// What the pipeline removed, and why.
    pub removed: Vec<Removal>,
}

/// Reading speed for alphabetic scripts, words per minute.
const WORDS_PER_MINUTE: usize = 230;

/// Counts words: whitespace-separated runs, with each CJK character counted on its own
/// (those scripts do not separate words with spaces).
pub fn count_words(text: &str) -> usize {
    let mut words = 0;
    let mut in_word = false;
    for c in text.chars() {
        // ASCII first: `char::is_whitespace` and `is_alphanumeric` agree with these there.
        let (word_char, space) = if c.is_ascii() {
            (
                c.is_ascii_alphanumeric(),
                crate::text::is_ascii_space(c as u8),
            )
        } else if is_cjk(c) {
            words += 1;
            in_word = false;
            continue;
        } else {
            (c.is_alphanumeric(), c.is_whitespace())
        };
        if word_char {
            words += usize::from(!in_word);
            in_word = true;
        } else if space {
            in_word = false;
        }
    }
    words
}

/// Ideographs and kana: each is roughly a word's worth of reading.
fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF)
}

/// Reading minutes for a word count, never zero.
pub fn reading_minutes(words: usize) -> usize {
    words.div_ceil(WORDS_PER_MINUTE).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_latin_and_cjk_words() {
        assert_eq!(count_words("Hello, big world."), 3);
        assert_eq!(count_words("日本語です"), 5);
        assert_eq!(count_words("don't stop"), 2);
        // The ASCII path splits on the same whitespace as the general one.
        assert_eq!(count_words("a\x0bb\x0cc\rd-e"), 4);
        assert_eq!(count_words("a\x0bb\x0cc\rd-e\u{e9}"), 4);
    }

    #[test]
    fn reading_time_rounds_up() {
        assert_eq!(reading_minutes(0), 1);
        assert_eq!(reading_minutes(231), 2);
    }
}
