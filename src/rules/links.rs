//! Pointers between files: what one document cannot settle alone.
//!
//! A project often keeps its registers (persons, places, a taxonomy) in one file and refers to
//! them from the others, either with the file named (`persons.xml#p1`, or a `prefixDef` that
//! expands to it) or, where the files are meant to be read together, with a bare `#p1`. So a
//! document's check leaves behind its [`Links`]: the pointers it could not resolve itself and
//! the declarations it does not refer to. [`settle`] then judges them against every file of the
//! run, and against files beside a document that the run does not hold, which it reads.
//!
//! A bare `#id` that no file of the run holds and an id that the named file does not hold are
//! errors (a named file that is not there at all is a warning, given when the document is
//! read); a declaration is unused only if no file of the run refers to it.

use crate::base::diagnostic::Diagnostic;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// What one document left for the other files of the run to settle.
#[derive(Debug, Default)]
pub struct Links {
    /// The document.
    pub(super) file: PathBuf,
    /// Its ids.
    pub(super) ids: HashSet<String>,
    /// The pointers it could not resolve itself.
    pub(super) open: Vec<OpenPointer>,
    /// The declarations it does not refer to: the id, and the warning if nothing else does.
    pub(super) unused: Vec<(String, Diagnostic)>,
}

impl Links {
    /// Applies `relocate` to every problem it holds (to move them to the files their text came
    /// from, after XInclude).
    pub fn relocate(&mut self, relocate: impl Fn(&mut Diagnostic)) {
        for open in &mut self.open {
            relocate(&mut open.problem);
        }
        for (_, warning) in &mut self.unused {
            relocate(warning);
        }
    }
}

/// A pointer to resolve elsewhere.
#[derive(Debug)]
pub(super) struct OpenPointer {
    /// The file it names (relative to the working directory), or `None` for a bare `#id`.
    pub(super) file: Option<PathBuf>,
    /// The file as the pointer wrote it.
    pub(super) written: String,
    /// The id in that file, if the pointer names one.
    pub(super) id: Option<String>,
    /// The problem if it does not resolve; its message says where the pointer is
    /// (`@ref points to `#p1` on <persName>`), and [`settle`] adds what went wrong.
    pub(super) problem: Diagnostic,
}

/// Settles what the documents of one run left open, against each other and the files beside
/// them; gives each document's further problems, in the order of `links`.
///
/// ```
/// use teikit::rules::{check_parsed, settle, RuleSet};
/// use std::path::Path;
/// let register = r##"<TEI><listPerson><person xml:id="p1"/></listPerson></TEI>"##;
/// let letter = r##"<TEI><persName ref="#p1"/><persName ref="#p2"/></TEI>"##;
/// let mut links = Vec::new();
/// for (name, text) in [("register.xml", register), ("letter.xml", letter)] {
///     let doc = roxmltree::Document::parse(text).unwrap();
///     links.push(check_parsed(Path::new(name), text, &doc, &RuleSet::all()).links);
/// }
/// let settled = settle(links);
/// assert!(settled[0].is_empty(), "p1 is referred to from the letter");
/// assert_eq!(settled[1].len(), 1, "p2 is nowhere");
/// assert!(settled[1][0].message.contains("`#p2`"));
/// ```
pub fn settle(links: Vec<Links>) -> Vec<Vec<Diagnostic>> {
    let several = links.len() > 1;
    let identity = |path: &Path| path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    let run: HashMap<PathBuf, usize> = links
        .iter()
        .enumerate()
        .map(|(i, l)| (identity(&l.file), i))
        .collect();
    let mut holders: HashMap<&str, Vec<usize>> = HashMap::new();
    if links
        .iter()
        .any(|l| l.open.iter().any(|o| o.file.is_none()))
    {
        for (i, l) in links.iter().enumerate() {
            for id in &l.ids {
                holders.entry(id.as_str()).or_default().push(i);
            }
        }
    }
    let mut beside: HashMap<PathBuf, Result<HashSet<String>, String>> = HashMap::new();
    let mut pointed: Vec<HashSet<&str>> = vec![HashSet::new(); links.len()];
    let mut out: Vec<Vec<Diagnostic>> = vec![Vec::new(); links.len()];
    for (i, document) in links.iter().enumerate() {
        for open in &document.open {
            let why = match (&open.file, &open.id) {
                (None, Some(id)) => match holders.get(id.as_str()) {
                    Some(files) if files.iter().any(|&j| j != i) => {
                        for &j in files {
                            pointed[j].insert(id.as_str());
                        }
                        None
                    }
                    _ if several => Some(format!(
                        "no element of this or any other file of the run has xml:id `{id}`"
                    )),
                    _ => Some(format!("no element has xml:id `{id}`")),
                },
                (None, None) => None,
                (Some(file), id) => {
                    let key = identity(file);
                    let found = match run.get(&key) {
                        Some(&j) => Ok((Some(j), &links[j].ids)),
                        None => match beside.entry(key).or_insert_with(|| read_ids(file)) {
                            Ok(ids) => Ok((None, &*ids)),
                            Err(why) => Err(why.clone()),
                        },
                    };
                    match (found, id) {
                        // A file not there was told when the document was read; one here is
                        // gone since, or cannot be read.
                        (Err(why), _) => Some(format!("`{}` {why}", open.written)),
                        (Ok(_), None) => None,
                        (Ok((holder, ids)), Some(id)) if ids.contains(id) => {
                            if let Some(j) = holder {
                                pointed[j].insert(id.as_str());
                            }
                            None
                        }
                        (Ok(_), Some(id)) => Some(format!(
                            "no element of `{}` has xml:id `{id}`",
                            open.written
                        )),
                    }
                }
            };
            if let Some(why) = why {
                let mut problem = open.problem.clone();
                problem.message = format!("{}, but {why}", problem.message);
                out[i].push(problem);
            }
        }
    }
    for (i, document) in links.iter().enumerate() {
        for (id, warning) in &document.unused {
            if !pointed[i].contains(id.as_str()) {
                out[i].push(warning.clone());
            }
        }
    }
    out
}

/// The ids of the XML file `file`, or why it cannot give them (after the file's name).
fn read_ids(file: &Path) -> Result<HashSet<String>, String> {
    let bytes = std::fs::read(file).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => "does not exist".to_string(),
        _ => format!("cannot be read ({e})"),
    })?;
    let text =
        crate::xml::decode(file, bytes).map_err(|d| format!("cannot be read: {}", d.message))?;
    let doc = crate::xml::parse(file, &text, crate::xml::ReadLimits::default())
        .map_err(|d| format!("is not well-formed XML: {}", d.message))?;
    Ok(doc
        .descendants()
        .filter_map(|n| n.attribute((roxmltree::NS_XML_URI, "id")))
        .map(str::to_string)
        .collect())
}
