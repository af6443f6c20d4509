// The content script: the only code that touches the page. Injected on demand (toolbar button,
// command, context menu) as one classic file (build.sh bundles this module and its imports,
// the reader stylesheet included, into pkg/content.js); it defines `lucidContent` once per page,
// so its state survives between clicks. It snapshots the page, has the warm engine (another
// extension context) extract the article, shows the reader in a shadow root in the top layer,
// and puts everything back exactly as it was when the reader closes. No wasm runs in the page.
// Here: the worker's actions, the session (reader or notice card) and "Clean this page";
// content/host.js: the host element, its stylesheet and its guard; content/card.js: notice
// cards; content/save.js: saving.
import { send } from "./common/ext.js";
import { callEngine } from "./common/engine-client.js";
import { FORMATS } from "./common/export.js";
import { ACTION, ERROR, errorReply, MSG } from "./common/messages.js";
import { loadSettings } from "./common/settings.js";
import { snapshot } from "./common/snapshot.js";
import { buildCard, CARD_MS, cleanedSummary } from "./content/card.js";
import { adoptStyles, CARD_STYLE, guard, HOST_STYLE, makeHost, show } from "./content/host.js";
import { saveArticle } from "./content/save.js";
import { mountReader } from "./reader/reader-ui.js";
import { cleanPage } from "./page-clean.js";

/** What is on show, if anything: the reader or a notice card: { host, ui (reader only), saved
 * (scroll and focus to give back), onKey, timer (cards), unguard (reader) }. */
let session = null;
/** The article on show and the snapshot it came from (saves re-render it in all formats). */
let shown = null;

/** Entry point for the service worker (an `ACTION`); replies are plain data. */
async function run(action) {
  try {
    if (action === ACTION.TOGGLE) return ok(session ? close() : await open());
    if (action === ACTION.OPEN) return ok(session ? "open" : await open());
    if (action === ACTION.SAVE) return ok(await saveFromMenu());
    if (action === ACTION.CLEAN) return ok(await clean());
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

async function open() {
  const settings = loadSettings(); // storage, read while the engine works
  let read;
  try {
    read = await readArticle(["html"]);
  } catch (err) {
    if (err.name !== ERROR.NO_ARTICLE) throw err;
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
  session = { host, ui, saved, onKey, unguard: guard(host, HOST_STYLE, () => session?.host === host) };
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

/** A notice card (content/card.js) in its own shadow root; Esc, Close or a timeout dismiss it. */
function showCard(title, text, removed = []) {
  if (session && !session.ui) close(); // replace an older card
  const { host, shadow } = makeHost(CARD_STYLE, "card");
  const card = buildCard(title, text, removed, () => close());
  const onKey = (e) => { if (e.key === "Escape" && e.isTrusted) close(); };
  addEventListener("keydown", onKey, true);
  adoptStyles(shadow);
  loadSettings().then((s) => { card.dataset.theme = s.theme; });
  shadow.append(card);
  show(host);
  const timer = setTimeout(() => session?.host === host && close(), CARD_MS);
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

function showCleaned(tally) {
  const { title, text } = cleanedSummary(tally);
  showCard(title, text, tally.removed);
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

/** Renders the article in every format (the reader only needed HTML) and saves it. */
async function saveCopy(read, format, parent) {
  const { article } = await readArticle(Object.keys(FORMATS), read.snap);
  return saveArticle(article, format, parent);
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

// Once per page: a second injection of this file finds the first one's state.
globalThis.lucidContent ??= Object.freeze({ run });
