//! Bad input gets an article or a clean error: never a panic, a hang or unbounded recursion.
//! These tests assert that parse, `extract` and every renderer return within a time budget.

use std::time::Duration;

use lucid::render::{render, Format};

/// A case that takes longer has hung. The slowest case (20 MB of text) took about 5 s here in
/// the test profile; twelve times that leaves room for a slow CI machine (a guard, not a timing
/// test: it only catches a hang).
const HANG_BUDGET: Duration = Duration::from_secs(60);

fn survives(bytes: &[u8]) {
    let bytes = bytes.to_vec();
    within_budget(move || {
        let mut doc = lucid::dom::html::parse_bytes(&bytes);
        if let Ok(article) = lucid::extract(&mut doc, &lucid::Options::default()) {
            for f in [Format::Text, Format::Markdown, Format::Html, Format::Json] {
                let _ = render(&article, f);
            }
        }
    });
}

/// Runs `work` on its own thread and fails if it panics or outlives [`HANG_BUDGET`].
fn within_budget(work: impl FnOnce() + Send + 'static) {
    let (done, finished) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        work();
        let _ = done.send(());
    });
    match finished.recv_timeout(HANG_BUDGET) {
        Ok(()) => {}
        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => panic!("hung: over {HANG_BUDGET:?}"),
        Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => panic!("panicked"),
    }
}

#[test]
fn empty_input() {
    survives(b"");
}

#[test]
fn truncated_tags() {
    survives(b"<html><body><div class=\"a\"><p>Some text here that goes on<a href=\"x");
    survives(b"<p>unclosed <b><i><table><tr><td>cell");
}

#[test]
fn nul_bytes_and_invalid_utf8() {
    survives(b"<p>a\0b\0c</p>\xff\xfe\x00<p>\x80\x81 more text, with commas, to score</p>");
}

#[test]
fn hundred_thousand_deep_nesting() {
    let depth = 100_000;
    let mut html = String::with_capacity(depth * 12);
    for _ in 0..depth {
        html.push_str("<div><span>");
    }
    html.push_str("deep text, with commas, and enough words to be a paragraph");
    survives(html.as_bytes());
}

#[test]
fn twenty_megabytes_of_text() {
    let para =
        "<p>Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor.</p>\n";
    let html = para.repeat(20 * 1024 * 1024 / para.len());
    survives(html.as_bytes());
}

#[test]
fn huge_attributes_and_junk_metadata() {
    let big = "x".repeat(2_000_000);
    let html = format!(
        "<meta property=og:image content='{big}'><script type=application/ld+json>{{\"@type\":[1,2,{{}}],\"author\":{{\"name\":[null]}}}}</script>\
         <img srcset=', , ,{big} 2x' src='data:image/png;base64,'><p class='{big}'>text, text, text, text</p>"
    );
    survives(html.as_bytes());
}

#[test]
fn hostile_markup_soup() {
    survives(b"<svg><foreignObject><math><mi><table><template><noscript><p>x</noscript></template></table></mi></math></foreignObject></svg><frameset><frame>");
    survives(b"<!DOCTYPE html><base href='::::'><a href='javascript:alert(1)'>x</a><img src=javascript:alert(1)>");
}

#[test]
fn too_large_is_a_clean_error() {
    let mut doc = lucid::dom::html::parse("<p>a</p><p>b</p><p>c</p>");
    let opts = lucid::Options {
        max_nodes: 3,
        ..lucid::Options::default()
    };
    assert!(matches!(
        lucid::extract(&mut doc, &opts),
        Err(lucid::ExtractError::TooLarge { .. })
    ));
}

/// The reader of the browser's own serialization (used in the browser, on `outerHTML`) gets
/// whatever a page can make it read; on markup no serializer wrote it must still return, and
/// extraction on what it read must too.
#[test]
fn markup_reader_survives_arbitrary_markup() {
    let inputs: [&str; 9] = [
        "",
        "<",
        "</",
        "<!--",
        "<a b=\"unclosed",
        "<div =x=\"1\" y>z</div></div></p>",
        "<script><!--<script>",
        "<p>text &amp &#x3c; &nbsp</p><![CDATA[x]]><?pi?>",
        "<DIV CLASS=\"A\"><Svg viewBox='0 0 1 1'><p>é ü 中文</p></Svg></DIV>",
    ];
    let read = |markup: String| {
        within_budget(move || {
            let mut doc = lucid::dom::markup::parse(&markup).doc;
            let _ = lucid::extract(&mut doc, &lucid::Options::default());
        })
    };
    for input in inputs {
        for end in (0..=input.len()).filter(|&i| input.is_char_boundary(i)) {
            read(input[..end].to_string());
        }
    }
    read("<div>".repeat(100_000) + "deep text, with commas, and enough words");
}
