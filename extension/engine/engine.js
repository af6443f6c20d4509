// The warm engine: one wasm instance for the reading session, in one extension context (the
// offscreen document on Chromium, the background page on Firefox). Content scripts connect one
// port per tab and send page snapshots; the engine extracts and renders (or finds prompts) and
// answers on the port. After IDLE_MS without a request it lets go: `onIdle` closes the context
// (Chromium) or, where the browser owns the context's lifetime (Firefox's event page), the ports
// are dropped so that nothing keeps it alive.
import init, { extractSnapshot, findPromptsSnapshot } from "../pkg/lucid.js";
import { ENGINE_PORT, errorReply } from "../common/messages.js";

/**
 * Why 5 minutes (measured by `./build.sh bench`, headless Chromium, 2-core VM): a click that must
 * create the engine paints the reader in 134 ms median instead of 43 ms, while a warm engine
 * costs the extension process 16–26 MB PSS. Readers go from article to article within minutes;
 * after 5 idle minutes the next click is likely a new session, and an idle browser pays nothing.
 */
export const IDLE_MS = 5 * 60_000;

const api = globalThis.browser ?? globalThis.chrome;
/** Epoch milliseconds, comparable with the content script's marks. */
const now = () => performance.timeOrigin + performance.now();
/** When this context started and when its wasm was ready (for the benchmark's breakdown). */
const life = { bornAt: performance.timeOrigin, wasmAt: null };
let ready = null;
const wasm = () => (ready ??= init({ module_or_path: new URL("../pkg/lucid_bg.wasm", import.meta.url) })
  .then(() => { life.wasmAt = now(); }));

const OPS = {
  extract: ({ snapshot: s, options }) => extractSnapshot(s.html, s.codes, s.records, s.page, options ?? {}),
  prompts: ({ snapshot: s }) => findPromptsSnapshot(s.html, s.codes, s.records, s.page),
};

/**
 * Serves engine ports. `idleMs` overrides the idle period (tests); `onIdle()` is called once
 * the engine has been idle that long; `eager` compiles the wasm at once (the context exists only
 * for the engine) instead of on the first request.
 */
export function serveEngine({ idleMs = IDLE_MS, onIdle = null, eager = false } = {}) {
  const ports = new Set();
  let timer = null;
  let busy = 0;
  const idle = () => {
    if (busy) return;
    for (const port of ports) port.disconnect();
    ports.clear();
    onIdle?.();
  };
  const touch = () => {
    clearTimeout(timer);
    timer = setTimeout(idle, idleMs);
  };
  touch();
  if (eager) wasm(); // compile while the content script snapshots the page
  api.runtime.onConnect.addListener((port) => {
    // Only our own content scripts and pages can connect (no externally_connectable).
    if (port.name !== ENGINE_PORT || port.sender?.id !== api.runtime.id) return;
    ports.add(port);
    wasm();
    port.onDisconnect.addListener(() => ports.delete(port));
    port.onMessage.addListener(async (msg) => {
      const receivedAt = now();
      busy += 1;
      touch();
      const t0 = performance.now();
      let reply;
      try {
        const op = OPS[msg?.op];
        if (!op) throw new Error(`unknown engine operation ${msg?.op}`);
        await wasm();
        const value = op(msg);
        reply = { id: msg.id, ok: true, value, engineMs: performance.now() - t0, receivedAt, doneAt: now(), ...life };
      } catch (err) {
        reply = { id: msg?.id, ...errorReply(err) };
      } finally {
        busy -= 1;
        touch();
      }
      try {
        port.postMessage(reply);
      } catch {
        // The tab went away meanwhile.
      }
    });
  });
}
