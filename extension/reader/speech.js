// Read-aloud with the Web Speech API: one utterance per block (headings, paragraphs, list
// items, quotes, captions), the current block highlighted and kept in view. Only voices that
// run on this device (`localService`) are used: no text leaves the browser.

const BLOCKS = "h1, h2, h3, h4, h5, h6, p, li, blockquote, figcaption, dt, dd, td, th, pre";

export class Speaker {
  /** `onState(state, detail)`: state is "playing", "paused", "stopped" or "unavailable". */
  constructor(root, lang, onState) {
    this.root = root;
    this.lang = (lang || document.documentElement.lang || navigator.language || "en").toLowerCase();
    this.onState = onState;
    this.blocks = [];
    this.index = 0;
    this.state = "stopped";
    this.synth = globalThis.speechSynthesis;
  }

  /** The best on-device voice for the article's language, or null. */
  voice() {
    const voices = this.synth?.getVoices().filter((v) => v.localService) ?? [];
    const base = this.lang.split("-")[0];
    return voices.find((v) => v.lang.toLowerCase() === this.lang)
      ?? voices.find((v) => v.lang.toLowerCase().split(/[-_]/)[0] === base)
      ?? null;
  }

  async toggle() {
    if (this.state === "playing") return this.pause();
    if (this.state === "paused") return this.resume();
    return this.start();
  }

  async start() {
    if (!this.synth) return this.set("unavailable", "This browser has no speech synthesis.");
    if (!this.synth.getVoices().length) await voicesLoaded(this.synth);
    const voice = this.voice();
    if (!voice) return this.set("unavailable", `No on-device voice for “${this.lang}” is installed; Lucid does not use network voices.`);
    this.voiceChoice = voice;
    this.blocks = [...this.root.querySelectorAll(BLOCKS)].filter((b) => !b.querySelector(BLOCKS) && b.textContent.trim());
    this.index = 0;
    this.speakCurrent();
  }

  speakCurrent() {
    this.highlight(null);
    const block = this.blocks[this.index];
    if (!block) return this.stop();
    const u = new SpeechSynthesisUtterance(block.textContent.replace(/\s+/g, " ").trim());
    u.voice = this.voiceChoice;
    u.lang = this.voiceChoice.lang;
    u.onend = () => {
      if (this.state !== "playing" || this.current !== u) return;
      this.index += 1;
      this.speakCurrent();
    };
    u.onerror = (e) => {
      if (e.error !== "interrupted" && e.error !== "canceled") this.set("unavailable", `Speech failed: ${e.error}`);
    };
    this.current = u;
    this.highlight(block);
    this.set("playing", block);
    this.synth.speak(u);
  }

  pause() {
    this.synth.pause();
    this.set("paused");
  }

  resume() {
    this.synth.resume();
    this.set("playing", this.blocks[this.index]);
  }

  stop() {
    this.current = null;
    this.synth?.cancel();
    this.highlight(null);
    this.set("stopped");
  }

  highlight(block) {
    this.root.querySelector(".lucid-speaking")?.classList.remove("lucid-speaking");
    if (!block) return;
    block.classList.add("lucid-speaking");
    block.scrollIntoView({ block: "center", behavior: "smooth" });
  }

  set(state, detail) {
    this.state = state === "unavailable" ? "stopped" : state;
    this.onState?.(state, detail);
  }
}

function voicesLoaded(synth) {
  return new Promise((resolve) => {
    const done = () => { synth.removeEventListener("voiceschanged", done); resolve(); };
    synth.addEventListener("voiceschanged", done);
    setTimeout(done, 1500);
  });
}
