// Fetches article images for a saved copy and returns them as data: URLs. Runs in the service
// worker, which may fetch cross-origin only where the user granted host access (the optional
// host permission) or where activeTab grants the current site; everything else stays a link.
const MAX_IMAGES = 80;
const MAX_IMAGE_BYTES = 8 << 20;
const MAX_TOTAL_BYTES = 40 << 20;
const TIMEOUT_MS = 15_000;
const PARALLEL = 4;

/** Resolves to { dataUrls: { [url]: dataUrl }, failed: [url] }. */
export async function fetchImages(urls) {
  const wanted = [...new Set(urls.filter((u) => /^https?:/i.test(u)))].slice(0, MAX_IMAGES);
  const dataUrls = {};
  const failed = [];
  let total = 0;
  let next = 0;
  async function worker() {
    while (next < wanted.length) {
      const url = wanted[next++];
      try {
        const data = await fetchOne(url, MAX_TOTAL_BYTES - total);
        total += data.length;
        dataUrls[url] = data;
      } catch {
        failed.push(url);
      }
    }
  }
  await Promise.all(Array.from({ length: PARALLEL }, worker));
  failed.push(...urls.filter((u) => /^https?:/i.test(u) && !wanted.includes(u)));
  return { dataUrls, failed };
}

async function fetchOne(url, budget) {
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(), TIMEOUT_MS);
  try {
    const res = await fetch(url, { signal: ctl.signal, credentials: "include", cache: "force-cache" });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const type = (res.headers.get("content-type") || "").split(";")[0].trim().toLowerCase();
    if (!type.startsWith("image/")) throw new Error(`not an image: ${type}`);
    const bytes = new Uint8Array(await res.arrayBuffer());
    if (bytes.length > Math.min(MAX_IMAGE_BYTES, budget)) throw new Error("image too large");
    return `data:${type};base64,${base64(bytes)}`;
  } finally {
    clearTimeout(timer);
  }
}

function base64(bytes) {
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}
