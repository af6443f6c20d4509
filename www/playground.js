// The playground: paste, drop or pick HTML, run the wasm engine (extractHtml: the browser's
// DOMParser feeds the same core the extension uses), show the reader view, metadata, what was
// removed and why, and how long each step took.
import init, { extractHtml } from "./pkg/lucid.js";
import { renderReader } from "./pkg/reader-view.js";

const $ = (id) => document.getElementById(id);
const ready = (async () => {
  const t0 = performance.now();
  await init({ module_or_path: new URL("./pkg/lucid_bg.wasm", import.meta.url) });
  return performance.now() - t0;
})();

function setStatus(text, isError = false) {
  $("status").textContent = text;
  $("status").classList.toggle("error", isError);
}

function showMeta(article) {
  const rows = [
    ["Title", article.title], ["Byline", article.byline], ["Site", article.siteName],
    ["Published", article.published], ["Language", article.lang], ["Direction", article.dir],
    ["Words", article.wordCount], ["Reading time", `${article.readingMinutes} min`],
    ["Lead image", article.leadImage], ["Excerpt", article.excerpt],
    ["Whole article delivered", article.truncated ? `no: ${article.truncatedReason}` : "yes"],
  ];
  const table = $("meta");
  table.replaceChildren(...rows.filter(([, v]) => v !== null && v !== undefined && v !== "").map(([k, v]) => {
    const tr = document.createElement("tr");
    const th = document.createElement("th");
    const td = document.createElement("td");
    th.textContent = k;
    td.textContent = String(v);
    tr.append(th, td);
    return tr;
  }));
}

function showRemoved(removed) {
  $("removed-count").textContent = `(${removed.length})`;
  $("removed").replaceChildren(...removed.map((r) => {
    const li = document.createElement("li");
    const code = document.createElement("code");
    code.textContent = r.rule;
    const text = document.createElement("span");
    text.className = "text";
    text.textContent = r.text ? ` “${r.text}”` : "";
    li.append(code, ` ${r.reason}`, text);
    return li;
  }));
}

async function run() {
  const html = $("html").value;
  if (!html.trim()) {
    setStatus("Paste some HTML, drop a file, or pick a sample.");
    return;
  }
  const instantiateMs = await ready;
  const t0 = performance.now();
  try {
    const article = extractHtml(html, $("url").value.trim(), { formats: ["html", "markdown"] });
    const total = performance.now() - t0;
    renderReader($("reader"), article);
    showMeta(article);
    showRemoved(article.removed);
    $("markdown").textContent = article.markdown;
    const t = article.timings;
    setStatus(`Extracted in ${total.toFixed(1)} ms (parse + snapshot ${t.snapshotMs.toFixed(1)}, extract ${t.extractMs.toFixed(1)}, render ${t.renderMs.toFixed(1)}); wasm instantiated in ${instantiateMs.toFixed(0)} ms.`);
  } catch (err) {
    $("reader").replaceChildren();
    showMeta({});
    showRemoved([]);
    // The engine's errors carry a stable name (ExtractError::code in error.rs).
    setStatus(err.name === "NoArticle" ? "No article found on this page." : `Error: ${err.message}`, true);
  }
}

$("run").addEventListener("click", run);
$("sample").addEventListener("change", async (e) => {
  if (!e.target.value) return;
  const res = await fetch(e.target.value);
  $("html").value = await res.text();
  $("url").value = new URL(e.target.value, location.href).href;
  run();
});
$("theme").addEventListener("change", (e) => { $("reader").dataset.theme = e.target.value; });
$("font").addEventListener("change", (e) => { $("reader").dataset.font = e.target.value; });
document.addEventListener("dragover", (e) => { e.preventDefault(); document.body.classList.add("drop"); });
document.addEventListener("dragleave", () => document.body.classList.remove("drop"));
document.addEventListener("drop", async (e) => {
  e.preventDefault();
  document.body.classList.remove("drop");
  const file = e.dataTransfer?.files?.[0];
  if (!file) return;
  $("html").value = await file.text();
  run();
});
// A newcomer sees the bundled sample extracted at once (the others are one pick away);
// ?sample=NAME opens another one, ?sample=none an empty playground.
const initial = new URLSearchParams(location.search).get("sample") ?? "sea-walk";
if (initial !== "none") {
  $("sample").value = `samples/${initial}.html`;
  $("sample").dispatchEvent(new Event("change"));
}
