//! The owned document tree every stage works on.
//!
//! Input: built by a front-end (`dom::html` from an HTML string with html5ever, `dom::live` from a
//! browser node with web-sys). Output: an arena of nodes addressed by [`NodeId`], with sibling and
//! parent links so that detaching, inserting and walking are O(1) per step and need no recursion.
//! Must not: know about any parser or browser API; recurse (pages nest thousands deep and wasm's
//! stack is small). Detached nodes stay in the arena; they are simply unreachable from the root.

#[cfg(not(target_arch = "wasm32"))]
pub mod html;
#[cfg(target_arch = "wasm32")]
pub mod live;
pub mod markup;
pub mod snapshot;

/// Index of a node in its [`Document`]'s arena.
// NOTE: stored as index + 1, never zero, so that `Option<NodeId>` (five per node for the tree
// links) takes four bytes instead of eight: a smaller arena is a faster one to walk.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeId(std::num::NonZeroU32);

impl NodeId {
    /// The node at arena index `index`.
    const fn at(index: u32) -> NodeId {
        match std::num::NonZeroU32::new(index.saturating_add(1)) {
            Some(n) => NodeId(n),
            None => NodeId(std::num::NonZeroU32::MAX), // unreachable: the sum is at least 1
        }
    }

    /// The arena index, for side tables indexed by node.
    pub fn index(self) -> usize {
        (self.0.get() - 1) as usize
    }
}

/// How an element is positioned, as far as the paywall and prepare stages care.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub enum Position {
    /// `static`, `relative` or `absolute`: scrolls with the page.
    Flow,
    /// `position: fixed`: stays on screen while the page scrolls.
    Fixed,
    /// `position: sticky`.
    Sticky,
}

/// An element's rendered box, in CSS pixels relative to the viewport.
#[derive(Clone, Copy, Debug, Default, PartialEq, serde::Serialize)]
pub struct Rect {
    /// Left edge.
    pub x: f32,
    /// Top edge.
    pub y: f32,
    /// Width.
    pub width: f32,
    /// Height.
    pub height: f32,
}

/// What only a rendered page knows about an element. Every field is `None` when the front-end
/// did not measure it (html5ever input knows none of them; the live front-end measures selectively).
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct RenderHints {
    /// Whether the element is rendered at all (display, visibility, opacity, `checkVisibility`).
    pub visible: Option<bool>,
    /// The element's border box.
    pub rect: Option<Rect>,
    /// Computed `position`.
    pub position: Option<Position>,
    /// Computed `z-index` when it is an integer.
    pub z_index: Option<i32>,
    /// Whether computed `overflow` clips content (hidden or clip on either axis).
    pub clips_overflow: Option<bool>,
    /// Computed `max-height` in pixels, when it is not `none`.
    pub max_height: Option<f32>,
    /// Whether a `filter: blur(...)` applies.
    pub blurred: Option<bool>,
    /// Whether `user-select: none` applies.
    pub no_select: Option<bool>,
}

/// A tag or attribute name: borrowed from [`KNOWN_NAMES`] when it is a common one (most are),
/// so building a page's tree allocates only for its text and attribute values.
pub type Name = std::borrow::Cow<'static, str>;

/// Tag and attribute names common enough to share rather than allocate, sorted (see
/// [`BY_FIRST_BYTE`]).
const KNOWN_NAMES: &[&str] = &[
    "a",
    "abbr",
    "address",
    "alt",
    "aria-hidden",
    "aria-label",
    "article",
    "aside",
    "async",
    "audio",
    "b",
    "blockquote",
    "body",
    "br",
    "button",
    "caption",
    "charset",
    "cite",
    "class",
    "code",
    "col",
    "colspan",
    "content",
    "crossorigin",
    "data-src",
    "datetime",
    "dd",
    "decoding",
    "defer",
    "del",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "embed",
    "fetchpriority",
    "figcaption",
    "figure",
    "font",
    "footer",
    "form",
    "g",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "height",
    "hidden",
    "hr",
    "href",
    "hreflang",
    "html",
    "i",
    "id",
    "iframe",
    "img",
    "input",
    "ins",
    "itemprop",
    "itemscope",
    "itemtype",
    "kbd",
    "label",
    "lang",
    "li",
    "link",
    "loading",
    "main",
    "mark",
    "media",
    "meta",
    "name",
    "nav",
    "noscript",
    "ol",
    "p",
    "path",
    "picture",
    "pre",
    "property",
    "q",
    "rel",
    "role",
    "rowspan",
    "s",
    "script",
    "section",
    "small",
    "source",
    "span",
    "src",
    "srcset",
    "strong",
    "style",
    "sub",
    "summary",
    "sup",
    "svg",
    "table",
    "target",
    "tbody",
    "td",
    "template",
    "tfoot",
    "th",
    "thead",
    "time",
    "title",
    "tr",
    "type",
    "u",
    "ul",
    "use",
    "value",
    "video",
    "viewBox",
    "width",
    "xmlns",
];

/// Per first byte, the range of [`KNOWN_NAMES`] starting with it (sorted, so they are adjacent):
/// a name is compared only with the few known ones sharing its first byte.
static BY_FIRST_BYTE: [(u16, u16); 256] = {
    let mut ranges = [(0u16, 0u16); 256];
    let mut i = 0;
    while i < KNOWN_NAMES.len() {
        let first = KNOWN_NAMES[i].as_bytes()[0] as usize;
        if ranges[first].1 == 0 {
            ranges[first].0 = i as u16;
        }
        ranges[first].1 = i as u16 + 1;
        i += 1;
    }
    ranges
};

/// `name` as a [`Name`], shared when it is a known one.
pub fn intern(name: &str) -> Name {
    let bytes = name.as_bytes();
    if let Some(&first) = bytes.first() {
        let (start, end) = BY_FIRST_BYTE[usize::from(first)];
        let last = bytes[bytes.len() - 1];
        for &known in &KNOWN_NAMES[usize::from(start)..usize::from(end)] {
            // Length and last byte first: most candidates fail there, without a compare call.
            let k = known.as_bytes();
            if k.len() == bytes.len() && k[k.len() - 1] == last && k == bytes {
                return Name::Borrowed(known);
            }
        }
    }
    Name::Owned(name.to_string())
}

/// One attribute, name lowercased by the front-end.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attr {
    /// Attribute name.
    pub name: Name,
    /// Attribute value, entities decoded.
    pub value: AttrValue,
}

/// An attribute value's storage. Natively, the parser's own tendril: a value of up to eight
/// bytes lives inline and a longer one is kept rather than copied (a page has thousands; the
/// copy, its allocation and its free were a tenth of the parse). In the browser, a `String`
/// (the wasm front-end builds values from JavaScript strings).
#[cfg(not(target_arch = "wasm32"))]
type AttrText = html5ever::tendril::StrTendril;
#[cfg(target_arch = "wasm32")]
type AttrText = String;

/// An attribute value: reads as a `str`.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct AttrValue(AttrText);

impl AttrValue {
    /// The value as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::ops::Deref for AttrValue {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for AttrValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

impl From<&str> for AttrValue {
    fn from(s: &str) -> Self {
        AttrValue(AttrText::from(s))
    }
}

impl From<String> for AttrValue {
    fn from(s: String) -> Self {
        AttrValue(AttrText::from(s))
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl From<html5ever::tendril::StrTendril> for AttrValue {
    fn from(t: html5ever::tendril::StrTendril) -> Self {
        AttrValue(t)
    }
}

/// An element node's own data.
#[derive(Clone, Debug)]
pub struct Element {
    /// Lowercase local name for HTML elements (`p`, `div`); SVG/MathML names as parsed.
    pub tag: Name,
    /// Attributes in source order.
    pub attrs: Vec<Attr>,
    /// Render hints; `None` when the front-end measured nothing for this element (boxed: most
    /// elements have none, and a smaller node keeps the arena compact).
    pub hints: Option<Box<RenderHints>>,
}

impl Element {
    /// The value of attribute `name`, if present.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|a| a.name == name)
            .map(|a| a.value.as_str())
    }
}

/// What a node holds.
#[derive(Clone, Debug)]
pub enum NodeData {
    /// The root of a document or fragment.
    Document,
    /// An element with its attributes.
    Element(Element),
    /// A run of character data (its characters live in the document's text buffer).
    Text(TextSpan),
}

/// Where a text node's characters lie in its document's text buffer. Text is appended to the
/// buffer, never edited in place: a page's thousands of text nodes cost one allocation, not
/// one each (and one free when the document goes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TextSpan {
    start: usize,
    end: usize,
}

/// One arena slot with its tree links.
#[derive(Clone, Debug)]
pub struct Node {
    parent: Option<NodeId>,
    first_child: Option<NodeId>,
    last_child: Option<NodeId>,
    prev_sibling: Option<NodeId>,
    next_sibling: Option<NodeId>,
    /// The node's payload.
    pub data: NodeData,
}

/// Document-level facts a live front-end knows.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PageHints {
    /// Viewport width and height in CSS pixels.
    pub viewport: Option<(f32, f32)>,
    /// Whether the page cannot scroll although it is taller than the viewport (a scroll lock).
    pub scroll_locked: Option<bool>,
}

/// An owned DOM tree.
#[derive(Clone, Debug)]
pub struct Document {
    nodes: Vec<Node>,
    /// The characters of all text nodes ([`TextSpan`]s point into it).
    texts: String,
    /// Facts about the whole rendered page, when known.
    pub page: PageHints,
    /// Per text node, a number derived from its text once and reused (see
    /// [`Document::text_metric`]); `u64::MAX` where not computed yet.
    text_metrics: std::cell::RefCell<Vec<u64>>,
    /// While a [`Checkpoint`] is open: what every change overwrote, oldest first.
    journal: Option<Vec<Undo>>,
    /// Checkpoints taken and not yet committed or rolled back.
    open_checkpoints: usize,
}

/// What one change to a node overwrote.
#[derive(Clone, Debug)]
enum Undo {
    /// The node's parent, first child, last child, previous and next sibling.
    Links(NodeId, [Option<NodeId>; 5]),
    /// The node's payload.
    Data(NodeId, NodeData),
}

/// A state of a [`Document`] that [`Document::rollback`] returns to.
#[derive(Debug)]
#[must_use = "a checkpoint is closed by rollback or commit"]
pub struct Checkpoint {
    /// Arena length when it was taken: later nodes are dropped on rollback.
    len: usize,
    /// Journal length when it was taken: a rollback undoes the entries after it.
    mark: usize,
}

impl Default for Document {
    fn default() -> Self {
        Self::new()
    }
}

/// The root node of every document.
pub const ROOT: NodeId = NodeId::at(0);

impl Document {
    /// An empty document with room for `nodes` nodes and `text_bytes` bytes of text before
    /// either grows.
    pub fn with_capacity(nodes: usize, text_bytes: usize) -> Self {
        let mut doc = Self::new();
        doc.nodes.reserve(nodes);
        doc.texts.reserve(text_bytes);
        doc
    }

    /// An empty document holding only the root node.
    pub fn new() -> Self {
        let root = Node {
            parent: None,
            first_child: None,
            last_child: None,
            prev_sibling: None,
            next_sibling: None,
            data: NodeData::Document,
        };
        Document {
            nodes: vec![root],
            texts: String::new(),
            page: PageHints::default(),
            text_metrics: std::cell::RefCell::new(Vec::new()),
            journal: None,
            open_checkpoints: 0,
        }
    }

    /// Starts recording changes so that [`Document::rollback`] can undo them: a pass that may
    /// have to be run again differently pays for what it changes, not for a copy of the page.
    /// Checkpoints nest: an inner one is committed or rolled back before the outer one.
    pub fn checkpoint(&mut self) -> Checkpoint {
        let journal = self.journal.get_or_insert_with(Vec::new);
        self.open_checkpoints += 1;
        Checkpoint {
            len: self.nodes.len(),
            mark: journal.len(),
        }
    }

    /// Keeps the changes made since `cp`; recording stops when no checkpoint is open (an outer
    /// one can still undo them).
    pub fn commit(&mut self, cp: Checkpoint) {
        let Checkpoint { .. } = cp;
        self.close_checkpoint();
    }

    fn close_checkpoint(&mut self) {
        self.open_checkpoints = self.open_checkpoints.saturating_sub(1);
        if self.open_checkpoints == 0 {
            self.journal = None;
        }
    }

    /// Returns the tree to its state at `cp`: links and payloads restored, nodes created since
    /// dropped.
    pub fn rollback(&mut self, cp: Checkpoint) {
        let journal = match &mut self.journal {
            Some(j) => j.split_off(cp.mark.min(j.len())),
            None => Vec::new(),
        };
        self.close_checkpoint();
        for undo in journal.into_iter().rev() {
            match undo {
                Undo::Links(id, [parent, first, last, prev, next]) => {
                    let n = &mut self.nodes[id.index()];
                    n.parent = parent;
                    n.first_child = first;
                    n.last_child = last;
                    n.prev_sibling = prev;
                    n.next_sibling = next;
                }
                Undo::Data(id, data) => {
                    self.nodes[id.index()].data = data;
                    self.forget_text_metric(id);
                }
            }
        }
        self.nodes.truncate(cp.len.max(1));
        self.text_metrics.get_mut().truncate(cp.len);
    }

    /// The node, to change its links (recorded while a checkpoint is open).
    fn links_mut(&mut self, id: NodeId) -> &mut Node {
        let n = &mut self.nodes[id.index()];
        if let Some(journal) = &mut self.journal {
            journal.push(Undo::Links(
                id,
                [
                    n.parent,
                    n.first_child,
                    n.last_child,
                    n.prev_sibling,
                    n.next_sibling,
                ],
            ));
        }
        n
    }

    /// The node's payload, to change it (recorded while a checkpoint is open).
    fn data_mut(&mut self, id: NodeId) -> &mut NodeData {
        let n = &mut self.nodes[id.index()];
        if let Some(journal) = &mut self.journal {
            journal.push(Undo::Data(id, n.data.clone()));
        }
        &mut n.data
    }

    /// The root node.
    pub fn root(&self) -> NodeId {
        ROOT
    }

    /// How many nodes the arena holds (attached or not).
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Whether `id` is a `<script type="application/ld+json">` (metadata reads its text).
    pub fn is_json_ld(&self, id: NodeId) -> bool {
        self.is(id, "script")
            && self
                .attr(id, "type")
                .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json"))
    }

    /// Whether front-ends copy the text inside `parent`: not script (other than JSON-LD) or
    /// style text, which no stage reads and which is often half a news page's characters.
    pub fn keeps_text_in(&self, parent: NodeId) -> bool {
        match self.tag(parent) {
            "style" => false,
            "script" => self.is_json_ld(parent),
            _ => true,
        }
    }

    /// Whether the document holds only its root.
    pub fn is_empty(&self) -> bool {
        self.nodes.len() <= 1
    }

    fn push(&mut self, data: NodeData) -> NodeId {
        let id = NodeId::at(self.nodes.len() as u32);
        self.nodes.push(Node {
            parent: None,
            first_child: None,
            last_child: None,
            prev_sibling: None,
            next_sibling: None,
            data,
        });
        id
    }

    /// Creates a detached element.
    pub fn create_element(&mut self, tag: &str, attrs: Vec<Attr>) -> NodeId {
        self.push(NodeData::Element(Element {
            tag: intern(tag),
            attrs,
            hints: None,
        }))
    }

    /// Creates a detached text node.
    pub fn create_text(&mut self, text: &str) -> NodeId {
        let span = self.store_text(text);
        self.push(NodeData::Text(span))
    }

    /// Appends `text` to the text buffer.
    fn store_text(&mut self, text: &str) -> TextSpan {
        let start = self.texts.len();
        self.texts.push_str(text);
        TextSpan {
            start,
            end: self.texts.len(),
        }
    }

    /// Appends `more` to text node `id`'s text (nothing for other nodes).
    pub fn push_text(&mut self, id: NodeId, more: &str) {
        let NodeData::Text(span) = self.node(id).data else {
            return;
        };
        let grown = if span.end == self.texts.len() {
            // The usual case while parsing: the node's text is the buffer's tail.
            self.texts.push_str(more);
            TextSpan {
                start: span.start,
                end: self.texts.len(),
            }
        } else {
            let start = self.texts.len();
            let old = self.texts[span.start..span.end].to_owned();
            self.texts.push_str(&old);
            self.texts.push_str(more);
            TextSpan {
                start,
                end: self.texts.len(),
            }
        };
        *self.data_mut(id) = NodeData::Text(grown);
        self.forget_text_metric(id);
    }

    fn node(&self, id: NodeId) -> &Node {
        // NOTE: NodeIds are only minted by this arena and never freed, so the index is in range.
        &self.nodes[id.index()]
    }

    /// The node's payload.
    pub fn data(&self, id: NodeId) -> &NodeData {
        &self.node(id).data
    }

    /// The element data, if `id` is an element.
    pub fn element(&self, id: NodeId) -> Option<&Element> {
        match &self.node(id).data {
            NodeData::Element(e) => Some(e),
            _ => None,
        }
    }

    /// Mutable element data, if `id` is an element.
    pub fn element_mut(&mut self, id: NodeId) -> Option<&mut Element> {
        if !self.is_element(id) {
            return None;
        }
        match self.data_mut(id) {
            NodeData::Element(e) => Some(e),
            _ => None,
        }
    }

    /// The element's tag, or `""` for non-elements.
    pub fn tag(&self, id: NodeId) -> &str {
        self.element(id).map_or("", |e| &*e.tag)
    }

    /// Whether `id` is an element with tag `tag`.
    pub fn is(&self, id: NodeId, tag: &str) -> bool {
        self.tag(id) == tag
    }

    /// Whether `id` is an element.
    pub fn is_element(&self, id: NodeId) -> bool {
        matches!(self.node(id).data, NodeData::Element(_))
    }

    /// The text of a text node.
    pub fn text(&self, id: NodeId) -> Option<&str> {
        match self.node(id).data {
            NodeData::Text(span) => self.texts.get(span.start..span.end),
            _ => None,
        }
    }

    /// Attribute `name` of element `id`.
    pub fn attr(&self, id: NodeId, name: &str) -> Option<&str> {
        self.element(id).and_then(|e| e.attr(name))
    }

    /// Sets (or adds) an attribute.
    pub fn set_attr(&mut self, id: NodeId, name: &str, value: &str) {
        if let Some(e) = self.element_mut(id) {
            match e.attrs.iter_mut().find(|a| a.name == name) {
                Some(a) => a.value = value.into(),
                None => e.attrs.push(Attr {
                    name: intern(name),
                    value: value.into(),
                }),
            }
        }
    }

    /// Removes an attribute if present.
    pub fn remove_attr(&mut self, id: NodeId, name: &str) {
        if let Some(e) = self.element_mut(id) {
            e.attrs.retain(|a| a.name != name);
        }
    }

    /// Changes an element's tag, keeping attributes and children.
    pub fn set_tag(&mut self, id: NodeId, tag: &str) {
        if let Some(e) = self.element_mut(id) {
            e.tag = intern(tag);
        }
    }

    /// Render hints of an element, when measured.
    pub fn hints(&self, id: NodeId) -> Option<&RenderHints> {
        self.element(id).and_then(|e| e.hints.as_deref())
    }

    /// Sets the render hints of an element.
    pub fn set_hints(&mut self, id: NodeId, hints: RenderHints) {
        if let Some(e) = self.element_mut(id) {
            e.hints = Some(Box::new(hints));
        }
    }

    /// Parent node.
    pub fn parent(&self, id: NodeId) -> Option<NodeId> {
        self.node(id).parent
    }

    /// First child node.
    pub fn first_child(&self, id: NodeId) -> Option<NodeId> {
        self.node(id).first_child
    }

    /// Last child node.
    pub fn last_child(&self, id: NodeId) -> Option<NodeId> {
        self.node(id).last_child
    }

    /// Next sibling node.
    pub fn next_sibling(&self, id: NodeId) -> Option<NodeId> {
        self.node(id).next_sibling
    }

    /// Previous sibling node.
    pub fn prev_sibling(&self, id: NodeId) -> Option<NodeId> {
        self.node(id).prev_sibling
    }

    /// Child nodes, in order.
    pub fn children(&self, id: NodeId) -> Children<'_> {
        Children {
            doc: self,
            next: self.first_child(id),
        }
    }

    /// Element children, in order.
    pub fn element_children(&self, id: NodeId) -> impl Iterator<Item = NodeId> + '_ {
        self.children(id).filter(move |&c| self.is_element(c))
    }

    /// Next element sibling.
    pub fn next_element_sibling(&self, id: NodeId) -> Option<NodeId> {
        let mut cur = self.next_sibling(id);
        while let Some(c) = cur {
            if self.is_element(c) {
                return Some(c);
            }
            cur = self.next_sibling(c);
        }
        None
    }

    /// Previous element sibling.
    pub fn prev_element_sibling(&self, id: NodeId) -> Option<NodeId> {
        let mut cur = self.prev_sibling(id);
        while let Some(c) = cur {
            if self.is_element(c) {
                return Some(c);
            }
            cur = self.prev_sibling(c);
        }
        None
    }

    /// Ancestors from the parent up to the root.
    pub fn ancestors(&self, id: NodeId) -> Ancestors<'_> {
        Ancestors {
            doc: self,
            next: self.parent(id),
        }
    }

    /// `id` and all its descendants, in document order (pre-order), without recursion.
    pub fn descendants(&self, id: NodeId) -> Descendants<'_> {
        Descendants {
            doc: self,
            root: id,
            next: Some(id),
        }
    }

    /// `id`'s subtree children first (post-order: every node after all of its descendants, `id`
    /// last), without recursion or a buffer: bottom-up passes add each node into its parent.
    pub fn post_order(&self, id: NodeId) -> PostOrder<'_> {
        PostOrder {
            doc: self,
            root: id,
            next: Some(self.deepest_first(id)),
        }
    }

    /// The node reached from `id` by following first children down.
    fn deepest_first(&self, mut id: NodeId) -> NodeId {
        while let Some(c) = self.first_child(id) {
            id = c;
        }
        id
    }

    /// The node after `id` in a document-order walk of `root`'s subtree: its first child, else
    /// the next node outside it.
    pub fn next_in(&self, id: NodeId, root: NodeId) -> Option<NodeId> {
        self.first_child(id)
            .or_else(|| self.next_skipping_children(id, root))
    }

    /// The node after `id` in document order that is not inside `id`, bounded by `root`.
    pub fn next_skipping_children(&self, id: NodeId, root: NodeId) -> Option<NodeId> {
        let mut cur = id;
        loop {
            if cur == root {
                return None;
            }
            if let Some(n) = self.next_sibling(cur) {
                return Some(n);
            }
            cur = self.parent(cur)?;
        }
    }

    /// An enter/leave walk over `root`'s subtree.
    pub fn walk(&self, root: NodeId) -> Walk<'_> {
        Walk {
            doc: self,
            root,
            next: Some(Step::Enter(root)),
        }
    }

    /// Whether `ancestor` contains `id` (or is it).
    pub fn contains(&self, ancestor: NodeId, id: NodeId) -> bool {
        id == ancestor || self.ancestors(id).any(|a| a == ancestor)
    }

    /// Depth below the root.
    pub fn depth(&self, id: NodeId) -> usize {
        self.ancestors(id).count()
    }

    /// Unlinks `id` from its parent and siblings; it keeps its own subtree.
    pub fn detach(&mut self, id: NodeId) {
        let (parent, prev, next) = {
            let n = self.node(id);
            (n.parent, n.prev_sibling, n.next_sibling)
        };
        if let Some(p) = prev {
            self.links_mut(p).next_sibling = next;
        } else if let Some(par) = parent {
            self.links_mut(par).first_child = next;
        }
        if let Some(n) = next {
            self.links_mut(n).prev_sibling = prev;
        } else if let Some(par) = parent {
            self.links_mut(par).last_child = prev;
        }
        let n = self.links_mut(id);
        n.parent = None;
        n.prev_sibling = None;
        n.next_sibling = None;
    }

    /// Appends `child` (detached first if needed) as the last child of `parent`.
    pub fn append(&mut self, parent: NodeId, child: NodeId) {
        // NOTE: only a node with children can be an ancestor of `parent`; skipping the walk for
        // leaves keeps tree building linear on pages that nest thousands deep.
        if parent == child || (self.first_child(child).is_some() && self.contains(child, parent)) {
            return; // would create a cycle
        }
        self.detach(child);
        let last = self.node(parent).last_child;
        {
            let c = self.links_mut(child);
            c.parent = Some(parent);
            c.prev_sibling = last;
        }
        match last {
            Some(l) => self.links_mut(l).next_sibling = Some(child),
            None => self.links_mut(parent).first_child = Some(child),
        }
        self.links_mut(parent).last_child = Some(child);
    }

    /// Inserts `new` (detached first if needed) right before `sibling`.
    pub fn insert_before(&mut self, sibling: NodeId, new: NodeId) {
        let Some(parent) = self.parent(sibling) else {
            return;
        };
        if new == sibling || (self.first_child(new).is_some() && self.contains(new, sibling)) {
            return;
        }
        self.detach(new);
        let prev = self.node(sibling).prev_sibling;
        {
            let n = self.links_mut(new);
            n.parent = Some(parent);
            n.prev_sibling = prev;
            n.next_sibling = Some(sibling);
        }
        self.links_mut(sibling).prev_sibling = Some(new);
        match prev {
            Some(p) => self.links_mut(p).next_sibling = Some(new),
            None => self.links_mut(parent).first_child = Some(new),
        }
    }

    /// A number `measure` derives from text node `id`'s text (the caller always passes the
    /// same function): computed once, then read from a cache. None for non-text nodes.
    /// `u64::MAX` is reserved. Text-scanning passes that run many times per page use this.
    pub fn text_metric(&self, id: NodeId, measure: impl FnOnce(&str) -> u64) -> Option<u64> {
        let text = self.text(id)?;
        if let Some(&m) = self.text_metrics.borrow().get(id.index()) {
            if m != u64::MAX {
                return Some(m);
            }
        }
        let m = measure(text).min(u64::MAX - 1);
        let mut cache = self.text_metrics.borrow_mut();
        if cache.len() <= id.index() {
            cache.resize(self.nodes.len().max(id.index() + 1), u64::MAX);
        }
        cache[id.index()] = m;
        Some(m)
    }

    /// Drops a cached [`Document::text_metric`] after the text changed.
    pub(crate) fn forget_text_metric(&mut self, id: NodeId) {
        if let Some(m) = self.text_metrics.get_mut().get_mut(id.index()) {
            *m = u64::MAX;
        }
    }

    /// Appends text to `parent`, merging with a trailing text node.
    pub fn append_text(&mut self, parent: NodeId, text: &str) {
        if let Some(last) = self.last_child(parent) {
            if self.text(last).is_some() {
                self.push_text(last, text);
                return;
            }
        }
        let t = self.create_text(text);
        self.append(parent, t);
    }

    /// Moves all children of `from` to the end of `to`.
    pub fn reparent_children(&mut self, from: NodeId, to: NodeId) {
        while let Some(c) = self.first_child(from) {
            self.append(to, c);
        }
    }

    /// Replaces `id` by its children (keeps the text, drops the element).
    pub fn unwrap(&mut self, id: NodeId) {
        while let Some(c) = self.first_child(id) {
            self.insert_before(id, c);
        }
        self.detach(id);
    }

    /// Replaces `old` by `new` in the tree.
    pub fn replace(&mut self, old: NodeId, new: NodeId) {
        if old == new {
            return;
        }
        self.insert_before(old, new);
        self.detach(old);
    }

    /// The `<html>`, `<head>` and `<body>` elements when present.
    pub fn find_first(&self, from: NodeId, tag: &str) -> Option<NodeId> {
        self.descendants(from).find(|&n| self.is(n, tag))
    }

    /// The `<body>` element, or the root when the document has none.
    pub fn body(&self) -> NodeId {
        self.find_first(ROOT, "body").unwrap_or(ROOT)
    }

    /// The concatenated text of `id`'s subtree (no separators added).
    pub fn text_content(&self, id: NodeId) -> String {
        let mut out = String::new();
        for n in self.descendants(id) {
            if let Some(t) = self.text(n) {
                out.push_str(t);
            }
        }
        out
    }

    /// A detached copy of `src`'s node `id` (without its children).
    fn import_node(&mut self, src: &Document, id: NodeId) -> NodeId {
        match &src.node(id).data {
            NodeData::Text(_) => self.create_text(src.text(id).unwrap_or_default()),
            data => self.push(data.clone()),
        }
    }

    /// Copies `id`'s subtree of `src` under `parent` of `self`, without recursion.
    pub fn import_subtree(&mut self, parent: NodeId, src: &Document, id: NodeId) -> NodeId {
        let top = self.import_node(src, id);
        self.append(parent, top);
        // (source node, copy) pairs whose children still need copying.
        let mut stack = vec![(id, top)];
        while let Some((s, d)) = stack.pop() {
            for c in src.children(s) {
                let copy = self.import_node(src, c);
                self.append(d, copy);
                if src.first_child(c).is_some() {
                    stack.push((c, copy));
                }
            }
        }
        top
    }
}

/// One step of a depth-first walk: entering a node, or leaving it after its children.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// Before the node's children.
    Enter(NodeId),
    /// After the node's children.
    Leave(NodeId),
}

/// Enter/leave walk over a subtree, driven by tree links (renderers use it instead of recursion).
pub struct Walk<'a> {
    doc: &'a Document,
    root: NodeId,
    next: Option<Step>,
}

impl Walk<'_> {
    /// After `Enter(id)` was returned: skip `id`'s children and go straight to `Leave(id)`.
    pub fn skip_children(&mut self, id: NodeId) {
        self.next = Some(Step::Leave(id));
    }
}

impl Iterator for Walk<'_> {
    type Item = Step;
    fn next(&mut self) -> Option<Step> {
        let cur = self.next?;
        self.next = match cur {
            Step::Enter(id) => Some(match self.doc.first_child(id) {
                Some(c) => Step::Enter(c),
                None => Step::Leave(id),
            }),
            Step::Leave(id) if id == self.root => None,
            Step::Leave(id) => match self.doc.next_sibling(id) {
                Some(s) => Some(Step::Enter(s)),
                None => self.doc.parent(id).map(Step::Leave),
            },
        };
        Some(cur)
    }
}

/// Iterator over child nodes.
pub struct Children<'a> {
    doc: &'a Document,
    next: Option<NodeId>,
}

impl Iterator for Children<'_> {
    type Item = NodeId;
    fn next(&mut self) -> Option<NodeId> {
        let cur = self.next?;
        self.next = self.doc.next_sibling(cur);
        Some(cur)
    }
}

/// Iterator over ancestors.
pub struct Ancestors<'a> {
    doc: &'a Document,
    next: Option<NodeId>,
}

impl Iterator for Ancestors<'_> {
    type Item = NodeId;
    fn next(&mut self) -> Option<NodeId> {
        let cur = self.next?;
        self.next = self.doc.parent(cur);
        Some(cur)
    }
}

/// Post-order iterator over a subtree (see [`Document::post_order`]).
pub struct PostOrder<'a> {
    doc: &'a Document,
    root: NodeId,
    next: Option<NodeId>,
}

impl Iterator for PostOrder<'_> {
    type Item = NodeId;
    fn next(&mut self) -> Option<NodeId> {
        let cur = self.next?;
        self.next = if cur == self.root {
            None
        } else if let Some(s) = self.doc.next_sibling(cur) {
            Some(self.doc.deepest_first(s))
        } else {
            self.doc.parent(cur)
        };
        Some(cur)
    }
}

/// Pre-order iterator over a subtree, driven by the tree links instead of a stack.
pub struct Descendants<'a> {
    doc: &'a Document,
    root: NodeId,
    next: Option<NodeId>,
}

impl Iterator for Descendants<'_> {
    type Item = NodeId;
    fn next(&mut self) -> Option<NodeId> {
        let cur = self.next?;
        self.next = match self.doc.first_child(cur) {
            Some(c) => Some(c),
            None => self.doc.next_skipping_children(cur, self.root),
        };
        Some(cur)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn post_order_visits_children_before_parents_and_stays_in_the_subtree() {
        let d = crate::dom::html::parse("<div id=a><p>x<b>y</b></p><i></i></div><p>z</p>");
        let name = |n: NodeId| match d.text(n) {
            Some(t) => t.to_string(),
            None => d.tag(n).to_string(),
        };
        let div = d.descendants(d.root()).find(|&n| d.is(n, "div")).unwrap();
        let order: Vec<String> = d.post_order(div).map(name).collect();
        assert_eq!(order, ["x", "y", "b", "p", "i", "div"]);
        let leaf = d.first_child(d.first_child(div).unwrap()).unwrap();
        assert_eq!(d.post_order(leaf).map(name).collect::<Vec<_>>(), ["x"]);
    }

    #[test]
    fn text_grows_in_place_or_by_copy_and_rolls_back() {
        let mut d = Document::new();
        let p = d.create_element("p", vec![]);
        d.append(ROOT, p);
        d.append_text(p, "one");
        d.append_text(p, " two"); // the tail of the buffer: grows in place
        let first = d.first_child(p).unwrap();
        assert_eq!(d.text(first), Some("one two"));
        let other = d.create_text("other");
        let cp = d.checkpoint();
        d.push_text(first, " three"); // no longer the tail: copied, then grown
        assert_eq!(d.text(first), Some("one two three"));
        assert_eq!(d.text(other), Some("other"));
        d.rollback(cp);
        assert_eq!(d.text(first), Some("one two"));
        let mut copy = Document::new();
        let top = copy.import_subtree(ROOT, &d, p);
        assert_eq!(copy.text_content(top), "one two");
    }

    #[test]
    fn rollback_restores_the_tree_and_commit_keeps_changes() {
        let (mut d, div, p1, p2) = sample();
        d.set_attr(p2, "class", "x");
        let before = format!("{:?}", d.nodes);
        let _ = d.text_metric(d.first_child(p1).unwrap_or(p1), |t| t.len() as u64);
        let cp = d.checkpoint();
        d.detach(p1);
        d.append_text(p2, " more");
        d.set_attr(p2, "class", "y");
        d.set_tag(div, "section");
        let extra = d.create_element("em", vec![]);
        d.insert_before(p2, extra);
        d.unwrap(p2);
        d.rollback(cp);
        assert_eq!(format!("{:?}", d.nodes), before);
        assert_eq!(d.text_content(div), "one twothree");
        let first = d.first_child(p1).unwrap_or(p1);
        assert_eq!(d.text_metric(first, |t| t.len() as u64), Some(7));

        let cp = d.checkpoint();
        d.detach(p1);
        d.commit(cp);
        assert_eq!(d.text_content(div), "three");
    }

    #[test]
    fn checkpoints_nest() {
        let (mut d, div, p1, p2) = sample();
        let before = format!("{:?}", d.nodes);
        let outer = d.checkpoint();
        d.detach(p1);
        let inner = d.checkpoint();
        d.detach(p2);
        d.rollback(inner); // undoes only what came after the inner checkpoint
        assert_eq!(d.text_content(div), "three");
        let inner = d.checkpoint();
        d.set_attr(p2, "class", "kept");
        d.commit(inner); // still recorded: the outer checkpoint can undo it
        d.rollback(outer);
        assert_eq!(format!("{:?}", d.nodes), before);
        assert!(d.journal.is_none(), "no checkpoint open, nothing recorded");
    }

    #[test]
    fn known_names_are_sorted_and_shared() {
        assert!(KNOWN_NAMES.windows(2).all(|w| w[0] < w[1]));
        assert!(matches!(intern("div"), Name::Borrowed("div")));
        assert!(matches!(intern("viewBox"), Name::Borrowed(_)));
        assert!(matches!(intern("x-custom"), Name::Owned(ref s) if s == "x-custom"));
        assert!(matches!(intern("di"), Name::Owned(_)));
        assert!(matches!(intern("div\0"), Name::Owned(_)));
        assert!(matches!(intern("abbreviationsxyzw"), Name::Owned(_)));
    }

    fn sample() -> (Document, NodeId, NodeId, NodeId) {
        let mut d = Document::new();
        let div = d.create_element("div", vec![]);
        d.append(ROOT, div);
        let p1 = d.create_element("p", vec![]);
        let p2 = d.create_element("p", vec![]);
        d.append(div, p1);
        d.append(div, p2);
        d.append_text(p1, "one ");
        d.append_text(p1, "two");
        d.append_text(p2, "three");
        (d, div, p1, p2)
    }

    #[test]
    fn text_nodes_merge_and_concatenate() {
        let (d, div, p1, _) = sample();
        assert_eq!(d.children(p1).count(), 1);
        assert_eq!(d.text_content(div), "one twothree");
    }

    #[test]
    fn detach_and_insert_keep_links_consistent() {
        let (mut d, div, p1, p2) = sample();
        d.insert_before(p1, p2);
        assert_eq!(d.children(div).collect::<Vec<_>>(), vec![p2, p1]);
        d.detach(p2);
        assert_eq!(d.children(div).collect::<Vec<_>>(), vec![p1]);
        assert_eq!(d.last_child(div), Some(p1));
        assert_eq!(d.prev_sibling(p1), None);
    }

    #[test]
    fn append_refuses_cycles() {
        let (mut d, div, p1, _) = sample();
        d.append(p1, div);
        assert_eq!(d.parent(p1), Some(div));
    }

    #[test]
    fn unwrap_keeps_children_in_place() {
        let (mut d, div, p1, p2) = sample();
        d.unwrap(p1);
        let kids: Vec<_> = d.children(div).collect();
        assert_eq!(kids.len(), 2);
        assert_eq!(kids[1], p2);
    }

    #[test]
    fn deep_trees_walk_without_recursion() {
        let mut d = Document::new();
        let mut cur = ROOT;
        for _ in 0..200_000 {
            let e = d.create_element("div", vec![]);
            d.append(cur, e);
            cur = e;
        }
        assert_eq!(d.descendants(ROOT).count(), 200_001);
        let mut copy = Document::new();
        copy.import_subtree(ROOT, &d, ROOT);
        assert_eq!(copy.descendants(ROOT).count(), 200_002);
    }
}
