// Firefox driven through geckodriver's WebDriver HTTP API (no client library): a session with a
// fresh profile, the extension installed as a temporary add-on, and helpers that act the way a
// user does — a real click on the toolbar button and on context-menu items in Firefox's own UI
// (the chrome context), real key presses for the shortcuts.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const ADDON_ID = "lucid-reader@lucid.invalid";
/** The moz-extension:// host, fixed through a pref so that tests can open extension pages. */
export const ADDON_UUID = "6c0d3f5e-2a41-4b8e-9d7a-5a1f3c2b9e10";
/** Firefox's id for the toolbar widget of an add-on (its id, lowercased, [^a-z0-9_-] as "_"). */
const WIDGET = `${ADDON_ID.toLowerCase().replace(/[^a-z0-9_-]/g, "_")}-browser-action`;
const ELEMENT = "element-6066-11e4-a52e-4f735466cecf";
const SHADOW = "shadow-6066-11e4-a52e-4f735466cecf";

function freePort() {
  return new Promise((ok) => {
    const srv = createServer();
    srv.listen(0, "127.0.0.1", () => { const { port } = srv.address(); srv.close(() => ok(port)); });
  });
}

/**
 * Starts geckodriver and a headless Firefox (`binary`) with the add-on from `addonDir`; resolves to
 * a driver object. `downloads` is the download directory; `prefs` extra preferences.
 */
export async function startFirefox({ binary, addonDir, downloads, prefs = {} }) {
  const port = await freePort();
  const driver = spawn("geckodriver", ["--port", String(port), "--host", "127.0.0.1"], { stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  driver.stdout.on("data", (d) => { log += d; });
  driver.stderr.on("data", (d) => { log += d; });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      await fetch(`${base}/status`);
      break;
    } catch (err) {
      if (i > 100) throw new Error(`geckodriver did not start: ${log}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const call = async (method, path, body) => {
    const res = await fetch(`${base}${path}`, { method, headers: { "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
    const json = await res.json();
    if (!res.ok) {
      const err = new Error(`${method} ${path}: ${json.value?.error}: ${json.value?.message}`);
      err.code = json.value?.error;
      throw err;
    }
    return json.value;
  };
  const profile = mkdtempSync(join(tmpdir(), "lucid-firefox-"));
  const session = await call("POST", "/session", {
    capabilities: {
      alwaysMatch: {
        browserName: "firefox",
        "moz:firefoxOptions": {
          binary,
          args: ["-headless", "-remote-allow-system-access", "-profile", profile],
          prefs: {
            "extensions.webextensions.uuids": JSON.stringify({ [ADDON_ID]: ADDON_UUID }),
            "browser.download.dir": downloads,
            "browser.download.folderList": 2,
            "browser.download.useDownloadDir": true,
            "browser.download.always_ask_before_handling_new_types": false,
            "browser.download.start_downloads_in_tmp_dir": false,
            "browser.download.alwaysOpenPanel": false,
            "browser.download.panel.shown": true,
            "network.proxy.type": 0,
            "browser.shell.checkDefaultBrowser": false,
            "datareporting.policy.dataSubmissionEnabled": false,
            "browser.aboutwelcome.enabled": false,
            "extensions.getAddons.cache.enabled": false,
            "browser.safebrowsing.downloads.enabled": false,
            "browser.safebrowsing.malware.enabled": false,
            "browser.safebrowsing.phishing.enabled": false,
            "network.captive-portal-service.enabled": false,
            "network.connectivity-service.enabled": false,
            ...prefs,
          },
        },
      },
    },
  });
  const sid = session.sessionId;
  const s = (method, path, body) => call(method, `/session/${sid}${path}`, body);
  const addon = await s("POST", "/moz/addon/install", { path: addonDir, temporary: true });
  const version = session.capabilities.browserVersion;

  async function context(which) {
    await s("POST", "/moz/context", { context: which });
  }
  async function inChrome(fn) {
    await context("chrome");
    try {
      return await fn();
    } finally {
      await context("content");
    }
  }
  const find = async (selector, from = null) => {
    const path = from ? `/element/${from}/element` : "/element";
    return (await s("POST", path, { using: "css selector", value: selector }))[ELEMENT];
  };
  const exec = (script, args = []) => s("POST", "/execute/sync", { script, args });

  const ff = {
    version,
    addon,
    call: s,
    exec,
    inChrome,
    async goto(url) { await s("POST", "/url", { url }); },
    /** A real click on Lucid's toolbar button (grants activeTab, like the user's). */
    async clickToolbar() {
      await inChrome(async () => {
        const el = await find(`#${WIDGET} toolbarbutton, toolbarbutton#${WIDGET}`);
        await s("POST", `/element/${el}/click`, {});
      });
    },
    /** Real key presses: `keys` like ["Alt", "Shift", "r"], pressed in order, released in reverse. */
    async press(keys, where = "chrome") {
      const code = { Alt: "\uE00A", Shift: "\uE008", Control: "\uE009", Escape: "\uE00C", Enter: "\uE007" };
      const down = keys.map((k) => ({ type: "keyDown", value: code[k] ?? k }));
      const up = [...keys].reverse().map((k) => ({ type: "keyUp", value: code[k] ?? k }));
      const run = () => s("POST", "/actions", { actions: [{ type: "key", id: "kbd", actions: [...down, ...up] }] });
      if (where === "chrome") await inChrome(run);
      else await run();
      await s("DELETE", "/actions");
    },
    /** Opens the page's context menu (a real right click) and clicks Lucid's item `menuId`. */
    async contextMenu(menuId) {
      const body = await find("body");
      await s("POST", "/actions", { actions: [{ type: "pointer", id: "mouse", parameters: { pointerType: "mouse" }, actions: [
        { type: "pointerMove", origin: { [ELEMENT]: body }, x: 0, y: 0 },
        { type: "pointerDown", button: 2 }, { type: "pointerUp", button: 2 },
      ] }] });
      await s("DELETE", "/actions");
      await inChrome(async () => {
        const item = `#${ADDON_ID.toLowerCase().replace(/[^a-z0-9_-]/g, "_")}-menuitem-_${menuId}`;
        for (let i = 0; ; i++) {
          const open = await exec("return document.getElementById('contentAreaContextMenu').state");
          if (open === "open") break;
          if (i > 50) throw new Error(`the context menu did not open (${open})`);
          await new Promise((r) => setTimeout(r, 100));
        }
        const el = await find(item);
        await s("POST", `/element/${el}/click`, {});
      });
    },
    /** The reader's shadow root (closed to page script; WebDriver reaches it as DevTools do). */
    async readerRoot() {
      let host;
      try {
        host = await find("lucid-reader");
      } catch {
        return null;
      }
      const root = await s("GET", `/element/${host}/shadow`).catch(() => null);
      return root?.[SHADOW] ?? null;
    },
    async findInReader(selector) {
      const root = await ff.readerRoot();
      if (!root) return null;
      const got = await s("POST", `/shadow/${root}/elements`, { using: "css selector", value: selector });
      return got.map((e) => e[ELEMENT]);
    },
    text: (el) => s("GET", `/element/${el}/text`),
    click: (el) => s("POST", `/element/${el}/click`, {}),
    async quit() {
      await s("DELETE", "").catch(() => {});
      driver.kill();
      rmSync(profile, { recursive: true, force: true });
    },
    log: () => log,
  };
  return ff;
}
