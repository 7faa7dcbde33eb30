//! OASIS XML Catalogs (1.1), the XML world's way of mapping a schema's URL to a local copy so
//! that validation runs offline: `uri` and `system` (one URL), `rewriteURI` and `rewriteSystem`
//! (a URL prefix), `uriSuffix` and `systemSuffix` (a URL ending), `group`, `xml:base` and
//! `nextCatalog`. Catalogs are named in `teikit.toml` (`catalog = [...]`) or by
//! `XML_CATALOG_FILES`, a space-separated list of files or `file:` URIs, as libxml2 reads it.

use std::path::{Path, PathBuf};

const CATALOG_NS: &str = "urn:oasis:names:tc:entity:xmlns:xml:catalog";

/// One mapping of a catalog, its target already resolved against the entry's base.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Entry {
    /// `uri`/`system`: exactly this name.
    Exact { name: String, target: String },
    /// `rewriteURI`/`rewriteSystem`: names starting so, the start replaced.
    Rewrite { start: String, prefix: String },
    /// `uriSuffix`/`systemSuffix`: names ending so.
    Suffix { suffix: String, target: String },
}

/// Why a catalog could not be read.
#[derive(Debug, thiserror::Error)]
#[error("{path}: error: cannot read the XML catalog: {message}", path = .path.display())]
pub struct CatalogError {
    /// The catalog file.
    pub path: PathBuf,
    /// Why.
    pub message: String,
}

/// Catalogs, read and ready to resolve names.
#[derive(Debug, Clone, Default)]
pub struct Catalogs {
    entries: Vec<Entry>,
    /// Catalogs to consult after these (`nextCatalog`), read when first needed.
    next: Vec<Catalogs>,
}

impl Catalogs {
    /// Reads the catalog files `paths` (and the catalogs they chain to) in order.
    ///
    /// ```
    /// use teikit::schemas::Catalogs;
    /// let dir = tempfile::tempdir().unwrap();
    /// std::fs::write(dir.path().join("catalog.xml"), r#"<catalog xmlns="urn:oasis:names:tc:entity:xmlns:xml:catalog">
    ///   <uri name="https://tei-c.org/release/xml/tei/custom/schema/relaxng/tei_all.rng" uri="schema/tei_all.rng"/>
    ///   <rewriteURI uriStartString="https://example.org/schemas/" rewritePrefix="local/"/>
    /// </catalog>"#).unwrap();
    /// let catalogs = Catalogs::load(&[dir.path().join("catalog.xml")]).unwrap();
    /// let found = catalogs.resolve("https://tei-c.org/release/xml/tei/custom/schema/relaxng/tei_all.rng").unwrap();
    /// assert!(found.ends_with("schema/tei_all.rng"));
    /// assert!(catalogs.resolve("https://example.org/schemas/a.rnc").unwrap().ends_with("local/a.rnc"));
    /// assert_eq!(catalogs.resolve("https://elsewhere.org/b.rng"), None);
    /// ```
    pub fn load(paths: &[PathBuf]) -> Result<Catalogs, CatalogError> {
        let mut catalogs = Catalogs::default();
        let mut seen = Vec::new();
        for path in paths {
            catalogs.next.push(Self::load_one(path, &mut seen)?);
        }
        Ok(catalogs)
    }

    /// The catalogs `XML_CATALOG_FILES` names, if it is set.
    pub fn from_environment() -> Result<Catalogs, CatalogError> {
        let Some(list) = std::env::var_os("XML_CATALOG_FILES") else {
            return Ok(Catalogs::default());
        };
        let paths: Vec<PathBuf> = list
            .to_string_lossy()
            .split_whitespace()
            .map(|item| PathBuf::from(item.strip_prefix("file://").unwrap_or(item)))
            .collect();
        Self::load(&paths)
    }

    /// These catalogs, then `other`'s.
    pub fn then(mut self, other: Catalogs) -> Catalogs {
        self.next.push(other);
        self
    }

    /// Whether no catalog is loaded.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty() && self.next.iter().all(Catalogs::is_empty)
    }

    fn load_one(path: &Path, seen: &mut Vec<PathBuf>) -> Result<Catalogs, CatalogError> {
        let failed = |message: String| CatalogError {
            path: path.to_path_buf(),
            message,
        };
        let canonical = path.canonicalize().map_err(|e| failed(e.to_string()))?;
        if seen.contains(&canonical) {
            return Ok(Catalogs::default()); // a chain that loops back is read once
        }
        seen.push(canonical);
        let text = std::fs::read_to_string(path).map_err(|e| failed(e.to_string()))?;
        let options = roxmltree::ParsingOptions {
            allow_dtd: true,
            ..Default::default()
        };
        let doc = roxmltree::Document::parse_with_options(&text, options)
            .map_err(|e| failed(e.to_string()))?;
        let root = doc.root_element();
        if root.tag_name().namespace() != Some(CATALOG_NS) || root.tag_name().name() != "catalog" {
            return Err(failed(format!(
                "expected a <catalog> in namespace {CATALOG_NS}"
            )));
        }
        let directory = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let mut catalogs = Catalogs::default();
        let mut next = Vec::new();
        for node in root
            .descendants()
            .filter(|n| n.tag_name().namespace() == Some(CATALOG_NS))
        {
            let base = base_of(node, &directory);
            let attribute = |name: &str| node.attribute(name).map(str::to_string);
            let element = node.tag_name().name();
            if element == "nextCatalog" {
                if let Some(file) = attribute("catalog") {
                    next.push(PathBuf::from(against(&base, &file)));
                }
                continue;
            }
            // Each mapping: the attribute naming what it matches, and the one naming its target.
            let (key, target) = match element {
                "uri" => ("name", "uri"),
                "system" => ("systemId", "uri"),
                "rewriteURI" => ("uriStartString", "rewritePrefix"),
                "rewriteSystem" => ("systemIdStartString", "rewritePrefix"),
                "uriSuffix" => ("uriSuffix", "uri"),
                "systemSuffix" => ("systemIdSuffix", "uri"),
                _ => continue,
            };
            let (Some(key), Some(target)) = (attribute(key), attribute(target)) else {
                continue;
            };
            let target = against(&base, &target);
            catalogs.entries.push(match element {
                "uri" | "system" => Entry::Exact { name: key, target },
                "rewriteURI" | "rewriteSystem" => Entry::Rewrite {
                    start: key,
                    prefix: target,
                },
                _ => Entry::Suffix {
                    suffix: key,
                    target,
                },
            });
        }
        for file in next {
            // A missing next catalog is skipped, as the specification says.
            if let Ok(chained) = Self::load_one(&file, seen) {
                catalogs.next.push(chained);
            }
        }
        Ok(catalogs)
    }

    /// What the catalogs map `name` (a URI) to: a path or URL, or `None`. An exact entry wins,
    /// then the longest matching rewrite, then the longest matching suffix, then the next
    /// catalogs in order.
    pub fn resolve(&self, name: &str) -> Option<String> {
        let exact = self.entries.iter().find_map(|e| match e {
            Entry::Exact { name: n, target } if n == name => Some(target.clone()),
            _ => None,
        });
        if exact.is_some() {
            return exact;
        }
        let rewrite = self
            .entries
            .iter()
            .filter_map(|e| match e {
                Entry::Rewrite { start, prefix } if name.starts_with(start.as_str()) => {
                    Some((start.len(), format!("{prefix}{}", &name[start.len()..])))
                }
                _ => None,
            })
            .max_by_key(|(length, _)| *length);
        if let Some((_, target)) = rewrite {
            return Some(target);
        }
        let suffix = self
            .entries
            .iter()
            .filter_map(|e| match e {
                Entry::Suffix { suffix, target } if name.ends_with(suffix.as_str()) => {
                    Some((suffix.len(), target.clone()))
                }
                _ => None,
            })
            .max_by_key(|(length, _)| *length);
        if let Some((_, target)) = suffix {
            return Some(target);
        }
        self.next.iter().find_map(|c| c.resolve(name))
    }
}

/// The base an entry's relative targets are read against: the nearest `xml:base`, else the
/// catalog's directory.
fn base_of(node: roxmltree::Node, directory: &Path) -> String {
    let mut bases: Vec<&str> = node
        .ancestors()
        .filter_map(|n| n.attribute((roxmltree::NS_XML_URI, "base")))
        .collect();
    bases.reverse();
    let mut base = format!("{}/", directory.display());
    for b in bases {
        base = against(&base, b);
        if !base.ends_with('/') {
            base = match base.rfind('/') {
                Some(i) => base[..=i].to_string(),
                None => String::new(),
            };
        }
    }
    base
}

/// `target` read against `base` (a directory path or URL ending in `/`): absolute URLs and
/// paths stay as they are.
fn against(base: &str, target: &str) -> String {
    let absolute = target.contains("://") || target.starts_with('/');
    if absolute || base.is_empty() {
        return target.strip_prefix("file://").unwrap_or(target).to_string();
    }
    let base = base.strip_prefix("file://").unwrap_or(base);
    let base = if base.ends_with('/') {
        base.to_string()
    } else {
        format!("{base}/")
    };
    format!("{base}{target}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rewrites_suffixes_groups_bases_and_chains() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("next.xml"),
            format!(r#"<catalog xmlns="{CATALOG_NS}"><uriSuffix uriSuffix="/tei_all.rng" uri="tei/tei_all.rng"/><nextCatalog catalog="catalog.xml"/></catalog>"#),
        )
        .unwrap();
        std::fs::write(
            dir.path().join("catalog.xml"),
            format!(
                r#"<catalog xmlns="{CATALOG_NS}">
                <group xml:base="vendor/"><rewriteURI uriStartString="https://a.org/" rewritePrefix="a/"/>
                  <rewriteURI uriStartString="https://a.org/deep/" rewriteprefix="x" rewritePrefix="deep/"/></group>
                <system systemId="https://b.org/b.rng" uri="https://mirror.org/b.rng"/>
                <nextCatalog catalog="next.xml"/></catalog>"#
            ),
        )
        .unwrap();
        let catalogs = Catalogs::load(&[dir.path().join("catalog.xml")]).unwrap();
        let base = dir.path().display().to_string();
        assert_eq!(
            catalogs.resolve("https://a.org/s.rng"),
            Some(format!("{base}/vendor/a/s.rng"))
        );
        assert_eq!(
            catalogs.resolve("https://a.org/deep/s.rng"),
            Some(format!("{base}/vendor/deep/s.rng")),
            "the longest start wins"
        );
        assert_eq!(
            catalogs.resolve("https://b.org/b.rng"),
            Some("https://mirror.org/b.rng".into())
        );
        assert_eq!(
            catalogs.resolve("http://www.tei-c.org/x/tei_all.rng"),
            Some(format!("{base}/tei/tei_all.rng")),
            "through the chain"
        );
        assert_eq!(catalogs.resolve("https://c.org/c.rng"), None);
    }

    #[test]
    fn a_file_that_is_no_catalog_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("c.xml"), "<catalog/>").unwrap();
        let error = Catalogs::load(&[dir.path().join("c.xml")]).unwrap_err();
        assert!(
            error.to_string().contains("expected a <catalog>"),
            "{error}"
        );
        assert!(Catalogs::load(&[dir.path().join("none.xml")]).is_err());
    }
}
