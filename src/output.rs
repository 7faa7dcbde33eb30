//! Writing outputs so that nothing is ever half-written and no input is overwritten.
//!
//! A file is written to a temporary file in the same directory, flushed to disk, and renamed over
//! the target: a reader (or a run killed midway) sees the old file or the new one, never a
//! truncated one.

use std::io::Write;
use std::path::{Path, PathBuf};

/// Why an output could not be written.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// The output would replace one of the inputs.
    #[error("{path}: refusing to overwrite an input file with output")]
    WouldOverwriteInput {
        /// The path given as output.
        path: PathBuf,
    },
    /// The file system refused.
    #[error("{path}: cannot write: {source}")]
    Io {
        /// The file being written.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

/// Writes `contents` to `path` atomically, creating missing parent directories.
///
/// `inputs` are files that must never be replaced; writing to one of them (by any name that
/// resolves to it) is an error.
///
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// let out = dir.path().join("a/b.xml");
/// teikit::output::write_atomically(&out, b"<x/>", &[]).unwrap();
/// assert_eq!(std::fs::read(&out).unwrap(), b"<x/>");
/// ```
pub fn write_atomically(path: &Path, contents: &[u8], inputs: &[&Path]) -> Result<(), OutputError> {
    let io = |source| OutputError::Io {
        path: path.to_path_buf(),
        source,
    };
    if is_one_of(path, inputs) {
        return Err(OutputError::WouldOverwriteInput {
            path: path.to_path_buf(),
        });
    }
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir).map_err(io)?;
    let mut temp = tempfile::Builder::new()
        .prefix(".teikit-")
        .suffix(".tmp")
        .tempfile_in(&dir)
        .map_err(io)?;
    temp.write_all(contents).map_err(io)?;
    temp.as_file().sync_all().map_err(io)?;
    temp.persist(path).map_err(|e| io(e.error))?;
    Ok(())
}

fn is_one_of(path: &Path, inputs: &[&Path]) -> bool {
    let Ok(target) = path.canonicalize() else {
        // A file that does not exist yet cannot be an input.
        return false;
    };
    inputs
        .iter()
        .filter_map(|p| p.canonicalize().ok())
        .any(|p| p == target)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_to_overwrite_an_input_under_another_name() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("in.txt");
        std::fs::write(&input, "keep").unwrap();
        let alias = dir.path().join(".").join("in.txt");
        let err = write_atomically(&alias, b"new", &[&input]).unwrap_err();
        assert!(matches!(err, OutputError::WouldOverwriteInput { .. }));
        assert_eq!(std::fs::read_to_string(&input).unwrap(), "keep");
    }

    #[test]
    fn replaces_existing_output_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("o.xml");
        std::fs::write(&out, "old").unwrap();
        write_atomically(&out, b"new", &[]).unwrap();
        assert_eq!(std::fs::read_to_string(&out).unwrap(), "new");
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1);
    }
}
