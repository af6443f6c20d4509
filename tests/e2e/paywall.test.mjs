// Prompts injected by the page's own script after load: the reader view never shows them, and
// "Clean this page" removes them from the live page, lifts locks, and keeps doing so when a
// wall comes back (one page re-locks scrolling 2 s after load).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { clickAction, inReader, readerHandle, waitInReader, launchWithExtension, newProfile, readerState, testExtension, waitReader } from "./extension.mjs";
import { startServer } from "./serve.mjs";

let server;
let browser;
let page;

before(async () => {
  // Inline scripts allowed (the pages inject their prompts), WebAssembly not.
  server = await startServer({ headers: (u) => (u.includes("csp=strict") ? { "content-security-policy": "script-src 'self' 'unsafe-inline'" } : {}) });
  browser = await launchWithExtension(testExtension(), newProfile());
  page = await browser.context.newPage();
  await page.setViewportSize({ width: 1000, height: 400 }); // the articles are taller than this
});

after(async () => {
  await browser?.context.close();
  await server?.close();
});

// [page, selector of the injected prompt, prompt text, last words of the article]
const PAGES = [
  ["inject-piano-modal", ".tp-modal", "limit of free articles", "asked them anything at all"],
  ["inject-relock", ".gate-layer", "Subscribe to continue reading", "asked them anything at all"],
  ["inject-fade", ".story-upsell", "This article is for subscribers", "asked them anything at all"],
  ["inject-blur", "#steady-checkout", "become a member to read on", "asked them anything at all"],
  ["inject-newsletter", ".newsletter-popup", "harbour newsletter", "asked them anything at all"],
  ["inject-phrase-de", ".hinweis", "nur mit Abo zugänglich", "etwas gefragt habe"],
  // The safety net: a wrapper classed "modal-enabled" holds the story and must stay.
  ["safety-modal-class", ".tp-modal", "limit of free articles", "asked them anything at all"],
];

async function load(name, selector, query = "") {
  await page.goto(`${server.url}/e2e/${name}.html${query}`);
  await page.waitForSelector(selector, { state: "attached" });
}

async function command(name) {
  await browser.worker.evaluate(async ([u, cmd]) => {
    const tab = (await chrome.tabs.query({})).find((t) => t.url === u);
    chrome.commands.onCommand.dispatch(cmd, tab);
  }, [page.url(), name]);
}

test("the reader view never shows an injected prompt", async () => {
  for (const [name, selector, prompt, ending] of PAGES) {
    await load(name, selector);
    await clickAction(browser.worker, page);
    await waitReader(page);
    const state = await readerState(page);
    assert.ok(state.body.includes(ending), `${name}: the whole article is there`);
    assert.ok(!state.body.includes(prompt), `${name}: the prompt is not`);
    assert.match(state.removed ?? "", /\d+ items? removed/, `${name}: says what was removed`);
    await page.keyboard.press("Escape");
    await waitReader(page, "closed");
  }
});

/** Whether the article's last paragraph is visible, readable and the page scrolls. */
function pageState(selector, ending) {
  return page.evaluate(([sel, end]) => {
    const p = [...document.querySelectorAll(".story-body p")].find((x) => x.textContent.includes(end));
    const st = getComputedStyle(p);
    const r = p.getBoundingClientRect();
    const box = p.closest(".story-body").getBoundingClientRect();
    scrollTo(0, 0);
    scrollTo(0, 300);
    const scrolled = scrollY;
    scrollTo(0, 0);
    const room = Math.min(300, document.documentElement.scrollHeight - innerHeight);
    return {
      prompt: !!document.querySelector(sel),
      blur: st.filter,
      selectable: st.userSelect !== "none",
      shown: r.height > 0 && st.display !== "none" && st.visibility !== "hidden" && r.bottom <= box.bottom + 1,
      scrolled,
      room,
      overflow: getComputedStyle(document.body).overflowY,
    };
  }, [selector, ending]);
}

async function cardText() {
  await waitInReader(page, (r) => !!r.querySelector(".lucid-card"));
  return inReader(page, (r) => r.querySelector(".lucid-card").textContent);
}

test("“Clean this page” strips injected prompts and lifts locks on the live page", async () => {
  for (const [name, selector, prompt, ending] of PAGES) {
    await load(name, selector);
    await page.waitForTimeout(100); // let the injecting script finish its changes
    await command("clean-page");
    const card = await cardText();
    assert.match(card, /Page cleaned/, `${name}: ${card}`);
    assert.match(card, /removed or uncovered \d+ item/, `${name}: counts what went`);
    const state = await pageState(selector, ending);
    assert.equal(state.prompt, false, `${name}: prompt removed from the page`);
    assert.ok(!state.blur.includes("blur"), `${name}: no blur left (${state.blur})`);
    assert.ok(state.selectable, `${name}: text can be selected`);
    assert.ok(state.shown, `${name}: the last paragraph is shown, not cut off`);
    assert.ok(state.room > 50, `${name}: the article is taller than the window`);
    assert.equal(state.scrolled, state.room, `${name}: the page scrolls (${state.overflow})`);
    assert.ok(!(await page.evaluate(() => document.body.innerText)).includes(prompt), `${name}: prompt text gone`);
  }
});

test("“Clean this page” on a page whose CSP forbids wasm (the same snapshot path, elements by position)", async () => {
  for (const [name, selector, prompt, ending] of PAGES.slice(0, 3)) {
    await load(name, selector, "?csp=strict");
    await page.waitForTimeout(100);
    await command("clean-page");
    assert.match(await cardText(), /Page cleaned/);
    const state = await pageState(selector, ending);
    assert.equal(state.prompt, false, `${name}: prompt removed`);
    assert.equal(state.scrolled, state.room, `${name}: the page scrolls`);
    assert.ok(!(await page.evaluate(() => document.body.innerText)).includes(prompt), `${name}: prompt text gone`);
  }
});

test("a wall that re-locks scrolling after 2 s is cleaned again", async () => {
  await load("inject-relock", ".gate-layer");
  await command("clean-page");
  await cardText();
  assert.equal((await pageState(".gate-layer", "asked them")).prompt, false);
  await page.waitForTimeout(2600); // the page re-adds the layer and re-locks at 2 s
  const state = await pageState(".gate-layer", "asked them");
  assert.equal(state.prompt, false, "the returning layer was removed");
  assert.ok(state.room > 50);
  assert.equal(state.scrolled, state.room, "scrolling unlocked again");
});

test("“Clean this page” on a page without prompts says so and changes nothing", async () => {
  await page.goto(`${server.url}/e2e/home.html`);
  const before = await page.evaluate(() => document.documentElement.outerHTML);
  await command("clean-page");
  assert.match(await cardText(), /Nothing to clean/);
  await page.keyboard.press("Escape");
  await waitReader(page, "closed");
  assert.equal(await page.evaluate(() => document.documentElement.outerHTML), before);
});
