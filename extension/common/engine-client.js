// The content script's side of the warm engine: one port per tab, requests matched to replies
// by id. Connecting wakes the service worker, which serves the port itself or leaves it to the
// engine's document. A port can be cut (the document closed after its idle period, the worker was
// stopped): a request that finds no engine reconnects and tries again, for a bounded time.
import { connectEngine } from "./ext.js";
import { ENGINE_PORT, unwrap } from "./messages.js";

const GIVE_UP_MS = 20_000;
const RETRY_MS = [0, 5, 10, 20, 40, 80, 160, 320];

let port = null;
let nextId = 1;
const pending = new Map();

function open() {
  const p = connectEngine(ENGINE_PORT);
  p.onMessage.addListener((reply) => {
    const waiter = pending.get(reply?.id);
    if (!waiter) return;
    pending.delete(reply.id);
    waiter.resolve(reply);
  });
  p.onDisconnect.addListener(() => {
    if (port === p) port = null;
    // Requests still waiting on this port will not be answered: let them retry.
    for (const [id, waiter] of pending) {
      if (waiter.port === p) {
        pending.delete(id);
        waiter.reject(new Error("engine disconnected"));
      }
    }
  });
  return p;
}

function attempt(request) {
  port ??= open();
  const id = nextId++;
  const p = port;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject, port: p });
    try {
      p.postMessage({ ...request, id });
    } catch (err) {
      pending.delete(id);
      if (port === p) port = null;
      reject(err);
    }
  });
}

/**
 * Sends `request` (`{ op, snapshot, options }`) to the engine; resolves to `{ value, marks }`:
 * the reply's value (checked) and when it was sent, received, done and answered (epoch ms).
 */
export async function callEngine(request) {
  const t0 = performance.now();
  for (let i = 0; ; i++) {
    const sentAt = performance.timeOrigin + performance.now();
    try {
      const reply = await attempt(request);
      const repliedAt = performance.timeOrigin + performance.now();
      const { engineMs, receivedAt, doneAt, bornAt, wasmAt } = reply;
      return { value: unwrap(reply), marks: { sent: sentAt, replied: repliedAt, engineMs, received: receivedAt, done: doneAt, engineBorn: bornAt, wasmReady: wasmAt } };
    } catch (err) {
      if (err.message !== "engine disconnected" || performance.now() - t0 > GIVE_UP_MS) throw err;
      await new Promise((r) => setTimeout(r, RETRY_MS[Math.min(i, RETRY_MS.length - 1)]));
    }
  }
}
