// The offscreen document (Chromium): home of the warm engine. Created by the service worker on
// the first click of a session; closes itself after the idle period (`?idle=ms` overrides it).
import { serveEngine } from "./engine.js";

const idle = Number(new URLSearchParams(location.search).get("idle"));
serveEngine({ idleMs: idle > 0 ? idle : undefined, onIdle: () => close(), eager: true });
