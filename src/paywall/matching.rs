//! Matching elements against the rules table: an index by the first bytes of each rule's key
//! (class token, id, attribute), so that one lookup per class token finds the candidate rules.

use super::*;

pub(super) fn class_tokens(doc: &Document, id: NodeId) -> impl Iterator<Item = &str> {
    doc.attr(id, "class").unwrap_or("").split_ascii_whitespace()
}

/// FNV-1a: the rule index is looked up for every class token of every element, and its keys are
/// our own short constants, so a fast non-keyed hash is right here (SipHash cost 5% of the stage).
pub(super) struct Fnv(u64);

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
pub(super) struct RuleIndex {
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
pub(super) struct KeyShape {
    lengths_by_first: Vec<u64>,
}

impl KeyShape {
    pub(super) fn of<'a>(keys: impl Iterator<Item = &'a &'static str>) -> KeyShape {
        let mut lengths_by_first = vec![0u64; 256];
        for k in keys {
            if let Some(&b) = k.as_bytes().first() {
                lengths_by_first[usize::from(b)] |= 1 << k.len().min(63);
            }
        }
        KeyShape { lengths_by_first }
    }

    /// Whether `key` may be one of the keys (false means it is not).
    pub(super) fn may_hold(&self, key: &str) -> bool {
        key.as_bytes()
            .first()
            .is_some_and(|&b| self.fits(b, key.len()))
    }

    /// Whether some key starts with byte `first` and is `len` bytes long (or may be).
    pub(super) fn fits(&self, first: u8, len: usize) -> bool {
        self.lengths_by_first[usize::from(first)] & (1 << len.min(63)) != 0
    }
}

pub(super) fn rule_index() -> &'static RuleIndex {
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
pub(super) fn first_matching_rule(doc: &Document, id: NodeId) -> Option<&'static PromptRule> {
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
pub(super) fn matches_value(doc: &Document, id: NodeId, rule: &PromptRule, value: &str) -> bool {
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
