//! `lucid-stress SHARED_DIR [--show N]`: does Lucid hold up when a page's layout changes the
//! way unseen sites differ from our corpora? Every page of every dev corpus is extracted as it
//! is, then again after each of a few generic perturbations, the classes of failure issue #16
//! saw on pages outside the corpora:
//!
//! - `wrapper flags`, `body flags`: the article's outermost wrapper, or the innermost block
//!   holding half the page's paragraphs, carries layout flags with boilerplate words in them
//!   (`modal-enabled`, `has-sidebar`, `comments-open`): a class word is evidence, not proof.
//! - `cookie notice`: an 80-word consent notice opens the body (named) and closes it
//!   (unnamed): a consent notice is never the article, and never in it.
//! - `split body`: the container holding the most paragraphs is cut into three siblings of the
//!   same class, with an ad and a related-links box (each in its own grid row) between them.
//! - `banded body`: the same three parts, each in a band of its own as page builders lay them
//!   out (a wrapper holding an empty heading row and the text's row), in place of the container,
//!   with an ad band and a related-links band between them.
//! - `inline signup`: a newsletter box sits between the article's second and third paragraph.
//!
//! None of these changes the article, so the perturbed output should keep the words of the
//! plain output (recall) and none of the inserted boilerplate (leaks). Per perturbation it
//! prints the mean recall, the pages that lost at least [`LOST`] of their words, the pages where
//! inserted text leaked, and the worst pages with the rule that took the most text.

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use lucid::dom::{Document, NodeId};

#[path = "../corpus.rs"]
mod corpus;

/// A page whose perturbed output keeps less than `1 - LOST` of its words lost its article.
const LOST: f64 = 0.3;

/// Class tokens added to the article's wrappers: real layout flags that contain words the
/// boilerplate rules look for.
const FLAG_CLASSES: &str = "modal-enabled has-sidebar comments-open";

const COOKIE_TEXT: &str = "We and our partners use cookies and similar technologies to store \
    and access information on your device, to measure how our site is used, to personalise \
    content and adverts and to provide social media features. By clicking Accept all you \
    consent to the processing of your data for these purposes; you can change your choice at \
    any time by choosing Manage preferences at the bottom of every page of this website.";

const SIGNUP: &str = "<div class=\"inline-signup\"><h3>Get the morning briefing</h3>\
    <p>Sign up for our free newsletter and get the day's top stories in your inbox every \
    morning, straight from our newsroom.</p><form><input type=\"email\" \
    placeholder=\"Your email\"><button>Sign up</button></form></div>";

const AD_ROW: &str = "<div class=\"row\"><div class=\"col ad-container\"><span>Advertisement\
    </span><div class=\"ad-slot\"></div></div></div>";

const RELATED_ROW: &str = "<div class=\"row\"><div class=\"col related-box\"><h4>More stories \
    </h4><ul><li><a href=\"/a\">Council approves the new harbour bridge after a long wait</a>\
    </li><li><a href=\"/b\">Five things to know about the spring budget vote</a></li>\
    <li><a href=\"/c\">Residents rally to save the old library building downtown</a></li>\
    </ul></div></div>";

/// What each perturbation inserted that must not reach the output.
const COOKIE_PROBE: &str = "use cookies and similar technologies";
const SIGNUP_PROBE: &str = "Sign up for our free newsletter";
const RELATED_PROBE: &str = "new harbour bridge";

type Perturb = fn(&mut Document) -> Option<Option<&'static str>>;

/// The perturbations: name and function. A function returns `None` when it does not apply to
/// the page, else the probe that must not leak (if any).
const PERTURBATIONS: &[(&str, Perturb)] = &[
    ("wrapper flags", wrapper_flags),
    ("body flags", body_flags),
    ("cookie notice", cookie_notice),
    ("split body", split_body),
    ("banded body", banded_body),
    ("inline signup", inline_signup),
];

fn main() {
    let mut args = std::env::args().skip(1);
    let shared = args
        .next()
        .expect("usage: lucid-stress SHARED_DIR [--show N]");
    let mut show = 8;
    let mut dump: Option<(String, String)> = None;
    let mut html_out: Option<String> = None;
    while let Some(a) = args.next() {
        if a == "--show" {
            show = args.next().and_then(|v| v.parse().ok()).unwrap_or(show);
        } else if a == "--dump" {
            dump = Some((
                args.next().unwrap_or_default(),
                args.next().unwrap_or_default(),
            ));
        } else if a == "--html" {
            html_out = args.next();
        }
    }
    if let Some((page, which)) = dump {
        return dump_page(&shared, &page, &which, html_out.as_deref());
    }
    let mut pages = Vec::new();
    for name in ["dragnet", "readability", "trafilatura-dev"] {
        for dir in corpus::page_dirs(&Path::new(&shared).join("corpus").join(name)) {
            let id = corpus::page_id(&dir);
            let html = lucid::dom::html::decode(&std::fs::read(dir.join("source.html")).unwrap());
            pages.push((format!("{name}/{id}"), corpus::page_url(&id), html));
        }
    }
    let results = run_all(&pages);
    println!("== stress: {} pages, each plain and perturbed", pages.len());
    let mut failures = 0;
    for (k, (name, _)) in PERTURBATIONS.iter().enumerate() {
        let runs: Vec<(&str, &Outcome)> = pages
            .iter()
            .zip(&results)
            .filter_map(|(p, r)| r[k].as_ref().map(|o| (p.0.as_str(), o)))
            .collect();
        let mean = runs.iter().map(|(_, o)| o.recall).sum::<f64>() / runs.len().max(1) as f64;
        let mut lost: Vec<&(&str, &Outcome)> =
            runs.iter().filter(|(_, o)| o.recall < 1.0 - LOST).collect();
        lost.sort_by(|a, b| a.1.recall.total_cmp(&b.1.recall));
        let leaked: Vec<&str> = runs
            .iter()
            .filter(|(_, o)| o.leaked)
            .map(|(id, _)| *id)
            .collect();
        println!(
            "\n{name}: {} pages, mean recall of the plain output {mean:.4}; \
             {} lost ≥ {LOST} of it; inserted text leaked on {}",
            runs.len(),
            lost.len(),
            leaked.len()
        );
        for (id, o) in lost.iter().take(show) {
            println!("  {id}  recall {:.2}  ← {}", o.recall, o.blame);
        }
        if !leaked.is_empty() {
            println!(
                "  leaked on: {}",
                leaked
                    .iter()
                    .take(show)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
        failures += lost.len();
    }
    println!("\npages that lost their article under a perturbation: {failures}");
}

struct Outcome {
    recall: f64,
    leaked: bool,
    blame: String,
}

/// Each page plain, then under each perturbation, two threads (the machine has two cores).
fn run_all(pages: &[(String, String, String)]) -> Vec<Vec<Option<Outcome>>> {
    let next = AtomicUsize::new(0);
    let out: Mutex<Vec<Vec<Option<Outcome>>>> =
        Mutex::new((0..pages.len()).map(|_| Vec::new()).collect());
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                let Some((_, url, html)) = pages.get(i) else {
                    break;
                };
                let r = stress_page(url, html);
                out.lock().unwrap()[i] = r;
            });
        }
    });
    out.into_inner().unwrap()
}

fn extract(doc: &mut Document, url: &str) -> (String, Vec<lucid::Removal>) {
    let opts = lucid::Options {
        removal_text_chars: 120,
        ..lucid::Options::for_url(url).unwrap_or_default()
    };
    match lucid::extract(doc, &opts) {
        Ok(a) => (
            lucid::render::render(&a, lucid::render::Format::Text),
            a.removed,
        ),
        Err(e) => (
            String::new(),
            vec![lucid::Removal {
                rule: "error".into(),
                reason: e.to_string(),
                text: String::new(),
                chars: 0,
            }],
        ),
    }
}

fn stress_page(url: &str, html: &str) -> Vec<Option<Outcome>> {
    let (plain, plain_removed) = extract(&mut lucid::dom::html::parse(html), url);
    let words = bag(&plain);
    let total: usize = words.values().sum();
    PERTURBATIONS
        .iter()
        .map(|(_, perturb)| {
            if total == 0 {
                return None;
            }
            let mut doc = lucid::dom::html::parse(html);
            let probe = perturb(&mut doc)?;
            let (text, removed) = extract(&mut doc, url);
            let got = bag(&text);
            let kept: usize = words
                .iter()
                .map(|(w, &n)| n.min(got.get(w).copied().unwrap_or(0)))
                .sum();
            Some(Outcome {
                recall: kept as f64 / total as f64,
                leaked: probe.is_some_and(|p| text.contains(p)),
                blame: blame(&plain_removed, &removed),
            })
        })
        .collect()
}

/// The rule that took the most text under the perturbation beyond what it took plainly.
fn blame(plain: &[lucid::Removal], perturbed: &[lucid::Removal]) -> String {
    let mut by_rule: HashMap<(&str, &str), i64> = HashMap::new();
    for r in perturbed {
        *by_rule.entry((&r.rule, &r.reason)).or_default() += r.chars as i64;
    }
    for r in plain {
        *by_rule.entry((&r.rule, &r.reason)).or_default() -= r.chars as i64;
    }
    by_rule
        .into_iter()
        .max_by_key(|&(_, chars)| chars)
        .filter(|&(_, chars)| chars > 0)
        .map_or(
            "no rule took more text (selection)".into(),
            |((rule, reason), chars)| format!("{rule} ({reason}): +{chars} chars"),
        )
}

fn bag(text: &str) -> HashMap<&str, usize> {
    let mut m = HashMap::new();
    for w in text.split_whitespace() {
        *m.entry(w).or_default() += 1;
    }
    m
}

/// Characters of `<p>` text under each element (by arena index).
fn paragraph_mass(doc: &Document) -> Vec<usize> {
    let mut mass = vec![0usize; doc.len() + 1];
    for n in doc.post_order(doc.root()) {
        let own = if doc.is(n, "p") {
            doc.text_content(n).trim().chars().count()
        } else {
            doc.children(n).map(|c| mass[c.index()]).sum()
        };
        mass[n.index()] = own;
    }
    mass
}

/// The elements below `<body>` holding at least half the page's paragraph text: the article
/// and its wrappers.
fn article_chain(doc: &Document) -> Vec<NodeId> {
    let mass = paragraph_mass(doc);
    let body = doc.body();
    let total = mass[body.index()];
    if total == 0 {
        return Vec::new();
    }
    doc.descendants(body)
        .skip(1)
        .filter(|&n| doc.is_element(n) && mass[n.index()] * 2 >= total)
        .collect()
}

/// The element below `<body>` with the most `<p>` children (at least four).
fn paragraph_container(doc: &Document) -> Option<NodeId> {
    doc.descendants(doc.body())
        .skip(1)
        .filter(|&n| doc.is_element(n))
        .map(|n| {
            (
                doc.element_children(n).filter(|&c| doc.is(c, "p")).count(),
                n,
            )
        })
        .filter(|&(k, _)| k >= 4)
        .max_by_key(|&(k, _)| k)
        .map(|(_, n)| n)
}

/// Parses `html` and inserts its body's children before `before` (or appends them to `parent`);
/// returns the inserted nodes.
fn insert_html(
    doc: &mut Document,
    parent: NodeId,
    before: Option<NodeId>,
    html: &str,
) -> Vec<NodeId> {
    let frag = lucid::dom::html::parse(html);
    let src: Vec<NodeId> = frag.children(frag.body()).collect();
    let mut inserted = Vec::new();
    for s in src {
        let n = doc.import_subtree(parent, &frag, s);
        if let Some(b) = before {
            doc.detach(n);
            doc.insert_before(b, n);
        }
        inserted.push(n);
    }
    inserted
}

/// Layout flags on the outermost wrapper of the article (a page or column wrapper).
fn wrapper_flags(doc: &mut Document) -> Option<Option<&'static str>> {
    let outer = *article_chain(doc).first()?;
    add_classes(doc, outer, FLAG_CLASSES);
    Some(None)
}

/// Layout flags on the innermost block holding half the page's paragraphs (the body).
fn body_flags(doc: &mut Document) -> Option<Option<&'static str>> {
    let inner = article_chain(doc)
        .into_iter()
        .rev()
        .find(|&n| !doc.is(n, "p"))?;
    add_classes(doc, inner, FLAG_CLASSES);
    Some(None)
}

fn add_classes(doc: &mut Document, n: NodeId, more: &str) {
    let class = doc.attr(n, "class").unwrap_or("").to_string();
    doc.set_attr(n, "class", format!("{class} {more}").trim());
}

fn cookie_notice(doc: &mut Document) -> Option<Option<&'static str>> {
    let body = doc.body();
    let first = doc.first_child(body);
    insert_html(
        doc,
        body,
        first,
        &format!(
            "<div class=\"notice-bar\"><p>{COOKIE_TEXT}</p><button>Accept all</button>\
             <button>Manage preferences</button></div>"
        ),
    );
    insert_html(doc, body, None, &format!("<div><p>{COOKIE_TEXT}</p></div>"));
    Some(Some(COOKIE_PROBE))
}

/// The children of `c` and the first element of each third of its elements.
fn thirds(doc: &Document, c: NodeId) -> Option<(Vec<NodeId>, [NodeId; 3])> {
    let kids: Vec<NodeId> = doc.children(c).collect();
    let elements: Vec<NodeId> = kids
        .iter()
        .copied()
        .filter(|&k| doc.is_element(k))
        .collect();
    let cuts = [
        *elements.first()?,
        *elements.get(elements.len() / 3)?,
        *elements.get(elements.len() * 2 / 3)?,
    ];
    Some((kids, cuts))
}

/// Moves each third of `kids` (from its cut on) into its target; a third without one stays.
fn move_thirds(doc: &mut Document, kids: Vec<NodeId>, cuts: [NodeId; 3], to: [Option<NodeId>; 3]) {
    let mut target = None;
    for k in kids {
        if let Some(i) = cuts.iter().position(|&cut| cut == k) {
            target = to[i];
        }
        if let Some(t) = target {
            doc.detach(k);
            doc.append(t, k);
        }
    }
}

fn split_body(doc: &mut Document) -> Option<Option<&'static str>> {
    let c = paragraph_container(doc)?;
    let parent = doc.parent(c)?;
    let (kids, cuts) = thirds(doc, c)?;
    let tag = doc.tag(c).to_string();
    let class = doc.attr(c, "class").map(str::to_string);
    let mut parts = Vec::new();
    for _ in 0..2 {
        let p = doc.create_element(&tag, Vec::new());
        if let Some(cl) = &class {
            doc.set_attr(p, "class", cl);
        }
        parts.push(p);
    }
    move_thirds(doc, kids, cuts, [None, Some(parts[0]), Some(parts[1])]);
    let after = doc.next_sibling(c);
    for (row, part) in [(AD_ROW, parts[0]), (RELATED_ROW, parts[1])] {
        insert_html(doc, parent, after, row);
        match after {
            Some(a) => doc.insert_before(a, part),
            None => doc.append(parent, part),
        }
    }
    Some(Some(RELATED_PROBE))
}

/// One band of a page builder's layout: a wrapper holding an empty heading row and the row
/// whose `col-text` block takes the text.
const BAND: &str = "<div class=\"band section\"><div class=\"band-inner\"><div class=\"row\">\
    <div class=\"col-full\"></div></div><div class=\"row\"><div class=\"col-text\"></div></div>\
    </div></div>";

/// A page builder's layout: the body's paragraphs in three bands of their own (wrapper, empty
/// heading row, text row) in place of their block, an ad band and a related-stories band
/// between them.
fn banded_body(doc: &mut Document) -> Option<Option<&'static str>> {
    let c = paragraph_container(doc)?;
    let parent = doc.parent(c)?;
    let after = doc.next_sibling(c);
    let (kids, cuts) = thirds(doc, c)?;
    let mut texts = Vec::new();
    for (i, between) in ["", AD_ROW, RELATED_ROW].into_iter().enumerate() {
        if i > 0 {
            let wide = format!("<div class=\"band-wide\">{between}</div>");
            insert_html(doc, parent, after, &wide);
        }
        let band = insert_html(doc, parent, after, BAND);
        let text = band
            .iter()
            .flat_map(|&b| doc.descendants(b).collect::<Vec<_>>())
            .find(|&d| doc.attr(d, "class") == Some("col-text"))?;
        texts.push(text);
    }
    move_thirds(
        doc,
        kids,
        cuts,
        [Some(texts[0]), Some(texts[1]), Some(texts[2])],
    );
    doc.detach(c);
    Some(Some(RELATED_PROBE))
}

fn inline_signup(doc: &mut Document) -> Option<Option<&'static str>> {
    let c = paragraph_container(doc)?;
    let third = doc.element_children(c).filter(|&k| doc.is(k, "p")).nth(2)?;
    insert_html(doc, c, Some(third), SIGNUP);
    Some(Some(SIGNUP_PROBE))
}

/// `--dump CORPUS/ID PERTURBATION [--html FILE]`: the perturbed page's output and removal
/// records (and the perturbed page itself, written to FILE).
fn dump_page(shared: &str, page: &str, which: &str, html_out: Option<&str>) {
    let (name, id) = page.split_once('/').expect("CORPUS/ID");
    let html = lucid::dom::html::decode(
        &std::fs::read(
            Path::new(shared)
                .join("corpus")
                .join(name)
                .join(id)
                .join("source.html"),
        )
        .expect("page"),
    );
    let (_, perturb) = PERTURBATIONS
        .iter()
        .find(|(n, _)| *n == which)
        .expect("a perturbation name");
    let mut doc = lucid::dom::html::parse(&html);
    if perturb(&mut doc).is_none() {
        println!("(does not apply)");
        return;
    }
    if let Some(file) = html_out {
        std::fs::write(file, outer_html(&doc)).expect("writable --html file");
    }
    let (text, removed) = extract(&mut doc, &corpus::page_url(id));
    for r in removed {
        println!(
            "- {} | {} | {} | {:.100}",
            r.rule, r.reason, r.chars, r.text
        );
    }
    println!("---\n{text}");
}

/// The page as markup, every attribute kept (for reading a perturbed page, not for showing it).
fn outer_html(doc: &Document) -> String {
    use lucid::dom::Step;
    use lucid::render::html::{escape_attr, escape_text};
    let mut out = String::new();
    for step in doc.walk(doc.root()) {
        match step {
            Step::Enter(id) => {
                if let Some(t) = doc.text(id) {
                    let raw = doc.parent(id).is_some_and(|p| {
                        matches!(doc.tag(p), "script" | "style" | "noscript" | "iframe")
                    });
                    if raw {
                        out.push_str(t);
                    } else {
                        escape_text(&mut out, t);
                    }
                } else if let Some(e) = doc.element(id) {
                    out.push('<');
                    out.push_str(&e.tag);
                    for a in &e.attrs {
                        out.push(' ');
                        out.push_str(&a.name);
                        out.push_str("=\"");
                        escape_attr(&mut out, a.value.as_str());
                        out.push('"');
                    }
                    out.push('>');
                }
            }
            Step::Leave(id) => {
                if let Some(e) = doc.element(id) {
                    out.push_str("</");
                    out.push_str(&e.tag);
                    out.push('>');
                }
            }
        }
    }
    out
}
