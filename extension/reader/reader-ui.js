// The reader's chrome around the article: toolbar (close, listen, save, settings), the settings
// panel, and a status line. Used by the in-page reader (content.js, inside a shadow root) and
// by the library's reopened copies. Everything is built with DOM calls; no markup strings
// except the engine's sanitized article body (reader-view.js).
import { FORMATS } from "../common/export.js";
import { applySettings, FONTS, loadSettings, RANGES, saveSettings, stepped, THEMES, watchSettings } from "../common/settings.js";
import { el, renderReader } from "./reader-view.js";
import { Speaker } from "./speech.js";


const LABELS = { size: "Text size", width: "Line length", line: "Line spacing" };
const UNITS = { size: (v) => `${v}px`, width: (v) => `${v}em`, line: (v) => v.toFixed(1) };

/**
 * Mounts the reader into `root` (the element carrying the `lucid-reader` class). Handlers:
 * `onClose()`, `onSave(format) -> Promise<string>` (status text), `onLibrary()`, `onOptions()`.
 * `closeLabel` names the close button; `settings`, when the caller already has them, saves a
 * storage read. Returns { handleEscape, destroy, focus, say }.
 */
export async function mountReader(root, article, handlers, { closeLabel = "Close", source = null, settings: known = null } = {}) {
  let settings = known ?? await loadSettings();
  applySettings(root, settings);
  root.replaceChildren();
  root.tabIndex = -1; // focusable, so the keyboard scrolls the article
  root.classList.add("lucid-with-toolbar");
  const { status, say } = statusLine();

  const toolbar = el("div", "lucid-toolbar");
  toolbar.setAttribute("role", "toolbar");
  toolbar.setAttribute("aria-label", "Reader tools");
  const closeBtn = button(closeLabel, "lucid-close", `${closeLabel} (Esc)`);
  onUser(closeBtn, "click", () => handlers.onClose());

  const listenBtn = button("Listen", "lucid-listen", "Read aloud with an on-device voice");
  listenBtn.setAttribute("aria-pressed", "false");

  const save = saveMenu(handlers, say);
  const settingsBtn = button("Aa", "lucid-settings-button", "Reader settings");
  const panel = settingsPanel(() => settings, async (next) => {
    settings = next;
    applySettings(root, settings);
    panel.refresh();
    await saveSettings(settings);
  }, handlers.onOptions);
  settingsBtn.setAttribute("aria-controls", panel.id);
  settingsBtn.setAttribute("aria-expanded", "false");
  onUser(settingsBtn, "click", () => togglePanel());

  toolbar.append(closeBtn, el("span", "lucid-spacer"), listenBtn, save.wrap, settingsBtn, panel);
  const content = el("div", "lucid-content");
  const { body } = renderReader(content, article, { source });
  root.append(toolbar, status, content);

  const speaker = new Speaker(body, article.lang, (state, detail) => {
    listenBtn.setAttribute("aria-pressed", String(state === "playing"));
    listenBtn.textContent = state === "playing" ? "Pause" : state === "paused" ? "Resume" : "Listen";
    if (state === "unavailable") say(detail);
  });
  onUser(listenBtn, "click", () => speaker.toggle());

  function togglePanel(open = panel.hidden) {
    panel.hidden = !open;
    settingsBtn.setAttribute("aria-expanded", String(open));
    if (open) panel.querySelector("input:checked, button")?.focus();
  }

  const unwatch = watchSettings((s) => {
    settings = s;
    applySettings(root, s);
    panel.refresh();
  });

  return {
    /** Closes an open menu or panel; true when Esc was used up that way. */
    handleEscape() {
      if (save.close()) return true;
      if (!panel.hidden) { togglePanel(false); settingsBtn.focus(); return true; }
      return false;
    },
    focus() { root.focus({ preventScroll: true }); },
    destroy() { speaker.stop(); unwatch(); },
    say,
  };
}

/** The status line under the toolbar, and `say(text, action)` to show a message in it (`action`,
 * `{ label, run }`, adds a button). */
function statusLine() {
  const status = el("p", "lucid-status");
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");
  const say = (text, action) => {
    status.textContent = text;
    if (action) {
      const b = button(action.label, "lucid-status-action");
      onUser(b, "click", () => action.run());
      status.append(" ", b);
    }
    status.hidden = !text;
  };
  say("");
  return { status, say };
}

/**
 * The Save button and its menu: one item per format (`handlers.onSave(format)`, its outcome
 * said on the status line) and "Open library". Returns `{ wrap, close() }`; `close()` closes an
 * open menu and says whether it was open (Esc).
 */
function saveMenu(handlers, say) {
  const saveBtn = button("Save", "lucid-save-button", "Save a clean copy");
  const menu = el("div", "lucid-menu");
  menu.setAttribute("role", "menu");
  menu.hidden = true;
  menu.id = "lucid-save-menu";
  saveBtn.setAttribute("aria-haspopup", "menu");
  saveBtn.setAttribute("aria-controls", menu.id);
  saveBtn.setAttribute("aria-expanded", "false");
  const toggle = (open = menu.hidden) => {
    menu.hidden = !open;
    saveBtn.setAttribute("aria-expanded", String(open));
    if (open) menu.querySelector("button")?.focus();
  };
  for (const [format, { label, hint }] of Object.entries(FORMATS)) {
    const item = button(label, "lucid-menuitem", hint);
    item.setAttribute("role", "menuitem");
    item.dataset.format = format;
    onUser(item, "click", async () => {
      toggle(false);
      say("Saving…");
      try {
        const done = await handlers.onSave(format);
        if (typeof done === "string") say(done);
        else say(done.text, done.action);
      } catch (err) {
        say(`Could not save: ${err.message}`);
      }
    });
    menu.append(item);
  }
  if (handlers.onLibrary) {
    const lib = button("Open library", "lucid-menuitem", "Your saved articles");
    lib.setAttribute("role", "menuitem");
    onUser(lib, "click", () => { toggle(false); handlers.onLibrary(); });
    menu.append(lib);
  }
  onUser(saveBtn, "click", () => toggle());
  onUser(menu, "keydown", (e) => {
    const items = [...menu.querySelectorAll("button")];
    const i = items.indexOf(e.target.closest("button"));
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      items[(i + (e.key === "ArrowDown" ? 1 : items.length - 1)) % items.length].focus();
    }
  });
  const wrap = el("div", "lucid-menu-wrap");
  wrap.append(saveBtn, menu);
  return {
    wrap,
    close() {
      if (menu.hidden) return false;
      toggle(false);
      saveBtn.focus();
      return true;
    },
  };
}

function settingsPanel(get, set, onOptions) {
  const panel = el("div", "lucid-panel");
  panel.id = "lucid-settings";
  panel.setAttribute("role", "group");
  panel.setAttribute("aria-label", "Reader settings");
  panel.hidden = true;
  const refreshers = [];
  panel.append(choiceGroup("Theme", "theme", THEMES, get, set, refreshers));
  panel.append(choiceGroup("Font", "font", FONTS, get, set, refreshers));
  for (const key of Object.keys(RANGES)) panel.append(stepper(key, get, set, refreshers));
  if (onOptions) {
    const more = button("All options…", "lucid-link", "Open Lucid's options page");
    onUser(more, "click", () => onOptions());
    panel.append(more);
  }
  panel.refresh = () => refreshers.forEach((r) => r());
  panel.refresh();
  return panel;
}

function choiceGroup(label, key, values, get, set, refreshers) {
  const fs = el("fieldset", `lucid-choice lucid-choice-${key}`);
  fs.append(el("legend", "", label));
  for (const v of values) {
    const lab = el("label", `lucid-swatch lucid-${key}-${v}`);
    const input = document.createElement("input");
    input.type = "radio";
    input.name = `lucid-${key}`;
    input.value = v;
    onUser(input, "change", () => set({ ...get(), [key]: v }));
    lab.append(input, el("span", "", v[0].toUpperCase() + v.slice(1)));
    fs.append(lab);
    refreshers.push(() => { input.checked = get()[key] === v; });
  }
  return fs;
}

function stepper(key, get, set, refreshers) {
  const row = el("div", `lucid-stepper lucid-stepper-${key}`);
  const name = el("span", "lucid-stepper-label", LABELS[key]);
  name.id = `lucid-${key}-label`;
  const minus = button("−", "lucid-step", `Decrease ${LABELS[key].toLowerCase()}`);
  const value = el("output", "lucid-step-value");
  value.setAttribute("aria-labelledby", name.id);
  const plus = button("+", "lucid-step", `Increase ${LABELS[key].toLowerCase()}`);
  minus.dataset.setting = key;
  plus.dataset.setting = key;
  onUser(minus, "click", () => set({ ...get(), [key]: stepped(key, get()[key], -1) }));
  onUser(plus, "click", () => set({ ...get(), [key]: stepped(key, get()[key], 1) }));
  row.append(name, minus, value, plus);
  refreshers.push(() => {
    const v = get()[key];
    value.textContent = UNITS[key](v);
    minus.disabled = v <= RANGES[key][0];
    plus.disabled = v >= RANGES[key][1];
  });
  return row;
}

/**
 * Listens for the user's own events only: a page script can dispatch events on the reader's
 * controls (if it ever reached them), but never trusted ones.
 */
function onUser(target, type, fn) {
  target.addEventListener(type, (e) => {
    if (e.isTrusted) fn(e);
  });
}

function button(text, className, title) {
  const b = el("button", className, text);
  b.type = "button";
  if (title) b.title = title;
  return b;
}
