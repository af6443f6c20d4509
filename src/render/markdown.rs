//! Markdown from the article tree: ATX headings, emphasis, links, images, nested lists and
//! blockquotes, fenced code (language from `language-*` classes), GFM tables, rules.

use crate::article::Article;
use crate::dom::{Document, NodeId, Step};
use crate::render::{is_safe_image, is_safe_link};
use crate::text::{block_text, is_display_math, math_text};

/// Renders the article as Markdown, with the title as a level-1 heading.
pub fn render(article: &Article) -> String {
    let mut w = MdWriter::default();
    if !article.meta.title.is_empty() {
        w.out.push_str("# ");
        w.out.push_str(&escape(&article.meta.title));
        w.out.push_str("\n\n");
    }
    let meta: Vec<String> = [article.meta.byline.clone(), article.meta.published.clone()]
        .into_iter()
        .flatten()
        .collect();
    if !meta.is_empty() {
        w.out.push('*');
        w.out.push_str(&escape(&meta.join(" · ")));
        w.out.push_str("*\n\n");
    }
    w.write_tree(&article.content, article.content.root());
    let mut s = w.out;
    while s.ends_with(['\n', ' ']) {
        s.pop();
    }
    s.push('\n');
    s
}

/// Escapes characters that Markdown would read as markup inside running text, and leaves out
/// soft hyphens (a browser's hint where a word may break, nothing in a text file).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c == crate::text::SOFT_HYPHEN {
            continue;
        }
        if matches!(c, '\\' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '|') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

struct ListState {
    ordered: bool,
    next: usize,
}

#[derive(Default)]
struct MdWriter {
    out: String,
    /// Line prefixes of open containers ("> " for quotes, spaces for list continuation).
    prefixes: Vec<String>,
    /// A list marker waiting for the item's first text.
    marker: Option<String>,
    lists: Vec<ListState>,
    pending_break: u8,
    pending_space: bool,
    /// Hrefs of open links (None: link dropped, text kept).
    links: Vec<Option<String>>,
}

impl MdWriter {
    fn block_break(&mut self, level: u8) {
        self.pending_break = self.pending_break.max(level);
        self.pending_space = false;
    }

    fn prefix(&self) -> String {
        self.prefixes.concat()
    }

    fn start_line(&mut self) {
        let prefix = self.prefix();
        match self.marker.take() {
            Some(m) => {
                // The marker replaces the continuation indent of the innermost list item.
                let outer: String = self.prefixes[..self.prefixes.len().saturating_sub(1)].concat();
                self.out.push_str(&outer);
                self.out.push_str(&m);
            }
            None => self.out.push_str(&prefix),
        }
    }

    /// Writes pending breaks before new content.
    fn flush(&mut self) {
        if self.out.is_empty() || self.out.ends_with('\n') && self.pending_break == 0 {
            if self.out.is_empty() || self.out.ends_with('\n') {
                self.pending_break = 0;
                self.pending_space = false;
                self.start_line();
            }
            return;
        }
        match self.pending_break {
            0 => {
                if self.pending_space && !self.out.ends_with([' ', '\n']) {
                    self.out.push(' ');
                }
            }
            level => {
                trim_spaces(&mut self.out);
                self.out.push('\n');
                if level > 1 {
                    let p = self.prefix();
                    self.out.push_str(p.trim_end());
                    self.out.push('\n');
                }
                self.start_line();
            }
        }
        self.pending_break = 0;
        self.pending_space = false;
    }

    fn push(&mut self, s: &str) {
        self.flush();
        self.out.push_str(s);
    }

    fn push_words(&mut self, text: &str) {
        let starts_space = text.starts_with(char::is_whitespace);
        let mut first = true;
        for word in text.split_whitespace() {
            if !first || starts_space {
                self.pending_space = true;
            }
            self.flush();
            self.out.push_str(&escape(word));
            first = false;
        }
        if (first && starts_space) || text.ends_with(char::is_whitespace) {
            self.pending_space = true;
        }
    }

    fn write_tree(&mut self, doc: &Document, root: NodeId) {
        let mut walk = doc.walk(root);
        while let Some(step) = walk.next() {
            match step {
                Step::Enter(id) => {
                    if let Some(t) = doc.text(id) {
                        self.push_words(t);
                    } else if self.enter(doc, id) {
                        walk.skip_children(id);
                    }
                }
                Step::Leave(id) => self.leave(doc, id),
            }
        }
    }

    /// Handles an opening tag; returns true when the element was written whole.
    fn enter(&mut self, doc: &Document, id: NodeId) -> bool {
        let tag = doc.tag(id);
        match tag {
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                self.block_break(2);
                let level = tag[1..].parse::<usize>().unwrap_or(2);
                self.push(&format!("{} ", "#".repeat(level)));
            }
            "p" | "figure" | "details" | "dl" => self.block_break(2),
            "div" | "section" | "article" | "figcaption" | "dt" | "dd" | "summary" | "caption" => {
                self.block_break(1)
            }
            "br" => self.block_break(1),
            "hr" => {
                self.block_break(2);
                self.push("---");
                self.block_break(2);
            }
            "strong" | "b" => self.push_inline("**"),
            "em" | "i" => self.push_inline("*"),
            "s" | "del" | "strike" => self.push_inline("~~"),
            "code" => {
                self.write_inline_code(&doc.text_content(id));
                return true;
            }
            "pre" => {
                self.write_fence(doc, id);
                return true;
            }
            "a" => {
                let href = doc
                    .attr(id, "href")
                    .filter(|h| is_safe_link(h))
                    .map(str::to_string);
                if href.is_some() {
                    self.push_inline("[");
                }
                self.links.push(href);
            }
            "img" => {
                if let Some(src) = doc.attr(id, "src").filter(|s| is_safe_image(s)) {
                    let alt = doc.attr(id, "alt").unwrap_or("");
                    self.push_inline(&format!(
                        "![{}]({})",
                        escape(alt.trim()),
                        src.replace(' ', "%20")
                    ));
                }
            }
            "blockquote" => {
                self.block_break(2);
                self.prefixes.push("> ".into());
            }
            "ul" | "ol" => {
                self.block_break(if self.lists.is_empty() { 2 } else { 1 });
                let start = doc
                    .attr(id, "start")
                    .and_then(|s| s.trim().parse().ok())
                    .unwrap_or(1);
                self.lists.push(ListState {
                    ordered: tag == "ol",
                    next: start,
                });
            }
            "li" => {
                self.block_break(1);
                let marker = match self.lists.last_mut() {
                    Some(l) if l.ordered => {
                        let m = format!("{}. ", l.next);
                        l.next += 1;
                        m
                    }
                    _ => "- ".to_string(),
                };
                self.prefixes.push(" ".repeat(marker.len()));
                self.marker = Some(marker);
            }
            "table" => {
                self.write_table(doc, id);
                return true;
            }
            "math" => {
                let body = math_text(doc, id);
                let display = is_display_math(doc, id);
                self.push_inline(&if display {
                    format!("$${}$$", body.trim())
                } else {
                    format!("${}$", body.trim())
                });
                return true;
            }
            _ => {}
        }
        false
    }

    fn leave(&mut self, doc: &Document, id: NodeId) {
        match doc.tag(id) {
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "p" | "figure" | "details" | "dl" => {
                self.block_break(2)
            }
            "div" | "section" | "article" | "figcaption" | "dt" | "dd" | "summary" | "caption" => {
                self.block_break(1)
            }
            "strong" | "b" => self.out.push_str("**"),
            "em" | "i" => self.out.push('*'),
            "s" | "del" | "strike" => self.out.push_str("~~"),
            "a" => {
                if let Some(Some(href)) = self.links.pop() {
                    self.out.push_str(&format!(
                        "]({})",
                        href.replace(' ', "%20").replace(')', "%29")
                    ));
                }
            }
            "blockquote" => {
                self.prefixes.pop();
                self.block_break(2);
            }
            "ul" | "ol" => {
                self.lists.pop();
                self.block_break(if self.lists.is_empty() { 2 } else { 1 });
            }
            "li" => {
                self.prefixes.pop();
                if self.marker.take().is_some() {
                    // An empty item still shows its marker.
                }
                self.block_break(1);
            }
            _ => {}
        }
    }

    fn push_inline(&mut self, s: &str) {
        self.flush();
        self.out.push_str(s);
    }

    fn write_inline_code(&mut self, code: &str) {
        let code = code.replace('\n', " ");
        let ticks = longest_run(&code, '`') + 1;
        let fence = "`".repeat(ticks);
        let pad = if code.starts_with('`') || code.ends_with('`') {
            " "
        } else {
            ""
        };
        self.push_inline(&format!("{fence}{pad}{code}{pad}{fence}"));
    }

    fn write_fence(&mut self, doc: &Document, id: NodeId) {
        let code = doc.text_content(id);
        let lang = doc
            .descendants(id)
            .find_map(|n| doc.attr(n, "class").and_then(language_of))
            .unwrap_or_default();
        let fence = "`".repeat((longest_run(&code, '`') + 1).max(3));
        self.block_break(2);
        self.flush();
        let prefix = self.prefix();
        self.out.push_str(&format!("{fence}{lang}\n"));
        for line in code.trim_end_matches('\n').split('\n') {
            self.out.push_str(&prefix);
            self.out.push_str(line);
            self.out.push('\n');
        }
        self.out.push_str(&prefix);
        self.out.push_str(&fence);
        self.block_break(2);
    }

    fn write_table(&mut self, doc: &Document, table: NodeId) {
        let rows: Vec<Vec<String>> = doc
            .descendants(table)
            .filter(|&n| doc.is(n, "tr"))
            .map(|tr| {
                doc.element_children(tr)
                    .filter(|&c| matches!(doc.tag(c), "td" | "th"))
                    .map(|c| {
                        escape(
                            &block_text(doc, c)
                                .split_whitespace()
                                .collect::<Vec<_>>()
                                .join(" "),
                        )
                    })
                    .collect()
            })
            .filter(|r: &Vec<String>| !r.is_empty())
            .collect();
        let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
        if cols == 0 {
            return;
        }
        self.block_break(2);
        self.flush();
        let prefix = self.prefix();
        for (i, row) in rows.iter().enumerate() {
            if i > 0 {
                self.out.push_str(&prefix);
            }
            let mut cells = row.clone();
            cells.resize(cols, String::new());
            self.out.push_str(&format!("| {} |\n", cells.join(" | ")));
            if i == 0 {
                self.out.push_str(&prefix);
                self.out.push_str(&format!("|{}\n", " --- |".repeat(cols)));
            }
        }
        trim_spaces(&mut self.out);
        if self.out.ends_with('\n') {
            self.out.pop();
        }
        self.block_break(2);
    }
}

fn language_of(class: &str) -> Option<String> {
    class.split_whitespace().find_map(|c| {
        c.strip_prefix("language-")
            .or_else(|| c.strip_prefix("lang-"))
            .map(|l| {
                l.chars()
                    .filter(|c| c.is_ascii_alphanumeric() || *c == '+' || *c == '-' || *c == '#')
                    .collect()
            })
    })
}

fn longest_run(s: &str, ch: char) -> usize {
    let mut best = 0;
    let mut cur = 0;
    for c in s.chars() {
        if c == ch {
            cur += 1;
            best = best.max(cur);
        } else {
            cur = 0;
        }
    }
    best
}

fn trim_spaces(s: &mut String) {
    while s.ends_with(' ') {
        s.pop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dom::html::parse;

    fn md(html: &str) -> String {
        let d = parse(html);
        let mut w = MdWriter::default();
        w.write_tree(&d, d.body());
        w.out.trim_end().to_string()
    }

    macro_rules! md_case {
        ($name:ident, $html:expr, $want:expr) => {
            #[test]
            fn $name() {
                assert_eq!(md($html), $want);
            }
        };
    }
    md_case!(
        heading_and_paragraph,
        "<h2>Title</h2><p>Some <em>text</em>.</p>",
        "## Title\n\nSome *text*."
    );
    md_case!(
        link_and_image,
        "<p><a href='https://x.y/'>x</a> <img src='https://i/a.png' alt=pic></p>",
        "[x](https://x.y/) ![pic](https://i/a.png)"
    );
    md_case!(
        soft_hyphens_left_out,
        "<p>Mit&shy;tel&shy;al&shy;ter</p>",
        "Mittelalter"
    );
    md_case!(
        javascript_link_dropped,
        "<p><a href='javascript:alert(1)'>x</a></p>",
        "x"
    );
    md_case!(
        nested_lists,
        "<ul><li>a<ul><li>b</li></ul></li><li>c</li></ul>",
        "- a\n  - b\n- c"
    );
    md_case!(
        ordered_list,
        "<ol start=3><li>x</li><li>y</li></ol>",
        "3. x\n4. y"
    );
    md_case!(
        blockquote,
        "<blockquote><p>q1</p><p>q2</p></blockquote>",
        "> q1\n>\n> q2"
    );
    md_case!(
        code_fence,
        "<pre><code class='language-rust'>let a = 1;\n</code></pre>",
        "```rust\nlet a = 1;\n```"
    );
    md_case!(inline_code, "<p>use <code>a*b</code></p>", "use `a*b`");
    md_case!(
        gfm_table,
        "<table><tr><th>h1</th><th>h2</th></tr><tr><td>a</td><td>b|c</td></tr></table>",
        "| h1 | h2 |\n| --- | --- |\n| a | b\\|c |"
    );
    md_case!(escapes_markup, "<p>2*3 = [6]</p>", "2\\*3 = \\[6\\]");
}
