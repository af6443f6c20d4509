// Builds the reader view's article DOM from an article object. Shared by the extension's
// in-page reader, the library and the www playground (build.sh copies it to www/pkg/). The
// body HTML comes only from the engine's allowlist serializer (render::html); everything else
// is set as text, never as markup.

/**
 * Fills `root` with the header (site, title, byline, date, reading time), notices and body.
 * Options: `removed` (default true) lists what was removed; `source` adds a "Saved from" line.
 */
export function renderReader(root, article, { removed = true, source = null } = {}) {
  root.replaceChildren();
  if (article.lang) root.lang = article.lang;
  root.dir = article.dir || "auto";
  const page = el("article", "lucid-page");
  const header = el("header", "lucid-header");
  if (article.siteName) header.append(el("p", "lucid-site", article.siteName));
  header.append(el("h1", "lucid-title", article.title || "Untitled"));
  const meta = el("p", "lucid-meta");
  const minutes = article.readingMinutes ? `${article.readingMinutes} min read` : "";
  for (const part of [article.byline, formatDate(article.published), minutes]) {
    if (part) meta.append(el("span", "", part));
  }
  header.append(meta);
  if (source) header.append(sourceLine(source));
  if (article.truncated) {
    const why = article.truncatedReason ? ` (${article.truncatedReason})` : "";
    header.append(el("p", "lucid-notice lucid-truncated", `This page delivered only part of the article${why}. Lucid shows what the page delivered; it never fetches text from elsewhere.`));
  }
  if (removed && article.removed?.length) header.append(removedList(article.removed));
  const body = el("div", "lucid-body");
  // Sanitized by the engine's allowlist serializer. Parsed inert (a parsed document loads and
  // runs nothing), so that images can be made lazy before they start loading: the first paint
  // waits for none.
  const parsed = parseInert(article.html || "");
  for (const img of parsed.querySelectorAll("img")) {
    img.loading = "lazy";
    img.decoding = "async";
  }
  body.append(...parsed.childNodes);
  page.append(header, body);
  root.append(page);
  return { page, header, body };
}

function sourceLine({ url, savedAt }) {
  const p = el("p", "lucid-source");
  p.append("Saved from ");
  const a = el("a", "", url);
  a.href = /^https?:/i.test(url) ? url : "";
  p.append(a);
  if (savedAt) p.append(` on ${formatDate(savedAt)}`);
  return p;
}

/**
 * What was removed and why, as a collapsed list: `removed` holds `{ reason, text }` records (the
 * engine's removals, or "Clean this page"'s); at most `max` are listed.
 */
export function removedList(removed, summary = null, max = Infinity) {
  const details = el("details", "lucid-removed");
  details.append(el("summary", "", summary ?? `${removed.length} item${removed.length === 1 ? "" : "s"} removed`));
  const ul = document.createElement("ul");
  for (const r of removed.slice(0, max)) ul.append(el("li", "", `${r.reason}${r.text ? `: “${r.text}”` : ""}`));
  details.append(ul);
  return details;
}

export function formatDate(value) {
  if (!value) return "";
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? value : d.toLocaleDateString(undefined, { year: "numeric", month: "long", day: "numeric" });
}

/**
 * The body of an inert document holding `html`: nothing in it loads or runs (no browsing
 * context) until its nodes are moved into a live document.
 */
export function parseInert(html) {
  return new DOMParser().parseFromString(`<!DOCTYPE html><body>${html}`, "text/html").body;
}

/** `document.createElement` with a class and text content. */
export function el(tag, className, text) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}
