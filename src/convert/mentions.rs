//! Finding the register's persons, places, organisations and abbreviations in a text.
//!
//! Every form of every entry (those the register lists, those derived from its name by
//! [`super::names`], and each without accents) is looked for at word boundaries (a hyphen is one); where matches overlap the longest
//! wins ("North Vietnamese" over "North", "Le Duc Tho" over "Tho"), then the leftmost. A title
//! the register allows before a name belongs to the mention ("Ambassador Sullivan"); a role form
//! ("President" for Nixon) matches only where no capitalised word follows it, so "President
//! Thieu" is Thieu.

use super::editorial::{EntryKind, VolumeData};
use super::names::{derived_forms, fold_diacritics};
use std::collections::HashMap;
use std::ops::Range;

/// Adds to `forms` each form's spelling without accents, as cables write names.
fn with_folded_variants(forms: &mut Vec<String>) {
    let folded: Vec<String> = forms.iter().filter_map(|f| fold_diacritics(f)).collect();
    for form in folded {
        if !forms.contains(&form) {
            forms.push(form);
        }
    }
}

/// A name found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    /// Byte range in the text searched.
    pub range: Range<usize>,
    /// What the name refers to; `None` for an abbreviation that is no register entry.
    pub entry: Option<(EntryKind, String)>,
    /// Length in bytes of a title at the start of the mention ("Ambassador"), or the whole
    /// mention for a role form.
    pub title_len: usize,
    /// The id of the abbreviation the mention is written as, if any.
    pub abbreviation: Option<String>,
}

#[derive(Debug, Clone)]
struct Form {
    text: String,
    entry: Option<(EntryKind, String)>,
    title_len: usize,
    role_only: bool,
    /// The term this form writes, for a form of the terms list.
    abbreviation: Option<String>,
    /// Every entry written this way, where more than one is ("Kim" for Kim Dae Jung, Kim Dong
    /// Jo and Kim Il Sung): the text alone does not say which is meant.
    shared_by: Vec<(EntryKind, String)>,
}

/// The entries a document has named so far, latest last: what resolves a form several entries
/// share ("Kim" after "Kim Dong Jo" is Kim Dong Jo).
#[derive(Debug, Clone, Default)]
pub struct Recent {
    order: HashMap<String, usize>,
    next: usize,
}

impl Recent {
    /// Records that `id` was named now.
    pub fn named(&mut self, id: &str) {
        self.order.insert(id.to_string(), self.next);
        self.next += 1;
    }

    /// Of `entries`, the one named last, if any was named.
    fn latest<'e>(&self, entries: &'e [(EntryKind, String)]) -> Option<&'e (EntryKind, String)> {
        entries
            .iter()
            .filter_map(|e| self.order.get(&e.1).map(|n| (n, e)))
            .max_by_key(|(n, _)| **n)
            .map(|(_, e)| e)
    }
}

/// All forms of a volume's registers, ready to search texts with.
#[derive(Debug, Clone)]
pub struct Gazetteer {
    forms: Vec<Form>,
    abbreviations: HashMap<String, String>,
}

impl Gazetteer {
    /// Collects the forms of every entry of `volume`.
    pub fn new(volume: &VolumeData) -> Self {
        let mut forms = Vec::new();
        for person in &volume.persons {
            let entry = Some((EntryKind::Person, person.id.get_ref().clone()));
            let mut person_forms = person.forms.clone();
            for form in derived_forms(&person.name) {
                if !person_forms.contains(&form) {
                    person_forms.push(form);
                }
            }
            with_folded_variants(&mut person_forms);
            for form in &person_forms {
                forms.push(Form {
                    text: form.clone(),
                    entry: entry.clone(),
                    title_len: 0,
                    role_only: false,
                    shared_by: Vec::new(),
                    abbreviation: None,
                });
                for title in &person.titles {
                    forms.push(Form {
                        text: format!("{title} {form}"),
                        entry: entry.clone(),
                        title_len: title.len(),
                        role_only: false,
                        shared_by: Vec::new(),
                        abbreviation: None,
                    });
                }
            }
            for role in &person.roles {
                forms.push(Form {
                    text: role.clone(),
                    entry: entry.clone(),
                    title_len: role.len(),
                    role_only: true,
                    shared_by: Vec::new(),
                    abbreviation: None,
                });
            }
        }
        for (kind, list) in [
            (EntryKind::Place, &volume.places),
            (EntryKind::Org, &volume.orgs),
        ] {
            for entity in list.iter() {
                let mut entity_forms = entity.search_forms();
                with_folded_variants(&mut entity_forms);
                for form in &entity_forms {
                    forms.push(Form {
                        text: form.clone(),
                        entry: Some((kind, entity.id.get_ref().clone())),
                        title_len: 0,
                        role_only: false,
                        shared_by: Vec::new(),
                        abbreviation: None,
                    });
                }
            }
        }
        let abbreviations: HashMap<String, String> = volume
            .abbreviations
            .iter()
            .flat_map(|a| {
                std::iter::once(&a.form)
                    .chain(&a.variants)
                    .map(|form| (form.clone(), a.id.get_ref().clone()))
            })
            .collect();
        for (form, id) in &abbreviations {
            if !forms.iter().any(|f| &f.text == form) {
                forms.push(Form {
                    text: form.clone(),
                    entry: None,
                    title_len: 0,
                    role_only: false,
                    shared_by: Vec::new(),
                    abbreviation: Some(id.clone()),
                });
            }
        }
        forms.retain(|f| !f.text.is_empty());
        forms.sort_by(|a, b| b.text.len().cmp(&a.text.len()).then(a.text.cmp(&b.text)));
        // One form per text; a text several entries share remembers them all.
        let mut merged: Vec<Form> = Vec::with_capacity(forms.len());
        for form in forms {
            match merged.last_mut() {
                Some(last) if last.text == form.text => {
                    if let Some(entry) = form.entry.filter(|e| last.entry.as_ref() != Some(e)) {
                        if last.shared_by.is_empty() {
                            last.shared_by.extend(last.entry.clone());
                        }
                        if !last.shared_by.contains(&entry) {
                            last.shared_by.push(entry);
                        }
                    }
                }
                _ => merged.push(form),
            }
        }
        let forms = merged;
        Gazetteer {
            forms,
            abbreviations,
        }
    }

    /// Whether `word` is exactly one of the registers' forms.
    pub fn knows(&self, word: &str) -> bool {
        self.forms.iter().any(|f| f.text == word)
    }

    /// The mentions in `text`, in order, never overlapping; a form several entries share is
    /// left untagged (see [`Gazetteer::find_in_context`]).
    pub fn find(&self, text: &str) -> Vec<Mention> {
        self.find_in_context(text, &Recent::default())
    }

    /// [`Gazetteer::find`] in a document that has named `recent` before `text`: a form several
    /// entries share is the one of them named last, or untagged where none was named, since a
    /// guess would point a reader to the wrong person.
    pub fn find_in_context(&self, text: &str, recent: &Recent) -> Vec<Mention> {
        let mut candidates: Vec<(Range<usize>, &Form)> = Vec::new();
        let folded = text.to_ascii_lowercase();
        for form in &self.forms {
            // Telegraphic words of the terms list ("niact", "Polcouns", "reftel") are written
            // in any case and take a plural; capitals ("MAP", "AID") are matched as written,
            // since in lower case they are English words.
            let any_case = form.abbreviation.is_some() && form.text.chars().any(char::is_lowercase);
            let (haystack, needle) = if any_case {
                (folded.as_str(), form.text.to_ascii_lowercase())
            } else {
                (text, form.text.clone())
            };
            for (start, matched) in haystack.match_indices(needle.as_str()) {
                let mut end = start + matched.len();
                if any_case
                    && text[end..].starts_with('s')
                    && at_word_boundary(text, start, end + 1)
                {
                    end += 1;
                }
                if !at_word_boundary(text, start, end)
                    || inside_dotted_abbreviation(text, start, end)
                {
                    continue;
                }
                if form.text.chars().count() == 1
                    && is_label_or_article(&text[..start], &text[end..])
                {
                    continue;
                }
                if form.role_only
                    && (followed_by_capitalised_word(&text[end..])
                        || qualified_as_another_office(&text[end..])
                        || names_another_office(&text[..start]))
                {
                    continue;
                }
                candidates.push((start..end, form));
            }
        }
        // Longest first (the forms are sorted so), then leftmost.
        candidates.sort_by(|a, b| {
            (b.0.end - b.0.start)
                .cmp(&(a.0.end - a.0.start))
                .then(a.0.start.cmp(&b.0.start))
        });
        // The chosen ranges never overlap, so of those starting before a candidate ends, the
        // last is the only one that can reach into it: one look-up a candidate, not a scan.
        let mut chosen: std::collections::BTreeMap<usize, (Range<usize>, &Form)> =
            std::collections::BTreeMap::new();
        for (range, form) in candidates {
            let overlaps = chosen
                .range(..range.end)
                .next_back()
                .is_some_and(|(_, (r, _))| range.start < r.end);
            if !overlaps {
                chosen.insert(range.start, (range, form));
            }
        }
        let chosen = chosen.into_values();
        // In reading order, so that "Kim Dong Jo … Kim" resolves within one paragraph.
        let mut recent = recent.clone();
        let mut taken: Vec<Mention> = Vec::new();
        for (range, form) in chosen {
            let entry = if form.shared_by.is_empty() {
                form.entry.clone()
            } else {
                match recent.latest(&form.shared_by) {
                    Some(entry) => Some(entry.clone()),
                    None => continue,
                }
            };
            if let Some((_, id)) = &entry {
                recent.named(id);
            }
            let name = &text[range.start + form.title_len..range.end];
            let name = name.trim_start();
            taken.push(Mention {
                abbreviation: self
                    .abbreviations
                    .get(name)
                    .cloned()
                    .or_else(|| form.abbreviation.clone()),
                range,
                entry,
                title_len: form.title_len,
            });
        }
        taken
    }
}

/// Whether a match is a letter of a dotted abbreviation ("S" in "U.S.", "U.S.S.R."): an
/// abbreviation written with dots is one word.
fn inside_dotted_abbreviation(text: &str, start: usize, end: usize) -> bool {
    let mut before = text[..start].chars().rev();
    let mut after = text[end..].chars();
    matches!((before.next(), before.next()), (Some('.'), Some(c)) if c.is_alphabetic())
        || matches!((after.next(), after.next()), (Some('.'), Some(c)) if c.is_alphabetic())
}

/// Whether a single capital is a label or an initial ("A. Restoration", "B. Feasibility") or
/// the article opening a sentence ("A handwritten note"), rather than a one-letter term
/// ("cleared by A and S").
fn is_label_or_article(before: &str, rest: &str) -> bool {
    let mut chars = rest.chars();
    match chars.next() {
        Some('.') => true,
        Some(' ') => {
            let sentence_start = before
                .trim_end()
                .chars()
                .next_back()
                .is_none_or(|c| matches!(c, '.' | '!' | '?' | ':' | '“' | '"' | '(' | '['));
            sentence_start && chars.next().is_some_and(char::is_lowercase)
        }
        _ => false,
    }
}

fn at_word_boundary(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    // Hyphens do separate: "GVN-controlled" and "ex-SPT" mention the GVN and the SPT.
    !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
}

/// Whether the word before an office makes it another office: "Vice President", "Assistant
/// Secretary", "former President" are not the President or the Secretary.
fn names_another_office(before: &str) -> bool {
    const MODIFIERS: &[&str] = &[
        "Vice",
        "Assistant",
        "Deputy",
        "Under",
        "Acting",
        "Executive",
        "Special",
        "Associate",
        "former",
        "Former",
        "late",
        "future",
        "Regional",
        "Provincial",
    ];
    let Some(rest) = before.strip_suffix(' ') else {
        return false;
    };
    let word = rest.rsplit(' ').next().unwrap_or(rest);
    MODIFIERS.contains(&word) || word.ends_with('-')
}

/// Whether an office is qualified after it ("Secretary of Defense", "President of Korea"):
/// another office than the register's role, which would list the longer form ("Secretary of
/// State") where it names the person.
fn qualified_as_another_office(rest: &str) -> bool {
    rest.strip_prefix(" of ")
        .is_some_and(|r| r.chars().next().is_some_and(char::is_uppercase))
}

fn followed_by_capitalised_word(rest: &str) -> bool {
    let trimmed = rest.trim_start_matches(' ');
    trimmed.len() < rest.len() && trimmed.chars().next().is_some_and(char::is_uppercase)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gazetteer() -> Gazetteer {
        let volume: VolumeData = toml::from_str(
            r#"
            [volume]
            id = "v" 
            series = "S"
            subseries = "1969–1976"
            number = "X"
            title = "T"
            publisher = "P"
            pub_place = "W"
            published = "2010"
            availability = "Public domain"
            [[person]]
            id = "p_N"
            name = "Nixon, Richard M."
            forms = ["Nixon"]
            titles = ["President"]
            roles = ["President"]
            identification = "President"
            [[person]]
            id = "p_T"
            name = "Nguyen Van Thieu"
            forms = ["Thieu"]
            titles = ["President"]
            identification = "President of the Republic of Vietnam"
            [[person]]
            id = "p_L"
            name = "Le Duc Tho"
            forms = ["Le Duc Tho", "Tho"]
            identification = "Politburo"
            [[place]]
            id = "pl_NV"
            name = "North Vietnam"
            forms = ["North Vietnam", "North"]
            [[org]]
            id = "o_DRV"
            name = "Democratic Republic of Vietnam"
            forms = ["DRV", "North Vietnamese"]
            [[abbreviation]]
            id = "t_DRV"
            form = "DRV"
            expansion = "Democratic Republic of Vietnam"
            "#,
        )
        .unwrap();
        Gazetteer::new(&volume)
    }

    fn found(text: &str) -> Vec<(&str, String)> {
        gazetteer()
            .find(text)
            .into_iter()
            .map(|m| {
                (
                    &text[m.range.clone()],
                    m.entry.map(|(_, id)| id).unwrap_or_default(),
                )
            })
            .collect()
    }

    #[test]
    fn an_office_with_a_modifier_is_another_office() {
        assert_eq!(
            found("the Vice President and the former President met the President."),
            [("President", "p_N".to_string())]
        );
    }

    #[test]
    fn an_office_qualified_by_another_department_is_another_office() {
        assert_eq!(
            found("the President of Korea met the President of the United States."),
            [("President", "p_N".to_string())]
        );
    }

    #[test]
    fn longest_match_wins_and_titles_belong_to_the_name() {
        assert_eq!(
            found("Le Duc Tho met President Thieu; the President and Tho’s aide."),
            [
                ("Le Duc Tho", "p_L".to_string()),
                ("President Thieu", "p_T".to_string()),
                ("President", "p_N".to_string()),
                ("Tho", "p_L".to_string()),
            ]
        );
    }

    #[test]
    fn overlapping_forms_and_word_boundaries() {
        assert_eq!(
            found("the North Vietnamese and the North; Northern Thor"),
            [
                ("North Vietnamese", "o_DRV".to_string()),
                ("North", "pl_NV".to_string())
            ]
        );
    }

    /// A volume with the registers `entries` (TOML tables).
    fn volume_with(entries: &str) -> VolumeData {
        toml::from_str(&format!(
            "[volume]\nid = \"v\"\nseries = \"S\"\nsubseries = \"1969–1976\"\nnumber = \"X\"\ntitle = \"T\"\npublisher = \"P\"\npub_place = \"W\"\npublished = \"2010\"\navailability = \"Public domain\"\n{entries}"
        ))
        .unwrap()
    }

    #[test]
    fn a_form_several_persons_share_is_the_one_named_last_or_none() {
        let volume = volume_with(
            r#"
            [[person]]
            id = "p_KDJ"
            name = "Kim Dae Jung"
            forms = ["Kim Dae Jung", "Kim"]
            identification = "opposition leader"
            [[person]]
            id = "p_KIS"
            name = "Kim Il Sung"
            forms = ["Kim Il Sung", "Kim"]
            identification = "North Korean leader"
            "#,
        );
        let gazetteer = Gazetteer::new(&volume);
        let ids = |mentions: Vec<Mention>| -> Vec<String> {
            mentions
                .into_iter()
                .filter_map(|m| m.entry.map(|(_, id)| id))
                .collect()
        };
        assert!(ids(gazetteer.find("Kim spoke.")).is_empty());
        let mut recent = Recent::default();
        recent.named("p_KDJ");
        recent.named("p_KIS");
        assert_eq!(
            ids(gazetteer.find_in_context("Kim spoke.", &recent)),
            ["p_KIS"]
        );
        recent.named("p_KDJ");
        assert_eq!(
            ids(gazetteer.find_in_context("Kim spoke.", &recent)),
            ["p_KDJ"]
        );
    }

    #[test]
    fn one_letter_terms_are_not_letters_of_other_words() {
        let volume = volume_with(
            r#"
            [[abbreviation]]
            id = "t_S"
            form = "S"
            expansion = "Office of the Secretary of State"
            [[abbreviation]]
            id = "t_A"
            form = "A"
            expansion = "Bureau of Administration"
            [[abbreviation]]
            id = "t_niact"
            form = "niact"
            expansion = "night action"
            "#,
        );
        let gazetteer = Gazetteer::new(&volume);
        let terms = |text: &str| -> Vec<String> {
            gazetteer
                .find(text)
                .into_iter()
                .filter_map(|m| m.abbreviation)
                .collect()
        };
        assert_eq!(terms("approved in S on March 21"), ["t_S"]);
        assert!(terms("the U.S. Senate and the U.S.S.R.").is_empty());
        assert!(terms("A handwritten note. A. Restoration of provinces").is_empty());
        assert_eq!(
            terms("cleared by A and sent Niact; two NIACTs"),
            ["t_A", "t_niact", "t_niact"]
        );
    }

    #[test]
    fn abbreviations_are_linked() {
        let m = gazetteer().find("the DRV said");
        assert_eq!(m[0].abbreviation.as_deref(), Some("t_DRV"));
    }
}
