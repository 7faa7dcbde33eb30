//! Comparing two revisions of an XML (TEI) document as documents, not as lines.
//!
//! **Takes** two texts; **gives** the changes that alter the document — text edits, attribute
//! changes, elements inserted, deleted, moved or renamed — each located by the nearest
//! enclosing `xml:id` or `n` (`div d59 › p 4`), an element path, and the line and column in
//! both files. What does not change the document is never reported: attribute order, namespace
//! prefixes, empty-element syntax, character references, insignificant whitespace ([`model`]).
//!
//! How children are paired (the `align` module): identical subtrees first (a longest common subsequence of
//! subtree hashes), so unchanged material anchors everything else; an identical subtree found
//! elsewhere among the children is a move, not a deletion and an insertion; between the anchors,
//! elements of the same name (and `xml:id`) are paired and compared in depth; what remains is
//! inserted or deleted, or renamed where only the name differs. Elements that left their parent
//! are found again by `xml:id` or content and reported as moved.
//!
//! [`batch`] compares two directories of documents, pair by pair, on every core.
//! [`record`] writes the summary of a comparison into the new file's `revisionDesc`;
//! [`diff_reading_text`] compares the reading text alone, ignoring all markup.
//! [`review_html`] draws a review page: the new revision with its changes marked in place.

mod align;
pub mod batch;
pub mod model;
mod reading;
pub mod record;
mod render;
mod review;

pub use model::{Normalisation, Tree};
pub use reading::diff_reading_text;
pub use render::{human, json, stat};
pub use review::review_html;

use crate::base::diagnostic::{Diagnostic, LineIndex, Location};
use crate::xml::{parse, ReadLimits};
use std::path::{Path, PathBuf};

/// A line and column in one of the files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
}

/// What changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChangeKind {
    /// Text differs (compared word by word when shown).
    Text {
        /// Before.
        old: String,
        /// After.
        new: String,
    },
    /// An attribute was added, removed or changed.
    Attribute {
        /// Its name (`xml:id` for the XML namespace).
        name: String,
        /// Before, if it was there.
        old: Option<String>,
        /// After, if it is there.
        new: Option<String>,
    },
    /// An element (or text, comment) was inserted.
    Inserted {
        /// What, in a few words.
        what: String,
    },
    /// An element (or text, comment) was deleted.
    Deleted {
        /// What, in a few words.
        what: String,
    },
    /// An element moved, unchanged or with the changes reported separately.
    Moved {
        /// What, in a few words.
        what: String,
        /// Where it was (context label).
        from: String,
    },
    /// An element kept its content and changed its name.
    Renamed {
        /// Old name.
        old: String,
        /// New name.
        new: String,
    },
    /// An element split in two: the element after it, of the same name, is new and holds the
    /// rest of what it held (nothing else changed in either).
    Split {
        /// The element as it was, in a few words.
        what: String,
        /// Its last words before the split.
        after: String,
    },
    /// An element joined with the one after it, of the same name, which is gone (nothing else
    /// changed in either).
    Joined {
        /// The element as it is now, in a few words.
        what: String,
        /// The last words of the first of the two.
        after: String,
    },
}

impl ChangeKind {
    /// The kind's name in reports: `text`, `attribute`, `inserted`, `deleted`, `moved`,
    /// `renamed`, `split`, `joined`.
    pub fn name(&self) -> &'static str {
        match self {
            ChangeKind::Text { .. } => "text",
            ChangeKind::Attribute { .. } => "attribute",
            ChangeKind::Inserted { .. } => "inserted",
            ChangeKind::Deleted { .. } => "deleted",
            ChangeKind::Moved { .. } => "moved",
            ChangeKind::Renamed { .. } => "renamed",
            ChangeKind::Split { .. } => "split",
            ChangeKind::Joined { .. } => "joined",
        }
    }
}

/// One change, located.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// What changed.
    pub kind: ChangeKind,
    /// Where, for people: the nearest `xml:id` or `n` and the path from it (`div d59 › p 4`).
    pub context: String,
    /// The element path (`/TEI/text/body/div/p[4]`), in the new file where it exists there.
    pub path: String,
    /// Where in the old file, if the change concerns something there.
    pub old: Option<Position>,
    /// Where in the new file, if the change concerns something there.
    pub new: Option<Position>,
}

/// A document to compare, parsed and normalised.
pub struct Side<'t> {
    /// The file.
    pub path: PathBuf,
    /// Its text.
    pub text: &'t str,
    /// The compared tree.
    pub tree: Tree<'t>,
    /// Built on the first change located: most comparisons locate few or none.
    index: std::cell::OnceCell<LineIndex>,
}

impl<'t> Side<'t> {
    /// Parses `text` (read from `path`) within the default [`ReadLimits`]; a document that is
    /// not well-formed, or passes a limit, is a located error.
    pub fn new(
        path: &Path,
        text: &'t str,
        normalisation: Normalisation,
    ) -> Result<Self, Diagnostic> {
        Side::with_limits(path, text, normalisation, ReadLimits::default())
    }

    /// [`Side::new`] within `limits`.
    pub fn with_limits(
        path: &Path,
        text: &'t str,
        normalisation: Normalisation,
        limits: ReadLimits,
    ) -> Result<Self, Diagnostic> {
        let tree = Tree::parse(text, normalisation, limits).map_err(|problem| {
            // roxmltree, which `validate` reads with, says why in the words `validate` would
            // use; the scanner's own words are the fallback, should the two ever disagree.
            match parse(path, text, limits) {
                Err(diagnostic) => diagnostic,
                Ok(_) => {
                    let (line, column) = LineIndex::new(text).line_column(text, problem.offset);
                    Diagnostic::error(
                        Location::new(path, line, column),
                        format!("not well-formed XML: {}", problem.message),
                    )
                }
            }
        })?;
        Ok(Side {
            path: path.to_path_buf(),
            text,
            tree,
            index: std::cell::OnceCell::new(),
        })
    }

    /// Both sides of a comparison, parsed at the same time on two threads (parsing is nearly
    /// all of the work of a comparison).
    pub fn pair(
        old: (&Path, &'t str),
        new: (&Path, &'t str),
        normalisation: Normalisation,
        limits: ReadLimits,
    ) -> Result<(Side<'t>, Side<'t>), Diagnostic> {
        let (old_side, new_side) = std::thread::scope(|scope| {
            let new_side = scope.spawn(|| Side::with_limits(new.0, new.1, normalisation, limits));
            let old_side = Side::with_limits(old.0, old.1, normalisation, limits);
            (old_side, new_side.join())
        });
        match new_side {
            Ok(new_side) => Ok((old_side?, new_side?)),
            // The parser does not panic on any input the fuzzers found; if it ever does, the
            // panic is the parser's bug and is passed on as such.
            Err(panic) => std::panic::resume_unwind(panic),
        }
    }

    fn position(&self, node: usize) -> Position {
        let (line, column) = self
            .index
            .get_or_init(|| LineIndex::new(self.text))
            .line_column(self.text, self.tree.offset(node));
        Position { line, column }
    }
}

/// The changes from `old` to `new`, in document order of the new file.
///
/// ```
/// use std::path::Path;
/// use teikit::diff::{diff, ChangeKind, Normalisation, Side};
/// let old = Side::new(Path::new("a.xml"), r#"<p xml:id="p1" n="1">Paris in May</p>"#, Normalisation::default()).unwrap();
/// let new = Side::new(Path::new("b.xml"), "<p n='1'   xml:id='p1'>Paris\n  in June</p>", Normalisation::default()).unwrap();
/// let changes = diff(&old, &new);
/// assert_eq!(changes.len(), 1);
/// assert_eq!(changes[0].context, "p p1");
/// assert!(matches!(&changes[0].kind, ChangeKind::Text { new, .. } if new == "Paris in June"));
/// ```
pub fn diff(old: &Side, new: &Side) -> Vec<Change> {
    let mut changes = align::Differ::new(old, new).run();
    // In the order of the new file; what exists only in the old file, where it was.
    changes.sort_by_key(|c| {
        let at = c.new.or(c.old).map(|p| (p.line, p.column));
        (at, c.old.map(|p| (p.line, p.column)))
    });
    changes
}

/// The label of `node` for people: the nearest enclosing element with an `xml:id` or `n`, then
/// the path from it (`div d59 › p 4`, `note d59fn2`).
fn context(tree: &Tree, node: usize) -> String {
    let mut parts = Vec::new();
    let mut current = Some(node);
    while let Some(i) = current {
        let name = tree.name(i);
        if let Some(id) = tree.id(i) {
            parts.push(format!("{name} {id}"));
            break;
        }
        if let Some(number) = tree.attribute(i, "n") {
            parts.push(format!("{name} {number}"));
        } else {
            let (position, _) = tree.place_among_namesakes(i);
            parts.push(format!("{name} {position}"));
        }
        current = tree.parent(i);
        // As element paths do: the nearest steps of a deep element, not all of them.
        if parts.len() == crate::base::path::MAX_STEPS && current.is_some() {
            parts.push("…".to_string());
            break;
        }
    }
    parts.reverse();
    parts.join(" › ")
}

/// The element path of `node` (`/TEI/text/body/div/p[4]`; its nearest steps where deep).
fn element_path(tree: &Tree, node: usize) -> String {
    let upward = std::iter::successors(Some(node), |&i| tree.parent(i)).map(|i| {
        let (position, namesakes) = tree.place_among_namesakes(i);
        crate::base::path::Step {
            name: tree.name(i),
            position: (namesakes > 1).then_some(position),
        }
    });
    crate::base::path::nearest_path(upward)
}
