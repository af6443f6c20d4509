// Clean copies: the three file formats built from a library record, file names, downloads.
// A record is the article as saved: metadata, the engine's sanitized HTML (images possibly
// inlined as data: URLs), Markdown and text, plus when and from where it was saved.
import { renderReader } from "../reader/reader-view.js";
import { url } from "./ext.js";
import { applySettings } from "./settings.js";

/** The three formats of a clean copy: file extension, MIME type, and how the UI names them. */
export const FORMATS = Object.freeze({
  html: { ext: "html", mime: "text/html;charset=utf-8", name: "HTML", label: "Web page (.html)", hint: "Self-contained: styles and images inlined, no scripts" },
  markdown: { ext: "md", mime: "text/markdown;charset=utf-8", name: "Markdown", label: "Markdown (.md)", hint: "With a front-matter block" },
  text: { ext: "txt", mime: "text/plain;charset=utf-8", name: "Text", label: "Plain text (.txt)", hint: "" },
});

let css = null;

/** The reader stylesheet's text, fetched once per extension page (inlined into saved HTML). */
export function readerCss() {
  css ??= fetch(url("reader/reader.css")).then((r) => r.text());
  return css;
}

/** The record stored in the library for an extracted article. */
export function toRecord(article, html, images) {
  return {
    url: article.url || "",
    title: article.title || "Untitled",
    byline: article.byline || null,
    siteName: article.siteName || siteOf(article.url),
    published: article.published || null,
    excerpt: article.excerpt || null,
    lang: article.lang || null,
    dir: article.dir || null,
    wordCount: article.wordCount || 0,
    readingMinutes: article.readingMinutes || 0,
    truncated: !!article.truncated,
    truncatedReason: article.truncatedReason || null,
    html,
    markdown: article.markdown || "",
    text: article.text || "",
    images: images || { embedded: 0, linked: 0 },
    savedAt: new Date().toISOString(),
  };
}

export function siteOf(url) {
  try {
    return new URL(url).hostname.replace(/^www\./, "");
  } catch {
    return "";
  }
}

/**
 * One self-contained HTML file: our stylesheet inlined, the sanitized body, and a CSP that
 * forbids every script and every request (defence in depth: the body has no script to begin
 * with). Opening it contacts no site: images that were not embedded become links.
 */
export function htmlFile(record, css, settings) {
  const reader = document.createElement("div");
  reader.className = "lucid-reader";
  applySettings(reader, settings);
  const { body } = renderReader(reader, record, { removed: false, source: { url: record.url, savedAt: record.savedAt } });
  linkRemoteImages(body);
  const head = [
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">`,
    `<title>${escapeHtml(record.title)}</title>`,
    record.byline ? `<meta name="author" content="${escapeAttr(record.byline)}">` : "",
    /^https?:/i.test(record.url) ? `<link rel="canonical" href="${escapeAttr(record.url)}">` : "",
    '<meta name="generator" content="Lucid">',
    `<style>\n${css}\nhtml, body { margin: 0; } .lucid-reader { min-height: 100vh; }\n</style>`,
  ].filter(Boolean).join("\n");
  const lang = record.lang ? ` lang="${escapeAttr(record.lang)}"` : "";
  const dir = record.dir ? ` dir="${escapeAttr(record.dir)}"` : "";
  return `<!DOCTYPE html>\n<html${lang}${dir}>\n<head>\n${head}\n</head>\n<body>\n${reader.outerHTML}\n</body>\n</html>\n`;
}

/**
 * Images still on their site (Lucid could not embed them) become links to it, so that a saved
 * copy opened later tells no site when, where or whether it is read (no request, no cookie).
 */
function linkRemoteImages(body) {
  for (const img of body.querySelectorAll("img")) {
    img.removeAttribute("srcset");
    img.removeAttribute("loading");
    img.removeAttribute("decoding");
    const src = img.getAttribute("src") || "";
    if (/^data:image\//i.test(src)) continue;
    if (!/^https?:/i.test(src)) { img.remove(); continue; }
    const label = `Image${img.alt ? `: ${img.alt}` : ""} (on the original site)`;
    if (img.closest("a")) { img.replaceWith(`[${label}]`); continue; } // no link inside a link
    const link = document.createElement("a");
    link.className = "lucid-image-link";
    link.href = src;
    link.textContent = label;
    const p = document.createElement("p");
    p.append(link);
    // Inside a link or a paragraph a block would split it: keep the link inline there.
    img.replaceWith(img.closest("p, li, td, th, figcaption, h1, h2, h3, h4, h5, h6") ? link : p);
  }
}

/** Markdown with a YAML front-matter block (strings JSON-quoted, which YAML reads as-is). */
export function markdownFile(record) {
  const fields = [
    ["title", record.title], ["author", record.byline], ["site", record.siteName], ["url", record.url],
    ["published", record.published], ["saved", record.savedAt], ["lang", record.lang],
  ];
  const front = fields.filter(([, v]) => v).map(([k, v]) => `${k}: ${JSON.stringify(String(v))}`).join("\n");
  return `---\n${front}\n---\n\n${record.markdown.trim()}\n`;
}

/** A saved text file: the title, the byline when known, the body, then where it came from. */
export function textFile(record) {
  const head = [record.title, record.byline].filter(Boolean).join("\n");
  const source = record.url ? `\n\nSource: ${record.url}\nSaved: ${record.savedAt}` : "";
  return `${head ? `${head}\n\n` : ""}${record.text.trim()}${source}\n`;
}

/** The file for `record` in `format`; `css` is the reader stylesheet when the caller has it. */
export async function fileContent(record, format, settings, css = null) {
  if (format === "html") return htmlFile(record, css ?? await readerCss(), settings);
  if (format === "markdown") return markdownFile(record);
  if (format === "text") return textFile(record);
  throw new Error(`unknown format ${format}`);
}

/** A file name from the title: no path or reserved characters, at most 80 characters. */
export function fileName(title, format) {
  const base = String(title || "")
    .normalize("NFC")
    .replace(/[\u0000-\u001f\u007f<>:"/\\|?*]+/g, " ")
    .replace(/\s+/g, " ")
    .trim()
    .replace(/^\.+|\.+$/g, "")
    .slice(0, 80)
    .trim();
  return `${base || "article"}.${FORMATS[format].ext}`;
}

/**
 * Starts a download of `content` (works in content scripts and extension pages alike). The
 * link lives for a moment in `parent` (the reader's shadow root in a page, so the page's own
 * DOM is never touched).
 */
export function download(name, content, format, parent = document.body) {
  const blob = new Blob([content], { type: FORMATS[format].mime });
  const href = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = href;
  a.download = name;
  a.rel = "noopener";
  a.style.display = "none";
  (parent || document.documentElement).append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 30_000);
}

const ESC = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
export const escapeHtml = (s) => String(s).replace(/[&<>"']/g, (c) => ESC[c]);
const escapeAttr = escapeHtml;
