//! Sanitized HTML: an allowlist serializer over the article tree.
//!
//! Only listed tags and attributes pass; other elements are unwrapped (their text stays);
//! elements that could run code or load active content are dropped whole. URLs must be web,
//! mail, in-page or raster `data:image/*`. No `style`, no `on*` handlers, no `class` except
//! code-language classes.

use crate::article::Article;
use crate::dom::{Document, NodeId, Step};
use crate::render::{is_safe_image, is_safe_link};

/// Elements kept as they are, with their allowed attributes.
const ALLOWED: &[(&str, &[&str])] = &[
    ("p", &[]),
    ("br", &[]),
    ("hr", &[]),
    ("h1", &[]),
    ("h2", &[]),
    ("h3", &[]),
    ("h4", &[]),
    ("h5", &[]),
    ("h6", &[]),
    ("ul", &[]),
    ("ol", &["start", "reversed", "type"]),
    ("li", &["value"]),
    ("dl", &[]),
    ("dt", &[]),
    ("dd", &[]),
    ("blockquote", &["cite"]),
    ("q", &["cite"]),
    ("pre", &[]),
    ("code", &["class"]),
    ("a", &["href", "title"]),
    ("img", &["src", "srcset", "alt", "title", "width", "height"]),
    ("em", &[]),
    ("strong", &[]),
    ("b", &[]),
    ("i", &[]),
    ("u", &[]),
    ("s", &[]),
    ("del", &[]),
    ("ins", &[]),
    ("sub", &[]),
    ("sup", &[]),
    ("small", &[]),
    ("mark", &[]),
    ("cite", &[]),
    ("abbr", &["title"]),
    ("dfn", &[]),
    ("kbd", &[]),
    ("samp", &[]),
    ("var", &[]),
    ("time", &["datetime"]),
    ("figure", &[]),
    ("figcaption", &[]),
    ("table", &[]),
    ("caption", &[]),
    ("thead", &[]),
    ("tbody", &[]),
    ("tfoot", &[]),
    ("tr", &[]),
    ("th", &["colspan", "rowspan", "scope"]),
    ("td", &["colspan", "rowspan"]),
    ("details", &["open"]),
    ("summary", &[]),
    ("div", &[]),
    ("section", &[]),
    ("article", &[]),
    ("aside", &[]),
    ("address", &[]),
    ("wbr", &[]),
    ("ruby", &[]),
    ("rt", &[]),
    ("rp", &[]),
    ("bdi", &[]),
    // MathML presentation markup (no links, no scripts in it).
    ("math", &["display", "xmlns"]),
    ("mrow", &[]),
    ("mi", &["mathvariant"]),
    (
        "mo",
        &["stretchy", "fence", "separator", "lspace", "rspace"],
    ),
    ("mn", &[]),
    ("ms", &[]),
    ("mtext", &[]),
    ("mspace", &["width"]),
    ("msup", &[]),
    ("msub", &[]),
    ("msubsup", &[]),
    ("mfrac", &["linethickness"]),
    ("msqrt", &[]),
    ("mroot", &[]),
    ("mover", &["accent"]),
    ("munder", &[]),
    ("munderover", &[]),
    ("mtable", &[]),
    ("mtr", &[]),
    ("mtd", &[]),
    ("mstyle", &["displaystyle"]),
    ("semantics", &[]),
    ("annotation", &["encoding"]),
    ("mpadded", &[]),
    ("mphantom", &[]),
    ("menclose", &["notation"]),
];

/// Elements dropped with everything inside them.
const DROPPED: &[&str] = &[
    "script",
    "style",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "form",
    "input",
    "button",
    "select",
    "textarea",
    "option",
    "link",
    "meta",
    "base",
    "template",
    "noscript",
    "svg",
    "canvas",
    "audio",
    "video",
    "source",
    "track",
    "dialog",
    "head",
    "title",
    "annotation-xml",
];

/// Attributes allowed on every kept element.
const GLOBAL_ATTRS: &[&str] = &["id", "lang", "dir"];

/// Renders the article body as sanitized HTML.
pub fn render(article: &Article) -> String {
    sanitize(&article.content, article.content.root())
}

/// Re-sanitizes stored markup (a library record's body, which another context wrote): read with
/// the serialization reader, then through the same allowlist as fresh output. Whatever the input,
/// the result holds only allowed elements, attributes and URLs.
pub fn sanitize_markup(markup: &str) -> String {
    let parsed = crate::dom::markup::parse(markup);
    sanitize(&parsed.doc, parsed.doc.root())
}

/// Serializes a subtree through the allowlist.
pub fn sanitize(doc: &Document, root: NodeId) -> String {
    let mut out = String::new();
    let mut walk = doc.walk(root);
    while let Some(step) = walk.next() {
        match step {
            Step::Enter(id) => {
                if let Some(t) = doc.text(id) {
                    escape_text(&mut out, t);
                    continue;
                }
                let tag = doc.tag(id);
                if DROPPED.contains(&tag) {
                    walk.skip_children(id);
                    continue;
                }
                if is_dead_link(doc, id) {
                    continue; // a link without a safe target is just its text
                }
                if let Some((_, attrs)) = ALLOWED.iter().find(|(t, _)| *t == tag) {
                    open_tag(&mut out, doc, id, tag, attrs);
                }
            }
            Step::Leave(id) => {
                let tag = doc.tag(id);
                if is_void(tag) || DROPPED.contains(&tag) || is_dead_link(doc, id) {
                    continue;
                }
                if ALLOWED.iter().any(|(t, _)| *t == tag) {
                    out.push_str("</");
                    out.push_str(tag);
                    out.push('>');
                }
            }
        }
    }
    out
}

fn is_dead_link(doc: &Document, id: NodeId) -> bool {
    doc.is(id, "a")
        && !doc.attr(id, "href").is_some_and(is_safe_link)
        && doc.attr(id, "id").is_none()
}

fn is_void(tag: &str) -> bool {
    matches!(tag, "br" | "hr" | "img" | "wbr")
}

fn open_tag(out: &mut String, doc: &Document, id: NodeId, tag: &str, allowed: &[&str]) {
    out.push('<');
    out.push_str(tag);
    if let Some(el) = doc.element(id) {
        for a in &el.attrs {
            let name = &*a.name;
            if !(allowed.contains(&name) || GLOBAL_ATTRS.contains(&name)) {
                continue;
            }
            let Some(value) = safe_value(tag, name, &a.value) else {
                continue;
            };
            out.push(' ');
            out.push_str(name);
            out.push_str("=\"");
            escape_attr(out, &value);
            out.push('"');
        }
    }
    out.push('>');
}

/// The attribute value to emit, or `None` when it is unsafe or junk.
fn safe_value(tag: &str, name: &str, value: &str) -> Option<String> {
    let v = value.trim();
    match name {
        "href" | "cite" => is_safe_link(v).then(|| v.to_string()),
        "src" => is_safe_image(v).then(|| v.to_string()),
        "srcset" => {
            let ok: Vec<&str> = v
                .split(',')
                .map(str::trim)
                .filter(|item| item.split_whitespace().next().is_some_and(is_safe_image))
                .collect();
            (!ok.is_empty()).then(|| ok.join(", "))
        }
        "class" if tag == "code" => {
            let langs: Vec<&str> = v
                .split_whitespace()
                .filter(|c| c.starts_with("language-") || c.starts_with("lang-"))
                .collect();
            (!langs.is_empty()).then(|| langs.join(" "))
        }
        "class" => None,
        "dir" => matches!(v.to_ascii_lowercase().as_str(), "ltr" | "rtl" | "auto")
            .then(|| v.to_ascii_lowercase()),
        "width" | "height" | "colspan" | "rowspan" | "start" | "value" => v
            .chars()
            .all(|c| c.is_ascii_digit())
            .then(|| v.to_string())
            .filter(|s| !s.is_empty() && s.len() < 6),
        _ => Some(v.to_string()),
    }
}

/// Escapes text content.
pub fn escape_text(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\u{0}' => {}
            c => out.push(c),
        }
    }
}

/// Escapes a double-quoted attribute value.
pub fn escape_attr(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\u{0}' => {}
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dom::html::parse;

    fn clean(html: &str) -> String {
        let d = parse(html);
        let body = d.body();
        let s = sanitize(&d, body);
        s.trim_start_matches("<body>")
            .trim_end_matches("</body>")
            .to_string()
    }

    macro_rules! sanitized {
        ($name:ident, $html:expr, $want:expr) => {
            #[test]
            fn $name() {
                assert_eq!(clean($html), $want);
            }
        };
    }
    sanitized!(
        keeps_basic_markup,
        "<p>a <em>b</em></p>",
        "<p>a <em>b</em></p>"
    );
    sanitized!(
        drops_event_handlers,
        "<p onclick='x()' style='color:red'>a</p>",
        "<p>a</p>"
    );
    sanitized!(
        drops_javascript_href,
        "<a href='javascript:alert(1)'>x</a>",
        "x"
    );
    sanitized!(
        drops_scripts_whole,
        "<p>a<script>alert(1)</script></p>",
        "<p>a</p>"
    );
    sanitized!(
        unwraps_unknown_tags,
        "<p><span class=x>a</span><font>b</font></p>",
        "<p>ab</p>"
    );
    sanitized!(
        escapes_text,
        "<p>&lt;script&gt;</p>",
        "<p>&lt;script&gt;</p>"
    );
    sanitized!(
        svg_data_image_dropped,
        "<img src='data:image/svg+xml,x'>",
        "<img>"
    );
    sanitized!(
        keeps_code_language,
        "<pre><code class='hljs language-js'>x</code></pre>",
        "<pre><code class=\"language-js\">x</code></pre>"
    );
    sanitized!(
        quotes_in_attrs_escaped,
        "<img alt='a\"b' src='https://x/y.png'>",
        "<img alt=\"a&quot;b\" src=\"https://x/y.png\">"
    );

    #[test]
    fn stored_markup_is_sanitized_again() {
        let hostile = concat!(
            r#"<p onclick="x()">Text <a href="javascript:alert(1)">link</a> <a href="//evil.example/s">share</a></p>"#,
            r#"<iframe src="https://evil.example/"></iframe><base href="https://evil.example/">"#,
            r#"<meta http-equiv="refresh" content="0;url=https://evil.example/">"#,
            r#"<style>@import url(https://evil.example/x.css);</style><form action="/x"><input name="q"></form>"#,
            r#"<img src="data:image/svg+xml,<svg onload=alert(1)>"><img src="https://a.example/i.png" onerror="x()">"#,
        );
        let out = sanitize_markup(hostile);
        for bad in [
            "onclick",
            "javascript:",
            "iframe",
            "<base",
            "<meta",
            "@import",
            "<style",
            "<form",
            "<input",
            "svg",
            "onerror",
            "//evil",
        ] {
            assert!(!out.contains(bad), "{bad} survived: {out}");
        }
        assert!(
            out.contains("Text") && out.contains(r#"src="https://a.example/i.png""#),
            "{out}"
        );
    }
}
