//! A project as the language server sees it: its schema and rules (from `teikit.toml`, as
//! `teikit validate` reads them), the diagnostics of a document's text, and the documentation of
//! the schema's elements for hover.

use super::text::TextIndex;
use crate::base::diagnostic::{Diagnostic, Severity};
use crate::base::rule::RuleId;
use crate::relaxng::{Schema, Validator};
use crate::rules::{settle, Profile, RuleSet};
use crate::validation::{check_bytes, Options};
use lsp_types::{
    CodeDescription, DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString,
    Uri,
};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// A project: the schema, the rules and the files its configuration names. Shared by the
/// threads of the server: each keeps its own [`Validator`] of the one compiled schema.
pub struct Project {
    /// The configuration file, if any.
    pub config: Option<PathBuf>,
    /// The project's schema, compiled once for the server's life.
    pub schema: &'static Schema,
    /// The rules, as `teikit validate` would run them.
    pub options: Options,
    /// Element documentation by local name, and attribute documentation by local name.
    pub docs: SchemaDocs,
    /// The files `teikit.toml` lists (for pointers into registers kept in other files).
    pub files: Vec<PathBuf>,
    /// Where the schemas documents declare (`xml-model`) are found; `None` where `teikit.toml`
    /// names the schema, which then wins.
    resolver: Option<crate::schemas::Resolver>,
    /// Declared schemas, compiled once for the server's life, by file; or why one cannot be had.
    declared: std::sync::Mutex<HashMap<OwnSchema, Result<&'static Schema, String>>>,
    /// The rules for documents validated against their declared schema.
    declared_options: Options,
    /// The configuration, for the schema each document is validated against.
    settings: crate::config::Config,
}

thread_local! {
    /// This thread's validator of each declared schema (their memo tables kept between edits;
    /// a validator cannot move between threads).
    static DECLARED_VALIDATORS: std::cell::RefCell<HashMap<usize, Validator<'static>>> = Default::default();
    /// This thread's compiled Schematron schemas (a compiled schema cannot move between
    /// threads), kept between edits.
    static SCHEMATRON: std::cell::RefCell<crate::validation::SchematronCache> = Default::default();
}

/// A schema of a document's own: a file `teikit.toml` names for it, or a declaration as
/// written (`href`) with the folder of the document that wrote it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum OwnSchema {
    File(PathBuf),
    Declared { href: String, folder: PathBuf },
}

/// What went wrong setting a project up: the message is shown in the editor.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ProjectError(pub String);

impl Project {
    /// The project of a document in `dir`: the `teikit.toml` governing it, or the defaults.
    pub fn for_directory(dir: &Path) -> Result<Project, ProjectError> {
        let config_file = crate::config::find(dir).map(|relative| dir.join(relative));
        let config = match &config_file {
            Some(file) => crate::config::load(file).map_err(|d| ProjectError(d.to_string()))?,
            None => crate::config::Config::default(),
        };
        let schema = match &config.schema {
            Some(path) => Schema::from_file(path),
            None => Schema::bundled(),
        }
        .map_err(|e| ProjectError(e.to_string()))?;
        let docs = SchemaDocs::for_schema(config.schema.as_deref());
        let default_profile = config.schema.is_none().then_some(Profile::Documentary);
        let mut rules = RuleSet::for_profile(default_profile);
        config.apply_rules(&mut rules);
        let options = Options {
            rules,
            jobs: 1,
            limits: config.limits.apply(crate::xml::ReadLimits::default()),
            xinclude: config.xinclude.unwrap_or(true),
            schematron: config.schematron_specs(),
            embedded_schematron: true,
            declared_schematron: Vec::new(),
        };
        // A document that names its own schema gets each document's own profile, as with any
        // schema other than the bundled documentary subset.
        let mut declared_rules = RuleSet::for_profile(None);
        config.apply_rules(&mut declared_rules);
        let declared_options = Options {
            rules: declared_rules,
            ..options.clone()
        };
        let files = config.files_to_validate().unwrap_or_default();
        let resolver = match config.schema {
            Some(_) => None,
            None => {
                let catalogs = crate::schemas::Catalogs::load(&config.catalogs)
                    .and_then(|c| Ok(c.then(crate::schemas::Catalogs::from_environment()?)))
                    .map_err(|e| ProjectError(e.to_string()))?;
                Some(crate::schemas::Resolver {
                    catalogs,
                    cache: crate::relaxng::cache::directory(),
                    offline: false,
                })
            }
        };
        // The schema lives as long as the server: one per project, compiled once, so that the
        // validators (which borrow it) can be kept with their memo tables between edits.
        let schema: &'static Schema = Box::leak(Box::new(schema));
        Ok(Project {
            config: config_file,
            schema,
            options,
            docs,
            files,
            resolver,
            declared: Default::default(),
            declared_options,
            settings: config,
        })
    }

    /// The schema of this document where it is not the project's: the one an override sets
    /// for it, or the one it declares — when it can be had.
    pub fn own_schema(&self, path: &Path, text: &str) -> Option<&'static Schema> {
        self.declared_schema(path, text)?.ok()
    }

    /// The schema of this document where it is not the project's, compiled (once), as
    /// [`crate::config::Config::schema_source`] chooses it; `Err` with a located problem where
    /// it cannot be had. `None`: the project's schema.
    fn declared_schema(
        &self,
        path: &Path,
        text: &str,
    ) -> Option<Result<&'static Schema, Diagnostic>> {
        use crate::config::SchemaSource;
        let declaration = crate::schemas::declared_schemas(text)
            .into_iter()
            .find(|d| d.language == crate::schemas::SchemaLanguage::RelaxNg);
        let href = declaration.as_ref().map(|d| d.href.clone());
        let (key, offset) = match self.settings.schema_source(path, href) {
            SchemaSource::Configured(file) if Some(file) == self.settings.schema.as_deref() => {
                return None
            }
            // An override of teikit.toml naming a schema for this file.
            SchemaSource::Configured(file) => (OwnSchema::File(file.to_path_buf()), 0),
            SchemaSource::Declared(href) => {
                let folder = path.parent().map(Path::to_path_buf).unwrap_or_default();
                let offset = declaration.map_or(0, |d| d.offset);
                (OwnSchema::Declared { href, folder }, offset)
            }
            SchemaSource::Bundled | SchemaSource::Undeclared => return None,
        };
        let mut compiled = self.declared.lock().unwrap_or_else(|e| e.into_inner());
        let found = compiled.entry(key.clone()).or_insert_with(|| {
            let (file, name) = match &key {
                OwnSchema::File(file) => (file.clone(), file.display().to_string()),
                OwnSchema::Declared { href, .. } => {
                    let resolver = self.resolver.as_ref().ok_or_else(|| {
                        format!("schema `{href}`: declarations are not read where teikit.toml names the schema")
                    })?;
                    let file = resolver.locate(href, path).map_err(|e| e.to_string())?;
                    (file, href.clone())
                }
            };
            let schema =
                Schema::from_file_cached(&file, crate::relaxng::cache::directory().as_deref())
                    .map_err(|e| format!("schema `{name}`: {e}"))?;
            Ok(&*Box::leak(Box::new(schema)))
        });
        Some(found.clone().map_err(|why| {
            let (line, column) =
                crate::base::diagnostic::LineIndex::new(text).line_column(text, offset);
            let location = crate::base::diagnostic::Location::new(path, line, column);
            Diagnostic::error(location, format!("{why}; not validated against any schema"))
                .with_rule(RuleId::Schema)
        }))
    }

    /// A validator of the project's schema (its memo tables grow with the documents it sees).
    pub fn validator(&self) -> Validator<'static> {
        let mut validator = self.schema.validator();
        validator.limits = self.options.limits;
        validator
    }

    /// Every problem of `text` (the contents of `path`), as `teikit validate path` reports them.
    pub fn diagnostics(
        &self,
        validator: &mut Validator<'static>,
        path: &Path,
        text: &str,
    ) -> Vec<Diagnostic> {
        let bytes = text.as_bytes().to_vec();
        let declared = self.declared_schema(path, text);
        let schema = match &declared {
            None => Some(self.schema),
            Some(Ok(schema)) => Some(*schema),
            Some(Err(_)) => None,
        };
        let options = match declared {
            None => &self.options,
            Some(_) => &self.declared_options,
        };
        let specs = crate::validation::specs_for(options, schema);
        let (mut problems, links) = SCHEMATRON.with_borrow_mut(|cache| {
            let schematron = cache.compiled(&specs);
            match declared {
                None => check_bytes(Some(validator), &schematron, path, bytes, options),
                Some(Ok(schema)) => DECLARED_VALIDATORS.with_borrow_mut(|validators| {
                    let own = validators
                        .entry(schema as *const Schema as usize)
                        .or_insert_with(|| schema.validator());
                    own.limits = self.options.limits;
                    own.cancel_when(validator.cancellation());
                    check_bytes(Some(own), &schematron, path, bytes, options)
                }),
                Some(Err(problem)) => {
                    let (mut problems, links) =
                        check_bytes(None, &schematron, path, bytes, options);
                    problems.push(problem);
                    (problems, links)
                }
            }
        });
        if let Some(links) = links {
            problems.extend(settle(vec![links]).into_iter().flatten());
        }
        problems.sort_by(|a, b| a.location.cmp(&b.location));
        problems
    }
}

/// Where the documentation of a rule is: its own page in this source tree
/// (`docs/rules/CODE.md`: what it requires, why, an example).
pub fn rule_documentation(rule: RuleId) -> Option<Uri> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(rule.rule().documentation);
    Uri::from_str(&crate::base::uri::file_uri(&path)).ok()
}

/// The path a `file:` URI names.
pub fn uri_path(uri: &Uri) -> Option<PathBuf> {
    let rest = uri.as_str().strip_prefix("file://")?;
    let mut bytes = Vec::new();
    let raw = rest.as_bytes();
    let mut i = 0;
    while i < raw.len() {
        if raw[i] == b'%' && i + 2 < raw.len() {
            if let Ok(b) = u8::from_str_radix(&rest[i + 1..i + 3], 16) {
                bytes.push(b);
                i += 3;
                continue;
            }
        }
        bytes.push(raw[i]);
        i += 1;
    }
    Some(PathBuf::from(String::from_utf8(bytes).ok()?))
}

/// teikit's problems of `text` as the editor shows them; problems located in other files (an
/// included file) are left to those files. Each is placed through `index` (the text's, made
/// once): the cost is the problems' lines, not the document's size times their number.
pub fn to_lsp(
    uri: &Uri,
    path: &Path,
    text: &str,
    index: &TextIndex,
    problems: &[Diagnostic],
) -> Vec<lsp_types::Diagnostic> {
    problems
        .iter()
        .filter(|d| d.location.file == path)
        .map(|d| {
            let start = index.offset_of_line_column(text, d.location.line, d.location.column);
            let range = index.range(text, start, word_end(text, start));
            let related = first_use(&d.message).map(|(line, column)| {
                let at = index.offset_of_line_column(text, line, column);
                let position = index.position(text, at);
                vec![DiagnosticRelatedInformation {
                    location: Location::new(uri.clone(), lsp_types::Range::new(position, position)),
                    message: "first used here".into(),
                }]
            });
            lsp_types::Diagnostic {
                range,
                severity: Some(match d.severity {
                    Severity::Error => DiagnosticSeverity::ERROR,
                    Severity::Warning => DiagnosticSeverity::WARNING,
                }),
                code: d.rule.map(|r| NumberOrString::String(r.code().to_string())),
                code_description: d
                    .rule
                    .and_then(rule_documentation)
                    .map(|href| CodeDescription { href }),
                source: Some("teikit".into()),
                message: d.message.clone(),
                related_information: related,
                tags: None,
                data: None,
            }
        })
        .collect()
}

/// The end of the name or word that starts at `start`: the next white space or markup
/// delimiter, and at least the one character at `start` (a whole character, however many bytes
/// it takes, so that a range never ends inside one).
fn word_end(text: &str, start: usize) -> usize {
    let rest = &text[start..];
    let delimiter = |c: char| c.is_whitespace() || matches!(c, '>' | '<' | '"' | '\'' | '=');
    match rest.find(delimiter) {
        Some(0) | None if rest.is_empty() => start,
        Some(0) => start + rest.chars().next().map_or(0, char::len_utf8),
        Some(end) => start + end,
        None => text.len(),
    }
}

/// "… first used at 12:3 …": where a duplicated id was first given.
fn first_use(message: &str) -> Option<(usize, usize)> {
    let rest = message.split("first used at ").nth(1)?;
    let (line, rest) = rest.split_once(':')?;
    let column: String = rest.chars().take_while(char::is_ascii_digit).collect();
    Some((line.parse().ok()?, column.parse().ok()?))
}

/// The documentation of a schema's elements and attributes, by local name.
#[derive(Debug, Clone, Default)]
pub struct SchemaDocs {
    /// Elements.
    pub elements: HashMap<String, String>,
    /// Attributes (the first documentation the schema gives an attribute of that name).
    pub attributes: HashMap<String, String>,
}

impl SchemaDocs {
    /// The documentation of the schema at `path` (`a:documentation` of a `.rng`, `##` comments
    /// of a `.rnc`), or of the bundled schema (its description, `schema/README.md`).
    pub fn for_schema(path: Option<&Path>) -> SchemaDocs {
        match path {
            None => SchemaDocs::bundled(),
            Some(path) => match std::fs::read_to_string(path) {
                Ok(text) if path.extension().is_some_and(|e| e == "rnc") => {
                    SchemaDocs::compact(&text)
                }
                Ok(text) => SchemaDocs::xml(&text),
                Err(_) => SchemaDocs::default(),
            },
        }
    }

    fn bundled() -> SchemaDocs {
        let mut docs = SchemaDocs::default();
        for line in include_str!("../../schema/README.md").lines() {
            let cells: Vec<&str> = line.split(" | ").collect();
            if cells.len() == 3 && line.starts_with("| `") {
                let name = cells[0].trim_start_matches("| ").trim_matches('`');
                let what = cells[2].trim_end_matches(" |");
                docs.elements.insert(
                    name.to_string(),
                    format!("{what}\n\nAttributes: {}", cells[1]),
                );
            }
        }
        docs
    }

    fn xml(text: &str) -> SchemaDocs {
        let mut docs = SchemaDocs::default();
        let Some(doc) = super::navigate::parse_within_limits(text) else {
            return docs;
        };
        for node in doc.descendants().filter(|n| n.is_element()) {
            let kind = node.tag_name().name();
            if kind != "element" && kind != "attribute" {
                continue;
            }
            let Some(name) = node.attribute("name") else {
                continue;
            };
            let local = name.rsplit(':').next().unwrap_or(name).to_string();
            let documentation = node
                .children()
                .find(|c| c.tag_name().name() == "documentation")
                .and_then(|c| c.text())
                .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "));
            if let Some(documentation) = documentation {
                let map = if kind == "element" {
                    &mut docs.elements
                } else {
                    &mut docs.attributes
                };
                map.entry(local).or_insert(documentation);
            }
        }
        docs
    }

    fn compact(text: &str) -> SchemaDocs {
        let mut docs = SchemaDocs::default();
        let mut comment: Vec<&str> = Vec::new();
        for line in text.lines() {
            let trimmed = line.trim();
            if let Some(doc) = trimmed.strip_prefix("##") {
                comment.push(doc.trim());
                continue;
            }
            if trimmed.is_empty() {
                continue;
            }
            for (kind, map) in [
                ("element ", &mut docs.elements),
                ("attribute ", &mut docs.attributes),
            ] {
                if let Some(rest) = trimmed.strip_prefix(kind) {
                    let name: String = rest
                        .chars()
                        .take_while(|c| !c.is_whitespace() && *c != '{')
                        .collect();
                    let local = name.rsplit(':').next().unwrap_or(&name).to_string();
                    if !comment.is_empty() && !local.is_empty() {
                        map.entry(local).or_insert(comment.join(" "));
                    }
                }
            }
            comment.clear();
        }
        docs
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_and_paths_round_trip() {
        let uri = Uri::from_str(&crate::base::uri::file_uri(Path::new("/tmp/a b/é.xml"))).unwrap();
        assert_eq!(uri.as_str(), "file:///tmp/a%20b/%C3%A9.xml");
        assert_eq!(uri_path(&uri), Some(PathBuf::from("/tmp/a b/é.xml")));
    }

    #[test]
    fn the_bundled_schema_is_documented_by_its_description() {
        let docs = SchemaDocs::for_schema(None);
        assert!(
            docs.elements["persName"].contains("a person"),
            "{}",
            docs.elements["persName"]
        );
    }

    #[test]
    fn a_range_never_ends_inside_a_character() {
        // A problem at a no-break space or an ideographic space covers that character whole.
        for text in ["a\u{a0}b", "a\u{3000}b", "a\u{3000}"] {
            let end = word_end(text, 1);
            assert!(text.is_char_boundary(end) && end > 1, "{text:?}: {end}");
        }
        assert_eq!(word_end("<p>", 1), 2);
        assert_eq!(word_end("ab", 2), 2);
    }

    #[test]
    fn a_duplicate_ids_first_use_is_read_from_its_message() {
        assert_eq!(
            first_use("duplicate xml:id `a`; first used at 12:3; an xml:id names"),
            Some((12, 3))
        );
    }
}
