//! Measurements and word lists that more than one stage reads.
//!
//! Input: a [`Document`]. Output: per-node text statistics computed in one bottom-up pass, and
//! class/id matching helpers. Must not: mutate the document, or hold stage-specific thresholds
//! (those live in the stage that uses them).

use std::borrow::Cow;

use crate::dom::{Document, NodeId};
use crate::text::{inner_text, text_metric};

/// Class/id fragments that mark a block as unlikely article content (prepare removes it unless a
/// [`MAYBE_CONTENT_HINTS`] fragment also matches).
pub static UNLIKELY_HINTS: Fragments = Fragments::new(&[
    "-ad-",         // ad slots
    "ai2html",      // NYT graphics fallbacks
    "banner",       // site banners
    "breadcrumbs",  // navigation trail
    "combx",        // old comment widgets
    "comment",      // reader comments
    "community",    // forum teasers
    "cover-wrap",   // full-bleed covers
    "disqus",       // comment widget
    "extra",        // extra rails
    "footer",       // page footers
    "gdpr",         // consent banners
    "header",       // page headers (the headline is read from metadata)
    "legends",      // map legends
    "menu",         // menus
    "related",      // related stories
    "remark",       // remarks / comments
    "replies",      // comment replies
    "rss",          // feed links
    "shoutbox",     // chat boxes
    "sidebar",      // side column
    "skyscraper",   // tall ad format
    "social",       // social buttons
    "sponsor",      // sponsored blocks
    "supplemental", // sidebar material
    "ad-break",     // ad breaks
    "agegate",      // age gates
    "pagination",   // page links
    "pager",        // page links
    "popup",        // pop-ups
    "modal",        // dialogs that scripts open over the page
    "yom-remote",   // Yahoo remote modules
]);

/// Fragments that rescue an element matched by [`UNLIKELY_HINTS`].
pub static MAYBE_CONTENT_HINTS: Fragments = Fragments::new(&[
    "and", "article", "body", "column", "content", "main", "mathjax", "shadow",
]);

/// Fragments that raise a block's class weight.
pub static POSITIVE_HINTS: Fragments = Fragments::new(&[
    "article",
    "body",
    "content",
    "entry",
    "hentry",
    "h-entry",
    "main",
    "page",
    "pagination",
    "post",
    "text",
    "blog",
    "story",
]);

/// Fragments that lower a block's class weight.
pub static NEGATIVE_HINTS: Fragments = Fragments::new(&[
    "-ad-",
    "hidden",
    "banner",
    "combx",
    "comment",
    "com-",
    "contact",
    "footer",
    "gdpr",
    "masthead",
    "media",
    "meta",
    "outbrain",
    "promo",
    "related",
    "scroll",
    "share",
    "shoutbox",
    "sidebar",
    "skyscraper",
    "sponsor",
    "shopping",
    "tags",
    "widget",
]);

/// Class/id names of reader-comment containers. Matched as whole `-`/`_`-separated words so
/// that `commentary` or `comment-free` prose containers survive (a substring match takes the
/// article of any page whose body class merely contains "comment"; the cases are in
/// `comment_containers_match_whole_names`).
pub const COMMENT_CONTAINER_NAMES: &[&str] = &[
    "comments",
    "comment-list",
    "commentlist",
    "comments-area",
    "comments-content",
    "comment-content",
    "comments-section",
    "comment-section",
    "comment-thread",
    "disqus_thread",
    "respond",
    "trackbacks",
    "trackback",
    "pings",
    "replies",
];

/// Class weight unit: outvotes about two short paragraphs, not a long text block.
pub const CLASS_HINT_WEIGHT: f32 = 25.0;

/// Lowercased `class` and `id` of an element, joined by a space (test them through
/// [`matching_names`], which leaves layout flags out). Borrowed when the element has a class
/// already in lowercase and no id (most elements; this runs for each of them in several stages).
pub fn class_and_id(doc: &Document, id: NodeId) -> Cow<'_, str> {
    let (class, id) = (doc.attr(id, "class"), doc.attr(id, "id"));
    match (class, id) {
        (None, None) => return Cow::Borrowed(""),
        (Some(c), None) => return lowercase_ascii(c),
        _ => {}
    }
    let mut s = String::with_capacity(class.map_or(0, str::len) + id.map_or(0, |i| i.len() + 1));
    if let Some(c) = class {
        s.push_str(c);
    }
    if let Some(i) = id {
        s.push(' ');
        s.push_str(i);
    }
    s.make_ascii_lowercase();
    Cow::Owned(s)
}

/// `s` with ASCII letters lowercased, borrowed when it has no uppercase one.
fn lowercase_ascii(s: &str) -> Cow<'_, str> {
    if s.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(s.to_ascii_lowercase())
    } else {
        Cow::Borrowed(s)
    }
}

/// Whether any fragment occurs in `haystack`.
pub fn has_any(haystack: &str, fragments: &[&str]) -> bool {
    !haystack.is_empty() && fragments.iter().any(|f| haystack.contains(f))
}

/// Substrings indexed by first byte, so that one pass over a haystack answers "does any occur?"
/// (the same answer as [`has_any`], for a non-empty haystack).
pub(crate) struct SubstringSet {
    by_first: Vec<Vec<&'static [u8]>>,
}

impl SubstringSet {
    pub(crate) fn new(needles: impl IntoIterator<Item = &'static str>) -> Self {
        let mut by_first = vec![Vec::new(); 256];
        for n in needles {
            match n.as_bytes().first() {
                Some(&b) => by_first[usize::from(b)].push(n.as_bytes()),
                // An empty needle occurs everywhere.
                None => by_first.iter_mut().for_each(|v| v.push(&[])),
            }
        }
        SubstringSet { by_first }
    }

    /// Whether any needle occurs in `haystack`.
    pub(crate) fn any_in(&self, haystack: &str) -> bool {
        let h = haystack.as_bytes();
        (0..h.len()).any(|i| {
            self.by_first[usize::from(h[i])]
                .iter()
                .any(|n| h[i..].starts_with(n))
        })
    }
}

/// A fixed list of class/id fragments, indexed on first use (the prepare stage asks for every
/// element).
pub struct Fragments {
    list: &'static [&'static str],
    set: std::sync::OnceLock<SubstringSet>,
}

impl Fragments {
    /// Wraps a list; nothing is computed until the first search.
    pub const fn new(list: &'static [&'static str]) -> Self {
        Fragments {
            list,
            set: std::sync::OnceLock::new(),
        }
    }

    /// The fragments, in the order given.
    pub fn list(&self) -> &'static [&'static str] {
        self.list
    }

    /// Whether any fragment occurs in `haystack` (the same answer as [`has_any`]).
    pub fn any_in(&self, haystack: &str) -> bool {
        !haystack.is_empty()
            && self
                .set
                .get_or_init(|| SubstringSet::new(self.list.iter().copied()))
                .any_in(haystack)
    }
}

/// Whether `hid` occurs as a whole class/id word (Readability's `\bhid\b`).
fn has_hid_word(s: &str) -> bool {
    s.split(|c: char| !c.is_ascii_alphanumeric())
        .any(|w| w == "hid")
}

/// Layout classes that hide a block on some screen sizes only (`hidden-xs`, `hidden-phone`): on
/// the others it is shown, so "hidden" in them says nothing about the block.
const BREAKPOINT_HIDING: &[&str] = &[
    "hidden-xs",
    "hidden-sm",
    "hidden-md",
    "hidden-lg",
    "hidden-xl",
    "hidden-phone",
    "hidden-mobile",
    "hidden-tablet",
    "hidden-desktop",
    "hidden-print",
];

/// Class words that state a feature or a state of the layout (`has-sidebar`, `no-comments`,
/// `with-ads`, `without-image`, `modal-enabled`, `share-disabled`): a page sets them on the
/// wrappers of whatever it holds, the article's included, so the word after `has-` says nothing
/// about what the block is. Like [`BREAKPOINT_HIDING`], they name no block.
fn is_layout_flag(w: &str) -> bool {
    let prefixed = |p: &str| w.len() > p.len() && w.starts_with(p);
    let suffixed = |s: &str| w.len() > s.len() && w.ends_with(s);
    // Told by the first byte, then the last: most class words are neither.
    let by_start = match w.as_bytes().first() {
        Some(b'h') => prefixed("has-") || BREAKPOINT_HIDING.contains(&w),
        Some(b'n') => prefixed("no-"),
        Some(b'w') => prefixed("with-") || prefixed("without-"),
        _ => false,
    };
    by_start || (w.ends_with("abled") && (suffixed("-enabled") || suffixed("-disabled")))
}

/// `names` when `test` holds for them once their layout flags ([`is_layout_flag`]) are left
/// out. A flag can only take a match away, so the flags are looked for only after a match:
/// every element's names are tested, few match.
pub fn matching_names(names: Cow<'_, str>, test: impl Fn(&str) -> bool) -> Option<Cow<'_, str>> {
    if !test(&names) {
        return None;
    }
    let names = without_layout_flags(names);
    test(&names).then_some(names)
}

/// `names` (lowercase) without its layout flags ([`is_layout_flag`]).
fn without_layout_flags(names: Cow<'_, str>) -> Cow<'_, str> {
    if !names.split_ascii_whitespace().any(is_layout_flag) {
        return names;
    }
    Cow::Owned(
        names
            .split_ascii_whitespace()
            .filter(|w| !is_layout_flag(w))
            .collect::<Vec<_>>()
            .join(" "),
    )
}

/// Readability-style class weight: class and id each add or subtract [`CLASS_HINT_WEIGHT`].
pub fn class_weight(doc: &Document, id: NodeId) -> f32 {
    let (penalty, bonus) = class_hints(doc, id);
    bonus - penalty
}

/// The negative part of [`class_weight`]: what boilerplate words in the names cost.
pub fn class_penalty(doc: &Document, id: NodeId) -> f32 {
    class_hints(doc, id).0
}

/// What boilerplate words (first) and content words (second) in the class and id weigh.
fn class_hints(doc: &Document, id: NodeId) -> (f32, f32) {
    let (mut penalty, mut bonus) = (0.0, 0.0);
    for name in ["class", "id"] {
        let Some(v) = doc.attr(id, name) else {
            continue;
        };
        if v.is_empty() {
            continue;
        }
        let v = lowercase_ascii(v);
        let negative = |v: &str| NEGATIVE_HINTS.any_in(v) || has_hid_word(v);
        let positive = |v: &str| POSITIVE_HINTS.any_in(v);
        if !negative(&v) && !positive(&v) {
            continue;
        }
        let v = without_layout_flags(v);
        if negative(&v) {
            penalty += CLASS_HINT_WEIGHT;
        }
        if positive(&v) {
            bonus += CLASS_HINT_WEIGHT;
        }
    }
    (penalty, bonus)
}

/// Leading words of a class/id that describe the page state, not a comment block
/// (`no-comments`, `has-comments`, `comments-open` on a post wrapper).
const COMMENT_STATE_WORDS: &[&str] = &[
    "no", "has", "with", "show", "open", "closed", "count", "link", "number", "num", "icon", "btn",
    "button", "rss", "feed", "policy", "bubble",
];

/// Whether a class/id list names a reader-comment container.
pub fn is_comment_container(doc: &Document, id: NodeId) -> bool {
    // Every name `is_comment_name` accepts holds one of these: one scan rejects most elements.
    static SCREEN: Fragments = Fragments::new(&[
        "comment",
        "disqus",
        "dsq-",
        "respond",
        "trackback",
        "pings",
        "replies",
    ]);
    let ci = class_and_id(doc, id);
    if !SCREEN.any_in(&ci) {
        return false;
    }
    ci.split_ascii_whitespace().any(is_comment_name)
}

fn is_comment_name(name: &str) -> bool {
    if COMMENT_CONTAINER_NAMES.contains(&name)
        || name.starts_with("dsq-")
        || name.starts_with("disqus")
    {
        return true;
    }
    // Every word rule below needs one of these (and most class names have neither).
    if !name.contains("comment") && !name.contains("trackbacks") {
        return false;
    }
    let words: Vec<&str> = name.split(['-', '_']).filter(|w| !w.is_empty()).collect();
    let commenty = words.iter().any(|w| {
        matches!(
            *w,
            "comments" | "commentlist" | "commentbody" | "trackbacks"
        )
    }) || (words.first() == Some(&"comment") && words.len() > 1);
    commenty && !words.iter().any(|w| COMMENT_STATE_WORDS.contains(w))
}

/// Class/id words that attribute a comment to its reader: a byline, a picture, a reply link.
const READER_MARKS: &[&str] = &["author", "avatar", "user", "reply", "vcard"];

/// Whether a comment container credits its entries to readers (a `cite`, or an author,
/// avatar, user or reply block). A live ticker's "comments" name no readers.
pub fn credits_readers(doc: &Document, id: NodeId) -> bool {
    doc.descendants(id).any(|n| {
        doc.is(n, "cite") || {
            let ci = class_and_id(doc, n);
            !ci.is_empty() && has_any(&ci, READER_MARKS)
        }
    })
}

/// Whether an element is hidden by markup or by its measured rendering.
pub fn is_hidden(doc: &Document, id: NodeId) -> bool {
    let Some(el) = doc.element(id) else {
        return false;
    };
    if let Some(h) = &el.hints {
        if let Some(v) = h.visible {
            return !v;
        }
    }
    // One pass over the attributes (the prose measure asks this of every element).
    let (mut aria_hidden, mut class, mut style) = (None, None, None);
    for a in &el.attrs {
        match &*a.name {
            "hidden" => return true,
            "aria-hidden" => aria_hidden = aria_hidden.or(Some(a.value.as_str())),
            "class" => class = class.or(Some(a.value.as_str())),
            "style" => style = style.or(Some(a.value.as_str())),
            _ => {}
        }
    }
    if aria_hidden == Some("true") && !class.is_some_and(|c| c.contains("fallback-image")) {
        return true;
    }
    style.is_some_and(style_hides)
}

/// Whether an inline style hides the element.
pub fn style_hides(style: &str) -> bool {
    // Most styles name neither value: they are not copied.
    let names = |word: &str| {
        style
            .as_bytes()
            .windows(word.len())
            .any(|w| w.eq_ignore_ascii_case(word.as_bytes()))
    };
    if !names("none") && !names("hidden") {
        return false;
    }
    let s: String = style
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase();
    s.contains("display:none") || s.contains("visibility:hidden")
}

/// Whether `tag` starts a new block (its presence makes a container "block-level" for
/// paragraph detection).
pub fn is_block_tag(tag: &str) -> bool {
    // A `match` on the name, not a scan of a list: asked of most elements, many times.
    matches!(
        tag,
        "address"
            | "article"
            | "aside"
            | "blockquote"
            | "dd"
            | "details"
            | "dialog"
            | "div"
            | "dl"
            | "dt"
            | "fieldset"
            | "figcaption"
            | "figure"
            | "footer"
            | "form"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "header"
            | "hgroup"
            | "hr"
            | "li"
            | "main"
            | "nav"
            | "ol"
            | "p"
            | "pre"
            | "section"
            | "table"
            | "tbody"
            | "td"
            | "tfoot"
            | "th"
            | "thead"
            | "tr"
            | "ul"
            | "caption"
            | "center"
            | "menu"
            | "summary"
    )
}

/// Weight of link text for in-page `#fragment` links (footnotes, tables of contents).
const HASH_LINK_WEIGHT: f32 = 0.3;

/// Text statistics for every node of a subtree, computed bottom-up in one pass.
pub struct TextStats {
    chars: Vec<u32>,
    link_chars: Vec<f32>,
    commas: Vec<u32>,
}

impl TextStats {
    /// Measures `root`'s subtree. Text length counts whitespace runs as one character.
    pub fn compute(doc: &Document, root: NodeId) -> TextStats {
        let n = doc.len();
        let mut st = TextStats {
            chars: vec![0; n],
            link_chars: vec![0.0; n],
            commas: vec![0; n],
        };
        // Children first: each node's counts are complete when it is reached (its children
        // added theirs), and it adds them into its parent's in turn.
        for id in doc.post_order(root) {
            let i = id.index();
            if let Some(m) = doc.text_metric(id, text_metric) {
                st.chars[i] = m as u32;
                st.commas[i] = (m >> 32) as u32;
            } else if let Some(weight) = link_weight(doc, id) {
                st.link_chars[i] = st.chars[i] as f32 * weight;
            }
            if id != root {
                if let Some(p) = doc.parent(id) {
                    let p = p.index();
                    st.chars[p] += st.chars[i];
                    st.link_chars[p] += st.link_chars[i];
                    st.commas[p] += st.commas[i];
                }
            }
        }
        st
    }

    /// Takes `node`'s text out of its ancestors' counts, as if `compute` ran again after the
    /// node is detached. Call it before detaching (it walks the node's ancestors); a cleanup
    /// that removes many blocks then pays one bottom-up pass instead of one per step.
    pub fn remove(&mut self, doc: &Document, node: NodeId) {
        let i = node.index();
        let (Some(&chars), Some(&commas), Some(&link)) = (
            self.chars.get(i),
            self.commas.get(i),
            self.link_chars.get(i),
        ) else {
            return;
        };
        let mut link_gone = link;
        for a in doc.ancestors(node) {
            let j = a.index();
            if j >= self.chars.len() {
                break;
            }
            self.chars[j] = self.chars[j].saturating_sub(chars);
            self.commas[j] = self.commas[j].saturating_sub(commas);
            let before = self.link_chars[j];
            self.link_chars[j] = match link_weight(doc, a) {
                Some(weight) => self.chars[j] as f32 * weight,
                None => (before - link_gone).max(0.0),
            };
            link_gone = before - self.link_chars[j];
        }
    }

    /// Approximate length of the node's normalised text.
    pub fn chars(&self, id: NodeId) -> usize {
        self.chars.get(id.index()).copied().unwrap_or(0) as usize
    }

    /// Commas (Latin, Arabic, CJK and others) in the node's text.
    pub fn commas(&self, id: NodeId) -> usize {
        self.commas.get(id.index()).copied().unwrap_or(0) as usize
    }

    /// Share of the node's text that sits inside links (hash links discounted).
    pub fn link_density(&self, id: NodeId) -> f32 {
        let chars = self.chars(id);
        if chars == 0 {
            return 0.0;
        }
        let link = self.link_chars.get(id.index()).copied().unwrap_or(0.0);
        (link / chars as f32).min(1.0)
    }
}

/// [`TextStats::link_density`] of one subtree, measured on its own: cheaper than a whole
/// [`TextStats`] when a pass needs it for a few nodes.
pub fn subtree_link_density(doc: &Document, id: NodeId) -> f32 {
    let (mut chars, mut link) = (0usize, 0.0f32);
    let mut cur = doc.first_child(id).and(Some(id));
    while let Some(n) = cur {
        if let Some(len) = crate::text::text_len(doc, n) {
            chars += len;
        } else if let Some(weight) = link_weight(doc, n).filter(|_| n != id) {
            // A link's text counts whole at its weight (a link inside it changes nothing).
            let inner: usize = doc
                .descendants(n)
                .filter_map(|d| crate::text::text_len(doc, d))
                .sum();
            chars += inner;
            link += inner as f32 * weight;
            cur = doc.next_skipping_children(n, id);
            continue;
        }
        cur = doc.next_in(n, id);
    }
    if chars == 0 {
        return 0.0;
    }
    if let Some(weight) = link_weight(doc, id) {
        return weight.min(1.0);
    }
    (link / chars as f32).min(1.0)
}

/// How much of a link's text counts as link text (`None`: not a link); in-page `#` links are
/// discounted.
fn link_weight(doc: &Document, id: NodeId) -> Option<f32> {
    if !doc.is(id, "a") {
        return None;
    }
    Some(match doc.attr(id, "href") {
        // Script buttons go nowhere: like in-page links, their text is mostly the page's own.
        Some(h) if h.trim_start().starts_with('#') || is_script_url(h) => HASH_LINK_WEIGHT,
        _ => 1.0,
    })
}

/// Whether `href` runs a script (`javascript:`) instead of naming a page.
pub fn is_script_url(href: &str) -> bool {
    href.trim_start()
        .get(..11)
        .is_some_and(|s| s.eq_ignore_ascii_case("javascript:"))
}

/// A heading this similar to the title ([`text_similarity`]) is the page's headline.
pub const HEADLINE_SIMILARITY: f32 = 0.75;

/// Whether the heading `id` reads like the page's `title` (cleanup drops it from the body; the
/// safety net finds the story's start after it).
pub fn reads_like_headline(doc: &Document, id: NodeId, title: &str) -> bool {
    text_similarity(title, &inner_text(doc, id)) > HEADLINE_SIMILARITY
}

/// Similarity of `b` to `a` as Readability measures it: one minus the share of `b`'s word
/// characters that are not words of `a` (case-insensitive).
pub fn text_similarity(a: &str, b: &str) -> f32 {
    let words = |s: &str| -> Vec<String> {
        crate::text::lowercase(s)
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect()
    };
    let ta = words(a);
    let tb = words(b);
    if ta.is_empty() || tb.is_empty() {
        return 0.0;
    }
    let total: usize = tb.iter().map(|w| w.chars().count()).sum::<usize>() + tb.len() - 1;
    let uniq: Vec<&String> = tb.iter().filter(|w| !ta.contains(w)).collect();
    let uniq_len: usize =
        uniq.iter().map(|w| w.chars().count()).sum::<usize>() + uniq.len().saturating_sub(1);
    1.0 - uniq_len as f32 / total as f32
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dom::html::parse;

    #[test]
    fn fragments_answer_like_has_any() {
        let lists = [
            &UNLIKELY_HINTS,
            &MAYBE_CONTENT_HINTS,
            &POSITIVE_HINTS,
            &NEGATIVE_HINTS,
        ];
        let hay = [
            "",
            "a",
            "-ad-",
            "x-ad-y",
            "sidebar-widget",
            "article-body",
            "related-stories main",
            "comment",
            "com",
            "yom-remote",
            "story",
            "öffnen modal",
            "x hidde",
        ];
        for list in lists {
            for h in hay {
                assert_eq!(list.any_in(h), has_any(h, list.list()), "{h:?}");
            }
        }
        static WITH_EMPTY: Fragments = Fragments::new(&["zz", ""]);
        assert!(WITH_EMPTY.any_in("abc"));
        assert!(!WITH_EMPTY.any_in(""));
    }

    #[test]
    fn removing_a_block_matches_measuring_again() {
        let html = "<div id=w><p>one, two</p><a href=/x><span>link <b id=gone>bold, words</b>\
                    </span> tail</a><ul id=list><li><a href=#n>note</a> x</li></ul>\
                    <p>last words, here</p></div>";
        for target in ["gone", "list"] {
            let mut doc = parse(html);
            let wrapper = doc
                .descendants(doc.root())
                .find(|&n| doc.attr(n, "id") == Some("w"));
            let wrapper = wrapper.unwrap_or(doc.root());
            let node = doc
                .descendants(wrapper)
                .find(|&n| doc.attr(n, "id") == Some(target));
            let node = node.unwrap_or(wrapper);
            let mut kept = TextStats::compute(&doc, wrapper);
            kept.remove(&doc, node);
            doc.detach(node);
            let fresh = TextStats::compute(&doc, wrapper);
            for n in doc.descendants(wrapper) {
                assert_eq!(kept.chars(n), fresh.chars(n), "{target}");
                assert_eq!(kept.commas(n), fresh.commas(n), "{target}");
                assert_eq!(
                    round2(kept.link_density(n)),
                    round2(fresh.link_density(n)),
                    "{target}"
                );
            }
        }
    }

    fn round2(x: f32) -> f32 {
        (x * 100.0).round() / 100.0
    }

    macro_rules! density {
        ($name:ident, $html:expr, $want:expr) => {
            #[test]
            fn $name() {
                let doc = parse($html);
                let st = TextStats::compute(&doc, doc.root());
                assert_eq!(round2(st.link_density(doc.body())), $want);
            }
        };
    }
    density!(plain_paragraph, "<p>just words here</p>", 0.0);
    density!(all_link, "<p><a href=/x>link text</a></p>", 1.0);
    density!(
        hash_links_discounted,
        "<p>text text <a href=#n>note</a></p>",
        0.09
    );

    macro_rules! weight {
        ($name:ident, $attrs:expr, $want:expr) => {
            #[test]
            fn $name() {
                let doc = parse(&format!("<div {}>x</div>", $attrs));
                let div = doc.find_first(doc.root(), "div").unwrap();
                assert_eq!(class_weight(&doc, div), $want);
            }
        };
    }
    weight!(neutral_class, "class=wrapper", 0.0);
    weight!(positive_class, "class=article-body", 25.0);
    weight!(negative_id, "id=sidebar", -25.0);
    weight!(both_ways, "class=entry id=comments", 0.0);
    weight!(hid_word_only, "class='a hid b'", -25.0);
    weight!(hidden_class, "class='promo-hidden'", -25.0);
    weight!(hidden_on_phones_only, "class='col hidden-xs'", 0.0);
    weight!(
        layout_flag_prefix,
        "class='col has-sidebar no-comments'",
        0.0
    );
    weight!(layout_flag_suffix, "class='col modal-enabled'", 0.0);
    weight!(layout_flag_beside_a_name, "class='sidebar has-ads'", -25.0);
    weight!(
        hidden_on_phones_and_hidden,
        "class='hidden-xs hidden'",
        -25.0
    );

    #[test]
    fn comment_containers_match_whole_names() {
        for (name, want) in [
            ("comments", true),
            ("comments_container", true),
            ("comment-list", true),
            ("dsq-content", true),
            ("commentary", false),
            ("no-comments", false),
            ("comments-open", false),
            ("comment-count", false),
        ] {
            assert_eq!(is_comment_name(name), want, "{name}");
        }
        // The container test's screen lets every listed name through.
        for name in COMMENT_CONTAINER_NAMES
            .iter()
            .chain(&["dsq-x", "disqusx", "x-comments"])
        {
            let doc = parse(&format!("<div class='{name}'>x</div>"));
            let div = doc.find_first(doc.root(), "div").unwrap();
            assert!(is_comment_container(&doc, div), "{name}");
        }
    }

    #[test]
    fn subtree_link_density_matches_the_whole_page_measure() {
        let doc = parse(
            "<div><p>Some text <a href='/x'>a link <b>bold</b></a> and <a href='#n'>a note</a>.</p>\
             <ul><li><a href='/y'>one</a></li><li><a href='/z'><a href='/w'>two</a></a></li></ul>\
             <a href='/big'><div>block <i>link</i></div></a><div></div></div>",
        );
        let stats = TextStats::compute(&doc, doc.root());
        let mut checked = 0;
        for n in doc.descendants(doc.root()).filter(|&n| doc.is_element(n)) {
            let (whole, own) = (stats.link_density(n), subtree_link_density(&doc, n));
            assert!(
                (whole - own).abs() < 1e-6,
                "{}: {whole} vs {own}",
                doc.tag(n)
            );
            checked += 1;
        }
        assert!(checked > 10);
    }

    #[test]
    fn hidden_by_attribute_or_inline_style() {
        let doc = parse(
            "<p id=a hidden>x</p><p id=b aria-hidden=true>x</p>\
             <p id=c aria-hidden=true class='fallback-image'>x</p>\
             <p id=d style='color: red; DISPLAY : None'>x</p><p id=e style='visibility:\thidden'>x</p>\
             <p id=f style='display:block; background: none'>x</p><p id=g>x</p>",
        );
        let hidden: Vec<bool> = ["a", "b", "c", "d", "e", "f", "g"]
            .iter()
            .map(|want| {
                let p = doc
                    .descendants(doc.root())
                    .find(|&n| doc.attr(n, "id") == Some(*want))
                    .unwrap();
                is_hidden(&doc, p)
            })
            .collect();
        assert_eq!(hidden, [true, true, false, true, true, false, false]);
    }

    #[test]
    fn similarity_of_equal_titles_is_one() {
        assert_eq!(text_similarity("Hello World", "hello world"), 1.0);
        assert!(text_similarity("Hello World", "Something else entirely") < 0.2);
    }
}
