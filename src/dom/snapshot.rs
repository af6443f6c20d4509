//! Snapshot front-end: a page as the content script sends it, in, [`Document`] with render
//! hints out. Plain Rust (no browser API), so the warm engine reads snapshots without a DOM and
//! native tests cover the reading.
//!
//! A snapshot is four strings, written by `extension/common/snapshot.js` (its header documents
//! the format): the browser's serialization of the tree, one code per element in document order,
//! full hint records for the elements the walk measured ("ordinal\trecord" lines), and the
//! page-wide hints. Which elements get full records is decided there, in one place. When the
//! serialization and the walk do not line up (a script left markup that does not serialize
//! back, such as a comment holding `-->`), the tree is still used, without hints.

use super::{markup, Document, NodeId, PageHints, Position, Rect, RenderHints};

/// A page snapshot (see the module docs).
#[derive(Clone, Copy, Debug, Default)]
pub struct Snapshot<'a> {
    /// The root's serialization.
    pub html: &'a str,
    /// One code per walked element: `-` not measured, `1` boxed, `0` hidden, `c` display:
    /// contents, `f` under a viewport sample point. Empty when no hints were measured.
    pub codes: &'a str,
    /// Full records, one "ordinal\trecord" line each, ordinals ascending.
    pub records: &'a str,
    /// "width,height,locked", or empty.
    pub page: &'a str,
}

/// A snapshot read back.
pub struct Read {
    /// The tree, with hints when they lined up.
    pub doc: Document,
    /// The node each walked element became, in document order.
    pub elements: Vec<NodeId>,
    /// Whether the tree lined up with the walk (so `elements[ordinal]` is that live element).
    pub exact: bool,
    /// Whether render hints were attached.
    pub hinted: bool,
}

/// Reads a snapshot. Never fails: markup that does not read back exactly gives a tree without
/// hints.
pub fn read(s: &Snapshot) -> Read {
    let markup::Parsed {
        mut doc,
        elements,
        exact,
    } = markup::parse(s.html);
    let codes = s.codes.as_bytes();
    let hinted = exact && !codes.is_empty() && codes.len() == elements.len();
    if hinted {
        doc.page = parse_page_hints(s.page);
        attach_hints(&mut doc, &elements, codes, s.records);
    }
    Read {
        doc,
        elements,
        exact,
        hinted,
    }
}

/// Sets the hints the walk's codes and the full records give.
fn attach_hints(doc: &mut Document, nodes: &[NodeId], codes: &[u8], records: &str) {
    let mut records = records
        .lines()
        .filter_map(|line| {
            let (ordinal, record) = line.split_once('\t')?;
            Some((ordinal.parse::<usize>().ok()?, record))
        })
        .peekable();
    for (ordinal, (&node, &code)) in nodes.iter().zip(codes).enumerate() {
        // Out-of-order or unknown ordinals are skipped, never misapplied.
        while records.peek().is_some_and(|&(o, _)| o < ordinal) {
            records.next();
        }
        let hints = match records.peek() {
            Some(&(o, record)) if o == ordinal => {
                records.next();
                parse_hints(record)
            }
            _ => match code {
                b'1' | b'f' => RenderHints {
                    visible: Some(true),
                    ..RenderHints::default()
                },
                b'0' => RenderHints {
                    visible: Some(false),
                    ..RenderHints::default()
                },
                _ => continue,
            },
        };
        doc.set_hints(node, hints);
    }
}

fn parse_hints(s: &str) -> RenderHints {
    let mut h = RenderHints::default();
    for part in s.split(';') {
        let (key, value) = part.split_at(part.len().min(1));
        match key {
            "v" => h.visible = Some(value == "1"),
            "p" => {
                h.position = Some(match value {
                    "f" => Position::Fixed,
                    "s" => Position::Sticky,
                    _ => Position::Flow,
                })
            }
            "z" => h.z_index = value.parse().ok(),
            "o" => h.clips_overflow = Some(value == "1"),
            "m" => h.max_height = value.parse().ok(),
            "b" => h.blurred = Some(value == "1"),
            "s" => h.no_select = Some(value == "1"),
            "r" => {
                let n: Vec<f32> = value.split(',').filter_map(|x| x.parse().ok()).collect();
                if let [x, y, width, height] = n[..] {
                    h.rect = Some(Rect {
                        x,
                        y,
                        width,
                        height,
                    });
                }
            }
            _ => {}
        }
    }
    h
}

fn parse_page_hints(s: &str) -> PageHints {
    let n: Vec<f32> = s.split(',').filter_map(|x| x.parse().ok()).collect();
    match n[..] {
        [w, h, locked] => PageHints {
            viewport: Some((w, h)),
            scroll_locked: Some(locked == 1.0),
        },
        _ => PageHints::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(doc: &Document, tag: &str) -> Vec<NodeId> {
        doc.descendants(super::super::ROOT)
            .filter(|&n| doc.is(n, tag))
            .collect()
    }

    #[test]
    fn codes_and_records_become_hints() {
        let s = Snapshot {
            html: r#"<html><head></head><body><div class="modal"><p>a</p></div><p hidden="">b</p></body></html>"#,
            codes: "---110",
            records: "3\tv1;pf;z99;o1;r0,0,800,600\n",
            page: "800,600,1",
        };
        let r = read(&s);
        assert!(r.exact && r.hinted);
        let div = ids(&r.doc, "div")[0];
        let h = r.doc.hints(div).expect("the div has a record");
        assert_eq!(h.position, Some(Position::Fixed));
        assert_eq!(h.z_index, Some(99));
        assert_eq!(h.rect.map(|r| r.width), Some(800.0));
        let ps = ids(&r.doc, "p");
        assert_eq!(r.doc.hints(ps[0]).and_then(|h| h.visible), Some(true));
        assert_eq!(r.doc.hints(ps[1]).and_then(|h| h.visible), Some(false));
        assert_eq!(r.doc.page.scroll_locked, Some(true));
    }

    #[test]
    fn misaligned_walk_gives_no_hints() {
        let s = Snapshot {
            html: "<html><head></head><body><p>a</p></body></html>",
            codes: "---",
            records: "3\tv1;pf\n",
            page: "800,600,0",
        };
        let r = read(&s);
        assert!(r.exact && !r.hinted);
        assert!(r.doc.hints(ids(&r.doc, "p")[0]).is_none());
        assert_eq!(r.doc.page, PageHints::default());
    }

    #[test]
    fn bad_records_are_skipped() {
        let s = Snapshot {
            html: "<html><head></head><body><p>a</p><p>b</p></body></html>",
            codes: "---11",
            records: "x\tv0\n4\tv0;pf\n2\n3\tv0\n",
            page: "",
        };
        let r = read(&s);
        let ps = ids(&r.doc, "p");
        assert_eq!(r.doc.hints(ps[0]).and_then(|h| h.visible), Some(true));
        assert_eq!(r.doc.hints(ps[1]).and_then(|h| h.visible), Some(false));
    }
}
