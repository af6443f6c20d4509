// Saving a clean copy from the page: images inlined where Lucid may fetch them (the page's own
// by this content script, other sites' through the worker without credentials), the file
// downloaded through a link the page never sees, the record added to the library.
import { send } from "../common/ext.js";
import { download, fileContent, fileName, toRecord } from "../common/export.js";
import { fetchImages, sameHost } from "../common/images.js";
import { MSG, unwrap } from "../common/messages.js";
import { loadSettings } from "../common/settings.js";
import { parseInert } from "../reader/reader-view.js";
import READER_CSS from "../reader/reader.css";

/**
 * Saves `article` (rendered in every format) as `format`: downloads the file through a link
 * appended for a moment to `parent` (the reader's closed shadow root, or a detached element) and
 * adds it to the library. Resolves to the status text, or `{ text, action }` when images stayed
 * links and the user may allow embedding them.
 */
export async function saveArticle(article, format, parent) {
  const { html, images } = await inlineImages(article.html || "");
  const record = toRecord(article, html, images);
  const settings = await loadSettings();
  const name = fileName(record.title, format);
  download(name, await fileContent(record, format, settings, READER_CSS), format, parent);
  unwrap(await send({ type: MSG.LIBRARY_ADD, record }));
  const saved = `Saved “${name}” and added it to your library.`;
  if (format === "html" && images.linked) {
    return {
      text: `${saved} ${images.linked === 1 ? "1 image is kept as a link" : `${images.linked} images are kept as links`} to the original site: Lucid may not fetch ${images.linked === 1 ? "it" : "them"}.`,
      action: { label: "Allow embedding images…", run: () => send({ type: MSG.OPEN_OPTIONS, anchor: "images" }) },
    };
  }
  return saved;
}

async function inlineImages(html) {
  const body = parseInert(html); // our own sanitized output, in a document that loads nothing
  const imgs = [...body.querySelectorAll("img[src]")];
  const urls = imgs.map((img) => img.getAttribute("src")).filter((u) => /^https?:/i.test(u));
  if (!urls.length) return { html, images: { embedded: 0, linked: 0 } };
  // The page's own images from here (no extension privilege needed: the page loaded them); the
  // rest, and any that failed here, through the worker, without credentials.
  const own = urls.filter((u) => sameHost(u, location.href));
  const { dataUrls } = await fetchImages(own, location.href);
  const rest = urls.filter((u) => !dataUrls[u]);
  if (rest.length) Object.assign(dataUrls, unwrap(await send({ type: MSG.FETCH_IMAGES, urls: rest })).dataUrls);
  let embedded = 0;
  let linked = 0;
  for (const img of imgs) {
    const src = img.getAttribute("src");
    if (!/^https?:/i.test(src)) continue;
    if (dataUrls[src]) {
      img.setAttribute("src", dataUrls[src]);
      img.removeAttribute("srcset");
      embedded += 1;
    } else {
      linked += 1;
    }
  }
  return { html: body.innerHTML, images: { embedded, linked } };
}
