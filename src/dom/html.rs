//! html5ever front-end: HTML text or bytes in, [`Document`] out (native builds only).
//!
//! Input: a string, or raw bytes in any encoding (BOM, `<meta charset>`, else UTF-8 when valid,
//! else windows-1252; invalid sequences are replaced, never rejected). Output: the owned tree,
//! with no render hints (a parser cannot know them). Must not: be used by any heuristic;
//! recurse; drop text. Comments, doctypes and processing instructions are not kept.

use std::borrow::Cow;
use std::cell::{Cell, Ref, RefCell};
use std::rc::Rc;

use html5ever::interface::{ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::tendril::{StrTendril, TendrilSink};
use html5ever::tokenizer::TokenizerOpts;
use html5ever::{parse_document, Attribute, LocalName, Namespace, ParseOpts, QualName};

use super::{intern, Attr, Document, NodeId, ROOT};

/// How far into the bytes we look for a `<meta charset>` (the HTML spec prescans 1024 bytes;
/// real pages put long `<script>` blocks first, so we look further).
const CHARSET_PRESCAN_BYTES: usize = 8192;

/// Parses an HTML string into a [`Document`].
pub fn parse(html: &str) -> Document {
    // A byte-order mark opens the input at most; html5ever would drop one at the start of every
    // chunk fed to it, so it is taken off here and the tokenizer keeps the rest.
    let html = html.strip_prefix('\u{feff}').unwrap_or(html);
    // Feed the parser in chunks and watch how deep the tree gets: a page that nests deeper than
    // browsers allow is parsed again with its nesting capped (see `MAX_PARSE_DEPTH`). Ordinary
    // pages pay nothing for the check.
    let too_deep = Rc::new(Cell::new(false));
    let sink = Sink {
        too_deep: Rc::clone(&too_deep),
        ..Sink::for_input(html.len())
    };
    let mut parser = parse_document(sink, parse_opts());
    let mut rest = html;
    while !rest.is_empty() {
        let mut cut = rest.len().min(PARSE_CHUNK_BYTES);
        while !rest.is_char_boundary(cut) {
            cut += 1;
        }
        parser.process(StrTendril::from_slice(&rest[..cut]));
        rest = &rest[cut..];
        if too_deep.get() {
            let sink = Sink::for_input(html.len());
            return parse_document(sink, parse_opts())
                .one(StrTendril::from_slice(&cap_nesting(html, MAX_PARSE_DEPTH)));
        }
    }
    parser.finish()
}

/// html5ever's defaults, but a U+FEFF inside the page is text (see [`parse`]).
fn parse_opts() -> ParseOpts {
    ParseOpts {
        tokenizer: TokenizerOpts {
            discard_bom: false,
            ..TokenizerOpts::default()
        },
        ..ParseOpts::default()
    }
}

/// Input is fed to html5ever in pieces this big, so that a hostile nesting depth is noticed
/// before the parser's stack scans cost more than a few milliseconds.
const PARSE_CHUNK_BYTES: usize = 16 * 1024;

/// Start tags nested deeper than this are dropped before parsing (their text stays). Browsers
/// cap the tree the same way (Blink's parser nests at most 512 deep); html5ever does not, and
/// its scope checks walk the open-element stack, so 100,000 nested tags would take minutes.
pub const MAX_PARSE_DEPTH: usize = 512;

/// Elements without end tags.
const VOID_TAGS: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

/// Elements whose end tag is implied by the next sibling of the same kind.
const OPTIONAL_END_TAGS: &[&str] = &[
    "li", "p", "dt", "dd", "tr", "td", "th", "option", "optgroup", "rt", "rp", "thead", "tbody",
    "tfoot",
];

/// Elements whose content is text up to their end tag.
const RAW_TEXT_TAGS: &[&str] = &[
    "script", "style", "textarea", "title", "xmp", "noscript", "iframe", "noembed", "noframes",
];

/// Drops start and end tags nested deeper than `max_depth` (a cheap approximation of the tree
/// builder's stack). Returns the input untouched when nothing is that deep.
pub fn cap_nesting(html: &str, max_depth: usize) -> Cow<'_, str> {
    if !nests_deeper_than(html, max_depth) {
        return Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len());
    let mut stack: Vec<String> = Vec::new();
    let mut dropped: Vec<String> = Vec::new();
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        rest = &rest[lt..];
        let Some(tag) = scan_tag(rest) else {
            out.push('<');
            rest = &rest[1..];
            continue;
        };
        let raw = &rest[..tag.len];
        let name = tag.name.to_ascii_lowercase();
        match tag.kind {
            TagKind::Start if !tag.self_closing && !name_in(&name, VOID_TAGS) => {
                close_implied(&mut stack, &name);
                let raw_text = name_in(&name, RAW_TEXT_TAGS);
                if stack.len() >= max_depth {
                    dropped.push(name.clone());
                } else {
                    out.push_str(raw);
                    stack.push(name.clone());
                }
                rest = &rest[tag.len..];
                if raw_text {
                    let end = find_end_tag(rest, &name);
                    out.push_str(&rest[..end]);
                    rest = &rest[end..];
                }
                continue;
            }
            TagKind::End => {
                if let Some(pos) = stack.iter().rposition(|t| *t == name) {
                    stack.truncate(pos);
                    out.push_str(raw);
                } else if let Some(pos) = dropped.iter().rposition(|t| *t == name) {
                    dropped.remove(pos);
                } else {
                    out.push_str(raw);
                }
            }
            _ => out.push_str(raw),
        }
        rest = &rest[tag.len..];
    }
    out.push_str(rest);
    Cow::Owned(out)
}

fn close_implied(stack: &mut Vec<String>, name: &str) {
    // `<li>` closes an open `<li>` near the top, as the tree builder would.
    if name_in(name, OPTIONAL_END_TAGS) {
        if let Some(pos) = stack.iter().rev().take(4).position(|t| t == name) {
            let keep = stack.len() - 1 - pos;
            stack.truncate(keep);
        }
    }
}

/// Cheap check, without allocating: does any run of start tags reach `max_depth` (ignoring
/// implied closes)?
fn nests_deeper_than(html: &str, max_depth: usize) -> bool {
    if html.len() < max_depth * 3 {
        return false;
    }
    let mut depth: usize = 0;
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        rest = &rest[lt..];
        let Some(t) = scan_tag(rest) else {
            rest = &rest[1..];
            continue;
        };
        rest = &rest[t.len..];
        match t.kind {
            TagKind::Start
                if !t.self_closing
                    && !name_in(t.name, VOID_TAGS)
                    && !name_in(t.name, OPTIONAL_END_TAGS) =>
            {
                depth += 1;
                if depth > max_depth {
                    return true;
                }
                if name_in(t.name, RAW_TEXT_TAGS) {
                    let end = find_end_tag(rest, t.name);
                    rest = &rest[end..];
                }
            }
            TagKind::End if !name_in(t.name, OPTIONAL_END_TAGS) => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    false
}

#[derive(PartialEq)]
enum TagKind {
    Start,
    End,
    Other,
}

struct Tag<'a> {
    kind: TagKind,
    /// The tag name as written (compare ignoring ASCII case).
    name: &'a str,
    self_closing: bool,
    len: usize,
}

/// Whether `name` is one of the lowercase `list` entries, ignoring ASCII case.
fn name_in(name: &str, list: &[&str]) -> bool {
    list.iter().any(|t| t.eq_ignore_ascii_case(name))
}

/// Reads one tag (or comment/doctype) at the start of `s`, which begins with `<`.
fn scan_tag(s: &str) -> Option<Tag<'_>> {
    let b = s.as_bytes();
    if let Some(body) = s.strip_prefix("<!--") {
        let len = body.find("-->").map_or(s.len(), |p| p + 7);
        return Some(Tag {
            kind: TagKind::Other,
            name: "",
            self_closing: false,
            len,
        });
    }
    let (kind, name_start) = match b.get(1)? {
        b'/' => (TagKind::End, 2),
        b'!' | b'?' => (TagKind::Other, 1),
        c if c.is_ascii_alphabetic() => (TagKind::Start, 1),
        _ => return None,
    };
    let name_end = b[name_start..]
        .iter()
        .position(|c| c.is_ascii_whitespace() || *c == b'>' || *c == b'/')
        .map_or(s.len(), |p| p + name_start);
    // Find the closing '>' outside quoted attribute values (quotes are ASCII, so bytes do).
    let mut quote = None;
    let mut end = s.len();
    for (i, &c) in b[name_end..].iter().enumerate() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == b'"' || c == b'\'' => quote = Some(c),
            None if c == b'>' => {
                end = name_end + i + 1;
                break;
            }
            None => {}
        }
    }
    let self_closing = s[..end].ends_with("/>");
    Some(Tag {
        kind,
        name: &s[name_start..name_end],
        self_closing,
        len: end,
    })
}

/// Offset of `</name` (case-insensitive) in `s`, or its length.
fn find_end_tag(s: &str, name: &str) -> usize {
    let bytes = s.as_bytes();
    let mut from = 0;
    while let Some(p) = s[from..].find("</") {
        let at = from + p;
        let candidate = &bytes[at + 2..];
        if candidate.len() >= name.len()
            && candidate[..name.len()].eq_ignore_ascii_case(name.as_bytes())
        {
            return at;
        }
        from = at + 2;
    }
    s.len()
}

/// Decodes bytes (BOM, declared charset, UTF-8 or windows-1252) and parses them.
pub fn parse_bytes(bytes: &[u8]) -> Document {
    parse(&decode(bytes))
}

/// Decodes page bytes to text the way a browser would, repairing invalid sequences.
pub fn decode(bytes: &[u8]) -> String {
    if let Some((enc, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        return text.into_owned();
    }
    let head = &bytes[..bytes.len().min(CHARSET_PRESCAN_BYTES)];
    if let Some(enc) = declared_charset(head) {
        // A page that declares a legacy charset but is valid UTF-8 was almost always re-saved as
        // UTF-8 without fixing the declaration (mojibake otherwise).
        if enc != encoding_rs::UTF_8 && std::str::from_utf8(bytes).is_ok() {
            return String::from_utf8_lossy(bytes).into_owned();
        }
        let (text, _, _) = enc.decode(bytes);
        return text.into_owned();
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::WINDOWS_1252.decode(bytes).0.into_owned(),
    }
}

/// The encoding named by `charset=` in the first bytes, if any and known.
fn declared_charset(head: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let lower: Vec<u8> = head.iter().map(|b| b.to_ascii_lowercase()).collect();
    let needle = b"charset=";
    let pos = lower.windows(needle.len()).position(|w| w == needle)?;
    let rest = &lower[pos + needle.len()..];
    let rest = rest
        .strip_prefix(b"\"")
        .or_else(|| rest.strip_prefix(b"'"))
        .unwrap_or(rest);
    let end = rest
        .iter()
        .position(|b| !(b.is_ascii_alphanumeric() || *b == b'-' || *b == b'_' || *b == b':'))
        .unwrap_or(rest.len());
    encoding_rs::Encoding::for_label(&rest[..end])
}

/// Builds the arena as html5ever reports tree operations.
struct Sink {
    doc: RefCell<Document>,
    /// Qualified names by node index (html5ever asks for them back); index 0, the root, holds
    /// an empty name, as do text nodes.
    names: RefCell<Vec<QualName>>,
    /// Template element index -> its contents fragment.
    templates: RefCell<Vec<(NodeId, NodeId)>>,
    /// Depth of each node when it was appended (approximate after reparenting: only used to
    /// notice hostile nesting).
    depths: RefCell<Vec<u32>>,
    /// Set once an element lands deeper than `MAX_PARSE_DEPTH`.
    too_deep: Rc<Cell<bool>>,
}

fn no_name() -> QualName {
    QualName::new(None, Namespace::from(""), LocalName::from(""))
}

/// Real pages hold about one node per 60 bytes of HTML (scripts make that vary); the arena is
/// sized for one per 64 up front instead of being copied as it doubles.
const HTML_BYTES_PER_NODE: usize = 64;

impl Sink {
    fn for_input(html_len: usize) -> Sink {
        // Text is a part of a page's markup (less without script and style): reserve that much.
        const TEXT_SHARE_OF_HTML: usize = 2;
        let nodes = html_len / HTML_BYTES_PER_NODE;
        let mut names = Vec::with_capacity(nodes);
        names.push(no_name());
        Sink {
            doc: RefCell::new(Document::with_capacity(
                nodes,
                html_len / TEXT_SHARE_OF_HTML,
            )),
            names: RefCell::new(names),
            templates: RefCell::default(),
            depths: RefCell::new(Vec::with_capacity(nodes)),
            too_deep: Rc::default(),
        }
    }

    fn note_depth(&self, parent: NodeId, child: NodeId) {
        let mut depths = self.depths.borrow_mut();
        let d = depths.get(parent.index()).copied().unwrap_or(0) + 1;
        if depths.len() <= child.index() {
            depths.resize(child.index() + 1, 0);
        }
        depths[child.index()] = d;
        if d as usize > MAX_PARSE_DEPTH {
            self.too_deep.set(true);
        }
    }

    fn remember_name(&self, id: NodeId, name: QualName) {
        let mut names = self.names.borrow_mut();
        if names.len() <= id.index() {
            names.resize(id.index() + 1, no_name());
        }
        names[id.index()] = name;
    }

    fn new_node_for(&self, child: NodeOrText<NodeId>) -> NodeId {
        match child {
            NodeOrText::AppendNode(n) => n,
            NodeOrText::AppendText(t) => self.doc.borrow_mut().create_text(&t),
        }
    }
}

fn convert_attrs(attrs: Vec<Attribute>) -> Vec<Attr> {
    attrs
        .into_iter()
        .map(|a| Attr {
            name: intern(&a.name.local),
            value: a.value.into(),
        })
        .collect()
}

impl TreeSink for Sink {
    type Handle = NodeId;
    type Output = Document;
    type ElemName<'a> = Ref<'a, QualName>;

    fn finish(self) -> Document {
        self.doc.into_inner()
    }

    fn parse_error(&self, _msg: Cow<'static, str>) {}

    fn get_document(&self) -> NodeId {
        ROOT
    }

    fn elem_name<'a>(&'a self, target: &'a NodeId) -> Ref<'a, QualName> {
        // NOTE: html5ever asks for names all the time (scope checks); lending them out instead of
        // cloning three atoms per question is the supported pattern (markup5ever implements
        // `ElemName` for `Ref<QualName>`), and it never holds one across a tree change.
        Ref::map(self.names.borrow(), |names| {
            // NOTE: html5ever only asks about elements it created; the root's empty name stands
            // in for anything else rather than panicking.
            names.get(target.index()).unwrap_or(&names[0])
        })
    }

    fn create_element(&self, name: QualName, attrs: Vec<Attribute>, flags: ElementFlags) -> NodeId {
        let id = self
            .doc
            .borrow_mut()
            .create_element(&name.local, convert_attrs(attrs));
        self.remember_name(id, name);
        if flags.template {
            let contents = self
                .doc
                .borrow_mut()
                .create_element("#template-contents", vec![]);
            self.templates.borrow_mut().push((id, contents));
        }
        id
    }

    fn create_comment(&self, _text: StrTendril) -> NodeId {
        // Comments are dropped: a detached empty text node stands in for the parser's handle.
        self.doc.borrow_mut().create_text("")
    }

    fn create_pi(&self, _target: StrTendril, _data: StrTendril) -> NodeId {
        self.doc.borrow_mut().create_text("")
    }

    fn append(&self, parent: &NodeId, child: NodeOrText<NodeId>) {
        match child {
            NodeOrText::AppendText(t) => {
                let mut doc = self.doc.borrow_mut();
                if doc.keeps_text_in(*parent) {
                    doc.append_text(*parent, &t);
                }
            }
            NodeOrText::AppendNode(n) => {
                let mut doc = self.doc.borrow_mut();
                if doc.text(n) == Some("") {
                    return; // a dropped comment
                }
                doc.append(*parent, n);
                self.note_depth(*parent, n);
            }
        }
    }

    fn append_based_on_parent_node(
        &self,
        element: &NodeId,
        prev: &NodeId,
        child: NodeOrText<NodeId>,
    ) {
        let has_parent = self.doc.borrow().parent(*element).is_some();
        if has_parent {
            self.append_before_sibling(element, child);
        } else {
            self.append(prev, child);
        }
    }

    fn append_doctype_to_document(&self, _: StrTendril, _: StrTendril, _: StrTendril) {}

    fn get_template_contents(&self, target: &NodeId) -> NodeId {
        let found = self
            .templates
            .borrow()
            .iter()
            .find(|(t, _)| t == target)
            .map(|(_, c)| *c);
        found.unwrap_or(*target)
    }

    fn same_node(&self, x: &NodeId, y: &NodeId) -> bool {
        x == y
    }

    fn set_quirks_mode(&self, _mode: QuirksMode) {}

    fn append_before_sibling(&self, sibling: &NodeId, new_node: NodeOrText<NodeId>) {
        if let NodeOrText::AppendText(t) = &new_node {
            let mut doc = self.doc.borrow_mut();
            if let Some(prev) = doc.prev_sibling(*sibling) {
                if doc.text(prev).is_some() {
                    doc.push_text(prev, t);
                    return;
                }
            }
        }
        let id = self.new_node_for(new_node);
        let mut doc = self.doc.borrow_mut();
        if doc.text(id) == Some("") {
            return;
        }
        doc.insert_before(*sibling, id);
    }

    fn add_attrs_if_missing(&self, target: &NodeId, attrs: Vec<Attribute>) {
        let mut doc = self.doc.borrow_mut();
        if let Some(e) = doc.element_mut(*target) {
            for a in convert_attrs(attrs) {
                if e.attr(&a.name).is_none() {
                    e.attrs.push(a);
                }
            }
        }
    }

    fn remove_from_parent(&self, target: &NodeId) {
        self.doc.borrow_mut().detach(*target);
    }

    fn reparent_children(&self, node: &NodeId, new_parent: &NodeId) {
        self.doc.borrow_mut().reparent_children(*node, *new_parent);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_html_head_body() {
        let d = parse("<title>x</title><p>Hello <b>world</b></p>");
        let body = d.body();
        assert!(d.is(body, "body"));
        assert_eq!(d.text_content(body), "Hello world");
    }

    #[test]
    fn drops_comments_and_keeps_entities_decoded() {
        let d = parse("<p>a<!-- hidden -->&amp;b</p>");
        assert_eq!(d.text_content(d.body()), "a&b");
    }

    #[test]
    fn decodes_declared_legacy_charset() {
        let bytes = b"<meta charset=\"iso-8859-1\"><p>caf\xe9</p>";
        assert!(decode(bytes).contains("caf\u{e9}"));
    }

    #[test]
    fn repairs_invalid_utf8() {
        let bytes = b"<p>ok \xff\xfe bad</p>";
        let d = parse_bytes(bytes);
        assert!(d.text_content(d.body()).starts_with("ok"));
    }

    #[test]
    fn deep_nesting_is_capped_but_keeps_text() {
        let html = format!(
            "{}deep words{}",
            "<div>".repeat(2000),
            "</div>".repeat(2000)
        );
        let capped = cap_nesting(&html, 100);
        assert_eq!(capped.matches("<div>").count(), 100);
        assert!(capped.contains("deep words"));
        let d = parse(&html);
        assert!(d.text_content(d.body()).contains("deep words"));
    }

    #[test]
    fn shallow_pages_are_untouched() {
        let html = "<ul><li>a<li>b</ul><script>if (a < b) { x('<div>') }</script><p>c";
        assert!(matches!(cap_nesting(html, 3), Cow::Borrowed(_)));
    }

    #[test]
    fn feff_inside_the_page_is_kept_at_any_chunk_boundary() {
        // The character lands first in the second chunk html5ever is fed.
        let pad = "x".repeat(PARSE_CHUNK_BYTES - "<p>".len());
        let d = parse(&format!("<p>{pad}\u{feff}/ -42"));
        assert!(d.text_content(d.body()).ends_with("\u{feff}/ -42"));
        let d = parse("\u{feff}<p>x</p>");
        assert_eq!(d.text_content(d.body()), "x");
    }

    #[test]
    fn utf8_bom_is_stripped() {
        let d = parse_bytes(b"\xef\xbb\xbf<p>x</p>");
        assert_eq!(d.text_content(d.body()), "x");
    }
}
