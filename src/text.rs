//! The text of the tree, for every stage and renderer: whitespace collapsed and measured, text
//! folded for whole-word phrase matching, a subtree's inner text, and its block text (blocks on their own lines, as the text output writes
//! them; math as its TeX or its symbols). Depends on `dom` only.

use crate::dom::{Document, NodeId, Step};

/// Collapses whitespace runs to single spaces and trims.
pub fn normalize_space(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for w in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// `s` in lower case, character by character (`str::to_lowercase` without its final-sigma rule,
/// which no match here needs, and its extra code in the wasm).
pub fn lowercase(s: &str) -> String {
    s.chars().flat_map(char::to_lowercase).collect()
}

/// Folds case and common Latin accents, and turns punctuation into spaces, so phrases match on
/// whole words: `" already a subscriber "`.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push(' ');
    let mut last_space = true;
    for c in text.chars().flat_map(char::to_lowercase) {
        let c = fold_accent(c);
        if c.is_alphanumeric() {
            out.push(c);
            last_space = false;
        } else if !last_space {
            out.push(' ');
            last_space = true;
        }
    }
    if !last_space {
        out.push(' ');
    }
    out
}

/// One character as [`fold`] sees it: common Latin accents off, apostrophes a space.
pub fn fold_accent(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => 'a',
        'ç' => 'c',
        'è' | 'é' | 'ê' | 'ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' => 'i',
        'ñ' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' => 'o',
        'ù' | 'ú' | 'û' | 'ü' => 'u',
        'ý' | 'ÿ' => 'y',
        '’' | '\'' => ' ',
        c => c,
    }
}

/// Length of `s` with whitespace runs counted once and ends trimmed.
pub fn collapsed_len(s: &str) -> usize {
    collapsed_len_and_commas(s.chars().map(|c| (c.is_whitespace(), false))).0
}

/// [`collapsed_len`] and the comma count in one pass over (is whitespace, is comma) flags;
/// ASCII text is read byte by byte (`char::is_whitespace` is true for exactly those bytes).
pub(crate) fn collapsed_len_and_commas(
    flags: impl Iterator<Item = (bool, bool)>,
) -> (usize, usize) {
    let (mut n, mut commas) = (0, 0);
    let mut in_space = true; // leading whitespace is trimmed
    let mut pending_space = false;
    for (space, comma) in flags {
        if space {
            pending_space |= !in_space;
            in_space = true;
        } else {
            n += 1 + usize::from(pending_space);
            pending_space = false;
            in_space = false;
            commas += usize::from(comma);
        }
    }
    (n, commas)
}

/// Normalised text of a subtree.
pub fn inner_text(doc: &Document, id: NodeId) -> String {
    normalize_space(&doc.text_content(id))
}

/// The text length of `id`'s subtree as [`TextStats::chars`] counts it, without measuring the
/// whole document: counting stops as soon as it passes `cap`.
pub fn chars_capped(doc: &Document, id: NodeId, cap: usize) -> usize {
    let mut n = 0;
    for d in doc.descendants(id) {
        if let Some(t) = doc.text(d) {
            n += collapsed_len(t);
            if n > cap {
                break;
            }
        }
    }
    n
}

/// A MathML `<math>` element as plain text: the TeX source it carries in an
/// `<annotation encoding="…tex…">` (how the author wrote it: unambiguous about superscripts),
/// else its tokens (identifiers, operators, numbers) separated by spaces, annotations left out.
/// Plain text and Markdown both write math this way.
pub fn math_text(doc: &Document, math: NodeId) -> String {
    let tex = doc.descendants(math).find(|&n| {
        doc.is(n, "annotation") && doc.attr(n, "encoding").is_some_and(|e| e.contains("tex"))
    });
    if let Some(tex) = tex {
        return doc.text_content(tex).trim().to_string();
    }
    let mut words = String::new();
    for n in doc.descendants(math) {
        let Some(t) = doc.text(n).map(str::trim).filter(|t| !t.is_empty()) else {
            continue;
        };
        let annotated = doc
            .ancestors(n)
            .take_while(|&a| a != math)
            .any(|a| matches!(doc.tag(a), "annotation" | "annotation-xml"));
        if !annotated {
            if !words.is_empty() {
                words.push(' ');
            }
            words.push_str(t);
        }
    }
    words
}

/// Whether a `<math>` element is displayed as a block (`display="block"`); otherwise it sits
/// inside its sentence.
pub fn is_display_math(doc: &Document, math: NodeId) -> bool {
    doc.attr(math, "display")
        .is_some_and(|d| d.trim().eq_ignore_ascii_case("block"))
}

/// Tags that end a paragraph-sized block (a blank line around them).
const PARAGRAPH_TAGS: &[&str] = &[
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "dl",
    "table",
    "figure",
    "hr",
    "math",
    "details",
];

/// Tags that end a line.
const LINE_TAGS: &[&str] = &[
    "li",
    "tr",
    "dt",
    "dd",
    "figcaption",
    "caption",
    "div",
    "section",
    "article",
    "main",
    "header",
    "summary",
    "address",
    "img",
];

/// Any subtree as plain text, blocks on their own lines (the text output; also table cells,
/// summaries, and the text a paywall rule judges).
pub fn block_text(doc: &Document, id: NodeId) -> String {
    let mut w = TextWriter::default();
    w.write_tree(doc, id);
    w.finish()
}

#[derive(Default)]
struct TextWriter {
    out: String,
    /// 0: nothing pending, 1: newline, 2: blank line.
    pending_break: u8,
    pending_space: bool,
    pre_depth: usize,
    cell_index: Vec<usize>,
}

impl TextWriter {
    fn block_break(&mut self, level: u8) {
        self.pending_break = self.pending_break.max(level);
        self.pending_space = false;
    }

    fn flush(&mut self) {
        if self.out.is_empty() {
            self.pending_break = 0;
            self.pending_space = false;
            return;
        }
        match self.pending_break {
            0 => {
                if self.pending_space && !self.out.ends_with([' ', '\n', '\t']) {
                    self.out.push(' ');
                }
            }
            1 => {
                trim_trailing_spaces(&mut self.out);
                self.out.push('\n')
            }
            _ => {
                trim_trailing_spaces(&mut self.out);
                self.out.push_str("\n\n")
            }
        }
        self.pending_break = 0;
        self.pending_space = false;
    }

    fn push_words(&mut self, text: &str) {
        if text.starts_with(char::is_whitespace) {
            self.pending_space = true;
        }
        let mut first = true;
        for word in text.split_whitespace() {
            if !first {
                self.pending_space = true;
            }
            self.flush();
            self.out.push_str(word);
            first = false;
        }
        if text.ends_with(char::is_whitespace) && !first {
            self.pending_space = true;
        }
    }

    fn push_raw(&mut self, text: &str) {
        if text.is_empty() {
            return;
        }
        self.flush();
        self.out.push_str(text);
    }

    fn write_tree(&mut self, doc: &Document, root: NodeId) {
        // A `<math>` element is written whole on entering it; its children are skipped.
        let mut inside_math: Option<NodeId> = None;
        for step in doc.walk(root) {
            if let Some(m) = inside_math {
                if step == Step::Leave(m) {
                    inside_math = None;
                    self.leave(doc, m);
                }
                continue;
            }
            match step {
                Step::Enter(id) if doc.is(id, "math") => {
                    self.enter(doc, id);
                    self.push_words(&math_text(doc, id));
                    inside_math = Some(id);
                }
                Step::Enter(id) => {
                    if let Some(t) = doc.text(id) {
                        if self.pre_depth > 0 {
                            self.push_raw(t);
                        } else {
                            self.push_words(t);
                        }
                        continue;
                    }
                    self.enter(doc, id);
                }
                Step::Leave(id) => self.leave(doc, id),
            }
        }
    }

    fn enter(&mut self, doc: &Document, id: NodeId) {
        let tag = doc.tag(id);
        match tag {
            "br" => {
                self.block_break(1);
            }
            "pre" => {
                self.block_break(2);
                self.pre_depth += 1;
            }
            "tr" => {
                self.block_break(1);
                self.cell_index.push(0);
            }
            "td" | "th" => {
                let index = self.cell_index.last().copied();
                if let Some(i) = index {
                    if i > 0 {
                        self.flush();
                        self.out.push('\t');
                    }
                    if let Some(last) = self.cell_index.last_mut() {
                        *last += 1;
                    }
                }
            }
            "math" if !is_display_math(doc, id) => {} // inline: part of its sentence
            t if PARAGRAPH_TAGS.contains(&t) => self.block_break(2),
            t if LINE_TAGS.contains(&t) => self.block_break(1),
            _ => {}
        }
    }

    fn leave(&mut self, doc: &Document, id: NodeId) {
        match doc.tag(id) {
            "pre" => {
                self.pre_depth = self.pre_depth.saturating_sub(1);
                self.block_break(2);
            }
            "tr" => {
                self.cell_index.pop();
                self.block_break(1);
            }
            "math" if !is_display_math(doc, id) => {} // inline: part of its sentence
            t if PARAGRAPH_TAGS.contains(&t) => self.block_break(2),
            t if LINE_TAGS.contains(&t) => self.block_break(1),
            _ => {}
        }
    }

    fn finish(mut self) -> String {
        trim_trailing_spaces(&mut self.out);
        let mut s = self.out;
        while s.ends_with('\n') {
            s.pop();
        }
        s
    }
}

fn trim_trailing_spaces(s: &mut String) {
    while s.ends_with([' ', '\t']) {
        s.pop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dom::html::parse;

    fn text(html: &str) -> String {
        let d = parse(html);
        block_text(&d, d.body())
    }

    macro_rules! text_case {
        ($name:ident, $html:expr, $want:expr) => {
            #[test]
            fn $name() {
                assert_eq!(text($html), $want);
            }
        };
    }
    text_case!(
        inline_math_stays_in_its_sentence,
        "<p>When <math><mi>a</mi><mo>≠</mo><mn>0</mn></math>, solve it.</p>",
        "When a ≠ 0, solve it."
    );
    text_case!(
        display_math_is_a_block_written_as_its_tex,
        "<p>The area:</p><math display=\"block\"><semantics><mrow><mi>A</mi><mo>=</mo><mi>π</mi>\
         <msup><mi>r</mi><mn>2</mn></msup></mrow><annotation encoding=\"application/x-tex\">A = \\pi r^2\
         </annotation></semantics></math><p>Next.</p>",
        "The area:\n\nA = \\pi r^2\n\nNext."
    );
    text_case!(
        paragraphs_get_blank_lines,
        "<p>a  b</p><p>c</p>",
        "a b\n\nc"
    );
    text_case!(
        inline_keeps_spaces,
        "<p>a <b>bold</b> word</p>",
        "a bold word"
    );
    text_case!(
        no_glue_across_blocks,
        "<div>one</div><div>two</div>",
        "one\ntwo"
    );
    text_case!(list_items_on_lines, "<ul><li>x</li><li>y</li></ul>", "x\ny");
    text_case!(
        table_cells_tabbed,
        "<table><tr><td>a</td><td>b</td></tr><tr><td>c</td><td>d</td></tr></table>",
        "a\tb\nc\td"
    );
    text_case!(
        pre_verbatim,
        "<pre>fn x() {\n    1\n}</pre>",
        "fn x() {\n    1\n}"
    );
    text_case!(br_breaks_line, "<p>a<br>b</p>", "a\nb");
}
