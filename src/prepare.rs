//! Prepare: turn a page into clean material for scoring.
//!
//! Input: the whole document (after the paywall stage). Output: the same document without
//! scripts, styles, widgets, hidden nodes, navigation, comment threads and (in the strict pass)
//! blocks whose class/id says they are not content; lazy and `noscript` images made real; loose
//! text runs wrapped in paragraphs so they can be scored. Every removal that held text is
//! recorded. Must not: recurse; remove text that is visible inside the article container.

use crate::article::Removed;
use crate::dom::{Attr, Document, NodeId};
use crate::safety::ProseMass;
use crate::signals::{self, class_and_id, Fragments};

/// Unlikely fragments that no content word rescues.
static UNRESCUABLE_HINTS: Fragments =
    Fragments::new(&["related", "sponsor", "popup", "modal", "disqus"]);

/// Which pass of the pipeline is running.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pass {
    /// First attempt: blocks with unlikely class/id names are removed.
    Strict,
    /// Second attempt for near-empty or doubted results: unlikely-named blocks stay (comments
    /// still go).
    Lenient,
    /// Last attempt when both missed the article: nothing goes for its name alone, comment
    /// containers included (a live blog's "commentary" feed is the article).
    Rescue,
}

/// Elements that never hold article text; dropped silently.
fn is_drop_tag(tag: &str) -> bool {
    matches!(
        tag,
        "head"
            | "script"
            | "style"
            | "template"
            | "link"
            | "meta"
            | "base"
            | "param"
            | "track"
            | "source"
            | "noscript"
            | "canvas"
            | "map"
            | "area"
            | "frame"
            | "frameset"
            | "applet"
            | "svg"
            | "datalist"
    )
}

/// Form controls and embeds: interface, not article (video embeds become links first).
fn is_widget_tag(tag: &str) -> bool {
    matches!(
        tag,
        "input"
            | "button"
            | "select"
            | "textarea"
            | "option"
            | "label"
            | "object"
            | "embed"
            | "iframe"
            | "progress"
            | "meter"
            | "output"
    )
}

/// Page furniture by tag (the article's own headings and bylines live elsewhere).
/// A browser or JavaScript notice is one short paragraph.
const NOTICE_MAX_CHARS: usize = 400;

/// Phrases of a notice about the reader's browser, not the article ("This page is best viewed
/// in an up-to-date web browser", "Please enable JavaScript"), folded (see [`crate::text::fold`]).
const BROWSER_NOTICE_PHRASES: &[&str] = &[
    " page is best viewed ",
    " site is best viewed ",
    " please upgrade your browser ",
    " please update your browser ",
    " consider upgrading your browser ",
    " using an outdated browser ",
    " your browser is out of date ",
    " please enable javascript ",
    " javascript is disabled in your browser ",
    " bitte aktivieren sie javascript ",
    " por favor activa javascript ",
    " por favor habilita javascript ",
    " veuillez activer javascript ",
];

/// Whether paragraph `id` is a notice about the reader's browser.
fn is_browser_notice(doc: &Document, id: NodeId) -> bool {
    if crate::text::chars_capped(doc, id, NOTICE_MAX_CHARS + 1) > NOTICE_MAX_CHARS {
        return false;
    }
    static PHRASES: Fragments = Fragments::new(BROWSER_NOTICE_PHRASES);
    PHRASES.any_in(&crate::text::fold(&doc.text_content(id)))
}

const FURNITURE_TAGS: &[(&str, &str)] = &[
    ("nav", "site navigation"),
    ("footer", "page or section footer"),
    ("menu", "menu"),
];

/// ARIA roles that mark interface rather than content.
const FURNITURE_ROLES: &[&str] = &[
    "menu",
    "menubar",
    "complementary",
    "navigation",
    "alert",
    "alertdialog",
    "dialog",
    "banner",
    "contentinfo",
    "search",
    "toolbar",
    "tablist",
];

/// Hosts whose embeds are the article's own video; kept as a link to the video.
pub const VIDEO_HOSTS: &[&str] = &[
    "youtube.com",
    "youtube-nocookie.com",
    "youtu.be",
    "player.vimeo.com",
    "dailymotion.com",
    "v.qq.com",
    "bilibili.com",
    "archive.org",
    "upload.wikimedia.org",
    "player.twitch.tv",
];

/// Attributes that lazy-loading scripts use to hold the real image URL.
const LAZY_SRC_ATTRS: &[&str] = &[
    "data-src",
    "data-original",
    "data-lazy-src",
    "data-lazy",
    "data-url",
    "data-hi-res-src",
    "data-full-src",
    "data-actualsrc",
    "data-echo",
    "data-img-src",
    "data-orig-file",
];

/// Attributes that lazy-loading scripts use to hold the real `srcset`.
const LAZY_SRCSET_ATTRS: &[&str] = &["data-srcset", "data-lazy-srcset", "data-original-set"];

/// A base64 placeholder shorter than this (payload chars) is a spacer, not a picture
/// (Readability uses the same bound).
const PLACEHOLDER_DATA_URI_CHARS: usize = 133;

/// Elements nested deeper than this are flattened: no real article nests that far, and a
/// hostile page must not make later stages walk 100,000 ancestors per node.
pub const DEFAULT_MAX_DEPTH: usize = 512;

/// Tags that are inline (phrasing) content for paragraph wrapping.
fn is_phrasing_tag(tag: &str) -> bool {
    matches!(
        tag,
        "a" | "abbr"
            | "audio"
            | "b"
            | "bdi"
            | "bdo"
            | "br"
            | "button"
            | "cite"
            | "code"
            | "data"
            | "del"
            | "dfn"
            | "em"
            | "font"
            | "i"
            | "img"
            | "input"
            | "ins"
            | "kbd"
            | "label"
            | "mark"
            | "math"
            | "meter"
            | "output"
            | "picture"
            | "q"
            | "ruby"
            | "rt"
            | "rp"
            | "s"
            | "samp"
            | "small"
            | "span"
            | "strike"
            | "strong"
            | "sub"
            | "sup"
            | "time"
            | "tt"
            | "u"
            | "var"
            | "video"
            | "wbr"
    )
}

/// Containers whose loose text runs are wrapped into paragraphs.
const WRAP_CONTAINERS: &[&str] = &["div", "section", "article", "main", "body", "center"];

/// Children that make a `div` a container rather than a paragraph (Readability's list).
const DIV_TO_P_BLOCKS: &[&str] = &[
    "blockquote",
    "dl",
    "div",
    "img",
    "ol",
    "p",
    "pre",
    "table",
    "ul",
    "figure",
    "section",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "article",
    "header",
    "aside",
    "form",
    "hr",
];

/// A `div` holding only one `<p>` is replaced by it when its links are below this share.
const SINGLE_P_MAX_LINK_DENSITY: f32 = 0.25;

/// What the stage did that a later, more lenient pass could undo.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NoiseReport {
    /// A name rule that only this pass applies (unlikely names; comment containers but in the
    /// rescue pass) removed the block where the story starts.
    pub took_lead: bool,
    /// The prose of the largest block an unlikely name took that held most of the page's prose
    /// (0: none did). A class word is evidence, not proof: a result holding a small part of what
    /// the guess took is doubted ([`crate::safety::ProseMass::assess`]), and the lenient pass,
    /// which keeps such blocks, is tried.
    pub took_prose: usize,
    /// Of that block's prose, how much sat in `<p>` paragraphs: an article body, where a
    /// sidebar's widgets and a gallery's captions hold theirs in other blocks.
    pub took_paragraphs: usize,
}

/// Runs the whole stage.
pub fn strip_noise(
    doc: &mut Document,
    pass: Pass,
    max_depth: usize,
    prose: &ProseMass,
    removed: &mut Removed,
) -> NoiseReport {
    flatten_deep(doc, max_depth);
    let [noscripts, embeds] = by_tag(doc, |tag| match tag {
        "noscript" => Some(0),
        "iframe" | "embed" | "object" => Some(1),
        _ => None,
    });
    rescue_noscript_images(doc, noscripts);
    embeds_to_links(doc, embeds);
    let report = remove_noise(doc, pass, prose, removed);
    let [imgs, legacy] = by_tag(doc, |tag| match tag {
        "img" => Some(0),
        "font" | "center" => Some(1),
        _ => None,
    });
    fix_lazy_images(doc, imgs);
    rename_legacy_tags(doc, legacy);
    wrap_loose_text(doc);
    report
}

/// The page's elements sorted into `N` lists in one walk, in document order: `which` tells an
/// element's list by its tag (`None`: no list).
fn by_tag<const N: usize>(
    doc: &Document,
    which: impl Fn(&str) -> Option<usize>,
) -> [Vec<NodeId>; N] {
    let mut lists = std::array::from_fn(|_| Vec::new());
    for n in doc.descendants(doc.root()) {
        if let Some(list) = which(doc.tag(n)).and_then(|i| lists.get_mut(i)) {
            list.push(n);
        }
    }
    lists
}

fn is_phrasing(doc: &Document, id: NodeId) -> bool {
    doc.text(id).is_some() || is_phrasing_tag(doc.tag(id))
}

/// Moves everything below depth `max_depth` up to that level, keeping text order.
fn flatten_deep(doc: &mut Document, max_depth: usize) {
    let root = doc.root();
    let mut too_deep = Vec::new();
    // Depth-tracked pre-order walk that does not descend below the limit: down to a first
    // child, else on to the next sibling of the node or of its nearest ancestor that has one.
    let (mut id, mut depth) = (root, 0usize);
    'walk: loop {
        if depth >= max_depth {
            too_deep.push(id);
        } else if let Some(c) = doc.first_child(id) {
            (id, depth) = (c, depth + 1);
            continue;
        }
        while id != root {
            if let Some(s) = doc.next_sibling(id) {
                id = s;
                continue 'walk;
            }
            match doc.parent(id) {
                Some(p) => (id, depth) = (p, depth - 1),
                None => break,
            }
        }
        break;
    }
    for id in too_deep {
        let inner: Vec<NodeId> = doc.descendants(id).skip(1).collect();
        let leaves: Vec<NodeId> = inner
            .into_iter()
            .filter(|&n| doc.text(n).is_some() || doc.is(n, "img") || doc.is(n, "br"))
            .collect();
        let kids: Vec<NodeId> = doc.children(id).collect();
        for k in kids {
            doc.detach(k);
        }
        for l in leaves {
            doc.append(id, l);
        }
    }
}

fn is_video_embed(doc: &Document, id: NodeId) -> Option<String> {
    let el = doc.element(id)?;
    el.attrs.iter().find_map(|a| {
        let v = a.value.to_ascii_lowercase();
        (matches!(&*a.name, "src" | "data" | "data-src")
            && VIDEO_HOSTS.iter().any(|h| v.contains(h)))
        .then(|| a.value.to_string())
    })
}

/// Video embeds become a paragraph with a link to the video: readers keep the content without
/// running a third-party frame.
fn embeds_to_links(doc: &mut Document, embeds: Vec<NodeId>) {
    for e in embeds {
        let Some(mut url) = is_video_embed(doc, e) else {
            continue;
        };
        if url.starts_with("//") {
            url = format!("https:{url}");
        }
        let p = doc.create_element(
            "p",
            vec![Attr {
                name: "class".into(),
                value: "lucid-embed".into(),
            }],
        );
        let a = doc.create_element(
            "a",
            vec![Attr {
                name: "href".into(),
                value: url.into(),
            }],
        );
        doc.append(p, a);
        doc.append_text(a, "Video");
        doc.replace(e, p);
    }
}

fn remove_noise(
    doc: &mut Document,
    pass: Pass,
    prose: &ProseMass,
    removed: &mut Removed,
) -> NoiseReport {
    let mut report = NoiseReport::default();
    let root = doc.root();
    let mut cur = doc.first_child(root);
    while let Some(id) = cur {
        match removal_reason(doc, id, pass) {
            // A guess from names or roles does not take the block that holds the article. (Comment
            // threads are told by their own structure, and may outweigh a short post.)
            Some((rule, Some(_))) if rule != "comments" && prose.protects(doc, id) => {
                removed.spare(doc, id, rule);
                cur = doc.next_in(id, root);
            }
            Some((rule, reason)) => {
                let next = doc.next_skipping_children(id, root);
                if matches!(rule, "unlikely" | "comments") && prose.holds_lead(doc, id) {
                    report.took_lead = true;
                }
                if rule == "unlikely"
                    && prose.holds_most_prose(id)
                    && prose.of(id) > report.took_prose
                {
                    report.took_prose = prose.of(id);
                    report.took_paragraphs = prose.in_paragraphs(doc, id);
                }
                if let Some(r) = reason {
                    removed.record(doc, id, rule, r);
                }
                doc.detach(id);
                cur = next;
            }
            None => {
                cur = doc.next_in(id, root);
            }
        }
    }
    report
}

/// Why `id` should go: a rule name and, when worth telling the reader, a reason.
fn removal_reason(
    doc: &Document,
    id: NodeId,
    pass: Pass,
) -> Option<(&'static str, Option<&'static str>)> {
    let tag = doc.tag(id);
    if tag.is_empty() {
        return None;
    }
    if is_drop_tag(tag) {
        return Some(("non-content", None));
    }
    if is_widget_tag(tag) {
        return Some(("widget", Some("form control or embedded frame")));
    }
    if matches!(tag, "html" | "body") {
        return None;
    }
    if (tag == "a" && is_script_control(doc, id)) || is_button_control(doc, id) {
        return Some(("widget", Some("script control (back, print, show)")));
    }
    if signals::is_hidden(doc, id) {
        return Some(("hidden", Some("not shown on the page")));
    }
    if tag == "p" && is_browser_notice(doc, id) {
        return Some(("notice", Some("browser or JavaScript notice")));
    }
    if let Some((_, reason)) = FURNITURE_TAGS.iter().find(|(t, _)| *t == tag) {
        if !holds_article_marker(doc, id) {
            return Some(("furniture", Some(reason)));
        }
    }
    if let Some(role) = doc.attr(id, "role") {
        let role = role.trim().to_ascii_lowercase();
        if FURNITURE_ROLES.contains(&role.as_str()) && !holds_article_marker(doc, id) {
            return Some(("role", Some("interface element (ARIA role)")));
        }
    }
    if doc.attr(id, "aria-modal") == Some("true") {
        return Some(("dialog", Some("modal dialog")));
    }
    // A heading named "comments" opens the thread; cleanup cuts from there (the heading is kept
    // so that the cut can find it).
    let opens_thread = matches!(tag, "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "a");
    if pass != Pass::Rescue
        && signals::is_comment_container(doc, id)
        && tag != "article"
        && !opens_thread
    {
        return Some(("comments", Some("reader comments")));
    }
    if pass == Pass::Strict
        && !opens_thread
        && tag != "article"
        && tag != "main"
        && is_unlikely(doc, id)
    {
        return Some(("unlikely", Some("class or id marks it as page furniture")));
    }
    None
}

/// A script control is at most this long ("zurück", "Drucken", "Bild anzeigen").
const SCRIPT_CONTROL_MAX_CHARS: usize = 25;

/// Whether link `id` runs a script instead of going anywhere, shows only a short label and
/// stands alone in its block (script links inside a sentence are words of it; a picture opened
/// by script stays).
fn is_script_control(doc: &Document, id: NodeId) -> bool {
    let label = |n: NodeId| crate::text::chars_capped(doc, n, SCRIPT_CONTROL_MAX_CHARS + 1);
    doc.attr(id, "href").is_some_and(signals::is_script_url)
        && label(id) <= SCRIPT_CONTROL_MAX_CHARS
        && doc
            .parent(id)
            .is_some_and(|p| !matches!(doc.tag(p), "body" | "") && label(p) == label(id))
        && !doc
            .descendants(id)
            .any(|d| matches!(doc.tag(d), "img" | "picture" | "video" | "svg"))
}

/// A block made into a button is a control when its label is at most this long ("Bild anzeigen
/// Bild schließen": the open and close labels of one toggle).
const BUTTON_LABEL_MAX_CHARS: usize = 40;

/// Whether `id` is a block the page made into a button (`role="button"` on a `div` or `span`,
/// not a link, which may go somewhere) with a short label and no picture or heading: a control.
/// One that opens or closes a section (`aria-expanded`, `aria-controls`) may carry that
/// section's title, and stays.
fn is_button_control(doc: &Document, id: NodeId) -> bool {
    matches!(doc.tag(id), "div" | "span")
        && doc
            .attr(id, "role")
            .is_some_and(|r| r.trim().eq_ignore_ascii_case("button"))
        && doc.attr(id, "aria-expanded").is_none()
        && doc.attr(id, "aria-controls").is_none()
        && crate::text::chars_capped(doc, id, BUTTON_LABEL_MAX_CHARS + 1) <= BUTTON_LABEL_MAX_CHARS
        && !doc.descendants(id).any(|d| {
            matches!(
                doc.tag(d),
                "img" | "picture" | "video" | "svg" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6"
            )
        })
}

/// Whether the element (or a near ancestor) is explicitly the article body, which no class-name
/// guess may remove.
fn holds_article_marker(doc: &Document, id: NodeId) -> bool {
    doc.descendants(id).take(2000).any(|n| {
        doc.attr(n, "itemprop")
            .is_some_and(|v| v.contains("articleBody"))
    })
}

fn is_unlikely(doc: &Document, id: NodeId) -> bool {
    // "commentary" is an opinion column, not reader comments.
    let mut ci = class_and_id(doc, id);
    if ci.contains("commentary") {
        ci = ci.replace("commentary", "").into();
    }
    let Some(ci) = signals::matching_names(ci, |c| signals::UNLIKELY_HINTS.any_in(c)) else {
        return false;
    };
    // "related-articles" or "popup-content" are not rescued by the word they share with content.
    if signals::MAYBE_CONTENT_HINTS.any_in(&ci) && !UNRESCUABLE_HINTS.any_in(&ci) {
        return false;
    }
    // Table cells and code keep their class names for styling, not for layout.
    if doc
        .ancestors(id)
        .take(3)
        .any(|a| matches!(doc.tag(a), "table" | "code"))
    {
        return false;
    }
    !holds_article_marker(doc, id)
}

/// Lazy-loading pages ship `<noscript><img src=real></noscript>` next to a placeholder image.
fn rescue_noscript_images(doc: &mut Document, noscripts: Vec<NodeId>) {
    for ns in noscripts {
        // Parsed with scripting on (browsers, html5ever) a noscript holds raw HTML text; parsed
        // with scripting off (DOMParser) it holds real elements.
        let element_img = doc.descendants(ns).find(|&n| doc.is(n, "img"));
        let attrs = match element_img {
            Some(img) => doc.element(img).map(|e| e.attrs.clone()),
            None => parse_img_tag(&doc.text_content(ns)),
        };
        let Some(attrs) = attrs else { continue };
        if attrs
            .iter()
            .any(|a| (a.name == "width" || a.name == "height") && a.value.trim() == "1")
        {
            continue; // tracking pixel
        }
        if !attrs.iter().any(|a| a.name == "src" || a.name == "srcset") {
            continue;
        }
        let placeholder = doc
            .prev_element_sibling(ns)
            .and_then(|p| single_image(doc, p));
        match placeholder {
            Some(img) => {
                for a in attrs
                    .iter()
                    .filter(|a| matches!(&*a.name, "src" | "srcset" | "alt"))
                {
                    doc.set_attr(img, &a.name, &a.value);
                }
            }
            None => {
                let parent_has_img = doc
                    .parent(ns)
                    .is_some_and(|p| doc.descendants(p).any(|n| doc.is(n, "img")));
                if !parent_has_img {
                    let img = doc.create_element("img", attrs);
                    doc.insert_before(ns, img);
                }
            }
        }
    }
}

/// The `<img>` when `id` is one, or a chain of single children ending in one with no text.
fn single_image(doc: &Document, id: NodeId) -> Option<NodeId> {
    let mut cur = id;
    loop {
        if doc.is(cur, "img") {
            return Some(cur);
        }
        let kids: Vec<NodeId> = doc
            .children(cur)
            .filter(|&c| doc.is_element(c) || doc.text(c).is_some_and(|t| !t.trim().is_empty()))
            .collect();
        if kids.len() != 1 || !doc.is_element(kids[0]) {
            return None;
        }
        cur = kids[0];
    }
}

/// Reads the attributes of the first `<img ...>` tag in raw HTML text.
pub fn parse_img_tag(raw: &str) -> Option<Vec<Attr>> {
    let lower = raw.to_ascii_lowercase();
    let start = lower.find("<img")? + 4;
    let bytes = raw.as_bytes();
    let mut i = start;
    let mut attrs = Vec::new();
    while i < bytes.len() {
        while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
            i += 1;
        }
        if i >= bytes.len() || bytes[i] == b'>' {
            break;
        }
        let name_start = i;
        while i < bytes.len()
            && !bytes[i].is_ascii_whitespace()
            && !matches!(bytes[i], b'=' | b'>' | b'/')
        {
            i += 1;
        }
        let name = raw.get(name_start..i)?.to_ascii_lowercase();
        let mut value = String::new();
        if i < bytes.len() && bytes[i] == b'=' {
            i += 1;
            if i < bytes.len() && (bytes[i] == b'"' || bytes[i] == b'\'') {
                let q = bytes[i];
                let vs = i + 1;
                let ve = raw[vs..]
                    .bytes()
                    .position(|b| b == q)
                    .map_or(raw.len(), |p| vs + p);
                value = raw.get(vs..ve)?.to_string();
                i = ve + 1;
            } else {
                let vs = i;
                while i < bytes.len() && !bytes[i].is_ascii_whitespace() && bytes[i] != b'>' {
                    i += 1;
                }
                value = raw.get(vs..i)?.to_string();
            }
        }
        if !name.is_empty() {
            attrs.push(Attr {
                name: crate::dom::intern(&name),
                value: value.replace("&amp;", "&").into(),
            });
        }
    }
    Some(attrs)
}

fn looks_like_image_url(v: &str) -> bool {
    let l = v.to_ascii_lowercase();
    [".jpg", ".jpeg", ".png", ".webp", ".gif", ".avif"]
        .iter()
        .any(|ext| l.contains(ext))
}

fn is_placeholder_src(src: &str) -> bool {
    let s = src.trim();
    if !s.starts_with("data:") {
        return s.is_empty();
    }
    if s.starts_with("data:image/svg") {
        return false;
    }
    s.find("base64,")
        .is_some_and(|p| s.len() - p - 7 < PLACEHOLDER_DATA_URI_CHARS)
}

/// Copies the real image URL that lazy loaders park in data attributes into `src`/`srcset`,
/// and drops images that end up with no source at all.
fn fix_lazy_images(doc: &mut Document, imgs: Vec<NodeId>) {
    for img in imgs {
        let src = doc.attr(img, "src").unwrap_or("").to_string();
        let lazy_class = doc
            .attr(img, "class")
            .is_some_and(|c| c.to_ascii_lowercase().contains("lazy"));
        if !is_placeholder_src(&src) && !lazy_class {
            continue;
        }
        let attr_of = |names: &[&str]| {
            names.iter().find_map(|n| {
                doc.attr(img, n)
                    .filter(|v| !v.trim().is_empty())
                    .map(str::to_string)
            })
        };
        let lazy_src = attr_of(LAZY_SRC_ATTRS).or_else(|| {
            doc.element(img)?
                .attrs
                .iter()
                .find(|a| {
                    a.name != "src"
                        && a.name != "srcset"
                        && !a.value.contains(' ')
                        && looks_like_image_url(&a.value)
                })
                .map(|a| a.value.to_string())
        });
        let lazy_srcset = attr_of(LAZY_SRCSET_ATTRS);
        let picture_srcset = doc
            .parent(img)
            .filter(|&p| doc.is(p, "picture"))
            .and_then(|p| {
                doc.children(p).find_map(|c| {
                    doc.attr(c, "srcset")
                        .or(doc.attr(c, "data-srcset"))
                        .map(str::to_string)
                })
            });
        if let Some(s) = lazy_src {
            doc.set_attr(img, "src", &s);
        }
        if let Some(s) = lazy_srcset.or(picture_srcset) {
            doc.set_attr(img, "srcset", &s);
        }
        let has_src = doc.attr(img, "src").is_some_and(|s| !is_placeholder_src(s));
        let has_srcset = doc
            .attr(img, "srcset")
            .is_some_and(|s| !s.trim().is_empty());
        if !has_src && !has_srcset {
            doc.detach(img);
        } else if !has_src {
            // Readers and saved copies need a plain `src`: take the first `srcset` candidate.
            let first = doc
                .attr(img, "srcset")
                .and_then(|s| s.split(',').next())
                .and_then(|c| c.split_whitespace().next())
                .map(str::to_string);
            match first {
                Some(u) => doc.set_attr(img, "src", &u),
                None => doc.remove_attr(img, "src"),
            }
        }
    }
}

/// `<font>` and `<center>` are presentational; treat them as their modern equivalents.
fn rename_legacy_tags(doc: &mut Document, olds: Vec<NodeId>) {
    for n in olds {
        let new = if doc.is(n, "font") { "span" } else { "div" };
        doc.set_tag(n, new);
    }
}

/// Wraps loose phrasing runs in containers into `<p>`s (split at double `<br>`), turns divs that
/// hold only phrasing content into paragraphs, and replaces a div that wraps a single paragraph
/// by that paragraph, so the scorer sees one paragraph per block of text.
fn wrap_loose_text(doc: &mut Document) {
    let blocky = block_descendant_flags(doc);
    let containers: Vec<NodeId> = doc
        .descendants(doc.root())
        .filter(|&n| WRAP_CONTAINERS.contains(&doc.tag(n)))
        .collect();
    for c in containers {
        if doc.is(c, "div") {
            if let Some(p) = single_paragraph_child(doc, c) {
                if signals::subtree_link_density(doc, c) < SINGLE_P_MAX_LINK_DENSITY {
                    doc.replace(c, p);
                    continue;
                }
            }
            if !blocky[c.index()] && !has_double_br(doc, c) {
                doc.set_tag(c, "p");
                continue;
            }
        }
        wrap_runs(doc, c);
    }
}

/// For each node: does its subtree (below it) contain one of [`DIV_TO_P_BLOCKS`]?
fn block_descendant_flags(doc: &Document) -> Vec<bool> {
    let mut flags = vec![false; doc.len()];
    // Children first: a node's flag is complete when it is reached, and passes to its parent.
    let root = doc.root();
    for id in doc.post_order(root) {
        if id == root {
            continue;
        }
        if let Some(p) = doc.parent(id) {
            if flags[id.index()] || DIV_TO_P_BLOCKS.contains(&doc.tag(id)) {
                flags[p.index()] = true;
            }
        }
    }
    flags
}

fn single_paragraph_child(doc: &Document, id: NodeId) -> Option<NodeId> {
    let mut found = None;
    for c in doc.children(id) {
        if let Some(t) = doc.text(c) {
            if !t.trim().is_empty() {
                return None;
            }
        } else if doc.is(c, "p") && found.is_none() {
            found = Some(c);
        } else {
            return None;
        }
    }
    found
}

fn has_double_br(doc: &Document, id: NodeId) -> bool {
    let mut last_was_br = false;
    for c in doc.children(id) {
        if doc.is(c, "br") {
            if last_was_br {
                return true;
            }
            last_was_br = true;
        } else if doc.text(c).is_some_and(|t| t.trim().is_empty()) {
            continue;
        } else {
            last_was_br = false;
        }
    }
    false
}

fn wrap_runs(doc: &mut Document, container: NodeId) {
    if !doc.children(container).any(|c| {
        doc.text(c).is_some_and(|t| !t.trim().is_empty())
            || (is_phrasing(doc, c) && doc.is_element(c) && !doc.is(c, "br"))
    }) {
        return; // nothing loose to wrap
    }
    let kids: Vec<NodeId> = doc.children(container).collect();
    let mut run: Vec<NodeId> = Vec::new();
    let mut i = 0;
    while i < kids.len() {
        let k = kids[i];
        let double_br = doc.is(k, "br") && next_is_br(doc, &kids, i);
        if is_phrasing(doc, k) && !double_br {
            run.push(k);
            i += 1;
            continue;
        }
        flush_run(doc, &mut run);
        if double_br {
            // Drop the pair of breaks: the paragraph boundary replaces them.
            let mut j = i + 1;
            while j < kids.len() && !doc.is(kids[j], "br") {
                doc.detach(kids[j]);
                j += 1;
            }
            doc.detach(k);
            if j < kids.len() {
                doc.detach(kids[j]);
            }
            i = j + 1;
        } else {
            i += 1;
        }
    }
    flush_run(doc, &mut run);
}

fn next_is_br(doc: &Document, kids: &[NodeId], i: usize) -> bool {
    kids[i + 1..]
        .iter()
        .find(|&&n| !doc.text(n).is_some_and(|t| t.trim().is_empty()))
        .is_some_and(|&n| doc.is(n, "br"))
}

fn flush_run(doc: &mut Document, run: &mut Vec<NodeId>) {
    let has_content = run.iter().any(|&n| {
        doc.text(n).is_some_and(|t| !t.trim().is_empty()) || (doc.is_element(n) && !doc.is(n, "br"))
    });
    if has_content {
        let p = doc.create_element("p", vec![]);
        doc.insert_before(run[0], p);
        for &n in run.iter() {
            doc.append(p, n);
        }
    }
    run.clear();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dom::html::parse;

    fn prepared(html: &str) -> Document {
        let mut d = parse(html);
        let prose = ProseMass::measure(&d, "");
        strip_noise(
            &mut d,
            Pass::Strict,
            DEFAULT_MAX_DEPTH,
            &prose,
            &mut Removed::default(),
        );
        d
    }

    fn tags(d: &Document) -> Vec<String> {
        d.descendants(d.body())
            .skip(1)
            .filter(|&n| d.is_element(n))
            .map(|n| d.tag(n).to_string())
            .collect()
    }

    macro_rules! keeps_text {
        ($name:ident, $html:expr, $present:expr, $absent:expr) => {
            #[test]
            fn $name() {
                let d = prepared($html);
                let t = d.text_content(d.root());
                assert!(t.contains($present), "{t:?} lacks {:?}", $present);
                assert!(!t.contains($absent), "{t:?} still has {:?}", $absent);
            }
        };
    }
    keeps_text!(
        drops_scripts,
        "<p>keep</p><script>var gone</script>",
        "keep",
        "gone"
    );
    keeps_text!(
        drops_hidden_attr,
        "<p>keep</p><p hidden>gone</p>",
        "keep",
        "gone"
    );
    keeps_text!(
        drops_display_none,
        "<p>keep</p><p style='display: none'>gone</p>",
        "keep",
        "gone"
    );
    keeps_text!(drops_nav, "<nav>gone</nav><p>keep</p>", "keep", "gone");
    keeps_text!(
        drops_browser_notices,
        "<p>keep</p><p><strong>This page is best viewed in an up-to-date web browser. \
         Please consider upgrading your browser software.</strong></p>",
        "keep",
        "best viewed"
    );
    keeps_text!(
        keeps_prose_about_browsers,
        "<p>To try the new editor, enable JavaScript in the browser's settings; it is best \
         viewed in the latest release.</p>",
        "enable JavaScript",
        "gone"
    );
    keeps_text!(
        drops_script_controls,
        "<p>keep</p><p><a href='javascript:history.back()'>zurück</a></p>",
        "keep",
        "zurück"
    );
    keeps_text!(
        keeps_script_links_inside_sentences,
        "<p>He had never <a href='javascript:void(0)'>flamed</a> so.</p>",
        "flamed",
        "gone"
    );
    keeps_text!(
        keeps_pictures_opened_by_script,
        "<p><a href='javascript:zoom()'><img src=a.jpg>Zoom</a></p>",
        "Zoom",
        "gone"
    );
    keeps_text!(
        drops_blocks_made_buttons,
        "<p>Step one.</p><div role=button><span>Bild anzeigen</span> <span>Bild schließen</span></div>",
        "Step one",
        "Bild"
    );
    keeps_text!(
        keeps_button_links,
        "<p><a href=next.html role=button>Next page</a></p>",
        "Next page",
        "gone"
    );
    keeps_text!(
        keeps_section_toggles,
        "<div role=button aria-controls=a1>What does it cost?</div>",
        "What does it cost",
        "gone"
    );
    keeps_text!(
        keeps_long_button_blocks,
        "<div role=button>A label far too long to be one button's few words of text</div>",
        "far too long",
        "gone"
    );
    keeps_text!(
        drops_comments,
        "<p>keep</p><div id=comments><p>gone</p></div>",
        "keep",
        "gone"
    );
    keeps_text!(
        keeps_commentary,
        "<div class=commentary><p>keep</p></div><div class=sidebar>gone</div>",
        "keep",
        "gone"
    );
    keeps_text!(
        unlikely_rescued_by_content,
        "<div class='sidebar-content'>keep</div><div class=menu>gone</div>",
        "keep",
        "gone"
    );

    #[test]
    fn loose_text_becomes_paragraphs() {
        let d = prepared("<div><p>a</p>loose text<br><br>second</div>");
        assert_eq!(tags(&d), vec!["div", "p", "p", "p"]);
    }

    #[test]
    fn phrasing_div_becomes_paragraph() {
        let d = prepared("<div>only <b>inline</b></div>");
        assert_eq!(tags(&d), vec!["p", "b"]);
    }

    #[test]
    fn lazy_image_gets_real_source() {
        let d = prepared("<img class=lazy src='data:image/gif;base64,R0lGOD' data-src='/a.jpg'>");
        let img = d.find_first(d.root(), "img").unwrap();
        assert_eq!(d.attr(img, "src"), Some("/a.jpg"));
    }

    #[test]
    fn noscript_image_replaces_placeholder() {
        let d = prepared("<p><img src='data:image/gif;base64,R0'><noscript><img src=\"/real.jpg\" alt=x></noscript></p>");
        let img = d.find_first(d.root(), "img").unwrap();
        assert_eq!(d.attr(img, "src"), Some("/real.jpg"));
    }

    #[test]
    fn youtube_iframe_becomes_link() {
        let d = prepared("<iframe src='https://www.youtube.com/embed/x'></iframe>");
        let a = d.find_first(d.root(), "a").unwrap();
        assert_eq!(d.attr(a, "href"), Some("https://www.youtube.com/embed/x"));
    }

    #[test]
    fn deep_nesting_is_flattened() {
        // Built by hand: the parser already caps nesting, so parsed markup never gets this deep.
        let mut d = Document::new();
        let mut parent = d.root();
        for _ in 0..DEFAULT_MAX_DEPTH * 3 {
            let div = d.create_element("div", vec![]);
            d.append(parent, div);
            parent = div;
        }
        d.append_text(parent, "deep text");
        let deepest = |d: &Document| d.descendants(d.root()).map(|n| d.depth(n)).max();
        assert!(deepest(&d) > Some(DEFAULT_MAX_DEPTH));
        flatten_deep(&mut d, DEFAULT_MAX_DEPTH);
        assert!(
            deepest(&d) <= Some(DEFAULT_MAX_DEPTH + 1),
            "{:?}",
            deepest(&d)
        );
        assert_eq!(d.text_content(d.root()), "deep text");
    }
}
