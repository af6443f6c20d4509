// A page snapshot for the engine: the browser's own serialization of the tree plus one walk over
// its elements that measures render hints. The content script sends it to the warm engine;
// the engine's `dom::live` front-end calls the same code through wasm-bindgen (tests, the
// playground), so there is one snapshot and one rule for which elements get full records.
//
// Format (read by `dom::snapshot` in Rust):
// - `html`: `outerHTML` of the root, with comments and the text of scripts (except JSON-LD) and
//   styles dropped: no stage reads them, and on big pages they are most of the bytes.
// - `codes`: one character per element in document order, as `dom::markup` reads them back:
//   "-" not measured (not an HTML element, in <head>, or inside a hidden one), "1" has a box,
//   "0" has none, "c" display: contents, "f" under a viewport sample point.
// - `records`: full hint records, one line each, "<ordinal>\t<record>", ordinals ascending.
//   A record is ';'-separated: v0|v1 (visible), pf|ps|pn (position), z<int>,
//   r<x>,<y>,<w>,<h>, o0|o1 (clips overflow), m<px> (max-height), b1 (blur), s1 (user-select none).
// - `page`: "w,h,locked" (viewport size, scroll lock), "" without a window.

/** The element name of Lucid's own reader host in a page (never part of a snapshot). */
export const OWN_HOST = "lucid-reader";
const UNMEASURED = new Set(["head", "script", "style", "template", "noscript", "meta", "link", "title"]);
const SHOWN = { visibilityProperty: true };

/** Elements this deep below <body> or shallower get a full record: page-wide layers (paywalls,
 * consent banners) sit near the top of the tree. */
const LAYER_MAX_DEPTH = 4;

/** Class or id fragments of overlays, blurs and truncation wrappers: such elements get a full
 * record wherever they are. */
const LAYER_NAMES = [
  "modal", "overlay", "popup", "paywall", "backdrop", "consent", "cookie", "gate", "wall", "dialog",
  "lightbox", "subscribe", "regwall", "piano", "tp-", "fc-", "blur", "fade", "truncat",
];

/** Elements whose children the serializer does not write as elements (void, raw text,
 * template): dom::markup reads them the same way, so neither side walks into them. */
const LEAF = new Set([
  "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "img", "input",
  "keygen", "link", "meta", "param", "source", "track", "wbr",
  "script", "style", "xmp", "iframe", "noembed", "noframes", "plaintext", "noscript", "template",
]);

function namedLikeLayer(el) {
  const cls = el.getAttribute("class");
  const id = el.getAttribute("id");
  if (!cls && !id) return false;
  const s = `${cls || ""} ${id || ""}`.toLowerCase();
  return LAYER_NAMES.some((f) => s.includes(f));
}

/** The full hint record of an element. `named`: its class or id looks like an overlay's;
 * `boxed`: the walk found a box. */
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
function pageHints(doc) {
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

/** A comment, or a script or style element with its text. Comments come first: the serializer
 * writes their text as it is, so a comment may hold "<script" (pages comment out markup). */
const TRIMMABLE = /<!--[\s\S]*?-->|<(script|style)\b([^>]*)>([\s\S]*?)<\/\1>/gi;
const JSON_LD = /\btype\s*=\s*"\s*application\/ld\+json\s*"/i;

/** Drops comments, script text (except JSON-LD) and style text from serialized markup: no stage
 * reads them, and the elements stay, so ordinals still line up with the walk. Attribute values
 * cannot hide a ">" from the pattern: browsers escape it there (and if one did not, the reader
 * finds the misalignment). */
export function trimMarkup(html) {
  return html.replace(TRIMMABLE, (whole, tag, attrs, text) => {
    if (!tag) return "";
    return !text || (tag.toLowerCase() === "script" && JSON_LD.test(attrs)) ? whole : `<${tag}${attrs}></${tag}>`;
  });
}

/** The browser's own (HTML) serialization of `root`. */
function markup(root) {
  const doc = root.ownerDocument || root;
  let el = root.nodeType === 9 ? root.documentElement : root;
  if (!el) return "";
  // An XML document serializes as XML: serialize a copy in an HTML document instead.
  if (doc.contentType !== "text/html") el = doc.implementation.createHTMLDocument("").importNode(el, true);
  return el.outerHTML;
}

/**
 * Walks the elements of `root` in document order, as dom::markup reads them, and measures them:
 * one code per element (see the format above) and full records for those that may be layers —
 * under a sample point or displayed as contents, or boxed and either shallow under <body> or
 * named like a layer. Walked elements are pushed onto `elements` when it is an array.
 */
function walk(root, wantHints, elements) {
  const doc = root.ownerDocument || root;
  const win = wantHints ? doc.defaultView : null;
  const HTMLElement = win && win.HTMLElement;
  const hits = win ? layerCandidates(doc, win) : null;
  const start = root.nodeType === 9 ? root.documentElement : root;
  let codes = "";
  let records = "";
  let ordinal = 0;
  // Per open element: whether its children are measured (inside <body>, not inside a hidden
  // element) and their depth below <body> (0: not below it).
  let measured = root.nodeType !== 9 && root.closest("body") !== null;
  let depth = measured ? LAYER_MAX_DEPTH + 1 : 0;
  const saved = [];
  let el = start;
  while (el) {
    const tag = el.localName;
    let descend = false, childMeasured = measured, childDepth = depth > 0 ? depth + 1 : 0;
    if (tag !== OWN_HOST) {
      let code = "-";
      if (tag === "body") {
        childMeasured = win !== null;
        childDepth = 1;
      } else if (measured && !UNMEASURED.has(tag) && el instanceof HTMLElement) {
        if (el.checkVisibility ? el.checkVisibility(SHOWN) : el.getClientRects().length > 0) code = hits.has(el) ? "f" : "1";
        else if (win.getComputedStyle(el).display === "contents") code = "c";
        else {
          code = "0";
          childMeasured = false;
        }
        if (code !== "0") {
          const named = namedLikeLayer(el);
          if (code !== "1" || named || (depth > 0 && depth <= LAYER_MAX_DEPTH)) {
            records += `${ordinal}\t${measure(win, el, named, code !== "c")}\n`;
          }
        }
      }
      codes += code;
      ordinal += 1;
      if (elements) elements.push(el);
      descend = !LEAF.has(tag);
    }
    const first = descend ? el.firstElementChild : null;
    if (first) {
      saved.push(measured, depth);
      measured = childMeasured;
      depth = childDepth;
      el = first;
      continue;
    }
    for (;;) {
      if (el === start) { el = null; break; }
      const next = el.nextElementSibling;
      if (next) { el = next; break; }
      el = el.parentElement;
      depth = saved.pop();
      measured = saved.pop();
    }
  }
  return { codes, records };
}

/**
 * Snapshots `root` (a document or an element): `{ html, codes, records, page }` (see above), with
 * timings `serializeMs` and `walkMs` and `rawChars`, the length before trimming. `wantHints`: measure render hints (false for documents
 * nothing renders, such as DOMParser's). `elements`: an array to receive the walked elements,
 * so that findings can point back at them by ordinal.
 */
export function snapshot(root, wantHints = true, elements = null) {
  const t0 = performance.now();
  const raw = markup(root);
  const html = trimMarkup(raw);
  const t1 = performance.now();
  const { codes, records } = walk(root, wantHints, elements);
  const page = wantHints ? pageHints(root.ownerDocument || root) : "";
  return { html, codes, records, page, serializeMs: t1 - t0, walkMs: performance.now() - t1, rawChars: raw.length };
}

/** The snapshot as wasm-bindgen's `dom::live` reads it: [html, codes, records, page, serializeMs, walkMs]. */
export function lucidSnapshot(root, wantHints, elements) {
  const s = snapshot(root, wantHints, Array.isArray(elements) ? elements : null);
  return [s.html, s.codes, s.records, s.page, s.serializeMs, s.walkMs];
}
