// Browser benchmark: on the same live page in the same run, time (a) Lucid: snapshot + extract +
// render (wasm), and (b) Readability.js 0.6 on document.cloneNode(true), fastest of three runs
// each, interleaved; also the first run alone (cold code). Prints medians, p90 and
// the ratio, the F1 of both outputs (score.py), and the wasm instantiate time. Timings are printed,
// never asserted.
import { mkdtemp, readdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execFileSync } from "node:child_process";
import { startServer, SHARED } from "./serve.mjs";
import { launch, localOnly } from "./browser.mjs";

const PAGES_PER_CORPUS = Number(process.env.LUCID_BENCH_PAGES || 60);
const RUNS = 3;

const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.round((s.length - 1) * p))]; };

async function benchCorpus(context, server, corpus) {
  const ids = (await readdir(join(SHARED, "corpus", corpus), { withFileTypes: true }))
    .filter((d) => d.isDirectory()).map((d) => d.name).sort();
  const step = Math.max(1, Math.floor(ids.length / PAGES_PER_CORPUS));
  const chosen = ids.filter((_, i) => i % step === 0).slice(0, PAGES_PER_CORPUS);
  const outLucid = await mkdtemp(join(tmpdir(), `lucid-bb-${corpus}-`));
  const outRjs = await mkdtemp(join(tmpdir(), `rjs-bb-${corpus}-`));
  const lucidMs = [], rjsMs = [], instantiate = [], firstLucid = [], firstRjs = [], snap = [], ext = [], ser = [], walk = [], read = [], rest = [];
  for (const id of chosen) {
    const page = await context.newPage();
    try {
      await page.goto(`${server.url}/corpus/${corpus}/${id}/source.html`, { waitUntil: "load", timeout: 30000 });
      await page.addScriptTag({ url: `${server.url}/vendor/@mozilla/readability/Readability.js` });
      const r = await page.evaluate(async ({ base, runs }) => {
        const t0 = performance.now();
        const m = await import(`${base}/pkg/lucid.js`);
        await m.default({ module_or_path: `${base}/pkg/lucid_bg.wasm` });
        const inst = performance.now() - t0;
        let lucid = Infinity, rjs = Infinity, text = "", rtext = "", timings = null, firstLucid = 0, firstRjs = 0;
        for (let i = 0; i < runs; i++) {
          let s = performance.now();
          let a = null;
          // Both texts are title + body, the same way (dragnet references hold titles).
          try { a = m.extract(document, { url: location.href, formats: ["text"] }); text = (a.title ? a.title + "\n\n" : "") + a.text; } catch { text = ""; }
          const took = performance.now() - s;
          if (i === 0) firstLucid = took;
          if (took < lucid && a) timings = a.timings;
          lucid = Math.min(lucid, took);
          s = performance.now();
          const parsed = new Readability(document.cloneNode(true)).parse();
          const rtook = performance.now() - s;
          if (i === 0) firstRjs = rtook;
          rjs = Math.min(rjs, rtook);
          rtext = parsed ? (parsed.title ? parsed.title + "\n\n" : "") + parsed.textContent : "";
        }
        return { inst, lucid, rjs, text, rtext, timings, firstLucid, firstRjs };
      }, { base: server.url, runs: RUNS });
      lucidMs.push(r.lucid); rjsMs.push(r.rjs); instantiate.push(r.inst);
      firstLucid.push(r.firstLucid); firstRjs.push(r.firstRjs);
      if (r.timings) {
        const t = r.timings;
        snap.push(t.snapshotMs); ext.push(t.extractMs + t.renderMs);
        ser.push(t.serializeMs); walk.push(t.walkMs); read.push(t.readMs);
        rest.push(r.lucid - t.snapshotMs - t.extractMs - t.renderMs);
      }
      await writeFile(join(outLucid, `${id}.txt`), r.text);
      await writeFile(join(outRjs, `${id}.txt`), r.rtext);
    } catch (e) {
      console.error(`  ${corpus}/${id}: ${e.message.split("\n")[0]}`);
    } finally {
      await page.close();
    }
  }
  const f1 = (dir) => {
    const out = execFileSync("python3", [join(SHARED, "eval/score.py"), "--preds", dir, "--gt", join(SHARED, "corpus", corpus), "--json", join(dir, "summary.json")]).toString();
    return out.match(/F1=([0-9.]+)/)?.[1] ?? "?";
  };
  // Score only the pages we ran: score.py counts missing pages as empty, so restrict the truth.
  const restrict = async (dir) => {
    const gt = await mkdtemp(join(tmpdir(), `gt-${corpus}-`));
    const { symlink } = await import("node:fs/promises");
    for (const id of chosen) await symlink(join(SHARED, "corpus", corpus, id), join(gt, id));
    const out = execFileSync("python3", [join(SHARED, "eval/score.py"), "--preds", dir, "--gt", gt]).toString();
    return out.match(/F1=([0-9.]+)/)?.[1] ?? "?";
  };
  void f1;
  const lucidF1 = await restrict(outLucid);
  const rjsF1 = await restrict(outRjs);
  console.log(`\n${corpus}: ${lucidMs.length} live pages in headless Chromium`);
  console.log(`  lucid (snapshot+extract+render): median ${pct(lucidMs, 0.5).toFixed(2)} ms, p90 ${pct(lucidMs, 0.9).toFixed(2)} ms, F1 ${lucidF1}`);
  console.log(`  Readability.js 0.6 (clone+parse): median ${pct(rjsMs, 0.5).toFixed(2)} ms, p90 ${pct(rjsMs, 0.9).toFixed(2)} ms, F1 ${rjsF1}`);
  console.log(`    of which snapshot median ${pct(snap, 0.5).toFixed(2)} ms (serialize ${pct(ser, 0.5).toFixed(2)}, hint walk ${pct(walk, 0.5).toFixed(2)}, read back ${pct(read, 0.5).toFixed(2)}), extract+render median ${pct(ext, 0.5).toFixed(2)} ms, options and result conversion ${pct(rest, 0.5).toFixed(2)} ms`);
  console.log(`  median ratio lucid / Readability.js: ${(pct(lucidMs, 0.5) / pct(rjsMs, 0.5)).toFixed(2)}`);
  console.log(`  wasm instantiate (first load in a page): median ${pct(instantiate, 0.5).toFixed(1)} ms`);
  console.log(`  first run on the page (cold code, wasm compiled lazily on first call): lucid median ${pct(firstLucid, 0.5).toFixed(1)} ms, Readability.js ${pct(firstRjs, 0.5).toFixed(1)} ms`);
}

const server = await startServer();
const browser = await launch();
const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
await localOnly(context);
try {
  for (const corpus of ["dragnet", "readability"]) await benchCorpus(context, server, corpus);
} finally {
  await browser.close();
  await server.close();
}
