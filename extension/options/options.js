// The options page: the reader settings (the same controls as the reader's panel, persisted in
// storage.sync and applied live), and the optional host access used to embed images.
import { dropAllSites, hasAllSites, onPermissionsChange, requestAllSites } from "../common/ext.js";
import { applySettings, DEFAULTS, FONTS, loadSettings, RANGES, saveSettings, THEMES, watchSettings } from "../common/settings.js";

const $ = (id) => document.getElementById(id);
const LABELS = { theme: "Theme", font: "Font", size: "Text size (px)", width: "Line length (em)", line: "Line spacing" };

let settings = await loadSettings();

function field(key) {
  const wrap = document.createElement("div");
  wrap.className = "field";
  const id = `opt-${key}`;
  const label = document.createElement("label");
  label.htmlFor = id;
  label.textContent = LABELS[key];
  let input;
  if (RANGES[key]) {
    const [min, max, step] = RANGES[key];
    input = Object.assign(document.createElement("input"), { type: "range", min, max, step });
    const out = document.createElement("output");
    out.htmlFor = id;
    input.addEventListener("input", () => { out.textContent = input.value; update(key, Number(input.value)); });
    wrap.refresh = () => { input.value = settings[key]; out.textContent = settings[key]; };
    wrap.append(label, input, out);
  } else {
    input = document.createElement("select");
    for (const v of key === "theme" ? THEMES : FONTS) input.append(new Option(v[0].toUpperCase() + v.slice(1), v));
    input.addEventListener("change", () => update(key, input.value));
    wrap.refresh = () => { input.value = settings[key]; };
    wrap.append(label, input);
  }
  input.id = id;
  input.name = key;
  return wrap;
}

const fields = ["theme", "font", "size", "width", "line"].map(field);
$("settings").append(...fields);

function render() {
  fields.forEach((f) => f.refresh());
  applySettings($("app"), settings);
}

async function update(key, value) {
  settings = { ...settings, [key]: value };
  applySettings($("app"), settings);
  await saveSettings(settings);
}

$("reset").addEventListener("click", async () => {
  settings = { ...DEFAULTS };
  render();
  await saveSettings(settings);
});
watchSettings((s) => { settings = s; render(); });
render();

// Firefox grants a permission request only when it is made synchronously in the user's click
// handler (no await before it): the current state is kept here, not asked for on click.
let granted = false;

async function showImageAccess() {
  granted = await hasAllSites();
  $("images-state").textContent = granted ? "Lucid may fetch images for saved copies." : "Saved copies keep images as links.";
  $("images-toggle").textContent = granted ? "Stop fetching images" : "Allow fetching images";
}
$("images-toggle").addEventListener("click", () => {
  (granted ? dropAllSites() : requestAllSites()).catch(() => {}).finally(showImageAccess);
});
onPermissionsChange(showImageAccess);
showImageAccess();
