//! Pointers as TEI reads them (`teidata.pointer`, Guidelines 16.2 and 16.2.4): what one token of
//! a pointer attribute names.
//!
//! A pointer is a URI reference. Its fragment is either a bare XPointer (`#p12`, an `xml:id`) or
//! one of the XPointer schemes TEI defines (`range()`, `left()`, `right()`, `string-range()`,
//! `match()`, `xpath()`) or XPointer's own (`element()`, `xmlns()`, `xpointer()`). A scheme names
//! the ids its pointer arguments name; `xpath()` and unknown schemes name nothing that can be
//! checked without evaluating them. A prefix declared by `prefixDef` (`psn:kissinger`) is expanded
//! before the pointer is read.

use crate::xml::chars::is_ncname;

/// What a pointer token refers to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Pointer<'v> {
    /// A reference into a document: `file` is `None` for the document itself.
    Reference {
        /// The file part (`persons.xml`), relative to the document; `None`: this document.
        file: Option<&'v str>,
        /// The ids the fragment names (empty: none to check, as for `xpath()`, or no fragment).
        ids: Vec<&'v str>,
    },
    /// A fragment that is neither an `xml:id` nor an XPointer scheme, with why.
    Malformed(&'static str),
    /// An absolute URI (`https:`, `urn:`, `mailto:`) or one whose prefix no `prefixDef`
    /// declares: not checked.
    Absolute,
}

/// Reads one pointer token (already expanded by its `prefixDef`, if any).
///
/// ```text
/// #p1                       → Reference { file: None, ids: [p1] }
/// #range(a,b)               → Reference { file: None, ids: [a, b] }
/// persons.xml#p1            → Reference { file: Some(persons.xml), ids: [p1] }
/// #50                       → Malformed
/// https://example.org/#x    → Absolute
/// ```
pub(super) fn read(token: &str) -> Pointer<'_> {
    if crate::base::uri::scheme(token).is_some() {
        return Pointer::Absolute;
    }
    let (file, fragment) = match token.split_once('#') {
        Some((file, fragment)) => (file, Some(fragment)),
        None => (token, None),
    };
    let file = (!file.is_empty()).then_some(file);
    match fragment {
        None => Pointer::Reference {
            file,
            ids: Vec::new(),
        },
        Some(fragment) => match fragment_ids(fragment) {
            Ok(ids) => Pointer::Reference { file, ids },
            Err(why) => Pointer::Malformed(why),
        },
    }
}

/// The ids a fragment names, or why it is malformed.
fn fragment_ids(fragment: &str) -> Result<Vec<&str>, &'static str> {
    // An empty fragment is the whole document, as a URI without one.
    if fragment.is_empty() {
        return Ok(Vec::new());
    }
    if is_ncname(fragment) {
        return Ok(vec![fragment]);
    }
    let mut ids = Vec::new();
    scheme_ids(fragment, &mut ids)?;
    Ok(ids)
}

/// The ids named by an XPointer scheme part (`range(a,b)`) or a sequence of them.
fn scheme_ids<'v>(text: &'v str, ids: &mut Vec<&'v str>) -> Result<(), &'static str> {
    let Some(open) = text.find('(') else {
        return Err(if text.starts_with(|c: char| c.is_ascii_digit()) {
            "an xml:id cannot begin with a digit"
        } else {
            "it is neither an xml:id (an XML name) nor an XPointer scheme such as range(a,b)"
        });
    };
    let name = &text[..open];
    if !is_ncname(name) {
        return Err(
            "it is neither an xml:id (an XML name) nor an XPointer scheme such as range(a,b)",
        );
    }
    let close = matching_paren(text, open)
        .ok_or("its XPointer scheme has unbalanced parentheses or quotes")?;
    let body = &text[open + 1..close];
    let arguments = split_arguments(body);
    match name {
        // TEI's schemes whose arguments (all, or the first) are pointers themselves.
        "range" | "left" | "right" => {
            for argument in arguments {
                pointer_argument(argument, ids)?;
            }
        }
        "string-range" | "match" => {
            if let Some(first) = arguments.first() {
                pointer_argument(first, ids)?;
            }
        }
        // XPointer's element() scheme: an id, then a child sequence (`p12/1/3`).
        "element" => {
            let head = body.split('/').next().unwrap_or("");
            if is_ncname(head) {
                ids.push(head);
            }
        }
        // xpath(), xpointer(), xmlns() and schemes of other vocabularies: nothing checkable.
        _ => {}
    }
    // XPointer allows several scheme parts in a row (`xmlns(…)xpointer(…)`).
    let rest = text[close + 1..].trim_start();
    if rest.is_empty() {
        Ok(())
    } else {
        scheme_ids(rest, ids)
    }
}

/// An argument that is itself a pointer: an id, a scheme, or an id with a leading `#`.
fn pointer_argument<'v>(argument: &'v str, ids: &mut Vec<&'v str>) -> Result<(), &'static str> {
    let argument = argument.trim();
    let argument = argument.strip_prefix('#').unwrap_or(argument);
    if is_ncname(argument) {
        ids.push(argument);
        Ok(())
    } else if argument.contains('(') {
        scheme_ids(argument, ids)
    } else {
        // Anything else (an XPath step, a number) is not ours to judge.
        Ok(())
    }
}

/// The index of the `)` closing the `(` at `open`, skipping quoted strings and `^`-escapes.
fn matching_paren(text: &str, open: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for (i, c) in text[open..].char_indices() {
        if escaped {
            escaped = false;
            continue;
        }
        match (quote, c) {
            (_, '^') => escaped = true,
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '(') => depth += 1,
            (None, ')') => {
                depth -= 1;
                if depth == 0 {
                    return Some(open + i);
                }
            }
            _ => {}
        }
    }
    None
}

/// The top-level, comma-separated arguments of a scheme.
fn split_arguments(body: &str) -> Vec<&str> {
    let mut arguments = Vec::new();
    let (mut depth, mut start) = (0usize, 0usize);
    let mut quote: Option<char> = None;
    for (i, c) in body.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '(') => depth += 1,
            (None, ')') => depth = depth.saturating_sub(1),
            (None, ',') if depth == 0 => {
                arguments.push(&body[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    if !body.trim().is_empty() {
        arguments.push(&body[start..]);
    }
    arguments
}

/// A `prefixDef`: pointers `ident:…` whose rest matches `pattern` are rewritten by
/// `replacement` (`$1` … stand for the groups).
#[derive(Debug)]
pub(super) struct PrefixDef {
    ident: String,
    pattern: regex::Regex,
    replacement: String,
}

impl PrefixDef {
    /// The definition of `<prefixDef ident matchPattern replacementPattern>`; `None` if an
    /// attribute is missing or the pattern is not a regular expression we can read.
    pub(super) fn new(ident: &str, pattern: &str, replacement: &str) -> Option<Self> {
        // Read as a regular expression of the `regex` crate, which agrees with XML Schema's on
        // the patterns prefix definitions use, and keeps the groups the replacement needs.
        let pattern = regex::Regex::new(&format!("^(?:{pattern})$")).ok()?;
        Some(PrefixDef {
            ident: ident.to_string(),
            pattern,
            // `$1` in TEI; `${1}` so that a digit or letter after it is not read as part of it.
            replacement: regex::Regex::new(r"\$(\d)")
                .map(|r| r.replace_all(replacement, "$${$1}").into_owned())
                .unwrap_or_else(|_| replacement.to_string()),
        })
    }

    /// `token` expanded, if it has this definition's prefix and its rest matches.
    pub(super) fn expand(&self, token: &str) -> Option<String> {
        let rest = token.strip_prefix(self.ident.as_str())?.strip_prefix(':')?;
        self.pattern.is_match(rest).then(|| {
            self.pattern
                .replace(rest, self.replacement.as_str())
                .into_owned()
        })
    }

    /// The prefix.
    pub(super) fn ident(&self) -> &str {
        &self.ident
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(token: &str) -> Vec<&str> {
        match read(token) {
            Pointer::Reference { ids, .. } => ids,
            other => panic!("{token}: {other:?}"),
        }
    }

    #[test]
    fn bare_ids_and_tei_schemes() {
        assert_eq!(ids("#p1"), ["p1"]);
        assert_eq!(
            ids("#range(b_446-start,b_446-end)"),
            ["b_446-start", "b_446-end"]
        );
        assert_eq!(ids("#range(left(a),right(b))"), ["a", "b"]);
        assert_eq!(ids("#string-range(p3,0,12)"), ["p3"]);
        assert_eq!(ids("#match(p3,'a, b)',1)"), ["p3"]);
        assert_eq!(ids("#element(d1/2/3)"), ["d1"]);
        assert_eq!(ids("#element(/1/2)"), Vec::<&str>::new());
        assert_eq!(ids("#xpath(//div[@n='1'])"), Vec::<&str>::new());
        assert_eq!(
            ids("#xmlns(t=http://www.tei-c.org/ns/1.0)xpointer(//t:p)"),
            Vec::<&str>::new()
        );
    }

    #[test]
    fn files_absolute_and_malformed() {
        assert_eq!(
            read("persons.xml#p1"),
            Pointer::Reference {
                file: Some("persons.xml"),
                ids: vec!["p1"]
            }
        );
        assert_eq!(
            read("../d2.xml"),
            Pointer::Reference {
                file: Some("../d2.xml"),
                ids: vec![]
            }
        );
        assert_eq!(read("https://history.state.gov/#x"), Pointer::Absolute);
        assert_eq!(read("urn:cts:latinLit:phi0448"), Pointer::Absolute);
        assert_eq!(
            read("#50"),
            Pointer::Malformed("an xml:id cannot begin with a digit")
        );
        assert!(matches!(read("#range(a,b"), Pointer::Malformed(_)));
        assert_eq!(
            read("places.xml#"),
            Pointer::Reference {
                file: Some("places.xml"),
                ids: vec![]
            }
        );
    }

    #[test]
    fn prefix_definitions_expand() {
        let def = PrefixDef::new("psn", "([a-z]+)", "persons.xml#$1").unwrap();
        assert_eq!(
            def.expand("psn:kissinger").as_deref(),
            Some("persons.xml#kissinger")
        );
        assert_eq!(def.expand("psn:Kissinger"), None);
        assert_eq!(def.expand("plc:paris"), None);
    }
}
