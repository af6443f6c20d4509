// The warm engine: one wasm instance for the reading session, in one extension context (the
// offscreen document on Chromium, the background page on Firefox). Content scripts connect one
// port per tab and send page snapshots; the engine extracts and renders (or finds prompts) and
// answers on the port. After IDLE_MS without a request it lets go: `onIdle` closes the context
// (Chromium) or, where the browser owns the context's lifetime (Firefox's event page), the ports
// are dropped so that nothing keeps it alive.
import init, { extractSnapshot, findPromptsSnapshot } from "../pkg/lucid.js";
import { ENGINE_PORT, errorReply } from "../common/messages.js";

/**
 * Why 5 minutes (measured by `./build.sh bench`, headless Chromium, 2-core VM): the document costs
 * the extension process ~20 MB PSS while alive; without it, a click is served by the worker's own
 * instance (55 ms median, warm 40 ms) or, once the browser has stopped the worker too, pays ~30 ms
 * more to wake it. Readers go from article to article within minutes; after 5 idle minutes the
 * next click is likely a new session, and an idle browser pays nothing.
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
 * Holds `port`'s messages while its owner decides (asynchronously) whether to serve it; call the
 * returned function to stop holding: it returns what arrived meanwhile.
 */
export function bufferPort(port) {
  const queued = [];
  const hold = (msg) => queued.push(msg);
  port.onMessage.addListener(hold);
  return () => {
    port.onMessage.removeListener(hold);
    return queued;
  };
}

/** Whether `port` is an engine port from our own content scripts (no externally_connectable). */
export const isEnginePort = (port) => port.name === ENGINE_PORT && port.sender?.id === api.runtime.id;

/**
 * An engine: `take(port)` serves a port, `warm()` compiles the wasm now. `idleMs` is the idle
 * period (tests shorten it); `onIdle()` is called once no request came for that long (its
 * ports are dropped first). `onServed()` is called after each reply.
 */
export function createEngine({ idleMs = IDLE_MS, onIdle = null, onServed = null } = {}) {
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
  /** Serves `port`; `queued` are messages that arrived before (see `bufferPort`). */
  const take = (port, queued = []) => {
    ports.add(port);
    wasm();
    port.onDisconnect.addListener(() => ports.delete(port));
    const handle = async (msg) => {
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
      onServed?.();
    };
    port.onMessage.addListener(handle);
    for (const msg of queued) handle(msg);
  };
  return { take, warm: wasm };
}

/**
 * Serves every engine port of this context (the offscreen document; Firefox's background page).
 * `onReady()` is called once the listener is up and the wasm compiled.
 */
export function serveEngine({ eager = false, onReady = null, ...options } = {}) {
  const engine = createEngine(options);
  api.runtime.onConnect.addListener((port) => {
    if (isEnginePort(port)) engine.take(port);
  });
  if (eager) engine.warm().then(() => onReady?.(), () => {});
}
