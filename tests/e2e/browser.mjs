// Launches Debian's Chromium through playwright-core with the flags this machine needs (no
// network of its own, no sandbox as root) and blocks every request that is not to 127.0.0.1.
import { chromium } from "playwright-core";

export const CHROMIUM_ARGS = [
  "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];

export async function launch(extraArgs = []) {
  return chromium.launch({ executablePath: "/usr/bin/chromium", args: [...CHROMIUM_ARGS, ...extraArgs], headless: true });
}

/** Aborts any request whose host is not 127.0.0.1 (corpus pages reference the whole web). */
export async function localOnly(context) {
  await context.route("**/*", (route) => {
    const url = new URL(route.request().url());
    if (url.protocol === "data:" || url.protocol === "blob:" || url.hostname === "127.0.0.1") return route.continue();
    return route.abort();
  });
}
