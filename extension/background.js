// Service worker: routes the toolbar button, the keyboard commands and the context menu to the
// content script, and serves the few things a page cannot do itself: starting the engine's
// context, fetching images for saved copies, writing the library. It may stop at any time: no
// state lives here. On Firefox this is the background page, and the engine lives right here.
import * as ext from "./common/ext.js";
import { addArticle } from "./common/library-db.js";
import { MSG, unwrap } from "./common/messages.js";
import { fetchImages } from "./common/images.js";
import { serveEngine } from "./engine/engine.js";

// Firefox: listen for engine ports at the top level, so that a connection wakes the page.
if (!ext.hasOffscreen()) serveEngine();

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
    await ext.flashBadge(tab.id, "!", `Lucid: ${err.message}`).catch(() => {});
    return null;
  }
}

// The click that opens the reader also starts the engine's context when it is absent, in
// parallel with injecting the content script (a click that closes the reader may start it
// needlessly; it closes again after its idle period).
const startEngine = () => ext.ensureEngine().catch(() => {});

ext.onActionClicked((tab) => {
  startEngine();
  return inTab(tab, "toggle");
});

ext.onCommand((command, tab) => {
  if (command === "clean-page" && tab) inTab(tab, "clean");
});

ext.onMenuClicked((info, tab) => {
  if (info.menuItemId === MENU.LIBRARY) return ext.openTab("library/library.html");
  const action = { [MENU.READ]: "open", [MENU.SAVE]: "save", [MENU.CLEAN]: "clean" }[info.menuItemId];
  if (action && tab) inTab(tab, action);
});

ext.serve({
  [MSG.START_ENGINE]: () => ext.ensureEngine(),
  [MSG.FETCH_IMAGES]: (msg) => fetchImages(msg.urls),
  [MSG.LIBRARY_ADD]: (msg) => addArticle(msg.record),
  [MSG.OPEN_OPTIONS]: (msg) => ext.openTab(`options/options.html${msg.anchor ? `#${msg.anchor}` : ""}`),
  [MSG.OPEN_LIBRARY]: (msg) => ext.openTab(`library/library.html${msg.id ? `#${msg.id}` : ""}`),
});
