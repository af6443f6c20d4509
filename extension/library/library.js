// The library page: saved copies listed newest first, full-text search, reopen, export in the
// three formats, delete.
import { download, fileContent, fileName, FORMATS } from "../common/export.js";
import { deleteArticle, getArticle, listEntries, onLibraryChange } from "../common/library-db.js";
import { applySettings, loadSettings, watchSettings } from "../common/settings.js";
import { el, formatDate } from "../reader/reader-view.js";

const $ = (id) => document.getElementById(id);
let settings = await loadSettings();
applySettings($("app"), settings);
watchSettings((s) => { settings = s; applySettings($("app"), s); });

async function show() {
  const query = $("q").value.trim();
  const entries = await listEntries(query);
  $("count").textContent = query
    ? `${entries.length} saved article${entries.length === 1 ? "" : "s"} match “${query}”.`
    : entries.length ? `${entries.length} saved article${entries.length === 1 ? "" : "s"}.` : "Nothing saved yet: open an article in Lucid's reader and choose Save.";
  $("list").replaceChildren(...entries.map(row));
}

function row(entry) {
  const li = el("li", "entry");
  li.dataset.id = entry.id;
  const a = el("a", "entry-title", entry.title);
  a.href = `read.html?id=${entry.id}`;
  const meta = el("p", "entry-meta");
  for (const part of [entry.siteName, `saved ${formatDate(entry.savedAt)}`, `${entry.wordCount.toLocaleString()} words`]) {
    if (part) meta.append(el("span", "", part));
  }
  li.append(a, meta);
  if (entry.snippet) li.append(el("p", "entry-snippet", entry.snippet));
  const actions = el("div", "entry-actions");
  for (const [format, { name: label }] of Object.entries(FORMATS)) {
    const b = el("button", "", label);
    b.type = "button";
    b.dataset.format = format;
    b.title = `Export as ${label}`;
    b.addEventListener("click", () => exportAs(entry.id, format));
    actions.append(b);
  }
  const del = el("button", "danger", "Delete");
  del.type = "button";
  del.addEventListener("click", async () => {
    if (del.dataset.armed !== "1") {
      del.dataset.armed = "1";
      del.textContent = "Really delete?";
      setTimeout(() => { del.dataset.armed = ""; del.textContent = "Delete"; }, 4000);
      return;
    }
    await deleteArticle(entry.id);
    show();
  });
  actions.append(del);
  li.append(actions);
  return li;
}

async function exportAs(id, format) {
  const record = await getArticle(id);
  if (!record) return show();
  download(fileName(record.title, format), await fileContent(record, format, settings), format);
}

let pending = 0;
$("q").addEventListener("input", () => {
  clearTimeout(pending);
  pending = setTimeout(show, 120);
});
onLibraryChange(() => show()); // saves from other tabs appear at once
await show();
document.body.dataset.ready = "1";
