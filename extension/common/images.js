// Fetches article images for a saved copy and returns them as data: URLs. Images on the page's
// own host are fetched by the content script, as the page itself loaded them; the others by the
// service worker (Firefox: the background page), which may fetch another site only where the
// user granted host access (the optional host permission), and never with that site's cookies;
// everything else stays a link.
const MAX_IMAGES = 80;
const MAX_IMAGE_BYTES = 8 << 20;
const MAX_TOTAL_BYTES = 40 << 20;
const TIMEOUT_MS = 15_000;
const PARALLEL = 4;

/**
 * Resolves to { dataUrls: { [url]: dataUrl }, failed: [url] }. `pageUrl` is the page being saved:
 * images on its own host are fetched as the page itself loaded them (with cookies); any other
 * host's without credentials, so that a save can never read what another site serves only to
 * the signed-in user.
 */
export async function fetchImages(urls, pageUrl) {
  const wanted = [...new Set(urls.filter((u) => /^https?:/i.test(u)))].slice(0, MAX_IMAGES);
  const dataUrls = {};
  const failed = [];
  let total = 0;
  let next = 0;
  async function worker() {
    while (next < wanted.length) {
      const url = wanted[next++];
      try {
        const data = await fetchOne(url, MAX_TOTAL_BYTES - total, sameHost(url, pageUrl));
        total += data.size;
        dataUrls[url] = data.url;
      } catch {
        failed.push(url);
      }
    }
  }
  await Promise.all(Array.from({ length: PARALLEL }, worker));
  failed.push(...urls.filter((u) => /^https?:/i.test(u) && !wanted.includes(u)));
  return { dataUrls, failed };
}

export function sameHost(url, pageUrl) {
  try {
    return new URL(url).host === new URL(pageUrl).host;
  } catch {
    return false;
  }
}

async function fetchOne(url, budget, withCookies) {
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(), TIMEOUT_MS);
  try {
    const credentials = withCookies ? "include" : "omit";
    const res = await fetch(url, { signal: ctl.signal, credentials, cache: "force-cache" });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const type = (res.headers.get("content-type") || "").split(";")[0].trim().toLowerCase();
    // Raster only: the sanitizer refuses SVG images (they can carry script and links).
    if (!type.startsWith("image/") || type.startsWith("image/svg")) throw new Error(`not a raster image: ${type}`);
    const blob = await res.blob();
    if (blob.size > Math.min(MAX_IMAGE_BYTES, budget)) throw new Error("image too large");
    return { size: blob.size, url: await dataUrl(new Blob([blob], { type })) };
  } finally {
    clearTimeout(timer);
  }
}

/** A blob as a data: URL (FileReader: in workers and in Firefox's content scripts alike, where a
 * typed array over the response's buffer is refused across the Xray boundary). */
function dataUrl(blob) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result);
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(blob);
  });
}
