// The reader's host element in the page: a custom element in the top layer whose closed shadow
// root holds the reader or a notice card, styled by the reader's stylesheet and kept on top while
// it is open (page script can reach the host element itself, never what is inside).
import { OWN_HOST } from "../common/snapshot.js";
import READER_CSS from "../reader/reader.css";

export const HOST_STYLE = [
  "all: initial", "position: fixed", "inset: 0", "width: 100vw", "height: 100vh", "max-width: none",
  "max-height: none", "margin: 0", "padding: 0", "border: 0", "display: block", "z-index: 2147483647",
  "overflow: hidden", "background: transparent", "color-scheme: normal",
].map((d) => `${d} !important`).join("; ");
export const CARD_STYLE = HOST_STYLE.replace("inset: 0", "inset: 16px 16px auto auto")
  .replace("width: 100vw", "width: min(380px, calc(100vw - 32px))").replace("height: 100vh", "height: auto");

let sheet = null;

/**
 * Gives a shadow root the reader's stylesheet (shipped inside this script). Shared by every root
 * in the page and parsed once, where the engine lets a content script adopt a constructed sheet;
 * older Firefox throws on that from a content script ("Accessing from Xray wrapper is not
 * supported"): there a `<style>` inside the root does the same — the root still keeps the page's
 * CSS out.
 */
export function adoptStyles(shadow) {
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
export function makeHost(style, kind) {
  const host = document.createElement(OWN_HOST);
  host.setAttribute("style", style);
  host.dataset.lucid = kind;
  // Closed: page script cannot reach the reader's content or controls through the host.
  const shadow = host.attachShadow({ mode: "closed" });
  host.setAttribute("popover", "manual");
  return { host, shadow };
}

export function show(host) {
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
 * closed while the reader is open and shown again when it closes. `isOpen()` says whether the
 * host is still the one on show. Returns a function that stops guarding.
 */
export function guard(host, style, isOpen) {
  let window0 = 0;
  let count = 0;
  let pending = false;
  const parked = new Set(); // the page's modal dialogs, closed while the reader is open
  const dialogs = new Set(); // dialogs seen opening (also those inside open shadow roots)
  const restore = () => {
    pending = false;
    if (!isOpen()) return;
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

