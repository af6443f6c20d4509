// The content script: the only code that touches the page. Injected on demand (toolbar button,
// command, context menu) as a module, so its state survives between clicks on the same page.
// It runs the core on the live DOM, shows the reader in a shadow root in the top layer,
// and puts everything back exactly as it was when the reader closes.
import init, { extract, findPrompts } from "./pkg/lucid.js";
import { send, url } from "./common/ext.js";
import { download, fileContent, fileName, readerCss, toRecord } from "./common/export.js";
import { errorReply, MSG, unwrap } from "./common/messages.js";
import { loadSettings } from "./common/settings.js";
import { mountReader } from "./reader/reader-ui.js";

const NO_ARTICLE = "no readable article found";
const HOST_STYLE = [
  "all: initial", "position: fixed", "inset: 0", "width: 100vw", "height: 100vh", "max-width: none",
  "max-height: none", "margin: 0", "padding: 0", "border: 0", "display: block", "z-index: 2147483647",
  "overflow: hidden", "background: transparent", "color-scheme: normal",
].map((d) => `${d} !important`).join("; ");
const CARD_STYLE = HOST_STYLE.replace("inset: 0", "inset: 16px 16px auto auto")
  .replace("width: 100vw", "width: min(380px, calc(100vw - 32px))").replace("height: 100vh", "height: auto");

/** The open reader, if any: { host, ui, scroll, focus, onKey, article }. */
let session = null;
let wasmReady = null;
let lastArticle = null;

/** Entry point for the service worker; replies are plain data. */
export async function run(action) {
  try {
    if (action === "toggle") return ok(session ? close() : await open());
    if (action === "open") return ok(session ? "open" : await open());
    if (action === "close") return ok(session ? close() : "closed");
    if (action === "save") return ok(await saveFromMenu());
    if (action === "clean") return ok(await clean());
    throw new Error(`unknown action ${action}`);
  } catch (err) {
    return errorReply(err);
  }
}

const ok = (value) => ({ ok: true, value });

/** Whether the core can run in this page (its CSP may forbid WebAssembly). */
function wasmUsable() {
  wasmReady ??= init({ module_or_path: url("pkg/lucid_bg.wasm") }).then(() => true, (err) => {
    console.info("Lucid: WebAssembly is blocked on this page (%s); using the offscreen parser.", err.message);
    return false;
  });
  return wasmReady;
}

/** Runs the core: on the live DOM when the page lets wasm run, else on a copy of its HTML. */
async function readArticle() {
  const options = { url: location.href, formats: ["html", "markdown", "text"] };
  if (await wasmUsable()) return extract(document, options);
  const html = serializeDocument();
  const article = unwrap(await send({ type: MSG.EXTRACT_HTML, html, url: location.href }));
  return { ...article, viaFallback: true };
}

function serializeDocument() {
  const dt = document.doctype;
  return `${dt ? `<!DOCTYPE ${dt.name}>` : ""}${document.documentElement.outerHTML}`;
}

let sheet = null;

/** The reader's stylesheet, fetched and parsed once per page. */
function styles() {
  sheet ??= readerCss().then((css) => {
    const built = new CSSStyleSheet();
    built.replaceSync(css);
    return built;
  });
  return sheet;
}

function makeHost(style) {
  const host = document.createElement("lucid-reader");
  host.setAttribute("style", style);
  const shadow = host.attachShadow({ mode: "open" });
  host.setAttribute("popover", "manual");
  return { host, shadow };
}

function show(host) {
  document.documentElement.append(host);
  try {
    host.showPopover(); // the top layer: above any z-index the page uses
  } catch {
    // Very old engines or XML documents: the fixed position and z-index still apply.
  }
}

async function open() {
  const t0 = performance.now();
  let article;
  try {
    article = await readArticle();
  } catch (err) {
    if (!String(err.message).includes(NO_ARTICLE)) throw err;
    return showNoArticle();
  }
  lastArticle = article;
  const extractMs = performance.now() - t0;
  const { host, shadow } = makeHost(HOST_STYLE);
  shadow.adoptedStyleSheets = [await styles()];
  const styledMs = performance.now() - t0;
  const scroller = document.createElement("div");
  scroller.className = "lucid-reader";
  scroller.style.cssText = "position: absolute; inset: 0; overflow: auto; overscroll-behavior: contain;";
  shadow.append(scroller);
  const saved = { x: scrollX, y: scrollY, focus: document.activeElement };
  const ui = await mountReader(scroller, article, {
    onClose: () => close(),
    onSave: (format) => saveCopy(article, format, shadow),
    onLibrary: () => send({ type: MSG.OPEN_LIBRARY }),
    onOptions: () => send({ type: MSG.OPEN_OPTIONS }),
  });
  const onKey = (e) => {
    if (e.key !== "Escape" || e.defaultPrevented) return;
    e.preventDefault();
    e.stopImmediatePropagation();
    if (!ui.handleEscape()) close();
  };
  // Keys typed in the reader stay in the reader (pages bind single-letter shortcuts).
  for (const type of ["keydown", "keyup", "keypress"]) host.addEventListener(type, (e) => e.stopPropagation());
  addEventListener("keydown", onKey, true);
  show(host);
  ui.focus();
  session = { host, ui, saved, onKey };
  // Timings for the e2e tests and the curious: extraction, then styles, then the whole open.
  host.dataset.lucidMs = [extractMs, styledMs, performance.now() - t0].map((x) => x.toFixed(1)).join(" ");
  return { state: "open", title: article.title, words: article.wordCount, ms: extractMs, fallback: !!article.viaFallback };
}

function showNoArticle() {
  showCard("No article found", "Lucid did not find an article on this page (it looks like a home page, a list or an app).");
  return { state: "no-article" };
}

/** A small notice card (top right) in its own shadow root; Esc, Close or a timeout dismiss it. */
function showCard(title, text, details = []) {
  if (session && !session.ui) close(); // replace an older card
  const { host, shadow } = makeHost(CARD_STYLE);
  const card = document.createElement("div");
  card.className = "lucid-reader lucid-card";
  card.setAttribute("role", "alert");
  const p = document.createElement("p");
  const strong = document.createElement("strong");
  strong.textContent = title;
  p.append(strong, text);
  if (details.length) {
    const more = document.createElement("details");
    more.className = "lucid-removed";
    const summary = document.createElement("summary");
    summary.textContent = "What was removed";
    const ul = document.createElement("ul");
    for (const d of details.slice(0, 50)) {
      const li = document.createElement("li");
      li.textContent = d;
      ul.append(li);
    }
    more.append(summary, ul);
    p.append(more);
  }
  const closeBtn = document.createElement("button");
  closeBtn.type = "button";
  closeBtn.textContent = "Close";
  closeBtn.addEventListener("click", () => close());
  card.append(p, closeBtn);
  const onKey = (e) => { if (e.key === "Escape") close(); };
  addEventListener("keydown", onKey, true);
  styles().then((sheet) => { shadow.adoptedStyleSheets = [sheet]; });
  loadSettings().then((s) => { card.dataset.theme = s.theme; });
  shadow.append(card);
  show(host);
  const timer = setTimeout(() => session?.host === host && close(), 8000);
  session = { host, ui: null, saved: { x: scrollX, y: scrollY, focus: null }, onKey, timer };
}

/** "Clean this page": strip prompts and locks in place (page-clean.js) and say what went. */
async function clean() {
  if (session) close();
  const { cleanPage, pageElements } = await import("./page-clean.js");
  const find = (await wasmUsable())
    ? async () => findPrompts(document)
    : async () => {
      // The page's CSP forbids wasm here: find prompts in a copy of its HTML elsewhere, then
      // point back at live elements by their position in document order (checking the tag).
      const found = unwrap(await send({ type: MSG.FIND_PROMPTS_HTML, html: serializeDocument() }));
      const elements = pageElements();
      for (const item of found.items) {
        const el = elements[item.ordinal];
        item.element = el && el.localName === item.tag ? el : null;
      }
      return found;
    };
  const result = await cleanPage(find, (tally) => showCleaned(tally));
  if (!result.changed) showCleaned(result);
  return { state: "cleaned", removed: result.count, unlocked: result.unlocked, lifted: result.lifted };
}

function showCleaned({ count, unlocked, lifted, removed }) {
  const parts = [];
  if (count) parts.push(`removed or uncovered ${count} item${count === 1 ? "" : "s"}`);
  if (unlocked) parts.push("unlocked scrolling");
  if (lifted) parts.push(`lifted blur or copy blocking on ${lifted} element${lifted === 1 ? "" : "s"}`);
  const text = parts.length
    ? `Lucid ${parts.join(", ")}. It keeps watching for a minute in case the prompt comes back; reload the page to undo.`
    : "Lucid found no prompts, overlays or scroll locks on this page.";
  showCard(parts.length ? "Page cleaned" : "Nothing to clean", text, removed.map((r) => `${r.reason}${r.text ? `: “${r.text}”` : ""}`));
}

function close() {
  const { host, ui, saved, onKey, timer } = session;
  session = null;
  clearTimeout(timer);
  ui?.destroy();
  removeEventListener("keydown", onKey, true);
  host.remove();
  if (scrollX !== saved.x || scrollY !== saved.y) scrollTo(saved.x, saved.y);
  if (saved.focus?.isConnected) saved.focus.focus?.({ preventScroll: true });
  return { state: "closed" };
}

/** Inlines images (when the extension may fetch them), downloads the file, adds it to the library. */
async function saveCopy(article, format, parent) {
  const { html, images } = await inlineImages(article.html || "");
  const record = toRecord(article, html, images);
  const settings = await loadSettings();
  const name = fileName(record.title, format);
  download(name, await fileContent(record, format, settings), format, parent);
  unwrap(await send({ type: MSG.LIBRARY_ADD, record }));
  const saved = `Saved “${name}” and added it to your library.`;
  if (format === "html" && images.linked) {
    return {
      text: `${saved} ${images.linked === 1 ? "1 image is kept as a link" : `${images.linked} images are kept as links`} to the original site: Lucid may not fetch ${images.linked === 1 ? "it" : "them"}.`,
      action: { label: "Allow embedding images…", run: () => send({ type: MSG.OPEN_OPTIONS, anchor: "images" }) },
    };
  }
  return saved;
}

/** Context menu "Save a clean copy": extract (without opening the reader) and save as HTML. */
async function saveFromMenu() {
  const article = session?.ui ? lastArticle : await readArticle();
  const parent = document.createElement("div"); // detached: the page's DOM is not touched
  const done = await saveCopy(article, "html", parent);
  const text = typeof done === "string" ? done : done.text;
  if (!session?.ui) showCard("Saved", text);
  else session.ui.say(text, done.action);
  return text;
}

async function inlineImages(html) {
  const tpl = document.createElement("template");
  tpl.innerHTML = html; // our own sanitized output; templates never load or run anything
  const imgs = [...tpl.content.querySelectorAll("img[src]")];
  const urls = imgs.map((img) => img.getAttribute("src")).filter((u) => /^https?:/i.test(u));
  if (!urls.length) return { html, images: { embedded: 0, linked: 0 } };
  const { dataUrls } = unwrap(await send({ type: MSG.FETCH_IMAGES, urls }));
  let embedded = 0;
  let linked = 0;
  for (const img of imgs) {
    const src = img.getAttribute("src");
    if (!/^https?:/i.test(src)) continue;
    if (dataUrls[src]) {
      img.setAttribute("src", dataUrls[src]);
      img.removeAttribute("srcset");
      embedded += 1;
    } else {
      linked += 1;
    }
  }
  return { html: tpl.innerHTML, images: { embedded, linked } };
}
