//! Fuzzing the whole pipeline on stable Rust: bytes → parse → extract → render, over mutations of
//! real pages (the fixtures, plus corpus pages when `../shared` is there). The mutator is seeded
//! (xorshift), so every failure reproduces: it prints the seed and the case number.
//!
//! Checked on every case: no panic; no hang (a case over [`HANG`] fails); every HTML rendering is
//! a fixed point of the sanitizer (reading it back through the allowlist changes nothing, so it
//! holds only what the allowlist allows). `./build.sh test` runs a bounded round (`FUZZ_CASES`,
//! default 400); `./build.sh fuzz` runs for `FUZZ_SECONDS` (default 1800) in release and also
//! reports the cases over one second.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use lucid::render::{html::sanitize_markup, render, Format};

/// A case that takes longer has hung (a guard, not a timing test).
const HANG: Duration = Duration::from_secs(20);

/// Fragments a mutation may insert: markup that stresses the tree builder, the heuristics and
/// the sanitizer.
const DICTIONARY: &[&str] = &[
    "<div>",
    "</div>",
    "<p>",
    "</p>",
    "<table><tr><td>",
    "</td></tr></table>",
    "<li>",
    "<ul>",
    "<script>alert(1)</script>",
    "<style>p{}</style>",
    "<!--",
    "-->",
    "<template>",
    "</template>",
    "<svg onload=alert(1)><use href=#x /></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<a href=\"javascript:alert(1)\">x</a>",
    "<a href=\"//evil.example/\">y</a>",
    "<img src=x onerror=alert(1)>",
    "<base href=\"javascript:alert(1)//\">",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
    "<iframe srcdoc=\"<script>alert(1)</script>\">",
    "<form><button formaction=javascript:alert(1)>",
    "&#0;",
    "&#x110000;",
    "&amp",
    "\0",
    "\u{feff}",
    "\u{202e}",
    "<h1>",
    "</h1>",
    "<article>",
    "<main>",
    "<div class=\"paywall modal\" style=\"position:fixed\">Subscribe to read</div>",
    "<p>Cookie notice: we use cookies, agree to our policy.</p>",
    "<pre>\n",
    "<code>",
    "<blockquote>",
    "<picture><source srcset=\"a.jpg 1x, javascript:x 2x\"><img src=\"a.jpg\"></picture>",
];

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

fn shared() -> PathBuf {
    std::env::var_os("LUCID_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared"))
}

/// Seed pages: every fixture, and every 25th page of each corpus.
fn seeds() -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&fixtures)
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    for corpus in ["dragnet", "readability", "trafilatura-dev"] {
        let mut pages: Vec<PathBuf> = std::fs::read_dir(shared().join("corpus").join(corpus))
            .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        pages.sort();
        dirs.extend(pages.into_iter().step_by(25));
    }
    dirs.sort();
    for dir in dirs {
        for name in ["source.html", "page.html"] {
            if let Ok(bytes) = std::fs::read(dir.join(name)) {
                out.push(bytes);
                break;
            }
        }
    }
    out
}

fn mutate(rng: &mut Rng, seeds: &[Vec<u8>]) -> Vec<u8> {
    let mut page = seeds[rng.below(seeds.len())].clone();
    for _ in 0..1 + rng.below(8) {
        let len = page.len();
        let at = rng.below(len + 1);
        match rng.below(6) {
            0 => {
                // Flip a few bytes.
                for _ in 0..1 + rng.below(16) {
                    if len > 0 {
                        let i = rng.below(len);
                        page[i] ^= 1 << rng.below(8);
                    }
                }
            }
            1 | 2 => {
                let piece = DICTIONARY[rng.below(DICTIONARY.len())].as_bytes();
                page.splice(at..at, piece.iter().copied());
            }
            3 => {
                let end = (at + rng.below(4096)).min(len);
                page.drain(at..end);
            }
            4 => {
                // Duplicate a range (repeated templates, deep nesting when it holds open tags).
                let end = (at + rng.below(2048)).min(len);
                let copy: Vec<u8> = page[at..end].to_vec();
                for _ in 0..1 + rng.below(4) {
                    page.splice(at..at, copy.iter().copied());
                }
            }
            _ => {
                // Splice in a piece of another page.
                let other = &seeds[rng.below(seeds.len())];
                let from = rng.below(other.len());
                let to = (from + rng.below(8192)).min(other.len());
                page.splice(at..at, other[from..to].iter().copied());
            }
        }
    }
    page
}

/// Runs one case on its own thread; returns how long it took and whether it gave an article (so
/// its HTML was checked), or why it failed.
fn run_case(bytes: Vec<u8>) -> Result<(Duration, bool), String> {
    let (done, finished) = std::sync::mpsc::channel();
    let t0 = Instant::now();
    std::thread::Builder::new()
        .stack_size(8 << 20)
        .spawn(move || {
            let mut doc = lucid::dom::html::parse_bytes(&bytes);
            let opts = lucid::Options::for_url("https://news.example/2026/story").unwrap();
            let mut verdict = Ok(false);
            if let Ok(article) = lucid::extract(&mut doc, &opts) {
                verdict = Ok(true);
                for f in [Format::Text, Format::Markdown, Format::Json] {
                    let _ = render(&article, f);
                }
                let html = render(&article, Format::Html);
                let again = sanitize_markup(&html);
                if again != html {
                    let at = html
                        .bytes()
                        .zip(again.bytes())
                        .position(|(a, b)| a != b)
                        .unwrap_or(html.len().min(again.len()));
                    let from = at.saturating_sub(80);
                    verdict = Err(format!(
                        "the HTML output is not a fixed point of the sanitizer near byte {at}:\n  out:   {:?}\n  again: {:?}",
                        html.get(from..(at + 80).min(html.len())).unwrap_or(""),
                        again.get(from..(at + 80).min(again.len())).unwrap_or("")
                    ));
                }
            }
            let _ = done.send(verdict);
        })
        .map_err(|e| format!("cannot start a thread: {e}"))?;
    match finished.recv_timeout(HANG) {
        Ok(Ok(article)) => Ok((t0.elapsed(), article)),
        Ok(Err(why)) => Err(why),
        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => Err(format!("hung: over {HANG:?}")),
        Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => Err("panicked".into()),
    }
}

#[test]
fn pipeline_survives_mutated_pages() {
    let seeds = seeds();
    assert!(
        seeds.len() >= 40,
        "need the fixtures at least ({} seeds)",
        seeds.len()
    );
    let seed: u64 = std::env::var("FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x5eed_1ac1d);
    let cases: usize = std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(400);
    let seconds: Option<u64> = std::env::var("FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok());
    let deadline = seconds.map(|s| Instant::now() + Duration::from_secs(s));
    let mut rng = Rng(seed | 1);
    let (mut n, mut articles, mut slow, mut slowest) = (0usize, 0usize, 0usize, Duration::ZERO);
    let mut failures = Vec::new();
    while deadline.map_or(n < cases, |d| Instant::now() < d) {
        let case = mutate(&mut rng, &seeds);
        match run_case(case) {
            Ok((took, article)) => {
                articles += usize::from(article);
                slowest = slowest.max(took);
                if took > Duration::from_secs(1) {
                    slow += 1;
                }
            }
            Err(why) => failures.push(format!("seed {seed}, case {n}: {why}")),
        }
        n += 1;
        if failures.len() >= 5 {
            break;
        }
    }
    println!(
        "fuzz: {n} cases from {} seed pages (seed {seed}), {articles} gave an article (HTML checked), {} failures, {slow} over 1 s, slowest {slowest:?}",
        seeds.len(),
        failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(
        articles * 2 > n,
        "most mutated pages should still give an article ({articles} of {n})"
    );
    if std::env::var_os("FUZZ_STRICT_TIME").is_some() {
        assert_eq!(slow, 0, "cases over 1 s per page");
    }
}
