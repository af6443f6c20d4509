// The offscreen document (Chromium): home of the warm engine for the reading session. The
// service worker creates it after serving a session's first click itself; once its wasm is ready
// it tells the worker, which from then on leaves new ports to it. It closes itself after the
// idle period (`?idle=ms` overrides it), telling the worker first.
import { serveEngine } from "./engine.js";
import { MSG } from "../common/messages.js";

const api = globalThis.chrome;
const tell = (type) => api.runtime.sendMessage({ type }).catch(() => {});
const idle = Number(new URLSearchParams(location.search).get("idle"));
serveEngine({
  idleMs: idle > 0 ? idle : undefined,
  eager: true,
  onReady: () => tell(MSG.ENGINE_READY),
  onIdle: () => tell(MSG.ENGINE_IDLE).finally(() => close()),
});
