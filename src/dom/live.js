// The JavaScript half of dom::live (Rust): the browser's own serialization of a subtree, and one
// walk over its elements that measures render hints. Hint records: ';'-separated v0|v1
// (visible), pf|ps|pn (position), z<int>, r<x>,<y>,<w>,<h>, o0|o1 (clips overflow),
// m<px> (max-height), b1 (blur), s1 (user-select none).

const OWN_HOST = "lucid-reader";
const UNMEASURED = new Set(["head", "script", "style", "template", "noscript", "meta", "link", "title"]);
const SHOWN = { visibilityProperty: true };

/**
 * The full hint record of an element Rust asked about (shallow under <body>, named like an
 * overlay, under a viewport sample point, or display: contents). `named`: its class or id looks
 * like an overlay's; `boxed`: the walk found a box.
 */
function measure(win, el, named, boxed) {
  const st = win.getComputedStyle(el);
  const pos = st.position;
  const fixedLike = pos === "fixed" || pos === "sticky";
  const hidden = st.visibility === "hidden" || st.opacity === "0";
  if (!named && !fixedLike) return hidden ? "v0;pn" : "v1;pn";
  const parts = [hidden ? "v0" : "v1", pos === "fixed" ? "pf" : pos === "sticky" ? "ps" : "pn"];
  const z = parseInt(st.zIndex, 10);
  if (!Number.isNaN(z)) parts.push("z" + z);
  const ov = st.overflowX + " " + st.overflowY;
  parts.push(ov.includes("hidden") || ov.includes("clip") ? "o1" : "o0");
  const mh = parseFloat(st.maxHeight);
  if (!Number.isNaN(mh)) parts.push("m" + mh);
  if (st.filter.includes("blur")) parts.push("b1");
  if (st.userSelect === "none") parts.push("s1");
  if (!hidden && boxed) {
    const r = el.getBoundingClientRect();
    parts.push(`r${r.x},${r.y},${r.width},${r.height}`);
  }
  return parts.join(";");
}

/**
 * Full hint records for the elements Rust asks about: `requests` holds their ordinals (indexes
 * into `elements`), bit 31 set when the element is named like an overlay, bit 30 when it has a
 * box. Returns the records in request order, each ending in "\n".
 */
export function lucidMeasure(elements, requests) {
  let out = "";
  for (let i = 0; i < requests.length; i++) {
    const r = requests[i];
    const el = elements[r & 0x3fffffff];
    const win = el && el.ownerDocument.defaultView;
    out += (win ? measure(win, el, (r & 0x80000000) !== 0, (r & 0x40000000) !== 0) : "") + "\n";
  }
  return out;
}

/**
 * The elements under a few points of the viewport, so that deep, unnamed layers can be checked
 * for `position: fixed` without asking every element (each point costs a hit test, so only
 * five). A layer big enough to matter to the paywall stage (a quarter of the viewport) holds
 * one of them, unless it is a band of 25–30 % of the height lying between two (the points are
 * 20, 50 and 80 % down the middle, and an eighth in from either side halfway down).
 */
function layerCandidates(doc, win) {
  const hits = new Set();
  if (!doc.elementsFromPoint) return hits;
  const w = win.innerWidth, h = win.innerHeight;
  const points = [[0.5, 0.2], [0.5, 0.5], [0.5, 0.8], [0.125, 0.5], [0.875, 0.5]];
  for (const [fx, fy] of points) {
    for (const el of doc.elementsFromPoint(w * fx, h * fy)) hits.add(el);
  }
  return hits;
}

/** Viewport size and whether the page is scroll-locked: "w,h,locked" ("" without a window). */
export function lucidPageHints(root) {
  const doc = root.ownerDocument || root;
  const win = doc.defaultView;
  if (!win || !doc.documentElement || !doc.body) return "";
  const vw = win.innerWidth, vh = win.innerHeight;
  const taller = doc.documentElement.scrollHeight > vh + 1;
  const locked = [doc.documentElement, doc.body].some((e) => {
    const s = win.getComputedStyle(e);
    return s.overflowY === "hidden" || s.overflowY === "clip" || s.position === "fixed";
  });
  return `${vw},${vh},${taller && locked ? 1 : 0}`;
}

/** Elements whose children the serializer does not write as elements (void, raw text,
 * template): dom::markup reads them the same way, so neither side walks into them. */
const LEAF = new Set([
  "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "img", "input",
  "keygen", "link", "meta", "param", "source", "track", "wbr",
  "script", "style", "xmp", "iframe", "noembed", "noframes", "plaintext", "noscript", "template",
]);

/** The browser's own (HTML) serialization of `root`, UTF-8 encoded. */
export function lucidMarkup(root) {
  const doc = root.ownerDocument || root;
  let el = root.nodeType === 9 ? root.documentElement : root;
  if (!el) return new Uint8Array(0);
  // An XML document serializes as XML: serialize a copy in an HTML document instead.
  if (doc.contentType !== "text/html") el = doc.implementation.createHTMLDocument("").importNode(el, true);
  return new TextEncoder().encode(el.outerHTML);
}

/**
 * Walks the elements of `root` in document order, as dom::markup reads them from
 * `lucidMarkup`, and returns one code per element: "-" not measured (not an HTML element, in
 * <head>, or inside a hidden one), "1" has a box, "0" has none (display none here or above,
 * visibility hidden, an <option>), "c" display: contents, "f" under a viewport sample point.
 * Which of them need a full record (lucidMeasure) is Rust's call: it has the classes and depths.
 * Every walked element is pushed onto `elements` when it is an array.
 */
export function lucidWalk(root, wantHints, elements) {
  const doc = root.ownerDocument || root;
  const win = wantHints ? doc.defaultView : null;
  const HTMLElement = win && win.HTMLElement;
  const hits = win ? layerCandidates(doc, win) : null;
  const start = root.nodeType === 9 ? root.documentElement : root;
  let codes = "";
  // Whether the element's children are measured (inside <body>, not inside a hidden element);
  // saved per open element and restored when it closes.
  let measured = root.nodeType !== 9 && root.closest("body") !== null;
  const saved = [];
  let el = start;
  while (el) {
    const tag = el.localName;
    let descend = false, childMeasured = measured;
    if (tag !== OWN_HOST) {
      let code = "-";
      if (tag === "body") childMeasured = win !== null;
      else if (measured && !UNMEASURED.has(tag) && el instanceof HTMLElement) {
        if (el.checkVisibility ? el.checkVisibility(SHOWN) : el.getClientRects().length > 0) code = hits.has(el) ? "f" : "1";
        else if (win.getComputedStyle(el).display === "contents") code = "c";
        else {
          code = "0";
          childMeasured = false;
        }
      }
      codes += code;
      if (elements) elements.push(el);
      descend = !LEAF.has(tag);
    }
    const first = descend ? el.firstElementChild : null;
    if (first) {
      saved.push(measured);
      measured = childMeasured;
      el = first;
      continue;
    }
    for (;;) {
      if (el === start) { el = null; break; }
      const next = el.nextElementSibling;
      if (next) { el = next; break; }
      el = el.parentElement;
      measured = saved.pop();
    }
  }
  return codes;
}
