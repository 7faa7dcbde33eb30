//! Which schema a document is validated against, and where that schema is on this machine.
//!
//! **Takes** a document's text and path, the catalogs and the cache; **gives** the local file of
//! the RELAX NG schema the document declares (`xml-model`, [`declared_schemas`]), found
//! relative to the document, through OASIS XML catalogs ([`Catalogs`]) or downloaded once into
//! the user's cache ([`remote`]). Precedence, applied by the commands: `--schema`, then
//! `teikit.toml`'s `schema`, then the document's declaration, then the bundled subset.
//!
//! A schema that cannot be had is an error naming what was tried — never a silent fallback to
//! another schema.

mod catalog;
mod declared;
pub mod remote;

pub use catalog::{CatalogError, Catalogs};
pub use declared::{declared_schemas, Declaration, SchemaLanguage};
pub use remote::{canonical_url, FetchError};

use crate::base::uri::percent_decoded;
use std::path::{Path, PathBuf};

/// Why a declared schema could not be found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("schema `{href}`: {why}")]
pub struct LocateError {
    /// The schema as the document names it.
    pub href: String,
    /// What was tried and why it failed.
    pub why: String,
}

/// Finds declared schemas on this machine.
#[derive(Debug, Clone, Default)]
pub struct Resolver {
    /// The catalogs consulted, in order.
    pub catalogs: Catalogs,
    /// The user's cache (downloads go to `CACHE/schemas/`); `None`: no downloads.
    pub cache: Option<PathBuf>,
    /// Whether the network may not be used.
    pub offline: bool,
}

impl Resolver {
    /// The local file of the schema `href`, declared by the document at `document`.
    ///
    /// A relative `href` is read against the document's folder (and looked up in the catalogs
    /// if no file is there); a URL is looked up in the catalogs as written and in its canonical
    /// form ([`canonical_url`]), then taken from the cache or downloaded.
    ///
    /// ```
    /// use teikit::schemas::Resolver;
    /// let dir = tempfile::tempdir().unwrap();
    /// std::fs::create_dir(dir.path().join("schema")).unwrap();
    /// std::fs::create_dir(dir.path().join("text")).unwrap();
    /// std::fs::write(dir.path().join("schema/s.rnc"), "start = element r { empty }").unwrap();
    /// let document = dir.path().join("text/a.xml");
    /// let resolver = Resolver { offline: true, ..Default::default() };
    /// assert_eq!(resolver.locate("../schema/s.rnc", &document).unwrap(), dir.path().join("text/../schema/s.rnc"));
    /// assert!(resolver.locate("../schema/none.rnc", &document).is_err());
    /// ```
    pub fn locate(&self, href: &str, document: &Path) -> Result<PathBuf, LocateError> {
        let failed = |why: String| LocateError {
            href: href.to_string(),
            why,
        };
        let href_path = href.split('#').next().unwrap_or(href);
        if remote::is_remote(href_path) {
            return self.locate_url(href_path).map_err(failed);
        }
        let local = percent_decoded(href_path.strip_prefix("file://").unwrap_or(href_path));
        let candidate = match Path::new(&local).is_absolute() {
            true => PathBuf::from(&local),
            false => document.parent().unwrap_or(Path::new("")).join(&local),
        };
        if candidate.is_file() {
            return Ok(candidate);
        }
        if let Some(target) = self.catalogs.resolve(href_path) {
            return self.target(&target).map_err(failed);
        }
        Err(failed(format!(
            "no file at {} and no catalog entry for it",
            candidate.display()
        )))
    }

    fn locate_url(&self, url: &str) -> Result<PathBuf, String> {
        let canonical = canonical_url(url);
        if let Some(target) = self
            .catalogs
            .resolve(url)
            .or_else(|| self.catalogs.resolve(&canonical))
        {
            return self.target(&target);
        }
        remote::fetch(&canonical, self.cache.as_deref(), self.offline).map_err(|e| e.to_string())
    }

    /// A catalog's target: a file, or a URL to fetch.
    fn target(&self, target: &str) -> Result<PathBuf, String> {
        if remote::is_remote(target) {
            return remote::fetch(&canonical_url(target), self.cache.as_deref(), self.offline)
                .map_err(|e| e.to_string());
        }
        let path = PathBuf::from(percent_decoded(
            target.strip_prefix("file://").unwrap_or(target),
        ));
        if path.is_file() {
            Ok(path)
        } else {
            Err(format!(
                "the catalog maps it to {}, which is not there",
                path.display()
            ))
        }
    }
}

/// The RELAX NG schema a document declares first, if any, as written (`href`).
///
/// ```
/// use teikit::schemas::declared_relax_ng;
/// assert_eq!(declared_relax_ng("<?xml-model href='a.sch'?><?xml-model href='a.rnc'?><r/>").as_deref(), Some("a.rnc"));
/// assert_eq!(declared_relax_ng("<r/>"), None);
/// ```
pub fn declared_relax_ng(text: &str) -> Option<String> {
    declared_schemas(text)
        .into_iter()
        .find(|d| d.language == SchemaLanguage::RelaxNg)
        .map(|d| d.href)
}

/// The prolog of the file at `path`, enough to read its `xml-model`s: read 4 KiB at a time
/// until the root element's start tag (a long internal DTD subset reads on).
pub fn read_prolog(path: &Path) -> std::io::Result<String> {
    let head = read_head(path)?;
    Ok(String::from_utf8_lossy(head.bytes()).into_owned())
}

/// The first bytes of a file, up to its root element's start tag: the whole file where it is
/// that short (then a caller that reads the file next can take these bytes instead).
#[derive(Debug)]
pub enum Head {
    /// The whole file.
    Whole(Vec<u8>),
    /// Its beginning.
    Part(Vec<u8>),
}

impl Head {
    /// The bytes read.
    pub fn bytes(&self) -> &[u8] {
        match self {
            Head::Whole(bytes) | Head::Part(bytes) => bytes,
        }
    }
}

/// The most of a file read to find its prolog's end.
const MAX_HEAD: usize = 1 << 20;

/// The head of the file at `path` (see [`Head`]): up to its root element, a mebibyte at most.
pub fn read_head(path: &Path) -> std::io::Result<Head> {
    use std::io::Read;
    let mut file = std::fs::File::open(path)?;
    let mut head = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let n = file.read(&mut chunk)?;
        if n == 0 {
            return Ok(Head::Whole(head));
        }
        let searched_from = head.len().saturating_sub(1);
        head.extend_from_slice(&chunk[..n]);
        // `<` then a name start: the root element (or the end of the prolog, at least).
        let opens_root = head[searched_from..]
            .windows(2)
            .any(|w| w[0] == b'<' && (w[1].is_ascii_alphabetic() || w[1] == b'_' || w[1] >= 0x80));
        if head.len() >= MAX_HEAD {
            // No root element in the first mebibyte: not a prolog anyone writes, and no
            // reason to read on (a file of gigabytes without a `<` would be read whole).
            return Ok(Head::Part(head));
        }
        if opens_root {
            // A file shorter than the chunk was read whole.
            return Ok(if n < chunk.len() && file.read(&mut chunk)? == 0 {
                Head::Whole(head)
            } else {
                Head::Part(head)
            });
        }
    }
}
