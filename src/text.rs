//! The text of the tree, for every stage and renderer: whitespace collapsed and measured, text
//! folded for whole-word phrase matching, a subtree's inner text, and its block text (blocks on their own lines, as the text output writes
//! them; math as its TeX or its symbols). Depends on `dom` only.

use crate::dom::{Document, NodeId, Step};

/// Whether ASCII byte `b` is whitespace as [`char::is_whitespace`] has it (space, tab, line
/// feed, vertical tab, form feed, carriage return).
pub(crate) fn is_ascii_space(b: u8) -> bool {
    b == b' ' || b.wrapping_sub(b'\t') < 5
}

/// The character starting at byte `i` of `s` with its length; ASCII bytes are read without
/// decoding (the text scans below spend most of their time on them).
fn char_at(s: &str, i: usize) -> (char, usize) {
    let b = s.as_bytes()[i];
    if b.is_ascii() {
        return (char::from(b), 1);
    }
    let c = s[i..].chars().next().unwrap_or(char::REPLACEMENT_CHARACTER);
    (c, c.len_utf8())
}

/// Collapses whitespace runs to single spaces and trims. Stretches already in that form (words
/// separated by one plain space) are copied whole.
pub fn normalize_space(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let flush = |out: &mut String, stretch: &str| {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(stretch);
    };
    let bytes = s.as_bytes();
    let mut stretch: Option<usize> = None;
    let mut end = 0; // just past the last non-space character
    let mut i = 0;
    while i < bytes.len() {
        let (c, len) = char_at(s, i);
        if !c.is_whitespace() {
            match stretch {
                None => stretch = Some(i),
                Some(_) if i == end || (i == end + 1 && bytes[end] == b' ') => {}
                Some(start) => {
                    flush(&mut out, &s[start..end]);
                    stretch = Some(i);
                }
            }
            end = i + len;
        }
        i += len;
    }
    if let Some(start) = stretch {
        flush(&mut out, &s[start..end]);
    }
    out
}

/// `s` in lower case, character by character (`str::to_lowercase` without its final-sigma rule,
/// which no match here needs, and its extra code in the wasm).
pub fn lowercase(s: &str) -> String {
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else {
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// Folds case and common Latin accents, and turns punctuation into spaces, so phrases match on
/// whole words: `" already a subscriber "`.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push(' ');
    let mut last_space = true;
    let mut push = |out: &mut String, c: char, alphanumeric: bool| {
        if alphanumeric {
            out.push(c);
            last_space = false;
        } else if !last_space {
            out.push(' ');
            last_space = true;
        }
    };
    for c in text.chars() {
        if c.is_ascii() {
            // No ASCII letter has an accent or a lowercase form of more than one character.
            let c = c.to_ascii_lowercase();
            push(&mut out, c, c.is_ascii_alphanumeric());
        } else {
            for c in c.to_lowercase().map(fold_accent) {
                push(&mut out, c, c.is_alphanumeric());
            }
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

/// Whether `c` separates clauses like a comma, in the scripts we know.
pub fn is_comma(c: char) -> bool {
    matches!(
        c,
        ',' | '\u{060C}'
            | '\u{FE50}'
            | '\u{FE10}'
            | '\u{FE11}'
            | '\u{2E41}'
            | '\u{2E34}'
            | '\u{2E32}'
            | '\u{FF0C}'
            | '\u{3001}'
    )
}

/// Length of `s` with whitespace runs counted once and ends trimmed.
pub fn collapsed_len(s: &str) -> usize {
    collapsed_len_and_commas(s).0
}

/// [`collapsed_len`] and the number of commas ([`is_comma`]), in one pass. ASCII stretches
/// (`char::is_whitespace` is true for exactly [`is_ascii_space`] among their bytes) are read
/// eight bytes at a time; only other characters are decoded.
pub(crate) fn collapsed_len_and_commas(s: &str) -> (usize, usize) {
    let mut count = Collapsed::default();
    if s.is_ascii() {
        count.ascii(s.as_bytes());
        return count.total();
    }
    let mut rest = s;
    while !rest.is_empty() {
        let ascii = rest
            .bytes()
            .position(|b| !b.is_ascii())
            .unwrap_or(rest.len());
        let (run, tail) = rest.split_at(ascii);
        count.ascii(run.as_bytes());
        let mut tail = tail.chars();
        if let Some(c) = tail.next() {
            count.other(c);
        }
        rest = tail.as_str();
    }
    count.total()
}

/// Eight bytes' worth of `b`.
const BYTES: u64 = 0x0101_0101_0101_0101;
/// The high bit of each of eight bytes.
const HIGH_BITS: u64 = 0x8080_8080_8080_8080;

/// The high bit of each byte of `w` that is zero.
fn zero_bytes(w: u64) -> u64 {
    !(((w & !HIGH_BITS) + !HIGH_BITS) | w) & HIGH_BITS
}

/// How many bytes carry their high bit in `mask` (a [`HIGH_BITS`] subset).
fn count_high(mask: u64) -> usize {
    ((mask >> 7).wrapping_mul(BYTES) >> 56) as usize
}

/// Running counts for [`collapsed_len_and_commas`].
#[derive(Default)]
struct Collapsed {
    /// Characters outside whitespace.
    chars: usize,
    /// Runs of them (words, roughly).
    runs: usize,
    commas: usize,
    /// Whether the text so far ends in a character outside whitespace.
    in_word: bool,
}

impl Collapsed {
    /// Counts an ASCII stretch, eight bytes per step: a mask marks the whitespace bytes (a space,
    /// or 9 to 13: adding 0x77 sets the high bit of bytes ≥ 9, 0x72 of bytes ≥ 14, and no ASCII
    /// byte carries into the next), a run starts at a word byte after a whitespace byte.
    fn ascii(&mut self, run: &[u8]) {
        let mut space_before = if self.in_word { 0 } else { 0x80 };
        let mut words = run.chunks_exact(8);
        for chunk in &mut words {
            let mut w = [0; 8];
            w.copy_from_slice(chunk);
            let w = u64::from_le_bytes(w);
            let space = zero_bytes(w ^ (u64::from(b' ') * BYTES))
                | ((w + 0x77 * BYTES) & !(w + 0x72 * BYTES) & HIGH_BITS);
            let word = !space & HIGH_BITS;
            self.chars += count_high(word);
            self.runs += count_high(word & ((space << 8) | space_before));
            self.commas += count_high(zero_bytes(w ^ (u64::from(b',') * BYTES)));
            space_before = space >> 56;
        }
        let mut in_word = space_before == 0;
        for &b in words.remainder() {
            let word = !is_ascii_space(b);
            self.chars += usize::from(word);
            self.runs += usize::from(!in_word && word);
            self.commas += usize::from(b == b',');
            in_word = word;
        }
        if !run.is_empty() {
            self.in_word = in_word;
        }
    }

    fn other(&mut self, c: char) {
        let word = !c.is_whitespace();
        self.chars += usize::from(word);
        self.runs += usize::from(!self.in_word && word);
        self.commas += usize::from(is_comma(c));
        self.in_word = word;
    }

    /// (collapsed length, commas): each run after the first is preceded by one space.
    fn total(&self) -> (usize, usize) {
        (self.chars + self.runs.saturating_sub(1), self.commas)
    }
}

/// What [`crate::signals::TextStats`] and [`chars_capped`] need of one text run, packed for
/// [`Document::text_metric`]: collapsed length in the low 32 bits, commas in the high 32 (the
/// page's text is scanned once, not once per pass).
pub(crate) fn text_metric(t: &str) -> u64 {
    let (chars, commas) = collapsed_len_and_commas(t);
    let cap = |n: usize| n.min(u32::MAX as usize - 1) as u64;
    cap(chars) | (cap(commas) << 32)
}

/// [`collapsed_len`] of text node `id` (None for other nodes), read from the document's cache
/// after the first time.
pub fn text_len(doc: &Document, id: NodeId) -> Option<usize> {
    doc.text_metric(id, text_metric)
        .map(|m| (m & u64::from(u32::MAX)) as usize)
}

/// Whether the text of `id`'s subtree (joined as [`Document::text_content`] joins it) has more
/// than `max` whitespace-separated words; reading stops at word `max + 1`.
pub fn more_words_than(doc: &Document, id: NodeId, max: usize) -> bool {
    let mut words = 0;
    let mut in_word = false;
    for d in doc.descendants(id) {
        for c in doc.text(d).unwrap_or("").chars() {
            let word = !c.is_whitespace();
            words += usize::from(word && !in_word);
            if words > max {
                return true;
            }
            in_word = word;
        }
    }
    false
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
        if let Some(len) = text_len(doc, d) {
            n += len;
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
fn is_paragraph_tag(tag: &str) -> bool {
    matches!(
        tag,
        "p" | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "pre"
            | "blockquote"
            | "ul"
            | "ol"
            | "dl"
            | "table"
            | "figure"
            | "hr"
            | "math"
            | "details"
    )
}

/// Tags that end a line.
fn is_line_tag(tag: &str) -> bool {
    matches!(
        tag,
        "li" | "tr"
            | "dt"
            | "dd"
            | "figcaption"
            | "caption"
            | "div"
            | "section"
            | "article"
            | "main"
            | "header"
            | "summary"
            | "address"
            | "img"
    )
}

/// Any subtree as plain text, blocks on their own lines (the text output; also table cells,
/// summaries, and the text a paywall rule judges).
pub fn block_text(doc: &Document, id: NodeId) -> String {
    let mut w = TextWriter::default();
    w.write_tree(doc, id);
    w.finish()
}

/// A soft hyphen (U+00AD) only marks where a browser may break a word: in text it is nothing.
pub const SOFT_HYPHEN: char = '\u{ad}';

/// Appends `word` without its soft hyphens.
fn push_visible(out: &mut String, word: &str) {
    if word.contains(SOFT_HYPHEN) {
        out.extend(word.chars().filter(|&c| c != SOFT_HYPHEN));
    } else {
        out.push_str(word);
    }
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
        // U+00AD is C2 AD in UTF-8: a text without an 0xAD byte holds no soft hyphen.
        let soft = text.as_bytes().contains(&0xAD);
        let mut first = true;
        for word in text.split_whitespace() {
            if !first {
                self.pending_space = true;
            }
            self.flush();
            if soft {
                push_visible(&mut self.out, word);
            } else {
                self.out.push_str(word);
            }
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
            t if is_paragraph_tag(t) => self.block_break(2),
            t if is_line_tag(t) => self.block_break(1),
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
            t if is_paragraph_tag(t) => self.block_break(2),
            t if is_line_tag(t) => self.block_break(1),
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
        soft_hyphens_are_not_text,
        "<p>Mit&shy;tel&shy;al&shy;ter und <b>Bo\u{ad}zen</b></p>",
        "Mittelalter und Bozen"
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

    /// Text the scans must agree on: ASCII and Unicode whitespace (no-break, ideographic,
    /// line separator), accents, curly quotes (whose UTF-8 shares a lead byte with U+2000-200A),
    /// CJK, commas of several scripts, empty and all-space strings.
    const SCAN_CASES: &[&str] = &[
        "",
        " \t\n ",
        "plain words here",
        "MiXeD Case, \u{c9}T\u{c9} \u{130}stanbul \u{3a3}\u{39f}\u{3a6}\u{39f}\u{3a3}",
        "  lead and trail  ",
        "a\x0bb\x0cc\rd\r\r",
        "caf\u{e9}\u{a0}\u{a0}cr\u{e8}me, br\u{fb}l\u{e9}e",
        "\u{201c}quoted\u{201d}\u{2009}thin\u{2028}line\u{3000}\u{65e5}\u{672c}\u{8a9e}\u{3001}\u{6587}",
        "x,y\u{060c}z \u{ff0c} ,",
        "one,two,three, four,,five\t\x0b\x0c\r\n six\x0e\x0e\x08\x08seven\x1f!  ",
        "\u{a0}",
        "\u{1f600} emoji\t\t \u{1f600}",
    ];

    #[test]
    fn text_metric_agrees_with_its_definition() {
        for t in [
            "",
            "   ",
            "  a  b \n c ",
            "a,b, c ,",
            "\u{b}x\u{c}y\r",
            "caf\u{e9}, na\u{ef}ve \u{3000}x",
            "\u{a0}a\u{2003}b\u{3001}c\u{ff0c}",
            "one,\ttwo\u{85}three",
        ] {
            let commas = t.chars().filter(|c| is_comma(*c)).count() as u64;
            assert_eq!(
                text_metric(t),
                collapsed_len(t) as u64 | (commas << 32),
                "{t:?}"
            );
        }
    }

    #[test]
    fn collapsed_length_counts_runs_once() {
        assert_eq!(collapsed_len("  a  b \n c "), 5);
    }

    #[test]
    fn word_cap_reads_words_as_text_content_joins_them() {
        let d = parse("<div><p>one  two</p><p>three</p>four <b>five</b>\u{a0}six</div>");
        let div = d.find_first(d.root(), "div").unwrap();
        // "one  twothreefour five\u{a0}six": four words, the paragraphs' texts glued together.
        assert_eq!(d.text_content(div).split_whitespace().count(), 4);
        assert!(more_words_than(&d, div, 3));
        assert!(!more_words_than(&d, div, 4));
        let text = d.first_child(d.first_child(div).unwrap()).unwrap();
        assert_eq!(text_len(&d, text), Some(7));
        assert_eq!(text_len(&d, div), None);
    }

    #[test]
    fn fast_scans_match_char_by_char_definitions() {
        for s in SCAN_CASES {
            let words: Vec<&str> = s.split_whitespace().collect();
            assert_eq!(normalize_space(s), words.join(" "), "{s:?}");
            let lower: String = s.chars().flat_map(char::to_lowercase).collect();
            assert_eq!(lowercase(s), lower, "{s:?}");
            assert_eq!(collapsed_len(s), words.join(" ").chars().count(), "{s:?}");
            let commas = s.chars().filter(|&c| is_comma(c)).count();
            assert_eq!(collapsed_len_and_commas(s).1, commas, "{s:?}");
            let folded: String = s
                .chars()
                .flat_map(char::to_lowercase)
                .map(fold_accent)
                .map(|c| if c.is_alphanumeric() { c } else { ' ' })
                .collect();
            let folded: Vec<&str> = folded.split(' ').filter(|w| !w.is_empty()).collect();
            let want = if folded.is_empty() {
                " ".to_string()
            } else {
                format!(" {} ", folded.join(" "))
            };
            assert_eq!(fold(s), want, "{s:?}");
        }
    }
}
