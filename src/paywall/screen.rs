//! The keyword screen: one pass over every text run during the rules walk tells whether it could
//! hold a prompt phrase at all (a keyword of some phrase, as a whole folded word, or any CJK
//! text), so that the phrase match itself runs on few blocks.

use super::*;

/// Whether a text run contains the keyword (longest word) of any phrase, or CJK text. Runs on
/// every text node of the page, so it allocates nothing and folds as little as it can: words
/// are runs of letters and digits; a word of ASCII letters (most words, also in French or German
/// text) is compared as it is, only a word with other letters is lowercased and unaccented.
pub(super) fn may_hold_phrase(text: &str) -> bool {
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
pub(super) fn ascii_words_hold(bytes: &[u8], keys: &Keywords) -> bool {
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
pub(super) static WORD_BYTE: [bool; 256] = {
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
pub(super) fn holds_cjk(bytes: &[u8]) -> bool {
    bytes
        .iter()
        .enumerate()
        .any(|(i, &b)| b >= 0xE4 || (b == 0xE3 && bytes.get(i + 1).is_some_and(|&n| n >= 0x81)))
}

/// Folds one word (lowercase, accents off) into `buf` and looks it up; a character that folds
/// to a non-letter splits it, as in [`fold`].
pub(super) fn folded_word_holds(word: &str, keys: &Keywords, buf: &mut String) -> bool {
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
pub(super) const MAX_KEYWORD_BYTES: usize = 32;

/// The keyword (longest word) of every spaced phrase, bucketed by byte length, with a mask of
/// the lengths each first byte starts: most words of a page fail that one lookup.
pub(super) struct Keywords {
    by_len: Vec<Vec<&'static str>>,
    shape: KeyShape,
}

impl Keywords {
    /// `word` (ASCII, any case) is a keyword.
    #[inline]
    pub(super) fn holds_ascii(&self, word: &[u8]) -> bool {
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
    pub(super) fn holds(&self, word: &[u8]) -> bool {
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

pub(super) fn keywords() -> &'static Keywords {
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
