//! `lucid-outputs SHARED_DIR FILE [--check]`: a fingerprint of Lucid's output on every corpus
//! page — text, Markdown, HTML and JSON, each hashed — written to FILE, or with `--check`
//! compared with FILE (written earlier): the pages whose output changed, per format. Proves that
//! a refactor changed no output ("byte-identical on all corpus pages before and after").

use std::collections::BTreeMap;
use std::path::Path;

#[path = "../corpus.rs"]
mod corpus;

/// The corpora whose pages are fingerprinted.
const CORPORA: &[&str] = &["dragnet", "readability", "trafilatura-dev"];

/// The formats, in column order.
const FORMATS: &[(&str, lucid::render::Format)] = &[
    ("text", lucid::render::Format::Text),
    ("markdown", lucid::render::Format::Markdown),
    ("html", lucid::render::Format::Html),
    ("json", lucid::render::Format::Json),
];

/// FNV-1a, 64 bits: stable across builds and toolchains (unlike `DefaultHasher`).
fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn fingerprint(shared: &Path) -> BTreeMap<String, Vec<u64>> {
    let mut out = BTreeMap::new();
    for name in CORPORA {
        for page in corpus::page_dirs(&shared.join("corpus").join(name)) {
            let id = corpus::page_id(&page);
            let bytes = std::fs::read(page.join("source.html")).unwrap();
            let url = corpus::page_url(&id);
            let opts = lucid::Options::for_url(&url).unwrap_or_default();
            let mut doc = lucid::dom::html::parse_bytes(&bytes);
            let hashes = match lucid::extract(&mut doc, &opts) {
                Ok(a) => FORMATS
                    .iter()
                    .map(|&(_, f)| fnv(lucid::render::render(&a, f).as_bytes()))
                    .collect(),
                Err(e) => vec![fnv(e.to_string().as_bytes()); FORMATS.len()],
            };
            out.insert(format!("{name}/{id}"), hashes);
        }
    }
    out
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(shared), Some(file)) = (args.first(), args.get(1)) else {
        eprintln!("usage: lucid-outputs SHARED_DIR FILE [--check]");
        std::process::exit(2);
    };
    let now = fingerprint(Path::new(shared));
    if args.get(2).map(String::as_str) != Some("--check") {
        let lines: String = now
            .iter()
            .map(|(page, h)| {
                let cols: Vec<String> = h.iter().map(|x| format!("{x:016x}")).collect();
                format!("{page}\t{}\n", cols.join("\t"))
            })
            .collect();
        std::fs::write(file, lines).unwrap_or_else(|e| panic!("{file}: {e}"));
        println!("{} pages fingerprinted into {file}", now.len());
        return;
    }
    let before = std::fs::read_to_string(file).unwrap_or_else(|e| panic!("{file}: {e}"));
    let mut changed = 0;
    let mut seen = 0;
    for line in before.lines() {
        let mut cols = line.split('\t');
        let Some(page) = cols.next() else { continue };
        seen += 1;
        let old: Vec<&str> = cols.collect();
        let Some(new) = now.get(page) else {
            println!("{page}: gone");
            changed += 1;
            continue;
        };
        let diff: Vec<&str> = FORMATS
            .iter()
            .zip(new)
            .zip(&old)
            .filter(|((_, n), o)| format!("{n:016x}") != **o)
            .map(|((f, _), _)| f.0)
            .collect();
        if !diff.is_empty() {
            println!("{page}: {} changed", diff.join(", "));
            changed += 1;
        }
    }
    println!("{seen} pages compared, {changed} with changed output");
    std::process::exit(i32::from(changed > 0 || seen != now.len()));
}
