// Service worker: routes the toolbar button, the keyboard commands and the context menu to the
// content script, and serves the few things a page cannot do itself: starting the engine's
// context, fetching images for saved copies, writing the library. It may stop at any time: no
// state lives here. On Firefox this is the background page, and the engine lives right here.
import * as ext from "./common/ext.js";
import { addArticle } from "./common/library-db.js";
import { ACTION, COMMAND, MSG, unwrap } from "./common/messages.js";
import { fetchImages } from "./common/images.js";
import { bufferPort, createEngine, isEnginePort, serveEngine } from "./engine/engine.js";

// The engine. Firefox: right here, in the background page, for every port (the listener is at the
// top level, so that a connection wakes the page). Chromium: a session's first click is served
// here, by the worker that is running anyway (creating a document costs ~100 ms before its wasm
// is ready); then the offscreen document is created, off the click's path, and once it is ready
// new ports are left to it. The worker's own instance goes when the browser stops the worker.
let local = null;
if (!ext.hasOffscreen()) {
  serveEngine();
} else {
  let scheduled = false;
  const startDocument = () => {
    if (scheduled) return;
    scheduled = true;
    setTimeout(() => { scheduled = false; ext.ensureEngine().catch(() => {}); }, DOCUMENT_DELAY_MS);
  };
  local = createEngine({ onServed: startDocument });
  ext.onConnect(async (port) => {
    if (!isEnginePort(port)) return;
    const release = bufferPort(port);
    const ready = await ext.engineDocumentReady().catch(() => false);
    const queued = release();
    if (!ready) return local.take(port, queued);
    // The document serves this port. Closing this end would close the port for the tab too:
    // keep it, and close it when the document goes idle (so the tab sees its engine gone).
    leftToDocument.add(port);
    port.onDisconnect.addListener(() => leftToDocument.delete(port));
  });
}

/** Ports this worker left to the engine's document. */
const leftToDocument = new Set();

function documentIdle() {
  for (const port of leftToDocument) port.disconnect();
  leftToDocument.clear();
  return ext.setEngineDocumentReady(false);
}

/** After the worker served a click, the document is created this much later (not during the
 * reader's mount). */
const DOCUMENT_DELAY_MS = 1000;

const MENU = { READ: "lucid-read", SAVE: "lucid-save", CLEAN: "lucid-clean", LIBRARY: "lucid-library" };

ext.onInstalled(() => {
  ext.createMenus([
    { id: MENU.READ, title: "Open in Lucid reader", contexts: ["page", "selection"] },
    { id: MENU.SAVE, title: "Save a clean copy to the Lucid library", contexts: ["page", "selection"] },
    { id: MENU.CLEAN, title: "Clean this page (remove sign-up prompts)", contexts: ["page"] },
    { id: MENU.LIBRARY, title: "Open the Lucid library", contexts: ["action"] },
  ]);
});

async function inTab(tab, action) {
  try {
    const reply = await ext.runInTab(tab.id, action);
    return unwrap(reply);
  } catch (err) {
    // Pages extensions may not script (browser pages, the web store) or a failed extraction.
    const title = err.message.startsWith("Lucid") ? err.message : `Lucid: ${err.message}`;
    await ext.flashBadge(tab.id, "!", title).catch(() => {});
    return null;
  }
}

// Without a ready engine document, the worker compiles its own wasm while the content script is
// injected and snapshots the page (a click that closes the reader may compile it needlessly).
const warmLocal = () => ext.engineDocumentReady().then((ready) => ready || local?.warm(), () => {});

ext.onActionClicked((tab) => {
  if (local) warmLocal();
  return inTab(tab, ACTION.TOGGLE);
});

ext.onCommand((command, tab) => {
  if (command === COMMAND.CLEAN_PAGE && tab) inTab(tab, ACTION.CLEAN);
});

ext.onMenuClicked((info, tab) => {
  if (info.menuItemId === MENU.LIBRARY) return ext.openTab("library/library.html");
  const action = { [MENU.READ]: ACTION.OPEN, [MENU.SAVE]: ACTION.SAVE, [MENU.CLEAN]: ACTION.CLEAN }[info.menuItemId];
  if (action && tab) inTab(tab, action);
});

ext.serve({
  [MSG.ENGINE_READY]: () => ext.setEngineDocumentReady(true),
  [MSG.ENGINE_IDLE]: () => documentIdle(),
  [MSG.FETCH_IMAGES]: (msg, sender) => fetchImages(msg.urls, sender.url),
  [MSG.LIBRARY_ADD]: (msg) => addArticle(msg.record),
  [MSG.OPEN_OPTIONS]: (msg) => ext.openTab(`options/options.html${msg.anchor ? `#${msg.anchor}` : ""}`),
  [MSG.OPEN_LIBRARY]: (msg) => ext.openTab(`library/library.html${msg.id ? `#${msg.id}` : ""}`),
});
