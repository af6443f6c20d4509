// Builds the reader view's DOM from an article object. The body HTML comes only from the
// engine's allowlist serializer (render::html); everything else is set as text.
// NOTE: the extension keeps its own copy in extension/reader/ until the two are unified by the
// build (www/ only serves files under www/).

/** Fills `root` with the header (site, title, byline, date, reading time), notices and body. */
export function renderReader(root, article) {
  root.replaceChildren();
  if (article.lang) root.lang = article.lang;
  root.dir = article.dir || "auto";
  const page = el("div", "lucid-page");
  const header = el("header", "lucid-header");
  if (article.siteName) header.append(el("p", "lucid-site", article.siteName));
  header.append(el("h1", "lucid-title", article.title || "Untitled"));
  const meta = el("p", "lucid-meta");
  for (const part of [article.byline, formatDate(article.published), `${article.readingMinutes} min read`]) {
    if (part) meta.append(el("span", "", part));
  }
  header.append(meta);
  if (article.truncated) {
    header.append(el("p", "lucid-notice", `This page delivered only part of the article (${article.truncatedReason}).`));
  }
  if (article.removed?.length) header.append(removedList(article.removed));
  const body = el("div", "lucid-body");
  body.innerHTML = article.html; // sanitized by the engine's allowlist serializer
  page.append(header, body);
  root.append(page);
}

function removedList(removed) {
  const details = el("details", "lucid-removed");
  details.append(el("summary", "", `${removed.length} item${removed.length === 1 ? "" : "s"} removed`));
  const ul = document.createElement("ul");
  for (const r of removed) {
    const li = el("li", "", `${r.reason}${r.text ? `: “${r.text}”` : ""}`);
    ul.append(li);
  }
  details.append(ul);
  return details;
}

function formatDate(value) {
  if (!value) return "";
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? value : d.toLocaleDateString(undefined, { year: "numeric", month: "long", day: "numeric" });
}

function el(tag, className, text) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}
