// Reader typography settings: defaults, limits, persistence in chrome.storage.sync, and how
// they are applied to a reader element (data attributes + CSS custom properties).
import { onSyncChange, syncGet, syncSet } from "./ext.js";

const KEY = "readerSettings";

export const THEMES = ["light", "sepia", "dark", "system"];
export const FONTS = ["serif", "sans"];
/** Numeric settings: [min, max, step, default]. */
export const RANGES = {
  size: [14, 32, 1, 20], // px
  width: [28, 56, 2, 38], // em
  line: [1.2, 2.2, 0.1, 1.6], // unitless
};

export const DEFAULTS = Object.freeze({
  theme: "system",
  font: "serif",
  ...Object.fromEntries(Object.entries(RANGES).map(([k, [, , , d]]) => [k, d])),
});

/** Returns settings with every field present and inside its limits (stored data may be stale). */
export function normalize(raw) {
  const s = { ...DEFAULTS };
  if (THEMES.includes(raw?.theme)) s.theme = raw.theme;
  if (FONTS.includes(raw?.font)) s.font = raw.font;
  for (const [k, [min, max, step]] of Object.entries(RANGES)) {
    const v = Number(raw?.[k]);
    if (Number.isFinite(v)) s[k] = Math.round(Math.min(max, Math.max(min, v)) / step) * step;
    s[k] = Number(s[k].toFixed(2));
  }
  return s;
}

/** `value` one step up or down inside its range. */
export function stepped(key, value, direction) {
  const [, , step] = RANGES[key];
  return normalize({ ...DEFAULTS, [key]: value + direction * step })[key];
}

export async function loadSettings() {
  return normalize(await syncGet(KEY));
}

export async function saveSettings(settings) {
  await syncSet(KEY, normalize(settings));
}

/** Calls `fn(settings)` whenever the settings change anywhere (another tab, the options page). */
export function watchSettings(fn) {
  return onSyncChange(KEY, (v) => fn(normalize(v)));
}

/** Applies settings to the element that carries the reader styles. */
export function applySettings(el, s) {
  el.dataset.theme = s.theme;
  el.dataset.font = s.font;
  el.style.setProperty("--lucid-size", `${s.size}px`);
  el.style.setProperty("--lucid-width", `${s.width}em`);
  el.style.setProperty("--lucid-line", String(s.line));
}
