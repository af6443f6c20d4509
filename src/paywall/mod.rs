//! Paywall: find subscription, registration, consent and newsletter prompts; strip them; unhide
//! article text that a wall hides; judge whether the page delivered only a teaser.
//!
//! Input: the whole document, before `prepare` (so hidden-but-present article text can be
//! unhidden before hidden nodes are dropped). Output: the document without prompts, a
//! [`PaywallReport`], and one [`Removed`] record per prompt or lock. Must not: remove article
//! prose (phrases match only in short blocks, vendor rules only on their own markers); take text
//! from scripts, JSON or elsewhere (policy: we present only what the page delivered in its DOM).
//!
//! Here: the stage (`strip_prompts`, the rules walk, the report, the truncation judgement).
//! `rules`: the table of vendor and site markers; `matching`: finding an element's rule;
//! `phrases`: prompt phrases per language and the blocks they mark; `screen`: the keyword screen
//! that keeps the phrase match off most text; `layers`: overlays, scroll locks, lifting hiding.

use crate::article::Removed;
use crate::dom::{Document, NodeId, Position};
use crate::metadata::PageMeta;
use crate::safety::ProseMass;
use crate::signals::SubstringSet;
use crate::text::{block_text, chars_capped, fold, fold_accent};

mod layers;
mod matching;
mod phrases;
mod rules;
mod screen;
#[cfg(test)]
mod tests;

use layers::*;
pub use matching::rule_matches;
use matching::*;
use phrases::*;
pub use phrases::{prompt_phrase, PROMPT_PHRASES};
pub use rules::{Action, Match, PromptRule, Target, PROMPT_RULES};
use screen::*;
use Match::{Contains, Exact, Prefix};
use Target::{Attr, Class, EmptyStyle, HasAttr, Id};

/// What the stage found.
#[derive(Clone, Debug, Default)]
pub struct PaywallReport {
    /// Prompts and overlays removed.
    pub prompts: usize,
    /// Text-hiding wrappers lifted.
    pub unhidden: usize,
    /// Whether a scroll lock was seen.
    pub scroll_lock: bool,
    /// Each removal or unhiding, in order: what "Clean this page" repeats on the live page.
    pub actions: Vec<PaywallAction>,
}

/// One thing the stage did to one element.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PaywallAction {
    /// The element removed or unhidden.
    pub node: NodeId,
    /// True when the element's hidden text was shown; false when the element was removed.
    pub unhide: bool,
    /// Index of the matching record in [`Removed::items`].
    pub record: usize,
}

impl PaywallReport {
    pub(super) fn removed(&mut self, node: NodeId, removed: &Removed) {
        self.prompts += 1;
        self.push(node, false, removed);
    }

    pub(super) fn push(&mut self, node: NodeId, unhide: bool, removed: &Removed) {
        self.actions.push(PaywallAction {
            node,
            unhide,
            record: removed.items.len().saturating_sub(1),
        });
    }
}

/// Runs the stage on the whole document.
pub fn strip_prompts(
    doc: &mut Document,
    prose: &ProseMass,
    removed: &mut Removed,
) -> PaywallReport {
    let mut report = PaywallReport::default();
    // One walk applies the rules and screens every text run for prompt keywords.
    let screened = apply_rules(doc, prose, removed, &mut report);
    remove_overlays(doc, prose, removed, &mut report);
    remove_phrase_prompts(doc, &screened, prose, removed, &mut report);
    note_scroll_locks(doc, removed, &mut report);
    report
}

/// Applies [`PROMPT_RULES`] in document order; returns the text runs that may hold a prompt
/// phrase (see [`may_hold_phrase`]), in document order.
fn apply_rules(
    doc: &mut Document,
    prose: &ProseMass,
    removed: &mut Removed,
    report: &mut PaywallReport,
) -> Vec<NodeId> {
    let root = doc.root();
    let mut screened = Vec::new();
    let mut cur = doc.first_child(root);
    while let Some(id) = cur {
        if let Some(t) = doc.text(id) {
            if t.len() <= PROMPT_MAX_CHARS * 4
                && !doc.parent(id).is_some_and(|p| {
                    matches!(doc.tag(p), "script" | "style" | "noscript" | "template")
                })
                && may_hold_phrase(t)
            {
                screened.push(id);
            }
            cur = doc.next_skipping_children(id, root);
            continue;
        }
        let rule = doc
            .is_element(id)
            .then(|| first_matching_rule(doc, id))
            .flatten();
        match rule {
            Some(r) if r.action == Action::Remove && prose.protects(doc, id) => {
                removed.spare(doc, id, &format!("paywall:{}", r.name));
                cur = doc.next_in(id, root);
            }
            Some(r) if r.action == Action::Remove && !doc.is(id, "body") && !doc.is(id, "html") => {
                let next = doc.next_skipping_children(id, root);
                record_prompt(doc, id, r.name, r.reason, removed);
                report.removed(id, removed);
                doc.detach(id);
                cur = next;
            }
            Some(r) if r.action == Action::Unhide => {
                lift_hiding(doc, id);
                removed.note(
                    &format!("paywall:{}", r.name),
                    r.reason,
                    "text kept and shown",
                );
                report.unhidden += 1;
                report.push(id, true, removed);
                cur = doc.next_in(id, root);
            }
            _ => cur = doc.next_in(id, root),
        }
    }
    screened
}

fn record_prompt(doc: &Document, id: NodeId, name: &str, reason: &str, removed: &mut Removed) {
    let before = removed.items.len();
    let rule = format!("paywall:{name}");
    removed.record(doc, id, &rule, reason);
    if removed.items.len() == before {
        removed.note(&rule, reason, "");
    }
}

/// A prompt after less than this many words means only a teaser was delivered.
const TEASER_MAX_WORDS: usize = 250;

/// The page declares an article this many times longer than what its DOM holds.
const DECLARED_SHORTFALL: f32 = 1.5;

/// Declared counts below this are too small to compare.
const DECLARED_MIN_WORDS: usize = 150;

/// Why the page seems to hold only part of the article, if it does.
pub fn judge_truncation(report: &PaywallReport, meta: &PageMeta, words: usize) -> Option<String> {
    if let Some(declared) = meta.declared_words {
        if declared >= DECLARED_MIN_WORDS && declared as f32 > words as f32 * DECLARED_SHORTFALL {
            return Some(format!(
                "the page says the article has {declared} words; it delivered {words}"
            ));
        }
    }
    if report.prompts > 0 && words < TEASER_MAX_WORDS {
        return Some("a subscription or sign-in prompt follows a short teaser".into());
    }
    if meta.marked_paid && words < TEASER_MAX_WORDS {
        return Some(
            "the page marks the article as paid content and delivered only a short part".into(),
        );
    }
    None
}
