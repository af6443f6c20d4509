// The one wrapper around the extension APIs: Chromium and Firefox differences and MV3 quirks
// live here. Everything else imports from this file instead of touching `chrome.*`.
import { errorReply } from "./messages.js";

const api = globalThis.browser ?? globalThis.chrome;


export const url = (path) => api.runtime.getURL(path);

// --- messages --------------------------------------------------------------------------------
export async function send(msg) {
  return api.runtime.sendMessage(msg);
}

/**
 * Serves messages from a table `{ [type]: async (msg, sender) => value }`. Replies are
 * `{ ok, value }` / `{ ok: false, error }`. Contexts share one channel (the worker and the
 * offscreen document both listen), so each answers only the types in its own table.
 */
export function serve(handlers) {
  api.runtime.onMessage.addListener((msg, sender, reply) => {
    const handle = handlers[msg?.type];
    // Only our own contexts and content scripts (no externally_connectable: defence in depth).
    if (!handle || sender?.id !== api.runtime.id) return false;
    Promise.resolve()
      .then(() => handle(msg, sender))
      .then((value) => reply({ ok: true, value }), (err) => reply(errorReply(err)));
    return true; // the reply is asynchronous: keep the channel open
  });
}

// --- storage ---------------------------------------------------------------------------------
export async function syncGet(key) {
  const got = await api.storage.sync.get(key);
  return got[key];
}

export async function syncSet(key, value) {
  await api.storage.sync.set({ [key]: value });
}

/** Calls `fn(newValue)` whenever `key` changes in sync storage; returns an unsubscribe function. */
export function onSyncChange(key, fn) {
  const listener = (changes, area) => {
    if (area === "sync" && changes[key]) fn(changes[key].newValue);
  };
  api.storage.onChanged.addListener(listener);
  return () => api.storage.onChanged.removeListener(listener);
}

// --- worker-side APIs ------------------------------------------------------------------------
export const onActionClicked = (fn) => api.action.onClicked.addListener(fn);
export const onCommand = (fn) => api.commands.onCommand.addListener(fn);
export const onInstalled = (fn) => api.runtime.onInstalled.addListener(fn);

export function createMenus(items) {
  api.contextMenus.removeAll(() => {
    for (const item of items) api.contextMenus.create(item);
  });
}

export const onMenuClicked = (fn) => api.contextMenus.onClicked.addListener(fn);

/** The content script, built into one classic file (build.sh bundles content.js and its imports). */
const CONTENT_SCRIPT = "pkg/content.js";

/**
 * Runs the content script's `run(action)` in the tab's top frame; resolves to its reply data.
 * The file defines `lucidContent` once per page (it keeps its state between clicks), so
 * injecting it again is a cheap no-op.
 */
export async function runInTab(tabId, action) {
  try {
    await api.scripting.executeScript({ target: { tabId }, files: [CONTENT_SCRIPT] });
  } catch {
    throw new Error(CANNOT_READ);
  }
  const [res] = await api.scripting.executeScript({
    target: { tabId },
    func: (act) => globalThis.lucidContent.run(act),
    args: [action],
  });
  // Our script always replies; no result means it never ran (Firefox resolves on pages that
  // extensions may not script, such as about: pages, instead of rejecting).
  if (res?.result === undefined) throw new Error(CANNOT_READ);
  return res.result;
}

const CANNOT_READ = "Lucid cannot read this page: browser pages and add-on stores are closed to extensions";

/** Opens a port to the engine (content scripts). */
export const connectEngine = (name) => api.runtime.connect({ name });

/** Shows a short badge on the toolbar button of one tab (errors such as "can't read here"). */
export async function flashBadge(tabId, text, title) {
  await api.action.setBadgeBackgroundColor({ tabId, color: "#b3261e" });
  await api.action.setBadgeText({ tabId, text });
  if (title) await api.action.setTitle({ tabId, title });
  setTimeout(() => {
    api.action.setBadgeText({ tabId, text: "" }).catch(() => {});
    api.action.setTitle({ tabId, title: null }).catch(() => {}); // null: back to the default
  }, 4000);
}

export const openTab = (path) => api.tabs.create({ url: url(path) });

// --- permissions (optional host access for embedding images in saved copies) ----------------
const ALL_SITES = { origins: ["http://*/*", "https://*/*"] };

/** Must run in a user gesture on an extension page (content scripts cannot ask). */
export const requestAllSites = () => api.permissions.request(ALL_SITES);
export const hasAllSites = () => api.permissions.contains(ALL_SITES);
export const dropAllSites = () => api.permissions.remove(ALL_SITES);
/** Calls `fn()` when the extension gains or loses a permission (here or in the browser's UI). */
export function onPermissionsChange(fn) {
  api.permissions.onAdded.addListener(fn);
  api.permissions.onRemoved.addListener(fn);
}

// --- the engine's home ------------------------------------------------------------------------
const OFFSCREEN_PATH = "engine/offscreen.html";
let creating = null;

/** Whether the engine lives in an offscreen document (Chromium) rather than right here in the
 * background page (Firefox). */
export const hasOffscreen = () => !!api.offscreen;

export const onConnect = (fn) => api.runtime.onConnect.addListener(fn);

/** Whether the engine's document said it is ready (kept in session storage, which outlives a
 * stopped worker), checked against the document still existing. */
let documentReady = null;

export async function engineDocumentReady() {
  const contexts = await api.runtime.getContexts({ contextTypes: ["OFFSCREEN_DOCUMENT"] });
  if (!contexts.length) return false;
  documentReady ??= !!(await api.storage.session.get("engineReady")).engineReady;
  return documentReady;
}

export async function setEngineDocumentReady(ready) {
  documentReady = ready;
  await api.storage.session.set({ engineReady: ready });
}

/**
 * Chromium: makes sure the offscreen document that hosts the engine exists (tests shorten its
 * idle period with `engineIdleMs` in local storage). Firefox: nothing to do, the background page
 * is the engine's home. The new document says when it is ready (`setEngineDocumentReady`).
 */
export async function ensureEngine() {
  if (!api.offscreen) return;
  const contexts = await api.runtime.getContexts({ contextTypes: ["OFFSCREEN_DOCUMENT"] });
  if (contexts.length) return;
  const { engineIdleMs } = await api.storage.local.get("engineIdleMs");
  creating ??= setEngineDocumentReady(false).then(() => api.offscreen.createDocument({
    url: engineIdleMs > 0 ? `${OFFSCREEN_PATH}?idle=${Number(engineIdleMs)}` : OFFSCREEN_PATH,
    reasons: ["DOM_PARSER"],
    justification: "Parse page snapshots into a document tree and extract the article, in one warm engine shared by all tabs.",
  })).finally(() => { creating = null; });
  await creating;
}
