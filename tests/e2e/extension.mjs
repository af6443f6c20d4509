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

/** Copies extension/ to target/e2e-extension with 127.0.0.1 host access; returns its path. */
export function testExtension() {
  const dir = join(ROOT, "target/e2e-extension");
  rmSync(dir, { recursive: true, force: true });
  cpSync(join(ROOT, "extension"), dir, { recursive: true, filter: (src) => !src.endsWith(".py") });
  const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8"));
  manifest.host_permissions = ["http://127.0.0.1/*"];
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
    const local = ["127.0.0.1", "localhost"].includes(u.hostname) || ["data:", "blob:", "chrome-extension:"].includes(u.protocol);
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

/** Waits until the reader (or the no-article card) is showing, or until it is gone. */
export async function waitReader(page, state = "open") {
  if (state === "open") {
    await page.waitForFunction(() => document.querySelector("lucid-reader")?.shadowRoot?.querySelector(".lucid-title, .lucid-card"), null, { timeout: 20_000 });
  } else {
    await page.waitForFunction(() => !document.querySelector("lucid-reader"), null, { timeout: 20_000 });
  }
}

/** The reader's visible parts as plain data. */
export function readerState(page) {
  return page.evaluate(() => {
    const root = document.querySelector("lucid-reader")?.shadowRoot;
    if (!root) return null;
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
  });
}
