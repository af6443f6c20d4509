// The offscreen document: DOMParser and wasm for the strict-CSP fallback (Chromium only).
import { serve } from "../common/ext.js";
import { MSG } from "../common/messages.js";
import { extractWithDomParser, findPromptsWithDomParser } from "./core.js";

serve({
  [MSG.OFFSCREEN_EXTRACT]: (msg) => extractWithDomParser(msg.html, msg.url),
  [MSG.OFFSCREEN_FIND_PROMPTS]: (msg) => findPromptsWithDomParser(msg.html),
});
