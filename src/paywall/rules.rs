//! The rules table: vendor and site markers from `PAYWALLS.md`, one row per documented
//! marker (what it matches, whether the node is removed or its hidden text shown, and why).
//! A rule change touches this file only.

use super::*;

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
    pub(super) fn needle(self) -> &'static str {
        let (Match::Exact(s) | Match::Prefix(s) | Match::Contains(s)) = self;
        s
    }

    /// The needle's longest run of letters, digits and dashes.
    pub(super) fn longest_word(self) -> &'static str {
        self.needle()
            .split(|c: char| !(c.is_alphanumeric() || c == '-'))
            .max_by_key(|w| w.len())
            .unwrap_or("")
    }

    pub(super) fn test(self, v: &str) -> bool {
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

pub(super) const fn remove(name: &'static str, target: Target, reason: &'static str) -> PromptRule {
    PromptRule {
        name,
        target,
        tag: None,
        action: Action::Remove,
        reason,
    }
}

pub(super) const fn unhide(name: &'static str, target: Target, reason: &'static str) -> PromptRule {
    PromptRule {
        name,
        target,
        tag: None,
        action: Action::Unhide,
        reason,
    }
}

/// Vendor and site markers from `PAYWALLS.md`, one row per documented marker.
#[rustfmt::skip]
pub const PROMPT_RULES: &[PromptRule] = &[
    // Piano / Tinypass
    remove("piano", Class(Exact("tp-modal")), "Piano subscription modal"),
    remove("piano", Class(Exact("tp-backdrop")), "Piano modal backdrop"),
    remove("piano", Class(Exact("tp-iframe-wrapper")), "Piano offer frame"),
    remove("piano", Id(Exact("paywall-offer")), "Piano inline offer"),
    remove("piano", Class(Exact("tp-container-inner")), "Piano inline offer"),
    unhide("piano", Class(Exact("piano-hide")), "text hidden by Piano"),
    // Zephr
    remove("zephr", Id(Exact("zephr-overlay")), "Zephr paywall overlay"),
    remove("zephr", Class(Exact("zephr-wrapper")), "Zephr paywall"),
    remove("zephr", Id(Exact("zephr-payment-form-root")), "Zephr payment form"),
    // Poool
    remove("poool", Id(Exact("poool-widget")), "Poool paywall widget"),
    remove("poool", Id(Exact("poool-container")), "Poool paywall"),
    remove("poool", Attr("data-pleco-poool", Prefix("paywall")), "Poool paywall"),
    remove("poool", Attr("data-pleco-transition", Exact("fade")), "Poool fade layer"),
    unhide("poool", Attr("data-poool-mode", Exact("hide")), "text hidden by Poool"),
    // Leaky Paywall
    remove("leaky-paywall", Id(Prefix("issuem-leaky-paywall-")), "Leaky Paywall prompt"),
    // Steady
    remove("steady", Id(Exact("steady-checkout")), "Steady checkout"),
    remove("steady", Class(Exact("js-article-paywall")), "Steady paywall"),
    remove("steady", Class(Exact("js-paywall-divider")), "Steady paywall divider"),
    unhide("steady", Class(Exact("blurred")), "blurred article text"),
    // BlueConic / Evolok / Cxense
    remove("blueconic", Id(Exact("bc-root")), "BlueConic overlay"),
    remove("evolok", Class(Exact("ev-meter-content")), "Evolok meter prompt"),
    remove("cxense", Attr("data-dev", Exact("CxWidget_article:wall")), "Cxense paywall"),
    remove("cxense", Id(Exact("cxense-paywall")), "Cxense paywall"),
    // AMP subscriptions / amp-access
    remove("amp-subscriptions", Attr("subscriptions-section", Exact("content-not-granted")), "AMP subscription prompt"),
    remove("amp-access", Attr("amp-access", Contains("NOT granted")), "AMP access prompt"),
    unhide("amp-access", HasAttr("amp-access-hide"), "text hidden until access is granted"),
    unhide("amp-subscriptions", Attr("subscriptions-section", Exact("content")), "subscriber section"),
    // Substack
    remove("substack", Attr("data-testid", Exact("paywall")), "Substack paywall"),
    remove("substack", Class(Exact("paywall-cta")), "Substack subscribe call-to-action"),
    remove("substack", Class(Exact("paywall-title")), "Substack paywall title"),
    remove("substack", Class(Exact("subscription-widget-wrap")), "Substack subscribe widget"),
    // Medium
    remove("medium", Class(Exact("js-stickyFooter")), "Medium sign-up footer"),
    // New York Times
    remove("nyt", Id(Exact("gateway-content")), "NYT gateway"),
    remove("nyt", Class(Exact("expanded-dock")), "NYT subscribe dock"),
    remove("nyt", Id(Exact("dock-container")), "NYT subscribe dock"),
    remove("nyt", Attr("data-testid", Exact("inline-message")), "NYT inline prompt"),
    // Washington Post
    remove("wapo", Id(Exact("drawbridge-signup-overlay")), "Washington Post sign-up overlay"),
    remove("wapo", Id(Exact("wp_Signin")), "Washington Post sign-in prompt"),
    unhide("wapo", Class(Exact("drawbridge-article-collapsed")), "collapsed article"),
    unhide("wapo", Id(Exact("pb-root")), "collapsed article"),
    // Bloomberg
    remove("bloomberg", Id(Prefix("fortress-")), "Bloomberg paywall"),
    // inkl
    remove("inkl", Class(Exact("locked-sign-up-container")), "inkl sign-up prompt"),
    remove("inkl", Class(Exact("article-signup-container")), "inkl sign-up prompt"),
    remove("inkl", Class(Exact("what-is-inkl-container")), "inkl promotion"),
    remove("inkl", Class(Exact("shared-article-inline-banner")), "inkl banner"),
    remove("inkl", Class(Exact("gradient-container")), "fade over truncated text"),
    unhide("inkl", Class(Exact("paywall")), "text clipped by a paywall container"),
    // Others
    remove("atlantic", Id(Exact("paywall")), "paywall"),
    remove("foreign-policy", Class(Exact("content-gated")), "gated-content prompt"),
    remove("cnbc", Class(Exact("ArticleGate-proGate")), "CNBC Pro gate"),
    remove("gated-overlay", Class(Contains("gated-overlay")), "gated-content overlay"),
    remove("regwall", Class(Exact("regwall-container")), "registration wall"),
    remove("hard-paywall", Id(Exact("hardPaywallModal")), "paywall modal"),
    remove("paywall-popup", Class(Exact("paywall-fixed-popup")), "paywall pop-up"),
    // Consent and ad-block walls
    remove("consent", Class(Exact("fc-ab-root")), "ad-block wall"),
    remove("consent", Class(Exact("fc-dialog-container")), "consent dialog"),
    remove("consent", Class(Exact("fc-dialog-overlay")), "consent overlay"),
    remove("consent", Class(Exact("fc-consent-root")), "consent dialog"),
    remove("consent", Id(Exact("didomi-host")), "consent dialog"),
    remove("consent", Id(Exact("pmConsentWall")), "consent wall"),
    remove("consent", Id(Exact("onetrust-consent-sdk")), "cookie banner"),
    remove("consent", Id(Exact("CybotCookiebotDialog")), "cookie banner"),
    remove("consent", Class(Exact("cc-window")), "cookie banner"),
    remove("consent", Id(Contains("cookie-banner")), "cookie banner"),
    remove("consent", Class(Contains("cookie-banner")), "cookie banner"),
    remove("consent", Class(Contains("cookie-consent")), "cookie banner"),
    remove("consent", Id(Contains("cookie-consent")), "cookie banner"),
    remove("consent", Class(Contains("cookie-notice")), "cookie banner"),
    // Newsletter pop-ups
    remove("newsletter-popup", Class(Exact("subscribe-prompt-overlay")), "newsletter pop-up"),
    remove("newsletter-popup", Class(Exact("newsletter-modal-overlay")), "newsletter pop-up"),
    remove("newsletter-popup", Class(Exact("newsletter-popup")), "newsletter pop-up"),
    remove("newsletter-popup", Class(Exact("subscribe-popup")), "newsletter pop-up"),
    remove("newsletter-popup", Id(Exact("nlgate")), "newsletter gate"),
    remove("newsletter-popup", Class(Exact("optin-monster-overlay")), "newsletter pop-up"),
    remove("newsletter-popup", Class(Exact("tve-leads-lightbox")), "newsletter pop-up"),
    remove("newsletter-popup", Id(Exact("welcome-popup-overlay")), "newsletter pop-up"),
    // Generic fades and truncation layers (no text of their own)
    remove("fade", Class(Exact("fadeout")), "fade over truncated text"),
    remove("fade", Class(Exact("faded-content")), "fade over truncated text"),
    remove("fade", Class(Exact("paywall-gradient")), "fade over truncated text"),
    remove("fade", Class(Exact("teasered-content-fader")), "fade over truncated text"),
    remove("fade", Class(Exact("gated-fader")), "fade over truncated text"),
    remove("fade", Class(Prefix("gradient-mask-")), "fade over truncated text"),
    remove("fade", HasAttr("data-show-fade-on-noaccess"), "fade over truncated text"),
    remove("fade", EmptyStyle(Contains("linear-gradient")), "fade over truncated text"),
    remove("fade", Class(Exact("bg-gradient-to-t")), "fade over truncated text"),
    unhide("truncation", Class(Exact("article-body--truncated")), "truncated article container"),
    unhide("truncation", Class(Exact("truncated-content")), "truncated article container"),
    unhide("blur", Class(Exact("paywall-blurred")), "blurred article text"),
];
