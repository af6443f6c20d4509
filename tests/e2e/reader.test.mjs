// The extension in a real headless Chromium: the toolbar listener opens the reader on real
// corpus pages, the same click and Esc restore the page exactly, strict-CSP pages take the same
// path (no wasm in any page: one warm engine in the offscreen document, closed when idle),
// non-articles get a notice, saved copies are clean.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { clickAction, inReader, readerHandle, waitInReader, launchWithExtension, newProfile, readerState, ROOT, ARTIFACTS, testExtension, waitReader } from "./extension.mjs";
import { SHARED, startServer } from "./serve.mjs";
import { f1, htmlText } from "./text-metrics.mjs";

const STRICT_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'";
let server;
let browser;
let page;

before(async () => {
  server = await startServer({ headers: (u) => (u.includes("csp=strict") ? { "content-security-policy": STRICT_CSP } : {}) });
  browser = await launchWithExtension(testExtension(), newProfile());
  page = await browser.context.newPage();
  mkdirSync(ARTIFACTS, { recursive: true });
});

after(async () => {
  await browser?.context.close();
  await server?.close();
});

async function openReader(path) {
  await page.goto(`${server.url}${path}`);
  await clickAction(browser.worker, page);
  await waitReader(page);
  return readerState(page);
}

async function closeReader(how = "click") {
  if (how === "esc") await page.keyboard.press("Escape");
  else await clickAction(browser.worker, page);
  await waitReader(page, "closed");
}

function nativeArticle(file, url) {
  const out = execFileSync(join(ROOT, "target/release/lucid"), [file, "--url", url, "--format", "json"], { maxBuffer: 64 << 20 });
  return JSON.parse(out);
}

const CORPUS = ["guardian-1", "ars-1", "bbc-1", "nytimes-1", "lemonde-1", "heise", "medium-1", "wikipedia"];

test("reader shows the right title and text on real corpus pages", async () => {
  for (const id of CORPUS) {
    const path = `/corpus/readability/${id}/source.html`;
    const state = await openReader(path);
    const dir = join(SHARED, "corpus/readability", id);
    const reference = JSON.parse(readFileSync(join(dir, "expected-metadata.json"), "utf8"));
    const native = nativeArticle(join(dir, "source.html"), `${server.url}${path}`);
    assert.equal(state.title, native.title, `${id}: live and native titles agree`);
    assert.ok(reference.title.includes(state.title) && state.title.length > 5, `${id}: title “${state.title}” is the reference's “${reference.title}”`);
    const refText = htmlText(readFileSync(join(dir, "expected.html"), "utf8"));
    const score = f1(state.body, refText);
    assert.ok(score >= 0.9, `${id}: body text F1 ${score.toFixed(3)} against Readability.js's reference`);
    assert.match(state.meta, /\d+ min read/, `${id}: reading time shown`);
    await closeReader();
  }
});

test("the same click and Esc restore the page: identical DOM and scroll", async () => {
  await page.goto(`${server.url}/corpus/readability/guardian-1/source.html`);
  await page.evaluate(() => scrollTo(0, 1500));
  const before = await page.evaluate(() => ({ html: document.documentElement.outerHTML, y: scrollY, body: document.body.style.cssText }));
  assert.ok(before.y > 1000, "the page scrolled");
  for (const how of ["click", "esc"]) {
    await clickAction(browser.worker, page);
    await waitReader(page);
    // The reader scrolls on its own; the page underneath must not move.
    await page.mouse.wheel(0, 2000);
    await closeReader(how);
    const now = await page.evaluate(() => ({ html: document.documentElement.outerHTML, y: scrollY, body: document.body.style.cssText }));
    assert.equal(now.html, before.html, `${how}: DOM identical`);
    assert.equal(now.y, before.y, `${how}: scroll position kept`);
    assert.equal(now.body, before.body, `${how}: body styles as they were`);
  }
});

test("a page whose CSP forbids wasm reads the same, and no page ever loads the wasm", async () => {
  const wasmLoads = [];
  const onRequest = (r) => { if (r.url().includes("lucid_bg.wasm")) wasmLoads.push(r.url()); };
  page.on("request", onRequest);
  try {
    const direct = await openReader("/corpus/readability/guardian-1/source.html");
    await closeReader();
    const csp = await openReader("/corpus/readability/guardian-1/source.html?csp=strict");
    assert.equal(csp.title, direct.title);
    assert.equal(csp.body, direct.body, "the same article text on both");
    await closeReader("esc");
  } finally {
    page.off("request", onRequest);
  }
  assert.deepEqual(wasmLoads, [], "the page never fetched the wasm");
  // The worker served the session's first click itself, then started the engine's document.
  const engines = await waitEngines(1);
  assert.equal(engines.length, 1, "one engine document");
  assert.match(engines[0], /engine\/offscreen\.html/);
});

/** The engine documents' URLs, once there are `n` of them (or after 10 s). */
async function waitEngines(n) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const urls = await browser.worker.evaluate(async () => (await chrome.runtime.getContexts({ contextTypes: ["OFFSCREEN_DOCUMENT"] })).map((c) => c.documentUrl));
    if (urls.length === n || Date.now() > deadline) return urls;
    await new Promise((r) => setTimeout(r, 100));
  }
}

test("the engine document closes itself after its idle period and comes back", async () => {
  await browser.worker.evaluate(async () => {
    await chrome.storage.local.set({ engineIdleMs: 1500 });
    const open = await chrome.runtime.getContexts({ contextTypes: ["OFFSCREEN_DOCUMENT"] });
    if (open.length) await chrome.offscreen.closeDocument();
  });
  try {
    assert.equal((await waitEngines(0)).length, 0);
    const first = await openReader("/corpus/readability/bbc-1/source.html");
    assert.ok(first.title?.length > 5, "the reader opened with no engine document before the click");
    assert.equal((await waitEngines(1)).length, 1, "the click started the engine's document");
    await closeReader();
    assert.equal((await waitEngines(0)).length, 0, "the document closed after 1.5 s without a request");
    // A new page's port goes to the worker again, and the document comes back.
    const again = await openReader("/corpus/readability/bbc-1/source.html");
    assert.equal(again.body, first.body);
    assert.equal((await waitEngines(1)).length, 1);
    await closeReader();
    // Served by the document this time: its port is cut when it closes, and the same tab
    // reconnects on the next click.
    await page.goto(`${server.url}/corpus/readability/bbc-1/source.html`);
    await clickAction(browser.worker, page);
    await waitReader(page);
    await closeReader();
    assert.equal((await waitEngines(0)).length, 0);
    await clickAction(browser.worker, page);
    await waitReader(page);
    assert.equal((await readerState(page)).body, first.body);
    await closeReader();
  } finally {
    await browser.worker.evaluate(() => chrome.storage.local.remove("engineIdleMs"));
  }
});

test("page script can neither read nor drive the reader", async () => {
  await openReader("/samples/sea-walk.html");
  const downloads = [];
  const onDownload = (d) => downloads.push(d.suggestedFilename());
  page.on("download", onDownload);
  const probe = await page.evaluate(async () => {
    const host = document.querySelector("lucid-reader");
    const out = { shadowRoot: host.shadowRoot, lightText: host.textContent };
    // Scripted clicks on whatever lies under the toolbar and the whole reader, and on the host.
    host.click();
    for (let x = 10; x < innerWidth; x += 40) {
      for (const y of [20, 200]) {
        for (const el of document.elementsFromPoint(x, y)) {
          el.dispatchEvent(new MouseEvent("click", { bubbles: true, composed: true, clientX: x, clientY: y }));
        }
      }
    }
    // A scripted Escape, which closes the reader when the user presses it.
    for (const target of [window, document, host]) target.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true, composed: true }));
    await new Promise((r) => setTimeout(r, 500));
    out.stillOpen = document.querySelector("lucid-reader") === host;
    out.reached = document.elementsFromPoint(innerWidth / 2, 20).filter((el) => el.closest?.("lucid-reader") && el !== host).length;
    return out;
  });
  page.off("download", onDownload);
  assert.equal(probe.shadowRoot, null, "the shadow root is closed");
  assert.equal(probe.lightText, "", "nothing of the article in the page's DOM");
  assert.equal(probe.reached, 0, "hit testing stops at the host");
  assert.ok(probe.stillOpen, "a scripted Escape or click did not close the reader");
  assert.deepEqual(downloads, [], "no scripted click started a save");
  const state = await readerState(page);
  assert.equal(await inReader(page, (r) => r.querySelector(".lucid-menu").hidden && r.querySelector(".lucid-panel").hidden), true, "no menu or panel opened");
  assert.match(state.title, /Winter Walk/);
  // Hiding, removing, restyling or covering the host: the reader takes its place back on top.
  const covered = await page.evaluate(async () => {
    const host = document.querySelector("lucid-reader");
    const onTop = () => document.elementFromPoint(innerWidth / 2, innerHeight / 2) === host;
    const out = {};
    host.hidePopover();
    await new Promise((r) => setTimeout(r, 100));
    out.afterHide = onTop();
    host.style.display = "none";
    await new Promise((r) => setTimeout(r, 100));
    out.afterRestyle = onTop();
    host.remove();
    await new Promise((r) => setTimeout(r, 100));
    out.afterRemove = host.isConnected && onTop();
    const cover = document.createElement("div");
    cover.popover = "manual";
    cover.style.cssText = "position: fixed; inset: 0; background: red";
    document.body.append(cover);
    cover.showPopover();
    await new Promise((r) => setTimeout(r, 100));
    out.afterCover = onTop();
    cover.remove();
    // A modal dialog would make the reader inert (not hit-testable, no focus): it is put away.
    const dialog = document.createElement("dialog");
    dialog.id = "page-modal";
    dialog.textContent = "Subscribe!";
    document.body.append(dialog);
    dialog.showModal();
    await new Promise((r) => setTimeout(r, 100));
    out.afterModal = onTop() && !dialog.open;
    return out;
  });
  assert.deepEqual(covered, { afterHide: true, afterRestyle: true, afterRemove: true, afterCover: true, afterModal: true });
  await closeReader("esc");
  // The page gets its dialog back as it left it.
  assert.equal(await page.evaluate(() => document.getElementById("page-modal").matches(":modal")), true);
  await page.evaluate(() => document.getElementById("page-modal").remove());
});

test("page script cannot read a copy the user saves", async () => {
  await openReader("/e2e/hostile.html");
  // The page watches everything it can: its DOM (the host included), every event that reaches it,
  // its own blob URLs, the resources it loads; then tries to read any blob: URL it saw.
  await page.evaluate(() => {
    const seen = (window.seenUrls = []);
    const note = (v) => { if (typeof v === "string" && /^(blob|data):/.test(v)) seen.push(v); };
    new MutationObserver((records) => {
      for (const r of records) {
        for (const n of r.addedNodes) { note(n.href); note(n.getAttribute?.("href")); }
        if (r.target.getAttribute) note(r.target.getAttribute("href"));
      }
    }).observe(document, { subtree: true, childList: true, attributes: true });
    for (const type of ["click", "focusin", "mousedown", "keydown"]) {
      addEventListener(type, (e) => { for (const t of e.composedPath()) { note(t.href); note(t.getAttribute?.("href")); } }, true);
    }
    const create = URL.createObjectURL;
    URL.createObjectURL = (b) => { const u = create(b); seen.push(u); return u; };
    new PerformanceObserver((list) => { for (const e of list.getEntries()) note(e.name); }).observe({ type: "resource", buffered: true });
  });
  const html = await save("html");
  assert.match(html.text, /fog horn/);
  const stolen = await page.evaluate(async () => {
    const out = [];
    for (const u of window.seenUrls) {
      try { out.push((await (await fetch(u)).text()).slice(0, 40)); } catch { /* refused */ }
    }
    return { seen: window.seenUrls.length, read: out };
  });
  assert.deepEqual(stolen, { seen: 0, read: [] }, "the page saw no link to the saved bytes");
  await closeReader();
});

test("a page without an article gets a notice, not garbage", async () => {
  const state = await openReader("/e2e/home.html");
  assert.equal(state.title, null);
  assert.match(state.card, /No article found/);
  await closeReader("esc");
});

test("a teaser page says that only part of the article was delivered", async () => {
  const state = await openReader("/fixtures/paywall-truncated-jsonld/source.html");
  assert.equal(state.title, "Old weir to be removed");
  assert.match(state.truncated ?? "", /delivered only part of the article/);
  assert.doesNotMatch(state.body, /Subscribe to read the full article/);
  await closeReader();
});

test("article language and direction reach the reader", async () => {
  const state = await openReader("/fixtures/rtl/source.html");
  const meta = JSON.parse(readFileSync(join(ROOT, "tests/fixtures/rtl/metadata.json"), "utf8"));
  assert.equal(state.dir, "rtl");
  assert.ok(state.lang, "lang set");
  assert.ok(state.title.length > 0, `${meta.title ?? ""}`);
  await closeReader();
});

async function save(format) {
  const root = readerHandle(page);
  await root.click(".lucid-save-button");
  const [download] = await Promise.all([page.waitForEvent("download"), root.click(`.lucid-menuitem[data-format=${format}]`)]);
  const file = join(ARTIFACTS, `saved-${format}-${download.suggestedFilename()}`);
  await download.saveAs(file);
  await waitInReader(page, (r) => /library/.test(r.querySelector(".lucid-status")?.textContent ?? ""));
  return { name: download.suggestedFilename(), text: readFileSync(file, "utf8") };
}

test("saved copies: self-contained HTML, Markdown with front matter, plain text; nothing runnable", async () => {
  await openReader("/e2e/hostile.html");
  const ranOnPage = await page.evaluate(() => window.hostileRan);
  const html = await save("html");
  assert.equal(html.name, "How the harbour lights were restored.html");
  assert.doesNotMatch(html.text, /<script|<iframe|<form|<svg/i);
  assert.doesNotMatch(html.text, /\son[a-z]+\s*=/i, "no event handler attributes");
  assert.doesNotMatch(html.text, /javascript:/i);
  assert.match(html.text, /<style>[\s\S]*lucid-reader[\s\S]*<\/style>/, "stylesheet inlined");
  assert.match(html.text, /Content-Security-Policy" content="default-src 'none'/);
  assert.match(html.text, /<img [^>]*src="data:image\/png;base64,/, "image inlined");
  assert.match(html.text, /For thirty years the three lights/);
  assert.match(html.text, /fog horn/);

  const md = await save("markdown");
  assert.equal(md.name, "How the harbour lights were restored.md");
  const front = md.text.match(/^---\n([\s\S]*?)\n---\n/);
  assert.ok(front, "front matter block");
  assert.match(front[1], /^title: "How the harbour lights were restored"$/m);
  assert.match(front[1], /^author: "Maya Lindqvist"$/m);
  assert.match(front[1], new RegExp(`^url: "${server.url}/e2e/hostile.html"$`, "m"));
  assert.match(front[1], /^saved: "\d{4}-\d\d-\d\dT/m);
  assert.match(md.text, /# How the harbour lights were restored/);
  assert.doesNotMatch(md.text, /javascript:|<script|onclick/i);

  const txt = await save("text");
  assert.equal(txt.name, "How the harbour lights were restored.txt");
  assert.match(txt.text, /^How the harbour lights were restored\nMaya Lindqvist\n\n/, "title and byline on top");
  assert.match(txt.text, /fog horn/);
  assert.doesNotMatch(txt.text, /<[a-z]/i, "no markup in plain text");
  await closeReader();
  assert.equal(await page.evaluate(() => window.hostileRan), ranOnPage, "no handler ran while reading and saving");

  // The saved page, opened on its own, runs nothing and shows the article with its image.
  const viewer = await browser.context.newPage();
  await viewer.setContent(html.text);
  assert.equal(await viewer.evaluate(() => window.hostileRan), undefined);
  assert.equal(await viewer.locator(".lucid-title").textContent(), "How the harbour lights were restored");
  assert.ok(await viewer.locator(".lucid-body img").evaluate((img) => img.complete && img.naturalWidth > 0), "inlined image decodes");
  await viewer.close();
});

test("images from hosts Lucid may not fetch stay links, and the reader says so", async () => {
  await openReader("/e2e/two-hosts.html");
  const html = await save("html");
  assert.match(html.text, /<img [^>]*src="data:image\/png;base64,/, "the same-host image is inlined");
  assert.match(html.text, /<a class="lucid-image-link" href="http:\/\/localhost:\d+\/samples\/images\/sea-wall\.png">Image: [^<]*\(on the original site\)<\/a>/, "the other becomes a link");
  assert.doesNotMatch(html.text, /<img [^>]*src="http/, "no image loads from a site when the copy is opened");
  assert.match(html.text, /img-src data:;/, "and its CSP forbids it");
  const status = await inReader(page, (r) => r.querySelector(".lucid-status").textContent);
  assert.match(status, /1 image is kept as a link/);
  assert.match(status, /Allow embedding images/);
  await closeReader();
});

test("read-aloud uses only on-device voices and says so when there are none", async () => {
  await openReader("/samples/sea-walk.html");
  const voices = await page.evaluate(() => speechSynthesis.getVoices().filter((v) => v.localService).length);
  const root = readerHandle(page);
  await root.click(".lucid-listen");
  if (voices === 0) {
    await waitInReader(page, (r) => /on-device voice/.test(r.querySelector(".lucid-status")?.textContent ?? ""));
  } else {
    await waitInReader(page, (r) => !!r.querySelector(".lucid-speaking"));
    assert.equal(await root.eval((r) => r.querySelector(".lucid-listen").getAttribute("aria-pressed")), "true");
  }
  await closeReader("esc");
});

test("screenshots of the reader view, light and dark", async () => {
  await page.setViewportSize({ width: 1100, height: 800 });
  for (const theme of ["light", "dark"]) {
    await openReader("/samples/sea-walk.html");
    const root = readerHandle(page);
    await root.click(".lucid-settings-button");
    await root.click(`.lucid-theme-${theme}`);
    await root.click(".lucid-settings-button");
    const state = await readerState(page);
    assert.equal(state.theme, theme);
    assert.equal(state.bg, theme === "dark" ? "rgb(24, 24, 27)" : "rgb(253, 253, 252)");
    await page.screenshot({ path: join(ARTIFACTS, `reader-${theme}.png`) });
    await closeReader();
  }
});
