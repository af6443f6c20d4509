// Runs the core on an HTML string with the browser's DOMParser. Used by the offscreen document
// (Chromium) and by the background page itself (Firefox) for pages whose CSP forbids wasm.
import init, { extractHtml } from "../pkg/lucid.js";

let ready = null;

export async function extractWithDomParser(html, url) {
  ready ??= init({ module_or_path: new URL("../pkg/lucid_bg.wasm", import.meta.url) });
  await ready;
  return extractHtml(html, url, {});
}
