// The extension in a real Firefox (LUCID_FIREFOX: the binary; build.sh runs this file on Debian's
// current ESR and on the oldest ESR Lucid claims), installed from target/firefox-extension (the
// Firefox build of extension/) as a temporary add-on, with no test-only permission: features are
// triggered through Firefox's own UI — a real click on the toolbar button (which grants
// activeTab, as the user's does), real Alt+Shift+R / Alt+Shift+U / Esc key presses, real
// context-menu clicks, real clicks on the permission prompt. Pages come from 127.0.0.1.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { SHARED, startServer } from "../e2e/serve.mjs";
import { f1, htmlText } from "../e2e/text-metrics.mjs";
import { ADDON_UUID, startFirefox } from "./gecko.mjs";

const ROOT = new URL("../..", import.meta.url).pathname;
const BINARY = process.env.LUCID_FIREFOX || "/usr/bin/firefox-esr";
const STRICT_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'";
/** The background page stops after this many idle milliseconds (Firefox's default: 30 s; more
 * than the 4 s an error badge shows, whose reset is a timer in the background page). */
const IDLE_MS = 6000;
const EXT = `moz-extension://${ADDON_UUID}`;
let server;
let ff;
let downloads;

before(async () => {
  server = await startServer({
    headers: (u) => (u.includes("csp=strict") ? { "content-security-policy": STRICT_CSP } : u.includes("csp=inline") ? { "content-security-policy": "script-src 'self' 'unsafe-inline'" } : {}),
  });
  downloads = mkdtempSync(join(tmpdir(), "lucid-ff-downloads-"));
  ff = await startFirefox({
    binary: BINARY,
    addonDir: join(ROOT, "target/firefox-extension"),
    downloads,
    prefs: { "extensions.background.idle.timeout": IDLE_MS },
  });
  console.log(`# Firefox ${ff.version}`);
});

after(async () => {
  await ff?.quit();
  await server?.close();
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function until(fn, what, timeout = 20_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await fn().catch(() => null);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/** The text of the reader's first `selector` (null when the reader or the element is missing). */
async function readerText(selector) {
  const [el] = (await ff.findInReader(selector)) ?? [];
  return el ? ff.text(el) : null;
}

async function readerOpen() {
  return until(() => readerText(".lucid-title, .lucid-card"), "the reader");
}

async function readerClosed() {
  await until(async () => !(await ff.exec("return !!document.querySelector('lucid-reader')")), "the reader to close");
}

async function clickReader(selector) {
  const [el] = await until(async () => {
    const found = await ff.findInReader(selector);
    return found?.length ? found : null;
  }, selector);
  await ff.click(el);
}

function nativeArticle(file, url) {
  return JSON.parse(execFileSync(join(ROOT, "target/release/lucid"), [file, "--url", url, "--format", "json"], { maxBuffer: 64 << 20 }));
}

async function waitDownload(name) {
  const file = join(downloads, name);
  await until(async () => existsSync(file) && readFileSync(file).length > 0 && !existsSync(`${file}.part`), `download ${name}`);
  await sleep(200);
  return readFileSync(file, "utf8");
}

test("reader on corpus pages: title and text as the native engine reads them; toggle and Esc restore the page", async () => {
  for (const id of ["guardian-1", "bbc-1", "lemonde-1", "wikipedia"]) {
    const path = `/corpus/readability/${id}/source.html`;
    await ff.goto(`${server.url}${path}`);
    await ff.exec("scrollTo(0, 900)");
    const before = await ff.exec("return { html: document.documentElement.outerHTML, y: scrollY }");
    await ff.clickToolbar();
    const title = await readerOpen();
    const native = nativeArticle(join(SHARED, "corpus/readability", id, "source.html"), `${server.url}${path}`);
    assert.equal(title, native.title, `${id}: title`);
    const body = await readerText(".lucid-body");
    const score = f1(body, native.text);
    assert.ok(score >= 0.95, `${id}: body text F1 ${score.toFixed(3)} against the native engine's`);
    assert.match(await readerText(".lucid-meta"), /\d+ min read/);
    const how = id === "bbc-1" ? "esc" : "toolbar";
    if (how === "esc") await ff.press(["Escape"], "content");
    else await ff.clickToolbar();
    await readerClosed();
    const now = await ff.exec("return { html: document.documentElement.outerHTML, y: scrollY }");
    assert.equal(now.html, before.html, `${id}: DOM identical after closing with ${how}`);
    assert.equal(now.y, before.y, `${id}: scroll kept`);
  }
});

test("the reader is styled, and page script cannot reach it; Alt+Shift+R toggles it", async () => {
  await ff.goto(`${server.url}/samples/sea-walk.html?csp=strict`);
  await ff.press(["Alt", "Shift", "r"]);
  assert.equal(await readerOpen(), "A Winter Walk Along the Sea Wall");
  const [reader] = await ff.findInReader(".lucid-reader");
  const bg = await ff.call("GET", `/element/${reader}/css/background-color`);
  assert.notEqual(bg, "rgba(0, 0, 0, 0)", "the reader's stylesheet applies (strict-CSP page)");
  assert.deepEqual(await ff.exec("const h = document.querySelector('lucid-reader'); return [h.shadowRoot, h.textContent]"), [null, ""]);
  await ff.press(["Alt", "Shift", "r"]);
  await readerClosed();
});

test("save from the reader and from the context menu: files and library", async () => {
  await ff.goto(`${server.url}/e2e/hostile.html`);
  await ff.clickToolbar();
  await readerOpen();
  await clickReader(".lucid-save-button");
  await clickReader(".lucid-menuitem[data-format=html]");
  const html = await waitDownload("How the harbour lights were restored.html");
  assert.match(html, /For thirty years the three lights/);
  assert.match(html, /<img [^>]*src="data:image\/png;base64,/, "the page's own image is embedded");
  assert.doesNotMatch(html, /<script|\son[a-z]+=|javascript:/i);
  await until(async () => /library/.test(await readerText(".lucid-status")), "the saved status");
  await clickReader(".lucid-save-button");
  await clickReader(".lucid-menuitem[data-format=markdown]");
  assert.match(await waitDownload("How the harbour lights were restored.md"), /^---\ntitle: "How the harbour lights were restored"/);
  await ff.press(["Escape"], "content");
  await readerClosed();

  await ff.goto(`${server.url}/samples/sea-walk.html`);
  await ff.contextMenu("lucid-save");
  assert.match(await waitDownload("A Winter Walk Along the Sea Wall.html"), /oystercatchers/);
  await until(async () => /Saved/.test(await readerText(".lucid-card")), "the saved card");
});

test("library: list, search, reopen, delete", async () => {
  await ff.goto(`${EXT}/library/library.html`);
  await until(() => ff.exec("return document.body.dataset.ready === '1' && document.querySelectorAll('.entry').length === 2"), "two entries");
  const q = (await ff.call("POST", "/element", { using: "css selector", value: "#q" }))["element-6066-11e4-a52e-4f735466cecf"];
  await ff.call("POST", `/element/${q}/value`, { text: "oystercatchers" });
  await until(() => ff.exec("return [...document.querySelectorAll('.entry-title')].map((e) => e.textContent).join('|') === 'A Winter Walk Along the Sea Wall'"), "the search result");
  const title = (await ff.call("POST", "/element", { using: "css selector", value: ".entry-title" }))["element-6066-11e4-a52e-4f735466cecf"];
  await ff.click(title);
  await until(() => ff.exec("return document.querySelector('.lucid-title')?.textContent === 'A Winter Walk Along the Sea Wall'"), "the reopened article");
  assert.match(await ff.exec("return document.querySelector('.lucid-body').textContent"), /oystercatchers/);
  await ff.goto(`${EXT}/library/library.html`);
  await until(() => ff.exec("return document.querySelectorAll('.entry').length === 2"), "the list");
  const del = async () => ff.click((await ff.call("POST", "/element", { using: "css selector", value: ".entry .danger" }))["element-6066-11e4-a52e-4f735466cecf"]);
  await del();
  await del(); // the first click only arms the button
  await until(() => ff.exec("return document.querySelectorAll('.entry').length === 1"), "one entry left");
});

test("options: settings persist; the image permission prompt appears, and saved copies then embed other sites' images", async () => {
  await ff.goto(`${EXT}/options/options.html`);
  await until(() => ff.exec("return document.getElementById('images-toggle').textContent === 'Allow fetching images'"), "the options page");
  await ff.click((await ff.call("POST", "/element", { using: "css selector", value: "#opt-theme option[value=sepia]" }))["element-6066-11e4-a52e-4f735466cecf"]);
  await ff.goto(`${EXT}/options/options.html`);
  await until(() => ff.exec("return document.getElementById('opt-theme').value === 'sepia'"), "the theme kept after a reload");

  await ff.click((await ff.call("POST", "/element", { using: "css selector", value: "#images-toggle" }))["element-6066-11e4-a52e-4f735466cecf"]);
  // Firefox's own prompt (a doorhanger in the browser's UI): its Allow button, as the user presses it.
  await ff.inChrome(async () => {
    await until(() => ff.exec("return !!document.querySelector('#addon-webext-permissions-notification .popup-notification-primary-button')"), "the permission prompt");
    await ff.exec("document.querySelector('#addon-webext-permissions-notification .popup-notification-primary-button').click()");
  });
  await until(() => ff.exec("return document.getElementById('images-toggle').textContent === 'Stop fetching images'"), "the permission granted");

  await ff.goto(`${server.url}/e2e/two-hosts.html`);
  await ff.clickToolbar();
  await readerOpen();
  assert.equal(await ff.call("GET", `/element/${(await ff.findInReader(".lucid-reader"))[0]}/attribute/data-theme`), "sepia", "the reader uses the saved theme");
  await clickReader(".lucid-save-button");
  await clickReader(".lucid-menuitem[data-format=html]");
  const html = await waitDownload("Two images, two hosts.html");
  assert.equal((html.match(/<img [^>]*src="data:image\/png;base64,/g) || []).length, 2, "both images embedded");
  await ff.press(["Escape"], "content");
  await readerClosed();
});

test("Clean this page (Alt+Shift+U) against a wall that re-locks", async () => {
  await ff.call("POST", "/window/rect", { width: 1000, height: 500 }); // the article is taller than this
  await ff.goto(`${server.url}/e2e/inject-relock.html?csp=inline`);
  await until(() => ff.exec("return !!document.querySelector('.gate-layer')"), "the wall");
  await ff.press(["Alt", "Shift", "u"]);
  await until(async () => /cleaned/i.test(await readerText(".lucid-card")), "the cleaned card");
  assert.equal(await ff.exec("return !!document.querySelector('.gate-layer')"), false);
  await sleep(2600); // the page re-adds its wall and re-locks scrolling at 2 s
  const state = await ff.exec("const room = document.documentElement.scrollHeight - innerHeight; scrollTo(0, room); return { wall: !!document.querySelector('.gate-layer'), room, y: scrollY }");
  assert.equal(state.wall, false, "the returning wall was removed");
  assert.ok(state.room > 50 && state.y === state.room, `scrolling unlocked again (${JSON.stringify(state)})`);
});

test("after the background page idles, a click wakes it and opens the reader", async () => {
  const state = () => ff.inChrome(() => ff.exec("return WebExtensionPolicy.getByID(arguments[0]).extension.backgroundState", ["lucid-reader@lucid.invalid"]));
  await ff.goto(`${server.url}/samples/sea-walk.html`);
  await until(async () => (await state()) === "stopped", "the background page to stop", IDLE_MS * 4);
  await ff.clickToolbar();
  assert.equal(await readerOpen(), "A Winter Walk Along the Sea Wall");
  await ff.clickToolbar();
  await readerClosed();
});

test("pages extensions may not read: the badge says so, and the tooltip comes back", async () => {
  const tooltip = () => ff.inChrome(() => ff.exec("return document.getElementById('lucid-reader_lucid_invalid-browser-action').querySelector('toolbarbutton')?.getAttribute('tooltiptext') ?? ''"));
  const initial = await tooltip();
  assert.match(initial, /Alt\+Shift\+R/);
  await ff.goto("about:robots");
  await ff.clickToolbar();
  const said = await until(async () => { const t = await tooltip(); return t !== initial && t; }, "the error tooltip");
  assert.match(said, /cannot read this page/);
  await until(async () => (await tooltip()) === initial, "the default tooltip", 8000);
});
