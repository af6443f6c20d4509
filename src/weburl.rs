//! Absolute web addresses: the page's URL and the links resolved against it.
//!
//! Input: URL strings. Output: [`WebUrl`], an absolute URL serialized as the WHATWG URL Standard
//! does. Natively the `url` crate parses; in the browser the browser's own `URL` does, so the wasm
//! does not carry a second implementation of the standard with its internationalized-domain
//! tables (71 KB of the 250 KB gzip wasm it was). Must not: be used for anything but parsing and
//! joining; panic on any input.

use std::fmt;

/// An absolute URL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WebUrl(backend::Parsed);

/// A string that is not a URL (or not one relative to the given base).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct UrlError(String);

impl WebUrl {
    /// Parses an absolute URL.
    pub fn parse(input: &str) -> Result<WebUrl, UrlError> {
        backend::parse(input).map(WebUrl)
    }

    /// Resolves `input` (absolute or relative) against this URL, as a link on its page would.
    pub fn join(&self, input: &str) -> Result<WebUrl, UrlError> {
        backend::join(&self.0, input).map(WebUrl)
    }

    /// The serialized URL (a browser's `href`).
    pub fn as_str(&self) -> &str {
        backend::href(&self.0)
    }

    /// The scheme, lowercase and without its colon (`https`).
    pub fn scheme(&self) -> &str {
        let href = self.as_str();
        href.split_once(':').map_or(href, |(scheme, _)| scheme)
    }
}

impl fmt::Display for WebUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod backend {
    use super::UrlError;

    pub type Parsed = url::Url;

    pub fn parse(input: &str) -> Result<Parsed, UrlError> {
        url::Url::parse(input).map_err(|e| UrlError(e.to_string()))
    }

    pub fn join(base: &Parsed, input: &str) -> Result<Parsed, UrlError> {
        base.join(input).map_err(|e| UrlError(e.to_string()))
    }

    pub fn href(url: &Parsed) -> &str {
        url.as_str()
    }
}

/// The browser's `URL`: the same standard as the `url` crate, already in the browser.
#[cfg(target_arch = "wasm32")]
mod backend {
    use super::UrlError;

    /// The serialized URL; the browser object is not kept (a `Document` holds thousands of links).
    pub type Parsed = String;

    fn failed(input: &str) -> UrlError {
        UrlError(format!("the browser's URL parser rejects {input:?}"))
    }

    pub fn parse(input: &str) -> Result<Parsed, UrlError> {
        web_sys::Url::new(input)
            .map(|u| u.href())
            .map_err(|_| failed(input))
    }

    pub fn join(base: &Parsed, input: &str) -> Result<Parsed, UrlError> {
        web_sys::Url::new_with_base(input, base)
            .map(|u| u.href())
            .map_err(|_| failed(input))
    }

    pub fn href(url: &Parsed) -> &str {
        url
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_relative_links_and_keeps_absolute_ones() {
        let page = WebUrl::parse("https://news.example/a/b.html?x=1").unwrap();
        for (link, want) in [
            ("c.png", "https://news.example/a/c.png"),
            ("/d", "https://news.example/d"),
            ("../e", "https://news.example/e"),
            ("//cdn.example/f", "https://cdn.example/f"),
            ("?y=2", "https://news.example/a/b.html?y=2"),
            ("HTTP://Other.Example", "http://other.example/"),
        ] {
            assert_eq!(page.join(link).unwrap().as_str(), want, "{link}");
        }
    }

    #[test]
    fn scheme_is_lowercase_without_colon() {
        assert_eq!(
            WebUrl::parse("HTTPS://x.example/").unwrap().scheme(),
            "https"
        );
        assert_eq!(
            WebUrl::parse("javascript:alert(1)").unwrap().scheme(),
            "javascript"
        );
        assert_eq!(
            WebUrl::parse("data:text/plain,a:b").unwrap().scheme(),
            "data"
        );
    }

    #[test]
    fn junk_is_an_error_not_a_panic() {
        assert!(WebUrl::parse("not a url").is_err());
        assert!(WebUrl::parse("").is_err());
        assert!(WebUrl::parse("http://[::1").is_err());
        let page = WebUrl::parse("https://news.example/").unwrap();
        assert!(page.join("http://[::1").is_err());
        assert!(!WebUrl::parse("/relative")
            .unwrap_err()
            .to_string()
            .is_empty());
    }
}
