//! Writing outputs so that nothing is ever half-written and no input is overwritten.
//!
//! A file is written to a temporary file in the same directory, flushed to disk, and renamed over
//! the target: a reader (or a run killed midway) sees the old file or the new one, never a
//! truncated one.
//!
//! The output gets the permissions a file created in place would get: an existing file keeps its
//! mode, a new one is readable as the umask allows (a published edition is served by a web
//! server running as another user). A temporary file is named after the process writing it
//! (`.teikit-PID-XXXXXX.tmp`); one left behind by a run that was killed is removed by the next
//! run that writes into the same directory, once no process of that number is alive. Runs
//! writing the same directory at once leave each other's temporary files alone.

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
    remove_stale_temporaries_once(&dir);
    let existing_permissions = std::fs::metadata(path).ok().map(|m| m.permissions());
    let prefix = format!("{TEMPORARY_PREFIX}{}-", std::process::id());
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(TEMPORARY_SUFFIX);
    // Read and write for all before the umask, as `open(2)` gives any new file (tempfile's own
    // default, 0600, would hide a published edition from the web server).
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let mut temp = builder.tempfile_in(&dir).map_err(io)?;
    if let Some(permissions) = existing_permissions {
        temp.as_file().set_permissions(permissions).map_err(io)?;
    }
    temp.write_all(contents).map_err(io)?;
    temp.as_file().sync_all().map_err(io)?;
    temp.persist(path).map_err(|e| io(e.error))?;
    Ok(())
}

const TEMPORARY_PREFIX: &str = ".teikit-";
const TEMPORARY_SUFFIX: &str = ".tmp";

/// Removes, once per directory and process, the temporary files that killed runs left in `dir`.
fn remove_stale_temporaries_once(dir: &Path) {
    static CLEANED: std::sync::Mutex<Vec<PathBuf>> = std::sync::Mutex::new(Vec::new());
    let key = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    {
        let Ok(mut cleaned) = CLEANED.lock() else {
            return;
        };
        if cleaned.contains(&key) {
            return;
        }
        cleaned.push(key);
    }
    remove_stale_temporaries(dir);
}

/// Removes the temporary files in `dir` whose writer is gone: named after a process that no
/// longer runs, or (named without one, by earlier builds of teikit) over an hour old. Failures
/// are ignored: a file that cannot be removed is no worse than before.
fn remove_stale_temporaries(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else {
            continue;
        };
        let Some(middle) = name
            .strip_prefix(TEMPORARY_PREFIX)
            .and_then(|rest| rest.strip_suffix(TEMPORARY_SUFFIX))
        else {
            continue;
        };
        let stale = match middle
            .split_once('-')
            .and_then(|(pid, _)| pid.parse::<u32>().ok())
        {
            Some(pid) => !process_is_alive(pid),
            None => entry
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age > std::time::Duration::from_secs(3600)),
        };
        if stale {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Whether a process with this id runs (on systems without `/proc`, every process is taken to
/// run: a temporary file is then left rather than taken from a live writer).
fn process_is_alive(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    let proc = Path::new("/proc");
    if !proc.join("self").exists() {
        return true;
    }
    proc.join(pid.to_string()).exists()
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

    #[cfg(unix)]
    #[test]
    fn outputs_are_readable_as_the_umask_allows_and_keep_an_existing_files_mode() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let new = dir.path().join("new.xml");
        write_atomically(&new, b"<x/>", &[]).unwrap();
        // Whatever the umask, a new file is not private to its writer unless the umask says so:
        // the mode equals that of a file created in place.
        let probe = dir.path().join("probe");
        std::fs::write(&probe, b"").unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&new), mode(&probe));
        let existing = dir.path().join("existing.xml");
        std::fs::write(&existing, b"old").unwrap();
        std::fs::set_permissions(&existing, std::fs::Permissions::from_mode(0o640)).unwrap();
        write_atomically(&existing, b"new", &[]).unwrap();
        assert_eq!(mode(&existing), 0o640);
    }

    #[test]
    fn temporaries_of_dead_writers_are_removed_and_those_of_live_ones_kept() {
        let dir = tempfile::tempdir().unwrap();
        // No process has the largest id Linux allows plus one.
        let dead = dir.path().join(".teikit-4194305-abcdef.tmp");
        let live = dir
            .path()
            .join(format!(".teikit-{}-abcdef.tmp", std::process::id()));
        let other = dir.path().join("keep.tmp");
        for file in [&dead, &live, &other] {
            std::fs::write(file, b"partial").unwrap();
        }
        write_atomically(&dir.path().join("out.xml"), b"<x/>", &[]).unwrap();
        if Path::new("/proc/self").exists() {
            assert!(!dead.exists());
        }
        assert!(live.exists() && other.exists());
    }

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
