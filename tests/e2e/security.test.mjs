// Security end to end. A hostile article (tests/e2e/xss-page.mjs: 200+ XSS vectors in its body
// and metadata, each reporting to this test's server if it ever runs) through every output Lucid
// makes: the reader, saved copies (HTML opened from file:// and from http, with and without their
// CSP; Markdown), the library's reader, and the command line's HTML loaded with no CSP at all.
// Each output is audited (no element, attribute or URL that can run or fetch anything) and then
// "activated": every element gets focus, hover, copy and click events, links included, so that an
// interaction vector that slipped through would run. The page itself runs its vectors when it
// loads — which proves the reporting works in this browser — and those runs are told apart from
// the reader's. Then: which cookies go with the images a save fetches.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { clickAction, clickInReader, inReader, launchWithExtension, newProfile, readerState, ROOT, testExtension, waitInReader, waitReader } from "./extension.mjs";
import { startServer } from "./serve.mjs";
import { PARAGRAPHS, xssPage } from "./xss-page.mjs";

/** Every report a vector made: { kind: "run"|"css", id, ctx, at, seq }. */
const hits = [];
/** Image requests the credentials test saw: { host, cookie, dest }. */
const imageRequests = [];
/** Files the test serves as they are, at /xss/files/<name>. */
const files = new Map();
let server;
let browser;
let page;

function handle(req, res) {
  const url = new URL(req.url, "http://127.0.0.1");
  const report = url.pathname.match(/^\/xss\/(run|css)\/(.+)$/);
  if (report) {
    hits.push({ kind: report[1], id: decodeURIComponent(report[2]), ctx: url.searchParams.get("ctx"), at: url.searchParams.get("at"), seq: hits.length });
    res.writeHead(200, { "content-type": report[1] === "css" ? "text/css" : "text/plain", "access-control-allow-origin": "*" });
    res.end("");
    return true;
  }
  if (url.pathname === "/cred/set") {
    res.writeHead(200, { "content-type": "text/plain", "set-cookie": `sid=${req.headers.host.split(":")[0]}-secret; SameSite=Strict; Path=/` });
    res.end("set");
    return true;
  }
  if (url.pathname === "/cred/image.png") {
    imageRequests.push({ host: req.headers.host.split(":")[0], cookie: req.headers.cookie ?? null, dest: req.headers["sec-fetch-dest"] });
    res.writeHead(200, { "content-type": "image/png", "cache-control": "no-store" });
    res.end(readFileSync(join(ROOT, "www/samples/images/sea-wall.png")));
    return true;
  }
  if (url.pathname === "/cred/page.html") {
    const other = `http://${req.headers.host.replace("127.0.0.1", "localhost")}`;
    const body = PARAGRAPHS.map((p, i) => `<p>${p}</p>${i === 2 ? '<img src="/cred/image.png" alt="Same host">' : ""}${i === 5 ? `<img src="${other}/cred/image.png" alt="Other host">` : ""}`).join("\n");
    res.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
    res.end(`<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Harbour lights, with pictures</title></head><body><article><h1>Harbour lights, with pictures</h1>${body}</article></body></html>`);
    return true;
  }
  if (url.pathname === "/xss/page.html") {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
    res.end(xssPage(`http://${req.headers.host}`).html);
    return true;
  }
  const served = url.pathname.startsWith("/xss/files/") && files.get(url.pathname.slice("/xss/files/".length));
  if (served) {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
    res.end(served);
    return true;
  }
  return false;
}

before(async () => {
  server = await startServer({ handle });
  // Host access to localhost too: the credentials test needs a second site Lucid may fetch from.
  browser = await launchWithExtension(testExtension(["localhost"]), newProfile());
  page = await browser.context.newPage();
});

after(async () => {
  await browser?.context.close();
  await server?.close();
});

const settle = (ms = 700) => new Promise((r) => setTimeout(r, ms));
const since = (mark) => hits.slice(mark);
const describe = (list) => list.map((h) => `${h.kind}/${h.id} (${h.ctx ?? "-"} at ${h.at ?? "-"})`).join("\n  ");

/**
 * Runs in the browser on the root of an output (a document, a shadow root or an element): lists
 * every element, attribute and URL that could run script or fetch something when shown.
 */
function audit(root) {
  const problems = [];
  const tags = ["script", "iframe", "frame", "frameset", "object", "embed", "applet", "form", "input", "button", "textarea", "select", "link", "meta", "base", "style", "svg", "template", "noscript", "dialog", "video", "audio", "source", "track", "marquee", "isindex", "xmp", "noembed", "noframes", "animate", "set", "use", "foreignobject", "annotation-xml"];
  const safeUrl = (value, image) => {
    const v = value.replace(/[\u0000-\u0020]/g, "").toLowerCase();
    if (v.startsWith("//") || v.startsWith("\\") || v.startsWith("/\\")) return false;
    const scheme = v.match(/^([a-z][a-z0-9+.-]*):/)?.[1];
    if (!scheme) return true;
    if (image && scheme === "data") return /^data:image\/(png|jpeg|gif|webp|avif|bmp)[;,]/.test(v);
    return ["http", "https", "mailto"].includes(scheme);
  };
  for (const el of root.querySelectorAll("*")) {
    const tag = el.localName;
    if (tags.includes(tag)) problems.push(`<${tag}>`);
    for (const { name, value } of el.attributes) {
      if (name.startsWith("on")) problems.push(`<${tag} ${name}>`);
      else if (["srcdoc", "formaction", "action", "background", "poster", "dynsrc", "lowsrc", "xlink:href", "data", "style", "http-equiv"].includes(name)) problems.push(`<${tag} ${name}="${value.slice(0, 40)}">`);
      else if ((name === "href" || name === "src") && !safeUrl(value, tag === "img" && name === "src")) problems.push(`<${tag} ${name}="${value.slice(0, 40)}">`);
      else if (name === "srcset" && value.split(",").some((c) => !safeUrl(c.trim().split(/\s+/)[0] || "", true))) problems.push(`<${tag} srcset>`);
    }
  }
  return problems;
}

/**
 * Runs in the browser: fires focus, hover, copy and click on every element under `root` (links
 * with a web URL are kept from navigating; any other link is followed, so a script URL would run).
 */
function activate(root) {
  const keep = (e) => {
    const a = e.target.closest?.("a[href], area[href]");
    if (a && /^(https?|mailto|file):/i.test(a.href)) e.preventDefault();
  };
  root.addEventListener("click", keep, true);
  for (const el of root.querySelectorAll("*")) {
    for (const type of ["mouseover", "mouseenter", "pointerenter", "focusin", "copy", "toggle", "animationstart", "animationend", "transitionend", "load", "error"]) {
      el.dispatchEvent(new Event(type, { bubbles: true }));
    }
    el.focus?.();
    el.click?.();
  }
  return root.querySelectorAll("*").length;
}

const auditSource = `(${audit})`;
const activateSource = `(${activate})`;

/** Audits and activates the document's `selector` part in a plain page; returns its problems. */
async function check(p, selector) {
  const problems = await p.evaluate(([a, sel]) => (0, eval)(a)(document.querySelector(sel)), [auditSource, selector]);
  const touched = await p.evaluate(([a, sel]) => (0, eval)(a)(document.querySelector(sel)), [activateSource, selector]);
  assert.ok(touched > 10, `the output under ${selector} has content (${touched} elements)`);
  await settle();
  return problems;
}

test("no vector of a hostile page runs through the reader, saves, the library or the CLI", async () => {
  // 1. The page itself: its vectors run, as any page's script does. Proves the reporting works.
  await page.goto(`${server.url}/xss/page.html`);
  await settle(1500);
  const onPage = new Set(hits.filter((h) => h.kind === "run").map((h) => h.id));
  for (const id of ["img-onerror", "svg-onload", "script-inline", "iframe-srcdoc"]) {
    assert.ok(onPage.has(id), `the page's own vector ${id} reported (reporting works): ${[...onPage].join(", ")}`);
  }
  const { ids } = xssPage(server.url);
  assert.ok(ids.length >= 126, `${ids.length} vectors`);

  // 2. The reader, in the page's own document: audited, activated, saved in two formats.
  let mark = hits.length;
  await clickAction(browser.worker, page);
  await waitReader(page);
  const state = await readerState(page);
  assert.equal(state.title, "How the harbour lights were restored");
  assert.match(state.body, /For thirty years the three lights/);
  assert.match(state.body, /fog horn, which has been silent/);
  assert.deepEqual(await inReader(page, (root, a) => (0, eval)(a)(root.querySelector(".lucid-page")), auditSource), [], "reader output audit");
  assert.ok(await inReader(page, (root, a) => (0, eval)(a)(root.querySelector(".lucid-page")), activateSource) > 10);
  await settle();
  const html = await saveFromReader("html");
  const md = await saveFromReader("markdown");
  await clickAction(browser.worker, page);
  await waitReader(page, "closed");
  await settle();
  // A run from the reader: on an element in its shadow root, or a vector the page never ran (a
  // handler of the page's own elements may run again, e.g. on focus given back when it closes).
  const fromReader = since(mark).filter((h) => h.ctx === "shadow" || h.kind === "css" || !onPage.has(h.id));
  assert.deepEqual(fromReader, [], `ran through the reader:\n  ${describe(fromReader)}`);
  assert.equal(page.url(), `${server.url}/xss/page.html`, "the page was not navigated");

  // Markdown: no link or image target that runs, no raw tag (markup in text is escaped: "\<img").
  assert.doesNotMatch(md, /\]\(\s*<?\s*(javascript|vbscript|data:text)/i, "no script URL in a Markdown link");
  assert.doesNotMatch(md, /(^|[^\\])<\/?(script|iframe|svg|math|img|a|object|embed|style|meta|base|form|input|video)\b/im, "no raw HTML in the Markdown");
  assert.match(md, /fog horn/);

  // 3. The saved HTML, from http and from disk, as saved (with its CSP) and with the CSP removed.
  assert.match(html, /http-equiv="Content-Security-Policy" content="default-src 'none'/);
  const bare = html.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, "");
  assert.notEqual(bare, html);
  const dir = mkdtempSync(join(tmpdir(), "lucid-xss-"));
  writeFileSync(join(dir, "saved.html"), html);
  writeFileSync(join(dir, "saved-no-csp.html"), bare);
  files.set("saved.html", html);
  files.set("saved-no-csp.html", bare);
  const viewer = await browser.context.newPage();
  for (const url of [`${server.url}/xss/files/saved.html`, `${server.url}/xss/files/saved-no-csp.html`, `file://${dir}/saved.html`, `file://${dir}/saved-no-csp.html`]) {
    mark = hits.length;
    await viewer.goto(url);
    assert.equal(await viewer.locator(".lucid-title").textContent(), "How the harbour lights were restored", url);
    const problems = await check(viewer, ".lucid-page");
    assert.deepEqual(problems, [], `saved copy audit (${url})`);
    const document = await viewer.evaluate(() => [...document.querySelectorAll("script, base, iframe, object, embed, link, meta[http-equiv]")].map((e) => e.outerHTML.slice(0, 200)));
    const ours = (e) => e.includes('http-equiv="Content-Security-Policy"') || /^<link rel="canonical" href="https?:\/\/[^"]*">$/.test(e);
    assert.deepEqual(document.filter((e) => !ours(e)), [], "nothing active in the saved document's head either");
    assert.deepEqual(since(mark), [], `ran in the saved copy at ${url}:\n  ${describe(since(mark))}`);
    assert.equal(viewer.url(), url, "the saved copy was not navigated");
  }

  // 4. The library's reader (an extension page: its CSP holds, and the body is sanitized again).
  const lib = await browser.context.newPage();
  await lib.goto(`chrome-extension://${browser.id}/library/library.html`);
  await lib.waitForSelector("body[data-ready='1']");
  const href = await lib.locator(".entry-title", { hasText: "How the harbour lights were restored" }).first().getAttribute("href");
  mark = hits.length;
  await lib.goto(`chrome-extension://${browser.id}/library/${href}`);
  await lib.waitForSelector("body[data-ready='1']");
  assert.deepEqual(await check(lib, ".lucid-page"), [], "library reader audit");
  assert.deepEqual(since(mark), [], `ran in the library:\n  ${describe(since(mark))}`);
  assert.match(lib.url(), /read\.html/);

  // 5. The command line's HTML, loaded with no CSP at all.
  const source = await (await fetch(`${server.url}/xss/page.html`)).text();
  writeFileSync(join(dir, "page.html"), source);
  const cli = execFileSync(join(ROOT, "target/release/lucid"), [join(dir, "page.html"), "--url", `${server.url}/xss/page.html`, "--format", "html"], { encoding: "utf8" });
  assert.match(cli, /fog horn/);
  mark = hits.length;
  files.set("cli.html", `<!DOCTYPE html><meta charset="utf-8"><div id="out">${cli}</div>`);
  await viewer.goto(`${server.url}/xss/files/cli.html`);
  assert.deepEqual(await check(viewer, "#out"), [], "CLI output audit");
  assert.deepEqual(since(mark), [], `ran in the CLI's HTML:\n  ${describe(since(mark))}`);
  const json = JSON.parse(execFileSync(join(ROOT, "target/release/lucid"), [join(dir, "page.html"), "--url", `${server.url}/xss/page.html`, "--format", "json"], { encoding: "utf8" }));
  assert.equal(json.leadImage, null, "a javascript: og:image is no lead image");
  await viewer.close();
  await lib.close();
  // Every vector was exercised somewhere: the page ran most of them, the outputs none.
  console.log(`# ${ids.length} vectors; ${onPage.size} ran on the page itself, 0 through Lucid's outputs`);
});

async function saveFromReader(format) {
  await clickInReader(page, ".lucid-save-button");
  const [download] = await Promise.all([page.waitForEvent("download"), clickInReader(page, `.lucid-menuitem[data-format=${format}]`)]);
  await waitInReader(page, (r) => /library/.test(r.querySelector(".lucid-status")?.textContent ?? ""));
  const file = await download.path();
  return readFileSync(file, "utf8");
}

test("images for a save: cookies only for the page's own host, never another site's", async () => {
  const port = new URL(server.url).port;
  await page.goto(`http://localhost:${port}/cred/set`); // the user is signed in on both sites
  await page.goto(`${server.url}/cred/set`);
  await page.goto(`${server.url}/cred/page.html`);
  await clickAction(browser.worker, page);
  await waitReader(page);
  await settle(); // the reader's own (lazy) image loads
  imageRequests.length = 0;
  const html = await saveFromReader("html");
  await clickAction(browser.worker, page);
  await waitReader(page, "closed");
  assert.equal((html.match(/<img [^>]*src="data:image\/png;base64,/g) || []).length, 2, "both images embedded");
  const fetched = imageRequests.filter((r) => r.dest === "empty"); // the extension's fetches, not the page's <img>
  const of = (host) => fetched.filter((r) => r.host === host).map((r) => r.cookie);
  assert.deepEqual(of("127.0.0.1"), ["sid=127.0.0.1-secret"], "the page's own host: as the page loaded it");
  assert.deepEqual(of("localhost"), [null], "another site: no cookie, though the user has one there");
  assert.deepEqual(imageRequests.filter((r) => r.dest !== "empty"), [], "rendering the copy loaded no image in the page");
});
