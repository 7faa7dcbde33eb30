//! The project configuration: `teikit.toml` at the project root, found by walking up from the
//! working directory as cargo finds `Cargo.toml`.
//!
//! ```toml
//! schema = "schema/tei_all.rng"      # relative to this file; "declared": each document's
//!                                    # xml-model, required; default: the document's xml-model
//!                                    # where it has one, else the bundled subset
//! catalog = ["catalog.xml"]          # OASIS XML catalogs for the schemas documents declare
//! schematron = ["schema/project.sch"] # ISO Schematron for every file, beside what the schema
//! schematron-phase = "strict"        #   embeds; the phase (default: each schema's own)
//! profile = "generic"                # generic | documentary | auto (each document's own)
//! files = ["tei/**/*.xml"]           # what `teikit validate` checks when no path is given
//! xinclude = true                    # resolve xi:include (the default); false: as --no-xinclude
//!
//! [rules]                            # off | warning | error, over the profile's choice
//! unused-declaration = "off"
//! iso-date = "warning"
//!
//! [limits]                           # as --max-depth, --max-size, …
//! max-depth = 1024
//!
//! [convert]                          # `teikit convert` and `teikit build`
//! profile = "frus"                   # tei (rich TEI, the default) | frus (FRUS volume files)
//!
//! [[overrides]]                      # for some files, later ones winning
//! paths = ["tei/early-prints/**"]
//! schema = "schema/early.rng"        # their schema, over `schema` and their declarations
//! profile = "generic"
//! rules = { page-order = "off" }
//! ```
//!
//! Every name is checked: an unknown key, rule or profile is an error at its line and column.

use crate::base::diagnostic::{Diagnostic, LineIndex, Location};
use crate::base::glob::Glob;
use crate::base::output::OutputProfile;
use crate::rules::{Level, Override, Profile, ProfileChoice, RuleId, RuleSet};
use crate::xml::ReadLimits;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// The name of the configuration file.
pub const FILE_NAME: &str = "teikit.toml";

/// A project's configuration, read and checked.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// The file it was read from.
    pub file: PathBuf,
    /// The directory that holds it, which its paths are relative to (empty: the working
    /// directory).
    pub root: PathBuf,
    /// The schema, relative to the working directory.
    pub schema: Option<PathBuf>,
    /// `schema = "declared"`: every document must name its schema (`xml-model`).
    pub schema_declared: bool,
    /// OASIS XML catalogs for the schemas documents declare, relative to the working directory.
    pub catalogs: Vec<PathBuf>,
    /// ISO Schematron schemas for every file, relative to the working directory.
    pub schematron: Vec<PathBuf>,
    /// The phase of those schemas to run, if not their default.
    pub schematron_phase: Option<String>,
    /// Schemas for some files (`[[overrides]] schema = …`), later ones winning.
    pub schema_overrides: Vec<SchemaOverride>,
    /// The profile, if set.
    pub profile: Option<ProfileChoice>,
    /// What to validate when no path is given, as written (paths or patterns).
    pub files: Vec<String>,
    /// Levels of rules.
    pub levels: BTreeMap<RuleId, Level>,
    /// Limits on documents read.
    pub limits: Limits,
    /// Whether XInclude inclusions are resolved, if set.
    pub xinclude: Option<bool>,
    /// Settings for some files.
    pub overrides: Vec<Override>,
    /// How `convert` and `build` write their output, if set (`[convert] profile`).
    pub output_profile: Option<OutputProfile>,
}

/// A schema for the files an `[[overrides]]` table names.
#[derive(Debug, Clone)]
pub struct SchemaOverride {
    /// The files (only its paths are used).
    pub files: Override,
    /// The schema, relative to the working directory.
    pub schema: PathBuf,
}

/// Where a file's schema comes from, `--schema` aside: the one rule of precedence that
/// `teikit validate` and the language server share.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SchemaSource<'c> {
    /// `teikit.toml` names it for this file: an override's, else `schema`.
    Configured(&'c Path),
    /// The document declares it (`xml-model`): its `href`, as written.
    Declared(String),
    /// Neither names one: the bundled subset.
    Bundled,
    /// Neither names one, and `schema = "declared"` requires the document to.
    Undeclared,
}

impl Config {
    /// The schema `teikit.toml` sets for `file`: the last override naming it, else `schema`.
    pub fn schema_for(&self, file: &Path) -> Option<&Path> {
        self.schema_overrides
            .iter()
            .rev()
            .find(|o| o.files.matches(file))
            .map(|o| o.schema.as_path())
            .or(self.schema.as_deref())
    }

    /// Where the schema of `file` comes from, given the RELAX NG schema it declares (if any):
    /// `teikit.toml` first, then the declaration, then the bundled subset.
    ///
    /// ```
    /// use teikit::config::{Config, SchemaSource};
    /// let config = Config::default();
    /// let file = std::path::Path::new("a.xml");
    /// assert_eq!(config.schema_source(file, Some("s.rnc".into())), SchemaSource::Declared("s.rnc".into()));
    /// assert_eq!(config.schema_source(file, None), SchemaSource::Bundled);
    /// ```
    pub fn schema_source(&self, file: &Path, declared: Option<String>) -> SchemaSource<'_> {
        match (self.schema_for(file), declared) {
            (Some(path), _) => SchemaSource::Configured(path),
            (None, Some(href)) => SchemaSource::Declared(href),
            (None, None) if self.schema_declared => SchemaSource::Undeclared,
            (None, None) => SchemaSource::Bundled,
        }
    }
}

/// Limits set by a configuration; those not set keep the run's.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Limits {
    /// `max-depth`.
    pub max_depth: Option<usize>,
    /// `max-size`, in bytes.
    pub max_size: Option<usize>,
    /// `max-attributes`.
    pub max_attributes: Option<usize>,
    /// `max-entity-expansion`, in bytes.
    pub max_entity_expansion: Option<u64>,
}

impl Limits {
    /// `base` with the limits set here.
    pub fn apply(&self, base: ReadLimits) -> ReadLimits {
        ReadLimits {
            max_depth: self.max_depth.unwrap_or(base.max_depth),
            max_bytes: self.max_size.unwrap_or(base.max_bytes),
            max_attributes: self.max_attributes.unwrap_or(base.max_attributes),
            max_entity_expansion: self
                .max_entity_expansion
                .unwrap_or(base.max_entity_expansion),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawConfig {
    schema: Option<String>,
    #[serde(default)]
    catalog: Vec<String>,
    #[serde(default)]
    schematron: Vec<String>,
    schematron_phase: Option<String>,
    profile: Option<Spanned<String>>,
    #[serde(default)]
    files: Vec<String>,
    #[serde(default)]
    rules: BTreeMap<Spanned<String>, Level>,
    #[serde(default)]
    limits: Limits,
    xinclude: Option<bool>,
    #[serde(default)]
    overrides: Vec<RawOverride>,
    convert: Option<RawConvert>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawConvert {
    profile: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawOverride {
    paths: Vec<String>,
    schema: Option<String>,
    profile: Option<Spanned<String>>,
    #[serde(default)]
    rules: BTreeMap<Spanned<String>, Level>,
}

/// The configuration file that governs `directory`: `teikit.toml` there or in the nearest
/// directory above it, as a path relative to `directory` (`teikit.toml`, `../../teikit.toml`).
pub fn find(directory: &Path) -> Option<PathBuf> {
    let absolute = std::path::absolute(directory).ok()?;
    let mut relative = PathBuf::new();
    for dir in absolute.ancestors() {
        if dir.join(FILE_NAME).is_file() {
            return Some(relative.join(FILE_NAME));
        }
        relative.push("..");
    }
    None
}

/// Reads and checks the configuration `file`; a problem is an error at its line and column.
///
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// let file = dir.path().join("teikit.toml");
/// std::fs::write(&file, "profile = \"generic\"\n[rules]\npage-ordr = \"off\"\n").unwrap();
/// let error = teikit::config::load(&file).unwrap_err();
/// assert_eq!((error.location.line, error.location.column), (3, 1));
/// assert!(error.message.starts_with("unknown rule `page-ordr`"));
/// ```
pub fn load(file: &Path) -> Result<Config, Diagnostic> {
    let text = std::fs::read_to_string(file)
        .map_err(|e| Diagnostic::error(Location::file_start(file), format!("cannot read: {e}")))?;
    let at = |offset: usize, message: String| {
        let (line, column) = LineIndex::new(&text).line_column(&text, offset);
        Diagnostic::error(Location::new(file, line, column), message)
    };
    let raw: RawConfig = toml::from_str(&text).map_err(|e| {
        at(
            e.span().map_or(0, |s| s.start),
            e.message().trim().to_string(),
        )
    })?;
    let root = file.parent().unwrap_or(Path::new("")).to_path_buf();
    let levels = |rules: BTreeMap<Spanned<String>, Level>| {
        rules
            .into_iter()
            .map(|(code, level)| {
                RuleId::from_code(code.get_ref())
                    .map(|rule| (rule, level))
                    .map_err(|e| at(code.span().start, e.to_string()))
            })
            .collect::<Result<BTreeMap<_, _>, _>>()
    };
    let profile = |name: Option<Spanned<String>>| match name {
        None => Ok(None),
        Some(name) if name.get_ref() == "auto" => Ok(Some(ProfileChoice::Auto)),
        Some(name) => Profile::from_name(name.get_ref())
            .map(|p| Some(ProfileChoice::Fixed(p)))
            .ok_or_else(|| {
                at(
                    name.span().start,
                    format!(
                        "unknown profile `{}`; the profiles are auto, generic, documentary",
                        name.get_ref()
                    ),
                )
            }),
    };
    let mut overrides = Vec::new();
    let mut schema_overrides = Vec::new();
    for raw_override in raw.overrides {
        if let Some(schema) = &raw_override.schema {
            let paths = raw_override.paths.iter().map(|p| Glob::new(p)).collect();
            let schema = root.join(schema);
            schema_overrides.push(SchemaOverride {
                files: Override {
                    root: root.clone(),
                    paths,
                    profile: None,
                    levels: BTreeMap::new(),
                },
                schema,
            });
        }
        overrides.push(Override {
            root: root.clone(),
            paths: raw_override.paths.iter().map(|p| Glob::new(p)).collect(),
            profile: profile(raw_override.profile)?,
            levels: levels(raw_override.rules)?,
        });
    }
    let output_profile = match raw.convert.and_then(|c| c.profile) {
        None => None,
        Some(name) => Some(OutputProfile::from_name(name.get_ref()).ok_or_else(|| {
            at(
                name.span().start,
                format!(
                    "unknown output profile `{}`; the output profiles are tei, frus",
                    name.get_ref()
                ),
            )
        })?),
    };
    Ok(Config {
        file: file.to_path_buf(),
        output_profile,
        schema_declared: raw.schema.as_deref() == Some("declared"),
        schema: raw.schema.filter(|s| s != "declared").map(|s| root.join(s)),
        catalogs: raw.catalog.iter().map(|c| root.join(c)).collect(),
        schematron: raw.schematron.iter().map(|c| root.join(c)).collect(),
        schematron_phase: raw.schematron_phase,
        schema_overrides,
        profile: profile(raw.profile)?,
        files: raw.files,
        levels: levels(raw.rules)?,
        limits: raw.limits,
        xinclude: raw.xinclude,
        overrides,
        root,
    })
}

impl Config {
    /// The Schematron schemas it names, in its phase.
    pub fn schematron_specs(&self) -> Vec<crate::schematron::Spec> {
        self.schematron
            .iter()
            .map(|path| crate::schematron::Spec::File {
                path: path.clone(),
                phase: self.schematron_phase.clone(),
            })
            .collect()
    }

    /// The rules it sets over `base` (levels added, overrides appended; the profile if set).
    pub fn apply_rules(&self, base: &mut RuleSet) {
        if let Some(choice) = self.profile {
            base.set_profile(choice.profile());
        }
        for (rule, level) in &self.levels {
            base.set_level(*rule, *level);
        }
        for set in &self.overrides {
            base.add_override(set.clone());
        }
    }

    /// The files `files` names: each path as given (a directory: the `*.xml` under it), and
    /// for each pattern the `*.xml` files under the root that match it, sorted, each once.
    pub fn files_to_validate(&self) -> Result<Vec<PathBuf>, (PathBuf, std::io::Error)> {
        let mut paths = Vec::new();
        let mut patterns = Vec::new();
        for entry in &self.files {
            let glob = Glob::new(entry);
            if glob.has_wildcards() {
                patterns.push(glob);
            } else {
                paths.push(self.root.join(entry));
            }
        }
        let mut files = crate::xml::files::xml_files(&paths)?;
        if !patterns.is_empty() {
            let root = if self.root.as_os_str().is_empty() {
                PathBuf::from(".")
            } else {
                self.root.clone()
            };
            for file in crate::xml::files::xml_files(std::slice::from_ref(&root))? {
                let relative = file.strip_prefix(&root).unwrap_or(&file);
                let path = self.root.join(relative);
                if patterns.iter().any(|g| g.matches(relative)) && !files.contains(&path) {
                    files.push(path);
                }
            }
        }
        Ok(files)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        path
    }

    #[test]
    fn a_complete_configuration() {
        let dir = tempfile::tempdir().unwrap();
        let file = write(
            dir.path(),
            "teikit.toml",
            r#"
schema = "schema/tei_all.rng"
profile = "auto"
files = ["tei/**/*.xml", "extra"]
[rules]
unused-declaration = "off"
iso-date = "warning"
[limits]
max-depth = 100
[[overrides]]
paths = ["tei/early/**"]
profile = "generic"
rules = { footnote-sequence = "error" }
"#,
        );
        let config = load(&file).unwrap();
        assert_eq!(config.schema, Some(dir.path().join("schema/tei_all.rng")));
        assert_eq!(config.profile, Some(ProfileChoice::Auto));
        assert_eq!(config.levels[&RuleId::UnusedDeclaration], Level::Off);
        assert_eq!(config.levels[&RuleId::IsoDate], Level::Warning);
        assert_eq!(config.limits.apply(ReadLimits::default()).max_depth, 100);
        assert_eq!(
            config.overrides[0].profile,
            Some(ProfileChoice::Fixed(Profile::Generic))
        );

        write(dir.path(), "tei/v10/d1.xml", "<a/>");
        write(dir.path(), "tei/early/x.xml", "<a/>");
        write(dir.path(), "tei/notes.txt", "");
        write(dir.path(), "extra/y.xml", "<a/>");
        write(dir.path(), "other/z.xml", "<a/>");
        let mut files = config.files_to_validate().unwrap();
        files.sort();
        let expected: Vec<PathBuf> = ["extra/y.xml", "tei/early/x.xml", "tei/v10/d1.xml"]
            .iter()
            .map(|f| dir.path().join(f))
            .collect();
        assert_eq!(files, expected);

        let mut rules = RuleSet::for_profile(None);
        config.apply_rules(&mut rules);
        let early = rules.for_file(&dir.path().join("tei/early/x.xml"));
        assert_eq!(early.profile(), Some(Profile::Generic));
        assert_eq!(
            early.level(RuleId::FootnoteSequence, Profile::Generic),
            Level::Error
        );
        assert_eq!(
            early.level(RuleId::UnusedDeclaration, Profile::Documentary),
            Level::Off
        );
        let other = rules.for_file(&dir.path().join("tei/v10/d1.xml"));
        assert_eq!(other.profile(), None);
    }

    #[test]
    fn mistakes_are_located() {
        let dir = tempfile::tempdir().unwrap();
        let cases = [
            ("schema = 3\n", (1, 10), "invalid type"),
            ("profil = \"generic\"\n", (1, 1), "unknown field `profil`"),
            ("profile = \"tei\"\n", (1, 11), "unknown profile `tei`"),
            (
                "[rules]\nschema = \"loud\"\n",
                (2, 10),
                "unknown variant `loud`",
            ),
            (
                "[[overrides]]\npaths = [\"a\"]\nrules = { nope = \"off\" }\n",
                (3, 11),
                "unknown rule `nope`",
            ),
        ];
        for (text, (line, column), message) in cases {
            let file = write(dir.path(), "teikit.toml", text);
            let error = load(&file).unwrap_err();
            assert_eq!(
                (error.location.line, error.location.column),
                (line, column),
                "{text}: {error}"
            );
            assert!(error.message.contains(message), "{text}: {error}");
        }
    }

    #[test]
    fn found_by_walking_up() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "teikit.toml", "");
        std::fs::create_dir_all(dir.path().join("a/b")).unwrap();
        assert_eq!(
            find(&dir.path().join("a/b")),
            Some(PathBuf::from("../../teikit.toml"))
        );
        assert_eq!(find(dir.path()), Some(PathBuf::from("teikit.toml")));
    }
}
