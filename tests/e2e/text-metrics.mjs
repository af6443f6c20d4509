// Token-level F1 between two texts (the measure score.py uses, simplified for test asserts),
// and a crude HTML-to-text for reference files.
export function tokens(text) {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

export function f1(predicted, reference) {
  const p = tokens(predicted);
  const r = tokens(reference);
  if (!p.length || !r.length) return 0;
  const counts = new Map();
  for (const t of r) counts.set(t, (counts.get(t) ?? 0) + 1);
  let common = 0;
  for (const t of p) {
    const n = counts.get(t);
    if (n) { common += 1; counts.set(t, n - 1); }
  }
  if (!common) return 0;
  const precision = common / p.length;
  const recall = common / r.length;
  return (2 * precision * recall) / (precision + recall);
}

export function htmlText(html) {
  return html
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, " ")
    .replace(/<[^>]+>/g, " ")
    .replace(/&nbsp;/g, " ").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;/g, "'").replace(/&amp;/g, "&")
    .replace(/\s+/g, " ");
}
