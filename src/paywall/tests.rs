//! The paywall stage's unit tests.

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
phrase!(buy_box, "Instant access to the full article PDF.", true);
phrase!(
    prose_about_buying,
    "Readers who pay get instant access to the full article archive, the publisher said, and the council wants the same deal for the members of the library from next year on.",
    false
);
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

#[test]
fn a_prompt_in_a_container_like_the_bodys_is_not_a_part_of_it() {
    // A body split into parts shelters its parts from name guesses, but a prompt's own words
    // outweigh looking like the container before it.
    let para = "<p>A sentence long enough to count as prose, with a comma or two.</p>";
    let html = format!(
        "<body><div class=story-text>{}</div><div class=ad>Advertisement</div>\
         <div class=story-text>{}</div><div class=story-text><p>Subscribe to continue reading \
         this story and every other one, from one euro a month for the first year.</p></div></body>",
        para.repeat(6),
        para.repeat(6)
    );
    let (t, _, _) = run(&html);
    assert!(
        t.contains("comma or two") && !t.contains("Subscribe"),
        "{t}"
    );
}
