//! The phrase screen: prompt phrases per language ("sign up to read this article"), matched
//! case- and accent-insensitively on whole words in short blocks only; a keyword screen on every
//! text run first, so the phrase match runs on few blocks; a matched block grows to its box.

use super::*;

/// Prompt phrases per language, written as a reader sees them; matched case- and
/// accent-insensitively on whole words, in short blocks only.
pub const PROMPT_PHRASES: &[&str] = &[
    // EN
    "sign up to read this article",
    "already a member",
    "already a subscriber",
    "already subscribed",
    "subscribe to continue reading",
    "subscribe to read",
    "to continue reading",
    "continue reading with",
    "please sign in to continue reading",
    "join today to read the full story",
    "this post is for paying subscribers",
    "member-only story",
    "for full access",
    "you have reached your limit of free articles",
    "you've reached your limit of free articles",
    "create a free account",
    "subscribe now",
    "subscribe for full access",
    "become a subscriber",
    "log in to continue",
    "sign in to continue",
    "register to continue reading",
    "this article is for subscribers only",
    "this content is for subscribers",
    "unlock this article",
    "start your free trial",
    "get unlimited access",
    "you have read all your free articles",
    "subscribe to unlock",
    "sign up for free to continue",
    "buy single article",
    "instant access to the full article",
    // DE
    "dieser artikel ist nur mit abo zugänglich",
    "jetzt abonnieren",
    "weiterlesen mit",
    "bereits abonnent",
    "sie sind bereits abonnent",
    "jetzt weiterlesen",
    "nur für abonnenten",
    "jetzt registrieren und weiterlesen",
    // FR
    "cet article est réservé aux abonnés",
    "déjà abonné",
    "abonnez-vous",
    "réservé aux abonnés",
    "pour lire la suite",
    "la suite est réservée",
    // ES
    "este contenido es exclusivo para suscriptores",
    "ya eres suscriptor",
    "suscríbete",
    "contenido exclusivo para suscriptores",
    "para seguir leyendo",
    // IT
    "questo articolo è riservato agli abbonati",
    "sei già abbonato",
    "abbonati",
    "riservato agli abbonati",
    "per continuare a leggere",
    // PT
    "conteúdo exclusivo para assinantes",
    "já é assinante",
    "assine",
    "exclusivo para assinantes",
    "para continuar lendo",
    // NL
    "dit artikel is alleen voor abonnees",
    "al abonnee",
    "alleen voor abonnees",
    "word abonnee",
    "lees verder met",
    // JA
    "購読が必要",
    "有料会員限定",
    "会員限定記事",
    "この記事は有料会員限定です",
    // KO
    "유료 구독자 전용 콘텐츠입니다",
];

/// A block longer than this (words) is prose, not a prompt, whatever it says.
pub(super) const PROMPT_MAX_WORDS: usize = 60;

/// A one- or two-word phrase ("Abbonati", "Assine") only counts in a block this short (a button).
pub(super) const SHORT_PHRASE_MAX_WORDS: usize = 6;

/// The prompt container grows up its ancestors while their text stays under this (chars).
pub(super) const PROMPT_MAX_CHARS: usize = 600;

/// A paragraph this long (words; CJK characters count as words) next to a prompt is article
/// text: the prompt box stops growing there.
pub(super) const PROMPT_NEIGHBOUR_PROSE_WORDS: usize = 12;

/// A block longer than this (words) is a prompt only if the phrase is a good part of it; a
/// sentence of prose that mentions "sign in to continue" is not a prompt
/// (fixture: `paywall-no-false-positive`).
pub(super) const PROMPT_BLOCK_MAX_WORDS: usize = 25;

/// Share of a longer block's words that the phrase must cover.
pub(super) const PROMPT_MIN_PHRASE_SHARE: f32 = 0.3;

/// Whether a CJK phrase (no word spaces) is matched by substring instead of by words.
pub(super) fn is_unspaced_script(phrase: &str) -> bool {
    phrase.chars().any(|c| (c as u32) >= 0x3040)
}

/// A lexicon entry, folded once.
pub(super) struct Phrase {
    text: &'static str,
    pub(super) folded: String,
    /// The first folded word, checked against the block's words before any substring search.
    first_word: String,
    words: usize,
    pub(super) unspaced: bool,
}

pub(super) fn lexicon() -> &'static [Phrase] {
    static LEXICON: std::sync::OnceLock<Vec<Phrase>> = std::sync::OnceLock::new();
    LEXICON.get_or_init(|| {
        PROMPT_PHRASES
            .iter()
            .map(|p| {
                let unspaced = is_unspaced_script(p);
                let folded = if unspaced {
                    fold(p).replace(' ', "")
                } else {
                    fold(p)
                };
                Phrase {
                    text: p,
                    words: folded.split_whitespace().count(),
                    first_word: folded
                        .split_whitespace()
                        .next()
                        .unwrap_or_default()
                        .to_string(),
                    folded,
                    unspaced,
                }
            })
            .collect()
    })
}

/// The prompt phrase a short block's text contains, if any.
pub fn prompt_phrase(text: &str) -> Option<&'static str> {
    let words = text.split_whitespace().count();
    if words == 0 || words > PROMPT_MAX_WORDS {
        return None;
    }
    let folded = fold(text);
    let present: std::collections::HashSet<&str> = folded.split_whitespace().collect();
    let has_cjk = text.chars().any(|c| (c as u32) >= 0x3040);
    let mut squeezed: Option<String> = None;
    lexicon().iter().find_map(|p| {
        if p.unspaced {
            if !has_cjk {
                return None;
            }
            let sq = squeezed.get_or_insert_with(|| folded.replace(' ', ""));
            return sq.contains(&p.folded).then_some(p.text);
        }
        if (p.words <= 1 && words > SHORT_PHRASE_MAX_WORDS)
            || !present.contains(p.first_word.as_str())
        {
            return None;
        }
        if words > PROMPT_BLOCK_MAX_WORDS
            && (p.words as f32) < words as f32 * PROMPT_MIN_PHRASE_SHARE
        {
            return None;
        }
        folded.contains(&p.folded).then_some(p.text)
    })
}

/// Short blocks whose text is a prompt; the removed unit grows to the highest ancestor whose
/// text stays prompt-sized and holds no article paragraph. Text nodes are screened first by a
/// keyword of each phrase, so the page's prose is never rendered or folded as a whole.
pub(super) fn remove_phrase_prompts(
    doc: &mut Document,
    screened: &[NodeId],
    prose: &ProseMass,
    removed: &mut Removed,
    report: &mut PaywallReport,
) {
    let body = doc.body();
    let mut hits: Vec<(NodeId, &'static str)> = Vec::new();
    let mut last_block = None;
    for &n in screened {
        // Runs removed by a rule or with an overlay are gone; the head holds no prompts.
        if !doc.contains(body, n) {
            continue;
        }
        let Some(block) = doc
            .ancestors(n)
            .find(|&a| crate::signals::is_block_tag(doc.tag(a)) || a == body)
        else {
            continue;
        };
        if last_block == Some(block)
            || block == body
            || matches!(doc.tag(block), "script" | "style" | "noscript" | "template")
        {
            continue;
        }
        last_block = Some(block);
        if chars_capped(doc, block, PROMPT_MAX_CHARS) > PROMPT_MAX_CHARS {
            continue;
        }
        // The phrase may continue in a sibling inline run: judge the block's whole text.
        let Some(phrase) = prompt_phrase(&block_text(doc, block)) else {
            continue;
        };
        hits.push((grow_prompt(doc, block, body), phrase));
    }
    for (id, phrase) in hits {
        if doc.parent(id).is_none() || !doc.contains(body, id) || id == body {
            continue;
        }
        if prose.protects_block(doc, id) {
            removed.spare(doc, id, "paywall:prompt-text");
            continue;
        }
        let reason = format!("prompt text: \u{201c}{phrase}\u{201d}");
        record_prompt(doc, id, "prompt-text", &reason, removed);
        report.removed(id, removed);
        doc.detach(id);
    }
}

pub(super) fn grow_prompt(doc: &Document, start: NodeId, body: NodeId) -> NodeId {
    let mut best = start;
    for anc in doc.ancestors(start) {
        if anc == body
            || !doc.is_element(anc)
            || chars_capped(doc, anc, PROMPT_MAX_CHARS) > PROMPT_MAX_CHARS
        {
            break;
        }
        if matches!(
            doc.tag(anc),
            "article" | "main" | "td" | "li" | "body" | "html"
        ) {
            break;
        }
        // A sentence-sized paragraph beside the prompt that is not itself a prompt means the
        // ancestor already holds article text.
        let holds_prose = doc.descendants(anc).any(|d| {
            doc.is(d, "p") && !doc.contains(best, d) && {
                let text = block_text(doc, d);
                crate::article::count_words(&text) >= PROMPT_NEIGHBOUR_PROSE_WORDS
                    && prompt_phrase(&text).is_none()
            }
        });
        if holds_prose {
            break;
        }
        best = anc;
    }
    best
}
