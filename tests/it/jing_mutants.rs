//! Seeded mutants of real TEI against jing: a few hundred documents of the reference corpus,
//! each changed in one place (an element deleted, duplicated, renamed, moved; an attribute added
//! or given another value; text where only elements may stand), judged by teikit and by jing
//! against TEI P5 `tei_all`. The verdicts must agree, except for the two differences the README
//! documents ("Where teikit and jing differ"), which have mutations of their own that must come
//! out as documented.
//!
//! The seed is fixed, so a failure names a file that can be made again; jing runs once over all
//! mutants. Skipped (one line) without jing outside CI.

use crate::common::{self, Random};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use teikit::relaxng::Schema;

/// The valid corpus documents small enough to copy a few dozen times each.
const BASES: &[&str] = &[
    "base.xml",
    "dojung_ultra_simple.xml",
    "dojung_persons_with_notes.xml",
    "coverlessListPlace.xml",
    "Farfalla_1877_4_8_Pompei.xml",
    "tassonomia-gh.xml",
    "Farfalla_1877_3_5_Bibliografia.xml",
    "castello-anima-teiHeader.xml",
];
const MUTANTS_PER_BASE: usize = 40;
const SEED: u64 = 0x07e1_c0de;

/// What a mutation expects of the two validators.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Expectation {
    /// The same verdict, whatever it is.
    Agree,
    /// jing accepts, teikit rejects: a control or format character in `teidata.word`.
    OnlyTeikitRejects,
    /// jing rejects, teikit accepts: an `xml:id` that is a name by XML 1.0 fifth edition only.
    OnlyJingRejects,
}

struct Mutant {
    text: String,
    what: String,
    expectation: Expectation,
}

/// Values that exercise TEI's datatypes: empty, spaces, dates, numbers, pointers, names.
const VALUES: &[&str] = &[
    "",
    " ",
    "x y",
    "1999-13-45",
    "1999-12-31",
    "-1",
    "0.5",
    "2",
    "#nowhere",
    "abc",
    "a:b",
    "_1",
];

fn mutate(base: &str, random: &mut Random) -> Option<Mutant> {
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    };
    let doc = roxmltree::Document::parse_with_options(base, options).ok()?;
    let elements: Vec<_> = doc
        .descendants()
        .filter(|n| n.is_element() && n.parent_element().is_some())
        // Only elements whose raw start tag is their plain name: no prefixes, no entities.
        .filter(|n| base[n.range()].starts_with(&format!("<{}", n.tag_name().name())))
        .collect();
    let names: Vec<&str> = elements.iter().map(|n| n.tag_name().name()).collect();
    let element = *random.pick(&elements)?;
    let range = element.range();
    let raw = &base[range.clone()];
    let name = element.tag_name().name();
    let self_closing = raw.ends_with("/>");
    let start_tag_end = range.start + raw.find('>')? + 1;
    let splice = |at: std::ops::Range<usize>, with: &str| {
        format!("{}{with}{}", &base[..at.start], &base[at.end..])
    };
    let rename = |to: &str| {
        let mut text = String::with_capacity(base.len());
        text.push_str(&base[..range.start + 1]);
        text.push_str(to);
        if self_closing {
            text.push_str(&base[range.start + 1 + name.len()..range.end]);
        } else {
            let close = range.start + raw.rfind("</")?;
            text.push_str(&base[range.start + 1 + name.len()..close + 2]);
            text.push_str(to);
            text.push_str(&base[close + 2 + name.len()..range.end]);
        }
        text.push_str(&base[range.end..]);
        Some(text)
    };
    let at = format!("<{name}> at byte {}", range.start);
    let agree = |text: String, what: String| Mutant {
        text,
        what,
        expectation: Expectation::Agree,
    };
    let mutant = match random.below(10) {
        0 => agree(splice(range.clone(), ""), format!("deleted {at}")),
        1 => agree(
            splice(range.end..range.end, raw),
            format!("duplicated {at}"),
        ),
        2 => {
            let to = random.pick(&names)?;
            agree(rename(to)?, format!("renamed {at} to {to}"))
        }
        3 => agree(rename("bogus")?, format!("renamed {at} to bogus")),
        4 => {
            let (attribute, value) =
                random.pick(&[("type", "x"), ("foo", "1"), ("n", "1"), ("when", "2001")])?;
            if element.attribute(*attribute).is_some() {
                return None;
            }
            let attribute = format!("{attribute}=\"{value}\"");
            let tag_name_end = range.start + 1 + name.len();
            let text = splice(tag_name_end..tag_name_end, &format!(" {attribute}"));
            agree(text, format!("added {attribute} to {at}"))
        }
        5 => {
            let attributes: Vec<_> = element.attributes().collect();
            let attribute = random.pick(&attributes)?;
            let value = random.pick(VALUES)?;
            let text = splice(attribute.range_value(), value);
            agree(
                text,
                format!("set {}=\"{value}\" on {at}", attribute.name()),
            )
        }
        6 if !self_closing => {
            let text = splice(start_tag_end..start_tag_end, "word");
            agree(text, format!("text at the start of {at}"))
        }
        7 => {
            let next = element.next_sibling_element()?;
            let next_raw = &base[next.range()];
            let between = &base[range.end..next.range().start];
            let text = splice(
                range.start..next.range().end,
                &format!("{next_raw}{between}{raw}"),
            );
            agree(
                text,
                format!("swapped {at} with the next <{}>", next.tag_name().name()),
            )
        }
        8 => {
            // A format character (ZERO WIDTH SPACE, \p{Cf}) inside a `rend` token.
            let tag_name_end = range.start + 1 + name.len();
            if element.attribute("rend").is_some() {
                return None;
            }
            Mutant {
                text: splice(tag_name_end..tag_name_end, " rend=\"a\u{200b}b\""),
                what: format!("rend with U+200B on {at}"),
                expectation: Expectation::OnlyTeikitRejects,
            }
        }
        _ => {
            // SUPERSCRIPT ZERO is a name character by the fifth edition, not the fourth.
            if element
                .attribute(("http://www.w3.org/XML/1998/namespace", "id"))
                .is_some()
            {
                return None;
            }
            let tag_name_end = range.start + 1 + name.len();
            let id = format!(" xml:id=\"mutant\u{2070}{}\"", range.start);
            Mutant {
                text: splice(tag_name_end..tag_name_end, &id),
                what: format!("xml:id with U+2070 on {at}"),
                expectation: Expectation::OnlyJingRejects,
            }
        }
    };
    // jing stops at the first document that is not well-formed: every mutant must be.
    roxmltree::Document::parse_with_options(&mutant.text, options).ok()?;
    Some(mutant)
}

/// The files jing finds errors in, from its `path:line:column: error: …` lines.
fn rejected_by_jing(schema: &Path, files: &[PathBuf]) -> BTreeSet<PathBuf> {
    let output = Command::new("jing")
        .arg(schema)
        .args(files)
        .output()
        .expect("jing runs");
    let report = String::from_utf8_lossy(&output.stdout);
    let mut rejected = BTreeSet::new();
    for line in report.lines() {
        if let Some(file) = files
            .iter()
            .find(|f| line.starts_with(&format!("{}:", f.display())))
        {
            rejected.insert(file.clone());
        }
    }
    rejected
}

#[test]
fn seeded_mutants_of_real_tei_get_jings_verdict() {
    let Some(reference) = common::reference_dir() else {
        return;
    };
    if !common::program("jing", "apt-get install jing") {
        return;
    }
    let schema_path = reference.join("tei/tei_all.rng");
    let schema = Schema::from_file(&schema_path).expect("tei_all compiles");
    let dir = tempfile::tempdir().unwrap();
    let mut random = Random(SEED);
    let mut mutants = Vec::new();
    for base_name in BASES {
        let base =
            std::fs::read_to_string(reference.join("corpus/valid-or-invalid").join(base_name))
                .unwrap();
        let mut made = 0;
        let mut attempts = 0;
        while made < MUTANTS_PER_BASE && attempts < MUTANTS_PER_BASE * 20 {
            attempts += 1;
            let Some(mutant) = mutate(&base, &mut random) else {
                continue;
            };
            let path = dir.path().join(format!(
                "{}-{made:02}.xml",
                base_name.trim_end_matches(".xml")
            ));
            std::fs::write(&path, &mutant.text).unwrap();
            mutants.push((path, mutant));
            made += 1;
        }
        assert_eq!(
            made, MUTANTS_PER_BASE,
            "{base_name}: too few mutations apply"
        );
    }
    let files: Vec<PathBuf> = mutants.iter().map(|(path, _)| path.clone()).collect();
    let rejected = rejected_by_jing(&schema_path, &files);
    let mut validator = schema.validator();
    let mut wrong = Vec::new();
    let (mut invalid, mut documented) = (0, 0);
    for (path, mutant) in &mutants {
        let errors = validator.validate(path, &mutant.text);
        let jing_rejects = rejected.contains(path);
        let teikit_rejects = !errors.is_empty();
        invalid += usize::from(jing_rejects);
        let expected = match mutant.expectation {
            Expectation::Agree => jing_rejects == teikit_rejects,
            Expectation::OnlyTeikitRejects => teikit_rejects && !jing_rejects,
            Expectation::OnlyJingRejects => jing_rejects && !teikit_rejects,
        };
        documented += usize::from(mutant.expectation != Expectation::Agree);
        if !expected {
            let first = errors
                .first()
                .map(|e| e.message.clone())
                .unwrap_or_default();
            wrong.push(format!(
                "{} ({}): expected {:?}, jing rejects {jing_rejects}, teikit rejects {teikit_rejects} {first}",
                path.file_name().unwrap().to_string_lossy(),
                mutant.what,
                mutant.expectation
            ));
        }
    }
    eprintln!(
        "{} mutants, {invalid} invalid for jing, {documented} of the documented differences",
        mutants.len()
    );
    assert!(
        wrong.is_empty(),
        "{} of {} mutants:\n{}",
        wrong.len(),
        mutants.len(),
        wrong.join("\n")
    );
    // The mutations must test something: many invalid, many valid, the documented cases present.
    assert!(
        invalid > mutants.len() / 4 && invalid < mutants.len() * 9 / 10,
        "{invalid} invalid"
    );
    assert!(
        documented >= 20,
        "only {documented} documented-difference mutants"
    );
}
