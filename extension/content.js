// The content script: the only code that touches the page. Injected on demand (toolbar button,
// command, context menu) as one classic file (build.sh bundles this module and its imports,
// the reader stylesheet included, into pkg/content.js); it defines `lucidContent` once per page,
// so its state survives between clicks. It snapshots the page, has the warm engine (another
// extension context) extract the article, shows the reader in a shadow root in the top layer,
// and puts everything back exactly as it was when the reader closes. No wasm runs in the page.
import { send } from "./common/ext.js";
import { callEngine } from "./common/engine-client.js";
import { download, fileContent, fileName, toRecord } from "./common/export.js";
import { fetchImages, sameHost } from "./common/images.js";
import { errorReply, MSG, unwrap } from "./common/messages.js";
import { loadSettings } from "./common/settings.js";
import { snapshot } from "./common/snapshot.js";
import { mountReader } from "./reader/reader-ui.js";
import { parseInert } from "./reader/reader-view.js";
import { cleanPage } from "./page-clean.js";
import READER_CSS from "./reader/reader.css";

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
/** The article on show and the snapshot it came from (saves re-render it in all formats). */
let shown = null;

/** Entry point for the service worker; replies are plain data. */
async function run(action) {
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

/** Epoch milliseconds, comparable across the page, the worker and the engine. */
const now = () => performance.timeOrigin + performance.now();

/** Snapshots the page and has the engine extract the article in `formats`. */
async function readArticle(formats, snap = null) {
  const marks = { start: now() };
  const s = snap ?? snapshot(document);
  marks.snapshot = now();
  const reply = await callEngine({ op: "extract", snapshot: s, options: { url: location.href, formats } });
  Object.assign(marks, reply.marks, { chars: s.html.length, rawChars: s.rawChars });
  return { article: reply.value, snap: s, marks };
}

let sheet = null;

/**
 * Gives a shadow root the reader's stylesheet (shipped inside this script). Shared by every root
 * in the page and parsed once, where the engine lets a content script adopt a constructed sheet;
 * older Firefox throws on that from a content script ("Accessing from Xray wrapper is not
 * supported"): there a `<style>` inside the root does the same — the root still keeps the page's
 * CSS out.
 */
function adoptStyles(shadow) {
  try {
    if (!sheet) {
      sheet = new CSSStyleSheet();
      sheet.replaceSync(READER_CSS);
    }
    shadow.adoptedStyleSheets = [sheet];
  } catch {
    const style = document.createElement("style");
    style.textContent = READER_CSS;
    shadow.prepend(style);
  }
}

/** The host element of the reader (`kind` "reader") or of a notice card ("card"). */
function makeHost(style, kind) {
  const host = document.createElement("lucid-reader");
  host.setAttribute("style", style);
  host.dataset.lucid = kind;
  // Closed: page script cannot reach the reader's content or controls through the host.
  const shadow = host.attachShadow({ mode: "closed" });
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

/** How often per second the reader takes its place back before it gives up (a page that fights). */
const MAX_RESTORES_PER_SECOND = 20;

/**
 * Keeps the reader on top while it is open: page script can reach the host element, so it could
 * hide its popover, remove it, restyle it, open its own popover above it, open a modal dialog
 * (which would make the reader inert) or take the screen with fullscreen. Each of these puts the
 * reader back (re-shown last, so on top again), a bounded number of times; modal dialogs are
 * closed while the reader is open and shown again when it closes. Returns a function that stops
 * guarding.
 */
function guard(host, style) {
  let window0 = 0;
  let count = 0;
  let pending = false;
  const parked = new Set(); // the page's modal dialogs, closed while the reader is open
  const dialogs = new Set(); // dialogs seen opening (also those inside open shadow roots)
  const restore = () => {
    pending = false;
    if (session?.host !== host) return;
    const now = performance.now();
    if (now - window0 > 1000) { window0 = now; count = 0; }
    if (++count > MAX_RESTORES_PER_SECOND) return;
    for (const dialog of modalDialogs(dialogs)) {
      dialog.close();
      parked.add(dialog);
    }
    dialogs.clear();
    if (document.fullscreenElement) document.exitFullscreen().catch(() => {});
    if (host.getAttribute("style") !== style) host.setAttribute("style", style);
    if (host.parentNode !== document.documentElement) document.documentElement.append(host);
    try {
      if (host.matches(":popover-open")) host.hidePopover();
      host.showPopover();
    } catch {
      // As in show().
    }
  };
  const soon = () => {
    if (!pending) { pending = true; queueMicrotask(restore); }
  };
  // Another popover or a dialog opening (toggle does not bubble: listen in the capture phase).
  const onToggle = (e) => {
    if (e.target === host) {
      if (e.newState === "closed") soon();
      return;
    }
    if (e.newState !== "open") return;
    const target = e.composedPath()[0];
    if (target instanceof HTMLDialogElement) dialogs.add(target);
    soon();
  };
  document.addEventListener("toggle", onToggle, true);
  host.addEventListener("toggle", onToggle);
  document.addEventListener("fullscreenchange", soon, true);
  const observer = new MutationObserver(soon);
  observer.observe(document.documentElement, { childList: true });
  observer.observe(host, { attributes: true, attributeFilter: ["style", "popover", "hidden", "inert", "class"] });
  // Engines without dialog toggle events: a dialog's open attribute, anywhere in the document.
  const opened = new MutationObserver((records) => {
    if (records.some((r) => r.target instanceof HTMLDialogElement && r.target.open)) soon();
  });
  opened.observe(document.documentElement, { subtree: true, attributes: true, attributeFilter: ["open"] });
  return () => {
    observer.disconnect();
    opened.disconnect();
    document.removeEventListener("toggle", onToggle, true);
    document.removeEventListener("fullscreenchange", soon, true);
    host.removeEventListener("toggle", onToggle);
    for (const dialog of parked) {
      try {
        if (dialog.isConnected && !dialog.open) dialog.showModal();
      } catch {
        // The page changed it meanwhile: leave it as it is.
      }
    }
  };
}

/** The modal dialogs open in the document, and among `seen` (which may sit in shadow roots). */
function modalDialogs(seen) {
  const modal = (d) => {
    try {
      return d.isConnected && d.matches(":modal");
    } catch {
      return false; // an engine without :modal
    }
  };
  return new Set([...document.querySelectorAll("dialog[open]"), ...seen].filter(modal));
}

async function open() {
  const settings = loadSettings(); // storage, read while the engine works
  let read;
  try {
    read = await readArticle(["html"]);
  } catch (err) {
    if (!String(err.message).includes(NO_ARTICLE)) throw err;
    return showNoArticle();
  }
  const { article, marks } = read;
  shown = read;
  const { host, shadow } = makeHost(HOST_STYLE, "reader");
  adoptStyles(shadow);
  const scroller = document.createElement("div");
  scroller.className = "lucid-reader";
  scroller.style.cssText = "position: absolute; inset: 0; overflow: auto; overscroll-behavior: contain;";
  shadow.append(scroller);
  const saved = { x: scrollX, y: scrollY, focus: document.activeElement };
  const ui = await mountReader(scroller, article, {
    onClose: () => close(),
    onSave: (format) => saveCopy(read, format, shadow),
    onLibrary: () => send({ type: MSG.OPEN_LIBRARY }),
    onOptions: () => send({ type: MSG.OPEN_OPTIONS }),
  }, { settings: await settings });
  const onKey = (e) => {
    if (e.key !== "Escape" || e.defaultPrevented || !e.isTrusted) return;
    e.preventDefault();
    e.stopImmediatePropagation();
    if (!ui.handleEscape()) close();
  };
  // Keys typed in the reader stay in the reader (pages bind single-letter shortcuts).
  for (const type of ["keydown", "keyup", "keypress"]) host.addEventListener(type, (e) => e.stopPropagation());
  addEventListener("keydown", onKey, true);
  marks.mounted = now();
  show(host);
  session = { host, ui, saved, onKey, unguard: guard(host, HOST_STYLE) };
  // Focus (which needs style and layout) waits for the frame that paints the reader. The marks
  // (epoch ms) are for the benchmark and the curious.
  requestAnimationFrame(() => {
    marks.painted = now();
    // A task queued here runs once this frame's style, layout and paint are done.
    setTimeout(() => {
      marks.framed = now();
      if (session?.host === host) ui.focus();
      host.dataset.lucidTiming = JSON.stringify(marks);
    });
  });
  return { state: "open", title: article.title, words: article.wordCount, ms: marks.replied - marks.start };
}

function showNoArticle() {
  showCard("No article found", "Lucid did not find an article on this page (it looks like a home page, a list or an app).");
  return { state: "no-article" };
}

/** A small notice card (top right) in its own shadow root; Esc, Close or a timeout dismiss it. */
function showCard(title, text, details = []) {
  if (session && !session.ui) close(); // replace an older card
  const { host, shadow } = makeHost(CARD_STYLE, "card");
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
  closeBtn.addEventListener("click", (e) => e.isTrusted && close());
  card.append(p, closeBtn);
  const onKey = (e) => { if (e.key === "Escape" && e.isTrusted) close(); };
  addEventListener("keydown", onKey, true);
  adoptStyles(shadow);
  loadSettings().then((s) => { card.dataset.theme = s.theme; });
  shadow.append(card);
  show(host);
  const timer = setTimeout(() => session?.host === host && close(), 8000);
  session = { host, ui: null, saved: { x: scrollX, y: scrollY, focus: null }, onKey, timer };
}

/** "Clean this page": strip prompts and locks in place (page-clean.js) and say what went. */
async function clean() {
  if (session) close();
  const find = async () => {
    // The engine finds prompts in a snapshot; findings point back at live elements by their
    // position in the snapshot's walk (the tag is checked too).
    const elements = [];
    const snap = snapshot(document, true, elements);
    const { value: found } = await callEngine({ op: "prompts", snapshot: snap });
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
  const { host, ui, saved, onKey, timer, unguard } = session;
  session = null;
  unguard?.();
  clearTimeout(timer);
  ui?.destroy();
  removeEventListener("keydown", onKey, true);
  host.remove();
  if (scrollX !== saved.x || scrollY !== saved.y) scrollTo(saved.x, saved.y);
  if (saved.focus?.isConnected) saved.focus.focus?.({ preventScroll: true });
  return { state: "closed" };
}

/** Renders the article in every format (the reader only needed HTML), inlines images (when the
 * extension may fetch them), downloads the file and adds it to the library. */
async function saveCopy(read, format, parent) {
  const { article } = await readArticle(["html", "markdown", "text"], read.snap);
  const { html, images } = await inlineImages(article.html || "");
  const record = toRecord(article, html, images);
  const settings = await loadSettings();
  const name = fileName(record.title, format);
  download(name, await fileContent(record, format, settings, READER_CSS), format, parent);
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
  const read = session?.ui ? shown : { snap: snapshot(document) };
  const parent = document.createElement("div"); // detached: the page's DOM is not touched
  const done = await saveCopy(read, "html", parent);
  const text = typeof done === "string" ? done : done.text;
  if (!session?.ui) showCard("Saved", text);
  else session.ui.say(text, done.action);
  return text;
}

async function inlineImages(html) {
  const body = parseInert(html); // our own sanitized output, in a document that loads nothing
  const imgs = [...body.querySelectorAll("img[src]")];
  const urls = imgs.map((img) => img.getAttribute("src")).filter((u) => /^https?:/i.test(u));
  if (!urls.length) return { html, images: { embedded: 0, linked: 0 } };
  // The page's own images from here (no extension privilege needed: the page loaded them); the
  // rest, and any that failed here, through the worker, without credentials.
  const own = urls.filter((u) => sameHost(u, location.href));
  const { dataUrls } = await fetchImages(own, location.href);
  const rest = urls.filter((u) => !dataUrls[u]);
  if (rest.length) Object.assign(dataUrls, unwrap(await send({ type: MSG.FETCH_IMAGES, urls: rest })).dataUrls);
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
  return { html: body.innerHTML, images: { embedded, linked } };
}

// Once per page: a second injection of this file finds the first one's state.
globalThis.lucidContent ??= Object.freeze({ run });
