// The www playground in headless Chromium: the same wasm core reads a sample through DOMParser
// and shows the reader view, metadata, what was removed and the timings.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { launch, localOnly } from "./browser.mjs";
import { startServer } from "./serve.mjs";

let server;
let browser;
let page;

before(async () => {
  server = await startServer();
  browser = await launch();
  const context = await browser.newContext();
  await localOnly(context);
  page = await context.newPage();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

test("a sample with a subscribe overlay: article shown, prompt listed as removed", async () => {
  await page.goto(`${server.url}/index.html?sample=subscribe-overlay`);
  await page.waitForFunction(() => /Extracted in/.test(document.getElementById("status").textContent));
  const title = await page.locator("#reader .lucid-title").textContent();
  assert.ok(title.length > 5, title);
  const removed = await page.locator("#removed li").allTextContents();
  assert.ok(removed.some((r) => r.includes("paywall")), removed.join("\n"));
  const body = await page.locator("#reader .lucid-body").innerText();
  assert.doesNotMatch(body, /subscribe to continue/i);
  assert.match(await page.locator("#markdown").textContent(), /^# /);
});

test("the playground opens with the bundled sample already extracted", async () => {
  await page.goto(`${server.url}/index.html`);
  await page.waitForFunction(() => /Extracted in/.test(document.getElementById("status").textContent));
  assert.equal(await page.locator("#sample").inputValue(), "samples/sea-walk.html");
  assert.ok((await page.locator("#reader .lucid-title").textContent()).length > 5);
  assert.match(await page.locator("#reader .lucid-body").innerText(), /lighthouse/);
});

test("pasted HTML without an article says so", async () => {
  await page.goto(`${server.url}/index.html?sample=none`);
  await page.locator("#html").fill("<html><body><nav><a href='/'>Home</a> <a href='/x'>X</a></nav></body></html>");
  await page.locator("#run").click();
  await page.waitForFunction(() => document.getElementById("status").classList.contains("error"));
  assert.match(await page.locator("#status").textContent(), /No article found/);
});
