//! The schemas a document names in its prolog, by W3C's "Associating Schemas with XML documents
//! 1.0": `<?xml-model href="…" schematypens="…" type="…"?>` processing instructions before the
//! root element.

/// The schema languages a declaration may name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchemaLanguage {
    /// RELAX NG, XML or compact syntax: teikit validates with it.
    RelaxNg,
    /// ISO Schematron: run by `validate` (a `.sch`, or the patterns an `.rng` embeds).
    Schematron,
    /// Anything else (W3C XML Schema, a DTD): named, not run.
    Other,
}

/// One `xml-model` processing instruction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Declaration {
    /// The `href` pseudo-attribute, as written (entity and character references decoded).
    pub href: String,
    /// What kind of schema it names.
    pub language: SchemaLanguage,
    /// Byte offset of the processing instruction in the document, for messages.
    pub offset: usize,
}

const RELAX_NG_NS: &str = "http://relaxng.org/ns/structure/1.0";
const SCHEMATRON_NS: [&str; 2] = [
    "http://purl.oclc.org/dsdl/schematron",
    "http://www.ascc.net/xml/schematron",
];

/// The `xml-model` declarations of `text`, in document order. Only the prolog is read (up to
/// the root element's start tag), so a document of any size costs a few hundred bytes.
///
/// ```
/// use teikit::schemas::{declared_schemas, SchemaLanguage};
/// let text = r#"<?xml version="1.0"?>
/// <?xml-model href="tei_all.rng" type="application/xml" schematypens="http://relaxng.org/ns/structure/1.0"?>
/// <?xml-model href="tei_all.rng" type="application/xml" schematypens="http://purl.oclc.org/dsdl/schematron"?>
/// <TEI xmlns="http://www.tei-c.org/ns/1.0"/>"#;
/// let found = declared_schemas(text);
/// assert_eq!(found.len(), 2);
/// assert_eq!((found[0].href.as_str(), found[0].language), ("tei_all.rng", SchemaLanguage::RelaxNg));
/// assert_eq!(found[1].language, SchemaLanguage::Schematron);
/// ```
pub fn declared_schemas(text: &str) -> Vec<Declaration> {
    let mut found = Vec::new();
    let mut at = usize::from(text.starts_with('\u{feff}')) * '\u{feff}'.len_utf8();
    loop {
        let rest = &text[at..];
        let skipped = rest.len() - rest.trim_start_matches([' ', '\t', '\r', '\n']).len();
        at += skipped;
        let rest = &text[at..];
        if let Some(body) = rest.strip_prefix("<?") {
            let Some(end) = body.find("?>") else { break };
            let instruction = &body[..end];
            let (target, data) = instruction
                .split_once(|c: char| c.is_ascii_whitespace())
                .unwrap_or((instruction, ""));
            if target == "xml-model" {
                if let Some(declaration) = read_declaration(data, at) {
                    found.push(declaration);
                }
            }
            at += 2 + end + 2;
        } else if rest.starts_with("<!--") {
            let Some(end) = rest.find("-->") else { break };
            at += end + 3;
        } else if rest.starts_with("<!DOCTYPE") {
            let Some(end) = doctype_end(rest) else { break };
            at += end;
        } else {
            break;
        }
    }
    found
}

/// The length of a document type declaration, its internal subset included.
fn doctype_end(text: &str) -> Option<usize> {
    let mut in_subset = false;
    let mut quote = None;
    for (i, c) in text.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '[') => in_subset = true,
            (None, ']') => in_subset = false,
            (None, '>') if !in_subset => return Some(i + 1),
            _ => {}
        }
    }
    None
}

/// The pseudo-attributes of an `xml-model` instruction (`name="value"` pairs, either quote).
fn pseudo_attributes(data: &str) -> Vec<(&str, String)> {
    let mut pairs = Vec::new();
    let mut rest = data;
    while let Some(eq) = rest.find('=') {
        let name = rest[..eq].trim();
        let after = rest[eq + 1..].trim_start();
        let Some(quote) = after.chars().next().filter(|c| *c == '"' || *c == '\'') else {
            break;
        };
        let Some(close) = after[1..].find(quote) else {
            break;
        };
        pairs.push((name, decode_references(&after[1..1 + close])));
        rest = &after[1 + close + 1..];
    }
    pairs
}

/// The predefined entities and character references of a pseudo-attribute value.
fn decode_references(value: &str) -> String {
    if !value.contains('&') {
        return value.to_string();
    }
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let Some(semi) = after.find(';') else {
            out.push_str(&rest[amp..]);
            return out;
        };
        let name = &after[..semi];
        let decoded = match name {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => name
                .strip_prefix("#x")
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => out.push(c),
            None => out.push_str(&rest[amp..amp + 1 + semi + 1]),
        }
        rest = &after[semi + 1..];
    }
    out.push_str(rest);
    out
}

fn read_declaration(data: &str, offset: usize) -> Option<Declaration> {
    let attributes = pseudo_attributes(data);
    let get = |name: &str| {
        attributes
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.trim())
    };
    let href = get("href").filter(|h| !h.is_empty())?.to_string();
    let namespace = get("schematypens");
    let media_type = get("type").unwrap_or("");
    let lower = href.to_ascii_lowercase();
    let path = lower.split(['#', '?']).next().unwrap_or("");
    let language = match namespace {
        Some(RELAX_NG_NS) => SchemaLanguage::RelaxNg,
        Some(ns) if SCHEMATRON_NS.contains(&ns) => SchemaLanguage::Schematron,
        Some(_) => SchemaLanguage::Other,
        None if media_type == "application/relax-ng-compact-syntax" => SchemaLanguage::RelaxNg,
        None if path.ends_with(".rng") || path.ends_with(".rnc") => SchemaLanguage::RelaxNg,
        None if path.ends_with(".sch") => SchemaLanguage::Schematron,
        None => SchemaLanguage::Other,
    };
    Some(Declaration {
        href,
        language,
        offset,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_prolog_is_read_and_every_form_of_declaration_is_understood() {
        let text = "\u{feff}<?xml version='1.0'?>\n<!-- a comment <?xml-model href='no.rng'?> -->\n\
            <!DOCTYPE TEI [ <!ENTITY x '>'> ]>\n\
            <?xml-model href='a.rnc'?>\n<?xml-model type=\"application/relax-ng-compact-syntax\" href=\"b&amp;c\"?>\n\
            <?xml-model href=\"s.sch\"?><?xml-model href=\"x.xsd\" schematypens=\"http://www.w3.org/2001/XMLSchema\"?>\n\
            <?xml-stylesheet href='style.xsl'?>\n<TEI><?xml-model href='late.rng'?></TEI>";
        let found: Vec<(String, SchemaLanguage)> = declared_schemas(text)
            .into_iter()
            .map(|d| (d.href, d.language))
            .collect();
        assert_eq!(
            found,
            [
                ("a.rnc".to_string(), SchemaLanguage::RelaxNg),
                ("b&c".to_string(), SchemaLanguage::RelaxNg),
                ("s.sch".to_string(), SchemaLanguage::Schematron),
                ("x.xsd".to_string(), SchemaLanguage::Other),
            ]
        );
    }

    #[test]
    fn a_declaration_without_href_or_broken_is_none() {
        assert!(declared_schemas("<?xml-model type='x'?><r/>").is_empty());
        assert!(declared_schemas("<?xml-model href='a.rng'").is_empty());
    }
}
