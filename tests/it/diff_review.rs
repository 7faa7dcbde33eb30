//! The review page of `teikit diff --format html`: the new revision of the memo as a reading
//! text with its changes marked in place, a summary and a jump list; valid HTML5; and, in
//! headless Chromium, visible marks and working links.

use crate::common::{browser_check, program, python_module, root, stderr, teikit_in};
use std::path::Path;
use std::process::Command;

/// The memo and a revision of it: words changed in a paragraph, a paragraph inserted, the date
/// of the subject line changed, and the document's date in the header.
fn revisions(dir: &Path) {
    let old = std::fs::read_to_string(root().join("tei/frus1969-76v10/d59.xml")).unwrap();
    let new = old
        .replacen("</date> I concluded", "</date> we concluded", 1)
        .replacen(
            "<p>In order to obtain the commitments",
            "<p>An inserted paragraph about the talks.</p>\n        <p>In order to obtain the commitments",
            1,
        )
        .replacen(
            "<date when=\"1973-05-23\" cert=\"medium\"",
            "<date when=\"1973-05-22\" cert=\"medium\"",
            1,
        );
    assert_ne!(old, new);
    std::fs::write(dir.join("old.xml"), old).unwrap();
    std::fs::write(dir.join("new.xml"), new).unwrap();
}

#[test]
fn the_new_revision_with_its_changes_in_place() {
    let dir = tempfile::tempdir().unwrap();
    revisions(dir.path());
    let out = teikit_in(
        dir.path(),
        &["diff", "--format", "html", "old.xml", "new.xml"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let page = String::from_utf8(out.stdout).unwrap();
    // The summary and one jump-list entry a change.
    assert!(page.contains("<b>3 changes</b>"), "{page}");
    for i in 1..=3 {
        assert!(
            page.contains(&format!("<a href=\"#change-{i}\">")),
            "{page}"
        );
        assert!(page.contains(&format!("id=\"change-{i}\"")), "{page}");
    }
    // Changed words struck through and inserted in their sentence.
    assert!(
        page.contains("<del>I</del><ins>we</ins> concluded"),
        "{page}"
    );
    // The inserted paragraph marked as a whole, before the paragraph it now precedes.
    let inserted = page
        .find("class=\"block-inserted\"")
        .expect("an inserted block");
    let paragraph = page.find("An inserted paragraph about the talks.").unwrap();
    let next = page.find("In order to obtain the commitments").unwrap();
    assert!(inserted < paragraph && paragraph < next);
    // The changed attribute as a note in the margin, beside its element.
    assert!(
        page.contains(
            "<span id=\"change-1\" class=\"margin\">@when “1973-05-23” → “1973-05-22”</span>"
        ) || page.contains("class=\"margin\">@when “1973-05-23” → “1973-05-22”"),
        "{page}"
    );
    // Self-contained: no script, no external resource.
    assert!(!page.contains("<script") && !page.contains("src=") && !page.contains("<link"));
    if python_module("html5lib", "pip install html5lib") {
        let file = dir.path().join("review.html");
        std::fs::write(&file, &page).unwrap();
        let parsed = Command::new("python3")
            .arg(root().join("tests/publish/html5_to_xml.py"))
            .arg(&file)
            .output()
            .unwrap();
        assert!(
            parsed.status.success(),
            "not valid HTML5: {}",
            String::from_utf8_lossy(&parsed.stderr)
        );
    }
}

#[test]
fn a_reviewer_sees_the_marks_and_follows_the_links_in_chromium() {
    if !program("chromium", "apt-get install chromium")
        || !program("chromedriver", "apt-get install chromium-driver")
    {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    revisions(dir.path());
    let out = teikit_in(
        dir.path(),
        &["diff", "--format", "html", "old.xml", "new.xml"],
    );
    let page = dir.path().join("review.html");
    std::fs::write(&page, out.stdout).unwrap();
    browser_check(
        "review_check.py",
        &page,
        &[],
        "review",
        &[
            "ok: <del> shows",
            "ok: <ins> shows",
            "ok: 3 links of the jump list",
        ],
        &["first-screen.png", "first-change.png"],
    );
}

#[test]
fn a_review_page_is_for_two_files() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("a")).unwrap();
    std::fs::create_dir_all(dir.path().join("b")).unwrap();
    let out = teikit_in(dir.path(), &["diff", "--format", "html", "a", "b"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("two files, not for two directories"));
}

#[test]
fn a_moved_paragraph_links_to_where_it_stood() {
    let dir = tempfile::tempdir().unwrap();
    let old = std::fs::read_to_string(root().join("tei/frus1969-76v10/d59.xml")).unwrap();
    // The paragraph on Laos moved two paragraphs down.
    let mut lines: Vec<&str> = old.lines().collect();
    let laos = lines
        .iter()
        .position(|l| l.contains("<p><label type=\"run-in\"><placeName ref=\"#pl_Laos\">Laos"))
        .expect("the paragraph on Laos");
    let moved = lines.remove(laos);
    lines.insert(laos + 2, moved);
    std::fs::write(dir.path().join("old.xml"), &old).unwrap();
    std::fs::write(dir.path().join("new.xml"), lines.join("\n") + "\n").unwrap();
    let out = teikit_in(
        dir.path(),
        &["diff", "--format", "html", "old.xml", "new.xml"],
    );
    let page = String::from_utf8(out.stdout).unwrap();
    assert!(page.contains("<b>1 change</b>"), "{page}");
    // The paragraph is marked where it is now, with a link to a mark where it stood, which
    // links back; the mark stands before the paragraph's new place.
    let block = page
        .find("id=\"change-1\" class=\"block-moved\"")
        .expect("the moved block");
    let mark = page
        .find("<p id=\"moved-from-1\" class=\"moved-from\"><a href=\"#change-1\">")
        .expect("the mark of the old place");
    assert!(mark < block);
    assert!(
        page[block..].contains("<a href=\"#moved-from-1\">"),
        "{page}"
    );
}
