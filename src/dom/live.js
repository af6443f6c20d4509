// Serializes a DOM subtree, with render hints, into one string for dom::live (Rust). Records:
//   \x01 tag (\x02 name \x03 value)* [\x06 hints] \x05   element start
//   \x04                                                element end
//   \x07 text                                           text run
// Hints: ';'-separated v0|v1 (visible), pf|ps|pn (position), z<int>, r<x>,<y>,<w>,<h>,
// o0|o1 (clips overflow), m<px> (max-height), b1 (blur), s1 (user-select none).
// Control characters inside page text are replaced so they cannot forge records. Script (except
// JSON-LD) and style elements are recorded without their text.

const CONTROL = /[\x01-\x07]/;
const CONTROL_ALL = /[\x01-\x07]/g;
const clean = (s) => (CONTROL.test(s) ? s.replace(CONTROL_ALL, " ") : s);
const OVERLAY_MAX_DEPTH = 4;
const OWN_HOST = "lucid-reader";
const OVERLAY_NAME = /modal|overlay|popup|paywall|backdrop|consent|cookie|gate|wall|dialog|lightbox|subscribe|regwall|piano|tp-|fc-|blur|fade|truncat/i;
const UNMEASURED = new Set(["HEAD", "SCRIPT", "STYLE", "TEMPLATE", "NOSCRIPT", "META", "LINK", "TITLE"]);

function measure(win, el, depth) {
  if (!(el instanceof win.HTMLElement)) return "";
  const rendered = el.offsetParent !== null;
  const overlayish = depth <= OVERLAY_MAX_DEPTH || OVERLAY_NAME.test(el.className + " " + el.id);
  if (rendered && !overlayish) return "v1";
  const st = win.getComputedStyle(el);
  const pos = st.position;
  const fixedLike = pos === "fixed" || pos === "sticky";
  const hidden = st.display === "none" || st.visibility === "hidden" || st.opacity === "0" ||
    (!rendered && !fixedLike && st.display !== "contents" && el.getClientRects().length === 0);
  const parts = [hidden ? "v0" : "v1", pos === "fixed" ? "pf" : pos === "sticky" ? "ps" : "pn"];
  const z = parseInt(st.zIndex, 10);
  if (!Number.isNaN(z)) parts.push("z" + z);
  const ov = st.overflowX + " " + st.overflowY;
  parts.push(ov.includes("hidden") || ov.includes("clip") ? "o1" : "o0");
  const mh = parseFloat(st.maxHeight);
  if (!Number.isNaN(mh)) parts.push("m" + mh);
  if (st.filter.includes("blur")) parts.push("b1");
  if (st.userSelect === "none") parts.push("s1");
  if (!hidden) {
    const r = el.getBoundingClientRect();
    parts.push(`r${r.x},${r.y},${r.width},${r.height}`);
  }
  return parts.join(";");
}

function depthBelowBody(node) {
  let d = 0;
  for (let p = node.parentElement; p; p = p.parentElement) {
    if (p.localName === "body") return d;
    d++;
  }
  return -1;
}

/** Script (other than JSON-LD, which metadata reads) and style text: no stage reads it, and it
 * is often half a news page's characters, so only the element is recorded. */
function skipsText(tag, el) {
  if (tag === "style") return true;
  if (tag !== "script") return false;
  return (el.getAttribute("type") || "").trim().toLowerCase() !== "application/ld+json";
}

const XHTML = "http://www.w3.org/1999/xhtml";

/**
 * Serializes `root` (a document or an element); `wantHints` measures render hints. When
 * `elements` is an array, every serialized element is pushed onto it in record order (the
 * order dom::live creates them), so results can point back at live elements.
 * The walk follows child and sibling links (no per-node allocation, no recursion).
 */
export function lucidSerialize(root, wantHints, elements) {
  const win = wantHints ? (root.ownerDocument || root).defaultView : null;
  let out = "";
  const isDoc = root.nodeType === 9;
  // Depth below body (-1 above or outside it) and "inside a hidden subtree" for the children of
  // the element being walked; saved per open element and restored when it closes.
  let depth = isDoc ? -1 : depthBelowBody(root);
  let hidden = false;
  const saved = [];
  let node = isDoc ? root.firstChild : root;
  walk: while (node) {
    const type = node.nodeType;
    if (type === 3 || type === 4) {
      out += "\x07" + clean(node.data);
    } else if (type === 1) {
      const tag = node.namespaceURI === XHTML ? node.localName.toLowerCase() : node.localName;
      if (tag !== OWN_HOST) { // Lucid's own reader or notice, never part of the page
        out += "\x01" + tag;
        if (elements) elements.push(node);
        const attrs = node.attributes;
        for (let i = 0; i < attrs.length; i++) out += "\x02" + attrs[i].name.toLowerCase() + "\x03" + clean(attrs[i].value);
        const childDepth = tag === "body" ? 0 : depth >= 0 ? depth + 1 : -1;
        let childHidden = hidden;
        if (win && !hidden && childDepth >= 0 && tag !== "body" && !UNMEASURED.has(node.tagName)) {
          const h = measure(win, node, childDepth);
          if (h) {
            out += "\x06" + h;
            if (h.startsWith("v0")) childHidden = true;
          }
        }
        out += "\x05";
        const first = tag === "template" || skipsText(tag, node) ? null : node.firstChild;
        if (first) {
          saved.push(depth, hidden);
          depth = childDepth;
          hidden = childHidden;
          node = first;
          continue;
        }
        out += "\x04";
      }
    }
    // On to the next sibling, closing every element whose children are done.
    for (;;) {
      if (node === root) break walk;
      if (node.nextSibling) {
        node = node.nextSibling;
        continue walk;
      }
      node = node.parentNode;
      if (node === null || (isDoc && node === root)) break walk;
      out += "\x04";
      hidden = saved.pop();
      depth = saved.pop();
    }
  }
  return out;
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
