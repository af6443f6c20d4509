// Notice cards: the small box (top right) that says what happened — no article here, the page
// cleaned, a copy saved — with what was removed, when there is a list, and a Close button.
import { removedList } from "../reader/reader-view.js";

/** How long a card stays before it goes by itself. */
export const CARD_MS = 8000;

/** The card's element; `removed` (`{ reason, text }` records) is listed under "What was removed".
 * `onClose()` runs on a trusted click on Close. */
export function buildCard(title, text, removed, onClose) {
  const card = document.createElement("div");
  card.className = "lucid-reader lucid-card";
  card.setAttribute("role", "alert");
  const p = document.createElement("p");
  const strong = document.createElement("strong");
  strong.textContent = title;
  p.append(strong, text);
  if (removed.length) p.append(removedList(removed, "What was removed", 50));
  const closeBtn = document.createElement("button");
  closeBtn.type = "button";
  closeBtn.textContent = "Close";
  closeBtn.addEventListener("click", (e) => e.isTrusted && onClose());
  card.append(p, closeBtn);
  return card;
}

/** The title and text of the card after "Clean this page", from its tally. */
export function cleanedSummary({ count, unlocked, lifted }) {
  const parts = [];
  if (count) parts.push(`removed or uncovered ${count} item${count === 1 ? "" : "s"}`);
  if (unlocked) parts.push("unlocked scrolling");
  if (lifted) parts.push(`lifted blur or copy blocking on ${lifted} element${lifted === 1 ? "" : "s"}`);
  if (!parts.length) return { title: "Nothing to clean", text: "Lucid found no prompts, overlays or scroll locks on this page." };
  return {
    title: "Page cleaned",
    text: `Lucid ${parts.join(", ")}. It keeps watching for a minute in case the prompt comes back; reload the page to undo.`,
  };
}
