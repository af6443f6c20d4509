// "Clean this page": the paywall stage's findings applied to the live page itself. Prompts,
// overlays and backdrops are removed, hidden or faded article text is shown, scroll locks,
// blur and copy blocking are lifted; a MutationObserver repeats this for walls that come back,
// bounded in time and passes. Undo is a reload. The findings come from the core through
// `find()` (content.js: the engine's findings on a page snapshot, pointed back at live elements).
import { OWN_HOST } from "./common/snapshot.js";

const WATCH_MS = 60_000; // keep watching this long after the last click
const MAX_PASSES = 40; // and run at most this many passes in that time
const SETTLE_MS = 150; // wait for a burst of mutations to end before a pass

const IMPORTANT = "important";

/**
 * Starts (or extends) cleaning. `find()` resolves to the core's findings
 * `{ items: [{ element, action, rule, reason, text }] }`; `report(tally)` is called after every
 * pass that changed something, with the running tally.
 */
export async function cleanPage(find, report) {
  const state = (cleanPage.state ??= { tally: { removed: [], unlocked: false, lifted: 0 }, observer: null, passes: 0 });
  Object.assign(state, { find, report, until: Date.now() + WATCH_MS, passes: 0 });
  const changed = await pass(state);
  watch(state);
  return { ...summary(state.tally), changed };
}

function summary(tally) {
  return { count: tally.removed.length, unlocked: tally.unlocked, lifted: tally.lifted, removed: tally.removed };
}

/** One pass: resolves to how many things changed. */
async function pass(state) {
  state.passes += 1;
  const found = await state.find();
  let changed = 0;
  for (const item of found.items) {
    const el = item.element;
    if (!el?.isConnected) continue;
    if (item.action === "remove") {
      el.remove();
    } else {
      unhide(el);
    }
    state.tally.removed.push({ rule: item.rule, reason: item.reason, text: item.text });
    changed += 1;
  }
  if (unlockScroll()) {
    if (!state.tally.unlocked) changed += 1;
    state.tally.unlocked = true;
  }
  const lifted = liftBlurAndCopyBlocking();
  state.tally.lifted += lifted;
  changed += lifted;
  if (changed) state.report?.(summary(state.tally));
  return changed;
}

function watch(state) {
  if (state.observer) return;
  let timer = 0;
  const observer = new MutationObserver((records) => {
    if (!records.some(relevant)) return;
    clearTimeout(timer);
    timer = setTimeout(async () => {
      if (Date.now() > state.until || state.passes >= MAX_PASSES) return stop();
      observer.disconnect();
      try {
        await pass(state);
      } catch (err) {
        console.info("Lucid: a cleaning pass failed: %s", err.message);
      } finally {
        if (state.observer === observer) observe();
      }
    }, SETTLE_MS);
  });
  const observe = () => observer.observe(document.documentElement, {
    childList: true, subtree: true, attributes: true, attributeFilter: ["class", "style", "hidden"],
  });
  const stop = () => { observer.disconnect(); state.observer = null; clearTimeout(state.stopTimer); };
  observe();
  state.observer = observer;
  clearTimeout(state.stopTimer);
  state.stopTimer = setTimeout(stop, WATCH_MS + 1000);
}

/** Added elements anywhere, or class/style changes on <html>, <body> or an added layer. */
function relevant(r) {
  if (r.type === "childList") return [...r.addedNodes].some((n) => n.nodeType === 1 && n.localName !== OWN_HOST);
  const t = r.target;
  return t === document.documentElement || t === document.body || (r.attributeName === "hidden");
}

/** Shows an element's hidden, collapsed, faded or blurred text (the core judged it article text). */
function unhide(el) {
  for (const e of [el, ...el.querySelectorAll("[hidden], [amp-access-hide], [aria-hidden='true'], [style]")]) {
    e.removeAttribute("hidden");
    e.removeAttribute("amp-access-hide");
    if (e.getAttribute("aria-hidden") === "true") e.removeAttribute("aria-hidden");
    if (e.style.display === "none") e.style.removeProperty("display");
    if (e.style.visibility === "hidden") e.style.removeProperty("visibility");
  }
  const st = getComputedStyle(el);
  if (st.display === "none") el.style.setProperty("display", "block", IMPORTANT);
  if (st.visibility === "hidden") el.style.setProperty("visibility", "visible", IMPORTANT);
  showWhole(el, st);
}

/** Lifts max-height/overflow truncation, fades (masks) and blur on one element. */
function showWhole(el, st = getComputedStyle(el)) {
  let changed = false;
  const set = (prop, value) => { el.style.setProperty(prop, value, IMPORTANT); changed = true; };
  if (st.filter.includes("blur")) set("filter", "none");
  if (st.maskImage && st.maskImage !== "none") set("mask-image", "none");
  if (st.webkitMaskImage && st.webkitMaskImage !== "none") set("-webkit-mask-image", "none");
  const clipped = /hidden|clip/.test(st.overflowY) && el.scrollHeight > el.clientHeight + 1;
  if (clipped) {
    set("max-height", "none");
    set("height", "auto");
    set("overflow", "visible");
  }
  if (st.userSelect === "none") set("user-select", "text");
  return changed;
}

/** Lets the page scroll again when a prompt locked it (overflow hidden or body fixed). */
function unlockScroll() {
  const html = document.documentElement;
  const body = document.body;
  if (!body) return false;
  const taller = Math.max(html.scrollHeight, body.scrollHeight) > innerHeight + 1;
  let changed = false;
  for (const el of [html, body]) {
    const st = getComputedStyle(el);
    if (taller && /hidden|clip/.test(st.overflowY)) {
      el.style.setProperty("overflow-y", el === html ? "auto" : "visible", IMPORTANT);
      changed = true;
    }
    if (st.position === "fixed") {
      el.style.setProperty("position", "static", IMPORTANT);
      changed = true;
    }
  }
  return changed;
}

/** Blur on article text and copy blocking on the page (checked on the few likely elements). */
function liftBlurAndCopyBlocking() {
  let changed = 0;
  const candidates = document.querySelectorAll("body, article, main, [class*='blur' i], [style*='blur' i], [class*='paywall' i], [class*='truncat' i]");
  for (const el of [...candidates].slice(0, 200)) {
    const st = getComputedStyle(el);
    const blurred = st.filter.includes("blur");
    const noSelect = st.userSelect === "none";
    if (!blurred && !noSelect) continue;
    if (blurred) el.style.setProperty("filter", "none", IMPORTANT);
    if (noSelect) el.style.setProperty("user-select", "text", IMPORTANT);
    changed += 1;
  }
  return changed;
}
