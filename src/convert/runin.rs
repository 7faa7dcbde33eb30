//! Run-in heads: the short italic heads that open a paragraph ("Summary of Results:",
//! "Concerning Vietnam—", "Laos—").
//!
//! A head is a run of capitalised words (with "of", "and", "the" … between them) at the start of
//! a paragraph, ended by a colon or an em dash. Received texts sometimes lose the dash, gluing the
//! head to the next word ("VietnamTho"); such a word is split where the document itself shows
//! the way: its first part ends an earlier head of the document ("Concerning Vietnam—") and its
//! second part is a name the registers know ("Tho"). The repair is reported so it can be encoded
//! as an editorial supply and declared in the header.

use regex::Regex;
use std::ops::Range;
use std::sync::LazyLock;

/// How a head is separated from the paragraph's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delimiter {
    /// "Summary of Results:"
    Colon,
    /// "Laos—"
    Dash,
    /// The dash the received text lost; to be supplied by the editor.
    LostDash,
}

/// A run-in head at the start of a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunInHead {
    /// The head's words, without the delimiter.
    pub head: Range<usize>,
    /// The delimiter as printed (empty for a lost dash, which sits at `head.end`).
    pub delimiter: Range<usize>,
    /// Which delimiter.
    pub kind: Delimiter,
}

const CONNECTIVES: &str = "of|and|the|for|on|in|to|with|a|an|at|by";

static HEAD: LazyLock<Regex> = LazyLock::new(|| {
    let word = r"[A-Z][\p{L}’'.-]*";
    Regex::new(&format!(
        r"^(?P<head>{word}(?:\s(?:{word}|{CONNECTIVES})){{0,5}})(?P<delim>:|—)(?:\s|$|(?P<next>[A-Z(“\[]))"
    ))
    .expect("head pattern")
});

static GLUED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?P<a>[A-Z][a-z]{2,})(?P<b>[A-Z][a-z]+)\b").expect("glued head pattern")
});

/// Finds the run-in head at the start of `text`, if there is one.
///
/// `earlier_heads` are the heads found before in the same document; `is_known_name` tells
/// whether a word is a form of the registers. Both are used only to recognise a lost dash.
///
/// ```
/// use teikit::convert::{find_run_in_head, Delimiter};
/// let head = find_run_in_head("Concerning Laos—(i) To obtain", &[], |_| false).unwrap();
/// assert_eq!(head.head, 0..15);
/// assert_eq!(head.kind, Delimiter::Dash);
/// let glued = find_run_in_head("VietnamTho and I", &["Concerning Vietnam".into()], |w| w == "Tho").unwrap();
/// assert_eq!((glued.head, glued.kind), (0..7, Delimiter::LostDash));
/// ```
pub fn find_run_in_head(
    text: &str,
    earlier_heads: &[String],
    is_known_name: impl Fn(&str) -> bool,
) -> Option<RunInHead> {
    // "Dear Fritz: In view of …" opens a letter; it heads nothing.
    if text.starts_with("Dear ") || text.starts_with("My dear ") {
        return None;
    }
    if let Some(c) = HEAD.captures(text) {
        let head = c.name("head").expect("head group");
        let delim = c.name("delim").expect("delimiter group");
        let is_colon = delim.as_str() == ":";
        // A dash head must be followed by what starts a clause; a colon head by a space or the end.
        let ok = if is_colon {
            c.name("next").is_none()
        } else {
            c.name("next").is_some() || text[delim.end()..].starts_with(' ')
        };
        let last_word_capitalised = head
            .as_str()
            .rsplit(' ')
            .next()
            .is_some_and(|w| w.starts_with(|ch: char| ch.is_uppercase()));
        if ok && last_word_capitalised {
            return Some(RunInHead {
                head: head.range(),
                delimiter: delim.range(),
                kind: if is_colon {
                    Delimiter::Colon
                } else {
                    Delimiter::Dash
                },
            });
        }
    }
    let c = GLUED.captures(text)?;
    let (a, b) = (c.name("a")?, c.name("b")?);
    let ends_earlier_head = earlier_heads
        .iter()
        .any(|h| h.rsplit(' ').next() == Some(a.as_str()));
    (ends_earlier_head && is_known_name(b.as_str()) && !is_known_name(&c[0])).then(|| RunInHead {
        head: a.range(),
        delimiter: a.end()..a.end(),
        kind: Delimiter::LostDash,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(text: &str) -> Option<(String, Delimiter)> {
        find_run_in_head(text, &[], |_| false).map(|h| (text[h.head].to_string(), h.kind))
    }

    #[test]
    fn colon_and_dash_heads() {
        assert_eq!(
            head("Summary of Results: Yesterday I"),
            Some(("Summary of Results".into(), Delimiter::Colon))
        );
        assert_eq!(
            head("Our Accomplishments:"),
            Some(("Our Accomplishments".into(), Delimiter::Colon))
        );
        assert_eq!(
            head("Laos—With respect"),
            Some(("Laos".into(), Delimiter::Dash))
        );
    }

    #[test]
    fn ordinary_sentences_are_not_heads() {
        assert_eq!(head("In order to obtain the commitments, we"), None);
        assert_eq!(head("With respect to Americans missing in Laos, the"), None);
        assert_eq!(head("He said this: no"), None);
        assert_eq!(head("513. 1. This morning"), None);
    }

    #[test]
    fn lost_dash_needs_an_earlier_head_and_a_known_name() {
        let earlier = vec!["Concerning Cambodia".to_string()];
        let known = |w: &str| w == "Tho";
        assert!(find_run_in_head("CambodiaTho maintained", &earlier, known).is_some());
        assert!(find_run_in_head("CambodiaTho maintained", &[], known).is_none());
        assert!(find_run_in_head("McNamara said", &earlier, known).is_none());
    }
}
