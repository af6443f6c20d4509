// Settings and the library across reloads and a browser restart (same profile): settings
// persist in storage.sync and apply live; saved copies are listed, searched, reopened,
// exported and deleted, and survive the restart.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, test } from "node:test";
import { clickAction, inReader, readerHandle, waitInReader, launchWithExtension, newProfile, readerState, testExtension, waitReader } from "./extension.mjs";
import { startServer } from "./serve.mjs";

let server;
let ext;
let profile;
let browser;

before(async () => {
  server = await startServer();
  ext = testExtension();
  profile = newProfile();
  browser = await launchWithExtension(ext, profile);
});

after(async () => {
  await browser?.context.close();
  await server?.close();
});

async function openReader(page, path) {
  await page.goto(`${server.url}${path}`);
  await clickAction(browser.worker, page);
  await waitReader(page);
  return readerHandle(page);
}

async function saveAs(page, format) {
  const root = readerHandle(page);
  await root.click(".lucid-save-button");
  const [download] = await Promise.all([page.waitForEvent("download"), root.click(`.lucid-menuitem[data-format=${format}]`)]);
  await waitInReader(page, (r) => /library/.test(r.querySelector(".lucid-status")?.textContent ?? ""));
  return download;
}

async function libraryPage() {
  const lib = await browser.context.newPage();
  await lib.goto(`chrome-extension://${browser.id}/library/library.html`);
  await lib.waitForSelector("body[data-ready='1']");
  return lib;
}

const titles = (lib) => lib.locator(".entry-title").allTextContents();

/** Types a query and waits until the list shows that query's `n` results. */
async function search(lib, query, n) {
  await lib.locator("#q").fill(query);
  await lib.waitForFunction(([q, count]) => {
    const status = document.getElementById("count").textContent;
    return (q ? status.includes(`“${q}”`) : !status.includes("“")) && document.querySelectorAll(".entry").length === count;
  }, [query, n]);
}

test("settings persist across a reload and apply live from the options page", async () => {
  const page = await browser.context.newPage();
  let root = await openReader(page, "/samples/sea-walk.html");
  await root.click(".lucid-settings-button");
  await root.click(".lucid-theme-sepia");
  await root.click(".lucid-font-sans");
  await root.click(".lucid-step[data-setting=size]", { last: true });
  await root.click(".lucid-step[data-setting=size]", { last: true });
  let state = await readerState(page);
  assert.deepEqual([state.theme, state.font, state.size], ["sepia", "sans", "22px"]);

  await page.reload();
  root = await openReader(page, "/samples/sea-walk.html");
  state = await readerState(page);
  assert.deepEqual([state.theme, state.font, state.size], ["sepia", "sans", "22px"], "kept after reload");
  assert.equal(state.bg, "rgb(247, 240, 227)");

  const options = await browser.context.newPage();
  await options.goto(`chrome-extension://${browser.id}/options/options.html`);
  assert.equal(await options.locator("#opt-theme").inputValue(), "sepia");
  assert.equal(await options.locator("#opt-size").inputValue(), "22");
  await options.locator("#opt-theme").selectOption("dark");
  await waitInReader(page, (r) => r.querySelector(".lucid-reader").dataset.theme === "dark");
  assert.equal((await readerState(page)).bg, "rgb(24, 24, 27)", "the open reader followed the options page");
  await options.locator("#reset").click();
  await waitInReader(page, (r) => r.querySelector(".lucid-reader").dataset.theme === "system");
  await options.close();
  await page.close();
});

test("saved copies go to the library: list, full-text search, reopen, export, delete", async () => {
  const page = await browser.context.newPage();
  await openReader(page, "/samples/sea-walk.html");
  await saveAs(page, "html");
  await openReader(page, "/e2e/hostile.html");
  await saveAs(page, "markdown");
  await saveAs(page, "text"); // the same URL again: one entry, not two
  await openReader(page, "/corpus/readability/guardian-1/source.html");
  // The context-menu item saves without opening anything.
  await page.keyboard.press("Escape");
  await waitReader(page, "closed");
  // The library is open in another tab while that save happens: it updates by itself.
  const lib = await libraryPage();
  await lib.waitForFunction(() => document.querySelectorAll(".entry").length === 2);
  await browser.worker.evaluate(async (u) => {
    const [tab] = (await chrome.tabs.query({})).filter((t) => t.url === u);
    chrome.contextMenus.onClicked.dispatch({ menuItemId: "lucid-save", pageUrl: u }, tab);
  }, page.url());
  await waitInReader(page, (r) => /Saved/.test(r.querySelector(".lucid-card")?.textContent ?? ""));
  await lib.waitForFunction(() => document.querySelectorAll(".entry").length === 3);
  assert.deepEqual((await titles(lib)).sort(), [
    "'What is the sea telling us?': Māori tribes fearful over whale strandings",
    "A Winter Walk Along the Sea Wall",
    "How the harbour lights were restored",
  ]);
  assert.match(await lib.locator(".entry-meta").first().textContent(), /words/);

  // Full text: "oystercatchers" appears only in the body of the sea-walk article.
  await search(lib, "oystercatchers", 1);
  assert.deepEqual(await titles(lib), ["A Winter Walk Along the Sea Wall"]);
  assert.match(await lib.locator(".entry-snippet").textContent(), /oystercatchers/);
  await search(lib, "harbour lights fog", 1);
  assert.deepEqual(await titles(lib), ["How the harbour lights were restored"]);
  await search(lib, "nothing-matches-this", 0);
  await search(lib, "", 3);

  // Export from the library.
  const entry = lib.locator(".entry", { hasText: "A Winter Walk" });
  const [md] = await Promise.all([lib.waitForEvent("download"), entry.locator("button[data-format=markdown]").click()]);
  assert.equal(md.suggestedFilename(), "A Winter Walk Along the Sea Wall.md");
  const mdText = readFileSync(await md.path(), "utf8");
  assert.match(mdText, /^---\ntitle: "A Winter Walk Along the Sea Wall"/);
  const [html] = await Promise.all([lib.waitForEvent("download"), entry.locator("button[data-format=html]").click()]);
  const htmlText = readFileSync(await html.path(), "utf8");
  assert.match(htmlText, /src="data:image\/png;base64,/, "the stored copy has its image inlined");
  assert.doesNotMatch(htmlText, /<script|\son[a-z]+=/i);

  // Reopen: rendered from the stored HTML, with the reader chrome.
  await entry.locator(".entry-title").click();
  await lib.waitForSelector("body[data-ready='1'] .lucid-title");
  assert.equal(await lib.locator(".lucid-title").textContent(), "A Winter Walk Along the Sea Wall");
  assert.match(await lib.locator(".lucid-body").textContent(), /oystercatchers/);
  assert.match(await lib.locator(".lucid-source").textContent(), /Saved from http:\/\/127\.0\.0\.1/);
  await lib.keyboard.press("Escape");
  await lib.waitForSelector("body[data-ready='1'] #list");

  // Delete asks twice.
  const guardian = lib.locator(".entry", { hasText: "Māori" });
  await guardian.locator(".danger").click();
  assert.equal(await lib.locator(".entry").count(), 3, "first click only arms the button");
  await guardian.locator(".danger").click();
  await lib.waitForFunction(() => document.querySelectorAll(".entry").length === 2);
  await lib.close();
  await page.close();
});

test("the library and the settings survive a browser restart", async () => {
  const page = await browser.context.newPage();
  const root = await openReader(page, "/samples/sea-walk.html");
  await root.click(".lucid-settings-button");
  await root.click(".lucid-theme-dark");
  await page.close();
  await browser.context.close();
  browser = await launchWithExtension(ext, profile);
  const lib = await libraryPage();
  await lib.waitForFunction(() => document.querySelectorAll(".entry").length === 2);
  assert.deepEqual((await titles(lib)).sort(), ["A Winter Walk Along the Sea Wall", "How the harbour lights were restored"]);
  assert.equal(await lib.locator("#app").getAttribute("data-theme"), "dark");
  const again = await browser.context.newPage();
  await openReader(again, "/samples/sea-walk.html");
  assert.equal((await readerState(again)).theme, "dark");
});

test("the library trusts no stored record: validated on the way in, sanitized again on render", async () => {
  const lib = await libraryPage();
  const requests = [];
  browser.context.on("request", (r) => { if (r.url().includes("evil.example")) requests.push(r.url()); });
  const hostile = {
    id: 1, // must not choose (and overwrite) an entry
    url: "https://hostile.example/post",
    title: "Hostile record",
    savedAt: new Date().toISOString(),
    text: "Hostile record text",
    markdown: "",
    html: [
      '<p onclick="window.ran=1">Body text <a href="javascript:window.ran=1">js</a> <a href="//evil.example/share">share</a></p>',
      '<iframe src="https://evil.example/frame"></iframe><base href="https://evil.example/">',
      '<meta http-equiv="refresh" content="0;url=https://evil.example/away">',
      "<style>@import url(https://evil.example/x.css);</style>",
      '<form action="https://evil.example/f"><input name="q"></form><img src="x" onerror="window.ran=1">',
    ].join(""),
  };
  const id = await lib.evaluate(async (record) => {
    const reply = await chrome.runtime.sendMessage({ type: "lucid/library-add", record });
    if (!reply.ok) throw new Error(reply.error.message);
    return reply.value;
  }, hostile);
  // A second record naming the first one's id gets its own entry; the first stays.
  const second = await lib.evaluate(async (record) => (await chrome.runtime.sendMessage({ type: "lucid/library-add", record })).value,
    { ...hostile, id, url: "https://hostile.example/other", title: "Other record" });
  assert.notEqual(second, id, "a caller cannot pick the id of an existing entry");
  const wrong = await lib.evaluate(async () => (await chrome.runtime.sendMessage({ type: "lucid/library-add", record: { title: 5 } })).ok);
  assert.equal(wrong, false, "a record with a field of the wrong type is refused");
  const read = await browser.context.newPage();
  await read.goto(`chrome-extension://${browser.id}/library/read.html?id=${id}`);
  await read.waitForSelector("body[data-ready='1']");
  await read.waitForTimeout(500);
  assert.match(read.url(), /read\.html/, "no refresh navigated the page away");
  const body = await read.evaluate(() => document.querySelector(".lucid-body").innerHTML);
  for (const bad of ["onclick", "javascript:", "<iframe", "<base", "<meta", "<style", "<form", "onerror", "evil.example"]) {
    assert.ok(!body.includes(bad), `${bad} was rendered: ${body}`);
  }
  assert.match(body, /Body text/);
  assert.equal(await read.evaluate(() => document.querySelector(".lucid-title").textContent), "Hostile record", "the first entry was not overwritten");
  assert.equal(await read.evaluate(() => window.ran), undefined, "nothing ran");
  assert.deepEqual(requests, [], "no request to the hostile host");
  await read.close();
  await lib.close();
});
