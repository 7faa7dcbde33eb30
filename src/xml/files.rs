//! Which files a command reads: the XML files named, and those under the directories named.

use std::path::{Path, PathBuf};

/// The files to check for `paths`: each file as given, and every `*.xml` under each directory,
/// sorted. Symbolic links are followed, but a directory reached twice (a link loop, or two links
/// to one place) is listed once, and so is a file; an unreadable directory is an error naming it.
///
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// std::fs::write(dir.path().join("a.xml"), "<a/>").unwrap();
/// std::fs::write(dir.path().join("notes.txt"), "").unwrap();
/// let files = teikit::xml::files::xml_files(&[dir.path().to_path_buf()]).unwrap();
/// assert_eq!(files, [dir.path().join("a.xml")]);
/// ```
pub fn xml_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, (PathBuf, std::io::Error)> {
    let mut seen = std::collections::HashSet::new();
    let mut files = Vec::new();
    for path in paths {
        collect_xml_files(path, &mut seen, &mut files).map_err(|e| (path.clone(), e))?;
    }
    Ok(files)
}

fn collect_xml_files(
    path: &Path,
    seen: &mut std::collections::HashSet<PathBuf>,
    into: &mut Vec<PathBuf>,
) -> std::io::Result<()> {
    // A path that cannot be resolved is still listed, so that reading it reports why.
    let identity = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    if !seen.insert(identity) {
        return Ok(());
    }
    if !path.is_dir() {
        into.push(path.to_path_buf());
        return Ok(());
    }
    let mut entries: Vec<PathBuf> = std::fs::read_dir(path)?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    entries.sort();
    for entry in entries {
        if entry.is_dir() || entry.extension().is_some_and(|e| e == "xml") {
            collect_xml_files(&entry, seen, into)?;
        }
    }
    Ok(())
}
