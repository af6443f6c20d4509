//! `lucid-bench SHARED_CORPUS_DIR`: per corpus, median and p90 ms/page, pages/s and score.py F1
//! for Lucid, the `readability` crate (0.3) and `dom_smoothie` (0.19) on the same pages in the
//! same run, then ratios. Also runs Lucid with the paywall stage switched off to show what the
//! stage costs and that it removes no article text (the paywall issue's false-positive check).
//! Memory: each extractor's peak heap per page (bytes allocated and not yet freed, at the worst
//! moment of one extraction), counted by this binary's allocator in an untimed extra run.

use std::alloc::{GlobalAlloc, Layout, System};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, AtomicIsize, Ordering::Relaxed};
use std::time::Instant;

/// The system allocator, counting live heap bytes while [`TRACKING`] is on.
struct Counting;

/// Whether allocations are counted (off during the timed runs, so they time the same code).
static TRACKING: AtomicBool = AtomicBool::new(false);
/// Bytes allocated minus bytes freed since counting started (frees of older blocks make it dip).
static LIVE: AtomicIsize = AtomicIsize::new(0);
/// The highest [`LIVE`] seen since counting started.
static PEAK: AtomicIsize = AtomicIsize::new(0);

fn count(delta: isize) {
    if TRACKING.load(Relaxed) {
        let now = LIVE.fetch_add(delta, Relaxed) + delta;
        PEAK.fetch_max(now, Relaxed);
    }
}

// SAFETY: every call is forwarded unchanged to the system allocator; the counters are atomics
// and never affect what is allocated.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract for `alloc` is passed on as is.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            count(layout.size() as isize);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from `alloc`/`realloc` above, that is from `System`.
        unsafe { System.dealloc(ptr, layout) };
        count(-(layout.size() as isize));
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as for `dealloc`; `new_size` is the caller's, checked by its contract.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            count(new_size as isize - layout.size() as isize);
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Peak heap, in KiB, of one run of `f` on a page.
fn peak_kib(f: Extractor, html: &str, url: &str) -> f64 {
    LIVE.store(0, Relaxed);
    PEAK.store(0, Relaxed);
    TRACKING.store(true, Relaxed);
    let out = f(html, url);
    TRACKING.store(false, Relaxed);
    drop(out);
    PEAK.load(Relaxed).max(0) as f64 / 1024.0
}

mod corpus;

/// Each page is extracted this many times per extractor; the fastest run counts (less noise).
const RUNS_PER_PAGE: usize = 3;

type Extractor = fn(&str, &str) -> Option<String>;

fn lucid_text(html: &str, url: &str) -> Option<String> {
    let mut doc = lucid::dom::html::parse(html);
    let opts = lucid::Options::for_url(url).ok()?;
    let a = lucid::extract(&mut doc, &opts).ok()?;
    Some(lucid::render::render(&a, lucid::render::Format::Text))
}

fn lucid_no_paywall(html: &str, url: &str) -> Option<String> {
    let mut doc = lucid::dom::html::parse(html);
    let opts = lucid::Options {
        paywall: false,
        ..lucid::Options::for_url(url).ok()?
    };
    let a = lucid::extract(&mut doc, &opts).ok()?;
    Some(lucid::render::render(&a, lucid::render::Format::Text))
}

fn readability_text(html: &str, url: &str) -> Option<String> {
    let url = url::Url::parse(url).ok()?;
    let p = readability::extractor::extract(&mut html.as_bytes(), &url).ok()?;
    Some(p.text)
}

fn smoothie_text(html: &str, url: &str) -> Option<String> {
    let cfg = dom_smoothie::Config {
        text_mode: dom_smoothie::TextMode::Formatted,
        ..Default::default()
    };
    let mut r = dom_smoothie::Readability::new(html, Some(url), Some(cfg)).ok()?;
    let a = r.parse().ok()?;
    Some(a.text_content.to_string())
}

struct Result {
    name: &'static str,
    ms: Vec<f64>,
    /// Peak heap per page, KiB, sorted.
    kib: Vec<f64>,
    f1: f64,
    recall_by_page: Vec<(String, f64)>,
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[i]
}

/// Whether the corpus's pages carry `snippets.json` (trafilatura-dev) rather than a reference.
fn has_snippets(corpus: &Path) -> bool {
    std::fs::read_dir(corpus)
        .into_iter()
        .flatten()
        .filter_map(std::result::Result::ok)
        .any(|e| e.path().join("snippets.json").exists())
}

/// trafilatura-dev is scored by its keep/drop snippets (no per-page recall).
fn score_snippets(shared: &Path, preds: &Path, corpus: &Path) -> (f64, Vec<(String, f64)>) {
    let json = preds.join("summary.json");
    let out = Command::new("python3")
        .arg(shared.join("eval/snippets.py"))
        .arg("--preds")
        .arg(preds)
        .arg("--corpus")
        .arg(corpus)
        .arg("--json")
        .arg(&json)
        .output()
        .expect("python3");
    if !out.status.success() {
        eprintln!(
            "snippets.py failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap_or_default())
            .unwrap_or_default();
    (v["f1"].as_f64().unwrap_or(0.0), vec![])
}

fn score(shared: &Path, preds: &Path, gt: &Path) -> (f64, Vec<(String, f64)>) {
    if has_snippets(gt) {
        return score_snippets(shared, preds, gt);
    }
    let json = preds.join("summary.json");
    let tsv = preds.join("pages.tsv");
    let out = Command::new("python3")
        .arg(shared.join("eval/score.py"))
        .arg("--preds")
        .arg(preds)
        .arg("--gt")
        .arg(gt)
        .arg("--json")
        .arg(&json)
        .arg("--per-page")
        .arg(&tsv)
        .output()
        .expect("python3");
    if !out.status.success() {
        eprintln!("score.py failed: {}", String::from_utf8_lossy(&out.stderr));
        return (0.0, vec![]);
    }
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap_or_default())
            .unwrap_or_default();
    let pages = std::fs::read_to_string(&tsv)
        .unwrap_or_default()
        .lines()
        .skip(1)
        .filter_map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            Some((cols.first()?.to_string(), cols.get(3)?.parse().ok()?))
        })
        .collect();
    (v["f1"].as_f64().unwrap_or(0.0), pages)
}

/// (id, decoded HTML, the URL the page is served under) for every page of a corpus.
fn pages(shared: &Path, name: &str) -> Vec<(String, String, String)> {
    corpus::page_dirs(&shared.join("corpus").join(name))
        .iter()
        .map(|p| {
            let bytes = std::fs::read(p.join("source.html")).unwrap_or_default();
            let id = corpus::page_id(p);
            let url = corpus::page_url(&id);
            (id, lucid::dom::html::decode(&bytes), url)
        })
        .collect()
}

fn bench_corpus(
    shared: &Path,
    name: &str,
    extractors: &[(&'static str, Extractor)],
) -> Vec<Result> {
    let sources: Vec<(String, String)> = pages(shared, name)
        .into_iter()
        .map(|(id, html, _)| (id, html))
        .collect();
    // Extractors take turns on each page (and each run), so that a machine that speeds up or
    // slows down during the run affects all of them alike.
    let mut ms: Vec<Vec<f64>> = vec![Vec::new(); extractors.len()];
    let mut kib: Vec<Vec<f64>> = vec![Vec::new(); extractors.len()];
    let dirs: Vec<PathBuf> = extractors
        .iter()
        .map(|(ename, _)| {
            let dir = std::env::temp_dir().join(format!("lucid-bench-{name}-{ename}"));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).unwrap();
            dir
        })
        .collect();
    for (id, html) in &sources {
        let url = format!("http://127.0.0.1/{id}/");
        let mut best = vec![f64::MAX; extractors.len()];
        let mut texts: Vec<Option<String>> = vec![None; extractors.len()];
        for _ in 0..RUNS_PER_PAGE {
            for (i, (_, f)) in extractors.iter().enumerate() {
                let t = Instant::now();
                texts[i] = f(html, &url);
                best[i] = best[i].min(t.elapsed().as_secs_f64() * 1000.0);
            }
        }
        for (i, (_, f)) in extractors.iter().enumerate() {
            kib[i].push(peak_kib(*f, html, &url));
        }
        for (i, text) in texts.into_iter().enumerate() {
            ms[i].push(best[i]);
            std::fs::write(dirs[i].join(format!("{id}.txt")), text.unwrap_or_default()).unwrap();
        }
    }
    let mut results = Vec::new();
    for (i, (ename, _)) in extractors.iter().enumerate() {
        let mut m = std::mem::take(&mut ms[i]);
        m.sort_by(f64::total_cmp);
        let mut k = std::mem::take(&mut kib[i]);
        k.sort_by(f64::total_cmp);
        let (f1, recall_by_page) = score(shared, &dirs[i], &shared.join("corpus").join(name));
        results.push(Result {
            name: ename,
            ms: m,
            kib: k,
            f1,
            recall_by_page,
        });
    }
    results
}

fn print_table(corpus: &str, results: &[Result]) {
    println!(
        "\n{corpus} ({} pages)",
        results.first().map_or(0, |r| r.ms.len())
    );
    println!(
        "{:<22} {:>10} {:>10} {:>10} {:>8} {:>13} {:>10}",
        "extractor", "median ms", "p90 ms", "pages/s", "F1", "peak heap KiB", "p90 KiB"
    );
    for r in results {
        let total: f64 = r.ms.iter().sum();
        println!(
            "{:<22} {:>10.2} {:>10.2} {:>10.1} {:>8.4} {:>13.0} {:>10.0}",
            r.name,
            percentile(&r.ms, 0.5),
            percentile(&r.ms, 0.9),
            r.ms.len() as f64 / (total / 1000.0),
            r.f1,
            percentile(&r.kib, 0.5),
            percentile(&r.kib, 0.9)
        );
    }
    let lucid = percentile(&results[0].ms, 0.5);
    let lucid_kib = percentile(&results[0].kib, 0.5);
    for r in &results[1..] {
        println!(
            "  median ratio lucid / {}: {:.2} (time), {:.2} (peak heap)",
            r.name,
            lucid / percentile(&r.ms, 0.5),
            lucid_kib / percentile(&r.kib, 0.5)
        );
    }
}

fn print_paywall_check(corpus: &str, on: &Result, off: &Result) {
    let off_recall: std::collections::HashMap<&str, f64> = off
        .recall_by_page
        .iter()
        .map(|(id, r)| (id.as_str(), *r))
        .collect();
    let worst = on
        .recall_by_page
        .iter()
        .filter_map(|(id, r)| off_recall.get(id.as_str()).map(|o| (id, o - r)))
        .max_by(|a, b| a.1.total_cmp(&b.1));
    let on_med = percentile(&on.ms, 0.5);
    let off_med = percentile(&off.ms, 0.5);
    println!(
        "  paywall stage on vs off ({corpus}): F1 {:.4} vs {:.4}; largest per-page recall loss {}; median cost {:.1}% of extraction",
        on.f1,
        off.f1,
        worst.map_or("none".to_string(), |(id, d)| format!("{d:.4} ({id})")),
        (on_med - off_med) / on_med * 100.0
    );
}

/// Times the paywall stage alone against `extract` on the same parsed pages (each fastest of
/// [`RUNS_PER_PAGE`]; parsing and cloning excluded from both), and against the whole extraction
/// a reader waits for (parse + extract + render, the `lucid` row of the table): the stage's share
/// both ways.
fn print_paywall_share(shared: &Path, corpus: &str) {
    let mut stage_total = 0.0;
    let mut extract_total = 0.0;
    let mut pipeline_total = 0.0;
    let mut shares = Vec::new();
    let mut pipeline_shares = Vec::new();
    for (_, html, url) in pages(shared, corpus) {
        let doc = lucid::dom::html::parse(&html);
        let Ok(opts) = lucid::Options::for_url(&url) else {
            continue;
        };
        let best = |f: &dyn Fn(&mut lucid::dom::Document)| {
            (0..RUNS_PER_PAGE)
                .map(|_| {
                    let mut d = doc.clone();
                    let t = Instant::now();
                    f(&mut d);
                    t.elapsed().as_secs_f64() * 1000.0
                })
                .fold(f64::INFINITY, f64::min)
        };
        let stage = best(&|d| {
            let mut removed = lucid::article::Removed::default();
            let prose = lucid::safety::ProseMass::measure(d, "");
            lucid::paywall::strip_prompts(d, &prose, &mut removed);
        });
        let whole = best(&|d| {
            let _ = lucid::extract(d, &opts);
        });
        let pipeline = (0..RUNS_PER_PAGE)
            .map(|_| {
                let t = Instant::now();
                let _ = lucid_text(&html, &url);
                t.elapsed().as_secs_f64() * 1000.0
            })
            .fold(f64::INFINITY, f64::min);
        stage_total += stage;
        extract_total += whole;
        pipeline_total += pipeline;
        if whole > 0.0 && pipeline > 0.0 {
            shares.push(stage / whole * 100.0);
            pipeline_shares.push(stage / pipeline * 100.0);
        }
    }
    shares.sort_by(f64::total_cmp);
    pipeline_shares.sort_by(f64::total_cmp);
    println!(
        "  paywall stage alone ({corpus}) vs extract() on a parsed page: {:.1}% in total, median page {:.1}%, p90 {:.1}%",
        stage_total / extract_total.max(f64::EPSILON) * 100.0,
        percentile(&shares, 0.5),
        percentile(&shares, 0.9)
    );
    println!(
        "  paywall stage alone ({corpus}) vs the whole extraction (parse + extract + render): {:.1}% in total, median page {:.1}%, p90 {:.1}%",
        stage_total / pipeline_total.max(f64::EPSILON) * 100.0,
        percentile(&pipeline_shares, 0.5),
        percentile(&pipeline_shares, 0.9)
    );
}

fn main() {
    let corpus_dir = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("../shared/corpus"));
    let shared = corpus_dir
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let extractors: [(&'static str, Extractor); 4] = [
        ("lucid", lucid_text),
        ("readability 0.3", readability_text),
        ("dom_smoothie 0.19", smoothie_text),
        ("lucid (paywall off)", lucid_no_paywall),
    ];
    for corpus in ["dragnet", "readability", "trafilatura-dev"] {
        let results = bench_corpus(&shared, corpus, &extractors);
        print_table(corpus, &results[..3]);
        if !results[0].recall_by_page.is_empty() {
            print_paywall_check(corpus, &results[0], &results[3]);
        }
        print_paywall_share(&shared, corpus);
    }
}
