//! `teikit registers import`: the registers an editor already has, as TEI, become `volume.toml`
//! entries that the converter tags names with.

use crate::common::*;

const DOCUMENT: &str = "[document]\nnumber = 1\nid = \"d1\"\n";

/// A TEI header with a list of persons and a FRUS-style list of terms.
const REGISTERS: &str = r#"<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc>
<titleStmt><title>Registers</title></titleStmt><publicationStmt><p>x</p></publicationStmt>
<sourceDesc><listPerson>
  <person xml:id="p_KHA_1"><persName>Kissinger, Henry A.</persName><note>Assistant to the President</note></person>
  <person xml:id="p_MF_1"><persName>Monzón, Colonel Elfego</persName><note>junta member</note></person>
</listPerson></sourceDesc></fileDesc></teiHeader>
<text><back><div xml:id="terms"><list type="terms">
  <item><term xml:id="t_DRV_1">DRV or DRVN</term>, Democratic Republic of Vietnam</item>
</list></div></back></text></TEI>"#;

/// `registers import` of [`REGISTERS`] into a new `volume.toml`, in a new folder.
fn import_registers() -> (tempfile::TempDir, std::process::Output) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("registers.xml"), REGISTERS).unwrap();
    let out = teikit_in(
        dir.path(),
        &["registers", "import", "registers.xml", "-o", "volume.toml"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    (dir, out)
}

#[test]
fn imported_registers_tag_the_names_of_a_document() {
    let (dir, out) = import_registers();
    assert!(
        stderr(&out).contains("wrote 3 entries to volume.toml"),
        "{}",
        stderr(&out)
    );
    let toml = std::fs::read_to_string(dir.path().join("volume.toml")).unwrap();
    assert!(toml.starts_with("# The volume: fill in"), "{toml}");
    assert!(
        toml.contains(r#"forms = ["Kissinger", "Henry A. Kissinger", "Henry Kissinger", "H. A. Kissinger", "H. Kissinger"]"#),
        "{toml}"
    );
    assert!(toml.contains(r#"titles = ["Colonel"]"#), "{toml}");

    std::fs::write(dir.path().join("d1.toml"), DOCUMENT).unwrap();
    std::fs::write(
        dir.path().join("d1.txt"),
        "1. Memorandum1\n\nHenry Kissinger saw Colonel Monzon about the DRVN.\n  1. Source: Files.\n",
    )
    .unwrap();
    let out = teikit_in(dir.path(), &["convert", "d1.txt"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let xml = String::from_utf8(out.stdout).unwrap();
    assert!(
        xml.contains(r##"<persName ref="#p_KHA_1">Henry Kissinger</persName>"##),
        "{xml}"
    );
    assert!(
        xml.contains(r##"<persName ref="#p_MF_1"><roleName>Colonel</roleName> Monzon</persName>"##),
        "a name written without its accent: {xml}"
    );
    assert!(
        xml.contains(r##"<abbr corresp="#t_DRV_1">DRVN</abbr>"##),
        "{xml}"
    );
}

#[test]
fn an_existing_volume_file_keeps_its_text_and_entries() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("registers.xml"), REGISTERS).unwrap();
    let existing = r#"[volume]
id = "v1"
series = "Foreign Relations of the United States"
subseries = "1969–1976"
number = "I"
title = "Test"
publisher = "GPO"
pub_place = "Washington"
published = "2000"
availability = "Public domain"

# Edited by hand.
[[person]]
id = "p_KHA_1"
name = "Kissinger, Henry A."
forms = ["Kissinger", "HAK"]
identification = "the editor's own wording"
"#;
    std::fs::write(dir.path().join("volume.toml"), existing).unwrap();
    let out = teikit_in(
        dir.path(),
        &["registers", "import", "registers.xml", "-o", "volume.toml"],
    );
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("already holds 1 of the entries, left as they are: p_KHA_1"),
        "{err}"
    );
    let merged = std::fs::read_to_string(dir.path().join("volume.toml")).unwrap();
    assert!(merged.starts_with(existing), "{merged}");
    assert!(merged.contains("id = \"p_MF_1\""), "{merged}");
    assert_eq!(merged.matches("id = \"p_KHA_1\"").count(), 1, "{merged}");
    teikit::convert::editorial::VolumeData::load(&dir.path().join("volume.toml"))
        .expect("the merged file loads");
}

#[test]
fn the_office_of_the_historians_front_matter() {
    let Some(reference) = reference_dir() else {
        return;
    };
    let file = reference.join("frus/documents/frus1969-76v20_persons-terms_for_d1_d2.xml");
    let out = teikit(&["registers", "import", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let toml = String::from_utf8(out.stdout).unwrap();
    // An entry as the volume lists it: surname first, the identification after the comma.
    assert!(
        toml.contains("[[person]]\nid = \"p_AJ1\"\nname = \"Anderson, Jack\"\nforms = [\"Anderson\", \"Jack Anderson\", \"J. Anderson\"]\nidentification = \"syndicated newspaper columnist, “Washington Merry-Go-Round”\"\n"),
        "{toml}"
    );
    assert!(
        toml.contains("[[abbreviation]]\nid = \"t_DRV1\"\nform = \"DRV\"\nvariants = [\"DRVN\"]\nexpansion = \"Democratic Republic of Vietnam\"\n"),
        "{toml}"
    );
}

#[test]
fn a_file_without_registers_or_not_xml_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("plain.xml"), "<TEI><text/></TEI>").unwrap();
    let out = teikit_in(dir.path(), &["registers", "import", "plain.xml"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("no register found"),
        "{}",
        stderr(&out)
    );

    std::fs::write(dir.path().join("broken.xml"), "<TEI>\n<listPerson>\n</TEI>").unwrap();
    let out = teikit_in(
        dir.path(),
        &["registers", "import", "broken.xml", "-o", "volume.toml"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("broken.xml:3:"), "{}", stderr(&out));
    assert!(!dir.path().join("volume.toml").exists());
}

#[test]
fn a_template_filled_in_part_converts_to_valid_tei() {
    let (dir, _) = import_registers();
    let template = std::fs::read_to_string(dir.path().join("volume.toml")).unwrap();
    assert!(
        template.contains("series = \"\""),
        "no FRUS title prefilled for any project: {template}"
    );
    // The editor fills in the title only: the number, year, places and rights are still empty.
    let filled = template.replacen("title = \"\"", "title = \"Letters\"", 1);
    std::fs::write(dir.path().join("volume.toml"), filled).unwrap();
    std::fs::write(dir.path().join("d1.toml"), DOCUMENT).unwrap();
    std::fs::write(
        dir.path().join("d1.txt"),
        "1. Letter From Kissinger\n\nWashington, May 1, 1970.\n\nKissinger wrote to the DRV.\n",
    )
    .unwrap();
    let convert = teikit_in(dir.path(), &["convert", "d1.txt", "-o", "d1.xml"]);
    assert!(convert.status.success(), "{}", stderr(&convert));
    let tei = std::fs::read_to_string(dir.path().join("d1.xml")).unwrap();
    for empty in [
        "when=\"\"",
        "Volume <",
        ">Volume </",
        "<p/>",
        "<pubPlace/>",
        "<publisher/>",
    ] {
        assert!(!tei.contains(empty), "{empty} in {tei}");
    }
    assert!(
        tei.contains("<title type=\"volume\">Letters</title>"),
        "{tei}"
    );
    let validate = teikit_in(dir.path(), &["validate", "d1.xml"]);
    assert!(validate.status.success(), "{}", stderr(&validate));
    // Importing again leaves every entry and says so in a line of reasonable length.
    let again = teikit_in(
        dir.path(),
        &["registers", "import", "registers.xml", "-o", "volume.toml"],
    );
    let err = stderr(&again);
    assert!(err.contains("already holds 3 of the entries"), "{err}");
    assert!(err.lines().all(|l| l.chars().count() < 200), "{err}");
}
