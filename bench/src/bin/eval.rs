//! `lucid-eval SHARED_DIR [--compare] [--worst N] [--corpus NAME]...`: extraction quality on
//! every dev corpus, Lucid beside dom_smoothie (a Readability port) page by page.
//!
//! - Always: per corpus, the official score (`score.py` for dragnet and readability, `snippets.py`
//!   for trafilatura-dev) of both extractors, and Lucid's empty outputs on pages with a reference.
//! - `--compare`: the pages where Lucid's page F1 is at least [`FAR_BELOW`] under dom_smoothie's,
//!   with the text Lucid lost and the rule that removed it (the safety check of issue #16).
//! - `--worst N`: a failure gallery: Lucid's N worst pages per corpus, what is missing, what
//!   leaked, and which rule or stage is responsible.
//!
//! Predictions are written to `target/eval/<corpus>/<extractor>/<id>.txt`, so the scorers can be
//! rerun by hand. Lucid keeps whole removed blocks here (not the reader's 160-character clips) so
//! that a missing passage can be traced to the rule that took it.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

#[path = "../corpus.rs"]
mod corpus;

/// A page whose F1 is this far below dom_smoothie's is a regression to explain.
const FAR_BELOW: f64 = 0.3;

/// Reference lines shorter than this many tokens are not worth tracing (bylines, dates).
const MIN_TRACED_TOKENS: usize = 8;

/// A reference line counts as missing when less than this share of its words reached the output.
const MISSING_LINE_COVERAGE: f64 = 0.5;

/// How many missing or leaked passages the gallery shows per page.
const SHOWN_PASSAGES: usize = 3;

/// The corpora and how each is scored.
const CORPORA: &[(&str, Scorer)] = &[
    ("dragnet", Scorer::Reference),
    ("readability", Scorer::Reference),
    ("trafilatura-dev", Scorer::Snippets),
];

#[derive(Clone, Copy, PartialEq)]
enum Scorer {
    /// `score.py`: token F1 against a reference text.
    Reference,
    /// `snippets.py`: must-keep and must-drop passages.
    Snippets,
}

struct Page {
    id: String,
    html: String,
    url: String,
    /// Snippets corpus: (keep, drop) passages.
    snippets: Option<(Vec<String>, Vec<String>)>,
    /// Reference corpora: the reference text.
    reference: Option<String>,
}

struct LucidRun {
    text: String,
    /// The title Lucid shows above the text (the page's headline leaves the body for it).
    title: String,
    removed: Vec<lucid::Removal>,
    error: Option<String>,
}

struct PageResult {
    lucid: LucidRun,
    smoothie: String,
}

fn main() {
    let mut args = std::env::args().skip(1);
    let mut shared = PathBuf::from("../shared");
    let mut compare = false;
    let mut worst = 0usize;
    let mut only: Vec<String> = Vec::new();
    while let Some(a) = args.next() {
        match a.as_str() {
            "--compare" => compare = true,
            "--worst" => worst = args.next().and_then(|n| n.parse().ok()).unwrap_or(10),
            "--corpus" => only.extend(args.next()),
            _ => shared = PathBuf::from(a),
        }
    }
    let out_root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/eval");
    let mut regressions = 0;
    let mut empties = 0;
    for &(name, scorer) in CORPORA {
        if !only.is_empty() && !only.iter().any(|o| o == name) {
            continue;
        }
        let pages = load(&shared, name, scorer);
        let results = run_all(&pages);
        let dirs = write_preds(&out_root.join(name), &pages, &results);
        println!("\n== {name} ({} pages)", pages.len());
        let lucid_f1 = score(&shared, name, scorer, &dirs.0);
        let smoothie_f1 = score(&shared, name, scorer, &dirs.1);
        let empty: Vec<&str> = pages
            .iter()
            .zip(&results)
            .filter(|(p, r)| has_reference(p) && r.lucid.text.trim().is_empty())
            .map(|(p, _)| p.id.as_str())
            .collect();
        empties += empty.len();
        println!(
            "  empty outputs on pages with a reference: {} {:?}",
            empty.len(),
            empty
        );
        if compare {
            regressions += print_compare(&pages, &results, &lucid_f1, &smoothie_f1);
        }
        if worst > 0 {
            print_worst(&pages, &results, &lucid_f1, worst);
        }
    }
    if compare {
        println!(
            "\npages ≥ {FAR_BELOW} below dom_smoothie: {regressions}; empty outputs: {empties}"
        );
    }
}

fn has_reference(p: &Page) -> bool {
    p.reference.as_deref().is_some_and(|r| !r.trim().is_empty())
        || p.snippets
            .as_ref()
            .is_some_and(|(keep, _)| !keep.is_empty())
}

fn load(shared: &Path, name: &str, scorer: Scorer) -> Vec<Page> {
    corpus::page_dirs(&shared.join("corpus").join(name))
        .iter()
        .map(|dir| {
            let id = corpus::page_id(dir);
            let html = lucid::dom::html::decode(&std::fs::read(dir.join("source.html")).unwrap());
            let mut page = Page {
                url: corpus::page_url(&id),
                id,
                html,
                snippets: None,
                reference: None,
            };
            match scorer {
                Scorer::Snippets => {
                    let spec: serde_json::Value = serde_json::from_str(
                        &std::fs::read_to_string(dir.join("snippets.json")).unwrap_or_default(),
                    )
                    .unwrap_or_default();
                    let list = |k: &str| -> Vec<String> {
                        spec[k]
                            .as_array()
                            .map(|a| {
                                a.iter()
                                    .filter_map(|s| s.as_str().map(String::from))
                                    .collect()
                            })
                            .unwrap_or_default()
                    };
                    page.snippets = Some((list("with"), list("without")));
                }
                Scorer::Reference => page.reference = reference_text(shared, dir),
            }
            page
        })
        .collect()
}

/// The reference text as score.py reads it (expected.txt, or the visible text of expected.html).
fn reference_text(shared: &Path, dir: &Path) -> Option<String> {
    if let Ok(t) = std::fs::read_to_string(dir.join("expected.txt")) {
        return Some(t);
    }
    let html = dir.join("expected.html");
    let out = Command::new("python3")
        .arg(shared.join("eval/score.py"))
        .arg("visible-text")
        .arg(&html)
        .output()
        .ok()?;
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

fn run_lucid(page: &Page) -> LucidRun {
    let mut doc = lucid::dom::html::parse(&page.html);
    let opts = lucid::Options {
        removal_text_chars: usize::MAX,
        ..lucid::Options::for_url(&page.url).unwrap_or_default()
    };
    match lucid::extract(&mut doc, &opts) {
        Ok(a) => LucidRun {
            text: lucid::render::render(&a, lucid::render::Format::Text),
            title: a.meta.title.clone(),
            removed: a.removed,
            error: None,
        },
        Err(e) => LucidRun {
            text: String::new(),
            title: String::new(),
            removed: Vec::new(),
            error: Some(e.to_string()),
        },
    }
}

fn run_smoothie(page: &Page) -> String {
    let cfg = dom_smoothie::Config {
        text_mode: dom_smoothie::TextMode::Formatted,
        ..Default::default()
    };
    dom_smoothie::Readability::new(page.html.as_str(), Some(&page.url), Some(cfg))
        .ok()
        .and_then(|mut r| r.parse().ok())
        .map(|a| a.text_content.to_string())
        .unwrap_or_default()
}

/// Both extractors on every page, two threads (the machine has two cores).
fn run_all(pages: &[Page]) -> Vec<PageResult> {
    let next = AtomicUsize::new(0);
    let out: Mutex<Vec<Option<PageResult>>> = Mutex::new((0..pages.len()).map(|_| None).collect());
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                let Some(page) = pages.get(i) else { break };
                let r = PageResult {
                    lucid: run_lucid(page),
                    smoothie: run_smoothie(page),
                };
                out.lock().unwrap()[i] = Some(r);
            });
        }
    });
    out.into_inner()
        .unwrap()
        .into_iter()
        .map(Option::unwrap)
        .collect()
}

fn write_preds(dir: &Path, pages: &[Page], results: &[PageResult]) -> (PathBuf, PathBuf) {
    let lucid = dir.join("lucid");
    let smoothie = dir.join("dom_smoothie");
    for d in [&lucid, &smoothie] {
        let _ = std::fs::remove_dir_all(d);
        std::fs::create_dir_all(d).unwrap();
    }
    for (p, r) in pages.iter().zip(results) {
        std::fs::write(lucid.join(format!("{}.txt", p.id)), &r.lucid.text).unwrap();
        std::fs::write(smoothie.join(format!("{}.txt", p.id)), &r.smoothie).unwrap();
    }
    (lucid, smoothie)
}

/// Runs the corpus's official scorer on `preds`, prints its summary line, and returns page F1s.
fn score(shared: &Path, name: &str, scorer: Scorer, preds: &Path) -> HashMap<String, f64> {
    let corpus = shared.join("corpus").join(name);
    let label = preds.file_name().unwrap().to_string_lossy().to_string();
    let mut cmd = Command::new("python3");
    match scorer {
        Scorer::Reference => cmd
            .arg(shared.join("eval/score.py"))
            .arg("--preds")
            .arg(preds)
            .arg("--gt")
            .arg(&corpus)
            .arg("--per-page")
            .arg(preds.join("pages.tsv")),
        Scorer::Snippets => cmd
            .arg(shared.join("eval/snippets.py"))
            .arg("--preds")
            .arg(preds)
            .arg("--corpus")
            .arg(&corpus)
            .arg("--json")
            .arg(preds.join("pages.json")),
    };
    let out = cmd.output().expect("python3 runs the scorer");
    let summary = String::from_utf8_lossy(&out.stdout);
    println!(
        "  {label:<13} {}",
        summary.lines().next().unwrap_or("(no output)")
    );
    match scorer {
        Scorer::Reference => std::fs::read_to_string(preds.join("pages.tsv"))
            .unwrap_or_default()
            .lines()
            .skip(1)
            .filter_map(|l| {
                let mut cols = l.split('\t');
                Some((cols.next()?.to_string(), cols.next()?.parse().ok()?))
            })
            .collect(),
        // Page F1 of snippet pages is counted in `page_f1` from the snippets themselves.
        Scorer::Snippets => HashMap::new(),
    }
}

fn f1_counts(tp: f64, fp: f64, fn_: f64) -> f64 {
    if tp.is_nan() {
        return f64::NAN;
    }
    if fp == 0.0 && fn_ == 0.0 {
        return 1.0;
    }
    if tp <= 0.0 {
        return 0.0;
    }
    let p = tp / (tp + fp);
    let r = tp / (tp + fn_);
    2.0 * p * r / (p + r)
}

/// Page F1 for either scorer, computed here for snippet pages (exact counts).
fn page_f1(page: &Page, text: &str, scored: &HashMap<String, f64>) -> f64 {
    match &page.snippets {
        Some((keep, drop)) => {
            let missing = snippets_found(keep, text, false).len() as f64;
            let leaked = snippets_found(drop, text, true).len() as f64;
            f1_counts(keep.len() as f64 - missing, leaked, missing)
        }
        None => scored.get(&page.id).copied().unwrap_or(0.0),
    }
}

fn norm(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn tokens(s: &str) -> Vec<String> {
    s.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect()
}

/// The lines of `text` (long enough to trace) most of whose words `other` lacks.
fn uncovered_lines(text: &str, other: &str) -> Vec<String> {
    let have: std::collections::HashSet<String> = tokens(other).into_iter().collect();
    text.lines()
        .filter(|line| {
            let toks = tokens(line);
            toks.len() >= MIN_TRACED_TOKENS
                && (toks.iter().filter(|t| have.contains(*t)).count() as f64)
                    < toks.len() as f64 * MISSING_LINE_COVERAGE
        })
        .map(norm)
        .collect()
}

/// The snippets of `list` that are (`present`) or are not in `text`.
fn snippets_found(list: &[String], text: &str, present: bool) -> Vec<String> {
    let t = norm(text);
    list.iter()
        .filter(|s| t.contains(&norm(s)) == present)
        .cloned()
        .collect()
}

/// Passages of the reference that did not reach `text`: snippets, or reference lines most of
/// whose words are absent.
fn missing_passages(page: &Page, text: &str) -> Vec<String> {
    match &page.snippets {
        Some((keep, _)) => snippets_found(keep, text, false),
        None => uncovered_lines(page.reference.as_deref().unwrap_or(""), text),
    }
}

/// Passages of `text` that should not be there: leaked snippets, or output lines most of whose
/// words the reference lacks.
fn leaked_passages(page: &Page, text: &str) -> Vec<String> {
    match &page.snippets {
        Some((_, drop)) => snippets_found(drop, text, true),
        None => uncovered_lines(text, page.reference.as_deref().unwrap_or("")),
    }
}

/// The rule whose removed block holds `passage`, or why no rule is to blame.
fn responsible(page: &Page, run: &LucidRun, passage: &str) -> String {
    if let Some(e) = &run.error {
        return format!("no output: {e}");
    }
    let probe: String = passage.chars().take(60).collect();
    let probe = norm(&probe);
    let mut taken = run
        .removed
        .iter()
        .filter(|r| r.rule != lucid::article::SPARED_RULE);
    if let Some(r) = taken.find(|r| norm(&r.text).contains(&probe)) {
        return format!("removed by {} ({})", r.rule, r.reason);
    }
    if !run.title.is_empty() && norm(&run.title).contains(&probe) {
        return "shown as the title above the text".into();
    }
    let words = tokens(&probe);
    let within = |hay: &str| {
        let hay = norm(hay);
        words.iter().all(|w| hay.contains(w.as_str()))
    };
    if within(&markup_text(&page.html)) {
        "not selected (outside the chosen container, no removal record)".into()
    } else if within(&page.html) {
        "only in a script or JSON-LD (data Lucid never shows as text)".into()
    } else {
        "not in the page's markup (built by script, or encoded)".into()
    }
}

/// The text a browser could show from the page's markup: every text node outside `<script>`,
/// `<style>` and `<template>` (JSON-LD included among the scripts).
fn markup_text(html: &str) -> String {
    let doc = lucid::dom::html::parse(html);
    let mut out = String::new();
    for n in doc.descendants(doc.root()) {
        let Some(t) = doc.text(n) else { continue };
        let hidden = doc
            .parent(n)
            .is_some_and(|p| matches!(doc.tag(p), "script" | "style" | "template"));
        if !hidden {
            out.push_str(t);
            out.push(' ');
        }
    }
    out
}

fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        return s.to_string();
    }
    let mut c: String = s.chars().take(n).collect();
    c.push('…');
    c
}

fn print_page(page: &Page, r: &PageResult, lucid: f64, smoothie: Option<f64>) {
    let vs = smoothie.map_or(String::new(), |s| format!(" vs dom_smoothie {s:.2}"));
    println!(
        "  {}  F1 {lucid:.2}{vs}  ({} words out)",
        page.id,
        r.lucid.text.split_whitespace().count()
    );
    for m in missing_passages(page, &r.lucid.text)
        .iter()
        .take(SHOWN_PASSAGES)
    {
        println!(
            "      missing {:?}\n          ← {}",
            clip(m, 90),
            responsible(page, &r.lucid, m)
        );
    }
    for l in leaked_passages(page, &r.lucid.text)
        .iter()
        .take(SHOWN_PASSAGES)
    {
        println!("      leaked  {:?}", clip(l, 90));
    }
}

fn print_compare(
    pages: &[Page],
    results: &[PageResult],
    lucid: &HashMap<String, f64>,
    smoothie: &HashMap<String, f64>,
) -> usize {
    let mut n = 0;
    for (p, r) in pages.iter().zip(results) {
        if !has_reference(p) {
            continue;
        }
        let l = page_f1(p, &r.lucid.text, lucid);
        let s = page_f1(p, &r.smoothie, smoothie);
        if l <= s - FAR_BELOW {
            if n == 0 {
                println!("  pages where Lucid is ≥ {FAR_BELOW} below dom_smoothie:");
            }
            n += 1;
            print_page(p, r, l, Some(s));
        }
    }
    println!("  {n} pages ≥ {FAR_BELOW} below dom_smoothie");
    n
}

fn print_worst(pages: &[Page], results: &[PageResult], lucid: &HashMap<String, f64>, k: usize) {
    let mut ranked: Vec<(f64, usize)> = pages
        .iter()
        .zip(results)
        .enumerate()
        .filter(|(_, (p, _))| has_reference(p))
        .map(|(i, (p, r))| (page_f1(p, &r.lucid.text, lucid), i))
        .collect();
    ranked.sort_by(|a, b| a.0.total_cmp(&b.0));
    println!("  the {k} worst pages:");
    for &(f1, i) in ranked.iter().take(k) {
        print_page(&pages[i], &results[i], f1, None);
    }
}
