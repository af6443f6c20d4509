//! Fixture pairs: `tests/fixtures/<slug>/source.html` must give `expected.html` (sanitized
//! article HTML), `expected.md` when present, and the metadata in `metadata.json`.
//!
//! `metadata.json` may also carry inputs and checks that are not regenerated:
//! `url` (the page URL), `keep` (strings the article text must contain), `drop` (strings it
//! must not contain), `removed_rules` (rule names that must appear in `removed`) and
//! `no_article: true` (extraction must fail with "no readable article found").
//! Regenerate the expectations with `UPDATE_EXPECT=1 cargo test --test fixtures` and read the
//! diff before committing.

use std::fs;
use std::path::{Path, PathBuf};

use lucid::render::{render, Format};
use serde_json::{json, Map, Value};

/// Metadata fields compared (and regenerated) from the article.
const META_FIELDS: &[&str] = &[
    "title",
    "byline",
    "site_name",
    "published",
    "lang",
    "dir",
    "truncated",
];

fn fixture_dirs() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut dirs: Vec<PathBuf> = fs::read_dir(&root)
        .expect("tests/fixtures exists")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.join("source.html").exists())
        .collect();
    dirs.sort();
    dirs
}

fn article_meta(a: &lucid::Article) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("title".into(), json!(a.meta.title));
    m.insert("byline".into(), json!(a.meta.byline));
    m.insert("site_name".into(), json!(a.meta.site_name));
    m.insert("published".into(), json!(a.meta.published));
    m.insert("lang".into(), json!(a.meta.lang));
    m.insert("dir".into(), json!(a.meta.dir));
    m.insert("truncated".into(), json!(a.truncated.is_some()));
    m
}

fn diff(expected: &str, got: &str) -> String {
    let e: Vec<&str> = expected.lines().collect();
    let g: Vec<&str> = got.lines().collect();
    let mut out = String::new();
    for i in 0..e.len().max(g.len()) {
        let (a, b) = (
            e.get(i).copied().unwrap_or(""),
            g.get(i).copied().unwrap_or(""),
        );
        if a != b {
            out.push_str(&format!(
                "    line {}:\n      expected: {a}\n      got:      {b}\n",
                i + 1
            ));
        }
    }
    out
}

/// Runs one fixture; returns the failures (empty when it passes).
fn check(dir: &Path, update: bool) -> Vec<String> {
    let mut fails = Vec::new();
    let source = fs::read(dir.join("source.html")).expect("source.html");
    let meta_path = dir.join("metadata.json");
    let mut meta: Map<String, Value> = fs::read_to_string(&meta_path)
        .ok()
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or_default();
    let url = meta
        .get("url")
        .and_then(Value::as_str)
        .unwrap_or("https://example.com/article");
    let opts = lucid::Options::for_url(url).expect("fixture url parses");
    let mut doc = lucid::dom::html::parse_bytes(&source);
    let result = lucid::extract(&mut doc, &opts);
    if meta.get("no_article").and_then(Value::as_bool) == Some(true) {
        match result {
            Err(lucid::ExtractError::NoArticle) => {}
            Err(e) => fails.push(format!("expected no article, got error {e}")),
            Ok(a) => fails.push(format!(
                "expected no article, got {:?}",
                render(&a, Format::Text)
            )),
        }
        return fails;
    }
    let article = match result {
        Ok(a) => a,
        Err(e) => return vec![format!("extraction failed: {e}")],
    };
    let html = render(&article, Format::Html);
    let md = render(&article, Format::Markdown);
    let text = render(&article, Format::Text);
    if update {
        fs::write(dir.join("expected.html"), &html).expect("write expected.html");
        if dir.join("expected.md").exists()
            || meta.get("markdown").and_then(Value::as_bool) == Some(true)
        {
            fs::write(dir.join("expected.md"), &md).expect("write expected.md");
        }
        for (k, v) in article_meta(&article) {
            meta.insert(k, v);
        }
        fs::write(
            &meta_path,
            serde_json::to_string_pretty(&Value::Object(meta.clone())).expect("json") + "\n",
        )
        .expect("write metadata.json");
    }
    match fs::read_to_string(dir.join("expected.html")) {
        Ok(want) if want != html => {
            fails.push(format!("expected.html differs:\n{}", diff(&want, &html)))
        }
        Err(_) => fails.push("expected.html missing (run with UPDATE_EXPECT=1)".into()),
        _ => {}
    }
    if let Ok(want) = fs::read_to_string(dir.join("expected.md")) {
        if want != md {
            fails.push(format!("expected.md differs:\n{}", diff(&want, &md)));
        }
    }
    let got_meta = article_meta(&article);
    for field in META_FIELDS {
        if let Some(want) = meta.get(*field) {
            if got_meta.get(*field) != Some(want) {
                fails.push(format!(
                    "metadata {field}: expected {want}, got {}",
                    got_meta[*field]
                ));
            }
        }
    }
    for s in meta
        .get("keep")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
    {
        if !text.contains(s) {
            fails.push(format!("text lost {s:?}"));
        }
    }
    for s in meta
        .get("drop")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
    {
        if text.contains(s) || html.contains(s) {
            fails.push(format!("text still has {s:?}"));
        }
    }
    for rule in meta
        .get("removed_rules")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
    {
        if !article.removed.iter().any(|r| r.rule == rule) {
            fails.push(format!("no removal by rule {rule:?}"));
        }
    }
    fails
}

#[test]
fn fixtures_match_expectations() {
    let update = std::env::var("UPDATE_EXPECT").is_ok();
    let dirs = fixture_dirs();
    assert!(dirs.len() >= 8, "fixtures missing");
    let mut report = String::new();
    for dir in &dirs {
        let fails = check(dir, update);
        if !fails.is_empty() {
            let slug = dir.file_name().unwrap().to_string_lossy();
            report.push_str(&format!("\n{slug}:\n  {}\n", fails.join("\n  ")));
        }
    }
    assert!(report.is_empty(), "failing fixtures:{report}");
}
