// Serializes a DOM subtree, with render hints, into one string for dom::live (Rust). Records:
//   \x01 tag (\x02 name \x03 value)* [\x06 hints] \x05   element start
//   \x04                                                element end
//   \x07 text                                           text run
// Hints: ';'-separated v0|v1 (visible), pf|ps|pn (position), z<int>, r<x>,<y>,<w>,<h>,
// o0|o1 (clips overflow), m<px> (max-height), b1 (blur), s1 (user-select none).
// Control characters inside page text are replaced so they cannot forge records.

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

/**
 * Serializes `root` (a document or an element); `wantHints` measures render hints. When
 * `elements` is an array, every serialized element is pushed onto it in record order (the
 * order dom::live creates them), so results can point back at live elements.
 */
export function lucidSerialize(root, wantHints, elements) {
  const win = wantHints ? (root.ownerDocument || root).defaultView : null;
  const out = [];
  const isDoc = root.nodeType === 9;
  // Stack entries: [node, depth below body or -1, inside a hidden subtree, closing marker].
  const stack = [];
  const startDepth = isDoc ? -1 : depthBelowBody(root);
  if (isDoc) {
    for (let c = root.lastChild; c; c = c.previousSibling) stack.push([c, -1, false, false]);
  } else {
    stack.push([root, startDepth, false, false]);
  }
  while (stack.length) {
    const [node, depth, hidden, closing] = stack.pop();
    if (closing) { out.push("\x04"); continue; }
    const type = node.nodeType;
    if (type === 3 || type === 4) { out.push("\x07", clean(node.data)); continue; }
    if (type !== 1) continue;
    const tag = node.namespaceURI === "http://www.w3.org/1999/xhtml" ? node.localName.toLowerCase() : node.localName;
    if (tag === OWN_HOST) continue; // Lucid's own reader or notice, never part of the page
    out.push("\x01", tag);
    if (elements) elements.push(node);
    const attrs = node.attributes;
    for (let i = 0; i < attrs.length; i++) out.push("\x02", attrs[i].name.toLowerCase(), "\x03", clean(attrs[i].value));
    const childDepth = tag === "body" ? 0 : depth >= 0 ? depth + 1 : -1;
    let childHidden = hidden;
    if (win && !hidden && childDepth >= 0 && tag !== "body" && !UNMEASURED.has(node.tagName)) {
      const h = measure(win, node, childDepth);
      if (h) {
        out.push("\x06", h);
        if (h.startsWith("v0")) childHidden = true;
      }
    }
    out.push("\x05");
    stack.push([node, 0, false, true]);
    if (tag === "template") continue;
    for (let c = node.lastChild; c; c = c.previousSibling) stack.push([c, childDepth, childHidden, false]);
  }
  return out.join("");
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
