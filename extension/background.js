// Service worker: routes the toolbar button, the keyboard commands and the context menu to the
// content script, and serves the few things a page cannot do itself: running the core when the
// page's CSP blocks WebAssembly, fetching images for saved copies, writing the library.
// It may stop at any time: no state lives here.
import * as ext from "./common/ext.js";
import { addArticle } from "./common/library-db.js";
import { MSG, unwrap } from "./common/messages.js";
import { fetchImages } from "./common/images.js";

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

ext.onActionClicked((tab) => inTab(tab, "toggle"));

ext.onCommand((command, tab) => {
  if (command === "clean-page" && tab) inTab(tab, "clean");
});

ext.onMenuClicked((info, tab) => {
  if (info.menuItemId === MENU.LIBRARY) return ext.openTab("library/library.html");
  const action = { [MENU.READ]: "open", [MENU.SAVE]: "save", [MENU.CLEAN]: "clean" }[info.menuItemId];
  if (action && tab) inTab(tab, action);
});

/**
 * Runs the core on a page's HTML where the page's CSP cannot forbid wasm: the offscreen document
 * (Chromium, message `offscreenType`) or, on Firefox, right here (`core.js`'s `local` function:
 * the background page has a DOM of its own).
 */
async function elsewhere(msg, offscreenType, local) {
  if (await ext.ensureOffscreen()) return unwrap(await ext.send({ ...msg, type: offscreenType }));
  const core = await import("./offscreen/core.js");
  return core[local](msg.html, msg.url);
}

ext.serve({
  [MSG.EXTRACT_HTML]: (msg) => elsewhere(msg, MSG.OFFSCREEN_EXTRACT, "extractWithDomParser"),
  [MSG.FIND_PROMPTS_HTML]: (msg) => elsewhere(msg, MSG.OFFSCREEN_FIND_PROMPTS, "findPromptsWithDomParser"),
  [MSG.FETCH_IMAGES]: (msg) => fetchImages(msg.urls),
  [MSG.LIBRARY_ADD]: (msg) => addArticle(msg.record),
  [MSG.OPEN_OPTIONS]: (msg) => ext.openTab(`options/options.html${msg.anchor ? `#${msg.anchor}` : ""}`),
  [MSG.OPEN_LIBRARY]: (msg) => ext.openTab(`library/library.html${msg.id ? `#${msg.id}` : ""}`),
});
