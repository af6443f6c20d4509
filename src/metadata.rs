//! Metadata: title, byline, site, date, excerpt, lead image, language and direction.
//!
//! Input: the whole document before any stage strips it (JSON-LD scripts and `<head>` meta tags
//! are gone afterwards), then the cleaned article for fallbacks. Output: [`PageMeta`]. Sources,
//! best first: JSON-LD, OpenGraph/Twitter/Dublin Core/Parse.ly meta tags, then the DOM. JSON-LD is
//! read for metadata and as a signal (paywall flags, word counts); its `articleBody` is never
//! presented as text. Must not: mutate the document; fail on junk JSON.

use serde_json::Value;

use crate::article::Meta;
use crate::dom::{Document, NodeId};
use crate::signals::text_similarity;
use crate::text::{inner_text, normalize_space};
use crate::weburl::WebUrl;

/// schema.org types that describe an article.
const ARTICLE_TYPES: &[&str] = &[
    "Article",
    "AdvertiserContentArticle",
    "NewsArticle",
    "AnalysisNewsArticle",
    "AskPublicNewsArticle",
    "BackgroundNewsArticle",
    "OpinionNewsArticle",
    "ReportageNewsArticle",
    "ReviewNewsArticle",
    "Report",
    "SatiricalArticle",
    "ScholarlyArticle",
    "MedicalScholarlyArticle",
    "SocialMediaPosting",
    "BlogPosting",
    "LiveBlogPosting",
    "DiscussionForumPosting",
    "TechArticle",
    "APIReference",
    "WebPage",
];

/// Title separators between headline and site name.
const TITLE_SEPARATORS: &[&str] = &[
    " | ", " - ", " – ", " — ", " \\ ", " / ", " > ", " » ", " :: ", " · ",
];

/// A byline longer than this is a paragraph, not an author line.
const MAX_BYLINE_CHARS: usize = 100;

/// Facts about the page, gathered before extraction.
#[derive(Clone, Debug, Default)]
pub struct PageMeta {
    /// The article's metadata as the page states it.
    pub meta: Meta,
    /// Base URL for relative links.
    pub base: Option<WebUrl>,
    /// JSON-LD says `isAccessibleForFree: false`, or `article:content_tier` is `locked`/`metered`.
    pub marked_paid: bool,
    /// Word count the publisher declares (JSON-LD `wordCount`, or words of its `articleBody`).
    pub declared_words: Option<usize>,
}

/// `<meta>` keys read for each field, in order of preference (after JSON-LD's own fields).
const TITLE_KEYS: &[&str] = &[
    "og:title",
    "dc:title",
    "dcterm:title",
    "twitter:title",
    "parsely-title",
    "title",
    "sailthru.title",
];
const SITE_NAME_KEYS: &[&str] = &["og:site_name", "application-name", "twitter:site"];
const BYLINE_KEYS: &[&str] = &[
    "dc:creator",
    "dcterm:creator",
    "author",
    "parsely-author",
    "sailthru.author",
    "byl",
];
/// Often a profile URL rather than a name: used only when it is not one.
const ARTICLE_AUTHOR_KEYS: &[&str] = &["article:author"];
const PUBLISHED_KEYS: &[&str] = &[
    "article:published_time",
    "parsely-pub-date",
    "pubdate",
    "publishdate",
    "date",
    "dc.date.issued",
    "dc:date",
    "sailthru.date",
    "og:published_time",
];
const LANG_KEYS: &[&str] = &["content-language", "og:locale"];
const IMAGE_KEYS: &[&str] = &[
    "og:image",
    "og:image:url",
    "og:image:secure_url",
    "twitter:image",
    "twitter:image:src",
];
const DESCRIPTION_KEYS: &[&str] = &[
    "og:description",
    "dc:description",
    "dcterm:description",
    "description",
    "twitter:description",
];
const CONTENT_TIER_KEYS: &[&str] = &["article:content_tier"];

/// The page's `<meta>` tags, looked up by key tables.
struct MetaTags(Vec<(String, String)>);

impl MetaTags {
    /// The first non-empty value among `keys`, in the order of `keys`.
    fn get(&self, keys: &[&str]) -> Option<String> {
        keys.iter().find_map(|k| {
            self.0
                .iter()
                .find(|(n, v)| n == k && !v.is_empty())
                .map(|(_, v)| decode_entities(v))
        })
    }
}

/// The nodes the metadata readers look at, found in one walk of the page (a page has a thousand
/// or more nodes; each reader walking them again cost more than reading the values).
#[derive(Default)]
struct PageNodes {
    /// The first `<title>`, `<base>` and `<html>`.
    title: Option<NodeId>,
    base: Option<NodeId>,
    html: Option<NodeId>,
    /// Every `<meta>`, JSON-LD script, `h1`/`h2` heading and `<time>`, in document order.
    metas: Vec<NodeId>,
    json_ld: Vec<NodeId>,
    headings: Vec<NodeId>,
    times: Vec<NodeId>,
}

impl PageNodes {
    fn collect(doc: &Document) -> PageNodes {
        let mut nodes = PageNodes::default();
        for n in doc.descendants(doc.root()) {
            let first = |slot: &mut Option<NodeId>| {
                slot.get_or_insert(n);
            };
            match doc.tag(n) {
                "meta" => nodes.metas.push(n),
                "script" if doc.is_json_ld(n) => nodes.json_ld.push(n),
                "h1" | "h2" => nodes.headings.push(n),
                "time" => nodes.times.push(n),
                "title" => first(&mut nodes.title),
                "base" => first(&mut nodes.base),
                "html" => first(&mut nodes.html),
                _ => {}
            }
        }
        nodes
    }
}

/// Reads the page-level metadata. `page_url` is the document's own URL, when known.
pub fn read_page(doc: &Document, page_url: Option<&WebUrl>) -> PageMeta {
    let nodes = PageNodes::collect(doc);
    let tags = MetaTags(collect_meta_tags(doc, &nodes.metas));
    let ld = read_json_ld(doc, &nodes.json_ld);
    let site_name = ld
        .site_name
        .clone()
        .or_else(|| tags.get(SITE_NAME_KEYS))
        .filter(|s| !s.starts_with('@'));
    let base = base_from(doc, nodes.base, page_url);
    let tier = tags
        .get(CONTENT_TIER_KEYS)
        .unwrap_or_default()
        .to_ascii_lowercase();
    let meta = Meta {
        title: read_title(doc, &nodes, &tags, &ld, site_name.as_deref()),
        byline: read_byline(doc, &tags, &ld),
        published: ld
            .published
            .clone()
            .or_else(|| tags.get(PUBLISHED_KEYS))
            .or_else(|| dom_date(doc, &nodes.times)),
        excerpt: ld
            .description
            .clone()
            .or_else(|| tags.get(DESCRIPTION_KEYS)),
        lead_image: tags
            .get(IMAGE_KEYS)
            .or(ld.image.clone())
            .and_then(|u| absolutize(&u, base.as_ref()))
            .filter(|u| u.starts_with("https:") || u.starts_with("http:")),
        lang: read_lang(doc, nodes.html, &tags),
        dir: read_dir(doc, nodes.html),
        site_name,
    };
    PageMeta {
        meta,
        base,
        marked_paid: ld.not_free || tier == "locked" || tier == "metered",
        declared_words: ld.word_count,
    }
}

/// The headline: JSON-LD's or the meta tags', else the `<title>` cleaned ([`best_title`]).
fn read_title(
    doc: &Document,
    nodes: &PageNodes,
    tags: &MetaTags,
    ld: &LdFacts,
    site: Option<&str>,
) -> String {
    let doc_title = nodes.title.map(|t| inner_text(doc, t)).unwrap_or_default();
    let meta_title = ld.title.clone().or_else(|| tags.get(TITLE_KEYS));
    best_title(doc, &nodes.headings, meta_title, &doc_title, site)
}

/// The author line: JSON-LD, meta tags, then the page's own byline element.
fn read_byline(doc: &Document, tags: &MetaTags, ld: &LdFacts) -> Option<String> {
    ld.byline
        .clone()
        .or_else(|| tags.get(BYLINE_KEYS))
        .or_else(|| {
            tags.get(ARTICLE_AUTHOR_KEYS)
                .filter(|a| !a.starts_with("http"))
        })
        .or_else(|| dom_byline(doc))
        .map(|b| normalize_space(&b))
        .filter(|b| !b.is_empty() && b.chars().count() < MAX_BYLINE_CHARS)
}

/// `<html lang>`, else the declared content language or locale (`en_GB` as `en-GB`).
fn read_lang(doc: &Document, html: Option<NodeId>, tags: &MetaTags) -> Option<String> {
    html.and_then(|h| doc.attr(h, "lang"))
        .map(str::to_string)
        .or_else(|| tags.get(LANG_KEYS).map(|l| l.replace('_', "-")))
        .filter(|l| !l.trim().is_empty())
}

/// `dir` of `<html>` or `<body>`, when it is `rtl` or `ltr`.
fn read_dir(doc: &Document, html: Option<NodeId>) -> Option<String> {
    html.and_then(|h| doc.attr(h, "dir"))
        .or_else(|| doc.attr(doc.body(), "dir"))
        .map(|d| d.trim().to_ascii_lowercase())
        .filter(|d| d == "rtl" || d == "ltr")
}

fn absolutize(u: &str, base: Option<&WebUrl>) -> Option<String> {
    let u = u.trim();
    if u.is_empty() {
        return None;
    }
    match base {
        Some(b) => b.join(u).ok().map(|x| x.to_string()),
        None => WebUrl::parse(u).ok().map(|x| x.to_string()),
    }
}

/// The base for relative URLs: `<base href>` resolved against the page URL, else the page URL.
/// Like browsers, only a web URL can be a base (`javascript:`, `data:` and the like are ignored).
pub fn base_url(doc: &Document, page_url: Option<&WebUrl>) -> Option<WebUrl> {
    base_from(doc, doc.find_first(doc.root(), "base"), page_url)
}

/// [`base_url`] with the page's first `<base>` element already found.
fn base_from(doc: &Document, base: Option<NodeId>, page_url: Option<&WebUrl>) -> Option<WebUrl> {
    let href = base.and_then(|b| doc.attr(b, "href")).map(str::trim);
    let declared = match (href, page_url) {
        (Some(h), Some(p)) => p.join(h).ok(),
        (Some(h), None) => WebUrl::parse(h).ok(),
        (None, _) => None,
    };
    declared
        .filter(|u| matches!(u.scheme(), "http" | "https"))
        .or_else(|| page_url.cloned())
}

/// `(key, content)` pairs of `<meta>` tags, keys lowercased (`property` and `name` alike; a
/// space-separated `property` gives one pair per name).
fn collect_meta_tags(doc: &Document, metas: &[NodeId]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for &n in metas {
        let Some(content) = doc.attr(n, "content") else {
            continue;
        };
        let content = plain_text(content);
        for key_attr in ["property", "name", "itemprop", "http-equiv"] {
            if let Some(keys) = doc.attr(n, key_attr) {
                for k in keys.split_whitespace() {
                    let k = k.to_ascii_lowercase();
                    let k = k
                        .strip_prefix("weibo:article:")
                        .or(k.strip_prefix("weibo:webpage:"))
                        .map(str::to_string)
                        .unwrap_or(k);
                    // Dublin Core's dotted form and its colon form mean the same.
                    out.push((
                        k.replace("dcterms.", "dcterm:").replace("dc.", "dc:"),
                        content.clone(),
                    ));
                }
            }
        }
    }
    out
}

#[derive(Default)]
struct LdFacts {
    title: Option<String>,
    byline: Option<String>,
    published: Option<String>,
    description: Option<String>,
    site_name: Option<String>,
    image: Option<String>,
    not_free: bool,
    word_count: Option<usize>,
}

fn read_json_ld(doc: &Document, scripts: &[NodeId]) -> LdFacts {
    let mut facts = LdFacts::default();
    for &s in scripts {
        let raw = doc.text_content(s);
        let raw = raw
            .trim()
            .trim_start_matches("<![CDATA[")
            .trim_end_matches("]]>");
        let Ok(v) = serde_json::from_str::<Value>(raw) else {
            continue;
        };
        if let Some(article) = find_article(&v) {
            fill_from_article(&mut facts, article);
            break;
        }
    }
    facts
}

fn type_matches(v: &Value) -> bool {
    match v.get("@type") {
        Some(Value::String(t)) => ARTICLE_TYPES.contains(&t.as_str()),
        Some(Value::Array(ts)) => ts
            .iter()
            .any(|t| t.as_str().is_some_and(|t| ARTICLE_TYPES.contains(&t))),
        _ => false,
    }
}

/// The first Article-like object in a JSON-LD value (top level, array or `@graph`), preferring
/// real articles over a generic `WebPage`.
fn find_article(v: &Value) -> Option<&Value> {
    let mut pool: Vec<&Value> = Vec::new();
    match v {
        Value::Array(items) => pool.extend(items.iter()),
        other => pool.push(other),
    }
    let mut expanded = Vec::new();
    for item in pool {
        expanded.push(item);
        if let Some(Value::Array(g)) = item.get("@graph") {
            expanded.extend(g.iter());
        }
    }
    let is_page = |x: &&Value| x.get("@type").and_then(Value::as_str) == Some("WebPage");
    expanded
        .iter()
        .find(|x| type_matches(x) && !is_page(x))
        .or_else(|| expanded.iter().find(|x| type_matches(x)))
        .copied()
}

fn string_of(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(plain_text(&decode_entities(s))).filter(|s| !s.is_empty()),
        Value::Array(a) => a.iter().find_map(|x| string_of(Some(x))),
        Value::Object(o) => string_of(o.get("name").or(o.get("url")).or(o.get("@id"))),
        _ => None,
    }
}

fn names_of(v: Option<&Value>) -> Option<String> {
    let names: Vec<String> = match v? {
        Value::Array(a) => a.iter().filter_map(|x| names_of(Some(x))).collect(),
        Value::Object(o) => string_of(o.get("name")).into_iter().collect(),
        Value::String(s) => vec![plain_text(s)],
        _ => vec![],
    };
    let names: Vec<String> = names
        .into_iter()
        .filter(|n| !n.is_empty() && !n.starts_with("http"))
        .collect();
    (!names.is_empty()).then(|| names.join(", "))
}

fn fill_from_article(f: &mut LdFacts, a: &Value) {
    f.title = string_of(a.get("headline")).or_else(|| string_of(a.get("name")));
    f.byline = names_of(a.get("author")).or_else(|| names_of(a.get("creator")));
    f.published = string_of(a.get("datePublished")).or_else(|| string_of(a.get("dateCreated")));
    f.description = string_of(a.get("description"));
    f.site_name = a.get("publisher").and_then(|p| string_of(p.get("name")));
    f.image = match a.get("image") {
        Some(Value::Object(o)) => string_of(o.get("url")),
        other => string_of(other),
    };
    f.not_free = matches!(a.get("isAccessibleForFree"), Some(Value::Bool(false)))
        || a.get("isAccessibleForFree")
            .and_then(Value::as_str)
            .is_some_and(|s| s.eq_ignore_ascii_case("false"));
    f.word_count = a
        .get("wordCount")
        .and_then(|w| {
            w.as_u64()
                .map(|n| n as usize)
                .or_else(|| w.as_str().and_then(|s| s.trim().parse().ok()))
        })
        .or_else(|| {
            a.get("articleBody")
                .and_then(Value::as_str)
                .map(crate::article::count_words)
        });
}

/// Tags whose content is not text a reader shows (a script, a stylesheet, a frame's fallback).
const NOT_TEXT: &[&str] = &[
    "script", "style", "template", "noscript", "iframe", "noembed", "noframes", "textarea", "title",
];

/// A metadata value as plain text, whitespace collapsed. JSON-LD and `<meta content>` carry
/// whatever the publishing system put there — `<em>`, an entity-escaped `<br>`, or a script
/// payload —; a value with markup keeps only the text a browser would show for it.
fn plain_text(s: &str) -> String {
    let opens_tag = |i: usize| {
        s[i + 1..].starts_with(|c: char| c.is_ascii_alphabetic() || matches!(c, '/' | '!' | '?'))
    };
    if !s.match_indices('<').any(|(i, _)| opens_tag(i)) {
        return normalize_space(s); // "A < B": no tag starts anywhere
    }
    // The serialization reader (no HTML parser in the wasm build) reads any input, best effort.
    let doc = crate::dom::markup::parse(s).doc;
    let mut text = String::new();
    for id in doc.descendants(doc.root()) {
        if let Some(t) = doc.text(id) {
            let shown = doc.ancestors(id).all(|a| !NOT_TEXT.contains(&doc.tag(a)));
            if shown {
                text.push_str(t);
            }
        }
    }
    normalize_space(&text)
}

/// Named entities publishers leave double-escaped in metadata (`&amp;quot;` in the page is
/// `&quot;` in the value), with what they stand for.
const NAMED_ENTITIES: &[(&str, char)] = &[
    ("amp", '&'),
    ("lt", '<'),
    ("gt", '>'),
    ("quot", '"'),
    ("apos", '\''),
    ("nbsp", ' '),
    ("thinsp", ' '),
    ("ensp", ' '),
    ("emsp", ' '),
    ("hellip", '…'),
    ("mdash", '—'),
    ("ndash", '–'),
    ("bdquo", '„'),
    ("sbquo", '‚'),
    ("ldquo", '“'),
    ("rdquo", '”'),
    ("lsquo", '‘'),
    ("rsquo", '’'),
    ("laquo", '«'),
    ("raquo", '»'),
    ("auml", 'ä'),
    ("ouml", 'ö'),
    ("uuml", 'ü'),
    ("Auml", 'Ä'),
    ("Ouml", 'Ö'),
    ("Uuml", 'Ü'),
    ("szlig", 'ß'),
    ("eacute", 'é'),
    ("egrave", 'è'),
    ("agrave", 'à'),
    ("aacute", 'á'),
    ("iacute", 'í'),
    ("oacute", 'ó'),
    ("uacute", 'ú'),
    ("ntilde", 'ñ'),
    ("ccedil", 'ç'),
    ("copy", '©'),
    ("reg", '®'),
    ("trade", '™'),
    ("euro", '€'),
    ("middot", '·'),
    ("bull", '•'),
    ("deg", '°'),
];

/// The longest entity name read (`&#x10FFFF;` and the names above fit).
const MAX_ENTITY_CHARS: usize = 10;

/// Decodes entities left escaped in a metadata value, in one left-to-right pass (`&amp;lt;`
/// gives `&lt;`): numeric ones (an invalid code point gives U+FFFD, as a browser shows it) and
/// the names above; anything else stays as written.
fn decode_entities(s: &str) -> String {
    let mut parts = s.split('&');
    let mut out = String::with_capacity(s.len());
    out.push_str(parts.next().unwrap_or_default());
    for part in parts {
        let decoded = part
            .split_once(';')
            .filter(|(name, _)| name.len() <= MAX_ENTITY_CHARS)
            .and_then(|(name, rest)| Some((entity_value(name)?, rest)));
        match decoded {
            Some((c, rest)) => {
                out.push(c);
                out.push_str(rest);
            }
            None => {
                out.push('&');
                out.push_str(part);
            }
        }
    }
    out
}

/// What the entity `name` (between `&` and `;`) stands for, if it is one.
fn entity_value(name: &str) -> Option<char> {
    if let Some(num) = name.strip_prefix('#') {
        let (digits, radix) = match num.strip_prefix(['x', 'X']) {
            Some(hex) => (hex, 16),
            None => (num, 10),
        };
        if digits.is_empty() {
            return None;
        }
        let mut code: u32 = 0;
        for c in digits.chars() {
            // "&#xg;" is no entity; "&#xFFFFFFFF;" is one, too large.
            code = code
                .saturating_mul(radix)
                .saturating_add(c.to_digit(radix)?);
        }
        // Too large, a surrogate or NUL: shown as U+FFFD, as a browser does.
        return Some(
            char::from_u32(code)
                .filter(|&c| c != '\0')
                .unwrap_or('\u{FFFD}'),
        );
    }
    NAMED_ENTITIES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|&(_, v)| v)
}

fn word_count(s: &str) -> usize {
    crate::article::count_words(s)
}

/// Picks the title: metadata when present, else the `<title>` cleaned of its site-name part, or
/// the page's single `<h1>` when it matches.
fn best_title(
    doc: &Document,
    headings: &[NodeId],
    meta: Option<String>,
    doc_title: &str,
    site: Option<&str>,
) -> String {
    let cleaned = match meta {
        Some(m) => strip_site_suffix(&m, site),
        None => {
            let stripped = strip_site_suffix(doc_title, site);
            if stripped != doc_title {
                stripped
            } else {
                clean_document_title(doc, headings, doc_title)
            }
        }
    };
    let cleaned = normalize_space(&cleaned);
    if let Some(h) = heading_prefix_of(doc, headings, &cleaned) {
        return h;
    }
    if !cleaned.is_empty() {
        return cleaned;
    }
    headings
        .iter()
        .find(|&&h| doc.is(h, "h1"))
        .map(|&h| inner_text(doc, h))
        .unwrap_or_default()
}

/// Headings checked for being the headline part of a title.
const MAX_HEADLINE_CANDIDATES: usize = 50;

/// A one-word heading is too weak to be taken as the headline part of a title.
const HEADLINE_PREFIX_MIN_WORDS: usize = 2;

/// A page heading that the title starts with, followed by a separator ("Headline - Section -
/// Site"): the heading is the headline.
fn heading_prefix_of(doc: &Document, headings: &[NodeId], title: &str) -> Option<String> {
    let lower = crate::text::lowercase(title);
    headings
        .iter()
        .take(MAX_HEADLINE_CANDIDATES)
        .map(|&h| inner_text(doc, h))
        .filter(|h| word_count(h) >= HEADLINE_PREFIX_MIN_WORDS)
        .find(|h| {
            let hl = crate::text::lowercase(h);
            lower.len() > hl.len()
                && lower.starts_with(&hl)
                && TITLE_SEPARATORS
                    .iter()
                    .chain([": "].iter())
                    .any(|sep| lower[hl.len()..].starts_with(sep))
        })
}

fn strip_site_suffix(title: &str, site: Option<&str>) -> String {
    let Some(site) = site.filter(|s| !s.is_empty()) else {
        return title.to_string();
    };
    for sep in TITLE_SEPARATORS {
        if let Some(rest) = title.strip_suffix(&format!("{sep}{site}")) {
            return rest.to_string();
        }
        if let Some(rest) = title.strip_prefix(&format!("{site}{sep}")) {
            return rest.to_string();
        }
    }
    title.to_string()
}

// Readability's `<title>` cleanup thresholds (its `_getArticleTitle`).

/// Headings compared with the title: at most this many.
const TITLE_MAX_HEADINGS: usize = 200;
/// A part before the last separator shorter than this (words) is the site name: the headline is
/// what follows the first separator instead.
const TITLE_MIN_PART_WORDS: usize = 3;
/// A prefix before ": " longer than this (words) is part of the headline, not a section name.
const TITLE_MAX_PREFIX_WORDS: usize = 5;
/// A title without separators outside this many characters is no headline: the page's single
/// `<h1>` is used instead.
const TITLE_MIN_CHARS: usize = 15;
const TITLE_MAX_CHARS: usize = 150;
/// A cleaned title this short (words) is a stub: a similar, longer heading or the whole title wins.
const TITLE_STUB_MAX_WORDS: usize = 4;
/// Separators that mark a path ("Section / Topic / Headline") rather than a site suffix.
const HIERARCHICAL_SEPARATORS: &[&str] = &[" \\ ", " / ", " > ", " » "];

/// Readability's `<title>` cleanup: cut the site name off at a separator, or after a colon,
/// unless too little would remain; prefer the lone `<h1>` when the title is odd-sized.
fn clean_document_title(doc: &Document, heading_nodes: &[NodeId], orig: &str) -> String {
    let orig = normalize_space(orig);
    let headings: Vec<String> = heading_nodes
        .iter()
        .take(TITLE_MAX_HEADINGS)
        .map(|&h| inner_text(doc, h))
        .collect();
    let mut title = orig.clone();
    let mut had_hierarchical = false;
    if let Some((pos, sep)) = TITLE_SEPARATORS
        .iter()
        .filter_map(|s| orig.rfind(s).map(|p| (p, *s)))
        .max_by_key(|(p, _)| *p)
    {
        had_hierarchical = HIERARCHICAL_SEPARATORS.contains(&sep);
        title = orig[..pos].to_string();
        if word_count(&title) < TITLE_MIN_PART_WORDS {
            // The site name came first: keep what follows the first separator.
            let first = TITLE_SEPARATORS
                .iter()
                .filter_map(|s| orig.find(s).map(|p| (p, s.len())))
                .min_by_key(|(p, _)| *p);
            if let Some((p, l)) = first {
                title = orig[p + l..].to_string();
            }
        }
    } else if orig.contains(": ") && !headings.contains(&orig) {
        if let Some(p) = orig.rfind(": ") {
            title = orig[p + 2..].to_string();
            if word_count(&title) < TITLE_MIN_PART_WORDS {
                if let Some(p1) = orig.find(": ") {
                    title = orig[p1 + 2..].to_string();
                }
            } else if orig
                .find(": ")
                .is_some_and(|p1| word_count(&orig[..p1]) > TITLE_MAX_PREFIX_WORDS)
            {
                title = orig.clone();
            }
        }
    } else if orig.chars().count() > TITLE_MAX_CHARS || orig.chars().count() < TITLE_MIN_CHARS {
        let h1s: Vec<NodeId> = heading_nodes
            .iter()
            .copied()
            .filter(|&n| doc.is(n, "h1"))
            .take(2)
            .collect();
        if h1s.len() == 1 {
            title = inner_text(doc, h1s[0]);
        }
    }
    let title = normalize_space(&title);
    let removed_words = word_count(&orig).saturating_sub(word_count(&title));
    if word_count(&title) <= TITLE_STUB_MAX_WORDS && (!had_hierarchical || removed_words != 1) {
        // Too little left to be a headline; a matching h1 is better than a stub.
        if let Some(h) = headings.iter().find(|h| {
            text_similarity(&orig, h) > crate::signals::HEADLINE_SIMILARITY
                && word_count(h) > word_count(&title)
        }) {
            return h.clone();
        }
        return orig;
    }
    title
}

/// How far up a byline candidate is checked for sitting in a comment thread.
const BYLINE_MAX_ANCESTORS: usize = 30;

/// Class/id fragments of author lines.
static BYLINE_HINTS: crate::signals::Fragments =
    crate::signals::Fragments::new(&["byline", "author", "dateline", "writtenby", "p-author"]);

/// An author line found in the DOM: `rel=author`, `itemprop=author`, or a byline-named element.
pub fn dom_byline(doc: &Document) -> Option<String> {
    for n in doc.descendants(doc.body()) {
        let Some(el) = doc.element(n) else { continue };
        let rel_author = el.attr("rel") == Some("author");
        let itemprop = el.attr("itemprop").is_some_and(|v| v.contains("author"));
        let ci = crate::signals::class_and_id(doc, n);
        let named = BYLINE_HINTS.any_in(&ci) && !ci.contains("comment");
        if !(rel_author || itemprop || named) {
            continue;
        }
        if matches!(&*el.tag, "meta" | "link" | "script" | "img") {
            continue;
        }
        // Comment authors are not the article's author.
        if doc
            .ancestors(n)
            .take(BYLINE_MAX_ANCESTORS)
            .any(|a| crate::signals::is_comment_container(doc, a))
        {
            continue;
        }
        let name_node = doc
            .descendants(n)
            .find(|&d| doc.attr(d, "itemprop").is_some_and(|v| v.contains("name")));
        let text = inner_text(doc, name_node.unwrap_or(n));
        let len = text.chars().count();
        if len > 0 && len < MAX_BYLINE_CHARS {
            return Some(text);
        }
    }
    None
}

/// The first `datetime` of a `<time>` in the body (`times`: the page's `<time>` elements).
fn dom_date(doc: &Document, times: &[NodeId]) -> Option<String> {
    let body = doc.body();
    times
        .iter()
        .copied()
        .filter(|&t| body == doc.root() || doc.ancestors(t).any(|a| a == body))
        .find_map(|t| {
            doc.attr(t, "datetime")
                .map(str::trim)
                .filter(|d| !d.is_empty())
                .map(str::to_string)
        })
}

/// A paragraph this short (characters) is no excerpt (a dateline, a caption).
const EXCERPT_MIN_CHARS: usize = 40;

/// The first paragraph of the article, for pages that declare no excerpt.
pub fn first_paragraph(content: &Document) -> Option<String> {
    content
        .descendants(content.root())
        .filter(|&n| content.is(n, "p"))
        .map(|p| inner_text(content, p))
        .find(|t| t.chars().count() > EXCERPT_MIN_CHARS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dom::html::parse;

    fn page(html: &str) -> PageMeta {
        read_page(
            &parse(html),
            WebUrl::parse("https://example.com/a/b").ok().as_ref(),
        )
    }

    fn meta(html: &str) -> Meta {
        page(html).meta
    }

    #[test]
    fn escaped_entities_in_metadata_are_decoded_once() {
        assert_eq!(
            decode_entities(
                "&#8222;Arschloch&#8220;: Thermen- &#038; Vulkanland &amp;lt;b&amp;gt;"
            ),
            "„Arschloch“: Thermen- & Vulkanland &lt;b&gt;"
        );
        assert_eq!(
            decode_entities("&#xg; &#x1F62D; &#128557; &#xFFFFFFFF; &#x0; AT&T &unknown; &"),
            "&#xg; 😭 😭 \u{FFFD} \u{FFFD} AT&T &unknown; &"
        );
        let page = crate::dom::html::parse(
            "<head><meta property=og:title content='Olive &amp;#038; Herb &amp;ndash; Bread'>\
             </head><body><p>x</p></body>",
        );
        assert_eq!(read_page(&page, None).meta.title, "Olive & Herb – Bread");
    }

    #[test]
    fn json_ld_wins() {
        let p = page(
            r#"<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","headline":"Real headline","author":[{"@type":"Person","name":"A. Writer"},{"name":"B. Writer"}],"datePublished":"2024-01-02","publisher":{"name":"Daily"},"isAccessibleForFree":false,"wordCount":900}</script><title>Real headline | Daily</title>"#,
        );
        let m = &p.meta;
        assert_eq!(m.title, "Real headline");
        assert_eq!(m.byline.as_deref(), Some("A. Writer, B. Writer"));
        assert_eq!(m.published.as_deref(), Some("2024-01-02"));
        assert_eq!(m.site_name.as_deref(), Some("Daily"));
        assert!(p.marked_paid);
        assert_eq!(p.declared_words, Some(900));
    }

    #[test]
    fn json_ld_graph_is_searched() {
        let m = meta(
            r#"<script type="application/ld+json">{"@graph":[{"@type":"WebSite","name":"S"},{"@type":"BlogPosting","headline":"Graph title"}]}</script>"#,
        );
        assert_eq!(m.title, "Graph title");
    }

    #[test]
    fn title_loses_site_suffix() {
        let m = meta("<title>A perfectly normal headline here | The Site</title>");
        assert_eq!(m.title, "A perfectly normal headline here");
    }

    #[test]
    fn og_title_loses_site_name() {
        let m = meta(
            r#"<meta property="og:title" content="Headline words - Site"><meta property="og:site_name" content="Site">"#,
        );
        assert_eq!(m.title, "Headline words");
    }

    #[test]
    fn byline_from_dom_and_lang_dir() {
        let m = meta(
            r#"<html lang="ar" dir="rtl"><body><span class="byline">By Jane Roe</span></body></html>"#,
        );
        assert_eq!(m.byline.as_deref(), Some("By Jane Roe"));
        assert_eq!(m.lang.as_deref(), Some("ar"));
        assert_eq!(m.dir.as_deref(), Some("rtl"));
    }

    #[test]
    fn base_that_is_not_a_web_url_is_ignored() {
        let doc = crate::dom::html::parse(
            r#"<html><head><base href="javascript:alert(1)//"></head><body></body></html>"#,
        );
        let page = WebUrl::parse("https://news.example/a/b").unwrap();
        assert_eq!(base_url(&doc, Some(&page)), Some(page.clone()));
        assert_eq!(base_url(&doc, None), None);
    }

    #[test]
    fn base_element_resolves_against_page() {
        let m = meta(r#"<base href="/root/"><meta property="og:image" content="img.png">"#);
        assert_eq!(
            m.lead_image.as_deref(),
            Some("https://example.com/root/img.png")
        );
    }

    #[test]
    fn lead_image_is_a_web_url_or_nothing() {
        let m = meta(r#"<meta property="og:image" content="javascript:alert(1)">"#);
        assert_eq!(m.lead_image, None);
        let m = meta(
            r#"<meta property="og:image" content="data:image/svg+xml,<svg onload=alert(1)>">"#,
        );
        assert_eq!(m.lead_image, None);
    }

    #[test]
    fn markup_in_metadata_is_text() {
        let m = meta(
            r#"<meta property="og:site_name" content="The Review<svg onload=alert(1)>">
            <script type="application/ld+json">{"@type":"NewsArticle","headline":"A &lt;em&gt;big&lt;/em&gt; day","author":{"name":"Jo Roe\u003cscript>alert(1)\u003c/script>"},"description":"x < y and y > z"}</script>"#,
        );
        assert_eq!(m.site_name.as_deref(), Some("The Review"));
        assert_eq!(m.title, "A big day");
        assert_eq!(m.byline.as_deref(), Some("Jo Roe"));
        assert_eq!(m.excerpt.as_deref(), Some("x < y and y > z"));
    }

    #[test]
    fn junk_json_ld_is_skipped() {
        let m = meta(
            r#"<script type="application/ld+json">{not json</script><title>Fallback title for the page</title>"#,
        );
        assert_eq!(m.title, "Fallback title for the page");
    }
}
