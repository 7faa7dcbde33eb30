//! Comparing two trees of documents at once: `teikit diff OLD_DIR NEW_DIR`.
//!
//! **Takes** two directories; **gives** for every `*.xml` under either, by its path relative
//! to its directory, the changes between its two revisions, or that it exists on one side
//! only, or why it could not be compared. Pairs are compared on every core; each worker holds
//! one pair at a time and keeps only the changes, so memory stays within the number of
//! workers times the largest pair, plus the reports.

use super::{diff, diff_reading_text, Change, Normalisation, Side};
use crate::base::diagnostic::Diagnostic;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// What became of one document.
#[derive(Debug)]
pub enum Outcome {
    /// Both revisions were compared: the changes (none when the same).
    Compared(Vec<Change>),
    /// Only the old tree has it.
    OnlyOld,
    /// Only the new tree has it.
    OnlyNew,
    /// A revision could not be read or is not well-formed.
    Trouble(Diagnostic),
}

/// One document of the two trees.
#[derive(Debug)]
pub struct FileReport {
    /// Its path relative to the directories.
    pub relative: PathBuf,
    /// Its path in the old tree (whether or not it exists there).
    pub old: PathBuf,
    /// Its path in the new tree (whether or not it exists there).
    pub new: PathBuf,
    /// What became of it.
    pub outcome: Outcome,
}

/// How to compare.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// What counts as a change.
    pub normalisation: Normalisation,
    /// Compare the reading text only.
    pub text_only: bool,
    /// Worker threads (at least 1).
    pub jobs: usize,
    /// Limits on each document read.
    pub limits: crate::xml::ReadLimits,
}

/// Compares every document under `old_dir` with its namesake under `new_dir`; the reports come
/// sorted by relative path. A directory that cannot be listed is an error naming it.
///
/// ```
/// let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
/// std::fs::write(a.path().join("d1.xml"), "<p>Paris in May</p>").unwrap();
/// std::fs::write(b.path().join("d1.xml"), "<p>Paris  in\n June</p>").unwrap();
/// std::fs::write(b.path().join("d2.xml"), "<p/>").unwrap();
/// let options = teikit::diff::batch::Options {
///     normalisation: Default::default(), text_only: false, jobs: 2, limits: Default::default(),
/// };
/// let reports = teikit::diff::batch::compare_trees(a.path(), b.path(), options).unwrap();
/// assert_eq!(reports.len(), 2);
/// assert!(matches!(&reports[0].outcome, teikit::diff::batch::Outcome::Compared(c) if c.len() == 1));
/// assert!(matches!(reports[1].outcome, teikit::diff::batch::Outcome::OnlyNew));
/// ```
pub fn compare_trees(
    old_dir: &Path,
    new_dir: &Path,
    options: Options,
) -> Result<Vec<FileReport>, (PathBuf, std::io::Error)> {
    compare_trees_with_progress(old_dir, new_dir, options, &|_, _| {})
}

/// [`compare_trees`], calling `progress` (from any thread) with the files compared so far and
/// their number.
pub fn compare_trees_with_progress(
    old_dir: &Path,
    new_dir: &Path,
    options: Options,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<Vec<FileReport>, (PathBuf, std::io::Error)> {
    let relative = |dir: &Path| -> Result<Vec<PathBuf>, (PathBuf, std::io::Error)> {
        Ok(crate::xml::files::xml_files(&[dir.to_path_buf()])?
            .into_iter()
            .filter_map(|f| f.strip_prefix(dir).ok().map(Path::to_path_buf))
            .collect())
    };
    // Which sides each relative path is on: (old, new).
    let mut sides: BTreeMap<PathBuf, (bool, bool)> = BTreeMap::new();
    for path in relative(old_dir)? {
        sides.entry(path).or_default().0 = true;
    }
    for path in relative(new_dir)? {
        sides.entry(path).or_default().1 = true;
    }
    let work: Vec<(PathBuf, bool, bool)> = sides
        .into_iter()
        .map(|(path, (old, new))| (path, old, new))
        .collect();
    let results = crate::parallel::ordered_map(
        &work,
        options.jobs,
        None,
        || (),
        |(), (path, in_old, in_new)| match (in_old, in_new) {
            (true, false) => Outcome::OnlyOld,
            (false, true) => Outcome::OnlyNew,
            _ => compare_files(&old_dir.join(path), &new_dir.join(path), options),
        },
        &|done| progress(done, work.len()),
    );
    Ok(work
        .into_iter()
        .zip(results)
        .map(|((relative, _, _), result)| {
            let outcome = result.unwrap_or_else(|| {
                Outcome::Trouble(Diagnostic::error(
                    crate::base::diagnostic::Location::file_start(&relative),
                    "a worker stopped before comparing this file",
                ))
            });
            FileReport {
                old: old_dir.join(&relative),
                new: new_dir.join(&relative),
                relative,
                outcome,
            }
        })
        .collect())
}

/// How many files of a tree comparison came out which way.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TreeSummary {
    /// Files compared or found on one side.
    pub files: usize,
    /// Pairs with no change.
    pub same: usize,
    /// Pairs with changes.
    pub changed: usize,
    /// Files only in the old tree.
    pub only_old: usize,
    /// Files only in the new tree.
    pub only_new: usize,
    /// Pairs that could not be compared.
    pub not_comparable: usize,
}

impl TreeSummary {
    /// The counts of `reports`.
    pub fn of(reports: &[FileReport]) -> Self {
        let mut summary = TreeSummary {
            files: reports.len(),
            ..TreeSummary::default()
        };
        for report in reports {
            match &report.outcome {
                Outcome::Compared(changes) if changes.is_empty() => summary.same += 1,
                Outcome::Compared(_) => summary.changed += 1,
                Outcome::OnlyOld => summary.only_old += 1,
                Outcome::OnlyNew => summary.only_new += 1,
                Outcome::Trouble(_) => summary.not_comparable += 1,
            }
        }
        summary
    }

    /// Whether the trees differ: a change, or a file on one side only.
    pub fn differs(&self) -> bool {
        self.changed + self.only_old + self.only_new > 0
    }
}

/// The JSON report of a tree comparison, version 1: `{version, old, new, files, summary}`, with
/// each pair's report in `files` (as [`super::json`] gives it), `{"old": …, "new": null}` for a
/// file on one side only and an `error` for a pair that could not be compared.
pub fn tree_json(old_dir: &Path, new_dir: &Path, reports: &[FileReport]) -> serde_json::Value {
    use serde_json::json;
    let files: Vec<serde_json::Value> = reports
        .iter()
        .map(|report| {
            let (old, new) = (
                report.old.display().to_string(),
                report.new.display().to_string(),
            );
            match &report.outcome {
                Outcome::Compared(changes) => super::json(changes, &old, &new),
                Outcome::OnlyOld => json!({"old": old, "new": null}),
                Outcome::OnlyNew => json!({"old": null, "new": new}),
                Outcome::Trouble(d) => json!({"old": old, "new": new, "error": d.to_string()}),
            }
        })
        .collect();
    let summary = TreeSummary::of(reports);
    json!({
        "version": 1,
        "old": old_dir.display().to_string(),
        "new": new_dir.display().to_string(),
        "files": files,
        "summary": {"files": summary.files, "same": summary.same, "changed": summary.changed,
                    "only_old": summary.only_old, "only_new": summary.only_new,
                    "not_comparable": summary.not_comparable},
    })
}

/// Compares one pair of files.
pub fn compare_files(old: &Path, new: &Path, options: Options) -> Outcome {
    let read = |path: &Path| crate::xml::read_file(path).map(|(text, _)| text);
    let texts = read(old).and_then(|o| Ok((o, read(new)?)));
    let (old_text, new_text) = match texts {
        Ok(t) => t,
        Err(d) => return Outcome::Trouble(d),
    };
    let side = |path, text| Side::with_limits(path, text, options.normalisation, options.limits);
    let sides = side(old, &old_text).and_then(|o| Ok((o, side(new, &new_text)?)));
    match sides {
        Ok((o, n)) if options.text_only => Outcome::Compared(diff_reading_text(&o, &n)),
        Ok((o, n)) => Outcome::Compared(diff(&o, &n)),
        Err(d) => Outcome::Trouble(d),
    }
}
