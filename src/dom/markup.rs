//! Reads a browser's own serialization of a tree (`Element.outerHTML`) back into a [`Document`].
//!
//! Input: markup produced by the HTML fragment serialization algorithm — every non-void element
//! has an end tag, attribute values are double-quoted, and text escapes only `&`, `<`, `>` and
//! U+00A0 (attributes: `&`, `"`, U+00A0 and, in newer browsers, `<`, `>`). Such markup maps back
//! onto the tree it came from with a plain scanner, no HTML parser: the browser's native
//! serializer plus this reader is several times faster than walking the DOM from JavaScript.
//! Output: the tree, plus which node each element became in document order (its *ordinal*), so
//! that hints measured on the live elements can be attached. Must not: recurse, panic, or
//! guess: markup that does not read back cleanly (an end tag that does not match, input that
//! ends inside an element) is reported as [`Parsed::exact`] `= false` so the caller can fall
//! back to a slower exact copy.
//!
//! Mirrors `live.js`'s element walk: the children of void, raw-text and `template` elements are
//! not elements of the walk (their markup, if any, is text or skipped), and Lucid's own
//! `<lucid-reader>` host is left out with everything inside it. Script text (other than
//! JSON-LD) and style text are not kept: no stage reads them.

use super::{intern, Attr, Document, NodeId, ROOT};

/// Elements the serializer writes without an end tag or children.
const VOID: &[&str] = &[
    "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "img", "input",
    "keygen", "link", "meta", "param", "source", "track", "wbr",
];

/// Elements whose text children the serializer writes literally (`noscript`: as it is when
/// scripting is on, and read that way for `DOMParser` documents too, as the walk does).
const RAW_TEXT: &[&str] = &[
    "script",
    "style",
    "xmp",
    "iframe",
    "noembed",
    "noframes",
    "plaintext",
    "noscript",
];

/// Lucid's own reader host: never part of the page.
pub const OWN_HOST: &str = "lucid-reader";

/// A tree read back from markup.
pub struct Parsed {
    /// The tree.
    pub doc: Document,
    /// For each element of the walk, in document order, the node it became.
    pub elements: Vec<NodeId>,
    /// Whether every end tag matched and the input ended at the top level: only then do
    /// `elements` line up with the live page's elements.
    pub exact: bool,
}

/// One open element: the node (None inside skipped content) and its name in the input.
struct Open<'a> {
    node: Option<NodeId>,
    name: &'a str,
}

/// Reads `markup` (see the module docs). Never fails: what cannot be read exactly is read as
/// well as it can and flagged.
pub fn parse(markup: &str) -> Parsed {
    let mut doc = Document::with_capacity(markup.len() / 48 + 16, markup.len() / 2);
    let mut elements = Vec::with_capacity(markup.len() / 96 + 16);
    let mut open: Vec<Open> = Vec::new();
    let mut exact = true;
    let bytes = markup.as_bytes();
    let mut pos = 0;
    while pos < bytes.len() {
        let parent = match open.last() {
            Some(o) => o.node,
            None => Some(ROOT),
        };
        let lt = markup[pos..].find('<').map_or(bytes.len(), |i| pos + i);
        if lt > pos {
            if let Some(p) = parent {
                doc.append_text(p, &decode(&markup[pos..lt]));
            }
            pos = lt;
            continue;
        }
        match bytes.get(pos + 1) {
            Some(b'/') => {
                let end = find_byte(bytes, pos, b'>');
                let name = &markup[pos + 2..end];
                if open.last().is_some_and(|o| o.name == name) {
                    open.pop();
                } else {
                    // Not what the serializer writes: close up to a matching element, if any.
                    exact = false;
                    if let Some(at) = open.iter().rposition(|o| o.name == name) {
                        open.truncate(at);
                    }
                }
                pos = (end + 1).min(bytes.len());
            }
            Some(b'!') if markup[pos..].starts_with("<!--") => {
                pos = markup[pos + 4..]
                    .find("-->")
                    .map_or(bytes.len(), |i| pos + 4 + i + 3);
            }
            Some(b'!' | b'?') => pos = (find_byte(bytes, pos, b'>') + 1).min(bytes.len()),
            Some(c) if c.is_ascii_alphabetic() => {
                let tag = read_tag(markup, pos);
                pos = tag.end;
                let name = tag.name;
                let skipped = parent.is_none() || name == OWN_HOST;
                let node = if skipped {
                    None
                } else {
                    let id = doc.create_element(name, tag.attrs);
                    if let Some(p) = parent {
                        doc.append(p, id);
                    }
                    elements.push(id);
                    Some(id)
                };
                if VOID.contains(&name) {
                    continue;
                }
                if RAW_TEXT.contains(&name) {
                    let text_end = if name == "script" {
                        find_script_end(markup, pos)
                    } else {
                        find_end_tag(markup, pos, name)
                    };
                    let text = &markup[pos..text_end.unwrap_or(bytes.len())];
                    if let Some(id) = node {
                        if !text.is_empty() && doc.keeps_text_in(id) {
                            doc.append_text(id, text);
                        }
                    }
                    match text_end {
                        Some(e) => pos = e + name.len() + 3,
                        None => {
                            exact = false;
                            pos = bytes.len();
                        }
                    }
                    continue;
                }
                // Template contents are not children in the DOM (nor in the walk): skip them.
                let content = if name == "template" { None } else { node };
                open.push(Open {
                    node: content,
                    name,
                });
            }
            _ => {
                // A lone '<' (never written by a serializer): keep it as text.
                if let Some(p) = parent {
                    doc.append_text(p, "<");
                }
                pos += 1;
            }
        }
    }
    if !open.is_empty() {
        exact = false;
    }
    Parsed {
        doc,
        elements,
        exact,
    }
}

/// The index of the first `</name>` at or after `from`.
fn find_end_tag(markup: &str, from: usize, name: &str) -> Option<usize> {
    let (bytes, name) = (markup.as_bytes(), name.as_bytes());
    let mut i = from;
    while let Some(off) = markup[i..].find('<') {
        let at = i + off;
        let rest = &bytes[at + 1..];
        if rest.len() >= name.len() + 2
            && rest[0] == b'/'
            && &rest[1..=name.len()] == name
            && rest[name.len() + 1] == b'>'
        {
            return Some(at);
        }
        i = at + 1;
    }
    None
}

/// Where the text of a script that starts at `from` ends, as the HTML tokenizer finds it: at
/// the first `</script>`, unless an HTML comment opener in the script hides a nested
/// `<script>…</script>` from it (the "double escaped" states), which the parser kept as text.
fn find_script_end(markup: &str, from: usize) -> Option<usize> {
    let first = find_end_tag(markup, from, "script")?;
    if !markup[from..first].contains("<!--") {
        return Some(first);
    }
    let b = markup.as_bytes();
    let is_script_at = |i: usize| {
        b.len() >= i + 7
            && b[i..i + 6].eq_ignore_ascii_case(b"script")
            && (is_html_space(b[i + 6]) || matches!(b[i + 6], b'/' | b'>'))
    };
    let (mut escaped, mut double, mut dashes) = (false, false, 0);
    let mut i = from;
    while i < b.len() {
        match b[i] {
            b'-' => {
                dashes += 1;
                i += 1;
                continue;
            }
            b'>' if escaped && dashes >= 2 => (escaped, double) = (false, false),
            b'<' if !escaped && b[i + 1..].starts_with(b"!--") => {
                (escaped, dashes) = (true, 2);
                i += 4;
                continue;
            }
            b'<' if b.get(i + 1) == Some(&b'/') && is_script_at(i + 2) => {
                if !double {
                    return Some(i);
                }
                double = false;
            }
            b'<' if escaped && !double && is_script_at(i + 1) => double = true,
            _ => {}
        }
        dashes = 0;
        i += 1;
    }
    None
}

/// HTML's whitespace (the tokenizer's, between a tag name and its attributes).
fn is_html_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c')
}

/// The index of the first `b` at or after `from`, or the input's length.
fn find_byte(bytes: &[u8], from: usize, b: u8) -> usize {
    bytes[from..]
        .iter()
        .position(|&x| x == b)
        .map_or(bytes.len(), |i| from + i)
}

struct StartTag<'a> {
    name: &'a str,
    attrs: Vec<Attr>,
    /// Just past the closing `>`.
    end: usize,
}

/// Reads the start tag at `pos` (which holds `<` and a letter).
fn read_tag(markup: &str, pos: usize) -> StartTag<'_> {
    let bytes = markup.as_bytes();
    let mut i = pos + 1;
    while i < bytes.len() && !is_html_space(bytes[i]) && bytes[i] != b'>' && bytes[i] != b'/' {
        i += 1;
    }
    let name = &markup[pos + 1..i];
    let mut attrs = Vec::new();
    loop {
        while i < bytes.len() && (is_html_space(bytes[i]) || bytes[i] == b'/') {
            i += 1;
        }
        if i >= bytes.len() {
            break;
        }
        if bytes[i] == b'>' {
            i += 1;
            break;
        }
        // A name runs to '=' (the serializer always writes one), a space or '>'; a name that
        // starts with '=' keeps it, as the HTML tokenizer does.
        let start = i;
        i += 1;
        while i < bytes.len() && bytes[i] != b'=' && !is_html_space(bytes[i]) && bytes[i] != b'>' {
            i += 1;
        }
        let attr_name = &markup[start..i];
        let mut value = String::new();
        if bytes.get(i) == Some(&b'=') {
            i += 1;
            if bytes.get(i) == Some(&b'"') {
                let close = find_byte(bytes, i + 1, b'"');
                value = decode(&markup[i + 1..close]).into_owned();
                i = (close + 1).min(bytes.len());
            } else {
                let start = i;
                while i < bytes.len() && !is_html_space(bytes[i]) && bytes[i] != b'>' {
                    i += 1;
                }
                value = decode(&markup[start..i]).into_owned();
            }
        }
        attrs.push(Attr {
            name: if attr_name.bytes().any(|b| b.is_ascii_uppercase()) {
                intern(&attr_name.to_ascii_lowercase())
            } else {
                intern(attr_name)
            },
            value: value.into(),
        });
    }
    StartTag {
        name,
        attrs,
        end: i.min(bytes.len()),
    }
}

/// Undoes the serializer's escapes: `&amp;`, `&lt;`, `&gt;`, `&quot;`, `&nbsp;`. Any other `&`
/// is kept as it is (the serializer never writes one).
fn decode(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains('&') {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let (ch, len) = [
            ("&amp;", '&'),
            ("&lt;", '<'),
            ("&gt;", '>'),
            ("&quot;", '"'),
            ("&nbsp;", '\u{a0}'),
        ]
        .iter()
        .find(|(e, _)| rest.starts_with(e))
        .map_or(('&', 1), |(e, c)| (*c, e.len()));
        out.push(ch);
        rest = &rest[len..];
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(doc: &Document) -> Vec<String> {
        doc.descendants(doc.root())
            .filter_map(|n| doc.text(n).map(str::to_string))
            .collect()
    }

    #[test]
    fn reads_elements_attributes_and_escapes() {
        let p = parse(
            r#"<html><head><title>a &amp; b</title></head><body><div title="x &lt;&quot;y&quot;&gt;&nbsp;" class="c"><p>one&nbsp;&lt;two&gt;</p><img src="i.png"><br></div></body></html>"#,
        );
        assert!(p.exact);
        let doc = &p.doc;
        let tags: Vec<&str> = p.elements.iter().map(|&n| doc.tag(n)).collect();
        assert_eq!(
            tags,
            ["html", "head", "title", "body", "div", "p", "img", "br"]
        );
        assert_eq!(doc.attr(p.elements[4], "title"), Some("x <\"y\">\u{a0}"));
        assert_eq!(doc.attr(p.elements[4], "class"), Some("c"));
        assert_eq!(texts(doc), ["a & b", "one\u{a0}<two>"]);
        assert_eq!(doc.parent(p.elements[6]), Some(p.elements[4]));
    }

    #[test]
    fn raw_text_template_and_own_host_are_not_walked() {
        let p = parse(concat!(
            "<body><script>if (a<b) x('<p>')</script>",
            r#"<script type="application/ld+json">{"a":"<b>"}</script>"#,
            "<style>p>a{}</style><noscript><img src=\"n.png\"></noscript>",
            "<template><p>t</p></template><lucid-reader><p>ours</p></lucid-reader>",
            "<svg viewBox=\"0 0 1 1\"><foreignObject><p>f</p></foreignObject></svg></body>",
        ));
        assert!(p.exact);
        let doc = &p.doc;
        let tags: Vec<&str> = p.elements.iter().map(|&n| doc.tag(n)).collect();
        assert_eq!(
            tags,
            [
                "body",
                "script",
                "script",
                "style",
                "noscript",
                "template",
                "svg",
                "foreignObject",
                "p"
            ]
        );
        assert_eq!(texts(doc), [r#"{"a":"<b>"}"#, "<img src=\"n.png\">", "f"]);
        assert_eq!(doc.attr(p.elements[6], "viewbox"), Some("0 0 1 1"));
    }

    #[test]
    fn a_script_ends_where_the_tokenizer_ended_it() {
        // What the serializer writes for a script the parser kept whole: the inner
        // "</script>" sits in a comment opener's "double escaped" text.
        let p = parse(concat!(
            "<body><script><!--\ndocument.write('<script>x()</script>');\n--></script>",
            "<p>after</p><script>a = '<!-- b';</script><p>last</p></body>"
        ));
        assert!(p.exact);
        let tags: Vec<&str> = p.elements.iter().map(|&n| p.doc.tag(n)).collect();
        assert_eq!(tags, ["body", "script", "p", "script", "p"]);
        assert_eq!(texts(&p.doc), ["after", "last"]);
    }

    #[test]
    fn flags_markup_that_does_not_read_back() {
        for bad in [
            "<div><p>x</div>",
            "<div>",
            "<script>never closed",
            "<p>x</p></div>",
        ] {
            assert!(!parse(bad).exact, "{bad}");
        }
        for odd in [
            "",
            "a < b",
            "<",
            "</",
            "<!--",
            "<div =x=\"1\" y>z</div>",
            "<a b=\"unclosed",
        ] {
            let _ = parse(odd); // best effort, never a panic
        }
        assert!(parse("a < b").exact);
    }
}
