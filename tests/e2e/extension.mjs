// Helpers for the extension's end-to-end tests: a test copy of the unpacked extension, Chromium
// launched with it (persistent profile: extensions need one), and the real toolbar listener.
//
// The test copy adds `host_permissions` for 127.0.0.1: in real use `activeTab` grants access
// when the user clicks, but `chrome.action.onClicked.dispatch()` is not a user gesture, so no
// grant happens in tests. Nothing else differs from the shipped extension.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { chromium } from "playwright-core";
import { CHROMIUM_ARGS } from "./browser.mjs";

export const ROOT = resolve(new URL("../..", import.meta.url).pathname);
export const ARTIFACTS = join(ROOT, "tests/e2e/artifacts");

/**
 * Copies extension/ to target/e2e-extension with host access to 127.0.0.1 (and to `more` hosts,
 * as if the user had allowed them on the options page); returns its path.
 */
export function testExtension(more = []) {
  const dir = join(ROOT, more.length ? "target/e2e-extension-hosts" : "target/e2e-extension");
  rmSync(dir, { recursive: true, force: true });
  cpSync(join(ROOT, "extension"), dir, { recursive: true, filter: (src) => !src.endsWith(".py") });
  const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8"));
  manifest.host_permissions = ["http://127.0.0.1/*", ...more.map((h) => `http://${h}/*`)];
  writeFileSync(join(dir, "manifest.json"), JSON.stringify(manifest, null, 2));
  return dir;
}

/** A fresh browser profile directory, removed when the test process exits. */
export function newProfile() {
  const dir = mkdtempSync(join(tmpdir(), "lucid-profile-"));
  process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Launches Chromium with the extension; resolves to { context, worker, id }. */
export async function launchWithExtension(extDir, profile) {
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: [...CHROMIUM_ARGS, `--disable-extensions-except=${extDir}`, `--load-extension=${extDir}`],
    viewport: { width: 1100, height: 800 },
    acceptDownloads: true,
  });
  await context.route("**/*", (route) => {
    const u = new URL(route.request().url());
    const local = ["127.0.0.1", "localhost"].includes(u.hostname) || ["data:", "blob:", "chrome-extension:", "file:"].includes(u.protocol);
    return local ? route.continue() : route.abort();
  });
  let [worker] = context.serviceWorkers();
  worker ??= await context.waitForEvent("serviceworker");
  const id = new URL(worker.url()).host;
  return { context, worker, id };
}

/** Clicks the toolbar button for the tab showing `page` (the real onClicked listener runs). */
export async function clickAction(worker, page) {
  const url = page.url();
  await worker.evaluate(async (u) => {
    const tabs = await chrome.tabs.query({});
    const tab = tabs.find((t) => t.url === u);
    if (!tab) throw new Error(`no tab with ${u} among ${tabs.map((t) => t.url).join(", ")}`);
    chrome.action.onClicked.dispatch(tab);
  }, url);
}

/**
 * The reader's shadow root is closed, so page script (and Playwright's locators) cannot reach it.
 * Tests reach it the way DevTools does: CDP resolves the host's shadow root, and functions run
 * with it as their first argument. Clicks are real mouse clicks at the control's position, so
 * they are trusted events, like the user's.
 */
export async function inReader(page, fn, arg) {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { root } = await cdp.send("DOM.getDocument", { depth: -1, pierce: true });
    const stack = [root];
    let shadow = null;
    while (stack.length && !shadow) {
      const node = stack.pop();
      if (node.localName === "lucid-reader" && node.shadowRoots?.length) shadow = node.shadowRoots[0];
      stack.push(...(node.children || []));
    }
    if (!shadow) return undefined;
    const { object } = await cdp.send("DOM.resolveNode", { backendNodeId: shadow.backendNodeId });
    const { result, exceptionDetails } = await cdp.send("Runtime.callFunctionOn", {
      objectId: object.objectId,
      functionDeclaration: `function (arg) { return (${fn})(this, arg); }`,
      arguments: [{ value: arg }],
      returnByValue: true,
      awaitPromise: true,
    });
    if (exceptionDetails) throw new Error(exceptionDetails.exception?.description || exceptionDetails.text);
    return result.value;
  } finally {
    await cdp.detach().catch(() => {});
  }
}

/** Polls `fn(root, arg)` inside the reader's shadow root until it is truthy; returns its value. */
export async function waitInReader(page, fn, arg, timeout = 20_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await inReader(page, fn, arg).catch(() => undefined);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting in the reader for ${fn}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A real mouse click on the reader's control matching `selector` (the last match with `last`). */
export async function clickInReader(page, selector, { last = false } = {}) {
  const box = await waitInReader(page, (root, [sel, useLast]) => {
    const all = root.querySelectorAll(sel);
    const el = useLast ? all[all.length - 1] : all[0];
    if (!el) return null;
    const r = el.getBoundingClientRect();
    return r.width && r.height ? { x: r.x + r.width / 2, y: r.y + r.height / 2 } : null;
  }, [selector, last], 5_000);
  await page.mouse.click(box.x, box.y);
}

/** Waits until the reader (or the no-article card) is showing, or until it is gone. */
export async function waitReader(page, state = "open") {
  if (state === "open") {
    await waitInReader(page, (root) => !!root.querySelector(".lucid-title, .lucid-card"));
  } else {
    await page.waitForFunction(() => !document.querySelector("lucid-reader"), null, { timeout: 20_000 });
  }
}

/** The reader's visible parts as plain data. */
export function readerState(page) {
  return inReader(page, (root) => {
    const q = (s) => root.querySelector(s);
    const reader = q(".lucid-reader");
    return {
      title: q(".lucid-title")?.textContent ?? null,
      meta: q(".lucid-meta")?.textContent ?? null,
      site: q(".lucid-site")?.textContent ?? null,
      body: q(".lucid-body")?.innerText ?? null,
      bodyHtml: q(".lucid-body")?.innerHTML ?? null,
      removed: q(".lucid-removed summary")?.textContent ?? null,
      truncated: q(".lucid-truncated")?.textContent ?? null,
      card: q(".lucid-card")?.textContent ?? null,
      theme: reader?.dataset.theme ?? null,
      font: reader?.dataset.font ?? null,
      size: reader?.style.getPropertyValue("--lucid-size") ?? null,
      bg: reader ? getComputedStyle(reader).backgroundColor : null,
      lang: q(".lucid-content")?.lang ?? null,
      dir: q(".lucid-content")?.dir ?? null,
    };
  }).then((v) => v ?? null);
}

/** The reader as tests drive it: `click(selector, { last })`, `wait(fn, arg)`, `eval(fn, arg)`. */
export function readerHandle(page) {
  return {
    click: (selector, options) => clickInReader(page, selector, options),
    wait: (fn, arg) => waitInReader(page, fn, arg),
    eval: (fn, arg) => inReader(page, fn, arg),
  };
}
