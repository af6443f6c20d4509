// Runs the core on an HTML string with the browser's DOMParser. Used by the offscreen document
// (Chromium) and by the background page itself (Firefox) for pages whose CSP forbids wasm.
import init, { extractHtml, findPromptsHtml } from "../pkg/lucid.js";

let ready = null;

const wasm = () => (ready ??= init({ module_or_path: new URL("../pkg/lucid_bg.wasm", import.meta.url) }));

export async function extractWithDomParser(html, url) {
  await wasm();
  return extractHtml(html, url, {});
}

/** Paywall findings for "Clean this page", located by element ordinal (see findPromptsHtml). */
export async function findPromptsWithDomParser(html) {
  await wasm();
  return findPromptsHtml(html);
}
