//! `teikit init`: the files of a new edition, ready to build and validate.
//!
//! ```text
//! teikit.toml                       the project configuration
//! sources/VOLUME/volume.toml        the volume and its registers, commented
//! sources/VOLUME/d1.txt, d1.toml    a sample document in the source form, and its data
//! .github/workflows/teikit.yml      CI: build --check, validate --format github, SARIF upload
//! .pre-commit-config.yaml           the pre-commit hooks teikit offers
//! .gitignore                        the reading edition's HTML, made again at any time
//! ```
//!
//! Nothing that exists is overwritten: if any of these files is there, nothing is written —
//! except an existing `.gitignore`, which is kept as it is (a repository often has one).

use std::path::{Path, PathBuf};

/// What `teikit init` is asked for.
#[derive(Debug, Clone)]
pub struct InitOptions {
    /// The edition's root.
    pub directory: PathBuf,
    /// The volume's id: its folder under `sources/` and its `[volume] id`.
    pub volume: String,
    /// Where the CI workflow and pre-commit install teikit from (a git URL). Without it the
    /// pre-commit hooks run the `teikit` on the PATH and the workflow names a placeholder.
    pub teikit_git: Option<String>,
    /// What is started: an edition converted from plain text, or a TEI project.
    pub kind: ProjectKind,
}

/// What `teikit init` starts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ProjectKind {
    /// An edition: plain-text sources converted by `teikit build`, their TEI validated.
    #[default]
    Edition,
    /// A TEI project: TEI written by hand or elsewhere, validated against the schemas its
    /// documents declare (`init --tei`): teikit.toml with a catalog, a sample document, CI and
    /// pre-commit that validate.
    Tei,
}

/// Why an edition could not be started.
#[derive(Debug, thiserror::Error)]
pub enum InitError {
    /// Files that would be overwritten.
    #[error("teikit init writes nothing where files exist: {}", .0.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", "))]
    Exists(Vec<PathBuf>),
    /// A volume id that cannot name a folder and an XML id.
    #[error("`{0}` cannot be a volume id: use letters, digits, `-`, `_` and `.`, beginning with a letter")]
    VolumeId(String),
    /// A file or folder that could not be written.
    #[error("cannot write {}: {message}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        message: String,
    },
}

const TEIKIT_TOML: &str = include_str!("../scaffold/teikit.toml");
const VOLUME_TOML: &str = include_str!("../scaffold/volume.toml");
const SAMPLE_TEXT: &str = include_str!("../scaffold/d1.txt");
const SAMPLE_DATA: &str = include_str!("../scaffold/d1.toml");
const GITIGNORE: &str = include_str!("../scaffold/gitignore");
const WORKFLOW: &str = include_str!("../scaffold/teikit.yml");
const TEI_PROJECT_TOML: &str = include_str!("../scaffold/tei-project.toml");
const CATALOG: &str = include_str!("../scaffold/catalog.xml");
const SAMPLE_TEI: &str = include_str!("../scaffold/sample-tei.xml");
const PRE_COMMIT_LOCAL: &str = include_str!("../scaffold/pre-commit-config.yaml");
const PRE_COMMIT_REMOTE: &str = include_str!("../scaffold/pre-commit-remote.yaml");

/// What the workflow's `TEIKIT_GIT` says when `init` was given no URL.
pub const PLACEHOLDER_GIT: &str = "https://git.example.org/teikit.git";

/// The files of a new edition: each path (relative to the root) with its contents.
pub fn files(options: &InitOptions) -> Vec<(PathBuf, String)> {
    let volume = Path::new("sources").join(&options.volume);
    let git = options.teikit_git.as_deref().unwrap_or(PLACEHOLDER_GIT);
    let pre_commit = match &options.teikit_git {
        Some(url) => PRE_COMMIT_REMOTE
            .replace("TEIKIT_REPOSITORY", url)
            .replace("TEIKIT_VERSION", env!("CARGO_PKG_VERSION")),
        None => PRE_COMMIT_LOCAL.to_string(),
    };
    if options.kind == ProjectKind::Tei {
        // Nothing is built: the workflow and the hooks validate.
        let workflow = WORKFLOW
            .replace("TEIKIT_REPOSITORY", git)
            .replace("      - name: The TEI is up to date with its sources\n        run: teikit build --check\n", "");
        let pre_commit = without_build_hook(&pre_commit);
        return vec![
            (PathBuf::from("teikit.toml"), TEI_PROJECT_TOML.to_string()),
            (PathBuf::from("catalog.xml"), CATALOG.to_string()),
            (PathBuf::from("tei/sample.xml"), SAMPLE_TEI.to_string()),
            (PathBuf::from(".github/workflows/teikit.yml"), workflow),
            (PathBuf::from(".pre-commit-config.yaml"), pre_commit),
        ];
    }
    vec![
        (PathBuf::from("teikit.toml"), TEIKIT_TOML.to_string()),
        (
            volume.join("volume.toml"),
            VOLUME_TOML.replace("VOLUME_ID", &options.volume),
        ),
        (volume.join("d1.txt"), SAMPLE_TEXT.to_string()),
        (volume.join("d1.toml"), SAMPLE_DATA.to_string()),
        (
            PathBuf::from(".github/workflows/teikit.yml"),
            WORKFLOW.replace("TEIKIT_REPOSITORY", git),
        ),
        (PathBuf::from(".pre-commit-config.yaml"), pre_commit),
        (PathBuf::from(".gitignore"), GITIGNORE.to_string()),
    ]
}

/// A pre-commit configuration without the `teikit-build-check` hook (its item, to the next).
fn without_build_hook(config: &str) -> String {
    let mut out = String::new();
    let mut skipping = false;
    for line in config.lines() {
        let item = line.trim_start().starts_with("- id:");
        if item {
            skipping = line.contains("teikit-build-check");
        }
        if !skipping {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// Writes the files of a new edition under `options.directory`; gives the paths written.
///
/// ```
/// use teikit::scaffold::{init, InitOptions};
/// let dir = tempfile::tempdir().unwrap();
/// let options = InitOptions {
///     directory: dir.path().to_path_buf(),
///     volume: "my-volume".into(),
///     teikit_git: Some("https://example.org/teikit.git".into()),
///     kind: Default::default(),
/// };
/// let written = init(&options).unwrap();
/// assert!(written.contains(&dir.path().join("sources/my-volume/d1.txt")));
/// // A second time, nothing is overwritten.
/// assert!(init(&options).is_err());
/// ```
pub fn init(options: &InitOptions) -> Result<Vec<PathBuf>, InitError> {
    let id = &options.volume;
    let valid_id = id.starts_with(|c: char| c.is_ascii_alphabetic())
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if !valid_id {
        return Err(InitError::VolumeId(id.clone()));
    }
    let kept_if_present = options.directory.join(".gitignore");
    let planned: Vec<(PathBuf, String)> = files(options)
        .into_iter()
        .map(|(path, text)| (options.directory.join(path), text))
        .filter(|(path, _)| !(path == &kept_if_present && path.exists()))
        .collect();
    let existing: Vec<PathBuf> = planned
        .iter()
        .filter(|(path, _)| path.exists())
        .map(|(path, _)| path.clone())
        .collect();
    if !existing.is_empty() {
        return Err(InitError::Exists(existing));
    }
    let mut written = Vec::new();
    for (path, text) in planned {
        let failed = |message: String| InitError::Write {
            path: path.clone(),
            message,
        };
        crate::output::write_atomically(&path, text.as_bytes(), &[])
            .map_err(|e| failed(e.to_string()))?;
        written.push(path);
    }
    Ok(written)
}
