//! Paywall: find subscription, registration, consent and newsletter prompts; strip them; unhide
//! article text that a wall hides; judge whether the page delivered only a teaser.
//!
//! Input: the whole document, before `prepare` (so hidden-but-present article text can be
//! unhidden before hidden nodes are dropped). Output: the document without prompts, a
//! [`PaywallReport`], and one [`Removed`] record per prompt or lock. Must not: remove article
//! prose (phrases match only in short blocks, vendor rules only on their own markers); take text
//! from scripts, JSON or elsewhere (policy: we present only what the page delivered in its DOM).

use crate::article::Removed;
use crate::dom::{Document, NodeId, Position};
use crate::metadata::PageMeta;
use crate::safety::ProseMass;
use crate::signals::{chars_capped, SubstringSet};

/// How a rule matches a string (class token, id, attribute value).
#[derive(Clone, Copy, Debug)]
pub enum Match {
    /// The whole value (one class token) equals this.
    Exact(&'static str),
    /// The value (one class token) starts with this.
    Prefix(&'static str),
    /// The value (one class token) contains this.
    Contains(&'static str),
}

impl Match {
    /// The string matched against.
    fn needle(self) -> &'static str {
        let (Match::Exact(s) | Match::Prefix(s) | Match::Contains(s)) = self;
        s
    }

    /// The needle's longest run of letters, digits and dashes.
    fn longest_word(self) -> &'static str {
        self.needle()
            .split(|c: char| !(c.is_alphanumeric() || c == '-'))
            .max_by_key(|w| w.len())
            .unwrap_or("")
    }

    fn test(self, v: &str) -> bool {
        match self {
            Match::Exact(s) => v == s,
            Match::Prefix(s) => v.starts_with(s),
            Match::Contains(s) => v.contains(s),
        }
    }
}

/// Which part of an element a rule looks at.
#[derive(Clone, Copy, Debug)]
pub enum Target {
    /// One of the class tokens (case-sensitive, as CSS is).
    Class(Match),
    /// The id.
    Id(Match),
    /// An attribute's value.
    Attr(&'static str, Match),
    /// The presence of an attribute.
    HasAttr(&'static str),
    /// The inline `style` (lowercased, spaces removed), for layers with no text of their own.
    EmptyStyle(Match),
}

/// What to do with a matching element.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// A prompt, overlay or backdrop: remove it.
    Remove,
    /// A wrapper that hides delivered article text: keep the text, lift the hiding.
    Unhide,
}

/// One rule: a marker, an action, a name and the reason a reader sees.
#[derive(Clone, Copy, Debug)]
pub struct PromptRule {
    /// Rule name (shown in `removed`).
    pub name: &'static str,
    /// What it matches.
    pub target: Target,
    /// Optional tag restriction.
    pub tag: Option<&'static str>,
    /// Remove or unhide.
    pub action: Action,
    /// Why.
    pub reason: &'static str,
}

const fn remove(name: &'static str, target: Target, reason: &'static str) -> PromptRule {
    PromptRule {
        name,
        target,
        tag: None,
        action: Action::Remove,
        reason,
    }
}

const fn unhide(name: &'static str, target: Target, reason: &'static str) -> PromptRule {
    PromptRule {
        name,
        target,
        tag: None,
        action: Action::Unhide,
        reason,
    }
}

use Match::{Contains, Exact, Prefix};
use Target::{Attr, Class, EmptyStyle, HasAttr, Id};

/// Vendor and site markers from `PAYWALLS.md`, one row per documented marker.
pub const PROMPT_RULES: &[PromptRule] = &[
    // Piano / Tinypass
    remove(
        "piano",
        Class(Exact("tp-modal")),
        "Piano subscription modal",
    ),
    remove("piano", Class(Exact("tp-backdrop")), "Piano modal backdrop"),
    remove(
        "piano",
        Class(Exact("tp-iframe-wrapper")),
        "Piano offer frame",
    ),
    remove("piano", Id(Exact("paywall-offer")), "Piano inline offer"),
    remove(
        "piano",
        Class(Exact("tp-container-inner")),
        "Piano inline offer",
    ),
    unhide("piano", Class(Exact("piano-hide")), "text hidden by Piano"),
    // Zephr
    remove("zephr", Id(Exact("zephr-overlay")), "Zephr paywall overlay"),
    remove("zephr", Class(Exact("zephr-wrapper")), "Zephr paywall"),
    remove(
        "zephr",
        Id(Exact("zephr-payment-form-root")),
        "Zephr payment form",
    ),
    // Poool
    remove("poool", Id(Exact("poool-widget")), "Poool paywall widget"),
    remove("poool", Id(Exact("poool-container")), "Poool paywall"),
    remove(
        "poool",
        Attr("data-pleco-poool", Prefix("paywall")),
        "Poool paywall",
    ),
    remove(
        "poool",
        Attr("data-pleco-transition", Exact("fade")),
        "Poool fade layer",
    ),
    unhide(
        "poool",
        Attr("data-poool-mode", Exact("hide")),
        "text hidden by Poool",
    ),
    // Leaky Paywall
    remove(
        "leaky-paywall",
        Id(Prefix("issuem-leaky-paywall-")),
        "Leaky Paywall prompt",
    ),
    // Steady
    remove("steady", Id(Exact("steady-checkout")), "Steady checkout"),
    remove(
        "steady",
        Class(Exact("js-article-paywall")),
        "Steady paywall",
    ),
    remove(
        "steady",
        Class(Exact("js-paywall-divider")),
        "Steady paywall divider",
    ),
    unhide("steady", Class(Exact("blurred")), "blurred article text"),
    // BlueConic / Evolok / Cxense
    remove("blueconic", Id(Exact("bc-root")), "BlueConic overlay"),
    remove(
        "evolok",
        Class(Exact("ev-meter-content")),
        "Evolok meter prompt",
    ),
    remove(
        "cxense",
        Attr("data-dev", Exact("CxWidget_article:wall")),
        "Cxense paywall",
    ),
    remove("cxense", Id(Exact("cxense-paywall")), "Cxense paywall"),
    // AMP subscriptions / amp-access
    remove(
        "amp-subscriptions",
        Attr("subscriptions-section", Exact("content-not-granted")),
        "AMP subscription prompt",
    ),
    remove(
        "amp-access",
        Attr("amp-access", Contains("NOT granted")),
        "AMP access prompt",
    ),
    unhide(
        "amp-access",
        HasAttr("amp-access-hide"),
        "text hidden until access is granted",
    ),
    unhide(
        "amp-subscriptions",
        Attr("subscriptions-section", Exact("content")),
        "subscriber section",
    ),
    // Substack
    remove(
        "substack",
        Attr("data-testid", Exact("paywall")),
        "Substack paywall",
    ),
    remove(
        "substack",
        Class(Exact("paywall-cta")),
        "Substack subscribe call-to-action",
    ),
    remove(
        "substack",
        Class(Exact("paywall-title")),
        "Substack paywall title",
    ),
    remove(
        "substack",
        Class(Exact("subscription-widget-wrap")),
        "Substack subscribe widget",
    ),
    // Medium
    remove(
        "medium",
        Class(Exact("js-stickyFooter")),
        "Medium sign-up footer",
    ),
    // New York Times
    remove("nyt", Id(Exact("gateway-content")), "NYT gateway"),
    remove("nyt", Class(Exact("expanded-dock")), "NYT subscribe dock"),
    remove("nyt", Id(Exact("dock-container")), "NYT subscribe dock"),
    remove(
        "nyt",
        Attr("data-testid", Exact("inline-message")),
        "NYT inline prompt",
    ),
    // Washington Post
    remove(
        "wapo",
        Id(Exact("drawbridge-signup-overlay")),
        "Washington Post sign-up overlay",
    ),
    remove(
        "wapo",
        Id(Exact("wp_Signin")),
        "Washington Post sign-in prompt",
    ),
    unhide(
        "wapo",
        Class(Exact("drawbridge-article-collapsed")),
        "collapsed article",
    ),
    unhide("wapo", Id(Exact("pb-root")), "collapsed article"),
    // Bloomberg
    remove("bloomberg", Id(Prefix("fortress-")), "Bloomberg paywall"),
    // inkl
    remove(
        "inkl",
        Class(Exact("locked-sign-up-container")),
        "inkl sign-up prompt",
    ),
    remove(
        "inkl",
        Class(Exact("article-signup-container")),
        "inkl sign-up prompt",
    ),
    remove(
        "inkl",
        Class(Exact("what-is-inkl-container")),
        "inkl promotion",
    ),
    remove(
        "inkl",
        Class(Exact("shared-article-inline-banner")),
        "inkl banner",
    ),
    remove(
        "inkl",
        Class(Exact("gradient-container")),
        "fade over truncated text",
    ),
    unhide(
        "inkl",
        Class(Exact("paywall")),
        "text clipped by a paywall container",
    ),
    // Others
    remove("atlantic", Id(Exact("paywall")), "paywall"),
    remove(
        "foreign-policy",
        Class(Exact("content-gated")),
        "gated-content prompt",
    ),
    remove("cnbc", Class(Exact("ArticleGate-proGate")), "CNBC Pro gate"),
    remove(
        "gated-overlay",
        Class(Contains("gated-overlay")),
        "gated-content overlay",
    ),
    remove(
        "regwall",
        Class(Exact("regwall-container")),
        "registration wall",
    ),
    remove(
        "hard-paywall",
        Id(Exact("hardPaywallModal")),
        "paywall modal",
    ),
    remove(
        "paywall-popup",
        Class(Exact("paywall-fixed-popup")),
        "paywall pop-up",
    ),
    // Consent and ad-block walls
    remove("consent", Class(Exact("fc-ab-root")), "ad-block wall"),
    remove(
        "consent",
        Class(Exact("fc-dialog-container")),
        "consent dialog",
    ),
    remove(
        "consent",
        Class(Exact("fc-dialog-overlay")),
        "consent overlay",
    ),
    remove("consent", Class(Exact("fc-consent-root")), "consent dialog"),
    remove("consent", Id(Exact("didomi-host")), "consent dialog"),
    remove("consent", Id(Exact("pmConsentWall")), "consent wall"),
    remove(
        "consent",
        Id(Exact("onetrust-consent-sdk")),
        "cookie banner",
    ),
    remove(
        "consent",
        Id(Exact("CybotCookiebotDialog")),
        "cookie banner",
    ),
    remove("consent", Class(Exact("cc-window")), "cookie banner"),
    remove("consent", Id(Contains("cookie-banner")), "cookie banner"),
    remove("consent", Class(Contains("cookie-banner")), "cookie banner"),
    remove(
        "consent",
        Class(Contains("cookie-consent")),
        "cookie banner",
    ),
    remove("consent", Id(Contains("cookie-consent")), "cookie banner"),
    remove("consent", Class(Contains("cookie-notice")), "cookie banner"),
    // Newsletter pop-ups
    remove(
        "newsletter-popup",
        Class(Exact("subscribe-prompt-overlay")),
        "newsletter pop-up",
    ),
    remove(
        "newsletter-popup",
        Class(Exact("newsletter-modal-overlay")),
        "newsletter pop-up",
    ),
    remove(
        "newsletter-popup",
        Class(Exact("newsletter-popup")),
        "newsletter pop-up",
    ),
    remove(
        "newsletter-popup",
        Class(Exact("subscribe-popup")),
        "newsletter pop-up",
    ),
    remove("newsletter-popup", Id(Exact("nlgate")), "newsletter gate"),
    remove(
        "newsletter-popup",
        Class(Exact("optin-monster-overlay")),
        "newsletter pop-up",
    ),
    remove(
        "newsletter-popup",
        Class(Exact("tve-leads-lightbox")),
        "newsletter pop-up",
    ),
    remove(
        "newsletter-popup",
        Id(Exact("welcome-popup-overlay")),
        "newsletter pop-up",
    ),
    // Generic fades and truncation layers (no text of their own)
    remove("fade", Class(Exact("fadeout")), "fade over truncated text"),
    remove(
        "fade",
        Class(Exact("faded-content")),
        "fade over truncated text",
    ),
    remove(
        "fade",
        Class(Exact("paywall-gradient")),
        "fade over truncated text",
    ),
    remove(
        "fade",
        Class(Exact("teasered-content-fader")),
        "fade over truncated text",
    ),
    remove(
        "fade",
        Class(Exact("gated-fader")),
        "fade over truncated text",
    ),
    remove(
        "fade",
        Class(Prefix("gradient-mask-")),
        "fade over truncated text",
    ),
    remove(
        "fade",
        HasAttr("data-show-fade-on-noaccess"),
        "fade over truncated text",
    ),
    remove(
        "fade",
        EmptyStyle(Contains("linear-gradient")),
        "fade over truncated text",
    ),
    remove(
        "fade",
        Class(Exact("bg-gradient-to-t")),
        "fade over truncated text",
    ),
    unhide(
        "truncation",
        Class(Exact("article-body--truncated")),
        "truncated article container",
    ),
    unhide(
        "truncation",
        Class(Exact("truncated-content")),
        "truncated article container",
    ),
    unhide(
        "blur",
        Class(Exact("paywall-blurred")),
        "blurred article text",
    ),
];

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
const PROMPT_MAX_WORDS: usize = 60;

/// A one- or two-word phrase ("Abbonati", "Assine") only counts in a block this short (a button).
const SHORT_PHRASE_MAX_WORDS: usize = 6;

/// The prompt container grows up its ancestors while their text stays under this (chars).
const PROMPT_MAX_CHARS: usize = 600;

/// A paragraph this long (words; CJK characters count as words) next to a prompt is article
/// text: the prompt box stops growing there.
const PROMPT_NEIGHBOUR_PROSE_WORDS: usize = 12;

/// A block longer than this (words) is a prompt only if the phrase is a good part of it; a
/// sentence of prose that mentions "sign in to continue" is not a prompt
/// (fixture: `paywall-no-false-positive`).
const PROMPT_BLOCK_MAX_WORDS: usize = 25;

/// Share of a longer block's words that the phrase must cover.
const PROMPT_MIN_PHRASE_SHARE: f32 = 0.3;

/// A fixed or sticky element covering at least this share of the viewport is an overlay.
const OVERLAY_MIN_VIEWPORT_SHARE: f32 = 0.25;

/// Scroll-lock classes on `<html>`/`<body>`.
const SCROLL_LOCK_CLASSES: &[&str] = &[
    "modal-open",
    "tp-modal-open",
    "mailmunch-pop-open",
    "overflow-hidden",
    "locked",
    "js-overflow-hidden",
    "no-scroll",
    "noscroll",
    "scroll-lock",
];

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
    fn removed(&mut self, node: NodeId, removed: &Removed) {
        self.prompts += 1;
        self.push(node, false, removed);
    }

    fn push(&mut self, node: NodeId, unhide: bool, removed: &Removed) {
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

fn class_tokens(doc: &Document, id: NodeId) -> impl Iterator<Item = &str> {
    doc.attr(id, "class").unwrap_or("").split_ascii_whitespace()
}

/// FNV-1a: the rule index is looked up for every class token of every element, and its keys are
/// our own short constants, so a fast non-keyed hash is right here (SipHash cost 5% of the stage).
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl std::hash::Hasher for Fnv {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

type FastMap<K, V> = std::collections::HashMap<K, V, std::hash::BuildHasherDefault<Fnv>>;

/// The rules table indexed for speed: exact class and id markers by name, every other rule by
/// the attribute it needs, so an element is only tested against rules its attributes can meet.
struct RuleIndex {
    by_class: FastMap<&'static str, usize>,
    by_id: FastMap<&'static str, usize>,
    by_attr: FastMap<&'static str, Vec<usize>>,
    /// Per `by_attr` key whose rules all need their needle verbatim in the value: those
    /// needles, so one pass over the value rules them all out (most values hold none).
    needles: FastMap<&'static str, SubstringSet>,
    /// First byte and length of every key of the three maps: most class tokens and attribute
    /// names of a page fail this check and are never hashed.
    class_keys: KeyShape,
    id_keys: KeyShape,
    attr_keys: KeyShape,
}

/// Which (first byte, length) pairs a set of keys has; lengths of 64 and more share one bit.
#[derive(Default)]
struct KeyShape {
    lengths_by_first: Vec<u64>,
}

impl KeyShape {
    fn of<'a>(keys: impl Iterator<Item = &'a &'static str>) -> KeyShape {
        let mut lengths_by_first = vec![0u64; 256];
        for k in keys {
            if let Some(&b) = k.as_bytes().first() {
                lengths_by_first[usize::from(b)] |= 1 << k.len().min(63);
            }
        }
        KeyShape { lengths_by_first }
    }

    /// Whether `key` may be one of the keys (false means it is not).
    fn may_hold(&self, key: &str) -> bool {
        key.as_bytes()
            .first()
            .is_some_and(|&b| self.fits(b, key.len()))
    }

    /// Whether some key starts with byte `first` and is `len` bytes long (or may be).
    fn fits(&self, first: u8, len: usize) -> bool {
        self.lengths_by_first[usize::from(first)] & (1 << len.min(63)) != 0
    }
}

fn rule_index() -> &'static RuleIndex {
    static INDEX: std::sync::OnceLock<RuleIndex> = std::sync::OnceLock::new();
    INDEX.get_or_init(|| {
        let mut idx = RuleIndex {
            by_class: Default::default(),
            by_id: Default::default(),
            by_attr: Default::default(),
            needles: Default::default(),
            class_keys: KeyShape::default(),
            id_keys: KeyShape::default(),
            attr_keys: KeyShape::default(),
        };
        for (i, r) in PROMPT_RULES.iter().enumerate() {
            let needs = match (r.target, r.tag) {
                (Class(Exact(name)), None) => {
                    idx.by_class.entry(name).or_insert(i);
                    continue;
                }
                (Id(Exact(name)), None) => {
                    idx.by_id.entry(name).or_insert(i);
                    continue;
                }
                (Class(_), _) => "class",
                (Id(_), _) => "id",
                (Attr(name, _), _) | (HasAttr(name), _) => name,
                (EmptyStyle(_), _) => "style",
            };
            idx.by_attr.entry(needs).or_default().push(i);
        }
        for (&name, rules) in &idx.by_attr {
            let needles: Option<Vec<&'static str>> = rules
                .iter()
                .map(|&i| match PROMPT_RULES[i].target {
                    Class(m) | Id(m) | Attr(_, m) if !m.needle().is_empty() => Some(m.needle()),
                    _ => None,
                })
                .collect();
            if let Some(needles) = needles {
                idx.needles.insert(name, SubstringSet::new(needles));
            }
        }
        idx.class_keys = KeyShape::of(idx.by_class.keys());
        idx.id_keys = KeyShape::of(idx.by_id.keys());
        idx.attr_keys = KeyShape::of(idx.by_attr.keys());
        idx
    })
}

/// The first rule of [`PROMPT_RULES`] (table order) that matches element `id`.
fn first_matching_rule(doc: &Document, id: NodeId) -> Option<&'static PromptRule> {
    let el = doc.element(id)?;
    if el.attrs.is_empty() {
        return None;
    }
    let idx = rule_index();
    let mut best: Option<usize> = None;
    let mut consider = |i: usize| best = Some(best.map_or(i, |b: usize| b.min(i)));
    for token in class_tokens(doc, id).filter(|t| idx.class_keys.may_hold(t)) {
        if let Some(&i) = idx.by_class.get(token) {
            consider(i);
        }
    }
    if let Some(&i) = el
        .attr("id")
        .map(str::trim)
        .filter(|v| idx.id_keys.may_hold(v))
        .and_then(|v| idx.by_id.get(v))
    {
        consider(i);
    }
    for attr in el.attrs.iter().filter(|a| idx.attr_keys.may_hold(&a.name)) {
        let Some(rules) = idx.by_attr.get(&*attr.name) else {
            continue;
        };
        if idx
            .needles
            .get(&*attr.name)
            .is_some_and(|n| !n.any_in(&attr.value))
        {
            continue;
        }
        for &i in rules {
            if best.is_some_and(|b| b < i) {
                break;
            }
            if matches_value(doc, id, &PROMPT_RULES[i], &attr.value) {
                best = Some(best.map_or(i, |b| b.min(i)));
                break;
            }
        }
    }
    best.map(|i| &PROMPT_RULES[i])
}

/// Whether `rule` matches element `id`.
pub fn rule_matches(doc: &Document, id: NodeId, rule: &PromptRule) -> bool {
    let name = match rule.target {
        Class(_) => "class",
        Id(_) => "id",
        Attr(name, _) | HasAttr(name) => name,
        EmptyStyle(_) => "style",
    };
    doc.attr(id, name)
        .is_some_and(|value| matches_value(doc, id, rule, value))
}

/// Whether `rule` matches element `id`, given the value of the attribute the rule looks at.
fn matches_value(doc: &Document, id: NodeId, rule: &PromptRule, value: &str) -> bool {
    if rule.tag.is_some_and(|t| !doc.is(id, t)) {
        return false;
    }
    match rule.target {
        // One substring search over the whole attribute rules most elements out before the
        // per-token test.
        Class(m) => value.contains(m.needle()) && value.split_ascii_whitespace().any(|c| m.test(c)),
        Id(m) | Attr(_, m) => m.test(value.trim()),
        HasAttr(_) => true,
        EmptyStyle(m) => {
            // Cheap screen before normalizing (which allocates): normalizing only drops
            // whitespace and lowercases, so the needle's longest word must be in the raw text.
            let word = m.longest_word().as_bytes();
            if !word.is_empty()
                && !value
                    .as_bytes()
                    .windows(word.len())
                    .any(|w| w.eq_ignore_ascii_case(word))
            {
                return false;
            }
            let normalized: String = value
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect::<String>()
                .to_ascii_lowercase();
            m.test(&normalized) && doc.text_content(id).trim().is_empty()
        }
    }
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
                cur = doc
                    .first_child(id)
                    .or_else(|| doc.next_skipping_children(id, root));
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
                cur = doc
                    .first_child(id)
                    .or_else(|| doc.next_skipping_children(id, root));
            }
            _ => {
                cur = doc
                    .first_child(id)
                    .or_else(|| doc.next_skipping_children(id, root))
            }
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

/// Makes a hidden wrapper and its hidden descendants visible again (attributes, inline styles,
/// measured visibility), so later stages keep the text.
fn lift_hiding(doc: &mut Document, id: NodeId) {
    let nodes: Vec<NodeId> = doc.descendants(id).filter(|&n| doc.is_element(n)).collect();
    for n in nodes {
        doc.remove_attr(n, "hidden");
        doc.remove_attr(n, "amp-access-hide");
        if doc.attr(n, "aria-hidden") == Some("true") {
            doc.remove_attr(n, "aria-hidden");
        }
        if let Some(style) = doc.attr(n, "style") {
            if crate::signals::style_hides(style) {
                doc.remove_attr(n, "style");
            }
        }
        if let Some(el) = doc.element_mut(n) {
            if let Some(h) = el.hints.as_mut() {
                if h.visible == Some(false) {
                    h.visible = Some(true);
                }
            }
        }
    }
}

/// Folds case and common Latin accents, and turns punctuation into spaces, so phrases match on
/// whole words: `" already a subscriber "`.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push(' ');
    let mut last_space = true;
    for c in text.chars().flat_map(char::to_lowercase) {
        let c = fold_accent(c);
        if c.is_alphanumeric() {
            out.push(c);
            last_space = false;
        } else if !last_space {
            out.push(' ');
            last_space = true;
        }
    }
    if !last_space {
        out.push(' ');
    }
    out
}

fn fold_accent(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => 'a',
        'ç' => 'c',
        'è' | 'é' | 'ê' | 'ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' => 'i',
        'ñ' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' => 'o',
        'ù' | 'ú' | 'û' | 'ü' => 'u',
        'ý' | 'ÿ' => 'y',
        '’' | '\'' => ' ',
        c => c,
    }
}

/// Whether a CJK phrase (no word spaces) is matched by substring instead of by words.
fn is_unspaced_script(phrase: &str) -> bool {
    phrase.chars().any(|c| (c as u32) >= 0x3040)
}

/// A lexicon entry, folded once.
struct Phrase {
    text: &'static str,
    folded: String,
    /// The first folded word, checked against the block's words before any substring search.
    first_word: String,
    words: usize,
    unspaced: bool,
}

fn lexicon() -> &'static [Phrase] {
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
fn remove_phrase_prompts(
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
        let Some(phrase) = prompt_phrase(&crate::render::text::subtree_text(doc, block)) else {
            continue;
        };
        hits.push((grow_prompt(doc, block, body), phrase));
    }
    for (id, phrase) in hits {
        if doc.parent(id).is_none() || !doc.contains(body, id) || id == body {
            continue;
        }
        if prose.protects(doc, id) {
            removed.spare(doc, id, "paywall:prompt-text");
            continue;
        }
        let reason = format!("prompt text: \u{201c}{phrase}\u{201d}");
        record_prompt(doc, id, "prompt-text", &reason, removed);
        report.removed(id, removed);
        doc.detach(id);
    }
}

/// Whether a text run contains the keyword (longest word) of any phrase, or CJK text. Runs on
/// every text node of the page, so it allocates nothing and folds as little as it can: words
/// are runs of letters and digits; a word of ASCII letters (most words, also in French or German
/// text) is compared as it is, only a word with other letters is lowercased and unaccented.
fn may_hold_phrase(text: &str) -> bool {
    let keys = keywords();
    if text.is_ascii() {
        return ascii_words_hold(text.as_bytes(), keys);
    }
    if holds_cjk(text.as_bytes()) {
        return true;
    }
    let mut folded = String::new();
    text.split(|c: char| !c.is_alphanumeric()).any(|w| {
        if w.is_ascii() {
            keys.holds_ascii(w.as_bytes())
        } else {
            folded_word_holds(w, keys, &mut folded)
        }
    })
}

/// Whether a keyword is among the words of ASCII text. Anything but an ASCII letter or digit
/// separates words (an apostrophe too, as in `fold`). A word is looked up only when its first
/// byte and length fit the keywords' mask.
fn ascii_words_hold(bytes: &[u8], keys: &Keywords) -> bool {
    let mut i = 0;
    while i < bytes.len() {
        // Skip to the next word, then to its end.
        while i < bytes.len() && !WORD_BYTE[usize::from(bytes[i])] {
            i += 1;
        }
        let start = i;
        while i < bytes.len() && WORD_BYTE[usize::from(bytes[i])] {
            i += 1;
        }
        if i > start && keys.holds_ascii(&bytes[start..i]) {
            return true;
        }
    }
    false
}

/// ASCII letters and digits, by byte.
static WORD_BYTE: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = (b as u8).is_ascii_alphanumeric();
        b += 1;
    }
    t
};

/// Whether UTF-8 `bytes` hold a character at or above U+3040 (kana, CJK and later planes):
/// lead byte 0xE4 or higher, or 0xE3 followed by 0x81 or higher.
fn holds_cjk(bytes: &[u8]) -> bool {
    bytes
        .iter()
        .enumerate()
        .any(|(i, &b)| b >= 0xE4 || (b == 0xE3 && bytes.get(i + 1).is_some_and(|&n| n >= 0x81)))
}

/// Folds one word (lowercase, accents off) into `buf` and looks it up; a character that folds
/// to a non-letter splits it, as in [`fold`].
fn folded_word_holds(word: &str, keys: &Keywords, buf: &mut String) -> bool {
    buf.clear();
    let mut overflow = false;
    for c in word.chars().flat_map(char::to_lowercase).chain([' ']) {
        let c = fold_accent(c);
        if c.is_alphanumeric() {
            if buf.len() + c.len_utf8() <= MAX_KEYWORD_BYTES {
                buf.push(c);
            } else {
                overflow = true;
            }
        } else if !buf.is_empty() {
            if !overflow && keys.holds(buf.as_bytes()) {
                return true;
            }
            buf.clear();
            overflow = false;
        }
    }
    false
}

/// Keywords longer than this (in UTF-8 bytes) are not used for screening.
const MAX_KEYWORD_BYTES: usize = 32;

/// The keyword (longest word) of every spaced phrase, bucketed by byte length, with a mask of
/// the lengths each first byte starts: most words of a page fail that one lookup.
struct Keywords {
    by_len: Vec<Vec<&'static str>>,
    shape: KeyShape,
}

impl Keywords {
    /// `word` (ASCII, any case) is a keyword.
    #[inline]
    fn holds_ascii(&self, word: &[u8]) -> bool {
        let Some(&first) = word.first() else {
            return false;
        };
        self.shape.fits(first.to_ascii_lowercase(), word.len())
            && self.by_len.get(word.len()).is_some_and(|bucket| {
                bucket
                    .iter()
                    .any(|k| k.as_bytes().eq_ignore_ascii_case(word))
            })
    }

    /// `word` (folded) is a keyword.
    fn holds(&self, word: &[u8]) -> bool {
        let Some(&first) = word.first() else {
            return false;
        };
        self.shape.fits(first, word.len())
            && self
                .by_len
                .get(word.len())
                .is_some_and(|bucket| bucket.iter().any(|k| k.as_bytes() == word))
    }
}

fn keywords() -> &'static Keywords {
    static KEYWORDS: std::sync::OnceLock<Keywords> = std::sync::OnceLock::new();
    KEYWORDS.get_or_init(|| {
        let mut by_len: Vec<Vec<&'static str>> = vec![Vec::new(); MAX_KEYWORD_BYTES + 1];
        for p in lexicon().iter().filter(|p| !p.unspaced) {
            let Some(k) = p
                .folded
                .split_whitespace()
                .max_by_key(|w| w.chars().count())
            else {
                continue;
            };
            // The lexicon lives as long as the program; its folded phrases do too.
            let k: &'static str = k;
            if k.len() <= MAX_KEYWORD_BYTES && !by_len[k.len()].contains(&k) {
                by_len[k.len()].push(k);
            }
        }
        let shape = KeyShape::of(by_len.iter().flatten());
        Keywords { by_len, shape }
    })
}

fn grow_prompt(doc: &Document, start: NodeId, body: NodeId) -> NodeId {
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
                let text = crate::render::text::subtree_text(doc, d);
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

/// Fixed/sticky layers that cover a good part of the viewport (render hints only), with prompt
/// text or no text at all (a backdrop).
fn remove_overlays(
    doc: &mut Document,
    prose: &ProseMass,
    removed: &mut Removed,
    report: &mut PaywallReport,
) {
    let Some((vw, vh)) = doc.page.viewport else {
        return;
    };
    let viewport_area = (vw * vh).max(1.0);
    let candidates: Vec<NodeId> = doc
        .descendants(doc.root())
        .filter(|&n| {
            doc.hints(n).is_some_and(|h| {
                matches!(h.position, Some(Position::Fixed) | Some(Position::Sticky))
                    && h.visible != Some(false)
                    && h.rect.is_some_and(|r| {
                        (r.width * r.height) / viewport_area >= OVERLAY_MIN_VIEWPORT_SHARE
                    })
            })
        })
        .collect();
    for id in candidates {
        if doc.parent(id).is_none() || doc.is(id, "body") || doc.is(id, "html") {
            continue;
        }
        let text = crate::render::text::subtree_text(doc, id);
        let words = text.split_whitespace().count();
        // Geometry is strong evidence already: any block of the layer reading as a prompt will do.
        let prompt = prompt_phrase(&text).is_some()
            || doc.descendants(id).any(|d| {
                crate::signals::is_block_tag(doc.tag(d))
                    && prompt_phrase(&crate::render::text::subtree_text(doc, d)).is_some()
            });
        // Two signals: geometry plus prompt words, or geometry plus being an empty backdrop.
        if prompt && prose.protects(doc, id) {
            removed.spare(doc, id, "paywall:overlay");
        } else if prompt || words == 0 {
            let reason = if prompt {
                "full-screen prompt layer"
            } else {
                "backdrop over the page"
            };
            record_prompt(doc, id, "overlay", reason, removed);
            report.removed(id, removed);
            doc.detach(id);
        }
    }
}

fn note_scroll_locks(doc: &Document, removed: &mut Removed, report: &mut PaywallReport) {
    let html = doc.find_first(doc.root(), "html");
    let body = doc.body();
    for id in [html, Some(body)].into_iter().flatten() {
        let class_lock = class_tokens(doc, id).any(|c| SCROLL_LOCK_CLASSES.contains(&c));
        let style_lock = doc.attr(id, "style").is_some_and(|s| {
            let s: String = s
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect::<String>()
                .to_ascii_lowercase();
            s.contains("overflow:hidden") || s.contains("position:fixed")
        });
        let measured = doc.page.scroll_locked == Some(true);
        if class_lock || style_lock || measured {
            report.scroll_lock = true;
            removed.note(
                "paywall:scroll-lock",
                "page scrolling was locked by a prompt",
                "",
            );
            return;
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dom::html::parse;

    #[test]
    fn the_text_screen_passes_every_phrase_however_written() {
        for p in PROMPT_PHRASES {
            for text in [
                p.to_string(),
                p.to_uppercase(),
                format!("\u{201c}{p}\u{201d} \u{2014} caf\u{e9}"),
                format!("Ok. {}!", p.to_uppercase()),
            ] {
                assert!(may_hold_phrase(&text), "{text:?}");
            }
        }
        assert!(!may_hold_phrase(
            "The weather was mild \u{2014} \u{201c}caf\u{e9}\u{201d} owners said."
        ));
        assert!(!may_hold_phrase("plain ascii words about the harbour"));
    }

    fn run(html: &str) -> (String, PaywallReport, Removed) {
        let mut d = parse(html);
        let mut r = Removed::default();
        let prose = ProseMass::measure(&d, "");
        let rep = strip_prompts(&mut d, &prose, &mut r);
        (d.text_content(d.root()), rep, r)
    }

    #[test]
    fn actions_point_at_the_elements_removed_and_unhidden() {
        let html = "<body><article><p>Story text that readers came for.</p>\
            <div class=\"piano-hide\" hidden><p>Hidden rest of the story.</p></div></article>\
            <div class=\"tp-modal\"><p>Subscribe now</p></div></body>";
        let mut d = parse(html);
        let mut r = Removed::default();
        let prose = ProseMass::measure(&d, "");
        let rep = strip_prompts(&mut d, &prose, &mut r);
        let modal = rep.actions.iter().find(|a| !a.unhide).expect("a removal");
        assert!(d.attr(modal.node, "class").unwrap().contains("tp-modal"));
        assert!(
            d.parent(modal.node).is_none(),
            "the removed element is detached"
        );
        assert!(r.items[modal.record].rule.starts_with("paywall:"));
        let shown = rep.actions.iter().find(|a| a.unhide).expect("an unhiding");
        assert_eq!(d.attr(shown.node, "class"), Some("piano-hide"));
        assert_eq!(rep.actions.len(), rep.prompts + rep.unhidden);
    }

    macro_rules! phrase {
        ($name:ident, $text:expr, $want:expr) => {
            #[test]
            fn $name() {
                assert_eq!(prompt_phrase($text).is_some(), $want, "{}", $text);
            }
        };
    }
    phrase!(en_prompt, "Already a subscriber? Sign in", true);
    phrase!(
        de_prompt_accents,
        "Sie sind bereits Abonnent? Hier anmelden",
        true
    );
    phrase!(
        fr_prompt_without_accents,
        "Deja abonne ? Connectez-vous",
        true
    );
    phrase!(es_prompt, "¿Ya eres suscriptor? Inicia sesión", true);
    phrase!(ja_prompt, "この記事は有料会員限定です。", true);
    phrase!(prose_mentioning_subscribe, "Many readers subscribe to newspapers because they like the crossword puzzles and the weather reports.", false);
    phrase!(
        single_word_in_sentence,
        "Abbonati e lettori hanno discusso a lungo della riforma durante la riunione di ieri sera.",
        false
    );
    phrase!(single_word_button, "Abbonati", true);
    phrase!(whole_words_only, "Unalready amember", false);

    #[test]
    fn vendor_modal_removed_and_recorded() {
        let (t, rep, r) =
            run("<p>Article text.</p><div class='tp-modal'>Subscribe now for full access</div>");
        assert!(t.contains("Article text") && !t.contains("Subscribe"));
        assert_eq!(rep.prompts, 1);
        assert_eq!(r.items[0].rule, "paywall:piano");
    }

    #[test]
    fn amp_hidden_text_is_unhidden() {
        let mut d = parse("<div amp-access-hide hidden><p>Full text.</p></div>");
        strip_prompts(&mut d, &ProseMass::default(), &mut Removed::default());
        let div = d.find_first(d.root(), "div").unwrap();
        assert!(d.attr(div, "hidden").is_none());
    }

    #[test]
    fn phrase_prompt_grows_to_its_box() {
        let (t, _, _) = run("<p>Real article paragraph.</p><div class=box><h3>Subscribe to continue reading</h3><a href=/s>Go</a></div>");
        assert!(t.contains("Real article") && !t.contains("Go"), "{t}");
    }

    #[test]
    fn scroll_lock_is_noted() {
        let (_, rep, _) = run("<body class='modal-open'><p>x</p></body>");
        assert!(rep.scroll_lock);
    }
}
