//! Renderers: an [`Article`] in, a `String` out.
//!
//! Input: the article with its cleaned content tree. Output: plain text, Markdown, sanitized
//! HTML or JSON. Must not: emit anything from the page that could run (scripts, event
//! handlers, `javascript:` URLs, styles); recurse.

pub mod html;
pub mod json;
pub mod markdown;
pub mod text;

use std::str::FromStr;

use crate::article::Article;
use crate::error::FormatError;

/// An output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Plain text: title, then blocks separated by blank lines.
    Text,
    /// Markdown (GFM tables, fenced code).
    Markdown,
    /// Sanitized article HTML.
    Html,
    /// One JSON object with metadata and all three renderings.
    Json,
}

impl FromStr for Format {
    type Err = FormatError;
    fn from_str(s: &str) -> Result<Self, FormatError> {
        match s.trim().to_ascii_lowercase().as_str() {
            "text" | "txt" => Ok(Format::Text),
            "markdown" | "md" => Ok(Format::Markdown),
            "html" => Ok(Format::Html),
            "json" => Ok(Format::Json),
            other => Err(FormatError(other.to_string())),
        }
    }
}

/// Renders `article` in `format`.
pub fn render(article: &Article, format: Format) -> String {
    match format {
        Format::Text => text::render(article),
        Format::Markdown => markdown::render(article),
        Format::Html => html::render(article),
        Format::Json => json::render(article),
    }
}

/// Whether a URL is safe to put in `href`: web, mail or in-page links only. A relative URL is
/// kept only as a path: a network-path reference (`//host/…`, or with backslashes, which browsers
/// read as slashes) would point at another host — or, in a copy opened from disk, at a file share.
pub fn is_safe_link(url: &str) -> bool {
    let u = url.trim().to_ascii_lowercase();
    if u.starts_with("//") || u.starts_with('\\') || u.starts_with("/\\") {
        return false;
    }
    let scheme_end = u.find(':');
    let first_delim = u.find(['/', '?', '#']);
    match (scheme_end, first_delim) {
        (Some(c), Some(d)) if d < c => true, // relative URL with a colon later on
        (Some(_), _) => {
            u.starts_with("http:") || u.starts_with("https:") || u.starts_with("mailto:")
        }
        (None, _) => true,
    }
}

/// Whether a URL is safe as an image source: web URLs, or raster `data:image/*`.
pub fn is_safe_image(url: &str) -> bool {
    let u = url.trim().to_ascii_lowercase();
    if u.starts_with("data:") {
        return u.starts_with("data:image/") && !u.starts_with("data:image/svg");
    }
    is_safe_link(&u) && !u.starts_with("mailto:")
}

#[cfg(test)]
mod tests {
    use super::*;

    macro_rules! link {
        ($name:ident, $url:expr, $want:expr) => {
            #[test]
            fn $name() {
                assert_eq!(is_safe_link($url), $want);
            }
        };
    }
    link!(https_ok, "https://a.b/c", true);
    link!(relative_ok, "/a/b:c", true);
    link!(fragment_ok, "#fn1", true);
    link!(javascript_refused, "javascript:alert(1)", false);
    link!(javascript_mixed_case_refused, " JavaScript:alert(1)", false);
    link!(data_refused, "data:text/html,x", false);
    link!(network_path_refused, "//evil.example/share", false);
    link!(backslash_share_refused, "\\\\host\\share", false);
    link!(mixed_slashes_refused, "/\\host/share", false);

    #[test]
    fn images_allow_raster_data_only() {
        assert!(is_safe_image("data:image/png;base64,AAA"));
        assert!(!is_safe_image("data:image/svg+xml,<svg onload=x>"));
        assert!(!is_safe_image("javascript:x"));
    }

    #[test]
    fn format_names_parse() {
        assert_eq!("md".parse::<Format>().unwrap(), Format::Markdown);
        assert!("pdf".parse::<Format>().is_err());
    }
}
