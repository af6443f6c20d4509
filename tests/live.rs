//! The live-DOM front-end in a real browser (wasm-bindgen-test, headless Chromium).
//!
//! (a) On corpus pages parsed by the browser (`DOMParser`, so nothing loads over the network),
//! `dom::live` must give the same article text as the native html5ever front-end (scored with
//! the 4-gram shingle F1 of `score.py`, ≥ 0.99). `./build.sh test` writes the native texts into
//! `target/live-fixtures/` before this test is compiled; `pages.rs` there embeds them.
//! (b) Render hints on a rendered page: `display:none` and `hidden` content is dropped, a fixed
//! full-viewport overlay is flagged (and removed by the paywall stage).
#![cfg(target_arch = "wasm32")]

use std::collections::HashMap;

use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

include!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/target/live-fixtures/pages.rs"
));

/// Agreement required between the two front-ends.
const MIN_AGREEMENT: f64 = 0.99;

fn tokens(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in s.chars() {
        if c.is_alphanumeric() || c == '_' {
            cur.push(c);
        } else if !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn shingles(t: &[String]) -> HashMap<Vec<String>, usize> {
    let mut m = HashMap::new();
    if t.len() < 4 {
        if !t.is_empty() {
            *m.entry(t.to_vec()).or_insert(0) += 1;
        }
        return m;
    }
    for w in t.windows(4) {
        *m.entry(w.to_vec()).or_insert(0) += 1;
    }
    m
}

/// score.py's page F1: 4-gram shingle multisets. Re-implemented here (not shared) because this
/// test runs as wasm inside the browser, where neither python3 nor the native eval crate is
/// available; `tokens` and the shingle size follow score.py, so the number means the same.
fn f1(truth: &str, pred: &str) -> f64 {
    let (a, b) = (shingles(&tokens(truth)), shingles(&tokens(pred)));
    let tp: usize = a
        .iter()
        .map(|(k, v)| (*v).min(*b.get(k).unwrap_or(&0)))
        .sum();
    let fp: usize = b
        .iter()
        .map(|(k, v)| v.saturating_sub(*a.get(k).unwrap_or(&0)))
        .sum();
    let fn_: usize = a
        .iter()
        .map(|(k, v)| v.saturating_sub(*b.get(k).unwrap_or(&0)))
        .sum();
    if fp == 0 && fn_ == 0 {
        return 1.0;
    }
    let p = tp as f64 / (tp + fp).max(1) as f64;
    let r = tp as f64 / (tp + fn_).max(1) as f64;
    if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    }
}

fn text_of(doc: &mut lucid::dom::Document, url: &str) -> String {
    let opts = lucid::Options::for_url(url).unwrap();
    match lucid::extract(doc, &opts) {
        Ok(a) => lucid::render::render(&a, lucid::render::Format::Text),
        Err(_) => String::new(),
    }
}

#[wasm_bindgen_test]
fn live_front_end_agrees_with_html5ever() {
    assert!(PAGES.len() >= 20, "need at least 20 embedded pages");
    let parser = web_sys::DomParser::new().unwrap();
    let mut worst = (1.0, "");
    let mut report = Vec::new();
    for (id, source, native_text) in PAGES {
        let parsed = parser
            .parse_from_string(source, web_sys::SupportedType::TextHtml)
            .unwrap();
        let (mut doc, stats) = lucid::dom::live::snapshot_with_stats(&parsed, false);
        if !stats.exact {
            report.push(format!("{id}: the serialization did not read back exactly"));
        }
        let live = text_of(&mut doc, &format!("http://127.0.0.1/{id}/"));
        let score = f1(native_text, &live);
        if score < MIN_AGREEMENT {
            report.push(format!("{id}: {score:.4}"));
        }
        if score < worst.0 {
            worst = (score, id);
        }
    }
    wasm_bindgen_test::console_log!(
        "{} pages, worst agreement {:.4} ({})",
        PAGES.len(),
        worst.0,
        worst.1
    );
    assert!(report.is_empty(), "front-ends disagree: {report:?}");
}

const PARA: &str = "This paragraph is long enough to be scored as article prose, with commas, clauses, and a full stop.";

fn mount(html: &str) -> web_sys::Element {
    // NOTE: replacing document.body would remove the test runner's output node; mount a
    // container instead.
    let document = web_sys::window().unwrap().document().unwrap();
    let div = document.create_element("div").unwrap();
    div.set_inner_html(html);
    document.body().unwrap().append_child(&div).unwrap();
    div
}

fn live_text(root: &web_sys::Element) -> (String, Vec<String>) {
    let mut doc = lucid::dom::live::snapshot(root.unchecked_ref(), true);
    let a = lucid::extract(&mut doc, &lucid::Options::default()).unwrap();
    let rules = a.removed.iter().map(|r| r.rule.clone()).collect();
    (
        lucid::render::render(&a, lucid::render::Format::Text),
        rules,
    )
}

/// Extracts from a snapshot of `root`, unmounts it, and checks that the article ("Article
/// body") stayed and the layer ("Subscribe…") went.
fn assert_layer_removed(
    doc: &mut lucid::dom::Document,
    root: web_sys::Element,
) -> lucid::article::Article {
    let a = lucid::extract(doc, &lucid::Options::default()).unwrap();
    root.remove();
    let text = lucid::render::render(&a, lucid::render::Format::Text);
    assert!(
        text.contains("Article body") && !text.contains("Subscribe"),
        "{text}"
    );
    a
}

#[wasm_bindgen_test]
fn hints_drop_css_hidden_and_hidden_attribute() {
    let html = format!(
        "<style>.gone {{ display: none }}</style><article><p>{PARA} Visible one.</p>\
         <p class=gone>{PARA} Hidden by a stylesheet.</p><p hidden>{PARA} Hidden attribute.</p>\
         <p style='visibility:hidden'>{PARA} Invisible.</p><p>{PARA} Visible two.</p></article>"
    );
    let root = mount(&html);
    let (text, _) = live_text(&root);
    root.remove();
    assert!(
        text.contains("Visible one") && text.contains("Visible two"),
        "{text}"
    );
    assert!(!text.contains("Hidden by a stylesheet"), "{text}");
    assert!(
        !text.contains("Hidden attribute") && !text.contains("Invisible"),
        "{text}"
    );
}

#[wasm_bindgen_test]
fn hints_flag_fixed_full_viewport_overlay() {
    let html = format!(
        "<article><p>{PARA} Article body.</p><p>{PARA} More body.</p></article>\
         <div id=wall style='position:fixed;inset:0;z-index:9999;background:#fff'>\
         <h2>Subscribe to continue reading</h2><p>Already a subscriber? Sign in</p></div>\
         <div style='position:fixed;inset:0;z-index:9998;background:rgba(0,0,0,.5)'></div>"
    );
    let root = mount(&html);
    let mut doc = lucid::dom::live::snapshot(root.unchecked_ref(), true);
    let fixed: Vec<_> = doc
        .descendants(doc.root())
        .filter(|&n| {
            doc.hints(n)
                .is_some_and(|h| h.position == Some(lucid::dom::Position::Fixed))
        })
        .collect();
    assert_eq!(fixed.len(), 2, "both layers measured as fixed");
    assert!(doc.page.viewport.is_some());
    let a = assert_layer_removed(&mut doc, root);
    assert!(
        a.removed.iter().any(|r| r.rule == "paywall:overlay"),
        "{:?}",
        a.removed
    );
}

#[wasm_bindgen_test]
fn hints_flag_a_deep_unnamed_fixed_layer() {
    // Six levels below the mount point, with no overlay-like name: only the viewport sample
    // points can find it.
    let html = format!(
        "<article><p>{PARA} Article body.</p><p>{PARA} More body.</p></article>\
         <div><div><div><div><div><section class=x1 style='position:fixed;inset:0;z-index:50;\
         background:#fff'><h2>Subscribe to continue reading</h2></section></div></div></div></div></div>"
    );
    let root = mount(&html);
    let (mut doc, stats) = lucid::dom::live::snapshot_with_stats(root.unchecked_ref(), true);
    assert!(stats.exact);
    let layer = doc
        .descendants(doc.root())
        .find(|&n| doc.is(n, "section"))
        .unwrap();
    let hints = doc.hints(layer).expect("the layer was measured");
    assert_eq!(hints.position, Some(lucid::dom::Position::Fixed));
    assert!(hints
        .rect
        .is_some_and(|r| r.width > 100.0 && r.height > 100.0));
    assert_layer_removed(&mut doc, root);
}

#[wasm_bindgen_test]
fn markup_that_does_not_read_back_gives_a_copy_without_hints() {
    // A script can leave a comment that holds "-->", which no serializer can write back.
    let root = mount(&format!("<article><p>{PARA} Kept.</p></article>"));
    let document = web_sys::window().unwrap().document().unwrap();
    let create = js_sys::Reflect::get(&document, &"createComment".into())
        .unwrap()
        .dyn_into::<js_sys::Function>()
        .unwrap();
    let comment = create
        .call1(&document, &"--><p>forged</p><!--".into())
        .unwrap();
    root.append_child(comment.unchecked_ref()).unwrap();
    let (mut doc, stats) = lucid::dom::live::snapshot_with_stats(root.unchecked_ref(), true);
    assert!(!stats.exact);
    assert!(doc.descendants(doc.root()).all(|n| doc.hints(n).is_none()));
    let a = lucid::extract(&mut doc, &lucid::Options::default()).unwrap();
    root.remove();
    assert!(lucid::render::render(&a, lucid::render::Format::Text).contains("Kept"));
}

#[wasm_bindgen_test]
fn commented_out_script_markup_does_not_eat_the_page() {
    // Pages comment out markup; the comment's text is serialized as it is, so a "<script" in it
    // must not be taken for a script whose text runs to the next "</script>".
    let html = format!(
        "<!-- <script src='related.js' type='text/javascript'/> --><article><p>{PARA} First.</p>\
         <p>{PARA} Second.</p></article><script>var later = 1;</script><aside><p>Side</p></aside>"
    );
    let root = mount(&html);
    let (mut doc, stats) = lucid::dom::live::snapshot_with_stats(root.unchecked_ref(), true);
    assert!(stats.exact, "the copy lines up with the page");
    let a = lucid::extract(&mut doc, &lucid::Options::default()).unwrap();
    root.remove();
    let text = lucid::render::render(&a, lucid::render::Format::Text);
    assert!(
        text.contains("First.") && text.contains("Second."),
        "{text}"
    );
}

#[wasm_bindgen_test]
fn options_are_read_and_a_wrong_one_is_named() {
    use wasm_bindgen::JsValue;
    let html = format!("<article><p>{PARA} Kept.</p></article>");
    let options = |pairs: &[(&str, JsValue)]| {
        let o = js_sys::Object::new();
        for (k, v) in pairs {
            js_sys::Reflect::set(&o, &(*k).into(), v).unwrap();
        }
        JsValue::from(o)
    };
    let get = |v: &JsValue, k: &str| js_sys::Reflect::get(v, &k.into()).unwrap();
    let formats = js_sys::Array::of1(&"text".into());
    let out = lucid::wasm::extract_html(
        &html,
        "https://example.com/a",
        options(&[("formats", formats.into()), ("hints", JsValue::NULL)]),
    )
    .unwrap();
    assert!(get(&out, "text").as_string().unwrap().contains("Kept."));
    assert!(
        get(&out, "html").is_undefined(),
        "only the text was asked for"
    );
    // No options at all: every rendering.
    let out = lucid::wasm::extract_html(&html, "", JsValue::UNDEFINED).unwrap();
    assert!(get(&out, "html").as_string().is_some());
    // A node budget is applied.
    let small = options(&[("maxNodes", 3.into())]);
    assert!(lucid::wasm::extract_html(&html, "", small).is_err());
    // A value of the wrong type is an error that names the option.
    for (key, value) in [
        ("maxNodes", JsValue::from("many")),
        ("maxNodes", JsValue::from(2.5)),
        ("hints", JsValue::from(1)),
        ("formats", JsValue::from("text")),
        ("url", JsValue::from(5)),
    ] {
        let err = lucid::wasm::extract_html(&html, "", options(&[(key, value)])).unwrap_err();
        let message = get(&err, "message").as_string().unwrap_or_default();
        assert!(message.contains(key), "{key}: {message}");
    }
    assert!(lucid::wasm::extract_html(&html, "", JsValue::from("text")).is_err());
}

/// In the browser, links are resolved by the browser's own `URL` (`src/weburl.rs`): the same
/// standard as the native `url` crate, so the same absolute links.
#[wasm_bindgen_test]
fn links_resolve_with_the_browsers_url_parser() {
    use lucid::weburl::WebUrl;
    let page = WebUrl::parse("https://News.Example:443/a/b.html?x=1#top").unwrap();
    assert_eq!(page.as_str(), "https://news.example/a/b.html?x=1#top");
    assert_eq!(page.scheme(), "https");
    for (link, want) in [
        ("c d.png", "https://news.example/a/c%20d.png"),
        ("../../e", "https://news.example/e"),
        ("//cdn.example/f", "https://cdn.example/f"),
        ("#note", "https://news.example/a/b.html?x=1#note"),
        ("mailto:x@news.example", "mailto:x@news.example"),
    ] {
        assert_eq!(page.join(link).unwrap().as_str(), want, "{link}");
    }
    assert!(WebUrl::parse("/no/base").is_err());
    assert!(page.join("http://[::1").is_err());

    let html = format!(
        "<html><head><base href='/root/'></head><body><article><p>{PARA}</p>\
         <p><a href='next.html'>Next</a> {PARA}</p>\
         <figure><img src='i.png' srcset='i.png 1x, big/i.png 2x'></figure></article></body></html>"
    );
    let formats = js_sys::Array::of1(&"html".into());
    let o = js_sys::Object::new();
    js_sys::Reflect::set(&o, &"formats".into(), &formats).unwrap();
    let out = lucid::wasm::extract_html(&html, "https://news.example/a/b", o.into()).unwrap();
    let out = js_sys::Reflect::get(&out, &"html".into())
        .unwrap()
        .as_string()
        .unwrap();
    for want in [
        "href=\"https://news.example/root/next.html\"",
        "src=\"https://news.example/root/i.png\"",
        "https://news.example/root/i.png 1x, https://news.example/root/big/i.png 2x",
    ] {
        assert!(out.contains(want), "{want} not in {out}");
    }
    let err = lucid::wasm::extract_html(&html, "not a url", wasm_bindgen::JsValue::UNDEFINED)
        .unwrap_err();
    let name = js_sys::Reflect::get(&err, &"name".into()).unwrap();
    assert_eq!(name.as_string().as_deref(), Some("BaseUrl"));
}
