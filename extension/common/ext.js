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
    if (!handle) return false;
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

/** Runs `content.js`'s `run(action)` in the tab's top frame; resolves to its reply data. */
export async function runInTab(tabId, action) {
  const [res] = await api.scripting.executeScript({
    target: { tabId },
    func: (moduleUrl, act) => import(moduleUrl).then((m) => m.run(act)),
    args: [api.runtime.getURL("content.js"), action],
  });
  return res?.result;
}

/** Shows a short badge on the toolbar button of one tab (errors such as "can't read here"). */
export async function flashBadge(tabId, text, title) {
  await api.action.setBadgeBackgroundColor({ tabId, color: "#b3261e" });
  await api.action.setBadgeText({ tabId, text });
  if (title) await api.action.setTitle({ tabId, title });
  setTimeout(() => {
    api.action.setBadgeText({ tabId, text: "" }).catch(() => {});
    api.action.setTitle({ tabId, title: "" }).catch(() => {});
  }, 4000);
}

export const openTab = (path) => api.tabs.create({ url: url(path) });

// --- permissions (optional host access for embedding images in saved copies) ----------------
const ALL_SITES = { origins: ["http://*/*", "https://*/*"] };

/** Must run in a user gesture on an extension page (content scripts cannot ask). */
export const requestAllSites = () => api.permissions.request(ALL_SITES);
export const hasAllSites = () => api.permissions.contains(ALL_SITES);
export const dropAllSites = () => api.permissions.remove(ALL_SITES);

// --- running the core where the page's CSP cannot stop it -------------------------------------
const OFFSCREEN_PATH = "offscreen/offscreen.html";
let creating = null;

/**
 * Chromium: an offscreen document (DOMParser, wasm allowed by our own CSP), created on demand.
 * Firefox: the background page has a DOM, so the caller runs the core right there.
 * Returns true when an offscreen document is ready, false when the caller should run it itself.
 */
export async function ensureOffscreen() {
  if (!api.offscreen) return false;
  const contexts = await api.runtime.getContexts({ contextTypes: ["OFFSCREEN_DOCUMENT"] });
  if (contexts.length) return true;
  creating ??= api.offscreen.createDocument({
    url: OFFSCREEN_PATH,
    reasons: ["DOM_PARSER"],
    justification: "Parse a page's HTML with DOMParser when the page's CSP forbids WebAssembly in the content script.",
  }).finally(() => { creating = null; });
  await creating;
  return true;
}
