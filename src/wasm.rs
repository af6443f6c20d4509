//! JavaScript exports (wasm builds only): glue that converts, nothing clever.
//!
//! `extractSnapshot(html, codes, records, page, options)` reads a page snapshot sent by the
//! content script (the warm engine's entry: no DOM needed); `extract(root, options)` snapshots a
//! live node itself (tests); `extractHtml(html, url, options)` parses a string with the browser's
//! `DOMParser` (the playground's pasted HTML). All return a plain object: metadata, the requested
//! renderings, what was removed and why, and timings. `findPromptsSnapshot` serves "Clean this
//! page".

use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::article::Removal;
use crate::dom::live::{now, SnapshotStats};
use crate::dom::{self, Document};
use crate::render::json::ArticleView;
use crate::render::Format;
use crate::Options;

/// Options from JavaScript; every field is optional (absent, `undefined` and `null` alike).
#[derive(Default)]
struct JsOptions {
    /// The page URL (base for relative links).
    url: Option<String>,
    /// Renderings wanted: any of "html", "markdown", "text" (default: all three).
    formats: Option<Vec<String>>,
    /// Refuse documents with more nodes than this.
    max_nodes: Option<usize>,
    /// Read render hints from the live page (default true for `extract`).
    hints: Option<bool>,
}

/// Milliseconds spent in each step.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Timings {
    snapshot_ms: f64,
    /// Of the snapshot: the browser serializing the page, the hint walk, reading it back.
    serialize_ms: f64,
    walk_ms: f64,
    read_ms: f64,
    extract_ms: f64,
    render_ms: f64,
}

/// What the extract exports return: the article as every caller sees it (the CLI's JSON shape),
/// plus how it was read and how long each step took.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsArticle<'a> {
    #[serde(flatten)]
    article: ArticleView<'a>,
    hints_used: bool,
    timings: Timings,
}

/// One prompt "Clean this page" should act on: the element (by its ordinal in the snapshot's
/// walk, its tag checked by the caller), what to do with it, and the removal record's words.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PromptItem<'a> {
    ordinal: u32,
    /// "remove", or "unhide" (show hidden or faded text).
    action: &'static str,
    tag: &'a str,
    rule: &'a str,
    reason: &'a str,
    text: &'a str,
}

/// What `findPromptsSnapshot` returns.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Prompts<'a> {
    items: Vec<PromptItem<'a>>,
    scroll_locked: bool,
    ms: f64,
}

#[wasm_bindgen(start)]
fn start() {
    console_error_panic_hook::set_once();
}

/// A JavaScript `Error` whose `name` is the kind's stable code (`NoArticle`, `TooLarge`,
/// `BaseUrl`): callers tell kinds apart by name, never by message text.
fn named_error(e: crate::ExtractError) -> JsValue {
    let err = js_sys::Error::new(&e.to_string());
    err.set_name(e.code());
    err.into()
}

/// Serializes `value` as plain JSON-compatible JavaScript data.
fn to_js(value: &impl Serialize) -> Result<JsValue, JsValue> {
    let ser = serde_wasm_bindgen::Serializer::json_compatible();
    value
        .serialize(&ser)
        .map_err(|e| JsError::new(&format!("cannot convert the result: {e}")).into())
}

impl JsOptions {
    /// Reads `{ url, formats, maxNodes, hints }`; other keys are ignored.
    // NOTE: read by hand, not with serde: a serde deserializer brings the float formatting of
    // its type errors along, about 8 KB of the wasm's gzip budget.
    fn read(options: &JsValue) -> Result<JsOptions, JsError> {
        if options.is_undefined() || options.is_null() {
            return Ok(JsOptions::default());
        }
        if !options.is_object() {
            return Err(bad_option("the options", "an object"));
        }
        let field = |key: &str| {
            js_sys::Reflect::get(options, &JsValue::from_str(key))
                .ok()
                .filter(|v| !v.is_undefined() && !v.is_null())
        };
        let string =
            |v: JsValue, key: &str| v.as_string().ok_or_else(|| bad_option(key, "a string"));
        let url = field("url").map(|v| string(v, "url")).transpose()?;
        let formats = match field("formats") {
            Some(v) if js_sys::Array::is_array(&v) => Some(
                js_sys::Array::from(&v)
                    .iter()
                    .map(|f| string(f, "formats"))
                    .collect::<Result<Vec<_>, _>>()?,
            ),
            Some(_) => return Err(bad_option("formats", "an array of strings")),
            None => None,
        };
        let max_nodes = match field("maxNodes").map(|v| v.as_f64()) {
            Some(Some(n)) if n >= 0.0 && n.fract() == 0.0 && n <= usize::MAX as f64 => {
                Some(n as usize)
            }
            Some(_) => return Err(bad_option("maxNodes", "a whole number")),
            None => None,
        };
        let hints = match field("hints").map(|v| v.as_bool()) {
            Some(Some(b)) => Some(b),
            Some(None) => return Err(bad_option("hints", "true or false")),
            None => None,
        };
        Ok(JsOptions {
            url,
            formats,
            max_nodes,
            hints,
        })
    }
}

fn bad_option(what: &str, expected: &str) -> JsError {
    JsError::new(&format!("bad options: {what} must be {expected}"))
}

fn read_options(options: JsValue) -> Result<(JsOptions, Options), JsError> {
    let js = JsOptions::read(&options)?;
    let mut opts = Options::for_url(js.url.as_deref().unwrap_or(""))?;
    if let Some(n) = js.max_nodes {
        opts.max_nodes = n;
    }
    Ok((js, opts))
}

fn run(
    mut doc: Document,
    js: &JsOptions,
    opts: &Options,
    snapshot: (f64, SnapshotStats),
    hints_used: bool,
) -> Result<JsValue, JsValue> {
    let (snapshot_ms, parts) = snapshot;
    let t0 = now();
    let article = crate::extract(&mut doc, opts).map_err(named_error)?;
    let t1 = now();
    let wants = |f: Format| {
        let name = match f {
            Format::Html => "html",
            Format::Markdown => "markdown",
            Format::Text => "text",
            Format::Json => return false,
        };
        js.formats
            .as_ref()
            .is_none_or(|fs| fs.iter().any(|x| x == name))
    };
    let view = ArticleView::new(&article, wants);
    let t2 = now();
    let out = JsArticle {
        article: view,
        hints_used,
        timings: Timings {
            snapshot_ms,
            serialize_ms: parts.serialize_ms,
            walk_ms: parts.walk_ms,
            read_ms: parts.read_ms,
            extract_ms: t1 - t0,
            render_ms: t2 - t1,
        },
    };
    to_js(&out)
}

/// Extracts the article from a live node (usually `document`), reading render hints.
#[wasm_bindgen(js_name = extract)]
pub fn extract_from(root: &web_sys::Node, options: JsValue) -> Result<JsValue, JsValue> {
    let (js, opts) = read_options(options)?;
    let measure = js.hints.unwrap_or(true);
    let t0 = now();
    let (doc, parts) = dom::live::snapshot_with_stats(root, measure);
    let snapshot_ms = now() - t0;
    run(
        doc,
        &js,
        &opts,
        (snapshot_ms, parts),
        measure && parts.exact,
    )
}

/// A snapshot's four strings, read back (see `dom::snapshot`).
fn read_snapshot(html: &str, codes: &str, records: &str, page: &str) -> dom::snapshot::Read {
    dom::snapshot::read(&dom::snapshot::Snapshot {
        html,
        codes,
        records,
        page,
    })
}

/// Extracts the article from a page snapshot (see `dom::snapshot`): the warm engine's entry.
#[wasm_bindgen(js_name = extractSnapshot)]
pub fn extract_snapshot(
    html: &str,
    codes: &str,
    records: &str,
    page: &str,
    options: JsValue,
) -> Result<JsValue, JsValue> {
    let (js, opts) = read_options(options)?;
    let t0 = now();
    let read = read_snapshot(html, codes, records, page);
    let read_ms = now() - t0;
    let stats = SnapshotStats {
        read_ms,
        exact: read.exact,
        ..SnapshotStats::default()
    };
    let hinted = read.hinted && !records.is_empty();
    run(read.doc, &js, &opts, (read_ms, stats), hinted)
}

fn parse_html(html: &str) -> Result<web_sys::Document, JsError> {
    let parser =
        web_sys::DomParser::new().map_err(|_| JsError::new("DOMParser is not available here"))?;
    parser
        .parse_from_string(html, web_sys::SupportedType::TextHtml)
        .map_err(|_| JsError::new("the browser could not parse this HTML"))
}

/// Extracts the article from an HTML string parsed by the browser's `DOMParser` (no hints).
#[wasm_bindgen(js_name = extractHtml)]
pub fn extract_html(html: &str, url: &str, options: JsValue) -> Result<JsValue, JsValue> {
    let (mut js, mut opts) = read_options(options)?;
    if !url.is_empty() {
        opts.base_url = Some(crate::weburl::WebUrl::parse(url).map_err(|e| named_error(e.into()))?);
        js.url = Some(url.to_string());
    }
    let t0 = now();
    let parsed = parse_html(html)?;
    let (doc, parts) = dom::live::snapshot_with_stats(&parsed, false);
    let snapshot_ms = now() - t0;
    run(doc, &js, &opts, (snapshot_ms, parts), false)
}

/// Re-sanitizes stored article HTML (the library renders records that another context wrote)
/// through the engine's own allowlist.
#[wasm_bindgen(js_name = sanitizeHtml)]
pub fn sanitize_html(html: &str) -> String {
    crate::render::html::sanitize_markup(html)
}

/// What "Clean this page" needs: the paywall stage run on a page snapshot. Returns
/// `{ items: [{ ordinal, tag, action: "remove"|"unhide", rule, reason, text }], scrollLocked,
/// ms }`; `ordinal` is the element's position in the snapshot's walk (the content script kept
/// the elements), and items are only given when the snapshot read back exactly. The page is
/// not modified here; page-clean.js acts on the elements.
#[wasm_bindgen(js_name = findPromptsSnapshot)]
pub fn find_prompts_snapshot(
    html: &str,
    codes: &str,
    records: &str,
    page: &str,
) -> Result<JsValue, JsValue> {
    let t0 = now();
    let read = read_snapshot(html, codes, records, page);
    let mut ordinals = vec![u32::MAX; read.doc.len()];
    if read.exact {
        for (ordinal, &node) in read.elements.iter().enumerate() {
            ordinals[node.index()] = ordinal as u32;
        }
    }
    prompts_result(read.doc, t0, |id| {
        let ordinal = *ordinals.get(id.index())?;
        (ordinal != u32::MAX).then_some(ordinal)
    })
}

fn prompts_result(
    mut doc: Document,
    t0: f64,
    ordinal_of: impl Fn(dom::NodeId) -> Option<u32>,
) -> Result<JsValue, JsValue> {
    let mut removed = crate::article::Removed::default();
    // "Clean this page" must not take the article either.
    let title = crate::metadata::read_page(&doc, None).meta.title;
    let prose = crate::safety::ProseMass::measure(&doc, &title);
    let report = crate::paywall::strip_prompts(&mut doc, &prose, &mut removed);
    let items = report
        .actions
        .iter()
        .filter_map(|action| {
            let record = removed.items.get(action.record);
            let field = |f: fn(&Removal) -> &str| record.map_or("", f);
            Some(PromptItem {
                ordinal: ordinal_of(action.node)?,
                action: if action.unhide { "unhide" } else { "remove" },
                tag: doc.tag(action.node),
                rule: field(|r| r.rule.as_str()),
                reason: field(|r| r.reason.as_str()),
                text: field(|r| r.text.as_str()),
            })
        })
        .collect();
    to_js(&Prompts {
        items,
        scroll_locked: report.scroll_lock,
        ms: now() - t0,
    })
}
