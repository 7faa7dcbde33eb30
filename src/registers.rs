//! Registers an editor already has: persons, places, organisations and terms read from TEI and
//! written as the entries of `volume.toml`.
//!
//! Read from:
//! - TEI lists: `listPerson/person` (its `persName`, and a `note` or `occupation` as the
//!   identification), `listPlace/place` (`placeName`), `listOrg/org` (`orgName`), each with its
//!   `xml:id`;
//! - FRUS front matter: the items of `div[@xml:id="persons"]` (`persName[@xml:id]` then the
//!   identification: `Kissinger, Henry A., Assistant to the President …`) and of
//!   `div[@xml:id="terms"]` (`term[@xml:id]` then the expansion: `DRV or DRVN, Democratic
//!   Republic of Vietnam`), and the list of terms teikit itself writes (`term` + `gloss`).
//!
//! A person's forms are those [`derived_forms`] finds in the entry's name, written out so
//! that the editor sees them and adds only what cannot be derived; a title at the head of the
//! given names (`Sawaeng Senanarong, General`) becomes the entry's title.

use crate::base::diagnostic::{Diagnostic, Location};
use crate::convert::editorial::{is_ncname, VolumeData};
use crate::convert::names::{derived_forms, leading_title};
use roxmltree::Node;
use std::collections::HashSet;
use std::fmt::Write as _;
use std::path::Path;

/// An entry read from TEI.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    /// A person.
    Person {
        /// The entry's `xml:id`.
        id: String,
        /// The name as the list gives it, surname first.
        name: String,
        /// A title the name carries (`General`).
        title: Option<String>,
        /// What the list says of the person.
        identification: String,
    },
    /// A place (`[[place]]`) or an organisation (`[[org]]`), by the table name.
    Entity {
        /// `place` or `org`.
        table: &'static str,
        /// The entry's `xml:id`.
        id: String,
        /// The name.
        name: String,
        /// What the list says of it, if anything.
        identification: Option<String>,
    },
    /// A term of the list of abbreviations.
    Term {
        /// The entry's `xml:id`.
        id: String,
        /// The forms printed, the first as the term's form (`DRV`, `DRVN`).
        forms: Vec<String>,
        /// What it stands for.
        expansion: String,
    },
}

impl Entry {
    /// The entry's id.
    pub fn id(&self) -> &str {
        match self {
            Entry::Person { id, .. } | Entry::Entity { id, .. } | Entry::Term { id, .. } => id,
        }
    }
}

/// What an import found: the entries, and what it passed over, as warnings.
#[derive(Debug, Default)]
pub struct Import {
    /// The entries, in document order.
    pub entries: Vec<Entry>,
    /// Items that could not be read as entries (no id, an id that is no `xml:id`, no name).
    pub warnings: Vec<Diagnostic>,
}

/// Reads the registers of the TEI document `text` (read from `path`).
///
/// ```
/// use teikit::registers::{read_registers, Entry};
/// let tei = r#"<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><front>
///   <div xml:id="persons"><list><item><hi rend="strong"><persName xml:id="p_KHA_1">Kissinger,
///   Henry A.</persName>,</hi> Assistant to the President</item></list></div>
/// </front></text></TEI>"#;
/// let import = read_registers(std::path::Path::new("v.xml"), tei).unwrap();
/// assert_eq!(import.entries[0], Entry::Person {
///     id: "p_KHA_1".into(),
///     name: "Kissinger, Henry A.".into(),
///     title: None,
///     identification: "Assistant to the President".into(),
/// });
/// ```
pub fn read_registers(path: &Path, text: &str) -> Result<Import, Diagnostic> {
    let doc = crate::xml::parse(path, text, crate::xml::ReadLimits::default())?;
    let mut import = Import::default();
    let located = |node: Node| {
        let (line, column) =
            crate::base::diagnostic::LineIndex::new(text).line_column(text, node.range().start);
        Location::new(path, line, column)
    };
    for node in doc.descendants().filter(Node::is_element) {
        let read = match node.tag_name().name() {
            "person" if parent_is(node, "listPerson") => person_of_list(node),
            "place" if parent_is(node, "listPlace") => entity_of_list(node, "place", "placeName"),
            "org" if parent_is(node, "listOrg") => entity_of_list(node, "org", "orgName"),
            "item" if within_div(node, "persons") => front_matter_person(node),
            "item" if within_div(node, "terms") || list_type(node) == Some("terms") => term(node),
            _ => continue,
        };
        match read {
            Ok(entry) => import.entries.push(entry),
            Err(why) => import
                .warnings
                .push(Diagnostic::warning(located(node), why)),
        }
    }
    Ok(import)
}

fn parent_is(node: Node, name: &str) -> bool {
    node.parent_element()
        .is_some_and(|p| p.tag_name().name() == name)
}

fn within_div(node: Node, id: &str) -> bool {
    node.ancestors().any(|a| {
        a.tag_name().name() == "div" && a.attribute((roxmltree::NS_XML_URI, "id")) == Some(id)
    })
}

fn list_type<'a>(node: Node<'a, '_>) -> Option<&'a str> {
    node.parent_element()
        .filter(|p| p.tag_name().name() == "list")
        .and_then(|p| p.attribute("type"))
}

/// Text content with white space collapsed.
fn text_of(node: Node) -> String {
    let raw: String = node
        .descendants()
        .filter(|n| n.is_text())
        .map(|n| n.text().unwrap_or(""))
        .collect();
    raw.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn id_of(node: Node) -> Result<String, String> {
    let id = node
        .attribute((roxmltree::NS_XML_URI, "id"))
        .ok_or_else(|| {
            format!(
                "<{}> without xml:id passed over: an entry needs an id the documents point to",
                node.tag_name().name()
            )
        })?;
    if is_ncname(id) {
        Ok(id.to_string())
    } else {
        Err(format!("`{id}` is not a valid xml:id; entry passed over"))
    }
}

/// The text of an item after its first element named `name`, without the comma after it.
fn rest_after<'a, 'input>(
    item: Node<'a, 'input>,
    name: &str,
) -> Option<(Node<'a, 'input>, String)> {
    let head = item.descendants().find(|n| n.tag_name().name() == name)?;
    let all = text_of(item);
    let head_text = text_of(head);
    let after = all
        .find(&head_text)
        .map_or("", |i| &all[i + head_text.len()..]);
    let rest = after
        .trim_start()
        .trim_start_matches([',', ';', ':'])
        .trim();
    Some((head, rest.to_string()))
}

fn person_with_title(id: String, name: String, identification: String) -> Entry {
    // A title at the head of the given names: "Sawaeng Senanarong, General".
    let title = leading_title(&name);
    Entry::Person {
        id,
        name,
        title,
        identification,
    }
}

fn front_matter_person(item: Node) -> Result<Entry, String> {
    let (pers_name, identification) =
        rest_after(item, "persName").ok_or("a persons list item without <persName> passed over")?;
    let name = text_of(pers_name);
    if name.is_empty() {
        return Err("a persons list item with an empty <persName> passed over".into());
    }
    Ok(person_with_title(id_of(pers_name)?, name, identification))
}

/// A `persName` as a register writes it, surname first: where the name is marked up as
/// `<forename>Henry A.</forename> <surname>Kissinger</surname>`, "Kissinger, Henry A."
/// (a `genName` such as "Jr." after the given names); otherwise its text as it stands.
fn register_name(pers_name: Node) -> String {
    let parts = |name: &str| -> Vec<String> {
        pers_name
            .descendants()
            .filter(|n| n.tag_name().name() == name)
            .map(text_of)
            .filter(|t| !t.is_empty())
            .collect()
    };
    let surnames = parts("surname");
    if surnames.is_empty() {
        return text_of(pers_name);
    }
    let mut name = [parts("nameLink"), surnames].concat().join(" ");
    let given = parts("forename").join(" ");
    if !given.is_empty() {
        name.push_str(", ");
        name.push_str(&given);
    }
    for generation in parts("genName") {
        name.push_str(", ");
        name.push_str(&generation);
    }
    name
}

fn person_of_list(person: Node) -> Result<Entry, String> {
    let id = id_of(person)?;
    let name = person
        .children()
        .find(|n| n.tag_name().name() == "persName")
        .map(register_name)
        .filter(|n| !n.is_empty())
        .ok_or_else(|| format!("person `{id}` without a <persName> passed over"))?;
    let identification = person
        .children()
        .filter(|n| {
            matches!(
                n.tag_name().name(),
                "note" | "occupation" | "roleName" | "state"
            )
        })
        .map(text_of)
        .collect::<Vec<_>>()
        .join("; ");
    Ok(person_with_title(id, name, identification))
}

fn entity_of_list(node: Node, table: &'static str, name_element: &str) -> Result<Entry, String> {
    let id = id_of(node)?;
    let name = node
        .children()
        .find(|n| n.tag_name().name() == name_element)
        .map(text_of)
        .filter(|n| !n.is_empty())
        .ok_or_else(|| format!("{table} `{id}` without a <{name_element}> passed over"))?;
    let identification = node
        .children()
        .find(|n| matches!(n.tag_name().name(), "note" | "desc"))
        .map(text_of)
        .filter(|t| !t.is_empty());
    Ok(Entry::Entity {
        table,
        id,
        name,
        identification,
    })
}

fn term(item: Node) -> Result<Entry, String> {
    let (term, mut expansion) =
        rest_after(item, "term").ok_or("a terms list item without <term> passed over")?;
    if let Some(gloss) = item.descendants().find(|n| n.tag_name().name() == "gloss") {
        expansion = text_of(gloss);
    }
    let printed = text_of(term);
    let forms: Vec<String> = printed
        .split(" or ")
        .map(|f| f.trim().to_string())
        .filter(|f| !f.is_empty())
        .collect();
    if forms.is_empty() || expansion.is_empty() {
        return Err(format!(
            "term `{printed}` without a form or an expansion passed over"
        ));
    }
    Ok(Entry::Term {
        id: id_of(term)?,
        forms,
        expansion,
    })
}

/// A TOML basic string.
fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn quoted_list(items: &[String]) -> String {
    let inner: Vec<String> = items.iter().map(|s| quoted(s)).collect();
    format!("[{}]", inner.join(", "))
}

/// The entries as the tables of `volume.toml`, persons first, then places, organisations and
/// terms, each in the order read.
pub fn to_toml(entries: &[Entry]) -> String {
    let mut out = String::new();
    let rank = |e: &Entry| match e {
        Entry::Person { .. } => 0,
        Entry::Entity { table: "place", .. } => 1,
        Entry::Entity { .. } => 2,
        Entry::Term { .. } => 3,
    };
    let mut sorted: Vec<&Entry> = entries.iter().collect();
    sorted.sort_by_key(|e| rank(e));
    for entry in sorted {
        out.push('\n');
        match entry {
            Entry::Person {
                id,
                name,
                title,
                identification,
            } => {
                let _ = writeln!(
                    out,
                    "[[person]]\nid = {}\nname = {}",
                    quoted(id),
                    quoted(name)
                );
                let _ = writeln!(out, "forms = {}", quoted_list(&derived_forms(name)));
                if let Some(title) = title {
                    let _ = writeln!(out, "titles = {}", quoted_list(std::slice::from_ref(title)));
                }
                let _ = writeln!(out, "identification = {}", quoted(identification));
            }
            Entry::Entity {
                table,
                id,
                name,
                identification,
            } => {
                let _ = writeln!(
                    out,
                    "[[{table}]]\nid = {}\nname = {}",
                    quoted(id),
                    quoted(name)
                );
                let form = name.split(',').next().unwrap_or(name).trim().to_string();
                let _ = writeln!(out, "forms = {}", quoted_list(&[form]));
                if let Some(identification) = identification {
                    let _ = writeln!(out, "identification = {}", quoted(identification));
                }
            }
            Entry::Term {
                id,
                forms,
                expansion,
            } => {
                let _ = writeln!(
                    out,
                    "[[abbreviation]]\nid = {}\nform = {}",
                    quoted(id),
                    quoted(&forms[0])
                );
                if forms.len() > 1 {
                    let _ = writeln!(out, "variants = {}", quoted_list(&forms[1..]));
                }
                let _ = writeln!(out, "expansion = {}", quoted(expansion));
            }
        }
    }
    out
}

/// The `[volume]` table of a new `volume.toml`, to be filled in by the editor.
pub const VOLUME_SKELETON: &str = r#"# The volume: fill in what the header of every converted document names.
[volume]
id = ""                 # e.g. "frus1969-76v20"
series = ""             # e.g. "Foreign Relations of the United States"
subseries = ""          # e.g. "1969–1976"
number = ""             # e.g. "XX"
title = ""              # e.g. "Southeast Asia, 1969–1972"
editors = []
publisher = ""
pub_place = ""
published = ""          # the year
availability = ""
"#;

/// Merges `entries` into the text of an existing `volume.toml`: the file stays as it was and
/// the entries whose id it does not hold yet are appended. Returns the new text and the ids
/// left out because the file has them.
pub fn merge_into(existing: &VolumeData, text: &str, entries: &[Entry]) -> (String, Vec<String>) {
    let mut known: HashSet<String> = existing
        .entries()
        .map(|(_, id)| id.get_ref().clone())
        .chain(
            existing
                .abbreviations
                .iter()
                .map(|a| a.id.get_ref().clone()),
        )
        .collect();
    let mut skipped = Vec::new();
    let fresh: Vec<Entry> = entries
        .iter()
        .filter(|e| {
            let new = known.insert(e.id().to_string());
            if !new {
                skipped.push(e.id().to_string());
            }
            new
        })
        .cloned()
        .collect();
    let mut out = text.to_string();
    if !fresh.is_empty() {
        if !out.ends_with('\n') && !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&to_toml(&fresh));
    }
    (out, skipped)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn import(tei: &str) -> Import {
        read_registers(Path::new("t.xml"), tei).unwrap()
    }

    #[test]
    fn tei_lists_of_persons_places_and_organisations() {
        let found = import(
            r#"<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><sourceDesc>
            <listPerson><person xml:id="p_1"><persName>Bundy, McGeorge</persName><note>Special Assistant</note></person>
            <person><persName>No Id</persName></person></listPerson>
            <listPlace><place xml:id="pl_1"><placeName>Paris, France</placeName></place></listPlace>
            <listOrg><org xml:id="o_1"><orgName>Central Intelligence Agency</orgName></org></listOrg>
            </sourceDesc></fileDesc></teiHeader></TEI>"#,
        );
        assert_eq!(found.entries.len(), 3);
        assert_eq!(found.warnings.len(), 1);
        assert!(found.warnings[0].message.contains("without xml:id"));
        assert_eq!(found.warnings[0].location.line, 3);
        let toml = to_toml(&found.entries);
        assert!(toml.contains("[[person]]\nid = \"p_1\"\nname = \"Bundy, McGeorge\"\nforms = [\"Bundy\", \"McGeorge Bundy\", \"M. Bundy\"]\nidentification = \"Special Assistant\"\n"), "{toml}");
        assert!(
            toml.contains(
                "[[place]]\nid = \"pl_1\"\nname = \"Paris, France\"\nforms = [\"Paris\"]\n"
            ),
            "{toml}"
        );
        assert!(toml.contains("[[org]]\nid = \"o_1\""), "{toml}");
    }

    #[test]
    fn names_marked_up_by_part_are_written_surname_first() {
        let found = import(
            r#"<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><sourceDesc><listPerson>
            <person xml:id="p_1"><persName><forename>Henry A.</forename> <surname>Kissinger</surname></persName></person>
            <person xml:id="p_2"><persName><forename>John</forename><nameLink>von</nameLink><surname>Neumann</surname><genName>Jr.</genName></persName></person>
            </listPerson></sourceDesc></fileDesc></teiHeader></TEI>"#,
        );
        let names: Vec<&str> = found
            .entries
            .iter()
            .map(|e| match e {
                Entry::Person { name, .. } => name.as_str(),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(names, ["Kissinger, Henry A.", "von Neumann, John, Jr."]);
    }

    #[test]
    fn titles_and_terms_with_variants() {
        let found = import(
            r#"<front xmlns="http://www.tei-c.org/ns/1.0">
            <div xml:id="terms"><list><item><hi><term xml:id="t_DRV1">DRV or DRVN</term>,</hi> Democratic Republic of
              Vietnam</item></list></div>
            <div xml:id="persons"><list><item><hi><persName xml:id="p_SSG2">Sawaeng Senanarong, General</persName>,</hi>
              Thai Government House Secretary-General</item></list></div></front>"#,
        );
        assert_eq!(
            found.entries,
            [
                Entry::Term {
                    id: "t_DRV1".into(),
                    forms: vec!["DRV".into(), "DRVN".into()],
                    expansion: "Democratic Republic of Vietnam".into()
                },
                Entry::Person {
                    id: "p_SSG2".into(),
                    name: "Sawaeng Senanarong, General".into(),
                    title: Some("General".into()),
                    identification: "Thai Government House Secretary-General".into()
                }
            ]
        );
        let toml = to_toml(&found.entries);
        assert!(toml.contains("variants = [\"DRVN\"]"), "{toml}");
        assert!(toml.contains("titles = [\"General\"]"), "{toml}");
    }

    #[test]
    fn strings_are_escaped() {
        assert_eq!(quoted("say \"hi\"\\"), r#""say \"hi\"\\""#);
    }
}
