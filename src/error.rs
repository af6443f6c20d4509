//! Errors the pipeline reports instead of panicking.

/// Why [`crate::extract`] returned no article.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ExtractError {
    /// No block reached the minimum article score; the page is probably not an article.
    #[error("no readable article found")]
    NoArticle,
    /// The document exceeds `Options::max_nodes`; we refuse rather than stall the tab.
    #[error("document has {found} nodes, limit is {limit}")]
    TooLarge {
        /// Nodes in the document.
        found: usize,
        /// The configured limit.
        limit: usize,
    },
    /// `Options::base_url` could not be parsed, so links cannot be made absolute.
    #[error("invalid base URL: {0}")]
    BaseUrl(#[from] crate::weburl::UrlError),
}

impl ExtractError {
    /// A stable name for the error kind, for callers that must tell kinds apart without reading
    /// messages (the wasm exports throw JavaScript errors with this `name`).
    pub fn code(&self) -> &'static str {
        match self {
            ExtractError::NoArticle => "NoArticle",
            ExtractError::TooLarge { .. } => "TooLarge",
            ExtractError::BaseUrl(_) => "BaseUrl",
        }
    }
}

/// An output format name that is not one of `text`, `markdown`, `html`, `json`.
#[derive(Debug, thiserror::Error)]
#[error("unknown format {0:?}: expected text, markdown, html or json")]
pub struct FormatError(pub String);
