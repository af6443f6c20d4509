// The library: saved clean copies in IndexedDB, in the extension's own origin (the service
// worker writes, the library page reads). Two stores: `articles` holds whole records,
// `entries` a small summary plus a lower-cased search text, so listing and searching never
// load article bodies. One entry per URL: saving a page again replaces its copy.
import { LIBRARY_CHANGED, LIBRARY_CHANNEL } from "./messages.js";

const DB_NAME = "lucid-library";
const VERSION = 1;

/** Tells open library pages (same origin) that the library changed. */
function announce() {
  const channel = new BroadcastChannel(LIBRARY_CHANNEL);
  channel.postMessage(LIBRARY_CHANGED);
  channel.close();
}

/** Calls `fn()` whenever another context adds or deletes an article. */
export function onLibraryChange(fn) {
  const channel = new BroadcastChannel(LIBRARY_CHANNEL);
  channel.onmessage = (e) => { if (e.data === LIBRARY_CHANGED) fn(); };
  return () => channel.close();
}

let opening = null;

function open() {
  opening ??= new Promise((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, VERSION);
    req.onupgradeneeded = () => {
      const db = req.result;
      db.createObjectStore("articles", { keyPath: "id", autoIncrement: true });
      const entries = db.createObjectStore("entries", { keyPath: "id" });
      entries.createIndex("url", "url", { unique: false });
      entries.createIndex("savedAt", "savedAt");
    };
    req.onsuccess = () => {
      req.result.onversionchange = () => { req.result.close(); opening = null; };
      resolve(req.result);
    };
    req.onerror = () => { opening = null; reject(req.error); };
    req.onblocked = () => reject(new Error("the library database is busy in another tab"));
  });
  return opening;
}

const done = (req) => new Promise((resolve, reject) => {
  req.onsuccess = () => resolve(req.result);
  req.onerror = () => reject(req.error);
});

const finished = (tx) => new Promise((resolve, reject) => {
  tx.oncomplete = () => resolve();
  tx.onerror = () => reject(tx.error);
  tx.onabort = () => reject(tx.error || new Error("library write aborted"));
});

function entryOf(id, r) {
  return {
    id, url: r.url, title: r.title, siteName: r.siteName, byline: r.byline, savedAt: r.savedAt,
    wordCount: r.wordCount, excerpt: r.excerpt,
    search: [r.title, r.siteName, r.byline, r.url, r.text].filter(Boolean).join("\n").toLowerCase(),
  };
}

const TEXT_FIELDS = ["url", "title", "byline", "siteName", "published", "excerpt", "lang", "dir", "truncatedReason", "savedAt"];
const BODY_FIELDS = ["html", "markdown", "text"];

/**
 * A record as the library stores it, rebuilt from what the caller sent: only known fields, each
 * of its type (a caller cannot choose the `id`, so it cannot overwrite another entry). Throws on
 * anything that is not a saved article.
 */
export function validRecord(r) {
  if (!r || typeof r !== "object") throw new TypeError("not a library record");
  const out = {};
  for (const k of [...TEXT_FIELDS, ...BODY_FIELDS]) {
    const v = r[k];
    if (v != null && typeof v !== "string") throw new TypeError(`record field ${k} is not text`);
    out[k] = v ?? (BODY_FIELDS.includes(k) ? "" : null);
  }
  if (out.url && !/^(https?|file):/i.test(out.url)) throw new TypeError("a saved article comes from a web page");
  out.title ||= "Untitled";
  if (!out.savedAt || Number.isNaN(Date.parse(out.savedAt))) out.savedAt = new Date().toISOString();
  for (const k of ["wordCount", "readingMinutes"]) out[k] = Number.isFinite(r[k]) && r[k] >= 0 ? Math.floor(r[k]) : 0;
  out.truncated = r.truncated === true;
  const count = (x) => (Number.isFinite(x) && x >= 0 ? Math.floor(x) : 0);
  out.images = { embedded: count(r.images?.embedded), linked: count(r.images?.linked) };
  return out;
}

/** Stores a record (replacing an earlier copy of the same URL); resolves to its id. */
export async function addArticle(untrusted) {
  const record = validRecord(untrusted);
  const db = await open();
  const tx = db.transaction(["articles", "entries"], "readwrite");
  const entries = tx.objectStore("entries");
  const articles = tx.objectStore("articles");
  const earlier = record.url ? await done(entries.index("url").getAll(record.url)) : [];
  const full = { ...record };
  if (earlier.length) full.id = earlier[0].id;
  for (const e of earlier.slice(1)) {
    entries.delete(e.id);
    articles.delete(e.id);
  }
  const id = await done(articles.put(full));
  entries.put(entryOf(id, record));
  await finished(tx);
  announce();
  return id;
}

/** Summaries, newest first; `query` keeps entries containing every word of it. */
export async function listEntries(query = "") {
  const db = await open();
  const all = await done(db.transaction("entries").objectStore("entries").getAll());
  const terms = query.toLowerCase().split(/\s+/).filter(Boolean);
  return all
    .filter((e) => terms.every((t) => e.search.includes(t)))
    .sort((a, b) => (a.savedAt < b.savedAt ? 1 : -1))
    .map(({ search, ...e }) => ({ ...e, snippet: terms.length ? snippet(search, terms[0]) : "" }));
}

export async function getArticle(id) {
  const db = await open();
  return done(db.transaction("articles").objectStore("articles").get(Number(id)));
}

export async function deleteArticle(id) {
  const db = await open();
  const tx = db.transaction(["articles", "entries"], "readwrite");
  tx.objectStore("articles").delete(Number(id));
  tx.objectStore("entries").delete(Number(id));
  await finished(tx);
  announce();
}

function snippet(text, term) {
  const at = text.indexOf(term);
  if (at < 0) return "";
  const start = Math.max(0, at - 60);
  return `${start ? "…" : ""}${text.slice(start, at + term.length + 80).replace(/\s+/g, " ").trim()}…`;
}
