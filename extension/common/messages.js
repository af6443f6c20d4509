// Message types exchanged between the content script, the service worker, the engine and the
// extension pages. Replies are plain data: { ok: true, value } or
// { ok: false, error: { name, message } }.
export const MSG = Object.freeze({
  /** engine document -> worker: listening, wasm compiled: leave new engine ports to it. */
  ENGINE_READY: "lucid/engine-ready",
  /** engine document -> worker: idle, closing now. */
  ENGINE_IDLE: "lucid/engine-idle",
  /** content -> worker: fetch these image URLs as data: URLs for a saved copy. */
  FETCH_IMAGES: "lucid/fetch-images",
  /** content -> worker: store a clean copy in the library. */
  LIBRARY_ADD: "lucid/library-add",
  /** any page -> worker: open the options page (optionally at an anchor). */
  OPEN_OPTIONS: "lucid/open-options",
  /** any page -> worker: open the library page. */
  OPEN_LIBRARY: "lucid/open-library",
});

/** What the worker asks of the content script in a tab (`lucidContent.run(action)`). */
export const ACTION = Object.freeze({
  /** Open the reader, or close it when it is open (toolbar button, Alt+Shift+R). */
  TOGGLE: "toggle",
  /** Open the reader (context menu). */
  OPEN: "open",
  /** Save a clean copy as HTML without opening anything (context menu). */
  SAVE: "save",
  /** Clean the page itself (Alt+Shift+U, context menu). */
  CLEAN: "clean",
});

/** Keyboard commands declared in manifest.json (besides `_execute_action`). */
export const COMMAND = Object.freeze({ CLEAN_PAGE: "clean-page" });

/** Error names that callers act on; the engine's come from `ExtractError::code` (error.rs). */
export const ERROR = Object.freeze({ NO_ARTICLE: "NoArticle" });

/** The BroadcastChannel on which the library announces changes to open library pages. */
export const LIBRARY_CHANNEL = "lucid-library";
/** The one message on it. */
export const LIBRARY_CHANGED = "changed";

/**
 * The port name content scripts use to reach the engine. On it: requests
 * `{ id, op: "extract" | "prompts", snapshot, options }`, replies
 * `{ id, ok, value | error, engineMs }`.
 */
export const ENGINE_PORT = "lucid/engine";

/** Turns a thrown value into reply data (never a live Error object). */
export function errorReply(err) {
  return { ok: false, error: { name: err?.name || "Error", message: err?.message || String(err) } };
}

/** Unwraps a reply: returns its value or throws an Error carrying its name and message. */
export function unwrap(reply) {
  if (reply?.ok) return reply.value;
  const err = new Error(reply?.error?.message || "no reply (the extension was reloaded?)");
  err.name = reply?.error?.name || "Error";
  throw err;
}
