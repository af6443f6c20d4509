// A saved copy reopened from the library, rendered with the same reader chrome as the in-page
// reader. The stored HTML is not trusted: it goes through the engine's allowlist again.
import init, { sanitizeHtml } from "../pkg/lucid.js";
import { download, fileContent, fileName } from "../common/export.js";
import { getArticle } from "../common/library-db.js";
import { loadSettings } from "../common/settings.js";
import { mountReader } from "../reader/reader-ui.js";

const root = document.getElementById("reader");
const id = new URLSearchParams(location.search).get("id");
const [stored] = await Promise.all([id ? getArticle(id) : null, init({ module_or_path: new URL("../pkg/lucid_bg.wasm", import.meta.url) })]);
const record = stored ? { ...stored, html: sanitizeHtml(String(stored.html ?? "")) } : null;

if (!record) {
  root.textContent = "This saved article is no longer in the library.";
} else {
  document.title = record.title;
  document.documentElement.lang = record.lang || "";
  const ui = await mountReader(root, record, {
    onClose: () => { location.href = "library.html"; },
    onSave: async (format) => {
      const name = fileName(record.title, format);
      download(name, await fileContent(record, format, await loadSettings()), format);
      return `Exported “${name}”.`;
    },
  }, { closeLabel: "Library", source: { url: record.url, savedAt: record.savedAt } });
  addEventListener("keydown", (e) => {
    if (e.key === "Escape" && !ui.handleEscape()) location.href = "library.html";
  });
  ui.focus();
}
document.body.dataset.ready = "1";
