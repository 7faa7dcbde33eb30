//! The editor's data for a document and its volume, read from TOML files beside the source.
//!
//! A source `sources/VOLUME/dN.txt` has two companions:
//! - `sources/VOLUME/volume.toml`: the volume (series, number, title, editors, publisher) and the
//!   registers of persons, places, organisations and abbreviations, each entry with an id, a
//!   normalised name, the forms in which it appears in the text and a short identification;
//! - `sources/VOLUME/dN.toml`: the document (number, id, type) and, when the editor has
//!   established it, its date and how it was determined.
//!
//! Everything the converter knows about people, places and the volume comes from these files;
//! nothing about a particular document is written in Rust.

use crate::base::diagnostic::{LineIndex, Location};
use serde::Deserialize;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// The file name of a volume's data, beside its sources.
pub const VOLUME_FILE: &str = "volume.toml";

/// A problem with an editorial data file.
#[derive(Debug, thiserror::Error)]
pub enum EditorialError {
    /// The file could not be read.
    #[error("{path}: error: cannot read editorial data: {source}")]
    Unreadable {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not valid TOML or does not have the expected fields.
    #[error("{location}: error: {message}")]
    Malformed {
        /// Where the problem is.
        location: Location,
        /// What is wrong.
        message: String,
    },
}

/// The volume a document belongs to.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Volume {
    /// The volume's identifier, e.g. `frus1969-76v10`.
    pub id: String,
    /// The series, e.g. "Foreign Relations of the United States".
    pub series: String,
    /// The subseries or span of years, e.g. "1969–1976".
    pub subseries: String,
    /// The volume number as printed, e.g. "X".
    pub number: String,
    /// The volume title, e.g. "Vietnam, January 1973–July 1975".
    pub title: String,
    /// The volume editors.
    #[serde(default)]
    pub editors: Vec<String>,
    /// The publisher of the printed volume.
    pub publisher: String,
    /// Where it was published.
    pub pub_place: String,
    /// Year of publication.
    pub published: String,
    /// Who published the TEI encoding (defaults to the publisher).
    #[serde(default)]
    pub distributor: Option<String>,
    /// Licence or copyright status of the text.
    pub availability: String,
    /// UTC offset of the place where the volume's documents were mostly written, e.g. `-05:00`
    /// for Washington in winter; used only where a date carries a time and no place is known.
    #[serde(default)]
    pub default_utc_offset: Option<String>,
    /// The summer time kept where the volume's documents were mostly written (`us`); see
    /// [`crate::convert::zone`].
    #[serde(default)]
    pub daylight_saving: Option<Spanned<String>>,
}

/// A person of the volume's register.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Person {
    /// The `xml:id` of the entry, e.g. `p_KHA_1`.
    pub id: Spanned<String>,
    /// The normalised name, surname first: "Kissinger, Henry A.".
    pub name: String,
    /// The forms in which the person is named in the text: "Kissinger", "Le Duc Tho", "Tho".
    /// Optional: forms derived from the name (`Kissinger`, `Henry A. Kissinger`) are found
    /// without being listed.
    #[serde(default)]
    pub forms: Vec<String>,
    /// Titles that may precede a form and belong to the mention ("Ambassador", "President").
    #[serde(default)]
    pub titles: Vec<String>,
    /// Forms that name the person by office alone ("President" for Nixon). They match only where
    /// no capitalised name follows, so "President Thieu" is never taken for Nixon.
    #[serde(default)]
    pub roles: Vec<String>,
    /// The identification FRUS gives: "Assistant to the President for National Security Affairs".
    pub identification: String,
}

/// A place or an organisation of the volume's register.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entity {
    /// The `xml:id` of the entry.
    pub id: Spanned<String>,
    /// The normalised name.
    pub name: String,
    /// The forms in which it is named in the text; where none are listed, the name and its part
    /// before a comma ([`Entity::search_forms`]).
    #[serde(default)]
    pub forms: Vec<String>,
    /// A short identification.
    #[serde(default)]
    pub identification: Option<String>,
    /// For places: the UTC offset of local time in the volume's period, e.g. `+01:00` for Paris
    /// in 1973; times stated at this place are normalised with it.
    #[serde(default)]
    pub utc_offset: Option<String>,
    /// For places: the summer time kept there (`us`), on top of `utc_offset`.
    #[serde(default)]
    pub daylight_saving: Option<Spanned<String>>,
}

impl Volume {
    /// The volume number as the titles print it: "XIX, Part 1" is "Volume XIX, Part 1";
    /// "Retrospective Volume" names itself; empty for a volume without a number (the
    /// 19th-century annual volumes, conference volumes).
    ///
    /// ```
    /// # use teikit::convert::editorial::Volume;
    /// # let text = "id = 'v'\nseries = ''\nsubseries = ''\ntitle = 'T'\neditors = []\npublisher = ''\npub_place = ''\npublished = ''\navailability = ''\n";
    /// let mut volume: Volume = toml::from_str(&format!("{text}number = 'XIX, Part 1'")).unwrap();
    /// assert_eq!(volume.number_title(), "Volume XIX, Part 1");
    /// volume.number = " ".into();
    /// assert_eq!(volume.number_title(), "");
    /// ```
    pub fn number_title(&self) -> String {
        let number = self.number.trim();
        if number.is_empty() || number.to_lowercase().contains("volume") {
            number.to_string()
        } else {
            format!("Volume {number}")
        }
    }
}

impl Entity {
    /// The forms looked for in the text: those listed, else the name and, for a name such as
    /// `Paris, France`, its part before the first comma.
    ///
    /// ```
    /// # use teikit::convert::editorial::Entity;
    /// let entity: Entity = toml::from_str("id = \"pl_PAR\"\nname = \"Paris, France\"").unwrap();
    /// assert_eq!(entity.search_forms(), ["Paris, France", "Paris"]);
    /// ```
    pub fn search_forms(&self) -> Vec<String> {
        if !self.forms.is_empty() {
            return self.forms.clone();
        }
        let mut forms = vec![self.name.trim().to_string()];
        if let Some((head, _)) = self.name.split_once(',') {
            forms.push(head.trim().to_string());
        }
        forms.retain(|f| !f.is_empty());
        forms.dedup();
        forms
    }
}

/// An abbreviation of the volume's list of terms.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Abbreviation {
    /// The `xml:id` of the entry, e.g. `t_DRV_1`.
    pub id: Spanned<String>,
    /// The abbreviation as printed: "DRV".
    pub form: String,
    /// Other ways the same term is printed ("DRVN" where the list has "DRV or DRVN").
    #[serde(default)]
    pub variants: Vec<String>,
    /// What it stands for: "Democratic Republic of Vietnam (North Vietnam)".
    pub expansion: String,
}

/// The contents of `volume.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VolumeData {
    /// The volume.
    pub volume: Volume,
    /// Persons.
    #[serde(default, rename = "person")]
    pub persons: Vec<Person>,
    /// Places.
    #[serde(default, rename = "place")]
    pub places: Vec<Entity>,
    /// Organisations.
    #[serde(default, rename = "org")]
    pub orgs: Vec<Entity>,
    /// Abbreviations and terms.
    #[serde(default, rename = "abbreviation")]
    pub abbreviations: Vec<Abbreviation>,
    /// Where the data was read from.
    #[serde(skip)]
    pub path: PathBuf,
}

/// A date the editor has established for a document.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EditorialDate {
    /// The date, ISO 8601, when it is known to the day or instant.
    #[serde(default)]
    pub when: Option<String>,
    /// The earliest possible date, when only a range is known.
    #[serde(default)]
    pub not_before: Option<String>,
    /// The latest possible date.
    #[serde(default)]
    pub not_after: Option<String>,
    /// How certain: `high`, `medium`, `low`.
    #[serde(default)]
    pub cert: Option<String>,
    /// How it was determined, in a sentence.
    pub basis: String,
}

/// The document described by `dN.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentMeta {
    /// The document number in the volume.
    pub number: u32,
    /// The document's `xml:id`, e.g. `d59`.
    pub id: String,
    /// The `@subtype` of the document division.
    #[serde(default = "default_subtype")]
    pub subtype: String,
    /// The page the document begins on, where the source does not show it.
    #[serde(default)]
    pub first_page: Option<String>,
    /// The document's date, where the editor has established it.
    #[serde(default)]
    pub date: Option<EditorialDate>,
}

fn default_subtype() -> String {
    "historical-document".to_string()
}

/// The contents of `dN.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentData {
    /// The document.
    pub document: DocumentMeta,
    /// Where the data was read from.
    #[serde(skip)]
    pub path: PathBuf,
}

/// What a register entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EntryKind {
    /// A person.
    Person,
    /// A place.
    Place,
    /// An organisation.
    Org,
}

impl VolumeData {
    /// No volume and empty registers, for a text converted without editor's data: the header
    /// then names no series or volume, and no name is tagged.
    pub fn none() -> Self {
        VolumeData {
            volume: Volume {
                id: String::new(),
                series: String::new(),
                subseries: String::new(),
                number: String::new(),
                title: String::new(),
                editors: Vec::new(),
                publisher: String::new(),
                pub_place: String::new(),
                published: String::new(),
                distributor: None,
                availability: String::new(),
                default_utc_offset: None,
                daylight_saving: None,
            },
            persons: Vec::new(),
            places: Vec::new(),
            orgs: Vec::new(),
            abbreviations: Vec::new(),
            path: PathBuf::new(),
        }
    }

    /// Whether a volume was described (false for [`VolumeData::none`]).
    pub fn is_described(&self) -> bool {
        !self.volume.title.is_empty() || !self.volume.series.is_empty()
    }

    /// Reads and checks `volume.toml`.
    pub fn load(path: &Path) -> Result<Self, EditorialError> {
        let (text, mut data): (String, VolumeData) = parse_file(path)?;
        data.path = path.to_path_buf();
        data.check(&text)?;
        Ok(data)
    }

    /// Every register entry with an id, in file order: persons, places, organisations.
    pub fn entries(&self) -> impl Iterator<Item = (EntryKind, &Spanned<String>)> {
        let persons = self.persons.iter().map(|p| (EntryKind::Person, &p.id));
        let places = self.places.iter().map(|p| (EntryKind::Place, &p.id));
        let orgs = self.orgs.iter().map(|o| (EntryKind::Org, &o.id));
        persons.chain(places).chain(orgs)
    }

    /// The location of a register entry's id in the file, for messages about the entry.
    pub fn location_of(&self, id: &Spanned<String>) -> Location {
        match std::fs::read_to_string(&self.path) {
            Ok(text) => location_in(&self.path, &text, id.span().start),
            Err(_) => Location::file_start(&self.path),
        }
    }

    fn check(&self, text: &str) -> Result<(), EditorialError> {
        let rules = std::iter::once(&self.volume.daylight_saving)
            .chain(self.places.iter().map(|p| &p.daylight_saving))
            .flatten();
        for rule in rules {
            if crate::convert::zone::DaylightSaving::from_name(rule.get_ref()).is_none() {
                return Err(EditorialError::Malformed {
                    location: location_in(&self.path, text, rule.span().start),
                    message: format!(
                        "unknown daylight_saving rules `{}`; teikit knows `us` (the United States')",
                        rule.get_ref()
                    ),
                });
            }
        }
        let mut seen: HashMap<&str, ()> = HashMap::new();
        let persons = self
            .persons
            .iter()
            .map(|p| (&p.id, p.name.trim().is_empty() && p.forms.is_empty()));
        let entities = self
            .places
            .iter()
            .chain(&self.orgs)
            .map(|e| (&e.id, e.search_forms().is_empty()));
        let abbreviations = self
            .abbreviations
            .iter()
            .map(|a| (&a.id, a.form.is_empty()));
        let ids = persons.chain(entities).chain(abbreviations);
        for (id, no_forms) in ids {
            let location = || location_in(&self.path, text, id.span().start);
            if !is_ncname(id.get_ref()) {
                return Err(EditorialError::Malformed {
                    location: location(),
                    message: format!(
                        "`{}` is not a valid xml:id (expected a name such as `p_KHA_1`: a letter or `_`, then letters, digits, `_`, `-` or `.`)",
                        id.get_ref()
                    ),
                });
            }
            if seen.insert(id.get_ref().as_str(), ()).is_some() {
                return Err(EditorialError::Malformed {
                    location: location(),
                    message: format!("duplicate register id `{}`", id.get_ref()),
                });
            }
            if no_forms {
                return Err(EditorialError::Malformed {
                    location: location(),
                    message: format!(
                        "register entry `{}` has no name or forms; expected at least one way it is written in the text",
                        id.get_ref()
                    ),
                });
            }
        }
        Ok(())
    }
}

impl DocumentData {
    /// The document's data where no `dN.toml` exists: the number printed in the title line, else
    /// the digits of the file name, else 1; the file name as id where it is one (`d59`), else
    /// `d` and the number.
    pub fn defaults(source: &Path, printed_number: Option<u32>) -> Self {
        let stem = source
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let stem_number = stem
            .trim_start_matches(|c: char| !c.is_ascii_digit())
            .parse::<u32>()
            .ok();
        let number = printed_number.or(stem_number).unwrap_or(1);
        let id = if is_ncname(&stem) {
            stem
        } else {
            format!("d{number}")
        };
        DocumentData {
            document: DocumentMeta {
                number,
                id,
                subtype: default_subtype(),
                first_page: None,
                date: None,
            },
            path: source.with_extension("toml"),
        }
    }

    /// Reads and checks `dN.toml`.
    pub fn load(path: &Path) -> Result<Self, EditorialError> {
        let (text, mut data): (String, DocumentData) = parse_file(path)?;
        data.path = path.to_path_buf();
        if !is_ncname(&data.document.id) {
            let offset = text.find("id").unwrap_or(0);
            return Err(EditorialError::Malformed {
                location: location_in(path, &text, offset),
                message: format!(
                    "`{}` is not a valid document xml:id (expected e.g. `d59`)",
                    data.document.id
                ),
            });
        }
        Ok(data)
    }
}

fn parse_file<T: for<'de> Deserialize<'de>>(path: &Path) -> Result<(String, T), EditorialError> {
    let bytes = std::fs::read(path).map_err(|source| EditorialError::Unreadable {
        path: path.to_path_buf(),
        source,
    })?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let prefix = String::from_utf8_lossy(&e.as_bytes()[..valid]).into_owned();
        EditorialError::Malformed {
            location: location_in(path, &prefix, valid),
            message: "invalid UTF-8; editorial data must be UTF-8".to_string(),
        }
    })?;
    let data = toml::from_str(&text).map_err(|e| EditorialError::Malformed {
        location: location_in(path, &text, e.span().map_or(0, |s| s.start)),
        message: e.message().trim().to_string(),
    })?;
    Ok((text, data))
}

/// Where `key` is set in `[table]` of the TOML file at `path` (the table's header where the key
/// is missing, the file's start where the table is): for messages about a field's value or
/// absence.
pub fn key_location(path: &Path, table: &str, key: &str) -> Location {
    let Ok(text) = std::fs::read_to_string(path) else {
        return Location::file_start(path);
    };
    let header = format!("[{table}]");
    let mut offset = 0;
    let mut table_at = None;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            if table_at.is_some() {
                break;
            }
            if trimmed == header {
                table_at = Some(offset);
            }
        } else if table_at.is_some()
            && trimmed
                .strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with('='))
        {
            return location_in(path, &text, offset + (line.len() - line.trim_start().len()));
        }
        offset += line.len();
    }
    location_in(path, &text, table_at.unwrap_or(0))
}

fn location_in(path: &Path, text: &str, offset: usize) -> Location {
    let (line, column) = LineIndex::new(text).line_column(text, offset);
    Location::new(path, line, column)
}

/// Whether `s` is an XML NCName (the form of an `xml:id`), restricted to the characters a
/// register id sensibly uses.
pub fn is_ncname(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ncname() {
        assert!(is_ncname("p_KHA_1"));
        assert!(is_ncname("d59fn1"));
        assert!(!is_ncname("1abc"));
        assert!(!is_ncname("a b"));
        assert!(!is_ncname(""));
    }
}
