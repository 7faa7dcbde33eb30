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
                });
                for title in &person.titles {
                    forms.push(Form {
                        text: format!("{title} {form}"),
                        entry: entry.clone(),
                        title_len: title.len(),
                        role_only: false,
                    });
                }
            }
            for role in &person.roles {
                forms.push(Form {
                    text: role.clone(),
                    entry: entry.clone(),
                    title_len: role.len(),
                    role_only: true,
                });
            }
        }
        for (kind, list) in [
            (EntryKind::Place, &volume.places),
            (EntryKind::Org, &volume.orgs),
        ] {
            for entity in list.iter() {
                let mut entity_forms = entity.forms.clone();
                with_folded_variants(&mut entity_forms);
                for form in &entity_forms {
                    forms.push(Form {
                        text: form.clone(),
                        entry: Some((kind, entity.id.get_ref().clone())),
                        title_len: 0,
                        role_only: false,
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
        for form in abbreviations.keys() {
            if !forms.iter().any(|f| &f.text == form) {
                forms.push(Form {
                    text: form.clone(),
                    entry: None,
                    title_len: 0,
                    role_only: false,
                });
            }
        }
        forms.retain(|f| !f.text.is_empty());
        forms.sort_by(|a, b| b.text.len().cmp(&a.text.len()).then(a.text.cmp(&b.text)));
        Gazetteer {
            forms,
            abbreviations,
        }
    }

    /// Whether `word` is exactly one of the registers' forms.
    pub fn knows(&self, word: &str) -> bool {
        self.forms.iter().any(|f| f.text == word)
    }

    /// The mentions in `text`, in order, never overlapping.
    pub fn find(&self, text: &str) -> Vec<Mention> {
        let mut candidates: Vec<(Range<usize>, &Form)> = Vec::new();
        for form in &self.forms {
            for (start, matched) in text.match_indices(form.text.as_str()) {
                let end = start + matched.len();
                if !at_word_boundary(text, start, end) {
                    continue;
                }
                if form.role_only
                    && (followed_by_capitalised_word(&text[end..])
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
        let mut taken: Vec<Mention> = Vec::new();
        for (range, form) in candidates {
            if taken
                .iter()
                .any(|m| m.range.start < range.end && range.start < m.range.end)
            {
                continue;
            }
            let name = &text[range.start + form.title_len..range.end];
            let name = name.trim_start();
            taken.push(Mention {
                abbreviation: self.abbreviations.get(name).cloned(),
                range,
                entry: form.entry.clone(),
                title_len: form.title_len,
            });
        }
        taken.sort_by_key(|m| m.range.start);
        taken
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

    #[test]
    fn abbreviations_are_linked() {
        let m = gazetteer().find("the DRV said");
        assert_eq!(m[0].abbreviation.as_deref(), Some("t_DRV"));
    }
}
